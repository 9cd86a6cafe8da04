/* ns-batchnorm-step.c: one training step of the batch-norm simulator: the preset's running
 * statistics from the batch moments, every moving-average variant and Batch Renormalization.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "ns-error.h"
#include "ns-threads.h"

/* gsl_ran_shuffle (rng, x, n, sizeof (gsize)) draw for draw: Fisher-Yates from the end, swapping
 * x[i] with x[j], j = gsl_rng_uniform_int (rng, i + 1) (inlined: HAVE_INLINE, see meson.build);
 * the test compares the permutations. measured: 2.4x faster than the library call, whose generic
 * swap copies byte by byte. */
static void
ns_shuffle_indices (gsl_rng *rng, gsize *x, gsize n)
{
  for (gsize i = n - 1; i > 0; i--)
    {
      gsize j = gsl_rng_uniform_int (rng, i + 1), t = x[i];

      x[i] = x[j];
      x[j] = t;
    }
}

static void
ns_batchnorm_enter_epoch (NsBatchNorm *self, guint epoch)
{
  if (self->options.order != NULL)
    {
      memcpy (self->permutation, ns_batchnorm_order_get_epoch (self->options.order, epoch),
              self->n_samples * sizeof (gsize));
      self->permutation_epoch = epoch;
      return;
    }
  for (gsize i = 0; i < self->n_samples; i++)
    self->permutation[i] = i;
  gsl_rng_set (self->rng, (unsigned long) (self->options.shuffle_seed + epoch - 1));
  if (self->n_samples > 1)
    ns_shuffle_indices (self->rng, self->permutation, self->n_samples);
  self->permutation_epoch = epoch;
}

/* Weights of one step, the same for every channel. */
typedef struct {
  double new_weight, old_weight; /* preset EMA and renorm */
  double decay_new, decay_old;   /* variants' decay d = old weight, and 1 - d */
  double debias_divisor;         /* 1 - d^t */
  double warmup_new, warmup_old;
  double cumulative_new, cumulative_old;
  double renorm_new; /* renorm's mu and sigma: weight of the new batch */
} NsStepRates;

static void
ns_step_rates (const NsBatchNormOptions *o, gsize t, NsStepRates *rates)
{
  double warmup;

  rates->cumulative_new = 1.0 / (double) t;
  rates->cumulative_old = 1.0 - rates->cumulative_new;
  if (o->convention == NS_MOMENTUM_WEIGHT_OF_NEW)
    {
      rates->decay_new = o->momentum;
      rates->decay_old = 1.0 - o->momentum;
    }
  else
    {
      rates->decay_old = o->momentum;
      rates->decay_new = 1.0 - o->momentum;
    }
  rates->new_weight = o->cumulative ? rates->cumulative_new : rates->decay_new;
  rates->old_weight = o->cumulative ? rates->cumulative_old : rates->decay_old;
  if (isnan (o->renorm_momentum))
    rates->renorm_new = rates->new_weight;
  else
    rates->renorm_new =
      o->convention == NS_MOMENTUM_WEIGHT_OF_NEW ? o->renorm_momentum : 1.0 - o->renorm_momentum;
  /* measured: pow per step was 2-3% of a batch-2 update, and only zero-debias needs it. */
  rates->debias_divisor =
    o->averages & NS_AVERAGE_EMA_DEBIASED ? 1.0 - pow (rates->decay_old, (double) t) : NAN;
  warmup = (1.0 + (double) (t - 1)) / (10.0 + (double) (t - 1));
  rates->warmup_old = MIN (rates->decay_old, warmup);
  rates->warmup_new = 1.0 - rates->warmup_old;
}

static void
ns_window_update (NsBatchNorm *self, guint c, gsize t, double mean, double var)
{
  NsBatchNormChannel *ch = &self->channels[c];
  gsize w = self->options.window, slot = (t - 1) % w, count = MIN (t, w);
  double *ring = self->window_ring + 2 * w * c;

  if (t > w)
    {
      ch->window_sum_mean -= ring[slot];
      ch->window_sum_var -= ring[w + slot];
    }
  ring[slot] = mean;
  ring[w + slot] = var;
  ch->window_sum_mean += mean;
  ch->window_sum_var += var;
  if (slot == w - 1)
    {
      /* Resum once per lap so the add/remove rounding cannot drift. */
      ch->window_sum_mean = 0;
      ch->window_sum_var = 0;
      for (gsize i = 0; i < w; i++)
        {
          ch->window_sum_mean += ring[i];
          ch->window_sum_var += ring[w + i];
        }
    }
  ch->value[NS_SERIES_WINDOW_MEAN] = ch->window_sum_mean / (double) count;
  ch->value[NS_SERIES_WINDOW_VAR] = ch->window_sum_var / (double) count;
}

