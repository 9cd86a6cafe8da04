/* ns-scaler.h: fitted scalers with scikit-learn's and Keras' exact semantics.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-scaler-options.h"
#include "ns-stats.h"

G_BEGIN_DECLS

/* Whether `column` of source can hold sample weights: index is its position (-1: no such column),
 * is_label tells a text column; a tensor has no named columns. Else an error naming source, the
 * same for every reading path. */
gboolean ns_scaler_check_weight_column (const char *source, const char *column, gboolean tensor,
                                        int index, gboolean is_label, GError **error);
/* Moves the numeric column `column` out of data's features into *weights (n_samples values, g_free
 * them): StandardScaler's sample_weight. Every weight must be finite and >= 0 (error naming the
 * column and row); the column then counts as a label, so a transform copies it. */
gboolean ns_scaler_take_sample_weights (NsDataset *data, const char *column, double **weights,
                                        GError **error);

/* Fit on every feature of data. Infinite values are refused (the fit would be NaN) with an error
 * naming the column. */
NsStats *ns_scaler_fit (const NsDataset *data, const NsScalerOptions *options,
                        GCancellable *cancellable, GError **error);
/* Fits options[0..n) on data, each feature's moments (and robust quantiles) computed once for all
 * of them: stats[i], or NULL and errors[i], for each. FALSE when cancelled; the entries not
 * reached by then are left as they were (so the caller starts with NULL ones and frees what is
 * set). */
gboolean ns_scaler_fit_each (const NsDataset *data, const NsScalerOptions *options, guint n,
                             GCancellable *cancellable, NsStats **stats, GError **errors);

G_END_DECLS
