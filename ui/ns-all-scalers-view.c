/* ns-all-scalers-view.c: the "All Scalers" page: two feature dropdowns and a colour dropdown, the
 * core's figure fitted in a GTask (cancelled when the selection changes) and drawn scrolled.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ns-all-scalers-view.h"
#include "ns-plot-view.h"
#include "core/ns-output-guard.h"

#define NS_ALL_SCALERS_NO_COLOR "None"

struct _NsAllScalersView {
  AdwBin parent_instance;
  GtkDropDown *x_dropdown, *y_dropdown, *color_dropdown;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkDrawingArea *area;
  GtkButton *export_button;
  NsDataset **source; /* an atomic reference-counted box: fits in flight keep it */
  GCancellable *cancellable;
  NsAllScalersPlot *plot;
  gboolean filling; /* the dropdowns are being refilled: no fit per change */
  gboolean stale;   /* the selection changed while the page was not shown */
  guint relayout_source;
  double text_scale; /* presentation mode's; the figure is laid out at 1 / it */
};

G_DEFINE_FINAL_TYPE (NsAllScalersView, ns_all_scalers_view, ADW_TYPE_BIN)

/* The figure's height at this on-screen width: laid out text_scale times smaller, then magnified.
 */
static int
ns_all_scalers_view_height (NsAllScalersView *self, double width)
{
  return (int) (ns_all_scalers_plot_default_height (self->plot, width / self->text_scale) *
                self->text_scale);
}

typedef struct {
  NsDataset **source;
  char *x, *y, *color;
} NsAllScalersJob;

static void
ns_all_scalers_source_clear (gpointer box)
{
  ns_dataset_free (*(NsDataset **) box);
}

static void
ns_all_scalers_source_release (NsDataset **source)
{
  if (source != NULL)
    g_atomic_rc_box_release_full (source, ns_all_scalers_source_clear);
}

static void
ns_all_scalers_job_free (gpointer data)
{
  NsAllScalersJob *job = data;

  ns_all_scalers_source_release (job->source);
  g_free (job->x);
  g_free (job->y);
  g_free (job->color);
  g_free (job);
}

static void
ns_all_scalers_job_run (GTask *task, gpointer source_object, gpointer data,
                        GCancellable *cancellable)
{
  NsAllScalersJob *job = data;
  GError *error = NULL;
  NsAllScalersPlot *plot =
    ns_all_scalers_compute (*job->source, job->x, job->y, job->color, 0, cancellable, &error);

  if (plot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plot, (GDestroyNotify) ns_all_scalers_plot_free);
}

static const char *
ns_all_scalers_view_selected (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static void
ns_all_scalers_view_set_status (NsAllScalersView *self, const char *text, gboolean busy)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
ns_all_scalers_view_show (NsAllScalersView *self, NsAllScalersPlot *plot)
{
  g_clear_pointer (&self->plot, ns_all_scalers_plot_free);
  self->plot = plot;
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), plot != NULL);
  gtk_drawing_area_set_content_height (self->area,
                                       plot != NULL
                                         ? ns_all_scalers_view_height (self,
                                                                       gtk_widget_get_width (
                                                                         GTK_WIDGET (self->area)))
                                         : 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* What the zoom-in keeps: a coordinate with no value strictly between its cut-offs in some row
 * (a 0/1 column) keeps the values at them there (see NsAllScalersZoom). */
static char *
ns_all_scalers_view_zoom_wording (const NsAllScalersPlot *plot, const char *x, const char *y)
{
  const char *names[2] = { x, y };
  gboolean whole[2] = { FALSE, FALSE };

  for (guint r = 0; r < ns_all_scalers_plot_get_n_rows (plot); r++)
    {
      NsAllScalersZoom zoom;

      if (ns_all_scalers_plot_row_get_error (plot, r) != NULL)
        continue;
      ns_all_scalers_plot_row_get_zoom (plot, r, &zoom);
      whole[0] |= zoom.whole[0];
      whole[1] |= zoom.whole[1];
    }
  if (!whole[0] && !whole[1])
    return g_strdup ("the points strictly inside the 0th\u201399th percentiles");
  return g_strdup_printf (
    "the points strictly inside the 0th\u201399th percentiles; on %s%s%s, with "
    "no value strictly between them, those at them",
    whole[0] ? names[0] : "", whole[0] && whole[1] ? " and " : "", whole[1] ? names[1] : "");
}

static void
ns_all_scalers_view_fitted (GObject *source_object, GAsyncResult *result, gpointer data)
{
  NsAllScalersView *self = NS_ALL_SCALERS_VIEW (source_object);
  g_autoptr (GError) error = NULL;
  NsAllScalersPlot *plot = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *status = NULL;
  g_autofree char *zoom = NULL;

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      /* A fit the selection has since replaced. */
      g_clear_pointer (&plot, ns_all_scalers_plot_free);
      return;
    }
  g_clear_object (&self->cancellable);
  if (plot == NULL)
    {
      ns_all_scalers_view_set_status (self, error->message, FALSE);
      ns_all_scalers_view_show (self, NULL);
      return;
    }
  /* The fit is the current selection's (a replaced one returned above). */
  zoom = ns_all_scalers_view_zoom_wording (plot, ns_all_scalers_view_selected (self->x_dropdown),
                                           ns_all_scalers_view_selected (self->y_dropdown));
  status = g_strdup_printf ("%" G_GSIZE_FORMAT " points, %u transformations; the zoom-in keeps %s",
                            ns_all_scalers_plot_row_get_count (plot, 0),
                            ns_all_scalers_plot_get_n_rows (plot), zoom);
  ns_all_scalers_view_set_status (self, status, FALSE);
  ns_all_scalers_view_show (self, plot);
}

