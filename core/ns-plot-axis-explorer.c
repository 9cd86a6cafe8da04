/* ns-plot-axis-explorer.c: the axis explorer's figure, cubes drawn with cairo over a series figure.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-axis-explorer.h"
#include "ns-format-double.h"
#include "ns-plot-private.h"

#include <math.h>
#include <string.h>

#define NS_CUBE_MAX_CHANNELS 8
#define NS_CUBE_MAX_SAMPLES 4
#define NS_CUBE_MAX_ROWS 4
#define NS_CUBE_BAND 0.36   /* share of the height the cubes take */
#define NS_CUBE_COLOR 5     /* the paper's blue (Okabe-Ito) */
#define NS_CUBE_RMS_COLOR 7 /* RMS norm pools as layer norm but does not centre */

static const char *const cube_titles[NS_AXIS_EXPLORER_N_KINDS] = {
  [NS_LAYER_NORM_BATCH] = "Batch Norm",       [NS_LAYER_NORM_LAYER] = "Layer Norm",
  [NS_LAYER_NORM_INSTANCE] = "Instance Norm", [NS_LAYER_NORM_GROUP] = "Group Norm",
  [NS_LAYER_NORM_RMS] = "RMS Norm",
};

static const char *const cube_pools[NS_AXIS_EXPLORER_N_KINDS] = {
  [NS_LAYER_NORM_BATCH] = "pools (N, H, W) per C",
  [NS_LAYER_NORM_LAYER] = "pools (C, H, W) per N",
  [NS_LAYER_NORM_INSTANCE] = "pools (H, W) per N, C",
  [NS_LAYER_NORM_GROUP] = "pools (C/G, H, W) per N, G",
  [NS_LAYER_NORM_RMS] = "(C, H, W) per N, not centred",
};

/* A palette colour per kind, the same in every panel; never the palette's black, which turns into
 * the text colour (white) in dark mode. */
static const guint kind_colors[NS_AXIS_EXPLORER_N_KINDS] = { 6, 1, 3, 5, 7 };

void
ns_axis_figure_kind_color (NsLayerNormKind kind, gboolean dark, double rgb[3])
{
  g_return_if_fail (kind < NS_AXIS_EXPLORER_N_KINDS);
  ns_plot_palette_color (kind_colors[kind], dark, rgb);
}

gboolean
ns_axis_figure_cell_pooled (NsLayerNormKind kind, gsize n, gsize c, gsize shown_c, gsize group_size)
{
  switch (kind)
    {
    case NS_LAYER_NORM_BATCH:
      return c == shown_c;
    case NS_LAYER_NORM_LAYER:
    case NS_LAYER_NORM_RMS:
      return n == 0;
    case NS_LAYER_NORM_INSTANCE:
      return n == 0 && c == shown_c;
    case NS_LAYER_NORM_GROUP:
      return n == 0 && c / MAX (group_size, 1) == shown_c / MAX (group_size, 1);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* ---- The lower panels. */

static char *
kind_label (const NsAxisExplorer *explorer, NsLayerNormKind kind)
{
  const NsAxisExplorerOptions *o = ns_axis_explorer_get_options (explorer);

  if (kind == NS_LAYER_NORM_BATCH)
    return g_strdup_printf ("batch (B = %" G_GSIZE_FORMAT ")", o->batch_size);
  if (kind == NS_LAYER_NORM_GROUP)
    return g_strdup_printf ("group (G = %u)", o->groups);
  return g_strdup (ns_layer_norm_kind_to_string (kind));
}

/* A kind that refused the tensor keeps its legend row, saying why it has no curve. */
static void
add_refusal_note (NsPlotSeries *plot, const NsAxisExplorer *explorer, guint panel,
                  NsLayerNormKind kind)
{
  g_autofree char *label = NULL;

  if (ns_axis_explorer_get_refusal (explorer, kind) == NULL)
    return;
  if (kind == NS_LAYER_NORM_INSTANCE && ns_axis_explorer_get_spatial (explorer) == 1)
    label = g_strdup ("instance: none, 1 value per N, C");
  else
    label = g_strdup_printf ("%s: refused", ns_layer_norm_kind_to_string (kind));
  ns_plot_series_add_legend_note (plot, panel, label, kind_colors[kind]);
}

static void
add_outputs (NsPlotSeries *plot, const NsAxisExplorer *explorer, guint panel)
{
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      gsize n;
      const double *values = ns_axis_explorer_get_output (explorer, k, &n);
      g_autofree char *label = kind_label (explorer, k);

      if (values != NULL)
        ns_plot_series_add_histogram (plot, panel, label, values, n, 40, kind_colors[k], FALSE);
      else
        add_refusal_note (plot, explorer, panel, k);
    }
}

static void
add_sample_means (NsPlotSeries *plot, const NsAxisExplorer *explorer, guint panel)
{
  gsize n = MIN (ns_axis_explorer_get_n_samples (explorer), NS_AXIS_FIGURE_MAX_SAMPLES);

  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      const double *mean = ns_axis_explorer_get_sample_mean (explorer, k);
      g_autofree char *label = kind_label (explorer, k);

      if (mean != NULL)
        ns_plot_series_add_line (plot, panel, label, mean, n, kind_colors[k], FALSE);
      else
        add_refusal_note (plot, explorer, panel, k);
    }
}

