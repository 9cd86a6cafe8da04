/* ns-plot-all-scalers-draw-private.h: the all-scalers figure's layout, shared by its layout and
 * drawing files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-plot-all-scalers-private.h"
#include "ns-plot-private.h"

G_BEGIN_DECLS

/* Where a figure is drawn: the cairo context, its style and font. */
typedef struct {
  cairo_t *cr;
  NsPlotStyle style;
  double font;
} NsAllScalersCanvas;

typedef struct {
  double lo, hi, step;
  double ticks[64];
  guint n_ticks;
  double label_width; /* of the widest tick label */
} NsAllScalersAxis;

typedef struct {
  cairo_rectangle_t scatter, top, right;
  NsAllScalersAxis x, y;
} NsAllScalersPanelLayout;

typedef struct {
  cairo_rectangle_t cell;
  double title_y;
  NsAllScalersPanelLayout panel[2]; /* NsAllScalersPanel */
  cairo_rectangle_t colorbar_area;
  NsAllScalersAxis colorbar;
} NsAllScalersRowLayout;

void _ns_all_scalers_cells (const NsAllScalersPlot *self, double width, double height,
                            cairo_rectangle_t *cells);
double _ns_all_scalers_font (const cairo_rectangle_t *cell);
void _ns_all_scalers_layout_row (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                                 const NsAllScalersRow *row, const cairo_rectangle_t *cell,
                                 NsAllScalersRowLayout *layout);

void _ns_all_scalers_set_font (NsAllScalersCanvas *canvas, double size, gboolean bold);
double _ns_all_scalers_text_width (NsAllScalersCanvas *canvas, const char *text);
/* Text anchored at (x, y): halign/valign 0 = start, 0.5 = centre, 1 = end. */
void _ns_all_scalers_text (NsAllScalersCanvas *canvas, double x, double y, const char *text,
                           double halign, double valign);
/* Text read bottom to top, centred at (x, y). */
void _ns_all_scalers_text_vertical (NsAllScalersCanvas *canvas, double x, double y,
                                    const char *text);
/* text, cut with an ellipsis to fit room in the current font. */
char *_ns_all_scalers_fit_text (NsAllScalersCanvas *canvas, const char *text, double room);

G_END_DECLS
