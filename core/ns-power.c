/* ns-power.c: scikit-learn 1.2.1 PowerTransformer for one column: the transforms as
 * sklearn/preprocessing/_data.py and scipy.special.boxcox code them, lambda from the same
 * objective with NumPy's summation order, minimized by the SciPy 1.10.1 Brent port.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-power.h"

#include <float.h>
#include <math.h>
#include "ns-format-double.h"
#include "ns-cephes-polevl.h"
#include "ns-numpy-sum.h"
#include "ns-sklearn-rules.h"
#include "ns-scipy-brent.h"
#include "ns-threads.h"

#define NS_NUMPY_SPACING_ONE DBL_EPSILON /* np.spacing (1.0), sklearn's lambda == 0 test */
#define NS_SCIPY_BOXCOX_TINY 1e-19       /* scipy/special/_boxcox.pxd */
/* Below this many values one thread evaluates the objective (threads cost more than they save). */
#define NS_POWER_THREADED_MIN (4 * NS_NUMPY_SUM_BLOCK)

/* ndarray ** python_float: NumPy's fast_scalar_power turns these exponents into other ufuncs. */
static inline double
ns_numpy_scalar_power (double base, double exponent)
{
  if (exponent == 1.0)
    return base;
  if (exponent == -1.0)
    return 1.0 / base;
  if (exponent == 0.0)
    return 1.0;
  if (exponent == 0.5)
    return sqrt (base);
  if (exponent == 2.0)
    return base * base;
  return pow (base, exponent);
}

/* _yeo_johnson_transform: the pow (...) - 1 form, not expm1; NaN takes the x < 0 branch. */
static inline double
ns_yeo_johnson (double x, double lambda)
{
  if (x >= 0)
    return fabs (lambda) < NS_NUMPY_SPACING_ONE ? log1p (x) : (pow (x + 1, lambda) - 1) / lambda;
  if (fabs (lambda - 2) > NS_NUMPY_SPACING_ONE)
    return -(pow (-x + 1, 2 - lambda) - 1) / (2 - lambda);
  return -log1p (-x);
}

/* scipy/special/cephes/unity.c expm1: SciPy's special functions link it in place of libm's,
 * and it rounds differently from glibc's in about half of the cases. */
static double
ns_cephes_expm1 (double x)
{
  static const double ep[3] = { 1.2617719307481059087798E-4, 3.0299440770744196129956E-2,
                                9.9999999999999999991025E-1 };
  static const double eq[4] = { 3.0019850513866445504159E-6, 2.5244834034968410419224E-3,
                                2.2726554820815502876593E-1, 2.0000000000000000000897E0 };
  double r, xx;

  if (!isfinite (x))
    return isnan (x) || x > 0 ? x : -1.0;
  if (x < -0.5 || x > 0.5)
    return exp (x) - 1.0;
  xx = x * x;
  r = x * ns_cephes_polevl (xx, ep, 2);
  r = r / (ns_cephes_polevl (xx, eq, 3) - r);
  return r + r;
}

/* scipy.special.boxcox (scipy/special/_boxcox.pxd) */
static inline double
ns_scipy_boxcox (double x, double lambda)
{
  if (fabs (lambda) < NS_SCIPY_BOXCOX_TINY)
    return log (x);
  return ns_cephes_expm1 (lambda * log (x)) / lambda;
}

static double
ns_power_forward (NsPowerKind kind, double lambda, double x)
{
  return kind == NS_POWER_BOX_COX ? ns_scipy_boxcox (x, lambda) : ns_yeo_johnson (x, lambda);
}

/* _yeo_johnson_inverse_transform (np.power: no fast paths) and _box_cox_inverse_tranform (**). */
static double
ns_power_inverse (NsPowerKind kind, double lambda, double y)
{
  if (kind == NS_POWER_BOX_COX)
    return lambda == 0 ? exp (y) : ns_numpy_scalar_power (y * lambda + 1, 1 / lambda);
  if (y >= 0)
    return fabs (lambda) < NS_NUMPY_SPACING_ONE ? exp (y) - 1
                                                : pow (y * lambda + 1, 1 / lambda) - 1;
  if (fabs (lambda - 2) > NS_NUMPY_SPACING_ONE)
    return 1 - pow (-(2 - lambda) * y + 1, 1 / (2 - lambda));
  return 1 - exp (-y);
}

