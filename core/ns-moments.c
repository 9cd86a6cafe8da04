/* ns-moments.c: accurate, mergeable one-column moments.
 *
 * Values are taken in blocks small enough to stay in cache. Each block is summarised by a corrected
 * two-pass (mean, then centred sums with the rounding correction of Chan, Golub and LeVeque), and
 * blocks are merged with the pairwise update formulas. This keeps 1e9 + N(0,1) data accurate to
 * about 1e-15 relative while every inner loop is a plain vectorisable sum.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-moments.h"

#include <math.h>

#define NS_MOMENTS_BLOCK 2048

void
ns_moments_init (NsMoments *self)
{
  *self = (NsMoments) { 0 };
  self->min = INFINITY;
  self->max = -INFINITY;
}

/* mean + mean_low += increment, in double-double (Knuth's two-sum, then renormalised). */
static void
ns_mean_add (NsMoments *self, double increment)
{
  double sum = self->mean + increment;
  double b_virtual = sum - self->mean;
  double error = (self->mean - (sum - b_virtual)) + (increment - b_virtual);
  double low = self->mean_low + error;

  self->mean = sum + low;
  self->mean_low = low - (self->mean - sum);
}

void
ns_moments_merge (NsMoments *self, const NsMoments *other)
{
  double na = self->count, nb = other->count, n = na + nb;
  double delta, delta_n, term;

  self->missing += other->missing;
  self->infinite += other->infinite;
  if (nb == 0)
    return;
  if (na == 0)
    {
      double missing = self->missing, infinite = self->infinite;

      *self = *other;
      self->missing = missing;
      self->infinite = infinite;
      return;
    }
  /* The high parts are close, so their difference is exact; the low parts keep what the
   * rounding of each mean to a double would otherwise lose. */
  delta = (other->mean - self->mean) + (other->mean_low - self->mean_low);
  delta_n = delta / n;
  term = delta * delta_n * na * nb;

  self->m4 += other->m4
              + term * delta_n * delta_n * (na * na - na * nb + nb * nb)
              + 6.0 * delta_n * delta_n * (na * na * other->m2 + nb * nb * self->m2)
              + 4.0 * delta_n * (na * other->m3 - nb * self->m3);
  self->m3 += other->m3
              + term * delta_n * (na - nb)
              + 3.0 * delta_n * (na * other->m2 - nb * self->m2);
  self->m2 += other->m2 + term;
  ns_mean_add (self, delta * (nb / n));
  self->count = n;
  self->min = fmin (self->min, other->min);
  self->max = fmax (self->max, other->max);
  self->max_abs = fmax (self->max_abs, other->max_abs);
}

/* One cache-sized block of finite values, contiguous: a corrected two-pass. */
/* The two hot loops below keep NS_LANES independent accumulators: a single running sum waits on
 * the 4-cycle latency of every add, while independent lanes pipeline and vectorise. Measured on
 * 10,000,000 x 8 values: about 3x faster than the one-accumulator loops they replace. */
#define NS_LANES 4

typedef struct {
  double sum, min, max;
  gboolean clean;   /* no NaN and no infinity in the block */
} NsFirstPass;

static NsFirstPass
ns_block_first_pass (const double *x, gsize n)
{
  double sum[NS_LANES] = { 0 }, probe[NS_LANES] = { 0 };
  double lo[NS_LANES], hi[NS_LANES];
  NsFirstPass result;
  gsize i = 0;

  for (guint k = 0; k < NS_LANES; k++)
    {
      lo[k] = INFINITY;
      hi[k] = -INFINITY;
    }
  for (; i + NS_LANES <= n; i += NS_LANES)
    for (guint k = 0; k < NS_LANES; k++)
      {
        double v = x[i + k];

        sum[k] += v;
        probe[k] += v - v;  /* 0 for finite values, NaN for NaN or inf */
        /* Plain comparisons: glibc's fmin/fmax calls cost 25x more (NaN blocks are redone). */
        lo[k] = v < lo[k] ? v : lo[k];
        hi[k] = v > hi[k] ? v : hi[k];
      }
  for (; i < n; i++)
    {
      sum[0] += x[i];
      probe[0] += x[i] - x[i];
      lo[0] = x[i] < lo[0] ? x[i] : lo[0];
      hi[0] = x[i] > hi[0] ? x[i] : hi[0];
    }
  result.sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  result.clean = (probe[0] + probe[1]) + (probe[2] + probe[3]) == 0;
  result.min = MIN (MIN (lo[0], lo[1]), MIN (lo[2], lo[3]));
  result.max = MAX (MAX (hi[0], hi[1]), MAX (hi[2], hi[3]));
  return result;
}

/* One cache-sized block, contiguous, after its first pass: the centred sums of a corrected
 * two-pass. */
