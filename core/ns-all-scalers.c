/* ns-all-scalers.c: the all-scalers comparison's table of transformations, fitted on two features.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-all-scalers.h"

#include <math.h>
#include "ns-scaler.h"
#include "ns-stats.h"

typedef struct {
  const char *title;
  gboolean unscaled; /* the data as given: nothing fitted */
  NsMethod method;
  void (*tune) (NsScalerOptions *options); /* NULL: the method's defaults */
} NsAllScalersEntry;

/* The example's QuantileTransformer(output_distribution=..., random_state=42). */
static void
ns_all_scalers_quantile_uniform (NsScalerOptions *options)
{
  options->output_distribution = NS_QUANTILE_UNIFORM;
  options->random_state = 42;
}

static void
ns_all_scalers_quantile_normal (NsScalerOptions *options)
{
  options->output_distribution = NS_QUANTILE_NORMAL;
  options->random_state = 42;
}

/* plot_all_scaling.py's distributions, titles as the example prints them. */
static const NsAllScalersEntry ns_all_scalers_table[] = {
  { "Unscaled data", TRUE, 0, NULL },
  { "Data after standard scaling", FALSE, NS_METHOD_STANDARD, NULL },
  { "Data after min-max scaling", FALSE, NS_METHOD_MINMAX, NULL },
  { "Data after max-abs scaling", FALSE, NS_METHOD_MAXABS, NULL },
  { "Data after robust scaling", FALSE, NS_METHOD_ROBUST, NULL }, /* quantile_range (25, 75) */
  { "Data after power transformation (Yeo-Johnson)", FALSE, NS_METHOD_YEO_JOHNSON, NULL },
  { "Data after power transformation (Box-Cox)", FALSE, NS_METHOD_BOX_COX, NULL },
  { "Data after quantile transformation (uniform pdf)", FALSE, NS_METHOD_QUANTILE,
    ns_all_scalers_quantile_uniform },
  { "Data after quantile transformation (gaussian pdf)", FALSE, NS_METHOD_QUANTILE,
    ns_all_scalers_quantile_normal },
  { "Data after sample-wise L2 normalizing", FALSE, NS_METHOD_NORMALIZER, NULL },
};
#define NS_ALL_SCALERS_N_ROWS G_N_ELEMENTS (ns_all_scalers_table)

guint
ns_all_scalers_get_n_rows (void)
{
  return NS_ALL_SCALERS_N_ROWS;
}

static const char *
ns_all_scalers_source (const NsDataset *data)
{
  const char *path = ns_dataset_get_source_path (data);

  return path != NULL ? path : "data";
}

/* The column named name, numeric unless labels are allowed; -1 and an error otherwise. */
static int
ns_all_scalers_find (const NsDataset *data, const char *name, gboolean labels_allowed,
                     GError **error)
{
  int column = ns_dataset_find_column (data, name);

  if (column < 0 || (!labels_allowed && ns_dataset_column_is_label (data, column)))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   column < 0 ? "%s: " NS_COLUMN_UNKNOWN : "%s: " NS_COLUMN_IS_LABEL,
                   ns_all_scalers_source (data), name);
      return -1;
    }
  return column;
}

/* The two features as a dataset of their own, x first. */
static NsDataset *
ns_all_scalers_pair (const NsDataset *data, int x, int y)
{
  gsize n = ns_dataset_get_n_samples (data);
  NsDataset *pair = ns_dataset_new_table (n);
  int columns[2] = { x, y };

  for (guint i = 0; i < 2; i++)
    ns_dataset_add_numeric_column (pair, ns_dataset_get_column_name (data, columns[i]),
                                   g_memdup2 (ns_dataset_get_values (data, columns[i]),
                                              n * sizeof (double)));
  ns_dataset_set_source (pair, ns_dataset_get_source_path (data), NULL);
  ns_dataset_count_missing (pair);
  return pair;
}

/* A label column's categories as indices in order of appearance, and their names. */
static double *
ns_all_scalers_categories (const NsDataset *data, int column, GPtrArray *names)
{
  gsize n = ns_dataset_get_n_samples (data);
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  double *codes = g_new (double, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      const char *label = ns_dataset_get_label (data, column, i);
      gpointer code;

      if (label == NULL || label[0] == '\0')
        {
          codes[i] = NAN;
          continue;
        }
      if (!g_hash_table_lookup_extended (index, label, NULL, &code))
        {
          code = GUINT_TO_POINTER (names->len);
          g_hash_table_insert (index, (gpointer) label, code);
          g_ptr_array_add (names, (gpointer) label);
        }
      codes[i] = GPOINTER_TO_UINT (code);
    }
  g_ptr_array_add (names, NULL);
  return codes;
}

static void
ns_all_scalers_set_color (NsAllScalersPlot *plot, const NsDataset *data, int column)
{
  const char *name = ns_dataset_get_column_name (data, column);
  gsize n = ns_dataset_get_n_samples (data);

  if (ns_dataset_column_is_label (data, column))
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      g_autofree double *codes = ns_all_scalers_categories (data, column, names);

      ns_all_scalers_plot_set_color (plot, name, codes, n, (const char *const *) names->pdata);
    }
  else
    ns_all_scalers_plot_set_color (plot, name, ns_dataset_get_values (data, column), n, NULL);
}

