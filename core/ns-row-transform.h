/* ns-row-transform.h: a stats file's transform of a table applied block by block, for rows that
 * are parsed a chunk at a time and never held as whole columns.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-dataset.h"
#include "ns-stats.h"

G_BEGIN_DECLS

typedef struct _NsRowTransform NsRowTransform;

/* The transform ns_stats_transform_in_place applies to a table with schema's columns (names and
 * kinds; its rows are not read). NULL and error where that transform refuses the columns or the
 * stats before it looks at a value. */
NsRowTransform *ns_row_transform_new (const NsStats *stats, const NsDataset *schema,
                                      NsTransformFlags flags, GError **error);
void ns_row_transform_free (NsRowTransform *self);
/* Transforms n_rows rows in place: values[c] per column of the schema (NULL for labels), the bits
 * ns_stats_transform_in_place gives them. FALSE where that transform refuses a value (Box-Cox
 * outside its domain, a missing value for the normalizer); error says which, without its place:
 * the in-memory transform words the refusal. */
gboolean ns_row_transform_apply (const NsRowTransform *self, double *const *values, gsize n_rows,
                                 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsRowTransform, ns_row_transform_free)

G_END_DECLS
