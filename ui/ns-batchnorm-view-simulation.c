/* ns-batchnorm-view-simulation.c: the batch-norm explorer's re-simulation off the
 * main thread: changes coalesce into one run, a newer run makes older ones stale and cancels them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

#include "core/ns-demo.h"

enum { SIGNAL_SETTINGS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
ns_batchnorm_data_clear (gpointer p)
{
  NsBatchNormData *d = p;

  ns_dataset_free (d->data);
  ns_dataset_free (d->test);
}

NsBatchNormData *
_ns_batchnorm_data_new (NsDataset *data, NsDataset *test)
{
  NsBatchNormData *d = g_atomic_rc_box_new0 (NsBatchNormData);

  d->data = data;
  d->test = test;
  return d;
}

void
_ns_batchnorm_data_unref (NsBatchNormData *d)
{
  g_atomic_rc_box_release_full (d, ns_batchnorm_data_clear);
}

typedef struct {
  NsBatchNormData *data;
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  char *labels[NS_DEMO_MAX_RUNS];
  guint n_runs;
  guint feature;
  char *feature_name;
  const NsDemo *demo;
  guint generation;
} NsBatchNormJob;

static void
ns_batchnorm_job_free (gpointer p)
{
  NsBatchNormJob *job = p;

  _ns_batchnorm_data_unref (job->data);
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_free (job->labels[i]);
  g_free (job->feature_name);
  g_free (job);
}

void
_ns_batchnorm_result_free (gpointer p)
{
  NsBatchNormResult *result = p;

  for (guint i = 0; i < NS_BATCHNORM_N_FIGURES; i++)
    ns_plot_series_free (result->figures[i]);
  g_free (result->numbers);
  g_free (result);
}

static void
ns_batchnorm_view_thread (GTask *task, gpointer source, gpointer task_data,
                          GCancellable *cancellable)
{
  NsBatchNormJob *job = task_data;
  NsBatchNorm *bns[NS_DEMO_MAX_RUNS] = { NULL };
  NsBatchNormRun runs[NS_DEMO_MAX_RUNS];
  NsBatchNormFigureOptions fig = { job->feature_name, NULL, 0 };
  NsBatchNormResult *result;
  GError *error = NULL;

  for (guint r = 0; r < job->n_runs; r++)
    {
      bns[r] = ns_batchnorm_new (job->data->data, &job->options[r], &error);
      if (bns[r] == NULL || !ns_batchnorm_run (bns[r], cancellable, NULL, NULL, &error))
        {
          for (guint k = 0; k <= r; k++)
            ns_batchnorm_free (bns[k]);
          g_task_return_error (task, error);
          return;
        }
      runs[r] = (NsBatchNormRun) { bns[r], job->feature, job->labels[r] };
    }
  if (job->data->test != NULL)
    {
      fig.test_values =
        ns_dataset_get_values (job->data->test, ns_dataset_get_feature_column (job->data->test, 0));
      fig.n_test = ns_dataset_get_n_samples (job->data->test);
    }
  result = g_new0 (NsBatchNormResult, 1);
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    result->figures[f] = ns_batchnorm_figure_new (f, runs, job->n_runs, &fig);
  result->n_steps = ns_batchnorm_get_n_steps (bns[0]);
  result->n_skipped = ns_batchnorm_get_n_skipped (bns[0]);
  if (job->demo != NULL)
    result->numbers = ns_demo_numbers (job->demo, bns, job->n_runs, job->feature, job->data->test);
  for (guint r = 0; r < job->n_runs; r++)
    ns_batchnorm_free (bns[r]);
  g_task_return_pointer (task, result, _ns_batchnorm_result_free);
}

static void
ns_batchnorm_view_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  NsBatchNormView *self = NS_BATCHNORM_VIEW (source);
  NsBatchNormJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  NsBatchNormResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (job->generation != self->generation || self->plot_running == NULL)
    {
      g_clear_pointer (&result, _ns_batchnorm_result_free);
      return; /* a stale run (a newer one is under way), or the view is being disposed */
    }
  self->busy = FALSE;
  if (result == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->result, _ns_batchnorm_result_free);
  self->result = result;
  if (self->demo != NULL && result->numbers != NULL)
    gtk_label_set_text (self->demo_numbers, result->numbers);
  if (result->n_skipped > 0)
    {
      g_autofree char *note = ns_batchnorm_skipped_note (result->n_skipped, job->feature_name);

      gtk_label_set_text (self->status_label, note);
    }
  else
    gtk_label_set_text (self->status_label, "");
  _ns_batchnorm_view_update_grid (self);
  _ns_batchnorm_view_apply_cursor (self);
  _ns_batchnorm_view_queue_draws (self);
}

static gboolean
ns_batchnorm_view_start (gpointer data)
{
  NsBatchNormView *self = data;
  NsBatchNormJob *job;
  g_autoptr (GTask) task = NULL;
  guint feature;

  self->idle_id = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;
  if (self->data == NULL)
    {
      self->busy = FALSE;
      return G_SOURCE_REMOVE;
    }
  feature = ns_batchnorm_view_get_feature (self);
  job = g_new0 (NsBatchNormJob, 1);
  job->data = g_atomic_rc_box_acquire (self->data);
  job->generation = self->generation;
  job->demo = self->demo;
  job->feature = feature;
  job->feature_name = g_strdup (
    ns_dataset_get_column_name (self->data->data,
                                ns_dataset_get_feature_column (self->data->data, feature)));
  ns_batchnorm_view_get_options (self, &job->options[0]);
  job->n_runs = self->n_runs;
  if (job->n_runs > 1)
    {
      job->options[1] = self->compare;
      job->options[1].only_feature = (int) feature;
      job->options[1].record_history = TRUE;
    }
  for (guint r = 0; r < job->n_runs; r++)
    job->labels[r] = g_strdup (self->labels[r]);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  task = g_task_new (self, self->cancellable, ns_batchnorm_view_done, NULL);
  g_task_set_task_data (task, job, ns_batchnorm_job_free);
  g_task_run_in_thread (task, ns_batchnorm_view_thread);
  return G_SOURCE_REMOVE;
}

/* Changes coalesce: every change in one main-loop iteration starts one run. */
void
_ns_batchnorm_view_schedule (NsBatchNormView *self)
{
  if (self->updating)
    return;
  g_signal_emit (self, signals[SIGNAL_SETTINGS_CHANGED], 0);
  _ns_batchnorm_view_update_convention (self);
  self->busy = self->data != NULL;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, ns_batchnorm_view_start, self, NULL);
}

gboolean
ns_batchnorm_view_is_busy (NsBatchNormView *self)
{
  return self->busy || self->idle_id != 0;
}

void
ns_batchnorm_view_wait (NsBatchNormView *self)
{
  while (ns_batchnorm_view_is_busy (self))
    g_main_context_iteration (NULL, TRUE);
}

void
_ns_batchnorm_view_simulation_class_init (GObjectClass *object_class)
{
  /* settings-changed: a control (or a demo) changed the settings; the window shares them. */
  signals[SIGNAL_SETTINGS_CHANGED] =
    g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}
