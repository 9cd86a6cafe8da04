/* ns-window.c: the main window: its pages, what Compare and Batch Norm share, its size on screen.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-window"
#include "config.h"
#include "ns-window-private.h"

#include "core/ns-demo.h"

G_DEFINE_FINAL_TYPE (NsWindow, ns_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ns_window_action_show_export (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->data == NULL)
    {
      _ns_window_toast (self, "Open a dataset to export its statistics");
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "export");
}

static void
ns_window_action_qq (GtkWidget *widget, const char *action, GVariant *param)
{
  NsComparisonView *view = NS_WINDOW (widget)->comparison_view;

  ns_comparison_view_set_qq (view, !ns_comparison_view_get_qq (view));
}

/* The axis explorer on its demo tensor, the digits images. */
static void
ns_window_action_show_axis_explorer (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  ns_axis_explorer_view_set_dataset (self->axis_explorer_view, NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  adw_view_stack_set_visible_child_name (self->view_stack, "axes");
}

static void
ns_window_column_selected (NsWindow *self, int column)
{
  if (column >= 0 && self->comparison_view != NULL)
    ns_comparison_view_set_column (self->comparison_view, column);
}

/* Compare and Batch Norm share one batch size, preset, momentum and feature. */

static void
ns_window_share_to_batchnorm (NsWindow *self)
{
  const NsDataset *dataset = self->data ? self->data->dataset : NULL;
  int column = ns_comparison_view_get_column (self->comparison_view);
  NsBatchNormOptions options, shown;

  if (self->sharing || ns_batchnorm_view_get_demo (self->batchnorm_view) != NULL)
    return;
  self->sharing = TRUE;
  ns_comparison_view_get_batchnorm_options (self->comparison_view, &options);
  ns_batchnorm_view_get_options (self->batchnorm_view, &shown);
  if (shown.preset != options.preset)
    ns_batchnorm_view_set_preset (self->batchnorm_view, options.preset);
  ns_batchnorm_view_set_momentum (self->batchnorm_view, options.momentum);
  ns_batchnorm_view_set_batch_size (self->batchnorm_view, options.batch_size);
  for (guint f = 0; dataset != NULL && f < ns_dataset_get_n_features (dataset); f++)
    if ((int) ns_dataset_get_feature_column (dataset, f) == column)
      ns_batchnorm_view_set_feature (self->batchnorm_view, f);
  self->sharing = FALSE;
}

static void
ns_window_share_to_comparison (NsWindow *self)
{
  const NsDataset *dataset = self->data ? self->data->dataset : NULL;
  guint feature = ns_batchnorm_view_get_feature (self->batchnorm_view);
  NsBatchNormOptions options;

  /* A demo's settings belong to its own data. */
  if (self->sharing || ns_batchnorm_view_get_demo (self->batchnorm_view) != NULL)
    return;
  self->sharing = TRUE;
  ns_batchnorm_view_get_options (self->batchnorm_view, &options);
  ns_comparison_view_set_preset (self->comparison_view, options.preset);
  ns_comparison_view_set_momentum (self->comparison_view, options.momentum);
  ns_comparison_view_set_batch_size (self->comparison_view, options.batch_size);
  if (dataset != NULL && feature < ns_dataset_get_n_features (dataset) &&
      (int) ns_dataset_get_feature_column (dataset, feature) !=
        ns_comparison_view_get_column (self->comparison_view))
    ns_column_list_select (self->column_list, ns_dataset_get_feature_column (dataset, feature));
  self->sharing = FALSE;
}

static void
ns_window_comparison_changed (NsWindow *self)
{
  NsBatchNormOptions options;

  NsStrategy strategies[NS_N_COMPARED_STRATEGIES];
  guint n = ns_comparison_view_get_active_strategies (self->comparison_view, strategies);

  ns_comparison_view_get_batchnorm_options (self->comparison_view, &options);
  ns_export_panel_set_batchnorm_options (self->export_panel, &options);
  ns_overview_view_set_batchnorm_options (self->overview_view, &options);
  ns_overview_view_set_strategies (self->overview_view, strategies, n);
  _ns_window_save_strategies (self, strategies, n);
  ns_window_share_to_batchnorm (self);
}

static void
ns_window_strategy_activated (NsWindow *self, int strategy)
{
  /* The export panel offers what the user looked at last. */
  if (strategy > NS_STRATEGY_BN_INFERENCE)
    return; /* the panel exports the linear scalers and batch norm */
  ns_export_panel_set_strategy (self->export_panel, strategy < NS_STRATEGY_BN_TRAIN
                                                      ? (guint) strategy
                                                      : NS_EXPORT_STRATEGY_BATCHNORM);
}

static void
ns_window_dispose (GObject *object)
{
  NsWindow *self = NS_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (gtk_recent_manager_get_default (), self);
  if (self->comparison_view != NULL)
    ns_comparison_view_set_data (self->comparison_view, NULL);
  if (self->overview_view != NULL)
    ns_overview_view_set_data (self->overview_view, NULL);
  if (self->export_panel != NULL)
    ns_export_panel_set_data (self->export_panel, NULL);
  /* Before the window drops its event controllers, which presentation mode listens to. */
  g_clear_pointer (&self->presentation, ns_presentation_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_WINDOW);
  G_OBJECT_CLASS (ns_window_parent_class)->dispose (object);
}

static void
ns_window_finalize (GObject *object)
{
  NsWindow *self = NS_WINDOW (object);

  g_clear_pointer (&self->job, ns_load_job_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->data, ns_load_result_free);
  g_clear_pointer (&self->test_data, ns_load_result_free);
  g_clear_object (&self->settings);
  g_free (self->axis);
  G_OBJECT_CLASS (ns_window_parent_class)->finalize (object);
}

static void
ns_window_class_init (NsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_window_dispose;
  object_class->finalize = ns_window_finalize;
  _ns_window_settings_class_init (widget_class);
  _ns_window_open_class_init (widget_class);

  g_type_ensure (NS_TYPE_COLUMN_LIST);
  g_type_ensure (NS_TYPE_COMPARISON_VIEW);
  g_type_ensure (NS_TYPE_OVERVIEW_VIEW);
  g_type_ensure (NS_TYPE_EXPORT_PANEL);
  g_type_ensure (NS_TYPE_BATCHNORM_VIEW);
  g_type_ensure (NS_TYPE_ALL_SCALERS_VIEW);
  g_type_ensure (NS_TYPE_AXIS_EXPLORER_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/normscope/Normscope/ns-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, file_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, column_list);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, comparison_view);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, overview_view);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, export_panel);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, batchnorm_view);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, all_scalers_view);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, axis_explorer_view);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, demos_section);

  gtk_widget_class_install_action (widget_class, "win.show-export", NULL,
                                   ns_window_action_show_export);
  gtk_widget_class_install_action (widget_class, "win.qq", NULL, ns_window_action_qq);
  gtk_widget_class_install_action (widget_class, "win.show-axis-explorer", NULL,
                                   ns_window_action_show_axis_explorer);
  _ns_window_presentation_class_init (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "win.apply-to-file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.show-export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.qq", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-load", NULL);
}

