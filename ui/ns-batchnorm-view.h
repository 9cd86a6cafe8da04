/* ns-batchnorm-view.h: the batch-norm explorer: controls, four figures, play/step/scrub, demos,
 * presentation mode and figure export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "core/ns-batchnorm.h"
#include "core/ns-dataset.h"
#include "core/ns-plot-series-bn.h"

G_BEGIN_DECLS

#define NS_TYPE_BATCHNORM_VIEW (ns_batchnorm_view_get_type ())
G_DECLARE_FINAL_TYPE (NsBatchNormView, ns_batchnorm_view, NS, BATCHNORM_VIEW, AdwBin)

GtkWidget *ns_batchnorm_view_new (void);
/* The dataset to explore (copied; NULL clears). Leaves any demo. */
void ns_batchnorm_view_set_dataset (NsBatchNormView *self, const NsDataset *dataset);
/* Loads a guided demo by id: its data, settings and explanation. */
gboolean ns_batchnorm_view_load_demo (NsBatchNormView *self, const char *id, GError **error);
const char *ns_batchnorm_view_get_demo (NsBatchNormView *self);
/* The dataset explored now (a demo's or the user's; NULL when none). */
const NsDataset *ns_batchnorm_view_get_dataset (NsBatchNormView *self);
/* Closes the demo (its banner's close button) and brings back the dataset it replaced. */
void ns_batchnorm_view_close_demo (NsBatchNormView *self);
/* The explanation's numbers sentence of the current demo ("" when none or not computed yet). */
const char *ns_batchnorm_view_get_demo_numbers (NsBatchNormView *self);
/* Fills menu with one "app.demo" item per demo (target: its id). */
void ns_batchnorm_view_fill_demo_menu (GMenu *menu);

/* The controls, as a person sets them (each goes through the widget and its signal). */
void ns_batchnorm_view_set_feature (NsBatchNormView *self, guint feature);
void ns_batchnorm_view_set_preset (NsBatchNormView *self, NsBatchNormPreset preset);
void ns_batchnorm_view_set_batch_size (NsBatchNormView *self, gsize batch_size);
void ns_batchnorm_view_set_momentum (NsBatchNormView *self, double momentum);
void ns_batchnorm_view_set_renorm (NsBatchNormView *self, gboolean renorm);
/* The settings of the main run as the controls say (only_feature and record_history set). */
void ns_batchnorm_view_get_options (NsBatchNormView *self, NsBatchNormOptions *options);
guint ns_batchnorm_view_get_feature (NsBatchNormView *self);

/* Simulation state: a parameter change re-simulates in a worker thread; stale runs are
 * cancelled. */
gboolean ns_batchnorm_view_is_busy (NsBatchNormView *self);
/* Runs the main loop until the latest change is simulated and the figures are rebuilt. */
void ns_batchnorm_view_wait (NsBatchNormView *self);
/* The figure currently shown (NULL before the first simulation). */
NsPlotSeries *ns_batchnorm_view_get_figure (NsBatchNormView *self, NsBatchNormFigure figure);
gsize ns_batchnorm_view_get_n_steps (NsBatchNormView *self);

/* Animation: the cursor step (0: every step shown), play/pause and one step. */
gsize ns_batchnorm_view_get_cursor (NsBatchNormView *self);
void ns_batchnorm_view_set_cursor (NsBatchNormView *self, gsize step);
void ns_batchnorm_view_play (NsBatchNormView *self, gboolean play);
gboolean ns_batchnorm_view_is_playing (NsBatchNormView *self);
void ns_batchnorm_view_step (NsBatchNormView *self);

/* Presentation mode: larger fonts and lines; in a window, full screen without its chrome. */
void ns_batchnorm_view_set_presentation (NsBatchNormView *self, gboolean on);
gboolean ns_batchnorm_view_get_presentation (NsBatchNormView *self);
/* The scale of text and lines while presenting (default 1.6). */
void ns_batchnorm_view_set_presentation_scale (NsBatchNormView *self, double scale);

/* Saves a figure (format from the extension) at the size it has on screen (or 1200 x 700). */
gboolean ns_batchnorm_view_export_figure (NsBatchNormView *self, NsBatchNormFigure figure,
                                          const char *path, GError **error);

/* The same at width x height with its text and lines scaled (figure presets). */
gboolean ns_batchnorm_view_export_figure_sized (NsBatchNormView *self, NsBatchNormFigure figure,
                                                const char *path, double width, double height,
                                                double font_scale, GError **error);
/* The figure chosen in the export controls. */
NsBatchNormFigure ns_batchnorm_view_get_export_choice (NsBatchNormView *self);

G_END_DECLS
