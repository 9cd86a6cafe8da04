/* ns-csv-writer.c: a table back to CSV: header, label columns in place, every double exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-csv-writer.h"
#include "ns-output.h"
#include "ns-threads.h"

#include <math.h>
#include <string.h>

void
ns_csv_append_field (GString *out, const char *text, char delimiter)
{
  gsize len = strlen (text);
  /* Between runs of blanks an empty field would vanish. */
  gboolean quote = len == 0 ? delimiter == ' '
                            : (text[0] == ' ' || text[0] == '\t' || text[0] == '"' ||
                               text[len - 1] == ' ' || text[len - 1] == '\t');

  for (const char *p = text; !quote && *p != '\0'; p++)
    quote =
      *p == delimiter || *p == '"' || *p == '\n' || *p == '\r' || (delimiter == ' ' && *p == '\t');
  if (!quote)
    {
      g_string_append_len (out, text, len);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Columns [c, end) of a row, all values, from the field of c on: formatted in place in room
 * reserved once (a reservation and a truncation per value were 3 % of a large transform's CPU
 * samples). Missing values are written as empty fields: the reader takes them back as NaN. */
static void
ns_csv_append_values (GString *out, const double *const *values, guint c, guint end, gsize row,
                      char delimiter)
{
  gsize at = out->len;
  char *start, *p;

  g_string_set_size (out, at + (gsize) (end - c) * (NS_DOUBLE_BUF_SIZE + 1));
  start = p = out->str + at;
  for (guint k = c; k < end; k++)
    {
      double value = values[k][row];

      if (k > c)
        *p++ = delimiter;
      if (!isnan (value))
        p += ns_format_double_len (p, value);
      else if (delimiter == ' ')
        p = memcpy (p, "\"\"", 2) + 2;
    }
  g_string_truncate (out, at + (gsize) (p - start));
}

void
ns_csv_append_row (GString *out, guint n_columns, const double *const *values,
                   const char *const *labels, gsize row, char delimiter)
{
  gsize row_start = out->len;

  for (guint c = 0; c < n_columns;)
    {
      guint end = c;

      if (c > 0)
        g_string_append_c (out, delimiter);
      if (values[c] == NULL)
        {
          ns_csv_append_field (out, labels[c], delimiter);
          c++;
          continue;
        }
      while (end < n_columns && values[end] != NULL)
        end++;
      ns_csv_append_values (out, values, c, end, row, delimiter);
      c = end;
    }
  /* A blank line would be skipped by readers: an empty single field is written quoted. */
  if (out->len == row_start)
    g_string_append (out, "\"\"");
  g_string_append_c (out, '\n');
}

/* Rows are formatted in chunks on every thread and written in file order. */
#define NS_CSV_CHUNK_ROWS 16384

typedef struct {
  const NsDataset *data;
  char delimiter;
  gsize first_row, n_rows;
  GString **chunks;
} NsCsvRound;

static void
ns_csv_format_chunk (guint index, gpointer user_data)
{
  NsCsvRound *round = user_data;
  gsize start = round->first_row + (gsize) index * NS_CSV_CHUNK_ROWS;
  gsize end = MIN (start + NS_CSV_CHUNK_ROWS, round->first_row + round->n_rows);

  guint n_columns = ns_dataset_get_n_columns (round->data);
  g_autofree const double **values = g_new0 (const double *, MAX (n_columns, 1));
  g_autofree const char **labels = g_new0 (const char *, MAX (n_columns, 1));

  for (guint c = 0; c < n_columns; c++)
    if (!ns_dataset_column_is_label (round->data, c))
      values[c] = ns_dataset_get_values (round->data, c);
  g_string_truncate (round->chunks[index], 0);
  for (gsize row = start; row < end; row++)
    {
      for (guint c = 0; c < n_columns; c++)
        if (values[c] == NULL)
          labels[c] = ns_dataset_get_label (round->data, c, row);
      ns_csv_append_row (round->chunks[index], n_columns, values, labels, row, round->delimiter);
    }
}

void
ns_csv_append_header (GString *out, const char *const *names, guint n_columns, char delimiter)
{
  for (guint c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, delimiter);
      ns_csv_append_field (out, names[c], delimiter);
    }
  g_string_append_c (out, '\n');
}

static gboolean
ns_csv_write_rows (NsOutput *output, const NsDataset *data, char delimiter, guint n_threads,
                   GError **error)
{
  gsize n_rows = ns_dataset_get_n_samples (data);
  guint n_chunks =
    (guint) MIN ((gsize) n_threads, (n_rows + NS_CSV_CHUNK_ROWS - 1) / NS_CSV_CHUNK_ROWS);
  g_autofree GString **chunks = g_new0 (GString *, MAX (n_chunks, 1));
  NsCsvRound round = { data, delimiter, 0, 0, chunks };
  gboolean ok = TRUE;

  for (guint k = 0; k < n_chunks; k++)
    chunks[k] = g_string_sized_new (NS_CSV_CHUNK_ROWS * 64);
  for (gsize first = 0; ok && first < n_rows; first += (gsize) n_chunks * NS_CSV_CHUNK_ROWS)
    {
      guint used;

      round.first_row = first;
      round.n_rows = MIN ((gsize) n_chunks * NS_CSV_CHUNK_ROWS, n_rows - first);
      used = (guint) ((round.n_rows + NS_CSV_CHUNK_ROWS - 1) / NS_CSV_CHUNK_ROWS);
      ns_threads_run (used, ns_csv_format_chunk, &round);
      for (guint k = 0; ok && k < used; k++)
        ok = ns_output_write (output, chunks[k]->str, chunks[k]->len, error);
    }
  for (guint k = 0; k < n_chunks; k++)
    g_string_free (chunks[k], TRUE);
  return ok;
}

gboolean
ns_csv_write (const NsDataset *data, const char *path, char delimiter, guint n_threads,
              GError **error)
{
  guint n_columns = ns_dataset_get_n_columns (data);
  g_autofree const char **names = g_new0 (const char *, MAX (n_columns, 1));
  g_autoptr (NsOutput) output = NULL;
  g_autoptr (GString) header = g_string_new (NULL);

  if (delimiter == 0)
    delimiter = ',';
  if (ns_dataset_get_spatial_size (data) != 1)
    {
      g_set_error (
        error, NS_ERROR, NS_ERROR_UNSUPPORTED,
        "%s: a CSV holds one value per sample and column; this dataset has %" G_GSIZE_FORMAT
        " per sample and feature (write it as .npy)",
        path, ns_dataset_get_spatial_size (data));
      return FALSE;
    }
  if ((output = ns_output_open (path, error)) == NULL)
    return FALSE;
  for (guint c = 0; c < n_columns; c++)
    names[c] = ns_dataset_get_column_name (data, c);
  ns_csv_append_header (header, names, n_columns, delimiter);
  if (!ns_output_write (output, header->str, header->len, error) ||
      !ns_csv_write_rows (output, data, delimiter, ns_threads_resolve (n_threads), error))
    return FALSE;
  return ns_output_commit (g_steal_pointer (&output), error);
}
