/* ns-csv-reader.h: the CSV reader: whole files in memory or mapped, and the streaming parser.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-input.h"

G_BEGIN_DECLS

/* On bytes already in memory (path is used in messages only). */
NsDataset *ns_csv_read (const char *path, const char *data, gsize len, const NsReadOptions *options,
                        GCancellable *cancellable, GError **error);
/* ns_csv_read on a read-only file mapping: the pages it has parsed are given back as it goes, so
 * the resident size stays near the parsed data rather than the data plus the whole file. */
NsDataset *ns_csv_read_mapped (const char *path, const char *data, gsize len,
                               const NsReadOptions *options, GCancellable *cancellable,
                               GError **error);

/* Streaming: the CSV reader's decisions (delimiter, header, names, label columns) taken once on
 * the head of the input, then any number of blocks of whole records parsed into reusable column
 * buffers. Column types come from the head alone: a column whose first value is further on is
 * numeric. */
typedef struct _NsCsvStreamParser NsCsvStreamParser;

typedef struct {
  double **values;    /* per column, g_malloc'd (grown as needed); NULL for label columns */
  gsize capacity;     /* rows each values[c] holds */
  gsize n_rows;       /* rows filled; parsing appends */
  GPtrArray **labels; /* per column, the label texts when kept (NULL: checked, not kept) */
} NsCsvRows;

/* *data_start: where the data rows begin in head (after a BOM and the header). */
NsCsvStreamParser *ns_csv_stream_parser_new (const char *path, const char *head, gsize len,
                                             const NsReadOptions *options, gsize *data_start,
                                             GError **error);
void ns_csv_stream_parser_free (NsCsvStreamParser *self);
guint ns_csv_stream_parser_get_n_columns (const NsCsvStreamParser *self);
const char *const *ns_csv_stream_parser_get_names (const NsCsvStreamParser *self);
const gboolean *ns_csv_stream_parser_get_is_label (const NsCsvStreamParser *self);
/* The numeric column `column` holds sample weights: a parse refuses a value that is not finite
 * and >= 0, naming its line and column (or byte) as for any bad field. */
void ns_csv_stream_parser_set_weight_column (NsCsvStreamParser *self, guint column);
/* The column set above, or -1. */
int ns_csv_stream_parser_get_weight_column (const NsCsvStreamParser *self);
/* Length of the whole records at the start of data[0..len) (all of it at the end of the input);
 * *quoted_newline tells whether a quoted field in them holds a line break. */
gsize ns_csv_stream_parser_cut (const NsCsvStreamParser *self, const char *data, gsize len,
                                gboolean at_eof, gboolean *quoted_newline);
/* Parses whole records, appending to rows. Messages count lines from line_base, or give byte
 * offsets from byte_base when it is >= 0. */
gboolean ns_csv_stream_parser_parse (const NsCsvStreamParser *self, const char *data, gsize len,
                                     guint64 line_base, gint64 byte_base, NsCsvRows *rows,
                                     GError **error);
/* The end of the last whole line of data[0, len) outside quotes (len at the end of the input). */
gsize ns_csv_head_cut (const char *data, gsize len, gboolean at_eof);
/* Line ends in data, counted as messages count them. */
guint64 ns_csv_count_lines (const char *data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsCsvStreamParser, ns_csv_stream_parser_free)

G_END_DECLS
