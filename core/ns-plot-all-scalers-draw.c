/* ns-plot-all-scalers-draw.c: cairo drawing of the all-scalers figure: rasterized scatters (on
 * every core), marginal histograms, the zoom's edge marks and the colour bar; export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-all-scalers-draw-private.h"

#include <math.h>
#include "ns-plot-points.h"
#include "ns-threads.h"

/* matplotlib's scatter of the example: s=5 (a disc of sqrt(5) points across), alpha 0.5. */
#define NS_ALL_SCALERS_POINT_ALPHA 0.5

typedef struct {
  NsPlotPoints points;
  int width, height;
  cairo_surface_t *surface;
} NsAllScalersRaster;

typedef struct {
  NsAllScalersRaster *rasters;
  guint n;
  gint next;
} NsAllScalersRasterJobs;

static void
ns_all_scalers_raster_worker (guint index, gpointer data)
{
  NsAllScalersRasterJobs *jobs = data;
  guint job;

  while ((job = (guint) g_atomic_int_add (&jobs->next, 1)) < jobs->n)
    {
      NsAllScalersRaster *r = &jobs->rasters[job];

      r->surface = ns_plot_points_rasterize (&r->points, r->width, r->height);
    }
}

/* Pixels per user unit: the target's own for images, 2 for SVG and PDF (points embedded as an
 * image of twice their size). */
static double
ns_all_scalers_raster_scale (cairo_t *cr)
{
  cairo_surface_t *target = cairo_get_target (cr);
  double sx = 1, sy = 1;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return 2;
  cairo_surface_get_device_scale (target, &sx, &sy);
  return MAX (sx, 1);
}

static void
ns_all_scalers_raster_init (NsAllScalersRaster *r, const NsAllScalersScatter *scatter,
                            const NsAllScalersPanelLayout *panel, double scale, double font,
                            gboolean dark)
{
  r->points = (NsPlotPoints) {
    .x = scatter->x,
    .y = scatter->y,
    .color = scatter->color,
    .n = scatter->n,
    .x_lo = panel->x.lo,
    .x_hi = panel->x.hi,
    .y_lo = panel->y.lo,
    .y_hi = panel->y.hi,
    .radius = CLAMP (font / 9.0, 0.8, 2.5) * scale,
    .alpha = NS_ALL_SCALERS_POINT_ALPHA,
  };
  ns_plot_palette_color (dark ? 2 : 5, dark, r->points.rgb);
  r->points.dark = dark;
  r->width = (int) ceil (panel->scatter.width * scale);
  r->height = (int) ceil (panel->scatter.height * scale);
  r->surface = NULL;
}

/* Every scatter of every drawn row rasterized, spread over the cores. */
static NsAllScalersRaster *
ns_all_scalers_rasterize (const NsAllScalersPlot *self, const NsAllScalersRowLayout *layouts,
                          double scale, double font)
{
  NsAllScalersRasterJobs jobs = { g_new0 (NsAllScalersRaster, self->rows->len * 2), 0, 0 };

  for (guint r = 0; r < self->rows->len; r++)
    {
      const NsAllScalersRow *row = g_ptr_array_index (self->rows, r);

      if (row->error != NULL)
        continue;
      for (guint p = 0; p < 2; p++)
        ns_all_scalers_raster_init (&jobs.rasters[jobs.n++], &row->panel[p], &layouts[r].panel[p],
                                    scale, font, self->dark);
    }
  ns_threads_run (MIN (ns_threads_resolve (0), MAX (jobs.n, 1)), ns_all_scalers_raster_worker,
                  &jobs);
  return jobs.rasters;
}

static void
ns_all_scalers_set_color (NsAllScalersCanvas *canvas, const double rgb[3])
{
  cairo_set_source_rgb (canvas->cr, rgb[0], rgb[1], rgb[2]);
}

