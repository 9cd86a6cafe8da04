/* ns-plot-thumbnail.c: bars, the range's ends and the fences of one small multiple.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-thumbnail.h"
#include "ns-format-double.h"

#include <math.h>
#include "ns-plot-private.h"

#define NS_THUMBNAIL_BINS 40

typedef struct {
  double x0, width, baseline, top; /* the bars' area */
  double lo, hi;                   /* its x range in the data's transformed units */
} NsThumbnailFrame;

static double
ns_thumbnail_x (const NsThumbnailFrame *f, double value)
{
  return f->x0 + (value - f->lo) / (f->hi - f->lo) * f->width;
}

static void
ns_thumbnail_bars (const NsPlotData *data, double offset, double scale, const NsThumbnailFrame *f,
                   double line, cairo_t *cr)
{
  guint64 most = 1;

  for (guint b = 0; b < NS_THUMBNAIL_BINS; b++)
    {
      guint64 count;

      _ns_plot_data_get_bin (data, NS_THUMBNAIL_BINS, b, offset, scale, NULL, NULL, &count);
      most = MAX (most, count);
    }
  for (guint b = 0; b < NS_THUMBNAIL_BINS; b++)
    {
      double lo, hi, height;
      guint64 count;

      _ns_plot_data_get_bin (data, NS_THUMBNAIL_BINS, b, offset, scale, &lo, &hi, &count);
      /* A single value still shows as a bar one line wide. */
      height = count == 0 ? 0 : MAX (line, (f->baseline - f->top) * count / most);
      cairo_rectangle (cr, ns_thumbnail_x (f, lo), f->baseline - height,
                       ns_thumbnail_x (f, hi) - ns_thumbnail_x (f, lo), height);
    }
  cairo_fill (cr);
}

/* A line of width line centred near position covers whole pixels when line is whole. */
static double
ns_thumbnail_align (double position, double line)
{
  return round (position - line / 2) + line / 2;
}

static void
ns_thumbnail_fence (const NsThumbnailFrame *f, double value, double line, cairo_t *cr)
{
  double x;

  if (!(value > f->lo && value < f->hi))
    return;
  x = ns_thumbnail_align (ns_thumbnail_x (f, value), line);
  cairo_move_to (cr, x, f->top);
  cairo_line_to (cr, x, f->baseline);
}

/* The ends of the x range under the bars, or a constant column's value in the middle. */
static void
ns_thumbnail_ends (const NsThumbnailFrame *f, const NsPlotData *data, double offset, double scale,
                   double font, double height, cairo_t *cr)
{
  char lo[NS_FORMAT_READABLE_SIZE], hi[NS_FORMAT_READABLE_SIZE];

  cairo_set_font_size (cr, font);
  if (data->moments.min == data->moments.max)
    {
      g_autofree char *label = ns_plot_format_tick ((data->moments.min - offset) / scale, 0);

      _ns_plot_text (cr, f->x0 + f->width / 2, height - font * 0.05, label, 0.5, 1);
      return;
    }
  ns_format_readable (lo, f->lo, 3);
  ns_format_readable (hi, f->hi, 3);
  _ns_plot_text (cr, f->x0, height - font * 0.05, lo, 0, 1);
  _ns_plot_text (cr, f->x0 + f->width, height - font * 0.05, hi, 1, 1);
}

void
ns_plot_draw_thumbnail (const NsPlotData *data, double offset, double scale, NsStrategy strategy,
                        double lower_fence, double upper_fence, gboolean dark, double text_scale,
                        cairo_t *cr, double width, double height)
{
  double font = CLAMP (height / text_scale / 6, 8, 12) * text_scale, line = text_scale;
  double rgb[3], ink = dark ? 0.96 : 0.12;
  NsThumbnailFrame f = {
    2 * line,
    width - 4 * line,
    height - font * 1.4,
    2 * line,
    (data->lo - offset) / scale,
    (data->hi - offset) / scale,
  };

  g_return_if_fail (scale > 0 && text_scale > 0);
  cairo_save (cr);
  ns_strategy_get_color (strategy, dark, rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.9);
  ns_thumbnail_bars (data, offset, scale, &f, line, cr);
  cairo_set_source_rgb (cr, ink, ink, ink);
  cairo_set_line_width (cr, line);
  cairo_move_to (cr, f.x0, ns_thumbnail_align (f.baseline, line));
  cairo_line_to (cr, f.x0 + f.width, ns_thumbnail_align (f.baseline, line));
  cairo_stroke (cr);
  cairo_set_dash (cr, (double[]) { 3 * line, 2 * line }, 2, 0);
  ns_thumbnail_fence (&f, (lower_fence - offset) / scale, line, cr);
  ns_thumbnail_fence (&f, (upper_fence - offset) / scale, line, cr);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  ns_thumbnail_ends (&f, data, offset, scale, font, height, cr);
  cairo_restore (cr);
}
