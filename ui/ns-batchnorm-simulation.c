/* ns-batchnorm-simulation.c: one batch-norm run at a time in a GTask thread, keyed by its settings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-simulation"
#include "config.h"
#include "ns-batchnorm-simulation.h"
#include "ns-worker.h"

typedef struct {
  NsBatchNormSimulation *owner; /* NULL once the simulation stopped waiting for this run */
  const NsDataset *dataset;
  NsBatchNormOptions options;
  int feature;
  char *key;
  NsBatchNorm *batchnorm;
  NsPlotData *training;
  NsWorkerLatch *latch;
} NsBatchNormJob;

struct _NsBatchNormSimulation {
  NsBatchNormSimulationDone done;
  gpointer data;
  GTask *task;
  char *running_key;
  char *key; /* of the cached run or error */
  NsBatchNorm *batchnorm;
  NsPlotData *training;
  GError *error;
};

static void
ns_batchnorm_job_free (gpointer data)
{
  NsBatchNormJob *job = data;

  g_free (job->key);
  g_clear_pointer (&job->batchnorm, ns_batchnorm_free);
  g_clear_pointer (&job->training, ns_plot_data_free);
  ns_worker_latch_free (job->latch);
  g_free (job);
}

static gboolean
ns_batchnorm_job_simulate (NsBatchNormJob *job, GCancellable *cancellable, GError **error)
{
  g_autofree double *out = NULL;
  const NsDataset *simulated;
  gsize n;

  job->batchnorm = ns_batchnorm_new (job->dataset, &job->options, error);
  if (job->batchnorm == NULL || !ns_batchnorm_run (job->batchnorm, cancellable, NULL, NULL, error))
    return FALSE;
  /* Without the rows skip_non_finite left out, if any. */
  simulated = ns_batchnorm_get_dataset (job->batchnorm);
  n = ns_dataset_get_n_samples (simulated) * ns_dataset_get_spatial_size (simulated);
  out = g_new (double, n);
  ns_batchnorm_training_output (job->batchnorm, job->feature, out);
  job->training = ns_plot_data_new_approximate (out, n, error);
  return job->training != NULL;
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
ns_batchnorm_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NsBatchNormJob *job = g_task_get_task_data (G_TASK (result));
  NsBatchNormSimulation *self = job->owner;
  g_autoptr (GError) error = NULL;

  if (self == NULL)
    return;
  g_clear_object (&self->task);
  g_clear_pointer (&self->running_key, g_free);
  g_clear_pointer (&self->batchnorm, ns_batchnorm_free);
  g_clear_pointer (&self->training, ns_plot_data_free);
  g_clear_error (&self->error);
  g_free (self->key);
  self->key = g_strdup (job->key);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->batchnorm = g_steal_pointer (&job->batchnorm);
      self->training = g_steal_pointer (&job->training);
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
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->batchnorm, ns_batchnorm_free);
  g_clear_pointer (&self->training, ns_plot_data_free);
  g_clear_error (&self->error);
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
                               const NsBatchNormOptions *options, int feature, char *key)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  NsBatchNormJob *job = g_new0 (NsBatchNormJob, 1);

  ns_batchnorm_simulation_cancel (self);
  *job = (NsBatchNormJob) { self, dataset, *options, feature, g_strdup (key) };
  job->latch = ns_worker_latch_new ();
  self->running_key = key;
  self->task = g_task_new (NULL, cancellable, ns_batchnorm_job_done, NULL);
  g_task_set_task_data (self->task, job, ns_batchnorm_job_free);
  g_task_run_in_thread (self->task, ns_batchnorm_job_run);
}

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
      *training = self->training;
      return self->batchnorm;
    }
  if (g_strcmp0 (key, self->running_key) != 0)
    ns_batchnorm_simulation_start (self, dataset, options, feature, g_steal_pointer (&key));
  return NULL;
}

gboolean
ns_batchnorm_simulation_is_busy (NsBatchNormSimulation *self)
{
  return self->task != NULL;
}
