/* ns-plot-draw.c: cairo drawing of the plot model: small multiples, axes, legend, hit testing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-private.h"
#include "ns-format-double.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

void
_ns_plot_style_init (NsPlotStyle *style, gboolean dark)
{
  /* Adwaita's window colours, so the widget blends into light and dark windows. */
  const NsPlotStyle light = {
    { 1, 1, 1 }, { 0.12, 0.12, 0.14 }, { 0, 0, 0, 0.10 }, { 0.37, 0.36, 0.39 }
  };
  const NsPlotStyle night = {
    { 0.14, 0.14, 0.14 }, { 0.96, 0.96, 0.96 }, { 1, 1, 1, 0.12 }, { 0.75, 0.75, 0.78 }
  };

  *style = dark ? night : light;
}

static const cairo_user_data_key_t ns_plot_text_boxes_key;
static const cairo_user_data_key_t ns_plot_texts_key;

void
ns_plot_record_text_boxes (cairo_t *cr, GArray *boxes)
{
  cairo_set_user_data (cr, &ns_plot_text_boxes_key, boxes, NULL);
}

void
ns_plot_record_texts (cairo_t *cr, GPtrArray *texts)
{
  cairo_set_user_data (cr, &ns_plot_texts_key, texts, NULL);
}

void
_ns_plot_record_box (cairo_t *cr, const cairo_rectangle_t *box)
{
  GArray *boxes = cairo_get_user_data (cr, &ns_plot_text_boxes_key);

  if (boxes != NULL)
    g_array_append_val (boxes, *box);
}

/* The ink box of text about to be shown at the current point, for ns_plot_record_text_boxes. */
static void
ns_plot_record_text_box (cairo_t *cr, const char *text)
{
  cairo_text_extents_t ext;
  double x, y;

  if (cairo_get_user_data (cr, &ns_plot_text_boxes_key) == NULL || text[0] == '\0')
    return;
  cairo_get_current_point (cr, &x, &y);
  cairo_text_extents (cr, text, &ext);
  _ns_plot_record_box (cr, &(cairo_rectangle_t) { x + ext.x_bearing, y + ext.y_bearing, ext.width,
                                                  ext.height });
}

void
_ns_plot_text (cairo_t *cr, double x, double y, const char *text, double halign, double valign)
{
  cairo_text_extents_t ext;
  cairo_font_extents_t fext;

  cairo_text_extents (cr, text, &ext);
  cairo_font_extents (cr, &fext);
  cairo_move_to (cr, x - ext.x_advance * halign,
                 y + fext.ascent - (fext.ascent + fext.descent) * valign);
  ns_plot_record_text_box (cr, text);
  if (text[0] && cairo_get_user_data (cr, &ns_plot_texts_key) != NULL)
    g_ptr_array_add (cairo_get_user_data (cr, &ns_plot_texts_key), g_strdup (text));
  cairo_show_text (cr, text);
}

static double
ns_plot_text_width (cairo_t *cr, const char *text)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  return ext.x_advance;
}

/* text, or its longest start (whole characters) followed by "…" that is at most max_width wide. */
static char *
ns_plot_ellipsize (cairo_t *cr, const char *text, double max_width)
{
  glong lo = 0, hi = g_utf8_strlen (text, -1);

  if (ns_plot_text_width (cr, text) <= max_width)
    return g_strdup (text);
  /* Binary search on the number of characters kept: widths grow with it. */
  while (lo < hi)
    {
      glong mid = (lo + hi + 1) / 2;
      const char *end = g_utf8_offset_to_pointer (text, mid);
      g_autofree char *cut = g_strdup_printf ("%.*s…", (int) (end - text), text);

      if (ns_plot_text_width (cr, cut) <= max_width)
        lo = mid;
      else
        hi = mid - 1;
    }
  if (lo == 0)
    return g_strdup (ns_plot_text_width (cr, "…") <= max_width ? "…" : "");
  return g_strdup_printf ("%.*s…", (int) (g_utf8_offset_to_pointer (text, lo) - text), text);
}

