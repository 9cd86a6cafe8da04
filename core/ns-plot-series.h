/* ns-plot-series.h: series figures: lines over steps with reference lines, histograms with
 * expected-spread curves, notes; cairo drawing and PNG/SVG/PDF export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "ns-plot.h"

G_BEGIN_DECLS

/*
 * An NsSeriesPlot is a figure of one to four panels side by side (stacked when the figure is tall).
 * A panel holds items drawn in the order added: lines over steps 1..n (x = step), histograms of
 * values drawn as densities (area 1), normal density curves, horizontal and vertical reference
 * lines and shaded x spans. Lines with more points than pixels are drawn through a per-pixel-column
 * min/max envelope, so 100,000 steps draw as fast as 1,000.
 *
 * A cursor (the animation and scrubber position) cuts every line at that step and marks it.
 * The scale factor (presentation mode) multiplies font sizes and line widths.
 */
typedef struct _NsSeriesPlot NsSeriesPlot;

#define NS_SERIES_PLOT_MAX_PANELS 4

typedef enum {
  NS_SERIES_ITEM_LINE,
  NS_SERIES_ITEM_HISTOGRAM,
  NS_SERIES_ITEM_NORMAL,
  NS_SERIES_ITEM_HLINE,
  NS_SERIES_ITEM_VLINE,
  NS_SERIES_ITEM_SPAN,
} NsSeriesItemKind;

NsSeriesPlot *ns_series_plot_new (const char *title);
void ns_series_plot_free (NsSeriesPlot *self);

const char *ns_series_plot_get_title (const NsSeriesPlot *self);
/* A line of text under the title (e.g. the train/inference gap); NULL for none. */
void ns_series_plot_set_note (NsSeriesPlot *self, const char *note);
const char *ns_series_plot_get_note (const NsSeriesPlot *self);
void ns_series_plot_set_dark (NsSeriesPlot *self, gboolean dark);
/* Transparent background (widgets) or painted (exports, default). */
void ns_series_plot_set_paint_background (NsSeriesPlot *self, gboolean paint);
/* Font sizes and line widths are multiplied by scale (1 normal, about 1.6 for projectors). */
void ns_series_plot_set_scale (NsSeriesPlot *self, double scale);
/* Lines are drawn up to this step (1-based) and the step is marked; 0 shows every step. */
void ns_series_plot_set_cursor (NsSeriesPlot *self, gsize step);
gsize ns_series_plot_get_cursor (const NsSeriesPlot *self);

/* A panel; returns its index. y_label may be NULL. */
guint ns_series_plot_add_panel (NsSeriesPlot *self, const char *title, const char *x_label,
                                const char *y_label);
guint ns_series_plot_get_n_panels (const NsSeriesPlot *self);

/* Items; each returns its index within the panel. Values are copied. color: palette index. */
guint ns_series_plot_add_line (NsSeriesPlot *self, guint panel, const char *label, const double *y,
                               gsize n, guint color, gboolean dashed);
/* A faint thin line (e.g. the raw batch means behind the running mean). */
guint ns_series_plot_add_faint_line (NsSeriesPlot *self, guint panel, const char *label,
                                     const double *y, gsize n);
/* Bins the finite values of values (n_bins equal bins over their range). */
guint ns_series_plot_add_histogram (NsSeriesPlot *self, guint panel, const char *label,
                                    const double *values, gsize n, guint n_bins, guint color,
                                    gboolean filled);
guint ns_series_plot_add_normal (NsSeriesPlot *self, guint panel, const char *label, double mean,
                                 double sd, guint color);
guint ns_series_plot_add_hline (NsSeriesPlot *self, guint panel, const char *label, double y,
                                guint color);
guint ns_series_plot_add_vline (NsSeriesPlot *self, guint panel, const char *label, double x,
                                guint color);

/* The data model (widgets, tests). */
NsSeriesItemKind ns_series_plot_item_get_kind (const NsSeriesPlot *self, guint panel, guint item);
/* Line: its values (one per step); histogram: the bin counts; else NULL. */
const double *ns_series_plot_item_get_values (const NsSeriesPlot *self, guint panel, guint item,
                                              gsize *n);
/* hline/vline: the value; normal: mean and sd; span and histogram: the range. */
void ns_series_plot_item_get_params (const NsSeriesPlot *self, guint panel, guint item, double *a,
                                     double *b);
/* The first item of a panel with this label, or -1. */
int ns_series_plot_find_item (const NsSeriesPlot *self, guint panel, const char *label);

/* Drawing: the figure fills width x height (pixels or points). */
void ns_series_plot_draw (NsSeriesPlot *self, cairo_t *cr, double width, double height);
/* The plot area and axis ranges of a panel for a figure of width x height. */
gboolean ns_series_plot_get_panel_frame (NsSeriesPlot *self, double width, double height,
                                         guint panel, cairo_rectangle_t *area, double *x_lo,
                                         double *x_hi, double *y_lo, double *y_hi);
/* Renders to a file (light style on white), atomically. */
gboolean ns_series_plot_save (NsSeriesPlot *self, const char *path, NsPlotFormat format,
                              double width, double height, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsSeriesPlot, ns_series_plot_free)

G_END_DECLS
