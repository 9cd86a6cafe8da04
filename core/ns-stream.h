/* ns-stream.h: fits that read a CSV file (or .csv.gz) in blocks and never hold the dataset, and
 * fits of one byte range of a file, both giving mergeable partial statistics.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-partial.h"
#include "ns-reader.h"
#include "ns-scaler.h"
#include "ns-stream-options.h"
#include "ns-stream-in-place.h"

G_BEGIN_DECLS

/* Files larger than this are fitted by streaming (fit --stream forces it for any size): the
 * in-memory reader would need about as much memory as the parsed values, 8 bytes per field. */
#define NS_STREAM_THRESHOLD (G_GUINT64_CONSTANT (2) << 30)
/* Reads path (CSV or gzip-compressed CSV; a byte range needs an uncompressed file) with the CSV
 * reader's rules, in place where ns_stream_read_in_place can, in blocks otherwise. Column types
 * are decided on the first block, except for a whole file read in place. Memory stays below 64 MB
 * for any file size and up to 1,000 columns. The moments equal those of the in-memory fit bit for
 * bit (same 2048-value blocks in the same order). */
NsPartial *ns_stream_read (const char *path, const NsReadOptions *read_options,
                           const NsScalerOptions *scaler_options, const NsStreamOptions *options,
                           GCancellable *cancellable, GError **error);

/* ns_stream_read, then the stats file `fit` writes. robust without approx_quantiles is refused. */
NsStats *ns_stream_fit (const char *path, const NsReadOptions *read_options,
                        const NsScalerOptions *scaler_options, const NsStreamOptions *options,
                        GCancellable *cancellable, GError **error);

G_END_DECLS
