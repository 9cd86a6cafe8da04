/* ns-batchnorm-batch.c: what every batch-norm pass reads of a batch (its values, their mean and
 * sum of squares) and how many threads a run uses. SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include <string.h>
#include "ns-moments-private.h"
#include "ns-threads.h"

/* Two-lane vectors (SSE2 on x86-64, NEON on arm64) with four accumulators: GCC and Clang keep them
 * in registers and add them in SIMD without -ffast-math; wider vectors spill without AVX. */
typedef double NsPair __attribute__ ((vector_size (16)));

#define NS_PAIR_LOAD(pair, x) memcpy (&(pair), (x), sizeof (pair))

static double
ns_pairs_total (NsPair a, NsPair b, NsPair c, NsPair d)
{
  NsPair t = (a + b) + (c + d);

  return t[0] + t[1];
}

static double
ns_sum (const double *x, gsize n)
{
  NsPair a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  double sum;
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      NsPair u, v, w, z;

      /* The next batch of this column follows the slice: fetch it while this one is summed
       * (a prefetch never faults, even past the end). */
      __builtin_prefetch (x + i + n);
      NS_PAIR_LOAD (u, x + i);
      NS_PAIR_LOAD (v, x + i + 2);
      NS_PAIR_LOAD (w, x + i + 4);
      NS_PAIR_LOAD (z, x + i + 6);
      a += u;
      b += v;
      c += w;
      d += z;
    }
  sum = ns_pairs_total (a, b, c, d);
  for (; i < n; i++)
    sum += x[i];
  return sum;
}

static double
ns_sum_squared_deviations (const double *x, gsize n, double mean)
{
  NsPair a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  double sum;
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      NsPair u, v, w, z;

      NS_PAIR_LOAD (u, x + i);
      NS_PAIR_LOAD (v, x + i + 2);
      NS_PAIR_LOAD (w, x + i + 4);
      NS_PAIR_LOAD (z, x + i + 6);
      u -= mean;
      v -= mean;
      w -= mean;
      z -= mean;
      a += u * u;
      b += v * v;
      c += w * w;
      d += z * z;
    }
  sum = ns_pairs_total (a, b, c, d);
  for (; i < n; i++)
    sum += (x[i] - mean) * (x[i] - mean);
  return sum;
}

static double
ns_sum_squares (const double *x, gsize n)
{
  return ns_sum_squared_deviations (x, n, 0.0);
}

void
ns_batch_moments (const double *x, gsize n, gboolean fast, double *mean, double *sum_squares)
{
  *mean = ns_sum (x, n) / (double) n;
  if (fast)
    /* Flax's default use_fast_variance: max(0, E[x^2] - E[x]^2), cancellation and all. */
    *sum_squares = MAX (0.0, ns_sum_squares (x, n) / (double) n - *mean * *mean) * (double) n;
  else
    *sum_squares = ns_sum_squared_deviations (x, n, *mean);
}

/* ns_sum_squared_deviations (centre 0: ns_sum_squares) or ns_sum (centre NULL) of four channels at
 * once, lane by lane in the same order: eight accumulators by i mod 8, added as ns_pairs_total
 * adds them, then the rest in order. */
static inline __attribute__ ((always_inline)) void
ns_quad_sum (const double *rows, gsize stride, gsize n, guint width, const NsQuad *centre,
             NsQuad *total)
{
  NsQuad s[8] = { { 0 } };
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    for (guint k = 0; k < 8; k++)
      {
        NsQuad u;

        ns_quad_load (&u, rows + (i + k) * stride, width);
        s[k] += centre != NULL ? (u - *centre) * (u - *centre) : u;
      }
  *total = ((s[0] + s[2]) + (s[4] + s[6])) + ((s[1] + s[3]) + (s[5] + s[7]));
  for (; i < n; i++)
    {
      NsQuad u;

      ns_quad_load (&u, rows + i * stride, width);
      *total += centre != NULL ? (u - *centre) * (u - *centre) : u;
    }
}

