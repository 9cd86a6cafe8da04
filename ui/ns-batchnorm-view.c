/* ns-batchnorm-view.c: the batch-norm explorer: settings, re-simulation off the main thread with
 * coalescing and cancellation, four figures, animation, demos, presentation mode, export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view.h"

#include <math.h>
#include <string.h>
#include "core/ns-reader.h"
#include "core/ns-demo.h"
#include "ns-plot-view.h"

#define NS_ANIMATION_SECONDS 10.0

static const NsBatchNormPreset ns_presets[] = {
  NS_BATCHNORM_PYTORCH, NS_BATCHNORM_KERAS, NS_BATCHNORM_KERAS_FUSED, NS_BATCHNORM_FLAX,
};

/* The data of a run, shared with worker threads. */
typedef struct {
  NsDataset *data;
  NsDataset *test;
} NsBnData;

static void
ns_bn_data_clear (gpointer p)
{
  NsBnData *d = p;

  ns_dataset_free (d->data);
  ns_dataset_free (d->test);
}

static NsBnData *
ns_bn_data_new (NsDataset *data, NsDataset *test)
{
  NsBnData *d = g_atomic_rc_box_new0 (NsBnData);

  d->data = data;
  d->test = test;
  return d;
}

static void
ns_bn_data_unref (NsBnData *d)
{
  g_atomic_rc_box_release_full (d, ns_bn_data_clear);
}

typedef struct {
  NsBnData          *data;
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  char              *labels[NS_DEMO_MAX_RUNS];
  guint              n_runs;
  guint              feature;
  char              *feature_name;
  const NsDemo      *demo;
  guint              generation;
} NsBnJob;

static void
ns_bn_job_free (gpointer p)
{
  NsBnJob *job = p;

  ns_bn_data_unref (job->data);
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_free (job->labels[i]);
  g_free (job->feature_name);
  g_free (job);
}

typedef struct {
  NsSeriesPlot *figures[NS_BN_N_FIGURES];
  char         *numbers;
  gsize         n_steps;
} NsBnResult;

static void
ns_bn_result_free (gpointer p)
{
  NsBnResult *result = p;

  for (guint i = 0; i < NS_BN_N_FIGURES; i++)
    ns_series_plot_free (result->figures[i]);
  g_free (result->numbers);
  g_free (result);
}

struct _NsBatchNormView {
  AdwBin parent_instance;

  /* Template widgets */
  GtkDropDown      *feature_dropdown;
  GtkDropDown      *preset_dropdown;
  GtkScale         *batch_scale;
  GtkAdjustment    *batch_log_adjustment;
  GtkSpinButton    *batch_spin;
  GtkLabel         *batch_limit_label;
  GtkLabel         *momentum_heading;
  GtkSpinButton    *momentum_spin;
  GtkLabel         *momentum_other;
  GtkEntry         *eps_entry;
  GtkSpinButton    *epochs_spin;
  GtkCheckButton   *shuffle_check;
  GtkSpinButton    *seed_spin;
  GtkCheckButton   *drop_last_check;
  GtkCheckButton   *debiased_check;
  GtkCheckButton   *cumulative_check;
  GtkCheckButton   *warmup_check;
  GtkCheckButton   *window_check;
  GtkSpinButton    *window_spin;
  GtkCheckButton   *exact_check;
  GtkCheckButton   *renorm_check;
  GtkSpinButton    *rmax_spin;
  GtkSpinButton    *dmax_spin;
  GtkToggleButton  *presentation_button;
  GtkDropDown      *export_dropdown;
  GtkEntry         *export_entry;
  GtkButton        *choose_button;
  GtkButton        *export_button;
  GtkLabel         *status_label;
  GtkRevealer      *demo_revealer;
  GtkLabel         *demo_title;
  GtkLabel         *demo_text;
  GtkLabel         *demo_numbers;
  GtkLabel         *demo_recipe;
  GtkButton        *demo_close;
  GtkDrawingArea   *plot_running;
  GtkDrawingArea   *plot_noise;
  GtkDrawingArea   *plot_gap;
  GtkDrawingArea   *plot_renorm;
  GtkButton        *play_button;
  GtkButton        *step_button;
  GtkScale         *scrub_scale;
  GtkLabel         *step_label;

  /* Owned state */
  NsBnData           *data;
  NsBnData           *user_data;      /* the dataset a demo replaced, back when it closes */
  const NsDemo       *demo;
  NsBatchNormOptions  compare;        /* the demo's second setting */
  char               *labels[NS_DEMO_MAX_RUNS];
  guint               n_runs;
  double              eps;
  GCancellable       *cancellable;
  guint               generation;
  guint               idle_id;
  gboolean            busy;
  gboolean            updating;       /* controls being set from code */
  NsBnResult         *result;
  gsize               cursor;
  double              cursor_f;
  guint               tick_id;
  gint64              last_frame;
  double              scale;
  double              presentation_scale;  /* the text and line scale while presenting */
};

G_DEFINE_FINAL_TYPE (NsBatchNormView, ns_batchnorm_view, ADW_TYPE_BIN)

static GtkDrawingArea *
ns_batchnorm_view_area (NsBatchNormView *self, NsBnFigure figure)
{
  GtkDrawingArea *areas[] = { self->plot_running, self->plot_noise, self->plot_gap,
                              self->plot_renorm };

  return areas[figure];
}

