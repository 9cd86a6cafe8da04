/* ns-csv-parse.c: CSV records into columns over n threads: chunks, their scan for quotes, the join.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-csv-reader-private.h"

#include <string.h>

/* Rows expected in [begin, end), from the length of its first lines: a full count would cost a
 * pass over the data, and a short guess only means one geometric growth. */
static gsize
ns_csv_estimate_rows (const char *begin, const char *end)
{
  const char *p = begin;
  guint lines = 0;

  while (lines < 64 && p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      p++;
      lines++;
    }
  if (lines == 0 || p == NULL || p >= end)
    return lines + 1;
  return (gsize) ((double) (end - begin) / (p - begin) * lines * 1.05) + 16;
}

/* NUL bytes are refused; a quote means a newline may sit inside a field, which a split parse
 * cannot allow: it stops every chunk (*quoted), and the rows are parsed again in one chunk. The
 * bytes are checked a block ahead of the parse, so each page is read while it is warm (a separate
 * pass over the input first cost a sixth of a 1,000,000 x 8 read, measured). */
static gboolean
ns_csv_chunk_scan_ahead (NsCsvChunk *chunk, const char *parsed)
{
  while (chunk->scanned < chunk->end && chunk->scanned < parsed + NS_CSV_SCAN_BLOCK / 2)
    {
      gsize size = MIN (NS_CSV_SCAN_BLOCK, (gsize) (chunk->end - chunk->scanned));
      const char *nul = memchr (chunk->scanned, '\0', size);

      if (nul != NULL)
        {
          _ns_csv_error (chunk->ctx, nul, &chunk->error, NS_ERROR_PARSE,
                         "expected text, found a NUL byte (is this a binary file?)");
          return FALSE;
        }
      if (chunk->quoted != NULL && memchr (chunk->scanned, '"', size) != NULL)
        {
          g_atomic_int_set (chunk->quoted, TRUE);
          return FALSE;
        }
      chunk->scanned += size;
    }
  return chunk->quoted == NULL || !g_atomic_int_get (chunk->quoted);
}

static gpointer
ns_csv_chunk_parse (gpointer data)
{
  NsCsvChunk *chunk = data;
  NsCsvCursor cur;

  chunk->labels = g_new0 (GPtrArray *, chunk->n_columns);
  for (guint c = 0; c < chunk->n_columns; c++)
    if (chunk->is_label[c])
      chunk->labels[c] = g_ptr_array_new_full (chunk->capacity + 1, g_free);

  chunk->released = chunk->scanned = chunk->begin;
  _ns_csv_cursor_init (&cur, chunk->ctx, chunk->begin, chunk->end);
  while (ns_csv_chunk_scan_ahead (chunk, cur.p) && _ns_csv_cursor_next_record (&cur))
    {
      if (chunk->n_rows == chunk->capacity)
        _ns_csv_chunk_grow (chunk);
      if (!_ns_csv_parse_record (chunk, &cur, &chunk->error))
        break;
      /* A record longer than the block ahead: check what it covered before going on. */
      if (G_UNLIKELY (cur.p > chunk->scanned) && !ns_csv_chunk_scan_ahead (chunk, cur.p))
        break;
      if ((++chunk->n_rows & NS_CSV_CHECK_ROWS) == 0)
        {
          if (g_cancellable_is_cancelled (chunk->cancellable))
            {
              g_set_error (&chunk->error, NS_ERROR, NS_ERROR_CANCELLED, "%s: reading was cancelled",
                           chunk->ctx->path);
              break;
            }
          if (chunk->ctx->mapped)
            {
              ns_release_mapped_pages (chunk->released, cur.p);
              chunk->released = cur.p;
            }
          if (chunk->options != NULL && chunk->options->progress != NULL)
            chunk->options->progress ((double) (cur.p - chunk->begin) / (chunk->end - chunk->begin),
                                      chunk->options->progress_data);
        }
    }
  _ns_csv_cursor_clear (&cur);
  return NULL;
}

