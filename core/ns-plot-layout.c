/* ns-plot-layout.c: where a figure's panels go and what their axes show: nice ticks, shared or
 * per-panel ranges, zoomed ranges and the values beyond them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-private.h"
#include "ns-format-double.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

/* Heckbert's "nice numbers" (Graphics Gems, 1990). */
static double
ns_plot_nice_number (double x, gboolean round_it)
{
  double exponent = floor (log10 (x));
  double fraction = x / pow (10, exponent);
  double nice;

  if (round_it)
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * pow (10, exponent);
}

guint
ns_plot_nice_ticks (double lo, double hi, guint target, double *ticks, guint max_ticks,
                    double *step)
{
  double range, d, first;
  guint n = 0;

  if (!(hi > lo))
    {
      lo -= 0.5;
      hi += 0.5;
    }
  /* Heckbert rounds the range first; skipping that keeps the axis tight around the data. */
  range = hi - lo;
  d = ns_plot_nice_number (range / MAX (target - 1, 1), TRUE);
  first = floor (lo / d) * d;
  for (double t = first; t <= ceil (hi / d) * d + 0.5 * d && n < max_ticks; t += d)
    ticks[n++] = fabs (t) < d * 1e-9 ? 0.0 : t;
  if (step)
    *step = d;
  return n;
}

guint
_ns_plot_axis_ticks (double lo, double hi, double step, double *ticks, guint max_ticks)
{
  guint n = 0;

  if (step == 0)
    {
      ticks[0] = (lo + hi) / 2;
      return 1;
    }
  for (double k = ceil (lo / step - 1e-9); k * step <= hi + step * 1e-9 && n < max_ticks; k++)
    ticks[n++] = k == 0 ? 0.0 : k * step;
  return n;
}

void
_ns_plot_constant_window (double value, double bar_width, double *lo, double *hi)
{
  *lo = value - bar_width * 1.5;
  *hi = value + bar_width * 1.5;
}

