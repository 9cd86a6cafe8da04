/* ns-scaler.c: fit scikit-learn's and Keras' scalers; the result is an NsStats whose offset and
 * scale reproduce each library's transform.
 *
 * Decisions (see README "Stats file"):
 * - keras: Normalization.adapt lets NaN propagate into mean and variance, which makes every output
 *   NaN. Such a fit is useless, so it is refused with a message naming the column.
 * - keras: statistics stay float64; real Keras stores its weights as float32.
 * - Infinite values are refused for every method (scikit-learn refuses them too).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-scaler.h"
#include "ns-format-double.h"
#include "ns-moments.h"
#include "ns-quantile.h"
#include "ns-scaler-private.h"
#include "ns-sklearn-rules.h"
#include "ns-threads.h"
#include <math.h>
#include <string.h>

typedef struct {
  NsMoments moments;
  double median;
  double quantiles[2];   /* robust: at quantile_range */
  NsPowerColumn power;   /* yeo-johnson, box-cox */
  double *quantile_grid; /* quantile: n_quantiles_ values */
  GError *error;         /* a fit the method refuses (Box-Cox on a value <= 0, ...) */
} NsFeatureFit;

static void
ns_feature_fits_free (NsFeatureFit *fits, guint n)
{
  for (guint f = 0; fits != NULL && f < n; f++)
    {
      g_free (fits[f].quantile_grid);
      g_clear_error (&fits[f].error);
    }
  g_free (fits);
}

static gboolean
ns_scaler_check_options (const NsScalerOptions *options, GError **error)
{
  const double *fr = options->feature_range, *qr = options->quantile_range;
  char a[NS_DOUBLE_BUF_SIZE], b[NS_DOUBLE_BUF_SIZE];

  if ((guint) options->method > NS_METHOD_NORMALIZER) /* the last method */
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown method %d",
                   options->method);
      return FALSE;
    }
  if (options->method == NS_METHOD_MINMAX &&
      !(isfinite (fr[0]) && isfinite (fr[1]) && fr[0] < fr[1]))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "feature range (%s, %s): the minimum must be smaller than the maximum",
                   ns_format_double (a, fr[0]), ns_format_double (b, fr[1]));
      return FALSE;
    }
  if (options->sample_weight != NULL && options->method != NS_METHOD_STANDARD)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "sample weights apply to method standard only (scikit-learn's StandardScaler "
                   "takes sample_weight; %s does not)",
                   ns_method_to_string (options->method));
      return FALSE;
    }
  if (options->method == NS_METHOD_QUANTILE && (options->n_quantiles < 1 || options->subsample < 1))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   options->n_quantiles < 1 ? "quantile: n_quantiles is 0: expected at least 1"
                                            : "quantile: subsample is 0: expected at least 1 row");
      return FALSE;
    }
  if (options->method == NS_METHOD_QUANTILE && options->n_quantiles > options->subsample)
    {
      /* QuantileTransformer.fit's own check, worded as it words it. */
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "quantile: the number of quantiles cannot be greater than the number of "
                   "samples used: %u quantiles and a subsample of %" G_GSIZE_FORMAT " %s "
                   "(scikit-learn refuses this too)",
                   options->n_quantiles, options->subsample,
                   options->subsample == 1 ? "row" : "rows");
      return FALSE;
    }
  if (options->method == NS_METHOD_ROBUST && !(0 <= qr[0] && qr[0] <= qr[1] && qr[1] <= 100))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "quantile range (%s, %s): expected 0 <= low <= high <= 100 (percent)",
                   ns_format_double (a, qr[0]), ns_format_double (b, qr[1]));
      return FALSE;
    }
  return TRUE;
}

static const char *
ns_data_name (const NsDataset *data)
{
  const char *path = ns_dataset_get_source_path (data);

  return path != NULL ? path : "data";
}

static NsPowerKind
ns_power_kind_of (NsMethod method)
{
  return method == NS_METHOD_BOX_COX ? NS_POWER_BOX_COX : NS_POWER_YEO_JOHNSON;
}

