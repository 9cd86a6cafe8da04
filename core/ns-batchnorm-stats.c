/* ns-batchnorm-stats.c: the batch-norm stats file, the per-step trace CSV and the output files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include <math.h>
#include <string.h>
#include "ns-error.h"
#include "ns-output.h"
#include "ns-reader.h"
#include "ns-scaler-private.h"
#include "ns-threads.h"

static JsonArray *
ns_batchnorm_averages_json (const NsBatchNormOptions *o)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < NS_N_AVERAGES; i++)
    if (o->averages & (1u << i))
      {
        if (1u << i == NS_AVERAGE_WINDOW)
          {
            g_autofree char *name = g_strdup_printf ("window:%u", o->window);

            json_array_add_string_element (array, name);
          }
        else
          json_array_add_string_element (array, ns_average_to_string (1u << i));
      }
  return array;
}

static void
ns_batchnorm_batch_params (const NsBatchNorm *self, JsonObject *params)
{
  const NsBatchNormOptions *o = &self->options;

  if (o->n_batch_sizes > 0)
    {
      JsonArray *sizes = json_array_new ();

      for (guint b = 0; b < o->n_batch_sizes; b++)
        json_array_add_int_element (sizes, (gint64) o->batch_sizes[b]);
      json_object_set_array_member (params, "batch_sizes", sizes);
    }
  else
    json_object_set_int_member (params, "batch_size", (gint64) o->batch_size);
  json_object_set_int_member (params, "epochs", o->epochs);
  if (o->shuffle)
    json_object_set_int_member (params, "shuffle", (gint64) o->shuffle_seed);
  else
    json_object_set_null_member (params, "shuffle");
  if (o->order != NULL)
    json_object_set_string_member (params, "order", ns_batchnorm_order_get_path (o->order));
  json_object_set_boolean_member (params, "drop_last", o->drop_last);
}

static void
ns_batchnorm_layout_params (const NsBatchNorm *self, JsonObject *params)
{
  const NsDataset *data = self->data;
  JsonArray *axis, *shape;

  if (ns_dataset_get_kind (data) != NS_DATASET_TENSOR)
    return;
  axis = json_array_new ();
  shape = json_array_new ();
  for (guint i = 0; i < ns_dataset_get_n_kept_axes (data); i++)
    json_array_add_int_element (axis, ns_dataset_get_kept_axes (data)[i]);
  for (guint i = 0; i < ns_dataset_get_rank (data); i++)
    json_array_add_int_element (shape, (gint64) ns_dataset_get_shape (data)[i]);
  json_object_set_array_member (params, "axis", axis);
  json_object_set_int_member (params, "rank", ns_dataset_get_rank (data));
  json_object_set_array_member (params, "shape", shape);
}

/* A clipping bound; an absent one (infinite) is null. */
static void
ns_batchnorm_set_bound (JsonObject *object, const char *name, double value)
{
  if (isinf (value))
    json_object_set_null_member (object, name);
  else
    json_object_set_double_member (object, name, value);
}

static void
ns_batchnorm_set_params (const NsBatchNorm *self, NsStats *stats)
{
  const NsBatchNormOptions *o = &self->options;
  JsonObject *params = ns_stats_get_params (stats);

  json_object_set_string_member (params, "preset", ns_batchnorm_preset_to_string (o->preset));
  ns_batchnorm_batch_params (self, params);
  if (o->cumulative)
    json_object_set_null_member (params, "momentum");
  else
    json_object_set_double_member (params, "momentum", o->momentum);
  /* momentum null: PyTorch's momentum=None, the cumulative average. */
  json_object_set_string_member (params, "momentum_convention",
                                 ns_momentum_convention_to_string (o->convention));
  json_object_set_double_member (params, "eps", o->eps);
  json_object_set_string_member (params, "running_var_estimator",
                                 o->unbiased_running_var ? "unbiased" : "biased");
  json_object_set_boolean_member (params, "fast_variance", o->fast_variance);
  json_object_set_string_member (params, "dtype", o->float32 ? "f32" : "f64");
  json_object_set_array_member (params, "averages", ns_batchnorm_averages_json (o));
  if (o->renorm)
    {
      JsonObject *renorm = json_object_new ();

      ns_batchnorm_set_bound (renorm, "r_min", o->renorm_rmin);
      ns_batchnorm_set_bound (renorm, "r_max", o->renorm_rmax);
      ns_batchnorm_set_bound (renorm, "d_max", o->renorm_dmax);
      /* null: the layer's rate, which is 1/t (cumulative) */
      ns_batchnorm_set_bound (renorm, "momentum",
                              !isnan (o->renorm_momentum) ? o->renorm_momentum
                              : o->cumulative             ? INFINITY
                                                          : o->momentum);
      json_object_set_object_member (params, "renorm", renorm);
    }
  else
    json_object_set_boolean_member (params, "renorm", FALSE);
  json_object_set_double_member (params, "gamma", o->gamma);
  json_object_set_double_member (params, "beta", o->beta);
  ns_batchnorm_layout_params (self, params);
}

