/* ns-axis-explorer.c: each normalization kind run through ns-layer-norm on one tensor, the values
 * of one channel kept, and the batch-size sweep of batch norm against group norm.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-axis-explorer.h"

#include <math.h>
#include <string.h>

#include "ns-layer-norm.h"
#include "ns-reader.h"

#define NS_AXIS_EXPLORER_DEFAULT_SWEEP 32
#define NS_AXIS_EXPLORER_PAPER_GROUPS 32

struct _NsAxisExplorer {
  NsAxisExplorerOptions options;
  gsize n_samples, n_channels, spatial;
  gsize outer, inner;   /* values per sample before and after the channel axis */
  const double *tensor; /* the input in C order, (N, outer, C, inner), while new() runs */
  double *table_rows;   /* a table's columns interleaved into that order */
  double *raw;          /* the channel's values, sample-major */
  double *output[NS_AXIS_EXPLORER_N_KINDS];
  double *sample_mean[NS_AXIS_EXPLORER_N_KINDS];
  double *sweep[NS_AXIS_EXPLORER_N_KINDS];
  char *refusal[NS_AXIS_EXPLORER_N_KINDS];
  gsize n_sweep;
  gsize n_skipped; /* samples with a value that is not finite, left out */
};

void
ns_axis_explorer_options_init (NsAxisExplorerOptions *options)
{
  *options = (NsAxisExplorerOptions) { .channel_axis = 1, .preset = NS_LAYER_NORM_PYTORCH };
}

/* The paper's G = 32 when it divides C, else the largest divisor of C up to C / 2 (1 for C = 1). */
static guint
ns_axis_explorer_default_groups (gsize n_channels)
{
  if (n_channels % NS_AXIS_EXPLORER_PAPER_GROUPS == 0)
    return NS_AXIS_EXPLORER_PAPER_GROUPS;
  for (gsize g = n_channels / 2; g > 1; g--)
    if (n_channels % g == 0)
      return (guint) g;
  return 1;
}

/* ---- The input as a C-order (N, outer, C, inner) array. */

static gboolean
read_layout (NsAxisExplorer *self, const NsDataset *data, GError **error)
{
  gboolean table = ns_dataset_get_kind (data) == NS_DATASET_TABLE;
  const gsize *shape = ns_dataset_get_shape (data);
  guint rank = table ? 2 : ns_dataset_get_rank (data);
  int axis = self->options.channel_axis < 0 ? self->options.channel_axis + (int) rank
                                            : self->options.channel_axis;

  g_return_val_if_fail (table || ns_dataset_get_n_kept_axes (data) == 0, FALSE);
  if (rank < 2)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "a tensor of rank %u; the axis explorer needs rank >= 2 (N, C, ...)", rank);
      return FALSE;
    }
  if (axis < 1 || axis >= (int) rank)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "--channel-axis: axis %d is not a channel axis of a tensor of rank %u "
                   "(expected 1 to %u, or negative from the end)",
                   self->options.channel_axis, rank, rank - 1);
      return FALSE;
    }
  self->options.channel_axis = axis;
  self->n_samples = ns_dataset_get_n_samples (data);
  self->n_channels = table ? ns_dataset_get_n_features (data) : shape[axis];
  self->outer = self->inner = 1;
  for (int a = 1; !table && a < (int) rank; a++)
    if (a != axis)
      *(a < axis ? &self->outer : &self->inner) *= shape[a];
  self->spatial = self->outer * self->inner;
  return TRUE;
}

static void
read_tensor (NsAxisExplorer *self, const NsDataset *data)
{
  gsize n = self->n_samples * self->n_channels * self->spatial;

  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    {
      self->tensor = ns_dataset_get_values (data, ns_dataset_get_feature_column (data, 0));
      return;
    }
  self->table_rows = g_new (double, MAX (n, 1));
  for (guint f = 0; f < self->n_channels; f++)
    {
      const double *column = ns_dataset_get_values (data, ns_dataset_get_feature_column (data, f));

      for (gsize i = 0; i < self->n_samples; i++)
        self->table_rows[i * self->n_channels + f] = column[i];
    }
  self->tensor = self->table_rows;
}

