/* ns-plot-series.h: series figures: lines over steps with reference lines, histograms with
 * expected-spread curves, notes; cairo drawing and PNG/SVG/PDF export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "ns-plot.h"

G_BEGIN_DECLS

/*
 * An NsPlotSeries is a figure of one to four panels side by side (stacked when the figure is tall).
 * A panel holds items drawn in the order added: lines over steps 1..n (x = step), histograms of
 * values drawn as densities (area 1), normal density curves, horizontal and vertical reference
 * lines and shaded x spans. Lines with more points than pixels are drawn through a per-pixel-column
 * min/max envelope, so 100,000 steps draw as fast as 1,000.
 *
 * A cursor (the animation and scrubber position) cuts every line at that step and marks it.
 * The scale factor (presentation mode) multiplies font sizes and line widths.
 */
typedef struct _NsPlotSeries NsPlotSeries;

#define NS_SERIES_PLOT_MAX_PANELS 4

typedef enum {
  NS_SERIES_ITEM_LINE,
  NS_SERIES_ITEM_HISTOGRAM,
  NS_SERIES_ITEM_NORMAL,
  NS_SERIES_ITEM_HLINE,
  NS_SERIES_ITEM_VLINE,
  NS_SERIES_ITEM_SPAN,
  NS_SERIES_ITEM_NOTE, /* a legend row with no data (e.g. why a series is missing) */
} NsSeriesItemKind;

NsPlotSeries *ns_plot_series_new (const char *title);
void ns_plot_series_free (NsPlotSeries *self);

const char *ns_plot_series_get_title (const NsPlotSeries *self);
/* A line of text under the title (e.g. the train/inference gap); NULL for none. */
void ns_plot_series_set_note (NsPlotSeries *self, const char *note);
const char *ns_plot_series_get_note (const NsPlotSeries *self);
void ns_plot_series_set_dark (NsPlotSeries *self, gboolean dark);
/* Transparent background (widgets) or painted (exports, default). */
void ns_plot_series_set_paint_background (NsPlotSeries *self, gboolean paint);
/* Font sizes and line widths are multiplied by scale (1 normal, about 1.6 for projectors). */
void ns_plot_series_set_scale (NsPlotSeries *self, double scale);
/* The text size a figure of width x height picks by itself (8 to 14, before the scale). */
double ns_plot_series_natural_font_size (double width, double height);
/* One text size for figures shown together (before the scale; 0, the default: the natural one);
 * a figure too small for it still keeps half of each panel for its data. */
void ns_plot_series_set_font_size (NsPlotSeries *self, double size);
/* Lines are drawn up to this step (1-based) and the step is marked; 0 shows every step. */
void ns_plot_series_set_cursor (NsPlotSeries *self, gsize step);
gsize ns_plot_series_get_cursor (const NsPlotSeries *self);

/* A panel; returns its index. y_label may be NULL. */
guint ns_plot_series_add_panel (NsPlotSeries *self, const char *title, const char *x_label,
                                const char *y_label);
guint ns_plot_series_get_n_panels (const NsPlotSeries *self);
guint ns_plot_series_get_n_items (const NsPlotSeries *self, guint panel);

/* Items; each returns its index within the panel. Values are copied. color: palette index. */
guint ns_plot_series_add_line (NsPlotSeries *self, guint panel, const char *label, const double *y,
                               gsize n, guint color, gboolean dashed);
/* A faint thin line (e.g. the raw batch means behind the running mean). */
guint ns_plot_series_add_faint_line (NsPlotSeries *self, guint panel, const char *label,
                                     const double *y, gsize n);
/* Bins the finite values of values (n_bins equal bins over their range). */
guint ns_plot_series_add_histogram (NsPlotSeries *self, guint panel, const char *label,
                                    const double *values, gsize n, guint n_bins, guint color,
                                    gboolean filled);
guint ns_plot_series_add_normal (NsPlotSeries *self, guint panel, const char *label, double mean,
                                 double sd, guint color);
guint ns_plot_series_add_hline (NsPlotSeries *self, guint panel, const char *label, double y,
                                guint color);
guint ns_plot_series_add_vline (NsPlotSeries *self, guint panel, const char *label, double x,
                                guint color);
/* A legend row that draws nothing in the plot area: the label next to a crossed swatch of color. */
guint ns_plot_series_add_legend_note (NsPlotSeries *self, guint panel, const char *label,
                                      guint color);

/* The data model (widgets, tests). */
NsSeriesItemKind ns_plot_series_item_get_kind (const NsPlotSeries *self, guint panel, guint item);
/* Line: its values (one per step); histogram: the bin counts; else NULL. */
const double *ns_plot_series_item_get_values (const NsPlotSeries *self, guint panel, guint item,
                                              gsize *n);
/* hline/vline: the value; normal: mean and sd; span and histogram: the range. */
void ns_plot_series_item_get_params (const NsPlotSeries *self, guint panel, guint item, double *a,
                                     double *b);
/* The first item of a panel with this label, or -1. */
int ns_plot_series_find_item (const NsPlotSeries *self, guint panel, const char *label);

/* Drawing: the figure fills width x height (pixels or points). */
void ns_plot_series_draw (NsPlotSeries *self, cairo_t *cr, double width, double height);
/* The plot area and axis ranges of a panel for a figure of width x height. */
gboolean ns_plot_series_get_panel_frame (NsPlotSeries *self, double width, double height,
                                         guint panel, cairo_rectangle_t *area, double *x_lo,
                                         double *x_hi, double *y_lo, double *y_hi);
/* Where a panel's legend box goes in a figure of width x height: inside the plot area, over no
 * data; FALSE when the panel has no legend. */
gboolean ns_plot_series_get_legend_box (NsPlotSeries *self, double width, double height,
                                        guint panel, cairo_rectangle_t *box);
/* Renders to a file (light style on white), atomically. */
gboolean ns_plot_series_save (NsPlotSeries *self, const char *path, NsPlotFormat format,
                              double width, double height, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPlotSeries, ns_plot_series_free)

G_END_DECLS
