/* test-plot-layout.c: no two texts of a figure overlap, for every export preset and other sizes,
 * with one to six panels, long names, zoom counts, an overlay, Q-Q and log density.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include "core/ns-batchnorm.h"
#include "core/ns-demo.h"
#include "core/ns-figure-preset.h"
#include "core/ns-plot-series-bn.h"
#include "core/ns-plot-thumbnail.h"
#include "core/ns-plot.h"
#include "test-utils.h"

#define N_VALUES 2000

/* A lognormal-like column with 1 % far outliers: zoomed panels count values beyond their axes. */
static double *
make_skewed (void)
{
  double *values = g_new (double, N_VALUES);

  for (guint i = 0; i < N_VALUES; i++)
    values[i] =
      i % 100 == 0 ? 5000 + i : exp (2.5 * ((i * 7919 % N_VALUES) / (double) N_VALUES - 0.5));
  return values;
}

typedef struct {
  const char *name;
  guint n_panels;
  NsPlotMode mode;
  NsPlotRange range;
  gboolean log_density;
  gboolean overlay;
} Config;

static const Config configs[] = {
  { "one panel", 1, NS_PLOT_HISTOGRAM, NS_PLOT_RANGE_FULL, FALSE, FALSE },
  { "four, zoomed", 4, NS_PLOT_HISTOGRAM, NS_PLOT_RANGE_P1_P99, FALSE, TRUE },
  { "five, log", 5, NS_PLOT_HISTOGRAM, NS_PLOT_RANGE_P0_P99, TRUE, FALSE },
  { "six, full, overlay", 6, NS_PLOT_HISTOGRAM, NS_PLOT_RANGE_FULL, FALSE, TRUE },
  { "four, Q-Q", 4, NS_PLOT_QQ, NS_PLOT_RANGE_FULL, FALSE, FALSE },
  { "five, Q-Q zoomed", 5, NS_PLOT_QQ, NS_PLOT_RANGE_P0_P99, FALSE, FALSE },
};

static const struct {
  NsStrategy strategy;
  const char *label;
  double offset, scale;
} panels[] = {
  { NS_STRATEGY_STANDARD, "standard (scikit-learn)", 52, 480 },
  { NS_STRATEGY_MINMAX, "min-max", 0.29, 6960 },
  { NS_STRATEGY_ROBUST, "robust", 1.1, 1.9 },
  { NS_STRATEGY_BN_INFERENCE, "batch norm, inference mode", 50, 470 },
  { NS_STRATEGY_KERAS, "Keras Normalization", 52, 480 },
};

static NsPlot *
make_plot (const Config *config, const NsPlotData *data, double font_scale)
{
  NsPlot *plot = ns_plot_new ();

  ns_plot_set_title (plot, "a column with a rather long name (lognormal, 1 % outliers)");
  ns_plot_set_mode (plot, config->mode);
  ns_plot_set_range (plot, config->range);
  ns_plot_set_log_density (plot, config->log_density);
  ns_plot_set_font_scale (plot, font_scale);
  ns_plot_add_raw (plot, "raw data", data);
  for (guint i = 0; i + 1 < config->n_panels; i++)
    {
      guint panel =
        ns_plot_add_affine (plot, panels[i].label, data, panels[i].offset, panels[i].scale);

      ns_plot_panel_set_strategy (plot, panel, panels[i].strategy);
      if (config->overlay)
        ns_plot_set_overlay (plot, panel, "test: held-out.csv", data, panels[i].offset * 1.1,
                             panels[i].scale);
    }
  return plot;
}

static gboolean
boxes_overlap (const cairo_rectangle_t *a, const cairo_rectangle_t *b)
{
  /* Half a pixel of anti-aliasing is not a collision. */
  const double slack = 0.5;

  return a->x + slack < b->x + b->width - slack && b->x + slack < a->x + a->width - slack &&
         a->y + slack < b->y + b->height - slack && b->y + slack < a->y + a->height - slack;
}