/* Each variant's values, and its distance from the full-data exact statistics with the same
 * variance estimator the EMA is fed. */
static void
ns_batchnorm_set_variants (const NsBatchNorm *self, NsStats *stats, guint column, guint feature)
{
  double count, missing, mean, variance;

  ns_batchnorm_exact_stats (self, feature, &count, &missing, &mean, &variance,
                            self->options.unbiased_running_var);
  for (guint i = 0; i < NS_N_AVERAGES; i++)
    {
      NsSeries s = NS_SERIES_EMA_MEAN + 2 * i;
      double m = ns_batchnorm_get_value (self, s, feature);
      double v = ns_batchnorm_get_value (self, s + 1, feature);
      g_autofree char *key = NULL;

      if (!ns_batchnorm_has_series (self, s))
        continue;
      key = g_strdup (ns_series_to_string (s));
      ns_stats_set_field (stats, column, key, m);
      ns_stats_set_field (stats, column, ns_series_to_string (s + 1), v);
      key[strlen (key) - strlen ("_mean")] = '\0';
      g_autofree char *mean_key = g_strconcat (key, "_mean_distance", NULL);
      g_autofree char *var_key = g_strconcat (key, "_var_distance", NULL);
      ns_stats_set_field (stats, column, mean_key, fabs (m - mean));
      ns_stats_set_field (stats, column, var_key, fabs (v - variance));
    }
}

/* Per channel, the full-data moments (kept in the channel) and the training/inference gap, on
 * the simulation's threads: each channel's values are the one-thread values. */
typedef struct {
  NsBatchNorm *self;
  double *gaps;
  guint n_threads;
} NsColumnsJob;

static void
ns_columns_job_run (guint index, gpointer data)
{
  NsColumnsJob *job = data;
  NsBatchNorm *self = job->self;

  for (guint c = index; c < self->n_active; c += job->n_threads)
    {
      double count, missing, mean, variance;

      ns_batchnorm_exact_stats (self, self->active[c], &count, &missing, &mean, &variance, 0);
      job->gaps[c] = ns_batchnorm_train_inference_gap (self, self->active[c]);
    }
}

/* The training pass gathers shuffled batches into the one shared buffer unless their statistics
 * are kept: threads only without it. */
static void
ns_batchnorm_columns_work (NsBatchNorm *self, double *gaps)
{
  gboolean gathers = self->permutation != NULL && self->epoch_moments == NULL &&
                     self->history[NS_SERIES_BATCH_MEAN] == NULL;
  NsColumnsJob job = { self, gaps, gathers ? 1 : ns_batchnorm_thread_count (self) };

  if (self->rows != NULL)
    {
      ns_batchnorm_rows_columns_work (self, gaps);
      return;
    }
  ns_threads_run (job.n_threads, ns_columns_job_run, &job);
}

static void
ns_batchnorm_set_column (NsBatchNorm *self, NsStats *stats, guint c, double gap)
{
  const NsDataset *data = self->data;
  guint feature = self->active[c];
  const NsBatchNormChannel *ch = &self->channels[c];
  double count, missing, mean, variance, offset, scale;

  ns_batchnorm_exact_stats (self, feature, &count, &missing, &mean, &variance, 0);
  offset = ch->value[NS_SERIES_RUNNING_MEAN];
  scale = ns_batchnorm_inference_scale (ch->value[NS_SERIES_RUNNING_VAR], self->options.eps);
  ns_stats_set_column (stats, c,
                       ns_dataset_get_column_name (data,
                                                   ns_dataset_get_feature_column (data, feature)),
                       count, missing, mean, variance, offset, scale);
  ns_stats_set_field (stats, c, "running_mean", offset);
  ns_stats_set_field (stats, c, "running_var", ch->value[NS_SERIES_RUNNING_VAR]);
  if (self->options.renorm)
    {
      ns_stats_set_field (stats, c, "renorm_moving_mean", ch->renorm_mean);
      ns_stats_set_field (stats, c, "renorm_moving_std", ch->renorm_std);
      ns_stats_set_field (stats, c, "moving_stddev", ch->moving_std);
    }
  ns_batchnorm_set_variants (self, stats, c, feature);
  ns_stats_set_field (stats, c, "train_inference_gap", gap);
}