static void
ns_scaler_fit_power (const NsDataset *data, guint column, const NsScalerOptions *options,
                     const double *values, gsize n, NsFeatureFit *fit)
{
  gsize bad = G_MAXSIZE;

  if (ns_power_fit_column (ns_power_kind_of (options->method), options->standardize,
                           ns_dataset_get_n_features (data) == 1, values, n, &fit->power, &bad,
                           &fit->error))
    return;
  if (bad != G_MAXSIZE)
    {
      char text[NS_DOUBLE_BUF_SIZE];

      g_clear_error (&fit->error);
      g_set_error (&fit->error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: column '%s': row %" G_GSIZE_FORMAT " holds %s: Box-Cox needs strictly "
                   "positive values (scikit-learn refuses them too); use method yeo-johnson, "
                   "which takes any real value",
                   ns_data_name (data), ns_dataset_get_column_name (data, column), bad + 1,
                   ns_format_double (text, values[bad]));
      return;
    }
  g_prefix_error (&fit->error, "%s: column '%s': ", ns_data_name (data),
                  ns_dataset_get_column_name (data, column));
}

static void
ns_scaler_fit_feature (const NsDataset *data, guint column, const NsScalerOptions *options,
                       guint n_threads, NsFeatureFit *fit)
{
  const double *values = ns_dataset_get_values (data, column);
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);

  ns_moments_init (&fit->moments);
  if (options->sample_weights != NULL)
    ns_moments_add_weighted (&fit->moments, values, options->sample_weights, n);
  else
    ns_moments_add_parallel (&fit->moments, values, n, n_threads);
  fit->median = NAN;
  fit->quantiles[0] = fit->quantiles[1] = NAN;
  if (options->method == NS_METHOD_ROBUST && fit->moments.infinite == 0)
    {
      /* numpy divides percentiles by 100 before interpolating; so do we. */
      double probabilities[2] = { options->quantile_range[0] / 100,
                                  options->quantile_range[1] / 100 };

      ns_quantiles_and_median (values, n, 1, probabilities, 2, fit->quantiles, &fit->median);
    }
  if ((options->method == NS_METHOD_YEO_JOHNSON || options->method == NS_METHOD_BOX_COX) &&
      fit->moments.infinite == 0 && fit->moments.count > 0)
    ns_scaler_fit_power (data, column, options, values, n, fit);
}

static void
ns_scaler_set_params (NsStats *stats, const NsDataset *data, const NsScalerOptions *options)
{
  JsonObject *params = ns_stats_get_params (stats);

  ns_scaler_set_method_params (params, options);
  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    ns_scaler_set_tensor_params (params, ns_dataset_get_shape (data), ns_dataset_get_rank (data),
                                 ns_dataset_get_kept_axes (data),
                                 ns_dataset_get_n_kept_axes (data));
}

void
ns_stats_set_labels_of (NsStats *stats, const NsDataset *data)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint c = 0; c < ns_dataset_get_n_columns (data); c++)
    if (ns_dataset_column_is_label (data, c))
      g_ptr_array_add (names, (gpointer) ns_dataset_get_column_name (data, c));
  g_ptr_array_add (names, NULL);
  ns_stats_set_label_names (stats, (const char *const *) names->pdata);
}

/* Columns are fitted by a few workers that take the next column in turn; with fewer columns
 * than threads, each column's moments are split over the spare threads instead. */
typedef struct {
  const NsDataset *data;
  const NsScalerOptions *options;
  GCancellable *cancellable;
  NsFeatureFit *fits;
  guint n_features;
  guint inner_threads;
  gint next;
} NsFitJob;

static void
ns_scaler_fit_worker (guint index, gpointer user_data)
{
  NsFitJob *job = user_data;

  for (;;)
    {
      guint f = (guint) g_atomic_int_add (&job->next, 1);

      if (f >= job->n_features || g_cancellable_is_cancelled (job->cancellable))
        return;
      ns_scaler_fit_feature (job->data, ns_dataset_get_feature_column (job->data, f), job->options,
                             job->inner_threads, &job->fits[f]);
    }
}

static void
ns_scaler_fit_features (NsFitJob *job, guint n_threads)
{
  guint outer = MAX (1, MIN (n_threads, job->n_features));

  job->inner_threads = MAX (1, n_threads / outer);
  ns_threads_run (outer, ns_scaler_fit_worker, job);
}

/* The sample-weight column becomes a label of the stats, so a transform copies it. */
static void
ns_scaler_add_label (NsStats *stats, const char *name)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) names = NULL;

  g_strv_builder_addv (builder, (const char **) ns_stats_get_label_names (stats));
  g_strv_builder_add (builder, name);
  names = g_strv_builder_end (builder);
  ns_stats_set_label_names (stats, (const char *const *) names);
}

/* The stats of options from features fitted once (moments, and the quantiles at the robust
 * options' range when one asked for them). */