static void
ns_moments_block_dense (NsMoments *block, const double *x, gsize n, const NsFirstPass *first)
{
  double c1[NS_LANES] = { 0 }, c2[NS_LANES] = { 0 }, c3[NS_LANES] = { 0 }, c4[NS_LANES] = { 0 };
  double mean = first->sum / (double) n, s1, s2, s3, s4;
  gsize i = 0;

  for (; i + NS_LANES <= n; i += NS_LANES)
    for (guint k = 0; k < NS_LANES; k++)
      {
        double d = x[i + k] - mean, d2 = d * d;

        c1[k] += d;
        c2[k] += d2;
        c3[k] += d2 * d;
        c4[k] += d2 * d2;
      }
  for (; i < n; i++)
    {
      double d = x[i] - mean, d2 = d * d;

      c1[0] += d;
      c2[0] += d2;
      c3[0] += d2 * d;
      c4[0] += d2 * d2;
    }
  s1 = (c1[0] + c1[1]) + (c1[2] + c1[3]);
  s2 = (c2[0] + c2[1]) + (c2[2] + c2[3]);
  s3 = (c3[0] + c3[1]) + (c3[2] + c3[3]);
  s4 = (c4[0] + c4[1]) + (c4[2] + c4[3]);
  /* Fold the first-order rounding error of the mean back in (Chan, Golub & LeVeque 1983). */
  s1 /= (double) n;
  block->count = (double) n;
  block->mean = mean;
  block->mean_low = 0;
  ns_mean_add (block, s1);
  block->m2 = s2 - s1 * s1 * (double) n;
  block->m3 = s3 - 3.0 * s1 * s2 + 2.0 * s1 * s1 * s1 * (double) n;
  block->m4 = s4 - 4.0 * s1 * s3 + 6.0 * s1 * s1 * s2 - 3.0 * s1 * s1 * s1 * s1 * (double) n;
  block->min = first->min;
  block->max = first->max;
  block->max_abs = fmax (fabs (first->min), fabs (first->max));
}

void
ns_moments_add (NsMoments *self, const double *values, gsize n, gsize stride)
{
  double buffer[NS_MOMENTS_BLOCK];

  for (gsize start = 0; start < n; start += NS_MOMENTS_BLOCK)
    {
      gsize len = MIN (NS_MOMENTS_BLOCK, n - start), kept = 0;
      const double *x = values + start * stride;
      NsMoments block;

      ns_moments_init (&block);
      if (stride == 1)
        {
          NsFirstPass first = ns_block_first_pass (x, len);

          if (first.clean)
            {
              ns_moments_block_dense (&block, x, len, &first);
              ns_moments_merge (self, &block);
              continue;
            }
        }
      for (gsize i = 0; i < len; i++)
        {
          double v = x[i * stride];

          if (isnan (v))
            block.missing++;
          else
            {
              block.infinite += isinf (v) ? 1 : 0;
              buffer[kept++] = v;
            }
        }
      if (kept > 0)
        {
          double missing = block.missing, infinite = block.infinite;
          NsFirstPass first = ns_block_first_pass (buffer, kept);

          ns_moments_block_dense (&block, buffer, kept, &first);
          block.missing = missing;
          block.infinite = infinite;
        }
      ns_moments_merge (self, &block);
    }
}

typedef struct {
  const double *values;
  gsize n;
  NsMoments result;
} NsMomentsJob;

static gpointer
ns_moments_job_run (gpointer data)
{
  NsMomentsJob *job = data;

  ns_moments_init (&job->result);
  ns_moments_add (&job->result, job->values, job->n, 1);
  return NULL;
}

void
ns_moments_add_parallel (NsMoments *self, const double *values, gsize n, guint n_threads)
{
  g_autofree NsMomentsJob *jobs = NULL;
  g_autofree GThread **threads = NULL;
  gsize per;

  if (n_threads <= 1 || n < 4 * NS_MOMENTS_BLOCK)
    {
      ns_moments_add (self, values, n, 1);
      return;
    }
  jobs = g_new0 (NsMomentsJob, n_threads);
  threads = g_new0 (GThread *, n_threads);
  /* Split on block boundaries so every thread sees the same blocks as a single-threaded run. */
  per = (n / n_threads + NS_MOMENTS_BLOCK - 1) / NS_MOMENTS_BLOCK * NS_MOMENTS_BLOCK;
  for (guint t = 0; t < n_threads; t++)
    {
      gsize start = MIN (n, t * per);

      jobs[t].values = values + start;
      jobs[t].n = MIN (per, n - start);
      threads[t] = g_thread_new ("ns-moments", ns_moments_job_run, &jobs[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    {
      g_thread_join (threads[t]);
      ns_moments_merge (self, &jobs[t].result);
    }
}

double
ns_moments_variance (const NsMoments *self, guint ddof)
{
  if (self->count <= ddof)
    return NAN;
  /* Clamp rounding below zero, but keep a NaN (overflowed or infinite data): fmax would hide it. */
  return (self->m2 < 0 ? 0.0 : self->m2) / (self->count - ddof);
}

double
ns_moments_skewness (const NsMoments *self)
{
  double n = self->count;

  if (n == 0 || self->m2 <= 0)
    return NAN;
  return sqrt (n) * self->m3 / pow (self->m2, 1.5);
}

double
ns_moments_kurtosis (const NsMoments *self)
{
  double n = self->count;

  if (n == 0 || self->m2 <= 0)
    return NAN;
  return n * self->m4 / (self->m2 * self->m2) - 3.0;
}
