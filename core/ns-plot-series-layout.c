/* ns-plot-series-layout.c: where a series figure's panels, axes and ticks go for one size.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-series-private.h"
#include "ns-plot-private.h"

#include <math.h>
#include <gsl/gsl_randist.h>

gboolean
_ns_series_panel_is_steps (const NsSeriesPanel *p)
{
  for (guint i = 0; i < p->items->len; i++)
    if (g_array_index (p->items, NsSeriesItem, i).kind == NS_SERIES_ITEM_LINE)
      return TRUE;
  return FALSE;
}

static double
ns_series_normal_peak (const NsSeriesItem *it)
{
  return it->b > 0 ? gsl_ran_gaussian_pdf (0, it->b) : 0;
}

/* Widens v (lo, hi of the values an axis shows) to take in lo and hi. */
static void
ns_series_take (double v[2], double lo, double hi)
{
  v[0] = MIN (v[0], lo);
  v[1] = MAX (v[1], hi);
}

/* e: the x and y extents of what a panel draws (x_lo, x_hi, y_lo, y_hi); v: those of the values
 * it shows on each axis (histogram values and vertical lines on x, lines and horizontal lines on
 * y), NaN when an axis also shows steps, a normal curve's spread or densities: for constant axes.
 */
static void
ns_series_panel_extent (const NsSeriesPanel *p, double e[4], double v[4])
{
  gboolean steps_on_x = FALSE, spread_on_x = FALSE, density_on_y = FALSE;

  e[0] = e[2] = v[0] = v[2] = INFINITY;
  e[1] = e[3] = v[1] = v[3] = -INFINITY;
  for (guint i = 0; i < p->items->len; i++)
    {
      const NsSeriesItem *it = &g_array_index (p->items, NsSeriesItem, i);
      double lo, hi;
      gsize count;

      switch (it->kind)
        {
        case NS_SERIES_ITEM_LINE:
          _ns_series_finite_range (it->values, it->n, &lo, &hi, &count);
          if (count == 0)
            break;
          e[0] = MIN (e[0], 1);
          e[1] = MAX (e[1], (double) it->n);
          e[2] = MIN (e[2], lo);
          e[3] = MAX (e[3], hi);
          ns_series_take (v + 2, lo, hi);
          steps_on_x = TRUE;
          break;
        case NS_SERIES_ITEM_HISTOGRAM:
          if (it->total == 0)
            break;
          e[0] = MIN (e[0], it->a);
          e[1] = MAX (e[1], it->b);
          e[2] = MIN (e[2], 0);
          for (gsize b = 0; b < it->n; b++)
            e[3] = MAX (e[3], it->values[b] / (it->total * (it->b - it->a) / it->n));
          ns_series_take (v, it->value_lo, it->value_hi);
          density_on_y = TRUE;
          break;
        case NS_SERIES_ITEM_NORMAL:
          if (!(it->b > 0) || !isfinite (it->a))
            break;
          e[0] = MIN (e[0], it->a - 3 * it->b);
          e[1] = MAX (e[1], it->a + 3 * it->b);
          e[2] = MIN (e[2], 0);
          e[3] = MAX (e[3], ns_series_normal_peak (it));
          spread_on_x = density_on_y = TRUE;
          break;
        case NS_SERIES_ITEM_HLINE:
          if (!isfinite (it->a))
            break;
          ns_series_take (e + 2, it->a, it->a);
          ns_series_take (v + 2, it->a, it->a);
          break;
        case NS_SERIES_ITEM_NOTE:
          break;
        case NS_SERIES_ITEM_VLINE:
        case NS_SERIES_ITEM_SPAN:
          if (!isfinite (it->a) || !isfinite (it->b))
            break;
          ns_series_take (e, it->a, it->b);
          ns_series_take (v, it->a, it->b);
          break;
        }
    }
  if (steps_on_x || spread_on_x)
    v[0] = v[1] = NAN;
  if (density_on_y)
    v[2] = v[3] = NAN;
  if (!isfinite (e[0]) || !isfinite (e[1]))
    e[0] = 0, e[1] = 1;
  if (!isfinite (e[2]) || !isfinite (e[3]))
    e[2] = 0, e[3] = 1;
}

