/* ns-plot-series-colors.c: the colours a series figure's parts take (data, muted, text), light
 * and dark, for the figure's drawing and its legend.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-series-private.h"
#include "ns-plot-private.h"

void
_ns_series_set_color (const NsPlotSeries *self, cairo_t *cr, guint color, double alpha)
{
  double rgb[3];

  ns_plot_palette_color (color, self->dark, rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
}

void
_ns_series_muted (const NsPlotSeries *self, cairo_t *cr, double alpha)
{
  if (self->dark)
    cairo_set_source_rgba (cr, 0.75, 0.75, 0.78, alpha);
  else
    cairo_set_source_rgba (cr, 0.37, 0.36, 0.39, alpha);
}

void
_ns_series_foreground (const NsPlotSeries *self, cairo_t *cr)
{
  if (self->dark)
    cairo_set_source_rgb (cr, 0.96, 0.96, 0.96);
  else
    cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
}