static double
ns_clamp (double value, double lo, double hi)
{
  return value < lo ? lo : value > hi ? hi : value;
}

/* tf.keras 2's rule, keras v2.15.0 keras/layers/normalization/batch_normalization.py:
 * _renorm_correction_and_moments (lines 1052-1121) takes r and d from renorm_mean and
 * renorm_stddev before their update, the stddev floored at sqrt(eps) (line 1061), clips r with
 * rmin then rmax and d with dmax (lines 1069-1078), and moves both at renorm_momentum; call()
 * (lines 718-770) moves moving_mean and moving_stddev at the layer's momentum and sets
 * moving_variance = relu(moving_stddev^2 - eps). Every update is _assign_moving_average's
 * assign_sub (line 865): s -= (s - b) * (1 - momentum). NaN stays NaN through the clips. */
static void
ns_renorm_update (const NsBatchNormOptions *o, NsBatchNormChannel *ch, const NsStepRates *rates,
                  double mean, double var)
{
  double stddev = ns_batchnorm_inference_scale (var, o->eps), floor = sqrt (o->eps);
  double sigma = ch->renorm_std < floor ? floor : ch->renorm_std;

  ch->value[NS_SERIES_RENORM_R] = ns_clamp (stddev / sigma, o->renorm_rmin, o->renorm_rmax);
  ch->value[NS_SERIES_RENORM_D] =
    ns_clamp ((mean - ch->renorm_mean) / sigma, -o->renorm_dmax, o->renorm_dmax);
  ch->renorm_mean -= (ch->renorm_mean - mean) * rates->renorm_new;
  ch->renorm_std -= (ch->renorm_std - stddev) * rates->renorm_new;
  ch->value[NS_SERIES_RUNNING_MEAN] -=
    (ch->value[NS_SERIES_RUNNING_MEAN] - mean) * rates->new_weight;
  ch->moving_std -= (ch->moving_std - stddev) * rates->new_weight;
  ch->value[NS_SERIES_RUNNING_VAR] = MAX (0.0, ch->moving_std * ch->moving_std - o->eps);
}

static inline void
ns_ema_pair (double *value, double mean, double var, double old_weight, double new_weight)
{
  value[0] = value[0] * old_weight + mean * new_weight;
  value[1] = value[1] * old_weight + var * new_weight;
}

/* TF's assign_moving_average form: s -= (s - b)(1 - d). */
static inline void
ns_ema_pair_tf (double *value, double mean, double var, double new_weight)
{
  value[0] -= (value[0] - mean) * new_weight;
  value[1] -= (value[1] - var) * new_weight;
}

static void
ns_variants_update (NsBatchNorm *self, guint c, gsize t, const NsStepRates *rates, double mean,
                    double feed, double sum_squares, gsize n)
{
  NsBatchNormChannel *ch = &self->channels[c];
  guint averages = self->options.averages;

  if (averages & NS_AVERAGE_EMA_DEBIASED)
    {
      ch->debias_hidden_mean -= (ch->debias_hidden_mean - mean) * rates->decay_new;
      ch->debias_hidden_var -= (ch->debias_hidden_var - feed) * rates->decay_new;
      ch->value[NS_SERIES_EMA_DEBIASED_MEAN] = ch->debias_hidden_mean / rates->debias_divisor;
      ch->value[NS_SERIES_EMA_DEBIASED_VAR] = ch->debias_hidden_var / rates->debias_divisor;
    }
  if (averages & NS_AVERAGE_CUMULATIVE)
    ns_ema_pair (&ch->value[NS_SERIES_CUMULATIVE_MEAN], mean, feed, rates->cumulative_old,
                 rates->cumulative_new);
  if (averages & NS_AVERAGE_WARMUP)
    ns_ema_pair_tf (&ch->value[NS_SERIES_WARMUP_MEAN], mean, feed, rates->warmup_new);
  if (averages & NS_AVERAGE_WINDOW)
    ns_window_update (self, c, t, mean, feed);
  if (averages & NS_AVERAGE_EXACT)
    {
      NsMoments batch;

      ns_moments_init (&batch);
      batch.count = (double) n;
      batch.mean = mean;
      batch.m2 = sum_squares;
      ns_moments_merge (&ch->exact, &batch);
      ch->value[NS_SERIES_EXACT_MEAN] = ch->exact.mean;
      ch->value[NS_SERIES_EXACT_VAR] =
        ns_moments_variance (&ch->exact, self->options.unbiased_running_var);
    }
}

