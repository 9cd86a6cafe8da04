/* ns-sklearn-rules.c: scikit-learn's small shared rules for scales.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-sklearn-rules.h"

#include <float.h>

double
ns_sklearn_handle_zeros_in_scale (double scale)
{
  return scale < 10 * DBL_EPSILON ? 1.0 : scale;
}

void
ns_sklearn_minmax (double data_min, double data_range, double lo, double hi, NsSklearnMinMax *map)
{
  double range = ns_sklearn_handle_zeros_in_scale (data_range);

  map->scale_ = (hi - lo) / range;
  map->min_ = lo - data_min * map->scale_;
  map->scale = range / (hi - lo);
  map->offset = data_min - lo * map->scale;
}

gboolean
ns_sklearn_is_constant_feature (double var, double mean, double n_samples)
{
  double upper_bound = n_samples * DBL_EPSILON * var +
                       (n_samples * mean * DBL_EPSILON) * (n_samples * mean * DBL_EPSILON);

  return var <= upper_bound;
}