static void
ns_batchnorm_view_queue_draws (NsBatchNormView *self)
{
  for (guint f = 0; f < NS_BN_N_FIGURES; f++)
    gtk_widget_queue_draw (GTK_WIDGET (ns_batchnorm_view_area (self, f)));
}

static void
ns_batchnorm_view_toast (NsBatchNormView *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  gtk_label_set_text (self->status_label, text);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* Controls -> options. */

static NsBatchNormPreset
ns_batchnorm_view_preset (NsBatchNormView *self)
{
  guint i = gtk_drop_down_get_selected (self->preset_dropdown);

  return ns_presets[MIN (i, G_N_ELEMENTS (ns_presets) - 1)];
}

guint
ns_batchnorm_view_get_feature (NsBatchNormView *self)
{
  guint f = gtk_drop_down_get_selected (self->feature_dropdown);

  return f == GTK_INVALID_LIST_POSITION ? 0 : f;
}

void
ns_batchnorm_view_get_options (NsBatchNormView *self, NsBatchNormOptions *o)
{
  ns_batchnorm_options_init (o, ns_batchnorm_view_preset (self));
  o->batch_size = (gsize) gtk_spin_button_get_value_as_int (self->batch_spin);
  o->momentum = gtk_spin_button_get_value (self->momentum_spin);
  o->eps = self->eps;
  o->epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
  o->shuffle = gtk_check_button_get_active (self->shuffle_check);
  o->shuffle_seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  o->drop_last = gtk_check_button_get_active (self->drop_last_check);
  o->averages = NS_AVERAGE_EMA;
  if (gtk_check_button_get_active (self->debiased_check))
    o->averages |= NS_AVERAGE_EMA_DEBIASED;
  if (gtk_check_button_get_active (self->cumulative_check))
    o->averages |= NS_AVERAGE_CUMULATIVE;
  if (gtk_check_button_get_active (self->warmup_check))
    o->averages |= NS_AVERAGE_WARMUP;
  if (gtk_check_button_get_active (self->window_check))
    o->averages |= NS_AVERAGE_WINDOW;
  if (gtk_check_button_get_active (self->exact_check))
    o->averages |= NS_AVERAGE_EXACT;
  o->window = (guint) gtk_spin_button_get_value_as_int (self->window_spin);
  o->renorm = gtk_check_button_get_active (self->renorm_check);
  o->renorm_rmax = gtk_spin_button_get_value (self->rmax_spin);
  o->renorm_dmax = gtk_spin_button_get_value (self->dmax_spin);
  o->record_history = TRUE;
  o->only_feature = (int) ns_batchnorm_view_get_feature (self);
}

static void
ns_batchnorm_view_update_convention (NsBatchNormView *self)
{
  NsBatchNormPreset preset = ns_batchnorm_view_preset (self);
  double m = gtk_spin_button_get_value (self->momentum_spin);
  g_autofree char *other = ns_bn_format_number (1 - m);
  g_autofree char *text = NULL;

  if (preset == NS_BATCHNORM_PYTORCH)
    {
      gtk_label_set_text (self->momentum_heading, "Momentum (PyTorch: weight of the new batch)");
      text = g_strdup_printf ("= Keras/Flax %s", other);
    }
  else
    {
      gtk_label_set_text (self->momentum_heading, "Momentum (Keras/Flax: weight of the old value)");
      text = g_strdup_printf ("= PyTorch %s", other);
    }
  gtk_label_set_text (self->momentum_other, text);
}

/* Simulation. */

static void
ns_batchnorm_view_thread (GTask *task, gpointer source, gpointer task_data,
                          GCancellable *cancellable)
{
  NsBnJob *job = task_data;
  NsBatchNorm *bns[NS_DEMO_MAX_RUNS] = { NULL };
  NsBnRun runs[NS_DEMO_MAX_RUNS];
  NsBnFigureOptions fig = { job->feature_name, NULL, 0 };
  NsBnResult *result;
  GError *error = NULL;

  for (guint r = 0; r < job->n_runs; r++)
    {
      bns[r] = ns_batchnorm_new (job->data->data, &job->options[r], &error);
      if (bns[r] == NULL || !ns_batchnorm_run (bns[r], cancellable, NULL, NULL, &error))
        {
          for (guint k = 0; k <= r; k++)
            ns_batchnorm_free (bns[k]);
          g_task_return_error (task, error);
          return;
        }
      runs[r] = (NsBnRun) { bns[r], job->feature, job->labels[r] };
    }
  if (job->data->test != NULL)
    {
      fig.test_values = ns_dataset_get_values (job->data->test,
                                               ns_dataset_get_feature_column (job->data->test, 0));
      fig.n_test = ns_dataset_get_n_samples (job->data->test);
    }
  result = g_new0 (NsBnResult, 1);
  for (guint f = 0; f < NS_BN_N_FIGURES; f++)
    result->figures[f] = ns_bn_figure_new (f, runs, job->n_runs, &fig);
  result->n_steps = ns_batchnorm_get_n_steps (bns[0]);
  if (job->demo != NULL)
    result->numbers = ns_demo_numbers (job->demo, bns, job->n_runs, job->feature,
                                       job->data->test);
  for (guint r = 0; r < job->n_runs; r++)
    ns_batchnorm_free (bns[r]);
  g_task_return_pointer (task, result, ns_bn_result_free);
}

static void
ns_batchnorm_view_update_step_label (NsBatchNormView *self)
{
  g_autofree char *text = NULL;
  gsize n = self->result ? self->result->n_steps : 0;

  if (n == 0)
    text = g_strdup ("");
  else if (self->cursor == 0)
    text = g_strdup_printf ("all %zu steps", n);
  else
    text = g_strdup_printf ("step %zu / %zu", self->cursor, n);
  gtk_label_set_text (self->step_label, text);
}

static void
ns_batchnorm_view_apply_cursor (NsBatchNormView *self)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scrub_scale));

  if (self->result == NULL)
    return;
  if (self->cursor > self->result->n_steps)
    self->cursor = self->result->n_steps;
  for (guint f = 0; f < NS_BN_N_FIGURES; f++)
    ns_series_plot_set_cursor (self->result->figures[f], self->cursor);
  self->updating = TRUE;
  gtk_adjustment_configure (adj, self->cursor == 0 ? (double) self->result->n_steps : self->cursor,
                            1, MAX ((double) self->result->n_steps, 1), 1,
                            MAX (1, self->result->n_steps / 20), 0);
  self->updating = FALSE;
  ns_batchnorm_view_update_step_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot_running));
  gtk_widget_queue_draw (GTK_WIDGET (self->plot_renorm));
}

