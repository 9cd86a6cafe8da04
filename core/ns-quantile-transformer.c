/* ns-quantile-transformer.c: scikit-learn 1.2.1 QuantileTransformer's fit (_dense_fit) and
 * _transform_col for one column, in NumPy's and SciPy's operation order.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-quantile-transformer.h"
#include "ns-name-table.h"

#include <float.h>
#include <math.h>

#include "ns-numpy-interp.h"
#include "ns-quantile.h"
#include "ns-sorted-search.h"

const char *const ns_quantile_output_names[] = { "uniform", "normal", NULL };

gboolean
ns_quantile_output_from_string (const char *name, NsQuantileOutput *output, GError **error)
{
  guint index;

  if (!ns_name_table_lookup ("output distribution", ns_quantile_output_names, name, &index, error))
    return FALSE;
  *output = (NsQuantileOutput) index;
  return TRUE;
}

const char *
ns_quantile_output_to_string (NsQuantileOutput output)
{
  g_return_val_if_fail ((guint) output <= NS_QUANTILE_NORMAL, NULL);
  return ns_quantile_output_names[output];
}

/* sklearn.preprocessing._data.BOUNDS_THRESHOLD, in data units (not relative). */
#define NS_QUANTILE_BOUNDS_THRESHOLD 1e-7

/* One fitted column and what its transform needs, computed once per call. */
typedef struct {
  const double *quantiles;
  const double *references;
  guint n;
  NsQuantileOutput output;
  double clip_min, clip_max; /* normal: norm.ppf (1e-7 - eps), norm.ppf (1 - (1e-7 - eps)) */
  NsSortedSearch search;     /* over quantiles (forward) or references (inverse) */
  double *slopes;            /* np.interp's per-interval slopes, or NULL to compute each */
  /* Forward over NaN quantiles: -quantiles[::-1], -references[::-1] and both searches' guesses
   * for the literal np.interp, or NULL. */
  double *reversed_quantiles, *reversed_references;
  gssize guess, reversed_guess;
} NsQuantileColumn;

guint
ns_quantile_fitted_count (guint n_quantiles, gsize n_samples)
{
  return (guint) MAX ((gsize) 1, MIN ((gsize) n_quantiles, n_samples));
}

void
ns_quantile_references (guint n, double *references)
{
  double step;

  g_return_if_fail (n >= 1);
  references[0] = 0.0;
  if (n == 1)
    return;
  /* np.linspace: arange (n) * step + start, then the endpoint stored exactly. */
  step = 1.0 / (double) (n - 1);
  for (guint i = 0; i < n - 1; i++)
    references[i] = (double) i * step + 0.0;
  references[n - 1] = 1.0;
}

/* np.maximum.accumulate: NaN propagates, and a tie keeps the later value (maximum (0.0, -0.0) is
 * -0.0 in NumPy, as MAXPD gives). */
static void
ns_running_maximum (double *values, guint n)
{
  for (guint i = 1; i < n; i++)
    if (values[i - 1] > values[i] || isnan (values[i - 1]))
      values[i] = values[i - 1];
}

void
ns_quantile_fit_column (const double *values, gsize n_samples, gsize subsample, NsLegacyRandom *rng,
                        const double *references, guint n, double *quantiles)
{
  g_autofree double *probabilities = g_new (double, n);
  g_autofree double *picked = NULL;
  const double *column = values;
  gsize count = n_samples;

  if (subsample < n_samples)
    {
      g_autofree gsize *rows = g_new (gsize, MAX (subsample, 1));

      g_return_if_fail (rng != NULL);
      ns_legacy_random_choice (rng, n_samples, subsample, rows);
      picked = g_new (double, MAX (subsample, 1));
      for (gsize i = 0; i < subsample; i++)
        picked[i] = values[rows[i]];
      column = picked;
      count = subsample;
    }
  /* fit passes references_ * 100 and np.nanpercentile divides by 100: two roundings. */
  for (guint k = 0; k < n; k++)
    probabilities[k] = (references[k] * 100.0) / 100.0;
  ns_quantiles (column, count, 1, probabilities, n, quantiles);
  ns_running_maximum (quantiles, n);
}

/* np.interp (x, xp, fp) for ascending xp, given at_most = the number of xp[i] <= x: NumPy's
 * search returns the last index j with xp[j] <= x. slopes[j] holds interval j's slope, or is
 * NULL. */
