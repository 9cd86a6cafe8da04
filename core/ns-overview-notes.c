/* ns-overview-notes.c: feature shapes and the notes of what each strategy does to them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-overview-notes.h"

#include <math.h>
#include "ns-format-double.h"
#include "ns-threads.h"

/* Beyond this |g1| a feature is called skewed (Bulmer's "highly skewed"). */
#define NS_OVERVIEW_SKEWED 1.0

/* The shape of one column of n values (NaN skipped) from its summary's quartiles and skewness. */
static void
ns_feature_shape_compute (const NsColumnSummary *summary, const double *values, gsize n,
                          NsFeatureShape *shape)
{
  double iqr = summary->q3 - summary->q1;

  *shape = (NsFeatureShape) {
    .skewness = summary->skewness,
    .lower_fence = summary->q1 - 1.5 * iqr,
    .upper_fence = summary->q3 + 1.5 * iqr,
    .inlier_min = INFINITY,
    .inlier_max = -INFINITY,
    .min = INFINITY,
    .max = -INFINITY,
  };
  for (gsize i = 0; i < n; i++)
    {
      double x = values[i];

      if (isnan (x))
        {
          shape->n_missing++;
          continue;
        }
      shape->count++;
      shape->min = MIN (shape->min, x);
      shape->max = MAX (shape->max, x);
      if (x < shape->lower_fence || x > shape->upper_fence)
        shape->n_outliers++;
      else
        {
          shape->inlier_min = MIN (shape->inlier_min, x);
          shape->inlier_max = MAX (shape->inlier_max, x);
        }
    }
}

typedef struct {
  const NsDataset *data;
  GArray *summaries;
  NsFeatureShape *shapes;
  guint n_threads;
  GCancellable *cancellable;
} NsShapeJob;

static void
ns_feature_shapes_worker (guint index, gpointer data)
{
  NsShapeJob *job = data;
  gsize n = ns_dataset_get_n_samples (job->data) * ns_dataset_get_spatial_size (job->data);

  for (guint f = index; f < ns_dataset_get_n_features (job->data); f += job->n_threads)
    {
      guint column = ns_dataset_get_feature_column (job->data, f);

      if (g_cancellable_is_cancelled (job->cancellable))
        return;
      ns_feature_shape_compute (&g_array_index (job->summaries, NsColumnSummary, column),
                                ns_dataset_get_values (job->data, column), n, &job->shapes[f]);
    }
}

GArray *
ns_feature_shapes_compute (const NsDataset *data, GArray *summaries, guint n_threads,
                           GCancellable *cancellable, GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);
  g_autoptr (GArray) shapes = g_array_sized_new (FALSE, TRUE, sizeof (NsFeatureShape), n_features);
  NsShapeJob job = { data, summaries, NULL, 0, cancellable };

  g_return_val_if_fail (summaries->len == ns_dataset_get_n_columns (data), NULL);
  g_array_set_size (shapes, n_features);
  job.shapes = (NsFeatureShape *) (void *) shapes->data;
  job.n_threads = MAX (1, MIN (ns_threads_resolve (n_threads), n_features));
  ns_threads_run (job.n_threads, ns_feature_shapes_worker, &job);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&shapes);
}

double
ns_feature_shape_outlier_share (const NsFeatureShape *shape)
{
  return shape->count > 0 ? (double) shape->n_outliers / shape->count : 0;
}

/* " · 20 missing (4.5 %)", or "" when nothing is missing. */
static char *
ns_feature_shape_missing_note (const NsFeatureShape *shape)
{
  char share[NS_FORMAT_READABLE_SIZE];

  if (shape->n_missing == 0)
    return g_strdup ("");
  ns_format_readable (share, 100.0 * shape->n_missing / (shape->count + shape->n_missing), 2);
  return g_strdup_printf (" · %" G_GUINT64_FORMAT " missing (%s %%)", shape->n_missing, share);
}

char *
ns_feature_shape_describe (const NsFeatureShape *shape)
{
  char skew[NS_FORMAT_READABLE_SIZE], share[NS_FORMAT_READABLE_SIZE];
  g_autofree char *missing = ns_feature_shape_missing_note (shape);

  if (shape->count > 0 && shape->min == shape->max)
    return g_strdup_printf ("constant: every value is %s%s",
                            ns_format_readable (share, shape->min, 2), missing);

  ns_format_readable (skew, shape->skewness, 3);
  ns_format_readable (share, 100 * ns_feature_shape_outlier_share (shape), 2);
  return g_strdup_printf ("skewness %s · %s %% beyond 1.5 IQR%s", skew, share, missing);
}

/* "[a, b]": the values from lo to hi after y = (x − offset) / scale. */
static char *
ns_overview_span (double lo, double hi, double offset, double scale)
{
  char a[NS_FORMAT_READABLE_SIZE], b[NS_FORMAT_READABLE_SIZE];

  return g_strdup_printf ("[%s, %s]", ns_format_readable (a, (lo - offset) / scale, 2),
                          ns_format_readable (b, (hi - offset) / scale, 2));
}

/* The outlier farthest from zero after the map, as text. */
static char *
ns_overview_reach (const NsFeatureShape *shape, double offset, double scale)
{
  char buf[NS_FORMAT_READABLE_SIZE];
  double low = (shape->min - offset) / scale, high = (shape->max - offset) / scale;

  return g_strdup (ns_format_readable (buf, fabs (low) > fabs (high) ? low : high, 2));
}