static double
ns_all_scalers_map (double v, double lo, double hi, double from, double length)
{
  return from + (v - lo) / (hi - lo) * length;
}

/* The left and bottom spines, set 10 points outward as the example sets them, with their ticks. */
static void
ns_all_scalers_draw_axes (NsAllScalersCanvas *canvas, const NsAllScalersPanelLayout *panel)
{
  const cairo_rectangle_t *a = &panel->scatter;
  double f = canvas->font, out = f * 0.6, left = a->x - out, bottom = a->y + a->height + out;
  cairo_t *cr = canvas->cr;

  ns_all_scalers_set_color (canvas, canvas->style.muted);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, round (left) + 0.5, a->y);
  cairo_line_to (cr, round (left) + 0.5, a->y + a->height);
  cairo_move_to (cr, a->x, round (bottom) + 0.5);
  cairo_line_to (cr, a->x + a->width, round (bottom) + 0.5);
  _ns_all_scalers_set_font (canvas, f * 0.85, FALSE);
  for (guint t = 0; t < panel->x.n_ticks; t++)
    {
      g_autofree char *label = ns_plot_format_tick (panel->x.ticks[t], panel->x.step);
      double x =
        round (ns_all_scalers_map (panel->x.ticks[t], panel->x.lo, panel->x.hi, a->x, a->width)) +
        0.5;

      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + f * 0.35);
      _ns_all_scalers_text (canvas, x, bottom + f * 0.45, label, 0.5, 0);
    }
  for (guint t = 0; t < panel->y.n_ticks; t++)
    {
      g_autofree char *label = ns_plot_format_tick (panel->y.ticks[t], panel->y.step);
      double y =
        round (ns_all_scalers_map (panel->y.ticks[t], panel->y.hi, panel->y.lo, a->y, a->height)) +
        0.5;

      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left - f * 0.35, y);
      _ns_all_scalers_text (canvas, left - f * 0.45, y, label, 1, 0.5);
    }
  cairo_stroke (cr);
}

static void
ns_all_scalers_draw_axis_labels (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                                 const NsAllScalersPanelLayout *panel)
{
  const cairo_rectangle_t *a = &panel->scatter;
  double f = canvas->font;
  g_autofree char *x_label = NULL, *y_label = NULL;

  _ns_all_scalers_set_font (canvas, f * 0.9, FALSE);
  ns_all_scalers_set_color (canvas, canvas->style.foreground);
  x_label = _ns_all_scalers_fit_text (canvas, self->x_label, a->width);
  _ns_all_scalers_text (canvas, a->x + a->width / 2, a->y + a->height + f * 2.75, x_label, 0.5, 0);
  y_label = _ns_all_scalers_fit_text (canvas, self->y_label, a->height);
  _ns_all_scalers_text_vertical (canvas, a->x - f * 1.3 - panel->y.label_width - f * 0.65,
                                 a->y + a->height / 2, y_label);
}

/* A marginal histogram in grey (axis off): bars up from the bottom, or out from the left. */
static void
ns_all_scalers_draw_marginal (NsAllScalersCanvas *canvas, const NsAllScalersHistogram *h,
                              const NsAllScalersAxis *axis, const cairo_rectangle_t *a,
                              gboolean horizontal)
{
  guint64 highest = 1;
  double width = (h->hi - h->lo) / h->n_bins;

  for (guint b = 0; b < h->n_bins; b++)
    highest = MAX (highest, h->counts[b]);
  for (guint b = 0; b < h->n_bins; b++)
    {
      double lo = h->lo + b * width, length = (double) h->counts[b] / highest;

      if (h->counts[b] == 0)
        continue;
      if (horizontal)
        {
          double y0 = ns_all_scalers_map (lo, axis->hi, axis->lo, a->y, a->height);
          double y1 = ns_all_scalers_map (lo + width, axis->hi, axis->lo, a->y, a->height);

          cairo_rectangle (canvas->cr, a->x, y1, length * a->width, y0 - y1);
        }
      else
        {
          double x0 = ns_all_scalers_map (lo, axis->lo, axis->hi, a->x, a->width);
          double x1 = ns_all_scalers_map (lo + width, axis->lo, axis->hi, a->x, a->width);

          cairo_rectangle (canvas->cr, x0, a->y + a->height * (1 - length), x1 - x0,
                           a->height * length);
        }
    }
  cairo_set_source_rgb (canvas->cr, 0.5, 0.5, 0.5);
  cairo_fill (canvas->cr);
}

