/* ns-csv-tokenizer.c: CSV fields (RFC 4180), numbers and missing markers, and one record into
 * a chunk's columns.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-csv-reader-private.h"
#include "ns-format-double.h"
#include "ns-moments.h"
#include "ns-parse-double.h"

#include <math.h>
#include <string.h>

/* ---- Positions and messages. */

void
_ns_csv_position (const NsCsvContext *ctx, const char *at, guint *line, guint *column)
{
  const char *line_start = ctx->data;
  guint lines = 1;

  for (const char *p = ctx->data; p < at; p++)
    if (*p == '\n' || (*p == '\r' && (p + 1 == ctx->end || p[1] != '\n')))
      {
        lines++;
        line_start = p + 1;
      }
  *line = lines;
  /* Characters, not bytes, so an editor's column matches; invalid bytes count one each. */
  *column = 1;
  for (const char *p = line_start; p < at; p++)
    if (((guchar) *p & 0xc0) != 0x80)
      (*column)++;
}

void G_GNUC_PRINTF (5, 6) _ns_csv_error (const NsCsvContext *ctx, const char *at, GError **error,
                                         NsErrorCode code, const char *format, ...)
{
  g_autofree char *message = NULL;
  guint line, column;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (ctx->byte_positions)
    {
      g_set_error (error, NS_ERROR, code, "%s: byte %" G_GUINT64_FORMAT ": %s", ctx->path,
                   ctx->byte_base + (guint64) (at - ctx->data), message);
      return;
    }
  _ns_csv_position (ctx, at, &line, &column);
  g_set_error (error, NS_ERROR, code, "%s:%" G_GUINT64_FORMAT ":%u: %s", ctx->path,
               ctx->line_base + line, column, message);
}

/* A field's text for a message: at most NS_CSV_QUOTE_MAX bytes, cut at a character boundary. */
static char *
ns_csv_quote_text (const char *text, gsize len)
{
  gsize cut = len;

  if (len <= NS_CSV_QUOTE_MAX)
    return g_strndup (text, len);
  cut = NS_CSV_QUOTE_MAX;
  while (cut > 0 && ((guchar) text[cut] & 0xc0) == 0x80)
    cut--;
  return g_strdup_printf ("%.*s…", (int) cut, text);
}

/* ---- The tokenizer. */

void
_ns_csv_cursor_init (NsCsvCursor *cur, const NsCsvContext *ctx, const char *begin, const char *end)
{
  cur->ctx = ctx;
  cur->p = begin;
  cur->end = end;
  cur->line_end = begin;
  cur->scratch = g_string_new (NULL);
}

void
_ns_csv_cursor_clear (NsCsvCursor *cur)
{
  g_string_free (cur->scratch, TRUE);
}

/* Skips blank lines; FALSE when no record is left. */
gboolean
_ns_csv_cursor_next_record (NsCsvCursor *cur)
{
  const char *p = cur->p;

  while (p < cur->end)
    {
      const char *q = p;

      while (q < cur->end && (*q == ' ' || *q == '\t') && cur->ctx->delimiter == ' ')
        q++;
      if (q < cur->end && *q != '\n' && *q != '\r')
        {
          cur->p = q;
          return TRUE;
        }
      if (q < cur->end && *q == '\r' && q + 1 < cur->end && q[1] == '\n')
        q++;
      p = q + 1;
    }
  cur->p = cur->end;
  return FALSE;
}

/* After a field's text at p: a separator (more fields follow), a line end or the end of input
 * (last field). Returns FALSE if p holds anything else. */
static gboolean
ns_csv_cursor_end_field (NsCsvCursor *cur, const char *p, gboolean *last)
{
  const NsCsvContext *ctx = cur->ctx;

  while (p < cur->end && _ns_csv_is_blank (ctx, *p))
    p++;
  if (p < cur->end && ctx->delimiter != ' ' && *p == ctx->delimiter)
    {
      cur->p = p + 1;
      *last = FALSE;
      return TRUE;
    }
  if (ctx->delimiter == ' ')
    while (p < cur->end && (*p == ' ' || *p == '\t'))
      p++;
  if (p == cur->end || *p == '\n' || *p == '\r')
    {
      cur->line_end = p;
      if (p < cur->end)
        p += *p == '\r' && p + 1 < cur->end && p[1] == '\n' ? 2 : 1;
      cur->p = p;
      *last = TRUE;
      return TRUE;
    }
  if (ctx->delimiter == ' ' && _ns_csv_is_separator (ctx, p[-1]))
    {
      cur->p = p;
      *last = FALSE;
      return TRUE;
    }
  return FALSE;
}

