/* test-summary.c: per-column summaries against numpy / scipy values from gen-conformance.py.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ns-summary.h"
#include "test-utils.h"

static const char *const fixture_names[] = { "golden9", "mixed", "nan", "near_constant",
                                             "sample301" };

static NsDataset *
fixture_dataset (JsonObject *fixture)
{
  JsonArray *columns = json_object_get_array_member (fixture, "columns");
  JsonArray *rows = json_object_get_array_member (fixture, "data");
  guint n_rows = json_array_get_length (rows);
  NsDataset *data = ns_dataset_new_table (n_rows);

  for (guint j = 0; j < json_array_get_length (columns); j++)
    {
      double *values = g_new (double, n_rows);

      for (guint i = 0; i < n_rows; i++)
        values[i] =
          ns_test_json_double (json_array_get_element (json_array_get_array_element (rows, i), j));
      ns_dataset_add_numeric_column (data, json_array_get_string_element (columns, j), values);
    }
  ns_dataset_count_missing (data);
  return data;
}

static void
check (double got, JsonObject *want_object, const char *key, double rel, double abs_tol,
       const char *where)
{
  double want = ns_test_json_double (json_object_get_member (want_object, key));

  if (isnan (want) && isnan (got))
    return;
  if (!(fabs (got - want) <= rel * fabs (want) + abs_tol))
    g_error ("%s %s: got %.17g, want %.17g", where, key, got, want);
}

static void
test_conformance (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixture_names); f++)
    {
      const char *dir = g_getenv ("NS_TEST_DATA");
      g_autofree char *file = g_strconcat (fixture_names[f], ".json", NULL);
      g_autofree char *path =
        g_build_filename (dir != NULL ? dir : "tests/data", "conformance", file, NULL);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = NULL;
      g_autoptr (GArray) summary = NULL;
      JsonObject *fixture;
      JsonArray *want;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      fixture = json_node_get_object (json_parser_get_root (parser));
      want = json_object_get_array_member (fixture, "summary");
      data = fixture_dataset (fixture);
      summary = ns_summary_compute (data, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (summary->len, ==, json_array_get_length (want));
      for (guint j = 0; j < summary->len; j++)
        {
          NsColumnSummary *s = &g_array_index (summary, NsColumnSummary, j);
          JsonObject *w = json_array_get_object_element (want, j);
          g_autofree char *where = g_strdup_printf ("%s column %u", fixture_names[f], j);
          /* Rounding of the data's magnitude bounds every implementation's variance and, through
           * the mean, the higher moments (scipy's two-pass included). */
          double var_tol = pow (16 * DBL_EPSILON * s->mean, 2);
          double moment_tol = s->std > 0 ? 64 * DBL_EPSILON * fabs (s->mean) / s->std : 0;

          g_assert_false (s->is_label);
          g_assert_cmpstr (s->name, ==, ns_dataset_get_column_name (data, j));
          check (s->count, w, "count", 0, 0, where);
          check (s->missing, w, "missing", 0, 0, where);
          g_assert_cmpfloat (s->infinite, ==, 0);
          check (s->mean, w, "mean", 1e-12, 0, where);
          check (s->variance_population, w, "variance_population", 1e-12, var_tol, where);
          check (s->variance_sample, w, "variance_sample", 1e-12, var_tol, where);
          check (s->std, w, "std", 1e-12, sqrt (var_tol), where);
          check (s->min, w, "min", 0, 0, where);
          check (s->max, w, "max", 0, 0, where);
          check (s->median, w, "median", 0, 0, where);
          check (s->q1, w, "q1", 0, 0, where);
          check (s->q3, w, "q3", 0, 0, where);
          check (s->skewness, w, "skewness", 1e-10, moment_tol, where);
          check (s->kurtosis, w, "kurtosis", 1e-10, moment_tol, where);
        }
    }
}