/* The renorm figure only takes room when renorm is on; the gap figure spans the row otherwise. */
static void
ns_batchnorm_view_update_grid (NsBatchNormView *self)
{
  gboolean renorm = gtk_check_button_get_active (self->renorm_check);
  GtkWidget *grid = gtk_widget_get_parent (GTK_WIDGET (self->plot_gap));
  GtkLayoutChild *child = gtk_layout_manager_get_layout_child (gtk_widget_get_layout_manager (grid),
                                                               GTK_WIDGET (self->plot_gap));

  gtk_widget_set_visible (GTK_WIDGET (self->plot_renorm), renorm);
  gtk_grid_layout_child_set_column_span (GTK_GRID_LAYOUT_CHILD (child), renorm ? 1 : 2);
}

static void
ns_batchnorm_view_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  NsBatchNormView *self = NS_BATCHNORM_VIEW (source);
  NsBnJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  NsBnResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (job->generation != self->generation || self->plot_running == NULL)
    {
      g_clear_pointer (&result, ns_bn_result_free);
      return;  /* a stale run (a newer one is under way), or the view is being disposed */
    }
  self->busy = FALSE;
  if (result == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->result, ns_bn_result_free);
  self->result = result;
  if (self->demo != NULL && result->numbers != NULL)
    gtk_label_set_text (self->demo_numbers, result->numbers);
  gtk_label_set_text (self->status_label, "");
  ns_batchnorm_view_update_grid (self);
  ns_batchnorm_view_apply_cursor (self);
  ns_batchnorm_view_queue_draws (self);
}

static gboolean
ns_batchnorm_view_start (gpointer data)
{
  NsBatchNormView *self = data;
  NsBnJob *job;
  g_autoptr (GTask) task = NULL;
  guint feature;

  self->idle_id = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;
  if (self->data == NULL)
    {
      self->busy = FALSE;
      return G_SOURCE_REMOVE;
    }
  feature = ns_batchnorm_view_get_feature (self);
  job = g_new0 (NsBnJob, 1);
  job->data = g_atomic_rc_box_acquire (self->data);
  job->generation = self->generation;
  job->demo = self->demo;
  job->feature = feature;
  job->feature_name = g_strdup (ns_dataset_get_column_name (
    self->data->data, ns_dataset_get_feature_column (self->data->data, feature)));
  ns_batchnorm_view_get_options (self, &job->options[0]);
  job->n_runs = self->n_runs;
  if (job->n_runs > 1)
    {
      job->options[1] = self->compare;
      job->options[1].only_feature = (int) feature;
      job->options[1].record_history = TRUE;
    }
  for (guint r = 0; r < job->n_runs; r++)
    job->labels[r] = g_strdup (self->labels[r]);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  task = g_task_new (self, self->cancellable, ns_batchnorm_view_done, NULL);
  g_task_set_task_data (task, job, ns_bn_job_free);
  g_task_run_in_thread (task, ns_batchnorm_view_thread);
  return G_SOURCE_REMOVE;
}

/* Changes coalesce: every change in one main-loop iteration starts one run. */
enum { SIGNAL_SETTINGS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
ns_batchnorm_view_schedule (NsBatchNormView *self)
{
  if (self->updating)
    return;
  g_signal_emit (self, signals[SIGNAL_SETTINGS_CHANGED], 0);
  ns_batchnorm_view_update_convention (self);
  self->busy = self->data != NULL;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, ns_batchnorm_view_start, self, NULL);
}

gboolean
ns_batchnorm_view_is_busy (NsBatchNormView *self)
{
  return self->busy || self->idle_id != 0;
}

void
ns_batchnorm_view_wait (NsBatchNormView *self)
{
  while (ns_batchnorm_view_is_busy (self))
    g_main_context_iteration (NULL, TRUE);
}

NsSeriesPlot *
ns_batchnorm_view_get_figure (NsBatchNormView *self, NsBnFigure figure)
{
  g_return_val_if_fail ((guint) figure < NS_BN_N_FIGURES, NULL);
  return self->result ? self->result->figures[figure] : NULL;
}

