/* ns-plot-view.c: GtkWidget that hands its cairo_t to ns_plot_draw and reports hovered bins.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-plot-view"
#include "config.h"
#include "ns-plot-view.h"

#include <adwaita.h>
#include "core/ns-format-double.h"

struct _NsPlotView {
  GtkWidget parent_instance;
  NsPlot *plot; /* borrowed */
  char *readout;
};

G_DEFINE_FINAL_TYPE (NsPlotView, ns_plot_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_READOUT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
ns_plot_view_set_readout (NsPlotView *self, const char *text)
{
  if (g_strcmp0 (self->readout, text) == 0)
    return;
  g_free (self->readout);
  self->readout = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

/* Light text means a dark background, whatever says so: the libadwaita style or GTK_THEME. */
gboolean
ns_plot_view_widget_is_dark (GtkWidget *widget)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
}

static void
ns_plot_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NsPlotView *self = NS_PLOT_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->plot == NULL || width < 2 || height < 2)
    return;
  ns_plot_set_dark (self->plot, ns_plot_view_widget_is_dark (widget));
  ns_plot_set_paint_background (self->plot, FALSE);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ns_plot_draw (self->plot, cr, width, height);
  cairo_destroy (cr);
}

void
ns_plot_view_hover (NsPlotView *self, double x, double y)
{
  NsPlotHit hit;
  g_autofree char *text = NULL;

  if (self->plot != NULL &&
      ns_plot_hit_test (self->plot, gtk_widget_get_width (GTK_WIDGET (self)),
                        gtk_widget_get_height (GTK_WIDGET (self)), x, y, &hit))
    text = ns_plot_hit_describe (self->plot, &hit);
  ns_plot_view_set_readout (self, text ? text : "");
}

static void
ns_plot_view_motion (GtkEventControllerMotion *motion, double x, double y, NsPlotView *self)
{
  ns_plot_view_hover (self, x, y);
}

static void
ns_plot_view_leave (GtkEventControllerMotion *motion, NsPlotView *self)
{
  ns_plot_view_set_readout (self, "");
}

static void
ns_plot_view_dark_changed (NsPlotView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ns_plot_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NsPlotView *self = NS_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_READOUT:
      g_value_set_string (value, self->readout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_plot_view_finalize (GObject *object)
{
  NsPlotView *self = NS_PLOT_VIEW (object);

  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_free (self->readout);
  G_OBJECT_CLASS (ns_plot_view_parent_class)->finalize (object);
}

static void
ns_plot_view_class_init (NsPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ns_plot_view_get_property;
  object_class->finalize = ns_plot_view_finalize;
  widget_class->snapshot = ns_plot_view_snapshot;
  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ns_plot_view_init (NsPlotView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->readout = g_strdup ("");
  g_signal_connect (motion, "motion", G_CALLBACK (ns_plot_view_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (ns_plot_view_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (ns_plot_view_dark_changed), self);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 220);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Distribution plot", -1);
}

GtkWidget *
ns_plot_view_new (void)
{
  return g_object_new (NS_TYPE_PLOT_VIEW, NULL);
}

void
ns_plot_view_set_plot (NsPlotView *self, NsPlot *plot)
{
  g_return_if_fail (NS_IS_PLOT_VIEW (self));
  self->plot = plot;
  ns_plot_view_update (self);
}

void
ns_plot_view_update (NsPlotView *self)
{
  g_autoptr (GString) description = g_string_new ("");

  if (self->plot != NULL)
    for (guint i = 0; i < ns_plot_get_n_panels (self->plot); i++)
      {
        char mean[NS_FORMAT_READABLE_SIZE], std[NS_FORMAT_READABLE_SIZE];

        g_string_append_printf (description, "%s%s: mean %s, std %s", i ? "; " : "",
                                ns_plot_panel_get_label (self->plot, i),
                                ns_format_readable (mean, ns_plot_panel_get_mean (self->plot, i),
                                                    4),
                                ns_format_readable (std, ns_plot_panel_get_std (self->plot, i), 4));
      }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->str, -1);
  ns_plot_view_set_readout (self, "");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
ns_plot_view_get_readout (NsPlotView *self)
{
  return self->readout;
}