void
ns_power_transform_values (NsPowerKind kind, const NsPowerColumn *column, gboolean inverse,
                           double *values, gsize n)
{
  g_return_if_fail (column != NULL && (values != NULL || n == 0));
  /* StandardScaler.transform: X -= mean_; X /= scale_. Its inverse: X *= scale_; X += mean_. */
  for (gsize i = 0; i < n; i++)
    values[i] =
      inverse ? ns_power_inverse (kind, column->lambda, values[i] * column->scale + column->mean)
              : (ns_power_forward (kind, column->lambda, values[i]) - column->mean) / column->scale;
}

gsize
ns_power_first_nonpositive (const double *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (values[i] <= 0)
      return i;
  return G_MAXSIZE;
}

/* The negative log-likelihood of one column, evaluated as sklearn (Yeo-Johnson) or SciPy's
 * boxcox_llf (Box-Cox) evaluate it. */
typedef struct {
  NsPowerKind kind;
  const double *x; /* the column without NaN */
  gsize n;
  double *t;          /* scratch: transformed values, then their squared deviations */
  double *block_sums; /* one per NumPy sum block */
  gsize n_blocks;
  guint n_threads;
  const double *log_x; /* Box-Cox: log (x) */
  double lambda_sum;   /* the sum that lambda multiplies: it does not depend on lambda */
  double lambda;       /* the pass in progress */
  double mean;
  gboolean deviations; /* the pass: transform (FALSE) or square the deviations (TRUE) */
} NsPowerObjective;

/* Box-Cox's data**lmb / lmb, or log (data) at lmb == 0, as boxcox_llf's variance takes it. */
static void
ns_power_box_cox_block (const NsPowerObjective *o, gsize start, gsize end)
{
  double lambda = o->lambda;

  for (gsize i = start; i < end; i++)
    o->t[i] = lambda == 0 ? o->log_x[i] : ns_numpy_scalar_power (o->x[i], lambda) / lambda;
}

static void
ns_power_transform_block (const NsPowerObjective *o, gsize start, gsize end)
{
  if (o->kind == NS_POWER_BOX_COX)
    ns_power_box_cox_block (o, start, end);
  else
    for (gsize i = start; i < end; i++)
      o->t[i] = ns_yeo_johnson (o->x[i], o->lambda);
}

/* np.var's d = x - mean; d = d * d, in place. */
static void
ns_power_deviation_block (const NsPowerObjective *o, gsize start, gsize end)
{
  for (gsize i = start; i < end; i++)
    {
      double d = o->t[i] - o->mean;
      o->t[i] = d * d;
    }
}

/* Thread `index` fills its share of NumPy's sum blocks and sums each one: the blocks are NumPy's,
 * so how they are shared among threads changes no bit. */
static void
ns_power_objective_pass (guint index, gpointer data)
{
  NsPowerObjective *o = data;
  gsize first = o->n_blocks * index / o->n_threads, last = o->n_blocks * (index + 1) / o->n_threads;

  for (gsize b = first; b < last; b++)
    {
      gsize start = b * NS_NUMPY_SUM_BLOCK, end = MIN (start + NS_NUMPY_SUM_BLOCK, o->n);

      if (o->deviations)
        ns_power_deviation_block (o, start, end);
      else
        ns_power_transform_block (o, start, end);
      o->block_sums[b] = ns_numpy_pairwise_sum (o->t + start, end - start);
    }
}

/* One pass over the column; returns np.sum of what it left in t. */
static double
ns_power_run_pass (NsPowerObjective *o, gboolean deviations)
{
  o->deviations = deviations;
  if (o->n_threads > 1)
    ns_threads_run (o->n_threads, ns_power_objective_pass, o);
  else
    ns_power_objective_pass (0, o);
  return ns_numpy_sum_blocks (o->block_sums, o->n_blocks);
}

/* np.var (transformed values): mean, then the mean of the squared deviations. */
static double
ns_power_transformed_variance (NsPowerObjective *o, double lambda)
{
  o->lambda = lambda;
  o->mean = ns_power_run_pass (o, FALSE) / (double) o->n;
  return ns_power_run_pass (o, TRUE) / (double) o->n;
}

/* _yeo_johnson_optimize's _neg_log_likelihood (tiny-variance guard included). */
static double
ns_power_yeo_johnson_objective (double lambda, gpointer data)
{
  NsPowerObjective *o = data;
  double var = ns_power_transformed_variance (o, lambda), loglike;

  if (var < DBL_MIN)
    return INFINITY;
  loglike = -(double) o->n / 2 * log (var);
  loglike += (lambda - 1) * o->lambda_sum;
  return -loglike;
}