gsize
ns_batchnorm_view_get_n_steps (NsBatchNormView *self)
{
  return self->result ? self->result->n_steps : 0;
}

/* Drawing. */

static void
ns_batchnorm_view_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NsBatchNormView *self = data;
  NsBnFigure figure = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "ns-figure"));
  gboolean dark = ns_plot_view_widget_is_dark (GTK_WIDGET (area));
  NsSeriesPlot *plot = ns_batchnorm_view_get_figure (self, figure);

  if (plot == NULL)
    {
      cairo_text_extents_t ext;
      const char *text = figure == NS_BN_FIGURE_RUNNING
                           ? "Open a dataset, or choose a demo in the menu (Demos)" : "";

      cairo_set_source_rgba (cr, dark, dark, dark, 0.55);
      cairo_set_font_size (cr, 14 * self->scale);
      cairo_text_extents (cr, text, &ext);
      cairo_move_to (cr, (width - ext.width) / 2, height / 2.0);
      cairo_show_text (cr, text);
      return;
    }
  ns_series_plot_set_dark (plot, dark);
  ns_series_plot_set_paint_background (plot, FALSE);
  ns_series_plot_set_scale (plot, self->scale);
  ns_series_plot_draw (plot, cr, width, height);
}

/* Animation. */

static gboolean
ns_batchnorm_view_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  NsBatchNormView *self = NS_BATCHNORM_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gsize n = ns_batchnorm_view_get_n_steps (self);
  double speed = MAX (n / NS_ANIMATION_SECONDS, 4);

  if (self->last_frame > 0)
    self->cursor_f += speed * (now - self->last_frame) / 1e6;
  self->last_frame = now;
  self->cursor = MIN ((gsize) self->cursor_f, n);
  if (self->cursor == 0)
    self->cursor = 1;
  ns_batchnorm_view_apply_cursor (self);
  if (self->cursor >= n)
    {
      ns_batchnorm_view_play (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
ns_batchnorm_view_play (NsBatchNormView *self, gboolean play)
{
  gsize n = ns_batchnorm_view_get_n_steps (self);

  if (play == (self->tick_id != 0))
    return;
  if (play && n > 0)
    {
      if (self->cursor == 0 || self->cursor >= n)
        self->cursor = 1;
      self->cursor_f = (double) self->cursor;
      self->last_frame = 0;
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), ns_batchnorm_view_tick,
                                                    NULL, NULL);
      ns_batchnorm_view_apply_cursor (self);
    }
  else if (!play && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  gtk_button_set_icon_name (self->play_button, self->tick_id ? "media-playback-pause-symbolic"
                                                             : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               self->tick_id ? "Pause" : "Play the training steps");
}

gboolean
ns_batchnorm_view_is_playing (NsBatchNormView *self)
{
  return self->tick_id != 0;
}

void
ns_batchnorm_view_step (NsBatchNormView *self)
{
  gsize n = ns_batchnorm_view_get_n_steps (self);

  ns_batchnorm_view_play (self, FALSE);
  if (n == 0)
    return;
  self->cursor = self->cursor == 0 || self->cursor >= n ? 1 : self->cursor + 1;
  ns_batchnorm_view_apply_cursor (self);
}

gsize
ns_batchnorm_view_get_cursor (NsBatchNormView *self)
{
  return self->cursor;
}

void
ns_batchnorm_view_set_cursor (NsBatchNormView *self, gsize step)
{
  self->cursor = step;
  ns_batchnorm_view_apply_cursor (self);
}

/* Signal handlers. */

static void
ns_batchnorm_view_changed (NsBatchNormView *self)
{
  ns_batchnorm_view_schedule (self);
}

static void
ns_batchnorm_view_batch_log_changed (NsBatchNormView *self)
{
  double v = gtk_adjustment_get_value (self->batch_log_adjustment);

  if (self->updating)
    return;
  self->updating = TRUE;
  gtk_spin_button_set_value (self->batch_spin, round (exp2 (v)));
  self->updating = FALSE;
  ns_batchnorm_view_schedule (self);
}

static void
ns_batchnorm_view_batch_spin_changed (NsBatchNormView *self)
{
  if (self->updating)
    return;
  self->updating = TRUE;
  gtk_adjustment_set_value (self->batch_log_adjustment,
                            log2 (gtk_spin_button_get_value (self->batch_spin)));
  self->updating = FALSE;
  ns_batchnorm_view_schedule (self);
}

static void
ns_batchnorm_view_set_eps_text (NsBatchNormView *self, double eps)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  self->eps = eps;
  gtk_editable_set_text (GTK_EDITABLE (self->eps_entry), g_ascii_formatd (buf, sizeof buf, "%g",
                                                                          eps));
}

static void
ns_batchnorm_view_eps_changed (NsBatchNormView *self)
{
  const char *entered = gtk_editable_get_text (GTK_EDITABLE (self->eps_entry));
  g_autofree char *text = g_strstrip (g_strdup (entered));
  double eps;

  if (self->updating)
    return;
  /* The CLI's parser; the range is the core's to check (its message shows in the status line). */
  if (*text == '\0' || !ns_parse_double (text, strlen (text), &eps))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->eps_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->eps_entry), "error");
  self->eps = eps;
  ns_batchnorm_view_schedule (self);
}

