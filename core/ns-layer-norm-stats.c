/* ns-layer-norm-stats.c: batch norm through the batch-norm simulator, instance norm's running
 * buffers as PyTorch keeps them, the statistics' accessors and their JSON file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-layer-norm-private.h"

#include <math.h>
#include <string.h>

#include "ns-batchnorm.h"
#include "ns-json.h"
#include "ns-output.h"
#include "ns-threads.h"

/* ---- Batch norm: the simulator's training mode, one epoch over batches in file order. */

void
ns_layer_norm_batch_options (NsLayerNorm *self, NsBatchNormOptions *o)
{
  static const NsBatchNormPreset presets[] = { NS_BATCHNORM_PYTORCH, NS_BATCHNORM_KERAS,
                                               NS_BATCHNORM_FLAX };
  gboolean new_weight;

  ns_batchnorm_options_init (o, presets[self->options.preset]);
  new_weight = o->convention == NS_MOMENTUM_WEIGHT_OF_NEW;
  /* --momentum is always PyTorch's weight of the new batch; Keras and Flax keep the old one's. */
  if (!isnan (self->options.momentum))
    o->momentum = new_weight ? self->options.momentum : 1 - self->options.momentum;
  self->options.momentum = new_weight ? o->momentum : 1 - o->momentum;
  o->eps = self->options.eps;
  o->batch_size = self->options.batch_size;
  o->averages = NS_AVERAGE_EMA;
  o->record_history = TRUE; /* every batch's mean and variance go into the statistics */
  o->n_threads = self->options.n_threads;
}

void
ns_layer_norm_batch_begin (NsLayerNorm *self, const NsBatchNorm *bn, gsize n_channels)
{
  gsize n_steps = ns_batchnorm_get_n_steps (bn);
  gsize spatial = ns_dataset_get_spatial_size (ns_batchnorm_get_dataset (bn));

  self->n_channels = n_channels;
  for (guint axis = 0; axis < self->rank; axis++)
    if (axis != (guint) self->options.channel_axis)
      self->pooled_axes[self->n_pooled_axes++] = axis;
  self->stats_shape[0] = n_steps;
  self->stats_shape[1] = n_channels;
  self->stats_rank = 2;
  self->n_stats = n_steps * n_channels;
  self->count = MIN (self->options.batch_size, self->shape[0]) * spatial;
  self->n_batches = n_steps;
  self->mean = g_new (double, MAX (self->n_stats, 1));
  self->variance = g_new (double, MAX (self->n_stats, 1));
  self->running_mean = g_new (double, MAX (n_channels, 1));
  self->running_var = g_new (double, MAX (n_channels, 1));
}

void
ns_layer_norm_batch_keep_channel (NsLayerNorm *self, const NsBatchNorm *bn, guint feature, gsize c)
{
  gsize C = self->n_channels, n_steps;
  const double *mean = ns_batchnorm_get_series (bn, NS_SERIES_BATCH_MEAN, feature, &n_steps);
  const double *var = ns_batchnorm_get_series (bn, NS_SERIES_BATCH_VAR, feature, &n_steps);

  for (gsize s = 0; s < n_steps; s++)
    {
      self->mean[s * C + c] = mean[s];
      self->variance[s * C + c] = var[s];
    }
  self->running_mean[c] = ns_batchnorm_get_value (bn, NS_SERIES_RUNNING_MEAN, feature);
  self->running_var[c] = ns_batchnorm_get_value (bn, NS_SERIES_RUNNING_VAR, feature);
}

typedef struct {
  const NsBatchNorm *bn;
  NsDataset *data;
  guint first, last; /* features */
} NsBatchOutputJob;

/* A channel's output needs only its own column, so each is overwritten once it is computed. */
static void
batch_output_run (guint index, gpointer data)
{
  NsBatchOutputJob *job = (NsBatchOutputJob *) data + index;
  gsize n = ns_dataset_get_n_samples (job->data) * ns_dataset_get_spatial_size (job->data);
  g_autofree double *out = g_new (double, MAX (n, 1));

  for (guint f = job->first; f < job->last; f++)
    {
      ns_batchnorm_training_output (job->bn, f, out);
      memcpy (ns_dataset_get_column_data (job->data, ns_dataset_get_feature_column (job->data, f)),
              out, n * sizeof (double));
    }
}

