/* ns-layer-norm-stream.c: layer, instance, group and RMS norm of a float64 .npy file straight into
 * the output .npy, a block of samples at a time, with the same kernel as ns-layer-norm.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-layer-norm.h"
#include "ns-layer-norm-private.h"

#include <string.h>

#include "ns-file-hash.h"
#include "ns-input.h"
#include "ns-mapping-guard.h"
#include "ns-npy-format.h"
#include "ns-output.h"
#include "ns-stream-in-place.h"

/* About 1 MiB of float64 per block (at least one sample): still in the cache when written. */
#define NS_STREAM_BLOCK_VALUES (1u << 17)

typedef struct {
  NsLayerNorm *self;
  const NsPoolPlan *plan;     /* a per-sample kind's, or NULL */
  const NsBatchStream *batch; /* batch norm's, or NULL */
  gsize sample_size;          /* values */
  const guint8 *values;       /* the first value in the file's mapping */
  gsize per_block;            /* samples */
  gsize n_blocks;
  gsize done;      /* blocks normalized */
  GThread *caller; /* the only thread that reports progress */
  NsProgressFunc progress;
  gpointer progress_data;
} NsStreamJob;

/* A block's samples normalized from the mapping into scratch: the file's values are never copied.
 */
static const void *
stream_block (gsize index, gsize len, guint8 *scratch, gpointer data)
{
  NsStreamJob *job = data;
  gsize size = job->sample_size, first = index * job->per_block;
  gsize n = len / (size * sizeof (double));
  const double *in = (const double *) job->values + first * size;
  double *x = (double *) scratch;
  gsize done;

  if (job->batch != NULL)
    ns_batch_stream_fill (job->batch, first, n, x);
  else
    {
      g_autofree double *work = g_new (double, NS_LAYER_NORM_WORK (job->plan));

      for (gsize s = 0; s < n; s++)
        ns_layer_norm_pool_sample (job->self, job->plan, first + s, in + s * size, x + s * size,
                                   work);
    }
  done = (gsize) g_atomic_pointer_add (&job->done, 1) + 1;
  if (job->progress != NULL && g_thread_self () == job->caller)
    job->progress ((double) done / job->n_blocks, job->progress_data);
  return scratch;
}

/* A C-order native float64 tensor with values. */
static gboolean
streamable (const NsNpyHeader *header)
{
  return G_BYTE_ORDER == G_LITTLE_ENDIAN && header->kind == 'f' && header->itemsize == 8 &&
         header->byteorder == '<' && !header->fortran_order && header->rank >= 2 &&
         header->n_elements > 0;
}

/* The samples, a block at a time, by the per-sample plan or batch norm's stream. */
static gboolean
stream_write (NsLayerNorm *self, const NsNpyHeader *header, const guint8 *file_data,
              const NsBatchStream *batch, NsOutput *output, NsProgressFunc progress,
              gpointer progress_data, GError **error)
{
  g_autoptr (GByteArray) npy_header = g_byte_array_new ();
  NsPoolPlan plan = { 0 };
  NsStreamJob job;
  gboolean ok;

  if (batch == NULL && !ns_layer_norm_prepare_pooled (self, self->source_path, &plan, error))
    return FALSE;
  job = (NsStreamJob) { .self = self,
                        .plan = batch == NULL ? &plan : NULL,
                        .batch = batch,
                        .sample_size = batch != NULL ? ns_batch_stream_get_sample_size (batch)
                                                     : plan.sample_size,
                        .values = file_data + header->data_offset,
                        .caller = g_thread_self (),
                        .progress = progress,
                        .progress_data = progress_data };
  job.per_block = MAX (1, NS_STREAM_BLOCK_VALUES / MAX (job.sample_size, 1));
  job.n_blocks = (self->shape[0] + job.per_block - 1) / job.per_block;
  ns_npy_append_header (npy_header, "<f8", header->shape, header->rank, FALSE);
  ok = ns_output_write (output, npy_header->data, npy_header->len, error) &&
       ns_output_write_blocks (output, header->data_len,
                               job.per_block * job.sample_size * sizeof (double), stream_block,
                               &job, self->options.n_threads, error) &&
       ns_layer_norm_check_finite_statistics (self, (const double *) job.values, self->source_path,
                                              error);
  ns_pool_plan_clear (&plan);
  return ok;
}

static NsLayerNorm *
layer_norm_for (const char *path, const NsNpyHeader *header, const NsLayerNormOptions *options)
{
  NsLayerNorm *self = g_new0 (NsLayerNorm, 1);

  self->options = *options;
  self->source_path = g_strdup (path);
  self->rank = header->rank;
  memcpy (self->shape, header->shape, header->rank * sizeof (gsize));
  return self;
}

static NsLayerNorm *
stream_mapped (NsLayerNorm *self, GBytes *bytes, NsMappingGuard *guard, const NsNpyHeader *header,
               const NsBatchStream *batch, const char *output_path, NsProgressFunc progress,
               gpointer progress_data, GError **error)
{
  g_autoptr (NsLayerNorm) owned = self;
  g_autoptr (NsOutput) output = NULL;
  /* As the loader does: the input's sha256 (usually remembered) beside the reading. */
  NsFileHash *hash =
    ns_file_hash_start (self->source_path, bytes, FALSE, 0, -1, self->options.n_threads != 1, NULL);
  gboolean ok;

  ok = (batch != NULL || ns_layer_norm_resolve (self, self->source_path, error)) &&
       (output = ns_output_open (output_path, error)) != NULL &&
       stream_write (self, header, g_bytes_get_data (bytes, NULL), batch, output, progress,
                     progress_data, error);
  self->source_sha256 = ns_file_hash_finish (hash);
  /* A file changed while it was read gives no output at all. */
  if (!ok || !ns_mapping_guard_check (guard, error) ||
      !ns_output_commit (g_steal_pointer (&output), error))
    return NULL;
  if (self->options.track_running_stats)
    ns_layer_norm_running_stats (self);
  return g_steal_pointer (&owned);
}

NsLayerNorm *
ns_layer_norm_stream_npy (const char *path, const NsLayerNormOptions *options,
                          const char *output_path, NsProgressFunc progress, gpointer progress_data,
                          gboolean *streamed, GError **error)
{
  g_autoptr (GMappedFile) mapping = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (NsMappingGuard) guard = NULL; /* declared last: freed before the unmapping */
  g_autoptr (NsLayerNorm) self = NULL;
  g_autoptr (NsBatchStream) batch = NULL;
  NsNpyHeader header;
  const guint8 *data;

  *streamed = FALSE;
  if (strcmp (path, "-") == 0 || (mapping = ns_stream_map_file (path, &guard)) == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (mapping);
  data = g_bytes_get_data (bytes, NULL);
  /* Anything else, a bad header included, is the loader's to read or to refuse. */
  if (!ns_npy_parse_header (path, data, g_bytes_get_size (bytes), &header, NULL) ||
      !streamable (&header))
    return NULL;
  self = layer_norm_for (path, &header, options);
  /* Batch norm's statistics come first: what the loaded path refuses, it refuses in its words. */
  if (options->kind == NS_LAYER_NORM_BATCH &&
      (!ns_layer_norm_resolve (self, path, NULL) ||
       (batch = ns_batch_stream_new (self, (const double *) (data + header.data_offset))) == NULL))
    return NULL;
  *streamed = TRUE;
  self = stream_mapped (g_steal_pointer (&self), bytes, guard, &header, batch, output_path,
                        progress, progress_data, error);
  ns_release_mapping_threaded (data, data + g_bytes_get_size (bytes));
  return g_steal_pointer (&self);
}
