/* ns-plot-private.h: the structures shared by the plot model and its drawing code.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-plot.h"

G_BEGIN_DECLS

#define NS_PLOT_N_QUANTILES (NS_PLOT_QQ_POINTS + 4)

struct _NsPlotData {
  guint64 fine[NS_PLOT_FINE_BINS];
  double lo, hi;                         /* fine grid range */
  NsMoments moments;                     /* of the finite values */
  gsize skipped;                         /* NaN and infinite values */
  double quantiles[NS_PLOT_N_QUANTILES]; /* Q-Q points, then q1, q3, p01, p99 */
  double q1, q3;
  double p01, p99; /* 1st and 99th percentiles: the zoomed ranges */
  guint default_bins;
};

typedef enum {
  NS_PLOT_PANEL_RAW,
  NS_PLOT_PANEL_AFFINE,
  NS_PLOT_PANEL_VALUES,
} NsPlotPanelKind;

typedef struct {
  NsPlotPanelKind kind;
  char *label;
  const NsPlotData *data;
  NsPlotData *owned;
  double offset, scale;
  NsStrategy strategy;
  char *overlay_label;
  const NsPlotData *overlay;
  double overlay_offset, overlay_scale;
} NsPlotPanel;

/* Where everything goes for one figure size. */
typedef struct {
  double font;    /* base font size */
  gboolean log_y; /* y_lo, y_hi, y_step in log10 density */
  double title_height, legend_height;
  guint cols, rows;
  cairo_rectangle_t area[NS_PLOT_MAX_PANELS]; /* plot areas (inside the axes) */
  double x_lo[NS_PLOT_MAX_PANELS], x_hi[NS_PLOT_MAX_PANELS];
  double y_lo[NS_PLOT_MAX_PANELS], y_hi[NS_PLOT_MAX_PANELS];
  double x_step[NS_PLOT_MAX_PANELS], y_step[NS_PLOT_MAX_PANELS];
  guint n_bins[NS_PLOT_MAX_PANELS];
  guint64 left[NS_PLOT_MAX_PANELS], right[NS_PLOT_MAX_PANELS]; /* values beyond the x axis */
} NsPlotLayout;

struct _NsPlot {
  char *title;
  NsPlotMode mode;
  gboolean dark;
  gboolean paint_background;
  guint bins;
  NsPlotRange range;
  gboolean shared_axes;
  gboolean log_density;
  double font_scale;
  guint n_panels;
  NsPlotPanel panels[NS_PLOT_MAX_PANELS];
};

/* The colours of a figure in the light or dark style (shared by every figure type). */
typedef struct {
  double background[3];
  double foreground[3];
  double grid[4];
  double muted[3];
} NsPlotStyle;

void _ns_plot_style_init (NsPlotStyle *style, gboolean dark);
/* Text anchored at (x, y): halign/valign 0 = start, 0.5 = centre, 1 = end; its box is recorded
 * for ns_plot_record_text_boxes. */
void _ns_plot_text (cairo_t *cr, double x, double y, const char *text, double halign,
                    double valign);
/* The ticks of an axis: multiples of step from lo to hi, or for a constant axis (step 0) its
 * middle, the value every point has (ns_plot_format_tick labels it so). */
guint _ns_plot_axis_ticks (double lo, double hi, double step, double *ticks, guint max_ticks);
/* The axis window of a constant (value), three times as wide as the bar that draws it. */
void _ns_plot_constant_window (double value, double bar_width, double *lo, double *hi);
/* A y tick's label beside the axis at axis_x, or a constant axis' (step 0) inside the plot. */
void _ns_plot_y_tick_label (cairo_t *cr, double axis_x, double y, const char *label, double step,
                            double font);
/* text at font, or smaller (down to smallest) so that it fits max_width, then ellipsized. */
void _ns_plot_text_shrink (cairo_t *cr, double x, double y, const char *text, double max_width,
                           double font, double smallest, double halign, double valign);
/* _ns_plot_text cut with "…" to at most max_width (nothing when not even "…" fits). */
void _ns_plot_text_fit (cairo_t *cr, double x, double y, const char *text, double max_width,
                        double halign, double valign);
/* Appends box to the boxes ns_plot_record_text_boxes attached to cr, if any. */
void _ns_plot_record_box (cairo_t *cr, const cairo_rectangle_t *box);
/* The divisor of NS_PLOT_FINE_BINS in [10, most] nearest to wanted. */
guint _ns_plot_round_bins_below (double wanted, guint most);
guint _ns_plot_round_bins (guint wanted);
/* Freedman-Diaconis bins over a range of the data, 10 to 120; sqrt(n) when the IQR is 0 (ties). */
double _ns_plot_data_estimate_bins_over (const NsPlotData *self, double range);
void _ns_plot_data_get_bin (const NsPlotData *data, guint n_bins, guint bin, double offset,
                            double scale, double *lo, double *hi, guint64 *count);
guint _ns_plot_panel_bins (const NsPlot *self, const NsPlotPanel *p);
void _ns_plot_panel_window (const NsPlot *self, const NsPlotPanel *p, double *x_lo, double *x_hi);
int _ns_plot_bin_side (double lo, double hi, double x_lo, double x_hi);
void _ns_plot_layout (const NsPlot *self, double width, double height, NsPlotLayout *layout);

G_END_DECLS
