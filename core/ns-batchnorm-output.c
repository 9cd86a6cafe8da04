/* ns-batchnorm-output.c: what a batch-norm run produces: training- and inference-mode outputs,
 * the train/inference gap, the stats file, the per-step trace and the output files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"
#include "ns-batchnorm-affine.h"

#include <math.h>
#include <string.h>
#include "ns-error.h"
#include "ns-moments-private.h"
#include "ns-output.h"
#include "ns-reader.h"
#include "ns-threads.h"

double
ns_batchnorm_inference_scale (double var, double eps)
{
  return sqrt (var + eps);
}

/* PyTorch's InvStd: 0 instead of inf when var and eps are both 0 (the output becomes beta). */
static double
ns_inv_std (double var, double eps)
{
  return var == 0 && eps == 0 ? 0.0 : 1.0 / ns_batchnorm_inference_scale (var, eps);
}

static void
ns_affine_init (NsBatchNormAffine *a, const NsBatchNorm *self, double mean, double inv)
{
  const NsBatchNormOptions *o = &self->options;

  *a = (NsBatchNormAffine) { .mean = mean,
                             .inv = inv,
                             .gamma = o->gamma,
                             .beta = o->beta,
                             .subtract_first = o->preset == NS_BATCHNORM_FLAX };
  a->alpha = inv * o->gamma;
  a->shift = o->beta - mean * a->alpha;
}

/* tf.nn.batch_normalization with scale r*gamma and offset d*gamma + beta (tf.keras 2's
 * _compose_transforms): x * inv + (offset - mean * inv), inv = rsqrt (var + eps) * scale. */
static void
ns_affine_init_renorm (NsBatchNormAffine *a, const NsBatchNorm *self, double mean, double inv,
                       double r, double d)
{
  const NsBatchNormOptions *o = &self->options;

  *a = (NsBatchNormAffine) { .mean = mean, .inv = inv, .gamma = o->gamma, .beta = o->beta };
  a->alpha = inv * (r * o->gamma);
  a->shift = (d * o->gamma + o->beta) - mean * a->alpha;
}

/* Inference mode: the running statistics (renorm: tf.keras' moving mean and variance). */
static void
ns_inference_affine (const NsBatchNorm *self, guint c, NsBatchNormAffine *a)
{
  const NsBatchNormChannel *ch = &self->channels[c];

  ns_affine_init (a, self, ch->value[NS_SERIES_RUNNING_MEAN],
                  ns_inv_std (ch->value[NS_SERIES_RUNNING_VAR], self->options.eps));
}

void
ns_batchnorm_inference_output (const NsBatchNorm *self, guint feature, double *out)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;
  const double *x;
  NsBatchNormAffine a;

  g_return_if_fail (c >= 0);
  x = self->columns[c];
  ns_inference_affine (self, (guint) c, &a);
  for (gsize i = 0; i < self->n_samples * self->spatial; i++)
    out[i] = ns_batchnorm_affine_apply (&a, x[i * self->column_stride]);
}

/* Batch b's mean and (biased) variance, summarised again by the step's code (of either dtype). */
static void
ns_batch_mean_var (const NsBatchNorm *self, guint c, gsize b, double *mean, double *var)
{
  gsize n = self->batch_sizes[b] * self->spatial;
  const double *x =
    ns_batchnorm_batch_values (self, c, self->batch_starts[b], self->batch_sizes[b], self->gather);
  double sum_squares;

  if (self->options.float32)
    {
      NsBatchMomentsF32 m;

      ns_batch_moments_f32 (&self->options, x, n, self->spatial, &m);
      *mean = m.mean;
      *var = m.var;
      return;
    }
  ns_batch_moments (x, n, self->options.fast_variance, mean, &sum_squares);
  *var = sum_squares / (double) n;
}

/* Training mode of step s (0-based), batch b of its epoch: the batch's own statistics as the step
 * computed them. The recorded history holds them bit for bit (mean, and var = sum_squares / n);
 * without it the batch is gathered and summarised again by the same code. */
