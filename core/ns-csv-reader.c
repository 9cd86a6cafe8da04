/* ns-csv-reader.c: CSV to columns: delimiter sniffing, header detection, RFC 4180 fields, exact numbers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-csv-reader.h"
#include "ns-format-double.h"
#include "ns-moments.h"
#include "ns-parse-double.h"

#include <math.h>
#include <string.h>

/*
 * Rules a user can rely on (documented in the README too):
 * - Delimiter: `,` `;` tab or runs of blanks, sniffed from the first records (the one whose count per
 *   record is the same everywhere and largest wins); options->delimiter overrides, ' ' = blank runs.
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
 * - Number-like text (ns_csv_is_number_like: what strtod or Python's float() would read as a
 *   number) is not text: as a column's first value it makes the column numeric, so the parse
 *   reports it with its line and column as it does further down.
 */

#define NS_CSV_SNIFF_RECORDS 20
#define NS_CSV_SNIFF_BYTES   (64 * 1024)
#define NS_CSV_CHUNK_MIN     (1024 * 1024)
#define NS_CSV_CHECK_ROWS    0x3fff
#define NS_CSV_QUOTE_MAX     40
#define NS_CSV_SCAN_BLOCK    (1024 * 1024)
/* Every reading path's head holds the whole records that end in this many bytes (its head is
 * at least NS_STREAM_HEAD_MIN, cut after a whole record), so they decide the decimal mark alike. */
#define NS_CSV_DECIMAL_SNIFF_BYTES (32 * 1024)
#define NS_CSV_NUMBER_MAX    128  /* longer decimal-comma fields are copied to the heap */

typedef enum {
  NS_CSV_UNKNOWN,   /* missing: says nothing about the column's type */
  NS_CSV_NUMBER,
  NS_CSV_TEXT,
} NsCsvKind;

typedef struct {
  const char  *path;
  const char  *data;        /* after the BOM: positions in messages count from here */
  const char  *end;
  char         delimiter;   /* ' ': runs of blanks */
  char         decimal;     /* '.' or ',' */
  char *const *extra_missing;
  gboolean     mapped;      /* data is a read-only file mapping: parsed pages may be released */
  gboolean     general_numbers; /* numbers take the general path: a missing marker reads as a
                                 * number (-999), or the decimal mark is ',' */
  guint64      line_base;   /* lines before data (streamed blocks) */
  gboolean     byte_positions; /* messages give byte offsets (a byte range: lines are unknown) */
  guint64      byte_base;   /* file offset of data */
} NsCsvContext;

typedef struct {
  const NsCsvContext *ctx;
  const char *p;
  const char *end;
  const char *line_end;     /* where the last record ended (its line terminator), for messages */
  GString    *scratch;      /* unescaped text of quoted fields with "" */
} NsCsvCursor;

typedef struct {
  const char *start;        /* first byte of the field (after blanks), for messages */
  const char *text;         /* into the buffer, or into the cursor's scratch */
  gsize       len;
} NsCsvField;

/* ---------------------------------------------------------------- positions and messages */

static void
ns_csv_position (const NsCsvContext *ctx, const char *at, guint *line, guint *column)
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

static void G_GNUC_PRINTF (5, 6)
ns_csv_error (const NsCsvContext *ctx, const char *at, GError **error, NsErrorCode code,
              const char *format, ...)
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
  ns_csv_position (ctx, at, &line, &column);
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

/* ---------------------------------------------------------------- the tokenizer */

static inline gboolean
ns_csv_is_blank (const NsCsvContext *ctx, char c)
{
  return c == ' ' || (c == '\t' && ctx->delimiter != '\t');
}

static inline gboolean
ns_csv_is_separator (const NsCsvContext *ctx, char c)
{
  return ctx->delimiter == ' ' ? (c == ' ' || c == '\t') : c == ctx->delimiter;
}

static void
ns_csv_cursor_init (NsCsvCursor *cur, const NsCsvContext *ctx, const char *begin, const char *end)
{
  cur->ctx = ctx;
  cur->p = begin;
  cur->end = end;
  cur->line_end = begin;
  cur->scratch = g_string_new (NULL);
}

static void
ns_csv_cursor_clear (NsCsvCursor *cur)
{
  g_string_free (cur->scratch, TRUE);
}

