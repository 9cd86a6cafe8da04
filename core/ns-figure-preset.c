/* ns-figure-preset.c: the table of export sizes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-figure-preset.h"

/* Slides are read from the back of a room: their text is twice the size the pixels alone give. */
static const NsFigurePreset ns_figure_presets[] = {
  { "screen", "Screen, 1200 × 800", 1200, 800, NS_PLOT_FORMAT_PNG, 1.0 },
  { "wide", "Wide, 1200 × 480", 1200, 480, NS_PLOT_FORMAT_PNG, 1.0 },
  { "slide-16-9", "16:9 slide, 1920 × 1080", 1920, 1080, NS_PLOT_FORMAT_PNG, 2.0 },
  { "slide-4-3", "4:3 slide, 1600 × 1200", 1600, 1200, NS_PLOT_FORMAT_PNG, 2.0 },
  { "a4", "A4 landscape PDF, 297 × 210 mm", 841.89, 595.28, NS_PLOT_FORMAT_PDF, 1.0 },
};

guint
ns_figure_preset_count (void)
{
  return G_N_ELEMENTS (ns_figure_presets);
}

const NsFigurePreset *
ns_figure_preset_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (ns_figure_presets), NULL);
  return &ns_figure_presets[index];
}

const NsFigurePreset *
ns_figure_preset_from_id (const char *id, GError **error)
{
  g_autoptr (GString) known = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ns_figure_presets); i++)
    {
      if (g_strcmp0 (id, ns_figure_presets[i].id) == 0)
        return &ns_figure_presets[i];
      g_string_append_printf (known, "%s%s", i ? ", " : "", ns_figure_presets[i].id);
    }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown figure preset '%s': expected %s", id, known->str);
  return NULL;
}
