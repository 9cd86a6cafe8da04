/* ns-plot-points.h: scatter points rasterized onto a pixel grid, and the colour map they use.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <cairo.h>

G_BEGIN_DECLS

/* What to rasterize: n points (x[i], y[i]) seen through the window [x_lo, x_hi] x [y_lo, y_hi],
 * each a disc of radius pixels and opacity alpha, coloured by ns_plot_points_colormap (color[i])
 * or, without color (NULL) or where color[i] is NaN, by rgb. */
typedef struct {
  const double *x, *y, *color;
  gsize         n;
  double        x_lo, x_hi, y_lo, y_hi;
  double        radius, alpha;
  double        rgb[3];
} NsPlotPoints;

/*
 * An ARGB32 surface of width x height pixels. Points are counted per pixel, then every pixel takes
 * the points of the discs that cover it: opacity 1 - (1 - alpha)^k for k of them (the result of
 * drawing them one over the other) and the mean of their colour values. Linear in the points, so a
 * million of them cost milliseconds where a million cairo arcs cost seconds.
 */
cairo_surface_t *ns_plot_points_rasterize (const NsPlotPoints *points, int width, int height);

/* The continuous colour map for t in [0, 1]: Green's cubehelix (2011; start 0.5, -1.5 rotations
 * as matplotlib's cubehelix, hue 1.4), from light (0) to dark (1) as the example's plasma_r runs,
 * lightness 0.72 to 0.10 so half-transparent points stay visible on white and on dark grey. */
void             ns_plot_points_colormap  (double t, double rgb[3]);

G_END_DECLS