/* Skips blank lines; FALSE when no record is left. */
static gboolean
ns_csv_cursor_next_record (NsCsvCursor *cur)
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

  while (p < cur->end && ns_csv_is_blank (ctx, *p))
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
  if (ctx->delimiter == ' ' && ns_csv_is_separator (ctx, p[-1]))
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
          ns_csv_error (cur->ctx, open, error, NS_ERROR_PARSE,
                        "expected a closing quote for the quoted field that opens here, found the end of the file");
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
static gboolean
ns_csv_read_field (NsCsvCursor *cur, NsCsvField *field, gboolean *last, GError **error)
{
  const NsCsvContext *ctx = cur->ctx;
  const char *p = cur->p;

  while (p < cur->end && ns_csv_is_blank (ctx, *p))
    p++;
  cur->p = field->start = p;
  if (p < cur->end && *p == '"')
    {
      if (!ns_csv_read_quoted (cur, field, error))
        return FALSE;
      if (!ns_csv_cursor_end_field (cur, cur->p, last))
        {
          const char *after = cur->p;

          while (after < cur->end && ns_csv_is_blank (ctx, *after))
            after++;
          gsize char_len = MIN ((gsize) g_utf8_skip[(guchar) *after], (gsize) (cur->end - after));
          g_autofree char *found = ns_csv_quote_text (after, char_len);

          ns_csv_error (ctx, after, error, NS_ERROR_PARSE,
                        "expected a delimiter or the end of the line after a closing quote, found '%s'",
                        found);
          return FALSE;
        }
      return TRUE;
    }

  while (p < cur->end && *p != '\n' && *p != '\r' && !ns_csv_is_separator (ctx, *p))
    p++;
  field->text = field->start;
  field->len = p - field->start;
  while (field->len > 0 && ns_csv_is_blank (ctx, field->text[field->len - 1]))
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

/* ---------------------------------------------------------------- numbers */

/* A number written with the decimal mark `decimal`: a ',' becomes '.' for the exact parser, and
 * a '.' then makes it no number, so "1.5" in a decimal-comma file is never 1.5 nor 15. */
static gboolean
ns_csv_parse_with_decimal (const char *text, gsize len, char decimal, double *value)
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
  return ns_csv_parse_with_decimal (text, len, ctx->decimal, value);
}

/* A number, or a finite literal beyond the double range (meant as a number: the parse says so). */
static gboolean
ns_csv_is_meant_number (const NsCsvContext *ctx, const char *text, gsize len)
{
  double value;

  return ns_csv_parse_number (ctx, text, len, &value) || isinf (value);
}

/* C99's hex floats as strtod and printf's %a know them: [+-]0x hexdigits [. hexdigits] p [+-] digits. */
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
      else if (c == 0x066b)  /* ARABIC DECIMAL SEPARATOR */
        g_string_append_c (ascii, ctx->decimal);
      else if (c == 0x2212)  /* MINUS SIGN */
        g_string_append_c (ascii, '-');
      else
        return FALSE;
    }
  return foreign && ns_csv_is_meant_number (ctx, ascii->str, ascii->len);
}

/* Text that is not a number here but that C's strtod (in the C or a decimal-comma locale) or
 * Python's float() reads as one: the other decimal mark ("1,5" in a '.' file, "1.5" in a ','
 * file), a hex float, an out-of-range start ("1e999x"), blanks inside quotes (" 1.5"), digits of
 * another script ("١"). Such a first value is a mistyped number, not a label. Hex integers
 * (0xff) and dates (2024-01-05, 05.01.2024) are not number-like: they are usually ids and text. */
static gboolean
ns_csv_is_number_like (const NsCsvContext *ctx, const char *text, gsize len)
{
  const char *end = text + len, *start = text;
  double value;
  gboolean overflow;

  if (ns_csv_parse_with_decimal (text, len, ctx->decimal == ',' ? '.' : ',', &value) ||
      isinf (value) || ns_csv_is_hex_float (text, end))
    return TRUE;
  if (ns_parse_double_prefix (text, end, &value, &overflow) != NULL && overflow)
    return TRUE;
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end - start < (gssize) len && end > start && ns_csv_is_meant_number (ctx, start, end - start))
    return TRUE;
  return ns_csv_is_foreign_number (ctx, text, len);
}

