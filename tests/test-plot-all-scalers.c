/* test-plot-all-scalers.c: the all-scalers figure: its rows against scikit-learn and NumPy
 * (tests/gen-all-scalers-vectors.py), failed rows, point rasterization, labels that never overlap,
 * and PNG/SVG/PDF export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include "core/ns-all-scalers.h"
#include "core/ns-plot-points.h"
#include "core/ns-reader.h"
#include "test-utils.h"

static char *
fixture (const char *name)
{
  return g_build_filename (g_getenv ("NS_TEST_DATA"), "all-scalers", name, NULL);
}

static NsDataset *
load_housing (void)
{
  g_autofree char *path = fixture ("housing-like.csv");
  NsReadOptions options;
  g_autoptr (GError) error = NULL;
  NsDataset *data;

  ns_read_options_init (&options);
  data = ns_dataset_load (path, &options, NULL, &error);
  g_assert_no_error (error);
  return data;
}

static NsAllScalersPlot *
compute (const NsDataset *data, const char *color)
{
  g_autoptr (GError) error = NULL;
  NsAllScalersPlot *plot =
    ns_all_scalers_compute (data, "MedInc", "AveOccup", color, 0, NULL, &error);

  g_assert_no_error (error);
  return plot;
}

static void
assert_histogram (const NsAllScalersPlot *plot, guint row, NsAllScalersPanel panel, guint axis,
                  JsonObject *expected)
{
  JsonArray *counts = json_object_get_array_member (expected, "counts");
  guint n_bins;
  double lo, hi;
  const guint64 *actual =
    ns_all_scalers_plot_row_get_histogram (plot, row, panel, axis, &n_bins, &lo, &hi);

  g_assert_cmpuint (n_bins, ==, json_array_get_length (counts));
  ns_test_assert_close (lo, json_object_get_double_member (expected, "lo"), 1e-12, 1e-312, "value");
  ns_test_assert_close (hi, json_object_get_double_member (expected, "hi"), 1e-12, 1e-312, "value");
  for (guint b = 0; b < n_bins; b++)
    g_assert_cmpuint (actual[b], ==, json_array_get_int_element (counts, b));
}

static void
assert_row (const NsAllScalersPlot *plot, guint row, JsonObject *expected)
{
  JsonArray *cutoffs = json_object_get_array_member (expected, "cutoffs");
  JsonArray *beyond = json_object_get_array_member (expected, "beyond");
  NsAllScalersZoom zoom;

  g_assert_cmpstr (ns_all_scalers_plot_row_get_title (plot, row), ==,
                   json_object_get_string_member (expected, "title"));
  g_assert_null (ns_all_scalers_plot_row_get_error (plot, row));
  ns_all_scalers_plot_row_get_zoom (plot, row, &zoom);
  ns_test_assert_close (zoom.x_lo, json_array_get_double_element (cutoffs, 0), 1e-12, 1e-312,
                        "value");
  ns_test_assert_close (zoom.x_hi, json_array_get_double_element (cutoffs, 1), 1e-12, 1e-312,
                        "value");
  ns_test_assert_close (zoom.y_lo, json_array_get_double_element (cutoffs, 2), 1e-12, 1e-312,
                        "value");
  ns_test_assert_close (zoom.y_hi, json_array_get_double_element (cutoffs, 3), 1e-12, 1e-312,
                        "value");
  g_assert_cmpuint (zoom.kept, ==, json_object_get_int_member (expected, "kept"));
  for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
    g_assert_cmpuint (zoom.beyond[s], ==, json_array_get_int_element (beyond, s));
  for (guint axis = 0; axis < 2; axis++)
    {
      assert_histogram (plot, row, NS_ALL_SCALERS_FULL, axis,
                        json_array_get_object_element (json_object_get_array_member (expected,
                                                                                     "full"),
                                                       axis));
      assert_histogram (plot, row, NS_ALL_SCALERS_ZOOM, axis,
                        json_array_get_object_element (json_object_get_array_member (expected,
                                                                                     "zoom"),
                                                       axis));
    }
}

/* Every row as scikit-learn transforms the data and NumPy cuts and bins it. */
static void
test_rows_match_sklearn (void)
{
  g_autofree char *path = fixture ("expected.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_housing ();
  g_autoptr (NsAllScalersPlot) plot = compute (data, "MedHouseVal");
  JsonArray *rows;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  rows =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rows");
  g_assert_cmpuint (ns_all_scalers_plot_get_n_rows (plot), ==, ns_all_scalers_get_n_rows ());
  g_assert_cmpuint (json_array_get_length (rows), ==, ns_all_scalers_get_n_rows ());
  for (guint r = 0; r < json_array_get_length (rows); r++)
    assert_row (plot, r, json_array_get_object_element (rows, r));
}

static gboolean
boxes_overlap (const cairo_rectangle_t *a, const cairo_rectangle_t *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height &&
         b->y < a->y + a->height;
}

/* The box of every text a draw of plot at this size writes. */
static GArray *
get_text_boxes (NsAllScalersPlot *plot, double width, double height)
{
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
  cairo_t *cr = cairo_create (surface);
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));

  ns_plot_record_text_boxes (cr, boxes);
  ns_all_scalers_plot_draw (plot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return boxes;
}

