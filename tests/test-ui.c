/* test-ui.c: widget tests under Xvfb: load a dataset, switch strategies, assert on the plot model.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "core/ns-batchnorm.h"
#include "core/ns-demo.h"
#include "core/ns-figure-preset.h"
#include "core/ns-overview-notes.h"
#include "core/ns-reader.h"
#include "core/ns-scaler.h"
#include "core/ns-summary.h"
#include "ui/ns-plot-view.h"
#include "ui/ns-settings.h"
#include "ui/ns-figure-export-dialog.h"
#include "ui/ns-presentation.h"
#include "ui/ns-window.h"

typedef struct {
  gboolean done;
  gboolean success;
} LoadState;

static void
on_loaded (NsWindow *window, gboolean success, LoadState *state)
{
  state->done = TRUE;
  state->success = success;
}

static gboolean
load_and_wait (NsWindow *window, const char *path, gboolean test_file)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  LoadState state = { FALSE, FALSE };
  gulong handler = g_signal_connect (window, "loaded", G_CALLBACK (on_loaded), &state);

  if (test_file)
    ns_window_open_test_file (window, file);
  else
    ns_window_open (window, file);
  g_assert_true (ns_window_is_loading (window));
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (window, handler);
  g_assert_false (ns_window_is_loading (window));
  return state.success;
}

/* A window with the settings as a first run has them: tests do not inherit each other's choices
 * (GSETTINGS_BACKEND=memory lasts the whole test program). */
static NsWindow *
new_window (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  return ns_window_new (NULL);
}

/* Batch norm is simulated in a worker: its panels appear when it is done. */
static void
wait_for_simulation (NsComparisonView *view)
{
  while (ns_comparison_view_is_simulating (view))
    g_main_context_iteration (NULL, TRUE);
}

