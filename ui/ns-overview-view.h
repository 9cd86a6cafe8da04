/* ns-overview-view.h: every numeric feature (rows) against the chosen strategies (columns) as
 * small multiples, with each feature's shape and a note of what each strategy does to it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-batchnorm.h"
#include "core/ns-strategy.h"
#include "ns-loader.h"

G_BEGIN_DECLS

#define NS_TYPE_OVERVIEW_VIEW (ns_overview_view_get_type ())
G_DECLARE_FINAL_TYPE (NsOverviewView, ns_overview_view, NS, OVERVIEW_VIEW, GtkWidget)

/* The loaded data (borrowed; call again with NULL before freeing it: that waits for the worker
 * that bins the features off the main thread). */
void ns_overview_view_set_data (NsOverviewView *self, const NsLoadResult *data);
/* The strategies shown, in order; the scalers and batch norm's two modes get a column each. */
void ns_overview_view_set_strategies (NsOverviewView *self, const NsStrategy *strategies, guint n);
/* Batch norm's batch size, preset and momentum (the Compare page's): a change simulates again
 * when batch norm is shown. */
void ns_overview_view_set_batchnorm_options (NsOverviewView *self,
                                             const NsBatchNormOptions *options);
/* Text, lines and thumbnails scale times their usual size (presentation mode; 1: as usual). */
void ns_overview_view_set_text_scale (NsOverviewView *self, double scale);
double ns_overview_view_get_text_scale (NsOverviewView *self);
/* Whether the worker is done and the grid shows every feature. */
gboolean ns_overview_view_is_ready (NsOverviewView *self);
/* The note under a cell ("" when there is none), for tests. */
const char *ns_overview_view_get_note (NsOverviewView *self, guint feature, guint column);
guint ns_overview_view_get_n_columns (NsOverviewView *self);

G_END_DECLS