/* -boxcox_llf (SciPy 1.10.1): no guard, a zero variance gives -inf. */
static double
ns_power_box_cox_objective (double lambda, gpointer data)
{
  NsPowerObjective *o = data;
  double var = ns_power_transformed_variance (o, lambda);

  return -((lambda - 1) * o->lambda_sum - (double) o->n / 2 * log (var));
}

/* x[~np.isnan(x)]: a fresh array in the same order. */
static double *
ns_power_drop_nan (const double *values, gsize n, gsize *n_valid)
{
  double *x = g_new (double, MAX (n, 1));
  gsize k = 0;

  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      x[k++] = values[i];
  *n_valid = k;
  return x;
}

/* The refusals of sklearn's _check_input (any value <= 0) and then of scipy.stats.boxcox (no
 * values, a constant column), in that order. */
static gboolean
ns_power_check_box_cox (const double *values, gsize n, const double *x, gsize n_valid,
                        gsize *bad_index, GError **error)
{
  char buf[NS_DOUBLE_BUF_SIZE];
  gsize bad = ns_power_first_nonpositive (values, n);
  gsize i = 1;

  if (bad != G_MAXSIZE)
    {
      if (bad_index != NULL)
        *bad_index = bad;
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "Box-Cox needs strictly positive values, found %s at index %" G_GSIZE_FORMAT
                   " (scikit-learn: \"The Box-Cox transformation can only be applied to "
                   "strictly positive data\"); Yeo-Johnson accepts any sign",
                   ns_format_double (buf, values[bad]), bad);
      return FALSE;
    }
  if (n_valid == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "Box-Cox has no value to fit: every value is missing (scikit-learn 1.2.1 "
                   "fails with \"not enough values to unpack\")");
      return FALSE;
    }
  while (i < n_valid && x[i] == x[0])
    i++;
  if (i == n_valid)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "Box-Cox cannot fit a constant column (every value is %s; SciPy: \"Data must "
                   "not be constant.\")",
                   ns_format_double (buf, x[0]));
      return FALSE;
    }
  return TRUE;
}

/* The sum lambda multiplies in the objective: sum (sign (x) * log1p (|x|)) for Yeo-Johnson,
 * sum (log (x)) for Box-Cox (log (x) kept in log_x for the lambda == 0 variance). */
static double
ns_power_lambda_sum (NsPowerKind kind, const double *x, gsize n, double *log_x, double *terms)
{
  for (gsize i = 0; i < n; i++)
    {
      if (kind == NS_POWER_BOX_COX)
        terms[i] = log_x[i] = log (x[i]);
      else
        terms[i] = (x[i] > 0 ? 1.0 : x[i] < 0 ? -1.0 : 0.0) * log1p (fabs (x[i]));
    }
  return ns_numpy_sum (terms, n);
}

static void
ns_power_objective_init (NsPowerObjective *o, NsPowerKind kind, const double *x, gsize n)
{
  guint threads = ns_threads_resolve (0);

  *o = (NsPowerObjective) { .kind = kind, .x = x, .n = n, .n_blocks = ns_numpy_sum_n_blocks (n) };
  o->n_threads = n >= NS_POWER_THREADED_MIN ? (guint) MIN (threads, o->n_blocks) : 1;
  o->t = g_new (double, MAX (n, 1));
  o->block_sums = g_new (double, MAX (o->n_blocks, 1));
  if (kind == NS_POWER_BOX_COX)
    o->log_x = g_new (double, MAX (n, 1));
  o->lambda_sum = ns_power_lambda_sum (kind, x, n, (double *) o->log_x, o->t);
}

static void
ns_power_objective_clear (NsPowerObjective *o)
{
  g_free (o->t);
  g_free (o->block_sums);
  g_free ((double *) o->log_x);
}

/* optimize.brent (objective, brack=(-2, 2)), refusing a lambda that is not finite. */
static gboolean
ns_power_find_lambda (NsPowerObjective *o, double *lambda, GError **error)
{
  NsScipyObjective f =
    o->kind == NS_POWER_BOX_COX ? ns_power_box_cox_objective : ns_power_yeo_johnson_objective;
  NsScipyBrentResult result;
  char buf[NS_DOUBLE_BUF_SIZE];

  if (!ns_scipy_brent (f, o, -2.0, 2.0, &result, error))
    return FALSE;
  if (!isfinite (result.xmin))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "the search for lambda ended at %s, not a finite lambda",
                   ns_format_double (buf, result.xmin));
      return FALSE;
    }
  *lambda = result.xmin;
  return TRUE;
}

