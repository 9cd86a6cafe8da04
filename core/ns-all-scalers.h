/* ns-all-scalers.h: the rows of scikit-learn's "compare all scalers" example for two features of a
 * dataset: every transformation fitted and applied by the core's own scalers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-plot-all-scalers.h"

G_BEGIN_DECLS

/* The transformations drawn, in the example's order; the table in ns-all-scalers.c is the one
 * place a row is added. */
guint ns_all_scalers_get_n_rows (void);

/*
 * The figure for the numeric columns x_column and y_column of data (a table): the two-feature
 * dataset as given, then each transformation fitted on it (ns_scaler_fit) and applied
 * (ns_stats_transform). A transformation that cannot be fitted (Box-Cox on non-positive data)
 * becomes a row saying why. color_column (NULL: none) colours the points: a numeric column by its
 * value, a label column by its categories in order of appearance. Errors: a name that is no column,
 * a label column as x or y, a tensor, a cancel (NS_ERROR_CANCELLED).
 */
NsAllScalersPlot *ns_all_scalers_compute (const NsDataset *data, const char *x_column,
                                          const char *y_column, const char *color_column,
                                          guint n_threads, GCancellable *cancellable,
                                          GError **error);

G_END_DECLS
