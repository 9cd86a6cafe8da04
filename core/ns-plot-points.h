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
  gsize n;
  double x_lo, x_hi, y_lo, y_hi;
  double radius, alpha;
  double rgb[3];
  gboolean dark; /* the colour map for a dark background */
} NsPlotPoints;

/*
 * An ARGB32 surface of width x height pixels. Points are counted per pixel, then every pixel takes
 * the points of the discs that cover it: opacity 1 - (1 - alpha)^k for k of them (the result of
 * drawing them one over the other) and the mean of their colour values. Linear in the points, so a
 * million of them cost milliseconds where a million cairo arcs cost seconds.
 */
cairo_surface_t *ns_plot_points_rasterize (const NsPlotPoints *points, int width, int height);

/* The continuous colour map for t in [0, 1]: Green's cubehelix (2011; start 0.5, -1.5 rotations
 * as matplotlib's cubehelix, hue 1.4), away from the background as t grows, as the example's
 * plasma_r runs on white: lightness 0.72 to 0.10 on a light background, 0.35 to 0.92 on a dark
 * one, so half-transparent points stay visible on either. */
void ns_plot_points_colormap (double t, gboolean dark, double rgb[3]);

G_END_DECLS
