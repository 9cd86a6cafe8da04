/* ns-layer-norm-stats.h: the statistics one normalization run used, and their JSON file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"
#include "ns-layer-norm-options.h"

G_BEGIN_DECLS

typedef struct _NsLayerNorm NsLayerNorm;

/* The options after resolving the preset (eps, normalized axes, channel axis >= 0). */
const NsLayerNormOptions *ns_layer_norm_get_options (const NsLayerNorm *self);
/* The statistics, C order of shape *shape (rank *rank): (N, kept sizes...), (N, G) for group norm,
 * (batches, C) for batch norm. Mean is NULL for RMS norm, which keeps mean(x^2) as mean_square. */
const double *ns_layer_norm_get_mean (const NsLayerNorm *self);
const double *ns_layer_norm_get_variance (const NsLayerNorm *self);
const double *ns_layer_norm_get_mean_square (const NsLayerNorm *self);
const gsize *ns_layer_norm_get_stats_shape (const NsLayerNorm *self, guint *rank);
/* Running buffers (instance with track_running_stats, batch): C values each, else NULL. */
const double *ns_layer_norm_get_running_mean (const NsLayerNorm *self);
const double *ns_layer_norm_get_running_var (const NsLayerNorm *self);
gsize ns_layer_norm_get_n_channels (const NsLayerNorm *self);

/* The statistics and the input they came from as JSON (format "normscope-normalize", version 1),
 * written atomically. */
gboolean ns_layer_norm_write_stats (const NsLayerNorm *self, const char *path, GError **error);

G_END_DECLS
