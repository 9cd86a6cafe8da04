/* ns-batchnorm-order.h: a user's own training order for the batch-norm simulator (--order FILE):
 * each epoch's row indices, read from a text file or an integer .npy of shape (epochs, N).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"

G_BEGIN_DECLS

/*
 * Every epoch is a permutation of the N rows, as a DataLoader with shuffle=True (RandomSampler
 * without replacement) visits them; samplers that repeat or skip rows are refused.
 *   text  one row index (0 to N - 1, decimal) per line, N lines per epoch, epoch after epoch;
 *         blank lines (e.g. between epochs) are skipped, spaces around an index are allowed.
 *   .npy  (recognised by its magic) an integer array of shape (epochs, N), any byte order or
 *         memory order, read by the project's .npy reader.
 * Errors (NS_ERROR_PARSE) name the file and the line and column, or the element [epoch, i].
 */
typedef struct _NsBatchNormOrder NsBatchNormOrder;

/* The order in path for a dataset of n_rows rows (n_rows >= 1). */
NsBatchNormOrder *ns_batchnorm_order_load (const char *path, gsize n_rows, GError **error);
void ns_batchnorm_order_free (NsBatchNormOrder *self);

const char *ns_batchnorm_order_get_path (const NsBatchNormOrder *self);
gsize ns_batchnorm_order_get_n_rows (const NsBatchNormOrder *self);
guint ns_batchnorm_order_get_n_epochs (const NsBatchNormOrder *self);
/* The n_rows row indices of epoch (1-based). */
const gsize *ns_batchnorm_order_get_epoch (const NsBatchNormOrder *self, guint epoch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsBatchNormOrder, ns_batchnorm_order_free)

G_END_DECLS
