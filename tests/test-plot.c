/* test-plot.c: the plot data model (bins, moments, Q-Q, hit tests) and offscreen rendering.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <dlfcn.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "core/ns-plot.h"
#include "core/ns-quantile.h"
#include "test-utils.h"

#define N_VALUES 100

/* 0, 1, ..., 99: with 10 bins every bin holds exactly 10 values. */
static double *
make_ramp (void)
{
  double *values = g_new (double, N_VALUES);

  for (guint i = 0; i < N_VALUES; i++)
    values[i] = i;
  return values;
}

static void
test_nice_ticks (void)
{
  double ticks[32], step;
  guint n = ns_plot_nice_ticks (0, 1, 6, ticks, G_N_ELEMENTS (ticks), &step);
  g_autofree char *label = NULL;

  g_assert_cmpfloat (step, ==, 0.2);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat (ticks[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (ticks[5], 1.0, 1e-12);
  n = ns_plot_nice_ticks (-2.7, 3.1, 5, ticks, G_N_ELEMENTS (ticks), &step);
  /* 5.8 / 4 = 1.45 rounds to the nice step 1; ticks cover the range outward. */
  g_assert_cmpfloat (step, ==, 1);
  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpfloat (ticks[0], ==, -3);
  g_assert_cmpfloat (ticks[n - 1], ==, 4);
  label = ns_plot_format_tick (0.25, 0.05);
  g_assert_cmpstr (label, ==, "0.25");
}

static void
test_bins_and_moments (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);
  g_autoptr (NsPlot) plot = ns_plot_new ();
  double variance = (N_VALUES * (double) N_VALUES - 1) / 12; /* of 0..n-1, ddof 0 */
  double lo, hi;
  guint64 count;

  ns_plot_set_bins (plot, 10);
  g_assert_cmpuint (ns_plot_get_bins (plot), ==, 10);
  g_assert_cmpuint (ns_plot_add_raw (plot, "raw data", data), ==, 0);
  g_assert_cmpuint (ns_plot_add_affine (plot, "standard", data, 49.5, sqrt (variance)), ==, 1);
  for (guint b = 0; b < 10; b++)
    for (guint p = 0; p < 2; p++)
      {
        ns_plot_panel_get_bin (plot, p, b, NULL, NULL, &count);
        g_assert_cmpuint (count, ==, 10);
      }
  ns_plot_panel_get_bin (plot, 0, 0, &lo, &hi, NULL);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat_with_epsilon (hi, 9.9, 1e-12);
  ns_plot_panel_get_bin (plot, 1, 9, &lo, &hi, NULL);
  g_assert_cmpfloat_with_epsilon (lo, (89.1 - 49.5) / sqrt (variance), 1e-12);
  g_assert_cmpfloat (hi, ==, (99 - 49.5) / sqrt (variance));
  g_assert_cmpfloat (ns_plot_panel_get_mean (plot, 0), ==, 49.5);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_std (plot, 0), sqrt (variance), 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 1), 0, 1e-15);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_std (plot, 1), 1, 1e-15);
  g_assert_cmpuint (ns_plot_panel_get_count (plot, 1), ==, N_VALUES);
  g_assert_false (ns_plot_panel_is_normalized (plot, 0));
  g_assert_true (ns_plot_panel_is_normalized (plot, 1));
}

static void
test_missing_and_infinite_skipped (void)
{
  const double values[] = { 1, NAN, 2, INFINITY, 3, -INFINITY };
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, G_N_ELEMENTS (values), NULL);
  const NsMoments *moments = ns_plot_data_get_moments (data);
  const double nothing[] = { NAN, INFINITY };
  g_autoptr (GError) error = NULL;

  g_assert_cmpfloat (moments->count, ==, 3);
  g_assert_cmpfloat (moments->mean, ==, 2);
  g_assert_null (ns_plot_data_new (nothing, 2, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "nothing to plot: the column has no finite value");
}

