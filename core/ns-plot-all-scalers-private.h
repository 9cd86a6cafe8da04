/* ns-plot-all-scalers-private.h: the all-scalers figure's rows, shared by its model and drawing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-plot-all-scalers.h"

G_BEGIN_DECLS

/* A marginal histogram: counts over [lo, hi]. */
typedef struct {
  guint n_bins;
  double lo, hi;
  guint64 *counts;
} NsAllScalersHistogram;

/* The points of one scatter and its two marginals. */
typedef struct {
  double *x, *y, *color; /* color: NULL without a colour variable */
  gsize n;
  double x_lo, x_hi, y_lo, y_hi; /* the data's extent */
  NsAllScalersHistogram histogram[2];
} NsAllScalersScatter;

typedef struct {
  char *title;
  char *error;
  NsAllScalersScatter panel[2]; /* NsAllScalersPanel */
  NsAllScalersZoom zoom;
  /* The points the zoom leaves out, for the marks at its edges. */
  double *out_x, *out_y;
  gsize n_out;
} NsAllScalersRow;

struct _NsAllScalersPlot {
  char *x_label, *y_label;
  char *color_label;
  double *color;
  gsize n_color;
  double color_lo, color_hi;
  GStrv category_names;
  gboolean dark, paint_background;
  GPtrArray *rows; /* NsAllScalersRow */
};

/* The sides of the zoom a point lies at or beyond (beyond only, on a coordinate kept whole). */
void _ns_all_scalers_zoom_sides (const NsAllScalersZoom *zoom, double x, double y,
                                 gboolean sides[NS_ALL_SCALERS_N_SIDES]);

G_END_DECLS
