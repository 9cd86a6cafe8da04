/* ns-stream-in-place.h: the fit of a mapped, uncompressed CSV file (or a byte range of it) in
 * chunks fed in file order, and those chunks for other consumers (the streamed transform).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-csv-reader.h"
#include "ns-input.h"
#include "ns-mapping-guard.h"
#include "ns-partial.h"
#include "ns-scaler.h"
#include "ns-stream-options.h"

G_BEGIN_DECLS

typedef enum {
  NS_IN_PLACE_DONE,
  NS_IN_PLACE_NOT_APPLICABLE, /* not such a file: read it another way (no error set) */
  NS_IN_PLACE_FAILED,         /* bad input: error says where and what was expected */
  NS_IN_PLACE_CANCELLED,
} NsInPlaceOutcome;

/* The fast path of fits that need only moments: an uncompressed CSV file, or a byte range of it,
 * is mapped and parsed in chunks on n_threads threads (0: the cores; block_size sets the chunk
 * size), and the chunks are fed to the moments in file order. The moments are those of the
 * in-memory fit bit for bit, in memory of a few chunks instead of the parsed columns. A whole file
 * is decided on (delimiter, header, column types) as the in-memory reader decides, a byte range
 * as reading in blocks does. *partial is set on NS_IN_PLACE_DONE. NS_IN_PLACE_NOT_APPLICABLE,
 * with no error, for standard input, non-regular or empty files, gzip data, a line break inside a
 * quoted field (chunks are cut at line starts) and no data rows: read those in blocks or in
 * memory. */
NsInPlaceOutcome ns_stream_read_in_place (const char *path, const NsReadOptions *read_options,
                                          const NsScalerOptions *scaler_options,
                                          const NsStreamOptions *options, GCancellable *cancellable,
                                          NsPartial **partial, GError **error);

/* A mapped file's chunks, parsed on several threads and handed on in file order: what the fit
 * in place and the streamed transform (ns-transform-stream) share. */

/* A chunk's parsed rows. slot (below ns_stream_chunks_n_slots) names the buffers the chunk has
 * until it is handed on; FALSE and error stop the read. */
typedef gboolean (*NsStreamChunkFunc) (guint slot, NsCsvRows *rows, gpointer user_data,
                                       GError **error);

typedef struct {
  const char *path;
  const char *data; /* the mapping */
  gsize len;
  const NsCsvStreamParser *parser;
  gsize data_start; /* after the BOM and the header */
  gboolean split;   /* a byte range (options->range_start): messages give byte offsets */
  gsize chunk_size; /* 0: a default that keeps a chunk's values in the L2 cache */
  guint n_threads;  /* > 0 */
  gboolean keep_labels;
  NsStreamChunkFunc parsed; /* on the parsing thread, several at once; may be NULL */
  NsStreamChunkFunc ready;  /* in file order, one at a time */
  gpointer user_data;
  const NsStreamOptions *options; /* progress and the byte range; may be NULL */
  GCancellable *cancellable;
} NsStreamChunks;

guint ns_stream_chunks_n_slots (guint n_threads);
/* Runs the chunks of run; *n_rows counts the rows handed on. NS_IN_PLACE_NOT_APPLICABLE for a
 * line break inside a quoted field, NS_IN_PLACE_FAILED with the first error in file order (a
 * parse error names its line and column). */
NsInPlaceOutcome ns_stream_chunks_run (const NsStreamChunks *run, guint64 *n_rows, GError **error);
/* A non-empty regular file's mapping and its guard, or NULL. */
GMappedFile *ns_stream_map_file (const char *path, NsMappingGuard **guard);

G_END_DECLS