static void
ns_all_scalers_paint_raster (NsAllScalersCanvas *canvas, const NsAllScalersRaster *raster,
                             const cairo_rectangle_t *a)
{
  cairo_t *cr = canvas->cr;

  cairo_save (cr);
  cairo_rectangle (cr, a->x, a->y, a->width, a->height);
  cairo_clip (cr);
  cairo_translate (cr, a->x, a->y);
  cairo_scale (cr, a->width / raster->width, a->height / raster->height);
  cairo_set_source_surface (cr, raster->surface, 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* "206 beyond ▶" on a box, at the zoom panel's edge on its side. */
static void
ns_all_scalers_draw_beyond_count (NsAllScalersCanvas *canvas, const cairo_rectangle_t *a,
                                  NsAllScalersSide side, gsize count)
{
  static const char *const formats[] = { "\u25C0 %" G_GSIZE_FORMAT " beyond",
                                         "%" G_GSIZE_FORMAT " beyond \u25B6",
                                         "\u25BC %" G_GSIZE_FORMAT " beyond",
                                         "\u25B2 %" G_GSIZE_FORMAT " beyond" };
  static const double anchors[][4] = { /* x, y (fractions of the area), halign, valign */
                                       { 0, 0.38, 0, 0.5 },
                                       { 1, 0.62, 1, 0.5 },
                                       { 0.5, 1, 0.5, 1 },
                                       { 0.5, 0, 0.5, 0 }
  };
  g_autofree char *text = g_strdup_printf (formats[side], count);
  double f = canvas->font, inset = f * 0.5, width, x, y;
  const double *anchor = anchors[side];

  _ns_all_scalers_set_font (canvas, f * 0.8, FALSE);
  width = _ns_all_scalers_text_width (canvas, text);
  x = a->x + inset + anchor[0] * (a->width - 2 * inset);
  y = a->y + inset + anchor[1] * (a->height - 2 * inset);
  cairo_set_source_rgba (canvas->cr, canvas->style.background[0], canvas->style.background[1],
                         canvas->style.background[2], 0.85);
  cairo_rectangle (canvas->cr, x - width * anchor[2] - f * 0.25, y - f * 1.1 * anchor[3],
                   width + f * 0.5, f * 1.1);
  cairo_fill (canvas->cr);
  ns_all_scalers_set_color (canvas, canvas->style.foreground);
  _ns_all_scalers_text (canvas, x, y, text, anchor[2], anchor[3]);
}

/* Which whole-unit positions along each edge of the area hold a point the zoom leaves out. */
static void
ns_all_scalers_beyond_marks (const NsAllScalersRow *row, const NsAllScalersPanelLayout *panel,
                             guint8 *marks[NS_ALL_SCALERS_N_SIDES], gsize along[2])
{
  const cairo_rectangle_t *a = &panel->scatter;
  const NsAllScalersZoom *z = &row->zoom;

  for (gsize i = 0; i < row->n_out; i++)
    {
      double fx = (CLAMP (row->out_x[i], panel->x.lo, panel->x.hi) - panel->x.lo) /
                  (panel->x.hi - panel->x.lo);
      double fy = (panel->y.hi - CLAMP (row->out_y[i], panel->y.lo, panel->y.hi)) /
                  (panel->y.hi - panel->y.lo);
      gsize px = MIN ((gsize) (fx * a->width), along[0] - 1);
      gsize py = MIN ((gsize) (fy * a->height), along[1] - 1);
      gboolean sides[NS_ALL_SCALERS_N_SIDES];

      _ns_all_scalers_zoom_sides (z, row->out_x[i], row->out_y[i], sides);
      for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
        if (sides[s])
          marks[s][s < NS_ALL_SCALERS_BOTTOM ? py : px] = 1;
    }
}

/* Each point the zoom leaves out, as a short tick where it would cross the panel's edge (one per
 * unit of edge, however many points share it), and the count on each side. */
static void
ns_all_scalers_draw_beyond (NsAllScalersCanvas *canvas, const NsAllScalersRow *row,
                            const NsAllScalersPanelLayout *panel)
{
  const cairo_rectangle_t *a = &panel->scatter;
  gsize along[2] = { MAX ((gsize) ceil (a->width), 1), MAX ((gsize) ceil (a->height), 1) };
  double tick = canvas->font * 0.45, rgb[3];
  guint8 *marks[NS_ALL_SCALERS_N_SIDES];

  for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
    marks[s] = g_new0 (guint8, along[s < NS_ALL_SCALERS_BOTTOM]);
  ns_all_scalers_beyond_marks (row, panel, marks, along);
  for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
    {
      for (gsize u = 0; u < along[s < NS_ALL_SCALERS_BOTTOM]; u++)
        {
          double inward = s == NS_ALL_SCALERS_LEFT || s == NS_ALL_SCALERS_TOP ? tick : -tick;

          if (!marks[s][u])
            continue;
          if (s < NS_ALL_SCALERS_BOTTOM)
            {
              double edge = s == NS_ALL_SCALERS_LEFT ? a->x : a->x + a->width;

              cairo_move_to (canvas->cr, edge, a->y + u + 0.5);
              cairo_line_to (canvas->cr, edge + inward, a->y + u + 0.5);
            }
          else
            {
              double edge = s == NS_ALL_SCALERS_TOP ? a->y : a->y + a->height;

              cairo_move_to (canvas->cr, a->x + u + 0.5, edge);
              cairo_line_to (canvas->cr, a->x + u + 0.5, edge + inward);
            }
        }
      g_free (marks[s]);
    }
  ns_plot_palette_color (6, FALSE, rgb);
  ns_all_scalers_set_color (canvas, rgb);
  cairo_set_line_width (canvas->cr, 1.2);
  cairo_stroke (canvas->cr);
  for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
    if (row->zoom.beyond[s] > 0)
      ns_all_scalers_draw_beyond_count (canvas, a, s, row->zoom.beyond[s]);
}

/* "Zoom-in", naming a coordinate the zoom keeps whole: "Zoom-in (every flag value)". */
static char *
ns_all_scalers_panel_title (const NsAllScalersPlot *self, const NsAllScalersRow *row,
                            NsAllScalersPanel p)
{
  const gboolean *whole = row->zoom.whole;

  if (p == NS_ALL_SCALERS_FULL)
    return g_strdup ("Full data");
  if (whole[0] && whole[1])
    return g_strdup ("Zoom-in (every value)");
  if (whole[0] || whole[1])
    return g_strdup_printf ("Zoom-in (every %s value)", whole[0] ? self->x_label : self->y_label);
  return g_strdup ("Zoom-in");
}

static void
ns_all_scalers_draw_panel (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                           const NsAllScalersRow *row, const NsAllScalersRowLayout *layout,
                           NsAllScalersPanel p, const NsAllScalersRaster *raster)
{
  const NsAllScalersPanelLayout *panel = &layout->panel[p];
  const NsAllScalersScatter *scatter = &row->panel[p];
  const cairo_rectangle_t *a = &panel->scatter;
  double f = canvas->font;
  g_autofree char *title = NULL, *fitted = NULL;

  _ns_all_scalers_set_font (canvas, f * 0.95, TRUE);
  ns_all_scalers_set_color (canvas, canvas->style.foreground);
  title = ns_all_scalers_panel_title (self, row, p);
  fitted = _ns_all_scalers_fit_text (canvas, title, a->width);
  _ns_all_scalers_text (canvas, a->x + a->width / 2, a->y - f * 0.3, fitted, 0.5, 1);
  if (scatter->n == 0)
    {
      _ns_all_scalers_set_font (canvas, f * 0.85, FALSE);
      _ns_all_scalers_text (canvas, a->x + a->width / 2, a->y + a->height / 2,
                            "no point inside the percentiles", 0.5, 0.5);
      return;
    }
  ns_all_scalers_paint_raster (canvas, raster, a);
  ns_all_scalers_draw_axes (canvas, panel);
  ns_all_scalers_draw_axis_labels (canvas, self, panel);
  ns_all_scalers_draw_marginal (canvas, &scatter->histogram[0], &panel->x, &panel->top, FALSE);
  ns_all_scalers_draw_marginal (canvas, &scatter->histogram[1], &panel->y, &panel->right, TRUE);
  if (p == NS_ALL_SCALERS_ZOOM)
    ns_all_scalers_draw_beyond (canvas, row, panel);
}

static void
ns_all_scalers_draw_colorbar (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                              const NsAllScalersRowLayout *layout)
{
  const cairo_rectangle_t *a = &layout->colorbar_area;
  const NsAllScalersAxis *axis = &layout->colorbar;
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, a->y + a->height, 0, a->y);
  double f = canvas->font, label_x = a->x + a->width + f * 0.4;
  g_autofree char *label = NULL, *fitted = NULL;

  for (guint s = 0; s <= 16; s++)
    {
      double rgb[3];

      ns_plot_points_colormap (s / 16.0, self->dark, rgb);
      cairo_pattern_add_color_stop_rgb (gradient, s / 16.0, rgb[0], rgb[1], rgb[2]);
    }
  cairo_rectangle (canvas->cr, a->x, a->y, a->width, a->height);
  cairo_set_source (canvas->cr, gradient);
  cairo_fill (canvas->cr);
  cairo_pattern_destroy (gradient);
  _ns_all_scalers_set_font (canvas, f * 0.85, FALSE);
  ns_all_scalers_set_color (canvas, canvas->style.foreground);
  for (guint t = 0; t < axis->n_ticks; t++)
    {
      double y = ns_all_scalers_map (axis->ticks[t], axis->hi, axis->lo, a->y, a->height);
      g_autofree char *tick = self->category_names != NULL
                                ? _ns_all_scalers_fit_text (canvas, self->category_names[t], f * 8)
                                : ns_plot_format_tick (axis->ticks[t], axis->step);

      cairo_move_to (canvas->cr, a->x + a->width, round (y) + 0.5);
      cairo_line_to (canvas->cr, a->x + a->width + f * 0.3, round (y) + 0.5);
      cairo_stroke (canvas->cr);
      _ns_all_scalers_text (canvas, label_x, y, tick, 0, 0.5);
    }
  _ns_all_scalers_set_font (canvas, f * 0.9, FALSE);
  label = g_strdup_printf ("Color mapping for values of %s", self->color_label);
  fitted = _ns_all_scalers_fit_text (canvas, label, a->height);
  _ns_all_scalers_text_vertical (canvas,
                                 label_x + MIN (axis->label_width, f * 8) + f * 0.4 + f * 0.7,
                                 a->y + a->height / 2, fitted);
}

static void
ns_all_scalers_draw_row (NsAllScalersCanvas *canvas, const NsAllScalersPlot *self,
                         const NsAllScalersRow *row, const NsAllScalersRowLayout *layout,
                         const NsAllScalersRaster *rasters)
{
  const cairo_rectangle_t *cell = &layout->cell;
  double f = canvas->font;
  g_autofree char *title = NULL;

  _ns_all_scalers_set_font (canvas, f * 1.15, TRUE);
  ns_all_scalers_set_color (canvas, canvas->style.foreground);
  title = _ns_all_scalers_fit_text (canvas, row->title, cell->width - f * 1.2);
  _ns_all_scalers_text (canvas, cell->x + cell->width / 2, layout->title_y, title, 0.5, 0);
  if (row->error != NULL)
    {
      g_autofree char *reason = g_strdup_printf ("Not drawn: %s", row->error);
      g_autofree char *fitted = NULL;

      _ns_all_scalers_set_font (canvas, f, FALSE);
      fitted = _ns_all_scalers_fit_text (canvas, reason, cell->width - f * 2);
      _ns_all_scalers_text (canvas, cell->x + cell->width / 2, cell->y + cell->height / 2, fitted,
                            0.5, 0.5);
      return;
    }
  for (guint p = 0; p < 2; p++)
    ns_all_scalers_draw_panel (canvas, self, row, layout, p, &rasters[p]);
  if (self->color != NULL)
    ns_all_scalers_draw_colorbar (canvas, self, layout);
}

static void
ns_all_scalers_draw_canvas (NsAllScalersPlot *self, NsAllScalersCanvas *canvas, double width,
                            double height)
{
  guint n = self->rows->len;
  g_autofree cairo_rectangle_t *cells = g_new0 (cairo_rectangle_t, MAX (n, 1));
  g_autofree NsAllScalersRowLayout *layouts = g_new0 (NsAllScalersRowLayout, MAX (n, 1));
  NsAllScalersRaster *rasters;
  guint next = 0;

  _ns_plot_style_init (&canvas->style, self->dark);
  _ns_all_scalers_cells (self, width, height, cells);
  canvas->font = n > 0 ? _ns_all_scalers_font (&cells[0]) : 10;
  for (guint r = 0; r < n; r++)
    _ns_all_scalers_layout_row (canvas, self, g_ptr_array_index (self->rows, r), &cells[r],
                                &layouts[r]);
  rasters = ns_all_scalers_rasterize (self, layouts, ns_all_scalers_raster_scale (canvas->cr),
                                      canvas->font);
  for (guint r = 0; r < n; r++)
    {
      const NsAllScalersRow *row = g_ptr_array_index (self->rows, r);

      ns_all_scalers_draw_row (canvas, self, row, &layouts[r], &rasters[next]);
      if (row->error == NULL)
        next += 2;
    }
  for (guint i = 0; i < next; i++)
    cairo_surface_destroy (rasters[i].surface);
  g_free (rasters);
}

void
ns_all_scalers_plot_draw (NsAllScalersPlot *self, cairo_t *cr, double width, double height)
{
  NsAllScalersCanvas canvas = { .cr = cr };

  cairo_save (cr);
  if (self->paint_background)
    {
      NsPlotStyle style;

      _ns_plot_style_init (&style, self->dark);
      cairo_set_source_rgb (cr, style.background[0], style.background[1], style.background[2]);
      cairo_paint (cr);
    }
  ns_all_scalers_draw_canvas (self, &canvas, width, height);
  cairo_restore (cr);
}

static void
ns_all_scalers_draw_for_file (cairo_t *cr, double width, double height, gpointer data)
{
  NsAllScalersPlot *self = data;
  gboolean dark = self->dark, paint = self->paint_background;

  /* Figures for papers and slides: light style on white, whatever the window shows. */
  self->dark = FALSE;
  self->paint_background = TRUE;
  ns_all_scalers_plot_draw (self, cr, width, height);
  self->dark = dark;
  self->paint_background = paint;
}

gboolean
ns_all_scalers_plot_save (NsAllScalersPlot *self, const char *path, NsPlotFormat format,
                          double width, double height, GError **error)
{
  return ns_plot_render_to_file (path, format, width, height, ns_all_scalers_draw_for_file, self,
                                 error);
}
