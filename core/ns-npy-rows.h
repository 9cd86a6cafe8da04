/* ns-npy-rows.h: a 2-D native float64 .npy file read in place, its rows straight from the mapping.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-input.h"

G_BEGIN_DECLS

typedef struct _NsNpyRows NsNpyRows;

/* path mapped as (N, F) rows of native float64, for a consumer that reads the values in place
 * instead of a columnar copy (writing 640 MB of fresh pages costs more than a batch-norm run).
 * NULL when the file is anything else or cannot be read: ns_dataset_load then reads it, or says
 * why it cannot. While the result lives, the mapping is guarded (ns-mapping-guard.h). */
NsNpyRows *ns_npy_rows_open (const char *path, const NsReadOptions *options,
                             GCancellable *cancellable);
/* The array's shape, feature names and source, without values. */
const NsDataset *ns_npy_rows_get_dataset (const NsNpyRows *self);
/* n_samples rows of n_features values each. */
const double *ns_npy_rows_get_values (const NsNpyRows *self);
/* TRUE if the file did not change while it was read (ns_mapping_guard_check's error otherwise):
 * asked once the reading is over. */
gboolean ns_npy_rows_check (NsNpyRows *self, GError **error);
void ns_npy_rows_free (NsNpyRows *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsNpyRows, ns_npy_rows_free)

G_END_DECLS
