/* ns-axis-explorer.h: which axes batch, layer, instance, group and RMS norm pool, computed on one
 * tensor: each kind's output and statistics for one channel, and the batch-size sweep of the Group
 * Normalization paper (how much each kind's output moves with the batch a sample is in).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-layer-norm-options.h"

G_BEGIN_DECLS

#define NS_AXIS_EXPLORER_N_KINDS (NS_LAYER_NORM_RMS + 1)

typedef struct {
  int channel_axis;         /* negative counts from the end; default 1 */
  guint groups;             /* group norm's G, a divisor of C; 0: the paper's 32 if it divides C,
                             * else C's largest divisor up to C / 2 */
  guint channel;            /* the channel whose values are shown */
  gsize batch_size;         /* batch norm's rows per batch; 0: 2 (the paper's smallest) */
  gsize max_sweep;          /* batch sizes 1..max_sweep in the sweep (at most N); 0: 32 */
  NsLayerNormPreset preset; /* eps of each kind; layer and rms always pool every non-sample axis */
  guint n_threads;          /* 0: every core */
  gboolean skip_non_finite; /* leave out the samples holding a NaN or an infinity (the GUI's view
                             * of messy data); otherwise such data is refused */
} NsAxisExplorerOptions;

typedef struct _NsAxisExplorer NsAxisExplorer;

void ns_axis_explorer_options_init (NsAxisExplorerOptions *options);

/* data: a tensor read in C order as one column (reader axis "none") or a table, seen as (N, C).
 * Runs each kind through ns-layer-norm. Errors name the option; cancellable may be NULL. */
NsAxisExplorer *ns_axis_explorer_new (const NsDataset *data, const NsAxisExplorerOptions *options,
                                      GCancellable *cancellable, GError **error);
void ns_axis_explorer_free (NsAxisExplorer *self);
/* Samples left out by skip_non_finite. */
gsize ns_axis_explorer_get_n_skipped (const NsAxisExplorer *self);

/* A demo tensor when no file is loaded: the digits images (N, 64) seen as (N, 4, 4, 4), channel k
 * being image rows 2k and 2k + 1. digits_csv is the path of data/digits.csv. */
NsDataset *ns_axis_explorer_demo_tensor (const char *digits_csv, GError **error);

/* The options resolved: channel axis >= 1, groups, batch size, sweep length. */
const NsAxisExplorerOptions *ns_axis_explorer_get_options (const NsAxisExplorer *self);
gsize ns_axis_explorer_get_n_samples (const NsAxisExplorer *self);
gsize ns_axis_explorer_get_n_channels (const NsAxisExplorer *self);
/* Values per sample and channel (the product of the axes other than samples and channels). */
gsize ns_axis_explorer_get_spatial (const NsAxisExplorer *self);
/* Why a kind refused the tensor (its output, means and sweep are then NULL), or NULL. */
const char *ns_axis_explorer_get_refusal (const NsAxisExplorer *self, NsLayerNormKind kind);
/* The channel's values, raw and after each kind: N x spatial values, sample-major. */
const double *ns_axis_explorer_get_raw (const NsAxisExplorer *self, gsize *n);
const double *ns_axis_explorer_get_output (const NsAxisExplorer *self, NsLayerNormKind kind,
                                           gsize *n);
/* The mean each sample's channel values were centred with (N values; NULL for rms): batch norm's
 * is its batch's. */
const double *ns_axis_explorer_get_sample_mean (const NsAxisExplorer *self, NsLayerNormKind kind);
/* Root mean square over the channel's values of (output with batches of B) - (output with the whole
 * input as one batch), for B = 1..n (NaN where the kind refuses B). Batch and group norm only. */
const double *ns_axis_explorer_get_sweep (const NsAxisExplorer *self, NsLayerNormKind kind,
                                          gsize *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsAxisExplorer, ns_axis_explorer_free)

G_END_DECLS
