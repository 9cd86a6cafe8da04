/* ns-figure-export-dialog.c: the size/scale controls, the file chooser and the save.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-figure-export-dialog"
#include "config.h"
#include "ns-figure-export-dialog.h"

#include "core/ns-figure-preset.h"

struct _NsFigureExportDialog {
  GtkWindow parent_instance;
  GtkDropDown *preset;
  GtkSpinButton *width, *height, *font_scale;
  GtkLabel *message_label;
  char *name;
  char *message;
  NsFigureSaveFunc save;
  gpointer data;
};

G_DEFINE_FINAL_TYPE (NsFigureExportDialog, ns_figure_export_dialog, GTK_TYPE_WINDOW)

static const char *const ns_format_extensions[] = { "png", "svg", "pdf" };

static void
ns_figure_export_dialog_preset_changed (NsFigureExportDialog *self)
{
  guint index = gtk_drop_down_get_selected (self->preset);
  gboolean custom = index >= ns_figure_preset_count ();
  const NsFigurePreset *preset;

  gtk_widget_set_sensitive (GTK_WIDGET (self->width), custom);
  gtk_widget_set_sensitive (GTK_WIDGET (self->height), custom);
  if (custom)
    return;
  preset = ns_figure_preset_get (index);
  gtk_spin_button_set_value (self->width, preset->width);
  gtk_spin_button_set_value (self->height, preset->height);
  gtk_spin_button_set_value (self->font_scale, preset->font_scale);
}

void
ns_figure_export_dialog_set_preset (NsFigureExportDialog *self, guint index)
{
  gtk_drop_down_set_selected (self->preset, MIN (index, ns_figure_preset_count ()));
}

void
ns_figure_export_dialog_get_size (NsFigureExportDialog *self, double *width, double *height,
                                  double *font_scale)
{
  *width = gtk_spin_button_get_value (self->width);
  *height = gtk_spin_button_get_value (self->height);
  *font_scale = gtk_spin_button_get_value (self->font_scale);
}

gboolean
ns_figure_export_dialog_save_to (NsFigureExportDialog *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  double width, height, font_scale;
  gboolean saved;

  ns_figure_export_dialog_get_size (self, &width, &height, &font_scale);
  saved = self->save (path, width, height, font_scale, self->data, &error);
  g_free (self->message);
  self->message = saved ? g_strdup_printf ("Figure saved to %s", path) : g_strdup (error->message);
  gtk_label_set_text (self->message_label, self->message);
  if (saved)
    gtk_window_close (GTK_WINDOW (self));
  return saved;
}

const char *
ns_figure_export_dialog_get_message (NsFigureExportDialog *self)
{
  return self->message ? self->message : "";
}

static void
ns_figure_export_dialog_chosen (GtkNativeDialog *chooser, int response, NsFigureExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      ns_figure_export_dialog_save_to (self, path);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
ns_figure_export_dialog_choose_file (NsFigureExportDialog *self)
{
  GtkNativeDialog *chooser = GTK_NATIVE_DIALOG (
    gtk_file_chooser_native_new ("Export Figure", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 "_Export", "_Cancel"));
  guint index = gtk_drop_down_get_selected (self->preset);
  NsPlotFormat format =
    index < ns_figure_preset_count () ? ns_figure_preset_get (index)->format : NS_PLOT_FORMAT_PNG;
  g_autofree char *name = g_strdup_printf ("%s.%s", self->name, ns_format_extensions[format]);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (ns_figure_export_dialog_chosen),
                    g_object_ref (self));
  gtk_native_dialog_show (chooser);
}

static GtkSpinButton *
ns_figure_export_dialog_spin (GtkGrid *grid, int row, const char *label, double lo, double hi,
                              double step, guint digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lo, hi, step);
  GtkWidget *text = gtk_label_new (label);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_grid_attach (grid, text, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

static GtkDropDown *
ns_figure_export_dialog_presets (void)
{
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < ns_figure_preset_count (); i++)
    gtk_string_list_append (labels, ns_figure_preset_get (i)->label);
  gtk_string_list_append (labels, "Custom size");
  return GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL));
}

static void
ns_figure_export_dialog_build (NsFigureExportDialog *self)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *save = gtk_button_new_with_label ("Choose File…");

  gtk_grid_set_row_spacing (grid, 8);
  gtk_grid_set_column_spacing (grid, 12);
  gtk_widget_add_css_class (GTK_WIDGET (grid), "controls");
  self->preset = ns_figure_export_dialog_presets ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preset), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Figure size", -1);
  gtk_grid_attach (grid, gtk_label_new ("Size"), 0, 0, 1, 1);
  gtk_grid_attach (grid, GTK_WIDGET (self->preset), 1, 0, 1, 1);
  self->width = ns_figure_export_dialog_spin (grid, 1, "Width", 100, 20000, 10, 0);
  self->height = ns_figure_export_dialog_spin (grid, 2, "Height", 100, 20000, 10, 0);
  self->font_scale = ns_figure_export_dialog_spin (grid, 3, "Text scale", 0.25, 8, 0.1, 2);
  self->message_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->message_label, TRUE);
  gtk_grid_attach (grid, GTK_WIDGET (self->message_label), 0, 4, 2, 1);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (ns_figure_export_dialog_choose_file),
                            self);
  gtk_grid_attach (grid, save, 1, 5, 1, 1);
  gtk_window_set_child (GTK_WINDOW (self), GTK_WIDGET (grid));
  g_signal_connect_swapped (self->preset, "notify::selected",
                            G_CALLBACK (ns_figure_export_dialog_preset_changed), self);
}

static void
ns_figure_export_dialog_finalize (GObject *object)
{
  NsFigureExportDialog *self = NS_FIGURE_EXPORT_DIALOG (object);

  g_free (self->name);
  g_free (self->message);
  G_OBJECT_CLASS (ns_figure_export_dialog_parent_class)->finalize (object);
}

static void
ns_figure_export_dialog_class_init (NsFigureExportDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ns_figure_export_dialog_finalize;
}

static void
ns_figure_export_dialog_init (NsFigureExportDialog *self)
{
  ns_figure_export_dialog_build (self);
  gtk_window_set_title (GTK_WINDOW (self), "Export Figure");
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
}

GtkWidget *
ns_figure_export_dialog_new (GtkWindow *parent, const char *name, NsFigureSaveFunc save,
                             gpointer data)
{
  NsFigureExportDialog *self = g_object_new (NS_TYPE_FIGURE_EXPORT_DIALOG, NULL);

  self->name = g_strdup (name);
  self->save = save;
  self->data = data;
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  /* The 16:9 slide is what a lecture needs most. */
  for (guint i = 0; i < ns_figure_preset_count (); i++)
    if (g_strcmp0 (ns_figure_preset_get (i)->id, "slide-16-9") == 0)
      ns_figure_export_dialog_set_preset (self, i);
  ns_figure_export_dialog_preset_changed (self);
  return GTK_WIDGET (self);
}
