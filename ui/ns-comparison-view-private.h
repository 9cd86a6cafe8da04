/* ns-comparison-view-private.h: the Compare page's state, shared by its plot logic
 * (ns-comparison-view.c) and its controls (ns-comparison-view-controls.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-batchnorm-simulation.h"
#include "ns-comparison-view.h"
#include "ns-plot-view.h"
#include "ns-strategy-panels.h"

G_BEGIN_DECLS

struct _NsComparisonView {
  GtkWidget parent_instance;
  GtkWidget *box;
  GtkToggleButton *rows[NS_N_COMPARED_STRATEGIES]; /* in the Strategies popover */
  GtkWidget *chips; /* the active strategies, beside the Strategies button */
  GtkMenuButton *strategies_button;
  GtkWidget *batchnorm_row; /* shown while a batch-norm strategy is chosen */
  GtkSpinButton *batch_size;
  GtkLabel *batch_limit;
  GtkDropDown *preset;
  GtkSpinButton *momentum;
  GtkLabel *convention;
  GtkToggleButton *qq;
  GtkDropDown *range;
  GtkToggleButton *shared_axes;
  GtkToggleButton *log_density;
  NsPlotView *plot_view;
  GtkLabel *readout;
  GtkLabel *notes; /* why a panel is missing, still computing, or what it shows */
  GtkWidget *exclude_button;
  GtkWidget *tensor_row;
  GtkLabel *tensor_shape;
  GtkDropDown *tensor_axis;
  GtkWidget *test_row;
  GtkLabel *test_summary;

  const NsLoadResult *data; /* borrowed */
  int column;
  NsPlotData *raw;       /* the selected column, binned once */
  const NsDataset *test; /* borrowed */
  char *test_label;
  NsPlotData *test_raw;
  NsPlot *plot;
  NsBatchNormSimulation *simulation; /* batch norm of the selected feature, in a worker */
  NsStrategyPanels *panels;          /* power, quantile and normalizer panels, in workers */
  char *message;
  gboolean updating;
};

/* Controls (ns-comparison-view-controls.c). */
GtkWidget *_ns_comparison_view_build_controls (NsComparisonView *self);
GtkWidget *_ns_comparison_view_build_tensor_row (NsComparisonView *self);
void _ns_comparison_view_update_tensor_row (NsComparisonView *self);
GtkWidget *_ns_comparison_view_build_test_row (NsComparisonView *self);
void _ns_comparison_view_update_test_summary (NsComparisonView *self);
/* The chips of the active strategies and which rows may change (two to four strategies). */
void _ns_comparison_view_update_strategies (NsComparisonView *self);

/* Reactions to the controls (ns-comparison-view.c). */
void _ns_comparison_view_strategy_toggled (NsComparisonView *self, GtkToggleButton *row);
void _ns_comparison_view_setting_changed (NsComparisonView *self);
void _ns_comparison_view_preset_changed (NsComparisonView *self);

G_END_DECLS