/* The channels' outputs on threads: each is computed alone, the same bits for any number. */
static void
batch_outputs (NsLayerNorm *self, const NsBatchNorm *bn, NsDataset *data)
{
  guint n_threads = ns_threads_resolve (self->options.n_threads);
  guint C = (guint) self->n_channels, per;
  g_autofree NsBatchOutputJob *jobs = NULL;

  n_threads = MAX (1, MIN (n_threads, C));
  per = (C + n_threads - 1) / MAX (n_threads, 1);
  jobs = g_new0 (NsBatchOutputJob, n_threads);
  for (guint t = 0; t < n_threads; t++)
    jobs[t] = (NsBatchOutputJob) { bn, data, MIN (C, t * per), MIN (C, (t + 1) * per) };
  ns_threads_run (n_threads, batch_output_run, jobs);
}

gboolean
ns_layer_norm_apply_batch (NsLayerNorm *self, NsDataset *data, GError **error)
{
  g_autoptr (NsBatchNorm) bn = NULL;
  NsBatchNormOptions o;

  guint channel = (guint) self->options.channel_axis;

  g_return_val_if_fail (ns_dataset_get_kind (data) == NS_DATASET_TABLE ||
                          (ns_dataset_get_n_kept_axes (data) == 1 &&
                           ns_dataset_get_kept_axes (data)[0] == channel),
                        FALSE);
  ns_layer_norm_batch_options (self, &o);
  bn = ns_batchnorm_new (data, &o, error);
  if (bn == NULL || !ns_batchnorm_run (bn, NULL, NULL, NULL, error))
    return FALSE;
  ns_layer_norm_batch_begin (self, bn, ns_dataset_get_n_features (data));
  for (guint c = 0; c < self->n_channels; c++)
    ns_layer_norm_batch_keep_channel (self, bn, c, c);
  batch_outputs (self, bn, data);
  return TRUE;
}

/* ---- Instance norm's running buffers (PyTorch instance_norm): every (sample, channel) updates
 * its own copy of the buffers with the unbiased variance, and the copies are averaged over the
 * batch. num_batches_tracked stays 0, as F.instance_norm never increments it. */

static void
running_batch (NsLayerNorm *self, gsize first, gsize n_rows, double *sum_mean, double *sum_var)
{
  gsize C = self->n_channels;
  double m = self->options.momentum, n = self->count;

  memset (sum_mean, 0, C * sizeof *sum_mean);
  memset (sum_var, 0, C * sizeof *sum_var);
  for (gsize i = first; i < first + n_rows; i++)
    for (gsize c = 0; c < C; c++)
      {
        double unbiased = self->variance[i * C + c] * n / (n - 1);

        sum_mean[c] += m * self->mean[i * C + c] + (1 - m) * self->running_mean[c];
        sum_var[c] += m * unbiased + (1 - m) * self->running_var[c];
      }
  for (gsize c = 0; c < C; c++)
    {
      self->running_mean[c] = sum_mean[c] / n_rows;
      self->running_var[c] = sum_var[c] / n_rows;
    }
}

void
ns_layer_norm_running_stats (NsLayerNorm *self)
{
  gsize N = self->shape[0], B = self->options.batch_size;
  g_autofree double *sum_mean = NULL, *sum_var = NULL;

  self->n_channels = self->shape[self->options.channel_axis];
  self->running_mean = g_new0 (double, MAX (self->n_channels, 1));
  self->running_var = g_new (double, MAX (self->n_channels, 1));
  sum_mean = g_new (double, MAX (self->n_channels, 1));
  sum_var = g_new (double, MAX (self->n_channels, 1));
  for (gsize c = 0; c < self->n_channels; c++)
    self->running_var[c] = 1;
  for (gsize first = 0; first < N; first += B)
    {
      running_batch (self, first, MIN (B, N - first), sum_mean, sum_var);
      self->n_batches++;
    }
}

/* ---- Accessors. */

const NsLayerNormOptions *
ns_layer_norm_get_options (const NsLayerNorm *self)
{
  return &self->options;
}

const double *
ns_layer_norm_get_mean (const NsLayerNorm *self)
{
  return self->mean;
}

const double *
ns_layer_norm_get_variance (const NsLayerNorm *self)
{
  return self->variance;
}

const double *
ns_layer_norm_get_mean_square (const NsLayerNorm *self)
{
  return self->mean_square;
}

const gsize *
ns_layer_norm_get_stats_shape (const NsLayerNorm *self, guint *rank)
{
  *rank = self->stats_rank;
  return self->stats_shape;
}

const double *
ns_layer_norm_get_running_mean (const NsLayerNorm *self)
{
  return self->running_mean;
}

const double *
ns_layer_norm_get_running_var (const NsLayerNorm *self)
{
  return self->running_var;
}

