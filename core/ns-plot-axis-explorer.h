/* ns-plot-axis-explorer.h: the axis explorer's figure: the Group Normalization paper's cubes (which
 * cells each kind pools) over the explored tensor's outputs, per-sample means and batch-size sweep.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "ns-axis-explorer.h"
#include "ns-plot.h"
#include "ns-plot-series-bn.h"

G_BEGIN_DECLS

/* Samples shown in the per-sample panel (the first ones): more would be a solid band. */
#define NS_AXIS_FIGURE_MAX_SAMPLES 64

/* Whether the cube cell (sample n, channel c) is pooled with the shown sample 0 and channel
 * shown_c by kind, when channels come in groups of group_size (group norm). Every H, W cell of a
 * pooled (n, c) is. */
gboolean ns_axis_figure_cell_pooled (NsLayerNormKind kind, gsize n, gsize c, gsize shown_c,
                                     gsize group_size);
/* The colour of kind's histogram and lines in the lower panels, on a light or a dark background. */
void ns_axis_figure_kind_color (NsLayerNormKind kind, gboolean dark, double rgb[3]);
/* The lower panels (each kind's output histogram, the mean each sample is centred with, the
 * batch-size sweep) as a series figure. */
NsPlotSeries *ns_axis_figure_series (const NsAxisExplorer *explorer);
/* The whole figure: five cubes above the panels; selected gets a frame (batch to rms). */
void ns_axis_figure_draw (const NsAxisExplorer *explorer, NsLayerNormKind selected, gboolean dark,
                          gboolean paint_background, cairo_t *cr, double width, double height);
/* The band of five cubes alone, each with its title and captions (wrapped and shrunk to its width).
 */
void ns_axis_figure_draw_cubes (const NsAxisExplorer *explorer, NsLayerNormKind selected,
                                gboolean dark, cairo_t *cr, double width, double height);
/* Where the cube of kind is drawn in a figure of width x height. */
void ns_axis_figure_cube_area (double width, double height, NsLayerNormKind kind,
                               cairo_rectangle_t *area);
/* The figure to PNG, SVG or PDF (light style on white), atomically. */
gboolean ns_axis_figure_save (const NsAxisExplorer *explorer, NsLayerNormKind selected,
                              const char *path, NsPlotFormat format, double width, double height,
                              GError **error);

G_END_DECLS