static void
ns_batchnorm_record (NsBatchNorm *self, guint c, gsize t)
{
  const double *value = self->channels[c].value;
  gsize at = (gsize) c * self->n_steps + t - 1;

  for (guint s = 0; s < NS_N_SERIES; s++)
    if (self->history[s] != NULL)
      self->history[s][at] = value[s];
}

/* What follows the preset's EMA, in either dtype: the batch series, renorm or the running
 * statistics, the variants and the history. */
static inline void
ns_batchnorm_finish_channel (NsBatchNorm *self, guint c, gsize t, const NsStepRates *rates,
                             double mean, double var, double var_unbiased, double feed,
                             double sum_squares, gsize n)
{
  NsBatchNormChannel *ch = &self->channels[c];

  ch->value[NS_SERIES_BATCH_MEAN] = mean;
  ch->value[NS_SERIES_BATCH_VAR] = var;
  ch->value[NS_SERIES_BATCH_VAR_UNBIASED] = var_unbiased;
  if (self->options.renorm)
    ns_renorm_update (&self->options, ch, rates, mean, var);
  else
    {
      ch->value[NS_SERIES_RUNNING_MEAN] = ch->value[NS_SERIES_EMA_MEAN];
      ch->value[NS_SERIES_RUNNING_VAR] = ch->value[NS_SERIES_EMA_VAR];
    }
  ns_variants_update (self, c, t, rates, mean, feed, sum_squares, n);
  ns_batchnorm_record (self, c, t);
  if (self->epoch_moments != NULL)
    {
      double *slot = self->epoch_moments +
                     2 * ((gsize) c * self->batches_per_epoch + (t - 1) % self->batches_per_epoch);

      slot[0] = mean;
      slot[1] = var;
    }
}

static void
ns_batchnorm_update_channel (NsBatchNorm *self, guint c, gsize t, const NsStepRates *rates,
                             gsize first, gsize n_rows, double *gather)
{
  const NsBatchNormOptions *o = &self->options;
  NsBatchNormChannel *ch = &self->channels[c];
  gsize n = n_rows * self->spatial;
  double mean, sum_squares, var, var_unbiased, feed;

  if (self->batch_moments != NULL)
    {
      const double *slot = self->batch_moments + 2 * ((gsize) c * self->batches_per_epoch +
                                                      (t - 1) % self->batches_per_epoch);

      mean = slot[0];
      sum_squares = slot[1];
    }
  else
    ns_batch_moments (ns_batchnorm_batch_values (self, c, first, n_rows, gather), n,
                      o->fast_variance, &mean, &sum_squares);
  var = sum_squares / (double) n;
  /* TF's fused kernel corrects by n / max (n - 1, 1): a one-value batch feeds variance 0. */
  var_unbiased = sum_squares / (double) MAX (n - 1, 1);
  feed = o->unbiased_running_var ? var_unbiased : var;
  ns_ema_pair (&ch->value[NS_SERIES_EMA_MEAN], mean, feed, rates->old_weight, rates->new_weight);
  ns_batchnorm_finish_channel (self, c, t, rates, mean, var, var_unbiased, feed, sum_squares, n);
}

/* --dtype f32: beside the float64 step, so that one pays no branch per value. */
static void
ns_batchnorm_update_channel_f32 (NsBatchNorm *self, guint c, gsize t, const NsStepRates *rates,
                                 gsize first, gsize n_rows, double *gather)
{
  const NsBatchNormOptions *o = &self->options;
  gsize n = n_rows * self->spatial;
  const double *x = ns_batchnorm_batch_values (self, c, first, n_rows, gather);
  NsBatchMomentsF32 m;

  ns_batch_moments_f32 (o, x, n, self->spatial, &m);
  ns_ema_pair_f32 (o, &self->channels[c].value[NS_SERIES_EMA_MEAN], &m, rates->old_weight,
                   rates->new_weight);
  ns_batchnorm_finish_channel (self, c, t, rates, m.mean, m.var, m.var_unbiased, m.feed,
                               m.sum_squares, n);
}

