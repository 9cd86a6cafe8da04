/* ns-batchnorm-view-private.h: the batch-norm explorer's fields, shared by ns-batchnorm-view.c and
 * its parts. ns-batchnorm-view.c calls the parts; a part calls only the parts listed below it here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-batchnorm-view.h"
#include "ns-batchnorm-simulation.h"
#include "core/ns-demo.h"

G_BEGIN_DECLS

/* The data of a run, shared with worker threads (atomically reference-counted). */
typedef struct {
  NsDataset *data;
  NsDataset *test;
} NsBatchNormData;

/* A finished run: the figures and the demo's numbers sentence. */
typedef struct {
  NsPlotSeries *figures[NS_BATCHNORM_N_FIGURES];
  char *numbers;
  gsize n_steps;
} NsBatchNormResult;

struct _NsBatchNormView {
  AdwBin parent_instance;

  /* Template widgets */
  GtkDropDown *feature_dropdown;
  GtkDropDown *preset_dropdown;
  GtkScale *batch_scale;
  GtkAdjustment *batch_log_adjustment;
  GtkSpinButton *batch_spin;
  GtkLabel *batch_limit_label;
  GtkLabel *momentum_heading;
  GtkSpinButton *momentum_spin;
  GtkLabel *momentum_other;
  GtkEntry *eps_entry;
  GtkSpinButton *epochs_spin;
  GtkCheckButton *shuffle_check;
  GtkSpinButton *seed_spin;
  GtkCheckButton *drop_last_check;
  GtkCheckButton *debiased_check;
  GtkCheckButton *cumulative_check;
  GtkCheckButton *warmup_check;
  GtkCheckButton *window_check;
  GtkSpinButton *window_spin;
  GtkCheckButton *exact_check;
  GtkCheckButton *renorm_check;
  GtkSpinButton *rmax_spin;
  GtkSpinButton *dmax_spin;
  GtkToggleButton *presentation_button;
  GtkDropDown *export_dropdown;
  GtkEntry *export_entry;
  GtkButton *choose_button;
  GtkButton *export_button;
  GtkLabel *status_label;
  GtkRevealer *demo_revealer;
  GtkLabel *demo_title;
  GtkLabel *demo_text;
  GtkLabel *demo_numbers;
  GtkLabel *demo_recipe;
  GtkButton *demo_close;
  GtkDrawingArea *plot_running;
  GtkDrawingArea *plot_noise;
  GtkDrawingArea *plot_gap;
  GtkDrawingArea *plot_renorm;
  GtkButton *play_button;
  GtkButton *step_button;
  GtkScale *scrub_scale;
  GtkLabel *step_label;

  /* Owned state */
  NsBatchNormData *data;
  NsBatchNormData *user_data; /* the dataset a demo replaced, back when it closes */
  const NsDemo *demo;
  NsBatchNormOptions compare; /* the demo's second setting */
  char *labels[NS_DEMO_MAX_RUNS];
  guint n_runs;
  double eps;
  NsBatchNormSimulation *simulation; /* created by the first run */
  guint idle_id;
  gboolean busy;
  gboolean updating; /* controls being set from code */
  NsBatchNormResult *result;
  gsize cursor;
  double cursor_f;
  guint tick_id;
  gint64 last_frame;
  double scale;
  double presentation_scale; /* the text and line scale while presenting */
};

/* ns-batchnorm-view-export.c: the export row's buttons. */
void _ns_batchnorm_view_export_clicked (NsBatchNormView *self);
void _ns_batchnorm_view_choose_clicked (NsBatchNormView *self);

/* ns-batchnorm-view-simulation.c */
void _ns_batchnorm_view_simulation_class_init (GObjectClass *object_class);
/* Emits settings-changed and re-simulates once the main loop is idle (nothing while updating). */
void _ns_batchnorm_view_schedule (NsBatchNormView *self);
/* data and test owned; reference-counted. */
NsBatchNormData *_ns_batchnorm_data_new (NsDataset *data, NsDataset *test);
void _ns_batchnorm_data_unref (NsBatchNormData *data);
void _ns_batchnorm_result_free (gpointer result);

/* ns-batchnorm-view-options.c */
NsBatchNormPreset _ns_batchnorm_view_preset (NsBatchNormView *self);
/* Shows eps in the entry (shortest text that reads back as eps) and keeps it. */
void _ns_batchnorm_view_set_eps_text (NsBatchNormView *self, double eps);
/* The momentum heading and its other framework's value ("= Keras/Flax 0.9"). */
void _ns_batchnorm_view_update_convention (NsBatchNormView *self);
void _ns_batchnorm_view_show_options (NsBatchNormView *self, const NsBatchNormOptions *options);
void _ns_batchnorm_view_cap_batch_size (NsBatchNormView *self, const NsDataset *dataset);

/* ns-batchnorm-view-figures.c */
GtkDrawingArea *_ns_batchnorm_view_area (NsBatchNormView *self, NsBatchNormFigure figure);
void _ns_batchnorm_view_queue_draws (NsBatchNormView *self);
void _ns_batchnorm_view_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height,
                              gpointer data);
void _ns_batchnorm_view_update_step_label (NsBatchNormView *self);
/* Moves every figure's cursor and the scrubber to self->cursor. */
void _ns_batchnorm_view_apply_cursor (NsBatchNormView *self);
void _ns_batchnorm_view_update_grid (NsBatchNormView *self);

G_END_DECLS
