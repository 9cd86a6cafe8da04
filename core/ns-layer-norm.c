/* ns-layer-norm.c: layer, instance, group and RMS norm as one "pool these axes per sample" kernel,
 * threaded over samples; batch norm goes to the batch-norm simulator (ns-layer-norm-stats.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-layer-norm.h"
#include "ns-layer-norm-private.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "ns-batchnorm.h"
#include "ns-error.h"
#include "ns-reader.h"
#include "ns-threads.h"

/* Below this many values one thread is faster than starting more. */
#define NS_LAYER_NORM_MIN_PARALLEL 65536

char *
ns_layer_norm_read_axis (const NsLayerNormOptions *options, const char *path)
{
  /* A table is read as its columns (a CSV takes no other axis). */
  if (!ns_file_is_npy (path))
    return NULL;
  /* Batch norm's simulator wants one column per channel; the others read the tensor as it is. */
  if (options->kind == NS_LAYER_NORM_BATCH)
    return g_strdup_printf ("%d", options->channel_axis);
  return g_strdup ("none");
}

/* ---- Resolving the options against the input's shape. */

/* Each framework's default as its layer defines it (torch RMSNorm: float64's machine epsilon). */
static double
default_eps (NsLayerNormKind kind, NsLayerNormPreset preset)
{
  if (kind == NS_LAYER_NORM_RMS)
    return preset == NS_LAYER_NORM_PYTORCH ? DBL_EPSILON : 1e-6;
  if (preset == NS_LAYER_NORM_KERAS)
    return 1e-3;
  return preset == NS_LAYER_NORM_FLAX && kind != NS_LAYER_NORM_BATCH ? 1e-6 : 1e-5;
}

static gboolean
resolve_axis (const char *option, int axis, guint rank, int *resolved, GError **error)
{
  int a = axis < 0 ? axis + (int) rank : axis;

  if (a < 0 || a >= (int) rank)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: axis %d is out of range for a tensor of rank %u", option, axis, rank);
      return FALSE;
    }
  if (a == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: axis 0 is the sample axis, which every kind but batch norm keeps", option);
      return FALSE;
    }
  *resolved = a;
  return TRUE;
}

static int
compare_ints (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* layer, rms: the normalized axes given (sorted, no repeats) or the preset's. */
static gboolean
resolve_normalized_axes (NsLayerNormOptions *o, guint rank, GError **error)
{
  if (o->n_normalized_axes == 0)
    {
      gboolean last_only = o->preset != NS_LAYER_NORM_PYTORCH;

      for (guint axis = last_only ? rank - 1 : 1; axis < rank; axis++)
        o->normalized_axes[o->n_normalized_axes++] = (int) axis;
      return TRUE;
    }
  for (guint i = 0; i < o->n_normalized_axes; i++)
    if (!resolve_axis ("--normalized-axes", o->normalized_axes[i], rank, &o->normalized_axes[i],
                       error))
      return FALSE;
  qsort (o->normalized_axes, o->n_normalized_axes, sizeof (int), compare_ints);
  for (guint i = 1; i < o->n_normalized_axes; i++)
    if (o->normalized_axes[i] == o->normalized_axes[i - 1])
      {
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     "--normalized-axes: axis %d is named twice", o->normalized_axes[i]);
        return FALSE;
      }
  return TRUE;
}

