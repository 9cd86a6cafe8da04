/* ns-csv-reader.c: CSV to columns: the entry points (whole input, mapped file) and the streaming
 * parser. The tokenizer, sniffer and parallel parse are its siblings (ns-csv-reader-private.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-csv-reader-private.h"
#include "ns-parse-double.h"

#include <string.h>

/*
 * Rules a user can rely on (documented in the README too):
 * - Delimiter: `,` `;` tab or runs of blanks, sniffed from the first records (the one whose count
 * per record is the same everywhere and largest wins); options->delimiter overrides, ' ' = blank
 * runs.
 * - Fields follow RFC 4180: a field starting with `"` may hold delimiters, newlines and `""`; a `"`
 *   inside an unquoted field is an ordinary character. Blanks around unquoted fields and around
 *   the quotes are trimmed. Lines may end in LF, CRLF or CR; blank lines are skipped; a UTF-8 BOM
 *   is ignored.
 * - Missing values: an empty field, NA, N/A, NaN, null, ? (case-insensitive) and the caller's extra
 *   markers. They are NaN in numeric columns and kept verbatim in label columns.
 * - Column types: a column is a label column when its first non-missing value is not a number.
 *   Otherwise it is numeric, and a later value that is not a number is an error naming the line,
 *   column and text: one typo in a column of numbers must not silently turn it into labels.
 *   A column with no value at all is numeric (all NaN).
 * - Header (auto): the first record is a header when none of its fields is a number and either
 *   one of its text fields heads a numeric column, or no column below it is numeric (an all-label
 *   table). Without a header, columns are named column_1..column_N.
 * - Numbers: [+-]digits[.digits][e[+-]digits], inf, infinity, nan (case-insensitive), correctly
 *   rounded. Hex floats and trailing text are not numbers; a finite literal outside the double
 *   range ("1e999") is an error rather than a silent infinity.
 * - Decimal mark: '.', or ',' (options->decimal, else sniffed when the delimiter is not ','): ','
 *   when the records in the first NS_CSV_DECIMAL_SNIFF_BYTES hold a number with a decimal comma
 *   (1,5) and none with a decimal point (1.5). The other mark then makes a field no number.
 * - Number-like text (_ns_csv_is_number_like: what strtod or Python's float() would read as a
 *   number) is not text: as a column's first value it makes the column numeric, so the parse
 *   reports it with its line and column as it does further down.
 */
/* ---- Entry point. */

/* The bytes the set-up reads before the chunks (delimiter sniffing, the first record, column
 * types) hold no NUL byte. */
static gboolean
ns_csv_check_head (const NsCsvContext *ctx, const char *to, GError **error)
{
  const char *nul = memchr (ctx->data, '\0', MIN (to, ctx->end) - ctx->data);

  if (nul == NULL)
    return TRUE;
  _ns_csv_error (ctx, nul, error, NS_ERROR_PARSE,
                 "expected text, found a NUL byte (is this a binary file?)");
  return FALSE;
}

/* A CSV's features are its columns: an axis naming them (-1, 1) is fine; pooling them (none) or
 * naming another axis is refused rather than ignored, as a .npy of the table would pool them. */
static gboolean
ns_csv_check_axis (const char *path, const char *axis, GError **error)
{
  guint kept[NS_MAX_RANK], n_kept;

  if (axis == NULL || (ns_axis_spec_parse (axis, 2, kept, &n_kept, NULL) && n_kept == 1))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: --axis %s cannot apply to a table: the features of a CSV are its columns "
               "(--axis -1 or 1); to pool all its values, save it as .npy",
               path, axis);
  return FALSE;
}