static void
ns_training_affine (const NsBatchNorm *self, guint c, gsize s, gsize b, NsBatchNormAffine *a)
{
  gsize at = (gsize) c * self->n_steps + s;
  double mean, var;

  if (self->history[NS_SERIES_BATCH_MEAN] != NULL && self->history[NS_SERIES_BATCH_VAR] != NULL)
    {
      mean = self->history[NS_SERIES_BATCH_MEAN][at];
      var = self->history[NS_SERIES_BATCH_VAR][at];
    }
  else if (self->epoch_moments != NULL)
    {
      mean = self->epoch_moments[2 * ((gsize) c * self->batches_per_epoch + b)];
      var = self->epoch_moments[2 * ((gsize) c * self->batches_per_epoch + b) + 1];
    }
  else
    {
      ns_batch_mean_var (self, c, b, &mean, &var);
    }
  if (self->options.renorm)
    ns_affine_init_renorm (a, self, mean, ns_inv_std (var, self->options.eps),
                           self->history[NS_SERIES_RENORM_R][at],
                           self->history[NS_SERIES_RENORM_D][at]);
  else
    ns_affine_init (a, self, mean, ns_inv_std (var, self->options.eps));
}

/* The first step (0-based) of the epoch last started; the epoch's steps run to self->step. */
static gsize
ns_epoch_start (const NsBatchNorm *self)
{
  return self->step == 0 ? 0 : (self->step - 1) / self->batches_per_epoch * self->batches_per_epoch;
}

void
ns_batchnorm_get_training_affine (const NsBatchNorm *self, guint feature, gsize batch,
                                  NsBatchNormAffine *affine)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;
  gsize step = ns_epoch_start (self) + batch;

  g_return_if_fail (c >= 0 && batch < self->batches_per_epoch && step < self->step);
  ns_training_affine (self, (guint) c, step, batch, affine);
}

/* The dataset row at position p of the epoch's order. */
static inline gsize
ns_row_at (const NsBatchNorm *self, gsize p)
{
  return self->permutation != NULL ? self->permutation[p] : p;
}

/* One pass over the values the epoch last started has used, in training order (batch by batch):
 * their training-mode outputs into out (dataset order) unless out is NULL, and the returned mean
 * |training - inference| output. measured (100,000 rows, batch 2): with the recorded batch
 * statistics and one pass for outputs and gap, the gap figure builds in 2 ms instead of 6. */
static double
ns_training_pass (const NsBatchNorm *self, guint c, double *out)
{
  const double *x = self->columns[c];
  gsize spatial = self->spatial, stride = self->column_stride;
  double sum = 0, count = 0;
  NsBatchNormAffine eval;

  ns_inference_affine (self, c, &eval);
  for (gsize s = ns_epoch_start (self), b = 0; s < self->step; s++, b++)
    {
      gsize first = self->batch_starts[b];
      NsBatchNormAffine a;

      ns_training_affine (self, c, s, b, &a);
      for (gsize p = first; p < first + self->batch_sizes[b]; p++)
        {
          gsize row = ns_row_at (self, p);

          for (gsize i = row * spatial; i < (row + 1) * spatial; i++)
            {
              double v = x[i * stride], y = ns_batchnorm_affine_apply (&a, v);

              if (out != NULL)
                out[i] = y;
              sum += fabs (y - ns_batchnorm_affine_apply (&eval, v));
            }
        }
      count += (double) (self->batch_sizes[b] * spatial);
    }
  return count > 0 ? sum / count : NAN;
}

const double *
ns_batchnorm_feature_values (const NsBatchNorm *self, guint feature)
{
  if (self->rows != NULL)
    return self->rows + feature;
  return ns_dataset_get_values (self->data, ns_dataset_get_feature_column (self->data, feature));
}

/* Up to eight channels' affines, four lanes a vector (two vectors: a 64-byte row of float64). */
#define NS_GAP_LANES 8

typedef struct {
  NsQuad train_mean[2], train_alpha[2], train_add[2];
  NsQuad eval_mean[2], eval_alpha[2], eval_add[2];
} NsGapLanes;

/* One batch's terms |training - inference| of n_vecs * 4 channels (width in the last vector) of
 * its rows added to sums, every channel's in row order: a vector lane per channel with the sums in
 * registers, instead of a load and store of each sum per row. Lanes past width stay 0. */
