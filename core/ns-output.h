/* ns-output.h: safe output files: written to a temporary file beside the target, then exchanged
 * with the old file (or renamed where there is none), so a failure never leaves a partial file and
 * never touches an existing one. The step is atomic: the target is always the old file or the
 * whole new one. The new file is not fsync'd (as np.save, torch.save and cp do not): after a power
 * loss it may be missing its newest writes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"
#include "ns-format-double.h"

G_BEGIN_DECLS

typedef struct _NsOutput NsOutput;

/* Whether ns_output_open writes PATH directly, not through a temporary file: standard output ("-")
 * and an existing file that is neither a regular file nor a folder (a device, a FIFO). */
gboolean ns_output_is_direct (const char *path);
/* The checks ns_output_open makes before it creates anything, for a command to make them on every
 * output before it writes any: a name, no folder at PATH, an existing folder to write into, and
 * no write-protected file to replace (one with no write permission bit for anyone, which rm asks
 * about before removing; decided from the mode, so root is refused too). NS_ERROR_IO or
 * NS_ERROR_INVALID_ARGUMENT, the message starting with PATH. */
gboolean ns_output_check_target (const char *path, GError **error);

/* Opens PATH for writing after ns_output_check_target. A regular file (or a new one) is written
 * atomically, and a file it replaces gives it its permission bits; a character device or FIFO
 * (e.g. /dev/stdout, /dev/full) is written directly. "-" means standard output. When SIGINT,
 * SIGTERM or SIGHUP ends the process, the temporary file is unlinked first (unless the program
 * handles or ignores that signal itself). */
NsOutput *ns_output_open (const char *path, GError **error);
gboolean ns_output_write (NsOutput *self, const void *data, gsize len, GError **error);
gboolean ns_output_printf (NsOutput *self, GError **error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
/* Makes block index of a block write: fills scratch (block_size bytes) or returns where the block's
 * len bytes already are. Called from several threads at once, each with its own scratch. */
typedef const void *(*NsOutputBlockFunc) (gsize index, gsize len, guint8 *scratch, gpointer data);

/* Writes total bytes after what was written so far, as blocks of block_size bytes (the last one
 * shorter) that fill makes. A temporary file's blocks are made by n_threads threads (0: the
 * cores) and written at their offsets, one write at a time; standard output's, a pipe's or a
 * device's by one thread in order. The first error stops the others; it names the target as
 * ns_output_write's. */
gboolean ns_output_write_blocks (NsOutput *self, gsize total, gsize block_size,
                                 NsOutputBlockFunc fill, gpointer data, guint n_threads,
                                 GError **error);
/* Flushes and renames into place; frees self in every case. While an NsOutputGroup holds the
 * target (ns-output-group.h), the finished file is handed to the group instead, which puts it in
 * place with the group's other files. */
gboolean ns_output_commit (NsOutput *self, GError **error);
/* Discards everything written; frees self. NULL is allowed. */
void ns_output_abort (NsOutput *self);

/* One-shot: write a whole buffer to PATH atomically. */
gboolean ns_output_write_file (const char *path, const void *data, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsOutput, ns_output_abort)

G_END_DECLS
