/* test-batchnorm-view.c: widget tests of the batch-norm explorer under Xvfb: change batch size and
 * momentum through the controls and compare the plotted series with the core simulator's.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include "core/ns-demo.h"
#include "core/ns-parse-double.h"
#include "ui/ns-batchnorm-view.h"
#include "ui/ns-window.h"
#include "test-utils.h"

typedef struct {
  GtkWidget *window;
  NsBatchNormView *view;
  NsDataset *data;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer unused)
{
  f->data = ns_demo_make_dataset (ns_demo_find ("small-batches"), NULL, NULL, NULL);
  g_assert_nonnull (f->data);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  f->view = NS_BATCHNORM_VIEW (ns_batchnorm_view_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  ns_batchnorm_view_set_dataset (f->view, f->data);
  ns_batchnorm_view_wait (f->view);
  gtk_test_widget_wait_for_draw (f->window);
}

static void
fixture_tear_down (Fixture *f, gconstpointer unused)
{
  /* Destroying the window must drop every reference to the view but ours (no leaked runs). */
  g_object_ref (f->view);
  gtk_window_destroy (GTK_WINDOW (f->window));
  ns_test_assert_finalize_soon (f->view);
  ns_dataset_free (f->data);
}

/* The simulator run the view should have shown: preset defaults plus the given changes. */
static NsBatchNorm *
expected_run (const NsDataset *data, gsize batch, double momentum)
{
  NsBatchNormOptions o;
  NsBatchNorm *bn;

  ns_batchnorm_options_init (&o, NS_BATCHNORM_PYTORCH);
  o.batch_size = batch;
  o.momentum = momentum;
  o.averages = NS_AVERAGE_EMA | NS_AVERAGE_EXACT;
  o.record_history = TRUE;
  o.only_feature = 0;
  bn = ns_batchnorm_new (data, &o, NULL);
  g_assert_nonnull (bn);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
  return bn;
}

static void
assert_line_equals (NsPlotSeries *plot, guint panel, const char *label, const NsBatchNorm *bn,
                    NsSeries series)
{
  int item = ns_plot_series_find_item (plot, panel, label);
  gsize n, n_sim;
  const double *line, *sim;

  g_assert_cmpint (item, >=, 0);
  line = ns_plot_series_item_get_values (plot, panel, item, &n);
  sim = ns_batchnorm_get_series (bn, series, 0, &n_sim);
  g_assert_cmpuint (n, ==, n_sim);
  g_assert_cmpmem (line, n * sizeof (double), sim, n_sim * sizeof (double));
}

static void
assert_view_matches (Fixture *f, gsize batch, double momentum)
{
  g_autoptr (NsBatchNorm) bn = expected_run (f->data, batch, momentum);
  NsPlotSeries *running = ns_batchnorm_view_get_figure (f->view, NS_BATCHNORM_FIGURE_RUNNING);
  NsPlotSeries *noise = ns_batchnorm_view_get_figure (f->view, NS_BATCHNORM_FIGURE_BATCH_NOISE);
  const double *counts;
  gsize n_bins;
  double total = 0, mean, sd, count, missing, full_mean, var;

  g_assert_nonnull (running);
  g_assert_cmpuint (ns_batchnorm_view_get_n_steps (f->view), ==, ns_batchnorm_get_n_steps (bn));
  assert_line_equals (running, 0, "running (inference)", bn, NS_SERIES_RUNNING_MEAN);
  assert_line_equals (running, 1, "running (inference)", bn, NS_SERIES_RUNNING_VAR);
  assert_line_equals (running, 0, "batch mean", bn, NS_SERIES_BATCH_MEAN);
  assert_line_equals (running, 0, "exact so far", bn, NS_SERIES_EXACT_MEAN);
  /* Every batch mean is in the batch-noise histogram; the curve is N(mu, sigma^2 / B). */
  counts = ns_plot_series_item_get_values (noise, 0, 0, &n_bins);
  for (gsize b = 0; b < n_bins; b++)
    total += counts[b];
  g_assert_cmpfloat (total, ==, (double) ns_batchnorm_get_n_steps (bn));
  ns_plot_series_item_get_params (noise, 0, 1, &mean, &sd);
  ns_batchnorm_exact_stats (bn, 0, &count, &missing, &full_mean, &var, 0);
  g_assert_cmpfloat (mean, ==, full_mean);
  g_assert_cmpfloat (sd, ==, sqrt (var / batch));
}