/* Channels [first, first + count) of samples [n0, n0 + n_rows) as an (n_rows, count, spatial)
 * tensor in one column: what instance, group and batch norm pool for these channels. */
static NsDataset *
channel_block (const NsAxisExplorer *self, gsize n0, gsize n_rows, gsize first, gsize count,
               gboolean keep_channels)
{
  gsize shape[3] = { n_rows, count, self->spatial };
  guint kept = 1;
  NsDataset *block = ns_dataset_new_tensor (shape, 3, &kept, keep_channels ? 1 : 0, NULL);

  for (gsize s = 0; s < n_rows; s++)
    for (gsize k = 0; k < count; k++)
      {
        double *out = keep_channels
                        ? ns_dataset_get_column_data (block, (guint) k) + s * self->spatial
                        : ns_dataset_get_column_data (block, 0) + (s * count + k) * self->spatial;

        for (gsize o = 0; o < self->outer; o++)
          memcpy (out + o * self->inner,
                  self->tensor +
                    (((n0 + s) * self->outer + o) * self->n_channels + first + k) * self->inner,
                  self->inner * sizeof (double));
      }
  return block;
}

/* ---- Running one kind. */

static void
kind_options (const NsAxisExplorer *self, NsLayerNormKind kind, gsize batch_size,
              NsLayerNormOptions *o)
{
  ns_layer_norm_options_init (o, kind);
  o->preset = self->options.preset;
  o->n_threads = self->options.n_threads;
  if (kind == NS_LAYER_NORM_LAYER || kind == NS_LAYER_NORM_RMS)
    {
      /* Every non-sample axis of the (N, outer, C, inner) tensor: the paper's (C, H, W). */
      for (guint axis = 1; axis < 4; axis++)
        o->normalized_axes[axis - 1] = (int) axis;
      o->n_normalized_axes = 3;
    }
  if (kind == NS_LAYER_NORM_BATCH)
    o->batch_size = batch_size;
  if (kind == NS_LAYER_NORM_GROUP)
    o->groups = 1; /* run on one group's channels at a time */
}

/* The normalized values of the shown channel, at offset within_block of each sample's block. */
static void
copy_channel (const NsDataset *block, gboolean channel_column, gsize within, gsize per_sample,
              gsize spatial, gsize n_rows, double *out)
{
  const double *values = ns_dataset_get_values (block, channel_column ? (guint) within : 0);

  for (gsize s = 0; s < n_rows; s++)
    memcpy (out + s * spatial,
            values + (channel_column ? s * spatial : s * per_sample + within * spatial),
            spatial * sizeof (double));
}

/* Batch, instance or group norm of samples [n0, n0 + n_rows): only the shown channel's group (or
 * the channel alone) is normalized, since the others do not enter its statistics. */
static NsLayerNorm *
run_block (const NsAxisExplorer *self, NsLayerNormKind kind, gsize n0, gsize n_rows,
           gsize batch_size, double *out, GError **error)
{
  gsize per_group = self->n_channels / self->options.groups;
  gboolean group = kind == NS_LAYER_NORM_GROUP, batch = kind == NS_LAYER_NORM_BATCH;
  gsize first = group ? self->options.channel / per_group * per_group : self->options.channel;
  gsize count = group ? per_group : 1;
  g_autoptr (NsDataset) block = channel_block (self, n0, n_rows, first, count, batch);
  NsLayerNormOptions o;
  NsLayerNorm *norm;

  kind_options (self, kind, batch_size, &o);
  norm = ns_layer_norm_apply (block, &o, error);
  if (norm != NULL)
    copy_channel (block, batch, self->options.channel - first, count * self->spatial, self->spatial,
                  n_rows, out);
  return norm;
}

