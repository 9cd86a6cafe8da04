/* ns-export-panel.c: strategy and format choice, output file, Export, and "Copy as code" (the
 * code preview fitted in a GTask, the previous fit cancelled on each change).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-export-panel"
#include "config.h"
#include "ns-export-panel.h"

#include <adwaita.h>
#include <string.h>

#include "ns-worker.h"

struct _NsExportPanel {
  GtkWidget parent_instance;
  GtkWidget *page;
  GtkDropDown *strategy;
  GtkDropDown *format;
  GtkEntry *path;
  GtkTextView *preview;
  GtkLabel *status;

  const NsLoadResult *data; /* borrowed */
  NsBatchNormOptions batchnorm;
  NsExportFormat last_copied; /* the preview's snippet while the format is not one */
  GTask *preview_task;        /* the preview's fit under way; NULL when the preview is current */
};

/* One preview fit: the choice it was made for, and the borrowed dataset it reads until released. */
typedef struct {
  const NsDataset *dataset;
  guint strategy;
  NsBatchNormOptions batchnorm;
  NsExportFormat format;
  NsWorkerLatch *latch;
} NsExportPreviewJob;

G_DEFINE_FINAL_TYPE (NsExportPanel, ns_export_panel, GTK_TYPE_WIDGET)

enum { SIGNAL_TOAST, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *ns_export_strategy_names[] = {
  "standard (scikit-learn)",
  "Keras Normalization",
  "min-max",
  "max-abs",
  "robust",
  "batch norm (comparison settings)",
  NULL,
};

static const char *ns_export_format_names[] = {
  "normscope JSON",  "NumPy .npz",           "safetensors", "Keras snippet",
  "PyTorch snippet", "scikit-learn snippet", "C header",    "CSV",
  "ONNX model",      "torchvision snippet",  NULL,
};

static void
ns_export_panel_toast (NsExportPanel *self, const char *message)
{
  gtk_label_set_text (self->status, message);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, message);
}

/* The stats of strategy on dataset (new object), or NULL with an error. */
static NsStats *
ns_export_fit (const NsDataset *dataset, guint strategy, const NsBatchNormOptions *options,
               GCancellable *cancellable, GError **error)
{
  g_autoptr (NsBatchNorm) batchnorm = NULL;
  NsStats *stats = NULL;

  if (strategy < NS_N_SCALERS)
    {
      NsScalerOptions scaler;

      /* Fitted again (cheap next to loading) so the exported object is the panel's own. */
      ns_scaler_options_init (&scaler, (NsMethod) strategy);
      stats = ns_scaler_fit (dataset, &scaler, cancellable, error);
    }
  else
    {
      batchnorm = ns_batchnorm_new (dataset, options, error);
      /* As `normscope-cli batchnorm`: a missing value is refused, named, not exported as NaN. */
      if (batchnorm != NULL && ns_batchnorm_run (batchnorm, cancellable, NULL, NULL, error) &&
          ns_batchnorm_check_finite (batchnorm, ns_dataset_get_source_path (dataset), error))
        stats = ns_batchnorm_to_stats (batchnorm);
    }
  /* As `normscope-cli fit` records it, so both write the same file. */
  if (stats != NULL)
    ns_stats_set_source (stats, ns_dataset_get_source_path (dataset),
                         ns_dataset_get_n_samples (dataset),
                         ns_dataset_get_source_sha256 (dataset));
  return stats;
}

/* The stats of the chosen strategy (new object), or NULL with an error. */
static NsStats *
ns_export_panel_get_stats (NsExportPanel *self, GError **error)
{
  if (self->data == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "Open a dataset first");
      return NULL;
    }
  return ns_export_fit (self->data->dataset, gtk_drop_down_get_selected (self->strategy),
                        &self->batchnorm, NULL, error);
}

static const char *
ns_export_panel_extension (NsExportPanel *self)
{
  guint format = gtk_drop_down_get_selected (self->format);

  return format == NS_EXPORT_PANEL_JSON
           ? ".json"
           : ns_export_format_extension ((NsExportFormat) (format - 1));
}

/* path with its extension (if any) replaced by the chosen format's. */
static char *
ns_export_panel_with_extension (NsExportPanel *self, const char *path)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, ns_export_panel_extension (self), NULL);
  return strchr (path, G_DIR_SEPARATOR) ? g_build_filename (directory, name, NULL)
                                        : g_steal_pointer (&name);
}

