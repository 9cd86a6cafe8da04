/* ns-batchnorm-view.c: the batch-norm explorer: its template, the controls wired to re-simulation,
 * presentation mode. Its parts: -options (controls <-> options), -figures (drawing, stepping),
 * -simulation (worker runs), -demo (data and demos), -export (figure export).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

#include <math.h>
#include <string.h>
#include "core/ns-parse-double.h"

G_DEFINE_FINAL_TYPE (NsBatchNormView, ns_batchnorm_view, ADW_TYPE_BIN)

static void
ns_batchnorm_view_changed (NsBatchNormView *self)
{
  _ns_batchnorm_view_schedule (self);
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
  _ns_batchnorm_view_schedule (self);
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
  _ns_batchnorm_view_schedule (self);
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
  _ns_batchnorm_view_schedule (self);
}

static void
ns_batchnorm_view_preset_changed (NsBatchNormView *self)
{
  NsBatchNormOptions defaults;

  if (self->updating)
    return;
  ns_batchnorm_options_init (&defaults, _ns_batchnorm_view_preset (self));
  self->updating = TRUE;
  gtk_spin_button_set_value (self->momentum_spin, defaults.momentum);
  _ns_batchnorm_view_set_eps_text (self, defaults.eps);
  self->updating = FALSE;
  _ns_batchnorm_view_schedule (self);
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
    self->cursor = 0; /* the end of the scrubber shows every step */
  _ns_batchnorm_view_apply_cursor (self);
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
  _ns_batchnorm_view_queue_draws (self);
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
      _ns_batchnorm_view_queue_draws (self);
    }
}

gboolean
ns_batchnorm_view_get_presentation (NsBatchNormView *self)
{
  return gtk_toggle_button_get_active (self->presentation_button);
}

static void
ns_batchnorm_view_dispose (GObject *object)
{
  NsBatchNormView *self = NS_BATCHNORM_VIEW (object);

  g_clear_pointer (&self->simulation, ns_batchnorm_simulation_free);
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

  g_clear_pointer (&self->data, _ns_batchnorm_data_unref);
  g_clear_pointer (&self->user_data, _ns_batchnorm_data_unref);
  g_clear_pointer (&self->result, _ns_batchnorm_result_free);
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
  _ns_batchnorm_view_simulation_class_init (object_class);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/normscope/Normscope/ns-batchnorm-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NsBatchNormView, name)
  BIND (feature_dropdown);
  BIND (preset_dropdown);
  BIND (batch_scale);
  BIND (batch_log_adjustment);
  BIND (batch_spin);
  BIND (batch_limit_label);
  BIND (momentum_heading);
  BIND (momentum_spin);
  BIND (momentum_other);
  BIND (eps_entry);
  BIND (epochs_spin);
  BIND (shuffle_check);
  BIND (seed_spin);
  BIND (drop_last_check);
  BIND (debiased_check);
  BIND (cumulative_check);
  BIND (warmup_check);
  BIND (window_check);
  BIND (window_spin);
  BIND (exact_check);
  BIND (renorm_check);
  BIND (rmax_spin);
  BIND (dmax_spin);
  BIND (presentation_button);
  BIND (export_dropdown);
  BIND (export_entry);
  BIND (choose_button);
  BIND (export_button);
  BIND (status_label);
  BIND (demo_revealer);
  BIND (demo_title);
  BIND (demo_text);
  BIND (demo_numbers);
  BIND (demo_recipe);
  BIND (demo_close);
  BIND (plot_running);
  BIND (plot_noise);
  BIND (plot_gap);
  BIND (plot_renorm);
  BIND (play_button);
  BIND (step_button);
  BIND (scrub_scale);
  BIND (step_label);
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
                                   /* The overview scales its own labels (its text scale). */
                                   ".presentation .overview-grid label { font-size: 1em; }\n"
                                   ".presentation .title-3 { font-size: 1.8em; }\n"
                                   ".demo-banner { padding: 10px 16px; "
                                   "background-color: alpha(@accent_bg_color, 0.10); }\n",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

static void
ns_batchnorm_view_connect_controls (NsBatchNormView *self)
{
  GObject *changes[] = { G_OBJECT (self->epochs_spin), G_OBJECT (self->seed_spin),
                         G_OBJECT (self->window_spin), G_OBJECT (self->rmax_spin),
                         G_OBJECT (self->dmax_spin),   G_OBJECT (self->momentum_spin) };
  GObject *toggles[] = { G_OBJECT (self->shuffle_check),  G_OBJECT (self->drop_last_check),
                         G_OBJECT (self->debiased_check), G_OBJECT (self->cumulative_check),
                         G_OBJECT (self->warmup_check),   G_OBJECT (self->window_check),
                         G_OBJECT (self->exact_check),    G_OBJECT (self->renorm_check) };

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
                            G_CALLBACK (_ns_batchnorm_view_export_clicked), self);
  g_signal_connect_swapped (self->choose_button, "clicked",
                            G_CALLBACK (_ns_batchnorm_view_choose_clicked), self);
  g_signal_connect_swapped (self->demo_close, "clicked", G_CALLBACK (ns_batchnorm_view_close_demo),
                            self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (_ns_batchnorm_view_queue_draws), self);

  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      GtkDrawingArea *area = _ns_batchnorm_view_area (self, f);

      g_object_set_data (G_OBJECT (area), "ns-figure", GUINT_TO_POINTER (f));
      gtk_drawing_area_set_draw_func (area, _ns_batchnorm_view_draw, self, NULL);
    }

  self->updating = TRUE;
  _ns_batchnorm_view_set_eps_text (self, 1e-5);
  self->updating = FALSE;
  _ns_batchnorm_view_update_convention (self);
  _ns_batchnorm_view_update_step_label (self);
}

GtkWidget *
ns_batchnorm_view_new (void)
{
  return g_object_new (NS_TYPE_BATCHNORM_VIEW, NULL);
}
