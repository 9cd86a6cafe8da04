/* ns-batchnorm-view-export.c: the batch-norm explorer's figure export: the
 * export row (figure, path, file chooser) and saving a figure at its screen size or a preset size.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

static void
ns_batchnorm_view_toast (NsBatchNormView *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  gtk_label_set_text (self->status_label, text);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

gboolean
ns_batchnorm_view_export_figure_sized (NsBatchNormView *self, NsBatchNormFigure figure,
                                       const char *path, double width, double height,
                                       double font_scale, GError **error)
{
  NsPlotSeries *plot = ns_batchnorm_view_get_figure (self, figure);
  NsPlotFormat format;
  gboolean saved;

  if (!ns_plot_format_from_path (path, &format, error))
    return FALSE;
  if (plot == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: nothing to export yet: open a dataset or a demo", path);
      return FALSE;
    }
  ns_plot_series_set_scale (plot, font_scale);
  saved = ns_plot_series_save (plot, path, format, width, height, error);
  ns_plot_series_set_scale (plot, self->scale);
  return saved;
}

NsBatchNormFigure
ns_batchnorm_view_get_export_choice (NsBatchNormView *self)
{
  return MIN (gtk_drop_down_get_selected (self->export_dropdown), NS_BATCHNORM_N_FIGURES - 1);
}

gboolean
ns_batchnorm_view_export_figure (NsBatchNormView *self, NsBatchNormFigure figure, const char *path,
                                 GError **error)
{
  GtkWidget *area = GTK_WIDGET (_ns_batchnorm_view_area (self, figure));
  double width = gtk_widget_get_width (area), height = gtk_widget_get_height (area);

  if (width < 200 || height < 150)
    width = 1200, height = 700;
  return ns_batchnorm_view_export_figure_sized (self, figure, path, width, height, self->scale,
                                                error);
}

static void
ns_batchnorm_view_export_to (NsBatchNormView *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  guint figure = gtk_drop_down_get_selected (self->export_dropdown);
  g_autofree char *message = NULL;

  if (!ns_batchnorm_view_export_figure (self, MIN (figure, NS_BATCHNORM_N_FIGURES - 1), path,
                                        &error))
    message = g_strdup (error->message);
  else
    message = g_strdup_printf ("Figure saved to %s", path);
  ns_batchnorm_view_toast (self, message);
}

static void
ns_batchnorm_view_choose_response (GtkNativeDialog *dialog, int response, NsBatchNormView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self->export_entry), path);
          ns_batchnorm_view_export_to (self, path);
        }
    }
  g_object_unref (dialog);
}

void
_ns_batchnorm_view_choose_clicked (NsBatchNormView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new ("Export Figure", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "figure.png");
  g_signal_connect (dialog, "response", G_CALLBACK (ns_batchnorm_view_choose_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
_ns_batchnorm_view_export_clicked (NsBatchNormView *self)
{
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->export_entry));

  if (path[0] == '\0')
    _ns_batchnorm_view_choose_clicked (self);
  else
    ns_batchnorm_view_export_to (self, path);
}