static double
ns_interp_ascending (double x, const double *xp, const double *fp, guint n, gsize at_most,
                     const double *slopes)
{
  gsize j;

  if (at_most == 0)
    return fp[0];
  j = at_most - 1;
  if (j == n - 1 || xp[j] == x)
    return fp[j];
  return ns_numpy_interp_between (x, xp[j], xp[j + 1], fp[j], fp[j + 1],
                                  slopes != NULL
                                    ? slopes[j]
                                    : ns_numpy_interp_slope (xp[j], xp[j + 1], fp[j], fp[j + 1]));
}

/* np.interp (-x, -xp[::-1], -fp[::-1]) read from xp and fp in place, given below = the number
 * of xp[i] < x: the reversed points at most -x are the xp at least x, and every negation is
 * exact, so this is NumPy's arithmetic. */
static double
ns_interp_reflected (double x, const double *xp, const double *fp, guint n, gsize below,
                     const double *slopes)
{
  gsize a;

  if (below == n)
    return -fp[n - 1];
  a = below; /* the reversed index n - 1 - a is the last one at most -x */
  if (a == 0 || -xp[a] == -x)
    return -fp[a];
  /* (-u) - (-v) is v - u bit for bit, so the reversed interval's slope is interval a - 1's. */
  return ns_numpy_interp_between (-x, -xp[a], -xp[a - 1], -fp[a], -fp[a - 1],
                                  slopes != NULL ? slopes[a - 1]
                                                 : ns_numpy_interp_slope (-xp[a], -xp[a - 1],
                                                                          -fp[a], -fp[a - 1]));
}

/* scipy.stats.norm.ppf: 0 and 1 map to the support's ends, the rest to ndtri (p) * 1 + 0. */
static double
ns_norm_ppf (double p)
{
  if (p > 0.0 && p < 1.0)
    return ns_ndtri (p) * 1.0 + 0.0;
  return p == 0.0 ? -INFINITY : p == 1.0 ? INFINITY : NAN;
}

/* scipy.stats.norm.cdf: +inf gives 1, -inf 0, the rest ndtr. */
static double
ns_norm_cdf (double x)
{
  if (isnan (x))
    return x;
  if (x >= INFINITY)
    return 1.0;
  return x > -INFINITY ? ns_ndtr (x) : 0.0;
}

/* -values[::-1], for the literal second np.interp over quantiles holding NaN. */
static double *
ns_negated_reversal (const double *values, guint n)
{
  double *reversed = g_new (double, n);

  for (guint i = 0; i < n; i++)
    reversed[i] = -values[n - 1 - i];
  return reversed;
}

/* guided: many values follow, so the search builds its guide table and the slopes are computed
 * once. Quantiles holding NaN (the running maximum carries a NaN to the last one) are not sorted:
 * forward then goes through NumPy's own search. */
static void
ns_quantile_column_init (NsQuantileColumn *column, const double *quantiles,
                         const double *references, guint n, NsQuantileOutput output,
                         gboolean inverse, gboolean guided)
{
  const double *xp = inverse ? references : quantiles, *fp = inverse ? quantiles : references;
  gboolean literal = !inverse && isnan (quantiles[n - 1]);

  *column = (NsQuantileColumn) { quantiles, references, n, output, -INFINITY, INFINITY };
  ns_sorted_search_init (&column->search, xp, n, guided && !literal);
  if (literal)
    {
      column->reversed_quantiles = ns_negated_reversal (quantiles, n);
      column->reversed_references = ns_negated_reversal (references, n);
    }
  if (guided && !literal)
    {
      column->slopes = g_new (double, n);
      for (guint j = 0; j + 1 < n; j++)
        column->slopes[j] = ns_numpy_interp_slope (xp[j], xp[j + 1], fp[j], fp[j + 1]);
    }
  if (output == NS_QUANTILE_NORMAL)
    {
      column->clip_min = ns_norm_ppf (NS_QUANTILE_BOUNDS_THRESHOLD - DBL_EPSILON);
      column->clip_max = ns_norm_ppf (1.0 - (NS_QUANTILE_BOUNDS_THRESHOLD - DBL_EPSILON));
    }
}

/* _transform_col's bound masks: normal output compares with the 1e-7 threshold, uniform output
 * needs equality. NaN is in neither. */
static gboolean
ns_below_lower_bound (NsQuantileOutput output, double x, double bound)
{
  return output == NS_QUANTILE_NORMAL ? x - NS_QUANTILE_BOUNDS_THRESHOLD < bound : x == bound;
}

