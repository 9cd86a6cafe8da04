/* ns-axis-explorer-view.c: the axis explorer page; every change recomputes the explorer in a GTask
 * (loading the tensor first when it is new) and the stale run is cancelled.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ns-axis-explorer-view.h"

#include "core/ns-layer-norm.h"
#include "core/ns-plot-axis-explorer.h"
#include "core/ns-plot-series-bn.h"
#include "core/ns-reader.h"
#include "ns-plot-view.h"

/* A loaded tensor shared by the view and the runs still reading it. */
typedef struct {
  NsDataset *data;
} NsSharedTensor;

static void
shared_tensor_clear (gpointer box)
{
  ns_dataset_free (((NsSharedTensor *) box)->data);
}

static void
shared_tensor_release (NsSharedTensor *shared)
{
  if (shared != NULL)
    g_atomic_rc_box_release_full (shared, shared_tensor_clear);
}

struct _NsAxisExplorerView {
  AdwBin parent_instance;

  GtkLabel *source_label;
  GtkCheckButton *channels_last_check;
  GtkButton *demo_button;
  GtkDropDown *kind_dropdown;
  GtkSpinButton *channel_spin;
  GtkDropDown *groups_dropdown;
  GtkSpinButton *batch_spin;
  GtkSpinner *spinner;
  GtkButton *cancel_button;
  GtkLabel *status_label;
  GtkDrawingArea *figure;
  GtkLabel *demo_label;

  char *demo_path;
  NsDataset *table;       /* a table to explore (owned), or NULL */
  char *tensor_path;      /* a tensor to read in C order, or NULL; neither: the demo */
  NsSharedTensor *shared; /* what the last run read */
  NsAxisExplorer *explorer;
  GCancellable *cancellable;
  guint groups[64]; /* the groups dropdown's divisors of C */
  guint n_groups;
  gboolean updating; /* controls set by code, not by a person */
  gboolean pending;  /* a change waits for the page to be shown */
  gboolean pending_new_tensor;
};

G_DEFINE_FINAL_TYPE (NsAxisExplorerView, ns_axis_explorer_view, ADW_TYPE_BIN)

/* ---- The run. */

typedef struct {
  NsSharedTensor *shared; /* the tensor, or NULL: read it first */
  NsDataset *table;
  char *tensor_path, *demo_path;
  NsAxisExplorerOptions options;
} NsAxisJob;

typedef struct {
  NsSharedTensor *shared;
  NsAxisExplorer *explorer;
} NsAxisResult;

static void
axis_job_free (gpointer data)
{
  NsAxisJob *job = data;

  shared_tensor_release (job->shared);
  ns_dataset_free (job->table);
  g_free (job->tensor_path);
  g_free (job->demo_path);
  g_free (job);
}

static void
axis_result_free (gpointer data)
{
  NsAxisResult *result = data;

  shared_tensor_release (result->shared);
  ns_axis_explorer_free (result->explorer);
  g_free (result);
}

static NsDataset *
axis_job_read (NsAxisJob *job, GError **error)
{
  NsLayerNormOptions c_order;
  g_autofree char *axis = NULL;
  NsReadOptions read_options;

  if (job->table != NULL)
    return g_steal_pointer (&job->table);
  if (job->tensor_path == NULL)
    return ns_axis_explorer_demo_tensor (job->demo_path, error);
  ns_layer_norm_options_init (&c_order, NS_LAYER_NORM_GROUP);
  ns_read_options_init (&read_options);
  read_options.axis = axis = ns_layer_norm_read_axis (&c_order, job->tensor_path);
  return ns_dataset_load (job->tensor_path, &read_options, NULL, error);
}

