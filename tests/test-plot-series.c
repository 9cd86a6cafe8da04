/* test-plot-series.c: render tests of the batch-norm figures: image size, non-blank, axis region,
 * line positions of known series, histogram model, the figure builders against the simulator.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <dlfcn.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "core/ns-demo.h"
#include "core/ns-plot-series-bn.h"
#include "test-utils.h"

#define W 600
#define H 400

static cairo_surface_t *
render (NsPlotSeries *plot, int width, int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  ns_plot_series_draw (plot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
}

static gboolean
is_white (guint32 p)
{
  return p == 0xffffff;
}

/* Non-white pixels in a rectangle. */
static guint
count_ink (cairo_surface_t *surface, int x0, int y0, int x1, int y1)
{
  guint n = 0;

  for (int y = MAX (y0, 0); y < MIN (y1, cairo_image_surface_get_height (surface)); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, cairo_image_surface_get_width (surface)); x++)
      n += !is_white (pixel (surface, x, y));
  return n;
}

/* Does a pixel of the palette colour `color` lie within 2 pixels of (x, y)? */
static gboolean
has_color_near (cairo_surface_t *surface, double x, double y, guint color)
{
  double rgb[3];
  guint32 want;

  ns_plot_palette_color (color, FALSE, rgb);
  want = ((guint32) lround (rgb[0] * 255) << 16) | ((guint32) lround (rgb[1] * 255) << 8) |
         (guint32) lround (rgb[2] * 255);
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++)
      {
        guint32 p = pixel (surface, (int) x + dx, (int) y + dy);
        int dr = abs ((int) (p >> 16) - (int) (want >> 16));
        int dg = abs ((int) ((p >> 8) & 0xff) - (int) ((want >> 8) & 0xff));
        int db = abs ((int) (p & 0xff) - (int) (want & 0xff));

        if (dr + dg + db < 70) /* antialiased edges blend with white */
          return TRUE;
      }
  return FALSE;
}

