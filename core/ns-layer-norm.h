/* ns-layer-norm.h: one normalization layer in training mode on a tensor (batch, layer, instance,
 * group and RMS norm), with the statistics it used.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"

G_BEGIN_DECLS

/*
 * Every per-sample kind is one computation: the axes of each sample are split into pooled and kept
 * ones, and every combination of (sample, kept indices) is one group whose values share a mean and
 * a biased variance (two-pass, corrected). The kinds differ only in what they pool and whether they
 * centre:
 *   layer     the normalized axes (default: every axis but the first; keras, flax: the last)
 *   rms       as layer, not centred: x / sqrt(mean(x^2) + eps)
 *   instance  every axis but the sample and channel axes
 *   group     as instance plus the channels of one group (the channel axis split into G x C/G)
 *   batch     the existing batch-norm simulator (ns-batchnorm) in its preset's training mode, over
 *             batches of batch_size rows (0: the whole input as one batch)
 * Output: y = (x - mean) * (1 / sqrt(var + eps)), or x * (1 / sqrt(mean(x^2) + eps)).
 */

typedef enum {
  NS_LAYER_NORM_BATCH,
  NS_LAYER_NORM_LAYER,
  NS_LAYER_NORM_INSTANCE,
  NS_LAYER_NORM_GROUP,
  NS_LAYER_NORM_RMS,
} NsLayerNormKind;

typedef enum {
  NS_LAYER_NORM_PYTORCH,  /* eps 1e-5 (RMS: DBL_EPSILON), layer/rms over all but axis 0 */
  NS_LAYER_NORM_KERAS,    /* eps 1e-3 (RMS 1e-6), layer/rms over the last axis */
  NS_LAYER_NORM_FLAX,     /* eps 1e-6 (batch 1e-5), layer/rms over the last axis */
} NsLayerNormPreset;

typedef struct {
  NsLayerNormKind   kind;
  NsLayerNormPreset preset;
  double   eps;                  /* NAN: the preset's default for the kind */
  int      channel_axis;         /* negative counts from the end; default 1 */
  int      normalized_axes[NS_MAX_RANK];  /* layer, rms; n_normalized_axes 0: the preset's */
  guint    n_normalized_axes;
  guint    groups;               /* group: G, a divisor of C */
  gboolean track_running_stats;  /* instance: PyTorch's running buffers */
  double   momentum;             /* weight of the new batch (PyTorch), default 0.1 */
  gsize    batch_size;           /* batch, instance running stats: rows per batch; 0: all */
  guint    n_threads;            /* 0: every core; the same bits for any number */
} NsLayerNormOptions;

typedef struct _NsLayerNorm NsLayerNorm;

void        ns_layer_norm_options_init   (NsLayerNormOptions *options, NsLayerNormKind kind);
gboolean    ns_layer_norm_kind_from_string   (const char *name, NsLayerNormKind *kind,
                                              GError **error);
const char *ns_layer_norm_kind_to_string     (NsLayerNormKind kind);
gboolean    ns_layer_norm_preset_from_string (const char *name, NsLayerNormPreset *preset,
                                              GError **error);
const char *ns_layer_norm_preset_to_string   (NsLayerNormPreset preset);
/* The checks that need no data (an option the kind has no use for, a value out of range), so a
 * caller can refuse them before loading; ns_layer_norm_apply makes them too. */
gboolean    ns_layer_norm_check_options  (const NsLayerNormOptions *options, GError **error);
/* The reader's kept axes (NsReadOptions.axis) the kind needs for a .npy at path: the channel axis
 * for batch norm, "none" (the tensor in C order as one column) for the others; NULL for a table
 * (a CSV is read as its columns). Freed by the caller. */
char       *ns_layer_norm_read_axis      (const NsLayerNormOptions *options, const char *path);

/* Normalizes every numeric value of data in place (loaded with ns_layer_norm_read_axis; a table is
 * an (N, C) tensor of its numeric columns) and keeps the statistics. Errors name the option. */
NsLayerNorm *ns_layer_norm_apply         (NsDataset *data, const NsLayerNormOptions *options,
                                          GError **error);
void        ns_layer_norm_free           (NsLayerNorm *self);

/* The options after resolving the preset (eps, normalized axes, channel axis >= 0). */
const NsLayerNormOptions *ns_layer_norm_get_options (const NsLayerNorm *self);
/* The input axes each statistic pools (sorted); for group norm the channel axis is one of them. */
const guint *ns_layer_norm_get_pooled_axes (const NsLayerNorm *self, guint *n_axes);
/* The statistics, C order of shape *shape (rank *rank): (N, kept sizes...), (N, G) for group norm,
 * (batches, C) for batch norm. Mean is NULL for RMS norm, which keeps mean(x^2) as mean_square. */
const double *ns_layer_norm_get_mean     (const NsLayerNorm *self);
const double *ns_layer_norm_get_variance (const NsLayerNorm *self);
const double *ns_layer_norm_get_mean_square (const NsLayerNorm *self);
const gsize *ns_layer_norm_get_stats_shape (const NsLayerNorm *self, guint *rank);
/* Values per statistic (batch norm: of a full batch). */
gsize       ns_layer_norm_get_count      (const NsLayerNorm *self);
/* Running buffers (instance with track_running_stats, batch): C values each, else NULL. */
const double *ns_layer_norm_get_running_mean (const NsLayerNorm *self);
const double *ns_layer_norm_get_running_var  (const NsLayerNorm *self);
gsize       ns_layer_norm_get_n_channels (const NsLayerNorm *self);

/* The statistics as JSON (format "normscope-normalize", version 1), written atomically. */
char       *ns_layer_norm_to_json        (const NsLayerNorm *self, const NsDataset *data);
gboolean    ns_layer_norm_write_stats    (const NsLayerNorm *self, const NsDataset *data,
                                          const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsLayerNorm, ns_layer_norm_free)

G_END_DECLS