void
_ns_csv_chunk_clear (NsCsvChunk *chunk)
{
  for (guint c = 0; chunk->values != NULL && c < chunk->n_columns; c++)
    {
      if (!chunk->borrowed)
        g_free (chunk->values[c]);
      if (chunk->labels != NULL && chunk->labels[c] != NULL)
        g_ptr_array_unref (chunk->labels[c]);
    }
  g_clear_pointer (&chunk->values, g_free);
  g_clear_pointer (&chunk->labels, g_free);
  g_clear_error (&chunk->error);
}

/* Splits [begin, end) at line starts into at most n_threads chunks of at least NS_CSV_CHUNK_MIN
 * bytes (a quote found while parsing undoes the split: see ns_csv_chunk_scan_ahead). */
static guint
ns_csv_split (const char *begin, const char *end, guint n_threads, const char **bounds)
{
  gsize size = end - begin;
  guint n = MAX (1, MIN (n_threads, size / NS_CSV_CHUNK_MIN));

  bounds[0] = begin;
  for (guint k = 1; k < n; k++)
    {
      const char *cut = MAX (begin + size / n * k, bounds[k - 1]);
      const char *newline = memchr (cut, '\n', end - cut);

      bounds[k] = newline != NULL ? newline + 1 : end;
    }
  bounds[n] = end;
  return n;
}

/* Gives each chunk its estimated rows' room in one array per numeric column, in order, so that
 * joining them is a short move down rather than a copy into fresh pages and a free of the old
 * ones (measured: about a tenth of a 1,000,000 x 8 read). A chunk that outgrows its room copies
 * itself out (_ns_csv_chunk_grow). */
/* A column array that is written once, front to back, by the parse: transparent huge pages
 * (where the system offers them on request) spare most of its page faults (measured: 28,000
 * faults down to 4,600 and about 5 % of a 1,000,000 x 8 read). */
static double *
ns_csv_new_column (gsize n)
{
  double *values = g_new (double, n);

  ns_advise_huge_pages (values, values + n);
  return values;
}

static double **
ns_csv_share_columns (NsCsvChunk *chunks, guint n)
{
  guint n_columns = chunks[0].n_columns;
  double **shared = g_new0 (double *, n_columns);
  gsize total = 0, offset = 0;

  for (guint k = 0; k < n; k++)
    total += chunks[k].capacity = ns_csv_estimate_rows (chunks[k].begin, chunks[k].end);
  for (guint c = 0; c < n_columns; c++)
    if (!chunks[0].is_label[c])
      shared[c] = ns_csv_new_column (total);
  for (guint k = 0; k < n; k++)
    {
      chunks[k].values = g_new0 (double *, n_columns);
      chunks[k].borrowed = TRUE;
      for (guint c = 0; c < n_columns; c++)
        if (shared[c] != NULL)
          chunks[k].values[c] = shared[c] + offset;
      offset += chunks[k].capacity;
    }
  return shared;
}

static void
ns_csv_free_shared (double **shared, guint n_columns)
{
  for (guint c = 0; c < n_columns; c++)
    g_free (shared[c]);
  g_free (shared);
}

/* Appends the later chunks onto the first one's rows: within the shared columns when every chunk
 * kept to its room, else into new arrays. The first chunk then owns the columns. */
