/* test-plot-layout.c: no two texts of a figure overlap, for every export preset and other sizes,
 * with one to six panels, long names, zoom counts, an overlay, Q-Q and log density.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include "core/ns-figure-preset.h"
#include "core/ns-plot.h"

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

static void
assert_no_overlap (const Config *config, const NsPlotData *data, double width, double height,
                   double font_scale, const char *size_name)
{
  g_autoptr (NsPlot) plot = make_plot (config, data, font_scale);
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
  cairo_t *cr = cairo_create (surface);

  ns_plot_record_text_boxes (cr, boxes);
  ns_plot_draw (plot, cr, width, height);
  ns_plot_record_text_boxes (cr, NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (boxes->len, >, 4 * config->n_panels);
  for (guint i = 0; i < boxes->len; i++)
    for (guint j = i + 1; j < boxes->len; j++)
      {
        const cairo_rectangle_t *a = &g_array_index (boxes, cairo_rectangle_t, i);
        const cairo_rectangle_t *b = &g_array_index (boxes, cairo_rectangle_t, j);

        if (boxes_overlap (a, b))
          g_error ("%s at %s (%g x %g, font x%g): text %u (%.1f,%.1f %.1fx%.1f) overlaps text %u "
                   "(%.1f,%.1f %.1fx%.1f)",
                   config->name, size_name, width, height, font_scale, i, a->x, a->y, a->width,
                   a->height, j, b->x, b->y, b->width, b->height);
      }
  /* Every text stays inside the figure. */
  for (guint i = 0; i < boxes->len; i++)
    {
      const cairo_rectangle_t *a = &g_array_index (boxes, cairo_rectangle_t, i);

      if (a->x < -0.5 || a->y < -0.5 || a->x + a->width > width + 0.5 ||
          a->y + a->height > height + 0.5)
        g_error ("%s at %s: text %u (%.1f,%.1f %.1fx%.1f) leaves the %g x %g figure", config->name,
                 size_name, i, a->x, a->y, a->width, a->height, width, height);
    }
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
  g_test_add_func ("/plot-layout/preset-ids", test_preset_ids);
  g_test_add_func ("/plot-layout/checker", test_checker);
  return g_test_run ();
}
