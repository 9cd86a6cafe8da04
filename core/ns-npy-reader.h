/* ns-npy-reader.h: the NumPy .npy reader, on bytes in memory or mapped.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-input.h"

G_BEGIN_DECLS

/* On bytes already in memory (path is used in messages only). */
NsDataset *ns_npy_read (const char *path, const guint8 *data, gsize len,
                        const NsReadOptions *options, GCancellable *cancellable, GError **error);
/* ns_npy_read on a read-only file mapping: converted pages are given back as for CSV. */
NsDataset *ns_npy_read_mapped (const char *path, const guint8 *data, gsize len,
                               const NsReadOptions *options, GCancellable *cancellable,
                               GError **error);

G_END_DECLS
