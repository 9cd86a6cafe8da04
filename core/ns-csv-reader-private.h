/* ns-csv-reader-private.h: what the CSV tokenizer, sniffer, parallel parse and entry points share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-csv-reader.h"

G_BEGIN_DECLS

#define NS_CSV_SNIFF_RECORDS 20
#define NS_CSV_SNIFF_BYTES (64 * 1024)
#define NS_CSV_CHUNK_MIN (1024 * 1024)
#define NS_CSV_CHECK_ROWS 0x3fff
#define NS_CSV_QUOTE_MAX 40
#define NS_CSV_SCAN_BLOCK (1024 * 1024)
/* Every reading path's head holds the whole records that end in this many bytes (its head is
 * at least NS_STREAM_HEAD_MIN, cut after a whole record), so they decide the decimal mark alike. */
#define NS_CSV_DECIMAL_SNIFF_BYTES (32 * 1024)
#define NS_CSV_NUMBER_MAX 128 /* longer decimal-comma fields are copied to the heap */

typedef enum {
  NS_CSV_UNKNOWN, /* missing: says nothing about the column's type */
  NS_CSV_NUMBER,
  NS_CSV_TEXT,
} NsCsvKind;

typedef struct {
  const char *path;
  const char *data; /* after the BOM: positions in messages count from here */
  const char *end;
  char delimiter; /* ' ': runs of blanks */
  char decimal;   /* '.' or ',' */
  char *const *extra_missing;
  gboolean mapped;          /* data is a read-only file mapping: parsed pages may be released */
  gboolean general_numbers; /* numbers take the general path: a missing marker reads as a
                             * number (-999), or the decimal mark is ',' */
  guint64 line_base;        /* lines before data (streamed blocks) */
  gboolean byte_positions;  /* messages give byte offsets (a byte range: lines are unknown) */
  guint64 byte_base;        /* file offset of data */
} NsCsvContext;

typedef struct {
  const NsCsvContext *ctx;
  const char *p;
  const char *end;
  const char *line_end; /* where the last record ended (its line terminator), for messages */
  GString *scratch;     /* unescaped text of quoted fields with "" */
} NsCsvCursor;

typedef struct {
  const char *start; /* first byte of the field (after blanks), for messages */
  const char *text;  /* into the buffer, or into the cursor's scratch */
  gsize len;
} NsCsvField;

typedef struct {
  GPtrArray *texts; /* char* */
  GArray *starts;   /* const char* */
  GArray *kinds;    /* NsCsvKind */
  const char *next; /* first byte after the record */
} NsCsvFirstRecord;

typedef struct {
  const NsCsvContext *ctx;
  const char *begin;
  const char *end;
  guint n_columns;
  const gboolean *is_label;
  const char *const *names;
  gsize capacity;
  gsize n_rows;
  double **values;    /* per column; NULL for label columns */
  gboolean borrowed;  /* values point into columns shared by all chunks, not owned */
  GPtrArray **labels; /* per column; NULL for numeric columns */
  GCancellable *cancellable;
  const NsReadOptions *options; /* progress is reported by the first chunk only */
  const char *released;         /* pages before this were given back (mapped input) */
  const char *scanned;          /* bytes before this were checked for NUL bytes and quotes */
  gint *quoted;                 /* shared by the chunks of a split parse: a quote was seen */
  gboolean discard_labels;      /* streaming: label fields are checked, not kept */
  int weight_column;            /* a column of sample weights (finite, >= 0), or -1 */
  GError *error;
} NsCsvChunk;

static inline gboolean
_ns_csv_is_blank (const NsCsvContext *ctx, char c)
{
  return c == ' ' || (c == '\t' && ctx->delimiter != '\t');
}

static inline gboolean
_ns_csv_is_separator (const NsCsvContext *ctx, char c)
{
  return ctx->delimiter == ' ' ? (c == ' ' || c == '\t') : c == ctx->delimiter;
}

void _ns_csv_position (const NsCsvContext *ctx, const char *at, guint *line, guint *column);
void _ns_csv_error (const NsCsvContext *ctx, const char *at, GError **error, NsErrorCode code,
                    const char *format, ...) G_GNUC_PRINTF (5, 6);
void _ns_csv_cursor_init (NsCsvCursor *cur, const NsCsvContext *ctx, const char *begin,
                          const char *end);
void _ns_csv_cursor_clear (NsCsvCursor *cur);
/* Skips blank lines; FALSE when no record is left. */
gboolean _ns_csv_cursor_next_record (NsCsvCursor *cur);
/* Reads the field at cur->p; *last is set when it ends its record. */
gboolean _ns_csv_read_field (NsCsvCursor *cur, NsCsvField *field, gboolean *last, GError **error);
/* A number written with the decimal mark `decimal`: a ',' becomes '.' for the exact parser, and
 * a '.' then makes it no number, so "1.5" in a decimal-comma file is never 1.5 nor 15. */
gboolean _ns_csv_parse_with_decimal (const char *text, gsize len, char decimal, double *value);
/* A number, or a finite literal beyond the double range (meant as a number: the parse says so). */
gboolean _ns_csv_is_meant_number (const NsCsvContext *ctx, const char *text, gsize len);
/* Text that is not a number here but that C's strtod (in the C or a decimal-comma locale) or
 * Python's float() reads as one: the other decimal mark ("1,5" in a '.' file, "1.5" in a ','
 * file), a hex float, an out-of-range start ("1e999x"), blanks inside quotes (" 1.5"), digits of
 * another script ("١"). Such a first value is a mistyped number, not a label. Hex integers
 * (0xff) and dates (2024-01-05, 05.01.2024) are not number-like: they are usually ids and text. */
gboolean _ns_csv_is_number_like (const NsCsvContext *ctx, const char *text, gsize len);
NsCsvKind _ns_csv_classify (const NsCsvContext *ctx, const NsCsvField *field);
/* decimal: the decimal mark the caller gave (0 if none), which cannot be the delimiter. */
char _ns_csv_sniff_delimiter (const char *data, const char *end, char decimal);
/* ',' when the records that end in the first NS_CSV_DECIMAL_SNIFF_BYTES hold a number with a
 * decimal comma and none with a decimal point; a record cut by the sample's end is not looked
 * at, as a shorter head might not hold it whole. */
char _ns_csv_sniff_decimal (const NsCsvContext *ctx);
void _ns_csv_first_record_clear (NsCsvFirstRecord *first);
gboolean _ns_csv_read_first_record (const NsCsvContext *ctx, NsCsvFirstRecord *first,
                                    GError **error);
/* The kind of each column's first non-missing value from `from` on. Stops once every column is
 * known (usually after one record); tokenizer errors end the scan: the full parse reports them. */
void _ns_csv_scan_kinds (const NsCsvContext *ctx, const char *from, NsCsvKind *kinds,
                         guint n_columns);
gboolean _ns_csv_detect_header (const NsCsvFirstRecord *first, const NsCsvKind *below);
char **_ns_csv_column_names (const NsCsvContext *ctx, const NsCsvFirstRecord *first,
                             gboolean header, GError **error);
void _ns_csv_chunk_grow (NsCsvChunk *chunk);
gboolean _ns_csv_parse_record (NsCsvChunk *chunk, NsCsvCursor *cur, GError **error);
void _ns_csv_chunk_clear (NsCsvChunk *chunk);
gboolean _ns_csv_parse_rows (NsCsvChunk *chunks, guint n_threads, GError **error);
NsDataset *_ns_csv_build (NsCsvChunk *chunk, char **names);

G_END_DECLS
