/* ns-plot-data.h: a column binned once for every plot of it (NsPlotData).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-moments.h"

G_BEGIN_DECLS

/*
 * A column is binned once (NsPlotData) on a fine grid of NS_PLOT_FINE_BINS equal bins over
 * [min, max]. Every normalization strategy except batch norm in training mode is an affine map
 * y = (x - offset) / scale, so its histogram is the raw one with transformed bin edges: exact, and
 * O(bins) to update. Display bins merge a whole number of fine bins (the fine count has many
 * divisors), so no rebinning error appears either. Panels that are not affine (batch norm training
 * outputs) bin their own values on the same fine grid scheme.
 */
#define NS_PLOT_FINE_BINS 3840
#define NS_PLOT_QQ_POINTS 200

typedef struct _NsPlotData NsPlotData;

/* Bins n values (NaN and infinite values skipped and counted). Error when no finite value is left.
 */
NsPlotData *ns_plot_data_new (const double *values, gsize n, GError **error);
/* The same with the Q-Q quantiles read off the fine grid (linear within a bin) instead of selected
 * exactly: O(n) with no copy, for panels rebuilt while a parameter changes. */
NsPlotData *ns_plot_data_new_approximate (const double *values, gsize n, GError **error);
NsPlotData *ns_plot_data_copy (const NsPlotData *self);
void ns_plot_data_free (NsPlotData *self);
const NsMoments *ns_plot_data_get_moments (const NsPlotData *self);
/* "mean 5.84, std 0.825 (150 values)": population std, three significant digits (free it). */
char *ns_plot_data_describe (const NsPlotData *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPlotData, ns_plot_data_free)

G_END_DECLS
