/* test-all-scalers-view.c: widget tests of the All Scalers page under Xvfb: the dropdowns offered
 * for a dataset, the fit only once the page is shown, and a selection change cancelling the fit
 * under way so the figure shown is the last selection's.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "core/ns-quantile.h"
#include "core/ns-reader.h"
#include "ui/ns-all-scalers-view.h"
#include "test-utils.h"

typedef struct {
  GtkWidget *window;
  NsAllScalersView *view;
  NsDataset *data;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer unused)
{
  g_autofree char *path = g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", "iris.csv", NULL);
  NsReadOptions options;

  ns_read_options_init (&options);
  f->data = ns_dataset_load (path, &options, NULL, NULL);
  g_assert_nonnull (f->data);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  f->view = g_object_new (NS_TYPE_ALL_SCALERS_VIEW, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer unused)
{
  /* Destroying the window must drop every reference to the view but ours (no leaked fits). */
  g_object_ref (f->view);
  gtk_window_destroy (GTK_WINDOW (f->window));
  ns_test_assert_finalize_soon (f->view);
  ns_dataset_free (f->data);
}

static NsAllScalersPlot *
wait_for_plot (NsAllScalersView *view)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (ns_all_scalers_view_get_plot (view) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (ns_all_scalers_view_get_plot (view));
  return ns_all_scalers_view_get_plot (view);
}

static GtkDropDown *
dropdown (NsAllScalersView *view, const char *name)
{
  GObject *child =
    gtk_widget_get_template_child (GTK_WIDGET (view), NS_TYPE_ALL_SCALERS_VIEW, name);

  g_assert_true (GTK_IS_DROP_DOWN (child));
  return GTK_DROP_DOWN (child);
}

static const char *
selected (NsAllScalersView *view, const char *name)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown (view, name));

  return gtk_string_object_get_string (item);
}

/* Features are the numeric columns; colours add None and the label column, picked first. */
static void
test_dropdowns_and_lazy_fit (Fixture *f, gconstpointer unused)
{
  ns_all_scalers_view_set_dataset (f->view, f->data);
  g_assert_cmpuint (g_list_model_get_n_items (
                      gtk_drop_down_get_model (dropdown (f->view, "x_dropdown"))),
                    ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (
                      gtk_drop_down_get_model (dropdown (f->view, "color_dropdown"))),
                    ==, 6);
  g_assert_cmpstr (selected (f->view, "x_dropdown"), ==, "sepal_length_cm");
  g_assert_cmpstr (selected (f->view, "y_dropdown"), ==, "sepal_width_cm");
  g_assert_cmpstr (selected (f->view, "color_dropdown"), ==, "species");
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (ns_all_scalers_view_get_plot (f->view)); /* not shown: nothing fitted */
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_cmpuint (ns_all_scalers_plot_get_n_rows (wait_for_plot (f->view)), ==,
                    ns_all_scalers_get_n_rows ());
  g_assert_cmpuint (ns_all_scalers_plot_row_get_count (wait_for_plot (f->view), 0), ==, 150);
}

/* Two changes in a row: the first fit is cancelled and the figure is the second selection's. */
static void
test_selection_change (Fixture *f, gconstpointer unused)
{
  const double probabilities[2] = { 0.0, 0.99 };
  int x = ns_dataset_find_column (f->data, "petal_width_cm");
  double cut[2];
  NsAllScalersZoom zoom;

  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  ns_all_scalers_view_set_dataset (f->view, f->data);
  ns_all_scalers_view_select (f->view, "sepal_width_cm", "petal_length_cm", NULL);
  ns_all_scalers_view_select (f->view, "petal_width_cm", "sepal_length_cm", "species");
  ns_all_scalers_plot_row_get_zoom (wait_for_plot (f->view), 0, &zoom);
  ns_quantiles (ns_dataset_get_values (f->data, x), ns_dataset_get_n_samples (f->data), 1,
                probabilities, 2, cut);
  g_assert_cmpfloat (zoom.x_lo, ==, cut[0]);
  g_assert_cmpfloat (zoom.x_hi, ==, cut[1]);
  g_assert_cmpstr (selected (f->view, "x_dropdown"), ==, "petal_width_cm");
  g_assert_cmpstr (selected (f->view, "color_dropdown"), ==, "species");
}

/* The figure shown saved as the CLI saves it; nothing before it is fitted, nor to a name that is
 * not a figure's (the dataset's own). */