static void
test_qq_points (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);
  g_autoptr (NsPlotData) approx = ns_plot_data_new_approximate (values, N_VALUES, NULL);
  g_autoptr (NsPlot) plot = ns_plot_new ();
  double p = 0.5 / NS_PLOT_QQ_POINTS, expected, theoretical, sample;

  ns_plot_add_affine (plot, "scaled", data, 10, 2);
  ns_plot_add_values (plot, "approximate", g_steal_pointer (&approx));
  ns_quantiles (values, N_VALUES, 1, &p, 1, &expected);
  ns_plot_panel_get_qq_point (plot, 0, 0, &theoretical, &sample);
  g_assert_cmpfloat (sample, ==, (expected - 10) / 2);
  g_assert_cmpfloat (theoretical, <, -2.8);
  /* Read off the fine grid: within one fine bin of the exact quantile. */
  for (guint i = 0; i < NS_PLOT_QQ_POINTS; i += 37)
    {
      double exact;

      p = (i + 0.5) / NS_PLOT_QQ_POINTS;
      ns_quantiles (values, N_VALUES, 1, &p, 1, &exact);
      ns_plot_panel_get_qq_point (plot, 1, i, NULL, &sample);
      g_assert_cmpfloat (fabs (sample - exact), <=, 1.0 + 99.0 / NS_PLOT_FINE_BINS);
    }
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((guint32 *) (data + y * stride))[x] & 0xffffff;
}

/* A strategy's bar colour (NS_STRATEGY_NONE: the raw data's) at alpha 0.85 over white, as cairo
 * rounds it. */
static guint32
bar_colour (NsStrategy strategy)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  double rgb[3];
  guint32 pixel;

  ns_strategy_get_color (strategy, FALSE, rgb);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.85);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel = pixel_at (surface, 0, 0);
  cairo_surface_destroy (surface);
  return pixel;
}

static void
test_render_bar_heights (void)
{
  const int width = 640, height = 400;
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = NULL;
  g_autoptr (NsPlot) plot = ns_plot_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_rectangle_t area;
  double x_lo, x_hi, y_lo, y_hi, lo, hi, density, x, top;
  guint64 count, non_white = 0;
  guint32 bar = bar_colour (NS_STRATEGY_NONE);

  /* Make bin 2 twice as full as the others: its bar must be twice as tall. */
  values = g_renew (double, values, N_VALUES + 10);
  for (guint i = 0; i < 10; i++)
    values[N_VALUES + i] = 20 + i;
  data = ns_plot_data_new (values, N_VALUES + 10, NULL);
  ns_plot_set_bins (plot, 10);
  ns_plot_set_title (plot, "ramp");
  ns_plot_add_raw (plot, "raw data", data);
  ns_plot_draw (plot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_write_to_png (surface, "test-plot-bars.png");

  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  for (int py = 0; py < height; py++)
    for (int px = 0; px < width; px++)
      non_white += pixel_at (surface, px, py) != 0xffffff;
  g_assert_cmpuint (non_white, >, width * height / 20);

  g_assert_true (ns_plot_get_panel_area (plot, width, height, 0, &area));
  ns_plot_get_panel_axes (plot, width, height, 0, &x_lo, &x_hi, &y_lo, &y_hi);
  for (guint b = 0; b < 10; b++)
    {
      ns_plot_panel_get_bin (plot, 0, b, &lo, &hi, &count);
      g_assert_cmpuint (count, ==, b == 2 ? 20 : 10);
      density = count / ((N_VALUES + 10.0) * (hi - lo));
      x = area.x + ((lo + hi) / 2 - x_lo) / (x_hi - x_lo) * area.width;
      top = area.y + area.height - (density - y_lo) / (y_hi - y_lo) * area.height;
      /* Inside the bar, just below its top, and above it (background or grid). */
      g_assert_cmphex (pixel_at (surface, (int) x, (int) ceil (top) + 2), ==, bar);
      g_assert_cmphex (pixel_at (surface, (int) x, (int) floor (top) - 3), !=, bar);
      /* The bar reaches the x axis. */
      g_assert_cmphex (pixel_at (surface, (int) x, (int) (area.y + area.height) - 2), ==, bar);
    }
  /* Left of the axis (tick labels' margin) there is no bar colour. */
  for (int py = (int) area.y; py < area.y + area.height; py++)
    g_assert_cmphex (pixel_at (surface, (int) area.x - 2, py), !=, bar);
  cairo_surface_destroy (surface);
}

/* The commonest colour other than white along a row near the bottom of a panel: the bars'. */
static guint32
bar_pixel (NsPlot *plot, guint panel, int width, int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  g_autoptr (GHashTable) counts = g_hash_table_new (NULL, NULL);
  cairo_rectangle_t area;
  guint32 best = 0xffffff;
  guint best_count = 0;
  int y;

  ns_plot_draw (plot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_true (ns_plot_get_panel_area (plot, width, height, panel, &area));
  y = (int) (area.y + area.height * 0.9);
  for (int x = (int) area.x; x < area.x + area.width; x++)
    {
      guint32 pixel = pixel_at (surface, x, y);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (pixel))) + 1;

      g_hash_table_insert (counts, GUINT_TO_POINTER (pixel), GUINT_TO_POINTER (count));
      if (pixel != 0xffffff && count > best_count)
        best = pixel, best_count = count;
    }
  cairo_surface_destroy (surface);
  return best;
}

