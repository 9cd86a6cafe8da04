/* test-ui-window.c: widget tests under Xvfb of what spans the window: shortcuts, the export
 * panel and figure export, settings, the overview grid and presentation mode.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include "core/ns-batchnorm.h"
#include "core/ns-figure-preset.h"
#include "core/ns-overview-notes.h"
#include "core/ns-scaler.h"
#include "core/ns-summary.h"
#include "ui/ns-settings.h"
#include "ui/ns-figure-export-dialog.h"
#include "ui/ns-presentation.h"
#include "ui/ns-window.h"
#include "test-ui-helpers.h"
#include "test-utils.h"

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
  NsWindow *window = ns_test_ui_window_with_iris (&iris);
  NsExportPanel *panel = ns_window_get_export_panel (window);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
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
}

/* The code preview shows a snippet as soon as there is data (PyTorch's until another is chosen)
 * and follows the strategy and a snippet format; a file format keeps the snippet copied last. */
static void
test_export_preview_follows_choice (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsExportPanel *panel = ns_window_get_export_panel (window);
  g_autofree char *first =
    (ns_export_panel_wait_preview (panel), ns_export_panel_get_preview (panel));
  g_autofree char *sklearn = NULL, *robust = NULL, *npz = NULL, *keras = NULL, *copied = NULL;
  g_autofree char *after_copy = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (strstr (first, "import torch"));
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_SKLEARN);
  ns_export_panel_wait_preview (panel);
  sklearn = ns_export_panel_get_preview (panel);
  g_assert_nonnull (strstr (sklearn, "StandardScaler"));
  ns_export_panel_set_strategy (panel, NS_METHOD_ROBUST);
  ns_export_panel_wait_preview (panel);
  robust = ns_export_panel_get_preview (panel);
  g_assert_nonnull (strstr (robust, "RobustScaler"));
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_NPZ);
  ns_export_panel_wait_preview (panel);
  npz = ns_export_panel_get_preview (panel);
  g_assert_nonnull (strstr (npz, "import torch"));
  copied = ns_export_panel_copy_code (panel, NS_EXPORT_KERAS, &error);
  g_assert_no_error (error);
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_CSV);
  ns_export_panel_wait_preview (panel);
  after_copy = ns_export_panel_get_preview (panel);
  g_assert_cmpstr (after_copy, ==, copied);
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_KERAS);
  ns_export_panel_wait_preview (panel);
  keras = ns_export_panel_get_preview (panel);
  g_assert_cmpstr (keras, ==, copied);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Choices changed faster than the preview's fits finish: each change cancels the fit under way,
 * the old text stays until the new one is ready, and the preview ends as the last choice's alone.
 */
static void
test_export_preview_quick_changes (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsWindow *reference = ns_test_ui_window_with_iris (NULL);
  NsExportPanel *panel = ns_window_get_export_panel (window);
  NsExportPanel *alone = ns_window_get_export_panel (reference);
  g_autofree char *before = NULL, *during = NULL, *last = NULL, *expected = NULL;

  ns_export_panel_wait_preview (panel);
  before = ns_export_panel_get_preview (panel);
  for (guint i = 0; i < 12; i++)
    {
      ns_export_panel_set_strategy (panel, i % 2 ? NS_EXPORT_STRATEGY_BATCHNORM : i % NS_N_SCALERS);
      ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 +
                                           (i % 3 ? NS_EXPORT_TORCH : NS_EXPORT_KERAS));
      g_free (during);
      during = ns_export_panel_get_preview (panel);
      g_assert_cmpstr (during, ==, before); /* not cleared while the new fit runs */
    }
  ns_export_panel_set_strategy (panel, NS_METHOD_ROBUST);
  ns_export_panel_set_format (panel, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_SKLEARN);
  ns_export_panel_wait_preview (panel);
  last = ns_export_panel_get_preview (panel);
  g_assert_nonnull (strstr (last, "RobustScaler"));

  ns_export_panel_set_strategy (alone, NS_METHOD_ROBUST);
  ns_export_panel_wait_preview (alone);
  ns_export_panel_set_format (alone, NS_EXPORT_PANEL_JSON + 1 + NS_EXPORT_SKLEARN);
  ns_export_panel_wait_preview (alone);
  expected = ns_export_panel_get_preview (alone);
  g_assert_cmpstr (last, ==, expected);
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (reference));
}

