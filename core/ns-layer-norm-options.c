/* ns-layer-norm-options.c: the defaults of a normalization layer's options, and the names of its
 * kinds and presets.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-layer-norm-options.h"

#include <math.h>
#include <string.h>

#include "ns-error.h"

static const char *const kind_names[] = { "batch", "layer", "instance", "group", "rms", NULL };
static const char *const preset_names[] = { "pytorch", "keras", "flax", NULL };

void
ns_layer_norm_options_init (NsLayerNormOptions *options, NsLayerNormKind kind)
{
  memset (options, 0, sizeof *options);
  options->kind = kind;
  options->preset = NS_LAYER_NORM_PYTORCH;
  options->eps = NAN;
  options->channel_axis = 1;
  options->momentum = NAN;
}

static gboolean
name_lookup (const char *const *names, const char *what, const char *name, guint *index,
             GError **error)
{
  g_autofree char *list = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      {
        *index = i;
        return TRUE;
      }
  list = g_strjoinv (", ", (char **) names);
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: unknown '%s' (expected %s)", what,
               name, list);
  return FALSE;
}

gboolean
ns_layer_norm_kind_from_string (const char *name, NsLayerNormKind *kind, GError **error)
{
  guint index;

  if (!name_lookup (kind_names, "--layer", name, &index, error))
    return FALSE;
  *kind = (NsLayerNormKind) index;
  return TRUE;
}

const char *
ns_layer_norm_kind_to_string (NsLayerNormKind kind)
{
  return kind_names[kind];
}

gboolean
ns_layer_norm_preset_from_string (const char *name, NsLayerNormPreset *preset, GError **error)
{
  guint index;

  if (!name_lookup (preset_names, "--preset", name, &index, error))
    return FALSE;
  *preset = (NsLayerNormPreset) index;
  return TRUE;
}

const char *
ns_layer_norm_preset_to_string (NsLayerNormPreset preset)
{
  return preset_names[preset];
}
