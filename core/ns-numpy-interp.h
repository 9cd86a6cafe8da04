/* ns-numpy-interp.h: np.interp as NumPy 1.24 codes it (numpy/core/src/multiarray/compiled_base.c,
 * arr_interp and binary_search_with_guess).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

/* One interval's slope: the same formula whether NumPy precomputes the slopes or not. */
static inline double
ns_numpy_interp_slope (double x0, double x1, double f0, double f1)
{
  return (f1 - f0) / (x1 - x0);
}

/* The value at x between neighbouring sample points, with NumPy's fallbacks when the first form
 * gives NaN (an infinite slope or span): the other end's form, then f0 when f0 == f1. */
static inline double
ns_numpy_interp_between (double x, double x0, double x1, double f0, double f1, double slope)
{
  double y = slope * (x - x0) + f0;

  if (isnan (y))
    {
      y = slope * (x - x1) + f1;
      if (isnan (y) && f0 == f1)
        y = f0;
    }
  return y;
}

/* np.interp (x, xp, fp) at one x (not NaN) over n points, literally: the search starts from
 * *guess (0 for the first value; NumPy carries the previous index along the array) and leaves
 * its result there. Where xp is ascending any search gives these bits; where xp holds NaN only
 * this one does. */
double ns_numpy_interp (double x, const double *xp, const double *fp, gsize n, gssize *guess);

G_END_DECLS
