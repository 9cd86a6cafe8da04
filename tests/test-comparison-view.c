/* test-comparison-view.c: the Compare page's power, quantile and normalizer strategies under Xvfb:
 * their panels drawn from core's values, a Box-Cox refusal shown with core's reason, tooltips
 * from core's text, the figure export equal to `normscope-cli plot --method`, the choice
 * remembered, and a 1M-row update that keeps the main loop running.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "core/ns-strategy-panel.h"
#include "ui/ns-comparison-view.h"
#include "ui/ns-strategy-toggle.h"
#include "ui/ns-window.h"

typedef struct {
  GtkWidget *window;
  NsComparisonView *view;
  NsLoadResult *data;
} Page;

static void
page_open (Page *page, const char *path)
{
  g_autoptr (GError) error = NULL;

  page->data = ns_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  page->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (page->window), 1200, 800);
  page->view = NS_COMPARISON_VIEW (ns_comparison_view_new ());
  gtk_window_set_child (GTK_WINDOW (page->window), GTK_WIDGET (page->view));
  gtk_window_present (GTK_WINDOW (page->window));
  ns_comparison_view_set_data (page->view, page->data);
}

static void
page_close (Page *page)
{
  ns_comparison_view_set_data (page->view, NULL);
  gtk_window_destroy (GTK_WINDOW (page->window));
  ns_load_result_free (page->data);
}

static char *
sample_path (const char *name)
{
  return g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", name, NULL);
}

static void
wait_for_workers (NsComparisonView *view)
{
  while (ns_comparison_view_is_simulating (view))
    g_main_context_iteration (NULL, TRUE);
}

/* Exactly these strategies on (the page keeps two to four: switch the new ones on first). */
static void
choose (NsComparisonView *view, const NsStrategy *strategies, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (!ns_comparison_view_set_strategy_active (view, strategies[i], TRUE))
        {
          /* Full: make room by dropping a strategy not asked for. */
          for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
            {
              gboolean wanted = FALSE;

              for (guint j = 0; j < n; j++)
                wanted |= strategies[j] == s;
              if (!wanted && ns_comparison_view_get_strategy_active (view, s))
                {
                  g_assert_true (ns_comparison_view_set_strategy_active (view, s, FALSE));
                  break;
                }
            }
          g_assert_true (ns_comparison_view_set_strategy_active (view, strategies[i], TRUE));
        }
    }
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    {
      gboolean wanted = FALSE;

      for (guint j = 0; j < n; j++)
        wanted |= strategies[j] == s;
      if (!wanted && ns_comparison_view_get_strategy_active (view, s))
        g_assert_true (ns_comparison_view_set_strategy_active (view, s, FALSE));
    }
}

static int
find_panel (NsPlot *plot, NsStrategy strategy)
{
  for (guint p = 0; p < ns_plot_get_n_panels (plot); p++)
    if (ns_plot_panel_get_strategy (plot, p) == strategy)
      return (int) p;
  return -1;
}

static guint
feature_of (const NsDataset *data, const char *name)
{
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    if (g_strcmp0 (ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
                   name) == 0)
      return f;
  g_assert_not_reached ();
}

/* Pixels in a panel's plot area that differ from its top-left corner: a drawn histogram. */
static double
panel_ink (NsPlot *plot, guint panel, double width, double height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_rectangle_t area;
  guint32 *pixels, corner;
  int stride;
  gsize differing = 0, total = 0;

  ns_plot_draw (plot, cr, width, height);
  cairo_surface_flush (surface);
  g_assert_true (ns_plot_get_panel_area (plot, width, height, panel, &area));
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  corner = pixels[(int) area.y * stride + (int) area.x];
  for (int y = (int) area.y; y < (int) (area.y + area.height); y++)
    for (int x = (int) area.x; x < (int) (area.x + area.width); x++, total++)
      differing += pixels[y * stride + x] != corner;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return (double) differing / total;
}

