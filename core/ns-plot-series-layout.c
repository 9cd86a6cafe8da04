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

void
_ns_series_layout (const NsPlotSeries *self, double width, double height, NsSeriesLayout *layout)
{
  gboolean side_by_side = width >= height * 1.1 * MAX (self->n_panels, 1) * 0.6;
  guint cols = side_by_side ? MAX (self->n_panels, 1) : 1;
  guint rows = side_by_side ? 1 : MAX (self->n_panels, 1);
  double f, cell_w, cell_h;

  double top_lines = (self->title[0] ? 2.0 : 0.6) + (self->note ? 1.5 : 0);

  memset (layout, 0, sizeof *layout);
  f = (self->font_size > 0 ? self->font_size : ns_plot_series_natural_font_size (width, height)) *
      self->scale;
  /* A small figure keeps half of each cell for its data, whatever the text scale asks. */
  f = MIN (f, MIN (width / (cols * 14.8), height / (rows * 10.0 + top_lines)));
  layout->font = f;
  layout->line = 1.6 * self->scale;
  layout->top = f * top_lines;
  cell_w = width / cols;
  cell_h = (height - layout->top) / rows;
  for (guint i = 0; i < self->n_panels; i++)
    {
      NsSeriesFrame *fr = &layout->frames[i];
      double e[4], v[4];
      guint col = side_by_side ? i : 0, row = side_by_side ? 0 : i;

      fr->a.x = col * cell_w + f * 5.2;
      fr->a.y = layout->top + row * cell_h + f * 1.8;
      fr->a.width = MAX (cell_w - f * 7.4, 1); /* room for the last x label */
      fr->a.height = MAX (cell_h - f * 5.0, 1);
      ns_series_panel_extent (&self->panels[i], e, v);
      ns_series_nice_axis (e[0], e[1], v[0], v[1], MAX (3, fr->a.width / (f * 6)), &fr->x_lo,
                           &fr->x_hi, &fr->x_step);
      /* Room above the data for the legend; lines also keep off the bottom axis. */
      if (_ns_series_panel_is_steps (&self->panels[i]))
        {
          double below = e[2] - (e[3] - e[2]) * 0.05;

          e[2] = e[2] >= 0 ? MAX (below, 0) : below; /* a variance axis stays at 0 and above */
        }
      e[3] += (e[3] - e[2]) * 0.08;
      ns_series_nice_axis (e[2], e[3], v[2], v[3], MAX (3, fr->a.height / (f * 3)), &fr->y_lo,
                           &fr->y_hi, &fr->y_step);
      fr->y_offset = fr->x_offset = 0;
      if (fr->y_step > 0 && fabs (fr->y_lo + fr->y_hi) / 2 > (fr->y_hi - fr->y_lo) * 1e3)
        fr->y_offset = round ((fr->y_lo + fr->y_hi) / 2 / fr->y_step) * fr->y_step;
      if (fr->x_step > 0 && fabs (fr->x_lo + fr->x_hi) / 2 > (fr->x_hi - fr->x_lo) * 1e3)
        fr->x_offset = round ((fr->x_lo + fr->x_hi) / 2 / fr->x_step) * fr->x_step;
    }
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