/* Min-max keeps its colour whether it is the second or the third panel, and the panel reports
 * the colour it is drawn with. */
static void
test_colour_follows_strategy (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);
  g_autoptr (NsPlot) three = ns_plot_new ();
  g_autoptr (NsPlot) two = ns_plot_new ();
  double rgb[3], expected[3];

  ns_plot_set_bins (three, 10);
  ns_plot_set_bins (two, 10);
  ns_plot_add_raw (three, "raw data", data);
  ns_plot_panel_set_strategy (three, ns_plot_add_affine (three, "standard", data, 49.5, 28.866),
                              NS_STRATEGY_STANDARD);
  ns_plot_panel_set_strategy (three, ns_plot_add_affine (three, "min-max", data, 0, 99),
                              NS_STRATEGY_MINMAX);
  ns_plot_add_raw (two, "raw data", data);
  ns_plot_panel_set_strategy (two, ns_plot_add_affine (two, "min-max", data, 0, 99),
                              NS_STRATEGY_MINMAX);
  g_assert_cmphex (bar_pixel (three, 2, 900, 400), ==, bar_colour (NS_STRATEGY_MINMAX));
  g_assert_cmphex (bar_pixel (two, 1, 900, 400), ==, bar_colour (NS_STRATEGY_MINMAX));
  g_assert_cmphex (bar_pixel (three, 1, 900, 400), ==, bar_colour (NS_STRATEGY_STANDARD));
  g_assert_cmphex (bar_pixel (two, 0, 900, 400), ==, bar_colour (NS_STRATEGY_NONE));
  g_assert_cmpint (ns_plot_panel_get_strategy (two, 0), ==, NS_STRATEGY_NONE);
  ns_plot_set_dark (two, TRUE);
  ns_plot_panel_get_color (two, 1, rgb);
  ns_strategy_get_color (NS_STRATEGY_MINMAX, TRUE, expected);
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat (rgb[c], ==, expected[c]);
}

/* 0..98 and one value at 1e6. On a log density axis the bin holding the single far value is drawn
 * (its density 1 / (n · width) lies inside the axis's decades). */
static void
test_log_density (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = NULL;
  g_autoptr (NsPlot) plot = ns_plot_new ();
  double x_lo, x_hi, y_lo, y_hi, lo, hi, single;
  guint64 count;
  guint n_bins;

  values[N_VALUES - 1] = 1e6;
  data = ns_plot_data_new (values, N_VALUES, NULL);
  ns_plot_add_raw (plot, "raw data", data);
  g_assert_false (ns_plot_layout_is_log (plot));
  ns_plot_set_log_density (plot, TRUE);
  g_assert_true (ns_plot_layout_is_log (plot));
  ns_plot_get_panel_axes (plot, 800, 400, 0, &x_lo, &x_hi, &y_lo, &y_hi);
  n_bins = ns_plot_panel_get_n_bins (plot, 0);
  ns_plot_panel_get_bin (plot, 0, n_bins - 1, &lo, &hi, &count);
  g_assert_cmpuint (count, ==, 1);
  single = log10 (1.0 / (N_VALUES * (hi - lo)));
  g_assert_cmpfloat (y_lo, <=, single);
  g_assert_cmpfloat (y_hi, >, single);
  g_assert_cmpfloat (y_lo, ==, floor (y_lo));
  g_assert_cmpfloat (y_hi, ==, floor (y_hi));
  /* Q-Q mode has no log axis. */
  ns_plot_set_mode (plot, NS_PLOT_QQ);
  g_assert_false (ns_plot_layout_is_log (plot));
}

/* Q-Q zoomed to the 0-99th percentile leaves out the points above p = 0.99, so the one far value
 * (which the top point interpolates towards: 98 + 0.75 (1e6 - 98)) no longer sets the y axis. */
