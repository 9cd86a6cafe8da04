/* ns-cephes-ndtr.h: the standard normal CDF and its inverse as SciPy 1.10.1 computes them
 * (scipy.special.ndtr and ndtri, from Cephes).
 * SPDX-License-Identifier: GPL-3.0-or-later AND BSD-3-Clause */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* scipy.special.ndtri: x with ndtr (x) = p; -inf at 0, +inf at 1, NaN outside [0, 1]. */
double ns_ndtri (double p);
/* scipy.special.ndtr: the area under the standard normal density left of x. NaN gives NaN. */
double ns_ndtr (double x);

G_END_DECLS
