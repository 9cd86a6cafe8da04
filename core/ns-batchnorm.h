/* ns-batchnorm.h: the batch-normalization simulator: batch statistics, running statistics as
 * PyTorch, Keras and Flax keep them, moving-average variants, Batch Renormalization and inference
 * mode. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-batchnorm-affine.h"
#include "ns-batchnorm-order.h"
#include "ns-dataset.h"
#include "ns-stats.h"

G_BEGIN_DECLS

/*
 * The simulation trains one BatchNorm layer on a dataset: every numeric feature (tensor: channel)
 * is one channel; a batch of rows [a, b) is the contiguous slice [a * spatial, b * spatial) of each
 * column, so Bessel's n is rows * spatial (BatchNorm2d: N*H*W).
 *
 * Batch sequence. Epoch k (1-based) visits the rows in file order, or, with shuffle, in the order
 * of a permutation made fresh for each epoch: the identity 0..N-1 shuffled by gsl_ran_shuffle with
 * a gsl_rng_mt19937 seeded by gsl_rng_set (rng, shuffle_seed + k - 1). Batches are consecutive runs
 * of batch_size rows of that order; the last smaller batch is used unless drop_last (PyTorch
 * DataLoader). Steps are numbered from 1 over all epochs. With a training order
 * (ns-batchnorm-order.h) epoch k visits the rows in that order's epoch k instead: a DataLoader's
 * own order replayed. The dataset is never copied: shuffled batches are gathered into one
 * batch-sized buffer.
 *
 * Per step and channel: batch mean m, biased variance v (what training normalizes with), unbiased
 * variance v*n/(n-1), the running statistics of the preset and of every requested variant.
 *
 * Momentum conventions: weight-of-new (PyTorch): s = mu*b + (1-mu)*s; weight-of-old (Keras, Flax):
 * s = d*s + (1-d)*b. The variants use the decay d = the old value's weight (1 - mu for PyTorch) and
 * are fed the same batch variance as the preset's EMA (unbiased for pytorch and keras-fused).
 *   ema           the preset's own EMA (= running statistics unless renorm is on)
 *   ema-debiased  TF zero_debias: hidden EMA b~ from 0, b~ -= (b~ - b)(1 - d); value b~ / (1 - d^t)
 *   cumulative    PyTorch momentum=None: factor 1/t
 *   warmup        TF ExponentialMovingAverage(num_updates): d_t = min(d, (1 + t)/(10 + t)) with t
 *                 the number of earlier updates (0 at step 1); starts from the init 0 / 1
 *   window:W      mean of the last W batch statistics (causal, fewer at the start; as
 *                 gsl_movstat_mean with gsl_movstat_alloc2 (W - 1, 0) and GSL_MOVSTAT_END_TRUNCATE)
 *   exact         pooled statistics of every batch so far (Chan merge): mean and variance with the
 *                 estimator the EMA is fed (biased or unbiased)
 *
 * Batch Renormalization (Ioffe 2017) as tf.keras 2 computes it (keras v2.15.0,
 * keras/layers/normalization/batch_normalization.py): sigma_B = sqrt(v + eps); with the renorm
 * mu and sigma *before* the update, sigma floored at sqrt(eps), r = sigma_B / sigma clipped to
 * [r_min, r_max] and d = (m - mu) / sigma clipped to [-d_max, d_max]; training output
 * x * inv + (d*gamma + beta - m * inv), inv = r*gamma / sqrt(v + eps) (tf.nn.batch_normalization).
 * The renorm mu and sigma move at the renorm rate (renorm_momentum), the inference moving mean and
 * moving std (sigma_B, a std, not a variance) at the layer's; every update is TF's
 * s -= (s - b)(1 - decay). All start from 0 and 1. running_var is max(0, std^2 - eps) (1 before
 * step 1, moving_variance's initial value); inference uses the running mean and variance.
 *
 * float32 (pytorch and flax presets, no renorm): every value is rounded to float32; the batch mean
 * and variance and the preset's running mean and variance are computed as PyTorch 1.13's CPU kernel
 * (on one thread) and Flax compute them in float32 (ns-batchnorm-f32.c). The moving-average
 * variants, the exact statistics and the outputs are then computed in float64 from those values.
 */

typedef enum {
  NS_BATCHNORM_PYTORCH,     /* momentum 0.1 weight-of-new, eps 1e-5, unbiased running var */
  NS_BATCHNORM_KERAS,       /* Keras 3 / tf.keras non-fused: 0.99 weight-of-old, eps 1e-3, biased */
  NS_BATCHNORM_KERAS_FUSED, /* tf.keras 2 fused: as keras, unbiased moving var, eps >= 1.001e-5 */
  NS_BATCHNORM_FLAX,        /* 0.99 weight-of-old, eps 1e-5, biased var as max(0, E[x^2]-E[x]^2) */
} NsBatchNormPreset;