/* An option given to a kind that has no use for it is refused rather than ignored. */
gboolean
ns_layer_norm_check_options (const NsLayerNormOptions *o, GError **error)
{
  gboolean per_sample = o->kind == NS_LAYER_NORM_LAYER || o->kind == NS_LAYER_NORM_RMS;
  gboolean running = o->kind == NS_LAYER_NORM_BATCH || o->track_running_stats;
  const char *refused = NULL;

  if (o->n_normalized_axes > 0 && !per_sample)
    refused = "--normalized-axes applies to --layer layer and rms only";
  else if (o->groups > 0 && o->kind != NS_LAYER_NORM_GROUP)
    refused = "--groups applies to --layer group only";
  else if (o->kind == NS_LAYER_NORM_GROUP && o->groups == 0)
    refused = "--layer group needs --groups G (at least 1)";
  else if (o->track_running_stats && o->kind != NS_LAYER_NORM_INSTANCE)
    refused = "--track-running-stats applies to --layer instance only";
  else if (!running && (!isnan (o->momentum) || o->batch_size > 0))
    refused = "--momentum and --batch-size apply to --layer batch and to instance norm with "
              "--track-running-stats only";
  else if (!isnan (o->momentum) && !(o->momentum >= 0 && o->momentum <= 1))
    refused = "--momentum: expected a number from 0 to 1";
  else if (!isnan (o->eps) && !(o->eps >= 0 && isfinite (o->eps)))
    refused = "--eps: expected a finite number >= 0";
  else if (o->channel_axis == 0)
    refused = "--channel-axis: axis 0 is the sample axis, not a channel axis";
  if (refused != NULL)
    g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, refused);
  return refused == NULL;
}

static gboolean
check_groups (const NsLayerNorm *self, const char *file, GError **error)
{
  gsize channels = self->shape[self->options.channel_axis];

  if (self->options.kind != NS_LAYER_NORM_GROUP || channels % self->options.groups == 0)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: --groups %u does not divide the %" G_GSIZE_FORMAT " channels of axis %d "
               "(PyTorch GroupNorm: num_channels must be divisible by num_groups)",
               file, self->options.groups, channels, self->options.channel_axis);
  return FALSE;
}

gboolean
ns_layer_norm_resolve (NsLayerNorm *self, const char *file, GError **error)
{
  NsLayerNormOptions *o = &self->options;

  if (self->rank < 2)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: a tensor of rank %u; normalize needs rank >= 2 (N, C, ...)", file,
                   self->rank);
      return FALSE;
    }
  if (!ns_layer_norm_check_options (o, error))
    return FALSE;
  if (!resolve_axis ("--channel-axis", o->channel_axis, self->rank, &o->channel_axis, error) ||
      ((o->kind == NS_LAYER_NORM_LAYER || o->kind == NS_LAYER_NORM_RMS) &&
       !resolve_normalized_axes (o, self->rank, error)))
    {
      g_prefix_error (error, "%s: ", file); /* the axes fit one tensor and not another */
      return FALSE;
    }
  if (!check_groups (self, file, error))
    return FALSE;
  if (isnan (o->eps))
    o->eps = default_eps (o->kind, o->preset);
  if (isnan (o->momentum) && o->kind == NS_LAYER_NORM_INSTANCE)
    o->momentum = 0.1; /* PyTorch InstanceNorm's; batch norm keeps its preset's own default */
  if (o->batch_size == 0)
    o->batch_size = MAX (self->shape[0], 1);
  return TRUE;
}

/* ---- Which axes each kind pools, and the statistics' shape. */

static gboolean
axis_is_normalized (const NsLayerNormOptions *o, guint axis)
{
  for (guint i = 0; i < o->n_normalized_axes; i++)
    if (o->normalized_axes[i] == (int) axis)
      return TRUE;
  return FALSE;
}

/* pooled[axis] for axes >= 1; group norm's channel axis is kept here and split in pool_dims. */
static void
plan_axes (NsLayerNorm *self, gboolean *pooled)
{
  const NsLayerNormOptions *o = &self->options;
  gboolean group = o->kind == NS_LAYER_NORM_GROUP;

  self->stats_shape[0] = self->shape[0];
  self->stats_rank = 1;
  if (group)
    self->stats_shape[self->stats_rank++] = o->groups;
  for (guint axis = 1; axis < self->rank; axis++)
    {
      if (o->kind == NS_LAYER_NORM_LAYER || o->kind == NS_LAYER_NORM_RMS)
        pooled[axis] = axis_is_normalized (o, axis);
      else
        pooled[axis] = axis != (guint) o->channel_axis;
      if (pooled[axis] || (group && axis == (guint) o->channel_axis))
        self->pooled_axes[self->n_pooled_axes++] = axis;
      else
        self->stats_shape[self->stats_rank++] = self->shape[axis];
    }
  self->n_stats = 1;
  for (guint i = 0; i < self->stats_rank; i++)
    self->n_stats *= self->stats_shape[i];
}

