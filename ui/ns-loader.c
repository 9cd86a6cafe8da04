/* ns-loader.c: loading a dataset off the main thread with GTask, progress and cancellation.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-loader"
#include "config.h"
#include "ns-loader.h"

#include "core/ns-reader.h"
#include "core/ns-summary.h"

struct _NsLoadJob {
  gint ref_count;
  char *path;
  char **excluded; /* columns left out of the fits */
  char *axis;      /* a tensor's kept axes (NULL: the last) */
  gint permille;   /* atomic progress */
};

static NsLoadJob *
ns_load_job_ref (NsLoadJob *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

void
ns_load_job_unref (NsLoadJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;
  g_free (job->path);
  g_strfreev (job->excluded);
  g_free (job->axis);
  g_free (job);
}

static void
ns_load_job_set_fraction (NsLoadJob *job, double fraction)
{
  if (job != NULL)
    g_atomic_int_set (&job->permille, (gint) (CLAMP (fraction, 0, 1) * 1000));
}

double
ns_load_job_get_fraction (NsLoadJob *job)
{
  return g_atomic_int_get (&job->permille) / 1000.0;
}

static void
ns_load_job_read_progress (double fraction, gpointer user_data)
{
  /* Reading is most of the work; summary and fits share the rest. */
  ns_load_job_set_fraction (user_data, 0.7 * fraction);
}

void
ns_load_result_free (NsLoadResult *result)
{
  if (result == NULL)
    return;
  g_free (result->path);
  g_clear_pointer (&result->dataset, ns_dataset_free);
  g_clear_pointer (&result->summary, g_array_unref);
  for (guint i = 0; i < NS_N_SCALERS; i++)
    {
      g_clear_pointer (&result->stats[i], ns_stats_free);
      g_free (result->fit_errors[i]);
    }
  g_free (result);
}

/* Every scaler from one pass over each feature (core computes the moments once for all). */
static gboolean
ns_load_fit_scalers (NsLoadResult *result, GCancellable *cancellable)
{
  NsScalerOptions options[NS_N_SCALERS];
  GError *errors[NS_N_SCALERS] = { NULL };
  gboolean done;

  for (guint m = 0; m < NS_N_SCALERS; m++)
    ns_scaler_options_init (&options[m], (NsMethod) m);
  done =
    ns_scaler_fit_each (result->dataset, options, NS_N_SCALERS, cancellable, result->stats, errors);
  for (guint m = 0; m < NS_N_SCALERS; m++)
    if (errors[m] != NULL)
      {
        result->fit_errors[m] = g_strdup (errors[m]->message);
        g_error_free (errors[m]);
      }
  return done;
}

/* Keeps every column but the excluded numeric ones (core's column selection). */
static gboolean
ns_load_exclude (NsDataset *dataset, const char *const *excluded, GError **error)
{
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  if (excluded == NULL || excluded[0] == NULL)
    return TRUE;
  for (guint f = 0; f < ns_dataset_get_n_features (dataset); f++)
    {
      const char *name =
        ns_dataset_get_column_name (dataset, ns_dataset_get_feature_column (dataset, f));

      if (!g_strv_contains (excluded, name))
        g_ptr_array_add (kept, (gpointer) name);
    }
  if (kept->len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: every numeric column is excluded: include one again (main menu, "
                   "Include All Columns)",
                   ns_dataset_get_source_path (dataset));
      return FALSE;
    }
  g_ptr_array_add (kept, NULL);
  return ns_dataset_select_columns (dataset, (const char *const *) kept->pdata, error);
}

NsLoadResult *
ns_load_file (const char *path, const char *axis, const char *const *excluded,
              GCancellable *cancellable, NsLoadJob *job, GError **error)
{
  g_autoptr (NsLoadResult) result = g_new0 (NsLoadResult, 1);
  NsReadOptions options;

  ns_read_options_init (&options);
  options.progress = ns_load_job_read_progress;
  options.progress_data = job;
  options.axis = axis;
  result->path = g_strdup (path);
  result->dataset = ns_dataset_load (path, &options, cancellable, error);
  if (result->dataset == NULL || !ns_load_exclude (result->dataset, excluded, error))
    return NULL;
  result->summary = ns_summary_compute (result->dataset, cancellable, error);
  if (result->summary == NULL)
    return NULL;
  ns_load_job_set_fraction (job, 0.8);

  if (ns_dataset_get_n_features (result->dataset) > 0 && !ns_load_fit_scalers (result, cancellable))
    {
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  ns_load_job_set_fraction (job, 1.0);
  return g_steal_pointer (&result);
}

static void
ns_load_job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  NsLoadJob *job = task_data;
  GError *error = NULL;
  NsLoadResult *result = ns_load_file (job->path, job->axis, (const char *const *) job->excluded,
                                       cancellable, job, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) ns_load_result_free);
}

NsLoadJob *
ns_load_job_start (const char *path, const char *axis, const char *const *excluded,
                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  NsLoadJob *job = g_new0 (NsLoadJob, 1);

  job->ref_count = 1;
  job->path = g_strdup (path);
  job->excluded = g_strdupv ((char **) excluded);
  job->axis = g_strdup (axis);
  g_task_set_source_tag (task, ns_load_job_start);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, ns_load_job_ref (job), (GDestroyNotify) ns_load_job_unref);
  g_task_run_in_thread (task, ns_load_job_thread);
  /* The caller's reference; the task holds its own. */
  g_task_set_name (task, "ns-load");
  return job;
}

NsLoadResult *
ns_load_job_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
