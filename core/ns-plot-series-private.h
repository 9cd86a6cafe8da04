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
} NsSeriesFrame;

typedef struct {
  double font;
  double line;
  double top;
  NsSeriesFrame frames[NS_SERIES_PLOT_MAX_PANELS];
} NsSeriesLayout;

void _ns_series_finite_range (const double *values, gsize n, double *lo, double *hi, gsize *count);
gboolean _ns_series_panel_is_steps (const NsSeriesPanel *p);
void _ns_series_layout (const NsPlotSeries *self, double width, double height,
                        NsSeriesLayout *layout);

G_END_DECLS