typedef enum {
  NS_MOMENTUM_WEIGHT_OF_NEW,
  NS_MOMENTUM_WEIGHT_OF_OLD,
} NsMomentumConvention;

typedef enum {
  NS_AVERAGE_EMA = 1 << 0,
  NS_AVERAGE_EMA_DEBIASED = 1 << 1,
  NS_AVERAGE_CUMULATIVE = 1 << 2,
  NS_AVERAGE_WARMUP = 1 << 3,
  NS_AVERAGE_WINDOW = 1 << 4,
  NS_AVERAGE_EXACT = 1 << 5,
} NsAverage;

#define NS_AVERAGE_ALL 0x3f
#define NS_N_AVERAGES 6

typedef struct {
  NsBatchNormPreset preset;
  double momentum;     /* in `convention`; ignored when cumulative */
  gboolean cumulative; /* PyTorch momentum=None: factor 1/num_batches_tracked */
  NsMomentumConvention convention;
  double eps;
  double min_eps; /* eps is raised to at least this (keras-fused: 1.001e-5), else 0 */
  gboolean unbiased_running_var; /* feed v*n/(n-1) into the EMA (pytorch, keras-fused) */
  gboolean fast_variance;        /* batch variance as max(0, E[x^2] - E[x]^2) (flax) */
  gboolean single_value_error;   /* training on one value per channel is an error (pytorch) */
  gboolean float32; /* batch moments and the preset's EMA as the framework computes them
                     * in float32 (pytorch, flax; see below) */
  gsize batch_size;
  const gsize *batch_sizes; /* optional explicit batch sizes of each epoch (borrowed), used */
  guint n_batch_sizes;      /*   instead of batch_size when n_batch_sizes > 0 */
  guint epochs;
  gboolean shuffle;
  guint64 shuffle_seed;
  const NsBatchNormOrder *order; /* optional (borrowed): each epoch's rows; its epochs and rows
                                  * must be the run's, and it excludes shuffle */
  gboolean drop_last;
  guint averages; /* NsAverage bits */
  guint window;   /* W for NS_AVERAGE_WINDOW */
  gboolean renorm;
  double renorm_rmin;     /* r >= r_min (0: no bound); NAN: 1 / renorm_rmax, the paper's clip */
  double renorm_rmax;     /* r <= r_max (INFINITY: no bound); >= 1 when renorm_rmin is NAN */
  double renorm_dmax;     /* |d| <= d_max (INFINITY: no bound) */
  double renorm_momentum; /* rate of renorm's mu and sigma in `convention`; NAN: the layer's
                           * (momentum, or 1/t when cumulative) */
  double gamma;           /* affine weight (same for every channel) */
  double beta;
  gboolean record_history;  /* keep every step's series (GUI, trace); off saves memory */
  int only_feature;         /* -1: all features; else simulate just this one (GUI fast path) */
  gboolean skip_non_finite; /* leave out the samples where a simulated feature is NaN or
                             * infinite (the GUI's views of messy data; the CLI refuses them) */
  guint n_threads;          /* ns_batchnorm_run's threads, over channels; 0: the cores (one
                             * for small data). The same bits for any number. */
} NsBatchNormOptions;

/* The preset's complete defaults: batch size 32, 1 epoch, no shuffle, averages ema + exact,
 * window 10, no renorm (r in [1/3, 3], d_max 5 and the layer's momentum when switched on),
 * gamma 1, beta 0, history on. */
void ns_batchnorm_options_init (NsBatchNormOptions *options, NsBatchNormPreset preset);
gboolean ns_batchnorm_preset_from_string (const char *name, NsBatchNormPreset *preset,
                                          GError **error);
const char *ns_batchnorm_preset_to_string (NsBatchNormPreset preset);
const char *ns_momentum_convention_to_string (NsMomentumConvention convention);
/* "ema,window:20,exact" -> bits and window; an unknown name is an error. */
gboolean ns_average_parse (const char *spec, guint *averages, guint *window, GError **error);
/* tf.keras' renorm_clipping as "rmin=0.5,rmax=2,dmax=1": each key optional, a missing one
 * unbounded (r_min 0, r_max and d_max INFINITY, as TF sets them); "none" bounds nothing. An
 * unknown or repeated key, or a value that is not a number, is an error. */