static void
ns_csv_chunks_join (NsCsvChunk *chunks, guint n_chunks, double **shared)
{
  NsCsvChunk *first = &chunks[0];
  gboolean in_place = TRUE;
  gsize total = 0;

  for (guint k = 0; k < n_chunks; k++)
    {
      total += chunks[k].n_rows;
      in_place &= chunks[k].borrowed;
    }
  for (guint c = 0; c < first->n_columns; c++)
    {
      double *joined = shared[c];
      gsize row = 0;

      if (joined != NULL && !in_place)
        joined = g_new (double, MAX (total, 1));
      for (guint k = 0; k < n_chunks; k++)
        {
          if (joined != NULL)
            /* In place, each chunk's room starts at or after row: moving down in order is safe. */
            memmove (joined + row, chunks[k].values[c], chunks[k].n_rows * sizeof (double));
          else if (k > 0)
            {
              g_ptr_array_set_free_func (chunks[k].labels[c], NULL);
              for (guint i = 0; i < chunks[k].labels[c]->len; i++)
                g_ptr_array_add (first->labels[c], g_ptr_array_index (chunks[k].labels[c], i));
              g_ptr_array_set_size (chunks[k].labels[c], 0);
            }
          if (!chunks[k].borrowed)
            g_clear_pointer (&chunks[k].values[c], g_free);
          row += chunks[k].n_rows;
        }
      if (joined != NULL && !in_place)
        g_free (shared[c]);
      shared[c] = NULL;
      first->values[c] = joined != NULL ? g_renew (double, joined, MAX (total, 1)) : NULL;
      for (guint k = 1; k < n_chunks; k++)
        chunks[k].values[c] = NULL;
    }
  first->borrowed = FALSE;
  first->n_rows = total;
}

/* One parse over n_threads chunks; FALSE with no error when a quote stopped a split parse. */
static gboolean
ns_csv_parse_chunks (NsCsvChunk *chunks, guint n_threads, GError **error)
{
  const char *bounds[65];
  GThread *threads[64] = { NULL };
  guint n = ns_csv_split (chunks[0].begin, chunks[0].end, MIN (n_threads, 64), bounds);
  gint quoted = FALSE;
  double **shared;

  for (guint k = 0; k < n; k++)
    {
      if (k > 0)
        {
          chunks[k] = chunks[0];
          chunks[k].options = NULL;
        }
      chunks[k].begin = bounds[k];
      chunks[k].end = bounds[k + 1];
      chunks[k].quoted = n > 1 ? &quoted : NULL;
    }
  shared = ns_csv_share_columns (chunks, n);
  for (guint k = 1; k < n; k++)
    threads[k] = g_thread_new ("ns-csv", ns_csv_chunk_parse, &chunks[k]);
  ns_csv_chunk_parse (&chunks[0]);
  for (guint k = 1; k < n; k++)
    g_thread_join (threads[k]);

  for (guint k = 0; k < n; k++)
    if (quoted || chunks[k].error != NULL)
      {
        /* Errors come in file order; after a quote they may be artefacts of the split. */
        if (!quoted)
          g_propagate_error (error, g_steal_pointer (&chunks[k].error));
        for (guint j = 0; j < n; j++)
          {
            g_clear_error (&chunks[j].error);
            _ns_csv_chunk_clear (&chunks[j]);
          }
        ns_csv_free_shared (shared, chunks[0].n_columns);
        chunks[0].begin = bounds[0];
        chunks[0].end = bounds[n];
        chunks[0].n_rows = 0;
        return FALSE;
      }
  ns_csv_chunks_join (chunks, n, shared);
  for (guint k = 1; k < n; k++)
    _ns_csv_chunk_clear (&chunks[k]);
  g_free (shared);
  return TRUE;
}

gboolean
_ns_csv_parse_rows (NsCsvChunk *chunks, guint n_threads, GError **error)
{
  if (ns_csv_parse_chunks (chunks, n_threads, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;
  /* A quote: one chunk, which reads quoted newlines as the tokenizer does. */
  return ns_csv_parse_chunks (chunks, 1, error);
}

NsDataset *
_ns_csv_build (NsCsvChunk *chunk, char **names)
{
  NsDataset *dataset = ns_dataset_new_table (chunk->n_rows);

  for (guint c = 0; c < chunk->n_columns; c++)
    if (chunk->values[c] != NULL)
      {
        ns_dataset_add_numeric_column (dataset, names[c], g_steal_pointer (&chunk->values[c]));
      }
    else
      {
        g_ptr_array_add (chunk->labels[c], NULL);
        ns_dataset_add_label_column (dataset, names[c],
                                     (char **) g_ptr_array_free (g_steal_pointer (
                                                                   &chunk->labels[c]),
                                                                 FALSE));
      }
  ns_dataset_count_missing (dataset);
  return dataset;
}