static void
ns_all_scalers_view_refit (NsAllScalersView *self)
{
  const char *x = ns_all_scalers_view_selected (self->x_dropdown);
  const char *y = ns_all_scalers_view_selected (self->y_dropdown);
  const char *color = ns_all_scalers_view_selected (self->color_dropdown);
  g_autoptr (GTask) task = NULL;
  NsAllScalersJob *job;

  if (self->filling)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  if (self->source == NULL || x == NULL || y == NULL)
    {
      ns_all_scalers_view_set_status (self,
                                      self->source != NULL
                                        ? "The comparison needs two numeric columns"
                                        : "",
                                      FALSE);
      ns_all_scalers_view_show (self, NULL);
      return;
    }
  job = g_new0 (NsAllScalersJob, 1);
  job->source = g_atomic_rc_box_acquire (self->source);
  job->x = g_strdup (x);
  job->y = g_strdup (y);
  job->color = g_strcmp0 (color, NS_ALL_SCALERS_NO_COLOR) != 0 ? g_strdup (color) : NULL;
  self->cancellable = g_cancellable_new ();
  ns_all_scalers_view_set_status (self, "Fitting every scaler\u2026", TRUE);
  task = g_task_new (self, self->cancellable, ns_all_scalers_view_fitted, NULL);
  g_task_set_task_data (task, job, ns_all_scalers_job_free);
  g_task_run_in_thread (task, ns_all_scalers_job_run);
}

static guint
ns_all_scalers_view_index_of (GtkStringList *list, const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), name) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The first two features with something to plot (digits starts with constant pixels); the
 * dropdown lists the features in the dataset's order. */
static void
ns_all_scalers_view_first_pair (const NsDataset *dataset, guint n_features, guint *x, guint *y)
{
  int first = dataset != NULL ? ns_dataset_find_varying_feature (dataset, 0) : -1;
  int second = first >= 0 ? ns_dataset_find_varying_feature (dataset, first + 1) : -1;

  *x = first >= 0 ? (guint) first : 0;
  if (second >= 0)
    *y = (guint) second;
  else
    *y = n_features > *x + 1 ? *x + 1 : (n_features > 1 ? 0 : GTK_INVALID_LIST_POSITION);
}

