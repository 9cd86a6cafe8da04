/* ns-plot-series-private.h: the series figure's structures, shared by its model, layout and
 * drawing. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-plot-series.h"

G_BEGIN_DECLS

typedef struct {
  NsSeriesItemKind kind;
  char *label;
  guint color;
  gboolean dashed, filled, faint;
  double *values; /* line: y per step; histogram: counts */
  gsize n;
  double a, b;               /* see ns_plot_series_item_get_params */
  double total;              /* histogram: number of values binned */
  double value_lo, value_hi; /* histogram: the range of the values (a, b widen a constant's) */
} NsSeriesItem;

typedef struct {
  char *title, *x_label, *y_label;
  GArray *items; /* NsSeriesItem */
} NsSeriesPanel;

struct _NsPlotSeries {
  char *title;
  char *note;
  gboolean dark;
  gboolean paint_background;
  double scale;
  double font_size; /* before the scale; 0: from the figure's size */
  gsize cursor;
  guint n_panels;
  NsSeriesPanel panels[NS_SERIES_PLOT_MAX_PANELS];
};

typedef struct {
  cairo_rectangle_t a;
  double x_lo, x_hi, y_lo, y_hi, x_step, y_step;
  double x_offset, y_offset; /* subtracted from tick labels when values sit far from zero */
  cairo_rectangle_t legend;  /* over no data, or above the area; width 0: no legend */
  double band;               /* the strip above the area the legend takes (0: none) */
  double legend_font;        /* the layout's, unless even columns leave the legend too tall */
  guint legend_columns;
} NsSeriesFrame;

typedef struct {
  double font;
  double line;
  double top;
  gsize title_break;  /* the title goes on two lines, the second from this byte; 0: one line */
  double legend_font; /* the axis labels' size: the same at every panel height */
  NsSeriesFrame frames[NS_SERIES_PLOT_MAX_PANELS];
} NsSeriesLayout;

static inline double
_ns_series_fx (const NsSeriesFrame *f, double x)
{
  return f->a.x + (x - f->x_lo) / (f->x_hi - f->x_lo) * f->a.width;
}

static inline double
_ns_series_fy (const NsSeriesFrame *f, double y)
{
  return f->a.y + f->a.height - (y - f->y_lo) / (f->y_hi - f->y_lo) * f->a.height;
}

void _ns_series_set_color (const NsPlotSeries *self, cairo_t *cr, guint color, double alpha);
void _ns_series_muted (const NsPlotSeries *self, cairo_t *cr, double alpha);
void _ns_series_foreground (const NsPlotSeries *self, cairo_t *cr);

/* Puts the panel's legend in a corner of its plot area where it covers no data (cr measures the
 * text); FALSE when there is none: the legend then sits in a strip band tall at the top of the
 * area, which the caller takes off the plot area. */
gboolean _ns_series_legend_place (cairo_t *cr, const NsSeriesPanel *p, NsSeriesFrame *f,
                                  double font, double line, double *band);
void _ns_series_legend_draw (const NsPlotSeries *self, cairo_t *cr, const NsSeriesPanel *p,
                             const NsSeriesFrame *f, const NsSeriesLayout *layout);
void _ns_series_finite_range (const double *values, gsize n, double *lo, double *hi, gsize *count);
gboolean _ns_series_panel_is_steps (const NsSeriesPanel *p);
void _ns_series_layout (const NsPlotSeries *self, double width, double height,
                        NsSeriesLayout *layout);

G_END_DECLS
