/* ns-figure-export-dialog.h: choose a figure's size (a core preset or custom) and text scale, then
 * a file; the page that opened it saves what it shows at that size.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NS_TYPE_FIGURE_EXPORT_DIALOG (ns_figure_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NsFigureExportDialog, ns_figure_export_dialog, NS, FIGURE_EXPORT_DIALOG,
                      GtkWindow)

/* Saves the figure to path at width x height (pixels, or points for SVG/PDF) with its text
 * scaled; the dialog shows the error or closes. */
typedef gboolean (*NsFigureSaveFunc) (const char *path, double width, double height,
                                      double font_scale, gpointer data, GError **error);

/* name: the file name offered, without extension (the preset's format gives it). */
GtkWidget *ns_figure_export_dialog_new (GtkWindow *parent, const char *name, NsFigureSaveFunc save,
                                        gpointer data);
/* Index into the core's presets; ns_figure_preset_count () is "Custom". */
void ns_figure_export_dialog_set_preset (NsFigureExportDialog *self, guint index);
void ns_figure_export_dialog_get_size (NsFigureExportDialog *self, double *width, double *height,
                                       double *font_scale);
/* As accepting the file chooser with path: saves, then closes (TRUE) or shows why not. */
gboolean ns_figure_export_dialog_save_to (NsFigureExportDialog *self, const char *path);
/* The last save's message ("Figure saved to …" or the error). */
const char *ns_figure_export_dialog_get_message (NsFigureExportDialog *self);

G_END_DECLS