void
_ns_plot_text_shrink (cairo_t *cr, double x, double y, const char *text, double max_width,
                      double font, double smallest, double halign, double valign)
{
  double width;

  cairo_set_font_size (cr, font);
  width = ns_plot_text_width (cr, text);
  if (width > max_width)
    cairo_set_font_size (cr, MAX (font * max_width / width, smallest));
  _ns_plot_text_fit (cr, x, y, text, max_width, halign, valign);
  cairo_set_font_size (cr, font);
}

void
_ns_plot_text_fit (cairo_t *cr, double x, double y, const char *text, double max_width,
                   double halign, double valign)
{
  g_autofree char *fitted = ns_plot_ellipsize (cr, text, max_width);

  if (fitted[0])
    _ns_plot_text (cr, x, y, fitted, halign, valign);
}

void
_ns_plot_y_tick_label (cairo_t *cr, double axis_x, double y, const char *label, double step,
                       double font)
{
  /* "5 (constant)" is wider than the axis margin: it sits in the plot, above its grid line. */
  if (step == 0)
    _ns_plot_text (cr, axis_x + font * 0.4, y - font * 0.2, label, 0, 1);
  else
    _ns_plot_text (cr, axis_x - font * 0.4, y, label, 1, 0.5);
}

typedef struct {
  cairo_rectangle_t a;
  double x_lo, x_hi, y_lo, y_hi;
  gboolean log_y; /* y_lo and y_hi are log10 of densities */
} NsPlotFrame;

static double
ns_plot_fx (const NsPlotFrame *f, double x)
{
  return f->a.x + (x - f->x_lo) / (f->x_hi - f->x_lo) * f->a.width;
}

static double
ns_plot_fy (const NsPlotFrame *f, double y)
{
  /* On a log axis an empty bin sits below the axis, where the clip hides it. */
  if (f->log_y)
    y = y > 0 ? log10 (y) : f->y_lo - 1;
  return f->a.y + f->a.height - (y - f->y_lo) / (f->y_hi - f->y_lo) * f->a.height;
}

static void
ns_plot_draw_axes (cairo_t *cr, const NsPlotFrame *f, const NsPlotLayout *layout, guint i,
                   const NsPlotStyle *style)
{
  double ticks[64];
  double step;
  guint n;

  cairo_set_line_width (cr, 1);
  cairo_set_font_size (cr, layout->font * 0.85);
  /* Horizontal grid and y tick labels. */
  step = layout->y_step[i];
  n = _ns_plot_axis_ticks (f->y_lo, f->y_hi, step, ticks, G_N_ELEMENTS (ticks));
  for (guint t = 0; t < n; t++)
    {
      g_autofree char *label = NULL;
      double value = f->log_y ? pow (10, ticks[t]) : ticks[t];
      double y = ns_plot_fy (f, value);

      if (ticks[t] < f->y_lo - step * 1e-6 || ticks[t] > f->y_hi + step * 1e-6)
        continue;
      y = round (y) + 0.5;
      cairo_set_source_rgba (cr, style->grid[0], style->grid[1], style->grid[2], style->grid[3]);
      cairo_move_to (cr, f->a.x, y);
      cairo_line_to (cr, f->a.x + f->a.width, y);
      cairo_stroke (cr);
      label = ns_plot_format_tick (value, f->log_y ? value : step);
      cairo_set_source_rgb (cr, style->muted[0], style->muted[1], style->muted[2]);
      _ns_plot_y_tick_label (cr, f->a.x, y, label, step, layout->font);
    }
  /* x tick marks and labels. */
  step = layout->x_step[i];
  n = _ns_plot_axis_ticks (f->x_lo, f->x_hi, step, ticks, G_N_ELEMENTS (ticks));
  cairo_set_source_rgb (cr, style->muted[0], style->muted[1], style->muted[2]);
  for (guint t = 0; t < n; t++)
    {
      g_autofree char *label = NULL;
      double x;

      if (ticks[t] < f->x_lo - step * 1e-6 || ticks[t] > f->x_hi + step * 1e-6)
        continue;
      x = round (ns_plot_fx (f, ticks[t])) + 0.5;
      cairo_move_to (cr, x, f->a.y + f->a.height);
      cairo_line_to (cr, x, f->a.y + f->a.height + layout->font * 0.35);
      cairo_stroke (cr);
      label = ns_plot_format_tick (ticks[t], step);
      _ns_plot_text (cr, x, f->a.y + f->a.height + layout->font * 0.5, label, 0.5, 0);
    }
  /* The axes themselves. */
  cairo_set_source_rgb (cr, style->muted[0], style->muted[1], style->muted[2]);
  cairo_move_to (cr, f->a.x + 0.5, f->a.y);
  cairo_line_to (cr, f->a.x + 0.5, round (f->a.y + f->a.height) + 0.5);
  cairo_line_to (cr, f->a.x + f->a.width, round (f->a.y + f->a.height) + 0.5);
  cairo_stroke (cr);
}