NsStats *
ns_batchnorm_to_stats (NsBatchNorm *self)
{
  NsStats *stats = ns_stats_new ("batchnorm", self->n_active);
  g_autofree double *gaps = g_new (double, self->n_active);

  ns_batchnorm_columns_work (self, gaps);
  ns_batchnorm_set_params (self, stats);
  json_object_set_int_member (ns_stats_get_extra (stats), "num_batches_tracked",
                              (gint64) self->step);
  for (guint c = 0; c < self->n_active; c++)
    ns_batchnorm_set_column (self, stats, c, gaps[c]);
  ns_stats_set_labels_of (stats, self->data);
  ns_stats_set_source (stats, ns_dataset_get_source_path (self->data), self->n_samples,
                       ns_dataset_get_source_sha256 (self->data));
  return stats;
}

static void
ns_trace_header (const NsBatchNorm *self, GString *line)
{
  g_string_append (line, "epoch,step,column");
  for (guint s = 0; s < NS_N_SERIES; s++)
    if (self->history[s] != NULL)
      g_string_append_printf (line, ",%s", ns_series_to_string (s));
  g_string_append_c (line, '\n');
}

static void
ns_trace_row (const NsBatchNorm *self, GString *line, gsize step, guint c)
{
  const NsDataset *data = self->data;
  char buf[NS_DOUBLE_BUF_SIZE];

  g_string_append_printf (line, "%u,%" G_GSIZE_FORMAT ",", ns_batchnorm_get_step_epoch (self, step),
                          step);
  ns_csv_append_field (line,
                       ns_dataset_get_column_name (data,
                                                   ns_dataset_get_feature_column (data,
                                                                                  self->active[c])),
                       ',');
  for (guint s = 0; s < NS_N_SERIES; s++)
    if (self->history[s] != NULL)
      {
        g_string_append_c (line, ',');
        g_string_append (line,
                         ns_format_double (buf,
                                           self->history[s][(gsize) c * self->n_steps + step - 1]));
      }
  g_string_append_c (line, '\n');
}

gboolean
ns_batchnorm_write_trace (const NsBatchNorm *self, const char *path, GError **error)
{
  g_autoptr (NsOutput) output = NULL;
  g_autoptr (GString) line = g_string_new (NULL);

  if (!self->options.record_history)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: the trace needs the step history, which was not recorded", path);
      return FALSE;
    }
  if ((output = ns_output_open (path, error)) == NULL)
    return FALSE;
  ns_trace_header (self, line);
  for (gsize step = 1; step <= self->step; step++)
    {
      for (guint c = 0; c < self->n_active; c++)
        ns_trace_row (self, line, step, c);
      if (line->len < 65536 && step < self->step)
        continue;
      if (!ns_output_write (output, line->str, line->len, error))
        return FALSE;
      g_string_truncate (line, 0);
    }
  if (line->len > 0 && !ns_output_write (output, line->str, line->len, error))
    return FALSE;
  return ns_output_commit (g_steal_pointer (&output), error);
}

static gboolean
ns_batchnorm_write_one (const NsBatchNorm *self, const char *path, gboolean training,
                        GError **error)
{
  g_autoptr (NsDataset) copy = ns_dataset_copy (self->data);

  for (guint c = 0; c < self->n_active; c++)
    {
      guint feature = self->active[c];
      double *out =
        ns_dataset_get_column_data (copy, ns_dataset_get_feature_column (copy, feature));

      if (training)
        ns_batchnorm_training_output (self, feature, out);
      else
        ns_batchnorm_inference_output (self, feature, out);
    }
  if (g_str_has_suffix (path, ".npy"))
    return ns_npy_write (copy, path, error);
  return ns_csv_write (copy, path, ',', self->options.n_threads, error);
}

gboolean
ns_batchnorm_write_outputs (const NsBatchNorm *self, const char *train_path, const char *eval_path,
                            GError **error)
{
  if (train_path != NULL && !ns_batchnorm_write_one (self, train_path, TRUE, error))
    return FALSE;
  return eval_path == NULL || ns_batchnorm_write_one (self, eval_path, FALSE, error);
}
