/* ns-power.h: scikit-learn 1.2.1 PowerTransformer (Yeo-Johnson, Box-Cox) for one column, with
 * lambda found by a literal port of SciPy 1.10.1's bracket + Brent, bit for bit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"

G_BEGIN_DECLS

typedef enum {
  NS_POWER_YEO_JOHNSON,
  NS_POWER_BOX_COX,
} NsPowerKind;

/* One fitted column: lambdas_[j] and the internal StandardScaler's state on the transformed column
 * (_scaler.mean_, var_, scale_; 0, 0 and 1 without standardization). */
typedef struct {
  double lambda;
  double mean, variance, scale;
  gsize count; /* values that are not NaN (the scaler's n_samples_seen_ for the column) */
} NsPowerColumn;

/* Fits values[0..n) (NaN ignored; infinities are the caller's to refuse) as
 * PowerTransformer(method, standardize).fit does on a C-ordered matrix, whose standardizer sums
 * each column row by row; one_feature: a one-column matrix, which NumPy sums as a 1-D array. Errors
 * (NS_ERROR_INVALID_ARGUMENT) where scikit-learn raises: Box-Cox on a constant column, on no
 * values, or on a value <= 0 (index in *bad_index when not NULL, else G_MAXSIZE). The message does
 * not name the column; the caller prefixes it. */
gboolean ns_power_fit_column (NsPowerKind kind, gboolean standardize, gboolean one_feature,
                              const double *values, gsize n, NsPowerColumn *column,
                              gsize *bad_index, GError **error);
/* The whole transform in place: power step then (t - mean) / scale; inverse: t * scale + mean then
 * the inverse power step. NaN stays NaN. */
void ns_power_transform_values (NsPowerKind kind, const NsPowerColumn *column, gboolean inverse,
                                double *values, gsize n);
/* Index of the first value <= 0 (NaN skipped), or G_MAXSIZE. */
gsize ns_power_first_nonpositive (const double *values, gsize n);

G_END_DECLS