/* No two labels overlap and none leaves the figure. */
static void
assert_text_readable (NsAllScalersPlot *plot, double width, double height, guint min_boxes)
{
  g_autoptr (GArray) boxes = get_text_boxes (plot, width, height);

  g_assert_cmpuint (boxes->len, >=, min_boxes);
  for (guint i = 0; i < boxes->len; i++)
    {
      const cairo_rectangle_t *a = &g_array_index (boxes, cairo_rectangle_t, i);

      g_assert_cmpfloat (a->x, >=, 0);
      g_assert_cmpfloat (a->y, >=, 0);
      g_assert_cmpfloat (a->x + a->width, <=, width);
      g_assert_cmpfloat (a->y + a->height, <=, height);
      for (guint j = i + 1; j < boxes->len; j++)
        if (boxes_overlap (a, &g_array_index (boxes, cairo_rectangle_t, j)))
          g_error ("at %gx%g, text box %u (%g,%g %gx%g) overlaps box %u", width, height, i, a->x,
                   a->y, a->width, a->height, j);
    }
}

/* A transformation that cannot be fitted becomes a row saying why; the rest are drawn. */
static void
test_failed_row (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (4);
  double x[] = { 1, 2, INFINITY, 4 }, y[] = { 4, 3, 2, 1 };
  g_autoptr (NsAllScalersPlot) plot = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) boxes = NULL;

  ns_dataset_add_numeric_column (data, "x", g_memdup2 (x, sizeof x));
  ns_dataset_add_numeric_column (data, "y", g_memdup2 (y, sizeof y));
  ns_dataset_count_missing (data);
  plot = ns_all_scalers_compute (data, "x", "y", NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ns_all_scalers_plot_row_get_error (plot, 0));
  g_assert_cmpuint (ns_all_scalers_plot_row_get_count (plot, 0), ==, 3);
  for (guint r = 1; r < ns_all_scalers_plot_get_n_rows (plot); r++)
    g_assert_nonnull (strstr (ns_all_scalers_plot_row_get_error (plot, r), "infinite"));
  boxes = get_text_boxes (plot, 1600, 3000);
  g_assert_cmpuint (boxes->len, >, ns_all_scalers_plot_get_n_rows (plot));
  assert_text_readable (plot, 1600, 3000, 5);
}

/* Three points: the strict mask keeps none (each is at a cut-off), and each side counts one. */
static void
test_empty_zoom (void)
{
  double x[] = { 1, 2, 3 }, y[] = { 3, 1, 2 };
  g_autoptr (NsAllScalersPlot) plot = ns_all_scalers_plot_new ("x", "y");
  NsAllScalersZoom zoom;

  ns_all_scalers_plot_add_row (plot, "Unscaled data", x, y, 3);
  ns_all_scalers_plot_row_get_zoom (plot, 0, &zoom);
  g_assert_cmpuint (zoom.kept, ==, 0);
  for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
    g_assert_cmpuint (zoom.beyond[s], ==, 1);
  assert_text_readable (plot, 1600, ns_all_scalers_plot_default_height (plot, 1600), 5);
}

/* A 0/1 column: its cut-offs are 0 and 1, the strict mask would keep no point, so the zoom keeps
 * both values (its x marginal holds the 0s in its first bin and the 1s in its last) and cuts only
 * the other coordinate. */
static void
test_two_valued_zoom (void)
{
  enum { N = 200 };
  double x[N], y[N];
  g_autoptr (NsAllScalersPlot) plot = ns_all_scalers_plot_new ("flag", "y");
  NsAllScalersZoom zoom;
  const guint64 *counts;
  guint n_bins;
  double lo, hi;

  for (guint i = 0; i < N; i++)
    x[i] = i % 5 < 2, y[i] = i;
  ns_all_scalers_plot_add_row (plot, "Unscaled data", x, y, N);
  ns_all_scalers_plot_row_get_zoom (plot, 0, &zoom);
  g_assert_true (zoom.whole[0]);
  g_assert_false (zoom.whole[1]);
  g_assert_cmpuint (zoom.beyond[NS_ALL_SCALERS_LEFT], ==, 0);
  g_assert_cmpuint (zoom.beyond[NS_ALL_SCALERS_RIGHT], ==, 0);
  /* y = 0 is at its lower cut-off, y = 198 and 199 at or above its upper one. */
  g_assert_cmpuint (zoom.beyond[NS_ALL_SCALERS_BOTTOM], ==, 1);
  g_assert_cmpuint (zoom.beyond[NS_ALL_SCALERS_TOP], ==, 2);
  g_assert_cmpuint (zoom.kept, ==, N - 3);
  counts =
    ns_all_scalers_plot_row_get_histogram (plot, 0, NS_ALL_SCALERS_ZOOM, 0, &n_bins, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 1);
  g_assert_cmpuint (counts[0] + counts[n_bins - 1], ==, N - 3);
  g_assert_cmpuint (counts[0], >, 0);
  g_assert_cmpuint (counts[n_bins - 1], >, 0);
  assert_text_readable (plot, 1600, ns_all_scalers_plot_default_height (plot, 1600), 5);
}