static void
add_sweep (NsPlotSeries *plot, const NsAxisExplorer *explorer, guint panel)
{
  static const NsLayerNormKind kinds[] = { NS_LAYER_NORM_BATCH, NS_LAYER_NORM_GROUP };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      gsize n;
      const double *sweep = ns_axis_explorer_get_sweep (explorer, kinds[k], &n);

      if (sweep != NULL)
        ns_plot_series_add_line (plot, panel, kinds[k] == NS_LAYER_NORM_BATCH ? "batch" : "group",
                                 sweep, n, kind_colors[kinds[k]], FALSE);
    }
}

/* "batch norm's output moves by 0.31 at B = 2 and 0.052 at B = 32, group norm's by 0". */
static char *
sweep_note (const NsAxisExplorer *explorer)
{
  gsize n_bn, n_gn;
  const double *bn = ns_axis_explorer_get_sweep (explorer, NS_LAYER_NORM_BATCH, &n_bn);
  const double *gn = ns_axis_explorer_get_sweep (explorer, NS_LAYER_NORM_GROUP, &n_gn);
  gsize big = MIN (n_bn, 32);
  g_autofree char *bn_small = NULL, *bn_big = NULL, *gn_small = NULL, *gn_big = NULL;

  if (bn == NULL || gn == NULL || n_bn < 2)
    return NULL;
  bn_small = ns_batchnorm_format_number (bn[1]);
  bn_big = ns_batchnorm_format_number (bn[big - 1]);
  gn_small = ns_batchnorm_format_number (gn[1]);
  gn_big = ns_batchnorm_format_number (gn[big - 1]);
  return g_strdup_printf ("RMS change of the outputs against one batch of all samples: batch norm "
                          "%s at B = 2, %s at B = %" G_GSIZE_FORMAT "; group norm %s and %s",
                          bn_small, bn_big, big, gn_small, gn_big);
}

NsPlotSeries *
ns_axis_figure_series (const NsAxisExplorer *explorer)
{
  const NsAxisExplorerOptions *o = ns_axis_explorer_get_options (explorer);
  g_autofree char *title =
    g_strdup_printf ("Channel %u of (N = %" G_GSIZE_FORMAT ", C = %" G_GSIZE_FORMAT
                     ", %" G_GSIZE_FORMAT " %s per sample and channel)",
                     o->channel, ns_axis_explorer_get_n_samples (explorer),
                     ns_axis_explorer_get_n_channels (explorer),
                     ns_axis_explorer_get_spatial (explorer),
                     ns_axis_explorer_get_spatial (explorer) == 1 ? "value" : "values");
  g_autofree char *note = sweep_note (explorer);
  NsPlotSeries *plot = ns_plot_series_new (title);

  ns_plot_series_set_note (plot, note);
  add_outputs (plot, explorer,
               ns_plot_series_add_panel (plot, "Outputs of the channel", "normalized value",
                                         "density"));
  add_sample_means (plot, explorer,
                    ns_plot_series_add_panel (plot, "Mean each sample is centred with", "sample",
                                              "mean"));
  add_sweep (plot, explorer,
             ns_plot_series_add_panel (plot, "Output change vs batch size", "batch size B",
                                       "RMS change"));
  return plot;
}

/* ---- The cubes: N into the depth, C across, H and W collapsed onto the vertical, as the paper
 * draws them; each sample a slice drawn from the back to the front. */

typedef struct {
  guint channels, samples, rows;
  gsize shown_c, group_size;
  double cell, depth, x, y;
} NsCube;

void
ns_axis_figure_cube_area (double width, double height, NsLayerNormKind kind,
                          cairo_rectangle_t *area)
{
  double w = width / NS_AXIS_EXPLORER_N_KINDS;

  g_return_if_fail (kind < NS_AXIS_EXPLORER_N_KINDS);
  *area = (cairo_rectangle_t) { kind * w, 0, w, height * NS_CUBE_BAND };
}

