/* ns-plot-all-scalers-layout.c: where the all-scalers figure's cells, panels and labels go, with
 * every text measured, and the text drawing that records where each label lands.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-all-scalers-draw-private.h"

#include <math.h>
#include <string.h>

/* The example's figure for one row is 16 x 6 inches. */
#define NS_ALL_SCALERS_ROW_ASPECT (16.0 / 6.0)

double
ns_all_scalers_plot_default_height (const NsAllScalersPlot *self, double width)
{
  return ceil (MAX (self->rows->len, 1) * width / NS_ALL_SCALERS_ROW_ASPECT);
}

void
_ns_all_scalers_set_font (NsAllScalersCanvas *canvas, double size, gboolean bold)
{
  cairo_select_font_face (canvas->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (canvas->cr, size);
}

double
_ns_all_scalers_text_width (NsAllScalersCanvas *canvas, const char *text)
{
  cairo_text_extents_t ext;

  cairo_text_extents (canvas->cr, text, &ext);
  return ext.x_advance;
}

static void
ns_all_scalers_record (NsAllScalersCanvas *canvas, double x, double y, double width, double height)
{
  _ns_plot_record_box (canvas->cr, &(cairo_rectangle_t) { x, y, width, height });
}

void
_ns_all_scalers_text (NsAllScalersCanvas *canvas, double x, double y, const char *text,
                      double halign, double valign)
{
  cairo_font_extents_t font;
  double width = _ns_all_scalers_text_width (canvas, text), left = x - width * halign, top;

  cairo_font_extents (canvas->cr, &font);
  top = y - (font.ascent + font.descent) * valign;
  cairo_move_to (canvas->cr, left, top + font.ascent);
  cairo_show_text (canvas->cr, text);
  ns_all_scalers_record (canvas, left, top, width, font.ascent + font.descent);
}

void
_ns_all_scalers_text_vertical (NsAllScalersCanvas *canvas, double x, double y, const char *text)
{
  cairo_font_extents_t font;
  double width = _ns_all_scalers_text_width (canvas, text);

  cairo_font_extents (canvas->cr, &font);
  cairo_save (canvas->cr);
  cairo_translate (canvas->cr, x, y);
  cairo_rotate (canvas->cr, -M_PI / 2);
  cairo_move_to (canvas->cr, -width / 2, -(font.ascent + font.descent) / 2 + font.ascent);
  cairo_show_text (canvas->cr, text);
  cairo_restore (canvas->cr);
  ns_all_scalers_record (canvas, x - (font.ascent + font.descent) / 2, y - width / 2,
                         font.ascent + font.descent, width);
}

char *
_ns_all_scalers_fit_text (NsAllScalersCanvas *canvas, const char *text, double room)
{
  g_autoptr (GString) fitted = g_string_new (text);

  while (fitted->len > 1 && _ns_all_scalers_text_width (canvas, fitted->str) > room)
    {
      if (g_str_has_suffix (fitted->str, "\u2026"))
        g_string_truncate (fitted, fitted->len - strlen ("\u2026"));
      g_string_truncate (fitted, g_utf8_prev_char (fitted->str + fitted->len) - fitted->str);
      g_string_append (fitted, "\u2026");
    }
  return g_string_free (g_steal_pointer (&fitted), FALSE);
}

/* Columns of cells whose shape is nearest the example's 16:6, rows filling each column first. */
static guint
ns_all_scalers_columns (guint n_rows, double width, double height)
{
  guint best = 1;
  double best_error = INFINITY;

  for (guint columns = 1; columns <= MAX (n_rows, 1); columns++)
    {
      guint per_column = (MAX (n_rows, 1) + columns - 1) / columns;
      double aspect = (width / columns) / (height / per_column);
      double error = fabs (log (aspect / NS_ALL_SCALERS_ROW_ASPECT));

      if (error < best_error - 1e-9)
        best = columns, best_error = error;
    }
  return best;
}

void
_ns_all_scalers_cells (const NsAllScalersPlot *self, double width, double height,
                       cairo_rectangle_t *cells)
{
  guint n = self->rows->len;
  guint columns = ns_all_scalers_columns (n, width, height);
  guint per_column = (MAX (n, 1) + columns - 1) / columns;

  for (guint r = 0; r < n; r++)
    {
      cells[r].width = width / columns;
      cells[r].height = height / per_column;
      cells[r].x = (r / per_column) * cells[r].width;
      cells[r].y = (r % per_column) * cells[r].height;
    }
}

double
_ns_all_scalers_font (const cairo_rectangle_t *cell)
{
  return CLAMP (MIN (cell->width / 115, cell->height / 36), 8, 15);
}

/* matplotlib's autoscale: the data's extent widened by 5 % on each side. */
static void
ns_all_scalers_axis_range (double lo, double hi, double *out_lo, double *out_hi)
{
  double margin = hi > lo ? (hi - lo) * 0.05 : 0.5;

  *out_lo = lo - margin;
  *out_hi = hi + margin;
}

/* Ticks inside [lo, hi], as many as fit length pixels with their labels apart. */
static void
ns_all_scalers_ticks (NsAllScalersCanvas *canvas, NsAllScalersAxis *axis, double length,
                      gboolean horizontal)
{
  double spacing = canvas->font * (horizontal ? 5.5 : 2.4);

  for (guint target = MAX (2, (guint) (length / spacing)); target >= 2; target--)
    {
      double ticks[64], widest = 0;
      guint n =
        ns_plot_nice_ticks (axis->lo, axis->hi, target, ticks, G_N_ELEMENTS (ticks), &axis->step);

      axis->n_ticks = 0;
      for (guint t = 0; t < n; t++)
        if (ticks[t] >= axis->lo - axis->step * 1e-9 && ticks[t] <= axis->hi + axis->step * 1e-9)
          {
            g_autofree char *label = ns_plot_format_tick (ticks[t], axis->step);

            widest = MAX (widest, _ns_all_scalers_text_width (canvas, label));
            axis->ticks[axis->n_ticks++] = ticks[t];
          }
      axis->label_width = widest;
      if (!horizontal || axis->n_ticks < 2 ||
          widest + canvas->font < axis->step / (axis->hi - axis->lo) * length)
        return;
    }
}

static void
ns_all_scalers_scatter_axes (const NsAllScalersScatter *scatter, NsAllScalersPanelLayout *panel)
{
  if (scatter->n == 0)
    {
      panel->x.lo = panel->y.lo = 0;
      panel->x.hi = panel->y.hi = 1;
      return;
    }
  ns_all_scalers_axis_range (scatter->x_lo, scatter->x_hi, &panel->x.lo, &panel->x.hi);
  ns_all_scalers_axis_range (scatter->y_lo, scatter->y_hi, &panel->y.lo, &panel->y.hi);
}

/* The colour bar's ticks: the category names, or nice numbers over the colour range. */
static double
ns_all_scalers_colorbar_width (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                               NsAllScalersRowLayout *layout, double bar_height)
{
  layout->colorbar.lo = self->color_lo;
  layout->colorbar.hi = self->color_hi > self->color_lo ? self->color_hi : self->color_lo + 1;
  if (self->category_names == NULL)
    {
      ns_all_scalers_ticks (canvas, &layout->colorbar, bar_height, FALSE);
      return layout->colorbar.label_width;
    }
  layout->colorbar.n_ticks = 0;
  layout->colorbar.label_width = 0;
  for (guint c = 0; self->category_names[c] != NULL && c < G_N_ELEMENTS (layout->colorbar.ticks);
       c++)
    {
      layout->colorbar.ticks[layout->colorbar.n_ticks++] = c;
      layout->colorbar.label_width =
        MAX (layout->colorbar.label_width,
             _ns_all_scalers_text_width (canvas, self->category_names[c]));
    }
  return MIN (layout->colorbar.label_width, canvas->font * 8);
}

/* Vertical bands: the title, the top marginals, the panel titles, the scatters, the x labels. */
static void
ns_all_scalers_layout_rows (NsAllScalersRowLayout *layout, const cairo_rectangle_t *cell, double f)
{
  double title = f * 2.2, bottom = f * 4.3, panel_title = f * 1.7;
  double rest = MAX (cell->height - title - bottom - panel_title, f * 4);
  double marginal = rest * 0.125;

  layout->title_y = cell->y + f * 0.5;
  for (guint p = 0; p < 2; p++)
    {
      layout->panel[p].top.y = cell->y + title;
      layout->panel[p].top.height = marginal;
      layout->panel[p].scatter.y = layout->panel[p].top.y + marginal + panel_title;
      layout->panel[p].scatter.height = rest - marginal;
      layout->panel[p].right.y = layout->panel[p].scatter.y;
      layout->panel[p].right.height = layout->panel[p].scatter.height;
    }
}

/* Horizontal bands: each panel's y labels, scatter, marginal; then the colour bar and its labels.
 */
static void
ns_all_scalers_layout_columns (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                               NsAllScalersRowLayout *layout, const cairo_rectangle_t *cell)
{
  double f = canvas->font, bar = 0, fixed, scatter_width, x;
  double left[2];

  for (guint p = 0; p < 2; p++)
    left[p] = f * 1.6 + layout->panel[p].y.label_width + f * 1.3;
  if (self->color != NULL)
    bar = f * 1.2 + f * 0.9 + f * 0.4 +
          ns_all_scalers_colorbar_width (canvas, self, layout, layout->panel[0].scatter.height) +
          f * 1.8;
  fixed = f * 0.6 + left[0] + f * 1.0 + left[1] + bar + f * 0.6;
  scatter_width = MAX ((cell->width - fixed) / (2 * (1 + 0.09 + 0.227)), f * 3);
  x = cell->x + f * 0.6;
  for (guint p = 0; p < 2; p++)
    {
      NsAllScalersPanelLayout *panel = &layout->panel[p];

      x += left[p];
      panel->scatter.x = panel->top.x = x;
      panel->scatter.width = panel->top.width = scatter_width;
      panel->right.x = x + scatter_width * 1.09;
      panel->right.width = scatter_width * 0.227;
      x = panel->right.x + panel->right.width + f * 1.0;
    }
  layout->colorbar_area.x = x - f * 1.0 + f * 1.2;
  layout->colorbar_area.y = layout->panel[0].scatter.y;
  layout->colorbar_area.width = f * 0.9;
  layout->colorbar_area.height = layout->panel[0].scatter.height;
}

void
_ns_all_scalers_layout_row (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                            const NsAllScalersRow *row, const cairo_rectangle_t *cell,
                            NsAllScalersRowLayout *layout)
{
  memset (layout, 0, sizeof *layout);
  layout->cell = *cell;
  ns_all_scalers_layout_rows (layout, cell, canvas->font);
  if (row->error != NULL)
    return;
  _ns_all_scalers_set_font (canvas, canvas->font * 0.85, FALSE);
  for (guint p = 0; p < 2; p++)
    {
      ns_all_scalers_scatter_axes (&row->panel[p], &layout->panel[p]);
      ns_all_scalers_ticks (canvas, &layout->panel[p].y, layout->panel[p].scatter.height, FALSE);
    }
  ns_all_scalers_layout_columns (canvas, self, layout, cell);
  for (guint p = 0; p < 2; p++)
    ns_all_scalers_ticks (canvas, &layout->panel[p].x, layout->panel[p].scatter.width, TRUE);
}
