/* test-ui.c: widget tests under Xvfb: load a dataset into the window, switch Compare's
 * strategies, assert on the plot model, the column list and the test-file overlay.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include "core/ns-batchnorm.h"
#include "core/ns-demo.h"
#include "core/ns-reader.h"
#include "core/ns-scaler.h"
#include "core/ns-summary.h"
#include "ui/ns-plot-view.h"
#include "ui/ns-window.h"
#include "test-ui-helpers.h"
#include "test-utils.h"

static void
test_load_and_column_list (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsColumnList *list = ns_window_get_column_list (window);
  const NsLoadResult *data = ns_window_get_data (window);
  GListModel *rows = ns_column_list_get_model (list);
  guint n_columns = ns_dataset_get_n_columns (data->dataset);
  double best = -INFINITY;
  guint best_column = 0;

  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_columns);
  /* The first feature is selected after loading. */
  g_assert_cmpint (ns_column_list_get_selected (list), ==,
                   ns_dataset_get_feature_column (data->dataset, 0));
  for (guint c = 0; c < n_columns; c++)
    {
      const NsColumnSummary *s = &g_array_index (data->summary, NsColumnSummary, c);

      if (!s->is_label && s->mean > best)
        best = s->mean, best_column = c;
    }
  ns_column_list_sort_by (list, "Mean", TRUE);
  {
    /* Label rows have no mean ("—") and sort to one end; the numeric rows follow by mean. */
    guint first = 0;

    while (ns_dataset_column_is_label (data->dataset, ns_column_list_get_row_column (list, first)))
      first++;
    g_assert_cmpuint (ns_column_list_get_row_column (list, first), ==, best_column);
  }
  g_assert_cmpstr (ns_window_get_error (window), ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Counts the values of a column in [lo, hi) (the last bin: [lo, hi]) independently of the plot. */
static guint64
count_in (const NsDataset *data, guint column, double lo, double hi, gboolean last)
{
  const double *values = ns_dataset_get_values (data, column);
  guint64 count = 0;

  for (gsize i = 0; i < ns_dataset_get_n_samples (data); i++)
    count += values[i] >= lo && (values[i] < hi || (last && values[i] <= hi));
  return count;
}

static void
test_plot_model_and_strategies (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  const NsLoadResult *data = ns_window_get_data (window);
  NsPlot *plot = ns_comparison_view_get_plot (view);
  guint column = ns_dataset_get_feature_column (data->dataset, 1);
  const NsColumnSummary *summary = &g_array_index (data->summary, NsColumnSummary, column);
  guint n_bins;

  ns_column_list_select (ns_window_get_column_list (window), column);
  g_assert_cmpint (ns_comparison_view_get_column (view), ==, column);
  /* Default: raw data, standard, min-max, robust. */
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 4);
  g_assert_cmpstr (ns_plot_panel_get_label (plot, 1), ==, "standard (scikit-learn)");
  g_assert_cmpstr (ns_plot_panel_get_label (plot, 2), ==, "min-max");
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 0), summary->mean, 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_std (plot, 0),
                                  sqrt (summary->variance_population), 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 1), 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_std (plot, 1), 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 2),
                                  (summary->mean - summary->min) / (summary->max - summary->min),
                                  1e-12);

  /* Bin counts of the raw panel match a direct count with the plotted edges; every strategy's
   * histogram holds the same counts (affine maps keep bins). */
  n_bins = ns_plot_panel_get_n_bins (plot, 0);
  for (guint b = 0; b < n_bins; b++)
    {
      double lo, hi;
      guint64 raw, standard;

      ns_plot_panel_get_bin (plot, 0, b, &lo, &hi, &raw);
      ns_plot_panel_get_bin (plot, 1, b, NULL, NULL, &standard);
      if (b > 0 && b + 1 < n_bins) /* interior edges: away from float rounding at the ends */
        g_assert_cmpuint (raw, ==, count_in (data->dataset, column, lo, hi, FALSE));
      g_assert_cmpuint (raw, ==, standard);
    }

  /* Switch: min-max off, batch norm (inference) on, with batch size 16. */
  ns_comparison_view_set_batch_size (view, 16);
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_MINMAX, FALSE));
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_BN_INFERENCE, TRUE));
  ns_test_ui_wait_for_simulation (view);
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 4);
  g_assert_cmpstr (ns_plot_panel_get_label (plot, 3), ==, "batch norm, inference mode");
  {
    NsBatchNormOptions options;
    g_autoptr (NsBatchNorm) bn = NULL;
    guint feature = 1;
    double rm, rv;

    ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
    options.batch_size = 16;
    bn = ns_batchnorm_new (data->dataset, &options, NULL);
    g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
    rm = ns_batchnorm_get_value (bn, NS_SERIES_RUNNING_MEAN, feature);
    rv = ns_batchnorm_get_value (bn, NS_SERIES_RUNNING_VAR, feature);
    g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 3),
                                    (summary->mean - rm) / sqrt (rv + options.eps), 1e-12);
  }
  /* A fifth strategy is refused; Q-Q mode switches the plot. */
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_KERAS, TRUE));
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 5);
  g_assert_false (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_MAXABS, TRUE));
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 5);
  ns_comparison_view_set_qq (view, TRUE);
  g_assert_cmpint (ns_plot_get_mode (plot), ==, NS_PLOT_QQ);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_batchnorm_training_panel (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  NsPlot *plot = ns_comparison_view_get_plot (view);
  guint64 total = 0;

  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_BN_TRAIN, TRUE));
  ns_test_ui_wait_for_simulation (view);
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 5);
  g_assert_cmpstr (ns_plot_panel_get_label (plot, 4), ==, "batch norm, training mode");
  for (guint b = 0; b < ns_plot_panel_get_n_bins (plot, 4); b++)
    {
      guint64 count;

      ns_plot_panel_get_bin (plot, 4, b, NULL, NULL, &count);
      total += count;
    }
  g_assert_cmpuint (total, ==, 150);
  /* Each batch is standardized by its own statistics: the pooled mean is 0. */
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 4), 0, 1e-9);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_load_error_is_readable (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  NsWindow *window = ns_test_ui_new_window ();
  g_autoptr (GError) expected = NULL;
  NsReadOptions options;

  g_assert_true (g_file_set_contents (path, "a,b\n1,2\n3,abc\n", -1, NULL));
  ns_read_options_init (&options);
  g_assert_null (ns_dataset_load (path, &options, NULL, &expected));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (ns_test_ui_load_and_wait (window, path, FALSE));
  g_assert_cmpstr (ns_window_get_error (window), ==, expected->message);
  g_assert_true (g_str_has_prefix (ns_window_get_error (window), path));
  g_assert_null (ns_window_get_data (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The window reads a decimal-comma CSV with the core reader's decisions: every column numeric,
 * the same standard-scaler numbers; a number-like first value is the core's error. */
static void
test_load_decimal_comma (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "de.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "hex.csv", NULL);
  NsWindow *window = ns_test_ui_new_window ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) core = NULL;
  g_autoptr (NsStats) expected = NULL;
  const NsLoadResult *loaded;
  NsScalerOptions options;

  g_assert_true (g_file_set_contents (path, "a;b;c\n1,5;2,25;3\n2,5;-0,75;4\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "a,b\n0x1p3,2\n1,3\n", -1, NULL));
  core = ns_dataset_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  expected = ns_scaler_fit (core, &options, NULL, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ns_test_ui_load_and_wait (window, path, FALSE));
  loaded = ns_window_get_data (window);
  g_assert_cmpuint (ns_dataset_get_n_features (loaded->dataset), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpfloat (ns_stats_get_offset (loaded->stats[NS_METHOD_STANDARD], c), ==,
                         ns_stats_get_offset (expected, c));
      g_assert_cmpfloat (ns_stats_get_scale (loaded->stats[NS_METHOD_STANDARD], c), ==,
                         ns_stats_get_scale (expected, c));
    }
  g_assert_cmpfloat (ns_stats_get_offset (expected, 0), ==, 2);
  g_assert_false (ns_test_ui_load_and_wait (window, bad, FALSE));
  g_assert_nonnull (
    strstr (ns_window_get_error (window), ":2:1: expected a number in column 'a', found '0x1p3'"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A failed load keeps the last good data on screen, named in the title and under the error. */
static void
test_failed_load_keeps_last_data (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  const NsLoadResult *before = ns_window_get_data (window);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "iris.csv");
  g_assert_true (g_file_set_contents (path, "a,b\n1,2\n3,abc\n", -1, NULL));
  g_assert_false (ns_test_ui_load_and_wait (window, path, FALSE));
  g_assert_true (ns_window_get_data (window) == before);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "iris.csv");
  g_assert_true (g_str_has_prefix (ns_window_get_error (window), path));
  g_assert_true (g_str_has_suffix (ns_window_get_error (window),
                                   "Still showing iris.csv, the last file that loaded."));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Batch sizes stop at the row count: iris has 150 rows. */
static void
test_batch_size_capped_at_rows (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  NsBatchNormOptions options;

  ns_comparison_view_set_batch_size (view, 4096);
  ns_comparison_view_get_batchnorm_options (view, &options);
  g_assert_cmpuint (options.batch_size, ==, 150);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Compare opens zoomed to the 0-99th percentile with each panel on its own axes. */
static void
test_compare_default_view (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsPlot *plot = ns_comparison_view_get_plot (ns_window_get_comparison_view (window));

  g_assert_cmpint (ns_plot_get_range (plot), ==, NS_PLOT_RANGE_P0_P99);
  g_assert_false (ns_plot_get_shared_axes (plot));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_plot_view_renders (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  GtkWidget *plot_view = NULL;
  g_autoptr (GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width, height;
  g_autofree guint32 *pixels = NULL;
  gsize differing = 0;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (view)); w != NULL && !plot_view;
       w = gtk_widget_get_first_child (w))
    for (GtkWidget *c = w; c != NULL; c = gtk_widget_get_next_sibling (c))
      if (NS_IS_PLOT_VIEW (c))
        plot_view = c;
  g_assert_nonnull (plot_view);
  gtk_test_widget_wait_for_draw (plot_view);
  width = gtk_widget_get_width (plot_view);
  height = gtk_widget_get_height (plot_view);
  g_assert_cmpint (width, >, 300);
  g_assert_cmpint (height, >, 200);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (plot_view), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (plot_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Distribution plot");

  paintable = gtk_widget_paintable_new (plot_view);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture =
    gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (plot_view)), node,
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, "test-ui-plot.png");
  pixels = g_new (guint32, width * height);
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  for (int i = 0; i < width * height; i++)
    differing += (pixels[i] & 0xffffff) != (pixels[0] & 0xffffff);
  g_assert_cmpuint (differing, >, (gsize) width * height / 20);

  /* Hovering the middle of the first panel gives a bin read-out. */
  {
    cairo_rectangle_t area;

    g_assert_true (
      ns_plot_get_panel_area (ns_comparison_view_get_plot (view), width, height, 0, &area));
    ns_plot_view_hover (NS_PLOT_VIEW (plot_view), area.x + area.width / 2,
                        area.y + area.height / 2);
    g_assert_true (
      g_str_has_prefix (ns_plot_view_get_readout (NS_PLOT_VIEW (plot_view)), "raw data: ["));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_apply_to_test_file (void)
{
  g_autofree char *iris = NULL;
  NsWindow *window = ns_test_ui_window_with_iris (&iris);
  NsPlot *plot = ns_comparison_view_get_plot (ns_window_get_comparison_view (window));

  g_assert_true (ns_test_ui_load_and_wait (window, iris, TRUE));
  /* The training file's panels are unchanged by the overlay. */
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 4);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 1), 0, 1e-12);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A test file lacking two of iris's columns: the banner names them, the shown column's test mean
 * and std stand beside the training file's, a missing column says so, and the overlay can be
 * cleared. A file with none of the columns is refused with the banner. */
static void
test_apply_file_lacking_columns (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  const NsDataset *train = ns_window_get_data (window)->dataset;
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *partial = g_build_filename (dir, "partial.csv", NULL);
  g_autofree char *unrelated = g_build_filename (dir, "unrelated.csv", NULL);

  g_assert_true (
    g_file_set_contents (partial, "sepal_length_cm,sepal_width_cm\n5,3\n7,3.5\n", -1, NULL));
  g_assert_true (g_file_set_contents (unrelated, "a,b\n1,2\n3,4\n", -1, NULL));
  g_assert_true (ns_test_ui_load_and_wait (window, partial, TRUE));
  g_assert_nonnull (strstr (ns_window_get_error (window), "partial.csv lacks 2 of the open file's "
                                                          "numeric columns: petal_length_cm, "
                                                          "petal_width_cm"));
  ns_column_list_select (ns_window_get_column_list (window),
                         ns_dataset_find_column (train, "sepal_length_cm"));
  /* The test column is 5 and 7: mean 6, population std 1. */
  g_assert_true (g_str_has_prefix (ns_comparison_view_get_test_summary (view),
                                   "partial.csv: mean 6, std 1 (2 values); training file: mean "));
  ns_column_list_select (ns_window_get_column_list (window),
                         ns_dataset_find_column (train, "petal_length_cm"));
  g_assert_cmpstr (ns_comparison_view_get_test_summary (view), ==,
                   "partial.csv has no numeric column 'petal_length_cm': nothing to overlay here");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-test-file", NULL));
  g_assert_cmpstr (ns_comparison_view_get_test_summary (view), ==, "");

  g_assert_false (ns_test_ui_load_and_wait (window, unrelated, TRUE));
  g_assert_nonnull (strstr (ns_window_get_error (window), "unrelated.csv has none of the open "
                                                          "file's numeric columns"));
  g_assert_cmpstr (ns_comparison_view_get_test_summary (view), ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Exclude Column leaves a column out of the dataset and every fit, is remembered for the file in
 * the next window, and Include All Columns brings it back. */
static void
test_exclude_column (void)
{
  g_autofree char *iris = NULL;
  NsWindow *window = ns_test_ui_window_with_iris (&iris);
  const NsLoadResult *data;

  g_assert_true (
    gtk_widget_activate_action (GTK_WIDGET (window), "win.exclude-column", "s", "petal_width_cm"));
  ns_test_ui_wait_for_load (window);
  data = ns_window_get_data (window);
  g_assert_cmpuint (ns_dataset_get_n_features (data->dataset), ==, 3);
  g_assert_cmpint (ns_dataset_find_column (data->dataset, "petal_width_cm"), <, 0);
  g_assert_cmpuint (ns_stats_get_n_columns (data->stats[NS_METHOD_STANDARD]), ==, 3);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Not ns_test_ui_new_window (): that resets the settings. */
  window = ns_window_new (NULL);
  g_assert_true (ns_test_ui_load_and_wait (window, iris, FALSE));
  data = ns_window_get_data (window);
  g_assert_cmpuint (ns_dataset_get_n_features (data->dataset), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.include-all-columns", NULL));
  ns_test_ui_wait_for_load (window);
  g_assert_cmpuint (ns_dataset_get_n_features (ns_window_get_data (window)->dataset), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Wine's cultivar is suggested for exclusion, not excluded, until the suggestion is accepted. */
static void
test_class_column_suggestion (void)
{
  g_autofree char *wine = ns_demo_find_sample_file ("wine");
  NsWindow *window = ns_test_ui_new_window ();
  GtkWidget *exclude;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ns_test_ui_load_and_wait (window, wine, FALSE));
  g_assert_cmpint (ns_dataset_find_column (ns_window_get_data (window)->dataset, "cultivar"), >=,
                   0);
  g_assert_null (ns_column_list_get_suggestion (ns_window_get_column_list (window), "alcohol"));
  exclude = ns_column_list_get_suggestion (ns_window_get_column_list (window), "cultivar");
  g_assert_nonnull (exclude);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (exclude))));
  gtk_widget_activate (exclude);
  ns_test_ui_wait_for_load (window);
  g_assert_cmpint (ns_dataset_find_column (ns_window_get_data (window)->dataset, "cultivar"), <, 0);
  g_assert_null (ns_column_list_get_suggestion (ns_window_get_column_list (window), "cultivar"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An (N, C, H, W) .npy is read channels-last by default (the CLI's --axis -1); the Compare page
 * shows its shape and lets the user read it along axis 1 (three channels) instead. */
static void
test_tensor_feature_axis (void)
{
  g_autofree char *path = ns_test_data_path ("npy", "image-nchw-f8.npy");
  NsWindow *window = ns_test_ui_new_window ();
  const NsDataset *data;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ns_test_ui_load_and_wait (window, path, FALSE));
  data = ns_window_get_data (window)->dataset;
  g_assert_cmpuint (ns_dataset_get_rank (data), ==, 4);
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, ns_dataset_get_shape (data)[3]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.feature-axis", "s", "1"));
  ns_test_ui_wait_for_load (window);
  data = ns_window_get_data (window)->dataset;
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, ns_dataset_get_shape (data)[1]);
  g_assert_cmpuint (ns_dataset_get_kept_axes (data)[0], ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.feature-axis", "s", "none"));
  ns_test_ui_wait_for_load (window);
  g_assert_cmpuint (ns_dataset_get_n_features (ns_window_get_data (window)->dataset), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/load-and-column-list", test_load_and_column_list);
  g_test_add_func ("/ui/plot-model-and-strategies", test_plot_model_and_strategies);
  g_test_add_func ("/ui/batchnorm-training-panel", test_batchnorm_training_panel);
  g_test_add_func ("/ui/load-error-is-readable", test_load_error_is_readable);
  g_test_add_func ("/ui/load-decimal-comma", test_load_decimal_comma);
  g_test_add_func ("/ui/failed-load-keeps-last-data", test_failed_load_keeps_last_data);
  g_test_add_func ("/ui/batch-size-capped-at-rows", test_batch_size_capped_at_rows);
  g_test_add_func ("/ui/compare-default-view", test_compare_default_view);
  g_test_add_func ("/ui/plot-view-renders", test_plot_view_renders);
  g_test_add_func ("/ui/apply-to-test-file", test_apply_to_test_file);
  g_test_add_func ("/ui/apply-file-lacking-columns", test_apply_file_lacking_columns);
  g_test_add_func ("/ui/exclude-column", test_exclude_column);
  g_test_add_func ("/ui/class-column-suggestion", test_class_column_suggestion);
  g_test_add_func ("/ui/tensor-feature-axis", test_tensor_feature_axis);
  return g_test_run ();
}
