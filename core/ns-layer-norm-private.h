/* ns-layer-norm-private.h: the state of one normalization run, shared by ns-layer-norm.c (the
 * per-sample kinds), ns-layer-norm-stream.c (the same, file to file) and ns-layer-norm-stats.c
 * (batch norm, running statistics, JSON).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-batchnorm.h"
#include "ns-layer-norm-options.h"
#include "ns-layer-norm-stats.h"

struct _NsLayerNorm {
  NsLayerNormOptions options; /* resolved: eps, channel axis >= 0, normalized axes */
  gsize shape[NS_MAX_RANK];   /* the input's */
  guint rank;
  guint pooled_axes[NS_MAX_RANK];
  guint n_pooled_axes;
  gsize stats_shape[NS_MAX_RANK];
  guint stats_rank;
  gsize n_stats;        /* product of stats_shape */
  gsize count;          /* values per statistic */
  double *mean;         /* NULL for rms */
  double *variance;     /* NULL for rms */
  double *mean_square;  /* rms only */
  double *running_mean; /* instance with running stats, batch: n_channels values */
  double *running_var;
  gsize n_channels;
  gsize n_batches;   /* running statistics: batches seen */
  char *source_path; /* the input, for the stats file; NULL when not from a file */
  char *source_sha256;
};

/* How a per-sample kind pools one C-ordered sample: its axes merged into runs of pooled or kept
 * axes; the innermost run is either one group's values (pooled) or one value per group (kept). */
typedef struct {
  gsize sample_size;
  gsize run; /* values of the innermost merged axis: contiguous */
  gboolean run_pooled;
  gsize n_rows;     /* runs per sample */
  gsize *row_group; /* each run's group (times run when the innermost axis is kept) */
  gsize n_groups;   /* per sample */
  gsize count;      /* values per group */
} NsPoolPlan;

/* The doubles of scratch ns_layer_norm_pool_sample needs. */
#define NS_LAYER_NORM_WORK(plan) (3 * MAX ((plan)->n_groups, 1))

/* Resolves self->options against self->shape and self->rank (set by the caller); errors name file
 * and the option. */
gboolean ns_layer_norm_resolve (NsLayerNorm *self, const char *file, GError **error);
/* A per-sample kind's plan and its statistics' storage, after ns_layer_norm_resolve. */
gboolean ns_layer_norm_prepare_pooled (NsLayerNorm *self, const char *file, NsPoolPlan *plan,
                                       GError **error);
void ns_pool_plan_clear (NsPoolPlan *plan);
/* Normalizes sample number sample, x (plan->sample_size values), into y (x itself or another
 * buffer) and keeps its statistics; the result depends on nothing else, so any thread may take
 * any sample. */
void ns_layer_norm_pool_sample (NsLayerNorm *self, const NsPoolPlan *plan, gsize sample,
                                const double *x, double *y, double *work);

/* The index of the first of n values that is not finite, or -1. */
gssize ns_layer_norm_first_non_finite (const double *values, gsize n);
/* Refuses data holding a NaN (a missing value) or an infinity, naming the first: the value's
 * index in the tensor, or a table's row and column. */
gboolean ns_layer_norm_check_finite_input (const NsLayerNorm *self, const NsDataset *data,
                                           const char *file, GError **error);
/* After a run: refuses statistics that are not finite. values, the input in C order (NULL when it
 * was normalized in place), names the first value that is not finite; otherwise the statistics
 * overflowed. */
gboolean ns_layer_norm_check_finite_statistics (const NsLayerNorm *self, const double *values,
                                                const char *file, GError **error);

/* Batch norm through the batch-norm simulator: the simulator's options for self's, then, after a
 * run, the statistics' shape and storage for n_channels, and channel c's statistics from feature
 * of bn. */
void ns_layer_norm_batch_options (NsLayerNorm *self, NsBatchNormOptions *o);
void ns_layer_norm_batch_begin (NsLayerNorm *self, const NsBatchNorm *bn, gsize n_channels);
void ns_layer_norm_batch_keep_channel (NsLayerNorm *self, const NsBatchNorm *bn, guint feature,
                                       gsize c);
/* Batch norm of a float64 C-order tensor in a file's mapping, file to file: the channels'
 * statistics on creation (into self, after ns_layer_norm_resolve), then the normalized samples on
 * request. NULL when the loaded path should run instead: a layout it reads faster (channels last,
 * (N, C) tables), or anything it refuses, so its message is the one given. */
typedef struct _NsBatchStream NsBatchStream;
NsBatchStream *ns_batch_stream_new (NsLayerNorm *self, const double *values);
gsize ns_batch_stream_get_sample_size (const NsBatchStream *job);
/* Samples [first, first + n) normalized into out (n * sample size values). */
void ns_batch_stream_fill (const NsBatchStream *job, gsize first, gsize n, double *out);
void ns_batch_stream_free (NsBatchStream *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsBatchStream, ns_batch_stream_free)

/* Normalizes data's channels in place. */
gboolean ns_layer_norm_apply_batch (NsLayerNorm *self, NsDataset *data, GError **error);
/* PyTorch InstanceNorm's running buffers from the per-(sample, channel) statistics. */
void ns_layer_norm_running_stats (NsLayerNorm *self);