static void
cube_plan (NsCube *cube, const NsAxisExplorer *explorer, const cairo_rectangle_t *box)
{
  const NsAxisExplorerOptions *o = ns_axis_explorer_get_options (explorer);
  gsize C = ns_axis_explorer_get_n_channels (explorer);
  double scale = (double) MIN (C, NS_CUBE_MAX_CHANNELS) / C;

  /* More channels than cells: each cell stands for C / 8 channels, groups scaled alike. */
  cube->channels = (guint) MIN (C, NS_CUBE_MAX_CHANNELS);
  cube->samples = (guint) MIN (ns_axis_explorer_get_n_samples (explorer), NS_CUBE_MAX_SAMPLES);
  cube->rows = (guint) MIN (ns_axis_explorer_get_spatial (explorer), NS_CUBE_MAX_ROWS);
  cube->shown_c = (gsize) floor (o->channel * scale);
  cube->group_size = MAX ((gsize) round (C / o->groups * scale), 1);
  cube->cell = MIN (box->width / (cube->channels + 0.5 * cube->samples),
                    box->height / (cube->rows + 0.5 * cube->samples));
  cube->depth = cube->cell * 0.5;
  cube->x = box->x + (box->width - cube->cell * cube->channels - cube->depth * cube->samples) / 2;
  cube->y = box->y + (box->height - cube->cell * cube->rows - cube->depth * cube->samples) / 2;
}

static void
cube_draw (const NsCube *cube, NsLayerNormKind kind, gboolean dark, cairo_t *cr)
{
  double rgb[3], front_y = cube->y + cube->depth * (cube->samples - 1);

  ns_plot_palette_color (kind == NS_LAYER_NORM_RMS ? NS_CUBE_RMS_COLOR : NS_CUBE_COLOR, dark, rgb);
  cairo_set_line_width (cr, 1);
  for (guint n = cube->samples; n-- > 0;)
    for (guint c = 0; c < cube->channels; c++)
      for (guint r = 0; r < cube->rows; r++)
        {
          double x = cube->x + n * cube->depth + c * cube->cell;
          double y = front_y - n * cube->depth + r * cube->cell;

          cairo_rectangle (cr, x, y, cube->cell, cube->cell);
          if (ns_axis_figure_cell_pooled (kind, n, c, cube->shown_c, cube->group_size))
            cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          else if (dark)
            cairo_set_source_rgb (cr, 0.22, 0.22, 0.24);
          else
            cairo_set_source_rgb (cr, 0.96, 0.96, 0.97);
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, dark ? 0.6 : 0.35, dark ? 0.6 : 0.35, dark ? 0.62 : 0.38);
          cairo_stroke (cr);
        }
}

/* The smallest share of its size a caption shrinks to before it is cut with "…". */
#define NS_CUBE_MIN_TEXT_SHRINK 0.7

static double
text_width (cairo_t *cr, const char *text)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  return ext.x_advance;
}

/* text on one line when it fits in room, else on two split at the space that leaves the wider
 * line narrowest; its lines (a NULL-terminated vector) and the widest one's width. */
static GStrv
caption_lines (cairo_t *cr, const char *text, double room, double *widest)
{
  const char *split = NULL;
  GStrv lines = g_new0 (char *, 3);

  *widest = text_width (cr, text);
  if (*widest > room)
    for (const char *space = strchr (text, ' '); space != NULL; space = strchr (space + 1, ' '))
      {
        g_autofree char *first = g_strndup (text, space - text);
        double wider = MAX (text_width (cr, first), text_width (cr, space + 1));

        if (wider < *widest)
          *widest = wider, split = space;
      }
  lines[0] = split != NULL ? g_strndup (text, split - text) : g_strdup (text);
  lines[1] = split != NULL ? g_strdup (split + 1) : NULL;
  return lines;
}

/* A caption centred on x from y (its top) down, wrapped onto two lines and then shrunk (to
 * NS_CUBE_MIN_TEXT_SHRINK) when it is wider than room; returns the height it took. */
static double
caption_draw (cairo_t *cr, double x, double y, const char *text, double size, double room,
              gboolean draw)
{
  double widest, line_height;
  g_auto (GStrv) lines = NULL;
  guint n;

  cairo_set_font_size (cr, size);
  lines = caption_lines (cr, text, room, &widest);
  n = g_strv_length (lines);
  if (widest > room)
    size = MAX (size * room / widest, size * NS_CUBE_MIN_TEXT_SHRINK);
  cairo_set_font_size (cr, size);
  line_height = size * 1.25;
  for (guint i = 0; draw && i < n; i++)
    _ns_plot_text_fit (cr, x, y + i * line_height, lines[i], room, 0.5, 0);
  return n * line_height;
}