/* No two recorded texts overlap and every one stays inside the width x height figure. */
static void
assert_boxes_clear (const GArray *boxes, double width, double height, const char *what)
{
  for (guint i = 0; i < boxes->len; i++)
    for (guint j = i + 1; j < boxes->len; j++)
      {
        const cairo_rectangle_t *a = &g_array_index (boxes, cairo_rectangle_t, i);
        const cairo_rectangle_t *b = &g_array_index (boxes, cairo_rectangle_t, j);

        if (boxes_overlap (a, b))
          g_error ("%s: text %u (%.1f,%.1f %.1fx%.1f) overlaps text %u (%.1f,%.1f %.1fx%.1f)", what,
                   i, a->x, a->y, a->width, a->height, j, b->x, b->y, b->width, b->height);
      }
  for (guint i = 0; i < boxes->len; i++)
    {
      const cairo_rectangle_t *a = &g_array_index (boxes, cairo_rectangle_t, i);

      if (a->x < -0.5 || a->y < -0.5 || a->x + a->width > width + 0.5 ||
          a->y + a->height > height + 0.5)
        g_error ("%s: text %u (%.1f,%.1f %.1fx%.1f) leaves the %g x %g figure", what, i, a->x, a->y,
                 a->width, a->height, width, height);
    }
}

static void
assert_no_overlap (const Config *config, const NsPlotData *data, double width, double height,
                   double font_scale, const char *size_name)
{
  g_autoptr (NsPlot) plot = make_plot (config, data, font_scale);
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  g_autofree char *what = g_strdup_printf ("%s at %s (%g x %g, font x%g)", config->name, size_name,
                                           width, height, font_scale);
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
  cairo_t *cr = cairo_create (surface);

  ns_plot_record_text_boxes (cr, boxes);
  ns_plot_draw (plot, cr, width, height);
  ns_plot_record_text_boxes (cr, NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (boxes->len, >, 4 * config->n_panels);
  assert_boxes_clear (boxes, width, height, what);
}

static void
test_presets (void)
{
  g_autofree double *values = make_skewed ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);

  for (guint p = 0; p < ns_figure_preset_count (); p++)
    {
      const NsFigurePreset *preset = ns_figure_preset_get (p);

      for (guint c = 0; c < G_N_ELEMENTS (configs); c++)
        assert_no_overlap (&configs[c], data, preset->width, preset->height, preset->font_scale,
                           preset->id);
    }
}

/* The sizes the Compare page gives its figure at 1024 × 600, 1366 × 768 and 1920 × 1080, and a
 * custom slide with a large text scale (presentation mode). */
static void
test_window_sizes (void)
{
  static const struct {
    const char *name;
    double width, height, font_scale;
  } sizes[] = {
    { "1024x600 window", 1000, 300, 1 },
    { "1366x768 window", 1340, 380, 1 },
    { "1920x1080 window", 1890, 640, 1 },
    { "presentation", 1890, 900, 1.6 },
  };
  g_autofree double *values = make_skewed ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint c = 0; c < G_N_ELEMENTS (configs); c++)
      assert_no_overlap (&configs[c], data, sizes[s].width, sizes[s].height, sizes[s].font_scale,
                         sizes[s].name);
}

static void
assert_series_clear (NsPlotSeries *plot, double width, double height, double scale,
                     const char *size_name)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  g_autofree char *what =
    g_strdup_printf ("'%s' at %s (%g x %g, scale %g)", ns_plot_series_get_title (plot), size_name,
                     width, height, scale);
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
  cairo_t *cr = cairo_create (surface);

  ns_plot_series_set_scale (plot, scale);
  ns_plot_record_text_boxes (cr, boxes);
  ns_plot_series_draw (plot, cr, width, height);
  ns_plot_record_text_boxes (cr, NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (boxes->len, >, 6);
  assert_boxes_clear (boxes, width, height, what);
}

/* The Batch Norm page's figures, one run and two overlaid (longer legends), at the sizes the page
 * gives them in presentation mode on 1024 x 600, 1366 x 768 and 1920 x 1080 screens (measured
 * under Xvfb; half and full width), in a 1024 x 600 window, with large text and at every export
 * preset. */
/* The height of the figure title's text box at width x height. */
static double
title_height (NsPlotSeries *plot, double width, double height)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  cairo_t *cr = cairo_create (surface);
  double first;

  ns_plot_record_text_boxes (cr, boxes);
  ns_plot_series_draw (plot, cr, width, height);
  g_assert_cmpuint (boxes->len, >, 0);
  first = g_array_index (boxes, cairo_rectangle_t, 0).height;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return first;
}

/* The Batch Norm page's figures share one text size: given it, the full-width gap figure's title
 * is as tall as a half-width figure's, where by itself it would pick a larger one. */