/* ---- The kernel: a sample is a C-ordered block; its axes are merged into runs of pooled or kept
 * axes, and the innermost run is either one group's (pooled) or one value per group (kept). */

typedef struct {
  gsize size;
  gboolean pooled;
} NsPoolDim;

static guint
push_dim (NsPoolDim *dims, guint n, gsize size, gboolean pooled)
{
  if (size == 1)
    return n; /* a length-1 axis separates no groups */
  if (n > 0 && dims[n - 1].pooled == pooled)
    {
      dims[n - 1].size *= size;
      return n;
    }
  dims[n] = (NsPoolDim) { size, pooled };
  return n + 1;
}

static guint
pool_dims (const NsLayerNorm *self, const gboolean *pooled, NsPoolDim *dims)
{
  guint n = 0, c = (guint) self->options.channel_axis;

  for (guint axis = 1; axis < self->rank; axis++)
    if (self->options.kind == NS_LAYER_NORM_GROUP && axis == c)
      {
        n = push_dim (dims, n, self->options.groups, FALSE);
        n = push_dim (dims, n, self->shape[axis] / self->options.groups, TRUE);
      }
    else
      n = push_dim (dims, n, self->shape[axis], pooled[axis]);
  if (n == 0)
    dims[n++] = (NsPoolDim) { 1, TRUE };
  return n;
}

/* The group of run r: the C-order rank of its kept indices (the innermost kept axis excluded). */
static gsize
row_group (const NsPoolDim *dims, guint n_dims, gsize r)
{
  gsize group = 0, weight = 1;

  for (guint d = n_dims - 1; d-- > 0;)
    {
      if (!dims[d].pooled)
        {
          group += r % dims[d].size * weight;
          weight *= dims[d].size;
        }
      r /= dims[d].size;
    }
  return group;
}

static void
pool_plan_init (NsPoolPlan *plan, const NsLayerNorm *self, const gboolean *pooled)
{
  NsPoolDim dims[NS_MAX_RANK + 1];
  guint n_dims = pool_dims (self, pooled, dims);

  plan->sample_size = 1;
  plan->n_groups = 1;
  for (guint d = 0; d < n_dims; d++)
    {
      plan->sample_size *= dims[d].size;
      plan->n_groups *= dims[d].pooled ? 1 : dims[d].size;
    }
  plan->run = dims[n_dims - 1].size;
  plan->run_pooled = dims[n_dims - 1].pooled;
  plan->n_rows = plan->run > 0 ? plan->sample_size / plan->run : 0;
  plan->count = plan->n_groups > 0 ? plan->sample_size / plan->n_groups : 0;
  plan->row_group = g_new (gsize, MAX (plan->n_rows, 1));
  for (gsize r = 0; r < plan->n_rows; r++)
    plan->row_group[r] = row_group (dims, n_dims, r);
}

/* Four accumulators: no dependency chain of adds, and a smaller rounding error. */
static double
run_sum (const double *x, gsize n, gboolean squares)
{
  double a[4] = { 0, 0, 0, 0 };
  gsize i = 0;

  if (squares)
    for (; i + 4 <= n; i += 4)
      for (guint k = 0; k < 4; k++)
        a[k] += x[i + k] * x[i + k];
  else
    for (; i + 4 <= n; i += 4)
      for (guint k = 0; k < 4; k++)
        a[k] += x[i + k];
  for (; i < n; i++)
    a[0] += squares ? x[i] * x[i] : x[i];
  return (a[0] + a[1]) + (a[2] + a[3]);
}