/* The chosen format when it is a code snippet, else the snippet copied last. */
static NsExportFormat
ns_export_panel_preview_format (NsExportPanel *self)
{
  guint format = gtk_drop_down_get_selected (self->format);

  if (format != NS_EXPORT_PANEL_JSON)
    switch ((NsExportFormat) (format - 1))
      {
      case NS_EXPORT_KERAS:
      case NS_EXPORT_TORCH:
      case NS_EXPORT_SKLEARN:
      case NS_EXPORT_TORCHVISION:
        return (NsExportFormat) (format - 1);
      default:
        break;
      }
  return self->last_copied;
}

/* The snippet of stats in format (new string), or NULL with an error. */
static char *
ns_export_snippet (NsStats *stats, NsExportFormat format, GError **error)
{
  g_autoptr (GBytes) bytes = ns_export_to_bytes (stats, format, NULL, error);
  gsize size;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

/* The snippet of the chosen strategy, or why there is none. */
static char *
ns_export_panel_snippet (NsExportPanel *self, NsExportFormat format, GError **error)
{
  g_autoptr (NsStats) stats = ns_export_panel_get_stats (self, error);

  return stats != NULL ? ns_export_snippet (stats, format, error) : NULL;
}

static void
ns_export_preview_job_free (gpointer data)
{
  NsExportPreviewJob *job = data;

  ns_worker_latch_free (job->latch);
  g_free (job);
}

static void
ns_export_preview_job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  NsExportPreviewJob *job = data;
  GError *error = NULL;
  g_autoptr (NsStats) stats =
    ns_export_fit (job->dataset, job->strategy, &job->batchnorm, cancellable, &error);
  char *code;

  ns_worker_latch_release (job->latch); /* the stats are the job's own from here */
  code = stats != NULL ? ns_export_snippet (stats, job->format, &error) : NULL;
  if (code == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, g_free);
}

/* Cancels the preview's fit and waits for it to leave the dataset (which may be freed next). */
static void
ns_export_panel_stop_preview (NsExportPanel *self)
{
  NsExportPreviewJob *job;

  if (self->preview_task == NULL)
    return;
  job = g_task_get_task_data (self->preview_task);
  ns_worker_cancel_and_wait (self->preview_task, job->latch);
  g_clear_object (&self->preview_task);
}

static void
ns_export_panel_set_preview_text (NsExportPanel *self, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->preview), text, -1);
}

static void
ns_export_panel_preview_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NsExportPanel *self = NS_EXPORT_PANEL (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = g_task_propagate_pointer (G_TASK (result), &error);

  if (G_TASK (result) != self->preview_task)
    return; /* a fit a later choice replaced: its text is stale */
  g_clear_object (&self->preview_task);
  ns_export_panel_set_preview_text (self, code != NULL ? code : error->message);
}

/* Shown as soon as there is data, and again whenever the strategy, format or settings change; the
 * fit runs off the main thread (batch norm on a large file takes seconds) and the last text stays
 * until the new one is ready. */
static void
ns_export_panel_update_preview (NsExportPanel *self)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  NsExportPreviewJob *job;

  ns_export_panel_stop_preview (self);
  if (self->data == NULL)
    {
      ns_export_panel_set_preview_text (self, "");
      return;
    }
  job = g_new0 (NsExportPreviewJob, 1);
  job->dataset = self->data->dataset;
  job->strategy = gtk_drop_down_get_selected (self->strategy);
  job->batchnorm = self->batchnorm;
  job->format = ns_export_panel_preview_format (self);
  job->latch = ns_worker_latch_new ();
  self->preview_task = g_task_new (self, cancellable, ns_export_panel_preview_done, NULL);
  g_task_set_task_data (self->preview_task, job, ns_export_preview_job_free);
  g_task_run_in_thread (self->preview_task, ns_export_preview_job_run);
}

void
ns_export_panel_wait_preview (NsExportPanel *self)
{
  while (self->preview_task != NULL)
    g_main_context_iteration (NULL, TRUE);
}

char *
ns_export_panel_get_preview (NsExportPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->preview);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A new format renames the output file to its extension, so npz bytes never land in a .json. */
static void
ns_export_panel_format_changed (NsExportPanel *self)
{
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->path));
  g_autofree char *renamed = NULL;

  ns_export_panel_update_preview (self);
  if (path[0] == '\0')
    return;
  renamed = ns_export_panel_with_extension (self, path);
  gtk_editable_set_text (GTK_EDITABLE (self->path), renamed);
}

