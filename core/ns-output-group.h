/* ns-output-group.h: the outputs of one command, put in place together. Every file is written to
 * its temporary file first; only when all of them are finished are they put in place, and if any
 * write fails none is: every file the command would have replaced keeps its bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"
#include "ns-output-guard.h"

G_BEGIN_DECLS

typedef struct _NsOutputGroup NsOutputGroup;

/* Checks guard (ns_output_guard_check: no output over an input or another output, every target
 * writable), then holds each of its outputs that is a file: until ns_output_group_commit, the
 * ns_output_commit of an output opened for that path (spelled as given to the guard) keeps the
 * finished file aside. Standard output, devices and FIFOs (ns_output_is_direct) are written
 * directly: write them after the files and before the commit, so that a failure there still
 * leaves every file as it was; they cannot take back what they were sent if putting the files in
 * place fails after them. NULL and the guard's error when it refuses. */
NsOutputGroup *ns_output_group_new (const NsOutputGuard *guard, GError **error);
/* Puts every finished file in place (exchanged with the file it replaces, whose old bytes are
 * then unlinked; renamed where there is none). If one cannot be, those already in place are put
 * back and NS_ERROR_IO names it. Free the group after, in either case. */
gboolean ns_output_group_commit (NsOutputGroup *self, GError **error);
/* Unlinks every finished file not put in place: the targets keep their old bytes. */
void ns_output_group_free (NsOutputGroup *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsOutputGroup, ns_output_group_free)

G_END_DECLS