static gboolean
ns_csv_read_quoted (NsCsvCursor *cur, NsCsvField *field, GError **error)
{
  const char *open = cur->p;
  const char *p = open + 1;
  const char *segment = p;
  gboolean escaped = FALSE;

  g_string_truncate (cur->scratch, 0);
  for (;;)
    {
      const char *quote = memchr (p, '"', cur->end - p);

      if (quote == NULL)
        {
          _ns_csv_error (cur->ctx, open, error, NS_ERROR_PARSE,
                         "expected a closing quote for the quoted field that opens here, found the "
                         "end of the file");
          return FALSE;
        }
      if (quote + 1 < cur->end && quote[1] == '"')
        {
          g_string_append_len (cur->scratch, segment, quote + 1 - segment);
          p = segment = quote + 2;
          escaped = TRUE;
          continue;
        }
      if (escaped)
        {
          g_string_append_len (cur->scratch, segment, quote - segment);
          field->text = cur->scratch->str;
          field->len = cur->scratch->len;
        }
      else
        {
          field->text = open + 1;
          field->len = quote - open - 1;
        }
      cur->p = quote + 1;
      return TRUE;
    }
}

/* Reads the field at cur->p; *last is set when it ends its record. */
gboolean
_ns_csv_read_field (NsCsvCursor *cur, NsCsvField *field, gboolean *last, GError **error)
{
  const NsCsvContext *ctx = cur->ctx;
  const char *p = cur->p;

  while (p < cur->end && _ns_csv_is_blank (ctx, *p))
    p++;
  cur->p = field->start = p;
  if (p < cur->end && *p == '"')
    {
      if (!ns_csv_read_quoted (cur, field, error))
        return FALSE;
      if (!ns_csv_cursor_end_field (cur, cur->p, last))
        {
          const char *after = cur->p;

          while (after < cur->end && _ns_csv_is_blank (ctx, *after))
            after++;
          gsize char_len = MIN ((gsize) g_utf8_skip[(guchar) *after], (gsize) (cur->end - after));
          g_autofree char *found = ns_csv_quote_text (after, char_len);

          _ns_csv_error (
            ctx, after, error, NS_ERROR_PARSE,
            "expected a delimiter or the end of the line after a closing quote, found '%s'", found);
          return FALSE;
        }
      return TRUE;
    }

  while (p < cur->end && *p != '\n' && *p != '\r' && !_ns_csv_is_separator (ctx, *p))
    p++;
  field->text = field->start;
  field->len = p - field->start;
  while (field->len > 0 && _ns_csv_is_blank (ctx, field->text[field->len - 1]))
    field->len--;
  if (!ns_csv_cursor_end_field (cur, p, last))
    g_assert_not_reached ();
  return TRUE;
}

/* The fast path for numeric columns: a number straight from the buffer, no copy. FALSE leaves the
 * cursor untouched so the general field reader takes over (quotes, missing markers, errors). */
static inline gboolean
ns_csv_try_number (NsCsvCursor *cur, double *value, gboolean *last)
{
  const char *p = cur->p;
  const char *after;
  gboolean overflow;

  while (p < cur->end && *p == ' ')
    p++;
  after = ns_parse_double_prefix (p, cur->end, value, &overflow);
  if (after == NULL || overflow)
    return FALSE;
  /* Sentinels such as -999 look like numbers, and a decimal-comma file must not read "1.5": the
   * general path checks the markers and the mark. */
  if (G_UNLIKELY (cur->ctx->general_numbers))
    return FALSE;
  return ns_csv_cursor_end_field (cur, after, last);
}

/* ---- Numbers. */

/* A number written with the decimal mark `decimal`: a ',' becomes '.' for the exact parser, and
 * a '.' then makes it no number, so "1.5" in a decimal-comma file is never 1.5 nor 15. */
gboolean
_ns_csv_parse_with_decimal (const char *text, gsize len, char decimal, double *value)
{
  char stack[NS_CSV_NUMBER_MAX];
  g_autofree char *heap = NULL;
  char *copy, *mark;

  if (decimal == '.')
    return ns_parse_double (text, len, value);
  *value = NAN;
  if (len == 0 || memchr (text, '.', len) != NULL)
    return FALSE;
  copy = len <= sizeof stack ? stack : (heap = g_malloc (len));
  memcpy (copy, text, len);
  if ((mark = memchr (copy, ',', len)) != NULL)
    *mark = '.';
  return ns_parse_double (copy, len, value);
}

static gboolean
ns_csv_parse_number (const NsCsvContext *ctx, const char *text, gsize len, double *value)
{
  return _ns_csv_parse_with_decimal (text, len, ctx->decimal, value);
}