static char *
ns_overview_outlier_note (const NsFeatureShape *shape, NsStrategy strategy, double offset,
                          double scale)
{
  char share[NS_FORMAT_READABLE_SIZE];
  g_autofree char *rest = ns_overview_span (shape->inlier_min, shape->inlier_max, offset, scale);
  g_autofree char *reach = ns_overview_reach (shape, offset, scale);

  ns_format_readable (share, 100 * ns_feature_shape_outlier_share (shape), 2);
  switch (strategy)
    {
    case NS_STRATEGY_MINMAX:
    case NS_STRATEGY_MAXABS:
      return g_strdup_printf ("%s %% of values beyond 1.5 IQR: %s squeezes the rest into %s", share,
                              ns_strategy_get_label (strategy), rest);
    case NS_STRATEGY_ROBUST:
      return g_strdup_printf (
        "%s %% of values beyond 1.5 IQR: median and IQR ignore them; the rest "
        "spans %s, they reach %s",
        share, rest, reach);
    default:
      return g_strdup_printf ("%s %% of values beyond 1.5 IQR widen the scale: the rest spans %s, "
                              "they reach %s",
                              share, rest, reach);
    }
}

static char *
ns_overview_constant_note (const NsFeatureShape *shape, NsStrategy strategy, double offset,
                           double scale)
{
  char value[NS_FORMAT_READABLE_SIZE];

  return g_strdup_printf ("constant: %s maps every value to %s", ns_strategy_get_label (strategy),
                          ns_format_readable (value, (shape->min - offset) / scale, 2));
}

/* The quartiles coincide (a column mostly of one value): every other value lies beyond the fences.
 */
static char *
ns_overview_tied_note (const NsFeatureShape *shape, NsStrategy strategy, double offset,
                       double scale)
{
  char share[NS_FORMAT_READABLE_SIZE], value[NS_FORMAT_READABLE_SIZE];
  char mapped[NS_FORMAT_READABLE_SIZE];
  g_autofree char *reach = ns_overview_reach (shape, offset, scale);

  ns_format_readable (share, 100 * (1 - ns_feature_shape_outlier_share (shape)), 2);
  ns_format_readable (value, shape->inlier_min, 2);
  ns_format_readable (mapped, (shape->inlier_min - offset) / scale, 2);
  return g_strdup_printf (
    "%s %% of values equal %s (IQR 0): %s puts them at %s, the others reach %s", share, value,
    ns_strategy_get_label (strategy), mapped, reach);
}

char *
ns_overview_note (const NsFeatureShape *shape, NsStrategy strategy, double offset, double scale)
{
  g_autofree char *all = NULL;
  char skew[NS_FORMAT_READABLE_SIZE];

  g_return_val_if_fail (scale > 0, NULL);
  if (shape->count == 0)
    return g_strdup ("no values");
  if (shape->min == shape->max)
    return ns_overview_constant_note (shape, strategy, offset, scale);
  if (shape->n_outliers > 0 && shape->inlier_min == shape->inlier_max)
    return ns_overview_tied_note (shape, strategy, offset, scale);
  if (shape->n_outliers > 0)
    return ns_overview_outlier_note (shape, strategy, offset, scale);
  all = ns_overview_span (shape->min, shape->max, offset, scale);
  if (fabs (shape->skewness) < NS_OVERVIEW_SKEWED)
    return g_strdup_printf ("no values beyond 1.5 IQR: %s maps them into %s",
                            ns_strategy_get_label (strategy), all);
  ns_format_readable (skew, shape->skewness, 2);
  return g_strdup_printf ("skewed (g1 %s), no values beyond 1.5 IQR: the shape stays, %s spans %s",
                          skew, ns_strategy_get_label (strategy), all);
}

/* The range of the outputs, NaN skipped; FALSE when there is none. */
static gboolean
ns_overview_output_range (const double *outputs, gsize n, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (!isnan (outputs[i]))
      {
        *lo = MIN (*lo, outputs[i]);
        *hi = MAX (*hi, outputs[i]);
      }
  return *lo <= *hi;
}

char *
ns_overview_batch_note (const NsFeatureShape *shape, gsize batch_size, const double *outputs,
                        gsize n)
{
  char share[NS_FORMAT_READABLE_SIZE], value[NS_FORMAT_READABLE_SIZE];
  g_autofree char *span = NULL;
  double lo, hi;

  if (shape->count == 0 || !ns_overview_output_range (outputs, n, &lo, &hi))
    return g_strdup ("no values");
  if (shape->min == shape->max)
    return g_strdup_printf ("constant: every batch maps it to %s",
                            ns_format_readable (value, lo, 2));
  span = ns_overview_span (lo, hi, 0, 1);
  if (shape->n_outliers == 0)
    return g_strdup_printf ("each batch of %" G_GSIZE_FORMAT " centred and scaled on its own: the "
                            "outputs span %s",
                            batch_size, span);
  ns_format_readable (share, 100 * ns_feature_shape_outlier_share (shape), 2);
  return g_strdup_printf ("%s %% of values beyond 1.5 IQR: each batch of %" G_GSIZE_FORMAT
                          " divides by its own std; the outputs span %s",
                          share, batch_size, span);
}