gsize
ns_layer_norm_get_n_channels (const NsLayerNorm *self)
{
  return self->n_channels;
}

/* ---- The JSON file. */

static void
append_doubles (GString *out, const char *key, const double *values, gsize n)
{
  g_string_append_printf (out, ",\n  \"%s\": [", key);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, i % 8 == 0 ? ",\n    " : ", ");
      ns_json_append_double (out, values[i]);
    }
  g_string_append_c (out, ']');
}

static void
append_sizes (GString *out, const char *key, const gsize *values, gsize n)
{
  g_string_append_printf (out, ",\n  \"%s\": [", key);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%s%" G_GSIZE_FORMAT, i > 0 ? ", " : "", values[i]);
  g_string_append_c (out, ']');
}

static void
append_string (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, ",\n  \"%s\": ", key);
  ns_json_append_string (out, value != NULL ? value : "");
}

static void
append_number (GString *out, const char *key, double value)
{
  g_string_append_printf (out, ",\n  \"%s\": ", key);
  ns_json_append_double (out, value);
}

static void
append_layout (GString *out, const NsLayerNorm *self)
{
  const NsLayerNormOptions *o = &self->options;
  gsize pooled[NS_MAX_RANK], normalized[NS_MAX_RANK];

  g_string_append_printf (out, ",\n  \"channel_axis\": %d", o->channel_axis);
  for (guint i = 0; i < self->n_pooled_axes; i++)
    pooled[i] = self->pooled_axes[i];
  append_sizes (out, "pooled_axes", pooled, self->n_pooled_axes);
  if (o->kind == NS_LAYER_NORM_LAYER || o->kind == NS_LAYER_NORM_RMS)
    {
      for (guint i = 0; i < o->n_normalized_axes; i++)
        normalized[i] = (gsize) o->normalized_axes[i];
      append_sizes (out, "normalized_axes", normalized, o->n_normalized_axes);
    }
  if (o->kind == NS_LAYER_NORM_GROUP)
    g_string_append_printf (out, ",\n  \"groups\": %u", o->groups);
  g_string_append_printf (out, ",\n  \"centred\": %s",
                          o->kind == NS_LAYER_NORM_RMS ? "false" : "true");
  g_string_append_printf (out, ",\n  \"count\": %" G_GSIZE_FORMAT, self->count);
  append_sizes (out, "statistics_shape", self->stats_shape, self->stats_rank);
}

static void
append_running (GString *out, const NsLayerNorm *self)
{
  gboolean batch = self->options.kind == NS_LAYER_NORM_BATCH;

  if (self->running_mean == NULL)
    return;
  append_number (out, "momentum", self->options.momentum);
  append_string (out, "momentum_convention", "weight-of-new");
  g_string_append_printf (out, ",\n  \"batch_size\": %" G_GSIZE_FORMAT, self->options.batch_size);
  g_string_append_printf (out, ",\n  \"batches\": %" G_GSIZE_FORMAT, self->n_batches);
  g_string_append_printf (out, ",\n  \"num_batches_tracked\": %" G_GSIZE_FORMAT,
                          batch ? self->n_batches : 0);
  append_doubles (out, "running_mean", self->running_mean, self->n_channels);
  append_doubles (out, "running_var", self->running_var, self->n_channels);
}

static char *
ns_layer_norm_to_json (const NsLayerNorm *self)
{
  GString *out = g_string_new ("{\n  \"format\": \"normscope-normalize\",\n  \"version\": 1");
  const char *sha256 = self->source_sha256;

  append_string (out, "layer", ns_layer_norm_kind_to_string (self->options.kind));
  append_string (out, "preset", ns_layer_norm_preset_to_string (self->options.preset));
  append_number (out, "eps", self->options.eps);
  append_string (out, "source_file", self->source_path);
  if (sha256 != NULL)
    append_string (out, "source_sha256", sha256);
  append_sizes (out, "shape", self->shape, self->rank);
  append_layout (out, self);
  if (self->mean_square != NULL)
    append_doubles (out, "mean_square", self->mean_square, self->n_stats);
  else
    {
      append_doubles (out, "mean", self->mean, self->n_stats);
      append_doubles (out, "variance", self->variance, self->n_stats);
    }
  append_running (out, self);
  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}

gboolean
ns_layer_norm_write_stats (const NsLayerNorm *self, const char *path, GError **error)
{
  g_autofree char *text = ns_layer_norm_to_json (self);

  return ns_output_write_file (path, text, strlen (text), error);
}