static void
ns_batchnorm_view_preset_changed (NsBatchNormView *self)
{
  NsBatchNormOptions defaults;

  if (self->updating)
    return;
  ns_batchnorm_options_init (&defaults, ns_batchnorm_view_preset (self));
  self->updating = TRUE;
  gtk_spin_button_set_value (self->momentum_spin, defaults.momentum);
  ns_batchnorm_view_set_eps_text (self, defaults.eps);
  self->updating = FALSE;
  ns_batchnorm_view_schedule (self);
}

static void
ns_batchnorm_view_scrubbed (NsBatchNormView *self)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scrub_scale));

  if (self->updating || self->result == NULL)
    return;
  ns_batchnorm_view_play (self, FALSE);
  self->cursor = (gsize) round (gtk_adjustment_get_value (adj));
  if (self->cursor >= self->result->n_steps)
    self->cursor = 0;  /* the end of the scrubber shows every step */
  ns_batchnorm_view_apply_cursor (self);
}

static void
ns_batchnorm_view_play_clicked (NsBatchNormView *self)
{
  ns_batchnorm_view_play (self, self->tick_id == 0);
}

static void
ns_batchnorm_view_presentation_toggled (NsBatchNormView *self)
{
  gboolean on = gtk_toggle_button_get_active (self->presentation_button);

  self->scale = on ? self->presentation_scale : 1;
  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  /* The window goes full screen and hides its chrome (win.presentation-state, ns-window.c). */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.presentation-state", "b", on);
  ns_batchnorm_view_queue_draws (self);
}

void
ns_batchnorm_view_set_presentation (NsBatchNormView *self, gboolean on)
{
  gtk_toggle_button_set_active (self->presentation_button, on);
}

void
ns_batchnorm_view_set_presentation_scale (NsBatchNormView *self, double scale)
{
  self->presentation_scale = scale;
  if (gtk_toggle_button_get_active (self->presentation_button))
    {
      self->scale = scale;
      ns_batchnorm_view_queue_draws (self);
    }
}

gboolean
ns_batchnorm_view_get_presentation (NsBatchNormView *self)
{
  return gtk_toggle_button_get_active (self->presentation_button);
}

/* Export. */

gboolean
ns_batchnorm_view_export_figure_sized (NsBatchNormView *self, NsBnFigure figure, const char *path,
                                       double width, double height, double font_scale,
                                       GError **error)
{
  NsSeriesPlot *plot = ns_batchnorm_view_get_figure (self, figure);
  NsPlotFormat format;
  gboolean saved;

  if (!ns_plot_format_from_path (path, &format, error))
    return FALSE;
  if (plot == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: nothing to export yet: open a dataset or a demo", path);
      return FALSE;
    }
  ns_series_plot_set_scale (plot, font_scale);
  saved = ns_series_plot_save (plot, path, format, width, height, error);
  ns_series_plot_set_scale (plot, self->scale);
  return saved;
}

NsBnFigure
ns_batchnorm_view_get_export_choice (NsBatchNormView *self)
{
  return MIN (gtk_drop_down_get_selected (self->export_dropdown), NS_BN_N_FIGURES - 1);
}

gboolean
ns_batchnorm_view_export_figure (NsBatchNormView *self, NsBnFigure figure, const char *path,
                                 GError **error)
{
  NsSeriesPlot *plot = ns_batchnorm_view_get_figure (self, figure);
  GtkWidget *area = GTK_WIDGET (ns_batchnorm_view_area (self, figure));
  NsPlotFormat format;
  double width = gtk_widget_get_width (area), height = gtk_widget_get_height (area);

  if (!ns_plot_format_from_path (path, &format, error))
    return FALSE;
  if (plot == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: nothing to export yet: open a dataset or a demo", path);
      return FALSE;
    }
  if (width < 200 || height < 150)
    width = 1200, height = 700;
  return ns_series_plot_save (plot, path, format, width, height, error);
}

static void
ns_batchnorm_view_export_to (NsBatchNormView *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  guint figure = gtk_drop_down_get_selected (self->export_dropdown);
  g_autofree char *message = NULL;

  if (!ns_batchnorm_view_export_figure (self, MIN (figure, NS_BN_N_FIGURES - 1), path, &error))
    message = g_strdup (error->message);
  else
    message = g_strdup_printf ("Figure saved to %s", path);
  ns_batchnorm_view_toast (self, message);
}

static void
ns_batchnorm_view_choose_response (GtkNativeDialog *dialog, int response, NsBatchNormView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self->export_entry), path);
          ns_batchnorm_view_export_to (self, path);
        }
    }
  g_object_unref (dialog);
}

