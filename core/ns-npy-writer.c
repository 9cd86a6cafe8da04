/* ns-npy-writer.c: the dataset writer to NumPy .npy (float64, or float32 for normalize --dtype
 * f32). SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-npy-writer.h"
#include "ns-npy-format.h"
#include "ns-output.h"

#include <string.h>

/* ---- Writing a dataset back in its original layout, as little-endian float64. */

typedef struct {
  const NsNpyLayout *layout;
  const double **cols;
  guint8 *buffer;
  gsize first; /* storage index of buffer[0] */
  gsize item;  /* 8: float64, 4: float32 */
} NsNpyGather;

static void
ns_npy_store (guint8 *out, double value, gsize item)
{
  if (item == 4)
    {
      float narrow = (float) value;
      guint32 bits;

      memcpy (&bits, &narrow, 4);
      bits = GUINT32_TO_LE (bits);
      memcpy (out, &bits, 4);
    }
  else
    {
      guint64 bits;

      memcpy (&bits, &value, 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (out, &bits, 8);
    }
}

static void
ns_npy_gather_block (gsize src, gsize j_begin, gsize j_end, gsize col, gsize off, gpointer data)
{
  NsNpyGather *gather = data;
  const NsNpyDim *inner = &gather->layout->dims[0], *outer = &gather->layout->dims[1];
  gsize item = gather->item;
  guint8 *out = gather->buffer + (src - gather->first) * item;

  for (gsize j = j_begin; j < j_end; j++, out += outer->src * item)
    {
      gsize c = col + j * outer->col, o = off + j * outer->dst;

      /* A contiguous run of one column is already little-endian float64 on such a host. */
      if (item == 8 && G_BYTE_ORDER == G_LITTLE_ENDIAN && inner->col == 0 && inner->src == 1 &&
          inner->dst == 1)
        memcpy (out, gather->cols[c] + o, inner->size * 8);
      /* Two loops with a constant size, so each store is inlined for its width. */
      else if (item == 8)
        for (gsize i = 0; i < inner->size; i++)
          ns_npy_store (out + i * inner->src * 8,
                        gather->cols[c + i * inner->col][o + i * inner->dst], 8);
      else
        for (gsize i = 0; i < inner->size; i++)
          ns_npy_store (out + i * inner->src * 4,
                        gather->cols[c + i * inner->col][o + i * inner->dst], 4);
    }
}

/* About 1 MiB of float64 per block: a gathered block is still in the cache when it is written. */
#define NS_NPY_WRITE_BLOCK (1u << 17)

typedef struct {
  const NsNpyLayout *layout;
  const double **cols;
  gsize chunk;    /* outermost steps per block */
  gsize per_step; /* elements per outermost step */
  gsize item;
} NsNpyWriteJob;

static const void *
ns_npy_gather_chunk (gsize index, gsize len, guint8 *scratch, gpointer data)
{
  NsNpyWriteJob *job = data;
  gsize outer_size = job->layout->dims[job->layout->n_dims - 1].size;
  gsize begin = index * job->chunk;
  NsNpyGather gather = { job->layout, job->cols, scratch, begin * job->per_step, job->item };

  (void) len;
  ns_npy_layout_walk (job->layout, begin, MIN (outer_size, begin + job->chunk), ns_npy_gather_block,
                      &gather);
  return scratch;
}

/* The tensor in C order already, as little-endian float64: its bytes go out as they are. */
static const void *
ns_npy_contiguous_chunk (gsize index, gsize len, guint8 *scratch, gpointer data)
{
  (void) len;
  (void) scratch;
  return (const guint8 *) data + index * NS_NPY_WRITE_BLOCK * sizeof (double);
}

static gboolean
ns_npy_write_values (NsOutput *output, const NsNpyLayout *layout, const double **cols,
                     gsize n_elements, gsize item, guint n_threads, GError **error)
{
  gsize outer_size = layout->dims[layout->n_dims - 1].size;
  NsNpyWriteJob job = { layout, cols, ns_npy_layout_chunk (layout, n_elements, NS_NPY_WRITE_BLOCK),
                        n_elements / outer_size, item };

  return ns_output_write_blocks (output, n_elements * item, job.chunk * job.per_step * item,
                                 ns_npy_gather_chunk, &job, n_threads, error);
}

gboolean
ns_npy_write (const NsDataset *data, const char *path, GError **error)
{
  return ns_npy_write_threaded (data, path, FALSE, 0, error);
}

gboolean
ns_npy_write_as (const NsDataset *data, const char *path, gboolean float32, GError **error)
{
  return ns_npy_write_threaded (data, path, float32, 0, error);
}

gboolean
ns_npy_write_threaded (const NsDataset *data, const char *path, gboolean float32, guint n_threads,
                       GError **error)
{
  g_autoptr (NsOutput) output = NULL;
  g_autoptr (GByteArray) header = g_byte_array_new ();
  g_autofree const double **cols = NULL;
  guint n_features = ns_dataset_get_n_features (data);
  gsize shape[NS_MAX_RANK], n_elements = 1;
  guint table_kept = 1, rank;
  const guint *kept = &table_kept;
  guint n_kept = 1;
  NsNpyLayout layout;

  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    {
      rank = ns_dataset_get_rank (data);
      memcpy (shape, ns_dataset_get_shape (data), rank * sizeof (gsize));
      kept = ns_dataset_get_kept_axes (data);
      n_kept = ns_dataset_get_n_kept_axes (data);
    }
  else
    {
      rank = 2;
      shape[0] = ns_dataset_get_n_samples (data);
      shape[1] = n_features;
    }
  cols = g_new (const double *, MAX (n_features, 1));
  for (guint f = 0; f < n_features; f++)
    cols[f] = ns_dataset_get_values (data, ns_dataset_get_feature_column (data, f));
  for (guint axis = 0; axis < rank; axis++)
    n_elements *= shape[axis];

  output = ns_output_open (path, error);
  if (output == NULL)
    return FALSE;
  ns_npy_append_header (header, float32 ? "<f4" : "<f8", shape, rank, FALSE);
  if (!ns_output_write (output, header->data, header->len, error))
    return FALSE;
  if (n_elements > 0 && n_features == 1 && !float32 && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      if (!ns_output_write_blocks (output, n_elements * sizeof (double),
                                   NS_NPY_WRITE_BLOCK * sizeof (double), ns_npy_contiguous_chunk,
                                   (gpointer) cols[0], n_threads, error))
        return FALSE;
    }
  else if (n_elements > 0)
    {
      ns_npy_layout_init (&layout, shape, rank, kept, n_kept, FALSE);
      if (!ns_npy_write_values (output, &layout, cols, n_elements, float32 ? 4 : 8, n_threads,
                                error))
        return FALSE;
    }
  return ns_output_commit (g_steal_pointer (&output), error);
}