static gboolean
ns_above_upper_bound (NsQuantileOutput output, double x, double bound)
{
  return output == NS_QUANTILE_NORMAL ? x + NS_QUANTILE_BOUNDS_THRESHOLD > bound : x == bound;
}

static void
ns_quantile_column_clear (NsQuantileColumn *column)
{
  ns_sorted_search_clear (&column->search);
  g_clear_pointer (&column->slopes, g_free);
  g_clear_pointer (&column->reversed_quantiles, g_free);
  g_clear_pointer (&column->reversed_references, g_free);
}

/* The average of both interpolation directions (a run of equal quantiles maps to its middle
 * reference). Quantiles holding NaN (a column fitted without values, or a lerp across a gap wider
 * than DBL_MAX) are not sorted, so there NumPy's own search decides, guesses and all. */
static double
ns_quantile_uniform_position (NsQuantileColumn *column, double x)
{
  const double *q = column->quantiles, *r = column->references;
  guint n = column->n;
  gsize below, at_most;

  if (column->reversed_quantiles != NULL)
    return 0.5 * (ns_numpy_interp (x, q, r, n, &column->guess) -
                  ns_numpy_interp (-x, column->reversed_quantiles, column->reversed_references, n,
                                   &column->reversed_guess));
  ns_sorted_search_bracket (&column->search, x, &below, &at_most);
  return 0.5 * (ns_interp_ascending (x, q, r, n, at_most, column->slopes) -
                ns_interp_reflected (x, q, r, n, below, column->slopes));
}

static double
ns_quantile_column_forward (NsQuantileColumn *column, double x)
{
  double y;

  if (isnan (x))
    return x;
  y = ns_quantile_uniform_position (column, x);
  if (ns_below_lower_bound (column->output, x, column->quantiles[0]))
    y = 0.0;
  else if (ns_above_upper_bound (column->output, x, column->quantiles[column->n - 1]))
    y = 1.0;
  if (column->output == NS_QUANTILE_NORMAL)
    y = CLAMP (ns_norm_ppf (y), column->clip_min, column->clip_max);
  return y;
}

static double
ns_quantile_column_inverse (const NsQuantileColumn *column, double y)
{
  const double *q = column->quantiles;
  gsize below, at_most;

  if (column->output == NS_QUANTILE_NORMAL)
    y = ns_norm_cdf (y);
  if (isnan (y))
    return y;
  if (ns_below_lower_bound (column->output, y, 0.0))
    return q[0];
  if (ns_above_upper_bound (column->output, y, 1.0))
    return q[column->n - 1];
  ns_sorted_search_bracket (&column->search, y, &below, &at_most);
  return ns_interp_ascending (y, column->references, q, column->n, at_most, column->slopes);
}

double
ns_quantile_forward (const double *quantiles, const double *references, guint n,
                     NsQuantileOutput output, double x)
{
  NsQuantileColumn column;
  double y;

  g_return_val_if_fail (n >= 1, NAN);
  ns_quantile_column_init (&column, quantiles, references, n, output, FALSE, FALSE);
  y = ns_quantile_column_forward (&column, x);
  ns_quantile_column_clear (&column);
  return y;
}

double
ns_quantile_inverse (const double *quantiles, const double *references, guint n,
                     NsQuantileOutput output, double y)
{
  NsQuantileColumn column;
  double x;

  g_return_val_if_fail (n >= 1, NAN);
  ns_quantile_column_init (&column, quantiles, references, n, output, TRUE, FALSE);
  x = ns_quantile_column_inverse (&column, y);
  ns_quantile_column_clear (&column);
  return x;
}

void
ns_quantile_transform_values (const double *quantiles, const double *references, guint n,
                              NsQuantileOutput output, gboolean inverse, double *values,
                              gsize n_values)
{
  NsQuantileColumn column;

  g_return_if_fail (n >= 1);
  /* The guide costs about 3n steps to build and saves most of the bisection of each value. */
  ns_quantile_column_init (&column, quantiles, references, n, output, inverse, n_values >= n);
  if (inverse)
    for (gsize i = 0; i < n_values; i++)
      values[i] = ns_quantile_column_inverse (&column, values[i]);
  else
    for (gsize i = 0; i < n_values; i++)
      values[i] = ns_quantile_column_forward (&column, values[i]);
  ns_quantile_column_clear (&column);
}