static NsWindow *
window_with_iris (char **path_out)
{
  g_autofree char *path = ns_demo_find_sample_file ("iris");
  NsWindow *window = new_window ();

  g_assert_nonnull (path);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (load_and_wait (window, path, FALSE));
  if (path_out)
    *path_out = g_steal_pointer (&path);
  return window;
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
test_load_and_column_list (void)
{
  NsWindow *window = window_with_iris (NULL);
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

static void
test_plot_model_and_strategies (void)
{
  NsWindow *window = window_with_iris (NULL);
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
  wait_for_simulation (view);
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
  NsWindow *window = window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  NsPlot *plot = ns_comparison_view_get_plot (view);
  guint64 total = 0;

  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_BN_TRAIN, TRUE));
  wait_for_simulation (view);
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
  g_autofree char *dir = g_dir_make_tmp ("test-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  NsWindow *window = new_window ();
  g_autoptr (GError) expected = NULL;
  NsReadOptions options;

  g_assert_true (g_file_set_contents (path, "a,b\n1,2\n3,abc\n", -1, NULL));
  ns_read_options_init (&options);
  g_assert_null (ns_dataset_load (path, &options, NULL, &expected));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (load_and_wait (window, path, FALSE));
  g_assert_cmpstr (ns_window_get_error (window), ==, expected->message);
  g_assert_true (g_str_has_prefix (ns_window_get_error (window), path));
  g_assert_null (ns_window_get_data (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* The window reads a decimal-comma CSV with the core reader's decisions: every column numeric,
 * the same standard-scaler numbers; a number-like first value is the core's error. */
static void
test_load_decimal_comma (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "de.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "hex.csv", NULL);
  NsWindow *window = new_window ();
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
  g_assert_true (load_and_wait (window, path, FALSE));
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
  g_assert_false (load_and_wait (window, bad, FALSE));
  g_assert_nonnull (
    strstr (ns_window_get_error (window), ":2:1: expected a number in column 'a', found '0x1p3'"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_unlink (bad);
  g_rmdir (dir);
}

/* A failed load keeps the last good data on screen, named in the title and under the error. */
static void
test_failed_load_keeps_last_data (void)
{
  NsWindow *window = window_with_iris (NULL);
  const NsLoadResult *before = ns_window_get_data (window);
  g_autofree char *dir = g_dir_make_tmp ("test-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "iris.csv");
  g_assert_true (g_file_set_contents (path, "a,b\n1,2\n3,abc\n", -1, NULL));
  g_assert_false (load_and_wait (window, path, FALSE));
  g_assert_true (ns_window_get_data (window) == before);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "iris.csv");
  g_assert_true (g_str_has_prefix (ns_window_get_error (window), path));
  g_assert_true (g_str_has_suffix (ns_window_get_error (window),
                                   "Still showing iris.csv, the last file that loaded."));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* Compare opens zoomed to the 0-99th percentile with each panel on its own axes. */
static void
test_compare_default_view (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsPlot *plot = ns_comparison_view_get_plot (ns_window_get_comparison_view (window));

  g_assert_cmpint (ns_plot_get_range (plot), ==, NS_PLOT_RANGE_P0_P99);
  g_assert_false (ns_plot_get_shared_axes (plot));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Batch sizes stop at the row count: iris has 150 rows. */
static void
test_batch_size_capped_at_rows (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  NsBatchNormOptions options;

  ns_comparison_view_set_batch_size (view, 4096);
  ns_comparison_view_get_batchnorm_options (view, &options);
  g_assert_cmpuint (options.batch_size, ==, 150);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The shortcuts window names a key for every shortcut a lecture needs. */
static void
test_shortcuts_window_lists_keys (void)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/normscope/Normscope/gtk/help-overlay.ui");
  g_autoptr (GSList) objects = gtk_builder_get_objects (builder);
  const char *wanted[] = { "<Control>o",      "<Control>t", "<Control>e", "<Shift><Control>e",
                           "<Control><Alt>q", "F10",        "F11",        "Escape" };
  guint found = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      guint key;
      GdkModifierType mods;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, NULL);
      if (accelerator == NULL || accelerator[0] == '\0')
        continue;
      g_assert_true (gtk_accelerator_parse (accelerator, &key, &mods));
      for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
        found += g_strcmp0 (accelerator, wanted[i]) == 0;
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (wanted));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static void
test_export_panel_json (void)
{
  g_autofree char *iris = NULL;
  NsWindow *window = window_with_iris (&iris);
  NsExportPanel *panel = ns_window_get_export_panel (window);
  g_autofree char *dir = g_dir_make_tmp ("test-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stats.json", NULL);
  g_autoptr (NsStats) saved = NULL;
  g_autoptr (NsStats) expected = NULL;
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;
  g_autofree char *code = NULL;

  ns_export_panel_set_strategy (panel, NS_METHOD_ROBUST);
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON);
  ns_export_panel_set_path (panel, path);
  g_assert_true (ns_export_panel_export (panel, &error));
  g_assert_no_error (error);
  saved = ns_stats_load (path, &error);
  g_assert_no_error (error);
  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  expected = ns_scaler_fit (ns_window_get_data (window)->dataset, &options, NULL, NULL);
  g_assert_cmpstr (ns_stats_get_method (saved), ==, ns_stats_get_method (expected));
  g_assert_cmpuint (ns_stats_get_n_columns (saved), ==, ns_stats_get_n_columns (expected));
  for (guint c = 0; c < ns_stats_get_n_columns (saved); c++)
    {
      g_assert_cmpfloat (ns_stats_get_offset (saved, c), ==, ns_stats_get_offset (expected, c));
      g_assert_cmpfloat (ns_stats_get_scale (saved, c), ==, ns_stats_get_scale (expected, c));
    }
  code = ns_export_panel_copy_code (panel, NS_EXPORT_SKLEARN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (code, "RobustScaler"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* The output file's extension follows the format; a name that contradicts it is refused. */
static void
test_export_extension_follows_format (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsExportPanel *panel = ns_window_get_export_panel (window);
  g_autofree char *dir = g_dir_make_tmp ("test-ui-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "stats.json", NULL);
  g_autofree char *npz = g_build_filename (dir, "stats.npz", NULL);
  g_autoptr (GError) error = NULL;

  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON);
  ns_export_panel_set_path (panel, json);
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_NPZ);
  g_assert_true (ns_export_panel_export (panel, &error));
  g_assert_true (g_file_test (npz, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  ns_export_panel_set_path (panel, json);
  g_assert_false (ns_export_panel_export (panel, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (npz);
  g_rmdir (dir);
}

static void
test_plot_view_renders (void)
{
  NsWindow *window = window_with_iris (NULL);
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
  NsWindow *window = window_with_iris (&iris);
  NsPlot *plot = ns_comparison_view_get_plot (ns_window_get_comparison_view (window));

  g_assert_true (load_and_wait (window, iris, TRUE));
  /* The training file's panels are unchanged by the overlay. */
  g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 4);
  g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot, 1), 0, 1e-12);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Uninstalled, the app finds its schema in the build tree, with every key another part reads. */
static void
test_settings_schema (void)
{
  static const struct {
    const char *key, *type;
  } keys[] = {
    { "window-width", "i" }, { "window-height", "i" },      { "window-maximized", "b" },
    { "strategies", "as" },  { "presentation-scale", "d" }, { "excluded-columns", "a{sas}" },
    { "color-scheme", "s" },
  };
  g_autoptr (GSettings) settings = ns_settings_new ();
  g_autoptr (GSettingsSchema) schema = NULL;

  g_assert_nonnull (settings);
  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr (GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i].key);

      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (key)), ==,
                       keys[i].type);
    }
  {
    /* The defaults (earlier tests' windows have saved their sizes by now). */
    g_autoptr (GSettingsSchemaKey) width = g_settings_schema_get_key (schema, "window-width");
    g_autoptr (GVariant) fallback = g_settings_schema_key_get_default_value (width);

    g_assert_cmpint (g_variant_get_int32 (fallback), ==, 0);
  }
  {
    g_autoptr (GSettingsSchemaKey) key = g_settings_schema_get_key (schema, "color-scheme");
    g_autoptr (GVariant) fallback = g_settings_schema_key_get_default_value (key);

    g_assert_cmpstr (g_variant_get_string (fallback, NULL), ==, "default");
  }
  {
    g_autoptr (GSettingsSchemaKey) scheme = g_settings_schema_get_key (schema, "color-scheme");
    g_autoptr (GVariant) dark = g_variant_ref_sink (g_variant_new_string ("dark"));
    g_autoptr (GVariant) purple = g_variant_ref_sink (g_variant_new_string ("purple"));

    g_assert_true (g_settings_schema_key_range_check (scheme, dark));
    g_assert_false (g_settings_schema_key_range_check (scheme, purple));
  }
}

/* A test file lacking two of iris's columns: the banner names them, the shown column's test mean
 * and std stand beside the training file's, a missing column says so, and the overlay can be
 * cleared. A file with none of the columns is refused with the banner. */
static void
test_apply_file_lacking_columns (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  const NsDataset *train = ns_window_get_data (window)->dataset;
  g_autofree char *dir = g_dir_make_tmp ("ns-apply-XXXXXX", NULL);
  g_autofree char *partial = g_build_filename (dir, "partial.csv", NULL);
  g_autofree char *unrelated = g_build_filename (dir, "unrelated.csv", NULL);

  g_assert_true (
    g_file_set_contents (partial, "sepal_length_cm,sepal_width_cm\n5,3\n7,3.5\n", -1, NULL));
  g_assert_true (g_file_set_contents (unrelated, "a,b\n1,2\n3,4\n", -1, NULL));
  g_assert_true (load_and_wait (window, partial, TRUE));
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

  g_assert_false (load_and_wait (window, unrelated, TRUE));
  g_assert_nonnull (strstr (ns_window_get_error (window), "unrelated.csv has none of the open "
                                                          "file's numeric columns"));
  g_assert_cmpstr (ns_comparison_view_get_test_summary (view), ==, "");
  g_remove (partial);
  g_remove (unrelated);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The overview measures every feature off the main thread, then shows raw data and the chosen
 * scalers; its notes are core's for the same data and strategy. */
/* Columns 3 and 4 (batch norm in training and inference mode) against core's notes. */
static void
check_batchnorm_notes (NsOverviewView *overview, NsComparisonView *view, const NsLoadResult *data,
                       GArray *shapes)
{
  gsize n = ns_dataset_get_n_samples (data->dataset);
  g_autofree double *out = g_new (double, n);
  g_autoptr (NsBatchNorm) batchnorm = NULL;
  g_autoptr (NsStats) stats = NULL;
  NsBatchNormOptions options;

  ns_comparison_view_get_batchnorm_options (view, &options);
  options.record_history = FALSE;
  options.averages = NS_AVERAGE_EMA;
  batchnorm = ns_batchnorm_new (data->dataset, &options, NULL);
  g_assert_true (ns_batchnorm_run (batchnorm, NULL, NULL, NULL, NULL));
  stats = ns_batchnorm_to_stats (batchnorm);
  for (guint f = 0; f < shapes->len; f++)
    {
      const NsFeatureShape *shape = &g_array_index (shapes, NsFeatureShape, f);
      g_autofree char *training = NULL, *inference = NULL;

      ns_batchnorm_training_output (batchnorm, f, out);
      training = ns_overview_batch_note (shape, options.batch_size, out, n);
      inference = ns_overview_note (shape, NS_STRATEGY_BN_INFERENCE, ns_stats_get_offset (stats, f),
                                    ns_stats_get_scale (stats, f));
      g_assert_cmpstr (ns_overview_view_get_note (overview, f, 3), ==, training);
      g_assert_cmpstr (ns_overview_view_get_note (overview, f, 4), ==, inference);
    }
}

static void
test_overview_grid (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsOverviewView *overview = ns_window_get_overview_view (window);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  const NsLoadResult *data = ns_window_get_data (window);
  g_autoptr (GArray) shapes =
    ns_feature_shapes_compute (data->dataset, data->summary, 1, NULL, NULL);
  NsStats *minmax = data->stats[NS_METHOD_MINMAX];
  g_autofree char *expected = NULL;

  while (!ns_overview_view_is_ready (overview))
    g_main_context_iteration (NULL, TRUE);
  /* raw data, standard, min-max, robust */
  g_assert_cmpuint (ns_overview_view_get_n_columns (overview), ==, 4);
  for (guint f = 0; f < shapes->len; f++)
    {
      const NsFeatureShape *shape = &g_array_index (shapes, NsFeatureShape, f);
      g_autofree char *described = ns_feature_shape_describe (shape);

      g_free (expected);
      expected = ns_overview_note (shape, NS_STRATEGY_MINMAX, ns_stats_get_offset (minmax, f),
                                   ns_stats_get_scale (minmax, f));
      g_assert_cmpstr (ns_overview_view_get_note (overview, f, 0), ==, described);
      g_assert_cmpstr (ns_overview_view_get_note (overview, f, 2), ==, expected);
    }
  /* Batch norm's two modes get a column each, their notes from core's simulation of every
   * feature with the Compare page's options. */
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_ROBUST, FALSE));
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_BN_TRAIN, TRUE));
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_BN_INFERENCE, TRUE));
  wait_for_simulation (view);
  while (!ns_overview_view_is_ready (overview))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ns_overview_view_get_n_columns (overview), ==, 5);
  check_batchnorm_notes (overview, view, data, shapes);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* F11 (win.presentation) on Compare: the sidebar goes, the window gets the presentation style and
 * the figure's text its scale; Ctrl+plus scales up; Escape (win.cancel-load) comes back. The same
 * on Batch Norm, whose own button follows. */
static void
test_presentation_every_page (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsPlot *plot = ns_comparison_view_get_plot (ns_window_get_comparison_view (window));
  GtkWidget *sidebar = GTK_WIDGET (ns_window_get_column_list (window));
  NsBatchNormView *batchnorm = ns_window_get_batchnorm_view (window);

  g_assert_true (gtk_widget_get_visible (sidebar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_true (ns_window_get_presenting (window));
  g_assert_false (gtk_widget_get_visible (sidebar));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_cmpfloat (ns_plot_get_font_scale (plot), ==, NS_PRESENTATION_DEFAULT_SCALE);
  g_assert_cmpfloat (ns_overview_view_get_text_scale (ns_window_get_overview_view (window)), ==,
                     NS_PRESENTATION_DEFAULT_SCALE);
  g_assert_cmpfloat (ns_all_scalers_view_get_text_scale (ns_window_get_all_scalers_view (window)),
                     ==, NS_PRESENTATION_DEFAULT_SCALE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-scale", "d", 0.2));
  g_assert_cmpfloat_with_epsilon (ns_plot_get_font_scale (plot),
                                  NS_PRESENTATION_DEFAULT_SCALE + 0.2, 1e-12);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_false (ns_window_get_presenting (window));
  g_assert_true (gtk_widget_get_visible (sidebar));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_cmpfloat (ns_plot_get_font_scale (plot), ==, 1);
  g_assert_cmpfloat (ns_overview_view_get_text_scale (ns_window_get_overview_view (window)), ==, 1);
  g_assert_cmpfloat (ns_all_scalers_view_get_text_scale (ns_window_get_all_scalers_view (window)),
                     ==, 1);

  /* Batch Norm's button and the window agree, whichever starts it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_true (ns_batchnorm_view_get_presentation (batchnorm));
  ns_batchnorm_view_set_presentation (batchnorm, FALSE);
  g_assert_false (ns_window_get_presenting (window));
  ns_batchnorm_view_set_presentation (batchnorm, TRUE);
  g_assert_true (ns_window_get_presenting (window));
  g_assert_false (gtk_widget_get_visible (sidebar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_false (ns_batchnorm_view_get_presentation (batchnorm));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The header comes back while the pointer is at the top edge, and goes when it moves down. */
static void
test_presentation_reveal (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_label_new ("header");
  GtkWidget *banner = gtk_label_new ("banner");
  g_autoptr (NsPresentation) presentation = NULL;

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), banner);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("content"));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  presentation = ns_presentation_new (GTK_WINDOW (window), header, NULL, NULL);
  ns_presentation_add_hidden (presentation, banner);
  ns_presentation_set_active (presentation, TRUE);
  g_assert_false (ns_presentation_header_revealed (presentation));
  g_assert_false (gtk_widget_get_visible (banner));
  ns_presentation_pointer_at (presentation, 300, 2);
  g_assert_true (ns_presentation_header_revealed (presentation));
  ns_presentation_pointer_at (presentation, 300, 400);
  g_assert_false (ns_presentation_header_revealed (presentation));
  ns_presentation_set_scale (presentation, 9);
  g_assert_cmpfloat (ns_presentation_get_scale (presentation), ==, NS_PRESENTATION_MAX_SCALE);
  ns_presentation_set_active (presentation, FALSE);
  g_assert_true (ns_presentation_header_revealed (presentation));
  g_assert_true (gtk_widget_get_visible (banner));
  g_clear_pointer (&presentation, ns_presentation_free);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
save_compare (const char *path, double width, double height, double font_scale, gpointer data,
              GError **error)
{
  return ns_comparison_view_save_figure_sized (data, path, width, height, font_scale, error);
}

static void
assert_png_size (const char *path, int width, int height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  cairo_surface_destroy (png);
}

/* The export dialog offers core's presets (16:9 slide first chosen) and a custom size; the page's
 * figure is saved at that size with its text scale, the shown figure keeping its own. Batch Norm
 * exports its chosen figure the same way. */
static void
test_figure_export_presets (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  g_autofree char *dir = g_dir_make_tmp ("ns-figure-XXXXXX", NULL);
  g_autofree char *slide = g_build_filename (dir, "slide.png", NULL);
  g_autofree char *custom = g_build_filename (dir, "custom.png", NULL);
  g_autofree char *bn = g_build_filename (dir, "bn.png", NULL);
  GtkWidget *dialog = ns_figure_export_dialog_new (GTK_WINDOW (window), "x", save_compare, view);
  double width, height, scale;

  ns_figure_export_dialog_get_size (NS_FIGURE_EXPORT_DIALOG (dialog), &width, &height, &scale);
  g_assert_cmpfloat (width, ==, 1920);
  g_assert_cmpfloat (height, ==, 1080);
  g_assert_cmpfloat (scale, ==, ns_figure_preset_from_id ("slide-16-9", NULL)->font_scale);
  g_object_ref (dialog);
  g_assert_true (ns_figure_export_dialog_save_to (NS_FIGURE_EXPORT_DIALOG (dialog), slide));
  assert_png_size (slide, 1920, 1080);
  g_assert_cmpfloat (ns_plot_get_font_scale (ns_comparison_view_get_plot (view)), ==, 1);
  ns_figure_export_dialog_set_preset (NS_FIGURE_EXPORT_DIALOG (dialog), ns_figure_preset_count ());
  g_assert_false (
    ns_figure_export_dialog_save_to (NS_FIGURE_EXPORT_DIALOG (dialog), "/nonexistent-dir/x.png"));
  g_assert_nonnull (strstr (ns_figure_export_dialog_get_message (NS_FIGURE_EXPORT_DIALOG (dialog)),
                            "/nonexistent-dir/x.png"));
  g_assert_true (ns_figure_export_dialog_save_to (NS_FIGURE_EXPORT_DIALOG (dialog), custom));
  assert_png_size (custom, 1920, 1080);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);

  ns_batchnorm_view_wait (ns_window_get_batchnorm_view (window));
  g_assert_true (ns_batchnorm_view_export_figure_sized (ns_window_get_batchnorm_view (window),
                                                        NS_BATCHNORM_FIGURE_RUNNING, bn, 1600, 1200,
                                                        2, NULL));
  assert_png_size (bn, 1600, 1200);
  /* No figure on the Overview page: a toast says where figures come from, nothing breaks. */
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (ns_window_get_overview_view (window)),
                                             ADW_TYPE_VIEW_STACK)),
    "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL));
  g_remove (slide);
  g_remove (custom);
  g_remove (bn);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The compared strategies, the presentation text scale and the window's size come back in the
 * next window. */
static void
test_settings_remembered (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_auto (GStrv) saved = NULL;
  NsStrategy active[NS_N_COMPARED_STRATEGIES];
  const char *expected[] = { "standard", "keras", "minmax", NULL };

  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_ROBUST, FALSE));
  g_assert_true (ns_comparison_view_set_strategy_active (view, NS_STRATEGY_KERAS, TRUE));
  saved = g_settings_get_strv (settings, "strategies");
  g_assert_true (g_strv_equal ((const char *const *) saved, expected));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.text-scale", "d", 0.4));
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "presentation-scale"), 2.0,
                                  1e-12);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* Not new_window (): that resets them. */
  window = ns_window_new (NULL);
  view = ns_window_get_comparison_view (window);
  g_assert_cmpuint (ns_comparison_view_get_active_strategies (view, active), ==, 3);
  g_assert_cmpint (active[0], ==, NS_STRATEGY_STANDARD);
  g_assert_cmpint (active[1], ==, NS_STRATEGY_KERAS);
  g_assert_cmpint (active[2], ==, NS_STRATEGY_MINMAX);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_cmpfloat_with_epsilon (ns_plot_get_font_scale (ns_comparison_view_get_plot (view)), 2.0,
                                  1e-12);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Batch size, preset, momentum and feature are one state: set on either page, both show it. */