static gboolean
ns_window_refocus (gpointer data)
{
  NsWindow *self = data;

  /* Without this the X input focus can stay on the popover's closed surface (no window manager
   * hands it back), and Ctrl+O, F10 and F11 reach nothing until the user clicks. */
  gtk_window_present (GTK_WINDOW (self));
  if (gtk_window_get_focus (GTK_WINDOW (self)) == NULL ||
      !gtk_widget_get_mapped (gtk_window_get_focus (GTK_WINDOW (self))))
    gtk_widget_grab_focus (GTK_WIDGET (self->menu_button));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* The main menu closed (an item ran or it was dismissed): the keyboard goes back to the window. */
static void
ns_window_menu_closed (NsWindow *self)
{
  g_idle_add (ns_window_refocus, g_object_ref (self));
}

/* Small screens get a window that fits (1024x600: nothing cut off), large ones most of the screen;
 * the column list takes a little over a fifth of the height, the plots the rest. */
static void
ns_window_fit_to_monitor (NsWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle screen;
  int width, height;

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &screen);
  width = MIN (screen.width, MAX (1240, screen.width * 0.85));
  height = MIN (screen.height, MAX (900, screen.height * 0.9));
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  gtk_paned_set_position (self->paned, CLAMP (height * 0.28 - 60, 110, 300));
}

static void
ns_window_init (NsWindow *self)
{
  g_autofree char *digits = ns_demo_find_sample_file ("digits");

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = ns_settings_new ();
  _ns_window_presentation_init (self);
  ns_window_fit_to_monitor (self);
  /* The axis explorer's demo tensor: the digits images. */
  ns_axis_explorer_view_set_demo_path (self->axis_explorer_view, digits);
  if (self->settings != NULL)
    _ns_window_restore_settings (self);
  _ns_window_open_init (self);

  g_signal_connect_swapped (self->column_list, "column-selected",
                            G_CALLBACK (ns_window_column_selected), self);
  g_signal_connect_swapped (self->comparison_view, "toast", G_CALLBACK (_ns_window_toast), self);
  g_signal_connect_swapped (self->comparison_view, "changed",
                            G_CALLBACK (ns_window_comparison_changed), self);
  g_signal_connect_swapped (self->comparison_view, "strategy-activated",
                            G_CALLBACK (ns_window_strategy_activated), self);
  g_signal_connect_swapped (self->export_panel, "toast", G_CALLBACK (_ns_window_toast), self);
  g_signal_connect_swapped (self->batchnorm_view, "settings-changed",
                            G_CALLBACK (ns_window_share_to_comparison), self);
  ns_window_comparison_changed (self);
  ns_batchnorm_view_fill_demo_menu (self->demos_section);
  g_signal_connect_object (gtk_menu_button_get_popover (self->menu_button), "closed",
                           G_CALLBACK (ns_window_menu_closed), self, G_CONNECT_SWAPPED);
}

NsWindow *
ns_window_new (GtkApplication *application)
{
  return g_object_new (NS_TYPE_WINDOW, "application", application, NULL);
}

const NsLoadResult *
ns_window_get_data (NsWindow *self)
{
  return self->data;
}

NsColumnList *
ns_window_get_column_list (NsWindow *self)
{
  return self->column_list;
}

NsComparisonView *
ns_window_get_comparison_view (NsWindow *self)
{
  return self->comparison_view;
}

NsOverviewView *
ns_window_get_overview_view (NsWindow *self)
{
  return self->overview_view;
}

NsExportPanel *
ns_window_get_export_panel (NsWindow *self)
{
  return self->export_panel;
}

const char *
ns_window_get_error (NsWindow *self)
{
  return gtk_revealer_get_reveal_child (self->error_revealer)
           ? gtk_label_get_text (self->error_label)
           : "";
}

void
ns_window_show_demo (NsWindow *self, const char *id)
{
  g_autoptr (GError) error = NULL;

  if (!ns_batchnorm_view_load_demo (self->batchnorm_view, id, &error))
    {
      _ns_window_show_error (self, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  adw_view_stack_set_visible_child_name (self->view_stack, "batchnorm");
}

NsBatchNormView *
ns_window_get_batchnorm_view (NsWindow *self)
{
  return self->batchnorm_view;
}

NsAllScalersView *
ns_window_get_all_scalers_view (NsWindow *self)
{
  return self->all_scalers_view;
}