gboolean
ns_export_panel_export (NsExportPanel *self, GError **error)
{
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->path));
  guint format = gtk_drop_down_get_selected (self->format);
  g_autoptr (NsStats) stats = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  if (path[0] == '\0')
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "Choose an output file first");
      return FALSE;
    }
  if (!g_str_has_suffix (path, ns_export_panel_extension (self)))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: this format writes %s files; rename the file or choose another format",
                   path, ns_export_panel_extension (self));
      return FALSE;
    }
  stats = ns_export_panel_get_stats (self, error);
  if (stats == NULL)
    return FALSE;
  if (format == NS_EXPORT_PANEL_JSON)
    ok = ns_stats_save (stats, path, error);
  else
    ok = ns_export_write (stats, (NsExportFormat) (format - 1), NULL, path, error);
  if (!ok)
    return FALSE;
  message = g_strdup_printf ("Saved %s", path);
  ns_export_panel_toast (self, message);
  return TRUE;
}

char *
ns_export_panel_copy_code (NsExportPanel *self, NsExportFormat format, GError **error)
{
  char *code = ns_export_panel_snippet (self, format, error);
  g_autofree char *message = NULL;

  if (code == NULL)
    return NULL;
  ns_export_panel_stop_preview (self); /* the copied snippet is the preview now */
  self->last_copied = format;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), code);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->preview), code, -1);
  message = g_strdup_printf ("%s code copied to the clipboard", ns_export_format_names[format + 1]);
  ns_export_panel_toast (self, message);
  return code;
}

static void
ns_export_panel_export_clicked (NsExportPanel *self)
{
  g_autoptr (GError) error = NULL;

  if (!ns_export_panel_export (self, &error))
    ns_export_panel_toast (self, error->message);
}

static void
ns_export_panel_copy_clicked (GtkButton *button, NsExportPanel *self)
{
  NsExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "format"));
  g_autoptr (GError) error = NULL;
  g_autofree char *code = ns_export_panel_copy_code (self, format, &error);

  if (code == NULL)
    ns_export_panel_toast (self, error->message);
}

static void
ns_export_panel_choose_response (GtkNativeDialog *dialog, int response, NsExportPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->path), path);
      if (!ns_export_panel_export (self, &error))
        ns_export_panel_toast (self, error->message);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
ns_export_panel_choose_clicked (NsExportPanel *self)
{
  GtkNativeDialog *dialog = GTK_NATIVE_DIALOG (
    gtk_file_chooser_native_new ("Export Statistics",
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel"));
  g_autofree char *name = g_strdup_printf ("stats%s", ns_export_panel_extension (self));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (ns_export_panel_choose_response),
                    g_object_ref (self));
  gtk_native_dialog_show (dialog);
}

static GtkWidget *
ns_export_panel_row (AdwPreferencesGroup *group, const char *title, GtkWidget *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  gtk_accessible_update_property (GTK_ACCESSIBLE (suffix), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
ns_export_panel_button (const char *label, const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (css_class)
    gtk_widget_add_css_class (button, css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

static GtkWidget *
ns_export_panel_build_export_group (NsExportPanel *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *path_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *choose = ns_export_panel_button ("Choose…", NULL);
  GtkWidget *export = ns_export_panel_button ("Export Statistics", "suggested-action");

  adw_preferences_group_set_title (group, "Export Statistics");
  adw_preferences_group_set_description (
    group, "Fit a strategy on the whole dataset and save its statistics for another tool.");
  self->strategy = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (ns_export_strategy_names));
  ns_export_panel_row (group, "Strategy", GTK_WIDGET (self->strategy));
  g_signal_connect_swapped (self->strategy, "notify::selected",
                            G_CALLBACK (ns_export_panel_update_preview), self);
  self->format = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (ns_export_format_names));
  ns_export_panel_row (group, "Format", GTK_WIDGET (self->format));
  g_signal_connect_swapped (self->format, "notify::selected",
                            G_CALLBACK (ns_export_panel_format_changed), self);

  self->path = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->path), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->path), 360, -1);
  gtk_entry_set_placeholder_text (self->path, "/path/to/stats.json");
  gtk_box_append (GTK_BOX (path_box), GTK_WIDGET (self->path));
  gtk_box_append (GTK_BOX (path_box), choose);
  ns_export_panel_row (group, "Output file", path_box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->path), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Output file", -1);
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (ns_export_panel_choose_clicked), self);
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (ns_export_panel_export_clicked), self);
  g_signal_connect_swapped (self->path, "activate", G_CALLBACK (ns_export_panel_export_clicked),
                            self);
  adw_preferences_group_set_header_suffix (group, export);
  return GTK_WIDGET (group);
}

