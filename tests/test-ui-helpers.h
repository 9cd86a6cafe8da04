/* test-ui-helpers.h: what the widget tests share: fresh windows, loading and waiting.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ui/ns-window.h"

G_BEGIN_DECLS

/* A window with the settings as a first run has them (every key reset). */
NsWindow *ns_test_ui_new_window (void);
/* Opens path (as the test file when test_file) and runs the main loop until the window's "loaded"
 * signal; returns whether the load succeeded. */
gboolean ns_test_ui_load_and_wait (NsWindow *window, const char *path, gboolean test_file);
/* Runs the main loop until the next load (started by an action) ends; fails unless it succeeded. */
void ns_test_ui_wait_for_load (NsWindow *window);
/* Runs the main loop until the Compare page's batch-norm worker is done. */
void ns_test_ui_wait_for_simulation (NsComparisonView *view);
/* A fresh window, presented, with the iris sample loaded; its path into path_out unless NULL. */
NsWindow *ns_test_ui_window_with_iris (char **path_out);

G_END_DECLS