static void
axis_job_run (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  NsAxisJob *job = task_data;
  g_autoptr (GError) error = NULL;
  NsAxisResult *result = g_new0 (NsAxisResult, 1);

  if (job->shared == NULL)
    {
      NsDataset *data = axis_job_read (job, &error);

      if (data != NULL)
        {
          job->shared = g_atomic_rc_box_new0 (NsSharedTensor);
          job->shared->data = data;
        }
    }
  if (job->shared != NULL)
    result->explorer = ns_axis_explorer_new (job->shared->data, &job->options, cancellable, &error);
  if (result->explorer == NULL)
    {
      axis_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->shared = g_atomic_rc_box_acquire (job->shared);
  g_task_return_pointer (task, result, axis_result_free);
}

static void
set_busy (NsAxisExplorerView *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
}

static char *
describe_source (NsAxisExplorerView *self)
{
  const NsDataset *data = self->shared != NULL ? self->shared->data : NULL;
  const char *path = data != NULL ? ns_dataset_get_source_path (data) : NULL;
  g_autofree char *name = path != NULL ? g_path_get_basename (path) : g_strdup ("data");
  g_autoptr (GString) shape = g_string_new (NULL);

  if (data == NULL)
    return g_strdup ("");
  if (ns_dataset_get_kind (data) == NS_DATASET_TABLE)
    g_string_printf (shape, "%" G_GSIZE_FORMAT ", %u", ns_dataset_get_n_samples (data),
                     ns_dataset_get_n_features (data));
  for (guint a = 0;
       ns_dataset_get_kind (data) == NS_DATASET_TENSOR && a < ns_dataset_get_rank (data); a++)
    g_string_append_printf (shape, "%s%" G_GSIZE_FORMAT, a > 0 ? ", " : "",
                            ns_dataset_get_shape (data)[a]);
  return g_strdup_printf ("%s%s (%s)",
                          self->tensor_path == NULL && self->table == NULL
                            ? "Demo: digits images as "
                            : "",
                          name, shape->str);
}

/* After a result: the controls' ranges follow the tensor (set by code: no new run). */
static void
update_controls (NsAxisExplorerView *self)
{
  const NsAxisExplorerOptions *o = ns_axis_explorer_get_options (self->explorer);
  gsize C = ns_axis_explorer_get_n_channels (self->explorer);
  g_autoptr (GtkStringList) groups = gtk_string_list_new (NULL);
  g_autofree char *source = describe_source (self);
  guint n = 0, selected = 0;

  self->updating = TRUE;
  gtk_label_set_text (self->source_label, source);
  gtk_spin_button_set_range (self->channel_spin, 0, (double) C - 1);
  gtk_spin_button_set_value (self->channel_spin, o->channel);
  gtk_spin_button_set_range (self->batch_spin, 1,
                             (double) ns_axis_explorer_get_n_samples (self->explorer));
  gtk_spin_button_set_value (self->batch_spin, (double) o->batch_size);
  for (gsize g = 1; g <= C && n < G_N_ELEMENTS (self->groups); g++)
    if (C % g == 0)
      {
        g_autofree char *label =
          g_strdup_printf ("%" G_GSIZE_FORMAT " (%" G_GSIZE_FORMAT " channel%s each)", g, C / g,
                           C / g == 1 ? "" : "s");

        selected = g == o->groups ? n : selected;
        self->groups[n++] = (guint) g;
        gtk_string_list_append (groups, label);
      }
  self->n_groups = n;
  gtk_drop_down_set_model (self->groups_dropdown, G_LIST_MODEL (groups));
  gtk_drop_down_set_selected (self->groups_dropdown, selected);
  self->updating = FALSE;
}

/* The figure's numbers for screen readers (and the end-to-end test). */
static void
describe_figure (NsAxisExplorerView *self)
{
  g_autoptr (NsPlotSeries) series = ns_axis_figure_series (self->explorer);
  g_autofree char *label =
    g_strdup_printf ("Axis explorer figure, group norm with G = %u: %s. %s",
                     ns_axis_explorer_get_options (self->explorer)->groups,
                     ns_plot_series_get_title (series),
                     ns_plot_series_get_note (series) != NULL ? ns_plot_series_get_note (series)
                                                              : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->figure), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
}

/* The guided demo's explanation, its numbers from the explorer's sweep. */
static void
explain_demo (NsAxisExplorerView *self)
{
  gboolean demo = self->table == NULL && self->tensor_path == NULL;
  gsize n_bn, n_gn;
  const double *bn = ns_axis_explorer_get_sweep (self->explorer, NS_LAYER_NORM_BATCH, &n_bn);
  const double *gn = ns_axis_explorer_get_sweep (self->explorer, NS_LAYER_NORM_GROUP, &n_gn);
  g_autofree char *bn2 = NULL, *bn_big = NULL, *gn2 = NULL, *text = NULL;
  gsize big = MIN (n_bn, 32);

  gtk_widget_set_visible (GTK_WIDGET (self->demo_label),
                          demo && bn != NULL && gn != NULL && big >= 2);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->demo_label)))
    return;
  bn2 = ns_batchnorm_format_number (bn[1]);
  bn_big = ns_batchnorm_format_number (bn[big - 1]);
  gn2 = ns_batchnorm_format_number (gn[1]);
  text = g_strdup_printf ("<b>Batch size 2: batch norm vs group norm.</b> With batches of 2 "
                          "images, batch norm's output of a pixel moves by %s (RMS) against the "
                          "output with one batch of all %" G_GSIZE_FORMAT " images; with batches "
                          "of %" G_GSIZE_FORMAT ", by %s. Group norm's moves by %s at every batch "
                          "size: it pools each image's own channels and never sees the others.",
                          bn2, ns_axis_explorer_get_n_samples (self->explorer), big, bn_big, gn2);
  gtk_label_set_markup (self->demo_label, text);
}