static void
test_shared_font_size (void)
{
  g_autoptr (NsDataset) data =
    ns_demo_make_dataset (ns_demo_find ("small-batches"), NULL, NULL, NULL);
  g_autoptr (NsBatchNorm) bn = ns_test_simulate_batchnorm (data, 32, TRUE);
  const NsBatchNormRun runs[] = { { bn, 0, "B = 32" } };
  NsBatchNormFigureOptions options = { "x", NULL, 0 };
  g_autoptr (NsPlotSeries) gap =
    ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_GAP, runs, 1, &options);
  g_autoptr (NsPlotSeries) running =
    ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_RUNNING, runs, 1, &options);
  double shared = ns_plot_series_natural_font_size (338, 272);

  g_assert_cmpfloat (ns_plot_series_natural_font_size (675, 340), >, shared);
  g_assert_cmpfloat (title_height (gap, 675, 340), >, title_height (running, 338, 272));
  ns_plot_series_set_font_size (gap, shared);
  ns_plot_series_set_font_size (running, shared);
  ns_test_assert_close (title_height (gap, 675, 340), title_height (running, 338, 272), 0.15, 0,
                        "the titles' heights");
}

static void
test_batchnorm_figures (void)
{
  static const struct {
    const char *name;
    double width, height, scale;
  } sizes[] = {
    { "1024x600 presentation, half", 338, 272, 1.6 },
    { "1024x600 presentation, full", 675, 272, 1.6 },
    { "1366x768 presentation, half", 446, 356, 1.6 },
    { "1366x768 presentation, full", 891, 356, 1.6 },
    /* A wider options column (longer labels, larger text) leaves the figures less room. */
    { "1024x600 narrow presentation, half", 255, 272, 1.6 },
    { "1024x600 narrow presentation, full", 510, 272, 1.6 },
    { "1366x768 narrow presentation, half", 363, 356, 1.6 },
    { "1920x1080 screen (1240 px window) presentation, half", 559, 458, 1.6 },
    { "1920x1080 screen (1240 px window) presentation, full", 1118, 458, 1.6 },
    { "1024x600 window, half", 255, 272, 1 },
    { "1024x600 presentation, large text", 255, 272, 2.5 },
  };
  g_autoptr (NsDataset) data =
    ns_demo_make_dataset (ns_demo_find ("small-batches"), NULL, NULL, NULL);
  g_autoptr (NsBatchNorm) small = ns_test_simulate_batchnorm (data, 4, TRUE);
  g_autoptr (NsBatchNorm) large = ns_test_simulate_batchnorm (data, 256, TRUE);
  const NsBatchNormRun runs[] = { { small, 0, "B = 4" }, { large, 0, "B = 256" } };
  NsBatchNormFigureOptions options = { "a column with a rather long name", NULL, 0 };

  for (guint n_runs = 1; n_runs <= 2; n_runs++)
    for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
      {
        g_autoptr (NsPlotSeries) plot = ns_batchnorm_figure_new (f, runs, n_runs, &options);

        for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
          assert_series_clear (plot, sizes[s].width, sizes[s].height, sizes[s].scale,
                               sizes[s].name);
        for (guint p = 0; p < ns_figure_preset_count (); p++)
          {
            const NsFigurePreset *preset = ns_figure_preset_get (p);

            assert_series_clear (plot, preset->width, preset->height, preset->font_scale,
                                 preset->id);
          }
      }
}

typedef struct {
  cairo_rectangle_t area, box;
  double x_lo, x_hi, y_lo, y_hi;
} LegendCheck;

static double
check_x (const LegendCheck *c, double x)
{
  return c->area.x + (x - c->x_lo) / (c->x_hi - c->x_lo) * c->area.width;
}

static double
check_y (const LegendCheck *c, double y)
{
  return c->area.y + c->area.height - (y - c->y_lo) / (c->y_hi - c->y_lo) * c->area.height;
}

/* Whether the data point (x, y) lands inside the legend box (half a pixel of slack). */
static gboolean
in_box (const LegendCheck *c, double x, double y)
{
  double px = check_x (c, x), py = check_y (c, y);

  return px > c->box.x + 0.5 && px < c->box.x + c->box.width - 0.5 && py > c->box.y + 0.5 &&
         py < c->box.y + c->box.height - 0.5;
}

/* Every plotted line point (and the segments between, sampled), histogram bar, normal curve and
 * reference line stays out of the panel's legend box. */
