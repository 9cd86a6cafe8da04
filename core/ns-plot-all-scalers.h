/* ns-plot-all-scalers.h: scikit-learn's "compare all scalers" figure (plot_all_scaling.py) from
 * already-transformed rows: full-data and zoomed scatters with marginal histograms and a colour
 * bar. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "ns-plot.h"

G_BEGIN_DECLS

/*
 * One row per transformation, drawn as the example's make_plot lays one figure out: the full-data
 * scatter with its top (x) and right (y) marginal histograms of NS_ALL_SCALERS_FULL_BINS bins, the
 * zoom-in scatter of the points strictly inside the 0th-99th percentiles of both coordinates
 * (np.percentile, linear; a coordinate with no value strictly between them keeps those at them)
 * with marginals of NS_ALL_SCALERS_ZOOM_BINS bins, and a colour bar when a
 * colour value is given per point. Points the zoom leaves out are marked at its edges with a
 * count. Rows are stacked vertically in the order added; a figure too wide for one column of rows
 * (a 16:9 slide) puts them in columns, still filled top to bottom.
 *
 * Points are rasterized per panel (a pixel grid with the example's half-transparent discs), so a
 * million points per panel cost a pass over them, not a million cairo paths.
 */
typedef struct _NsAllScalersPlot NsAllScalersPlot;

#define NS_ALL_SCALERS_FULL_BINS 200
#define NS_ALL_SCALERS_ZOOM_BINS 50

typedef enum {
  NS_ALL_SCALERS_FULL,
  NS_ALL_SCALERS_ZOOM,
} NsAllScalersPanel;

typedef enum {
  NS_ALL_SCALERS_LEFT,
  NS_ALL_SCALERS_RIGHT,
  NS_ALL_SCALERS_BOTTOM,
  NS_ALL_SCALERS_TOP,
  NS_ALL_SCALERS_N_SIDES,
} NsAllScalersSide;

/* The zoom of a row: the percentile cut-offs, the points kept, and those beyond each side (a point
 * at or beyond a cut-off on both coordinates counts on both sides). A coordinate with no value
 * strictly between its cut-offs (a 0/1 column), where the strict mask would leave the panel empty,
 * keeps the values at its cut-offs instead (whole[0]: x, whole[1]: y). */
typedef struct {
  double x_lo, x_hi, y_lo, y_hi;
  gsize kept;
  gsize beyond[NS_ALL_SCALERS_N_SIDES];
  gboolean whole[2];
} NsAllScalersZoom;

/* x_label and y_label name the two features (the scatters' axis labels). */
NsAllScalersPlot *ns_all_scalers_plot_new (const char *x_label, const char *y_label);
void ns_all_scalers_plot_free (NsAllScalersPlot *self);

/* A colour value per point (copied; n as every row's), mapped from its minimum to its maximum as
 * the example maps the target. category_names (NULL for a numeric variable): the values are the
 * indices of these names, which then label the colour bar. */
void ns_all_scalers_plot_set_color (NsAllScalersPlot *self, const char *label, const double *values,
                                    gsize n, const char *const *category_names);
void ns_all_scalers_plot_set_dark (NsAllScalersPlot *self, gboolean dark);
/* Transparent background (widgets); exports paint it (default). */
void ns_all_scalers_plot_set_paint_background (NsAllScalersPlot *self, gboolean paint);

/* A row of transformed points (copied). Points with a NaN or infinite coordinate are left out, as
 * matplotlib's scatter leaves them out. Returns the row's index. */
guint ns_all_scalers_plot_add_row (NsAllScalersPlot *self, const char *title, const double *x,
                                   const double *y, gsize n);
/* A row whose transformation could not be fitted: drawn as a panel giving the reason. */
guint ns_all_scalers_plot_add_failed_row (NsAllScalersPlot *self, const char *title,
                                          const char *reason);

guint ns_all_scalers_plot_get_n_rows (const NsAllScalersPlot *self);
const char *ns_all_scalers_plot_row_get_title (const NsAllScalersPlot *self, guint row);
/* Why the row could not be drawn, or NULL. */
const char *ns_all_scalers_plot_row_get_error (const NsAllScalersPlot *self, guint row);
/* Points drawn in the full-data panel (finite on both coordinates). */
gsize ns_all_scalers_plot_row_get_count (const NsAllScalersPlot *self, guint row);
void ns_all_scalers_plot_row_get_zoom (const NsAllScalersPlot *self, guint row,
                                       NsAllScalersZoom *zoom);
/* A marginal histogram's counts (axis 0: x, 1: y) over [lo, hi], binned as np.histogram does. */
const guint64 *ns_all_scalers_plot_row_get_histogram (const NsAllScalersPlot *self, guint row,
                                                      NsAllScalersPanel panel, guint axis,
                                                      guint *n_bins, double *lo, double *hi);

/* The height that gives every row the example's 16:6 shape at this width, rows stacked. */
double ns_all_scalers_plot_default_height (const NsAllScalersPlot *self, double width);
/* The figure fills width x height (pixels or points). */
void ns_all_scalers_plot_draw (NsAllScalersPlot *self, cairo_t *cr, double width, double height);
/* Renders to a PNG/SVG/PDF file (light style on white), atomically. */
gboolean ns_all_scalers_plot_save (NsAllScalersPlot *self, const char *path, NsPlotFormat format,
                                   double width, double height, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsAllScalersPlot, ns_all_scalers_plot_free)

G_END_DECLS