gboolean ns_renorm_clipping_parse (const char *spec, double *rmin, double *rmax, double *dmax,
                                   GError **error);
/* "ema", "ema-debiased", ... for one bit. */
const char *ns_average_to_string (NsAverage average);

typedef struct _NsBatchNorm NsBatchNorm;

/* The longest run (epochs x batches per epoch) the simulator accepts: minutes for a few channels
 * of small batches; a window of averages is at most the run's steps. */
#define NS_BATCHNORM_MAX_STEPS G_GUINT64_CONSTANT (1000000000)

/* Validates the options (batch size >= 1, at least one batch, momentum in [0, 1], eps >= 0, at most
 * NS_BATCHNORM_MAX_STEPS steps, window <= steps, ...).
 * data is borrowed and must outlive the simulator; it is never copied or modified. */
NsBatchNorm *ns_batchnorm_new (const NsDataset *data, const NsBatchNormOptions *options,
                               GError **error);
/* The same on a table's values given as rows of its n_features (a .npy read in place,
 * ns-npy-rows.h): data gives the shape and names only, rows must outlive the simulator. Every value
 * is the one ns_batchnorm_new computes on the columns; the outputs (ns_batchnorm_write_outputs,
 * ns_batchnorm_training_output) need the columnar dataset. */
NsBatchNorm *ns_batchnorm_new_on_rows (const NsDataset *data, const double *rows,
                                       const NsBatchNormOptions *options, GError **error);
void ns_batchnorm_free (NsBatchNorm *self);

/* One training step. Fails (and leaves the state at the previous step) on a batch with one value
 * per channel, as PyTorch does. Must not be called once finished. */
gboolean ns_batchnorm_step (NsBatchNorm *self, GError **error);
/* Every remaining step; checks cancellable before every step (NS_ERROR_CANCELLED) and reports
 * progress every few thousand steps, from the calling thread. On several threads
 * (options.n_threads) the channels run side by side through each epoch, and a cancelled run
 * leaves them at different steps: free the simulator then. */
gboolean ns_batchnorm_run (NsBatchNorm *self, GCancellable *cancellable, NsProgressFunc progress,
                           gpointer progress_data, GError **error);

/* After a run: refuses a channel whose running statistics are not finite, naming its first value
 * that is not (a NaN, a missing value, an infinity), or else saying the statistics overflowed.
 * PyTorch would carry such a value into the batch's statistics and every later running average;
 * file (NULL: "the data") names the input in the message. */
gboolean ns_batchnorm_check_finite (const NsBatchNorm *self, const char *file, GError **error);

/* "N rows with a missing or infinite FEATURE are left out: ..." for a run with skipped samples. */
char *ns_batchnorm_skipped_note (gsize n_skipped, const char *feature);

/* The options after preset resolution (eps raised to min_eps, renorm_rmin set, ...). */
const NsBatchNormOptions *ns_batchnorm_get_options (const NsBatchNorm *self);
/* The data simulated: the one given, or with skip_non_finite its finite samples. */
const NsDataset *ns_batchnorm_get_dataset (const NsBatchNorm *self);
/* Samples left out by skip_non_finite. */
gsize ns_batchnorm_get_n_skipped (const NsBatchNorm *self);
gsize ns_batchnorm_get_n_steps (const NsBatchNorm *self); /* all steps of the run */
gsize ns_batchnorm_get_step (const NsBatchNorm *self);    /* steps done = num_batches_tracked */
gboolean ns_batchnorm_is_finished (const NsBatchNorm *self);
gsize ns_batchnorm_get_batches_per_epoch (const NsBatchNorm *self);
/* Epoch (1-based) of step (1-based), and the batch's position in the epoch's row order. */
guint ns_batchnorm_get_step_epoch (const NsBatchNorm *self, gsize step);
void ns_batchnorm_get_step_rows (const NsBatchNorm *self, gsize step, gsize *first, gsize *n_rows);
/* The row order of the epoch last started (n_samples entries); NULL in file order (no shuffle,
 * no training order). */
const gsize *ns_batchnorm_get_permutation (const NsBatchNorm *self);

