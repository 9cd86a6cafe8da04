/* ns-batchnorm-private.h: the simulator's state, shared by the ns-batchnorm-*.c files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gsl/gsl_rng.h>
#include <string.h>
#include "ns-batchnorm.h"
#include "ns-moments.h"
#include "ns-moments-private.h"

G_BEGIN_DECLS

/* One channel's current state: the value of every series after the last step. */
typedef struct {
  double value[NS_N_SERIES];
  double debias_hidden_mean; /* zero-debias hidden EMAs, started at 0 */
  double debias_hidden_var;
  double window_sum_mean; /* sums of the window ring's contents */
  double window_sum_var;
  NsMoments exact;    /* pooled batches (count, mean, m2 only) */
  double renorm_mean; /* Batch Renormalization's mu and sigma (a std) for r and d */
  double renorm_std;
  double moving_std; /* renorm's inference moving std (tf.keras moving_stddev) */
  NsMoments column;  /* the whole column's moments, once asked for (exact_stats) */
  gboolean column_done;
} NsBatchNormChannel;

struct _NsBatchNorm {
  const NsDataset *data;
  NsDataset *finite_data; /* skip_non_finite's copy, which data then is */
  gsize n_skipped;
  NsBatchNormOptions options;
  gsize *batch_sizes;  /* per batch of an epoch */
  gsize *batch_starts; /* first position in the epoch's row order */
  gsize batches_per_epoch;
  gsize n_steps;
  gsize step;
  gsize n_samples;
  gsize spatial;
  guint n_features;       /* of the dataset */
  guint n_active;         /* simulated channels */
  guint *active;          /* dataset feature of each channel */
  int *channel_of;        /* channel of each dataset feature, or -1 */
  const double **columns; /* per channel: its first value */
  const double *rows;     /* NULL, or the values as rows of n_features (a file read
                           * in place): columns[c] = rows + active[c] */
  gsize column_stride;    /* between a channel's values: 1, or n_features on rows */
  NsBatchNormChannel *channels;
  guint series_mask;            /* 1 << NsSeries computed */
  double *history[NS_N_SERIES]; /* per series: n_active * n_steps, channel-major */
  double *window_ring;          /* per channel: window means then window vars */
  gsize *permutation;           /* NULL in file order */
  guint permutation_epoch;
  gsl_rng *rng;
  double *gather;        /* batch-sized scratch for shuffled batches */
  double *batch_moments; /* rows in file order, float64: per channel and batch of
                          * the epoch, its mean and sum of squares, summarised before
                          * the steps (ns-batchnorm-rows.c); else NULL */
  double *epoch_moments; /* without history: per channel and batch of the epoch
                          * last started, its mean and biased variance; NULL when
                          * that would be large (tiny batches): summarised again */
};

/* On rows read in place: the full-data moments of every channel (kept in the channel) and, with
 * batches (before the first step) when they fit, the summaries of the epoch's batches, in one
 * pass over the rows on the simulation's threads. */
void ns_batchnorm_rows_prepare (NsBatchNorm *self, gboolean batches);

/* On rows read in place: each channel's full-data moments (kept in the channel, if the run did not
 * compute them) and its training/inference gap (into gaps), threads taking channels and reading
 * the rows once each (ns-batchnorm-output.c). */
void ns_batchnorm_rows_columns_work (NsBatchNorm *self, double *gaps);

/* ns-batchnorm-batch.c, below every pass: the threads ns_batchnorm_run and ns_batchnorm_to_stats
 * use over channels. */
guint ns_batchnorm_thread_count (const NsBatchNorm *self);

/* Per-batch moments of n contiguous values: mean and the sum of squared deviations (two-pass, or
 * n * max(0, E[x^2] - E[x]^2) when fast). */
void ns_batch_moments (const double *x, gsize n, gboolean fast, double *mean, double *sum_squares);
/* ns_batch_moments of each of channels [0, width) of n rows read in place (stride values apart),
 * every bit the same, the channels four at a time. */
void ns_batch_moments_rows (const double *rows, gsize stride, gsize n, guint width, gboolean fast,
                            double *mean, double *sum_squares);
/* The values of rows [first, first + n_rows) of the current epoch's order for one channel: the
 * column slice itself without shuffle, else gathered into gather (room for the largest batch). */
/* A feature's first value; the next is column_stride values on. */
const double *ns_batchnorm_feature_values (const NsBatchNorm *self, guint feature);
const double *ns_batchnorm_batch_values (const NsBatchNorm *self, guint channel, gsize first,
                                         gsize n_rows, double *gather);
/* One batch's moments under --dtype f32 (ns-batchnorm-f32.c): float32 values held in doubles. */
typedef struct {
  double mean;
  double var; /* biased: what training normalizes with */
  double var_unbiased;
  double feed;        /* the variance fed to the running EMA, as the framework holds it */
  double sum_squares; /* for the exact variant */
} NsBatchMomentsF32;

/* The framework's float32 reduction of n contiguous values (spatial: values per row and channel).
 */
void ns_batch_moments_f32 (const NsBatchNormOptions *o, const double *x, gsize n, gsize spatial,
                           NsBatchMomentsF32 *m);
/* The preset's running mean and variance (value[0], value[1]) updated in float32. */
void ns_ema_pair_f32 (const NsBatchNormOptions *o, double *value, const NsBatchMomentsF32 *m,
                      double old_weight, double new_weight);

G_END_DECLS
