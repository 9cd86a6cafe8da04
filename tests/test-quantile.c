/* test-quantile.c: type-7 quantiles by selection, against numpy's vectors and a full sort.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "ns-quantile.h"
#include "test-utils.h"

static void
assert_same (double got, double want, const char *name, double p)
{
  if (!(got == want || (isnan (got) && isnan (want))))
    g_error ("%s p=%.17g: got %.17g, numpy %.17g", name, p, got, want);
}

/* Exact agreement with numpy.nanquantile / nanpercentile / nanmedian. */
static void
test_numpy_vectors (void)
{
  const char *dir = g_getenv ("NS_TEST_DATA");
  g_autofree char *path =
    g_build_filename (dir != NULL ? dir : "tests/data", "conformance", "quantiles.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *arrays;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  arrays =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "arrays");
  g_assert_cmpuint (json_array_get_length (arrays), ==, 11);
  for (guint a = 0; a < json_array_get_length (arrays); a++)
    {
      JsonObject *entry = json_array_get_object_element (arrays, a);
      const char *name = json_object_get_string_member (entry, "name");
      guint n, n_p, n_q, n_pq;
      g_autofree double *values =
        ns_test_json_doubles (json_object_get_array_member (entry, "values"), &n);
      g_autofree double *p =
        ns_test_json_doubles (json_object_get_array_member (entry, "probabilities"), &n_p);
      JsonArray *q_array = json_object_get_array_member (entry, "quantiles_q");
      JsonArray *pct_array = json_object_get_array_member (entry, "quantiles");
      g_autofree double *want_q = ns_test_json_doubles (q_array, &n_q);
      g_autofree double *want_pct = ns_test_json_doubles (pct_array, &n_pq);
      g_autofree double *copy = g_memdup2 (values, n * sizeof (double));
      g_autofree double *got = g_new (double, n_p);
      g_autofree double *percent = g_new (double, n_p);
      double median;

      ns_quantiles_and_median (values, n, 1, p, n_p, got, &median);
      for (guint k = 0; k < n_p; k++)
        assert_same (got[k], want_q[k], name, p[k]);
      assert_same (median, ns_test_json_double (json_object_get_member (entry, "median")), name,
                   0.5);
      /* nanpercentile divides by 100 first, which can move the probability by an ulp. */
      for (guint k = 0; k < n_p; k++)
        percent[k] = (p[k] * 100) / 100;
      ns_quantiles (values, n, 1, percent, n_p, got);
      for (guint k = 0; k < n_p; k++)
        assert_same (got[k], want_pct[k], name, percent[k]);
      /* The input is not modified. */
      g_assert_cmpmem (copy, n * sizeof (double), values, n * sizeof (double));
    }
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
sorted_quantile (const double *sorted, gsize n, double p)
{
  double h = (double) (n - 1) * p, lo = floor (h), t = h - lo;
  gsize i = (gsize) lo, j = MIN (i + 1, n - 1);
  double diff = sorted[j] - sorted[i];

  return t >= 0.5 ? sorted[j] - diff * (1 - t) : sorted[i] + diff * t;
}

/* Many probabilities in any order, duplicates, ties and strides: equal to interpolating a sort. */
static void
test_against_sort (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);

  for (guint trial = 0; trial < 3000; trial++)
    {
      gsize n = (gsize) g_rand_int_range (rand, 1, 200),
            stride = (gsize) g_rand_int_range (rand, 1, 4);
      guint n_p = (guint) g_rand_int_range (rand, 1, 12);
      g_autofree double *values = g_new (double, n *stride);
      g_autofree double *sorted = g_new (double, n);
      g_autofree double *p = g_new (double, n_p);
      g_autofree double *got = g_new (double, n_p);
      gsize kept = 0;
      double median;

      for (gsize i = 0; i < n * stride; i++)
        values[i] = trial % 3 == 0 ? (double) g_rand_int_range (rand, 0, 5)
                                   : g_rand_double_range (rand, -1e3, 1e3);
      for (gsize i = 0; i < n; i++)
        {
          if (g_rand_int_range (rand, 0, 10) == 0)
            values[i * stride] = NAN;
          if (!isnan (values[i * stride]))
            sorted[kept++] = values[i * stride];
        }
      for (guint k = 0; k < n_p; k++)
        p[k] = k > 0 && g_rand_boolean (rand) ? p[k - 1] : g_rand_double (rand);
      ns_quantiles_and_median (values, n, stride, p, n_p, got, &median);
      qsort (sorted, kept, sizeof (double), compare_doubles);
      for (guint k = 0; k < n_p; k++)
        assert_same (got[k], kept > 0 ? sorted_quantile (sorted, kept, p[k]) : NAN, "random", p[k]);
      assert_same (median, kept > 0 ? (sorted[(kept - 1) / 2] + sorted[kept / 2]) / 2 : NAN,
                   "random median", 0.5);
    }
}

static void
test_edge_cases (void)
{
  double nans[3] = { NAN, NAN, NAN }, one[1] = { -2.5 }, p[3] = { 0, 0.5, 1 }, got[3], median = 0;
  double out_of_range[2] = { -0.5, 1.5 }, clamp[2];
  double values[4] = { 4, 1, 3, 2 };

  ns_quantiles_and_median (nans, 3, 1, p, 3, got, &median);
  g_assert_true (isnan (got[0]) && isnan (got[1]) && isnan (got[2]) && isnan (median));
  ns_quantiles (nans, 0, 1, p, 3, got);
  g_assert_true (isnan (got[0]));
  ns_quantiles (one, 1, 1, p, 3, got);
  g_assert_cmpfloat (got[0], ==, -2.5);
  g_assert_cmpfloat (got[2], ==, -2.5);
  ns_quantiles (values, 4, 1, out_of_range, 2, clamp);
  g_assert_cmpfloat (clamp[0], ==, 1);
  g_assert_cmpfloat (clamp[1], ==, 4);
  ns_quantiles_and_median (values, 4, 1, NULL, 0, NULL, &median);
  g_assert_cmpfloat (median, ==, 2.5);
}

/* Middle values beyond DBL_MAX / 2 have a finite median (numpy's (a + b) / 2 overflows there). */
static void
test_median_near_dbl_max (void)
{
  double odd[3] = { 1.7e308, 1.7e308, 1.6e308 }, even[4] = { 1.7e308, 1.7e308, 1.6e308, 1.5e308 };
  double negative[2] = { -DBL_MAX, -DBL_MAX }, mixed[2] = { -DBL_MAX, DBL_MAX }, median = 0;

  ns_quantiles_and_median (odd, 3, 1, NULL, 0, NULL, &median);
  g_assert_cmpfloat (median, ==, 1.7e308);
  ns_quantiles_and_median (even, 4, 1, NULL, 0, NULL, &median);
  g_assert_cmpfloat_with_epsilon (median / 1.65e308, 1, 1e-15);
  ns_quantiles_and_median (negative, 2, 1, NULL, 0, NULL, &median);
  g_assert_cmpfloat (median, ==, -DBL_MAX);
  ns_quantiles_and_median (mixed, 2, 1, NULL, 0, NULL, &median);
  g_assert_cmpfloat (median, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quantile/numpy", test_numpy_vectors);
  g_test_add_func ("/quantile/median-near-dbl-max", test_median_near_dbl_max);
  g_test_add_func ("/quantile/against-sort", test_against_sort);
  g_test_add_func ("/quantile/edge-cases", test_edge_cases);
  return g_test_run ();
}