/* A number, or a finite literal beyond the double range (meant as a number: the parse says so). */
gboolean
_ns_csv_is_meant_number (const NsCsvContext *ctx, const char *text, gsize len)
{
  double value;

  return ns_csv_parse_number (ctx, text, len, &value) || isinf (value);
}

/* C99's hex floats as strtod and printf's %a know them: [+-]0x hexdigits [. hexdigits] p [+-]
 * digits. */
static gboolean
ns_csv_is_hex_float (const char *p, const char *end)
{
  gboolean digits = FALSE;

  if (p < end && (*p == '+' || *p == '-'))
    p++;
  if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
    return FALSE;
  for (p += 2; p < end && (g_ascii_isxdigit (*p) || *p == '.'); p++)
    digits |= *p != '.';
  if (!digits || p == end || (*p != 'p' && *p != 'P'))
    return FALSE;
  if (++p < end && (*p == '+' || *p == '-'))
    p++;
  if (p == end)
    return FALSE;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p == end;
}

/* Digits of another script (Arabic-Indic, fullwidth, ...) read as ASCII digits, with the Arabic
 * decimal separator and the minus sign: Python's float() reads most of them as numbers. */
static gboolean
ns_csv_is_foreign_number (const NsCsvContext *ctx, const char *text, gsize len)
{
  g_autoptr (GString) ascii = NULL;
  gboolean foreign = FALSE;

  if (!g_utf8_validate_len (text, len, NULL))
    return FALSE;
  ascii = g_string_sized_new (len);
  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = g_unichar_digit_value (c);

      foreign |= c >= 0x80;
      if (c < 0x80)
        g_string_append_c (ascii, (char) c);
      else if (digit >= 0)
        g_string_append_c (ascii, (char) ('0' + digit));
      else if (c == 0x066b) /* ARABIC DECIMAL SEPARATOR */
        g_string_append_c (ascii, ctx->decimal);
      else if (c == 0x2212) /* MINUS SIGN */
        g_string_append_c (ascii, '-');
      else
        return FALSE;
    }
  return foreign && _ns_csv_is_meant_number (ctx, ascii->str, ascii->len);
}

/* Text that is not a number here but that C's strtod (in the C or a decimal-comma locale) or
 * Python's float() reads as one: the other decimal mark ("1,5" in a '.' file, "1.5" in a ','
 * file), a hex float, an out-of-range start ("1e999x"), blanks inside quotes (" 1.5"), digits of
 * another script ("١"). Such a first value is a mistyped number, not a label. Hex integers
 * (0xff) and dates (2024-01-05, 05.01.2024) are not number-like: they are usually ids and text. */
gboolean
_ns_csv_is_number_like (const NsCsvContext *ctx, const char *text, gsize len)
{
  const char *end = text + len, *start = text;
  double value;
  gboolean overflow;

  if (_ns_csv_parse_with_decimal (text, len, ctx->decimal == ',' ? '.' : ',', &value) ||
      isinf (value) || ns_csv_is_hex_float (text, end))
    return TRUE;
  if (ns_parse_double_prefix (text, end, &value, &overflow) != NULL && overflow)
    return TRUE;
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end - start < (gssize) len && end > start &&
      _ns_csv_is_meant_number (ctx, start, end - start))
    return TRUE;
  return ns_csv_is_foreign_number (ctx, text, len);
}

/* ---- Classification. */