/* The panel's bins count every value, and more than a few bins hold some. */
static void
assert_panel_filled (NsPlot *plot, guint panel, guint64 n)
{
  guint64 sum = 0;
  guint filled = 0;

  for (guint b = 0; b < ns_plot_panel_get_n_bins (plot, panel); b++)
    {
      double lo, hi;
      guint64 count;

      ns_plot_panel_get_bin (plot, panel, b, &lo, &hi, &count);
      sum += count;
      filled += count > 0;
    }
  g_assert_cmpuint (ns_plot_panel_get_count (plot, panel), ==, n);
  g_assert_cmpuint (sum, <=, n);
  g_assert_cmpuint (sum, >=, n * 9 / 10); /* a zoomed panel counts the rest at its edges */
  g_assert_cmpuint (filled, >=, 5);
  g_assert_cmpfloat (panel_ink (plot, panel, 1200, 800), >, 0.05);
}

/* The power, quantile and normalizer panels show core's values of the column: their means are
 * core's bit for bit, the normalizer's is the mean of x / ‖row‖ computed here, and each is drawn.
 */
static void
test_new_strategies_rendered (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NS_TEST_DATA"), "skewed-outliers.csv", NULL);
  const NsStrategy chosen[][4] = {
    { NS_STRATEGY_YEO_JOHNSON, NS_STRATEGY_BOX_COX, NS_STRATEGY_QUANTILE_UNIFORM,
      NS_STRATEGY_QUANTILE_NORMAL },
    { NS_STRATEGY_NORMALIZER, NS_STRATEGY_YEO_JOHNSON, NS_STRATEGY_STANDARD, NS_STRATEGY_ROBUST },
  };
  Page page;
  NsPlot *plot;

  page_open (&page, path);
  plot = ns_comparison_view_get_plot (page.view);
  ns_comparison_view_set_column (page.view, 0);
  for (guint c = 0; c < G_N_ELEMENTS (chosen); c++)
    {
      const NsDataset *data = page.data->dataset;
      guint feature = feature_of (data, "lognormal");

      g_autofree char *note = ns_strategy_panel_describe (NS_STRATEGY_NORMALIZER, data, feature);
      g_autofree char *normalizer_message = g_strdup_printf ("Normalizer: %s", note);

      choose (page.view, chosen[c], 4);
      wait_for_workers (page.view);
      /* The normalizer's panel says what it shows; nothing else has a note. */
      g_assert_cmpstr (ns_comparison_view_get_message (page.view), ==,
                       c == 1 ? normalizer_message : "");
      g_assert_nonnull (strstr (note, "over all 2 features; the panel shows 'lognormal'"));
      g_assert_cmpuint (ns_plot_get_n_panels (plot), ==, 5);
      for (guint i = 0; i < 4; i++)
        {
          int panel = find_panel (plot, chosen[c][i]);
          g_autoptr (GError) error = NULL;
          g_autoptr (NsPlotData) expected = NULL;

          g_assert_cmpint (panel, >, 0);
          assert_panel_filled (plot, panel, 1000);
          if (!ns_strategy_panel_is_computed (chosen[c][i]))
            continue;
          g_assert_cmpstr (ns_plot_panel_get_label (plot, panel), ==,
                           ns_strategy_get_label (chosen[c][i]));
          expected = ns_strategy_panel_compute (data, feature, chosen[c][i], 0, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpfloat (ns_plot_panel_get_mean (plot, panel), ==,
                             ns_plot_data_get_moments (expected)->mean);
        }
    }
  {
    const double *x = ns_dataset_get_values (page.data->dataset, 0);
    const double *y = ns_dataset_get_values (page.data->dataset, 1);
    double sum = 0;

    for (gsize r = 0; r < 1000; r++)
      sum += x[r] / sqrt (x[r] * x[r] + y[r] * y[r]);
    g_assert_cmpfloat_with_epsilon (ns_plot_panel_get_mean (plot,
                                                            find_panel (plot,
                                                                        NS_STRATEGY_NORMALIZER)),
                                    sum / 1000, 1e-12);
  }
  page_close (&page);
}

/* Box-Cox on a column with negative values: no panel, and the page says core's reason; the same
 * strategy on a positive column of the same file draws (it is fitted on the shown column alone). */
static void
test_box_cox_negative_column_says_why (void)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("NS_TEST_DATA"), "sklearn-family", "train.csv", NULL);
  const NsStrategy chosen[] = { NS_STRATEGY_STANDARD, NS_STRATEGY_BOX_COX };
  g_autoptr (GError) reason = NULL;
  Page page;
  NsPlot *plot;

  page_open (&page, path);
  plot = ns_comparison_view_get_plot (page.view);
  choose (page.view, chosen, G_N_ELEMENTS (chosen));
  ns_comparison_view_set_column (page.view, ns_dataset_find_column (page.data->dataset, "signed"));
  wait_for_workers (page.view);
  g_assert_null (ns_strategy_panel_compute (page.data->dataset,
                                            feature_of (page.data->dataset, "signed"),
                                            NS_STRATEGY_BOX_COX, 0, NULL, &reason));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason->message, "Box-Cox needs strictly positive values"));
  g_assert_nonnull (strstr (ns_comparison_view_get_message (page.view), reason->message));
  g_assert_true (g_str_has_prefix (ns_comparison_view_get_message (page.view), "Box-Cox: "));
  g_assert_cmpint (find_panel (plot, NS_STRATEGY_BOX_COX), <, 0);
  g_assert_cmpint (find_panel (plot, NS_STRATEGY_STANDARD), >, 0);

  ns_comparison_view_set_column (page.view, ns_dataset_find_column (page.data->dataset, "income"));
  wait_for_workers (page.view);
  g_assert_cmpstr (ns_comparison_view_get_message (page.view), ==, "");
  g_assert_cmpint (find_panel (plot, NS_STRATEGY_BOX_COX), >, 0);

  /* With a test file, the Box-Cox panel says it shows no overlay of it. */
  ns_comparison_view_set_test_data (page.view, page.data->dataset, "test.csv");
  g_assert_cmpstr (ns_comparison_view_get_message (page.view), ==,
                   "Box-Cox: no test-file overlay (only the linear and batch-norm panels map it by "
                   "offset and scale)");
  ns_comparison_view_set_test_data (page.view, NULL, NULL);
  page_close (&page);
}

