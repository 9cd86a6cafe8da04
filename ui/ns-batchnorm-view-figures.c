/* ns-batchnorm-view-figures.c: the batch-norm explorer's four figures: drawing,
 * the renorm figure's room, and stepping through training (play, step, scrub cursor).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

#include "ns-plot-view.h"

#define NS_ANIMATION_SECONDS 10.0

GtkDrawingArea *
_ns_batchnorm_view_area (NsBatchNormView *self, NsBatchNormFigure figure)
{
  GtkDrawingArea *areas[] = { self->plot_running, self->plot_noise, self->plot_gap,
                              self->plot_renorm };

  return areas[figure];
}

void
_ns_batchnorm_view_queue_draws (NsBatchNormView *self)
{
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    gtk_widget_queue_draw (GTK_WIDGET (_ns_batchnorm_view_area (self, f)));
}

void
_ns_batchnorm_view_update_step_label (NsBatchNormView *self)
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

void
_ns_batchnorm_view_apply_cursor (NsBatchNormView *self)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scrub_scale));

  if (self->result == NULL)
    return;
  if (self->cursor > self->result->n_steps)
    self->cursor = self->result->n_steps;
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    ns_plot_series_set_cursor (self->result->figures[f], self->cursor);
  self->updating = TRUE;
  gtk_adjustment_configure (adj, self->cursor == 0 ? (double) self->result->n_steps : self->cursor,
                            1, MAX ((double) self->result->n_steps, 1), 1,
                            MAX (1, self->result->n_steps / 20), 0);
  self->updating = FALSE;
  _ns_batchnorm_view_update_step_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot_running));
  gtk_widget_queue_draw (GTK_WIDGET (self->plot_renorm));
}

/* The renorm figure only takes room when renorm is on; the gap figure spans the row otherwise. */
void
_ns_batchnorm_view_update_grid (NsBatchNormView *self)
{
  gboolean renorm = gtk_check_button_get_active (self->renorm_check);
  GtkWidget *grid = gtk_widget_get_parent (GTK_WIDGET (self->plot_gap));
  GtkLayoutChild *child = gtk_layout_manager_get_layout_child (gtk_widget_get_layout_manager (grid),
                                                               GTK_WIDGET (self->plot_gap));

  gtk_widget_set_visible (GTK_WIDGET (self->plot_renorm), renorm);
  gtk_grid_layout_child_set_column_span (GTK_GRID_LAYOUT_CHILD (child), renorm ? 1 : 2);
}

NsPlotSeries *
ns_batchnorm_view_get_figure (NsBatchNormView *self, NsBatchNormFigure figure)
{
  g_return_val_if_fail ((guint) figure < NS_BATCHNORM_N_FIGURES, NULL);
  return self->result ? self->result->figures[figure] : NULL;
}

gsize
ns_batchnorm_view_get_n_steps (NsBatchNormView *self)
{
  return self->result ? self->result->n_steps : 0;
}

/* The smallest natural text size of the page's figures on screen, so all of them share it. */
static double
ns_batchnorm_view_font_size (NsBatchNormView *self)
{
  double size = 0;

  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      GtkWidget *area = GTK_WIDGET (_ns_batchnorm_view_area (self, f));
      double natural;

      if (!gtk_widget_is_drawable (area) || ns_batchnorm_view_get_figure (self, f) == NULL)
        continue;
      natural = ns_plot_series_natural_font_size (gtk_widget_get_width (area),
                                                  gtk_widget_get_height (area));
      size = size == 0 ? natural : MIN (size, natural);
    }
  return size;
}

void
_ns_batchnorm_view_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NsBatchNormView *self = data;
  NsBatchNormFigure figure = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "ns-figure"));
  gboolean dark = ns_plot_view_widget_is_dark (GTK_WIDGET (area));
  NsPlotSeries *plot = ns_batchnorm_view_get_figure (self, figure);

  if (plot == NULL)
    {
      cairo_text_extents_t ext;
      const char *text = figure == NS_BATCHNORM_FIGURE_RUNNING
                           ? "Open a dataset, or choose a demo in the menu (Demos)"
                           : "";

      cairo_set_source_rgba (cr, dark, dark, dark, 0.55);
      cairo_set_font_size (cr, 14 * self->scale);
      cairo_text_extents (cr, text, &ext);
      cairo_move_to (cr, (width - ext.width) / 2, height / 2.0);
      cairo_show_text (cr, text);
      return;
    }
  ns_plot_series_set_dark (plot, dark);
  ns_plot_series_set_paint_background (plot, FALSE);
  ns_plot_series_set_scale (plot, self->scale);
  ns_plot_series_set_font_size (plot, ns_batchnorm_view_font_size (self));
  ns_plot_series_draw (plot, cr, width, height);
  ns_plot_series_set_font_size (plot, 0); /* exports pick their own */
}

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
  _ns_batchnorm_view_apply_cursor (self);
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
      self->tick_id =
        gtk_widget_add_tick_callback (GTK_WIDGET (self), ns_batchnorm_view_tick, NULL, NULL);
      _ns_batchnorm_view_apply_cursor (self);
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
  _ns_batchnorm_view_apply_cursor (self);
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
  _ns_batchnorm_view_apply_cursor (self);
}
