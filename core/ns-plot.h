/* ns-plot.h: the plot model (panels of binned columns, Q-Q points) and its cairo drawing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "ns-error.h"
#include "ns-moments.h"
#include "ns-plot-data.h"
#include "ns-strategy.h"

G_BEGIN_DECLS

#define NS_PLOT_MAX_PANELS 6

typedef struct _NsPlot NsPlot;

typedef enum {
  NS_PLOT_HISTOGRAM,
  NS_PLOT_QQ,
} NsPlotMode;

/* Colour-blind-safe palette (Okabe & Ito 2008), indices 0..7. */
void ns_plot_palette_color (guint index, gboolean dark, double rgb[3]);

NsPlot *ns_plot_new (void);
void ns_plot_free (NsPlot *self);

/* The figure: a title (e.g. the column name), panels, and display options. */
void ns_plot_set_title (NsPlot *self, const char *title);
void ns_plot_set_mode (NsPlot *self, NsPlotMode mode);
NsPlotMode ns_plot_get_mode (const NsPlot *self);
void ns_plot_set_dark (NsPlot *self, gboolean dark);
/* Transparent background (for widgets); exports paint the background. */
void ns_plot_set_paint_background (NsPlot *self, gboolean paint);
typedef enum {
  NS_PLOT_RANGE_FULL,   /* every value */
  NS_PLOT_RANGE_P0_P99, /* histograms zoomed to the 0th-99th percentile of each panel's values */
  NS_PLOT_RANGE_P1_P99, /* zoomed to the 1st-99th percentile (outliers on both sides) */
} NsPlotRange;

/* What the histograms show (default: every value). Zoomed panels count the values beyond their x
 * axis at its edges; Q-Q plots always show every quantile. */
void ns_plot_set_range (NsPlot *self, NsPlotRange range);
NsPlotRange ns_plot_get_range (const NsPlot *self);
/* "full", "0-99" or "1-99" (the CLI's --range). */
gboolean ns_plot_range_from_string (const char *text, NsPlotRange *range, GError **error);
/* Histograms on a log10 density axis (decades), so a tail of a few values shows beside the peak. */
void ns_plot_set_log_density (NsPlot *self, gboolean log_density);
/* Text (and line) size relative to the size the figure's dimensions give (default 1; slides and
 * presentation mode use more). */
void ns_plot_set_font_scale (NsPlot *self, double scale);
double ns_plot_get_font_scale (const NsPlot *self);
/* The Q-Q points a zoomed range shows: [first, last] of 0..NS_PLOT_QQ_POINTS-1, whose probabilities
 * lie inside the range's percentiles (all of them for the full range). */
void ns_plot_get_qq_window (const NsPlot *self, guint *first, guint *last);
/* Normalized panels share one x and y range (default) or each gets its own. */
void ns_plot_set_shared_axes (NsPlot *self, gboolean shared);
gboolean ns_plot_get_shared_axes (const NsPlot *self);
/* Requested display bins (0: the data's default); rounded to a divisor of NS_PLOT_FINE_BINS. */
void ns_plot_set_bins (NsPlot *self, guint bins);
guint ns_plot_get_bins (const NsPlot *self);

void ns_plot_clear (NsPlot *self);
/* The raw column (data is borrowed and must outlive the plot's use of it). Returns the panel index.
 */
guint ns_plot_add_raw (NsPlot *self, const char *label, const NsPlotData *data);
/* data normalized by (x - offset) / scale (scale > 0). Drawn on the shared normalized axes. */
guint ns_plot_add_affine (NsPlot *self, const char *label, const NsPlotData *data, double offset,
                          double scale);
/* A panel of its own values (taken as given, e.g. batch norm training outputs). */
guint ns_plot_add_values (NsPlot *self, const char *label, NsPlotData *data);
/* The strategy a panel shows: its colour comes from the strategy's, never from the panel's place
 * (panels without one, such as the raw data, take the raw data's colour). */
void ns_plot_panel_set_strategy (NsPlot *self, guint panel, NsStrategy strategy);
NsStrategy ns_plot_panel_get_strategy (const NsPlot *self, guint panel);
/* The panel's fill colour as drawn (light or dark style). */
void ns_plot_panel_get_color (const NsPlot *self, guint panel, double rgb[3]);
/* A secondary dataset (e.g. a test file) normalized with the same offset/scale, overlaid on panel
 * as a dashed outline in the text colour: no strategy is grey, so it never reads as one. */
void ns_plot_set_overlay (NsPlot *self, guint panel, const char *label, const NsPlotData *data,
                          double offset, double scale);

/* The data model, for widgets, exports and tests. */
guint ns_plot_get_n_panels (const NsPlot *self);
const char *ns_plot_panel_get_label (const NsPlot *self, guint panel);
gboolean ns_plot_panel_is_normalized (const NsPlot *self, guint panel);
/* Display bins of a panel over all its values (zoomed panels get more, finer bins): edges and
 * counts. bin_count is the number of values in [lo, hi)
 * (the last bin includes hi). */
