/* ns-plot-series-legend.c: where a series panel's legend goes (a corner it covers no data in, or
 * a strip above the plot area) and how it is drawn. SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-series-private.h"
#include "ns-plot-private.h"

#include <math.h>

#define NS_LEGEND_ROW 1.35 /* row height, in legend font sizes */

static guint
ns_series_legend_rows (const NsSeriesPanel *p)
{
  guint n = 0;

  for (guint i = 0; i < p->items->len; i++)
    n += g_array_index (p->items, NsSeriesItem, i).label[0] != '\0';
  return n;
}

/* The widest label a legend shows in a plot area of this width, in one of its columns. */
static double
ns_series_legend_label_width (const NsSeriesFrame *f, double font, guint columns)
{
  return MAX ((f->a.width - font * (0.8 + 0.6 * (columns - 1))) / columns - font * 2.6, 0);
}

static guint
ns_series_legend_rows_per_column (guint n, guint columns)
{
  return (n + columns - 1) / columns;
}

/* The legend's size in columns (width 0 when no item has a label); cr measures the text. */
static void
ns_series_legend_size (cairo_t *cr, const NsSeriesPanel *p, const NsSeriesFrame *f, double font,
                       guint columns, double *width, double *height)
{
  guint n = ns_series_legend_rows (p);
  double w = 0;

  *width = *height = 0;
  if (n == 0)
    return;
  cairo_set_font_size (cr, font);
  for (guint i = 0; i < p->items->len; i++)
    {
      const NsSeriesItem *it = &g_array_index (p->items, NsSeriesItem, i);
      cairo_text_extents_t ext;

      if (!it->label[0])
        continue;
      cairo_text_extents (cr, it->label, &ext);
      w = MAX (w, MIN (ext.x_advance, ns_series_legend_label_width (f, font, columns)));
    }
  *width = (w + font * 2.6) * columns + font * 0.6 * (columns - 1);
  *height = NS_LEGEND_ROW * font * ns_series_legend_rows_per_column (n, columns) + font * 0.4;
}

/* Whether the segment (x0, y0)-(x1, y1) meets r (Liang-Barsky clipping). */
static gboolean
ns_series_segment_meets (const cairo_rectangle_t *r, double x0, double y0, double x1, double y1)
{
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 - r->x, r->x + r->width - x0, y0 - r->y, r->y + r->height - y0 };

  for (guint k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }
      if (p[k] < 0)
        t0 = MAX (t0, q[k] / p[k]);
      else
        t1 = MIN (t1, q[k] / p[k]);
      if (t0 > t1)
        return FALSE;
    }
  return TRUE;
}

static gboolean
ns_series_line_meets (const NsSeriesFrame *f, const NsSeriesItem *it, const cairo_rectangle_t *r)
{
  double px = NAN, py = NAN;

  for (gsize i = 0; i < it->n; i++)
    {
      double x = _ns_series_fx (f, i + 1.0), y = _ns_series_fy (f, it->values[i]);

      if (!isfinite (it->values[i]))
        {
          px = NAN;
          continue;
        }
      if (ns_series_segment_meets (r, isfinite (px) ? px : x, isfinite (px) ? py : y, x, y))
        return TRUE;
      px = x, py = y;
    }
  return FALSE;
}

static gboolean
ns_series_histogram_meets (const NsSeriesFrame *f, const NsSeriesItem *it,
                           const cairo_rectangle_t *r)
{
  double bin = (it->b - it->a) / it->n;

  for (gsize b = 0; b < it->n && it->total > 0; b++)
    {
      double x0 = _ns_series_fx (f, it->a + b * bin), x1 = _ns_series_fx (f, it->a + (b + 1) * bin);
      double top = _ns_series_fy (f, it->values[b] / (it->total * bin));

      if (it->values[b] > 0 && x1 > r->x && x0 < r->x + r->width && top < r->y + r->height &&
          _ns_series_fy (f, 0) > r->y)
        return TRUE;
    }
  return FALSE;
}

static gboolean
ns_series_normal_meets (const NsSeriesFrame *f, const NsSeriesItem *it, const cairo_rectangle_t *r)
{
  const guint n = 200;
  double px = 0, py = 0;

  if (!(it->b > 0) || !isfinite (it->a))
    return FALSE;
  for (guint i = 0; i <= n; i++)
    {
      double v = f->x_lo + (f->x_hi - f->x_lo) * i / n, z = (v - it->a) / it->b;
      double x = _ns_series_fx (f, v),
             y = _ns_series_fy (f, exp (-z * z / 2) / (it->b * sqrt (2 * G_PI)));

      if (ns_series_segment_meets (r, i ? px : x, i ? py : y, x, y))
        return TRUE;
      px = x, py = y;
    }
  return FALSE;
}