/* The output file's extension follows the format; a name that contradicts it is refused. */
static void
test_export_extension_follows_format (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsExportPanel *panel = ns_window_get_export_panel (window);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
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

/* The overview measures every feature off the main thread, then shows raw data and the chosen
 * scalers; its notes are core's for the same data and strategy. */
static void
test_overview_grid (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
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
  ns_test_ui_wait_for_simulation (view);
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
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
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

/* The export dialog offers core's presets (16:9 slide first chosen) and a custom size; the page's
 * figure is saved at that size with its text scale, the shown figure keeping its own. Batch Norm
 * exports its chosen figure the same way. */
static void
test_figure_export_presets (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
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
  ns_test_assert_png_size (slide, 1920, 1080);
  g_assert_cmpfloat (ns_plot_get_font_scale (ns_comparison_view_get_plot (view)), ==, 1);
  ns_figure_export_dialog_set_preset (NS_FIGURE_EXPORT_DIALOG (dialog), ns_figure_preset_count ());
  g_assert_false (
    ns_figure_export_dialog_save_to (NS_FIGURE_EXPORT_DIALOG (dialog), "/nonexistent-dir/x.png"));
  g_assert_nonnull (strstr (ns_figure_export_dialog_get_message (NS_FIGURE_EXPORT_DIALOG (dialog)),
                            "/nonexistent-dir/x.png"));
  g_assert_true (ns_figure_export_dialog_save_to (NS_FIGURE_EXPORT_DIALOG (dialog), custom));
  ns_test_assert_png_size (custom, 1920, 1080);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);

  ns_batchnorm_view_wait (ns_window_get_batchnorm_view (window));
  g_assert_true (ns_batchnorm_view_export_figure_sized (ns_window_get_batchnorm_view (window),
                                                        NS_BATCHNORM_FIGURE_RUNNING, bn, 1600, 1200,
                                                        2, NULL));
  ns_test_assert_png_size (bn, 1600, 1200);
  /* No figure on the Overview page: a toast says where figures come from, nothing breaks. */
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (ns_window_get_overview_view (window)),
                                             ADW_TYPE_VIEW_STACK)),
    "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The compared strategies, the presentation text scale and the window's size come back in the
 * next window. */
static void
test_settings_remembered (void)
{
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
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

  /* Not ns_test_ui_new_window (): that resets them. */
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
  NsWindow *window = ns_test_ui_window_with_iris (NULL);
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

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/shortcuts-window-lists-keys", test_shortcuts_window_lists_keys);
  g_test_add_func ("/ui/export-panel-json", test_export_panel_json);
  g_test_add_func ("/ui/export-extension-follows-format", test_export_extension_follows_format);
  g_test_add_func ("/ui/export-preview-follows-choice", test_export_preview_follows_choice);
  g_test_add_func ("/ui/export-preview-quick-changes", test_export_preview_quick_changes);
  g_test_add_func ("/ui/settings-schema", test_settings_schema);
  g_test_add_func ("/ui/overview-grid", test_overview_grid);
  g_test_add_func ("/ui/presentation-every-page", test_presentation_every_page);
  g_test_add_func ("/ui/presentation-reveal", test_presentation_reveal);
  g_test_add_func ("/ui/figure-export-presets", test_figure_export_presets);
  g_test_add_func ("/ui/settings-remembered", test_settings_remembered);
  g_test_add_func ("/ui/shared-batchnorm-settings", test_shared_batchnorm_settings);
  return g_test_run ();
}