static void
test_labels_and_infinite (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (5);
  double *x = g_new (double, 5);
  char **kind = g_new0 (char *, 6);
  const char *labels[] = { "setosa", "virginica", "setosa", "", "versicolor" };
  g_autoptr (GArray) summary = NULL;
  g_autoptr (GError) error = NULL;
  NsColumnSummary *s;

  x[0] = 1;
  x[1] = INFINITY;
  x[2] = NAN;
  x[3] = -2;
  x[4] = 4;
  for (guint i = 0; i < 5; i++)
    kind[i] = g_strdup (labels[i]);
  ns_dataset_add_label_column (data, "species", kind);
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_count_missing (data);
  summary = ns_summary_compute (data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->len, ==, 2);

  s = &g_array_index (summary, NsColumnSummary, 0);
  g_assert_true (s->is_label);
  g_assert_cmpstr (s->name, ==, "species");
  g_assert_cmpuint (s->n_distinct, ==, 4);
  g_assert_cmpfloat (s->count, ==, 5);
  g_assert_true (isnan (s->mean) && isnan (s->median));

  s = &g_array_index (summary, NsColumnSummary, 1);
  g_assert_false (s->is_label);
  g_assert_cmpfloat (s->count, ==, 4);
  g_assert_cmpfloat (s->missing, ==, 1);
  g_assert_cmpfloat (s->infinite, ==, 1);
  g_assert_cmpfloat (s->min, ==, -2);
  g_assert_cmpfloat (s->max, ==, INFINITY);
  g_assert_cmpfloat (s->mean, ==, INFINITY);
  /* Sorted: -2, 1, 4, inf; the middle pair gives (1 + 4) / 2. */
  g_assert_cmpfloat (s->median, ==, 2.5);
}

static void
test_constant_and_empty (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (4);
  double *constant = g_new (double, 4), *empty = g_new (double, 4);
  g_autoptr (GArray) summary = NULL;
  g_autoptr (GError) error = NULL;
  NsColumnSummary *s;

  for (guint i = 0; i < 4; i++)
    {
      constant[i] = 7.25;
      empty[i] = NAN;
    }
  ns_dataset_add_numeric_column (data, "constant", constant);
  ns_dataset_add_numeric_column (data, "empty", empty);
  summary = ns_summary_compute (data, NULL, &error);
  g_assert_no_error (error);
  s = &g_array_index (summary, NsColumnSummary, 0);
  g_assert_cmpfloat (s->mean, ==, 7.25);
  g_assert_cmpfloat (s->variance_population, ==, 0);
  g_assert_cmpfloat (s->std, ==, 0);
  g_assert_cmpfloat (s->median, ==, 7.25);
  g_assert_true (isnan (s->skewness) && isnan (s->kurtosis));
  s = &g_array_index (summary, NsColumnSummary, 1);
  g_assert_cmpfloat (s->count, ==, 0);
  g_assert_cmpfloat (s->missing, ==, 4);
  g_assert_true (isnan (s->mean) && isnan (s->min) && isnan (s->median));
  g_assert_true (isnan (s->variance_sample));
}