static inline __attribute__ ((always_inline)) void
ns_gap_batch (const NsBatchNorm *self, const NsGapLanes *l, gsize first, gsize n, guint c0,
              guint n_vecs, guint width, NsQuad *sums)
{
  const NsQuadBits magnitude = { G_MAXINT64, G_MAXINT64, G_MAXINT64, G_MAXINT64 };
  NsQuad acc[2] = { sums[0], sums[1] };

  for (gsize p = first; p < first + n; p++)
    {
      const double *x = self->rows + ns_row_at (self, p) * self->n_features + c0;

      for (guint v = 0; v < n_vecs; v++)
        {
          NsQuad xv, train, eval;

          ns_quad_load (&xv, x + 4 * v, v + 1 < n_vecs ? 4 : width);
          train = (xv - l->train_mean[v]) * l->train_alpha[v] + l->train_add[v];
          eval = (xv - l->eval_mean[v]) * l->eval_alpha[v] + l->eval_add[v];
          acc[v] += (NsQuad) ((NsQuadBits) (train - eval) & magnitude); /* fabs */
        }
    }
  sums[0] = acc[0];
  sums[1] = acc[1];
}

#define NS_GAP_BATCH_CASE(V, W) \
  case 4 * (V - 1) + W: \
    ns_gap_batch (self, l, first, n, c0, V, W, sums); \
    break;

/* width: 1 to 8 channels. */
static inline __attribute__ ((always_inline)) void
ns_gap_batch_any (const NsBatchNorm *self, const NsGapLanes *l, gsize first, gsize n, guint c0,
                  guint width, NsQuad *sums)
{
  switch (width)
    {
      NS_GAP_BATCH_CASE (1, 1)
      NS_GAP_BATCH_CASE (1, 2)
      NS_GAP_BATCH_CASE (1, 3)
      NS_GAP_BATCH_CASE (1, 4)
      NS_GAP_BATCH_CASE (2, 1)
      NS_GAP_BATCH_CASE (2, 2)
      NS_GAP_BATCH_CASE (2, 3)
      NS_GAP_BATCH_CASE (2, 4)
    default:
      g_assert_not_reached ();
    }
}

typedef void (*NsGapBatchFunc) (const NsBatchNorm *self, const NsGapLanes *l, gsize first, gsize n,
                                guint c0, guint width, NsQuad *sums);

/* AVX2 (not FMA: the same bits), as ns-moments.c's row kernel and picked by the same test. */
__attribute__ ((target ("avx2"))) static void
ns_gap_batch_avx2 (const NsBatchNorm *self, const NsGapLanes *l, gsize first, gsize n, guint c0,
                   guint width, NsQuad *sums)
{
  ns_gap_batch_any (self, l, first, n, c0, width, sums);
}

static void
ns_gap_batch_baseline (const NsBatchNorm *self, const NsGapLanes *l, gsize first, gsize n, guint c0,
                       guint width, NsQuad *sums)
{
  ns_gap_batch_any (self, l, first, n, c0, width, sums);
}

/* The affine as (x - mean) * alpha + add: ns_batchnorm_affine_apply's x * alpha + shift is the
 * same with mean 0 (x - 0 is x, -0 and NaN included), so one formula serves both, lane by lane. */
static void
ns_gap_lane_set (NsQuad *mean, NsQuad *alpha, NsQuad *add, guint k, const NsBatchNormAffine *a)
{
  mean[k / 4][k % 4] = a->subtract_first ? a->mean : 0.0;
  alpha[k / 4][k % 4] = a->alpha;
  add[k / 4][k % 4] = a->subtract_first ? a->beta : a->shift;
}

/* ns_training_pass of channels [c0, c0 + width) at once (width <= NS_GAP_LANES), row by row (rows
 * read in place, every feature a channel): each channel's sum takes its terms in the same order,
 * so every gap is bit-identical to the channel's own pass, with the rows read once instead of once
 * per channel. Measured (10,000,000 x 8, B = 256, two threads of four channels each): 97 ms of
 * CPU with a load and store of every channel's sum per row, 61 ms with the lanes in registers
 * (now each thread's read of the whole file bounds it). */
