/* test-axis-explorer-view.c: widget tests of the axis explorer page under Xvfb: the demo tensor,
 * the controls driving the core explorer, a loaded tensor and a table, and Cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include "core/ns-reader.h"
#include "ui/ns-axis-explorer-view.h"

typedef struct {
  GtkWidget *window;
  NsAxisExplorerView *view;
} Fixture;

static char *
source_path (const char *dir, const char *name)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");

  return g_build_filename (root != NULL ? root : ".", dir, name, NULL);
}

static void
fixture_set_up (Fixture *f, gconstpointer unused)
{
  g_autofree char *digits = source_path ("data", "digits.csv");

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  f->view = NS_AXIS_EXPLORER_VIEW (ns_axis_explorer_view_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  ns_axis_explorer_view_set_demo_path (f->view, digits);
  g_assert_false (ns_axis_explorer_view_is_busy (f->view)); /* nothing runs before it is shown */
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
  ns_axis_explorer_view_wait (f->view);
}

static void
fixture_tear_down (Fixture *f, gconstpointer unused)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static void
test_demo (Fixture *f, gconstpointer unused)
{
  const NsAxisExplorer *explorer = ns_axis_explorer_view_get_explorer (f->view);

  g_assert_nonnull (explorer);
  g_assert_cmpstr (ns_axis_explorer_view_get_status (f->view), ==, "");
  g_assert_cmpuint (ns_axis_explorer_get_n_samples (explorer), ==, 1797);
  g_assert_cmpuint (ns_axis_explorer_get_n_channels (explorer), ==, 4);
  g_assert_cmpuint (ns_axis_explorer_get_spatial (explorer), ==, 16);
  g_assert_cmpuint (ns_axis_explorer_get_options (explorer)->groups, ==, 2);
  g_assert_nonnull (strstr (ns_axis_explorer_view_get_explanation (f->view),
                            "Batch size 2: batch norm vs group norm."));
  g_assert_nonnull (strstr (ns_axis_explorer_view_get_explanation (f->view),
                            "Group norm's moves by 0 at every batch size"));
}

/* Each control reruns the core explorer with its value; the kind only moves the frame. */
static void
test_controls (Fixture *f, gconstpointer unused)
{
  const NsAxisExplorer *before = ns_axis_explorer_view_get_explorer (f->view);
  const NsAxisExplorerOptions *o;

  ns_axis_explorer_view_set_kind (f->view, NS_LAYER_NORM_BATCH);
  g_assert_false (ns_axis_explorer_view_is_busy (f->view));
  g_assert_true (ns_axis_explorer_view_get_explorer (f->view) == before);
  ns_axis_explorer_view_set_groups (f->view, 4);
  ns_axis_explorer_view_wait (f->view);
  ns_axis_explorer_view_set_channel (f->view, 3);
  ns_axis_explorer_view_wait (f->view);
  ns_axis_explorer_view_set_batch_size (f->view, 16);
  ns_axis_explorer_view_wait (f->view);
  o = ns_axis_explorer_get_options (ns_axis_explorer_view_get_explorer (f->view));
  g_assert_cmpuint (o->groups, ==, 4);
  g_assert_cmpuint (o->channel, ==, 3);
  g_assert_cmpuint (o->batch_size, ==, 16);
  gtk_test_widget_wait_for_draw (f->window);
}

/* A tensor is read again in C order; a table is (N, C) and instance norm is left out. */
static void
test_datasets (Fixture *f, gconstpointer unused)
{
  g_autofree char *npy = NULL, *csv = source_path ("data", "iris.csv");
  const char *dir = g_getenv ("NS_TEST_DATA");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) tensor = NULL, table = NULL;
  NsReadOptions read_options;
  const NsAxisExplorer *explorer;

  npy = g_build_filename (dir != NULL ? dir : "tests/data", "pernorm", "nchw.npy", NULL);
  ns_read_options_init (&read_options);
  read_options.axis = "1"; /* as the window may have read it: the page reads it again */
  tensor = ns_dataset_load (npy, &read_options, NULL, &error);
  g_assert_no_error (error);
  ns_axis_explorer_view_set_dataset (f->view, tensor);
  ns_axis_explorer_view_wait (f->view);
  g_assert_cmpstr (ns_axis_explorer_view_get_explanation (f->view), ==, "");
  explorer = ns_axis_explorer_view_get_explorer (f->view);
  g_assert_cmpuint (ns_axis_explorer_get_n_channels (explorer), ==, 6);
  g_assert_cmpuint (ns_axis_explorer_get_spatial (explorer), ==, 20);
  ns_read_options_init (&read_options);
  table = ns_dataset_load (csv, &read_options, NULL, &error);
  g_assert_no_error (error);
  ns_axis_explorer_view_set_dataset (f->view, table);
  ns_axis_explorer_view_wait (f->view);
  explorer = ns_axis_explorer_view_get_explorer (f->view);
  g_assert_cmpuint (ns_axis_explorer_get_n_samples (explorer), ==, 150);
  g_assert_nonnull (ns_axis_explorer_get_refusal (explorer, NS_LAYER_NORM_INSTANCE));
  ns_axis_explorer_view_set_dataset (f->view, NULL);
  ns_axis_explorer_view_wait (f->view);
  g_assert_cmpuint (ns_axis_explorer_get_n_samples (ns_axis_explorer_view_get_explorer (f->view)),
                    ==, 1797);
}

/* Cancel stops the run under way; the last finished result stays. */
static void
test_cancel (Fixture *f, gconstpointer unused)
{
  const char *status;
  guint groups;

  ns_axis_explorer_view_set_groups (f->view, 1);
  g_assert_true (ns_axis_explorer_view_is_busy (f->view));
  ns_axis_explorer_view_cancel (f->view);
  ns_axis_explorer_view_wait (f->view);
  status = ns_axis_explorer_view_get_status (f->view);
  groups = ns_axis_explorer_get_options (ns_axis_explorer_view_get_explorer (f->view))->groups;
  /* The run may have finished before the cancel reached it: then its result is shown. */
  if (groups == 2)
    g_assert_true (g_str_has_prefix (status, "Cancelled"));
  else
    {
      g_assert_cmpuint (groups, ==, 1);
      g_assert_cmpstr (status, ==, "");
    }
  g_test_message ("status after Cancel: '%s'", status);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
#define ADD(path, fn) \
  g_test_add ("/axis-explorer-view/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("demo", test_demo);
  ADD ("controls", test_controls);
  ADD ("datasets", test_datasets);
  ADD ("cancel", test_cancel);
#undef ADD
  return g_test_run ();
}