/* ---------------------------------------------------------------- classification */

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

static NsCsvKind
ns_csv_classify (const NsCsvContext *ctx, const NsCsvField *field)
{
  if (ns_csv_is_missing (ctx, field->text, field->len))
    return NS_CSV_UNKNOWN;
  /* An out-of-range or number-like literal is still meant as a number: the parse reports it. */
  if (ns_csv_is_meant_number (ctx, field->text, field->len) ||
      ns_csv_is_number_like (ctx, field->text, field->len))
    return NS_CSV_NUMBER;
  return NS_CSV_TEXT;
}

/* ---------------------------------------------------------------- sniffing */

/* Fields per record for a candidate delimiter, counted outside quotes over the first records. */
static gboolean
ns_csv_count_fields (const char *data, const char *end, char delimiter, guint *counts, guint *n_records)
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
  NsCsvContext ctx = { .path = "", .data = data, .end = end, .delimiter = delimiter,
                       .decimal = decimal };
  NsCsvCursor cur;
  gboolean last = FALSE;
  guint n = 0;

  ns_csv_cursor_init (&cur, &ctx, data, end);
  if (ns_csv_cursor_next_record (&cur))
    while (!last)
      {
        NsCsvField field;

        if (!ns_csv_read_field (&cur, &field, &last, NULL))
          break;
        n += ns_csv_is_meant_number (&ctx, field.text, field.len);
      }
  ns_csv_cursor_clear (&cur);
  return n;
}

/* A tie with ',' ("1,5;2\n3,5;4" is two fields a record either way): candidate wins when the
 * first record holds more numbers split at it, with decimal commas, than split at ','. */
static gboolean
ns_csv_splits_more_numbers (const char *data, const char *end, char candidate)
{
  return ns_csv_count_numbers (data, end, candidate, ',') > ns_csv_count_numbers (data, end, ',', '.');
}

/* decimal: the decimal mark the caller gave (0 if none), which cannot be the delimiter. */
static char
ns_csv_sniff_delimiter (const char *data, const char *end, char decimal)
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
    *comma |= ns_csv_parse_with_decimal (field->text, field->len, ',', &value);
  else if (memchr (field->text, '.', field->len) != NULL)
    *point |= ns_parse_double (field->text, field->len, &value);
}

/* ',' when the records that end in the first NS_CSV_DECIMAL_SNIFF_BYTES hold a number with a
 * decimal comma and none with a decimal point; a record cut by the sample's end is not looked
 * at, as a shorter head might not hold it whole. */
static char
ns_csv_sniff_decimal (const NsCsvContext *ctx)
{
  gsize sample = MIN ((gsize) (ctx->end - ctx->data), NS_CSV_DECIMAL_SNIFF_BYTES);
  gboolean comma = FALSE, point = FALSE;
  NsCsvCursor cur;

  ns_csv_cursor_init (&cur, ctx, ctx->data, ctx->data + sample);
  while (!point && ns_csv_cursor_next_record (&cur))
    {
      gboolean record_comma = FALSE, record_point = FALSE, last = FALSE;

      while (!last)
        {
          NsCsvField field;

          if (!ns_csv_read_field (&cur, &field, &last, NULL))
            goto done;
          ns_csv_decimal_evidence (&field, &record_comma, &record_point);
        }
      if ((gsize) (cur.line_end - ctx->data) >= NS_CSV_DECIMAL_SNIFF_BYTES)
        break;
      comma |= record_comma;
      point |= record_point;
    }
done:
  ns_csv_cursor_clear (&cur);
  return comma && !point ? ',' : '.';
}

/* ---------------------------------------------------------------- first record, header, types */

typedef struct {
  GPtrArray *texts;     /* char* */
  GArray    *starts;    /* const char* */
  GArray    *kinds;     /* NsCsvKind */
  const char *next;     /* first byte after the record */
} NsCsvFirstRecord;

static void
ns_csv_first_record_clear (NsCsvFirstRecord *first)
{
  g_clear_pointer (&first->texts, g_ptr_array_unref);
  g_clear_pointer (&first->starts, g_array_unref);
  g_clear_pointer (&first->kinds, g_array_unref);
}

