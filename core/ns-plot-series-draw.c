/* ns-plot-series-draw.c: a series figure drawn with cairo (axes, lines decimated per pixel,
 * histograms, legends) and exported to a file atomically.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-series-private.h"
#include "ns-plot-private.h"
#include "ns-format-double.h"

#include <math.h>
#include <gsl/gsl_randist.h>

static void
ns_series_draw_axes (const NsPlotSeries *self, cairo_t *cr, const NsSeriesPanel *p,
                     const NsSeriesFrame *f, const NsSeriesLayout *layout)
{
  double ticks[64];
  guint n;
  double font = layout->font, title_width, label_width;

  cairo_set_line_width (cr, MAX (1, self->scale));
  cairo_set_font_size (cr, font * 0.85);
  n = _ns_plot_axis_ticks (f->y_lo, f->y_hi, f->y_step, ticks, G_N_ELEMENTS (ticks));
  for (guint t = 0; t < n; t++)
    {
      g_autofree char *label = ns_plot_format_tick (ticks[t] - f->y_offset, f->y_step);
      double y = round (_ns_series_fy (f, ticks[t])) + 0.5;

      cairo_set_source_rgba (cr, self->dark, self->dark, self->dark, 0.11);
      cairo_move_to (cr, f->a.x, y);
      cairo_line_to (cr, f->a.x + f->a.width, y);
      cairo_stroke (cr);
      _ns_series_muted (self, cr, 1);
      _ns_plot_y_tick_label (cr, f->a.x, y, label, f->y_step, font);
    }
  n = _ns_plot_axis_ticks (f->x_lo, f->x_hi, f->x_step, ticks, G_N_ELEMENTS (ticks));
  _ns_series_muted (self, cr, 1);
  for (guint t = 0; t < n; t++)
    {
      g_autofree char *label = ns_plot_format_tick (ticks[t] - f->x_offset, f->x_step);
      double x = round (_ns_series_fx (f, ticks[t])) + 0.5;

      cairo_move_to (cr, x, f->a.y + f->a.height);
      cairo_line_to (cr, x, f->a.y + f->a.height + font * 0.35);
      cairo_stroke (cr);
      _ns_plot_text (cr, x, f->a.y + f->a.height + font * 0.5, label, 0.5, 0);
    }
  cairo_move_to (cr, f->a.x + 0.5, f->a.y);
  cairo_line_to (cr, f->a.x + 0.5, round (f->a.y + f->a.height) + 0.5);
  cairo_line_to (cr, f->a.x + f->a.width, round (f->a.y + f->a.height) + 0.5);
  cairo_stroke (cr);

  /* Titles and labels may reach 2 font sizes beyond the plot area on each side: the cell's margins.
   */
  title_width = f->a.width + font * 4;
  label_width = title_width;
  if (f->y_offset != 0)
    {
      char buf[NS_FORMAT_READABLE_SIZE];
      g_autofree char *offset = g_strdup_printf ("+ %s", ns_format_readable (buf, f->y_offset, 10));
      cairo_text_extents_t ext;

      cairo_text_extents (cr, offset, &ext);
      title_width -= 2 * (ext.x_advance + font);
      _ns_plot_text (cr, f->a.x, f->a.y - f->band - font * 0.2, offset, 0, 1);
    }
  if (f->x_offset != 0)
    {
      char buf[NS_FORMAT_READABLE_SIZE];
      g_autofree char *offset = g_strdup_printf ("+ %s", ns_format_readable (buf, f->x_offset, 10));
      cairo_text_extents_t ext;

      cairo_text_extents (cr, offset, &ext);
      label_width -= 2 * (ext.x_advance + font);
      _ns_plot_text (cr, f->a.x + f->a.width, f->a.y + f->a.height + font * 1.9, offset, 1, 0);
    }
  _ns_plot_text_fit (cr, f->a.x + f->a.width / 2, f->a.y + f->a.height + font * 1.9, p->x_label,
                     label_width, 0.5, 0);
  _ns_series_foreground (self, cr);
  /* A narrow panel's title takes a smaller text (down to 0.8) before any "…". */
  _ns_plot_text_shrink (cr, f->a.x + f->a.width / 2, f->a.y - f->band - font * 1.6, p->title,
                        title_width, font, font * 0.8, 0.5, 0);
}

