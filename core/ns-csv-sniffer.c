/* ns-csv-sniffer.c: the CSV decisions taken on the head: delimiter, decimal mark, first record,
 * header, column types.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-csv-reader-private.h"
#include "ns-parse-double.h"

#include <string.h>

/* ---- Sniffing. */

/* Fields per record for a candidate delimiter, counted outside quotes over the first records. */
static gboolean
ns_csv_count_fields (const char *data, const char *end, char delimiter, guint *counts,
                     guint *n_records)
{
  gboolean in_quotes = FALSE, in_field = FALSE;
  guint n = 0, fields = 0;

  for (const char *p = data; p < end && n < NS_CSV_SNIFF_RECORDS; p++)
    {
      char c = *p;

      if (c == '"')
        in_quotes = !in_quotes;
      if (in_quotes)
        {
          in_field = TRUE;
          continue;
        }
      if (c == '\n' || c == '\r')
        {
          if (in_field || fields > 0)
            counts[n++] = fields + (delimiter == ' ' ? in_field : 1);
          fields = 0;
          in_field = FALSE;
        }
      else if (delimiter == ' ' ? (c == ' ' || c == '\t') : c == delimiter)
        {
          if (delimiter != ' ' || in_field)
            fields++;
          in_field = FALSE;
        }
      else
        in_field = TRUE;
    }
  if ((in_field || fields > 0) && n < NS_CSV_SNIFF_RECORDS && end - data < NS_CSV_SNIFF_BYTES)
    counts[n++] = fields + (delimiter == ' ' ? in_field : 1);
  *n_records = n;
  return n > 0;
}

/* Fields of the first record that are numbers when split at delimiter, with the decimal mark. */
static guint
ns_csv_count_numbers (const char *data, const char *end, char delimiter, char decimal)
{
  NsCsvContext ctx = {
    .path = "", .data = data, .end = end, .delimiter = delimiter, .decimal = decimal
  };
  NsCsvCursor cur;
  gboolean last = FALSE;
  guint n = 0;

  _ns_csv_cursor_init (&cur, &ctx, data, end);
  if (_ns_csv_cursor_next_record (&cur))
    while (!last)
      {
        NsCsvField field;

        if (!_ns_csv_read_field (&cur, &field, &last, NULL))
          break;
        n += _ns_csv_is_meant_number (&ctx, field.text, field.len);
      }
  _ns_csv_cursor_clear (&cur);
  return n;
}

/* A tie with ',' ("1,5;2\n3,5;4" is two fields a record either way): candidate wins when the
 * first record holds more numbers split at it, with decimal commas, than split at ','. */
static gboolean
ns_csv_splits_more_numbers (const char *data, const char *end, char candidate)
{
  return ns_csv_count_numbers (data, end, candidate, ',') >
         ns_csv_count_numbers (data, end, ',', '.');
}

/* decimal: the decimal mark the caller gave (0 if none), which cannot be the delimiter. */
char
_ns_csv_sniff_delimiter (const char *data, const char *end, char decimal)
{
  static const char candidates[] = { ',', ';', '\t', ' ' };
  const char *sample_end = end - data > NS_CSV_SNIFF_BYTES ? data + NS_CSV_SNIFF_BYTES : end;
  char best = 0, most_in_first = decimal == ',' ? ';' : ',';
  guint best_fields = 1, first_fields = 1;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      guint counts[NS_CSV_SNIFF_RECORDS], n_records;
      gboolean consistent = TRUE;

      if (candidates[i] == decimal)
        continue;
      if (!ns_csv_count_fields (data, sample_end, candidates[i], counts, &n_records))
        return ',';
      for (guint r = 1; r < n_records; r++)
        consistent &= counts[r] == counts[0];
      /* Blank runs only when no real delimiter fits: they split any text with spaces. */
      if ((consistent && counts[0] > best_fields && (best == 0 || candidates[i] != ' ')) ||
          (consistent && counts[0] == best_fields && best == ',' && decimal == 0 &&
           ns_csv_splits_more_numbers (data, sample_end, candidates[i])))
        {
          best = candidates[i];
          best_fields = counts[0];
        }
      if (counts[0] > first_fields)
        {
          most_in_first = candidates[i];
          first_fields = counts[0];
        }
    }
  /* Nothing consistent: the first record's likeliest delimiter, so ragged rows are reported. */
  return best != 0 ? best : most_in_first;
}

/* What one field says of the decimal mark. */
static void
ns_csv_decimal_evidence (const NsCsvField *field, gboolean *comma, gboolean *point)
{
  double value;

  if (memchr (field->text, ',', field->len) != NULL)
    *comma |= _ns_csv_parse_with_decimal (field->text, field->len, ',', &value);
  else if (memchr (field->text, '.', field->len) != NULL)
    *point |= ns_parse_double (field->text, field->len, &value);
}

/* ',' when the records that end in the first NS_CSV_DECIMAL_SNIFF_BYTES hold a number with a
 * decimal comma and none with a decimal point; a record cut by the sample's end is not looked
 * at, as a shorter head might not hold it whole. */
