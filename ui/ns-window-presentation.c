/* ns-window-presentation.c: presentation mode on every page and the export of the figure the
 * page shows, at a preset size.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-window"
#include "config.h"
#include "ns-window-private.h"

#include "ns-figure-export-dialog.h"

static void
ns_window_presentation_changed (gboolean active, double scale, gpointer data)
{
  NsWindow *self = data;

  ns_comparison_view_set_font_scale (self->comparison_view, scale);
  ns_overview_view_set_text_scale (self->overview_view, scale);
  ns_all_scalers_view_set_text_scale (self->all_scalers_view, scale);
  ns_batchnorm_view_set_presentation_scale (self->batchnorm_view, scale);
  ns_batchnorm_view_set_presentation (self->batchnorm_view, active);
}

static void
ns_window_action_presentation (GtkWidget *widget, const char *action, GVariant *param)
{
  NsPresentation *presentation = NS_WINDOW (widget)->presentation;

  ns_presentation_set_active (presentation, param ? g_variant_get_boolean (param)
                                                  : !ns_presentation_get_active (presentation));
}

static void
ns_window_action_text_scale (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);
  double scale = ns_presentation_get_scale (self->presentation) + g_variant_get_double (param);
  g_autofree char *text = NULL;

  ns_presentation_set_scale (self->presentation, scale);
  if (self->settings != NULL)
    g_settings_set_double (self->settings, "presentation-scale",
                           ns_presentation_get_scale (self->presentation));
  text = g_strdup_printf ("Presentation text scale %.1f×",
                          ns_presentation_get_scale (self->presentation));
  _ns_window_toast (self, text);
}

/* The next or previous feature on the Compare page. */
static void
ns_window_step_feature (NsWindow *self, int delta)
{
  const NsDataset *dataset = self->data ? self->data->dataset : NULL;
  int column = ns_comparison_view_get_column (self->comparison_view);
  guint n = dataset ? ns_dataset_get_n_features (dataset) : 0;

  for (guint f = 0; f < n; f++)
    if ((int) ns_dataset_get_feature_column (dataset, f) == column)
      {
        ns_column_list_select (self->column_list,
                               ns_dataset_get_feature_column (dataset, (f + n + delta) % n));
        return;
      }
}

/* While presenting, the arrow keys step: the demo's batches on Batch Norm, features on Compare. */
static gboolean
ns_window_presentation_key (GtkEventControllerKey *keys, guint keyval, guint keycode,
                            GdkModifierType state, gpointer data)
{
  NsWindow *self = data;
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  int delta = keyval == GDK_KEY_Right ? 1 : keyval == GDK_KEY_Left ? -1 : 0;
  gsize cursor;

  if (!ns_presentation_get_active (self->presentation) || delta == 0)
    return FALSE;
  if (g_strcmp0 (page, "batchnorm") == 0)
    {
      cursor = ns_batchnorm_view_get_cursor (self->batchnorm_view);
      ns_batchnorm_view_play (self->batchnorm_view, FALSE);
      if (delta > 0)
        ns_batchnorm_view_step (self->batchnorm_view);
      else if (cursor > 1)
        ns_batchnorm_view_set_cursor (self->batchnorm_view, cursor - 1);
      return TRUE;
    }
  if (g_strcmp0 (page, "compare") == 0)
    {
      ns_window_step_feature (self, delta);
      return TRUE;
    }
  return FALSE;
}

void
_ns_window_presentation_init (NsWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->presentation =
    ns_presentation_new (GTK_WINDOW (self), self->header_bar, ns_window_presentation_changed, self);
  if (self->settings != NULL)
    ns_presentation_set_scale (self->presentation,
                               g_settings_get_double (self->settings, "presentation-scale"));
  ns_presentation_add_hidden (self->presentation, gtk_paned_get_start_child (self->paned));
  ns_presentation_add_hidden (self->presentation, GTK_WIDGET (self->error_revealer));
  ns_presentation_add_hidden (self->presentation, GTK_WIDGET (self->progress_revealer));
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (ns_window_presentation_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

gboolean
ns_window_get_presenting (NsWindow *self)
{
  return ns_presentation_get_active (self->presentation);
}

static void
ns_window_toast_saved (NsWindow *self, const char *path)
{
  g_autofree char *message = g_strdup_printf ("Figure saved to %s", path);

  _ns_window_toast (self, message);
}

static gboolean
ns_window_save_compare_figure (const char *path, double width, double height, double font_scale,
                               gpointer data, GError **error)
{
  NsWindow *self = data;

  if (!ns_comparison_view_save_figure_sized (self->comparison_view, path, width, height, font_scale,
                                             error))
    return FALSE;
  ns_window_toast_saved (self, path);
  return TRUE;
}

static gboolean
ns_window_save_batchnorm_figure (const char *path, double width, double height, double font_scale,
                                 gpointer data, GError **error)
{
  NsWindow *self = data;
  NsBatchNormFigure figure = ns_batchnorm_view_get_export_choice (self->batchnorm_view);

  if (!ns_batchnorm_view_export_figure_sized (self->batchnorm_view, figure, path, width, height,
                                              font_scale, error))
    return FALSE;
  ns_window_toast_saved (self, path);
  return TRUE;
}

static void
ns_window_action_export_figure (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  GtkWidget *dialog;

  if (g_strcmp0 (page, "compare") != 0 && g_strcmp0 (page, "batchnorm") != 0)
    {
      _ns_window_toast (self, "Figures are exported from Compare and Batch Norm");
      return;
    }
  dialog =
    ns_figure_export_dialog_new (GTK_WINDOW (self), page[0] == 'c' ? "comparison" : "batchnorm",
                                 page[0] == 'c' ? ns_window_save_compare_figure
                                                : ns_window_save_batchnorm_figure,
                                 self);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_ns_window_presentation_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-figure", NULL,
                                   ns_window_action_export_figure);
  gtk_widget_class_install_action (widget_class, "win.presentation", NULL,
                                   ns_window_action_presentation);
  gtk_widget_class_install_action (widget_class, "win.presentation-state", "b",
                                   ns_window_action_presentation);
  gtk_widget_class_install_action (widget_class, "win.text-scale", "d",
                                   ns_window_action_text_scale);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.presentation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.text-scale", "d", 0.2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.text-scale", "d", 0.2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.text-scale", "d", -0.2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-figure", NULL);
}