static void
ns_training_pass_rows (const NsBatchNorm *self, guint c0, guint width, double *gaps)
{
  NsGapBatchFunc batch = ns_moments_avx2_kernels () ? ns_gap_batch_avx2 : ns_gap_batch_baseline;
  NsQuad sums[2] = { { 0 } };
  NsGapLanes l = { { { 0 } } };
  double count = 0;
  NsBatchNormAffine a;

  for (guint k = 0; k < width; k++)
    {
      ns_inference_affine (self, c0 + k, &a);
      ns_gap_lane_set (l.eval_mean, l.eval_alpha, l.eval_add, k, &a);
    }
  for (gsize s = ns_epoch_start (self), b = 0; s < self->step; s++, b++)
    {
      for (guint k = 0; k < width; k++)
        {
          ns_training_affine (self, c0 + k, s, b, &a);
          ns_gap_lane_set (l.train_mean, l.train_alpha, l.train_add, k, &a);
        }
      batch (self, &l, self->batch_starts[b], self->batch_sizes[b], c0, width, sums);
      count += (double) self->batch_sizes[b];
    }
  for (guint k = 0; k < width; k++)
    gaps[c0 + k] = count > 0 ? sums[k / 4][k % 4] / count : NAN;
}

typedef struct {
  NsBatchNorm *self;
  double *gaps;
  guint n_threads;
} NsRowsJob;

static void
ns_rows_job_run (guint index, gpointer data)
{
  NsRowsJob *job = data;
  NsBatchNorm *self = job->self;
  guint c_begin = self->n_active * index / job->n_threads;
  guint c_end = self->n_active * (index + 1) / job->n_threads;

  if (self->n_active == self->n_features)
    for (guint c = c_begin; c < c_end; c += NS_GAP_LANES)
      ns_training_pass_rows (self, c, MIN (NS_GAP_LANES, c_end - c), job->gaps);
  else
    for (guint c = c_begin; c < c_end; c++)
      job->gaps[c] = ns_training_pass (self, c, NULL);
}

void
ns_batchnorm_rows_columns_work (NsBatchNorm *self, double *gaps)
{
  /* Batches summarised again go through the one shared gather buffer: then one thread. */
  gboolean gathers = self->history[NS_SERIES_BATCH_MEAN] == NULL && self->epoch_moments == NULL;
  NsRowsJob job = { self, gaps, gathers ? 1 : ns_batchnorm_thread_count (self) };

  if (!self->channels[0].column_done) /* stats asked for before a run */
    ns_batchnorm_rows_prepare (self, FALSE);
  ns_threads_run (job.n_threads, ns_rows_job_run, &job);
}

double
ns_batchnorm_training_output_and_gap (const NsBatchNorm *self, guint feature, double *out)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;

  g_return_val_if_fail (c >= 0, NAN);
  for (gsize i = 0; i < self->n_samples * self->spatial; i++)
    out[i] = NAN;
  return ns_training_pass (self, (guint) c, out);
}

void
ns_batchnorm_training_output (const NsBatchNorm *self, guint feature, double *out)
{
  ns_batchnorm_training_output_and_gap (self, feature, out);
}

double
ns_batchnorm_train_inference_gap (const NsBatchNorm *self, guint feature)
{
  int c = feature < self->n_features ? self->channel_of[feature] : -1;

  g_return_val_if_fail (c >= 0, NAN);
  return ns_training_pass (self, (guint) c, NULL);
}

/* Each figure asks for the full-data statistics again: a simulated channel's are computed once. */
void
ns_batchnorm_exact_stats (const NsBatchNorm *self, guint feature, double *count, double *missing,
                          double *mean, double *variance, guint ddof)
{
  NsBatchNormChannel *ch;
  NsMoments moments;

  g_return_if_fail (feature < self->n_features);
  ch = self->channel_of[feature] >= 0 ? &self->channels[self->channel_of[feature]] : NULL;
  if (ch != NULL && ch->column_done)
    moments = ch->column;
  else
    {
      ns_moments_init (&moments);
      ns_moments_add (&moments, ns_batchnorm_feature_values (self, feature),
                      self->n_samples * self->spatial, self->column_stride);
      if (ch != NULL)
        {
          ch->column = moments;
          ch->column_done = TRUE;
        }
    }
  *count = moments.count;
  *missing = moments.missing;
  *mean = moments.mean;
  *variance = ns_moments_variance (&moments, ddof);
}