char
_ns_csv_sniff_decimal (const NsCsvContext *ctx)
{
  gsize sample = MIN ((gsize) (ctx->end - ctx->data), NS_CSV_DECIMAL_SNIFF_BYTES);
  gboolean comma = FALSE, point = FALSE;
  NsCsvCursor cur;

  _ns_csv_cursor_init (&cur, ctx, ctx->data, ctx->data + sample);
  while (!point && _ns_csv_cursor_next_record (&cur))
    {
      gboolean record_comma = FALSE, record_point = FALSE, last = FALSE;

      while (!last)
        {
          NsCsvField field;

          if (!_ns_csv_read_field (&cur, &field, &last, NULL))
            goto done;
          ns_csv_decimal_evidence (&field, &record_comma, &record_point);
        }
      if ((gsize) (cur.line_end - ctx->data) >= NS_CSV_DECIMAL_SNIFF_BYTES)
        break;
      comma |= record_comma;
      point |= record_point;
    }
done:
  _ns_csv_cursor_clear (&cur);
  return comma && !point ? ',' : '.';
}

/* ---- First record, header, types. */
void
_ns_csv_first_record_clear (NsCsvFirstRecord *first)
{
  g_clear_pointer (&first->texts, g_ptr_array_unref);
  g_clear_pointer (&first->starts, g_array_unref);
  g_clear_pointer (&first->kinds, g_array_unref);
}

gboolean
_ns_csv_read_first_record (const NsCsvContext *ctx, NsCsvFirstRecord *first, GError **error)
{
  NsCsvCursor cur;
  gboolean last = FALSE, ok = TRUE;

  first->texts = g_ptr_array_new_with_free_func (g_free);
  first->starts = g_array_new (FALSE, FALSE, sizeof (const char *));
  first->kinds = g_array_new (FALSE, FALSE, sizeof (NsCsvKind));
  _ns_csv_cursor_init (&cur, ctx, ctx->data, ctx->end);
  if (!_ns_csv_cursor_next_record (&cur))
    {
      _ns_csv_cursor_clear (&cur);
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s:1:1: expected a header or data rows, found an empty file", ctx->path);
      return FALSE;
    }
  while (ok && !last)
    {
      NsCsvField field;
      NsCsvKind kind;

      if (!(ok = _ns_csv_read_field (&cur, &field, &last, error)))
        break;
      kind = _ns_csv_classify (ctx, &field);
      g_ptr_array_add (first->texts, g_strndup (field.text, field.len));
      g_array_append_val (first->starts, field.start);
      g_array_append_val (first->kinds, kind);
    }
  first->next = cur.p;
  _ns_csv_cursor_clear (&cur);
  return ok;
}

/* The kind of each column's first non-missing value from `from` on. Stops once every column is
 * known (usually after one record); tokenizer errors end the scan: the full parse reports them. */
void
_ns_csv_scan_kinds (const NsCsvContext *ctx, const char *from, NsCsvKind *kinds, guint n_columns)
{
  NsCsvCursor cur;
  guint unknown = 0;

  for (guint c = 0; c < n_columns; c++)
    unknown += kinds[c] == NS_CSV_UNKNOWN;
  _ns_csv_cursor_init (&cur, ctx, from, ctx->end);
  while (unknown > 0 && _ns_csv_cursor_next_record (&cur))
    {
      gboolean last = FALSE;

      for (guint c = 0; !last; c++)
        {
          NsCsvField field;

          if (!_ns_csv_read_field (&cur, &field, &last, NULL))
            goto done;
          if (c < n_columns && kinds[c] == NS_CSV_UNKNOWN)
            {
              kinds[c] = _ns_csv_classify (ctx, &field);
              unknown -= kinds[c] != NS_CSV_UNKNOWN;
            }
        }
    }
done:
  _ns_csv_cursor_clear (&cur);
}

gboolean
_ns_csv_detect_header (const NsCsvFirstRecord *first, const NsCsvKind *below)
{
  gboolean heads_numeric = FALSE, any_numeric_below = FALSE, any_text = FALSE;

  for (guint c = 0; c < first->kinds->len; c++)
    {
      NsCsvKind kind = g_array_index (first->kinds, NsCsvKind, c);

      if (kind == NS_CSV_NUMBER)
        return FALSE;
      any_text |= kind == NS_CSV_TEXT;
      any_numeric_below |= below[c] == NS_CSV_NUMBER;
      heads_numeric |= kind == NS_CSV_TEXT && below[c] == NS_CSV_NUMBER;
    }
  return heads_numeric || (any_text && !any_numeric_below);
}

char **
_ns_csv_column_names (const NsCsvContext *ctx, const NsCsvFirstRecord *first, gboolean header,
                      GError **error)
{
  guint n = first->texts->len;
  g_auto (GStrv) names = g_new0 (char *, n + 1);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint c = 0; c < n; c++)
    {
      const char *text = g_ptr_array_index (first->texts, c);
      const char *start = g_array_index (first->starts, const char *, c);
      const char *bad;

      if (!header || text[0] == '\0')
        names[c] = g_strdup_printf ("column_%u", c + 1);
      else if (!g_utf8_validate (text, -1, &bad))
        {
          /* Point at the offending byte: skip an opening quote (doubled quotes before it are rare).
           */
          _ns_csv_error (ctx, start + (bad - text) + (start[0] == '"'), error, NS_ERROR_PARSE,
                         "expected UTF-8 text in the header, found byte 0x%02x", (guint8) *bad);
          return NULL;
        }
      else
        names[c] = g_strdup (text);
      if (g_hash_table_contains (seen, names[c]))
        {
          _ns_csv_error (ctx, start, error, NS_ERROR_PARSE,
                         "expected unique column names, found '%s' twice", names[c]);
          return NULL;
        }
      g_hash_table_add (seen, names[c]);
    }
  return g_steal_pointer (&names);
}
