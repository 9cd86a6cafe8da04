/* ns-window-open.c: opening files (the file chooser, drop, samples, recent files), loading them
 * with progress and Cancel, the error banner and toasts, and reading the open file again.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-window"
#include "config.h"
#include "ns-window-private.h"

#include "core/ns-demo.h"

#define NS_RECENT_MAX 6

enum { SIGNAL_LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  NsWindow *window;
  gboolean is_test;
} NsLoadRequest;

void
_ns_window_toast (NsWindow *self, const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
ns_window_stop_progress (NsWindow *self)
{
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->job, ns_load_job_unref);
  g_clear_object (&self->cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
}

static gboolean
ns_window_poll_progress (gpointer data)
{
  NsWindow *self = data;

  if (self->job != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, ns_load_job_get_fraction (self->job));
  return G_SOURCE_CONTINUE;
}

/* The banner under the header bar (dismissed with its close button or the next load). */
static void
ns_window_show_banner (NsWindow *self, const char *text)
{
  gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

void
_ns_window_show_error (NsWindow *self, const char *message)
{
  g_autofree char *text = NULL;

  /* The data on screen is still the last file that loaded: say so under the error. */
  if (self->data != NULL)
    {
      g_autofree char *shown = g_path_get_basename (self->data->path);

      text = g_strdup_printf ("%s\nStill showing %s, the last file that loaded.", message, shown);
    }
  ns_window_show_banner (self, text ? text : message);
  _ns_window_toast (self, "Could not load the file");
}

static void
ns_window_update_recent (NsWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);
  guint n = 0;

  g_menu_remove_all (self->recent_section);
  for (GList *l = items; l != NULL && n < NS_RECENT_MAX; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr (GMenuItem) item = NULL;

      if (!gtk_recent_info_has_application (info, g_get_application_name ()))
        continue;
      item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                         gtk_recent_info_get_uri (info));
      g_menu_append_item (self->recent_section, item);
      n++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
ns_window_apply_result (NsWindow *self, NsLoadResult *result)
{
  g_autofree char *basename = g_path_get_basename (result->path);
  g_autofree char *uri = g_filename_to_uri (result->path, NULL, NULL);
  const NsDataset *dataset;

  ns_comparison_view_set_data (self->comparison_view, NULL);
  ns_overview_view_set_data (self->overview_view, NULL);
  ns_export_panel_set_data (self->export_panel, NULL);
  g_clear_pointer (&self->test_data, ns_load_result_free);
  g_clear_pointer (&self->data, ns_load_result_free);
  self->data = result;
  dataset = result->dataset;

  ns_column_list_set_summary (self->column_list, result->summary);
  ns_comparison_view_set_data (self->comparison_view, result);
  ns_overview_view_set_data (self->overview_view, result);
  ns_export_panel_set_data (self->export_panel, result);
  ns_batchnorm_view_set_dataset (self->batchnorm_view, dataset);
  ns_all_scalers_view_set_dataset (self->all_scalers_view, dataset);
  ns_axis_explorer_view_set_dataset (self->axis_explorer_view, dataset);
  adw_view_switcher_title_set_subtitle (self->switcher_title, basename);
  gtk_window_set_title (GTK_WINDOW (self), basename);
  gtk_label_set_text (self->file_label, basename);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), result->path);
  gtk_widget_set_visible (GTK_WIDGET (self->file_label), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  /* Start on a feature with something to plot: digits' first pixel column is constant. */
  if (ns_dataset_get_n_features (dataset) > 0)
    ns_column_list_select (self->column_list,
                           ns_dataset_get_feature_column (
                             dataset, MAX (ns_dataset_find_varying_feature (dataset, 0), 0)));
  if (uri != NULL)
    gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

static void
ns_window_load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NsLoadRequest *request = user_data;
  NsWindow *self = request->window;
  g_autoptr (GError) error = NULL;
  NsLoadResult *loaded = ns_load_job_finish (result, &error);

  ns_window_stop_progress (self);
  if (loaded == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, NS_ERROR, NS_ERROR_CANCELLED))
        _ns_window_toast (self, "Loading cancelled");
      else
        _ns_window_show_error (self, error->message);
    }
  else if (request->is_test)
    {
      g_autofree char *test_name = g_path_get_basename (loaded->path);
      g_autofree char *message = NULL;

      g_auto (GStrv) missing = ns_dataset_missing_features (self->data->dataset, loaded->dataset);
      g_autofree char *names = g_strjoinv (", ", missing);
      guint n_missing = g_strv_length (missing);

      if (n_missing == ns_dataset_get_n_features (self->data->dataset))
        {
          message = g_strdup_printf ("%s has none of the open file's numeric columns (%s): "
                                     "nothing to compare",
                                     test_name, names);
          _ns_window_show_error (self, message);
          ns_load_result_free (loaded);
          loaded = NULL;
        }
      else
        {
          g_clear_pointer (&self->test_data, ns_load_result_free);
          self->test_data = loaded;
          ns_comparison_view_set_test_data (self->comparison_view, loaded->dataset, test_name);
          if (n_missing > 0)
            {
              message = g_strdup_printf ("%s lacks %u of the open file's numeric columns: %s. "
                                         "The others are shown with the open file's statistics.",
                                         test_name, n_missing, names);
              ns_window_show_banner (self, message);
            }
          else
            {
              message =
                g_strdup_printf ("%s shown with the statistics of the open file", test_name);
              _ns_window_toast (self, message);
            }
        }
    }
  else
    ns_window_apply_result (self, loaded);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0, loaded != NULL);
  g_object_unref (self);
  g_free (request);
}