/* A direct, predictable branch: the float64 update stays inlinable in the step loops. */
static inline void
ns_batchnorm_update (NsBatchNorm *self, guint c, gsize t, const NsStepRates *rates, gsize first,
                     gsize n_rows, double *gather)
{
  if (G_UNLIKELY (self->options.float32))
    ns_batchnorm_update_channel_f32 (self, c, t, rates, first, n_rows, gather);
  else
    ns_batchnorm_update_channel (self, c, t, rates, first, n_rows, gather);
}

static void
ns_batchnorm_set_size_error (const NsBatchNorm *self, gsize t, gsize n_rows, GError **error)
{
  const char *path = ns_dataset_get_source_path (self->data);
  g_autoptr (GString) size = g_string_new (NULL);

  g_string_append_printf (size, "[%" G_GSIZE_FORMAT, n_rows);
  if (ns_dataset_get_kind (self->data) == NS_DATASET_TABLE)
    g_string_append_printf (size, ", %u", self->n_features);
  else
    for (guint a = 1; a < ns_dataset_get_rank (self->data); a++)
      g_string_append_printf (size, ", %" G_GSIZE_FORMAT, ns_dataset_get_shape (self->data)[a]);
  g_string_append_c (size, ']');
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: expected more than 1 value per channel when training, got input of size %s "
               "at step %" G_GSIZE_FORMAT,
               path != NULL ? path : "data", size->str, t);
}

/* PyTorch refuses to train on one value per channel; Keras (ops.moments), TF's fused kernel and
 * Flax (_compute_stats) train on it with variance 0. */
static gboolean
ns_batchnorm_batch_refused (const NsBatchNorm *self, gsize batch)
{
  return self->options.single_value_error && self->batch_sizes[batch] * self->spatial == 1;
}

gboolean
ns_batchnorm_step (NsBatchNorm *self, GError **error)
{
  gsize t, batch, first, n_rows;
  guint epoch;
  NsStepRates rates;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->step < self->n_steps, FALSE);
  t = self->step + 1;
  batch = self->step % self->batches_per_epoch;
  epoch = (guint) (self->step / self->batches_per_epoch + 1);
  first = self->batch_starts[batch];
  n_rows = self->batch_sizes[batch];
  if (ns_batchnorm_batch_refused (self, batch))
    {
      ns_batchnorm_set_size_error (self, t, n_rows, error);
      return FALSE;
    }
  if (self->permutation != NULL && self->permutation_epoch != epoch)
    ns_batchnorm_enter_epoch (self, epoch);
  ns_step_rates (&self->options, t, &rates);
  for (guint c = 0; c < self->n_active; c++)
    ns_batchnorm_update (self, c, t, &rates, first, n_rows, self->gather);
  self->step = t;
  return TRUE;
}

/* ---- Running channels on threads: each channel's series depend on that channel's batches
 * alone, so threads take channels and step them through an epoch (the shuffle is per epoch);
 * every value is the one a step-by-step run computes. */

#define NS_BATCHNORM_CHECK_EVERY 4096

typedef struct {
  NsBatchNorm *self;
  guint c_begin, c_end; /* channels */
  gsize t_begin, t_end; /* steps, 1-based, inclusive */
  double *gather;
  GCancellable *cancellable;
  gboolean cancelled;
  NsProgressFunc progress; /* the caller's job only */
  gpointer progress_data;
} NsChannelsJob;

static void
ns_channels_job_run (guint index, gpointer data)
{
  NsChannelsJob *job = (NsChannelsJob *) data + index;
  NsBatchNorm *self = job->self;

  for (gsize t = job->t_begin; t <= job->t_end; t++)
    {
      gsize batch = (t - 1) % self->batches_per_epoch;
      NsStepRates rates;

      /* Every step: a step of large batches can take milliseconds, and Ctrl-C should not wait. */
      if (g_cancellable_is_cancelled (job->cancellable))
        {
          job->cancelled = TRUE;
          break;
        }
      if (job->progress != NULL && t % NS_BATCHNORM_CHECK_EVERY == 0)
        job->progress ((double) t / (double) self->n_steps, job->progress_data);
      ns_step_rates (&self->options, t, &rates);
      for (guint c = job->c_begin; c < job->c_end; c++)
        ns_batchnorm_update (self, c, t, &rates, self->batch_starts[batch],
                             self->batch_sizes[batch], job->gather);
    }
}

