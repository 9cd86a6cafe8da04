/* ns-sklearn-rules.h: scikit-learn's small shared rules for scales, in its operation order.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* _handle_zeros_in_scale without a mask: a scale below 10 eps (not only 0) becomes 1. */
double ns_sklearn_handle_zeros_in_scale (double scale);
/* MinMaxScaler's map for a column of minimum data_min and range data_range onto [lo, hi]: as it
 * computes it, X * scale_ + min_, and as normscope's stats write it, (x - offset) / scale. */
typedef struct {
  double scale_, min_;  /* scale_ = (hi - lo) / range, min_ = lo - data_min * scale_ */
  double offset, scale; /* scale = range / (hi - lo), offset = data_min - lo * scale */
} NsSklearnMinMax;

void ns_sklearn_minmax (double data_min, double data_range, double lo, double hi,
                        NsSklearnMinMax *map);
/* _is_constant_feature: a variance within rounding of 0 for n_samples values around mean. */
gboolean ns_sklearn_is_constant_feature (double var, double mean, double n_samples);

G_END_DECLS