static GtkWidget *
ns_export_panel_build_code_group (NsExportPanel *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  const struct {
    const char *label;
    NsExportFormat format;
  } snippets[] = {
    { "Copy PyTorch Code", NS_EXPORT_TORCH },
    { "Copy Keras Code", NS_EXPORT_KERAS },
    { "Copy scikit-learn Code", NS_EXPORT_SKLEARN },
  };

  adw_preferences_group_set_title (group, "Copy as Code");
  adw_preferences_group_set_description (
    group, "A snippet that rebuilds the fitted layer or scaler with the exact numbers.");
  for (guint i = 0; i < G_N_ELEMENTS (snippets); i++)
    {
      GtkWidget *button = ns_export_panel_button (snippets[i].label, NULL);

      g_object_set_data (G_OBJECT (button), "format", GINT_TO_POINTER (snippets[i].format));
      g_signal_connect (button, "clicked", G_CALLBACK (ns_export_panel_copy_clicked), self);
      gtk_box_append (GTK_BOX (buttons), button);
    }
  adw_preferences_group_add (group, buttons);

  self->preview = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->preview, FALSE);
  gtk_text_view_set_monospace (self->preview, TRUE);
  gtk_text_view_set_wrap_mode (self->preview, GTK_WRAP_CHAR);
  gtk_text_view_set_left_margin (self->preview, 8);
  gtk_text_view_set_top_margin (self->preview, 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Code preview", -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->preview));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 220);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_set_margin_top (scrolled, 12);
  adw_preferences_group_add (group, scrolled);
  return GTK_WIDGET (group);
}

static void
ns_export_panel_dispose (GObject *object)
{
  NsExportPanel *self = NS_EXPORT_PANEL (object);

  ns_export_panel_stop_preview (self);
  g_clear_pointer (&self->page, gtk_widget_unparent);
  G_OBJECT_CLASS (ns_export_panel_parent_class)->dispose (object);
}

static void
ns_export_panel_class_init (NsExportPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_export_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "exportpanel");
  /* toast (string): the result of an export, for the window to show. */
  signals[SIGNAL_TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ns_export_panel_init (NsExportPanel *self)
{
  AdwPreferencesGroup *status_group;

  ns_batchnorm_options_init (&self->batchnorm, NS_BATCHNORM_PYTORCH);
  self->last_copied = NS_EXPORT_TORCH;
  self->page = adw_preferences_page_new ();
  gtk_widget_set_parent (self->page, GTK_WIDGET (self));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (ns_export_panel_build_export_group (self)));
  status_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  self->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_selectable (self->status, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Export status", -1);
  adw_preferences_group_add (status_group, GTK_WIDGET (self->status));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), status_group);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (ns_export_panel_build_code_group (self)));
}

void
ns_export_panel_set_data (NsExportPanel *self, const NsLoadResult *data)
{
  ns_export_panel_stop_preview (self); /* it reads the dataset being replaced */
  self->data = data;
  gtk_label_set_text (self->status, "");
  ns_export_panel_update_preview (self);
}

void
ns_export_panel_set_batchnorm_options (NsExportPanel *self, const NsBatchNormOptions *options)
{
  self->batchnorm = *options;
  self->batchnorm.only_feature = -1;
  self->batchnorm.record_history = FALSE;
  if (gtk_drop_down_get_selected (self->strategy) == NS_EXPORT_STRATEGY_BATCHNORM)
    ns_export_panel_update_preview (self);
}

void
ns_export_panel_set_strategy (NsExportPanel *self, guint strategy)
{
  gtk_drop_down_set_selected (self->strategy, strategy);
}

void
ns_export_panel_set_format (NsExportPanel *self, guint format)
{
  gtk_drop_down_set_selected (self->format, format);
}

void
ns_export_panel_set_path (NsExportPanel *self, const char *path)
{
  gtk_editable_set_text (GTK_EDITABLE (self->path), path);
}
