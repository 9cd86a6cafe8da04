/* ns-output-guard.h: the one check, before anything is written, that no output of a command is
 * one of its inputs or another of its outputs, and that each can be written.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"

G_BEGIN_DECLS

typedef struct _NsOutputGuard NsOutputGuard;

NsOutputGuard *ns_output_guard_new (void);
/* Adds a file the command reads ("-": standard input). NULL is ignored. */
void ns_output_guard_add_input (NsOutputGuard *self, const char *path);
/* Adds a file the command writes ("-": standard output); what names it in messages ("-o",
 * "--trace"). A NULL path is ignored. */
void ns_output_guard_add_output (NsOutputGuard *self, const char *what, const char *path);
/* Files are the same when they have the same device and inode (any spelling, symbolic or hard
 * link), or, not existing yet, the same name in the same folder. Character devices (/dev/null,
 * a terminal) are never the same as anything; standard output named twice always is.
 * NS_ERROR_INVALID_ARGUMENT names the first output that is an input or an earlier output; then
 * every output gets ns_output_check_target (a folder to write into, no folder or write-protected
 * file at the target), whose error names the first that fails. */
gboolean ns_output_guard_check (const NsOutputGuard *self, GError **error);
/* The outputs as added (NULL paths left out), for the NsOutputGroup that writes them. */
guint ns_output_guard_get_n_outputs (const NsOutputGuard *self);
const char *ns_output_guard_get_output (const NsOutputGuard *self, guint index);
void ns_output_guard_free (NsOutputGuard *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsOutputGuard, ns_output_guard_free)

G_END_DECLS