/* Whether an item draws anything inside r (shaded spans are background, notes draw nothing). */
static gboolean
ns_series_item_meets (const NsSeriesFrame *f, const NsSeriesItem *it, const cairo_rectangle_t *r)
{
  const cairo_rectangle_t *a = &f->a;

  switch (it->kind)
    {
    case NS_SERIES_ITEM_LINE:
      return ns_series_line_meets (f, it, r);
    case NS_SERIES_ITEM_HISTOGRAM:
      return ns_series_histogram_meets (f, it, r);
    case NS_SERIES_ITEM_NORMAL:
      return ns_series_normal_meets (f, it, r);
    case NS_SERIES_ITEM_HLINE:
      return isfinite (it->a) &&
             ns_series_segment_meets (r, a->x, _ns_series_fy (f, it->a), a->x + a->width,
                                      _ns_series_fy (f, it->a));
    case NS_SERIES_ITEM_VLINE:
      return isfinite (it->a) &&
             ns_series_segment_meets (r, _ns_series_fx (f, it->a), a->y, _ns_series_fx (f, it->a),
                                      a->y + a->height);
    case NS_SERIES_ITEM_SPAN:
    case NS_SERIES_ITEM_NOTE:
      break;
    }
  return FALSE;
}

/* Whether the box covers no data of the panel, every step shown, with room for the lines' width. */
static gboolean
ns_series_box_clear (const NsSeriesPanel *p, const NsSeriesFrame *f, const cairo_rectangle_t *box,
                     double line)
{
  cairo_rectangle_t r = { box->x - line, box->y - line, box->width + 2 * line,
                          box->height + 2 * line };

  for (guint i = 0; i < p->items->len; i++)
    if (ns_series_item_meets (f, &g_array_index (p->items, NsSeriesItem, i), &r))
      return FALSE;
  return TRUE;
}

/* The first of the plot area's corners (top right, top left, bottom right, bottom left) where a
 * w x h legend covers no data; FALSE when none is clear (the box is then the top right one). */
static gboolean
ns_series_legend_corner (const NsSeriesPanel *p, const NsSeriesFrame *f, double w, double h,
                         double font, double line, cairo_rectangle_t *box)
{
  double inset = font * 0.4;
  double left = f->a.x + inset, right = f->a.x + f->a.width - w - inset;
  double top = f->a.y + inset, bottom = f->a.y + f->a.height - h - inset;
  const double corners[][2] = {
    { right, top }, { left, top }, { right, bottom }, { left, bottom }
  };

  for (guint c = 0; c < G_N_ELEMENTS (corners); c++)
    {
      *box = (cairo_rectangle_t) { corners[c][0], corners[c][1], w, h };
      if (ns_series_box_clear (p, f, box, line))
        return TRUE;
    }
  *box = (cairo_rectangle_t) { right, top, w, h };
  return FALSE;
}

/* The fewest columns whose legend fits in the plot area (or in a strip off its top when
 * fit_band), its font shrunk (to 0.6 at most) only when no columns fit; columns 0: none fits. */
static void
ns_series_legend_fit (cairo_t *cr, const NsSeriesPanel *p, NsSeriesFrame *f, double font,
                      gboolean fit_band, double *w, double *h)
{
  guint n = ns_series_legend_rows (p);
  /* A strip leaves the area room for three tick labels. */
  double room_h =
    fit_band ? MIN (f->a.height * 0.6, f->a.height - font * 3.0) : f->a.height - font * 0.8;

  for (f->legend_font = font; f->legend_font > font * 0.6; f->legend_font *= 0.9)
    for (f->legend_columns = 1; f->legend_columns <= n; f->legend_columns++)
      {
        ns_series_legend_size (cr, p, f, f->legend_font, f->legend_columns, w, h);
        if (*h <= room_h && ns_series_legend_label_width (f, f->legend_font, f->legend_columns) >
                              f->legend_font * 3)
          return;
      }
  f->legend_columns = 0;
}