static void
test_qq_respects_range (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = NULL;
  g_autoptr (NsPlot) plot = ns_plot_new ();
  double x_lo, x_hi, y_lo, y_hi, top;
  guint first, last;

  values[N_VALUES - 1] = 1e6;
  data = ns_plot_data_new (values, N_VALUES, NULL);
  ns_plot_set_mode (plot, NS_PLOT_QQ);
  ns_plot_add_raw (plot, "raw data", data);
  ns_plot_get_qq_window (plot, &first, &last);
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (last, ==, NS_PLOT_QQ_POINTS - 1);
  ns_plot_panel_get_qq_point (plot, 0, last, NULL, &top);
  ns_plot_get_panel_axes (plot, 800, 400, 0, &x_lo, &x_hi, &y_lo, &y_hi);
  g_assert_cmpfloat (y_hi, >=, top);
  ns_plot_set_range (plot, NS_PLOT_RANGE_P0_P99);
  ns_plot_get_qq_window (plot, &first, &last);
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpfloat ((last + 0.5) / NS_PLOT_QQ_POINTS, <=, 0.99);
  g_assert_cmpfloat ((last + 1.5) / NS_PLOT_QQ_POINTS, >, 0.99);
  ns_plot_get_panel_axes (plot, 800, 400, 0, &x_lo, &x_hi, &y_lo, &y_hi);
  g_assert_cmpfloat (y_hi, <, 1000);
  g_assert_cmpfloat (x_hi, <, 3);
  ns_plot_set_range (plot, NS_PLOT_RANGE_P1_P99);
  ns_plot_get_qq_window (plot, &first, &last);
  g_assert_cmpfloat ((first + 0.5) / NS_PLOT_QQ_POINTS, >=, 0.01);
  g_assert_cmpfloat ((first - 0.5) / NS_PLOT_QQ_POINTS, <, 0.01);
}

static void
test_hit_test (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);
  g_autoptr (NsPlot) plot = ns_plot_new ();
  cairo_rectangle_t area;
  NsPlotHit hit;
  double x_lo, x_hi, y_lo, y_hi;
  g_autofree char *text = NULL;

  ns_plot_set_bins (plot, 10);
  ns_plot_add_raw (plot, "raw data", data);
  ns_plot_get_panel_area (plot, 800, 500, 0, &area);
  ns_plot_get_panel_axes (plot, 800, 500, 0, &x_lo, &x_hi, &y_lo, &y_hi);
  g_assert_true (ns_plot_hit_test (plot, 800, 500,
                                   area.x + (15 - x_lo) / (x_hi - x_lo) * area.width,
                                   area.y + area.height / 2, &hit));
  g_assert_cmpuint (hit.panel, ==, 0);
  g_assert_cmpuint (hit.bin, ==, 1);
  g_assert_cmpuint (hit.count, ==, 10);
  text = ns_plot_hit_describe (plot, &hit);
  g_assert_cmpstr (text, ==, "raw data: [9.9, 19.8): 10 values");
  g_assert_false (ns_plot_hit_test (plot, 800, 500, 1, 1, &hit));
}

/* 990 values spread over [0, 1) and 10 outliers at 100: a column with 1 % outliers. */
static NsPlotData *
make_outlier_column (void)
{
  g_autofree double *values = g_new (double, 1000);

  for (guint i = 0; i < 990; i++)
    values[i] = (i * 37 % 990) / 990.0;
  for (guint i = 990; i < 1000; i++)
    values[i] = 100;
  return ns_plot_data_new (values, 1000, NULL);
}