/* An axis whose values are all one (v_lo == v_hi) shows it as its one tick (step 0), in the
 * middle of the window around a constant histogram's unit bar; others get nice ticks. */
static void
ns_series_nice_axis (double lo, double hi, double v_lo, double v_hi, guint target, double *out_lo,
                     double *out_hi, double *step)
{
  double ticks[64];
  guint n;

  if (v_lo == v_hi && isfinite (v_lo))
    {
      _ns_plot_constant_window (v_lo, 1, out_lo, out_hi);
      *step = 0;
      return;
    }

  /* Ranges tiny against their magnitude (1e8 +- 1) keep a visible extent. */
  if (!(hi - lo > MAX (fabs (lo), fabs (hi)) * 1e-12))
    {
      double half = MAX (MAX (fabs (lo), fabs (hi)) * 1e-9, 1e-12);
      lo -= half;
      hi += half;
    }
  n = ns_plot_nice_ticks (lo, hi, MAX (target, 2), ticks, G_N_ELEMENTS (ticks), step);
  *out_lo = ticks[0];
  *out_hi = ticks[n - 1];
}

static void
ns_series_y_axis (NsSeriesFrame *fr, double lo, double hi, const double v[4], double f)
{
  /* A short axis (a legend strip above it) may settle for two ticks. */
  ns_series_nice_axis (lo, hi, v[2], v[3], MAX (fr->band > 0 ? 2 : 3, fr->a.height / (f * 3)),
                       &fr->y_lo, &fr->y_hi, &fr->y_step);
  fr->y_offset = 0;
  if (fr->y_step > 0 && fabs (fr->y_lo + fr->y_hi) / 2 > (fr->y_hi - fr->y_lo) * 1e3)
    fr->y_offset = round ((fr->y_lo + fr->y_hi) / 2 / fr->y_step) * fr->y_step;
}

/* The legend in a corner clear of data; when every corner has some, in a strip taken off the
 * top of the plot area (the y axis then laid out for the shorter area). */
static void
ns_series_place_legend (cairo_t *cr, const NsSeriesPanel *p, NsSeriesFrame *fr, const double e[4],
                        const double v[4], const NsSeriesLayout *layout)
{
  if (_ns_series_legend_place (cr, p, fr, layout->legend_font, layout->line, &fr->band))
    return;
  fr->a.y += fr->band;
  fr->a.height = MAX (fr->a.height - fr->band, 1);
  ns_series_y_axis (fr, e[2], e[3], v, layout->font);
}

/* Where a title too wide for the figure breaks onto a second line: before its last " (" (the
 * setting, in parentheses); 0 when it fits or has none. */
static gsize
ns_series_title_break (const char *title, cairo_t *cr, double font, double width)
{
  const char *paren = g_strrstr (title, " (");
  cairo_text_extents_t ext;

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, font * 1.1);
  cairo_text_extents (cr, title, &ext);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  if (ext.x_advance <= width - font || paren == NULL || paren == title)
    return 0;
  return (gsize) (paren - title) + 1;
}

/* A scratch context that measures legend text as the drawing's "Sans" does. */
static cairo_t *
ns_series_measuring_context (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  return cr;
}