static void
assert_legend_clear (NsPlotSeries *plot, guint panel, const LegendCheck *c, const char *what)
{
  for (guint item = 0; item < ns_plot_series_get_n_items (plot, panel); item++)
    {
      gsize n;
      const double *v;
      double a, b, total = 0;
      NsSeriesItemKind kind;

      kind = ns_plot_series_item_get_kind (plot, panel, item);
      v = ns_plot_series_item_get_values (plot, panel, item, &n);
      ns_plot_series_item_get_params (plot, panel, item, &a, &b);
      switch (kind)
        {
        case NS_SERIES_ITEM_LINE:
          for (gsize k = 0; k + 1 < n; k++)
            for (double t = 0; t <= 1; t += 0.25)
              if (isfinite (v[k]) && isfinite (v[k + 1]) &&
                  in_box (c, k + 1 + t, v[k] + t * (v[k + 1] - v[k])))
                g_error (
                  "%s: panel %u's legend (%.1f,%.1f %.1fx%.1f in %.1f,%.1f %.1fx%.1f) covers "
                  "line %u at step %zu (%g)",
                  what, panel, c->box.x, c->box.y, c->box.width, c->box.height, c->area.x,
                  c->area.y, c->area.width, c->area.height, item, k, v[k]);
          break;
        case NS_SERIES_ITEM_HISTOGRAM:
          for (gsize k = 0; k < n; k++)
            total += v[k];
          for (gsize k = 0; k < n && total > 0; k++)
            for (double t = 0; t <= 1 && v[k] > 0; t += 0.125)
              for (double u = 0; u <= 1; u += 0.125)
                if (in_box (c, a + (k + t) * (b - a) / n, u * v[k] / (total * (b - a) / n)))
                  g_error ("%s: panel %u's legend covers histogram %u's bin %zu", what, panel, item,
                           k);
          break;
        case NS_SERIES_ITEM_NORMAL:
          for (guint k = 0; k <= 400 && b > 0; k++)
            {
              double x = c->x_lo + (c->x_hi - c->x_lo) * k / 400, z = (x - a) / b;

              if (in_box (c, x, exp (-z * z / 2) / (b * sqrt (2 * G_PI))))
                g_error ("%s: panel %u's legend covers the normal curve %u", what, panel, item);
            }
          break;
        case NS_SERIES_ITEM_HLINE:
          for (guint k = 0; k <= 200 && isfinite (a); k++)
            if (in_box (c, c->x_lo + (c->x_hi - c->x_lo) * k / 200, a))
              g_error ("%s: panel %u's legend covers the horizontal line %u", what, panel, item);
          break;
        case NS_SERIES_ITEM_VLINE:
          for (guint k = 0; k <= 200 && isfinite (a); k++)
            if (in_box (c, a, c->y_lo + (c->y_hi - c->y_lo) * k / 200))
              g_error ("%s: panel %u's legend covers the vertical line %u", what, panel, item);
          break;
        case NS_SERIES_ITEM_SPAN:
        case NS_SERIES_ITEM_NOTE:
          break;
        }
    }
}

/* shown: every panel with labelled items must show its legend at this size. */
static void
assert_legends_clear (NsPlotSeries *plot, double width, double height, double scale, gboolean shown,
                      const char *size_name)
{
  g_autofree char *what =
    g_strdup_printf ("'%s' at %s (%g x %g, scale %g)", ns_plot_series_get_title (plot), size_name,
                     width, height, scale);

  ns_plot_series_set_scale (plot, scale);
  for (guint panel = 0; panel < ns_plot_series_get_n_panels (plot); panel++)
    {
      LegendCheck c;

      g_assert_true (ns_plot_series_get_panel_frame (plot, width, height, panel, &c.area, &c.x_lo,
                                                     &c.x_hi, &c.y_lo, &c.y_hi));
      if (!ns_plot_series_get_legend_box (plot, width, height, panel, &c.box))
        {
          if (shown && ns_plot_series_get_n_items (plot, panel) > 0)
            g_error ("%s: panel %u shows no legend", what, panel);
          continue;
        }
      /* Inside the plot area, or in a strip above it. */
      g_assert_cmpfloat (c.box.x, >=, c.area.x);
      g_assert_cmpfloat (c.box.x + c.box.width, <=, c.area.x + c.area.width);
      g_assert_cmpfloat (c.box.y + c.box.height, <=, c.area.y + c.area.height);
      assert_legend_clear (plot, panel, &c, what);
    }
}

