/* ns-plot.c: the plot data model: a column binned once, panels derived by affine bin edges.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-private.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include "ns-error.h"

/* The divisor of NS_PLOT_FINE_BINS in [10, most] nearest to wanted. */
static guint
ns_plot_round_bins_below (double wanted, guint most)
{
  guint best = 10;

  for (guint d = 10; d <= most; d++)
    if (NS_PLOT_FINE_BINS % d == 0 && fabs ((double) d - wanted) < fabs ((double) best - wanted))
      best = d;
  return best;
}

static guint
ns_plot_round_bins (guint wanted)
{
  return ns_plot_round_bins_below (wanted, 240);
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
static double
ns_plot_data_estimate_bins_over (const NsPlotData *self, double range)
{
  double n = self->moments.count;
  double iqr = self->q3 - self->q1;
  double wanted = iqr > 0 ? range / (2 * iqr / cbrt (n)) : sqrt (n);

  return CLAMP (wanted, 10, 120);
}

static guint
ns_plot_data_estimate_bins (const NsPlotData *self)
{
  return ns_plot_round_bins ((guint) ns_plot_data_estimate_bins_over (
    self, self->moments.max - self->moments.min));
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
      out[i] = self->lo + width * (bin + (self->fine[bin] ? (target - cumulative) / self->fine[bin]
                                                          : 0.5));
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
  char mean[G_ASCII_DTOSTR_BUF_SIZE], std[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (mean, sizeof mean, "%.3g", self->moments.mean);
  g_ascii_formatd (std, sizeof std, "%.3g", sqrt (ns_moments_variance (&self->moments, 0)));
  return g_strdup_printf ("mean %s, std %s (%.0f values)", mean, std, self->moments.count);
}

/* The palette of Okabe & Ito (2008), "Color Universal Design"; black becomes white in dark mode. */
void
ns_plot_palette_color (guint index, gboolean dark, double rgb[3])
{
  static const guint8 colors[8][3] = {
    {0, 0, 0}, {230, 159, 0}, {86, 180, 233}, {0, 158, 115},
    {240, 228, 66}, {0, 114, 178}, {213, 94, 0}, {204, 121, 167},
  };
  index %= 8;
  for (int c = 0; c < 3; c++)
    rgb[c] = (dark && index == 0) ? 1.0 : colors[index][c] / 255.0;
}

NsPlot *
ns_plot_new (void)
{
  NsPlot *self = g_new0 (NsPlot, 1);

  self->title = g_strdup ("");
  self->paint_background = TRUE;
  self->shared_axes = TRUE;
  self->font_scale = 1;
  return self;
}

static void
ns_plot_panel_clear (NsPlotPanel *panel)
{
  g_clear_pointer (&panel->label, g_free);
  g_clear_pointer (&panel->owned, ns_plot_data_free);
  g_clear_pointer (&panel->overlay_label, g_free);
  memset (panel, 0, sizeof *panel);
}

void
ns_plot_clear (NsPlot *self)
{
  for (guint i = 0; i < self->n_panels; i++)
    ns_plot_panel_clear (&self->panels[i]);
  self->n_panels = 0;
}

void
ns_plot_free (NsPlot *self)
{
  if (self == NULL)
    return;
  ns_plot_clear (self);
  g_free (self->title);
  g_free (self);
}

void
ns_plot_set_title (NsPlot *self, const char *title)
{
  g_free (self->title);
  self->title = g_strdup (title ? title : "");
}

const char *
ns_plot_get_title (const NsPlot *self)
{
  return self->title;
}

void
ns_plot_set_mode (NsPlot *self, NsPlotMode mode)
{
  self->mode = mode;
}

NsPlotMode
ns_plot_get_mode (const NsPlot *self)
{
  return self->mode;
}

void
ns_plot_set_dark (NsPlot *self, gboolean dark)
{
  self->dark = dark;
}

void
ns_plot_set_paint_background (NsPlot *self, gboolean paint)
{
  self->paint_background = paint;
}

void
ns_plot_set_range (NsPlot *self, NsPlotRange range)
{
  g_return_if_fail (range <= NS_PLOT_RANGE_P1_P99);
  self->range = range;
}

NsPlotRange
ns_plot_get_range (const NsPlot *self)
{
  return self->range;
}

gboolean
ns_plot_range_from_string (const char *text, NsPlotRange *range, GError **error)
{
  static const char *const names[] = {"full", "0-99", "1-99"};

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *range = (NsPlotRange) i;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown range '%s': expected full, 0-99 or 1-99", text);
  return FALSE;
}

void
ns_plot_set_log_density (NsPlot *self, gboolean log_density)
{
  self->log_density = log_density;
}

gboolean
ns_plot_get_log_density (const NsPlot *self)
{
  return self->log_density;
}

gboolean
ns_plot_layout_is_log (const NsPlot *self)
{
  return self->log_density && self->mode == NS_PLOT_HISTOGRAM;
}

void
ns_plot_set_font_scale (NsPlot *self, double scale)
{
  g_return_if_fail (scale > 0 && scale <= 8);
  self->font_scale = scale;
}

double
ns_plot_get_font_scale (const NsPlot *self)
{
  return self->font_scale;
}

void
ns_plot_get_qq_window (const NsPlot *self, guint *first, guint *last)
{
  /* Point i sits at probability (i + 0.5) / n: keep those inside [p_lo, p_hi]. */
  double p_lo = self->range == NS_PLOT_RANGE_P1_P99 ? 0.01 : 0;
  double p_hi = self->range == NS_PLOT_RANGE_FULL ? 1 : 0.99;

  *first = (guint) ceil (p_lo * NS_PLOT_QQ_POINTS - 0.5 - 1e-9);
  *last = (guint) floor (p_hi * NS_PLOT_QQ_POINTS - 0.5 + 1e-9);
  *last = MIN (*last, NS_PLOT_QQ_POINTS - 1);
}

void
ns_plot_set_shared_axes (NsPlot *self, gboolean shared)
{
  self->shared_axes = shared;
}

gboolean
ns_plot_get_shared_axes (const NsPlot *self)
{
  return self->shared_axes;
}

void
ns_plot_set_bins (NsPlot *self, guint bins)
{
  self->bins = bins == 0 ? 0 : ns_plot_round_bins (bins);
}

guint
ns_plot_get_bins (const NsPlot *self)
{
  if (self->bins != 0)
    return self->bins;
  for (guint i = 0; i < self->n_panels; i++)
    if (self->panels[i].kind == NS_PLOT_PANEL_RAW)
      return self->panels[i].data->default_bins;
  return self->n_panels > 0 ? self->panels[0].data->default_bins : 40;
}

static guint
ns_plot_add_panel (NsPlot *self, NsPlotPanelKind kind, const char *label, const NsPlotData *data,
                   double offset, double scale)
{
  NsPlotPanel *panel;

  g_return_val_if_fail (self->n_panels < NS_PLOT_MAX_PANELS, 0);
  g_return_val_if_fail (data != NULL, 0);
  panel = &self->panels[self->n_panels];
  panel->kind = kind;
  panel->label = g_strdup (label);
  panel->data = data;
  panel->offset = offset;
  panel->scale = scale;
  panel->strategy = NS_STRATEGY_NONE;
  return self->n_panels++;
}

guint
ns_plot_add_raw (NsPlot *self, const char *label, const NsPlotData *data)
{
  return ns_plot_add_panel (self, NS_PLOT_PANEL_RAW, label, data, 0, 1);
}

guint
ns_plot_add_affine (NsPlot *self, const char *label, const NsPlotData *data,
                    double offset, double scale)
{
  g_return_val_if_fail (scale > 0 && isfinite (scale) && isfinite (offset), 0);
  return ns_plot_add_panel (self, NS_PLOT_PANEL_AFFINE, label, data, offset, scale);
}

guint
ns_plot_add_values (NsPlot *self, const char *label, NsPlotData *data)
{
  guint index = ns_plot_add_panel (self, NS_PLOT_PANEL_VALUES, label, data, 0, 1);

  self->panels[index].owned = data;
  return index;
}

void
ns_plot_panel_set_strategy (NsPlot *self, guint panel, NsStrategy strategy)
{
  g_return_if_fail (panel < self->n_panels);
  g_return_if_fail (strategy == NS_STRATEGY_NONE || (guint) strategy < NS_N_STRATEGIES);
  self->panels[panel].strategy = strategy;
}

NsStrategy
ns_plot_panel_get_strategy (const NsPlot *self, guint panel)
{
  g_return_val_if_fail (panel < self->n_panels, NS_STRATEGY_NONE);
  return self->panels[panel].strategy;
}

void
ns_plot_panel_get_color (const NsPlot *self, guint panel, double rgb[3])
{
  g_return_if_fail (panel < self->n_panels);
  ns_strategy_get_color (self->panels[panel].strategy, self->dark, rgb);
}

void
ns_plot_set_overlay (NsPlot *self, guint panel, const char *label, const NsPlotData *data,
                     double offset, double scale)
{
  NsPlotPanel *p;

  g_return_if_fail (panel < self->n_panels);
  g_return_if_fail (scale > 0);
  p = &self->panels[panel];
  g_free (p->overlay_label);
  p->overlay_label = g_strdup (label);
  p->overlay = data;
  p->overlay_offset = offset;
  p->overlay_scale = scale;
}

guint
ns_plot_get_n_panels (const NsPlot *self)
{
  return self->n_panels;
}

const char *
ns_plot_panel_get_label (const NsPlot *self, guint panel)
{
  g_return_val_if_fail (panel < self->n_panels, NULL);
  return self->panels[panel].label;
}

gboolean
ns_plot_panel_is_normalized (const NsPlot *self, guint panel)
{
  g_return_val_if_fail (panel < self->n_panels, FALSE);
  return self->panels[panel].kind != NS_PLOT_PANEL_RAW;
}

/* The fine-grid span [lo, hi] of data a zoomed panel shows (FALSE: the whole grid). */
static gboolean
ns_plot_data_zoom_span (const NsPlotData *data, NsPlotRange range, double *lo, double *hi)
{
  *lo = range == NS_PLOT_RANGE_P1_P99 ? data->p01 : data->lo;
  *hi = data->p99;
  return range != NS_PLOT_RANGE_FULL && *hi > *lo;
}

/* Display bins over the whole fine grid: the figure's bins when it shows every value; zoomed,
 * as many as put about the figure's bins (or Freedman-Diaconis's) into the visible span. */
guint
_ns_plot_panel_bins (const NsPlot *self, const NsPlotPanel *p)
{
  double lo, hi, wanted;

  if (self->mode != NS_PLOT_HISTOGRAM || !ns_plot_data_zoom_span (p->data, self->range, &lo, &hi))
    return ns_plot_get_bins (self);
  wanted = self->bins ? self->bins : ns_plot_data_estimate_bins_over (p->data, hi - lo);
  return ns_plot_round_bins_below (wanted * (p->data->hi - p->data->lo) / (hi - lo),
                                   NS_PLOT_FINE_BINS);
}

/* The x extent a panel shows in its own units: whole display bins around the visible span. */
void
_ns_plot_panel_window (const NsPlot *self, const NsPlotPanel *p, double *x_lo, double *x_hi)
{
  guint n_bins = _ns_plot_panel_bins (self, p);
  double lo = p->data->lo, hi = p->data->hi, width;
  guint first, last;

  if (ns_plot_data_zoom_span (p->data, self->range, &lo, &hi) && self->mode == NS_PLOT_HISTOGRAM)
    {
      width = (p->data->hi - p->data->lo) / n_bins;
      first = (guint) CLAMP (floor ((lo - p->data->lo) / width), 0, n_bins - 1);
      last = (guint) CLAMP (floor ((hi - p->data->lo) / width), first, n_bins - 1);
      _ns_plot_data_get_bin (p->data, n_bins, first, p->offset, p->scale, x_lo, NULL, NULL);
      _ns_plot_data_get_bin (p->data, n_bins, last, p->offset, p->scale, NULL, x_hi, NULL);
      return;
    }
  *x_lo = (p->data->lo - p->offset) / p->scale;
  *x_hi = (p->data->hi - p->offset) / p->scale;
}

guint
ns_plot_panel_get_n_bins (const NsPlot *self, guint panel)
{
  g_return_val_if_fail (panel < self->n_panels, 0);
  return _ns_plot_panel_bins (self, &self->panels[panel]);
}

/* Bin of any data under the affine map (x - offset) / scale: merged fine bins, mapped edges. */
void
_ns_plot_data_get_bin (const NsPlotData *data, guint n_bins, guint bin, double offset,
                       double scale, double *lo, double *hi, guint64 *count)
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

void
ns_plot_panel_get_bin (const NsPlot *self, guint panel, guint bin, double *lo, double *hi,
                       guint64 *count)
{
  const NsPlotPanel *p;
  guint n_bins;

  g_return_if_fail (panel < self->n_panels);
  p = &self->panels[panel];
  n_bins = _ns_plot_panel_bins (self, p);
  g_return_if_fail (bin < n_bins);
  _ns_plot_data_get_bin (p->data, n_bins, bin, p->offset, p->scale, lo, hi, count);
}

double
ns_plot_panel_get_mean (const NsPlot *self, guint panel)
{
  const NsPlotPanel *p;

  g_return_val_if_fail (panel < self->n_panels, NAN);
  p = &self->panels[panel];
  return (p->data->moments.mean - p->offset) / p->scale;
}

double
ns_plot_panel_get_std (const NsPlot *self, guint panel)
{
  const NsPlotPanel *p;

  g_return_val_if_fail (panel < self->n_panels, NAN);
  p = &self->panels[panel];
  return sqrt (ns_moments_variance (&p->data->moments, 0)) / p->scale;
}

guint64
ns_plot_panel_get_count (const NsPlot *self, guint panel)
{
  g_return_val_if_fail (panel < self->n_panels, 0);
  return (guint64) self->panels[panel].data->moments.count;
}

void
ns_plot_panel_get_qq_point (const NsPlot *self, guint panel, guint i, double *theoretical,
                            double *sample)
{
  const NsPlotPanel *p;

  g_return_if_fail (panel < self->n_panels && i < NS_PLOT_QQ_POINTS);
  p = &self->panels[panel];
  if (theoretical)
    *theoretical = gsl_cdf_ugaussian_Pinv ((i + 0.5) / NS_PLOT_QQ_POINTS);
  if (sample)
    *sample = (p->data->quantiles[i] - p->offset) / p->scale;
}

gboolean
ns_plot_format_from_path (const char *path, NsPlotFormat *format, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = NS_PLOT_FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = NS_PLOT_FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = NS_PLOT_FORMAT_PDF;
  else
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: unknown figure format: expected a name ending in .png, .svg or .pdf", path);
      return FALSE;
    }
  return TRUE;
}
