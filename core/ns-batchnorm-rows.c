/* ns-batchnorm-rows.c: the batch-norm simulator on rows read in place (ns_batchnorm_new_on_rows):
 * one pass over the rows, split between threads by rows, summarises every batch of the epoch and
 * every block of the full-data moments before the steps run. Each batch is gathered and summarised
 * by ns_batch_moments and the blocks are merged in file order, so every value is the one the
 * column path computes; the steps then only update the running statistics.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include "ns-input.h"
#include "ns-threads.h"

typedef struct {
  NsBatchNorm *self;
  NsMoments *blocks; /* [block][feature] */
  gsize n_blocks;
  guint n_threads;
  gboolean batches; /* summarise the batches too */
} NsRowsPass;

/* Batch b of every channel: read in place four channels at a time where every feature is a
 * channel (measured, 10,000,000 x 8, B = 256: 17 ms of CPU instead of 59 gathering each channel),
 * else gathered from its rows into gather; then summarised. */
static void
ns_rows_summarise_batch (NsBatchNorm *self, gsize b, double *gather)
{
  gsize first = self->batch_starts[b], n = self->batch_sizes[b];
  const double *rows = self->rows + first * self->n_features;
  double *slot = self->batch_moments + 2 * b;
  gsize channel_step = 2 * self->batches_per_epoch;

  if (self->n_active == self->n_features)
    {
      double *mean = gather, *sum_squares = gather + self->n_active;

      ns_batch_moments_rows (rows, self->n_features, n, self->n_active, self->options.fast_variance,
                             mean, sum_squares);
      for (guint c = 0; c < self->n_active; c++)
        {
          slot[c * channel_step] = mean[c];
          slot[c * channel_step + 1] = sum_squares[c];
        }
      return;
    }
  for (guint c = 0; c < self->n_active; c++, slot += channel_step)
    {
      const double *x = rows + self->active[c];

      for (gsize i = 0; i < n; i++)
        gather[i] = x[i * self->n_features];
      ns_batch_moments (gather, n, self->options.fast_variance, &slot[0], &slot[1]);
    }
}

/* Thread index takes the blocks [n_blocks * index / n_threads, ...) and the batches that start in
 * them (a batch may run on into the next block: it is read there). */
static void
ns_rows_pass_run (guint index, gpointer data)
{
  NsRowsPass *pass = data;
  NsBatchNorm *self = pass->self;
  gsize j_begin = pass->n_blocks * index / pass->n_threads;
  gsize j_end = pass->n_blocks * (index + 1) / pass->n_threads, b = 0;
  g_autofree double *gather = NULL;
  gsize largest = 1;

  for (gsize k = 0; pass->batches && k < self->batches_per_epoch; k++)
    largest = MAX (largest, self->batch_sizes[k]);
  gather = pass->batches ? g_new (double, MAX (largest, 2 * (gsize) self->n_active)) : NULL;

  if (j_end > j_begin)
    ns_populate_mapped_pages (self->rows + j_begin * NS_MOMENTS_BLOCK * self->n_features,
                              self->rows +
                                MIN (j_end * NS_MOMENTS_BLOCK, self->n_samples) * self->n_features);
  while (pass->batches && b < self->batches_per_epoch &&
         self->batch_starts[b] < j_begin * NS_MOMENTS_BLOCK)
    b++;
  for (gsize j = j_begin; j < j_end; j++)
    {
      gsize r0 = j * NS_MOMENTS_BLOCK, r1 = MIN (r0 + NS_MOMENTS_BLOCK, self->n_samples);

      ns_moments_summarise_row_blocks (pass->blocks + j * self->n_features,
                                       self->rows + r0 * self->n_features, r1 - r0,
                                       self->n_features);
      for (; pass->batches && b < self->batches_per_epoch && self->batch_starts[b] < r1; b++)
        ns_rows_summarise_batch (self, b, gather);
    }
}

/* Summaries of the batches are kept when they are at most an eighth of the data, in file order and
 * float64 (the f32 kernel and shuffled batches are summarised by the steps). */
static gboolean
ns_rows_keeps_batches (NsBatchNorm *self)
{
  if (self->permutation != NULL || self->options.float32 ||
      2 * self->batches_per_epoch > self->n_samples / 8)
    return FALSE;
  self->batch_moments = g_try_new (double, 2 * self->batches_per_epoch * self->n_active);
  return self->batch_moments != NULL;
}

void
ns_batchnorm_rows_prepare (NsBatchNorm *self, gboolean batches)
{
  NsRowsPass pass = { self, NULL, (self->n_samples + NS_MOMENTS_BLOCK - 1) / NS_MOMENTS_BLOCK,
                      ns_batchnorm_thread_count (self), FALSE };

  g_return_if_fail (self->rows != NULL);
  if (self->channels[0].column_done)
    return;
  pass.batches = batches && ns_rows_keeps_batches (self);
  pass.blocks = g_new (NsMoments, MAX (pass.n_blocks * self->n_features, 1));
  pass.n_threads = (guint) MAX (1, MIN (pass.n_threads, pass.n_blocks));
  ns_threads_run (pass.n_threads, ns_rows_pass_run, &pass);
  for (guint c = 0; c < self->n_active; c++)
    {
      NsBatchNormChannel *ch = &self->channels[c];

      ns_moments_init (&ch->column);
      for (gsize j = 0; j < pass.n_blocks; j++)
        ns_moments_merge (&ch->column, &pass.blocks[j * self->n_features + self->active[c]]);
      ch->column_done = TRUE;
    }
  g_free (pass.blocks);
}