/* Layer and RMS norm pool every channel: the whole tensor. */
static NsLayerNorm *
run_whole (const NsAxisExplorer *self, NsLayerNormKind kind, double *out, GError **error)
{
  gsize shape[4] = { self->n_samples, self->outer, self->n_channels, self->inner };
  g_autoptr (NsDataset) whole = ns_dataset_new_tensor (shape, 4, NULL, 0, NULL);
  double *values = ns_dataset_get_column_data (whole, 0);
  NsLayerNormOptions o;
  NsLayerNorm *norm;

  memcpy (values, self->tensor,
          self->n_samples * self->n_channels * self->spatial * sizeof *values);
  kind_options (self, kind, 0, &o);
  norm = ns_layer_norm_apply (whole, &o, error);
  if (norm == NULL)
    return NULL;
  for (gsize s = 0; s < self->n_samples; s++)
    for (gsize k = 0; k < self->outer; k++)
      memcpy (out + s * self->spatial + k * self->inner,
              values +
                ((s * self->outer + k) * self->n_channels + self->options.channel) * self->inner,
              self->inner * sizeof (double));
  return norm;
}

/* Each sample's centring mean for the shown channel, from the statistics' shape. */
static void
keep_sample_mean (NsAxisExplorer *self, NsLayerNormKind kind, const NsLayerNorm *norm)
{
  const double *mean = ns_layer_norm_get_mean (norm);
  gsize B = self->options.batch_size;
  double *out;

  if (mean == NULL)
    return;
  out = self->sample_mean[kind] = g_new (double, MAX (self->n_samples, 1));
  for (gsize s = 0; s < self->n_samples; s++)
    out[s] = mean[kind == NS_LAYER_NORM_BATCH ? s / B : s];
}

/* A kind that refuses the tensor (instance norm of a table: one value per sample and channel) is
 * left out with the reason; the others are still shown. */
static void
run_kind (NsAxisExplorer *self, NsLayerNormKind kind)
{
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autoptr (GError) error = NULL;
  double *out = g_new (double, MAX (self->n_samples * self->spatial, 1));

  if (kind == NS_LAYER_NORM_LAYER || kind == NS_LAYER_NORM_RMS)
    norm = run_whole (self, kind, out, &error);
  else
    norm = run_block (self, kind, 0, self->n_samples, self->options.batch_size, out, &error);
  if (norm == NULL)
    {
      self->refusal[kind] = g_strdup (error->message);
      g_free (out);
      return;
    }
  self->output[kind] = out;
  keep_sample_mean (self, kind, norm);
}

static gboolean
check_cancelled (GCancellable *cancellable, GError **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "the axis explorer was cancelled");
  return TRUE;
}

/* ---- The sweep: the output with batches of B against the output with one batch of all N. */

static double
rms_difference (const double *a, const double *b, gsize n)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (a[i] - b[i]) * (a[i] - b[i]);
  return n > 0 ? sqrt (sum / n) : NAN;
}

static double
sweep_one (const NsAxisExplorer *self, NsLayerNormKind kind, const double *reference, gsize B,
           double *out)
{
  gsize S = self->spatial;
  /* PyTorch refuses a last batch of one value per channel: its sample is left out of the
   * measure, as drop_last would leave it out of training. */
  gsize N = kind == NS_LAYER_NORM_BATCH && (self->n_samples % B) * S == 1 && self->n_samples > 1
              ? self->n_samples - 1
              : self->n_samples;

  /* Batch norm splits the samples itself; group norm is run on each batch alone. */
  for (gsize n0 = 0; n0 < N; n0 += kind == NS_LAYER_NORM_BATCH ? N : B)
    {
      gsize rows = kind == NS_LAYER_NORM_BATCH ? N : MIN (B, N - n0);
      g_autoptr (NsLayerNorm) norm = run_block (self, kind, n0, rows, B, out + n0 * S, NULL);

      if (norm == NULL)
        return NAN; /* e.g. PyTorch refuses a batch of one value per channel */
    }
  return rms_difference (out, reference, N * S);
}

