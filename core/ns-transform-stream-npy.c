/* ns-transform-stream-npy.c: `transform` of a 2-D float64 .npy file straight into the output
 * .npy: blocks of rows are read in place from the file's mapping (ns-npy-rows), transformed by the
 * stats' row transform on every core and written at their offsets, so neither file is ever held
 * as columns.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-transform-stream.h"

#include "ns-npy-format.h"
#include "ns-npy-rows.h"
#include "ns-output.h"
#include "ns-row-transform.h"

/* About 1 MiB of rows per block: still in the cache when written. */
#define NS_NPY_TRANSFORM_BLOCK_VALUES (1u << 17)

typedef struct {
  const NsRowTransform *transform;
  const double *rows;
  gsize n_features;
  gsize per_block; /* rows */
  gsize n_blocks;
  gsize done;      /* blocks transformed */
  gint refused;    /* a value the transform refuses: the in-memory path words it */
  GThread *caller; /* the only thread that reports progress */
  const NsReadOptions *read_options;
} NsNpyTransformJob;

/* n rows of n_features values into n_features columns of n values, and back. */
static void
ns_rows_to_columns (double *restrict columns, const double *restrict rows, gsize n,
                    gsize n_features)
{
  for (gsize c = 0; c < n_features; c++)
    for (gsize r = 0; r < n; r++)
      columns[c * n + r] = rows[r * n_features + c];
}

static void
ns_columns_to_rows (double *restrict rows, const double *restrict columns, gsize n,
                    gsize n_features)
{
  for (gsize c = 0; c < n_features; c++)
    for (gsize r = 0; r < n; r++)
      rows[r * n_features + c] = columns[c * n + r];
}

/* A block's rows from the mapping into scratch, through columns of the block alone (the row
 * transform's layout), so every value gets the in-memory transform's bits. */
static const void *
ns_npy_transform_block (gsize index, gsize len, guint8 *scratch, gpointer data)
{
  NsNpyTransformJob *job = data;
  gsize n_features = job->n_features, n = len / (n_features * sizeof (double));
  const double *in = job->rows + index * job->per_block * n_features;
  double *out = (double *) scratch;
  g_autofree double *block = g_new (double, n *n_features);
  g_autofree double **columns = g_new (double *, n_features);
  gsize done;

  for (gsize c = 0; c < n_features; c++)
    columns[c] = block + c * n;
  ns_rows_to_columns (block, in, n, n_features);
  if (!ns_row_transform_apply (job->transform, columns, n, NULL))
    g_atomic_int_set (&job->refused, TRUE);
  ns_columns_to_rows (out, block, n, n_features);
  done = (gsize) g_atomic_pointer_add (&job->done, 1) + 1;
  if (job->read_options->progress != NULL && g_thread_self () == job->caller)
    job->read_options->progress ((double) done / job->n_blocks, job->read_options->progress_data);
  return scratch;
}

/* The output .npy of rows' transform: ns_npy_write's header, then the blocks. */
static gboolean
ns_npy_transform_write (NsNpyTransformJob *job, const NsDataset *schema, NsOutput *output)
{
  g_autoptr (GByteArray) header = g_byte_array_new ();
  gsize n_rows = ns_dataset_get_n_samples (schema);

  job->per_block = MAX (1, NS_NPY_TRANSFORM_BLOCK_VALUES / job->n_features);
  job->n_blocks = (n_rows + job->per_block - 1) / job->per_block;
  ns_npy_append_header (header, "<f8", ns_dataset_get_shape (schema), 2, FALSE);
  return ns_output_write (output, header->data, header->len, NULL) &&
         ns_output_write_blocks (output, n_rows * job->n_features * sizeof (double),
                                 job->per_block * job->n_features * sizeof (double),
                                 ns_npy_transform_block, job, job->read_options->n_threads, NULL) &&
         !g_atomic_int_get (&job->refused);
}

gboolean
ns_transform_stream_npy (const NsStats *stats, const char *path, const NsReadOptions *read_options,
                         NsTransformFlags flags, const char *output_path)
{
  g_autoptr (NsNpyRows) rows = NULL;
  g_autoptr (NsRowTransform) transform = NULL;
  g_autoptr (NsOutput) output = NULL;
  NsNpyTransformJob job = { .read_options = read_options, .caller = g_thread_self () };
  const NsDataset *schema;

  if (ns_output_is_direct (output_path) ||
      (rows = ns_npy_rows_open (path, read_options, NULL)) == NULL)
    return FALSE;
  schema = ns_npy_rows_get_dataset (rows);
  job.rows = ns_npy_rows_get_values (rows);
  job.n_features = ns_dataset_get_n_columns (schema);
  /* An empty array, and columns or stats the transform refuses, are the in-memory path's. */
  if (ns_dataset_get_n_samples (schema) == 0 || job.n_features == 0 ||
      (transform = ns_row_transform_new (stats, schema, flags, NULL)) == NULL)
    return FALSE;
  job.transform = transform;
  if ((output = ns_output_open (output_path, NULL)) == NULL ||
      !ns_npy_transform_write (&job, schema, output) ||
      /* A file changed while it was read is read again by the in-memory path, which words it. */
      !ns_npy_rows_check (rows, NULL))
    return FALSE;
  if (read_options->progress != NULL)
    read_options->progress (1.0, read_options->progress_data);
  return ns_output_commit (g_steal_pointer (&output), NULL);
}
