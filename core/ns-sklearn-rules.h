/* ns-sklearn-rules.h: scikit-learn's small shared rules for scales, in its operation order.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* _handle_zeros_in_scale without a mask: a scale below 10 eps (not only 0) becomes 1. */
double ns_sklearn_handle_zeros_in_scale (double scale);
/* _is_constant_feature: a variance within rounding of 0 for n_samples values around mean. */
gboolean ns_sklearn_is_constant_feature (double var, double mean, double n_samples);

G_END_DECLS