static gboolean
ns_csv_read_first_record (const NsCsvContext *ctx, NsCsvFirstRecord *first, GError **error)
{
  NsCsvCursor cur;
  gboolean last = FALSE, ok = TRUE;

  first->texts = g_ptr_array_new_with_free_func (g_free);
  first->starts = g_array_new (FALSE, FALSE, sizeof (const char *));
  first->kinds = g_array_new (FALSE, FALSE, sizeof (NsCsvKind));
  ns_csv_cursor_init (&cur, ctx, ctx->data, ctx->end);
  if (!ns_csv_cursor_next_record (&cur))
    {
      ns_csv_cursor_clear (&cur);
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s:1:1: expected a header or data rows, found an empty file", ctx->path);
      return FALSE;
    }
  while (ok && !last)
    {
      NsCsvField field;
      NsCsvKind kind;

      if (!(ok = ns_csv_read_field (&cur, &field, &last, error)))
        break;
      kind = ns_csv_classify (ctx, &field);
      g_ptr_array_add (first->texts, g_strndup (field.text, field.len));
      g_array_append_val (first->starts, field.start);
      g_array_append_val (first->kinds, kind);
    }
  first->next = cur.p;
  ns_csv_cursor_clear (&cur);
  return ok;
}

/* The kind of each column's first non-missing value from `from` on. Stops once every column is
 * known (usually after one record); tokenizer errors end the scan: the full parse reports them. */
static void
ns_csv_scan_kinds (const NsCsvContext *ctx, const char *from, NsCsvKind *kinds, guint n_columns)
{
  NsCsvCursor cur;
  guint unknown = 0;

  for (guint c = 0; c < n_columns; c++)
    unknown += kinds[c] == NS_CSV_UNKNOWN;
  ns_csv_cursor_init (&cur, ctx, from, ctx->end);
  while (unknown > 0 && ns_csv_cursor_next_record (&cur))
    {
      gboolean last = FALSE;

      for (guint c = 0; !last; c++)
        {
          NsCsvField field;

          if (!ns_csv_read_field (&cur, &field, &last, NULL))
            goto done;
          if (c < n_columns && kinds[c] == NS_CSV_UNKNOWN)
            {
              kinds[c] = ns_csv_classify (ctx, &field);
              unknown -= kinds[c] != NS_CSV_UNKNOWN;
            }
        }
    }
done:
  ns_csv_cursor_clear (&cur);
}

static gboolean
ns_csv_detect_header (const NsCsvFirstRecord *first, const NsCsvKind *below)
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

static char **
ns_csv_column_names (const NsCsvContext *ctx, const NsCsvFirstRecord *first, gboolean header,
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
          /* Point at the offending byte: skip an opening quote (doubled quotes before it are rare). */
          ns_csv_error (ctx, start + (bad - text) + (start[0] == '"'), error, NS_ERROR_PARSE,
                        "expected UTF-8 text in the header, found byte 0x%02x", (guint8) *bad);
          return NULL;
        }
      else
        names[c] = g_strdup (text);
      if (g_hash_table_contains (seen, names[c]))
        {
          ns_csv_error (ctx, start, error, NS_ERROR_PARSE,
                        "expected unique column names, found '%s' twice", names[c]);
          return NULL;
        }
      g_hash_table_add (seen, names[c]);
    }
  return g_steal_pointer (&names);
}

/* ---------------------------------------------------------------- the parse proper */

typedef struct {
  const NsCsvContext *ctx;
  const char  *begin;
  const char  *end;
  guint        n_columns;
  const gboolean *is_label;
  const char *const *names;
  gsize        capacity;
  gsize        n_rows;
  double     **values;      /* per column; NULL for label columns */
  gboolean     borrowed;    /* values point into columns shared by all chunks, not owned */
  GPtrArray  **labels;      /* per column; NULL for numeric columns */
  GCancellable *cancellable;
  const NsReadOptions *options; /* progress is reported by the first chunk only */
  const char  *released;    /* pages before this were given back (mapped input) */
  const char  *scanned;     /* bytes before this were checked for NUL bytes and quotes */
  gint        *quoted;      /* shared by the chunks of a split parse: a quote was seen */
  gboolean     discard_labels; /* streaming: label fields are checked, not kept */
  int          weight_column;  /* a column of sample weights (finite, >= 0), or -1 */
  GError      *error;
} NsCsvChunk;