static gboolean
ns_csv_is_missing (const NsCsvContext *ctx, const char *text, gsize len)
{
  static const char *const builtin[] = { "na", "n/a", "nan", "null", "?" };

  if (len == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    if (len == strlen (builtin[i]) && g_ascii_strncasecmp (text, builtin[i], len) == 0)
      return TRUE;
  for (char *const *marker = ctx->extra_missing; marker != NULL && *marker != NULL; marker++)
    if (len == strlen (*marker) && memcmp (text, *marker, len) == 0)
      return TRUE;
  return FALSE;
}

NsCsvKind
_ns_csv_classify (const NsCsvContext *ctx, const NsCsvField *field)
{
  if (ns_csv_is_missing (ctx, field->text, field->len))
    return NS_CSV_UNKNOWN;
  /* An out-of-range or number-like literal is still meant as a number: the parse reports it. */
  if (_ns_csv_is_meant_number (ctx, field->text, field->len) ||
      _ns_csv_is_number_like (ctx, field->text, field->len))
    return NS_CSV_NUMBER;
  return NS_CSV_TEXT;
}

/* ---- The parse proper. */
void
_ns_csv_chunk_grow (NsCsvChunk *chunk)
{
  gsize old_capacity = chunk->capacity;

  chunk->capacity = MAX (16, chunk->capacity + chunk->capacity / 2);
  for (guint c = 0; c < chunk->n_columns; c++)
    if (chunk->values[c] != NULL && chunk->borrowed)
      {
        double *own = g_new (double, chunk->capacity);

        memcpy (own, chunk->values[c], old_capacity * sizeof (double));
        chunk->values[c] = own;
      }
    else if (chunk->values[c] != NULL)
      chunk->values[c] = g_renew (double, chunk->values[c], chunk->capacity);
  chunk->borrowed = FALSE;
}

static gboolean
ns_csv_store_field (NsCsvChunk *chunk, guint column, const NsCsvField *field, GError **error)
{
  const NsCsvContext *ctx = chunk->ctx;
  double value;

  if (chunk->is_label[column])
    {
      if (!g_utf8_validate_len (field->text, field->len, NULL))
        {
          _ns_csv_error (ctx, field->start, error, NS_ERROR_PARSE,
                         "expected UTF-8 text in column '%s', found invalid bytes",
                         chunk->names[column]);
          return FALSE;
        }
      if (!chunk->discard_labels)
        g_ptr_array_add (chunk->labels[column], g_strndup (field->text, field->len));
      return TRUE;
    }
  if (ns_csv_is_missing (ctx, field->text, field->len))
    value = NAN;
  else if (ns_csv_parse_number (ctx, field->text, field->len, &value))
    ;
  else
    {
      g_autofree char *quoted = ns_csv_quote_text (field->text, field->len);

      _ns_csv_error (ctx, field->start, error, NS_ERROR_PARSE,
                     isinf (value)
                       ? "expected a number within the range of doubles in column '%s', found '%s'"
                       : "expected a number in column '%s', found '%s'",
                     chunk->names[column], quoted);
      return FALSE;
    }
  chunk->values[column][chunk->n_rows] = value;
  return TRUE;
}

/* Counts the fields left in a record that has too many, for the message. */
static guint
ns_csv_count_rest (NsCsvCursor *cur)
{
  gboolean last = FALSE;
  guint n = 0;

  while (!last)
    {
      NsCsvField field;

      if (!_ns_csv_read_field (cur, &field, &last, NULL))
        break;
      n++;
    }
  return n;
}

/* A sample weight just stored for the field at start: finite and >= 0, else an error there. */
static gboolean
ns_csv_check_weight (const NsCsvChunk *chunk, guint column, const char *start, GError **error)
{
  double weight = chunk->values[column][chunk->n_rows];
  char text[NS_DOUBLE_BUF_SIZE];

  if (G_LIKELY ((int) column != chunk->weight_column || ns_moments_weight_is_valid (weight)))
    return TRUE;
  while (start < chunk->end && _ns_csv_is_blank (chunk->ctx, *start))
    start++;
  _ns_csv_error (chunk->ctx, start, error, NS_ERROR_PARSE,
                 "expected a sample weight (a finite number >= 0) in column '%s', found %s",
                 chunk->names[column],
                 isnan (weight) ? "a missing value" : ns_format_double (text, weight));
  return FALSE;
}

gboolean
_ns_csv_parse_record (NsCsvChunk *chunk, NsCsvCursor *cur, GError **error)
{
  gboolean last = FALSE;

  for (guint c = 0; c < chunk->n_columns; c++)
    {
      const char *start = cur->p;
      NsCsvField field;
      double value;

      if (last)
        {
          _ns_csv_error (chunk->ctx, cur->line_end, error, NS_ERROR_PARSE,
                         "expected %u field%s, found %u", chunk->n_columns,
                         chunk->n_columns == 1 ? "" : "s", c);
          return FALSE;
        }
      if (!chunk->is_label[c] && ns_csv_try_number (cur, &value, &last))
        {
          chunk->values[c][chunk->n_rows] = value;
          if (!ns_csv_check_weight (chunk, c, start, error))
            return FALSE;
          continue;
        }
      if (!_ns_csv_read_field (cur, &field, &last, error) ||
          !ns_csv_store_field (chunk, c, &field, error) ||
          (!chunk->is_label[c] && !ns_csv_check_weight (chunk, c, field.start, error)))
        return FALSE;
    }
  if (!last)
    {
      const char *extra = cur->p;
      guint found = chunk->n_columns + ns_csv_count_rest (cur);

      while (extra < cur->end && _ns_csv_is_blank (chunk->ctx, *extra))
        extra++;
      _ns_csv_error (chunk->ctx, extra, error, NS_ERROR_PARSE, "expected %u field%s, found %u",
                     chunk->n_columns, chunk->n_columns == 1 ? "" : "s", found);
      return FALSE;
    }
  return TRUE;
}