static void
test_line_positions (void)
{
  g_autoptr (NsPlotSeries) plot = ns_plot_series_new ("Lines");
  double y[100];
  cairo_rectangle_t a;
  double x_lo, x_hi, y_lo, y_hi;
  cairo_surface_t *surface;
  guint panel;

  for (int i = 0; i < 100; i++)
    y[i] = i < 50 ? 1.0 : 3.0; /* a step from 1 to 3 at step 51 */
  panel = ns_plot_series_add_panel (plot, "steps", "training step", NULL);
  ns_plot_series_add_line (plot, panel, "series", y, 100, 5, FALSE);
  ns_plot_series_add_hline (plot, panel, "reference", 2.0, 6);
  surface = render (plot, W, H);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, W);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, H);
  g_assert_true (ns_plot_series_get_panel_frame (plot, W, H, 0, &a, &x_lo, &x_hi, &y_lo, &y_hi));
  g_assert_cmpfloat (x_lo, <=, 1);
  g_assert_cmpfloat (x_hi, >=, 100);
  g_assert_cmpfloat (y_lo, <=, 1);
  g_assert_cmpfloat (y_hi, >=, 3);
  /* The line at y = 1 over steps 1..50 and y = 3 over 51..100, the reference at y = 2. */
  for (int step = 5; step <= 45; step += 10)
    {
      double px = a.x + (step - x_lo) / (x_hi - x_lo) * a.width;
      double py = a.y + a.height - (1.0 - y_lo) / (y_hi - y_lo) * a.height;

      g_assert_true (has_color_near (surface, px, py, 5));
      py = a.y + a.height - (3.0 - y_lo) / (y_hi - y_lo) * a.height;
      g_assert_false (has_color_near (surface, px, py, 5));
    }
  for (int step = 55; step <= 70; step += 5) /* left of the legend box */
    {
      double px = a.x + (step - x_lo) / (x_hi - x_lo) * a.width;
      double py = a.y + a.height - (3.0 - y_lo) / (y_hi - y_lo) * a.height;

      g_assert_true (has_color_near (surface, px, py, 5));
    }
  {
    /* Left part of the plot, away from the legend box at the top right. */
    double px = a.x + a.width * 0.2 + 3;
    double py = a.y + a.height - (2.0 - y_lo) / (y_hi - y_lo) * a.height;

    g_assert_true (has_color_near (surface, px, py, 6) || has_color_near (surface, px + 6, py, 6));
  }
  /* The axis region (left of and under the plot area) has tick labels; the margin is white. */
  g_assert_cmpuint (count_ink (surface, 0, (int) a.y, (int) a.x - 2, (int) (a.y + a.height)), >,
                    20);
  g_assert_cmpuint (count_ink (surface, (int) a.x, (int) (a.y + a.height) + 2,
                               (int) (a.x + a.width), H),
                    >, 20);
  g_assert_cmpuint (count_ink (surface, W - 4, 0, W, H), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_cursor_cuts_lines (void)
{
  g_autoptr (NsPlotSeries) plot = ns_plot_series_new (NULL);
  double y[200];
  cairo_rectangle_t a;
  double x_lo, x_hi, y_lo, y_hi, px, py;
  cairo_surface_t *surface;

  for (int i = 0; i < 200; i++)
    y[i] = 0.5;
  ns_plot_series_add_panel (plot, "p", "step", NULL);
  ns_plot_series_add_line (plot, 0, NULL, y, 200, 3, FALSE);
  ns_plot_series_set_cursor (plot, 50);
  g_assert_cmpuint (ns_plot_series_get_cursor (plot), ==, 50);
  surface = render (plot, W, H);
  ns_plot_series_get_panel_frame (plot, W, H, 0, &a, &x_lo, &x_hi, &y_lo, &y_hi);
  py = a.y + a.height - (0.5 - y_lo) / (y_hi - y_lo) * a.height;
  px = a.x + (25 - x_lo) / (x_hi - x_lo) * a.width;
  g_assert_true (has_color_near (surface, px, py, 3));
  px = a.x + (150 - x_lo) / (x_hi - x_lo) * a.width;
  g_assert_false (has_color_near (surface, px, py, 3));
  cairo_surface_destroy (surface);
}

static void
test_long_line_decimated (void)
{
  g_autoptr (NsPlotSeries) plot = ns_plot_series_new ("Long");
  gsize n = 200000;
  g_autofree double *y = g_new (double, n);
  cairo_rectangle_t a;
  double x_lo, x_hi, y_lo, y_hi;
  cairo_surface_t *surface;
  gint64 t0;

  for (gsize i = 0; i < n; i++)
    y[i] = (i % 2) ? 1.0 : -1.0; /* the envelope fills the band [-1, 1] */
  ns_plot_series_add_panel (plot, "p", "step", NULL);
  ns_plot_series_add_line (plot, 0, "zigzag", y, n, 5, FALSE);
  t0 = g_get_monotonic_time ();
  surface = render (plot, W, H);
  g_test_message ("200,000 points drawn in %.1f ms", (g_get_monotonic_time () - t0) / 1e3);
  ns_plot_series_get_panel_frame (plot, W, H, 0, &a, &x_lo, &x_hi, &y_lo, &y_hi);
  /* Both extremes are reached in the middle of the plot. */
  g_assert_true (has_color_near (surface, a.x + a.width * 0.3,
                                 a.y + a.height - (1 - y_lo) / (y_hi - y_lo) * a.height, 5));
  g_assert_true (has_color_near (surface, a.x + a.width * 0.3,
                                 a.y + a.height - (-1 - y_lo) / (y_hi - y_lo) * a.height, 5));
  cairo_surface_destroy (surface);
}

static void
test_histogram_model (void)
{
  g_autoptr (NsPlotSeries) plot = ns_plot_series_new ("Hist");
  double values[] = { 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, NAN };
  const double *counts;
  gsize n;
  double lo, hi;
  cairo_surface_t *surface;

  ns_plot_series_add_panel (plot, "h", "value", NULL);
  g_assert_cmpuint (ns_plot_series_add_histogram (plot, 0, "values", values, G_N_ELEMENTS (values),
                                                  4, 2, TRUE),
                    ==, 0);
  counts = ns_plot_series_item_get_values (plot, 0, 0, &n);
  ns_plot_series_item_get_params (plot, 0, 0, &lo, &hi);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 4);
  /* [0,1) [1,2) [2,3) [3,4]: the maximum goes into the last bin, NaN is skipped. */
  g_assert_cmpfloat (counts[0], ==, 2);
  g_assert_cmpfloat (counts[1], ==, 2);
  g_assert_cmpfloat (counts[2], ==, 2);
  g_assert_cmpfloat (counts[3], ==, 3);
  g_assert_cmpint (ns_plot_series_item_get_kind (plot, 0, 0), ==, NS_SERIES_ITEM_HISTOGRAM);
  g_assert_cmpint (ns_plot_series_find_item (plot, 0, "values"), ==, 0);
  g_assert_cmpint (ns_plot_series_find_item (plot, 0, "nope"), ==, -1);
  surface = render (plot, W, H);
  g_assert_cmpuint (count_ink (surface, 0, 0, W, H), >, 1000);
  cairo_surface_destroy (surface);
}