static void
test_save_figure (Fixture *f, gconstpointer unused)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "all.svg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) refused = NULL;

  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  ns_all_scalers_view_set_dataset (f->view, f->data);
  g_assert_false (ns_all_scalers_view_save_figure (f->view, path, &refused));
  g_clear_error (&refused);
  wait_for_plot (f->view);
  g_assert_true (ns_all_scalers_view_save_figure (f->view, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_false (
    ns_all_scalers_view_save_figure (f->view, ns_dataset_get_source_path (f->data), &refused));
  g_assert_nonnull (refused);
  g_unlink (path);
}

/* digits' first pixel column is constant: the page starts on the first two that vary. */
static void
test_starts_on_varying_features (Fixture *f, gconstpointer unused)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", "digits.csv", NULL);
  g_autoptr (NsDataset) digits = NULL;
  NsReadOptions options;

  ns_read_options_init (&options);
  digits = ns_dataset_load (path, &options, NULL, NULL);
  g_assert_nonnull (digits);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  ns_all_scalers_view_set_dataset (f->view, digits);
  g_assert_cmpstr (selected (f->view, "x_dropdown"), ==, "px_0_1");
  g_assert_cmpstr (selected (f->view, "y_dropdown"), ==, "px_0_2");
}

static const char *
status_text (NsAllScalersView *view)
{
  GObject *label =
    gtk_widget_get_template_child (GTK_WIDGET (view), NS_TYPE_ALL_SCALERS_VIEW, "status_label");

  return gtk_label_get_text (GTK_LABEL (label));
}

/* The status says what the zoom keeps: strictly inside the percentiles for iris, and for
 * diabetes' two-valued sex column (1 or 2) the values at its cut-offs, which the zoom does keep. */
static void
test_zoom_wording (Fixture *f, gconstpointer unused)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", "diabetes.csv", NULL);
  g_autoptr (NsDataset) diabetes = NULL;
  NsReadOptions options;
  NsAllScalersZoom zoom;

  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  ns_all_scalers_view_set_dataset (f->view, f->data);
  wait_for_plot (f->view);
  g_assert_nonnull (strstr (status_text (f->view), "strictly inside the 0th\u201399th"));
  g_assert_null (strstr (status_text (f->view), "at them"));

  ns_read_options_init (&options);
  diabetes = ns_dataset_load (path, &options, NULL, NULL);
  g_assert_nonnull (diabetes);
  ns_all_scalers_view_set_dataset (f->view, diabetes);
  ns_all_scalers_view_select (f->view, "sex", "bmi", NULL);
  while (ns_all_scalers_view_get_plot (f->view) == NULL ||
         g_strcmp0 (selected (f->view, "x_dropdown"), "sex") != 0 ||
         strstr (status_text (f->view), "Fitting") != NULL)
    g_main_context_iteration (NULL, TRUE);
  ns_all_scalers_plot_row_get_zoom (wait_for_plot (f->view), 0, &zoom);
  g_assert_true (zoom.whole[0]);
  g_assert_false (zoom.whole[1]);
  g_assert_cmpuint (zoom.kept, ==,
                    ns_dataset_get_n_samples (diabetes) - zoom.beyond[NS_ALL_SCALERS_BOTTOM] -
                      zoom.beyond[NS_ALL_SCALERS_TOP]);
  g_assert_nonnull (strstr (status_text (f->view), "strictly inside the 0th\u201399th percentiles; "
                                                   "on sex, with no value strictly between them, "
                                                   "those at them"));
  g_assert_null (strstr (status_text (f->view), "bmi:"));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/all-scalers-view/dropdowns-and-lazy-fit", Fixture, NULL, fixture_set_up,
              test_dropdowns_and_lazy_fit, fixture_tear_down);
  g_test_add ("/all-scalers-view/selection-change", Fixture, NULL, fixture_set_up,
              test_selection_change, fixture_tear_down);
  g_test_add ("/all-scalers-view/save-figure", Fixture, NULL, fixture_set_up, test_save_figure,
              fixture_tear_down);
  g_test_add ("/all-scalers-view/zoom-wording", Fixture, NULL, fixture_set_up, test_zoom_wording,
              fixture_tear_down);
  g_test_add ("/all-scalers-view/starts-on-varying-features", Fixture, NULL, fixture_set_up,
              test_starts_on_varying_features, fixture_tear_down);
  return g_test_run ();
}
