/* ns-fit-file.h: the one fit of a data file: it picks the reading path (a .npy or CSV read in
 * place, streamed blocks, or memory) and returns the stats or the mergeable partial state.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-partial.h"
#include "ns-reader.h"
#include "ns-scaler.h"
#include "ns-stream.h"

G_BEGIN_DECLS

typedef struct {
  NsScalerOptions scaler;
  NsStreamOptions stream;     /* byte range, approximate quantiles, progress, threads */
  gboolean force_stream;      /* read in blocks even where memory would do */
  gboolean partial;           /* the mergeable state instead of stats */
  const char *const *columns; /* the numeric columns to fit (NULL-terminated), or NULL */
} NsFitFileOptions;

void ns_fit_file_options_init (NsFitFileOptions *options, NsMethod method);

/* TRUE when a fit or summary of path streams without being asked: a regular file larger than
 * NS_STREAM_THRESHOLD, unless exact quantiles are needed (robust). */
gboolean ns_fit_file_is_large (const char *path, NsMethod method);

/* Fits path. Streams when asked (force_stream, partial, a byte range, approximate quantiles) or
 * when the file is large; otherwise a fit that needs only moments reads a .npy or an uncompressed
 * CSV in place (bit-identical to memory, no columnar copy) and anything else in memory, as robust
 * always is. Robust needs exact quantiles, which a streamed fit cannot keep: refused there unless
 * stream.approx_quantiles. Returns the stats, or with options->partial sets *partial and returns
 * NULL without an error; NULL and error for anything refused. */
NsStats *ns_fit_file (const char *path, const NsReadOptions *read_options,
                      const NsFitFileOptions *options, GCancellable *cancellable,
                      NsPartial **partial, GError **error);

G_END_DECLS