static void
ns_csv_chunk_grow (NsCsvChunk *chunk)
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
          ns_csv_error (ctx, field->start, error, NS_ERROR_PARSE,
                        "expected UTF-8 text in column '%s', found invalid bytes", chunk->names[column]);
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

      ns_csv_error (ctx, field->start, error, NS_ERROR_PARSE,
                    isinf (value) ? "expected a number within the range of doubles in column '%s', found '%s'"
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

      if (!ns_csv_read_field (cur, &field, &last, NULL))
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
  while (start < chunk->end && ns_csv_is_blank (chunk->ctx, *start))
    start++;
  ns_csv_error (chunk->ctx, start, error, NS_ERROR_PARSE,
                "expected a sample weight (a finite number >= 0) in column '%s', found %s",
                chunk->names[column],
                isnan (weight) ? "a missing value" : ns_format_double (text, weight));
  return FALSE;
}

static gboolean
ns_csv_parse_record (NsCsvChunk *chunk, NsCsvCursor *cur, GError **error)
{
  gboolean last = FALSE;

  for (guint c = 0; c < chunk->n_columns; c++)
    {
      const char *start = cur->p;
      NsCsvField field;
      double value;

      if (last)
        {
          ns_csv_error (chunk->ctx, cur->line_end, error, NS_ERROR_PARSE,
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
      if (!ns_csv_read_field (cur, &field, &last, error) ||
          !ns_csv_store_field (chunk, c, &field, error) ||
          (!chunk->is_label[c] && !ns_csv_check_weight (chunk, c, field.start, error)))
        return FALSE;
    }
  if (!last)
    {
      const char *extra = cur->p;
      guint found = chunk->n_columns + ns_csv_count_rest (cur);

      while (extra < cur->end && ns_csv_is_blank (chunk->ctx, *extra))
        extra++;
      ns_csv_error (chunk->ctx, extra, error, NS_ERROR_PARSE,
                    "expected %u field%s, found %u", chunk->n_columns,
                    chunk->n_columns == 1 ? "" : "s", found);
      return FALSE;
    }
  return TRUE;
}

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
          ns_csv_error (chunk->ctx, nul, &chunk->error, NS_ERROR_PARSE,
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
  ns_csv_cursor_init (&cur, chunk->ctx, chunk->begin, chunk->end);
  while (ns_csv_chunk_scan_ahead (chunk, cur.p) && ns_csv_cursor_next_record (&cur))
    {
      if (chunk->n_rows == chunk->capacity)
        ns_csv_chunk_grow (chunk);
      if (!ns_csv_parse_record (chunk, &cur, &chunk->error))
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
  ns_csv_cursor_clear (&cur);
  return NULL;
}

static void
ns_csv_chunk_clear (NsCsvChunk *chunk)
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
 * itself out (ns_csv_chunk_grow). */
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
            ns_csv_chunk_clear (&chunks[j]);
          }
        ns_csv_free_shared (shared, chunks[0].n_columns);
        chunks[0].begin = bounds[0];
        chunks[0].end = bounds[n];
        chunks[0].n_rows = 0;
        return FALSE;
      }
  ns_csv_chunks_join (chunks, n, shared);
  for (guint k = 1; k < n; k++)
    ns_csv_chunk_clear (&chunks[k]);
  g_free (shared);
  return TRUE;
}

static gboolean
ns_csv_parse_rows (NsCsvChunk *chunks, guint n_threads, GError **error)
{
  if (ns_csv_parse_chunks (chunks, n_threads, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;
  /* A quote: one chunk, which reads quoted newlines as the tokenizer does. */
  return ns_csv_parse_chunks (chunks, 1, error);
}

static NsDataset *
ns_csv_build (NsCsvChunk *chunk, char **names)
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
                                     (char **) g_ptr_array_free (g_steal_pointer (&chunk->labels[c]), FALSE));
      }
  ns_dataset_count_missing (dataset);
  return dataset;
}

/* ---------------------------------------------------------------- entry point */

