/* ns-export-panel.h: exporting fitted statistics (JSON and the formats of ns-export) and code.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-batchnorm.h"
#include "core/ns-export.h"
#include "ns-loader.h"

G_BEGIN_DECLS

/* Strategies the panel exports: the five scalers (NsMethod order), then batch norm. */
#define NS_EXPORT_STRATEGY_BATCHNORM NS_N_SCALERS
/* Formats: JSON stats file first, then NsExportFormat + 1. */
#define NS_EXPORT_PANEL_JSON 0

#define NS_TYPE_EXPORT_PANEL (ns_export_panel_get_type ())
G_DECLARE_FINAL_TYPE (NsExportPanel, ns_export_panel, NS, EXPORT_PANEL, GtkWidget)

/* Borrowed loaded data; NULL clears. */
void ns_export_panel_set_data (NsExportPanel *self, const NsLoadResult *data);
/* Batch-norm settings used for the batch-norm strategy. */
void ns_export_panel_set_batchnorm_options (NsExportPanel *self, const NsBatchNormOptions *options);
void ns_export_panel_set_strategy (NsExportPanel *self, guint strategy);
void ns_export_panel_set_format (NsExportPanel *self, guint format);
void ns_export_panel_set_path (NsExportPanel *self, const char *path);
/* Writes the chosen export to the path; emits "toast" with the result. */
gboolean ns_export_panel_export (NsExportPanel *self, GError **error);
/* The code preview's text: the chosen format's snippet (the one copied last, PyTorch at first,
 * while the format is a file format) of the chosen strategy, or why it cannot be made. */
char *ns_export_panel_get_preview (NsExportPanel *self);
/* Runs the main loop until the preview shows the current choice (tests). */
void ns_export_panel_wait_preview (NsExportPanel *self);
/* The code snippet for torch, keras or sklearn, also put on the clipboard. */
char *ns_export_panel_copy_code (NsExportPanel *self, NsExportFormat format, GError **error);

G_END_DECLS
