/* ns-batchnorm-simulation.c: batch-norm runs in a GTask thread, one job at a time, the finished one
 * kept with its key. SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-simulation"
#include "config.h"
#include "ns-batchnorm-simulation.h"
#include "ns-worker.h"

#define MAX_RUNS NS_BATCHNORM_SIMULATION_MAX_RUNS

typedef struct {
  NsBatchNormSimulation *owner; /* NULL once the simulation stopped waiting for this run */
  const NsDataset *dataset;
  NsBatchNormOptions options[MAX_RUNS];
  guint n_runs;
  const NsBatchNormSummary *summary_type;
  gpointer summary_data;
  char *key;
  NsBatchNorm *runs[MAX_RUNS];
  gpointer summary;
  NsWorkerLatch *latch;
} NsBatchNormJob;

struct _NsBatchNormSimulation {
  NsBatchNormSimulationDone done;
  gpointer data;
  GTask *task;
  char *running_key;
  char *key; /* of the finished run or error */
  const NsBatchNormSummary *summary_type;
  NsBatchNorm *runs[MAX_RUNS];
  gpointer summary;
  GError *error;
};

static void
ns_batchnorm_runs_clear (NsBatchNorm **runs)
{
  for (guint r = 0; r < MAX_RUNS; r++)
    g_clear_pointer (&runs[r], ns_batchnorm_free);
}

static void
ns_batchnorm_job_free (gpointer data)
{
  NsBatchNormJob *job = data;

  g_free (job->key);
  ns_batchnorm_runs_clear (job->runs);
  if (job->summary != NULL)
    job->summary_type->free_summary (job->summary);
  if (job->summary_data != NULL && job->summary_type->free_data != NULL)
    job->summary_type->free_data (job->summary_data);
  ns_worker_latch_free (job->latch);
  g_free (job);
}