/* Whether a missing marker starts like a number (-999): the fast number path would take it. */
static gboolean
ns_csv_markers_look_like_numbers (char *const *markers)
{
  for (char *const *marker = markers; marker != NULL && *marker != NULL; marker++)
    {
      double value;
      gboolean overflow;

      if (ns_parse_double_prefix (*marker, *marker + strlen (*marker), &value, &overflow) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The decisions every reading path takes alike on the head, before the first record: the byte
 * order mark, missing markers that read as numbers, the axis, the delimiter, the decimal mark. */
static gboolean
ns_csv_context_setup (NsCsvContext *ctx, const NsReadOptions *options, GError **error)
{
  g_return_val_if_fail (options->decimal == 0 || options->decimal == '.' || options->decimal == ',',
                        FALSE);
  if (ctx->end - ctx->data >= 3 && memcmp (ctx->data, "\xef\xbb\xbf", 3) == 0)
    ctx->data += 3;
  ctx->extra_missing = options->extra_missing;
  ctx->general_numbers = ns_csv_markers_look_like_numbers (ctx->extra_missing);
  if (!ns_csv_check_axis (ctx->path, options->axis, error) ||
      !ns_csv_check_head (ctx, ctx->data + NS_CSV_SCAN_BLOCK, error))
    return FALSE;
  ctx->delimiter = options->delimiter != 0
                     ? options->delimiter
                     : _ns_csv_sniff_delimiter (ctx->data, ctx->end, options->decimal);
  ctx->decimal = options->decimal != 0   ? options->decimal
                 : ctx->delimiter == ',' ? '.'
                                         : _ns_csv_sniff_decimal (ctx);
  if (ctx->decimal == ctx->delimiter)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: the decimal mark ',' cannot also be the delimiter: give another delimiter",
                   ctx->path);
      return FALSE;
    }
  ctx->general_numbers |= ctx->decimal != '.';
  return TRUE;
}

typedef struct {
  guint n_columns;
  gboolean *is_label;
  char **names;
  const char *data_start; /* the first data record (after the header, if any) */
  const char *first_end;  /* after the first record */
} NsCsvColumns;

static void
ns_csv_columns_clear (NsCsvColumns *columns)
{
  g_clear_pointer (&columns->is_label, g_free);
  g_clear_pointer (&columns->names, g_strfreev);
}

/* The first record, the header and the label columns, decided on ctx's bytes. */
static gboolean
ns_csv_decide_columns (const NsCsvContext *ctx, const NsReadOptions *options, NsCsvColumns *columns,
                       GError **error)
{
  NsCsvFirstRecord first = { NULL };
  g_autofree NsCsvKind *kinds = NULL;
  gboolean header, ok = FALSE;

  if (!_ns_csv_read_first_record (ctx, &first, error) ||
      !ns_csv_check_head (ctx, first.next, error))
    goto out;
  columns->n_columns = first.texts->len;
  kinds = g_new0 (NsCsvKind, columns->n_columns);
  _ns_csv_scan_kinds (ctx, first.next, kinds, columns->n_columns);
  header = options->header == NS_HEADER_YES ||
           (options->header == NS_HEADER_AUTO && _ns_csv_detect_header (&first, kinds));
  if ((columns->names = _ns_csv_column_names (ctx, &first, header, error)) == NULL)
    goto out;
  columns->is_label = g_new0 (gboolean, columns->n_columns);
  for (guint c = 0; c < columns->n_columns; c++)
    {
      NsCsvKind kind = g_array_index (first.kinds, NsCsvKind, c);

      columns->is_label[c] = (header || kind == NS_CSV_UNKNOWN ? kinds[c] : kind) == NS_CSV_TEXT;
    }
  columns->data_start = header ? first.next : ctx->data;
  columns->first_end = first.next;
  ok = TRUE;
out:
  _ns_csv_first_record_clear (&first);
  return ok;
}

/* The numeric column named `name`, or -1 (no name, no such column, a label column: the fit
 * that asked for it says why it cannot weigh by it). */
static int
ns_csv_find_weight_column (const NsCsvColumns *columns, const char *name)
{
  for (guint c = 0; name != NULL && c < columns->n_columns; c++)
    if (strcmp (columns->names[c], name) == 0)
      return columns->is_label[c] ? -1 : (int) c;
  return -1;
}

static NsDataset *
ns_csv_read_input (const char *path, const char *data, gsize len, gboolean mapped,
                   const NsReadOptions *options, GCancellable *cancellable, GError **error)
{
  NsReadOptions defaults;
  NsCsvContext ctx = { .path = path, .data = data, .end = data + len, .mapped = mapped };
  NsCsvColumns columns = { 0 };
  NsCsvChunk chunks[64] = { { NULL } };
  NsDataset *dataset = NULL;
  guint n_threads;

  if (options == NULL)
    {
      ns_read_options_init (&defaults);
      options = &defaults;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "%s: reading was cancelled", path);
      return NULL;
    }
  n_threads = options->n_threads != 0 ? options->n_threads : g_get_num_processors ();
  if (!ns_csv_context_setup (&ctx, options, error) ||
      !ns_csv_decide_columns (&ctx, options, &columns, error))
    goto out;

  chunks[0] = (NsCsvChunk) {
    .ctx = &ctx,
    .begin = columns.data_start,
    .end = ctx.end,
    .n_columns = columns.n_columns,
    .is_label = columns.is_label,
    .names = (const char *const *) columns.names,
    .cancellable = cancellable,
    .options = options,
    .weight_column = ns_csv_find_weight_column (&columns, options->weight_column),
  };
  if (!_ns_csv_parse_rows (chunks, n_threads, error))
    goto out;
  if (chunks[0].n_rows == 0)
    {
      _ns_csv_error (&ctx, columns.first_end, error, NS_ERROR_PARSE,
                     "expected data rows after the header, found none");
      goto out;
    }
  dataset = _ns_csv_build (&chunks[0], columns.names);
  if (options->progress != NULL)
    options->progress (1.0, options->progress_data);

out:
  _ns_csv_chunk_clear (&chunks[0]);
  ns_csv_columns_clear (&columns);
  return dataset;
}