guint ns_plot_panel_get_n_bins (const NsPlot *self, guint panel);
void ns_plot_panel_get_bin (const NsPlot *self, guint panel, guint bin, double *lo, double *hi,
                            guint64 *count);
/* Mean and (population) standard deviation of the panel's values. */
double ns_plot_panel_get_mean (const NsPlot *self, guint panel);
double ns_plot_panel_get_std (const NsPlot *self, guint panel);
guint64 ns_plot_panel_get_count (const NsPlot *self, guint panel);
/* Q-Q: sample quantile at probability (i + 0.5) / NS_PLOT_QQ_POINTS against the N(0,1) quantile. */
void ns_plot_panel_get_qq_point (const NsPlot *self, guint panel, guint i, double *theoretical,
                                 double *sample);

/* Layout and drawing. The figure fills width x height (user units: pixels or points). */
void ns_plot_draw (NsPlot *self, cairo_t *cr, double width, double height);
/* The plot area of a panel in the last layout (after a draw at the same size). */
gboolean ns_plot_get_panel_area (NsPlot *self, double width, double height, guint panel,
                                 cairo_rectangle_t *area);
/* Whether the panel's y axis is in log10 density (log density on, histogram mode). */
gboolean ns_plot_layout_is_log (const NsPlot *self);
/* Values of a panel whose bins lie beyond its x axis, left and right (0 when every value shows). */
void ns_plot_get_panel_outside (NsPlot *self, double width, double height, guint panel,
                                guint64 *left, guint64 *right);
/* The axis ranges of a panel for a figure of width x height. */
void ns_plot_get_panel_axes (NsPlot *self, double width, double height, guint panel, double *x_lo,
                             double *x_hi, double *y_lo, double *y_hi);

/* While boxes (a GArray of cairo_rectangle_t) is attached to cr, every text a figure draws on cr
 * (this plot's and the all-scalers figure's) appends its box, in figure coordinates; NULL detaches
 * it. For layout tests: no two labels overlap and none leaves the figure. */
void ns_plot_record_text_boxes (cairo_t *cr, GArray *boxes);
/* The same for the texts themselves: texts (a GPtrArray with g_free) gains a copy of each. */
void ns_plot_record_texts (cairo_t *cr, GPtrArray *texts);

/* NsPlotHit.bin over a zoomed panel's count of values beyond its axis (lo, hi: where they lie). */
#define NS_PLOT_HIT_BEYOND G_MAXUINT

typedef struct {
  guint panel;
  guint bin;     /* histogram mode (or NS_PLOT_HIT_BEYOND); in Q-Q mode the nearest point */
  double lo, hi; /* bin range in the panel's units */
  guint64 count;
  double theoretical, sample; /* Q-Q mode */
} NsPlotHit;

/* What is under (x, y) for a figure of width x height: a bin (or Q-Q point) of a panel. */
gboolean ns_plot_hit_test (NsPlot *self, double width, double height, double x, double y,
                           NsPlotHit *hit);
/* A one-line read-out of a hit ("standard: [-0.52, -0.41): 12 values"). */
char *ns_plot_hit_describe (const NsPlot *self, const NsPlotHit *hit);

/* Nice axis ticks (Heckbert 1990): up to about target ticks covering [lo, hi]. Returns the number
 * written to ticks (at most max_ticks) and the step. */
guint ns_plot_nice_ticks (double lo, double hi, guint target, double *ticks, guint max_ticks,
                          double *step);
/* Formats a tick value with the precision the step needs ("0.25", "1e+06"); step 0 marks the one
 * tick of a constant axis, "5 (constant)". */
char *ns_plot_format_tick (double value, double step);

typedef enum {
  NS_PLOT_FORMAT_PNG,
  NS_PLOT_FORMAT_SVG,
  NS_PLOT_FORMAT_PDF,
} NsPlotFormat;

/* From a file name's extension (.png, .svg, .pdf); error names the file. */
gboolean ns_plot_format_from_path (const char *path, NsPlotFormat *format, GError **error);
/* Draws any figure into a PNG/SVG/PDF file of width x height through a cairo surface, atomically
 * (a failed write leaves no file). Shared by every figure type's save function. */
typedef void (*NsPlotDrawFunc) (cairo_t *cr, double width, double height, gpointer data);
gboolean ns_plot_render_to_file (const char *path, NsPlotFormat format, double width, double height,
                                 NsPlotDrawFunc draw, gpointer data, GError **error);
/* Renders the figure to a file (white background, light style). Writes atomically. */
gboolean ns_plot_save (NsPlot *self, const char *path, NsPlotFormat format, double width,
                       double height, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPlot, ns_plot_free)

G_END_DECLS
