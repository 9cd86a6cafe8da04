/* test-moments.c: accuracy of the moment accumulator, and merging chunks equals the whole.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "ns-moments.h"

static double
relative_error (double got, double want)
{
  return want == 0 ? fabs (got) : fabs (got - want) / fabs (want);
}

/* The probe: 10,000,000 values 1e9 + N(0,1); naive sum of squares goes negative here. */
static void
test_accuracy_probe (void)
{
  const gsize n = 10000000;
  g_autofree double *x = g_new (double, n);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  long double sum = 0, m2 = 0, mean;
  double naive_sum = 0, naive_sq = 0;
  NsMoments serial, parallel;

  gsl_rng_set (rng, 20240601);
  for (gsize i = 0; i < n; i++)
    x[i] = 1e9 + gsl_ran_gaussian_ziggurat (rng, 1.0);
  gsl_rng_free (rng);

  /* Reference: two passes in extended precision. */
  for (gsize i = 0; i < n; i++)
    sum += x[i];
  mean = sum / n;
  for (gsize i = 0; i < n; i++)
    m2 += (x[i] - mean) * (x[i] - mean);
  for (gsize i = 0; i < n; i++)
    {
      naive_sum += x[i];
      naive_sq += x[i] * x[i];
    }

  ns_moments_init (&serial);
  ns_moments_add (&serial, x, n, 1);
  ns_moments_init (&parallel);
  ns_moments_add_parallel (&parallel, x, n, 2);

  g_assert_cmpfloat (serial.count, ==, (double) n);
  g_assert_cmpfloat (relative_error (serial.mean, (double) mean), <=, 1e-15);
  g_assert_cmpfloat (relative_error (parallel.mean, (double) mean), <=, 1e-15);
  g_assert_cmpfloat (relative_error (ns_moments_variance (&serial, 0), (double) (m2 / n)), <=,
                     1e-12);
  g_assert_cmpfloat (relative_error (ns_moments_variance (&serial, 1), (double) (m2 / (n - 1))), <=,
                     1e-12);
  g_assert_cmpfloat (relative_error (ns_moments_variance (&parallel, 0), (double) (m2 / n)), <=,
                     1e-12);
  g_test_message ("mean relative error %.3g; variance relative error: serial %.3g, "
                  "parallel %.3g, naive %.3g",
                  relative_error (serial.mean, (double) mean),
                  relative_error (ns_moments_variance (&serial, 0), (double) (m2 / n)),
                  relative_error (ns_moments_variance (&parallel, 0), (double) (m2 / n)),
                  relative_error (naive_sq / n - (naive_sum / n) * (naive_sum / n),
                                  (double) (m2 / n)));
  /* The naive formula is useless here: that is why the accumulator exists. */
  g_assert_cmpfloat (relative_error (naive_sq / n - (naive_sum / n) * (naive_sum / n),
                                     (double) (m2 / n)), >, 1e-3);
}

static void
assert_moments_equal (const NsMoments *a, const NsMoments *b, double tolerance)
{
  g_assert_cmpfloat (a->count, ==, b->count);
  g_assert_cmpfloat (a->missing, ==, b->missing);
  g_assert_cmpfloat (a->min, ==, b->min);
  g_assert_cmpfloat (a->max, ==, b->max);
  g_assert_cmpfloat (a->max_abs, ==, b->max_abs);
  g_assert_cmpfloat (relative_error (a->mean, b->mean), <=, tolerance);
  g_assert_cmpfloat (relative_error (a->m2, b->m2), <=, tolerance);
}

/* Split at many cut points (including inside and at block edges), fit pieces, merge: equals the
 * whole to 1e-15 relative. */
static void
test_merge_splits (void)
{
  const gsize n = 50000;
  g_autofree double *x = g_new (double, n);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  NsMoments whole;

  gsl_rng_set (rng, 7);
  for (gsize i = 0; i < n; i++)
    x[i] = i % 997 == 0 ? NAN : 1e6 + gsl_ran_gaussian (rng, 3.0) + (i > n / 2 ? 5.0 : 0.0);
  gsl_rng_free (rng);
  ns_moments_init (&whole);
  ns_moments_add (&whole, x, n, 1);
  g_assert_cmpfloat (whole.missing, ==, (double) ((n - 1) / 997 + 1));

  for (gsize cut = 1; cut < n; cut += 997)
    {
      NsMoments a, b;

      ns_moments_init (&a);
      ns_moments_init (&b);
      ns_moments_add (&a, x, cut, 1);
      ns_moments_add (&b, x + cut, n - cut, 1);
      ns_moments_merge (&a, &b);
      assert_moments_equal (&a, &whole, 1e-15);
    }
  /* Many chunks of uneven size, merged one after the other. */
  {
    NsMoments total;
    gsize start = 0, size = 1;

    ns_moments_init (&total);
    while (start < n)
      {
        NsMoments chunk;
        gsize len = MIN (size, n - start);

        ns_moments_init (&chunk);
        ns_moments_add (&chunk, x + start, len, 1);
        ns_moments_merge (&total, &chunk);
        start += len;
        size = size * 3 + 1;
      }
    assert_moments_equal (&total, &whole, 1e-15);
  }
}

/* Hand-checkable small cases: exact values, NaN skipped, strides, empty merges. */
static void
test_small_exact (void)
{
  double x[8] = { 2, 4, 4, 4, 5, 5, 7, 9 };
  double strided[6] = { 1, -1, NAN, -1, 3, -1 };
  NsMoments m, empty, s;

  ns_moments_init (&m);
  ns_moments_add (&m, x, 8, 1);
  g_assert_cmpfloat (m.mean, ==, 5);
  g_assert_cmpfloat (ns_moments_variance (&m, 0), ==, 4);
  g_assert_cmpfloat (ns_moments_variance (&m, 1), ==, 32.0 / 7);
  g_assert_cmpfloat (m.min, ==, 2);
  g_assert_cmpfloat (m.max, ==, 9);
  g_assert_cmpfloat (m.max_abs, ==, 9);
  {
    double c3 = 0, c4 = 0;

    for (guint i = 0; i < 8; i++)
      {
        c3 += pow (x[i] - 5, 3);
        c4 += pow (x[i] - 5, 4);
      }
    g_assert_cmpfloat_with_epsilon (ns_moments_skewness (&m), (c3 / 8) / pow (4, 1.5), 1e-15);
    g_assert_cmpfloat_with_epsilon (ns_moments_kurtosis (&m), (c4 / 8) / 16 - 3, 1e-15);
  }

  ns_moments_init (&empty);
  ns_moments_merge (&m, &empty);
  g_assert_cmpfloat (m.count, ==, 8);
  ns_moments_merge (&empty, &m);
  g_assert_cmpfloat (empty.mean, ==, 5);
  g_assert_true (isnan (ns_moments_variance (&(NsMoments) { 0 }, 0)));

  ns_moments_init (&s);
  ns_moments_add (&s, strided, 3, 2);
  g_assert_cmpfloat (s.count, ==, 2);
  g_assert_cmpfloat (s.missing, ==, 1);
  g_assert_cmpfloat (s.mean, ==, 2);
  g_assert_true (isnan (ns_moments_variance (&(NsMoments) { .count = 1 }, 1)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/moments/accuracy-probe", test_accuracy_probe);
  g_test_add_func ("/moments/merge-splits", test_merge_splits);
  g_test_add_func ("/moments/small-exact", test_small_exact);
  return g_test_run ();
}