static void
ns_window_start_load (NsWindow *self, GFile *file, gboolean is_test)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *text = NULL;
  g_auto (GStrv) excluded = NULL;
  NsLoadRequest *request;

  if (path == NULL)
    {
      _ns_window_show_error (self, "Only local files can be opened");
      return;
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->job, ns_load_job_unref);
  g_clear_object (&self->cancellable);

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  text = g_strdup_printf ("Loading %s", basename);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);

  request = g_new0 (NsLoadRequest, 1);
  request->window = g_object_ref (self);
  request->is_test = is_test;
  self->cancellable = g_cancellable_new ();
  excluded = is_test ? NULL : _ns_window_get_excluded (self, path);
  self->job = ns_load_job_start (path, is_test ? NULL : self->axis, (const char *const *) excluded,
                                 self->cancellable, ns_window_load_done, request);
  self->progress_source = g_timeout_add (80, ns_window_poll_progress, self);
}

void
ns_window_open (NsWindow *self, GFile *file)
{
  /* Another file starts with the default feature axis. */
  g_clear_pointer (&self->axis, g_free);
  ns_window_start_load (self, file, FALSE);
}

void
ns_window_open_test_file (NsWindow *self, GFile *file)
{
  if (self->data == NULL)
    {
      _ns_window_toast (self, "Open a dataset first: its statistics are applied to the other file");
      return;
    }
  ns_window_start_load (self, file, TRUE);
}

/* Reads the open file again (its exclusions or feature axis changed). */
static void
ns_window_reload (NsWindow *self)
{
  g_autoptr (GFile) file = g_file_new_for_path (self->data->path);

  ns_window_start_load (self, file, FALSE);
}

/* A tensor's feature axis, chosen on the Compare page: the file is read again along it. */
static void
ns_window_action_feature_axis (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->data == NULL)
    return;
  g_free (self->axis);
  self->axis = g_variant_dup_string (param, NULL);
  ns_window_reload (self);
}

gboolean
ns_window_is_loading (NsWindow *self)
{
  return self->job != NULL;
}

static void
ns_window_open_response (GtkNativeDialog *dialog, int response, NsWindow *self)
{
  gboolean is_test = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "is-test"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (is_test)
        ns_window_open_test_file (self, file);
      else
        ns_window_open (self, file);
    }
  g_object_unref (dialog);
}

