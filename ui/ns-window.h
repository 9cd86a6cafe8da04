/* ns-window.h: the main window: one dataset, its columns, the comparison and export views.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "ns-column-list.h"
#include "ns-comparison-view.h"
#include "ns-overview-view.h"
#include "ns-export-panel.h"
#include "ns-loader.h"
#include "ns-batchnorm-view.h"
#include "ns-all-scalers-view.h"

G_BEGIN_DECLS

#define NS_TYPE_WINDOW (ns_window_get_type ())
G_DECLARE_FINAL_TYPE (NsWindow, ns_window, NS, WINDOW, AdwApplicationWindow)

NsWindow *ns_window_new (GtkApplication *application);
/* Loads a file in the background; "loaded" is emitted when it is done (or failed). */
void ns_window_open (NsWindow *self, GFile *file);
/* Loads a second file and shows it normalized with the current file's statistics. */
void ns_window_open_test_file (NsWindow *self, GFile *file);
gboolean ns_window_is_loading (NsWindow *self);

const NsLoadResult *ns_window_get_data (NsWindow *self);
NsColumnList *ns_window_get_column_list (NsWindow *self);
NsComparisonView *ns_window_get_comparison_view (NsWindow *self);
NsOverviewView *ns_window_get_overview_view (NsWindow *self);
/* Presentation mode (F11 on every page, Escape leaves). */
gboolean ns_window_get_presenting (NsWindow *self);
NsExportPanel *ns_window_get_export_panel (NsWindow *self);
NsBatchNormView *ns_window_get_batchnorm_view (NsWindow *self);
NsAllScalersView *ns_window_get_all_scalers_view (NsWindow *self);
/* Opens a guided batch-norm demo (app.demo) in the Batch Norm view. */
void ns_window_show_demo (NsWindow *self, const char *id);
/* The message of the last load error shown ("" if none). */
const char *ns_window_get_error (NsWindow *self);

/* Path of a bundled dataset ("iris" -> .../iris.csv) or NULL: the installed data directory, else
 * the source tree's data/ (running from a build tree). */

G_END_DECLS