static NsStats *
ns_scaler_stats_from_fits (const NsDataset *data, const NsScalerOptions *options,
                           const NsFeatureFit *fits, GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);
  g_autoptr (NsStats) stats = ns_stats_new (ns_method_to_string (options->method), n_features);
  guint n_quantiles =
    ns_quantile_fitted_count (options->n_quantiles,
                              ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data));

  for (guint f = 0; f < n_features; f++)
    {
      gboolean power =
        options->method == NS_METHOD_YEO_JOHNSON || options->method == NS_METHOD_BOX_COX;
      NsFeatureInput in = {
        ns_data_name (data),
        ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
        &fits[f].moments,
        fits[f].median,
        fits[f].quantiles[0],
        fits[f].quantiles[1],
        power && fits[f].error == NULL ? &fits[f].power : NULL,
        fits[f].quantile_grid,
        n_quantiles,
      };

      if (!ns_scaler_check_moments (&in, options, error))
        return NULL;
      if (fits[f].error != NULL)
        {
          g_propagate_error (error, g_error_copy (fits[f].error));
          return NULL;
        }
      if (!ns_scaler_store_moments (stats, f, options, &in, error))
        return NULL;
    }
  if (options->method == NS_METHOD_QUANTILE)
    {
      g_autofree double *references = g_new (double, n_quantiles);

      ns_quantile_references (n_quantiles, references);
      ns_stats_set_references (stats, references, n_quantiles);
    }
  ns_scaler_set_params (stats, data, options);
  ns_stats_set_labels_of (stats, data);
  if (options->sample_weight != NULL)
    ns_scaler_add_label (stats, options->sample_weight);
  ns_stats_set_source (stats, ns_dataset_get_source_path (data), ns_dataset_get_n_samples (data),
                       ns_dataset_get_source_sha256 (data));
  return g_steal_pointer (&stats);
}

/* QuantileTransformer draws each column's subsample from one continuing RandomState stream, so
 * the columns are fitted in order. */
static void
ns_scaler_fit_quantiles (const NsDataset *data, const NsScalerOptions *options, NsFeatureFit *fits)
{
  gsize n_samples = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  guint n_quantiles = ns_quantile_fitted_count (options->n_quantiles, n_samples);
  g_autofree double *references = g_new (double, n_quantiles);
  g_autoptr (NsLegacyRandom) rng = ns_legacy_random_new (options->random_state);

  ns_quantile_references (n_quantiles, references);
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    {
      const double *values = ns_dataset_get_values (data, ns_dataset_get_feature_column (data, f));

      fits[f].quantile_grid = g_new (double, n_quantiles);
      ns_quantile_fit_column (values, n_samples, options->subsample, rng, references, n_quantiles,
                              fits[f].quantile_grid);
    }
}

/* A tensor's features pool its other axes: the power and quantile fits see every pooled value as a
 * row, as scikit-learn would on np.moveaxis(x, axis, -1).reshape(-1, C). The per-row normalizer
 * has no such reading. */
static gboolean
ns_scaler_check_layout (const NsDataset *data, const NsScalerOptions *options, GError **error)
{
  if (options->method != NS_METHOD_NORMALIZER || ns_dataset_get_spatial_size (data) == 1)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: method normalizer divides each row of a table by its norm, but this tensor "
               "pools %" G_GSIZE_FORMAT " values per sample into each feature: keep every "
               "non-sample axis (--axis) or reshape it to (rows, features)",
               ns_data_name (data), ns_dataset_get_spatial_size (data));
  return FALSE;
}

gboolean
ns_scaler_check_weight_column (const char *source, const char *column, gboolean tensor, int index,
                               gboolean is_label, GError **error)
{
  if (!tensor && index >= 0 && !is_label)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               tensor
                 ? "%s: --sample-weight names a column of a table; a tensor's features are its axes"
               : index < 0 ? "%s: no column named '%s' for the sample weights"
                           : "%s: column '%s' holds labels, not sample weights",
               source, column);
  return FALSE;
}