static void
ns_batchnorm_view_choose_clicked (NsBatchNormView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new ("Export Figure", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "figure.png");
  g_signal_connect (dialog, "response", G_CALLBACK (ns_batchnorm_view_choose_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
ns_batchnorm_view_export_clicked (NsBatchNormView *self)
{
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->export_entry));

  if (path[0] == '\0')
    ns_batchnorm_view_choose_clicked (self);
  else
    ns_batchnorm_view_export_to (self, path);
}

/* Data and demos. */

/* A batch cannot hold more rows than the data has: the slider and the spin stop at the row count. */
static void
ns_batchnorm_view_cap_batch_size (NsBatchNormView *self, const NsDataset *dataset)
{
  gsize rows = dataset ? ns_dataset_get_n_samples (dataset) : 4096;
  double cap = CLAMP ((double) rows, 2, 4096);
  g_autofree char *why = NULL;

  if (rows < 4096)
    why = g_strdup_printf ("At most %.0f: a batch cannot hold more rows than the data has.", cap);
  self->updating = TRUE;
  gtk_spin_button_set_range (self->batch_spin, 2, cap);
  gtk_adjustment_set_upper (self->batch_log_adjustment, log2 (cap));
  self->updating = FALSE;
  gtk_label_set_text (self->batch_limit_label, why ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->batch_limit_label), why != NULL);
}

/* Shows bn (owned; NULL: nothing) with its features in the feature list. */
static void
ns_batchnorm_view_set_bn_data (NsBatchNormView *self, NsBnData *bn)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const NsDataset *data = bn ? bn->data : NULL;

  ns_batchnorm_view_play (self, FALSE);
  ns_batchnorm_view_cap_batch_size (self, data);
  g_clear_pointer (&self->data, ns_bn_data_unref);
  g_clear_pointer (&self->result, ns_bn_result_free);
  self->cursor = 0;
  self->data = bn;
  for (guint f = 0; data != NULL && f < ns_dataset_get_n_features (data); f++)
    gtk_string_list_append (names, ns_dataset_get_column_name (data,
                                                               ns_dataset_get_feature_column (data, f)));
  self->updating = TRUE;
  gtk_drop_down_set_model (self->feature_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->feature_dropdown, 0);
  self->updating = FALSE;
  gtk_label_set_text (self->status_label, self->data ? "" : "No numeric feature to simulate");
  ns_batchnorm_view_update_step_label (self);
  ns_batchnorm_view_queue_draws (self);
}

static void
ns_batchnorm_view_set_data (NsBatchNormView *self, NsDataset *data, NsDataset *test)
{
  if (data != NULL && ns_dataset_get_n_features (data) > 0)
    ns_batchnorm_view_set_bn_data (self, ns_bn_data_new (data, test));
  else
    {
      ns_dataset_free (data);
      ns_dataset_free (test);
      ns_batchnorm_view_set_bn_data (self, NULL);
    }
}

static void
ns_batchnorm_view_leave_demo (NsBatchNormView *self)
{
  self->demo = NULL;
  self->n_runs = 1;
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_clear_pointer (&self->labels[i], g_free);
  gtk_revealer_set_reveal_child (self->demo_revealer, FALSE);
}

void
ns_batchnorm_view_close_demo (NsBatchNormView *self)
{
  ns_batchnorm_view_leave_demo (self);
  ns_batchnorm_view_set_bn_data (self, g_steal_pointer (&self->user_data));
  ns_batchnorm_view_schedule (self);
}

void
ns_batchnorm_view_set_dataset (NsBatchNormView *self, const NsDataset *dataset)
{
  ns_batchnorm_view_leave_demo (self);
  g_clear_pointer (&self->user_data, ns_bn_data_unref);
  ns_batchnorm_view_set_data (self, dataset ? ns_dataset_copy (dataset) : NULL, NULL);
  ns_batchnorm_view_schedule (self);
}

/* Sets every control from options without a re-run per control. */
static void
ns_batchnorm_view_show_options (NsBatchNormView *self, const NsBatchNormOptions *o)
{
  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (ns_presets); i++)
    if (ns_presets[i] == o->preset)
      gtk_drop_down_set_selected (self->preset_dropdown, i);
  gtk_spin_button_set_value (self->batch_spin, (double) o->batch_size);
  gtk_adjustment_set_value (self->batch_log_adjustment, log2 ((double) o->batch_size));
  gtk_spin_button_set_value (self->momentum_spin, o->momentum);
  ns_batchnorm_view_set_eps_text (self, o->eps);
  gtk_spin_button_set_value (self->epochs_spin, o->epochs);
  gtk_check_button_set_active (self->shuffle_check, o->shuffle);
  gtk_spin_button_set_value (self->seed_spin, (double) o->shuffle_seed);
  gtk_check_button_set_active (self->drop_last_check, o->drop_last);
  gtk_check_button_set_active (self->debiased_check, o->averages & NS_AVERAGE_EMA_DEBIASED);
  gtk_check_button_set_active (self->cumulative_check, o->averages & NS_AVERAGE_CUMULATIVE);
  gtk_check_button_set_active (self->warmup_check, o->averages & NS_AVERAGE_WARMUP);
  gtk_check_button_set_active (self->window_check, o->averages & NS_AVERAGE_WINDOW);
  gtk_check_button_set_active (self->exact_check, o->averages & NS_AVERAGE_EXACT);
  gtk_spin_button_set_value (self->window_spin, o->window);
  gtk_check_button_set_active (self->renorm_check, o->renorm);
  gtk_spin_button_set_value (self->rmax_spin, o->renorm_rmax);
  gtk_spin_button_set_value (self->dmax_spin, o->renorm_dmax);
  self->updating = FALSE;
}