static void
test_shared_batchnorm_settings (void)
{
  NsWindow *window = window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  NsBatchNormView *batchnorm = ns_window_get_batchnorm_view (window);
  const NsDataset *dataset = ns_window_get_data (window)->dataset;
  NsBatchNormOptions compare, explorer;

  ns_batchnorm_view_set_batch_size (batchnorm, 16);
  ns_comparison_view_get_batchnorm_options (view, &compare);
  g_assert_cmpuint (compare.batch_size, ==, 16);
  ns_comparison_view_set_preset (view, NS_BATCHNORM_KERAS);
  ns_comparison_view_set_momentum (view, 0.95);
  ns_batchnorm_view_get_options (batchnorm, &explorer);
  g_assert_cmpint (explorer.preset, ==, NS_BATCHNORM_KERAS);
  g_assert_cmpfloat (explorer.momentum, ==, 0.95);
  g_assert_cmpuint (explorer.batch_size, ==, 16);
  ns_batchnorm_view_set_feature (batchnorm, 2);
  g_assert_cmpint (ns_comparison_view_get_column (view), ==,
                   (int) ns_dataset_get_feature_column (dataset, 2));
  ns_column_list_select (ns_window_get_column_list (window),
                         ns_dataset_get_feature_column (dataset, 3));
  g_assert_cmpuint (ns_batchnorm_view_get_feature (batchnorm), ==, 3);
  ns_batchnorm_view_wait (batchnorm);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
wait_for_load (NsWindow *window)
{
  LoadState state = { FALSE, FALSE };
  gulong handler = g_signal_connect (window, "loaded", G_CALLBACK (on_loaded), &state);

  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (window, handler);
  g_assert_true (state.success);
}

/* Exclude Column leaves a column out of the dataset and every fit, is remembered for the file in
 * the next window, and Include All Columns brings it back. */
static void
test_exclude_column (void)
{
  g_autofree char *iris = NULL;
  NsWindow *window = window_with_iris (&iris);
  const NsLoadResult *data;

  g_assert_true (
    gtk_widget_activate_action (GTK_WIDGET (window), "win.exclude-column", "s", "petal_width_cm"));
  wait_for_load (window);
  data = ns_window_get_data (window);
  g_assert_cmpuint (ns_dataset_get_n_features (data->dataset), ==, 3);
  g_assert_cmpint (ns_dataset_find_column (data->dataset, "petal_width_cm"), <, 0);
  g_assert_cmpuint (ns_stats_get_n_columns (data->stats[NS_METHOD_STANDARD]), ==, 3);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Not new_window (): that resets the settings. */
  window = ns_window_new (NULL);
  g_assert_true (load_and_wait (window, iris, FALSE));
  data = ns_window_get_data (window);
  g_assert_cmpuint (ns_dataset_get_n_features (data->dataset), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.include-all-columns", NULL));
  wait_for_load (window);
  g_assert_cmpuint (ns_dataset_get_n_features (ns_window_get_data (window)->dataset), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Wine's cultivar is suggested for exclusion, not excluded, until the suggestion is accepted. */
static void
test_class_column_suggestion (void)
{
  g_autofree char *wine = ns_demo_find_sample_file ("wine");
  NsWindow *window = new_window ();
  GtkWidget *exclude;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (load_and_wait (window, wine, FALSE));
  g_assert_cmpint (ns_dataset_find_column (ns_window_get_data (window)->dataset, "cultivar"), >=,
                   0);
  g_assert_null (ns_column_list_get_suggestion (ns_window_get_column_list (window), "alcohol"));
  exclude = ns_column_list_get_suggestion (ns_window_get_column_list (window), "cultivar");
  g_assert_nonnull (exclude);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (exclude))));
  gtk_widget_activate (exclude);
  wait_for_load (window);
  g_assert_cmpint (ns_dataset_find_column (ns_window_get_data (window)->dataset, "cultivar"), <, 0);
  g_assert_null (ns_column_list_get_suggestion (ns_window_get_column_list (window), "cultivar"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An (N, C, H, W) .npy is read channels-last by default (the CLI's --axis -1); the Compare page
 * shows its shape and lets the user read it along axis 1 (three channels) instead. */
static void
test_tensor_feature_axis (void)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("NS_TEST_DATA"), "npy", "image-nchw-f8.npy", NULL);
  NsWindow *window = new_window ();
  const NsDataset *data;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (load_and_wait (window, path, FALSE));
  data = ns_window_get_data (window)->dataset;
  g_assert_cmpuint (ns_dataset_get_rank (data), ==, 4);
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, ns_dataset_get_shape (data)[3]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.feature-axis", "s", "1"));
  wait_for_load (window);
  data = ns_window_get_data (window)->dataset;
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, ns_dataset_get_shape (data)[1]);
  g_assert_cmpuint (ns_dataset_get_kept_axes (data)[0], ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.feature-axis", "s", "none"));
  wait_for_load (window);
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
  g_test_add_func ("/ui/shortcuts-window-lists-keys", test_shortcuts_window_lists_keys);
  g_test_add_func ("/ui/export-panel-json", test_export_panel_json);
  g_test_add_func ("/ui/export-extension-follows-format", test_export_extension_follows_format);
  g_test_add_func ("/ui/plot-view-renders", test_plot_view_renders);
  g_test_add_func ("/ui/apply-to-test-file", test_apply_to_test_file);
  g_test_add_func ("/ui/settings-schema", test_settings_schema);
  g_test_add_func ("/ui/overview-grid", test_overview_grid);
  g_test_add_func ("/ui/apply-file-lacking-columns", test_apply_file_lacking_columns);
  g_test_add_func ("/ui/presentation-every-page", test_presentation_every_page);
  g_test_add_func ("/ui/presentation-reveal", test_presentation_reveal);
  g_test_add_func ("/ui/figure-export-presets", test_figure_export_presets);
  g_test_add_func ("/ui/settings-remembered", test_settings_remembered);
  g_test_add_func ("/ui/shared-batchnorm-settings", test_shared_batchnorm_settings);
  g_test_add_func ("/ui/exclude-column", test_exclude_column);
  g_test_add_func ("/ui/class-column-suggestion", test_class_column_suggestion);
  g_test_add_func ("/ui/tensor-feature-axis", test_tensor_feature_axis);
  return g_test_run ();
}