static void
test_controls_drive_the_simulation (Fixture *f, gconstpointer unused)
{
  assert_view_matches (f, 32, 0.1);

  ns_batchnorm_view_set_batch_size (f->view, 4);
  g_assert_true (ns_batchnorm_view_is_busy (f->view));
  ns_batchnorm_view_wait (f->view);
  assert_view_matches (f, 4, 0.1);
  g_assert_cmpuint (ns_batchnorm_view_get_n_steps (f->view), ==, 5000);

  ns_batchnorm_view_set_momentum (f->view, 0.01);
  ns_batchnorm_view_wait (f->view);
  assert_view_matches (f, 4, 0.01);
}

/* Several changes in a row (a dragged slider) end with the last setting; stale runs are dropped. */
static void
test_changes_coalesce (Fixture *f, gconstpointer unused)
{
  for (gsize b = 2; b <= 4096; b *= 2)
    {
      ns_batchnorm_view_set_batch_size (f->view, b);
      g_main_context_iteration (NULL, FALSE);
    }
  ns_batchnorm_view_set_batch_size (f->view, 100);
  ns_batchnorm_view_wait (f->view);
  assert_view_matches (f, 100, 0.1);
  g_assert_cmpuint (ns_batchnorm_view_get_n_steps (f->view), ==, 200);
}

/* Closing the view while a run is under way cancels it and waits for its worker: the tear-down's
 * finalize check fails if the run kept the view or its data. */
static void
test_close_while_running (Fixture *f, gconstpointer unused)
{
  gsize n = 4000000; /* 2,000,000 steps of 2: far longer than the main loop's pending work */
  g_autoptr (NsDataset) large = ns_dataset_new_table (n);
  double *values = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    values[i] = (double) (i % 7);
  ns_dataset_add_numeric_column (large, "x", values);
  ns_dataset_count_missing (large);
  ns_batchnorm_view_set_dataset (f->view, large);
  ns_batchnorm_view_set_batch_size (f->view, 2);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (ns_batchnorm_view_is_busy (f->view));
}

static void
test_preset_switches_convention (Fixture *f, gconstpointer unused)
{
  NsBatchNormOptions o;

  ns_batchnorm_view_set_preset (f->view, NS_BATCHNORM_KERAS);
  ns_batchnorm_view_wait (f->view);
  ns_batchnorm_view_get_options (f->view, &o);
  g_assert_cmpint (o.preset, ==, NS_BATCHNORM_KERAS);
  g_assert_cmpfloat (o.momentum, ==, 0.99);
  g_assert_cmpfloat (o.eps, ==, 1e-3);
  g_assert_cmpint (o.convention, ==, NS_MOMENTUM_WEIGHT_OF_OLD);
  ns_batchnorm_view_set_renorm (f->view, TRUE);
  ns_batchnorm_view_wait (f->view);
  g_assert_cmpint (ns_plot_series_find_item (
                     ns_batchnorm_view_get_figure (f->view, NS_BATCHNORM_FIGURE_RENORM), 0, "r"),
                   >=, 0);
}

static void
test_step_and_play (Fixture *f, gconstpointer unused)
{
  gsize n = ns_batchnorm_view_get_n_steps (f->view);
  gint64 end;

  g_assert_cmpuint (ns_batchnorm_view_get_cursor (f->view), ==, 0);
  ns_batchnorm_view_step (f->view);
  g_assert_cmpuint (ns_batchnorm_view_get_cursor (f->view), ==, 1);
  ns_batchnorm_view_step (f->view);
  g_assert_cmpuint (ns_batchnorm_view_get_cursor (f->view), ==, 2);
  g_assert_cmpuint (ns_plot_series_get_cursor (
                      ns_batchnorm_view_get_figure (f->view, NS_BATCHNORM_FIGURE_RUNNING)),
                    ==, 2);
  ns_batchnorm_view_play (f->view, TRUE);
  g_assert_true (ns_batchnorm_view_is_playing (f->view));
  end = g_get_monotonic_time () + 1500000;
  while (ns_batchnorm_view_get_cursor (f->view) <= 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ns_batchnorm_view_get_cursor (f->view), >, 2);
  g_assert_cmpuint (ns_batchnorm_view_get_cursor (f->view), <=, n);
  ns_batchnorm_view_play (f->view, FALSE);
  g_assert_false (ns_batchnorm_view_is_playing (f->view));
  ns_batchnorm_view_set_cursor (f->view, 0);
  g_assert_cmpuint (ns_batchnorm_view_get_cursor (f->view), ==, 0);
}