static gboolean
run_sweep (NsAxisExplorer *self, GCancellable *cancellable, GError **error)
{
  static const NsLayerNormKind kinds[] = { NS_LAYER_NORM_BATCH, NS_LAYER_NORM_GROUP };
  gsize N = self->n_samples, S = self->spatial;
  g_autofree double *reference = g_new (double, MAX (N * S, 1));
  g_autofree double *out = g_new (double, MAX (N * S, 1));

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (NsLayerNorm) whole = run_block (self, kinds[k], 0, N, N, reference, error);

      if (whole == NULL)
        return FALSE;
      self->sweep[kinds[k]] = g_new (double, MAX (self->n_sweep, 1));
      for (gsize B = 1; B <= self->n_sweep; B++)
        {
          if (check_cancelled (cancellable, error))
            return FALSE;
          self->sweep[kinds[k]][B - 1] = sweep_one (self, kinds[k], reference, B, out);
        }
    }
  return TRUE;
}

/* ---- The explorer. */

static gboolean
resolve_options (NsAxisExplorer *self, GError **error)
{
  NsAxisExplorerOptions *o = &self->options;

  if (o->groups == 0)
    o->groups = ns_axis_explorer_default_groups (self->n_channels);
  if (self->n_channels % o->groups != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "--groups %u does not divide the %" G_GSIZE_FORMAT " channels", o->groups,
                   self->n_channels);
      return FALSE;
    }
  if (o->channel >= self->n_channels)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "--channel %u: the tensor has %" G_GSIZE_FORMAT
                   " channels (0 to %" G_GSIZE_FORMAT ")",
                   o->channel, self->n_channels, self->n_channels - 1);
      return FALSE;
    }
  if (self->n_samples < 2)
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                           "the axis explorer needs at least 2 samples (batch norm's batches)");
      return FALSE;
    }
  o->batch_size = MIN (o->batch_size == 0 ? 2 : o->batch_size, self->n_samples);
  o->max_sweep =
    MIN (o->max_sweep == 0 ? NS_AXIS_EXPLORER_DEFAULT_SWEEP : o->max_sweep, self->n_samples);
  self->n_sweep = o->max_sweep;
  return TRUE;
}

/* Every kind would spread a NaN or an infinity over what it pools: such samples are left out
 * (skip_non_finite) or the data refused. data then points at the finite samples' copy, kept in
 * finite until new() returns. */
static gboolean
take_finite_samples (NsAxisExplorer *self, const NsDataset **data, NsDataset **finite,
                     GError **error)
{
  gsize n = ns_dataset_get_n_samples (*data);

  self->n_skipped = ns_dataset_count_non_finite_samples (*data, -1);
  if (self->n_skipped == 0)
    return TRUE;
  if (self->options.skip_non_finite && self->n_skipped < n)
    {
      *data = *finite = ns_dataset_copy_finite_samples (*data, -1, NULL);
      return TRUE;
    }
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " samples hold a NaN (a missing "
               "value) or an infinity; normalization layers have no rule for them: drop or impute "
               "them first",
               self->n_skipped, n);
  return FALSE;
}

NsAxisExplorer *
ns_axis_explorer_new (const NsDataset *data, const NsAxisExplorerOptions *options,
                      GCancellable *cancellable, GError **error)
{
  g_autoptr (NsAxisExplorer) self = g_new0 (NsAxisExplorer, 1);
  g_autoptr (NsDataset) finite = NULL;

  g_return_val_if_fail (data != NULL && options != NULL, NULL);
  self->options = *options;
  if (!take_finite_samples (self, &data, &finite, error))
    return NULL;
  if (!read_layout (self, data, error) || !resolve_options (self, error))
    return NULL;
  read_tensor (self, data);
  self->raw = g_new (double, MAX (self->n_samples * self->spatial, 1));
  for (gsize s = 0; s < self->n_samples; s++)
    for (gsize o = 0; o < self->outer; o++)
      memcpy (self->raw + s * self->spatial + o * self->inner,
              self->tensor +
                ((s * self->outer + o) * self->n_channels + self->options.channel) * self->inner,
              self->inner * sizeof (double));
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      if (check_cancelled (cancellable, error))
        return NULL;
      run_kind (self, k);
    }
  if (!run_sweep (self, cancellable, error))
    return NULL;
  self->tensor = NULL;
  g_clear_pointer (&self->table_rows, g_free);
  return g_steal_pointer (&self);
}