/* ns_batch_moments of channels [0, width) of n rows read in place. */
static inline __attribute__ ((always_inline)) void
ns_batch_moments_quad (const double *rows, gsize stride, gsize n, guint width, gboolean fast,
                       double *mean, double *sum_squares)
{
  const NsQuad zero = { 0 };
  NsQuad means, squares;

  ns_quad_sum (rows, stride, n, width, NULL, &means);
  means /= (double) n;
  ns_quad_sum (rows, stride, n, width, fast ? &zero : &means, &squares);
  for (guint k = 0; k < width; k++)
    {
      mean[k] = means[k];
      sum_squares[k] =
        fast ? MAX (0.0, squares[k] / (double) n - means[k] * means[k]) * (double) n : squares[k];
    }
}

#define NS_BATCH_MOMENTS_QUAD_CASE(W) \
  case W: \
    ns_batch_moments_quad (rows, stride, n, W, fast, mean, sum_squares); \
    break;

static inline __attribute__ ((always_inline)) void
ns_batch_moments_rows_any (const double *rows, gsize stride, gsize n, guint width, gboolean fast,
                           double *mean, double *sum_squares)
{
  switch (width)
    {
      NS_BATCH_MOMENTS_QUAD_CASE (1)
      NS_BATCH_MOMENTS_QUAD_CASE (2)
      NS_BATCH_MOMENTS_QUAD_CASE (3)
      NS_BATCH_MOMENTS_QUAD_CASE (4)
    default:
      g_assert_not_reached ();
    }
}

/* AVX2 (not FMA: the same bits), picked as ns-moments.c's row kernel is. */
__attribute__ ((target ("avx2"))) static void
ns_batch_moments_rows_avx2 (const double *rows, gsize stride, gsize n, guint width, gboolean fast,
                            double *mean, double *sum_squares)
{
  ns_batch_moments_rows_any (rows, stride, n, width, fast, mean, sum_squares);
}

static void
ns_batch_moments_rows_baseline (const double *rows, gsize stride, gsize n, guint width,
                                gboolean fast, double *mean, double *sum_squares)
{
  ns_batch_moments_rows_any (rows, stride, n, width, fast, mean, sum_squares);
}

void
ns_batch_moments_rows (const double *rows, gsize stride, gsize n, guint width, gboolean fast,
                       double *mean, double *sum_squares)
{
  for (guint c = 0; c < width; c += 4)
    (ns_moments_avx2_kernels () ? ns_batch_moments_rows_avx2
                                : ns_batch_moments_rows_baseline) (rows + c, stride, n,
                                                                   MIN (4, width - c), fast,
                                                                   mean + c, sum_squares + c);
}

const double *
ns_batchnorm_batch_values (const NsBatchNorm *self, guint channel, gsize first, gsize n_rows,
                           double *gather)
{
  const double *column = self->columns[channel];
  gsize spatial = self->spatial, stride = self->column_stride;

  if (self->permutation == NULL && stride == 1)
    return column + first * spatial;
  if (self->permutation == NULL) /* rows read in place (spatial 1): one value per row */
    {
      for (gsize i = 0; i < n_rows; i++)
        gather[i] = column[(first + i) * stride];
      return gather;
    }
  if (spatial == 1) /* measured: a memcpy call per 8-byte value was most of a batch-2 step */
    {
      for (gsize i = 0; i < n_rows; i++)
        gather[i] = column[self->permutation[first + i] * stride];
      return gather;
    }
  for (gsize i = 0; i < n_rows; i++)
    memcpy (gather + i * spatial, column + self->permutation[first + i] * spatial,
            spatial * sizeof (double));
  return gather;
}

/* Below this many values per epoch, threads cost more than they save. */
#define NS_BATCHNORM_THREADS_MIN_VALUES (1 << 18)

guint
ns_batchnorm_thread_count (const NsBatchNorm *self)
{
  const NsBatchNormOptions *o = &self->options;

  if (o->n_threads == 0 &&
      (gsize) self->n_active * self->n_samples * self->spatial < NS_BATCHNORM_THREADS_MIN_VALUES)
    return 1;
  return MIN (ns_threads_resolve (o->n_threads), self->n_active);
}