static void
run_deviations (const double *x, gsize n, double centre, double *sum, double *sum_squares)
{
  double s[4] = { 0, 0, 0, 0 }, q[4] = { 0, 0, 0, 0 };
  gsize i = 0;

  for (; i + 4 <= n; i += 4)
    for (guint k = 0; k < 4; k++)
      {
        double d = x[i + k] - centre;

        s[k] += d;
        q[k] += d * d;
      }
  for (; i < n; i++)
    {
      double d = x[i] - centre;

      s[0] += d;
      q[0] += d * d;
    }
  *sum += (s[0] + s[1]) + (s[2] + s[3]);
  *sum_squares += (q[0] + q[1]) + (q[2] + q[3]);
}

static void
pool_sums (const NsPoolPlan *plan, const double *x, gboolean squares, double *acc)
{
  memset (acc, 0, plan->n_groups * sizeof *acc);
  for (gsize r = 0; r < plan->n_rows; r++)
    {
      const double *row = x + r * plan->run;
      double *a = acc + plan->row_group[r] * (plan->run_pooled ? 1 : plan->run);

      if (plan->run_pooled)
        *a += run_sum (row, plan->run, squares);
      else
        for (gsize i = 0; i < plan->run; i++)
          a[i] += squares ? row[i] * row[i] : row[i];
    }
}

static void
pool_deviations (const NsPoolPlan *plan, const double *x, const double *centre, double *sum,
                 double *sum_squares)
{
  memset (sum, 0, plan->n_groups * sizeof *sum);
  memset (sum_squares, 0, plan->n_groups * sizeof *sum_squares);
  for (gsize r = 0; r < plan->n_rows; r++)
    {
      const double *row = x + r * plan->run;
      gsize g = plan->row_group[r] * (plan->run_pooled ? 1 : plan->run);

      if (plan->run_pooled)
        run_deviations (row, plan->run, centre[g], &sum[g], &sum_squares[g]);
      else
        for (gsize i = 0; i < plan->run; i++)
          {
            double d = row[i] - centre[g + i];

            sum[g + i] += d;
            sum_squares[g + i] += d * d;
          }
    }
}

/* y = (x - shift) * scale per group, y may be x (RMS norm: shift 0, and x - 0 is x exactly). */
static void
pool_scale (const NsPoolPlan *plan, const double *x, double *y, const double *shift,
            const double *scale)
{
  for (gsize r = 0; r < plan->n_rows; r++)
    {
      const double *row = x + r * plan->run;
      double *out = y + r * plan->run;
      gsize g = plan->row_group[r] * (plan->run_pooled ? 1 : plan->run);

      if (plan->run_pooled)
        for (gsize i = 0; i < plan->run; i++)
          out[i] = (row[i] - shift[g]) * scale[g];
      else
        for (gsize i = 0; i < plan->run; i++)
          out[i] = (row[i] - shift[g + i]) * scale[g + i];
    }
}

typedef struct {
  const NsPoolPlan *plan;
  NsLayerNorm *self;
  double *values; /* the whole tensor, C order */
  gsize first, last;
} NsPoolJob;

static void
pool_sample_rms (const NsLayerNorm *self, const NsPoolPlan *plan, const double *x, double *y,
                 double *out_ms, double *work)
{
  double *sum = work, *zero = work + plan->n_groups, *scale = work + 2 * plan->n_groups;

  pool_sums (plan, x, TRUE, sum);
  for (gsize g = 0; g < plan->n_groups; g++)
    {
      out_ms[g] = sum[g] / plan->count;
      zero[g] = 0;
      scale[g] = 1 / ns_batchnorm_inference_scale (out_ms[g], self->options.eps);
    }
  pool_scale (plan, x, y, zero, scale);
}