gboolean
ns_scaler_take_sample_weights (NsDataset *data, const char *column, double **weights,
                               GError **error)
{
  int index = ns_dataset_find_column (data, column);
  gsize n = ns_dataset_get_n_samples (data);
  g_autoptr (GPtrArray) keep = g_ptr_array_new ();
  const double *values;
  char text[NS_DOUBLE_BUF_SIZE];

  if (!ns_scaler_check_weight_column (ns_data_name (data), column,
                                      ns_dataset_get_kind (data) == NS_DATASET_TENSOR, index,
                                      index >= 0 &&
                                        ns_dataset_column_is_label (data, (guint) index),
                                      error))
    return FALSE;
  values = ns_dataset_get_values (data, (guint) index);
  for (gsize r = 0; r < n; r++)
    if (!ns_moments_weight_is_valid (values[r]))
      {
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     "%s: column '%s', row %" G_GSIZE_FORMAT ": sample weight %s; expected a "
                     "finite number >= 0",
                     ns_data_name (data), column, r + 1, ns_format_double (text, values[r]));
        return FALSE;
      }
  *weights = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    if (ns_dataset_get_feature_column (data, f) != (guint) index)
      g_ptr_array_add (keep,
                       (gpointer) ns_dataset_get_column_name (data,
                                                              ns_dataset_get_feature_column (data,
                                                                                             f)));
  g_ptr_array_add (keep, NULL);
  if (!ns_dataset_select_columns (data, (const char *const *) keep->pdata, error))
    {
      g_clear_pointer (weights, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Every feature's moments (and quantiles, for robust options) on the options' threads; NULL and
 * error for bad options, no feature, or a cancel. */
static NsFeatureFit *
ns_scaler_fit_all_features (const NsDataset *data, const NsScalerOptions *options,
                            GCancellable *cancellable, GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);
  NsFeatureFit *fits;
  NsFitJob job = { data, options, cancellable, NULL, n_features, 1, 0 };

  if (!ns_scaler_check_options (options, error) || !ns_scaler_check_layout (data, options, error))
    return NULL;
  if (n_features == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column to fit",
                   ns_data_name (data));
      return NULL;
    }
  job.fits = fits = g_new0 (NsFeatureFit, n_features);
  ns_scaler_fit_features (&job, ns_threads_resolve (options->n_threads));
  if (!g_cancellable_is_cancelled (cancellable) && options->method == NS_METHOD_QUANTILE)
    ns_scaler_fit_quantiles (data, options, fits);
  if (g_cancellable_is_cancelled (cancellable))
    {
      ns_feature_fits_free (fits, n_features);
      g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "the fit was cancelled");
      return NULL;
    }
  return fits;
}

NsStats *
ns_scaler_fit (const NsDataset *data, const NsScalerOptions *options, GCancellable *cancellable,
               GError **error)
{
  NsFeatureFit *fits = ns_scaler_fit_all_features (data, options, cancellable, error);
  NsStats *stats;

  if (fits == NULL)
    return NULL;
  stats = ns_scaler_stats_from_fits (data, options, fits, error);
  ns_feature_fits_free (fits, ns_dataset_get_n_features (data));
  return stats;
}

/* Robust options whose quantiles the shared fits hold: the first robust entry's range. */
static const NsScalerOptions *
ns_scaler_first_robust (const NsScalerOptions *options, guint n)
{
  for (guint i = 0; i < n; i++)
    if (options[i].method == NS_METHOD_ROBUST)
      return &options[i];
  return NULL;
}

gboolean
ns_scaler_fit_each (const NsDataset *data, const NsScalerOptions *options, guint n,
                    GCancellable *cancellable, NsStats **stats, GError **errors)
{
  const NsScalerOptions *robust = ns_scaler_first_robust (options, n);
  NsScalerOptions moments_only;
  NsFeatureFit *fits = NULL;
  GError *error = NULL;

  g_return_val_if_fail (n > 0, FALSE);
  ns_scaler_options_init (&moments_only, NS_METHOD_STANDARD);
  moments_only.n_threads = options[0].n_threads;
  fits =
    ns_scaler_fit_all_features (data, robust != NULL ? robust : &moments_only, cancellable, &error);
  if (g_error_matches (error, NS_ERROR, NS_ERROR_CANCELLED))
    {
      g_error_free (error);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      /* Moments (and the robust quantiles) serve every affine method; the others fit on their own.
       */
      gboolean shared = ns_method_is_affine (options[i].method) &&
                        (robust == NULL || options[i].method != NS_METHOD_ROBUST ||
                         memcmp (options[i].quantile_range, robust->quantile_range,
                                 sizeof robust->quantile_range) == 0);

      errors[i] = NULL;
      stats[i] = NULL;
      if (fits == NULL)
        errors[i] = g_error_copy (error);
      else if (ns_scaler_check_options (&options[i], &errors[i]))
        stats[i] = shared ? ns_scaler_stats_from_fits (data, &options[i], fits, &errors[i])
                          : ns_scaler_fit (data, &options[i], cancellable, &errors[i]);
    }
  ns_feature_fits_free (fits, ns_dataset_get_n_features (data));
  g_clear_error (&error);
  return !g_cancellable_is_cancelled (cancellable);
}
