/* ns-layer-norm-private.h: the state of one normalization run, shared by ns-layer-norm.c (the
 * per-sample kinds) and ns-layer-norm-stats.c (batch norm, running statistics, JSON).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-layer-norm-options.h"
#include "ns-layer-norm-stats.h"

struct _NsLayerNorm {
  NsLayerNormOptions options;   /* resolved: eps, channel axis >= 0, normalized axes */
  gsize    shape[NS_MAX_RANK];  /* the input's */
  guint    rank;
  guint    pooled_axes[NS_MAX_RANK];
  guint    n_pooled_axes;
  gsize    stats_shape[NS_MAX_RANK];
  guint    stats_rank;
  gsize    n_stats;             /* product of stats_shape */
  gsize    count;               /* values per statistic */
  double  *mean;                /* NULL for rms */
  double  *variance;            /* NULL for rms */
  double  *mean_square;         /* rms only */
  double  *running_mean;        /* instance with running stats, batch: n_channels values */
  double  *running_var;
  gsize    n_channels;
  gsize    n_batches;           /* running statistics: batches seen */
};

/* Batch norm through the batch-norm simulator: normalizes data's channels in place. */
gboolean ns_layer_norm_apply_batch    (NsLayerNorm *self, NsDataset *data, GError **error);
/* PyTorch InstanceNorm's running buffers from the per-(sample, channel) statistics. */
void     ns_layer_norm_running_stats  (NsLayerNorm *self);