/* Corrected two-pass: a first mean, then the deviations' sum corrects it and the variance. */
static void
pool_sample_centred (const NsLayerNorm *self, const NsPoolPlan *plan, const double *x, double *y,
                     double *out_mean, double *out_var, double *work)
{
  double n = plan->count, *centre = work, *dev = work + plan->n_groups;
  double *dev2 = work + 2 * plan->n_groups;

  pool_sums (plan, x, FALSE, centre);
  for (gsize g = 0; g < plan->n_groups; g++)
    centre[g] /= n;
  pool_deviations (plan, x, centre, dev, dev2);
  for (gsize g = 0; g < plan->n_groups; g++)
    {
      double var = (dev2[g] - dev[g] * dev[g] / n) / n;

      out_mean[g] = centre[g] + dev[g] / n;
      out_var[g] = var < 0 ? 0 : var; /* rounding only; a NaN stays NaN */
      centre[g] = out_mean[g];
      dev[g] = 1 / ns_batchnorm_inference_scale (out_var[g], self->options.eps);
    }
  pool_scale (plan, x, y, centre, dev);
}

void
ns_layer_norm_pool_sample (NsLayerNorm *self, const NsPoolPlan *plan, gsize sample, const double *x,
                           double *y, double *work)
{
  gsize o = sample * plan->n_groups;

  if (self->options.kind == NS_LAYER_NORM_RMS)
    pool_sample_rms (self, plan, x, y, self->mean_square + o, work);
  else
    pool_sample_centred (self, plan, x, y, self->mean + o, self->variance + o, work);
}

static void
pool_job_run (guint index, gpointer data)
{
  NsPoolJob *job = (NsPoolJob *) data + index;
  const NsPoolPlan *plan = job->plan;
  g_autofree double *work = g_new (double, NS_LAYER_NORM_WORK (plan));

  for (gsize s = job->first; s < job->last; s++)
    {
      double *x = job->values + s * plan->sample_size;

      ns_layer_norm_pool_sample (job->self, plan, s, x, x, work);
    }
}

static guint
pool_threads (const NsLayerNorm *self, gsize n_values)
{
  guint n = ns_threads_resolve (self->options.n_threads);

  if (n_values < NS_LAYER_NORM_MIN_PARALLEL)
    return 1;
  return (guint) MIN ((gsize) n, MAX (self->shape[0], 1));
}

/* Samples are split into contiguous ranges; each is computed alone, so the bits never depend on
 * the number of threads. */
static void
pool_run (NsLayerNorm *self, const NsPoolPlan *plan, double *values)
{
  gsize n_samples = self->shape[0];
  guint n_threads = pool_threads (self, n_samples * plan->sample_size);
  g_autofree NsPoolJob *jobs = g_new0 (NsPoolJob, n_threads);
  gsize per = (n_samples + n_threads - 1) / n_threads;

  for (guint t = 0; t < n_threads; t++)
    jobs[t] =
      (NsPoolJob) { plan, self, values, MIN (n_samples, t * per), MIN (n_samples, (t + 1) * per) };
  ns_threads_run (n_threads, pool_job_run, jobs);
}

/* ---- The tensor in C order: a tensor read with axis "none" is one column already; a table's
 * numeric columns are interleaved into rows and scattered back afterwards. */

static void
table_copy (NsDataset *data, double *rows, gboolean to_columns)
{
  guint n_features = ns_dataset_get_n_features (data);
  gsize n = ns_dataset_get_n_samples (data);

  for (guint f = 0; f < n_features; f++)
    {
      double *column = ns_dataset_get_column_data (data, ns_dataset_get_feature_column (data, f));

      for (gsize i = 0; i < n; i++)
        if (to_columns)
          column[i] = rows[i * n_features + f];
        else
          rows[i * n_features + f] = column[i];
    }
}

