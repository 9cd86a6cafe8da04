/* ns-layer-norm-batch-stream.c: batch norm of a float64 .npy file straight into the output .npy.
 * A first pass gathers each channel's values from the file's mapping into one column and runs the
 * batch-norm simulator on it alone (threads take channels); the second normalizes blocks of samples
 * from the mapping with each batch's training affine. Every value is the one the loaded path's
 * simulator computes on the same column: the same code on the same values in the same order.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-layer-norm-private.h"

#include <string.h>

#include "ns-threads.h"

/* Runs shorter than this (channels-last, (N, C) tables) would make a pass over the whole file
 * per channel: those tensors are loaded, transposed once by the reader. */
#define NS_BATCH_STREAM_MIN_RUN 64

struct _NsBatchStream {
  NsLayerNorm *self;
  const double *values; /* the tensor in C order, in the file's mapping */
  gsize n_channels;
  gsize outer;                /* runs before the channel axis, per sample */
  gsize inner;                /* values after it: one run */
  NsBatchNormOptions options; /* the simulator's, one thread each */
  gsize n_batches;
  gsize *batch_end;          /* the first sample after each batch */
  NsBatchNormAffine *affine; /* [batch][channel] */
  gsize next_channel;        /* the first pass: the next channel to take */
  gint failed;
};

static gsize
axis_product (const gsize *shape, guint from, guint to)
{
  gsize n = 1;

  for (guint a = from; a < to; a++)
    n *= shape[a];
  return n;
}

/* Channel c's values in the loaded dataset's order (sample, then position) into column. */
static void
gather_channel (const NsBatchStream *job, gsize c, double *column)
{
  gsize runs = job->self->shape[0] * job->outer, run_bytes = job->inner * sizeof (double);

  for (gsize r = 0; r < runs; r++)
    memcpy (column + r * job->inner, job->values + (r * job->n_channels + c) * job->inner,
            run_bytes);
}

/* Channel c through the simulator on column, a dataset of that channel alone; NULL for a batch of
 * one value. A value not finite is not looked for here: it makes its batch's mean NaN or infinite,
 * which first_pass's check of the statistics leaves to the loaded path to refuse in its words. */
static NsBatchNorm *
simulate_channel (NsBatchStream *job, gsize c, NsDataset *column)
{
  double *x = ns_dataset_get_column_data (column, ns_dataset_get_feature_column (column, 0));
  g_autoptr (NsBatchNorm) bn = NULL;

  gather_channel (job, c, x);
  if ((bn = ns_batchnorm_new (column, &job->options, NULL)) == NULL ||
      !ns_batchnorm_run (bn, NULL, NULL, NULL, NULL))
    return NULL;
  return g_steal_pointer (&bn);
}

static void
keep_channel (NsBatchStream *job, const NsBatchNorm *bn, gsize c)
{
  ns_layer_norm_batch_keep_channel (job->self, bn, 0, c);
  for (gsize b = 0; b < job->n_batches; b++)
    ns_batchnorm_get_training_affine (bn, 0, b, &job->affine[b * job->n_channels + c]);
}

static NsDataset *
column_dataset (const NsBatchStream *job)
{
  gsize shape[3] = { job->self->shape[0], 1, job->outer * job->inner };
  guint kept = 1;

  return ns_dataset_new_tensor (shape, 3, &kept, 1, NULL);
}

static void
channels_worker (guint index, gpointer data)
{
  NsBatchStream *job = data;
  g_autoptr (NsDataset) column = column_dataset (job);
  gsize c;

  (void) index;
  while (!g_atomic_int_get (&job->failed) &&
         (c = (gsize) g_atomic_pointer_add (&job->next_channel, 1)) < job->n_channels)
    {
      g_autoptr (NsBatchNorm) bn = simulate_channel (job, c, column);

      if (bn == NULL)
        g_atomic_int_set (&job->failed, TRUE);
      else
        keep_channel (job, bn, c);
    }
}

