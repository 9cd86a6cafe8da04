/* test-moments.c: accuracy of the moment accumulator, and merging chunks equals the whole.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "ns-moments.h"
#include "ns-moments-private.h"

static double
relative_error (double got, double want)
{
  return want == 0 ? fabs (got) : fabs (got - want) / fabs (want);
}

/* A double-double accumulator (Neumaier's compensated sum): about 106 bits for the reference,
 * without long double, which valgrind computes at double precision. */
typedef struct {
  double hi;
  double lo;
} Compensated;

static void
compensated_add (Compensated *sum, double value)
{
  double t = sum->hi + value;

  sum->lo += fabs (sum->hi) >= fabs (value) ? (sum->hi - t) + value : (value - t) + sum->hi;
  sum->hi = t;
}

/* The probe: 10,000,000 values 1e9 + N(0,1); naive sum of squares goes negative here. */
static void
test_accuracy_probe (void)
{
  const gsize n = 10000000;
  g_autofree double *x = g_new (double, n);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  Compensated sum = { 0, 0 }, squares = { 0, 0 };
  double mean, mean_low, m2, naive_sum = 0, naive_sq = 0;
  NsMoments serial, parallel;

  gsl_rng_set (rng, 20240601);
  for (gsize i = 0; i < n; i++)
    x[i] = 1e9 + gsl_ran_gaussian_ziggurat (rng, 1.0);
  gsl_rng_free (rng);

  /* Reference: two passes in double-double; x - mean is exact (Sterbenz), the mean's low part
   * is taken off after. */
  for (gsize i = 0; i < n; i++)
    compensated_add (&sum, x[i]);
  mean = (sum.hi + sum.lo) / n;
  mean_low = (fma (-mean, (double) n, sum.hi) + sum.lo) / n;
  for (gsize i = 0; i < n; i++)
    {
      double d = (x[i] - mean) - mean_low;

      compensated_add (&squares, d * d);
    }
  m2 = squares.hi + squares.lo;
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
  g_assert_cmpfloat (relative_error (serial.mean, mean), <=, 1e-15);
  g_assert_cmpfloat (relative_error (parallel.mean, mean), <=, 1e-15);
  g_assert_cmpfloat (relative_error (ns_moments_variance (&serial, 0), m2 / n), <=, 1e-12);
  g_assert_cmpfloat (relative_error (ns_moments_variance (&serial, 1), m2 / (n - 1)), <=, 1e-12);
  g_assert_cmpfloat (relative_error (ns_moments_variance (&parallel, 0), m2 / n), <=, 1e-12);
  g_test_message ("mean relative error %.3g; variance relative error: serial %.3g, "
                  "parallel %.3g, naive %.3g",
                  relative_error (serial.mean, mean),
                  relative_error (ns_moments_variance (&serial, 0), m2 / n),
                  relative_error (ns_moments_variance (&parallel, 0), m2 / n),
                  relative_error (naive_sq / n - (naive_sum / n) * (naive_sum / n), m2 / n));
  /* The naive formula is useless here: that is why the accumulator exists. */
  g_assert_cmpfloat (relative_error (naive_sq / n - (naive_sum / n) * (naive_sum / n), m2 / n), >,
                     1e-3);
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

/* Bit for bit: every field, NaN payloads and signed zeros included. */
static void
assert_moments_identical (const NsMoments *got, const NsMoments *want, const char *what)
{
  if (memcmp (got, want, sizeof *got) != 0)
    g_error ("%s: count %.17g/%.17g missing %.17g/%.17g mean %.17g/%.17g m2 %.17g/%.17g "
             "m3 %.17g/%.17g m4 %.17g/%.17g min %.17g/%.17g max %.17g/%.17g inf %.17g/%.17g "
             "mean_low %.17g/%.17g",
             what, got->count, want->count, got->missing, want->missing, got->mean, want->mean,
             got->m2, want->m2, got->m3, want->m3, got->m4, want->m4, got->min, want->min, got->max,
             want->max, got->infinite, want->infinite, got->mean_low, want->mean_low);
}

/* A (n_rows, n_features) C-order array: each feature with its own scale and offset, a few
 * values set to NaN, +inf, -inf or -0.0 in chosen blocks, and one feature's second block all NaN.
 */
static double *
make_rows (gsize n_rows, gsize n_features, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  double *x = g_new (double, n_rows *n_features);

  for (gsize i = 0; i < n_rows; i++)
    for (gsize f = 0; f < n_features; f++)
      x[i * n_features + f] =
        (f % 3 == 0 ? 1e9 : f * 10.0) + g_rand_double_range (rand, -1, 1) * (f + 1);
  for (gsize f = 0; f < n_features; f++)
    {
      gsize block = f % 3, row = block * NS_MOMENTS_BLOCK + 3 * f + 1;

      if (row >= n_rows)
        continue;
      switch (f % 5)
        {
        case 0:
          x[row * n_features + f] = NAN;
          break;
        case 1:
          x[row * n_features + f] = INFINITY;
          break;
        case 2:
          x[row * n_features + f] = -INFINITY;
          break;
        case 3:
          x[row * n_features + f] = -0.0;
          break;
        default:
          break;
        }
    }
  if (n_features > 4 && n_rows > NS_MOMENTS_BLOCK)
    for (gsize i = NS_MOMENTS_BLOCK; i < MIN (n_rows, 2 * NS_MOMENTS_BLOCK); i++)
      x[i * n_features + 4] = NAN;
  return x;
}

/* ns_moments_summarise_row_blocks equals ns_moments_summarise_blocks on each column, block by
 * block; widths cross the kernel's slices of 8, row counts are not multiples of 4 or 2048. */
static void
test_row_blocks (void)
{
  const gsize widths[] = { 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 19 };
  const gsize row_counts[] = { 1, 3, 6, 2047, 2048, 2050, 4097, 6147 };

  /* Both row kernels (AVX2 where the CPU has it, and the baseline) against the column path. */
  for (guint baseline = 0; baseline <= 1; baseline++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      for (guint r = 0; r < G_N_ELEMENTS (row_counts); r++)
        {
          gsize n_features = widths[w], n_rows = row_counts[r];
          gsize n_blocks = (n_rows + NS_MOMENTS_BLOCK - 1) / NS_MOMENTS_BLOCK;
          g_autofree double *x = make_rows (n_rows, n_features, 100 + w * 10 + r);
          g_autofree double *column = g_new (double, n_rows);
          g_autofree NsMoments *row_blocks = g_new (NsMoments, n_blocks * n_features);
          g_autofree NsMoments *column_blocks = g_new (NsMoments, n_blocks);
          g_autofree NsMoments *by_rows = g_new (NsMoments, n_features);

          ns_moments_force_baseline_kernel (baseline);
          ns_moments_summarise_row_blocks (row_blocks, x, n_rows, n_features);
          for (gsize f = 0; f < n_features; f++)
            ns_moments_init (&by_rows[f]);
          ns_moments_add_rows (by_rows, x, n_rows, n_features);
          for (gsize f = 0; f < n_features; f++)
            {
              NsMoments whole, strided, merged;

              for (gsize i = 0; i < n_rows; i++)
                column[i] = x[i * n_features + f];
              ns_moments_summarise_blocks (column_blocks, column, n_rows);
              ns_moments_init (&merged);
              for (gsize b = 0; b < n_blocks; b++)
                {
                  g_autofree char *what = g_strdup_printf ("width %zu, rows %zu, feature %zu, "
                                                           "block %zu",
                                                           n_features, n_rows, f, b);

                  assert_moments_identical (&row_blocks[b * n_features + f], &column_blocks[b],
                                            what);
                  ns_moments_merge (&merged, &column_blocks[b]);
                }
              ns_moments_init (&whole);
              ns_moments_add (&whole, column, n_rows, 1);
              ns_moments_init (&strided);
              ns_moments_add (&strided, x + f, n_rows, n_features);
              assert_moments_identical (&merged, &whole, "blocks merged in order vs add");
              assert_moments_identical (&strided, &whole, "strided add vs contiguous add");
              assert_moments_identical (&by_rows[f], &whole, "add_rows vs add");
            }
          ns_moments_force_baseline_kernel (FALSE);
        }
}

/* The special values really are in the data above: NaN counted missing, infinities counted. */
static void
test_row_blocks_special (void)
{
  const gsize n_features = 9, n_rows = 3 * NS_MOMENTS_BLOCK + 5;
  g_autofree double *x = make_rows (n_rows, n_features, 5);
  NsMoments m[9];

  for (gsize f = 0; f < n_features; f++)
    ns_moments_init (&m[f]);
  ns_moments_add_rows (m, x, n_rows, n_features);
  g_assert_cmpfloat (m[0].missing, ==, 1); /* f % 5 == 0: one NaN */
  g_assert_cmpfloat (m[0].count, ==, n_rows - 1);
  g_assert_cmpfloat (m[1].infinite, ==, 1); /* +inf */
  g_assert_cmpfloat (m[1].max, ==, INFINITY);
  g_assert_true (isnan (m[1].mean) || isinf (m[1].mean));
  g_assert_cmpfloat (m[2].infinite, ==, 1); /* -inf */
  g_assert_cmpfloat (m[2].min, ==, -INFINITY);
  g_assert_cmpfloat (m[3].infinite, ==, 0); /* -0.0 is an ordinary value */
  g_assert_cmpfloat (m[3].missing, ==, 0);
  g_assert_cmpfloat (m[4].missing, ==, NS_MOMENTS_BLOCK); /* its second block is all NaN */
  g_assert_cmpfloat (m[4].count, ==, n_rows - NS_MOMENTS_BLOCK);
  g_assert_cmpfloat (m[5].missing, ==, 1);
  g_assert_cmpfloat (m[5].count, ==, n_rows - 1);
  g_assert_cmpfloat (m[8].missing + m[8].infinite, ==, 0);
}

/* ns_moments_add_parallel gives ns_moments_add's bits for any thread count, also when the
 * blocks do not split evenly between the threads and when some blocks hold NaN. */
static void
test_parallel_identical (void)
{
  const gsize sizes[] = { 5,
                          4 * NS_MOMENTS_BLOCK - 1,
                          4 * NS_MOMENTS_BLOCK,
                          4 * NS_MOMENTS_BLOCK + 1,
                          11 * NS_MOMENTS_BLOCK + 777,
                          200003 };
  const guint threads[] = { 1, 2, 3, 5 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240607);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      g_autofree double *x = g_new (double, n);
      NsMoments serial;

      for (gsize i = 0; i < n; i++)
        x[i] = 1e9 + g_rand_double_range (rand, -2, 2);
      if (n > 3 * NS_MOMENTS_BLOCK)
        {
          x[NS_MOMENTS_BLOCK + 17] = NAN;
          x[3 * NS_MOMENTS_BLOCK - 1] = NAN;
        }
      ns_moments_init (&serial);
      ns_moments_add (&serial, x, n, 1);
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        {
          g_autofree char *what = g_strdup_printf ("n %zu, %u threads", n, threads[t]);
          NsMoments parallel;

          ns_moments_init (&parallel);
          ns_moments_add_parallel (&parallel, x, n, threads[t]);
          assert_moments_identical (&parallel, &serial, what);
        }
      if (n > 3 * NS_MOMENTS_BLOCK)
        g_assert_cmpfloat (serial.missing, ==, 2);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/moments/accuracy-probe", test_accuracy_probe);
  g_test_add_func ("/moments/merge-splits", test_merge_splits);
  g_test_add_func ("/moments/small-exact", test_small_exact);
  g_test_add_func ("/moments/row-blocks", test_row_blocks);
  g_test_add_func ("/moments/row-blocks-special", test_row_blocks_special);
  g_test_add_func ("/moments/parallel-identical", test_parallel_identical);
  return g_test_run ();
}
