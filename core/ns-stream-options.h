/* ns-stream-options.h: how a fit in blocks or in place reads: chunk size, threads, byte range,
 * progress. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_STREAM_BLOCK_SIZE (4 << 20)

/* rows and bytes read so far; total_bytes is the file's size (-1 if unknown). */
typedef void (*NsStreamProgressFunc) (guint64 rows, guint64 bytes, gint64 total_bytes,
                                      gpointer user_data);

typedef struct {
  gsize block_size;          /* 0: NS_STREAM_BLOCK_SIZE */
  guint n_threads;           /* parsing threads; 0: the cores, at most 4 */
  gint64 range_start;        /* -1: the whole file. Otherwise the Hadoop split rule: the rows */
  gint64 range_end;          /* whose line starts in [range_start, range_end) */
  gboolean approx_quantiles; /* keep a quantile sketch per feature (needed for robust) */
  NsStreamProgressFunc progress;
  gpointer progress_data;
} NsStreamOptions;

void ns_stream_options_init (NsStreamOptions *options);

G_END_DECLS