static void
read_shape (NsLayerNorm *self, const NsDataset *data)
{
  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    {
      self->rank = ns_dataset_get_rank (data);
      memcpy (self->shape, ns_dataset_get_shape (data), self->rank * sizeof (gsize));
      return;
    }
  self->rank = 2;
  self->shape[0] = ns_dataset_get_n_samples (data);
  self->shape[1] = ns_dataset_get_n_features (data);
}

gboolean
ns_layer_norm_prepare_pooled (NsLayerNorm *self, const char *file, NsPoolPlan *plan, GError **error)
{
  gboolean pooled[NS_MAX_RANK] = { FALSE };

  plan_axes (self, pooled);
  pool_plan_init (plan, self, pooled);
  self->count = plan->count;
  if (self->options.kind == NS_LAYER_NORM_INSTANCE && plan->count == 1 && self->shape[0] > 0)
    {
      ns_pool_plan_clear (plan);
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: instance norm in training needs more than one value per sample and "
                   "channel (PyTorch: Expected more than 1 spatial element when training)",
                   file);
      return FALSE;
    }
  if (self->options.kind == NS_LAYER_NORM_RMS)
    self->mean_square = g_new (double, MAX (self->n_stats, 1));
  else
    {
      self->mean = g_new (double, MAX (self->n_stats, 1));
      self->variance = g_new (double, MAX (self->n_stats, 1));
    }
  return TRUE;
}

void
ns_pool_plan_clear (NsPoolPlan *plan)
{
  g_clear_pointer (&plan->row_group, g_free);
}

static gboolean
apply_pooled (NsLayerNorm *self, NsDataset *data, const char *file, GError **error)
{
  gboolean table = ns_dataset_get_kind (data) == NS_DATASET_TABLE;
  g_autofree double *rows = NULL;
  NsPoolPlan plan;
  double *values;

  g_return_val_if_fail (table || ns_dataset_get_n_kept_axes (data) == 0, FALSE);
  if (!ns_layer_norm_prepare_pooled (self, file, &plan, error))
    return FALSE;
  if (table)
    {
      rows = g_new (double, MAX (self->shape[0] * self->shape[1], 1));
      table_copy (data, rows, FALSE);
    }
  values =
    table ? rows : ns_dataset_get_column_data (data, ns_dataset_get_feature_column (data, 0));
  pool_run (self, &plan, values);
  if (table)
    table_copy (data, rows, TRUE);
  ns_pool_plan_clear (&plan);
  if (self->options.track_running_stats)
    ns_layer_norm_running_stats (self);
  return TRUE;
}

NsLayerNorm *
ns_layer_norm_apply (NsDataset *data, const NsLayerNormOptions *options, GError **error)
{
  g_autoptr (NsLayerNorm) self = g_new0 (NsLayerNorm, 1);
  const char *file =
    ns_dataset_get_source_path (data) != NULL ? ns_dataset_get_source_path (data) : "data";
  gboolean ok;

  g_return_val_if_fail (data != NULL && options != NULL, NULL);
  self->options = *options;
  self->source_path = g_strdup (ns_dataset_get_source_path (data));
  self->source_sha256 = g_strdup (ns_dataset_get_source_sha256 (data));
  read_shape (self, data);
  if (!ns_layer_norm_resolve (self, file, error))
    return NULL;
  if (!ns_layer_norm_check_finite_input (self, data, file, error))
    return NULL;
  if (self->options.kind == NS_LAYER_NORM_BATCH)
    ok = ns_layer_norm_apply_batch (self, data, error);
  else
    ok = apply_pooled (self, data, file, error);
  ok = ok && ns_layer_norm_check_finite_statistics (self, NULL, file, error);
  return ok ? g_steal_pointer (&self) : NULL;
}

void
ns_layer_norm_free (NsLayerNorm *self)
{
  if (self == NULL)
    return;
  g_free (self->mean);
  g_free (self->variance);
  g_free (self->mean_square);
  g_free (self->running_mean);
  g_free (self->running_var);
  g_free (self->source_path);
  g_free (self->source_sha256);
  g_free (self);
}
