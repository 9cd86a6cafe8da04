/* ns-plot-data.c: a column binned once on a fine grid, with its moments and Q-Q quantiles.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-private.h"
#include "ns-error.h"
#include "ns-format-double.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

/* The divisor of NS_PLOT_FINE_BINS in [10, most] nearest to wanted. */
guint
_ns_plot_round_bins_below (double wanted, guint most)
{
  guint best = 10;

  for (guint d = 10; d <= most; d++)
    if (NS_PLOT_FINE_BINS % d == 0 && fabs ((double) d - wanted) < fabs ((double) best - wanted))
      best = d;
  return best;
}

guint
_ns_plot_round_bins (guint wanted)
{
  return _ns_plot_round_bins_below (wanted, 240);
}

/* Fine bin edge k; display edges use the same expression so counts and edges always agree. */
static double
ns_plot_data_edge (const NsPlotData *self, guint k)
{
  return k == NS_PLOT_FINE_BINS ? self->hi
                                : self->lo + k * (self->hi - self->lo) / NS_PLOT_FINE_BINS;
}

static long
ns_plot_data_fine_index (const NsPlotData *self, double x, double factor)
{
  long index = CLAMP ((long) ((x - self->lo) * factor), 0, NS_PLOT_FINE_BINS - 1);

  /* The product can round across an edge: settle on the side the edges say. */
  if (index > 0 && x < ns_plot_data_edge (self, index))
    index--;
  else if (index + 1 < NS_PLOT_FINE_BINS && x >= ns_plot_data_edge (self, index + 1))
    index++;
  return index;
}

static void
ns_plot_data_bin (NsPlotData *self, const double *values, gsize n)
{
  double factor = NS_PLOT_FINE_BINS / (self->hi - self->lo);

  for (gsize i = 0; i < n; i++)
    {
      if (isfinite (values[i]))
        self->fine[ns_plot_data_fine_index (self, values[i], factor)]++;
    }
}

/* Freedman-Diaconis bins over a range of the data, 10 to 120; sqrt(n) when the IQR is 0 (ties). */
double
_ns_plot_data_estimate_bins_over (const NsPlotData *self, double range)
{
  double n = self->moments.count;
  double iqr = self->q3 - self->q1;
  double wanted = iqr > 0 ? range / (2 * iqr / cbrt (n)) : sqrt (n);

  return CLAMP (wanted, 10, 120);
}

static guint
ns_plot_data_estimate_bins (const NsPlotData *self)
{
  return _ns_plot_round_bins (
    (guint) _ns_plot_data_estimate_bins_over (self, self->moments.max - self->moments.min));
}

static void
ns_plot_data_grid_quantiles (NsPlotData *self, const double *probabilities, guint n, double *out)
{
  double width = (self->hi - self->lo) / NS_PLOT_FINE_BINS;
  double total = self->moments.count;
  double cumulative = 0;
  guint bin = 0;

  /* probabilities increase except where the extra ones (q1, q3, p01, p99) start: restart there. */
  for (guint i = 0; i < n; i++)
    {
      double target = probabilities[i] * total;

      if (i > 0 && probabilities[i] < probabilities[i - 1])
        bin = 0, cumulative = 0;
      while (bin < NS_PLOT_FINE_BINS - 1 && cumulative + self->fine[bin] < target)
        cumulative += self->fine[bin++];
      out[i] = self->lo +
               width * (bin + (self->fine[bin] ? (target - cumulative) / self->fine[bin] : 0.5));
    }
}

