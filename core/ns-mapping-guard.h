/* ns-mapping-guard.h: reading a file mapping safely while another program may truncate or rewrite
 * the file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A page of a mapping beyond the file's end raises SIGBUS when touched: a file truncated (or
 * rewritten with `>`) while normscope reads its mapping would kill the process. While a guard is
 * alive, such a fault inside its mapping replaces the whole mapping by zero pages (the reading goes
 * on over zeros, on any thread, and stops at its own checks or its end) and marks the guard; every
 * other SIGBUS keeps its usual effect. ns_mapping_guard_check then tells whether the file stayed as
 * it was (no fault, same size and modification and change times as when the guard was made): if
 * not, whatever was read is to be thrown away.
 *
 * Chosen by measuring (README, "Bad input"): the guard costs the reading nothing (an fstat before
 * and after), while reading a 1,000,000 x 8 CSV with read() into a buffer, as standard input is,
 * took 0.49 s and 224 MiB against 0.40 s and 86 MiB mapped (fit -m robust, medians of 5).
 */
typedef struct _NsMappingGuard NsMappingGuard;

/* data, len: the whole mapping (as mmap returned it); fd: the file it maps (duplicated, so the
 * caller may close it). NULL when no guard can be made (the mapping is then read unguarded). */
NsMappingGuard *ns_mapping_guard_new (const char *path, int fd, const void *data, gsize len);
/* TRUE if the file did not change since the guard was made; else FALSE with NS_ERROR_IO
 * "PATH: the file changed while it was read", which replaces an error the reading may have set
 * already (say, a parse error on the zeros). A NULL guard passes. */
gboolean ns_mapping_guard_check (NsMappingGuard *self, GError **error);
/* Stops guarding; the mapping must still be mapped (unmap it after). */
void ns_mapping_guard_free (NsMappingGuard *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsMappingGuard, ns_mapping_guard_free)

G_END_DECLS