static void
ns_window_choose_file (NsWindow *self, const char *title, gboolean is_test)
{
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, "_Open",
                                 "_Cancel");
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, "Datasets (CSV, CSV.gz, NumPy)");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "gz");
  gtk_file_filter_add_suffix (filter, "npy");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_object_set_data (G_OBJECT (dialog), "is-test", GINT_TO_POINTER (is_test));
  g_signal_connect (dialog, "response", G_CALLBACK (ns_window_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
ns_window_action_open (GtkWidget *widget, const char *action, GVariant *param)
{
  ns_window_choose_file (NS_WINDOW (widget), "Open a Dataset", FALSE);
}

static void
ns_window_action_apply_to_file (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->data == NULL)
    _ns_window_toast (self, "Open a dataset first: its statistics are applied to the other file");
  else
    ns_window_choose_file (self, "Apply the Statistics to Another File", TRUE);
}

static void
ns_window_action_open_sample (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);
  g_autofree char *path = ns_demo_find_sample_file (name);
  g_autoptr (GFile) file = NULL;

  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The sample dataset “%s” is not installed", name);

      _ns_window_show_error (self, message);
      return;
    }
  file = g_file_new_for_path (path);
  ns_window_open (self, file);
}

static void
ns_window_action_open_recent (GtkWidget *widget, const char *action, GVariant *param)
{
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  ns_window_open (NS_WINDOW (widget), file);
}

static void
ns_window_action_cancel_load (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  /* Escape leaves presentation mode first. */
  if (ns_presentation_get_active (self->presentation))
    ns_presentation_set_active (self->presentation, FALSE);
  else if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
ns_window_action_clear_test_file (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  ns_comparison_view_set_test_data (self->comparison_view, NULL, NULL);
  g_clear_pointer (&self->test_data, ns_load_result_free);
  _ns_window_toast (self, "Test file cleared");
}

static void
ns_window_action_dismiss_error (GtkWidget *widget, const char *action, GVariant *param)
{
  gtk_revealer_set_reveal_child (NS_WINDOW (widget)->error_revealer, FALSE);
}

static gboolean
ns_window_drop (GtkDropTarget *target, const GValue *value, double x, double y, NsWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  ns_window_open (self, files->data);
  g_slist_free (files);
  return TRUE;
}

/* The columns left out of the fits change what is read: the file is read again. */

static void
ns_window_action_exclude_column (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);
  g_auto (GStrv) names = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (self->data == NULL || self->settings == NULL)
    return;
  names = _ns_window_get_excluded (self, self->data->path);
  if (names != NULL)
    g_strv_builder_addv (builder, (const char **) names);
  g_strv_builder_add (builder, g_variant_get_string (param, NULL));
  g_strfreev (names);
  names = g_strv_builder_end (builder);
  _ns_window_set_excluded (self, self->data->path, (const char *const *) names);
  ns_window_reload (self);
}

static void
ns_window_action_include_all (GtkWidget *widget, const char *action, GVariant *param)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->data == NULL)
    return;
  _ns_window_set_excluded (self, self->data->path, NULL);
  ns_window_reload (self);
}

void
_ns_window_open_class_init (GtkWidgetClass *widget_class)
{
  /* loaded (gboolean success): a load finished, failed or was cancelled. */
  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, ns_window_action_open);
  gtk_widget_class_install_action (widget_class, "win.open-sample", "s",
                                   ns_window_action_open_sample);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s",
                                   ns_window_action_open_recent);
  gtk_widget_class_install_action (widget_class, "win.apply-to-file", NULL,
                                   ns_window_action_apply_to_file);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL,
                                   ns_window_action_cancel_load);
  gtk_widget_class_install_action (widget_class, "win.feature-axis", "s",
                                   ns_window_action_feature_axis);
  gtk_widget_class_install_action (widget_class, "win.exclude-column", "s",
                                   ns_window_action_exclude_column);
  gtk_widget_class_install_action (widget_class, "win.include-all-columns", NULL,
                                   ns_window_action_include_all);
  gtk_widget_class_install_action (widget_class, "win.clear-test-file", NULL,
                                   ns_window_action_clear_test_file);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL,
                                   ns_window_action_dismiss_error);
}

void
_ns_window_open_init (NsWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (ns_window_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_swapped (gtk_recent_manager_get_default (), "changed",
                            G_CALLBACK (ns_window_update_recent), self);
  ns_window_update_recent (self);
}