/* The test-file overlay: a dashed outline in the text colour, unlike any strategy's fill. */
static void
ns_plot_set_overlay_style (cairo_t *cr, const NsPlotStyle *style)
{
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  cairo_set_line_width (cr, 2.2);
  cairo_set_dash (cr, (double[]) { 6, 3 }, 2, 0);
}

static void
ns_plot_draw_histogram (const NsPlot *self, cairo_t *cr, const NsPlotPanel *p, guint n_bins,
                        const NsPlotFrame *f, const NsPlotStyle *style)
{
  double rgb[3];

  ns_strategy_get_color (p->strategy, self->dark, rgb);
  for (guint b = 0; b < n_bins; b++)
    {
      double lo, hi, density, x0, x1, y;
      guint64 count;

      _ns_plot_data_get_bin (p->data, n_bins, b, p->offset, p->scale, &lo, &hi, &count);
      if (count == 0 || _ns_plot_bin_side (lo, hi, f->x_lo, f->x_hi) != 0)
        continue;
      density = count / (p->data->moments.count * (hi - lo));
      x0 = ns_plot_fx (f, lo);
      x1 = ns_plot_fx (f, hi);
      y = ns_plot_fy (f, density);
      cairo_rectangle (cr, x0, y, x1 - x0, f->a.y + f->a.height - y);
    }
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.85);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, style->background[0], style->background[1], style->background[2], 0.6);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);

  if (p->overlay)
    {
      cairo_move_to (cr, ns_plot_fx (f, (p->overlay->lo - p->overlay_offset) / p->overlay_scale),
                     ns_plot_fy (f, 0));
      for (guint b = 0; b < n_bins; b++)
        {
          double lo, hi;
          guint64 count;
          double y;

          _ns_plot_data_get_bin (p->overlay, n_bins, b, p->overlay_offset, p->overlay_scale, &lo,
                                 &hi, &count);
          y = ns_plot_fy (f, count / (p->overlay->moments.count * (hi - lo)));
          cairo_line_to (cr, ns_plot_fx (f, lo), y);
          cairo_line_to (cr, ns_plot_fx (f, hi), y);
        }
      cairo_line_to (cr, ns_plot_fx (f, (p->overlay->hi - p->overlay_offset) / p->overlay_scale),
                     ns_plot_fy (f, 0));
      ns_plot_set_overlay_style (cr, style);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

/* The reference density a panel is drawn against: none on the raw data, N(0,1) on a normalized
 * panel no strategy names, else its strategy's. */
static NsStrategyReference
ns_plot_panel_reference (const NsPlotPanel *p)
{
  if (p->kind == NS_PLOT_PANEL_RAW)
    return NS_STRATEGY_REFERENCE_NONE;
  if (p->strategy == NS_STRATEGY_NONE)
    return NS_STRATEGY_REFERENCE_NORMAL;
  return ns_strategy_get_reference (p->strategy);
}

static double
ns_plot_reference_density (NsStrategyReference reference, double x)
{
  if (reference == NS_STRATEGY_REFERENCE_UNIFORM)
    return x >= 0 && x <= 1 ? 1 : 0;
  return gsl_ran_ugaussian_pdf (x);
}

static void
ns_plot_draw_reference_curve (cairo_t *cr, const NsPlotFrame *f, NsStrategyReference reference,
                              const NsPlotStyle *style)
{
  const guint steps = 240;

  if (reference == NS_STRATEGY_REFERENCE_NONE)
    return;
  for (guint s = 0; s <= steps; s++)
    {
      double x = f->x_lo + (f->x_hi - f->x_lo) * s / steps;

      cairo_line_to (cr, ns_plot_fx (f, x),
                     ns_plot_fy (f, ns_plot_reference_density (reference, x)));
    }
  if (reference == NS_STRATEGY_REFERENCE_UNIFORM)
    {
      /* The uniform's edges are steps, not the slopes the sampling would draw. */
      cairo_new_path (cr);
      cairo_move_to (cr, ns_plot_fx (f, MIN (f->x_lo, 0)), ns_plot_fy (f, 0));
      cairo_line_to (cr, ns_plot_fx (f, 0), ns_plot_fy (f, 0));
      cairo_line_to (cr, ns_plot_fx (f, 0), ns_plot_fy (f, 1));
      cairo_line_to (cr, ns_plot_fx (f, 1), ns_plot_fy (f, 1));
      cairo_line_to (cr, ns_plot_fx (f, 1), ns_plot_fy (f, 0));
      cairo_line_to (cr, ns_plot_fx (f, MAX (f->x_hi, 1)), ns_plot_fy (f, 0));
    }
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  cairo_set_line_width (cr, 1.6);
  cairo_stroke (cr);
}

static void
ns_plot_draw_qq (const NsPlot *self, cairo_t *cr, guint i, const NsPlotFrame *f,
                 const NsPlotStyle *style, double font)
{
  const NsPlotPanel *p = &self->panels[i];
  double rgb[3];
  double a = 0, b = 1;
  guint first, last;

  /* Reference: y = x (N(0,1)) on normalized panels, the fitted normal on the raw one. */
  if (p->kind == NS_PLOT_PANEL_RAW)
    {
      a = ns_plot_panel_get_mean (self, i);
      b = ns_plot_panel_get_std (self, i);
    }
  cairo_move_to (cr, ns_plot_fx (f, f->x_lo), ns_plot_fy (f, a + b * f->x_lo));
  cairo_line_to (cr, ns_plot_fx (f, f->x_hi), ns_plot_fy (f, a + b * f->x_hi));
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  cairo_set_line_width (cr, 1.4);
  cairo_stroke (cr);

  ns_strategy_get_color (p->strategy, self->dark, rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.9);
  ns_plot_get_qq_window (self, &first, &last);
  for (guint q = first; q <= last; q++)
    {
      double t, s;

      ns_plot_panel_get_qq_point (self, i, q, &t, &s);
      cairo_new_sub_path (cr);
      cairo_arc (cr, ns_plot_fx (f, t), ns_plot_fy (f, s), font * 0.22, 0, 2 * M_PI);
    }
  cairo_fill (cr);
}

/* The mean's dashed line in the plot area. */
static void
ns_plot_draw_mean_line (const NsPlot *self, cairo_t *cr, guint i, const NsPlotFrame *f,
                        const NsPlotStyle *style)
{
  double mean = ns_plot_panel_get_mean (self, i);
  double x;

  if (self->mode != NS_PLOT_HISTOGRAM || !(mean >= f->x_lo && mean <= f->x_hi))
    return;
  x = round (ns_plot_fx (f, mean)) + 0.5;
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  cairo_move_to (cr, x, f->a.y);
  cairo_line_to (cr, x, f->a.y + f->a.height);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* The panel's header: a colour key, the strategy's name (bold, left) and its mean and std (right).
 * Where both do not fit the panel's width, the note becomes "μ 0  σ 1", then goes, and only a
 * name wider than the panel is cut with an ellipsis, so the two never overlap. */
static void
ns_plot_draw_header (const NsPlot *self, cairo_t *cr, guint i, const NsPlotFrame *f,
                     const NsPlotStyle *style, double font)
{
  const NsPlotPanel *p = &self->panels[i];
  char mean_text[NS_FORMAT_READABLE_SIZE], std_text[NS_FORMAT_READABLE_SIZE];
  double mean = ns_plot_panel_get_mean (self, i), gap = font, rgb[3], note_width, room;
  g_autofree char *note = NULL;
  g_autoptr (GString) title = g_string_new (p->label);

  ns_format_readable (mean_text, mean, 3);
  ns_format_readable (std_text, ns_plot_panel_get_std (self, i), 3);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, font);
  room = f->a.width - font * 1.1 - ns_plot_text_width (cr, title->str) - gap;
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, font * 0.85);
  note = g_strdup_printf ("mean %s   std %s", mean_text, std_text);
  if ((note_width = ns_plot_text_width (cr, note)) > room)
    {
      g_free (note);
      note = g_strdup_printf ("\u03bc %s  \u03c3 %s", mean_text, std_text);
      note_width = ns_plot_text_width (cr, note);
    }
  /* The name matters more than the note: a panel too narrow for both keeps the name whole. */
  if (note_width > room)
    {
      g_free (note);
      note = g_strdup ("");
      note_width = 0;
    }
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  if (note_width > 0)
    _ns_plot_text (cr, f->a.x + f->a.width, f->a.y - font * 0.35, note, 1, 1);

  ns_strategy_get_color (p->strategy, self->dark, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_rectangle (cr, f->a.x, f->a.y - font * 1.55, font * 0.8, font * 0.8);
  cairo_fill (cr);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, font);
  room = f->a.width - font * 1.1 - note_width - gap;
  /* "standard (scikit-learn)" becomes "Standard" before it is cut. */
  if (ns_plot_text_width (cr, title->str) > room && p->strategy != NS_STRATEGY_NONE)
    g_string_assign (title, ns_strategy_get_short_label (p->strategy));
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  _ns_plot_text_fit (cr, f->a.x + font * 1.1, f->a.y - font * 1.15, title->str, MAX (room, 0), 0,
                     0.5);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

/* A count of values beyond the axis at the top corner of the plot area on their side. */
static void
ns_plot_draw_outside_count (cairo_t *cr, const NsPlotFrame *f, guint64 count, gboolean right,
                            const NsPlotStyle *style, double font)
{
  g_autofree char *text = NULL;
  cairo_text_extents_t ext;
  double x, y = f->a.y + font * 0.3;

  if (count == 0)
    return;
  text = right ? g_strdup_printf ("%" G_GUINT64_FORMAT " beyond \u25B6", count)
               : g_strdup_printf ("\u25C0 %" G_GUINT64_FORMAT " beyond", count);
  cairo_set_font_size (cr, font * 0.85);
  cairo_text_extents (cr, text, &ext);
  x = right ? f->a.x + f->a.width - ext.x_advance - font * 0.5 : f->a.x + font * 0.5;
  cairo_set_source_rgba (cr, style->background[0], style->background[1], style->background[2],
                         0.85);
  cairo_rectangle (cr, x - font * 0.3, y - font * 0.15, ext.x_advance + font * 0.6, font * 1.3);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, style->foreground[0], style->foreground[1], style->foreground[2]);
  _ns_plot_text (cr, x, y, text, 0, 0);
}

