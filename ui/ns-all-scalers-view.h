/* ns-all-scalers-view.h: the "All Scalers" page: scikit-learn's comparison of every scaler on two
 * features the user picks, fitted off the main thread.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "core/ns-all-scalers.h"

G_BEGIN_DECLS

#define NS_TYPE_ALL_SCALERS_VIEW (ns_all_scalers_view_get_type ())
G_DECLARE_FINAL_TYPE (NsAllScalersView, ns_all_scalers_view, NS, ALL_SCALERS_VIEW, AdwBin)

/* The dataset (copied; NULL clears the page). The first two numeric columns are picked, and the
 * first label column colours the points. */
void ns_all_scalers_view_set_dataset (NsAllScalersView *self, const NsDataset *dataset);
/* Picks the features (column names) and the colour column (NULL: none); the figure is refitted. */
void ns_all_scalers_view_select (NsAllScalersView *self, const char *x, const char *y,
                                 const char *color);
/* The figure shown, or NULL while it is fitted (or without two numeric columns). */
/* The figure is drawn scale times larger, text, lines and points (presentation mode; 1: as usual).
 */
void ns_all_scalers_view_set_text_scale (NsAllScalersView *self, double scale);
double ns_all_scalers_view_get_text_scale (NsAllScalersView *self);
NsAllScalersPlot *ns_all_scalers_view_get_plot (NsAllScalersView *self);
/* Saves the figure shown (PNG, SVG or PDF by the extension; 1600 wide, each row 16:6), never over
 * the dataset's file. */
gboolean ns_all_scalers_view_save_figure (NsAllScalersView *self, const char *path, GError **error);

G_END_DECLS
