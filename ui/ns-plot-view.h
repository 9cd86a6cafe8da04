/* ns-plot-view.h: a widget that draws an NsPlot with the core's cairo code and reports hovers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-plot.h"

G_BEGIN_DECLS

#define NS_TYPE_PLOT_VIEW (ns_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (NsPlotView, ns_plot_view, NS, PLOT_VIEW, GtkWidget)

GtkWidget *ns_plot_view_new (void);
/* The plot is borrowed; call ns_plot_view_update after changing it. */
void ns_plot_view_set_plot (NsPlotView *self, NsPlot *plot);
void ns_plot_view_update (NsPlotView *self);
/* The read-out of what is under the pointer ("" when nothing). */
const char *ns_plot_view_get_readout (NsPlotView *self);
/* Sets the read-out as if the pointer were at (x, y) (widget coordinates). */
void ns_plot_view_hover (NsPlotView *self, double x, double y);
/* Whether widget's text colour is light, i.e. figures drawn on it need the dark style (follows
 * libadwaita's style and GTK_THEME=Adwaita:dark alike). */
gboolean ns_plot_view_widget_is_dark (GtkWidget *widget);

G_END_DECLS
