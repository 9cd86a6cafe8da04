/* ns-file-hash.h: the sha256 a stats file records for its source, hashed beside the reading and
 * remembered per version of a large file in the user's cache directory.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whole files at least this large have their hash remembered (smaller ones hash in < 10 ms). */
#define NS_FILE_HASH_CACHE_MIN_BYTES (G_GINT64_CONSTANT (16) << 20)
/* Remembered hashes not used for this long are removed when a new one is stored. */
#define NS_FILE_HASH_CACHE_MAX_AGE_DAYS 90

typedef struct _NsFileHash NsFileHash;

/* Starts hashing path's bytes [start, end) (end < 0: to the end of the file). bytes, when given,
 * are the whole file already in memory (release_mapped: a read-only mapping whose pages are given
 * back once hashed); otherwise the file is read. With background, large inputs are hashed on a
 * thread, so the caller's reading overlaps with it; without (a caller held to one thread), the
 * hash is taken here. A whole regular file whose size, inode, modification and
 * change times match a remembered hash is not read again, the way git's index trusts stat data.
 * path "-" (standard input) needs bytes. */
NsFileHash *ns_file_hash_start (const char *path, GBytes *bytes, gboolean release_mapped,
                                gint64 start, gint64 end, gboolean background,
                                GCancellable *cancellable);
/* Waits for the hash and frees self: the lower-case hex digest, or NULL when the file could not
 * be read. A freshly hashed large file that did not change meanwhile is remembered. */
char *ns_file_hash_finish (NsFileHash *self);

G_END_DECLS
