/* ns-stream.h: fits that read a CSV file (or .csv.gz) in blocks and never hold the dataset, and
 * fits of one byte range of a file, both giving mergeable partial statistics.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-partial.h"
#include "ns-reader.h"
#include "ns-scaler.h"

G_BEGIN_DECLS

/* Files larger than this are fitted by streaming (fit --stream forces it for any size): the
 * in-memory reader would need about as much memory as the parsed values, 8 bytes per field. */
#define NS_STREAM_THRESHOLD (G_GUINT64_CONSTANT (2) << 30)
#define NS_STREAM_BLOCK_SIZE (4 << 20)

/* rows and bytes read so far; total_bytes is the file's size (-1 if unknown). */
typedef void (*NsStreamProgressFunc) (guint64 rows, guint64 bytes, gint64 total_bytes,
                                      gpointer user_data);

typedef struct {
  gsize    block_size;        /* 0: NS_STREAM_BLOCK_SIZE */
  guint    n_threads;         /* parsing threads; 0: the cores, at most 4 */
  gint64   range_start;       /* -1: the whole file. Otherwise the Hadoop split rule: the rows */
  gint64   range_end;         /* whose line starts in [range_start, range_end) */
  gboolean approx_quantiles;  /* keep a quantile sketch per feature (needed for robust) */
  NsStreamProgressFunc progress;
  gpointer progress_data;
} NsStreamOptions;

void       ns_stream_options_init (NsStreamOptions *options);

/* Reads path (CSV or gzip-compressed CSV; a byte range needs an uncompressed file) with the CSV
 * reader's rules, in place where ns_stream_read_in_place can, in blocks otherwise. Column types
 * are decided on the first block, except for a whole file read in place. Memory stays below 64 MB
 * for any file size and up to 1,000 columns. The moments equal those of the in-memory fit bit for bit
 * (same 2048-value blocks in the same order). */
NsPartial *ns_stream_read         (const char *path, const NsReadOptions *read_options,
                                   const NsScalerOptions *scaler_options,
                                   const NsStreamOptions *options, GCancellable *cancellable,
                                   GError **error);

typedef enum {
  NS_IN_PLACE_DONE,
  NS_IN_PLACE_NOT_APPLICABLE,  /* not such a file: read it another way (no error set) */
  NS_IN_PLACE_FAILED,          /* bad input: error says where and what was expected */
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
                                          const NsStreamOptions *options,
                                          GCancellable *cancellable, NsPartial **partial,
                                          GError **error);

/* ns_stream_read, then the stats file `fit` writes. robust without approx_quantiles is refused. */
NsStats   *ns_stream_fit          (const char *path, const NsReadOptions *read_options,
                                   const NsScalerOptions *scaler_options,
                                   const NsStreamOptions *options, GCancellable *cancellable,
                                   GError **error);

G_END_DECLS
