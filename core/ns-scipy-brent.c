/* ns-scipy-brent.c: SciPy 1.10.1 scipy/optimize/_optimize.py `bracket` and `Brent.optimize`,
 * statement for statement (the variable names are SciPy's). GSL's Brent starts, steps and stops
 * differently and does not give the same minimizer.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-scipy-brent.h"

#include <math.h>

#define NS_SCIPY_GOLD 1.618034   /* bracket's _gold */
#define NS_SCIPY_VERYSMALL 1e-21 /* bracket's _verysmall_num */
#define NS_SCIPY_GROW_LIMIT 110.0
#define NS_SCIPY_BRACKET_MAXITER 1000
#define NS_SCIPY_BRENT_TOL 1.48e-8
#define NS_SCIPY_BRENT_MINTOL 1.0e-11
#define NS_SCIPY_BRENT_CG 0.3819660 /* truncated as SciPy writes it, not (3 - sqrt 5) / 2 */
#define NS_SCIPY_BRENT_MAXITER 500

typedef struct {
  NsScipyObjective func;
  gpointer user_data;
  guint evaluations;
} NsScipyCounted;

typedef struct {
  double xa, xb, xc, fa, fb, fc;
} NsScipyBracket;

static double
ns_scipy_call (NsScipyCounted *f, double x)
{
  f->evaluations++;
  return f->func (x, f->user_data);
}

/* Shifts (xb, xc, w) into (xa, xb, xc), as the end of bracket's loop body does. */
static void
ns_scipy_bracket_shift (NsScipyBracket *k, double w, double fw)
{
  k->xa = k->xb;
  k->xb = k->xc;
  k->xc = w;
  k->fa = k->fb;
  k->fb = k->fc;
  k->fc = fw;
}

/* One pass of bracket's while loop: TRUE when it returns from inside the loop. */
static gboolean
ns_scipy_bracket_step (NsScipyCounted *f, NsScipyBracket *k)
{
  double tmp1 = (k->xb - k->xa) * (k->fb - k->fc);
  double tmp2 = (k->xb - k->xc) * (k->fb - k->fa);
  double val = tmp2 - tmp1;
  double denom = fabs (val) < NS_SCIPY_VERYSMALL ? 2.0 * NS_SCIPY_VERYSMALL : 2.0 * val;
  double w = k->xb - ((k->xb - k->xc) * tmp2 - (k->xb - k->xa) * tmp1) / denom;
  double wlim = k->xb + NS_SCIPY_GROW_LIMIT * (k->xc - k->xb);
  double fw;

  if ((w - k->xc) * (k->xb - w) > 0.0)
    {
      fw = ns_scipy_call (f, w);
      if (fw < k->fc)
        {
          k->xa = k->xb;
          k->xb = w;
          k->fa = k->fb;
          k->fb = fw;
          return TRUE;
        }
      else if (fw > k->fb)
        {
          k->xc = w;
          k->fc = fw;
          return TRUE;
        }
      w = k->xc + NS_SCIPY_GOLD * (k->xc - k->xb);
      fw = ns_scipy_call (f, w);
    }
  else if ((w - wlim) * (wlim - k->xc) >= 0.0)
    {
      w = wlim;
      fw = ns_scipy_call (f, w);
    }
  else if ((w - wlim) * (k->xc - w) > 0.0)
    {
      fw = ns_scipy_call (f, w);
      if (fw < k->fc)
        {
          k->xb = k->xc;
          k->xc = w;
          w = k->xc + NS_SCIPY_GOLD * (k->xc - k->xb);
          k->fb = k->fc;
          k->fc = fw;
          fw = ns_scipy_call (f, w);
        }
    }
  else
    {
      w = k->xc + NS_SCIPY_GOLD * (k->xc - k->xb);
      fw = ns_scipy_call (f, w);
    }
  ns_scipy_bracket_shift (k, w, fw);
  return FALSE;
}

static gboolean
ns_scipy_bracket (NsScipyCounted *f, double xa, double xb, NsScipyBracket *k, GError **error)
{
  guint iter = 0;

  double fa = ns_scipy_call (f, xa), fb = ns_scipy_call (f, xb);

  /* Switched so that fa >= fb (unless one is NaN). */
  if (fa < fb)
    *k = (NsScipyBracket) { .xa = xb, .xb = xa, .fa = fb, .fb = fa };
  else
    *k = (NsScipyBracket) { .xa = xa, .xb = xb, .fa = fa, .fb = fb };
  k->xc = k->xb + NS_SCIPY_GOLD * (k->xb - k->xa);
  k->fc = ns_scipy_call (f, k->xc);
  while (k->fc < k->fb)
    {
      if (iter > NS_SCIPY_BRACKET_MAXITER)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "the bracket search for the minimum did not end after %u steps (SciPy "
                       "raises \"Too many iterations.\")",
                       NS_SCIPY_BRACKET_MAXITER);
          return FALSE;
        }
      iter++;
      if (ns_scipy_bracket_step (f, k))
        break;
    }
  return TRUE;
}