static void
ns_plot_draw_outside (cairo_t *cr, const NsPlotFrame *f, guint64 left, guint64 right,
                      const NsPlotStyle *style, double font)
{
  ns_plot_draw_outside_count (cr, f, left, FALSE, style, font);
  ns_plot_draw_outside_count (cr, f, right, TRUE, style, font);
}

static void
ns_plot_draw_panel (const NsPlot *self, cairo_t *cr, const NsPlotLayout *layout, guint i,
                    const NsPlotStyle *style)
{
  const NsPlotPanel *p = &self->panels[i];
  NsPlotFrame f = { layout->area[i], layout->x_lo[i], layout->x_hi[i],
                    layout->y_lo[i], layout->y_hi[i], layout->log_y };
  double font = layout->font;

  ns_plot_draw_axes (cr, &f, layout, i, style);

  cairo_save (cr);
  cairo_rectangle (cr, f.a.x, f.a.y - 1, f.a.width + 1, f.a.height + 2);
  cairo_clip (cr);
  if (self->mode == NS_PLOT_HISTOGRAM)
    {
      ns_plot_draw_histogram (self, cr, p, layout->n_bins[i], &f, style);
      ns_plot_draw_reference_curve (cr, &f, ns_plot_panel_reference (p), style);
    }
  else
    ns_plot_draw_qq (self, cr, i, &f, style, font);
  cairo_restore (cr);

  ns_plot_draw_mean_line (self, cr, i, &f, style);
  ns_plot_draw_outside (cr, &f, layout->left[i], layout->right[i], style, font);
  ns_plot_draw_header (self, cr, i, &f, style, font);
}

