/* ns-stream-in-place.h: the fit of a mapped, uncompressed CSV file (or a byte range of it) in
 * chunks fed in file order. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-input.h"
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

G_END_DECLS
