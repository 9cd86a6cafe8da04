/* ns-output-private.h: what ns-output-group.c needs of ns-output.c: targets whose finished files
 * wait to be put in place together, and the steps of putting one in place that can be undone.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include "ns-output.h"

G_BEGIN_DECLS

/* From now until ns_output_release (finished), ns_output_commit of a temporary-file output opened
 * for path (spelled the same) closes its finished file and stores it in *finished (discarding one
 * stored before) instead of putting it in place. finished must stay valid until then. */
void ns_output_hold (const char *path, NsOutput **finished);
/* Stops holding; *finished stays the caller's. */
void ns_output_release (NsOutput **finished);

/* Puts a finished output at its target: exchanged with the file there, which then waits under
 * the temporary name until ns_output_finish_placed unlinks it, or renamed where there is none.
 * NS_ERROR_IO names the target. */
gboolean ns_output_place (NsOutput *self, GError **error);
/* Undoes ns_output_place: the old file back at the target and the new one under its temporary
 * name (ns_output_abort then unlinks it). Without RENAME_EXCHANGE a renamed file replaced the old
 * one for good and stays. */
void ns_output_unplace (NsOutput *self);
/* After ns_output_place: unlinks the old file and frees self. */
void ns_output_finish_placed (NsOutput *self);

/* Blocks SIGINT, SIGTERM and SIGHUP in this thread (old gets the previous mask), so that putting
 * files in place is not cut short between two of them. */
void ns_output_block_cleanup_signals (sigset_t *old);

G_END_DECLS