/* The share of the raw panel's plot area the bars cover in a 900x500 rendering. */
static double
render_bar_share (NsPlot *plot, const char *png)
{
  const int width = 900, height = 500;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  guint32 bar = bar_colour (NS_STRATEGY_NONE);
  cairo_rectangle_t area;
  guint64 covered = 0;

  ns_plot_draw (plot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_write_to_png (surface, png);
  g_assert_true (ns_plot_get_panel_area (plot, width, height, 0, &area));
  for (int py = (int) area.y; py < area.y + area.height; py++)
    for (int px = (int) area.x; px < area.x + area.width; px++)
      covered += pixel_at (surface, px, py) == bar;
  cairo_surface_destroy (surface);
  return covered / (area.width * area.height);
}

/* Drawn bins and the counts beyond the axis add up to every value. */
static void
assert_counts_add_up (NsPlot *plot, guint panel, guint64 left, guint64 right)
{
  double x_lo, x_hi, y_lo, y_hi, lo, hi;
  guint64 count, drawn = 0;

  ns_plot_get_panel_axes (plot, 900, 500, panel, &x_lo, &x_hi, &y_lo, &y_hi);
  for (guint b = 0; b < ns_plot_panel_get_n_bins (plot, panel); b++)
    {
      ns_plot_panel_get_bin (plot, panel, b, &lo, &hi, &count);
      if (lo >= x_lo && hi <= x_hi)
        drawn += count;
    }
  g_assert_cmpuint (drawn + left + right, ==, ns_plot_panel_get_count (plot, panel));
}

/* Hovering the count at the top right corner of the raw panel tells where those values lie. */
static void
assert_hit_beyond (NsPlot *plot)
{
  cairo_rectangle_t area;
  NsPlotHit hit;
  g_autofree char *text = NULL;

  g_assert_true (ns_plot_get_panel_area (plot, 900, 500, 0, &area));
  g_assert_true (ns_plot_hit_test (plot, 900, 500, area.x + area.width - 5, area.y + 5, &hit));
  g_assert_cmpuint (hit.bin, ==, NS_PLOT_HIT_BEYOND);
  g_assert_cmpuint (hit.count, ==, 10);
  text = ns_plot_hit_describe (plot, &hit);
  g_assert_true (g_str_has_prefix (text, "raw data: 10 values beyond the axis, in ["));
  g_assert_true (g_str_has_suffix (text, ", 100]"));
}

static void
test_render_zoomed_outliers (void)
{
  g_autoptr (NsPlotData) data = make_outlier_column ();
  g_autoptr (NsPlot) plot = ns_plot_new ();
  double full_share, zoomed_share, x_lo[2], x_hi[2], y_lo, y_hi;
  guint64 left, right;

  ns_plot_add_raw (plot, "raw data", data);
  ns_plot_add_affine (plot, "standard", data, 1.49, 9.9);
  ns_plot_add_affine (plot, "min-max", data, 0, 100);
  /* Every value on one axis: the bulk is a sliver at the left edge. */
  full_share = render_bar_share (plot, "test-plot-outliers-full.png");
  ns_plot_get_panel_outside (plot, 900, 500, 0, &left, &right);
  g_assert_cmpuint (left + right, ==, 0);
  g_assert_cmpfloat (full_share, <, 0.1);

  /* Zoomed to the 0-99th percentile with each panel's own axes: the bulk fills the panel and the
   * ten outliers are counted at the right edge of every panel. */
  ns_plot_set_range (plot, NS_PLOT_RANGE_P0_P99);
  ns_plot_set_shared_axes (plot, FALSE);
  zoomed_share = render_bar_share (plot, "test-plot-outliers-zoomed.png");
  g_assert_cmpfloat (zoomed_share, >, 0.25);
  g_assert_cmpfloat (zoomed_share, >, 10 * full_share);
  for (guint panel = 0; panel < 3; panel++)
    {
      ns_plot_get_panel_outside (plot, 900, 500, panel, &left, &right);
      g_assert_cmpuint (left, ==, 0);
      g_assert_cmpuint (right, ==, 10);
      assert_counts_add_up (plot, panel, left, right);
      g_assert_cmpuint (ns_plot_panel_get_n_bins (plot, panel), >, ns_plot_get_bins (plot));
    }
  for (guint i = 0; i < 2; i++)
    ns_plot_get_panel_axes (plot, 900, 500, i + 1, &x_lo[i], &x_hi[i], &y_lo, &y_hi);
  g_assert_cmpfloat (x_hi[0], !=, x_hi[1]);
  assert_hit_beyond (plot);

  /* Shared axes: the normalized panels show one range, and the counts still add up. */
  ns_plot_set_shared_axes (plot, TRUE);
  for (guint i = 0; i < 2; i++)
    ns_plot_get_panel_axes (plot, 900, 500, i + 1, &x_lo[i], &x_hi[i], &y_lo, &y_hi);
  g_assert_cmpfloat (x_lo[0], ==, x_lo[1]);
  g_assert_cmpfloat (x_hi[0], ==, x_hi[1]);
  for (guint panel = 0; panel < 3; panel++)
    {
      ns_plot_get_panel_outside (plot, 900, 500, panel, &left, &right);
      assert_counts_add_up (plot, panel, left, right);
    }
}

/* Outliers on both sides: the 1st-99th percentile zoom counts them at both edges. */
static void
test_zoom_both_sides (void)
{
  g_autofree double *values = g_new (double, 1000);
  g_autoptr (NsPlotData) data = NULL;
  g_autoptr (NsPlot) plot = ns_plot_new ();
  guint64 left, right;

  for (guint i = 0; i < 1000; i++)
    values[i] = i < 5 ? -100 : i < 10 ? 100 : (i * 37 % 990) / 990.0;
  data = ns_plot_data_new (values, 1000, NULL);
  ns_plot_add_raw (plot, "raw data", data);
  ns_plot_set_range (plot, NS_PLOT_RANGE_P1_P99);
  ns_plot_get_panel_outside (plot, 900, 500, 0, &left, &right);
  g_assert_cmpuint (left, >=, 5);
  g_assert_cmpuint (right, >=, 5);
  g_assert_cmpuint (left + right, <, 50);
  assert_counts_add_up (plot, 0, left, right);
  /* The 0-99th percentile keeps the low outliers on the axis. */
  ns_plot_set_range (plot, NS_PLOT_RANGE_P0_P99);
  ns_plot_get_panel_outside (plot, 900, 500, 0, &left, &right);
  g_assert_cmpuint (left, ==, 0);
  g_assert_cmpuint (right, >=, 5);
}

static void
test_range_from_string (void)
{
  NsPlotRange range;
  g_autoptr (GError) error = NULL;

  g_assert_true (ns_plot_range_from_string ("1-99", &range, NULL));
  g_assert_cmpint (range, ==, NS_PLOT_RANGE_P1_P99);
  g_assert_false (ns_plot_range_from_string ("most", &range, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
}

static void
check_magic (const char *path, const char *magic)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, strlen (magic), magic, strlen (magic));
}

static void
test_save_formats (void)
{
  g_autofree double *values = make_ramp ();
  g_autoptr (NsPlotData) data = ns_plot_data_new (values, N_VALUES, NULL);
  g_autoptr (NsPlot) plot = ns_plot_new ();
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *png = g_build_filename (dir, "fig.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "fig.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "fig.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "fig.png", NULL);
  g_autoptr (GError) error = NULL;
  cairo_surface_t *image;
  NsPlotFormat format;

  ns_plot_add_raw (plot, "raw data", data);
  ns_plot_add_affine (plot, "standard", data, 49.5, 28.866);
  ns_plot_set_mode (plot, NS_PLOT_QQ);
  g_assert_true (ns_plot_save (plot, png, NS_PLOT_FORMAT_PNG, 900, 400, &error));
  g_assert_no_error (error);
  g_assert_true (ns_plot_save (plot, svg, NS_PLOT_FORMAT_SVG, 900, 400, NULL));
  g_assert_true (ns_plot_save (plot, pdf, NS_PLOT_FORMAT_PDF, 900, 400, NULL));
  check_magic (png, "\x89PNG");
  check_magic (svg, "<?xml");
  check_magic (pdf, "%PDF");
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 900);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 400);
  cairo_surface_destroy (image);

  g_assert_false (ns_plot_save (plot, missing, NS_PLOT_FORMAT_PNG, 900, 400, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);
  g_assert_false (ns_plot_format_from_path ("fig.gif", &format, &error));
  g_assert_cmpstr (error->message, ==,
                   "fig.gif: unknown figure format: expected a name ending in .png, .svg or .pdf");
  g_assert_true (ns_plot_format_from_path ("FIG.SVG", &format, NULL));
  g_assert_cmpint (format, ==, NS_PLOT_FORMAT_SVG);
  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
}

int
main (int argc, char **argv)
{
  void (*fc_fini) (void);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/nice-ticks", test_nice_ticks);
  g_test_add_func ("/plot/bins-and-moments", test_bins_and_moments);
  g_test_add_func ("/plot/missing-and-infinite", test_missing_and_infinite_skipped);
  g_test_add_func ("/plot/qq-points", test_qq_points);
  g_test_add_func ("/plot/render-bar-heights", test_render_bar_heights);
  g_test_add_func ("/plot/hit-test", test_hit_test);
  g_test_add_func ("/plot/colour-follows-strategy", test_colour_follows_strategy);
  g_test_add_func ("/plot/log-density", test_log_density);
  g_test_add_func ("/plot/qq-respects-range", test_qq_respects_range);
  g_test_add_func ("/plot/render-zoomed-outliers", test_render_zoomed_outliers);
  g_test_add_func ("/plot/zoom-both-sides", test_zoom_both_sides);
  g_test_add_func ("/plot/range-from-string", test_range_from_string);
  g_test_add_func ("/plot/save-formats", test_save_formats);
  status = g_test_run ();
  /* cairo and fontconfig (loaded by cairo) keep caches until told: free them so LeakSanitizer
   * reports only real leaks. */
  cairo_debug_reset_static_data ();
  fc_fini = (void (*) (void)) dlsym (RTLD_DEFAULT, "FcFini");
  if (fc_fini != NULL)
    fc_fini ();
  return status;
}
