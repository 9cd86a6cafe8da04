/* ns-csv-writer.c: a table back to CSV: header, label columns in place, every double exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-reader.h"
#include "ns-output.h"

#include <math.h>
#include <string.h>

#define NS_CSV_FLUSH_BYTES (1024 * 1024)

void
ns_csv_append_field (GString *out, const char *text, char delimiter)
{
  gsize len = strlen (text);
  /* Between runs of blanks an empty field would vanish. */
  gboolean quote = len == 0 ? delimiter == ' ' : (text[0] == ' ' || text[0] == '\t' || text[0] == '"' ||
                               text[len - 1] == ' ' || text[len - 1] == '\t');

  for (const char *p = text; !quote && *p != '\0'; p++)
    quote = *p == delimiter || *p == '"' || *p == '\n' || *p == '\r' ||
            (delimiter == ' ' && *p == '\t');
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

/* Missing values are written as empty fields: the reader takes them back as NaN. */
static void
ns_csv_append_value (GString *out, double value, char delimiter)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (!isnan (value))
    g_string_append (out, ns_format_double (buf, value));
  else if (delimiter == ' ')
    g_string_append (out, "\"\"");
}

static void
ns_csv_append_row (GString *out, const NsDataset *data, gsize row, char delimiter)
{
  guint n_columns = ns_dataset_get_n_columns (data);
  gsize row_start = out->len;

  for (guint c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, delimiter);
      if (ns_dataset_column_is_label (data, c))
        ns_csv_append_field (out, ns_dataset_get_label (data, c, row), delimiter);
      else
        ns_csv_append_value (out, ns_dataset_get_values (data, c)[row], delimiter);
    }
  /* A blank line would be skipped by readers: an empty single field is written quoted. */
  if (out->len == row_start)
    g_string_append (out, "\"\"");
  g_string_append_c (out, '\n');
}

gboolean
ns_csv_write (const NsDataset *data, const char *path, char delimiter, GError **error)
{
  g_autoptr (NsOutput) output = NULL;
  g_autoptr (GString) out = g_string_sized_new (NS_CSV_FLUSH_BYTES + 4096);
  guint n_columns = ns_dataset_get_n_columns (data);
  gsize n_rows = ns_dataset_get_n_samples (data);

  if (delimiter == 0)
    delimiter = ',';
  if (ns_dataset_get_spatial_size (data) != 1)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: a CSV holds one value per sample and column; this dataset has %" G_GSIZE_FORMAT
                   " per sample and feature (write it as .npy)", path, ns_dataset_get_spatial_size (data));
      return FALSE;
    }
  if ((output = ns_output_open (path, error)) == NULL)
    return FALSE;

  for (guint c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, delimiter);
      ns_csv_append_field (out, ns_dataset_get_column_name (data, c), delimiter);
    }
  g_string_append_c (out, '\n');
  for (gsize row = 0; row < n_rows; row++)
    {
      ns_csv_append_row (out, data, row, delimiter);
      if (out->len >= NS_CSV_FLUSH_BYTES)
        {
          if (!ns_output_write (output, out->str, out->len, error))
            return FALSE;
          g_string_truncate (out, 0);
        }
    }
  if (!ns_output_write (output, out->str, out->len, error))
    return FALSE;
  return ns_output_commit (g_steal_pointer (&output), error);
}