static void
axis_job_done (GObject *source, GAsyncResult *res, gpointer data)
{
  NsAxisExplorerView *self = NS_AXIS_EXPLORER_VIEW (source);
  g_autoptr (GError) error = NULL;
  NsAxisResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_task_get_cancellable (G_TASK (res)) != self->cancellable)
    {
      g_clear_pointer (&result, axis_result_free); /* a stale run */
      return;
    }
  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  if (result == NULL)
    {
      gtk_label_set_text (self->status_label,
                          g_error_matches (error, NS_ERROR, NS_ERROR_CANCELLED)
                            ? "Cancelled: the figure shows the last finished result."
                            : error->message);
      return;
    }
  shared_tensor_release (self->shared);
  self->shared = g_steal_pointer (&result->shared);
  g_clear_pointer (&self->explorer, ns_axis_explorer_free);
  self->explorer = g_steal_pointer (&result->explorer);
  axis_result_free (result);
  if (ns_axis_explorer_get_n_skipped (self->explorer) > 0)
    {
      g_autofree char *note =
        g_strdup_printf ("%" G_GSIZE_FORMAT
                         " samples with a missing or infinite value are left out: "
                         "normalization layers have no rule for them",
                         ns_axis_explorer_get_n_skipped (self->explorer));

      gtk_label_set_text (self->status_label, note);
    }
  else
    gtk_label_set_text (self->status_label, "");
  update_controls (self);
  describe_figure (self);
  explain_demo (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->figure));
}

static NsAxisJob *
axis_job_new (NsAxisExplorerView *self, gboolean new_tensor)
{
  NsAxisJob *job = g_new0 (NsAxisJob, 1);
  guint selected = gtk_drop_down_get_selected (self->groups_dropdown);

  ns_axis_explorer_options_init (&job->options);
  job->options.channel_axis = gtk_check_button_get_active (self->channels_last_check) ? -1 : 1;
  job->options.skip_non_finite = TRUE; /* a messy file: its finite samples, and a note */
  if (!new_tensor)
    {
      job->shared = g_atomic_rc_box_acquire (self->shared);
      job->options.channel = (guint) gtk_spin_button_get_value_as_int (self->channel_spin);
      job->options.batch_size = (gsize) gtk_spin_button_get_value_as_int (self->batch_spin);
      job->options.groups = selected < self->n_groups ? self->groups[selected] : 0;
      return job;
    }
  job->table = self->table != NULL ? ns_dataset_copy (self->table) : NULL;
  job->tensor_path = g_strdup (self->tensor_path);
  job->demo_path = g_strdup (self->demo_path);
  return job;
}

/* new_tensor: read the tensor again (a new file or layout), with the default settings. */
static void
recompute (NsAxisExplorerView *self, gboolean new_tensor)
{
  g_autoptr (GTask) task = NULL;

  if (self->updating ||
      (self->demo_path == NULL && self->table == NULL && self->tensor_path == NULL))
    return;
  new_tensor = new_tensor || self->shared == NULL;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* Nothing is computed for a page nobody looks at (every file load would pay for it). */
      self->pending = TRUE;
      self->pending_new_tensor |= new_tensor;
      return;
    }
  self->pending = self->pending_new_tensor = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, axis_job_done, NULL);
  g_task_set_check_cancellable (task, FALSE); /* the core's own error says it was cancelled */
  g_task_set_task_data (task, axis_job_new (self, new_tensor), axis_job_free);
  set_busy (self, TRUE);
  gtk_label_set_text (self->status_label, new_tensor ? "Reading the tensor…" : "Computing…");
  g_task_run_in_thread (task, axis_job_run);
}

/* ---- Drawing. */

static void
draw_figure (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NsAxisExplorerView *self = data;
  gboolean dark = ns_plot_view_widget_is_dark (GTK_WIDGET (area));

  if (self->explorer == NULL)
    return;
  ns_axis_figure_draw (self->explorer, gtk_drop_down_get_selected (self->kind_dropdown), dark,
                       FALSE, cr, width, height);
}

/* ---- Signals. */

static void
on_setting_changed (NsAxisExplorerView *self)
{
  recompute (self, FALSE);
}

static void
on_layout_changed (NsAxisExplorerView *self)
{
  shared_tensor_release (g_steal_pointer (&self->shared));
  recompute (self, TRUE);
}

static void
on_kind_changed (NsAxisExplorerView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->figure)); /* the frame moves; nothing to compute */
}

static void
on_map (NsAxisExplorerView *self)
{
  if (self->pending)
    recompute (self, self->pending_new_tensor);
}

static void
on_demo_clicked (NsAxisExplorerView *self)
{
  ns_axis_explorer_view_set_dataset (self, NULL);
}