gboolean
ns_batchnorm_view_load_demo (NsBatchNormView *self, const char *id, GError **error)
{
  const NsDemo *demo = ns_demo_find (id);
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  const char *labels[NS_DEMO_MAX_RUNS] = { NULL };
  g_autofree char *sample = NULL;
  NsDataset *data, *test = NULL;
  g_autofree char *recipe = NULL;

  if (demo == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "no demo named '%s'", id);
      return FALSE;
    }
  if (ns_demo_get_sample (demo) != NULL)
    sample = ns_demo_find_sample_file (ns_demo_get_sample (demo));
  data = ns_demo_make_dataset (demo, sample, &test, error);
  if (data == NULL)
    return FALSE;
  /* Kept while demos follow one another, for ns_batchnorm_view_close_demo. */
  if (self->demo == NULL && self->user_data == NULL && self->data != NULL)
    self->user_data = g_atomic_rc_box_acquire (self->data);
  ns_batchnorm_view_leave_demo (self);
  ns_batchnorm_view_set_data (self, data, test);
  if (ns_demo_get_column (demo) != NULL && self->data != NULL)
    for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
      if (g_strcmp0 (ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
                     ns_demo_get_column (demo)) == 0)
        {
          self->updating = TRUE;
          gtk_drop_down_set_selected (self->feature_dropdown, f);
          self->updating = FALSE;
        }
  self->demo = demo;
  self->n_runs = ns_demo_get_settings (demo, options, labels);
  ns_batchnorm_view_show_options (self, &options[0]);
  if (self->n_runs > 1)
    self->compare = options[1];
  for (guint i = 0; i < self->n_runs; i++)
    self->labels[i] = g_strdup (labels[i]);
  recipe = g_strdup_printf ("Data: %s", ns_demo_get_recipe (demo));
  gtk_label_set_text (self->demo_title, ns_demo_get_title (demo));
  gtk_label_set_text (self->demo_text, ns_demo_get_explanation (demo));
  gtk_label_set_text (self->demo_numbers, "Simulating…");
  gtk_label_set_text (self->demo_recipe, recipe);
  gtk_revealer_set_reveal_child (self->demo_revealer, TRUE);
  gtk_drop_down_set_selected (self->export_dropdown, ns_demo_get_figure (demo));
  ns_batchnorm_view_schedule (self);
  return TRUE;
}

const NsDataset *
ns_batchnorm_view_get_dataset (NsBatchNormView *self)
{
  return self->data ? self->data->data : NULL;
}

const char *
ns_batchnorm_view_get_demo (NsBatchNormView *self)
{
  return self->demo ? ns_demo_get_id (self->demo) : NULL;
}

const char *
ns_batchnorm_view_get_demo_numbers (NsBatchNormView *self)
{
  return self->demo && self->result && self->result->numbers ? self->result->numbers : "";
}

void
ns_batchnorm_view_fill_demo_menu (GMenu *menu)
{
  for (guint i = 0; i < ns_demo_get_n (); i++)
    {
      const NsDemo *demo = ns_demo_get (i);
      g_autoptr (GMenuItem) item = g_menu_item_new (ns_demo_get_title (demo), NULL);

      g_menu_item_set_action_and_target (item, "app.demo", "s", ns_demo_get_id (demo));
      g_menu_append_item (menu, item);
    }
}

/* Setters for callers and tests: they go through the widgets. */

void
ns_batchnorm_view_set_feature (NsBatchNormView *self, guint feature)
{
  gtk_drop_down_set_selected (self->feature_dropdown, feature);
}

void
ns_batchnorm_view_set_preset (NsBatchNormView *self, NsBatchNormPreset preset)
{
  for (guint i = 0; i < G_N_ELEMENTS (ns_presets); i++)
    if (ns_presets[i] == preset)
      gtk_drop_down_set_selected (self->preset_dropdown, i);
}

void
ns_batchnorm_view_set_batch_size (NsBatchNormView *self, gsize batch_size)
{
  gtk_spin_button_set_value (self->batch_spin, (double) batch_size);
}

void
ns_batchnorm_view_set_momentum (NsBatchNormView *self, double momentum)
{
  gtk_spin_button_set_value (self->momentum_spin, momentum);
}

void
ns_batchnorm_view_set_renorm (NsBatchNormView *self, gboolean renorm)
{
  gtk_check_button_set_active (self->renorm_check, renorm);
}

/* GObject. */

static void
ns_batchnorm_view_dispose (GObject *object)
{
  NsBatchNormView *self = NS_BATCHNORM_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_BATCHNORM_VIEW);
  G_OBJECT_CLASS (ns_batchnorm_view_parent_class)->dispose (object);
}

static void
ns_batchnorm_view_finalize (GObject *object)
{
  NsBatchNormView *self = NS_BATCHNORM_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->data, ns_bn_data_unref);
  g_clear_pointer (&self->user_data, ns_bn_data_unref);
  g_clear_pointer (&self->result, ns_bn_result_free);
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_free (self->labels[i]);
  G_OBJECT_CLASS (ns_batchnorm_view_parent_class)->finalize (object);
}