static void
ns_series_layout_panel (const NsPlotSeries *self, guint i, NsSeriesLayout *layout, cairo_t *cr,
                        double cell_w, double cell_h, gboolean side_by_side)
{
  NsSeriesFrame *fr = &layout->frames[i];
  double e[4], v[4], f = layout->font;
  guint col = side_by_side ? i : 0, row = side_by_side ? 0 : i;

  fr->a.x = col * cell_w + f * 5.2;
  fr->a.y = layout->top + row * cell_h + f * 1.8;
  fr->a.width = MAX (cell_w - f * 7.4, 1); /* room for the last x label */
  fr->a.height = MAX (cell_h - f * 5.0, 1);
  ns_series_panel_extent (&self->panels[i], e, v);
  ns_series_nice_axis (e[0], e[1], v[0], v[1], MAX (3, fr->a.width / (f * 6)), &fr->x_lo, &fr->x_hi,
                       &fr->x_step);
  /* Lines keep off the bottom axis. */
  if (_ns_series_panel_is_steps (&self->panels[i]))
    {
      double below = e[2] - (e[3] - e[2]) * 0.05;

      e[2] = e[2] >= 0 ? MAX (below, 0) : below; /* a variance axis stays at 0 and above */
    }
  e[3] += (e[3] - e[2]) * 0.08;
  ns_series_y_axis (fr, e[2], e[3], v, f);
  fr->x_offset = 0;
  if (fr->x_step > 0 && fabs (fr->x_lo + fr->x_hi) / 2 > (fr->x_hi - fr->x_lo) * 1e3)
    fr->x_offset = round ((fr->x_lo + fr->x_hi) / 2 / fr->x_step) * fr->x_step;
  ns_series_place_legend (cr, &self->panels[i], fr, e, v, layout);
}

void
_ns_series_layout (const NsPlotSeries *self, double width, double height, NsSeriesLayout *layout)
{
  gboolean side_by_side = width >= height * 1.1 * MAX (self->n_panels, 1) * 0.6;
  guint cols = side_by_side ? MAX (self->n_panels, 1) : 1;
  guint rows = side_by_side ? 1 : MAX (self->n_panels, 1);
  double top_lines = (self->title[0] ? 2.0 : 0.6) + (self->note ? 1.5 : 0);
  double f;
  cairo_t *cr = ns_series_measuring_context ();

  memset (layout, 0, sizeof *layout);
  f = (self->font_size > 0 ? self->font_size : ns_plot_series_natural_font_size (width, height)) *
      self->scale;
  /* A small figure keeps half of each cell for its data, whatever the text scale asks. */
  f = MIN (f, MIN (width / (cols * 14.8), height / (rows * 10.0 + top_lines)));
  layout->font = f;
  layout->legend_font = f * 0.85;
  layout->line = 1.6 * self->scale;
  layout->title_break = ns_series_title_break (self->title, cr, f, width);
  if (layout->title_break > 0)
    top_lines += 1.3;
  layout->top = f * top_lines;
  for (guint i = 0; i < self->n_panels; i++)
    ns_series_layout_panel (self, i, layout, cr, width / cols, (height - layout->top) / rows,
                            side_by_side);
  cairo_destroy (cr);
}

gboolean
ns_plot_series_get_legend_box (NsPlotSeries *self, double width, double height, guint panel,
                               cairo_rectangle_t *box)
{
  NsSeriesLayout layout;

  if (panel >= self->n_panels)
    return FALSE;
  _ns_series_layout (self, width, height, &layout);
  *box = layout.frames[panel].legend;
  return box->width > 0;
}

gboolean
ns_plot_series_get_panel_frame (NsPlotSeries *self, double width, double height, guint panel,
                                cairo_rectangle_t *area, double *x_lo, double *x_hi, double *y_lo,
                                double *y_hi)
{
  NsSeriesLayout layout;
  const NsSeriesFrame *fr;

  if (panel >= self->n_panels)
    return FALSE;
  _ns_series_layout (self, width, height, &layout);
  fr = &layout.frames[panel];
  if (area)
    *area = fr->a;
  if (x_lo)
    *x_lo = fr->x_lo;
  if (x_hi)
    *x_hi = fr->x_hi;
  if (y_lo)
    *y_lo = fr->y_lo;
  if (y_hi)
    *y_hi = fr->y_hi;
  return TRUE;
}