static gboolean
ns_batchnorm_job_simulate (NsBatchNormJob *job, GCancellable *cancellable, GError **error)
{
  for (guint r = 0; r < job->n_runs; r++)
    {
      job->runs[r] = ns_batchnorm_new (job->dataset, &job->options[r], error);
      if (job->runs[r] == NULL || !ns_batchnorm_run (job->runs[r], cancellable, NULL, NULL, error))
        return FALSE;
    }
  /* A cancelled job's summary would be dropped, and the main thread may be waiting for it. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  job->summary = job->summary_type->summarise (job->runs, job->n_runs, job->summary_data, error);
  return job->summary != NULL;
}

static void
ns_batchnorm_job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  NsBatchNormJob *job = data;
  GError *error = NULL;
  gboolean ok = ns_batchnorm_job_simulate (job, cancellable, &error);

  ns_worker_latch_release (job->latch);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
ns_batchnorm_simulation_forget (NsBatchNormSimulation *self)
{
  g_clear_pointer (&self->key, g_free);
  ns_batchnorm_runs_clear (self->runs);
  if (self->summary != NULL)
    self->summary_type->free_summary (g_steal_pointer (&self->summary));
  g_clear_error (&self->error);
}

static void
ns_batchnorm_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NsBatchNormJob *job = g_task_get_task_data (G_TASK (result));
  NsBatchNormSimulation *self = job->owner;
  g_autoptr (GError) error = NULL;

  if (self == NULL)
    return;
  g_clear_object (&self->task);
  g_clear_pointer (&self->running_key, g_free);
  ns_batchnorm_simulation_forget (self);
  self->key = g_strdup (job->key);
  self->summary_type = job->summary_type;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      for (guint r = 0; r < MAX_RUNS; r++)
        self->runs[r] = g_steal_pointer (&job->runs[r]);
      self->summary = g_steal_pointer (&job->summary);
    }
  else
    self->error = g_steal_pointer (&error);
  self->done (self->data);
}

NsBatchNormSimulation *
ns_batchnorm_simulation_new (NsBatchNormSimulationDone done, gpointer data)
{
  NsBatchNormSimulation *self = g_new0 (NsBatchNormSimulation, 1);

  self->done = done;
  self->data = data;
  return self;
}

static void
ns_batchnorm_simulation_cancel (NsBatchNormSimulation *self)
{
  NsBatchNormJob *job;

  if (self->task == NULL)
    return;
  job = g_task_get_task_data (self->task);
  ns_worker_cancel_and_wait (self->task, job->latch);
  job->owner = NULL;
  g_clear_object (&self->task);
  g_clear_pointer (&self->running_key, g_free);
}

void
ns_batchnorm_simulation_stop (NsBatchNormSimulation *self)
{
  ns_batchnorm_simulation_cancel (self);
  ns_batchnorm_simulation_forget (self);
}

void
ns_batchnorm_simulation_free (NsBatchNormSimulation *self)
{
  if (self == NULL)
    return;
  ns_batchnorm_simulation_stop (self);
  g_free (self);
}

static void
ns_batchnorm_simulation_start (NsBatchNormSimulation *self, const NsDataset *dataset,
                               const NsBatchNormOptions *options, guint n_runs,
                               const NsBatchNormSummary *summary, gpointer data, char *key)
{
  g_autoptr (GCancellable) cancellable = NULL;
  NsBatchNormJob *job;

  g_return_if_fail (n_runs >= 1 && n_runs <= MAX_RUNS);
  ns_batchnorm_simulation_cancel (self);
  cancellable = g_cancellable_new ();
  job = g_new0 (NsBatchNormJob, 1);
  *job = (NsBatchNormJob) {
    .owner = self,
    .dataset = dataset,
    .n_runs = n_runs,
    .summary_type = summary,
    .summary_data = data,
    .key = g_strdup (key),
    .latch = ns_worker_latch_new (),
  };
  for (guint r = 0; r < n_runs; r++)
    job->options[r] = options[r];
  self->running_key = key;
  self->task = g_task_new (NULL, cancellable, ns_batchnorm_job_done, NULL);
  g_task_set_task_data (self->task, job, ns_batchnorm_job_free);
  g_task_run_in_thread (self->task, ns_batchnorm_job_run);
}

void
ns_batchnorm_simulation_run (NsBatchNormSimulation *self, const NsDataset *dataset,
                             const NsBatchNormOptions *options, guint n_runs,
                             const NsBatchNormSummary *summary, gpointer data)
{
  ns_batchnorm_simulation_start (self, dataset, options, n_runs, summary, data, NULL);
}

gpointer
ns_batchnorm_simulation_take_summary (NsBatchNormSimulation *self, GError **error)
{
  gpointer summary = g_steal_pointer (&self->summary);

  if (summary == NULL && self->error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->error));
  ns_batchnorm_simulation_forget (self);
  return summary;
}

/* The Compare page's summary: the simulated feature's training-mode outputs, binned. */
static gpointer
ns_batchnorm_training_summarise (NsBatchNorm *const *runs, guint n_runs, gpointer data,
                                 GError **error)
{
  const NsDataset *dataset = ns_batchnorm_get_dataset (runs[0]);
  gsize n = ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset);
  g_autofree double *out = g_new (double, n);

  ns_batchnorm_training_output (runs[0], GPOINTER_TO_INT (data), out);
  return ns_plot_data_new_approximate (out, n, error);
}

static const NsBatchNormSummary ns_batchnorm_training_summary = {
  ns_batchnorm_training_summarise,
  (GDestroyNotify) ns_plot_data_free,
  NULL,
};

NsBatchNorm *
ns_batchnorm_simulation_get (NsBatchNormSimulation *self, const NsDataset *dataset,
                             const NsBatchNormOptions *options, int feature,
                             const NsPlotData **training, GError **error)
{
  g_autofree char *key =
    g_strdup_printf ("%p/%d/%u/%" G_GSIZE_FORMAT "/%.17g", (void *) dataset, feature,
                     options->preset, options->batch_size, options->momentum);

  if (g_strcmp0 (key, self->key) == 0)
    {
      if (self->error != NULL)
        {
          g_propagate_error (error, g_error_copy (self->error));
          return NULL;
        }
      *training = self->summary;
      return self->runs[0];
    }
  if (g_strcmp0 (key, self->running_key) != 0)
    ns_batchnorm_simulation_start (self, dataset, options, 1, &ns_batchnorm_training_summary,
                                   GINT_TO_POINTER (feature), g_steal_pointer (&key));
  return NULL;
}

gboolean
ns_batchnorm_simulation_is_busy (NsBatchNormSimulation *self)
{
  return self->task != NULL;
}