void
ns_axis_explorer_free (NsAxisExplorer *self)
{
  if (self == NULL)
    return;
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      g_free (self->output[k]);
      g_free (self->sample_mean[k]);
      g_free (self->sweep[k]);
      g_free (self->refusal[k]);
    }
  g_free (self->table_rows);
  g_free (self->raw);
  g_free (self);
}

NsDataset *
ns_axis_explorer_demo_tensor (const char *digits_csv, GError **error)
{
  g_autoptr (NsDataset) table = NULL;
  NsReadOptions read_options;
  gsize shape[4] = { 0, 4, 4, 4 }, N;
  NsDataset *tensor;
  double *values;

  ns_read_options_init (&read_options);
  table = ns_dataset_load (digits_csv, &read_options, NULL, error);
  if (table == NULL)
    return NULL;
  if (ns_dataset_get_n_features (table) < 64)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: expected the 64 pixel columns of the digits images", digits_csv);
      return NULL;
    }
  N = shape[0] = ns_dataset_get_n_samples (table);
  tensor = ns_dataset_new_tensor (shape, 4, NULL, 0, error);
  if (tensor == NULL)
    return NULL;
  values = ns_dataset_get_column_data (tensor, 0);
  /* Pixel 8 * row + column is (row / 2, row % 2 * 2 + column / 4, column % 4): in C order, the
   * same index. */
  for (guint p = 0; p < 64; p++)
    {
      const double *column =
        ns_dataset_get_values (table, ns_dataset_get_feature_column (table, p));

      for (gsize i = 0; i < N; i++)
        values[i * 64 + p] = column[i];
    }
  ns_dataset_set_source (tensor, digits_csv, NULL);
  ns_dataset_count_missing (tensor);
  return tensor;
}

const NsAxisExplorerOptions *
ns_axis_explorer_get_options (const NsAxisExplorer *self)
{
  return &self->options;
}

gsize
ns_axis_explorer_get_n_samples (const NsAxisExplorer *self)
{
  return self->n_samples;
}

gsize
ns_axis_explorer_get_n_channels (const NsAxisExplorer *self)
{
  return self->n_channels;
}

gsize
ns_axis_explorer_get_spatial (const NsAxisExplorer *self)
{
  return self->spatial;
}

const double *
ns_axis_explorer_get_raw (const NsAxisExplorer *self, gsize *n)
{
  *n = self->n_samples * self->spatial;
  return self->raw;
}

const double *
ns_axis_explorer_get_output (const NsAxisExplorer *self, NsLayerNormKind kind, gsize *n)
{
  g_return_val_if_fail (kind < NS_AXIS_EXPLORER_N_KINDS, NULL);
  *n = self->n_samples * self->spatial;
  return self->output[kind];
}

const char *
ns_axis_explorer_get_refusal (const NsAxisExplorer *self, NsLayerNormKind kind)
{
  g_return_val_if_fail (kind < NS_AXIS_EXPLORER_N_KINDS, NULL);
  return self->refusal[kind];
}

const double *
ns_axis_explorer_get_sample_mean (const NsAxisExplorer *self, NsLayerNormKind kind)
{
  g_return_val_if_fail (kind < NS_AXIS_EXPLORER_N_KINDS, NULL);
  return self->sample_mean[kind];
}

const double *
ns_axis_explorer_get_sweep (const NsAxisExplorer *self, NsLayerNormKind kind, gsize *n)
{
  g_return_val_if_fail (kind < NS_AXIS_EXPLORER_N_KINDS, NULL);
  *n = self->sweep[kind] != NULL ? self->n_sweep : 0;
  return self->sweep[kind];
}

gsize
ns_axis_explorer_get_n_skipped (const NsAxisExplorer *self)
{
  return self->n_skipped;
}