/* StandardScaler().fit on the transformed column t[0..n) (NaN already left out), with
 * _incremental_mean_and_var's formulas from an empty start. NumPy sums axis 0 of a C-ordered
 * matrix of several features row by row (sequentially), but a one-feature matrix as a 1-D array
 * (ns_numpy_sum), which can differ in the last bits. */
static double
ns_power_column_sum (const double *t, gsize n, gboolean one_feature)
{
  double sum = 0.0;

  if (one_feature)
    return ns_numpy_sum (t, n);
  for (gsize i = 0; i < n; i++)
    sum += t[i];
  return sum;
}

static void
ns_power_fit_standardizer (const double *t, gsize n, gboolean one_feature, NsPowerColumn *column)
{
  g_autofree double *d = g_new (double, MAX (n, 1));
  double sum = ns_power_column_sum (t, n, one_feature), correction, squares, shift;

  shift = sum / (double) n;
  for (gsize i = 0; i < n; i++)
    d[i] = t[i] - shift;
  correction = ns_power_column_sum (d, n, one_feature);
  for (gsize i = 0; i < n; i++)
    d[i] = d[i] * d[i];
  squares = ns_power_column_sum (d, n, one_feature);
  squares -= correction * correction / (double) n;
  column->mean = (0.0 + sum) / (double) n;
  column->variance = squares / (double) n;
  column->scale = ns_sklearn_is_constant_feature (column->variance, column->mean, (double) n)
                    ? 1.0
                    : sqrt (column->variance);
}

static gboolean
ns_power_check_standardizer (const NsPowerColumn *column, GError **error)
{
  char lambda[NS_DOUBLE_BUF_SIZE], mean[NS_DOUBLE_BUF_SIZE], variance[NS_DOUBLE_BUF_SIZE];

  if (isfinite (column->mean) && isfinite (column->variance) && isfinite (column->scale))
    return TRUE;
  ns_format_double (lambda, column->lambda);
  if (column->count == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "no value to standardize: every value is missing (scikit-learn 1.2.1 fits "
                 "lambda %s and leaves the standardizer's mean and scale NaN)",
                 lambda);
  else
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "the values transformed with lambda %s overflow: the standardizer's mean %s "
                 "and variance %s are not finite (scikit-learn's standardizer refuses them: "
                 "\"Input X contains infinity\")",
                 lambda, ns_format_double (mean, column->mean),
                 ns_format_double (variance, column->variance));
  return FALSE;
}

/* The standardizer on the column transformed with the fitted lambda (o->t is the scratch). */
static gboolean
ns_power_standardize (NsPowerObjective *o, gboolean one_feature, NsPowerColumn *column,
                      GError **error)
{
  o->lambda = column->lambda;
  if (o->kind == NS_POWER_BOX_COX)
    for (gsize i = 0; i < o->n; i++) /* fit transforms with scipy.special.boxcox, not data**lmb */
      o->t[i] = ns_scipy_boxcox (o->x[i], column->lambda);
  else
    ns_power_run_pass (o, FALSE);
  ns_power_fit_standardizer (o->t, o->n, one_feature, column);
  return ns_power_check_standardizer (column, error);
}

gboolean
ns_power_fit_column (NsPowerKind kind, gboolean standardize, gboolean one_feature,
                     const double *values, gsize n, NsPowerColumn *column, gsize *bad_index,
                     GError **error)
{
  g_autofree double *x = NULL;
  NsPowerObjective objective;
  gsize n_valid;
  gboolean ok;

  g_return_val_if_fail (values != NULL || n == 0, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);
  if (bad_index != NULL)
    *bad_index = G_MAXSIZE;
  x = ns_power_drop_nan (values, n, &n_valid);
  if (kind == NS_POWER_BOX_COX && !ns_power_check_box_cox (values, n, x, n_valid, bad_index, error))
    return FALSE;
  *column = (NsPowerColumn) { .scale = 1.0, .count = n_valid };
  ns_power_objective_init (&objective, kind, x, n_valid);
  ok = ns_power_find_lambda (&objective, &column->lambda, error) &&
       (!standardize || ns_power_standardize (&objective, one_feature, column, error));
  ns_power_objective_clear (&objective);
  return ok;
}