/* Brent.optimize's state: the best point x, the second best w, the previous w as v, the bracket
 * [a, b], and the last two steps. */
typedef struct {
  double x, w, v, fx, fw, fv, a, b, deltax, rat;
} NsScipyBrentState;

static void
ns_scipy_brent_golden (NsScipyBrentState *s, double xmid)
{
  s->deltax = s->x >= xmid ? s->a - s->x : s->b - s->x;
  s->rat = NS_SCIPY_BRENT_CG * s->deltax;
}

/* The parabolic step through x, w, v, or the golden step where the parabola is no use. */
static void
ns_scipy_brent_parabolic (NsScipyBrentState *s, double xmid, double tol1, double tol2)
{
  double tmp1 = (s->x - s->w) * (s->fx - s->fv);
  double tmp2 = (s->x - s->v) * (s->fx - s->fw);
  double p = (s->x - s->v) * tmp2 - (s->x - s->w) * tmp1;
  double dx_temp, u;

  tmp2 = 2.0 * (tmp2 - tmp1);
  if (tmp2 > 0.0)
    p = -p;
  tmp2 = fabs (tmp2);
  dx_temp = s->deltax;
  s->deltax = s->rat;
  if (p > tmp2 * (s->a - s->x) && p < tmp2 * (s->b - s->x) &&
      fabs (p) < fabs (0.5 * tmp2 * dx_temp))
    {
      s->rat = p * 1.0 / tmp2;
      u = s->x + s->rat;
      if ((u - s->a) < tol2 || (s->b - u) < tol2)
        s->rat = xmid - s->x >= 0 ? tol1 : -tol1;
    }
  else
    ns_scipy_brent_golden (s, xmid);
}

/* Moves the bracket and the remembered points after f(u) = fu. */
static void
ns_scipy_brent_update (NsScipyBrentState *s, double u, double fu)
{
  if (fu > s->fx)
    {
      if (u < s->x)
        s->a = u;
      else
        s->b = u;
      if (fu <= s->fw || s->w == s->x)
        {
          s->v = s->w;
          s->w = u;
          s->fv = s->fw;
          s->fw = fu;
        }
      else if (fu <= s->fv || s->v == s->x || s->v == s->w)
        {
          s->v = u;
          s->fv = fu;
        }
      return;
    }
  if (u >= s->x)
    s->a = s->x;
  else
    s->b = s->x;
  s->v = s->w;
  s->w = s->x;
  s->x = u;
  s->fv = s->fw;
  s->fw = s->fx;
  s->fx = fu;
}

static void
ns_scipy_brent_optimize (NsScipyCounted *f, const NsScipyBracket *k, NsScipyBrentResult *result)
{
  NsScipyBrentState s = {
    .x = k->xb,
    .w = k->xb,
    .v = k->xb,
    .fx = k->fb,
    .fw = k->fb,
    .fv = k->fb,
    .a = k->xa < k->xc ? k->xa : k->xc,
    .b = k->xa < k->xc ? k->xc : k->xa,
  };
  guint iter = 0;

  while (iter < NS_SCIPY_BRENT_MAXITER)
    {
      double tol1 = NS_SCIPY_BRENT_TOL * fabs (s.x) + NS_SCIPY_BRENT_MINTOL;
      double tol2 = 2.0 * tol1;
      double xmid = 0.5 * (s.a + s.b);
      double u;

      if (fabs (s.x - xmid) < (tol2 - 0.5 * (s.b - s.a)))
        break;
      if (fabs (s.deltax) <= tol1)
        ns_scipy_brent_golden (&s, xmid);
      else
        ns_scipy_brent_parabolic (&s, xmid, tol1, tol2);
      if (fabs (s.rat) < tol1)
        u = s.rat >= 0 ? s.x + tol1 : s.x - tol1;
      else
        u = s.x + s.rat;
      ns_scipy_brent_update (&s, u, ns_scipy_call (f, u));
      iter++;
    }
  result->xmin = s.x;
  result->fval = s.fx;
  result->iterations = iter;
}

gboolean
ns_scipy_brent (NsScipyObjective func, gpointer user_data, double xa, double xb,
                NsScipyBrentResult *result, GError **error)
{
  NsScipyCounted f = { func, user_data, 0 };
  NsScipyBracket bracket;

  g_return_val_if_fail (func != NULL && result != NULL, FALSE);
  if (!ns_scipy_bracket (&f, xa, xb, &bracket, error))
    return FALSE;
  ns_scipy_brent_optimize (&f, &bracket, result);
  result->evaluations = f.evaluations;
  return TRUE;
}