/* The page's figure export and plot --method draw the same panels: the same SVG. */
static void
test_export_matches_cli (void)
{
  g_autofree char *path = sample_path ("iris.csv");
  g_autofree char *dir = g_dir_make_tmp ("ns-compare-XXXXXX", NULL);
  g_autofree char *gui = g_build_filename (dir, "gui.svg", NULL);
  g_autofree char *cli = g_build_filename (dir, "cli.svg", NULL);
  g_autofree char *command = g_strdup_printf ("'%s' plot '%s' --quiet --column petal_length_cm "
                                              "--method standard,yeo-johnson,quantile-normal,"
                                              "normalizer --width 900 --height 600 --font-scale 1 "
                                              "-o '%s'",
                                              g_getenv ("NS_CLI"), path, cli);
  const NsStrategy chosen[] = { NS_STRATEGY_STANDARD, NS_STRATEGY_YEO_JOHNSON,
                                NS_STRATEGY_QUANTILE_NORMAL, NS_STRATEGY_NORMALIZER };
  g_autofree char *gui_text = NULL, *cli_text = NULL, *gui_plain = NULL, *cli_plain = NULL;
  g_autoptr (GRegex) surface_id = g_regex_new ("id=\"surface[0-9]+\"", 0, 0, NULL);
  g_autoptr (GError) error = NULL;
  int status;
  Page page;

  page_open (&page, path);
  choose (page.view, chosen, G_N_ELEMENTS (chosen));
  ns_comparison_view_set_column (page.view,
                                 ns_dataset_find_column (page.data->dataset, "petal_length_cm"));
  wait_for_workers (page.view);
  g_assert_true (ns_comparison_view_save_figure_sized (page.view, gui, 900, 600, 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (gui, &gui_text, NULL, NULL));
  g_assert_true (g_file_get_contents (cli, &cli_text, NULL, NULL));
  g_assert_cmpuint (strlen (gui_text), >, 10000);
  /* Cairo numbers its surfaces per process: the only difference allowed. */
  gui_plain = g_regex_replace_literal (surface_id, gui_text, -1, 0, "id=\"surface\"", 0, NULL);
  cli_plain = g_regex_replace_literal (surface_id, cli_text, -1, 0, "id=\"surface\"", 0, NULL);
  g_assert_true (g_strcmp0 (gui_plain, cli_plain) == 0);
  page_close (&page);
  g_unlink (gui);
  g_unlink (cli);
  g_rmdir (dir);
}

static void
collect_rows (GtkWidget *widget, GPtrArray *rows)
{
  if (gtk_widget_has_css_class (widget, "strategy-row"))
    g_ptr_array_add (rows, widget);
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    collect_rows (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))), rows);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (!GTK_IS_POPOVER (c))
      collect_rows (c, rows);
}

