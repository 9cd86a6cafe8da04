/* test-ui-helpers.c: what the widget tests share: fresh windows, loading and waiting.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/ns-demo.h"
#include "test-ui-helpers.h"

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

gboolean
ns_test_ui_load_and_wait (NsWindow *window, const char *path, gboolean test_file)
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
NsWindow *
ns_test_ui_new_window (void)
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
void
ns_test_ui_wait_for_simulation (NsComparisonView *view)
{
  while (ns_comparison_view_is_simulating (view))
    g_main_context_iteration (NULL, TRUE);
}

NsWindow *
ns_test_ui_window_with_iris (char **path_out)
{
  g_autofree char *path = ns_demo_find_sample_file ("iris");
  NsWindow *window = ns_test_ui_new_window ();

  g_assert_nonnull (path);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ns_test_ui_load_and_wait (window, path, FALSE));
  if (path_out)
    *path_out = g_steal_pointer (&path);
  return window;
}

void
ns_test_ui_wait_for_load (NsWindow *window)
{
  LoadState state = { FALSE, FALSE };
  gulong handler = g_signal_connect (window, "loaded", G_CALLBACK (on_loaded), &state);

  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (window, handler);
  g_assert_true (state.success);
}
