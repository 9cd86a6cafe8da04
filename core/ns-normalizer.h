/* ns-normalizer.h: scikit-learn 1.2.1 Normalizer, per row and stateless.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NS_NORM_L2,
  NS_NORM_L1,
  NS_NORM_MAX,
} NsNormKind;

/* The norms' names in NsNormKind order, NULL-terminated: the one list every reader, writer and
 * option parser of a norm uses. */
extern const char *const ns_norm_kind_names[];

/* "l2", "l1" or "max"; an error listing them for any other name. */
gboolean ns_norm_kind_from_string (const char *name, NsNormKind *norm, GError **error);
const char *ns_norm_kind_to_string (NsNormKind norm);

/* The norm one row is divided by, computed in scikit-learn's (NumPy's) operation order, after
 * _handle_zeros_in_scale (a norm below 10 * DBL_EPSILON becomes 1). row holds n values, none NaN.
 */
double ns_normalizer_row_norm (NsNormKind kind, const double *row, gsize n);

G_END_DECLS
