/* ns-figure-preset.h: the figure sizes offered for export (slides, print, screen) and their text
 * scale.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-plot.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;       /* "slide-16-9" (the CLI's --preset) */
  const char *label;    /* "16:9 slide, 1920 × 1080" */
  double width, height; /* pixels, or points for PDF */
  NsPlotFormat format;  /* the format it is meant for */
  double font_scale;    /* ns_plot_set_font_scale's */
} NsFigurePreset;

guint ns_figure_preset_count (void);
const NsFigurePreset *ns_figure_preset_get (guint index);
const NsFigurePreset *ns_figure_preset_from_id (const char *id, GError **error);

G_END_DECLS
