/* ns-cephes-ndtr.c: a port of SciPy 1.10.1's scipy/special/cephes/ndtri.c and ndtr.c (with its erf
 * and erfc; polevl.h is ns-cephes-polevl.h), coefficient tables unchanged, so the results are
 * SciPy's bit for bit.
 *
 * Cephes Math Library Release 2.1 (ndtri, polevl), 2.2 (ndtr, erf, erfc):
 * Copyright 1984, 1987, 1988, 1989, 1992 by Stephen L. Moshier.
 * As distributed with SciPy: Copyright (c) 2001-2002 Enthought, Inc. 2003-2022, SciPy Developers.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without modification, are permitted
 * provided that the following conditions are met:
 * 1. Redistributions of source code must retain the above copyright notice, this list of
 *    conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice, this list of
 *    conditions and the following disclaimer in the documentation and/or other materials provided
 *    with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors may be used to
 *    endorse or promote products derived from this software without specific prior written
 *    permission.
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR
 * IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND
 * FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR
 * CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
 * DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY,
 * WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY
 * WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later AND BSD-3-Clause */
#include "ns-cephes-ndtr.h"

#include <math.h>

#include "ns-cephes-polevl.h"

/* ndtri.c: sqrt(2 pi), then the rational approximations for |y - 0.5| <= 3/8 and for
 * z = sqrt(-2 log y) in [2, 8) and [8, 64). */
static const double ndtri_s2pi = 2.50662827463100050242E0;
static const double ndtri_p0[5] = {
  -5.99633501014107895267E1, 9.80010754185999661536E1,  -5.66762857469070293439E1,
  1.39312609387279679503E1,  -1.23916583867381258016E0,
};
static const double ndtri_q0[8] = {
  1.95448858338141759834E0,  4.67627912898881538453E0,  8.63602421390890590575E1,
  -2.25462687854119370527E2, 2.00260212380060660359E2,  -8.20372256168333339912E1,
  1.59056225126211695515E1,  -1.18331621121330003142E0,
};
static const double ndtri_p1[9] = {
  4.05544892305962419923E0,   3.15251094599893866154E1,   5.71628192246421288162E1,
  4.40805073893200834700E1,   1.46849561928858024014E1,   2.18663306850790267539E0,
  -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4,
};
static const double ndtri_q1[8] = {
  1.57799883256466749731E1,   4.53907635128879210584E1,   4.13172038254672030440E1,
  1.50425385692907503408E1,   2.50464946208309415979E0,   -1.42182922854787788574E-1,
  -3.80806407691578277194E-2, -9.33259480895457427372E-4,
};
static const double ndtri_p2[9] = {
  3.23774891776946035970E0,  6.91522889068984211695E0,  3.93881025292474443415E0,
  1.33303460815807542389E0,  2.01485389549179081538E-1, 1.23716634817820021358E-2,
  3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9,
};
static const double ndtri_q2[8] = {
  6.02427039364742014255E0,  3.67983563856160859403E0,  1.37702099489081330271E0,
  2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
  2.89247864745380683936E-6, 6.79019408009981274425E-9,
};

#define NS_EXP_MINUS_2 0.13533528323661269189

double
ns_ndtri (double p)
{
  double y = p, x, x0, x1, z;
  gboolean lower_tail = TRUE;

  if (p == 0.0)
    return -INFINITY;
  if (p == 1.0)
    return INFINITY;
  if (p < 0.0 || p > 1.0)
    return NAN;
  if (y > 1.0 - NS_EXP_MINUS_2)
    {
      y = 1.0 - y;
      lower_tail = FALSE;
    }
  if (y > NS_EXP_MINUS_2)
    {
      double y2;

      y = y - 0.5;
      y2 = y * y;
      x = y + y * (y2 * ns_cephes_polevl (y2, ndtri_p0, 4) / ns_cephes_p1evl (y2, ndtri_q0, 8));
      return x * ndtri_s2pi;
    }
  x = sqrt (-2.0 * log (y));
  x0 = x - log (x) / x;
  z = 1.0 / x;
  if (x < 8.0) /* y > exp(-32) */
    x1 = z * ns_cephes_polevl (z, ndtri_p1, 8) / ns_cephes_p1evl (z, ndtri_q1, 8);
  else
    x1 = z * ns_cephes_polevl (z, ndtri_p2, 8) / ns_cephes_p1evl (z, ndtri_q2, 8);
  x = x0 - x1;
  return lower_tail ? -x : x;
}

