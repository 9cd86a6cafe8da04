/* ns-npy-writer.h: writing a dataset as NumPy .npy.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"

G_BEGIN_DECLS

/* Writes a transform output, restoring the tensor's original shape as float64. */
gboolean ns_npy_write (const NsDataset *data, const char *path, GError **error);
/* As ns_npy_write, as float32 ("<f4", each value rounded to nearest) when float32 is set. */
gboolean ns_npy_write_as (const NsDataset *data, const char *path, gboolean float32,
                          GError **error);
/* As ns_npy_write_as, the values converted and written by n_threads threads (0: the cores); the
 * bytes are the same for any number. */
gboolean ns_npy_write_threaded (const NsDataset *data, const char *path, gboolean float32,
                                guint n_threads, GError **error);

G_END_DECLS
