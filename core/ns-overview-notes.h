/* ns-overview-notes.h: each feature's shape (skewness, Tukey outliers) and a one-line note of what
 * an affine strategy does to it, for the overview grid.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-strategy.h"
#include "ns-summary.h"

G_BEGIN_DECLS

typedef struct {
  double skewness;                 /* g1, as the summary's */
  double lower_fence, upper_fence; /* Q1 − 1.5 IQR and Q3 + 1.5 IQR (Tukey) */
  guint64 count;                   /* values that are not NaN */
  guint64 n_missing;               /* NaN values */
  guint64 n_outliers;              /* values outside the fences */
  double inlier_min, inlier_max;   /* the range of the values inside them */
  double min, max;
} NsFeatureShape;

/* One NsFeatureShape per feature of data (summaries: ns_summary_compute's, one per column), the
 * features spread over n_threads threads (0: all cores). NULL when cancelled. */
GArray *ns_feature_shapes_compute (const NsDataset *data, GArray *summaries, guint n_threads,
                                   GCancellable *cancellable, GError **error);
/* The share of values outside the fences, in [0, 1]. */
double ns_feature_shape_outlier_share (const NsFeatureShape *shape);
/* "skewness 4.96 · 3.1 % beyond 1.5 IQR", then " · 20 missing (4.5 %)" if any (free it). */
char *ns_feature_shape_describe (const NsFeatureShape *shape);
/* What the strategy, applied as y = (x − offset) / scale, does to the feature, in one line:
 * "3.1 % of values beyond 1.5 IQR: min-max squeezes the rest into [0, 0.04]" (free it). */
char *ns_overview_note (const NsFeatureShape *shape, NsStrategy strategy, double offset,
                        double scale);

/* What batch norm in training mode did to the feature, in one line: outputs are the n training-mode
 * outputs (NaN where a row was in no batch), each batch of batch_size scaled by its own mean and
 * std: "3.1 % of values beyond 1.5 IQR: each batch of 32 divides by its own std; the outputs span
 * [-2.1, 5.4]" (free it). */
char *ns_overview_batch_note (const NsFeatureShape *shape, gsize batch_size, const double *outputs,
                              gsize n);

G_END_DECLS