static void
test_cancel (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (1);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  double *x = g_new0 (double, 1);

  ns_dataset_add_numeric_column (data, "x", x);
  g_cancellable_cancel (cancellable);
  g_assert_null (ns_summary_compute (data, cancellable, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
}

/* The fraction of sorted values below v and at or below v bracket q within the sketch's bound. */
static void
assert_rank_within (const double *sorted, gsize n, double v, double q)
{
  gsize below = 0, at_or_below = 0;

  while (below < n && sorted[below] < v)
    below++;
  at_or_below = below;
  while (at_or_below < n && sorted[at_or_below] <= v)
    at_or_below++;
  g_assert_cmpfloat ((double) below / n, <=, q + NS_SKETCH_RANK_ERROR);
  g_assert_cmpfloat ((double) at_or_below / n, >=, q - NS_SKETCH_RANK_ERROR);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Streamed summaries (moments and a sketch per feature) against the in-memory ones. */
static void
test_from_partial (void)
{
  enum { N = 5000 };
  const char *const names[] = { "x", NULL }, *const label_names[] = { "kind", NULL };
  g_autoptr (NsDataset) data = ns_dataset_new_table (N);
  double *x = g_new (double, N);
  char **kind = g_new0 (char *, N + 1);
  g_autofree double *sorted = g_new (double, N);
  g_autoptr (NsPartial) partial = NULL, plain = NULL;
  g_autoptr (GArray) want = NULL, got = NULL, no_quantiles = NULL;
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;
  const NsColumnSummary *w, *g;
  gsize n_sorted = 0;

  for (guint i = 0; i < N; i++)
    {
      x[i] = i % 97 == 0 ? NAN : sin (i * 0.37) * 40 + (i % 13) * 0.125 + 3;
      kind[i] = g_strdup (i % 3 == 0 ? "a" : "b");
      if (!isnan (x[i]))
        sorted[n_sorted++] = x[i];
    }
  qsort (sorted, n_sorted, sizeof (double), compare_doubles);
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_add_label_column (data, "kind", kind);
  ns_dataset_count_missing (data);
  want = ns_summary_compute (data, NULL, &error);
  g_assert_no_error (error);

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  partial = ns_partial_new (&options, TRUE, 1, names, label_names);
  plain = ns_partial_new (&options, FALSE, 1, names, NULL);
  ns_moments_add (ns_partial_get_moments (partial, 0), x, N, 1);
  ns_moments_add (ns_partial_get_moments (plain, 0), x, N, 1);
  ns_sketch_add (ns_partial_get_sketch (partial, 0), x, N);
  ns_partial_set_source (partial, "x.csv", -1, -1, -1, NULL, N);
  got = ns_summary_from_partial (partial);
  no_quantiles = ns_summary_from_partial (plain);

  g_assert_cmpuint (got->len, ==, 2);
  w = &g_array_index (want, NsColumnSummary, 0);
  g = &g_array_index (got, NsColumnSummary, 0);
  g_assert_cmpstr (g->name, ==, "x");
  g_assert_false (g->is_label);
  g_assert_cmpfloat (g->count, ==, w->count);
  g_assert_cmpfloat (g->missing, ==, w->missing);
  g_assert_cmpfloat (g->infinite, ==, w->infinite);
  g_assert_cmpfloat (g->mean, ==, w->mean);
  g_assert_cmpfloat (g->variance_population, ==, w->variance_population);
  g_assert_cmpfloat (g->variance_sample, ==, w->variance_sample);
  g_assert_cmpfloat (g->std, ==, w->std);
  g_assert_cmpfloat (g->min, ==, w->min);
  g_assert_cmpfloat (g->max, ==, w->max);
  g_assert_cmpfloat (g->skewness, ==, w->skewness);
  g_assert_cmpfloat (g->kurtosis, ==, w->kurtosis);
  assert_rank_within (sorted, n_sorted, g->q1, 0.25);
  assert_rank_within (sorted, n_sorted, g->median, 0.5);
  assert_rank_within (sorted, n_sorted, g->q3, 0.75);

  g = &g_array_index (got, NsColumnSummary, 1);
  g_assert_cmpstr (g->name, ==, "kind");
  g_assert_true (g->is_label);
  g_assert_cmpuint (g->n_distinct, ==, NS_SUMMARY_DISTINCT_UNKNOWN);
  g_assert_cmpfloat (g->count, ==, N);
  g_assert_true (isnan (g->mean) && isnan (g->median));

  g_assert_cmpuint (no_quantiles->len, ==, 1);
  g = &g_array_index (no_quantiles, NsColumnSummary, 0);
  g_assert_cmpfloat (g->mean, ==, w->mean);
  g_assert_true (isnan (g->q1) && isnan (g->median) && isnan (g->q3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/summary/conformance", test_conformance);
  g_test_add_func ("/summary/labels-infinite", test_labels_and_infinite);
  g_test_add_func ("/summary/constant-empty", test_constant_and_empty);
  g_test_add_func ("/summary/cancel", test_cancel);
  g_test_add_func ("/summary/from-partial", test_from_partial);
  return g_test_run ();
}
