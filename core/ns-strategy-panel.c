/* ns-strategy-panel.c: a feature's values after a power, quantile or per-row strategy.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-strategy-panel.h"

#include "ns-scaler.h"

gboolean
ns_strategy_panel_is_computed (NsStrategy strategy)
{
  NsScalerOptions options;

  return ns_strategy_get_scaler_options (strategy, &options) &&
         !ns_method_is_affine (options.method);
}

char *
ns_strategy_panel_describe (NsStrategy strategy, const NsDataset *data, guint feature)
{
  if (strategy != NS_STRATEGY_NORMALIZER)
    return NULL;
  return g_strdup_printf ("each row is divided by its l2 norm over all %u features; the panel "
                          "shows '%s' of the normalized rows",
                          ns_dataset_get_n_features (data),
                          ns_dataset_get_column_name (data,
                                                      ns_dataset_get_feature_column (data,
                                                                                     feature)));
}

/* A table holding only the feature's values (a tensor's pooled ones as rows, as the power and
 * quantile fits take them), named and sourced like the original for the errors. */
static NsDataset *
ns_strategy_panel_one_feature (const NsDataset *data, guint column, gsize n)
{
  NsDataset *one = ns_dataset_new_table (n);

  ns_dataset_add_numeric_column (one, ns_dataset_get_column_name (data, column),
                                 g_memdup2 (ns_dataset_get_values (data, column),
                                            MAX (n, 1) * sizeof (double)));
  ns_dataset_set_source (one, ns_dataset_get_source_path (data),
                         ns_dataset_get_source_sha256 (data));
  ns_dataset_count_missing (one);
  return one;
}

static double *
ns_strategy_panel_per_feature (const NsDataset *data, guint column, gsize n,
                               const NsScalerOptions *options, GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (NsDataset) one = ns_strategy_panel_one_feature (data, column, n);
  g_autoptr (NsStats) stats = ns_scaler_fit (one, options, cancellable, error);

  if (stats == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return ns_stats_transform_column (stats, 0, ns_dataset_get_values (one, 0), n, error);
}

static double *
ns_strategy_panel_per_row (const NsDataset *data, guint column, gsize n,
                           const NsScalerOptions *options, GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (NsStats) stats = ns_scaler_fit (data, options, cancellable, error);
  g_autoptr (NsDataset) normalized = NULL;

  if (stats == NULL || (normalized = ns_stats_transform (stats, data, 0, error)) == NULL)
    return NULL;
  return g_memdup2 (ns_dataset_get_values (normalized, column), MAX (n, 1) * sizeof (double));
}

NsPlotData *
ns_strategy_panel_compute (const NsDataset *data, guint feature, NsStrategy strategy,
                           guint n_threads, GCancellable *cancellable, GError **error)
{
  guint column = ns_dataset_get_feature_column (data, feature);
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  g_autofree double *values = NULL;
  NsScalerOptions options;

  g_return_val_if_fail (ns_strategy_panel_is_computed (strategy), NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  ns_strategy_get_scaler_options (strategy, &options);
  options.n_threads = n_threads;
  values = options.method == NS_METHOD_NORMALIZER
             ? ns_strategy_panel_per_row (data, column, n, &options, cancellable, error)
             : ns_strategy_panel_per_feature (data, column, n, &options, cancellable, error);
  if (values == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return ns_plot_data_new (values, n, error);
}