static double
ns_plot_legend_item (cairo_t *cr, double x, double y, double font, const char *text)
{
  cairo_text_extents_t ext;

  cairo_set_font_size (cr, font * 0.85);
  _ns_plot_text (cr, x, y, text, 0, 0.5);
  cairo_text_extents (cr, text, &ext);
  return x + ext.x_advance + font * 1.6;
}

/* One solid-line item per reference density some panel draws. */
static double
ns_plot_legend_references (const NsPlot *self, cairo_t *cr, double x, double y, double font)
{
  gboolean shown[NS_STRATEGY_REFERENCE_UNIFORM + 1] = { FALSE };

  for (guint i = 0; i < self->n_panels; i++)
    shown[ns_plot_panel_reference (&self->panels[i])] = TRUE;
  for (guint r = NS_STRATEGY_REFERENCE_NORMAL; r <= NS_STRATEGY_REFERENCE_UNIFORM; r++)
    if (shown[r])
      {
        cairo_move_to (cr, x, y);
        cairo_line_to (cr, x + font * 1.6, y);
        cairo_set_line_width (cr, 1.6);
        cairo_stroke (cr);
        x = ns_plot_legend_item (cr, x + font * 2.0, y, font,
                                 ns_strategy_reference_get_label ((NsStrategyReference) r));
      }
  return x;
}