/* ndtr.c: erfc on [1, 8) (P/Q) and [8, inf) (R/S), erf on [0, 1] (T/U). */
static const double erfc_p[9] = {
  2.46196981473530512524E-10, 5.64189564831068821977E-1, 7.46321056442269912687E0,
  4.86371970985681366614E1,   1.96520832956077098242E2,  5.26445194995477358631E2,
  9.34528527171957607540E2,   1.02755188689515710272E3,  5.57535335369399327526E2,
};
static const double erfc_q[8] = {
  1.32281951154744992508E1, 8.67072140885989742329E1, 3.54937778887819891062E2,
  9.75708501743205489753E2, 1.82390916687909736289E3, 2.24633760818710981792E3,
  1.65666309194161350182E3, 5.57535340817727675546E2,
};
static const double erfc_r[6] = {
  5.64189583547755073984E-1, 1.27536670759978104416E0, 5.01905042251180477414E0,
  6.16021097993053585195E0,  7.40974269950448939160E0, 2.97886665372100240670E0,
};
static const double erfc_s[6] = {
  2.26052863220117276590E0, 9.39603524938001434673E0, 1.20489539808096656605E1,
  1.70814450747565897222E1, 9.60896809063285878198E0, 3.36907645100081516050E0,
};
static const double erf_t[5] = {
  9.60497373987051638749E0, 9.00260197203842689217E1, 2.23200534594684319226E3,
  7.00332514112805075473E3, 5.55923013010394962768E4,
};
static const double erf_u[5] = {
  3.35617141647503099647E1, 5.21357949780152679795E2, 4.59432382970980127987E3,
  2.26290000613890934246E4, 4.92673942608635921086E4,
};

/* const.c, with DENORMAL defined as SciPy builds it: log(DBL_MAX). */
#define NS_CEPHES_MAXLOG 7.09782712893383996732E2

static double ns_cephes_erf (double x);

static double
ns_cephes_erfc (double a)
{
  double x = a < 0.0 ? -a : a, p, q, y, z;

  if (isnan (a))
    return NAN;
  if (x < 1.0)
    return 1.0 - ns_cephes_erf (a);
  z = -a * a;
  if (z < -NS_CEPHES_MAXLOG)
    return a < 0 ? 2.0 : 0.0;
  z = exp (z);
  if (x < 8.0)
    {
      p = ns_cephes_polevl (x, erfc_p, 8);
      q = ns_cephes_p1evl (x, erfc_q, 8);
    }
  else
    {
      p = ns_cephes_polevl (x, erfc_r, 5);
      q = ns_cephes_p1evl (x, erfc_s, 6);
    }
  y = (z * p) / q;
  if (a < 0)
    y = 2.0 - y;
  if (y != 0.0)
    return y;
  return a < 0 ? 2.0 : 0.0; /* underflow */
}

static double
ns_cephes_erf (double x)
{
  double z;

  if (isnan (x))
    return NAN;
  if (x < 0.0)
    return -ns_cephes_erf (-x);
  if (fabs (x) > 1.0)
    return 1.0 - ns_cephes_erfc (x);
  z = x * x;
  return x * ns_cephes_polevl (z, erf_t, 4) / ns_cephes_p1evl (z, erf_u, 5);
}

double
ns_ndtr (double a)
{
  double x, z, y;

  if (isnan (a))
    return NAN;
  x = a * M_SQRT1_2;
  z = fabs (x);
  if (z < M_SQRT1_2)
    return 0.5 + 0.5 * ns_cephes_erf (x);
  y = 0.5 * ns_cephes_erfc (z);
  return x > 0 ? 1.0 - y : y;
}
