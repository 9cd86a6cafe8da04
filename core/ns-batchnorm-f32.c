/* ns-batchnorm-f32.c: a training step's batch moments and running update in float32, operation for
 * operation as PyTorch's CPU kernel (1.13) and Flax compute them (--dtype f32).
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* A fused a*b + c would change the bits: only the FMAs written as fmaf are the framework's. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__FP_FAST_FMAF) && defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include "ns-batchnorm-private.h"

#include <math.h>

/* PyTorch, (N, C) input: batch_norm_cpu_collect_stats_channels_last_impl
 * (aten/src/ATen/native/cpu/batch_norm_kernel.cpp) adds the rows into a float32 buffer, one row
 * after another (on one thread: torch.set_num_threads (1)), then mean = (float) (sum / n) in
 * double. */
static float
ns_torch_rows_mean (const double *x, gsize n)
{
  float sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (float) x[i];
  return (float) ((double) sum / (double) n);
}

/* The same kernel's variance sum: buffer = buffer + (x - mean) * (x - mean) on float32 vectors,
 * which the AVX2 build fuses (measured: fmaf gives torch's bits, separate rounding does not). */
static double
ns_torch_rows_var_sum (const double *x, gsize n, float mean)
{
  float sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      float d = (float) x[i] - mean;

      sum = fmaf (d, d, sum);
    }
  return sum;
}

/* (N, C, L...) input: batch_norm_cpu_collect_stats_contiguous_impl accumulates in
 * acc_type<float, CPU> = double: sum += x, then var_sum += (x - mean) * (x - mean) with the
 * product in float32. */
static float
ns_torch_image_mean (const double *x, gsize n)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (float) x[i];
  return (float) (sum / (double) n);
}

static double
ns_torch_image_var_sum (const double *x, gsize n, float mean)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      float d = (float) x[i] - mean;

      sum += d * d;
    }
  return (float) sum; /* stored in the float32 var_sum tensor */
}

/* Normalization.cpp batch_norm_cpu_update_stats_template: the normalizing variance is var_sum / n,
 * the one fed to running_var unbiased_var = var_sum / (n - 1), a float32 quotient (float / int64)
 * held in a double. */
static void
ns_torch_moments (const double *x, gsize n, gsize spatial, NsBatchMomentsF32 *m)
{
  float mean = spatial == 1 ? ns_torch_rows_mean (x, n) : ns_torch_image_mean (x, n);

  m->sum_squares =
    spatial == 1 ? ns_torch_rows_var_sum (x, n, mean) : ns_torch_image_var_sum (x, n, mean);
  m->mean = mean;
  m->var = (float) (m->sum_squares / (double) n);
  m->var_unbiased = (float) (m->sum_squares / (double) MAX (n - 1, 1));
  m->feed = m->var_unbiased;
}

/* Flax's _compute_stats (flax/linen/normalization.py, google/flax 18f8f311c275) with
 * use_fast_variance on float32 data: mean = mean(x), mean2 = mean(x * x), var = max(0, mean2 -
 * mean^2), each in float32; the sums in order (tests/gen-batchnorm-vectors.py does the same in
 * numpy float32). On 1e4 + N(0, 1) the ulp of x^2 (8) swamps the variance. */
static void
ns_flax_fast_moments (const double *x, gsize n, NsBatchMomentsF32 *m)
{
  float sum = 0, sum_x2 = 0, mean, var;

  for (gsize i = 0; i < n; i++)
    {
      float v = (float) x[i];

      sum += v;
      sum_x2 += v * v;
    }
  mean = sum / (float) n;
  var = MAX (0.0f, sum_x2 / (float) n - mean * mean); /* a NaN stays NaN, as in jnp.maximum */
  m->mean = mean;
  m->var = var;
  m->var_unbiased = var; /* Flax keeps no unbiased variance: the series shows the biased one */
  m->feed = var;
  m->sum_squares = (double) var * (double) n;
}

void
ns_batch_moments_f32 (const NsBatchNormOptions *o, const double *x, gsize n, gsize spatial,
                      NsBatchMomentsF32 *m)
{
  if (o->preset == NS_BATCHNORM_FLAX)
    ns_flax_fast_moments (x, n, m);
  else
    ns_torch_moments (x, n, spatial, m);
}

/* PyTorch: running = momentum * mean + (1 - momentum) * running with momentum as a float32, in
 * float32 except momentum * unbiased_var, a double (measured against torch 1.13: every bit of
 * the running mean and variance). Flax: ra = momentum * ra + (1 - momentum) * mean in float32,
 * the weights rounded from Python doubles. */
void
ns_ema_pair_f32 (const NsBatchNormOptions *o, double *value, const NsBatchMomentsF32 *m,
                 double old_weight, double new_weight)
{
  float new_f = (float) new_weight;
  float old_f = o->preset == NS_BATCHNORM_FLAX ? (float) old_weight : 1.0f - new_f;
  float mean = (float) value[0], var = (float) value[1];

  value[0] = new_f * (float) m->mean + old_f * mean;
  if (o->preset == NS_BATCHNORM_FLAX)
    value[1] = new_f * (float) m->feed + old_f * var;
  else
    value[1] = (float) ((double) new_f * m->feed + (double) (old_f * var));
}
