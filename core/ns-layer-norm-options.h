/* ns-layer-norm-options.h: the options of a normalization layer: its kind, its framework preset and
 * their names. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"

G_BEGIN_DECLS

typedef enum {
  NS_LAYER_NORM_BATCH,
  NS_LAYER_NORM_LAYER,
  NS_LAYER_NORM_INSTANCE,
  NS_LAYER_NORM_GROUP,
  NS_LAYER_NORM_RMS,
} NsLayerNormKind;

typedef enum {
  NS_LAYER_NORM_PYTORCH, /* eps 1e-5 (RMS: DBL_EPSILON), layer/rms over all but axis 0 */
  NS_LAYER_NORM_KERAS,   /* eps 1e-3 (RMS 1e-6), layer/rms over the last axis */
  NS_LAYER_NORM_FLAX,    /* eps 1e-6 (batch 1e-5), layer/rms over the last axis */
} NsLayerNormPreset;

typedef struct {
  NsLayerNormKind kind;
  NsLayerNormPreset preset;
  double eps;                       /* NAN: the preset's default for the kind */
  int channel_axis;                 /* negative counts from the end; default 1 */
  int normalized_axes[NS_MAX_RANK]; /* layer, rms; n_normalized_axes 0: the preset's */
  guint n_normalized_axes;
  guint groups;                 /* group: G, a divisor of C */
  gboolean track_running_stats; /* instance: PyTorch's running buffers */
  double momentum;              /* weight of the new batch (PyTorch), default 0.1 */
  gsize batch_size;             /* batch, instance running stats: rows per batch; 0: all */
  guint n_threads;              /* 0: every core; the same bits for any number */
} NsLayerNormOptions;

void ns_layer_norm_options_init (NsLayerNormOptions *options, NsLayerNormKind kind);
gboolean ns_layer_norm_kind_from_string (const char *name, NsLayerNormKind *kind, GError **error);
const char *ns_layer_norm_kind_to_string (NsLayerNormKind kind);
gboolean ns_layer_norm_preset_from_string (const char *name, NsLayerNormPreset *preset,
                                           GError **error);
const char *ns_layer_norm_preset_to_string (NsLayerNormPreset preset);

G_END_DECLS