/* The models of the three dropdowns from the dataset's columns. */
static void
ns_all_scalers_view_fill (NsAllScalersView *self, const NsDataset *dataset)
{
  g_autoptr (GtkStringList) features = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) colors =
    gtk_string_list_new ((const char *[]) { NS_ALL_SCALERS_NO_COLOR, NULL });
  guint n_features = 0, first_label = 0, x, y;

  for (guint c = 0; dataset != NULL && c < ns_dataset_get_n_columns (dataset); c++)
    {
      const char *name = ns_dataset_get_column_name (dataset, c);
      gboolean label = ns_dataset_column_is_label (dataset, c);

      if (!label)
        gtk_string_list_append (features, name), n_features++;
      else if (first_label == 0)
        first_label = g_list_model_get_n_items (G_LIST_MODEL (colors));
      gtk_string_list_append (colors, name);
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->x_dropdown, G_LIST_MODEL (features));
  gtk_drop_down_set_model (self->y_dropdown, G_LIST_MODEL (features));
  gtk_drop_down_set_model (self->color_dropdown, G_LIST_MODEL (colors));
  ns_all_scalers_view_first_pair (dataset, n_features, &x, &y);
  gtk_drop_down_set_selected (self->x_dropdown, x);
  gtk_drop_down_set_selected (self->y_dropdown, y);
  gtk_drop_down_set_selected (self->color_dropdown, first_label);
  self->filling = FALSE;
}

void
ns_all_scalers_view_set_dataset (NsAllScalersView *self, const NsDataset *dataset)
{
  g_return_if_fail (NS_IS_ALL_SCALERS_VIEW (self));
  g_clear_pointer (&self->source, ns_all_scalers_source_release);
  if (dataset != NULL && ns_dataset_get_kind (dataset) == NS_DATASET_TABLE)
    {
      self->source = g_atomic_rc_box_new0 (NsDataset *);
      *self->source = ns_dataset_copy (dataset);
    }
  ns_all_scalers_view_fill (self, self->source != NULL ? *self->source : NULL);
  ns_all_scalers_view_refit (self);
}

void
ns_all_scalers_view_select (NsAllScalersView *self, const char *x, const char *y, const char *color)
{
  GtkStringList *features = GTK_STRING_LIST (gtk_drop_down_get_model (self->x_dropdown));
  GtkStringList *colors = GTK_STRING_LIST (gtk_drop_down_get_model (self->color_dropdown));

  g_return_if_fail (features != NULL);
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->x_dropdown, ns_all_scalers_view_index_of (features, x));
  gtk_drop_down_set_selected (self->y_dropdown, ns_all_scalers_view_index_of (features, y));
  gtk_drop_down_set_selected (self->color_dropdown,
                              ns_all_scalers_view_index_of (colors, color != NULL
                                                                      ? color
                                                                      : NS_ALL_SCALERS_NO_COLOR));
  self->filling = FALSE;
  ns_all_scalers_view_refit (self);
}

void
ns_all_scalers_view_set_text_scale (NsAllScalersView *self, double scale)
{
  g_return_if_fail (NS_IS_ALL_SCALERS_VIEW (self) && scale > 0);
  if (scale == self->text_scale)
    return;
  self->text_scale = scale;
  if (self->plot != NULL)
    gtk_drawing_area_set_content_height (self->area,
                                         ns_all_scalers_view_height (self,
                                                                     gtk_widget_get_width (
                                                                       GTK_WIDGET (self->area))));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

double
ns_all_scalers_view_get_text_scale (NsAllScalersView *self)
{
  return self->text_scale;
}

NsAllScalersPlot *
ns_all_scalers_view_get_plot (NsAllScalersView *self)
{
  g_return_val_if_fail (NS_IS_ALL_SCALERS_VIEW (self), NULL);
  return self->plot;
}

gboolean
ns_all_scalers_view_save_figure (NsAllScalersView *self, const char *path, GError **error)
{
  g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
  const char *source = self->source != NULL ? ns_dataset_get_source_path (*self->source) : NULL;
  NsPlotFormat format;
  double width = 1600;

  if (self->plot == NULL)
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                           "There is no figure to save yet");
      return FALSE;
    }
  if (!ns_plot_format_from_path (path, &format, error))
    return FALSE;
  if (source != NULL)
    ns_output_guard_add_input (guard, source);
  ns_output_guard_add_output (guard, "the figure", path);
  if (!ns_output_guard_check (guard, error))
    return FALSE;
  if (format != NS_PLOT_FORMAT_PNG)
    width *= 0.75; /* points, not pixels */
  return ns_all_scalers_plot_save (self->plot, path, format, width,
                                   ns_all_scalers_plot_default_height (self->plot, width), error);
}