/* What kind pools (and how channels are scaled), at the bottom of area; returns their height. */
static double
cube_captions (cairo_t *cr, const cairo_rectangle_t *area, NsLayerNormKind kind, gsize C,
               double font, double room)
{
  g_autofree char *scale = NULL;
  double height, y;

  if (C > NS_CUBE_MAX_CHANNELS)
    scale = g_strdup_printf ("%u columns drawn for %" G_GSIZE_FORMAT " channels",
                             NS_CUBE_MAX_CHANNELS, C);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  height = caption_draw (cr, 0, 0, cube_pools[kind], font * 0.85, room, FALSE);
  if (scale != NULL)
    height += caption_draw (cr, 0, 0, scale, font * 0.85, room, FALSE);
  y = area->y + area->height - font * 0.6 - height;
  y += caption_draw (cr, area->x + area->width / 2, y, cube_pools[kind], font * 0.85, room, TRUE);
  if (scale != NULL)
    caption_draw (cr, area->x + area->width / 2, y, scale, font * 0.85, room, TRUE);
  return height;
}

static void
cube_panel (const NsAxisExplorer *explorer, NsLayerNormKind kind, gboolean selected, gboolean dark,
            cairo_t *cr, double width, double height)
{
  cairo_rectangle_t area, box;
  double font = CLAMP (height * 0.022, 9, 16), fg = dark ? 0.96 : 0.12;
  double room, title_height, caption_height;
  NsCube cube;

  ns_axis_figure_cube_area (width, height, kind, &area);
  room = area.width - font; /* inside the selection frame, a gap to the next cube */
  cairo_set_source_rgb (cr, fg, fg, fg);
  caption_height =
    cube_captions (cr, &area, kind, ns_axis_explorer_get_n_channels (explorer), font, room);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL,
                          selected ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  title_height = caption_draw (cr, area.x + area.width / 2, area.y + font * 0.6, cube_titles[kind],
                               font * 1.1, room, TRUE);
  box =
    (cairo_rectangle_t) { area.x + font, area.y + font * 1.2 + title_height, area.width - 2 * font,
                          area.height - font * 2.4 - title_height - caption_height };
  if (box.width > 4 && box.height > 4)
    {
      cube_plan (&cube, explorer, &box);
      cube_draw (&cube, kind, dark, cr);
    }
  if (selected)
    {
      cairo_set_source_rgb (cr, fg, fg, fg);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, area.x + 3, area.y + 3, area.width - 6, area.height - 6);
      cairo_stroke (cr);
    }
}

void
ns_axis_figure_draw_cubes (const NsAxisExplorer *explorer, NsLayerNormKind selected, gboolean dark,
                           cairo_t *cr, double width, double height)
{
  cairo_save (cr);
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    cube_panel (explorer, k, k == selected, dark, cr, width, height);
  cairo_restore (cr);
}

void
ns_axis_figure_draw (const NsAxisExplorer *explorer, NsLayerNormKind selected, gboolean dark,
                     gboolean paint_background, cairo_t *cr, double width, double height)
{
  g_autoptr (NsPlotSeries) series = ns_axis_figure_series (explorer);
  double band = height * NS_CUBE_BAND;

  cairo_save (cr);
  if (paint_background)
    {
      cairo_set_source_rgb (cr, dark ? 0.14 : 1, dark ? 0.14 : 1, dark ? 0.14 : 1);
      cairo_paint (cr);
    }
  ns_axis_figure_draw_cubes (explorer, selected, dark, cr, width, height);
  ns_plot_series_set_dark (series, dark);
  ns_plot_series_set_paint_background (series, FALSE);
  cairo_translate (cr, 0, band);
  ns_plot_series_draw (series, cr, width, height - band);
  cairo_restore (cr);
}

typedef struct {
  const NsAxisExplorer *explorer;
  NsLayerNormKind selected;
} NsAxisFigureFile;

static void
draw_for_file (cairo_t *cr, double width, double height, gpointer data)
{
  NsAxisFigureFile *file = data;

  ns_axis_figure_draw (file->explorer, file->selected, FALSE, TRUE, cr, width, height);
}

gboolean
ns_axis_figure_save (const NsAxisExplorer *explorer, NsLayerNormKind selected, const char *path,
                     NsPlotFormat format, double width, double height, GError **error)
{
  NsAxisFigureFile file = { explorer, selected };

  return ns_plot_render_to_file (path, format, width, height, draw_for_file, &file, error);
}