static void
test_demo_numbers_from_simulator (Fixture *f, gconstpointer unused)
{
  const NsDemo *demo = ns_demo_find ("momentum");
  g_autoptr (NsDataset) data = ns_demo_make_dataset (demo, NULL, NULL, NULL);
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  const char *labels[NS_DEMO_MAX_RUNS];
  NsBatchNorm *bns[NS_DEMO_MAX_RUNS];
  guint n = ns_demo_get_settings (demo, options, labels);
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ns_batchnorm_view_load_demo (f->view, "momentum", &error));
  g_assert_no_error (error);
  ns_batchnorm_view_wait (f->view);
  g_assert_cmpstr (ns_batchnorm_view_get_demo (f->view), ==, "momentum");
  for (guint r = 0; r < n; r++)
    {
      bns[r] = ns_batchnorm_new (data, &options[r], NULL);
      g_assert_true (ns_batchnorm_run (bns[r], NULL, NULL, NULL, NULL));
    }
  expected = ns_demo_numbers (demo, bns, n, 0, NULL);
  g_assert_cmpstr (ns_batchnorm_view_get_demo_numbers (f->view), ==, expected);
  /* Both settings are drawn: momentum 0.1 solid, 0.01 dashed. */
  g_assert_cmpint (
    ns_plot_series_find_item (ns_batchnorm_view_get_figure (f->view, NS_BATCHNORM_FIGURE_RUNNING),
                              0, "running (inference), momentum 0.01"),
    >=, 0);
  for (guint r = 0; r < n; r++)
    ns_batchnorm_free (bns[r]);
  g_assert_false (ns_batchnorm_view_load_demo (f->view, "no-such-demo", &error));
  g_assert_cmpstr (error->message, ==, "no demo named 'no-such-demo'");
}

static const char *
first_feature_name (const NsDataset *data)
{
  return ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, 0));
}

/* A demo replaces the user's data; closing it (and one after another) brings that data back. */
static void
test_closing_demo_restores_data (Fixture *f, gconstpointer unused)
{
  const NsDataset *shown;

  g_assert_true (ns_batchnorm_view_load_demo (f->view, "momentum", NULL));
  ns_batchnorm_view_wait (f->view);
  shown = ns_batchnorm_view_get_dataset (f->view);
  g_assert_false (
    ns_dataset_get_n_samples (shown) == ns_dataset_get_n_samples (f->data) &&
    memcmp (ns_dataset_get_values (shown, ns_dataset_get_feature_column (shown, 0)),
            ns_dataset_get_values (f->data, ns_dataset_get_feature_column (f->data, 0)),
            ns_dataset_get_n_samples (shown) * sizeof (double)) == 0);
  g_assert_true (ns_batchnorm_view_load_demo (f->view, "small-batches", NULL));
  ns_batchnorm_view_close_demo (f->view);
  ns_batchnorm_view_wait (f->view);
  g_assert_null (ns_batchnorm_view_get_demo (f->view));
  shown = ns_batchnorm_view_get_dataset (f->view);
  g_assert_cmpuint (ns_dataset_get_n_samples (shown), ==, ns_dataset_get_n_samples (f->data));
  g_assert_cmpstr (first_feature_name (shown), ==, first_feature_name (f->data));
  g_assert_cmpmem (ns_dataset_get_values (shown, ns_dataset_get_feature_column (shown, 0)),
                   ns_dataset_get_n_samples (shown) * sizeof (double),
                   ns_dataset_get_values (f->data, ns_dataset_get_feature_column (f->data, 0)),
                   ns_dataset_get_n_samples (f->data) * sizeof (double));
}

static void
test_export_and_presentation (Fixture *f, gconstpointer unused)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  const char *names[] = { "running.png", "noise.svg", "gap.pdf", "renorm.png" };
  g_autoptr (GError) error = NULL;
  g_autofree char *bad = g_build_filename (dir, "figure.txt", NULL);

  for (guint fig = 0; fig < NS_BATCHNORM_N_FIGURES; fig++)
    {
      g_autofree char *path = g_build_filename (dir, names[fig], NULL);
      GStatBuf st;

      g_assert_true (ns_batchnorm_view_export_figure (f->view, fig, path, NULL));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 1000);
      g_unlink (path);
    }
  g_assert_false (ns_batchnorm_view_export_figure (f->view, 0, bad, &error));
  g_assert_nonnull (error);

  ns_batchnorm_view_set_presentation (f->view, TRUE);
  g_assert_true (ns_batchnorm_view_get_presentation (f->view));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->view), "presentation"));
  gtk_test_widget_wait_for_draw (f->window);
  ns_batchnorm_view_set_presentation (f->view, FALSE);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->view), "presentation"));
}