/* The Batch Norm page's legends cover no data (the momentum demo's running means climb into the
 * top right corner, where the legends used to sit), at the page's sizes and the export presets;
 * and their text is the figure's: one size at every panel height. */
static void
test_legends_clear (void)
{
  static const struct {
    const char *name;
    double width, height, scale;
  } sizes[] = {
    /* Too small for any legend: the panels show none rather than cover their data. */
    { "1024x600 presentation with the demo banner, half", 338, 142, 1.6 },
    { "1024x600 presentation, half", 338, 272, 1.6 },
    { "1024x600 presentation, full", 675, 272, 1.6 },
    { "1366x768 presentation, half", 446, 356, 1.6 },
    { "1024x600 window, half", 255, 272, 1 },
    { "1280x930 window, half", 460, 320, 1 },
    { "1280x930 window, full", 920, 300, 1 },
    { "1920x1080 window, half", 700, 420, 1 },
  };
  const char *demos[] = { "momentum", "small-batches", "fast-variance" };

  for (guint d = 0; d < G_N_ELEMENTS (demos); d++)
    {
      g_autoptr (NsDataset) data = ns_demo_make_dataset (ns_demo_find (demos[d]), NULL, NULL, NULL);
      g_autoptr (NsBatchNorm) small = ns_test_simulate_batchnorm (data, 4, TRUE);
      g_autoptr (NsBatchNorm) large = ns_test_simulate_batchnorm (data, 32, TRUE);
      const NsBatchNormRun runs[] = { { small, 0, "B = 4" }, { large, 0, "B = 32" } };
      NsBatchNormFigureOptions options = { "x", NULL, 0 };

      for (guint n_runs = 1; n_runs <= 2; n_runs++)
        for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
          {
            g_autoptr (NsPlotSeries) plot = ns_batchnorm_figure_new (f, runs, n_runs, &options);

            for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
              assert_legends_clear (plot, sizes[s].width, sizes[s].height, sizes[s].scale, s > 0,
                                    sizes[s].name);
            for (guint p = 0; p < ns_figure_preset_count (); p++)
              {
                const NsFigurePreset *preset = ns_figure_preset_get (p);

                assert_legends_clear (plot, preset->width, preset->height, preset->font_scale, TRUE,
                                      preset->id);
              }
          }
    }
}

/* A taller panel at one shared text size keeps the legend's text size (its rows' height). */
static void
test_legend_font (void)
{
  g_autoptr (NsDataset) data = ns_demo_make_dataset (ns_demo_find ("momentum"), NULL, NULL, NULL);
  g_autoptr (NsBatchNorm) bn = ns_test_simulate_batchnorm (data, 32, TRUE);
  const NsBatchNormRun runs[] = { { bn, 0, NULL } };
  NsBatchNormFigureOptions options = { "x", NULL, 0 };
  g_autoptr (NsPlotSeries) plot =
    ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_RUNNING, runs, 1, &options);
  cairo_rectangle_t low, high;

  ns_plot_series_set_font_size (plot, 10);
  g_assert_true (ns_plot_series_get_legend_box (plot, 900, 300, 0, &low));
  g_assert_true (ns_plot_series_get_legend_box (plot, 900, 900, 0, &high));
  g_assert_cmpfloat (low.height, ==, high.height);
  /* Five rows of 1.35 lines at 0.85 of the shared size, and a margin. */
  ns_test_assert_close (low.height, (5 * 1.35 + 0.4) * 8.5, 1e-9, 0, "the legend's height");
}

/* The texts a drawing shows (draw_figure draws it on the cairo_t it is given). */
static GPtrArray *
record_texts (void (*draw_figure) (cairo_t *cr, gpointer data), gpointer data)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 480);
  cairo_t *cr = cairo_create (surface);

  ns_plot_record_texts (cr, texts);
  ns_plot_record_text_boxes (cr, boxes);
  draw_figure (cr, data);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  assert_boxes_clear (boxes, 1200, 480, "a constant column");
  return texts;
}

static gboolean
texts_have (GPtrArray *texts, const char *text)
{
  return g_ptr_array_find_with_equal_func (texts, text, g_str_equal, NULL);
}

/* No tick is a rounding error ("1e-12", "1.6e+06" for a density) nor, where every axis is
 * constant (half_steps), a made-up step around the value ("4.5"). */
