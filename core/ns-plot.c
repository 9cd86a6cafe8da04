/* ns-plot.c: the plot model: panels of binned columns, raw or under an affine map, and their
 * display options; the histogram bins it shows are merged fine bins with mapped edges.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-private.h"
#include "ns-error.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

/* The palette of Okabe & Ito (2008), "Color Universal Design"; black becomes white in dark mode. */
void
ns_plot_palette_color (guint index, gboolean dark, double rgb[3])
{
  static const guint8 colors[8][3] = {
    { 0, 0, 0 },      { 230, 159, 0 }, { 86, 180, 233 }, { 0, 158, 115 },
    { 240, 228, 66 }, { 0, 114, 178 }, { 213, 94, 0 },   { 204, 121, 167 },
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
  static const char *const names[] = { "full", "0-99", "1-99" };

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
  self->bins = bins == 0 ? 0 : _ns_plot_round_bins (bins);
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
ns_plot_add_affine (NsPlot *self, const char *label, const NsPlotData *data, double offset,
                    double scale)
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

  if (p->data->moments.min == p->data->moments.max)
    return 1; /* a constant column: one bar around its value */
  if (self->mode != NS_PLOT_HISTOGRAM || !ns_plot_data_zoom_span (p->data, self->range, &lo, &hi))
    return ns_plot_get_bins (self);
  wanted = self->bins ? self->bins : _ns_plot_data_estimate_bins_over (p->data, hi - lo);
  return _ns_plot_round_bins_below (wanted * (p->data->hi - p->data->lo) / (hi - lo),
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