static NsDataset *
normal_dataset (gsize rows)
{
  const NsDemo *demo = ns_demo_find ("small-batches");
  NsDataset *data = ns_demo_make_dataset (demo, NULL, NULL, NULL);

  g_assert_nonnull (data);
  g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, rows);
  return data;
}

/* A feature with missing values, simulated on its finite rows: the gap figure says how many rows
 * were left out and draws every figure from the rows kept. */
static void
test_figures_skipped_rows (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (200);
  double *x = g_new (double, 200);
  g_autoptr (NsBatchNorm) bn = NULL;
  NsBatchNormOptions o;
  NsBatchNormRun run;
  NsBatchNormFigureOptions options = { "x", NULL, 0 };

  for (guint i = 0; i < 200; i++)
    x[i] = i % 50 == 7 ? NAN : sin (i * 0.37) * 3 + 10;
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_count_missing (data);
  ns_batchnorm_options_init (&o, NS_BATCHNORM_PYTORCH);
  o.batch_size = 16;
  o.only_feature = 0;
  o.skip_non_finite = TRUE;
  bn = ns_batchnorm_new (data, &o, NULL);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
  run = (NsBatchNormRun) { bn, 0, NULL };
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      g_autoptr (NsPlotSeries) plot = ns_batchnorm_figure_new (f, &run, 1, &options);
      cairo_surface_t *surface = render (plot, W, H);

      g_assert_cmpuint (count_ink (surface, 0, 0, W, H), >, 3000u);
      cairo_surface_destroy (surface);
      if (f == NS_BATCHNORM_FIGURE_GAP)
        g_assert_nonnull (
          strstr (ns_plot_series_get_note (plot), "(4 rows with a missing value left out)"));
    }
  g_assert_true (isfinite (ns_batchnorm_train_inference_gap (bn, 0)));
}

/* Every figure type: drawn non-blank at two sizes and scales, model equal to the simulator's. */
static void
test_figures (void)
{
  g_autoptr (NsDataset) data = normal_dataset (20000);
  g_autoptr (NsBatchNorm) bn = ns_test_simulate_batchnorm (data, 64, TRUE);
  NsBatchNormRun run = { bn, 0, NULL };
  NsBatchNormFigureOptions options = { "x", NULL, 0 };

  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      g_autoptr (NsPlotSeries) plot = ns_batchnorm_figure_new (f, &run, 1, &options);
      cairo_surface_t *surface;

      g_assert_cmpuint (ns_plot_series_get_n_panels (plot), >=, 1);
      for (int s = 1; s <= 2; s++)
        {
          ns_plot_series_set_scale (plot, s == 1 ? 1 : 1.6);
          surface = render (plot, W * s, H * s);
          g_assert_cmpuint (count_ink (surface, 0, 0, W * s, H * s), >, 3000u * s);
          cairo_surface_destroy (surface);
        }
    }
  {
    g_autoptr (NsPlotSeries) running =
      ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_RUNNING, &run, 1, &options);
    int item = ns_plot_series_find_item (running, 0, "running (inference)");
    const double *line, *sim;
    gsize n, n_sim;
    double a, mean, var, count, missing;

    g_assert_cmpint (item, >=, 0);
    line = ns_plot_series_item_get_values (running, 0, item, &n);
    sim = ns_batchnorm_get_series (bn, NS_SERIES_RUNNING_MEAN, 0, &n_sim);
    g_assert_cmpuint (n, ==, n_sim);
    g_assert_cmpuint (n, ==, ns_batchnorm_get_n_steps (bn));
    g_assert_cmpmem (line, n * sizeof (double), sim, n_sim * sizeof (double));
    item = ns_plot_series_find_item (running, 0, "full-data mean");
    ns_plot_series_item_get_params (running, 0, item, &a, NULL);
    ns_batchnorm_exact_stats (bn, 0, &count, &missing, &mean, &var, 0);
    g_assert_cmpfloat (a, ==, mean);
  }
  {
    g_autoptr (NsPlotSeries) gap =
      ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_GAP, &run, 1, &options);
    g_autofree char *value = ns_batchnorm_format_number (ns_batchnorm_train_inference_gap (bn, 0));

    g_assert_nonnull (strstr (ns_plot_series_get_note (gap), value));
  }
  {
    g_autoptr (NsPlotSeries) noise =
      ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_BATCH_NOISE, &run, 1, &options);
    double mean, sd, count, missing, var, curve_mean;

    /* The expected spread curve: N(mu, sigma^2 / B). */
    ns_plot_series_item_get_params (noise, 0, 1, &curve_mean, &sd);
    ns_batchnorm_exact_stats (bn, 0, &count, &missing, &mean, &var, 0);
    g_assert_cmpfloat (curve_mean, ==, mean);
    g_assert_cmpint (ns_plot_series_item_get_kind (noise, 0, 1), ==, NS_SERIES_ITEM_NORMAL);
    g_assert_cmpfloat (sd, ==, sqrt (var / 64));
  }
}

