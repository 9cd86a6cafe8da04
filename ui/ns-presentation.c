/* ns-presentation.c: full screen, hidden chrome with a reveal at the top edge, a text scale.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-presentation"
#include "config.h"
#include "ns-presentation.h"

/* How close to the top edge the pointer must come to bring the header back (pixels). */
#define NS_PRESENTATION_REVEAL_EDGE 4

struct _NsPresentation {
  GtkWindow *window;
  GtkWidget *header;
  GPtrArray *hidden;   /* widgets hidden while presenting */
  GArray *was_visible; /* gboolean per hidden widget */
  GtkEventController *motion;
  NsPresentationChanged changed;
  gpointer data;
  gboolean active;
  double scale;
};

static void
ns_presentation_motion (GtkEventControllerMotion *motion, double x, double y, gpointer data)
{
  ns_presentation_pointer_at (data, x, y);
}

NsPresentation *
ns_presentation_new (GtkWindow *window, GtkWidget *header, NsPresentationChanged changed,
                     gpointer data)
{
  NsPresentation *self = g_new0 (NsPresentation, 1);

  self->window = window;
  self->header = header;
  self->hidden = g_ptr_array_new ();
  self->was_visible = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->changed = changed;
  self->data = data;
  self->scale = NS_PRESENTATION_DEFAULT_SCALE;
  self->motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (self->motion, GTK_PHASE_CAPTURE);
  g_signal_connect (self->motion, "motion", G_CALLBACK (ns_presentation_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (window), self->motion);
  return self;
}

void
ns_presentation_free (NsPresentation *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->motion, self);
  g_ptr_array_unref (self->hidden);
  g_array_unref (self->was_visible);
  g_free (self);
}

void
ns_presentation_add_hidden (NsPresentation *self, GtkWidget *widget)
{
  gboolean visible = gtk_widget_get_visible (widget);

  g_ptr_array_add (self->hidden, widget);
  g_array_append_val (self->was_visible, visible);
}

static void
ns_presentation_notify (NsPresentation *self)
{
  if (self->changed)
    self->changed (self->active, self->active ? self->scale : 1, self->data);
}

static void
ns_presentation_hide_chrome (NsPresentation *self)
{
  for (guint i = 0; i < self->hidden->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->hidden, i);

      g_array_index (self->was_visible, gboolean, i) = gtk_widget_get_visible (widget);
      gtk_widget_set_visible (widget, FALSE);
    }
  gtk_widget_set_visible (self->header, FALSE);
}

static void
ns_presentation_restore_chrome (NsPresentation *self)
{
  for (guint i = 0; i < self->hidden->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->hidden, i),
                            g_array_index (self->was_visible, gboolean, i));
  gtk_widget_set_visible (self->header, TRUE);
}

void
ns_presentation_set_active (NsPresentation *self, gboolean active)
{
  if (self->active == !!active)
    return;
  self->active = !!active;
  if (self->active)
    {
      ns_presentation_hide_chrome (self);
      gtk_widget_add_css_class (GTK_WIDGET (self->window), "presentation");
      gtk_window_fullscreen (self->window);
    }
  else
    {
      ns_presentation_restore_chrome (self);
      gtk_widget_remove_css_class (GTK_WIDGET (self->window), "presentation");
      gtk_window_unfullscreen (self->window);
    }
  ns_presentation_notify (self);
}

gboolean
ns_presentation_get_active (NsPresentation *self)
{
  return self->active;
}

void
ns_presentation_set_scale (NsPresentation *self, double scale)
{
  scale = CLAMP (scale, NS_PRESENTATION_MIN_SCALE, NS_PRESENTATION_MAX_SCALE);
  if (scale == self->scale)
    return;
  self->scale = scale;
  if (self->active)
    ns_presentation_notify (self);
}

double
ns_presentation_get_scale (NsPresentation *self)
{
  return self->scale;
}

gboolean
ns_presentation_header_revealed (NsPresentation *self)
{
  return gtk_widget_get_visible (self->header);
}

void
ns_presentation_pointer_at (NsPresentation *self, double x, double y)
{
  int header_height;

  if (!self->active)
    return;
  if (y <= NS_PRESENTATION_REVEAL_EDGE)
    gtk_widget_set_visible (self->header, TRUE);
  else if (gtk_widget_get_visible (self->header))
    {
      /* Leave it while the pointer is over it (and a little below, for its menus). */
      header_height = gtk_widget_get_height (self->header);
      if (y > header_height + 24)
        gtk_widget_set_visible (self->header, FALSE);
    }
}