/* Channel 0 on this thread fixes the run's steps and batches; the others follow on threads. */
static gboolean
first_pass (NsBatchStream *job)
{
  NsLayerNorm *self = job->self;
  g_autoptr (NsDataset) column = NULL;
  g_autoptr (NsBatchNorm) bn = NULL;
  gsize first = 0, n_rows = 0;

  ns_layer_norm_batch_options (self, &job->options);
  job->options.n_threads = 1; /* the channels are the threads */
  column = column_dataset (job);
  if ((bn = simulate_channel (job, 0, column)) == NULL ||
      ns_batchnorm_get_n_steps (bn) != ns_batchnorm_get_batches_per_epoch (bn))
    return FALSE;
  ns_layer_norm_batch_begin (self, bn, job->n_channels);
  job->n_batches = ns_batchnorm_get_batches_per_epoch (bn);
  job->batch_end = g_new (gsize, job->n_batches);
  job->affine = g_new (NsBatchNormAffine, job->n_batches * job->n_channels);
  for (gsize b = 0; b < job->n_batches; b++)
    {
      ns_batchnorm_get_step_rows (bn, b + 1, &first, &n_rows);
      job->batch_end[b] = first + n_rows;
    }
  /* Every sample in a batch, in file order (as normalize's options always make it). */
  if (first + n_rows != self->shape[0])
    return FALSE;
  keep_channel (job, bn, 0);
  g_clear_pointer (&bn, ns_batchnorm_free);
  g_clear_pointer (&column, ns_dataset_free);
  job->next_channel = 1;
  if (job->n_channels > 1)
    ns_threads_run (MIN (ns_threads_resolve (self->options.n_threads), job->n_channels - 1),
                    channels_worker, job);
  return !g_atomic_int_get (&job->failed) &&
         ns_layer_norm_check_finite_statistics (self, NULL, "", NULL);
}

NsBatchStream *
ns_batch_stream_new (NsLayerNorm *self, const double *values)
{
  g_autoptr (NsBatchStream) job = g_new0 (NsBatchStream, 1);
  guint axis = (guint) self->options.channel_axis;

  job->self = self;
  job->values = values;
  job->n_channels = self->shape[axis];
  job->outer = axis_product (self->shape, 1, axis);
  job->inner = axis_product (self->shape, axis + 1, self->rank);
  if (axis == 0 || job->inner < NS_BATCH_STREAM_MIN_RUN || job->n_channels == 0 ||
      self->shape[0] == 0 || !first_pass (job))
    return NULL;
  return g_steal_pointer (&job);
}

gsize
ns_batch_stream_get_sample_size (const NsBatchStream *job)
{
  return job->outer * job->n_channels * job->inner;
}

/* Samples [first, first + n) normalized from the mapping into out. */
void
ns_batch_stream_fill (const NsBatchStream *job, gsize first, gsize n, double *out)
{
  gsize sample_size = ns_batch_stream_get_sample_size (job), b = 0;

  while (job->batch_end[b] <= first)
    b++;
  for (gsize s = first; s < first + n; s++)
    {
      const double *x = job->values + s * sample_size;
      double *y = out + (s - first) * sample_size;

      if (s == job->batch_end[b])
        b++;
      for (gsize o = 0; o < job->outer; o++)
        for (gsize c = 0; c < job->n_channels; c++)
          {
            const NsBatchNormAffine *a = &job->affine[b * job->n_channels + c];
            gsize at = (o * job->n_channels + c) * job->inner;

            for (gsize i = at; i < at + job->inner; i++)
              y[i] = ns_batchnorm_affine_apply (a, x[i]);
          }
    }
}

void
ns_batch_stream_free (NsBatchStream *job)
{
  if (job == NULL)
    return;
  g_free (job->batch_end);
  g_free (job->affine);
  g_free (job);
}