NsDataset *
ns_csv_read (const char *path, const char *data, gsize len, const NsReadOptions *options,
             GCancellable *cancellable, GError **error)
{
  return ns_csv_read_input (path, data, len, FALSE, options, cancellable, error);
}

NsDataset *
ns_csv_read_mapped (const char *path, const char *data, gsize len, const NsReadOptions *options,
                    GCancellable *cancellable, GError **error)
{
  return ns_csv_read_input (path, data, len, TRUE, options, cancellable, error);
}

/* ---- Streaming. */

struct _NsCsvStreamParser {
  NsCsvContext ctx; /* template: data and end are set per block */
  char *path;
  char **extra_missing;
  guint n_columns;
  gboolean *is_label;
  char **names;
  int weight_column; /* -1: none */
};

void
ns_csv_stream_parser_free (NsCsvStreamParser *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_strfreev (self->extra_missing);
  g_free (self->is_label);
  g_strfreev (self->names);
  g_free (self);
}

/* The same decisions as ns_csv_read_input, taken on the head of the input only. */
NsCsvStreamParser *
ns_csv_stream_parser_new (const char *path, const char *head, gsize len,
                          const NsReadOptions *options, gsize *data_start, GError **error)
{
  g_autoptr (NsCsvStreamParser) self = g_new0 (NsCsvStreamParser, 1);
  NsCsvContext *ctx = &self->ctx;
  NsCsvColumns columns = { 0 };
  gboolean ok = FALSE;

  self->path = g_strdup (path);
  self->weight_column = -1;
  self->extra_missing = g_strdupv (options->extra_missing);
  *ctx = (NsCsvContext) { .path = self->path, .data = head, .end = head + len };
  /* The head may be a whole file: its NUL bytes past the first record are the parse's to find. */
  if (ns_csv_context_setup (ctx, options, error) &&
      ns_csv_decide_columns (ctx, options, &columns, error))
    {
      ctx->extra_missing = self->extra_missing;
      self->n_columns = columns.n_columns;
      self->is_label = g_steal_pointer (&columns.is_label);
      self->names = g_steal_pointer (&columns.names);
      *data_start = columns.data_start - head;
      ok = TRUE;
    }
  ns_csv_columns_clear (&columns);
  ctx->data = ctx->end = NULL;
  return ok ? g_steal_pointer (&self) : NULL;
}

guint
ns_csv_stream_parser_get_n_columns (const NsCsvStreamParser *self)
{
  return self->n_columns;
}

const char *const *
ns_csv_stream_parser_get_names (const NsCsvStreamParser *self)
{
  return (const char *const *) self->names;
}

const gboolean *
ns_csv_stream_parser_get_is_label (const NsCsvStreamParser *self)
{
  return self->is_label;
}

void
ns_csv_stream_parser_set_weight_column (NsCsvStreamParser *self, guint column)
{
  g_return_if_fail (column < self->n_columns && !self->is_label[column]);
  self->weight_column = (int) column;
}

int
ns_csv_stream_parser_get_weight_column (const NsCsvStreamParser *self)
{
  return self->weight_column;
}

/* Follows the tokenizer's quoting rule (a field is quoted when it starts with '"') from a record
 * start to find the last record end; a quote is what makes the cheap search for '\n' unsafe. */
static gsize
ns_csv_quoted_cut (const NsCsvContext *ctx, const char *data, gsize len, gboolean at_eof,
                   gboolean *quoted_newline)
{
  const char *end = data + len;
  gboolean field_start = TRUE, in_quotes = FALSE;
  gsize cut = 0;

  for (const char *p = data; p < end; p++)
    {
      char c = *p;

      if (in_quotes)
        {
          if (c == '\n' || c == '\r')
            *quoted_newline = TRUE;
          if (c != '"')
            continue;
          if (p + 1 == end && !at_eof)
            break; /* a doubled quote may continue in the next block */
          if (p + 1 < end && p[1] == '"')
            p++;
          else
            in_quotes = FALSE;
        }
      else if (c == '"' && field_start)
        in_quotes = TRUE;
      else if (c == '\n' || (c == '\r' && p + 1 < end && p[1] != '\n'))
        {
          cut = p + 1 - data;
          field_start = TRUE;
        }
      else if (_ns_csv_is_separator (ctx, c))
        field_start = TRUE;
      else if (!_ns_csv_is_blank (ctx, c) && c != '\r')
        field_start = FALSE;
    }
  return at_eof && !in_quotes ? len : cut;
}