/* A polyline through the points; NaN breaks it. */
static void
ns_series_path_points (cairo_t *cr, const NsSeriesFrame *f, const double *y, gsize n)
{
  gboolean pen = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (y[i]))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, _ns_series_fx (f, i + 1), _ns_series_fy (f, y[i]));
      else
        cairo_move_to (cr, _ns_series_fx (f, i + 1), _ns_series_fy (f, y[i]));
      pen = TRUE;
    }
}

typedef struct {
  double x, lo, hi;
} NsSeriesColumn;

/* Min and max of the points falling in each pixel column (NaN columns: lo = NaN). */
static GArray *
ns_series_columns (const NsSeriesFrame *f, const double *y, gsize n)
{
  GArray *columns =
    g_array_sized_new (FALSE, FALSE, sizeof (NsSeriesColumn), (guint) f->a.width + 2);
  double k = f->a.width / (f->x_hi - f->x_lo), x0 = f->a.x - f->x_lo * k;

  /* measured: the column's last step is solved for, not tested per point (a division and floor
   * per point were 0.8 ms of each 50,000-step line); the min/max loop is then branch-light. */
  for (gsize start = 0; start < n;)
    {
      double x = floor (x0 + (double) (start + 1) * k);
      NsSeriesColumn c = { x + 0.5, INFINITY, -INFINITY };
      /* measured: in locals, not in c (whose address is taken below, so it lived in memory), the
       * min/max loop is several times faster; it was most of the running figure's drawing. */
      double lo = INFINITY, hi = -INFINITY;
      double guess = ceil ((x + 1 - x0) / k) - 1;
      gsize stop = guess > (double) start ? MIN ((gsize) guess, n) : start + 1;

      while (stop > start + 1 && floor (x0 + (double) stop * k) > x)
        stop--;
      while (stop < n && floor (x0 + (double) (stop + 1) * k) <= x)
        stop++;
      for (gsize i = start; i < stop; i++)
        if (isfinite (y[i]))
          {
            lo = MIN (lo, y[i]);
            hi = MAX (hi, y[i]);
          }
      c.lo = lo;
      c.hi = hi;
      start = stop;
      if (!isfinite (c.lo))
        c.lo = c.hi = NAN;
      g_array_append_val (columns, c);
    }
  return columns;
}

/* The pixel rows the line through the band middles covers in column i: to the midpoints towards
 * its neighbours, widened by half the line width, as a stroke would. */
static void
ns_series_column_line (const NsSeriesFrame *f, const NsSeriesColumn *c, guint i, guint start,
                       guint end, double half_width, double *top, double *bottom)
{
  double mid = _ns_series_fy (f, (c[i].lo + c[i].hi) / 2), lo_mid = mid, hi_mid = mid;

  for (guint k = MAX (i, start + 1) - 1; k <= i + 1 && k < end; k++)
    {
      double m = (mid + _ns_series_fy (f, (c[k].lo + c[k].hi) / 2)) / 2;

      lo_mid = MIN (lo_mid, m);
      hi_mid = MAX (hi_mid, m);
    }
  *top = lo_mid - half_width;
  *bottom = hi_mid + half_width;
}

/* A line with more points than pixels: the band between each column's min and max is filled, then
 * the line through the band middles; a few hundred boxes whatever n is. */
static void
ns_series_draw_dense (cairo_t *cr, const NsSeriesFrame *f, const double *y, gsize n,
                      gboolean dashed)
{
  GArray *columns = ns_series_columns (f, y, n);
  const NsSeriesColumn *c = (const NsSeriesColumn *) columns->data;
  guint len = columns->len;
  double half_width = cairo_get_line_width (cr) / 2;

  for (guint start = 0; start < len;)
    {
      guint end = start;

      while (end < len && !isnan (c[end].lo))
        end++;
      /* measured: pixel-wide boxes per column go through cairo's rectilinear fill, 3-5x faster
       * (100,000 rows, batch 2) than filling the band polygon and stroking its middle. */
      for (guint i = start; i < end; i++)
        {
          double top = _ns_series_fy (f, c[i].hi);

          cairo_rectangle (cr, c[i].x - 0.5, top, 1, _ns_series_fy (f, c[i].lo) - top);
        }
      cairo_fill (cr);
      for (guint i = start; i < end; i++)
        if (dashed) /* a dashed line keeps its dashes: stroked */
          (i == start ? cairo_move_to : cairo_line_to) (cr, c[i].x,
                                                        _ns_series_fy (f, (c[i].lo + c[i].hi) / 2));
        else
          {
            double top, bottom;

            ns_series_column_line (f, c, i, start, end, half_width, &top, &bottom);
            cairo_rectangle (cr, c[i].x - 0.5, top, 1, bottom - top);
          }
      if (dashed)
        cairo_stroke (cr);
      else
        cairo_fill (cr);
      start = end + 1;
    }
  g_array_unref (columns);
}