/* The bytes the set-up reads before the chunks (delimiter sniffing, the first record, column
 * types) hold no NUL byte. */
static gboolean
ns_csv_check_head (const NsCsvContext *ctx, const char *to, GError **error)
{
  const char *nul = memchr (ctx->data, '\0', MIN (to, ctx->end) - ctx->data);

  if (nul == NULL)
    return TRUE;
  ns_csv_error (ctx, nul, error, NS_ERROR_PARSE,
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
               "(--axis -1 or 1); to pool all its values, save it as .npy", path, axis);
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
  ctx->delimiter = options->delimiter != 0 ? options->delimiter
                                           : ns_csv_sniff_delimiter (ctx->data, ctx->end, options->decimal);
  ctx->decimal = options->decimal != 0 ? options->decimal
                 : ctx->delimiter == ',' ? '.' : ns_csv_sniff_decimal (ctx);
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
  guint       n_columns;
  gboolean   *is_label;
  char      **names;
  const char *data_start;   /* the first data record (after the header, if any) */
  const char *first_end;    /* after the first record */
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

  if (!ns_csv_read_first_record (ctx, &first, error) || !ns_csv_check_head (ctx, first.next, error))
    goto out;
  columns->n_columns = first.texts->len;
  kinds = g_new0 (NsCsvKind, columns->n_columns);
  ns_csv_scan_kinds (ctx, first.next, kinds, columns->n_columns);
  header = options->header == NS_HEADER_YES ||
           (options->header == NS_HEADER_AUTO && ns_csv_detect_header (&first, kinds));
  if ((columns->names = ns_csv_column_names (ctx, &first, header, error)) == NULL)
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
  ns_csv_first_record_clear (&first);
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
    .ctx = &ctx, .begin = columns.data_start, .end = ctx.end,
    .n_columns = columns.n_columns, .is_label = columns.is_label,
    .names = (const char *const *) columns.names,
    .cancellable = cancellable, .options = options,
    .weight_column = ns_csv_find_weight_column (&columns, options->weight_column),
  };
  if (!ns_csv_parse_rows (chunks, n_threads, error))
    goto out;
  if (chunks[0].n_rows == 0)
    {
      ns_csv_error (&ctx, columns.first_end, error, NS_ERROR_PARSE,
                    "expected data rows after the header, found none");
      goto out;
    }
  dataset = ns_csv_build (&chunks[0], columns.names);
  if (options->progress != NULL)
    options->progress (1.0, options->progress_data);

out:
  ns_csv_chunk_clear (&chunks[0]);
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

/* ---------------------------------------------------------------- streaming */

struct _NsCsvStreamParser {
  NsCsvContext ctx;         /* template: data and end are set per block */
  char        *path;
  char       **extra_missing;
  guint        n_columns;
  gboolean    *is_label;
  char       **names;
  int          weight_column; /* -1: none */
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
            break;  /* a doubled quote may continue in the next block */
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
      else if (ns_csv_is_separator (ctx, c))
        field_start = TRUE;
      else if (!ns_csv_is_blank (ctx, c) && c != '\r')
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

/* Lines as ns_csv_position counts them: '\n', or '\r' not followed by '\n'. */
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
    .ctx = &ctx, .begin = data, .end = data + len, .n_columns = self->n_columns,
    .is_label = self->is_label, .names = (const char *const *) self->names,
    .capacity = rows->capacity, .n_rows = rows->n_rows, .values = rows->values, .labels = labels,
    .discard_labels = TRUE, .weight_column = self->weight_column,
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
      ns_csv_error (&ctx, nul, error, NS_ERROR_PARSE,
                    "expected text, found a NUL byte (is this a binary file?)");
      return FALSE;
    }
  ns_csv_cursor_init (&cur, &ctx, data, data + len);
  while (ok && ns_csv_cursor_next_record (&cur))
    {
      if (chunk.n_rows == chunk.capacity)
        ns_csv_chunk_grow (&chunk);
      if ((ok = ns_csv_parse_record (&chunk, &cur, error)))
        chunk.n_rows++;
    }
  ns_csv_cursor_clear (&cur);
  rows->values = chunk.values;
  rows->capacity = chunk.capacity;
  rows->n_rows = chunk.n_rows;
  return ok;
}