static void
ns_all_scalers_view_export_response (GtkNativeDialog *dialog, int response, NsAllScalersView *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL, *message = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
      if (ns_all_scalers_view_save_figure (self, path, &error))
        message = g_strdup_printf ("Figure saved to %s", path);
      ns_all_scalers_view_set_status (self, message != NULL ? message : error->message, FALSE);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
ns_all_scalers_view_export_clicked (NsAllScalersView *self)
{
  GtkNativeDialog *dialog = GTK_NATIVE_DIALOG (
    gtk_file_chooser_native_new ("Export Figure",
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "all-scalers.png");
  g_signal_connect (dialog, "response", G_CALLBACK (ns_all_scalers_view_export_response),
                    g_object_ref (self));
  gtk_native_dialog_show (dialog);
}

static gboolean
ns_all_scalers_view_relayout (gpointer data)
{
  NsAllScalersView *self = data;

  self->relayout_source = 0;
  if (self->plot != NULL)
    gtk_drawing_area_set_content_height (self->area,
                                         ns_all_scalers_view_height (self,
                                                                     gtk_widget_get_width (
                                                                       GTK_WIDGET (self->area))));
  gtk_widget_queue_resize (GTK_WIDGET (self->area));
  return G_SOURCE_REMOVE;
}

static void
ns_all_scalers_view_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NsAllScalersView *self = data;
  int wanted;

  if (self->plot == NULL)
    return;
  /* The height asked for during an allocation takes effect at the next layout. */
  wanted = ns_all_scalers_view_height (self, width);
  if (wanted != height && self->relayout_source == 0)
    self->relayout_source = g_idle_add (ns_all_scalers_view_relayout, self);
  ns_all_scalers_plot_set_dark (self->plot, ns_plot_view_widget_is_dark (GTK_WIDGET (area)));
  ns_all_scalers_plot_set_paint_background (self->plot, FALSE);
  cairo_scale (cr, self->text_scale, self->text_scale);
  ns_all_scalers_plot_draw (self->plot, cr, width / self->text_scale, height / self->text_scale);
}

/* Each row keeps the example's 16:6 at any width: the figure grows downward and scrolls. */
static void
ns_all_scalers_view_resized (GtkDrawingArea *area, int width, int height, gpointer data)
{
  NsAllScalersView *self = data;

  if (self->plot != NULL)
    gtk_drawing_area_set_content_height (area, ns_all_scalers_view_height (self, width));
}

static void
ns_all_scalers_view_map (GtkWidget *widget)
{
  NsAllScalersView *self = NS_ALL_SCALERS_VIEW (widget);

  GTK_WIDGET_CLASS (ns_all_scalers_view_parent_class)->map (widget);
  if (self->stale)
    ns_all_scalers_view_refit (self);
}

static void
ns_all_scalers_view_dispose (GObject *object)
{
  NsAllScalersView *self = NS_ALL_SCALERS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  g_clear_pointer (&self->plot, ns_all_scalers_plot_free);
  g_clear_pointer (&self->source, ns_all_scalers_source_release);
  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_ALL_SCALERS_VIEW);
  G_OBJECT_CLASS (ns_all_scalers_view_parent_class)->dispose (object);
}

static void
ns_all_scalers_view_class_init (NsAllScalersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_all_scalers_view_dispose;
  widget_class->map = ns_all_scalers_view_map;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/normscope/Normscope/"
                                                             "ns-all-scalers-view.ui");
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, x_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, y_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, color_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, spinner);
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, status_label);
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, area);
  gtk_widget_class_bind_template_child (widget_class, NsAllScalersView, export_button);
}

static void
ns_all_scalers_view_init (NsAllScalersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->text_scale = 1;
  gtk_drawing_area_set_draw_func (self->area, ns_all_scalers_view_draw, self, NULL);
  g_signal_connect (self->area, "resize", G_CALLBACK (ns_all_scalers_view_resized), self);
  g_signal_connect_swapped (self->x_dropdown, "notify::selected",
                            G_CALLBACK (ns_all_scalers_view_refit), self);
  g_signal_connect_swapped (self->y_dropdown, "notify::selected",
                            G_CALLBACK (ns_all_scalers_view_refit), self);
  g_signal_connect_swapped (self->color_dropdown, "notify::selected",
                            G_CALLBACK (ns_all_scalers_view_refit), self);
  g_signal_connect_swapped (self->export_button, "clicked",
                            G_CALLBACK (ns_all_scalers_view_export_clicked), self);
  ns_all_scalers_view_fill (self, NULL);
}