static void
test_save_formats (void)
{
  g_autoptr (NsDataset) data = normal_dataset (20000);
  g_autoptr (NsBatchNorm) bn = ns_test_simulate_batchnorm (data, 32, FALSE);
  NsBatchNormRun run = { bn, 0, NULL };
  g_autoptr (NsPlotSeries) plot =
    ns_batchnorm_figure_new (NS_BATCHNORM_FIGURE_RUNNING, &run, 1, NULL);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  const char *names[] = { "f.png", "f.svg", "f.pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;
      NsPlotFormat format;

      g_assert_true (ns_plot_format_from_path (path, &format, NULL));
      g_assert_true (ns_plot_series_save (plot, path, format, 800, 500, NULL));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_true (memcmp (contents, magic[i], strlen (magic[i])) == 0);
      g_unlink (path);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *path = g_build_filename (dir, "missing", "f.png", NULL);

    g_assert_false (ns_plot_series_save (plot, path, NS_PLOT_FORMAT_PNG, 800, 500, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, path));
  }
}

static void
test_large_values_axis (void)
{
  g_autoptr (NsPlotSeries) plot = ns_plot_series_new (NULL);
  double y[50];
  double y_lo, y_hi;
  cairo_surface_t *surface;

  for (int i = 0; i < 50; i++)
    y[i] = 1e8 + (i % 5) * 0.25;
  ns_plot_series_add_panel (plot, "p", "step", NULL);
  ns_plot_series_add_line (plot, 0, NULL, y, 50, 5, FALSE);
  ns_plot_series_get_panel_frame (plot, W, H, 0, NULL, NULL, NULL, &y_lo, &y_hi);
  /* The axis spans the data's spread (about 1), not 1e8. */
  g_assert_cmpfloat (y_lo, <=, 1e8);
  g_assert_cmpfloat (y_hi, >=, 1e8 + 1);
  g_assert_cmpfloat (y_hi - y_lo, <, 10);
  surface = render (plot, W, H);
  cairo_surface_destroy (surface);
}

static void
test_figure_names (void)
{
  NsBatchNormFigure figure;
  g_autoptr (GError) error = NULL;

  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      g_assert_true (
        ns_batchnorm_figure_from_string (ns_batchnorm_figure_to_string (f), &figure, NULL));
      g_assert_cmpint (figure, ==, f);
    }
  g_assert_false (ns_batchnorm_figure_from_string ("histogram", &figure, &error));
  g_assert_cmpstr (error->message, ==,
                   "unknown view 'histogram' (expected running, batch-noise, gap or renorm)");
}

/* The float32 demo shows Flax's fast variance failing in float32 and holding in float64. */
static void
test_demo_float32 (void)
{
  const NsDemo *demo = ns_demo_find ("float32-fast-variance");
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  const char *labels[NS_DEMO_MAX_RUNS] = { NULL };
  g_autoptr (NsDataset) data = ns_demo_make_dataset (demo, NULL, NULL, NULL);
  double mean[NS_DEMO_MAX_RUNS];

  g_assert_cmpuint (ns_demo_get_settings (demo, options, labels), ==, 2);
  g_assert_false (options[0].float32);
  g_assert_true (options[1].float32);
  for (guint r = 0; r < 2; r++)
    {
      g_autoptr (NsBatchNorm) bn = ns_batchnorm_new (data, &options[r], NULL);
      gsize n;
      const double *var;

      g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
      var = ns_batchnorm_get_series (bn, NS_SERIES_BATCH_VAR, 0, &n);
      mean[r] = 0;
      for (gsize i = 0; i < n; i++)
        mean[r] += var[i] / (double) n;
    }
  /* N(0, 1) batches of 64: float64 near 1; float32 rounds x² (near 1e8) to multiples of 8. */
  g_assert_cmpfloat (fabs (mean[0] - 1), <, 0.1);
  g_assert_cmpfloat (mean[1], >, 4);
}