static void
assert_no_made_up_ticks (const GPtrArray *texts, gboolean half_steps)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (strstr (text, "e-") || strstr (text, "e+") ||
          (half_steps && (strstr (text, "4.5") || strstr (text, "5.5"))))
        g_error ("a made-up tick: '%s'", text);
    }
}

static void
draw_plot (cairo_t *cr, gpointer plot)
{
  ns_plot_draw (plot, cr, 1200, 480);
}

static void
draw_series (cairo_t *cr, gpointer plot)
{
  ns_plot_series_draw (plot, cr, 1200, 480);
}

static void
draw_thumbnail (cairo_t *cr, gpointer data)
{
  ns_plot_draw_thumbnail (data, 5, 1, NS_STRATEGY_STANDARD, NAN, NAN, FALSE, 1, cr, 200, 60);
}

/* A column of 5.0 (and its normalized 0): each axis shows the value once, marked constant, in the
 * Compare figure (histograms and Q-Q), the Overview's thumbnails and the Batch Norm figures. */
/* In presentation mode on a 1024 x 600 screen the Batch Norm page's figures are small (half and
 * full width, with and without the demo banner above them); their titles and panel titles are
 * shown whole, at the shared text size or a little smaller, never cut with "…". */
static void
test_small_titles (void)
{
  static const double sizes[][2] = { { 338, 142 }, { 338, 272 }, { 675, 142 }, { 675, 272 } };
  static const char *panel_titles[] = { "Running mean", "Running variance", "Batch means",
                                        "Batch variances", "Normalized outputs" };
  g_autoptr (NsDataset) data = ns_demo_make_dataset (ns_demo_find ("momentum"), NULL, NULL, NULL);
  g_autoptr (NsBatchNorm) bn = ns_test_simulate_batchnorm (data, 32, FALSE);
  const NsBatchNormRun runs[] = { { bn, 0, NULL } };
  NsBatchNormFigureOptions options = { "x", NULL, 0 };

  for (guint f = NS_BATCHNORM_FIGURE_RUNNING; f <= NS_BATCHNORM_FIGURE_GAP; f++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        g_autoptr (NsPlotSeries) plot = ns_batchnorm_figure_new (f, runs, 1, &options);
        g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
        cairo_surface_t *surface =
          cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) sizes[s][0], (int) sizes[s][1]);
        cairo_t *cr = cairo_create (surface);
        guint titles = 0;
        g_autofree char *joined = NULL;

        ns_plot_series_set_scale (plot, 1.6);
        ns_plot_series_set_font_size (plot, ns_plot_series_natural_font_size (338, 142));
        ns_plot_record_texts (cr, texts);
        ns_plot_series_draw (plot, cr, sizes[s][0], sizes[s][1]);
        ns_plot_record_texts (cr, NULL);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
        /* The title whole, on one line or on two (the texts in drawing order). */
        g_ptr_array_add (texts, NULL);
        joined = g_strjoinv (" ", (char **) texts->pdata);
        g_ptr_array_remove_index (texts, texts->len - 1);
        if (strstr (joined, ns_plot_series_get_title (plot)) == NULL)
          g_error ("'%s' at %g x %g: the title is not shown whole", ns_plot_series_get_title (plot),
                   sizes[s][0], sizes[s][1]);
        for (guint t = 0; t < G_N_ELEMENTS (panel_titles); t++)
          titles += texts_have (texts, panel_titles[t]);
        if (titles != ns_plot_series_get_n_panels (plot))
          g_error ("'%s' at %g x %g: %u of its %u panel titles shown whole",
                   ns_plot_series_get_title (plot), sizes[s][0], sizes[s][1], titles,
                   ns_plot_series_get_n_panels (plot));
      }
}

