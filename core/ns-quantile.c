/* ns-quantile.c: exact type-7 quantiles by selection on a scratch copy (by one sort when so many
 * are asked for that a selection per rank would cost more).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-quantile.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

/* One order statistic that a quantile needs, remembered with its rank. */
typedef struct {
  gsize rank;
  double value;
} NsOrderStatistic;

static int
ns_compare_rank (gconstpointer a, gconstpointer b)
{
  gsize x = ((const NsOrderStatistic *) a)->rank, y = ((const NsOrderStatistic *) b)->rank;

  return x < y ? -1 : x > y;
}

/* Moves the smallest value of data[0..n) to data[0] and returns it: the next order statistic
 * right after a selection, found in one pass. */
static double
ns_take_min (double *data, gsize n)
{
  gsize best = 0;
  double lo;

  for (gsize i = 1; i < n; i++)
    best = data[i] < data[best] ? i : best;
  lo = data[best];
  data[best] = data[0];
  data[0] = lo;
  return lo;
}

/* Selects every needed rank in increasing order. After gsl_stats_select (nth-element) puts rank k
 * in place, everything right of it is >= it, so the next rank is searched only in the right part,
 * and a rank right after the last one is just the minimum of that part: O(n) per distinct rank on
 * shrinking ranges (a quartile pair and the median cost about 2.5 selections). */
static void
ns_select_ranks (double *scratch, gsize n, NsOrderStatistic *wanted, guint n_wanted)
{
  gsize base = 0;

  qsort (wanted, n_wanted, sizeof *wanted, ns_compare_rank);
  for (guint i = 0; i < n_wanted; i++)
    {
      gsize k = wanted[i].rank;

      if (i > 0 && k == wanted[i - 1].rank)
        wanted[i].value = wanted[i - 1].value;
      else if (i > 0 && k == wanted[i - 1].rank + 1 && k == base)
        wanted[i].value = ns_take_min (scratch + base, n - base);
      else
        wanted[i].value = gsl_stats_select (scratch + base, 1, n - base, k - base);
      base = k + 1;
      if (base >= n)
        base = n - 1;
    }
}

/* numpy's _lerp: a + (b - a) t below t = 0.5, b - (b - a) (1 - t) from there on (exact ends). */
static double
ns_lerp (double a, double b, double t)
{
  double diff = b - a;

  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

/* numpy's median averages the two middle values, (a + b) / 2 (not the lerp at t = 0.5), whose
 * bits this keeps; where a + b overflows, a / 2 + b / 2 is exact and finite instead of inf. */
static double
ns_midpoint (double a, double b)
{
  double sum = a + b;

  return isfinite (sum) || !isfinite (a) || !isfinite (b) ? sum / 2.0 : a / 2.0 + b / 2.0;
}

static int
ns_compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Type 7: h = (n - 1) p; interpolates between ranks floor(h) and floor(h) + 1. */
static double
ns_type7_position (gsize kept, double probability, gsize *lo, gsize *hi)
{
  double h = (double) (kept - 1) * CLAMP (probability, 0.0, 1.0);
  double lo_rank = floor (h);

  *lo = (gsize) lo_rank;
  *hi = MIN (*lo + 1, kept - 1);
  return h - lo_rank;
}

/* The same quantiles read off the sorted values: one sort costs n log n, a selection per rank
 * about n each, so a long list of probabilities (QuantileTransformer's 1000) sorts. */
static void
ns_quantiles_by_sort (double *scratch, gsize kept, const double *probabilities,
                      guint n_probabilities, double *results, double *median)
{
  qsort (scratch, kept, sizeof (double), ns_compare_doubles);
  for (guint p = 0; p < n_probabilities; p++)
    {
      gsize lo, hi;
      double t = ns_type7_position (kept, probabilities[p], &lo, &hi);

      results[p] = ns_lerp (scratch[lo], scratch[hi], t);
    }
  if (median != NULL)
    *median = ns_midpoint (scratch[(kept - 1) / 2], scratch[kept / 2]);
}

static double
ns_find_rank (const NsOrderStatistic *wanted, guint n_wanted, gsize rank)
{
  for (guint i = 0; i < n_wanted; i++)
    if (wanted[i].rank == rank)
      return wanted[i].value;
  g_return_val_if_reached (NAN);
}

void
ns_quantiles (const double *values, gsize n, gsize stride, const double *probabilities,
              guint n_probabilities, double *results)
{
  ns_quantiles_and_median (values, n, stride, probabilities, n_probabilities, results, NULL);
}

void
ns_quantiles_and_median (const double *values, gsize n, gsize stride, const double *probabilities,
                         guint n_probabilities, double *results, double *median)
{
  guint n_wanted = 2 * n_probabilities + 2;

  g_autofree double *scratch = NULL;
  g_autofree NsOrderStatistic *wanted = NULL;
  gsize kept = 0;

  if (n_probabilities == 0 && median == NULL)
    return;
  scratch = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i * stride]))
      scratch[kept++] = values[i * stride];
  if (kept == 0)
    {
      for (guint p = 0; p < n_probabilities; p++)
        results[p] = NAN;
      if (median != NULL)
        *median = NAN;
      return;
    }

  if (n_wanted > 2 * g_bit_storage (kept))
    {
      ns_quantiles_by_sort (scratch, kept, probabilities, n_probabilities, results, median);
      return;
    }
  wanted = g_new (NsOrderStatistic, n_wanted);
  wanted[2 * n_probabilities] = (NsOrderStatistic) { (kept - 1) / 2, 0 };
  wanted[2 * n_probabilities + 1] = (NsOrderStatistic) { kept / 2, 0 };
  for (guint p = 0; p < n_probabilities; p++)
    {
      gsize lo, hi;

      ns_type7_position (kept, probabilities[p], &lo, &hi);
      wanted[2 * p] = (NsOrderStatistic) { lo, 0 };
      wanted[2 * p + 1] = (NsOrderStatistic) { hi, 0 };
    }
  ns_select_ranks (scratch, kept, wanted, n_wanted);

  for (guint p = 0; p < n_probabilities; p++)
    {
      gsize lo, hi;
      double t = ns_type7_position (kept, probabilities[p], &lo, &hi);

      results[p] =
        ns_lerp (ns_find_rank (wanted, n_wanted, lo), ns_find_rank (wanted, n_wanted, hi), t);
    }
  if (median != NULL)
    *median = ns_midpoint (ns_find_rank (wanted, n_wanted, (kept - 1) / 2),
                           ns_find_rank (wanted, n_wanted, kept / 2));
}
