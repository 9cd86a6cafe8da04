/* ns-csv-writer.h: writing a dataset as CSV, and the one CSV field quoter.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"

G_BEGIN_DECLS

/* text as one CSV field, quoted (RFC 4180) when a reader would otherwise split, trim or misread
 * it: the one CSV quoter (transform, the stats CSV export, the batch-norm trace). */
void ns_csv_append_field (GString *out, const char *text, char delimiter);
/* The header line of a transform output, and one data row: values[c][row] for a numeric column,
 * labels[c] where values[c] is NULL; a missing value (NaN) is an empty field. ns_csv_write and the
 * streamed transform write with these two. */
void ns_csv_append_header (GString *out, const char *const *names, guint n_columns, char delimiter);
void ns_csv_append_row (GString *out, guint n_columns, const double *const *values,
                        const char *const *labels, gsize row, char delimiter);
/* Writes a transform output: keeps the header and label columns in order and writes every double
 * exactly, formatting on n_threads threads (0: every core; the same bytes for any number). */
gboolean ns_csv_write (const NsDataset *data, const char *path, char delimiter, guint n_threads,
                       GError **error);

G_END_DECLS
