/* ns-reader-private.h: what the loader and the readers share beyond the public reader API.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-reader.h"

G_BEGIN_DECLS

/* ns_csv_read on a read-only file mapping: the pages it has parsed are given back as it goes, so
 * the resident size stays near the parsed data rather than the data plus the whole file. */
NsDataset *ns_csv_read_mapped       (const char *path, const char *data, gsize len,
                                     const NsReadOptions *options, GCancellable *cancellable,
                                     GError **error);

/* Drops the whole pages of [from, to) of a read-only file mapping from the resident set; touching
 * them again re-reads them from the page cache. */
void       ns_release_mapped_pages  (const void *from, const void *to);

G_END_DECLS
