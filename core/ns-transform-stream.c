/* ns-transform-stream.c: a CSV file transformed chunk by chunk: each chunk of whole lines of the
 * mapped file is parsed, transformed and formatted on a worker thread into a reused buffer, and
 * the buffers are written in file order, so no whole-file column is ever allocated.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-transform-stream.h"
#include "ns-csv-writer.h"
#include "ns-gunzip-stream.h"
#include "ns-npy-format.h"
#include "ns-output.h"
#include "ns-row-transform.h"
#include "ns-stream-in-place.h"
#include "ns-threads.h"

#include <string.h>

typedef struct {
  const NsCsvStreamParser *parser;
  const NsRowTransform *transform;
  char delimiter;
  GString **texts; /* per slot: its chunk's rows as CSV */
  NsOutput *output;
  const NsReadOptions *read_options;
} NsTransformStream;

/* On the parsing thread: the chunk's rows transformed and formatted into its slot's text. */
static gboolean
ns_transform_stream_format (guint slot, NsCsvRows *rows, gpointer user_data, GError **error)
{
  NsTransformStream *ts = user_data;
  guint n_columns = ns_csv_stream_parser_get_n_columns (ts->parser);
  g_autofree const char **labels = g_new0 (const char *, MAX (n_columns, 1));
  GString *text = ts->texts[slot];

  g_string_truncate (text, 0);
  if (!ns_row_transform_apply (ts->transform, rows->values, rows->n_rows, error))
    return FALSE;
  for (gsize row = 0; row < rows->n_rows; row++)
    {
      for (guint c = 0; c < n_columns; c++)
        if (rows->values[c] == NULL)
          labels[c] = g_ptr_array_index (rows->labels[c], row);
      ns_csv_append_row (text, n_columns, (const double *const *) rows->values, labels, row,
                         ts->delimiter);
    }
  return TRUE;
}

/* In file order: the chunk's text to the output. */
static gboolean
ns_transform_stream_write (guint slot, NsCsvRows *rows, gpointer user_data, GError **error)
{
  NsTransformStream *ts = user_data;

  return ns_output_write (ts->output, ts->texts[slot]->str, ts->texts[slot]->len, error);
}

static void
ns_transform_stream_progress (guint64 rows, guint64 bytes, gint64 total, gpointer user_data)
{
  const NsReadOptions *read_options = user_data;

  read_options->progress (total > 0 ? (double) bytes / total : 1.0, read_options->progress_data);
}

/* The parser's columns as a table without rows, for the checks of the columns against the stats. */
static NsDataset *
ns_transform_stream_schema (const NsCsvStreamParser *parser, const char *path)
{
  NsDataset *schema = ns_dataset_new_table (0);
  const char *const *names = ns_csv_stream_parser_get_names (parser);
  const gboolean *is_label = ns_csv_stream_parser_get_is_label (parser);

  for (guint c = 0; c < ns_csv_stream_parser_get_n_columns (parser); c++)
    if (is_label[c])
      ns_dataset_add_label_column (schema, names[c], g_new0 (char *, 1));
    else
      ns_dataset_add_numeric_column (schema, names[c], g_new0 (double, 1));
  ns_dataset_set_source (schema, path, NULL);
  return schema;
}

static gboolean
ns_transform_stream_is_csv (const char *data, gsize len)
{
  return !ns_data_is_gzip (data, len) &&
         !(len >= NS_NPY_MAGIC_LEN && memcmp (data, NS_NPY_MAGIC, NS_NPY_MAGIC_LEN) == 0);
}

/* The header and the chunks to ts->output; the rows handed on in *n_rows. */
static gboolean
ns_transform_stream_run (NsTransformStream *ts, NsStreamChunks *run, guint64 *n_rows)
{
  guint n_columns = ns_csv_stream_parser_get_n_columns (ts->parser);
  guint n_slots = ns_stream_chunks_n_slots (run->n_threads);
  g_autoptr (GString) header = g_string_new (NULL);
  gboolean ok;

  ns_csv_append_header (header, ns_csv_stream_parser_get_names (ts->parser), n_columns,
                        ts->delimiter);
  if (!ns_output_write (ts->output, header->str, header->len, NULL))
    return FALSE;
  ts->texts = g_new0 (GString *, n_slots);
  for (guint i = 0; i < n_slots; i++)
    ts->texts[i] = g_string_new (NULL);
  ok = ns_stream_chunks_run (run, n_rows, NULL) == NS_IN_PLACE_DONE && *n_rows > 0;
  for (guint i = 0; i < n_slots; i++)
    g_string_free (ts->texts[i], TRUE);
  g_clear_pointer (&ts->texts, g_free);
  return ok;
}

/* The transform of the mapped file data into output_path. */
static gboolean
ns_transform_stream_mapped (const NsStats *stats, const char *path, const char *data, gsize len,
                            NsMappingGuard *guard, const NsReadOptions *read_options,
                            NsTransformFlags flags, const char *output_path, char delimiter)
{
  NsStreamOptions options;
  NsStreamChunks run = { .path = path, .data = data, .len = len, .keep_labels = TRUE };
  g_autoptr (NsCsvStreamParser) parser = NULL;
  g_autoptr (NsDataset) schema = NULL;
  g_autoptr (NsRowTransform) transform = NULL;
  g_autoptr (NsOutput) output = NULL;
  NsTransformStream ts = { .delimiter = delimiter != 0 ? delimiter : ',' };
  guint64 n_rows = 0;

  /* The whole file is the head, so the decisions are the in-memory reader's. */
  if ((parser = ns_csv_stream_parser_new (path, data, len, read_options, &run.data_start, NULL)) ==
        NULL ||
      (transform = ns_row_transform_new (stats, schema = ns_transform_stream_schema (parser, path),
                                         flags, NULL)) == NULL ||
      (output = ns_output_open (output_path, NULL)) == NULL)
    return FALSE;
  ns_stream_options_init (&options);
  if (read_options->progress != NULL)
    {
      options.progress = ns_transform_stream_progress;
      options.progress_data = (gpointer) read_options;
    }
  ts.parser = run.parser = parser;
  ts.transform = transform;
  ts.output = output;
  ts.read_options = read_options;
  run.n_threads = ns_threads_resolve (read_options->n_threads);
  run.parsed = ns_transform_stream_format;
  run.ready = ns_transform_stream_write;
  run.user_data = &ts;
  run.options = &options;
  /* A file changed while it was read is read again by the in-memory path, which words it. */
  if (!ns_transform_stream_run (&ts, &run, &n_rows) || !ns_mapping_guard_check (guard, NULL))
    return FALSE;
  if (read_options->progress != NULL)
    read_options->progress (1.0, read_options->progress_data);
  return ns_output_commit (g_steal_pointer (&output), NULL);
}

gboolean
ns_transform_stream_csv (const NsStats *stats, const char *path, const NsReadOptions *read_options,
                         NsTransformFlags flags, const char *output_path, char delimiter)
{
  g_autoptr (GMappedFile) mapping = NULL;
  g_autoptr (NsMappingGuard) guard = NULL;
  const char *data;
  gsize len;

  if (g_strcmp0 (path, "-") == 0 || read_options->weight_column != NULL ||
      ns_output_is_direct (output_path) || (mapping = ns_stream_map_file (path, &guard)) == NULL)
    return FALSE;
  data = g_mapped_file_get_contents (mapping);
  len = g_mapped_file_get_length (mapping);
  return ns_transform_stream_is_csv (data, len) &&
         ns_transform_stream_mapped (stats, path, data, len, guard, read_options, flags,
                                     output_path, delimiter);
}