static void
test_constant_column (void)
{
  double *values = g_new (double, 150);
  g_autoptr (NsPlotData) data = NULL;
  g_autoptr (NsDataset) dataset = ns_dataset_new_table (150);
  g_autoptr (NsBatchNorm) bn = NULL;
  NsBatchNormFigureOptions options = { "constant", NULL, 0 };

  for (guint i = 0; i < 150; i++)
    values[i] = 5.0;
  data = ns_plot_data_new (values, 150, NULL);
  for (NsPlotMode mode = NS_PLOT_HISTOGRAM; mode <= NS_PLOT_QQ; mode++)
    {
      g_autoptr (NsPlot) plot = ns_plot_new ();
      g_autoptr (GPtrArray) texts = NULL;

      ns_plot_set_title (plot, "constant");
      ns_plot_set_mode (plot, mode);
      ns_plot_add_raw (plot, "raw data", data);
      ns_plot_panel_set_strategy (plot, ns_plot_add_affine (plot, "standard", data, 5, 1),
                                  NS_STRATEGY_STANDARD);
      texts = record_texts (draw_plot, plot);
      g_assert_true (texts_have (texts, "5 (constant)"));
      g_assert_true (texts_have (texts, "0 (constant)"));
      assert_no_made_up_ticks (texts, TRUE);
    }
  {
    g_autoptr (GPtrArray) texts = record_texts (draw_thumbnail, data);

    g_assert_cmpuint (texts->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "0 (constant)");
  }
  ns_dataset_add_numeric_column (dataset, "constant", values);
  bn = ns_test_simulate_batchnorm (dataset, 32, TRUE);
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      NsBatchNormRun run = { bn, 0, NULL };
      g_autoptr (NsPlotSeries) plot = ns_batchnorm_figure_new (f, &run, 1, &options);
      g_autoptr (GPtrArray) texts = record_texts (draw_series, plot);

      assert_no_made_up_ticks (texts, FALSE);
      if (f == NS_BATCHNORM_FIGURE_BATCH_NOISE)
        {
          /* Every batch mean is 5 and every batch variance 0. */
          g_assert_true (texts_have (texts, "5 (constant)"));
          g_assert_true (texts_have (texts, "0 (constant)"));
        }
    }
}

/* normscope-cli plot draws a constant column's figures (Compare's, Q-Q, Batch Norm's) without a
 * complaint, through the code test_constant_column reads the ticks of. */
static void
test_cli_constant_column (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *csv = g_build_filename (dir, "constant.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autoptr (GString) text = g_string_new ("x,constant\n");
  const char *figures[][10] = {
    { csv, "-m", "standard,minmax,robust", "-c", "constant", "-o", png, NULL },
    { csv, "--qq", "-m", "standard", "-c", "constant", "-o", png, NULL },
    { csv, "--batchnorm", "--view", "batch-noise", "-c", "constant", "-o", png, NULL },
  };
  const int heights[] = { 480, 480, 520 };

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (text, "%u,5.0\n", i);
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (ns_test_run_cli_command ("plot", figures[f], &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
      ns_test_assert_png_size (png, 1200, heights[f]);
    }
}

/* The check itself: boxes that share more than the anti-aliasing slack overlap, touching ones do
 * not, and a figure too narrow for its title is caught (its title runs out of the figure). */
static void
test_checker (void)
{
  const cairo_rectangle_t a = { 10, 10, 40, 12 }, b = { 45, 15, 40, 12 }, c = { 50, 10, 40, 12 };

  g_assert_true (boxes_overlap (&a, &b));
  g_assert_false (boxes_overlap (&a, &c));
  if (g_test_subprocess ())
    {
      g_autofree double *values = make_skewed ();
      g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);

      assert_no_overlap (&configs[1], data, 200, 300, 1, "too narrow");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*too narrow*");
}

static void
test_preset_ids (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpfloat (ns_figure_preset_from_id ("slide-16-9", NULL)->width, ==, 1920);
  g_assert_cmpint (ns_figure_preset_from_id ("a4", NULL)->format, ==, NS_PLOT_FORMAT_PDF);
  g_assert_null (ns_figure_preset_from_id ("poster", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "slide-4-3"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot-layout/presets", test_presets);
  g_test_add_func ("/plot-layout/window-sizes", test_window_sizes);
  g_test_add_func ("/plot-layout/batchnorm-figures", test_batchnorm_figures);
  g_test_add_func ("/plot-layout/shared-font-size", test_shared_font_size);
  g_test_add_func ("/plot-layout/legends-clear", test_legends_clear);
  g_test_add_func ("/plot-layout/legend-font", test_legend_font);
  g_test_add_func ("/plot-layout/small-titles", test_small_titles);
  g_test_add_func ("/plot-layout/constant-column", test_constant_column);
  g_test_add_func ("/plot-layout/cli-constant-column", test_cli_constant_column);
  g_test_add_func ("/plot-layout/preset-ids", test_preset_ids);
  g_test_add_func ("/plot-layout/checker", test_checker);
  return g_test_run ();
}