static void
test_refusals (void)
{
  g_autoptr (NsDataset) data = load_housing ();
  const char *cases[][3] = {
    { "MedInc", "nope", "no column named 'nope'" },
    { "region", "AveOccup", "column 'region' holds labels" },
    { "MedInc", "AveOccup", "no column named 'colour'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsAllScalersPlot) plot =
        ns_all_scalers_compute (data, cases[i][0], cases[i][1], i == 2 ? "colour" : NULL, 0, NULL,
                                &error);

      g_assert_null (plot);
      g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i][2]));
      g_assert_true (g_str_has_prefix (error->message, ns_dataset_get_source_path (data)));
    }
}

static void
test_cancel (void)
{
  g_autoptr (NsDataset) data = load_housing ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsAllScalersPlot) plot = NULL;

  g_cancellable_cancel (cancellable);
  plot = ns_all_scalers_compute (data, "MedInc", "AveOccup", NULL, 0, cancellable, &error);
  g_assert_null (plot);
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
}

static guint8
alpha_at (cairo_surface_t *surface, int x, int y)
{
  const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) +
                                          y * cairo_image_surface_get_stride (surface));

  return row[x] >> 24;
}

/* Two half-transparent discs drawn over each other cover 1 - 0.5^2 of their common pixels. */
static void
test_points_raster (void)
{
  double x[] = { 5.5, 5.5, 15.5 }, y[] = { 4.5, 4.5, 4.5 };
  NsPlotPoints points = { x, y, NULL, 3, 0, 20, 0, 10, 1.0, 0.5, { 0, 0, 0 }, FALSE };
  cairo_surface_t *surface = ns_plot_points_rasterize (&points, 20, 10);

  g_assert_cmpuint (alpha_at (surface, 5, 5), ==, (guint) (0.75 * 255 + 0.5));
  g_assert_cmpuint (alpha_at (surface, 6, 5), ==, (guint) (0.75 * 255 + 0.5));
  g_assert_cmpuint (alpha_at (surface, 15, 5), ==, (guint) (0.5 * 255 + 0.5));
  g_assert_cmpuint (alpha_at (surface, 10, 5), ==, 0);
  g_assert_cmpuint (alpha_at (surface, 5, 8), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_text_never_overlaps (void)
{
  g_autoptr (NsDataset) data = load_housing ();
  const char *colors[] = { NULL, "MedHouseVal", "region" };

  for (guint c = 0; c < G_N_ELEMENTS (colors); c++)
    {
      g_autoptr (NsAllScalersPlot) plot = compute (data, colors[c]);

      assert_text_readable (plot, 1600, ns_all_scalers_plot_default_height (plot, 1600), 100);
      assert_text_readable (plot, 1920, 1080, 100);
      assert_text_readable (plot, 1280, 720, 100);
      assert_text_readable (plot, 1024, ns_all_scalers_plot_default_height (plot, 1024), 100);
    }
}

/* The file's first bytes in each format, and the PNG's size as asked. */
static void
test_save_formats (void)
{
  g_autoptr (NsDataset) data = load_housing ();
  g_autoptr (NsAllScalersPlot) plot = compute (data, "region");
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  const char *names[] = { "fig.png", "fig.svg", "fig.pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr (GError) error = NULL;
      NsPlotFormat format;
      gsize length;

      g_assert_true (ns_plot_format_from_path (path, &format, NULL));
      g_assert_true (ns_all_scalers_plot_save (plot, path, format, 1600, 1500, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_true (g_str_has_prefix (contents, magic[i]));
      if (format == NS_PLOT_FORMAT_PNG)
        ns_test_assert_png_size (path, 1600, 1500);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/all-scalers/rows-match-sklearn", test_rows_match_sklearn);
  g_test_add_func ("/all-scalers/failed-row", test_failed_row);
  g_test_add_func ("/all-scalers/empty-zoom", test_empty_zoom);
  g_test_add_func ("/all-scalers/two-valued-zoom", test_two_valued_zoom);
  g_test_add_func ("/all-scalers/refusals", test_refusals);
  g_test_add_func ("/all-scalers/cancel", test_cancel);
  g_test_add_func ("/all-scalers/points-raster", test_points_raster);
  g_test_add_func ("/all-scalers/text-never-overlaps", test_text_never_overlaps);
  g_test_add_func ("/all-scalers/save-formats", test_save_formats);
  return g_test_run ();
}
