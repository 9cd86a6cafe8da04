/* ns-scipy-brent.h: scipy.optimize.brent of SciPy 1.10.1 (bracket, then Brent.optimize), ported
 * literally so the same objective values give the same minimizer, bit for bit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"

G_BEGIN_DECLS

typedef double (*NsScipyObjective) (double x, gpointer user_data);

/* What the search did: the minimizer SciPy returns and its counters (full_output). */
typedef struct {
  double xmin;
  double fval;
  guint iterations;
  guint evaluations;
} NsScipyBrentResult;

/* scipy.optimize.brent (func, brack=(xa, xb)) with the defaults tol=1.48e-8, maxiter=500. Like
 * SciPy 1.10.1 it does not check the bracket and does not fail when maxiter is reached; it fails
 * (NS_ERROR_INVALID_ARGUMENT) only where bracket raises "Too many iterations". */
gboolean ns_scipy_brent (NsScipyObjective func, gpointer user_data, double xa, double xb,
                         NsScipyBrentResult *result, GError **error);

G_END_DECLS
