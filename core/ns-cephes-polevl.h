/* ns-cephes-polevl.h: Cephes' polynomial evaluation (scipy/special/cephes/polevl.h, SciPy 1.10.1),
 * shared by every Cephes port so their roundings are Cephes' own.
 * Cephes Math Library Release 2.1: Copyright 1984, 1987, 1988 by Stephen L. Moshier; as
 * distributed with SciPy under its BSD licence (the notice is in ns-cephes-ndtr.c).
 * SPDX-License-Identifier: GPL-3.0-or-later AND BSD-3-Clause */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* polevl: coef[0] x^degree + ... + coef[degree], by Horner's rule. */
static inline double
ns_cephes_polevl (double x, const double *coef, guint degree)
{
  double sum = coef[0];

  for (guint i = 1; i <= degree; i++)
    sum = sum * x + coef[i];
  return sum;
}

/* p1evl: the same with an implicit leading coefficient 1; coef holds the other degree ones. */
static inline double
ns_cephes_p1evl (double x, const double *coef, guint degree)
{
  double sum = x + coef[0];

  for (guint i = 1; i < degree; i++)
    sum = sum * x + coef[i];
  return sum;
}

G_END_DECLS