/* The Strategies popover lists every strategy of core, in core's order, each with core's label,
 * formula and advice as its tooltip. */
static void
test_popover_lists_every_strategy (void)
{
  GtkWidget *view = g_object_ref_sink (ns_comparison_view_new ());
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect_rows (view, rows);
  g_assert_cmpuint (rows->len, ==, NS_N_STRATEGIES);
  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    {
      const char *tooltip = gtk_widget_get_tooltip_text (rows->pdata[s]);
      g_autofree char *expected =
        g_strdup_printf ("%s\n%s\n%s", ns_strategy_get_label (s), ns_strategy_get_formula (s),
                         ns_strategy_get_advice (s));

      g_assert_cmpstr (tooltip, ==, expected);
    }
  g_assert_finalize_object (view);
}

/* Four chosen new strategies come back in a new window (GSettings "strategies"), none lost to
 * the four-at-a-time limit while the defaults are replaced. */
static void
test_new_strategies_remembered (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  const NsStrategy chosen[] = { NS_STRATEGY_YEO_JOHNSON, NS_STRATEGY_BOX_COX,
                                NS_STRATEGY_QUANTILE_NORMAL, NS_STRATEGY_NORMALIZER };
  const char *expected[] = { "yeo-johnson", "box-cox", "quantile-normal", "normalizer", NULL };
  NsStrategy active[NS_N_COMPARED_STRATEGIES];
  g_auto (GStrv) saved = NULL;
  NsWindow *window = ns_window_new (NULL);
  NsComparisonView *view = ns_window_get_comparison_view (window);

  choose (view, chosen, G_N_ELEMENTS (chosen));
  saved = g_settings_get_strv (settings, "strategies");
  g_assert_true (g_strv_equal ((const char *const *) saved, expected));
  gtk_window_destroy (GTK_WINDOW (window));

  window = ns_window_new (NULL);
  view = ns_window_get_comparison_view (window);
  g_assert_cmpuint (ns_comparison_view_get_active_strategies (view, active), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (active[i], ==, chosen[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "strategies");
}

typedef struct {
  gint64 last, longest;
} Stall;

static gboolean
record_stall (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/* A lognormal and a normal column of NS_COMPARE_ROWS rows (default 200000; 1000000 to measure). */
static char *
write_large_csv (const char *dir, gsize rows)
{
  g_autofree char *path = g_build_filename (dir, "large.csv", NULL);
  g_autoptr (GString) text = g_string_new ("lognormal,normal\n");
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  for (gsize r = 0; r < rows; r++)
    {
      double u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);
      double z = sqrt (-2 * log (u)) * cos (2 * G_PI * v);

      g_string_append_printf (text, "%.6f,%.6f\n", exp (z), z * 3 + 10);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return g_steal_pointer (&path);
}

/* The heavy fits run in workers: switching the column while they run leaves the former column's
 * work behind (cancelled, not waited for), the main loop keeps turning, and the panels shown are
 * the last column's. */
static void
test_large_update_stays_responsive (void)
{
  const char *rows_env = g_getenv ("NS_COMPARE_ROWS");
  gsize rows = rows_env ? g_ascii_strtoull (rows_env, NULL, 10) : 200000;
  g_autofree char *dir = g_dir_make_tmp ("ns-compare-XXXXXX", NULL);
  g_autofree char *path = write_large_csv (dir, rows);
  const NsStrategy chosen[] = { NS_STRATEGY_YEO_JOHNSON, NS_STRATEGY_BOX_COX,
                                NS_STRATEGY_QUANTILE_UNIFORM, NS_STRATEGY_QUANTILE_NORMAL };
  Stall stall = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPlotData) expected = NULL;
  gint64 start, switched, done;
  guint source;
  Page page;

  page_open (&page, path);
  choose (page.view, chosen, G_N_ELEMENTS (chosen));
  wait_for_workers (page.view);
  stall.last = g_get_monotonic_time ();
  source = g_timeout_add (5, record_stall, &stall);
  start = g_get_monotonic_time ();
  ns_comparison_view_set_column (page.view, 0);
  switched = g_get_monotonic_time ();
  ns_comparison_view_set_column (page.view, 1);
  stall.last = g_get_monotonic_time ();
  wait_for_workers (page.view);
  done = g_get_monotonic_time ();
  g_source_remove (source);
  g_test_message ("%" G_GSIZE_FORMAT " rows: set_column %.0f ms on the main thread, panels after "
                  "%.0f ms, longest main-loop stall while computing %.0f ms",
                  rows, (switched - start) / 1e3, (done - start) / 1e3, stall.longest / 1e3);
  g_assert_cmpint (stall.longest, <, 500000);
  /* Box-Cox refuses the normal column's negative values; the other three show it. */
  g_assert_nonnull (strstr (ns_comparison_view_get_message (page.view), "Box-Cox: "));
  expected =
    ns_strategy_panel_compute (page.data->dataset, 1, NS_STRATEGY_YEO_JOHNSON, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ns_plot_panel_get_mean (ns_comparison_view_get_plot (page.view),
                                             find_panel (ns_comparison_view_get_plot (page.view),
                                                         NS_STRATEGY_YEO_JOHNSON)),
                     ==, ns_plot_data_get_moments (expected)->mean);

  /* Back to the positive column: all four panels, computed again. */
  start = g_get_monotonic_time ();
  ns_comparison_view_set_column (page.view, 0);
  wait_for_workers (page.view);
  done = g_get_monotonic_time ();
  g_test_message ("%" G_GSIZE_FORMAT " rows: the four panels of the lognormal column after %.0f ms",
                  rows, (done - start) / 1e3);
  g_assert_cmpuint (ns_plot_get_n_panels (ns_comparison_view_get_plot (page.view)), ==, 5);
  page_close (&page);
  g_unlink (path);
  g_rmdir (dir);
}

/* Presentation mode's text scale enlarges the colour squares beside the names with the names. */
static void
test_swatch_follows_text_scale (void)
{
  static const double scales[] = { 1, 1.6, 2.5 };

  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      GtkWidget *swatch =
        g_object_ref_sink (ns_strategy_swatch_new_scaled (NS_STRATEGY_QUANTILE_UNIFORM, scales[i]));
      int minimum, natural;

      gtk_widget_measure (swatch, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      g_assert_cmpint (natural, ==, (int) round (10 * scales[i]));
      gtk_widget_measure (swatch, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
      g_assert_cmpint (natural, ==, (int) round (10 * scales[i]));
      g_assert_finalize_object (swatch);
    }
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/comparison-view/new-strategies-rendered", test_new_strategies_rendered);
  g_test_add_func ("/comparison-view/swatch-follows-text-scale", test_swatch_follows_text_scale);
  g_test_add_func ("/comparison-view/box-cox-negative-column-says-why",
                   test_box_cox_negative_column_says_why);
  g_test_add_func ("/comparison-view/export-matches-cli", test_export_matches_cli);
  g_test_add_func ("/comparison-view/popover-lists-every-strategy",
                   test_popover_lists_every_strategy);
  g_test_add_func ("/comparison-view/new-strategies-remembered", test_new_strategies_remembered);
  g_test_add_func ("/comparison-view/large-update-stays-responsive",
                   test_large_update_stays_responsive);
  return g_test_run ();
}
