/* ns-sklearn-rules.c: scikit-learn's small shared rules for scales.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-sklearn-rules.h"

#include <float.h>

double
ns_sklearn_handle_zeros_in_scale (double scale)
{
  return scale < 10 * DBL_EPSILON ? 1.0 : scale;
}

gboolean
ns_sklearn_is_constant_feature (double var, double mean, double n_samples)
{
  double upper_bound = n_samples * DBL_EPSILON * var +
                       (n_samples * mean * DBL_EPSILON) * (n_samples * mean * DBL_EPSILON);

  return var <= upper_bound;
}