/* Every fitted row's stats from one ns_scaler_fit_each (each feature's moments read once for all
 * the affine methods): stats[i] or errors[i] for row i, both NULL for the unscaled row. FALSE with
 * error set when cancelled; the caller frees what is set either way. */
static gboolean
ns_all_scalers_fit (const NsDataset *pair, guint n_threads, GCancellable *cancellable,
                    NsStats **stats, GError **errors, GError **error)
{
  NsScalerOptions options[NS_ALL_SCALERS_N_ROWS];
  NsStats *fitted[NS_ALL_SCALERS_N_ROWS] = { NULL };
  GError *failed[NS_ALL_SCALERS_N_ROWS] = { NULL };
  guint row_of[NS_ALL_SCALERS_N_ROWS];
  guint n = 0;
  gboolean done;

  for (guint row = 0; row < NS_ALL_SCALERS_N_ROWS; row++)
    {
      const NsAllScalersEntry *entry = &ns_all_scalers_table[row];

      if (entry->unscaled)
        continue;
      ns_scaler_options_init (&options[n], entry->method);
      options[n].n_threads = n_threads;
      if (entry->tune != NULL)
        entry->tune (&options[n]);
      row_of[n++] = row;
    }
  done = ns_scaler_fit_each (pair, options, n, cancellable, fitted, failed);
  for (guint i = 0; i < n; i++)
    {
      stats[row_of[i]] = fitted[i];
      errors[row_of[i]] = failed[i];
    }
  if (!done)
    g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "the fit was cancelled");
  return done;
}

/* One row: its stats applied to pair, or the reason it has none. */
static void
ns_all_scalers_add_entry (NsAllScalersPlot *plot, const NsDataset *pair,
                          const NsAllScalersEntry *entry, const NsStats *stats,
                          const GError *fit_error)
{
  gsize n = ns_dataset_get_n_samples (pair);
  g_autoptr (NsDataset) transformed = NULL;
  g_autoptr (GError) failure = NULL;

  if (entry->unscaled)
    {
      ns_all_scalers_plot_add_row (plot, entry->title, ns_dataset_get_values (pair, 0),
                                   ns_dataset_get_values (pair, 1), n);
      return;
    }
  if (stats != NULL)
    transformed = ns_stats_transform (stats, pair, 0, &failure);
  if (transformed == NULL)
    ns_all_scalers_plot_add_failed_row (plot, entry->title,
                                        stats != NULL ? failure->message : fit_error->message);
  else
    ns_all_scalers_plot_add_row (plot, entry->title, ns_dataset_get_values (transformed, 0),
                                 ns_dataset_get_values (transformed, 1), n);
}

static void
ns_all_scalers_free_fits (NsStats **stats, GError **errors)
{
  for (guint row = 0; row < NS_ALL_SCALERS_N_ROWS; row++)
    {
      g_clear_pointer (&stats[row], ns_stats_free);
      g_clear_error (&errors[row]);
    }
}

static gboolean
ns_all_scalers_check_table (const NsDataset *data, GError **error)
{
  if (ns_dataset_get_kind (data) == NS_DATASET_TABLE)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: " NS_TENSOR_COLUMNS_REFUSED,
               ns_all_scalers_source (data));
  return FALSE;
}

NsAllScalersPlot *
ns_all_scalers_compute (const NsDataset *data, const char *x_column, const char *y_column,
                        const char *color_column, guint n_threads, GCancellable *cancellable,
                        GError **error)
{
  int x, y, color = -1;
  g_autoptr (NsDataset) pair = NULL;
  g_autoptr (NsAllScalersPlot) plot = NULL;
  NsStats *stats[NS_ALL_SCALERS_N_ROWS] = { NULL };
  GError *errors[NS_ALL_SCALERS_N_ROWS] = { NULL };

  if (!ns_all_scalers_check_table (data, error) ||
      (x = ns_all_scalers_find (data, x_column, FALSE, error)) < 0 ||
      (y = ns_all_scalers_find (data, y_column, FALSE, error)) < 0 ||
      (color_column != NULL && (color = ns_all_scalers_find (data, color_column, TRUE, error)) < 0))
    return NULL;
  pair = ns_all_scalers_pair (data, x, y);
  plot = ns_all_scalers_plot_new (x_column, y_column);
  if (color >= 0)
    ns_all_scalers_set_color (plot, data, color);
  if (!ns_all_scalers_fit (pair, n_threads, cancellable, stats, errors, error))
    {
      ns_all_scalers_free_fits (stats, errors);
      return NULL;
    }
  for (guint row = 0; row < NS_ALL_SCALERS_N_ROWS; row++)
    ns_all_scalers_add_entry (plot, pair, &ns_all_scalers_table[row], stats[row], errors[row]);
  ns_all_scalers_free_fits (stats, errors);
  return g_steal_pointer (&plot);
}