static void
ns_axis_explorer_view_dispose (GObject *object)
{
  NsAxisExplorerView *self = NS_AXIS_EXPLORER_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->explorer, ns_axis_explorer_free);
  shared_tensor_release (g_steal_pointer (&self->shared));
  g_clear_pointer (&self->table, ns_dataset_free);
  g_clear_pointer (&self->tensor_path, g_free);
  g_clear_pointer (&self->demo_path, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_AXIS_EXPLORER_VIEW);
  G_OBJECT_CLASS (ns_axis_explorer_view_parent_class)->dispose (object);
}

static void
ns_axis_explorer_view_class_init (NsAxisExplorerViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ns_axis_explorer_view_dispose;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/normscope/Normscope/ns-axis-explorer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, source_label);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, channels_last_check);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, demo_button);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, channel_spin);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, groups_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, spinner);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, status_label);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, figure);
  gtk_widget_class_bind_template_child (widget_class, NsAxisExplorerView, demo_label);
}

static void
ns_axis_explorer_view_init (NsAxisExplorerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->figure, draw_figure, self, NULL);
  g_signal_connect_swapped (self->channel_spin, "value-changed", G_CALLBACK (on_setting_changed),
                            self);
  g_signal_connect_swapped (self->batch_spin, "value-changed", G_CALLBACK (on_setting_changed),
                            self);
  g_signal_connect_swapped (self->groups_dropdown, "notify::selected",
                            G_CALLBACK (on_setting_changed), self);
  g_signal_connect_swapped (self->channels_last_check, "toggled", G_CALLBACK (on_layout_changed),
                            self);
  g_signal_connect_swapped (self->kind_dropdown, "notify::selected", G_CALLBACK (on_kind_changed),
                            self);
  g_signal_connect_swapped (self->demo_button, "clicked", G_CALLBACK (on_demo_clicked), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect_swapped (self->cancel_button, "clicked",
                            G_CALLBACK (ns_axis_explorer_view_cancel), self);
}

/* ---- Public API. */

GtkWidget *
ns_axis_explorer_view_new (void)
{
  return g_object_new (NS_TYPE_AXIS_EXPLORER_VIEW, NULL);
}

void
ns_axis_explorer_view_set_demo_path (NsAxisExplorerView *self, const char *path)
{
  g_return_if_fail (NS_IS_AXIS_EXPLORER_VIEW (self));
  g_free (self->demo_path);
  self->demo_path = g_strdup (path);
  if (self->table == NULL && self->tensor_path == NULL)
    on_layout_changed (self);
}

void
ns_axis_explorer_view_set_dataset (NsAxisExplorerView *self, const NsDataset *dataset)
{
  gboolean tensor = dataset != NULL && ns_dataset_get_kind (dataset) == NS_DATASET_TENSOR;

  g_return_if_fail (NS_IS_AXIS_EXPLORER_VIEW (self));
  g_clear_pointer (&self->table, ns_dataset_free);
  g_clear_pointer (&self->tensor_path, g_free);
  if (tensor)
    self->tensor_path = g_strdup (ns_dataset_get_source_path (dataset));
  else if (dataset != NULL)
    self->table = ns_dataset_copy (dataset);
  self->updating = TRUE;
  gtk_check_button_set_active (self->channels_last_check, FALSE);
  self->updating = FALSE;
  on_layout_changed (self);
}

void
ns_axis_explorer_view_set_kind (NsAxisExplorerView *self, NsLayerNormKind kind)
{
  gtk_drop_down_set_selected (self->kind_dropdown, kind);
}

void
ns_axis_explorer_view_set_channel (NsAxisExplorerView *self, guint channel)
{
  gtk_spin_button_set_value (self->channel_spin, channel);
}

void
ns_axis_explorer_view_set_groups (NsAxisExplorerView *self, guint groups)
{
  for (guint i = 0; i < self->n_groups; i++)
    if (self->groups[i] == groups)
      gtk_drop_down_set_selected (self->groups_dropdown, i);
}

void
ns_axis_explorer_view_set_batch_size (NsAxisExplorerView *self, gsize batch_size)
{
  gtk_spin_button_set_value (self->batch_spin, (double) batch_size);
}

void
ns_axis_explorer_view_cancel (NsAxisExplorerView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
ns_axis_explorer_view_is_busy (NsAxisExplorerView *self)
{
  return self->cancellable != NULL;
}

void
ns_axis_explorer_view_wait (NsAxisExplorerView *self)
{
  while (ns_axis_explorer_view_is_busy (self))
    g_main_context_iteration (NULL, TRUE);
}

const NsAxisExplorer *
ns_axis_explorer_view_get_explorer (NsAxisExplorerView *self)
{
  return self->explorer;
}

const char *
ns_axis_explorer_view_get_status (NsAxisExplorerView *self)
{
  return gtk_label_get_text (self->status_label);
}

const char *
ns_axis_explorer_view_get_explanation (NsAxisExplorerView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->demo_label))
           ? gtk_label_get_text (self->demo_label)
           : "";
}