static void
ns_plot_draw_legend (const NsPlot *self, cairo_t *cr, const NsPlotLayout *layout,
                     const NsPlotStyle *style)
{
  double font = layout->font;
  double x = font * 5.0, y = layout->title_height + layout->legend_height * 0.45;
  const double *fg = style->foreground;
  double rgb[3];

  if (self->n_panels == 0)
    return;
  ns_strategy_get_color (self->panels[0].strategy, self->dark, rgb);
  if (self->mode == NS_PLOT_HISTOGRAM)
    {
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.85);
      cairo_rectangle (cr, x, y - font * 0.4, font * 1.2, font * 0.8);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, fg[0], fg[1], fg[2]);
      x = ns_plot_legend_item (cr, x + font * 1.6, y, font,
                               ns_plot_layout_is_log (self) ? "density of the values (log scale)"
                                                            : "density of the values");
      x = ns_plot_legend_references (self, cr, x, y, font);
      cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + font * 1.6, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      x = ns_plot_legend_item (cr, x + font * 2.0, y, font, "mean");
      for (guint i = 0; i < self->n_panels; i++)
        if (self->panels[i].overlay)
          {
            ns_plot_set_overlay_style (cr, style);
            cairo_rectangle (cr, x, y - font * 0.4, font * 1.2, font * 0.8);
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
            cairo_set_source_rgb (cr, fg[0], fg[1], fg[2]);
            ns_plot_legend_item (cr, x + font * 1.6, y, font, self->panels[i].overlay_label);
            break;
          }
    }
  else
    {
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_arc (cr, x + font * 0.5, y, font * 0.25, 0, 2 * M_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, fg[0], fg[1], fg[2]);
      x = ns_plot_legend_item (cr, x + font * 1.2, y, font, "sample quantiles");
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + font * 1.6, y);
      cairo_set_line_width (cr, 1.4);
      cairo_stroke (cr);
      ns_plot_legend_item (cr, x + font * 2.0, y, font, "N(0,1): y = x (raw data: fitted normal)");
    }
}

void
ns_plot_draw (NsPlot *self, cairo_t *cr, double width, double height)
{
  NsPlotLayout layout;
  NsPlotStyle style;

  _ns_plot_style_init (&style, self->dark);
  _ns_plot_layout (self, width, height, &layout);
  cairo_save (cr);
  if (self->paint_background)
    {
      cairo_set_source_rgb (cr, style.background[0], style.background[1], style.background[2]);
      cairo_paint (cr);
    }
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, layout.font * 1.2);
  cairo_set_source_rgb (cr, style.foreground[0], style.foreground[1], style.foreground[2]);
  if (self->title[0])
    _ns_plot_text (cr, layout.font * 1.0, layout.font * 0.5, self->title, 0, 0);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  ns_plot_draw_legend (self, cr, &layout, &style);
  for (guint i = 0; i < self->n_panels; i++)
    ns_plot_draw_panel (self, cr, &layout, i, &style);
  cairo_restore (cr);
}