gboolean
_ns_series_legend_place (cairo_t *cr, const NsSeriesPanel *p, NsSeriesFrame *f, double font,
                         double line, double *band)
{
  double w, h;

  *band = 0;
  f->legend = (cairo_rectangle_t) { 0, 0, 0, 0 };
  if (ns_series_legend_rows (p) == 0)
    return TRUE;
  ns_series_legend_fit (cr, p, f, font, FALSE, &w, &h);
  if (f->legend_columns > 0 &&
      ns_series_legend_corner (p, f, w, h, f->legend_font, line, &f->legend))
    return TRUE;
  ns_series_legend_fit (cr, p, f, font, TRUE, &w, &h);
  if (f->legend_columns == 0)
    {
      /* A panel too small for a legend anywhere shows none rather than hide its data. */
      f->legend = (cairo_rectangle_t) { 0, 0, 0, 0 };
      return TRUE;
    }
  *band = h + f->legend_font * 0.6;
  f->legend = (cairo_rectangle_t) { f->a.x + f->a.width - w - f->legend_font * 0.4,
                                    f->a.y + f->legend_font * 0.2, w, h };
  return FALSE;
}

static void
ns_series_legend_swatch (const NsPlotSeries *self, cairo_t *cr, const NsSeriesItem *it, double x,
                         double cy, double font, double line)
{
  double dash[] = { 4 * self->scale, 3 * self->scale };

  if (it->kind == NS_SERIES_ITEM_NOTE)
    {
      /* An empty swatch struck through: this series has nothing to show. */
      _ns_series_set_color (self, cr, it->color, 1);
      cairo_set_line_width (cr, MAX (1, self->scale));
      cairo_rectangle (cr, x + font * 0.3, cy - font * 0.35, font * 1.6, font * 0.7);
      cairo_move_to (cr, x + font * 0.3, cy + font * 0.35);
      cairo_line_to (cr, x + font * 1.9, cy - font * 0.35);
      cairo_stroke (cr);
      return;
    }
  if (it->kind == NS_SERIES_ITEM_SPAN || (it->kind == NS_SERIES_ITEM_HISTOGRAM && it->filled))
    {
      _ns_series_set_color (self, cr, it->color, it->kind == NS_SERIES_ITEM_SPAN ? 0.3 : 0.6);
      cairo_rectangle (cr, x + font * 0.3, cy - font * 0.35, font * 1.6, font * 0.7);
      cairo_fill (cr);
      return;
    }
  if (it->faint)
    _ns_series_muted (self, cr, 0.5);
  else
    _ns_series_set_color (self, cr, it->color, 1);
  if (it->dashed || it->kind == NS_SERIES_ITEM_HLINE || it->kind == NS_SERIES_ITEM_VLINE)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_set_line_width (cr, line);
  cairo_move_to (cr, x + font * 0.3, cy);
  cairo_line_to (cr, x + font * 1.9, cy);
  cairo_stroke (cr);
}

void
_ns_series_legend_draw (const NsPlotSeries *self, cairo_t *cr, const NsSeriesPanel *p,
                        const NsSeriesFrame *f, const NsSeriesLayout *layout)
{
  double font = f->legend_font, row = NS_LEGEND_ROW * font;
  double label_width = ns_series_legend_label_width (f, font, MAX (f->legend_columns, 1));
  double column_width = (f->legend.width + font * 0.6) / MAX (f->legend_columns, 1);
  guint rows =
    ns_series_legend_rows_per_column (ns_series_legend_rows (p), MAX (f->legend_columns, 1));
  guint shown = 0;

  if (f->legend.width == 0)
    return;
  if (self->dark)
    cairo_set_source_rgba (cr, 0.14, 0.14, 0.14, 0.82);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.82);
  cairo_rectangle (cr, f->legend.x, f->legend.y, f->legend.width, f->legend.height);
  cairo_fill (cr);
  cairo_set_font_size (cr, font);
  for (guint i = 0; i < p->items->len; i++)
    {
      const NsSeriesItem *it = &g_array_index (p->items, NsSeriesItem, i);
      double x, cy;

      if (!it->label[0])
        continue;
      x = f->legend.x + (shown / rows) * column_width;
      cy = f->legend.y + font * 0.2 + row * (shown % rows + 0.5);
      shown++;
      cairo_save (cr);
      ns_series_legend_swatch (self, cr, it, x, cy, font, layout->line);
      cairo_restore (cr);
      _ns_series_foreground (self, cr);
      _ns_plot_text_fit (cr, x + font * 2.3, cy, it->label, label_width, 0, 0.5);
    }
}
