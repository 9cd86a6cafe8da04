/* ns-batchnorm-output.c: what a batch-norm run produces: training- and inference-mode outputs,
 * the train/inference gap, the stats file, the per-step trace and the output files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include <math.h>
#include <string.h>
#include "ns-error.h"
#include "ns-output.h"
#include "ns-reader.h"

/* PyTorch's InvStd: 0 instead of inf when var and eps are both 0 (the output becomes beta). */
static double
ns_inv_std (double var, double eps)
{
  return var == 0 && eps == 0 ? 0.0 : 1.0 / sqrt (var + eps);
}

/* y = (x - mean) * inv * gamma + beta, in the order the preset's framework evaluates it:
 * PyTorch's CPU kernel and Keras/TF fold it into x * alpha + (beta - mean * alpha); Flax subtracts
 * first. The two differ in the last bits when the mean is large. */
static void
ns_normalize (const NsBatchNorm *self, const double *x, gsize n, double mean, double inv,
              double *y)
{
  const NsBatchNormOptions *o = &self->options;
  double alpha = inv * o->gamma, shift = o->beta - mean * alpha;

  if (o->preset == NS_BATCHNORM_FLAX)
    for (gsize i = 0; i < n; i++)
      y[i] = (x[i] - mean) * alpha + o->beta;
  else
    for (gsize i = 0; i < n; i++)
      y[i] = x[i] * alpha + shift;
}

static void
ns_renormalize (const NsBatchNorm *self, const double *x, gsize n, double mean, double inv,
                double r, double d, double *y)
{
  for (gsize i = 0; i < n; i++)
    y[i] = self->options.gamma * ((x[i] - mean) * inv * r + d) + self->options.beta;
}

static void
ns_inference_values (const NsBatchNorm *self, guint c, const double *x, gsize n, double *y)
{
  const NsBatchNormChannel *ch = &self->channels[c];

  if (self->options.renorm)
    ns_normalize (self, x, n, ch->renorm_mean, 1.0 / ch->renorm_std, y);
  else
    ns_normalize (self, x, n, ch->value[NS_SERIES_RUNNING_MEAN],
                  ns_inv_std (ch->value[NS_SERIES_RUNNING_VAR], self->options.eps), y);
}

void
ns_batchnorm_inference_output (const NsBatchNorm *self, guint feature, double *out)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;

  g_return_if_fail (c >= 0);
  ns_inference_values (self, (guint) c, self->columns[c], self->n_samples * self->spatial, out);
}

typedef void (*NsBatchVisit) (const NsBatchNorm *self, guint c, const double *x, const double *y,
                              gsize first, gsize n_rows, gpointer data);

/* Recomputes each batch of the epoch last started (same code, same bits as training) and hands
 * its values and training-mode outputs to visit. */
static void
ns_foreach_training_batch (const NsBatchNorm *self, guint c, NsBatchVisit visit, gpointer data)
{
  gsize epoch_start, largest = 0;
  g_autofree double *y = NULL;

  if (self->step == 0)
    return;
  epoch_start = (self->step - 1) / self->batches_per_epoch * self->batches_per_epoch;
  for (gsize b = 0; b < self->batches_per_epoch; b++)
    largest = MAX (largest, self->batch_sizes[b]);
  y = g_new (double, largest * self->spatial);
  for (gsize s = epoch_start; s < self->step; s++)
    {
      gsize b = s - epoch_start, first = self->batch_starts[b], n_rows = self->batch_sizes[b];
      gsize n = n_rows * self->spatial;
      const double *x = ns_batchnorm_batch_values (self, c, first, n_rows);
      double mean, sum_squares, inv;

      ns_batch_moments (x, n, self->options.fast_variance, &mean, &sum_squares);
      inv = ns_inv_std (sum_squares / (double) n, self->options.eps);
      if (self->options.renorm)
        ns_renormalize (self, x, n, mean, inv,
                        self->history[NS_SERIES_RENORM_R][(gsize) c * self->n_steps + s],
                        self->history[NS_SERIES_RENORM_D][(gsize) c * self->n_steps + s], y);
      else
        ns_normalize (self, x, n, mean, inv, y);
      visit (self, c, x, y, first, n_rows, data);
    }
}

static void
ns_scatter_visit (const NsBatchNorm *self, guint c, const double *x, const double *y, gsize first,
                  gsize n_rows, gpointer data)
{
  double *out = data;
  gsize spatial = self->spatial;

  for (gsize i = 0; i < n_rows; i++)
    {
      gsize row = self->permutation != NULL ? self->permutation[first + i] : first + i;

      memcpy (out + row * spatial, y + i * spatial, spatial * sizeof (double));
    }
}

void
ns_batchnorm_training_output (const NsBatchNorm *self, guint feature, double *out)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;

  g_return_if_fail (c >= 0);
  for (gsize i = 0; i < self->n_samples * self->spatial; i++)
    out[i] = NAN;
  ns_foreach_training_batch (self, (guint) c, ns_scatter_visit, out);
}

typedef struct {
  double sum;
  double count;
  double *eval;
} NsGap;

static void
ns_gap_visit (const NsBatchNorm *self, guint c, const double *x, const double *y, gsize first,
              gsize n_rows, gpointer data)
{
  NsGap *gap = data;
  gsize n = n_rows * self->spatial;

  ns_inference_values (self, c, x, n, gap->eval);
  for (gsize i = 0; i < n; i++)
    gap->sum += fabs (y[i] - gap->eval[i]);
  gap->count += (double) n;
}

double
ns_batchnorm_train_inference_gap (const NsBatchNorm *self, guint feature)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;
  gsize largest = 0;
  NsGap gap = { 0 };

  g_return_val_if_fail (c >= 0, NAN);
  for (gsize b = 0; b < self->batches_per_epoch; b++)
    largest = MAX (largest, self->batch_sizes[b]);
  gap.eval = g_new (double, largest * self->spatial);
  ns_foreach_training_batch (self, (guint) c, ns_gap_visit, &gap);
  g_free (gap.eval);
  return gap.count > 0 ? gap.sum / gap.count : NAN;
}

void
ns_batchnorm_exact_stats (const NsBatchNorm *self, guint feature, double *count, double *missing,
                          double *mean, double *variance, guint ddof)
{
  NsMoments moments;

  g_return_if_fail (feature < self->n_features);
  ns_moments_init (&moments);
  ns_moments_add (&moments,
                  ns_dataset_get_values (self->data,
                                         ns_dataset_get_feature_column (self->data, feature)),
                  self->n_samples * self->spatial, 1);
  *count = moments.count;
  *missing = moments.missing;
  *mean = moments.mean;
  *variance = ns_moments_variance (&moments, ddof);
}