typedef enum {
  NS_SERIES_BATCH_MEAN,
  NS_SERIES_BATCH_VAR, /* biased (fast for flax): what training normalizes with */
  NS_SERIES_BATCH_VAR_UNBIASED,
  NS_SERIES_RUNNING_MEAN, /* what inference uses */
  NS_SERIES_RUNNING_VAR,
  NS_SERIES_EMA_MEAN,
  NS_SERIES_EMA_VAR,
  NS_SERIES_EMA_DEBIASED_MEAN,
  NS_SERIES_EMA_DEBIASED_VAR,
  NS_SERIES_CUMULATIVE_MEAN,
  NS_SERIES_CUMULATIVE_VAR,
  NS_SERIES_WARMUP_MEAN,
  NS_SERIES_WARMUP_VAR,
  NS_SERIES_WINDOW_MEAN,
  NS_SERIES_WINDOW_VAR,
  NS_SERIES_EXACT_MEAN,
  NS_SERIES_EXACT_VAR,
  NS_SERIES_RENORM_R,
  NS_SERIES_RENORM_D,
  NS_N_SERIES,
} NsSeries;

/* Is the series computed in this run (its variant requested, renorm on)? */
gboolean ns_batchnorm_has_series (const NsBatchNorm *self, NsSeries series);
/* Trace column name ("batch_mean", "ema_debiased_var", "renorm_r", ...). */
const char *ns_series_to_string (NsSeries series);
/* The value after the last step (running series: the initial value before step 1; batch series:
 * NaN before step 1). NaN for a series not computed or a feature not simulated. */
double ns_batchnorm_get_value (const NsBatchNorm *self, NsSeries series, guint feature);
/* History: one value per step done (index step - 1); NULL if not recorded. */
const double *ns_batchnorm_get_series (const NsBatchNorm *self, NsSeries series, guint feature,
                                       gsize *n_steps);

/* The standard deviation inference mode divides by, sqrt(running_var + eps); also the batch's in
 * training mode and layer norm's. */
double ns_batchnorm_inference_scale (double var, double eps);
/* Inference mode on the whole feature: (x - running_mean)/sqrt(running_var + eps)*gamma + beta
 * (renorm: (x - mu)/sigma*gamma + beta). out has n_samples * spatial values, dataset order. */
void ns_batchnorm_inference_output (const NsBatchNorm *self, guint feature, double *out);
/* Training-mode outputs of the epoch last started, from the batch each row was in; rows that epoch
 * did not (yet) use are NaN. */
void ns_batchnorm_training_output (const NsBatchNorm *self, guint feature, double *out);
/* The training-mode normalization of batch (0-based) of the epoch last started, for a feature:
 * ns_batchnorm_affine_apply with it gives ns_batchnorm_training_output's values of that batch. */
void ns_batchnorm_get_training_affine (const NsBatchNorm *self, guint feature, gsize batch,
                                       NsBatchNormAffine *affine);
/* Mean |training - inference| output over the values the last started epoch used. */
double ns_batchnorm_train_inference_gap (const NsBatchNorm *self, guint feature);
/* Both in one pass (the gap figure): fills out as ns_batchnorm_training_output does and returns
 * what ns_batchnorm_train_inference_gap returns, bit for bit. */
double ns_batchnorm_training_output_and_gap (const NsBatchNorm *self, guint feature, double *out);

/* Full-data exact statistics of a feature (NaN skipped): count, mean and variance with ddof. A
 * simulated feature's moments are kept after the first call: not for two threads at once. */
void ns_batchnorm_exact_stats (const NsBatchNorm *self, guint feature, double *count,
                               double *missing, double *mean, double *variance, guint ddof);

/* The stats file: method "batchnorm", params with every setting, num_batches_tracked, per column
 * running_mean/var, each variant's <v>_mean/<v>_var and its <v>_mean_distance/<v>_var_distance from
 * the full-data statistics (with the EMA's variance estimator), the exact (biased) mean/variance,
 * offset/scale of inference mode, train_inference_gap. For the bench: time ns_batchnorm_new +
 * ns_batchnorm_run with record_history FALSE (what the CLI does without --trace). */
NsStats *ns_batchnorm_to_stats (NsBatchNorm *self);
/* One CSV row per step and feature (needs record_history). */
gboolean ns_batchnorm_write_trace (const NsBatchNorm *self, const char *path, GError **error);
/* Training-mode and inference-mode outputs as datasets in the source layout (CSV or, for a path
 * ending in .npy, NPY). Either path may be NULL. */
gboolean ns_batchnorm_write_outputs (const NsBatchNorm *self, const char *train_path,
                                     const char *eval_path, GError **error);

/* The causal moving mean of the last `window` values of x (n values, window >= 1) into y, with
 * gsl_movstat (used to check and rebuild window series, e.g. when only W changes). */
void ns_moving_window_mean (const double *x, gsize n, guint window, double *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsBatchNorm, ns_batchnorm_free)

G_END_DECLS