char *
ns_plot_format_tick (double value, double step)
{
  int decimals = (int) MAX (0, -floor (log10 (step) + 1e-9));
  char format[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (step == 0)
    {
      char readable[NS_FORMAT_READABLE_SIZE];

      return g_strdup_printf ("%s (constant)", ns_format_readable (readable, value, 6));
    }
  if (value != 0 && (fabs (value) >= 1e6 || step < 1e-4))
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2g", value));
  g_snprintf (format, sizeof format, "%%.%df", MIN (decimals, 9));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
ns_plot_nice_range (double lo, double hi, guint target, double *out_lo, double *out_hi,
                    double *step)
{
  double ticks[64];
  guint n = ns_plot_nice_ticks (lo, hi, target, ticks, G_N_ELEMENTS (ticks), step);

  *out_lo = ticks[0];
  *out_hi = ticks[n - 1];
}

static void
ns_plot_grid_shape (guint n, double width, double height, guint *cols, guint *rows)
{
  double best = -1;

  *cols = *rows = 1;
  for (guint c = 1; c <= MAX (n, 1); c++)
    {
      guint r = (n + c - 1) / c;
      double score = MIN (width / c / 1.35, height / r);

      if (score > best + 1e-9)
        {
          best = score;
          *cols = c;
          *rows = r;
        }
    }
}

/* Where the bin [lo, hi] lies against the axis [x_lo, x_hi]: -1 left of it, 0 on it, 1 right. A
 * bin the axis cuts counts as beyond it, so drawn and counted values always add up. */
int
_ns_plot_bin_side (double lo, double hi, double x_lo, double x_hi)
{
  double eps = (x_hi - x_lo) * 1e-9;

  return lo < x_lo - eps ? -1 : hi > x_hi + eps ? 1 : 0;
}

/* The highest density of the bins of data on the axis (and the lowest above 0 into *lowest),
 * counting those beyond it into outside. */
static double
ns_plot_bins_density_max (const NsPlotData *data, guint n_bins, double offset, double scale,
                          double x_lo, double x_hi, guint64 outside[2], double *lowest)
{
  double best = 0;

  for (guint b = 0; b < n_bins; b++)
    {
      double lo, hi;
      guint64 count;
      int side;

      _ns_plot_data_get_bin (data, n_bins, b, offset, scale, &lo, &hi, &count);
      side = _ns_plot_bin_side (lo, hi, x_lo, x_hi);
      if (side == 0)
        {
          double density = count / (data->moments.count * (hi - lo));

          best = MAX (best, density);
          if (count > 0)
            *lowest = MIN (*lowest, density);
        }
      else if (outside)
        outside[side > 0] += count;
    }
  return best;
}

/* The y extent of a histogram panel on its x axis, and the values beyond that axis. */
static void
ns_plot_panel_y_extent (const NsPlotPanel *p, guint n_bins, double x_lo, double x_hi, double *y_lo,
                        double *y_hi, guint64 outside[2])
{
  *y_lo = INFINITY;
  *y_hi =
    ns_plot_bins_density_max (p->data, n_bins, p->offset, p->scale, x_lo, x_hi, outside, y_lo);
  if (p->overlay)
    *y_hi = MAX (*y_hi, ns_plot_bins_density_max (p->overlay, n_bins, p->overlay_offset,
                                                  p->overlay_scale, x_lo, x_hi, NULL, y_lo));
  if (p->kind != NS_PLOT_PANEL_RAW && x_lo < 1 && x_hi > -1)
    *y_hi = MAX (*y_hi, 1 / sqrt (2 * M_PI));
}

/* x extent of a panel's data before nice rounding (the overlay widens it when nothing is zoomed).
 */
static void
ns_plot_panel_x_extent (const NsPlot *self, const NsPlotPanel *p, double *x_lo, double *x_hi)
{
  if (self->mode == NS_PLOT_QQ)
    {
      guint first, last;

      ns_plot_get_qq_window (self, &first, &last);
      *x_lo = gsl_cdf_ugaussian_Pinv ((first + 0.5) / NS_PLOT_QQ_POINTS);
      *x_hi = gsl_cdf_ugaussian_Pinv ((last + 0.5) / NS_PLOT_QQ_POINTS);
      return;
    }
  _ns_plot_panel_window (self, p, x_lo, x_hi);
  if (p->overlay && self->range == NS_PLOT_RANGE_FULL)
    {
      *x_lo = MIN (*x_lo, (p->overlay->lo - p->overlay_offset) / p->overlay_scale);
      *x_hi = MAX (*x_hi, (p->overlay->hi - p->overlay_offset) / p->overlay_scale);
    }
}

/* Normalized panels take the union of their ranges when the axes are shared. */
static void
ns_plot_share (const NsPlot *self, double *lo, double *hi)
{
  double shared_lo = INFINITY, shared_hi = -INFINITY;

  if (!self->shared_axes)
    return;
  for (guint i = 0; i < self->n_panels; i++)
    if (self->panels[i].kind != NS_PLOT_PANEL_RAW)
      shared_lo = MIN (shared_lo, lo[i]), shared_hi = MAX (shared_hi, hi[i]);
  for (guint i = 0; i < self->n_panels; i++)
    if (self->panels[i].kind != NS_PLOT_PANEL_RAW)
      lo[i] = shared_lo, hi[i] = shared_hi;
}

/* Whether every value of the panel (and of its overlay) is the same, in the panel's units. */
static gboolean
ns_plot_panel_constant_value (const NsPlotPanel *p, double *value)
{
  const NsMoments *m = &p->data->moments;

  *value = (m->min - p->offset) / p->scale;
  if (m->min != m->max)
    return FALSE;
  return p->overlay == NULL ||
         (p->overlay->moments.min == p->overlay->moments.max &&
          (p->overlay->moments.min - p->overlay_offset) / p->overlay_scale == *value);
}

/* A histogram's x axis is constant when its panel is, and with shared axes when every
 * normalized panel is constant at the same value. */
static gboolean
ns_plot_x_constant (const NsPlot *self, guint i, double *value)
{
  double other;

  if (self->mode != NS_PLOT_HISTOGRAM || !ns_plot_panel_constant_value (&self->panels[i], value))
    return FALSE;
  if (!self->shared_axes || self->panels[i].kind == NS_PLOT_PANEL_RAW)
    return TRUE;
  for (guint k = 0; k < self->n_panels; k++)
    if (self->panels[k].kind != NS_PLOT_PANEL_RAW &&
        (!ns_plot_panel_constant_value (&self->panels[k], &other) || other != *value))
      return FALSE;
  return TRUE;
}

static void
ns_plot_layout_x (const NsPlot *self, NsPlotLayout *layout, double cell_w)
{
  for (guint i = 0; i < self->n_panels; i++)
    ns_plot_panel_x_extent (self, &self->panels[i], &layout->x_lo[i], &layout->x_hi[i]);
  ns_plot_share (self, layout->x_lo, layout->x_hi);
  for (guint i = 0; i < self->n_panels; i++)
    {
      const NsPlotPanel *p = &self->panels[i];
      double value;

      if (ns_plot_x_constant (self, i, &value))
        {
          /* The one bar a constant column's bins make, around the value as the axis' one tick. */
          _ns_plot_constant_window (value, (p->data->hi - p->data->lo) / fabs (p->scale),
                                    &layout->x_lo[i], &layout->x_hi[i]);
          layout->x_step[i] = 0;
          continue;
        }
      ns_plot_nice_range (layout->x_lo[i], layout->x_hi[i], MAX (3, cell_w / (layout->font * 7)),
                          &layout->x_lo[i], &layout->x_hi[i], &layout->x_step[i]);
    }
}

static void
ns_plot_layout_y (const NsPlot *self, NsPlotLayout *layout, double cell_h)
{
  for (guint i = 0; i < self->n_panels; i++)
    {
      const NsPlotPanel *p = &self->panels[i];
      guint64 outside[2] = { 0, 0 };
      double lowest;

      layout->n_bins[i] = _ns_plot_panel_bins (self, p);
      if (self->mode == NS_PLOT_QQ)
        {
          guint first, last;

          ns_plot_get_qq_window (self, &first, &last);
          layout->y_lo[i] = (p->data->quantiles[first] - p->offset) / p->scale;
          layout->y_hi[i] = (p->data->quantiles[last] - p->offset) / p->scale;
          continue;
        }
      ns_plot_panel_y_extent (p, layout->n_bins[i], layout->x_lo[i], layout->x_hi[i], &lowest,
                              &layout->y_hi[i], outside);
      layout->y_hi[i] *= 1.12;
      if (layout->log_y)
        {
          /* Whole decades from the lowest bar (one value) to the highest. */
          layout->y_lo[i] = floor (log10 (isfinite (lowest) ? lowest : layout->y_hi[i] / 10));
          layout->y_hi[i] = MAX (ceil (log10 (layout->y_hi[i])), layout->y_lo[i] + 1);
        }
      layout->left[i] = outside[0];
      layout->right[i] = outside[1];
    }
  ns_plot_share (self, layout->y_lo, layout->y_hi);
  for (guint i = 0; i < self->n_panels; i++)
    if (layout->log_y)
      layout->y_step[i] =
        ceil ((layout->y_hi[i] - layout->y_lo[i]) / MAX (2, cell_h / (layout->font * 3.5)));
    else if (layout->y_lo[i] == layout->y_hi[i])
      {
        /* A Q-Q plot of a constant column: its value as the one tick. */
        _ns_plot_constant_window (layout->y_lo[i], 1, &layout->y_lo[i], &layout->y_hi[i]);
        layout->y_step[i] = 0;
      }
    else
      ns_plot_nice_range (layout->y_lo[i], layout->y_hi[i], MAX (3, cell_h / (layout->font * 3.5)),
                          &layout->y_lo[i], &layout->y_hi[i], &layout->y_step[i]);
}

void
_ns_plot_layout (const NsPlot *self, double width, double height, NsPlotLayout *layout)
{
  double top, cell_w, cell_h, f;

  memset (layout, 0, sizeof *layout);
  f = layout->font = CLAMP (MIN (width / 75, height / 32), 8, 14) * self->font_scale;
  layout->log_y = ns_plot_layout_is_log (self);
  layout->title_height = self->title[0] ? f * 2.0 : f * 0.5;
  layout->legend_height = f * 1.8;
  ns_plot_grid_shape (self->n_panels, width, height, &layout->cols, &layout->rows);
  top = layout->title_height + layout->legend_height;
  cell_w = width / layout->cols;
  cell_h = (height - top) / layout->rows;
  ns_plot_layout_x (self, layout, cell_w);
  ns_plot_layout_y (self, layout, cell_h);
  for (guint i = 0; i < self->n_panels; i++)
    {
      guint col = i % layout->cols, row = i / layout->cols;

      layout->area[i].x = col * cell_w + f * 5.0;
      layout->area[i].y = top + row * cell_h + f * 2.0;
      layout->area[i].width = MAX (cell_w - f * 6.2, 1);
      layout->area[i].height = MAX (cell_h - f * 4.6, 1);
    }
}

gboolean
ns_plot_get_panel_area (NsPlot *self, double width, double height, guint panel,
                        cairo_rectangle_t *area)
{
  NsPlotLayout layout;

  if (panel >= self->n_panels)
    return FALSE;
  _ns_plot_layout (self, width, height, &layout);
  *area = layout.area[panel];
  return TRUE;
}

void
ns_plot_get_panel_axes (NsPlot *self, double width, double height, guint panel, double *x_lo,
                        double *x_hi, double *y_lo, double *y_hi)
{
  NsPlotLayout layout;

  g_return_if_fail (panel < self->n_panels);
  _ns_plot_layout (self, width, height, &layout);
  *x_lo = layout.x_lo[panel];
  *x_hi = layout.x_hi[panel];
  *y_lo = layout.y_lo[panel];
  *y_hi = layout.y_hi[panel];
}

void
ns_plot_get_panel_outside (NsPlot *self, double width, double height, guint panel, guint64 *left,
                           guint64 *right)
{
  NsPlotLayout layout;

  g_return_if_fail (panel < self->n_panels);
  _ns_plot_layout (self, width, height, &layout);
  *left = layout.left[panel];
  *right = layout.right[panel];
}
