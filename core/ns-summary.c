/* ns-summary.c: per-column descriptive statistics (numpy / scipy definitions).
 *
 * std is the population standard deviation, sqrt(variance_population), as numpy.std's default
 * ddof=0 (pandas' describe() would use ddof=1; variance_sample is there for that).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-summary.h"
#include "ns-class-column.h"
#include "ns-moments.h"
#include "ns-quantile.h"

#include <float.h>
#include <math.h>
#include "ns-threads.h"

/* scipy.stats.skew/kurtosis return NaN when m2 <= (resolution * mean)^2, resolution = 1e-15 for
 * float64: the data are constant up to rounding. */
static gboolean
ns_summary_is_flat (const NsMoments *moments)
{
  double m2 = moments->m2 / moments->count, bound = 1e-15 * moments->mean;

  return moments->count == 0 || !(m2 > bound * bound);
}

/* With infinite values the moments are NaN; numpy's mean is still +-inf when all have one sign. */
static void
ns_summary_infinite (const NsMoments *m, NsColumnSummary *s)
{
  if (m->min == -INFINITY && m->max == INFINITY)
    s->mean = NAN;
  else
    s->mean = m->max == INFINITY ? INFINITY : -INFINITY;
  s->variance_population = s->variance_sample = s->std = NAN;
  s->skewness = s->kurtosis = NAN;
}

/* Everything but the quantiles, from the moments: shared by the in-memory and streamed paths so
 * both apply the same formulas. */
static void
ns_summary_from_moments (const NsMoments *m, NsColumnSummary *s)
{
  s->count = m->count;
  s->missing = m->missing;
  s->infinite = m->infinite;
  s->mean = m->count > 0 ? m->mean : NAN;
  s->variance_population = ns_moments_variance (m, 0);
  s->variance_sample = ns_moments_variance (m, 1);
  s->std = sqrt (s->variance_population);
  s->min = m->count > 0 ? m->min : NAN;
  s->max = m->count > 0 ? m->max : NAN;
  s->skewness = ns_summary_is_flat (m) ? NAN : ns_moments_skewness (m);
  s->kurtosis = ns_summary_is_flat (m) ? NAN : ns_moments_kurtosis (m);
  if (m->infinite > 0)
    ns_summary_infinite (m, s);
}

static void
ns_summary_numeric (const NsDataset *data, guint column, guint n_threads, NsColumnSummary *s)
{
  static const double probabilities[2] = { 0.25, 0.75 };
  const double *values = ns_dataset_get_values (data, column);
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  double quartiles[2];
  NsMoments m;

  ns_moments_init (&m);
  ns_moments_add_parallel (&m, values, n, n_threads);
  ns_quantiles_and_median (values, n, 1, probabilities, 2, quartiles, &s->median);
  ns_summary_from_moments (&m, s);
  s->q1 = quartiles[0];
  s->q3 = quartiles[1];
  s->looks_like_class = ns_column_looks_like_class (values, n, &s->n_distinct);
}

static void
ns_summary_label (const NsDataset *data, guint column, NsColumnSummary *s)
{
  g_autoptr (GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  gsize n = ns_dataset_get_n_samples (data);

  for (gsize i = 0; i < n; i++)
    g_hash_table_add (distinct, (gpointer) ns_dataset_get_label (data, column, i));
  s->n_distinct = g_hash_table_size (distinct);
  s->count = (double) n;
  s->mean = s->variance_population = s->variance_sample = s->std = NAN;
  s->min = s->max = s->median = s->q1 = s->q3 = s->skewness = s->kurtosis = NAN;
}

/* Workers take the next column in turn; with fewer columns than threads, each column's moments
 * are split over the spare threads instead. */
typedef struct {
  const NsDataset *data;
  GCancellable *cancellable;
  NsColumnSummary *summaries;
  guint n_columns;
  guint inner_threads;
  gint next;
} NsSummaryJob;

static void
ns_summary_worker (guint index, gpointer user_data)
{
  NsSummaryJob *job = user_data;

  for (;;)
    {
      guint c = (guint) g_atomic_int_add (&job->next, 1);
      NsColumnSummary *s;

      if (c >= job->n_columns || g_cancellable_is_cancelled (job->cancellable))
        return;
      s = &job->summaries[c];
      s->name = ns_dataset_get_column_name (job->data, c);
      s->is_label = ns_dataset_column_is_label (job->data, c);
      if (s->is_label)
        ns_summary_label (job->data, c, s);
      else
        ns_summary_numeric (job->data, c, job->inner_threads, s);
    }
}

GArray *
ns_summary_compute (const NsDataset *data, GCancellable *cancellable, GError **error)
{
  return ns_summary_compute_threads (data, 0, cancellable, error);
}

GArray *
ns_summary_compute_threads (const NsDataset *data, guint n_threads, GCancellable *cancellable,
                            GError **error)
{
  guint n_columns = ns_dataset_get_n_columns (data);
  guint cores = ns_threads_resolve (n_threads);
  guint outer = MAX (1, MIN (cores, n_columns));
  g_autoptr (GArray) result = g_array_sized_new (FALSE, TRUE, sizeof (NsColumnSummary), n_columns);
  NsSummaryJob job = { data, cancellable, NULL, n_columns, MAX (1, cores / outer), 0 };

  g_array_set_size (result, n_columns);
  job.summaries = (NsColumnSummary *) (void *) result->data;
  ns_threads_run (outer, ns_summary_worker, &job);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "the summary was cancelled");
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* Numeric columns first (the partial keeps features and labels apart), then the labels. */
GArray *
ns_summary_from_partial (const NsPartial *partial)
{
  guint n_features = ns_partial_get_n_columns (partial);
  const char *const *labels = ns_partial_get_labels (partial);
  GArray *result = g_array_new (FALSE, TRUE, sizeof (NsColumnSummary));

  for (guint c = 0; c < n_features; c++)
    {
      /* The getter is not const only because callers fill the sketch; reading it is safe. */
      const NsSketch *sketch = ns_partial_get_sketch ((NsPartial *) partial, c);
      NsColumnSummary s = { ns_partial_get_name (partial, c), FALSE, 0 };

      ns_summary_from_moments (ns_partial_peek_moments (partial, c), &s);
      s.q1 = sketch != NULL ? ns_sketch_quantile (sketch, 0.25) : NAN;
      s.median = sketch != NULL ? ns_sketch_quantile (sketch, 0.5) : NAN;
      s.q3 = sketch != NULL ? ns_sketch_quantile (sketch, 0.75) : NAN;
      g_array_append_val (result, s);
    }
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      NsColumnSummary s = { labels[i], TRUE, NS_SUMMARY_DISTINCT_UNKNOWN };

      s.count = (double) ns_partial_get_rows (partial);
      s.mean = s.variance_population = s.variance_sample = s.std = NAN;
      s.min = s.max = s.median = s.q1 = s.q3 = s.skewness = s.kurtosis = NAN;
      g_array_append_val (result, s);
    }
  return result;
}