/* Over the count of values beyond the axis at a top corner: how many, and from where to where. */
static gboolean
ns_plot_hit_beyond (const NsPlot *self, const NsPlotLayout *layout, guint i, double x, double y,
                    NsPlotHit *hit)
{
  const cairo_rectangle_t *a = &layout->area[i];
  const NsPlotPanel *p = &self->panels[i];
  gboolean right = x > a->x + a->width / 2;
  guint64 count = right ? layout->right[i] : layout->left[i];
  double edge = right ? a->x + a->width : a->x;

  if (count == 0 || y > a->y + layout->font * 1.6 || fabs (x - edge) > layout->font * 9)
    return FALSE;
  hit->bin = NS_PLOT_HIT_BEYOND;
  hit->count = count;
  hit->lo = right ? layout->x_hi[i] : (p->data->moments.min - p->offset) / p->scale;
  hit->hi = right ? (p->data->moments.max - p->offset) / p->scale : layout->x_lo[i];
  return TRUE;
}

gboolean
ns_plot_hit_test (NsPlot *self, double width, double height, double x, double y, NsPlotHit *hit)
{
  NsPlotLayout layout;

  _ns_plot_layout (self, width, height, &layout);
  for (guint i = 0; i < self->n_panels; i++)
    {
      const cairo_rectangle_t *a = &layout.area[i];
      double value;
      guint n_bins = layout.n_bins[i];

      if (x < a->x || x > a->x + a->width || y < a->y || y > a->y + a->height)
        continue;
      value = layout.x_lo[i] + (x - a->x) / a->width * (layout.x_hi[i] - layout.x_lo[i]);
      memset (hit, 0, sizeof *hit);
      hit->panel = i;
      if (self->mode == NS_PLOT_QQ)
        {
          double p = gsl_cdf_ugaussian_P (value) * NS_PLOT_QQ_POINTS - 0.5;

          guint first, last;

          ns_plot_get_qq_window (self, &first, &last);
          hit->bin = (guint) CLAMP (lround (p), (long) first, (long) last);
          ns_plot_panel_get_qq_point (self, i, hit->bin, &hit->theoretical, &hit->sample);
          return TRUE;
        }
      if (ns_plot_hit_beyond (self, &layout, i, x, y, hit))
        return TRUE;
      for (guint b = 0; b < n_bins; b++)
        {
          ns_plot_panel_get_bin (self, i, b, &hit->lo, &hit->hi, &hit->count);
          if (value >= hit->lo && (value < hit->hi || (b + 1 == n_bins && value <= hit->hi)))
            {
              hit->bin = b;
              return TRUE;
            }
        }
      return FALSE;
    }
  return FALSE;
}

char *
ns_plot_hit_describe (const NsPlot *self, const NsPlotHit *hit)
{
  char a[NS_FORMAT_READABLE_SIZE], b[NS_FORMAT_READABLE_SIZE];
  const char *label = ns_plot_panel_get_label (self, hit->panel);
  guint n_bins = ns_plot_panel_get_n_bins (self, hit->panel);

  if (self->mode == NS_PLOT_QQ)
    return g_strdup_printf ("%s: N(0,1) quantile %s, sample quantile %s", label,
                            ns_format_readable (a, hit->theoretical, 4),
                            ns_format_readable (b, hit->sample, 4));
  if (hit->bin == NS_PLOT_HIT_BEYOND)
    return g_strdup_printf ("%s: %" G_GUINT64_FORMAT " value%s beyond the axis, in [%s, %s]", label,
                            hit->count, hit->count == 1 ? "" : "s",
                            ns_format_readable (a, hit->lo, 4), ns_format_readable (b, hit->hi, 4));
  return g_strdup_printf ("%s: [%s, %s%s: %" G_GUINT64_FORMAT " value%s", label,
                          ns_format_readable (a, hit->lo, 4), ns_format_readable (b, hit->hi, 4),
                          hit->bin + 1 == n_bins ? "]" : ")", hit->count,
                          hit->count == 1 ? "" : "s");
}
