/* test-stream-helpers.h: helpers the test-stream suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "core/ns-npy-format.h"
#include "core/ns-error.h"
#include "core/ns-reader.h"
#include "core/ns-scaler.h"
#include "core/ns-fit-file.h"
#include "core/ns-stream.h"
#include "test-utils.h"

extern char *tmp_dir;
char *tmp_path (const char *name);
char *write_table (const char *name, guint rows, gboolean with_missing, guint32 seed);
NsStats *fit_in_memory (const char *path, NsMethod method, guint n_threads);
NsStats *fit_streaming (const char *path, NsMethod method, gsize block_size, guint n_threads);
void assert_stats_equal (const NsStats *a, const NsStats *b, double tolerance);
NsPartial *stream_partial (const char *path, const NsReadOptions *read, gint64 start, gint64 end,
                           GError **error);
char *write_text (const char *name, const char *text);
NsInPlaceOutcome read_in_place (const char *path, NsMethod method, gsize chunk, guint n_threads,
                                GCancellable *cancellable, NsPartial **partial, GError **error);