static void
ns_series_draw_histogram (const NsPlotSeries *self, cairo_t *cr, const NsSeriesFrame *f,
                          const NsSeriesItem *it, double line)
{
  double width = (it->b - it->a) / it->n;

  if (it->total == 0)
    return;
  cairo_move_to (cr, _ns_series_fx (f, it->a), _ns_series_fy (f, 0));
  for (gsize b = 0; b < it->n; b++)
    {
      double y = _ns_series_fy (f, it->values[b] / (it->total * width));

      cairo_line_to (cr, _ns_series_fx (f, it->a + b * width), y);
      cairo_line_to (cr, _ns_series_fx (f, it->a + (b + 1) * width), y);
    }
  cairo_line_to (cr, _ns_series_fx (f, it->b), _ns_series_fy (f, 0));
  if (it->filled)
    {
      _ns_series_set_color (self, cr, it->color, 0.45);
      cairo_fill_preserve (cr);
    }
  _ns_series_set_color (self, cr, it->color, 1);
  cairo_set_line_width (cr, line);
  cairo_stroke (cr);
}

static void
ns_series_draw_normal (const NsPlotSeries *self, cairo_t *cr, const NsSeriesFrame *f,
                       const NsSeriesItem *it, double line)
{
  const guint steps = 200;

  if (!(it->b > 0) || !isfinite (it->a))
    return;
  for (guint s = 0; s <= steps; s++)
    {
      double x = f->x_lo + (f->x_hi - f->x_lo) * s / steps;
      double y = gsl_ran_gaussian_pdf (x - it->a, it->b);

      if (s == 0)
        cairo_move_to (cr, _ns_series_fx (f, x), _ns_series_fy (f, y));
      else
        cairo_line_to (cr, _ns_series_fx (f, x), _ns_series_fy (f, y));
    }
  _ns_series_set_color (self, cr, it->color, 1);
  cairo_set_line_width (cr, line);
  cairo_stroke (cr);
}

static void
ns_series_draw_item (const NsPlotSeries *self, cairo_t *cr, const NsSeriesFrame *f,
                     const NsSeriesItem *it, const NsSeriesLayout *layout)
{
  double line = layout->line;
  double dash[] = { 6 * self->scale, 4 * self->scale };

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  switch (it->kind)
    {
    case NS_SERIES_ITEM_LINE:
      {
        gsize n = self->cursor > 0 ? MIN (self->cursor, it->n) : it->n;

        if (it->faint)
          {
            _ns_series_muted (self, cr, 0.35);
            cairo_set_line_width (cr, line * 0.6);
          }
        else
          {
            _ns_series_set_color (self, cr, it->color, 1);
            cairo_set_line_width (cr, line);
          }
        if (it->dashed)
          cairo_set_dash (cr, dash, 2, 0);
        if (n > 2 * f->a.width)
          ns_series_draw_dense (cr, f, it->values, n, it->dashed);
        else
          {
            ns_series_path_points (cr, f, it->values, n);
            cairo_stroke (cr);
          }
      }
      break;
    case NS_SERIES_ITEM_HISTOGRAM:
      ns_series_draw_histogram (self, cr, f, it, line * 0.8);
      break;
    case NS_SERIES_ITEM_NORMAL:
      ns_series_draw_normal (self, cr, f, it, line * 1.2);
      break;
    case NS_SERIES_ITEM_HLINE:
    case NS_SERIES_ITEM_VLINE:
      if (!isfinite (it->a))
        break;
      if (it->kind == NS_SERIES_ITEM_HLINE)
        {
          cairo_move_to (cr, f->a.x, _ns_series_fy (f, it->a));
          cairo_line_to (cr, f->a.x + f->a.width, _ns_series_fy (f, it->a));
        }
      else
        {
          cairo_move_to (cr, _ns_series_fx (f, it->a), f->a.y);
          cairo_line_to (cr, _ns_series_fx (f, it->a), f->a.y + f->a.height);
        }
      _ns_series_set_color (self, cr, it->color, 1);
      cairo_set_line_width (cr, line);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
      break;
    case NS_SERIES_ITEM_SPAN:
      if (!isfinite (it->a) || !isfinite (it->b))
        break;
      cairo_rectangle (cr, _ns_series_fx (f, it->a), f->a.y,
                       _ns_series_fx (f, it->b) - _ns_series_fx (f, it->a), f->a.height);
      _ns_series_set_color (self, cr, it->color, 0.16);
      cairo_fill (cr);
      break;
    case NS_SERIES_ITEM_NOTE:
      break;
    }
  cairo_restore (cr);
}