gsize
ns_csv_stream_parser_cut (const NsCsvStreamParser *self, const char *data, gsize len,
                          gboolean at_eof, gboolean *quoted_newline)
{
  const char *newline;

  *quoted_newline = FALSE;
  if (memchr (data, '"', len) != NULL)
    return ns_csv_quoted_cut (&self->ctx, data, len, at_eof, quoted_newline);
  if (at_eof)
    return len;
  if ((newline = memrchr (data, '\n', len)) != NULL)
    return newline + 1 - data;
  /* Old Mac line ends: a final '\r' may still be followed by '\n' in the next block. */
  if ((newline = memrchr (data, '\r', len > 0 ? len - 1 : 0)) != NULL)
    return newline + 1 - data;
  return 0;
}

/* Lines as _ns_csv_position counts them: '\n', or '\r' not followed by '\n'. */
guint64
ns_csv_count_lines (const char *data, gsize len)
{
  const char *end = data + len;
  guint64 lines = 0;

  if (memchr (data, '\r', len) != NULL)
    {
      for (const char *p = data; p < end; p++)
        lines += *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n'));
      return lines;
    }
  for (const char *p = data; (p = memchr (p, '\n', end - p)) != NULL; p++)
    lines++;
  return lines;
}

/* The end of the head's last whole line outside quotes (counted by parity: the delimiter is not
 * known yet, and a doubled quote flips twice). */
gsize
ns_csv_head_cut (const char *data, gsize len, gboolean at_eof)
{
  gboolean in_quotes = FALSE;
  gsize cut = 0;

  if (at_eof)
    return len;
  if (memchr (data, '"', len) == NULL)
    {
      const char *newline = memrchr (data, '\n', len);

      return newline != NULL ? (gsize) (newline + 1 - data) : 0;
    }
  for (gsize i = 0; i < len; i++)
    if (data[i] == '"')
      in_quotes = !in_quotes;
    else if (data[i] == '\n' && !in_quotes)
      cut = i + 1;
  return cut;
}

gboolean
ns_csv_stream_parser_parse (const NsCsvStreamParser *self, const char *data, gsize len,
                            guint64 line_base, gint64 byte_base, NsCsvRows *rows, GError **error)
{
  NsCsvContext ctx = self->ctx;
  g_autofree GPtrArray **labels = g_new0 (GPtrArray *, self->n_columns);
  NsCsvChunk chunk = {
    .ctx = &ctx,
    .begin = data,
    .end = data + len,
    .n_columns = self->n_columns,
    .is_label = self->is_label,
    .names = (const char *const *) self->names,
    .capacity = rows->capacity,
    .n_rows = rows->n_rows,
    .values = rows->values,
    .labels = rows->labels != NULL ? rows->labels : labels,
    .discard_labels = rows->labels == NULL,
    .weight_column = self->weight_column,
  };
  const char *nul;
  NsCsvCursor cur;
  gboolean ok = TRUE;

  ctx.data = data;
  ctx.end = data + len;
  ctx.line_base = line_base;
  ctx.byte_positions = byte_base >= 0;
  ctx.byte_base = (guint64) MAX (byte_base, 0);
  if ((nul = memchr (data, '\0', len)) != NULL)
    {
      _ns_csv_error (&ctx, nul, error, NS_ERROR_PARSE,
                     "expected text, found a NUL byte (is this a binary file?)");
      return FALSE;
    }
  _ns_csv_cursor_init (&cur, &ctx, data, data + len);
  while (ok && _ns_csv_cursor_next_record (&cur))
    {
      if (chunk.n_rows == chunk.capacity)
        _ns_csv_chunk_grow (&chunk);
      if ((ok = _ns_csv_parse_record (&chunk, &cur, error)))
        chunk.n_rows++;
    }
  _ns_csv_cursor_clear (&cur);
  rows->values = chunk.values;
  rows->capacity = chunk.capacity;
  rows->n_rows = chunk.n_rows;
  return ok;
}
