/* ns-plot-thumbnail.h: a small histogram for a grid of small multiples (the overview).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include "ns-plot.h"

G_BEGIN_DECLS

/* data after y = (x − offset) / scale as bars in the strategy's colour (NS_STRATEGY_NONE: the raw
 * data's) over its whole range, the x range's ends written below, and the Tukey fences (in x's
 * units; NaN: none) as dashed lines where they fall inside it. Fills width x height; text and
 * lines are drawn text_scale times their usual size (presentation mode; 1: as on screen). */
void ns_plot_draw_thumbnail (const NsPlotData *data, double offset, double scale,
                             NsStrategy strategy, double lower_fence, double upper_fence,
                             gboolean dark, double text_scale, cairo_t *cr, double width,
                             double height);

G_END_DECLS