static int
ns_plot_compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Exact type-7 quantiles (numpy's default) without sorting the column: the fine grid tells which
 * bin holds each needed order statistic; only those bins' values are gathered and sorted. */
static void
ns_plot_data_exact_quantiles (NsPlotData *self, const double *values, gsize n,
                              const double *probabilities, guint n_probabilities, double *out)
{
  double factor = NS_PLOT_FINE_BINS / (self->hi - self->lo);
  g_autofree guint64 *start = g_new (guint64, NS_PLOT_FINE_BINS + 1);
  g_autofree GArray **gathered = g_new0 (GArray *, NS_PLOT_FINE_BINS);
  guint64 total = (guint64) self->moments.count;

  start[0] = 0;
  for (guint b = 0; b < NS_PLOT_FINE_BINS; b++)
    start[b + 1] = start[b] + self->fine[b];
  for (guint i = 0; i < n_probabilities; i++)
    {
      guint64 rank = (guint64) floor ((total - 1) * probabilities[i]);

      for (guint64 r = rank; r <= MIN (rank + 1, total - 1); r++)
        for (guint b = 0; b < NS_PLOT_FINE_BINS; b++)
          if (start[b] <= r && r < start[b + 1] && gathered[b] == NULL)
            gathered[b] = g_array_sized_new (FALSE, FALSE, sizeof (double), self->fine[b]);
    }
  for (gsize i = 0; i < n; i++)
    {
      GArray *bin;

      if (!isfinite (values[i]))
        continue;
      bin = gathered[ns_plot_data_fine_index (self, values[i], factor)];
      if (bin != NULL)
        g_array_append_val (bin, values[i]);
    }
  for (guint b = 0; b < NS_PLOT_FINE_BINS; b++)
    if (gathered[b] != NULL)
      qsort (gathered[b]->data, gathered[b]->len, sizeof (double), ns_plot_compare_doubles);
  for (guint i = 0; i < n_probabilities; i++)
    {
      double h = (total - 1) * probabilities[i];
      guint64 rank = (guint64) floor (h);
      double x[2];

      for (guint k = 0; k < 2; k++)
        {
          guint64 r = MIN (rank + k, total - 1);
          guint b = 0;

          while (!(start[b] <= r && r < start[b + 1]))
            b++;
          x[k] = g_array_index (gathered[b], double, r - start[b]);
        }
      out[i] = x[0] + (h - rank) * (x[1] - x[0]);
    }
  for (guint b = 0; b < NS_PLOT_FINE_BINS; b++)
    if (gathered[b] != NULL)
      g_array_unref (gathered[b]);
}

static NsPlotData *
ns_plot_data_build (const double *values, gsize n, gboolean exact, GError **error)
{
  g_autoptr (NsPlotData) self = g_new0 (NsPlotData, 1);
  double probabilities[NS_PLOT_N_QUANTILES];

  ns_moments_init (&self->moments);
  ns_moments_add (&self->moments, values, n, 1);
  if (self->moments.infinite > 0)
    {
      /* Infinite values would make every moment non-finite: leave them out of the plot. */
      ns_moments_init (&self->moments);
      for (gsize i = 0; i < n; i++)
        if (isfinite (values[i]))
          ns_moments_add (&self->moments, &values[i], 1, 1);
    }
  if (self->moments.count == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "nothing to plot: the column has no finite value");
      return NULL;
    }
  self->skipped = n - (gsize) self->moments.count;
  self->lo = self->moments.min;
  self->hi = self->moments.max;
  if (!(self->hi > self->lo))
    {
      /* A constant column still gets a visible bar. */
      self->lo -= 0.5;
      self->hi += 0.5;
    }
  ns_plot_data_bin (self, values, n);

  for (guint i = 0; i < NS_PLOT_QQ_POINTS; i++)
    probabilities[i] = (i + 0.5) / NS_PLOT_QQ_POINTS;
  probabilities[NS_PLOT_QQ_POINTS] = 0.25;
  probabilities[NS_PLOT_QQ_POINTS + 1] = 0.75;
  probabilities[NS_PLOT_QQ_POINTS + 2] = 0.01;
  probabilities[NS_PLOT_QQ_POINTS + 3] = 0.99;
  if (exact)
    ns_plot_data_exact_quantiles (self, values, n, probabilities, NS_PLOT_N_QUANTILES,
                                  self->quantiles);
  else
    ns_plot_data_grid_quantiles (self, probabilities, NS_PLOT_N_QUANTILES, self->quantiles);
  self->q1 = self->quantiles[NS_PLOT_QQ_POINTS];
  self->q3 = self->quantiles[NS_PLOT_QQ_POINTS + 1];
  self->p01 = self->quantiles[NS_PLOT_QQ_POINTS + 2];
  self->p99 = self->quantiles[NS_PLOT_QQ_POINTS + 3];
  self->default_bins = ns_plot_data_estimate_bins (self);
  return g_steal_pointer (&self);
}

NsPlotData *
ns_plot_data_new (const double *values, gsize n, GError **error)
{
  return ns_plot_data_build (values, n, TRUE, error);
}

NsPlotData *
ns_plot_data_new_approximate (const double *values, gsize n, GError **error)
{
  return ns_plot_data_build (values, n, FALSE, error);
}

void
ns_plot_data_free (NsPlotData *self)
{
  g_free (self);
}

NsPlotData *
ns_plot_data_copy (const NsPlotData *self)
{
  return g_memdup2 (self, sizeof *self);
}

const NsMoments *
ns_plot_data_get_moments (const NsPlotData *self)
{
  return &self->moments;
}

char *
ns_plot_data_describe (const NsPlotData *self)
{
  char mean[NS_FORMAT_READABLE_SIZE], std[NS_FORMAT_READABLE_SIZE];

  ns_format_readable (mean, self->moments.mean, 3);
  ns_format_readable (std, sqrt (ns_moments_variance (&self->moments, 0)), 3);
  return g_strdup_printf ("mean %s, std %s (%.0f values)", mean, std, self->moments.count);
}

/* Bin of any data under the affine map (x - offset) / scale: merged fine bins, mapped edges. */
void
_ns_plot_data_get_bin (const NsPlotData *data, guint n_bins, guint bin, double offset, double scale,
                       double *lo, double *hi, guint64 *count)
{
  guint group = NS_PLOT_FINE_BINS / n_bins;
  guint64 sum = 0;

  for (guint i = bin * group; i < (bin + 1) * group; i++)
    sum += data->fine[i];
  if (lo)
    *lo = (ns_plot_data_edge (data, bin * group) - offset) / scale;
  if (hi)
    *hi = (ns_plot_data_edge (data, (bin + 1) * group) - offset) / scale;
  if (count)
    *count = sum;
}