/* The window offers the explorer as a page and the demos in its primary menu. */
static void
test_window_integration (void)
{
  NsWindow *window = ns_window_new (NULL);
  NsBatchNormView *view = ns_window_get_batchnorm_view (window);

  g_assert_nonnull (view);
  gtk_window_present (GTK_WINDOW (window));
  ns_window_show_demo (window, "train-inference-gap");
  ns_batchnorm_view_wait (view);
  g_assert_cmpstr (ns_batchnorm_view_get_demo (view), ==, "train-inference-gap");
  g_assert_nonnull (
    strstr (ns_plot_series_get_title (ns_batchnorm_view_get_figure (view, NS_BATCHNORM_FIGURE_GAP)),
            "petal_length_cm"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first widget under root (depth first) that match accepts. */
static GtkWidget *
find_widget (GtkWidget *root, gboolean (*match) (GtkWidget *, gconstpointer), gconstpointer data)
{
  GtkWidget *found = NULL;

  if (match (root, data))
    return root;
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL && found == NULL;
       w = gtk_widget_get_next_sibling (w))
    found = find_widget (w, match, data);
  return found;
}

static gboolean
is_entry_with_text (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_ENTRY (widget) && strcmp (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0;
}

static gboolean
is_label_with_text (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && strcmp (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* The eps entry reads numbers with the CLI's parser and leaves the range to the core's checks,
 * whose message the status line shows, as the CLI prints it. */
static void
test_eps_core_rules (Fixture *f, gconstpointer unused)
{
  GtkWidget *entry = find_widget (GTK_WIDGET (f->view), is_entry_with_text, "1e-05");
  NsBatchNormOptions o;

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), " 2.5e-4 ");
  ns_batchnorm_view_wait (f->view);
  ns_batchnorm_view_get_options (f->view, &o);
  g_assert_cmpfloat (o.eps, ==, 2.5e-4);
  gtk_editable_set_text (GTK_EDITABLE (entry), "-1");
  ns_batchnorm_view_wait (f->view);
  g_assert_nonnull (
    find_widget (GTK_WIDGET (f->view), is_label_with_text, "eps must be >= 0, got -1"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "1,5");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
}

/* Every preset's eps shows as text that reads back as the same double, with a decimal point even
 * where the locale writes a comma. */
static void
test_eps_text_reads_back (Fixture *f, gconstpointer unused)
{
  const NsBatchNormPreset presets[] = { NS_BATCHNORM_KERAS, NS_BATCHNORM_KERAS_FUSED,
                                        NS_BATCHNORM_FLAX, NS_BATCHNORM_PYTORCH };
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  GtkWidget *entry = find_widget (GTK_WIDGET (f->view), is_entry_with_text, "1e-05");

  g_assert_nonnull (entry);
  g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      const char *text;
      NsBatchNormOptions defaults;
      double shown;

      ns_batchnorm_options_init (&defaults, presets[i]);
      ns_batchnorm_view_set_preset (f->view, presets[i]);
      ns_batchnorm_view_wait (f->view);
      text = gtk_editable_get_text (GTK_EDITABLE (entry));
      g_assert_null (strchr (text, ','));
      g_assert_true (ns_parse_double (text, strlen (text), &shown));
      g_assert_true (shown == defaults.eps);
      g_assert_false (gtk_widget_has_css_class (entry, "error"));
    }
  setlocale (LC_ALL, saved);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
#define ADD(path, fn) \
  g_test_add ("/batchnorm-view/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("controls", test_controls_drive_the_simulation);
  ADD ("coalesce", test_changes_coalesce);
  ADD ("close-while-running", test_close_while_running);
  ADD ("preset", test_preset_switches_convention);
  ADD ("step-play", test_step_and_play);
  ADD ("demo", test_demo_numbers_from_simulator);
  ADD ("closing-demo-restores-data", test_closing_demo_restores_data);
  ADD ("export-presentation", test_export_and_presentation);
  ADD ("eps-core-rules", test_eps_core_rules);
  ADD ("eps-text-reads-back", test_eps_text_reads_back);
#undef ADD
  g_test_add_func ("/batchnorm-view/window", test_window_integration);
  return g_test_run ();
}