static void
ns_batchnorm_view_class_init (NsBatchNormViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_batchnorm_view_dispose;
  object_class->finalize = ns_batchnorm_view_finalize;
  /* settings-changed: a control (or a demo) changed the settings; the window shares them. */
  signals[SIGNAL_SETTINGS_CHANGED] = g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/normscope/Normscope/ns-batchnorm-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NsBatchNormView, name)
  BIND (feature_dropdown); BIND (preset_dropdown); BIND (batch_scale);
  BIND (batch_log_adjustment); BIND (batch_spin); BIND (batch_limit_label);
  BIND (momentum_heading); BIND (momentum_spin);
  BIND (momentum_other); BIND (eps_entry); BIND (epochs_spin); BIND (shuffle_check);
  BIND (seed_spin); BIND (drop_last_check); BIND (debiased_check); BIND (cumulative_check);
  BIND (warmup_check); BIND (window_check); BIND (window_spin); BIND (exact_check);
  BIND (renorm_check); BIND (rmax_spin); BIND (dmax_spin); BIND (presentation_button);
  BIND (export_dropdown); BIND (export_entry); BIND (choose_button); BIND (export_button);
  BIND (status_label); BIND (demo_revealer); BIND (demo_title); BIND (demo_text);
  BIND (demo_numbers); BIND (demo_recipe); BIND (demo_close); BIND (plot_running);
  BIND (plot_noise); BIND (plot_gap); BIND (plot_renorm); BIND (play_button);
  BIND (step_button); BIND (scrub_scale); BIND (step_label);
#undef BIND
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ns_batchnorm_view_install_css (void)
{
  static gboolean done;
  GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   ".presentation label { font-size: 1.35em; }\n"
                                   ".presentation .title-3 { font-size: 1.8em; }\n"
                                   ".demo-banner { padding: 10px 16px; "
                                   "background-color: alpha(@accent_bg_color, 0.10); }\n", -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

static void
ns_batchnorm_view_connect_controls (NsBatchNormView *self)
{
  GObject *changes[] = { G_OBJECT (self->epochs_spin), G_OBJECT (self->seed_spin),
                         G_OBJECT (self->window_spin), G_OBJECT (self->rmax_spin),
                         G_OBJECT (self->dmax_spin), G_OBJECT (self->momentum_spin) };
  GObject *toggles[] = { G_OBJECT (self->shuffle_check), G_OBJECT (self->drop_last_check),
                         G_OBJECT (self->debiased_check), G_OBJECT (self->cumulative_check),
                         G_OBJECT (self->warmup_check), G_OBJECT (self->window_check),
                         G_OBJECT (self->exact_check), G_OBJECT (self->renorm_check) };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    g_signal_connect_swapped (changes[i], "value-changed", G_CALLBACK (ns_batchnorm_view_changed),
                              self);
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    g_signal_connect_swapped (toggles[i], "toggled", G_CALLBACK (ns_batchnorm_view_changed), self);
}

static void
ns_batchnorm_view_init (NsBatchNormView *self)
{

  gtk_widget_init_template (GTK_WIDGET (self));
  self->scale = 1;
  self->presentation_scale = 1.6;
  self->n_runs = 1;
  ns_batchnorm_view_install_css ();
  ns_batchnorm_view_connect_controls (self);
  g_signal_connect_swapped (self->feature_dropdown, "notify::selected",
                            G_CALLBACK (ns_batchnorm_view_changed), self);
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected",
                            G_CALLBACK (ns_batchnorm_view_preset_changed), self);
  g_signal_connect_swapped (self->batch_log_adjustment, "value-changed",
                            G_CALLBACK (ns_batchnorm_view_batch_log_changed), self);
  g_signal_connect_swapped (self->batch_spin, "value-changed",
                            G_CALLBACK (ns_batchnorm_view_batch_spin_changed), self);
  g_signal_connect_swapped (self->eps_entry, "changed", G_CALLBACK (ns_batchnorm_view_eps_changed),
                            self);
  g_signal_connect_swapped (self->scrub_scale, "value-changed",
                            G_CALLBACK (ns_batchnorm_view_scrubbed), self);
  g_signal_connect_swapped (self->play_button, "clicked",
                            G_CALLBACK (ns_batchnorm_view_play_clicked), self);
  g_signal_connect_swapped (self->step_button, "clicked", G_CALLBACK (ns_batchnorm_view_step),
                            self);
  g_signal_connect_swapped (self->presentation_button, "toggled",
                            G_CALLBACK (ns_batchnorm_view_presentation_toggled), self);
  g_signal_connect_swapped (self->export_button, "clicked",
                            G_CALLBACK (ns_batchnorm_view_export_clicked), self);
  g_signal_connect_swapped (self->choose_button, "clicked",
                            G_CALLBACK (ns_batchnorm_view_choose_clicked), self);
  g_signal_connect_swapped (self->demo_close, "clicked",
                            G_CALLBACK (ns_batchnorm_view_close_demo), self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (ns_batchnorm_view_queue_draws), self);

  for (guint f = 0; f < NS_BN_N_FIGURES; f++)
    {
      GtkDrawingArea *area = ns_batchnorm_view_area (self, f);

      g_object_set_data (G_OBJECT (area), "ns-figure", GUINT_TO_POINTER (f));
      gtk_drawing_area_set_draw_func (area, ns_batchnorm_view_draw, self, NULL);
    }


  self->updating = TRUE;
  ns_batchnorm_view_set_eps_text (self, 1e-5);
  self->updating = FALSE;
  ns_batchnorm_view_update_convention (self);
  ns_batchnorm_view_update_step_label (self);
}

GtkWidget *
ns_batchnorm_view_new (void)
{
  return g_object_new (NS_TYPE_BATCHNORM_VIEW, NULL);
}
