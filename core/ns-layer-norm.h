/* ns-layer-norm.h: one normalization layer in training mode on a tensor (batch, layer, instance,
 * group and RMS norm), with the statistics it used.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"
#include "ns-layer-norm-options.h"
#include "ns-layer-norm-stats.h"

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

/* The checks that need no data (an option the kind has no use for, a value out of range), so a
 * caller can refuse them before loading; ns_layer_norm_apply makes them too. */
gboolean ns_layer_norm_check_options (const NsLayerNormOptions *options, GError **error);
/* The reader's kept axes (NsReadOptions.axis) the kind needs for a .npy at path: the channel axis
 * for batch norm, "none" (the tensor in C order as one column) for the others; NULL for a table
 * (a CSV is read as its columns). Freed by the caller. */
char *ns_layer_norm_read_axis (const NsLayerNormOptions *options, const char *path);

/* Normalizes every numeric value of data in place (loaded with ns_layer_norm_read_axis; a table is
 * an (N, C) tensor of its numeric columns) and keeps the statistics. Errors name the option. */
NsLayerNorm *ns_layer_norm_apply (NsDataset *data, const NsLayerNormOptions *options,
                                  GError **error);
/* The same for a .npy file written straight to a float64 .npy at output_path, never the whole
 * tensor in memory: each block of samples is read from the file's mapping, normalized and
 * written by options->n_threads threads, the same bits as ns_layer_norm_apply; progress (may
 * be NULL) is called on the calling thread only. Only a C-order little-endian float64 tensor and
 * a per-sample kind take this path: for anything else it returns NULL with *streamed FALSE and no
 * error, and the caller loads the file. */
NsLayerNorm *ns_layer_norm_stream_npy (const char *path, const NsLayerNormOptions *options,
                                       const char *output_path, NsProgressFunc progress,
                                       gpointer progress_data, gboolean *streamed, GError **error);
void ns_layer_norm_free (NsLayerNorm *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsLayerNorm, ns_layer_norm_free)

G_END_DECLS
