/* ns-output.h: safe output files: written to a temporary file beside the target, then renamed, so a
 * failure never leaves a partial file and never touches an existing one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"
#include "ns-format-double.h"

G_BEGIN_DECLS

typedef struct _NsOutput NsOutput;

/* Opens PATH for writing. A regular file (or a new one) is written atomically; a character device
 * or FIFO (e.g. /dev/stdout, /dev/full) is written directly. "-" means standard output. When
 * SIGINT, SIGTERM or SIGHUP ends the process, the temporary file is unlinked first (unless the
 * program handles or ignores that signal itself). */
NsOutput *ns_output_open     (const char *path, GError **error);
gboolean  ns_output_write    (NsOutput *self, const void *data, gsize len, GError **error);
gboolean  ns_output_printf   (NsOutput *self, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Flushes, syncs and renames into place; frees self in every case. */
gboolean  ns_output_commit   (NsOutput *self, GError **error);
/* Discards everything written; frees self. NULL is allowed. */
void      ns_output_abort    (NsOutput *self);

/* One-shot: write a whole buffer to PATH atomically. */
gboolean  ns_output_write_file (const char *path, const void *data, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsOutput, ns_output_abort)


G_END_DECLS
