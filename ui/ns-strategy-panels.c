/* ns-strategy-panels.c: one GTask per (feature, strategy), results kept per feature on show.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-strategy-panels"
#include "config.h"
#include "ns-strategy-panels.h"

#include "core/ns-strategy-panel.h"

typedef struct {
  NsStrategyPanels *owner; /* NULL once the panels stopped waiting for this run */
  const NsDataset *dataset;
  int feature;
  NsStrategy strategy;
  GCancellable *cancellable;
  NsPlotData *values;
  GMutex lock;
  GCond cond;
  gboolean finished;
} NsPanelJob;

typedef struct {
  NsPlotData *values;
  GError *error;
} NsPanelResult;

struct _NsStrategyPanels {
  NsStrategyPanelsDone done;
  gpointer data;
  const NsDataset *dataset; /* of the feature on show */
  int feature;
  GPtrArray *jobs;                      /* every run not yet finished, stale ones too */
  NsPanelJob *running[NS_N_STRATEGIES]; /* the feature on show's runs */
  NsPanelResult results[NS_N_STRATEGIES];
};

static void
ns_panel_job_free (gpointer data)
{
  NsPanelJob *job = data;

  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->values, ns_plot_data_free);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  g_free (job);
}

static void
ns_panel_job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  NsPanelJob *job = data;
  GError *error = NULL;

  /* One thread per panel: the panels run side by side and the main loop keeps its core. */
  job->values = ns_strategy_panel_compute (job->dataset, (guint) job->feature, job->strategy, 1,
                                           cancellable, &error);
  g_mutex_lock (&job->lock);
  job->finished = TRUE;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->lock);
  if (job->values != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
ns_panel_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NsPanelJob *job = g_task_get_task_data (G_TASK (result));
  NsStrategyPanels *self = job->owner;
  NsPanelResult *slot;
  GError *error = NULL;

  if (self == NULL)
    return;
  g_ptr_array_remove (self->jobs, job);
  if (self->running[job->strategy] != job)
    return; /* a stale feature's run */
  self->running[job->strategy] = NULL;
  slot = &self->results[job->strategy];
  if (g_task_propagate_boolean (G_TASK (result), &error))
    slot->values = g_steal_pointer (&job->values);
  else
    slot->error = error;
  self->done (self->data);
}

NsStrategyPanels *
ns_strategy_panels_new (NsStrategyPanelsDone done, gpointer data)
{
  NsStrategyPanels *self = g_new0 (NsStrategyPanels, 1);

  self->done = done;
  self->data = data;
  self->feature = -1;
  self->jobs = g_ptr_array_new ();
  return self;
}

/* Forgets the feature on show's panels; its runs go on unwatched, cancelled. */
static void
ns_strategy_panels_forget (NsStrategyPanels *self)
{
  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    {
      if (self->running[s] != NULL)
        g_cancellable_cancel (self->running[s]->cancellable);
      self->running[s] = NULL;
      g_clear_pointer (&self->results[s].values, ns_plot_data_free);
      g_clear_error (&self->results[s].error);
    }
  self->dataset = NULL;
  self->feature = -1;
}

static void
ns_panel_job_wait (NsPanelJob *job)
{
  g_mutex_lock (&job->lock);
  while (!job->finished)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
  job->owner = NULL;
}

void
ns_strategy_panels_stop (NsStrategyPanels *self)
{
  ns_strategy_panels_forget (self);
  for (guint i = 0; i < self->jobs->len; i++)
    g_cancellable_cancel (((NsPanelJob *) self->jobs->pdata[i])->cancellable);
  for (guint i = 0; i < self->jobs->len; i++)
    ns_panel_job_wait (self->jobs->pdata[i]);
  g_ptr_array_set_size (self->jobs, 0);
}

void
ns_strategy_panels_free (NsStrategyPanels *self)
{
  if (self == NULL)
    return;
  ns_strategy_panels_stop (self);
  g_ptr_array_unref (self->jobs);
  g_free (self);
}

static void
ns_strategy_panels_start (NsStrategyPanels *self, NsStrategy strategy)
{
  NsPanelJob *job = g_new0 (NsPanelJob, 1);
  g_autoptr (GTask) task = NULL;

  *job = (NsPanelJob) { self, self->dataset, self->feature, strategy, g_cancellable_new () };
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  task = g_task_new (NULL, job->cancellable, ns_panel_job_done, NULL);
  g_task_set_task_data (task, job, ns_panel_job_free);
  g_task_set_name (task, "ns-strategy-panel");
  self->running[strategy] = job;
  g_ptr_array_add (self->jobs, job);
  g_task_run_in_thread (task, ns_panel_job_run);
}

const NsPlotData *
ns_strategy_panels_get (NsStrategyPanels *self, const NsDataset *dataset, int feature,
                        NsStrategy strategy, GError **error)
{
  NsPanelResult *slot = &self->results[strategy];

  g_return_val_if_fail (ns_strategy_panel_is_computed (strategy) && feature >= 0, NULL);
  if (dataset != self->dataset || feature != self->feature)
    {
      ns_strategy_panels_forget (self);
      self->dataset = dataset;
      self->feature = feature;
    }
  if (slot->error != NULL)
    {
      g_propagate_error (error, g_error_copy (slot->error));
      return NULL;
    }
  if (slot->values == NULL && self->running[strategy] == NULL)
    ns_strategy_panels_start (self, strategy);
  return slot->values;
}

gboolean
ns_strategy_panels_is_busy (NsStrategyPanels *self)
{
  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    if (self->running[s] != NULL)
      return TRUE;
  return FALSE;
}