static void
test_demos (void)
{
  g_autofree char *iris =
    g_build_filename (g_getenv ("NS_SOURCE_ROOT") ? g_getenv ("NS_SOURCE_ROOT") : "..", "data",
                      "iris.csv", NULL);

  g_assert_cmpuint (ns_demo_get_n (), ==, 9);
  for (guint i = 0; i < ns_demo_get_n (); i++)
    {
      const NsDemo *demo = ns_demo_get (i);
      NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
      const char *labels[NS_DEMO_MAX_RUNS] = { NULL };
      NsBatchNorm *bns[NS_DEMO_MAX_RUNS] = { NULL };
      g_autoptr (NsDataset) test = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = ns_demo_make_dataset (demo, iris, &test, &error);
      g_autofree char *numbers = NULL;
      guint n, feature = 0;

      g_assert_no_error (error);
      g_assert_true (ns_demo_find (ns_demo_get_id (demo)) == demo);
      g_assert_cmpuint (strlen (ns_demo_get_explanation (demo)), >, 80);
      g_assert_nonnull (ns_demo_get_recipe (demo));
      if (ns_demo_get_column (demo))
        for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
          if (g_strcmp0 (ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
                         ns_demo_get_column (demo)) == 0)
            feature = f;
      n = ns_demo_get_settings (demo, options, labels);
      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (n, <=, NS_DEMO_MAX_RUNS);
      for (guint r = 0; r < n; r++)
        {
          options[r].only_feature = (int) feature;
          bns[r] = ns_batchnorm_new (data, &options[r], &error);
          g_assert_no_error (error);
          g_assert_true (ns_batchnorm_run (bns[r], NULL, NULL, NULL, &error));
        }
      numbers = ns_demo_numbers (demo, bns, n, feature, test);
      g_test_message ("%s: %s", ns_demo_get_id (demo), numbers);
      g_assert_cmpuint (strlen (numbers), >, 20);
      g_assert_null (strstr (numbers, "NaN"));
      for (guint r = 0; r < n; r++)
        ns_batchnorm_free (bns[r]);
    }
  g_assert_null (ns_demo_find ("no-such-demo"));
}

/* The numbers of a demo are the simulator's: the small-batch spread equals the batch means' sd. */
static void
test_demo_numbers_are_computed (void)
{
  const NsDemo *demo = ns_demo_find ("small-batches");
  g_autoptr (NsDataset) data = ns_demo_make_dataset (demo, NULL, NULL, NULL);
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  const char *labels[NS_DEMO_MAX_RUNS];
  NsBatchNorm *bns[NS_DEMO_MAX_RUNS];
  guint n = ns_demo_get_settings (demo, options, labels);
  g_autofree char *numbers = NULL;
  g_autofree char *expected = NULL;
  const double *means;
  gsize steps;
  double sum = 0, sum2 = 0, mean;

  for (guint r = 0; r < n; r++)
    {
      bns[r] = ns_batchnorm_new (data, &options[r], NULL);
      g_assert_true (ns_batchnorm_run (bns[r], NULL, NULL, NULL, NULL));
    }
  means = ns_batchnorm_get_series (bns[0], NS_SERIES_BATCH_MEAN, 0, &steps);
  for (gsize i = 0; i < steps; i++)
    sum += means[i];
  mean = sum / steps;
  for (gsize i = 0; i < steps; i++)
    sum2 += (means[i] - mean) * (means[i] - mean);
  expected = ns_batchnorm_format_number (sqrt (sum2 / steps));
  numbers = ns_demo_numbers (demo, bns, n, 0, NULL);
  g_assert_true (g_str_has_prefix (numbers, "Spread (sd) of the batch means: "));
  g_assert_nonnull (strstr (numbers, expected));
  for (guint r = 0; r < n; r++)
    ns_batchnorm_free (bns[r]);
}