/* The title on one line, or two (broken before its setting), each shrunk a little if need be. */
static void
ns_series_draw_title (const NsPlotSeries *self, cairo_t *cr, double width,
                      const NsSeriesLayout *layout)
{
  double font = layout->font * 1.1, room = width - layout->font;
  g_autofree char *first = g_strndup (self->title, layout->title_break - (layout->title_break > 0));

  if (!self->title[0])
    return;
  if (layout->title_break == 0)
    {
      _ns_plot_text_shrink (cr, width / 2, layout->font * 0.4, self->title, room, font, font * 0.8,
                            0.5, 0);
      return;
    }
  _ns_plot_text_shrink (cr, width / 2, layout->font * 0.4, first, room, font, font * 0.8, 0.5, 0);
  _ns_plot_text_shrink (cr, width / 2, layout->font * 1.7, self->title + layout->title_break, room,
                        font, font * 0.8, 0.5, 0);
}

void
ns_plot_series_draw (NsPlotSeries *self, cairo_t *cr, double width, double height)
{
  NsSeriesLayout layout;

  cairo_save (cr);
  if (self->paint_background)
    {
      if (self->dark)
        cairo_set_source_rgb (cr, 0.14, 0.14, 0.14);
      else
        cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  _ns_series_layout (self, width, height, &layout);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, layout.font * 1.1);
  _ns_series_foreground (self, cr);
  ns_series_draw_title (self, cr, width, &layout);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  if (self->note)
    {
      double lines = self->title[0] ? 1.9 + (layout.title_break ? 1.3 : 0) : 0.5;

      cairo_set_font_size (cr, layout.font);
      _ns_plot_text_fit (cr, width / 2, layout.font * lines, self->note, width - layout.font, 0.5,
                         0);
    }
  for (guint i = 0; i < self->n_panels; i++)
    {
      const NsSeriesPanel *p = &self->panels[i];
      const NsSeriesFrame *f = &layout.frames[i];

      ns_series_draw_axes (self, cr, p, f, &layout);
      cairo_save (cr);
      cairo_rectangle (cr, f->a.x, f->a.y, f->a.width, f->a.height);
      cairo_clip (cr);
      for (guint k = 0; k < p->items->len; k++)
        ns_series_draw_item (self, cr, f, &g_array_index (p->items, NsSeriesItem, k), &layout);
      if (self->cursor > 0 && _ns_series_panel_is_steps (p))
        {
          double x = _ns_series_fx (f, (double) self->cursor);

          _ns_series_foreground (self, cr);
          cairo_set_line_width (cr, layout.line * 0.75);
          cairo_move_to (cr, x, f->a.y);
          cairo_line_to (cr, x, f->a.y + f->a.height);
          cairo_stroke (cr);
        }
      cairo_restore (cr);
      _ns_series_legend_draw (self, cr, p, f, &layout);
    }
  cairo_restore (cr);
}

/* Export. */

static void
ns_plot_series_draw_for_file (cairo_t *cr, double width, double height, gpointer data)
{
  NsPlotSeries *self = data;
  gboolean dark = self->dark, paint = self->paint_background;

  /* Figures for papers and slides: light style on white, whatever the window shows. */
  self->dark = FALSE;
  self->paint_background = TRUE;
  ns_plot_series_draw (self, cr, width, height);
  self->dark = dark;
  self->paint_background = paint;
}

gboolean
ns_plot_series_save (NsPlotSeries *self, const char *path, NsPlotFormat format, double width,
                     double height, GError **error)
{
  return ns_plot_render_to_file (path, format, width, height, ns_plot_series_draw_for_file, self,
                                 error);
}