/* Steps t_begin..t_end (one epoch's) of every channel, on n_threads threads. FALSE: cancelled,
 * with the channels at different steps. */
static gboolean
ns_batchnorm_run_channels (NsBatchNorm *self, guint n_threads, gsize t_begin, gsize t_end,
                           GCancellable *cancellable, NsProgressFunc progress,
                           gpointer progress_data)
{
  g_autofree NsChannelsJob *jobs = g_new0 (NsChannelsJob, n_threads);
  gsize largest = 0;
  gboolean cancelled = FALSE;

  for (gsize b = 0; self->gather != NULL && b < self->batches_per_epoch; b++)
    largest = MAX (largest, self->batch_sizes[b]);

  for (guint i = 0; i < n_threads; i++)
    jobs[i] = (NsChannelsJob) {
      .self = self,
      .c_begin = self->n_active * i / n_threads,
      .c_end = self->n_active * (i + 1) / n_threads,
      .t_begin = t_begin,
      .t_end = t_end,
      .gather = i == 0 ? self->gather : g_new (double, MAX (largest * self->spatial, 1)),
      .cancellable = cancellable,
      .progress = i == 0 ? progress : NULL, /* index 0 runs on the caller's thread */
      .progress_data = progress_data,
    };
  ns_threads_run (n_threads, ns_channels_job_run, jobs);
  for (guint i = 0; i < n_threads; i++)
    {
      if (i > 0)
        g_free (jobs[i].gather);
      cancelled |= jobs[i].cancelled;
    }
  return !cancelled;
}

/* Where the channels can run to in one go: the end of the current epoch, or the step before a
 * batch the preset refuses (ns_batchnorm_step then reports it). */
static gsize
ns_batchnorm_segment_end (const NsBatchNorm *self)
{
  guint epoch = (guint) (self->step / self->batches_per_epoch + 1);
  gsize last = MIN (self->n_steps, (gsize) epoch * self->batches_per_epoch);

  for (gsize t = self->step + 1; t <= last; t++)
    if (ns_batchnorm_batch_refused (self, (t - 1) % self->batches_per_epoch))
      return t - 1;
  return last;
}

static gboolean
ns_batchnorm_run_parallel (NsBatchNorm *self, guint n_threads, GCancellable *cancellable,
                           NsProgressFunc progress, gpointer progress_data, GError **error)
{
  while (self->step < self->n_steps)
    {
      gsize last = ns_batchnorm_segment_end (self);
      guint epoch = (guint) (self->step / self->batches_per_epoch + 1);

      if (last == self->step)
        {
          if (!ns_batchnorm_step (self, error)) /* a refused batch: the step's message */
            return FALSE;
          continue;
        }
      if (self->permutation != NULL && self->permutation_epoch != epoch)
        ns_batchnorm_enter_epoch (self, epoch);
      if (!ns_batchnorm_run_channels (self, n_threads, self->step + 1, last, cancellable, progress,
                                      progress_data))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "cancelled in epoch %u", epoch);
          return FALSE;
        }
      self->step = last;
      if (progress != NULL)
        progress ((double) self->step / (double) self->n_steps, progress_data);
    }
  return TRUE;
}

gboolean
ns_batchnorm_run (NsBatchNorm *self, GCancellable *cancellable, NsProgressFunc progress,
                  gpointer progress_data, GError **error)
{
  guint n_threads;

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->rows != NULL && self->step == 0)
    ns_batchnorm_rows_prepare (self, TRUE);
  if ((n_threads = ns_batchnorm_thread_count (self)) > 1)
    {
      if (!ns_batchnorm_run_parallel (self, n_threads, cancellable, progress, progress_data, error))
        return FALSE;
      if (progress != NULL)
        progress (1.0, progress_data);
      return TRUE;
    }
  while (self->step < self->n_steps)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "cancelled at step %" G_GSIZE_FORMAT,
                       self->step + 1);
          return FALSE;
        }
      if (!ns_batchnorm_step (self, error))
        return FALSE;
      if (progress != NULL && self->step % NS_BATCHNORM_CHECK_EVERY == 0)
        progress ((double) self->step / (double) self->n_steps, progress_data);
    }
  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}