static int
run_cli (const char *args, char **err)
{
  g_autofree char *command = g_strdup_printf ("%s plot %s", g_getenv ("NS_CLI"), args);
  g_auto (GStrv) argv = NULL;
  /* Under ASan, fontconfig's caches (loaded by cairo's text) are reported as leaks at exit. */
  g_auto (GStrv) envp =
    g_environ_setenv (g_get_environ (), "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", TRUE);
  int status;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_assert_true (g_spawn_sync (NULL, argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
                               &status, NULL));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* normscope-cli plot DATA --batchnorm --view …: each figure headless; usage errors. */
static void
test_cli_views (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *iris = g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", "iris.csv", NULL);

  if (g_getenv ("NS_CLI") == NULL)
    {
      g_test_skip ("NS_CLI is not set (run through meson test)");
      return;
    }
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.svg", dir, ns_batchnorm_figure_to_string (f));
      g_autofree char *args = g_strdup_printf ("%s --batchnorm -c petal_length_cm -b 10 --renorm "
                                               "--view %s -o %s",
                                               iris, ns_batchnorm_figure_to_string (f), path);
      g_autofree char *err = NULL;
      g_autofree char *contents = NULL;

      g_assert_cmpint (run_cli (args, &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, "<?xml"));
      g_unlink (path);
    }
  {
    g_autofree char *args = g_strdup_printf ("%s --batchnorm --view nope -o %s/x.svg", iris, dir);
    g_autofree char *err = NULL;

    g_assert_cmpint (run_cli (args, &err), ==, 2);
    g_assert_cmpstr (err, ==,
                     "normscope-cli plot: --view: unknown view 'nope' (expected running, "
                     "batch-noise, gap or renorm)\nTry 'normscope-cli plot --help'\n");
  }
  {
    g_autofree char *args = g_strdup_printf ("%s --batchnorm -b 0 -o %s/x.svg", iris, dir);
    g_autofree char *err = NULL;

    /* The refusal `batchnorm -b 0` gives: the batch-norm run checks it for both commands. */
    g_assert_cmpint (run_cli (args, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "batch size must be at least 1, got 0\n"));
  }
}

/* normscope-cli plot DATA --method … --range/--axes: the comparison figure's view; usage errors. */
static void
test_cli_range_and_axes (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *data =
    g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "tests", "data", "skewed-outliers.csv", NULL);
  const char *good[] = { "", "--range full --axes shared", "--range 1-99 --axes panel" };
  const struct {
    const char *args, *error;
  } bad[] = {
    { "--range most", "normscope-cli plot: --range: unknown range 'most': expected full, 0-99 or "
                      "1-99\nTry 'normscope-cli plot --help'\n" },
    { "--axes both", "normscope-cli plot: --axes: expected shared or panel, not 'both'\n"
                     "Try 'normscope-cli plot --help'\n" },
  };

  if (g_getenv ("NS_CLI") == NULL)
    {
      g_test_skip ("NS_CLI is not set (run through meson test)");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/outliers-%u.png", dir, i);
      g_autofree char *args =
        g_strdup_printf ("%s -m standard,robust -c normal_outliers %s -o %s", data, good[i], path);
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (args, &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_unlink (path);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *args =
        g_strdup_printf ("%s -m standard %s -o %s/x.png", data, bad[i].args, dir);
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (args, &err), ==, 2);
      g_assert_cmpstr (err, ==, bad[i].error);
    }
}

int
main (int argc, char **argv)
{
  void (*fc_fini) (void);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot-series/line-positions", test_line_positions);
  g_test_add_func ("/plot-series/cursor", test_cursor_cuts_lines);
  g_test_add_func ("/plot-series/long-line", test_long_line_decimated);
  g_test_add_func ("/plot-series/histogram", test_histogram_model);
  g_test_add_func ("/plot-series/large-values", test_large_values_axis);
  g_test_add_func ("/plot-series/figures", test_figures);
  g_test_add_func ("/plot-series/figures-skipped-rows", test_figures_skipped_rows);
  g_test_add_func ("/plot-series/save", test_save_formats);
  g_test_add_func ("/plot-series/figure-names", test_figure_names);
  g_test_add_func ("/plot-series/cli-range-and-axes", test_cli_range_and_axes);
  g_test_add_func ("/demo/all", test_demos);
  g_test_add_func ("/demo/float32", test_demo_float32);
  g_test_add_func ("/cli/plot-batchnorm", test_cli_views);
  g_test_add_func ("/demo/numbers", test_demo_numbers_are_computed);
  status = g_test_run ();
  /* cairo and fontconfig keep caches until told: free them so LeakSanitizer sees real leaks only.
   */
  cairo_debug_reset_static_data ();
  fc_fini = (void (*) (void)) dlsym (RTLD_DEFAULT, "FcFini");
  if (fc_fini != NULL)
    fc_fini ();
  return status;
}
