/* ns-comparison-view.h: small multiples of one feature: raw and two to four of the strategies.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-batchnorm.h"
#include "core/ns-plot.h"
#include "core/ns-strategy.h"
#include "ns-loader.h"

G_BEGIN_DECLS

/* The Compare page offers every strategy of core's NsStrategy. */
#define NS_N_COMPARED_STRATEGIES NS_N_STRATEGIES
#define NS_MAX_STRATEGIES 4

#define NS_TYPE_COMPARISON_VIEW (ns_comparison_view_get_type ())
G_DECLARE_FINAL_TYPE (NsComparisonView, ns_comparison_view, NS, COMPARISON_VIEW, GtkWidget)

GtkWidget *ns_comparison_view_new (void);
/* The loaded data (borrowed; call again with NULL before freeing it). */
void ns_comparison_view_set_data (NsComparisonView *self, const NsLoadResult *data);
/* Shows a dataset column (-1: none). */
void ns_comparison_view_set_column (NsComparisonView *self, int column);
int ns_comparison_view_get_column (NsComparisonView *self);
/* A second file shown normalized with the first file's statistics (borrowed; NULL clears). */
void ns_comparison_view_set_test_data (NsComparisonView *self, const NsDataset *test,
                                       const char *label);

gboolean ns_comparison_view_set_strategy_active (NsComparisonView *self, NsStrategy strategy,
                                                 gboolean active);
/* Shows exactly strategies[0..n), the first four of them (n == 0 changes nothing). */
void ns_comparison_view_set_active_strategies (NsComparisonView *self, const NsStrategy *strategies,
                                               guint n);
gboolean ns_comparison_view_get_strategy_active (NsComparisonView *self, NsStrategy strategy);
/* The active strategies in core's order into strategies (NS_N_COMPARED_STRATEGIES room);
 * returns how many. */
guint ns_comparison_view_get_active_strategies (NsComparisonView *self, NsStrategy *strategies);
void ns_comparison_view_set_qq (NsComparisonView *self, gboolean qq);
gboolean ns_comparison_view_get_qq (NsComparisonView *self);
void ns_comparison_view_set_batch_size (NsComparisonView *self, guint batch_size);
void ns_comparison_view_set_preset (NsComparisonView *self, NsBatchNormPreset preset);
void ns_comparison_view_set_momentum (NsComparisonView *self, double momentum);
/* The batch-norm settings of the controls (for exports). */
void ns_comparison_view_get_batchnorm_options (NsComparisonView *self, NsBatchNormOptions *options);

/* Whether batch norm is being simulated in the worker (its panels appear when it is done). */
gboolean ns_comparison_view_is_simulating (NsComparisonView *self);
/* The figure's text scale (presentation mode). */
void ns_comparison_view_set_font_scale (NsComparisonView *self, double scale);

/* The test file's mean and std beside the training file's for the shown column, or why it has
 * none ("" without a test file). */
const char *ns_comparison_view_get_test_summary (NsComparisonView *self);

/* The plot's data model as drawn. */
NsPlot *ns_comparison_view_get_plot (NsComparisonView *self);
/* Why nothing is plotted (label column, failed simulation), or "". */
const char *ns_comparison_view_get_message (NsComparisonView *self);
/* The figure as shown, at width x height with its text scaled (figure presets). */
gboolean ns_comparison_view_save_figure_sized (NsComparisonView *self, const char *path,
                                               double width, double height, double font_scale,
                                               GError **error);

G_END_DECLS
