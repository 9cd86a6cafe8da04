/* ns-cli-exports-option.c: the `--export FORMAT:FILE` option that fit and batchnorm share, and the
 * output guard of every subcommand, which counts the exports among the outputs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <string.h>

#include "core/ns-export.h"
#include "core/ns-output-guard.h"

/* Splits "npz:out.npz" at the first colon; the format is checked, the file must not be empty. */
static gboolean
ns_cli_parse_export_spec (const char *spec, NsExportFormat *format, const char **file,
                          GError **error)
{
  const char *colon = strchr (spec, ':');
  g_autofree char *name = NULL;
  g_autoptr (GError) format_error = NULL;

  if (colon == NULL || colon == spec || colon[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--export: expected FORMAT:FILE (e.g. npz:stats.npz), found '%s'", spec);
      return FALSE;
    }
  name = g_strndup (spec, (gsize) (colon - spec));
  if (!ns_export_format_from_string (name, format, &format_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--export: %s",
                   format_error->message);
      return FALSE;
    }
  *file = colon + 1;
  return TRUE;
}

gboolean
ns_cli_write_exports (const NsStats *stats, char **specs, GError **error)
{
  NsExportFormat format;
  const char *file;

  /* Every spec is checked before anything is written, so a typo writes nothing. */
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    if (!ns_cli_parse_export_spec (specs[i], &format, &file, error))
      return FALSE;
  if (stats == NULL)
    return TRUE;
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      ns_cli_parse_export_spec (specs[i], &format, &file, NULL);
      if (!ns_export_write (stats, format, NULL, file, error))
        return FALSE;
    }
  return TRUE;
}

NsOutputGuard *
ns_cli_output_guard_new (const char *input, const char *output, char **exports)
{
  NsOutputGuard *guard = ns_output_guard_new ();
  NsExportFormat format;
  const char *file;

  ns_output_guard_add_input (guard, input);
  ns_output_guard_add_output (guard, "-o", output);
  for (guint i = 0; exports != NULL && exports[i] != NULL; i++)
    if (ns_cli_parse_export_spec (exports[i], &format, &file, NULL))
      {
        g_autofree char *what = g_strconcat ("--export ", exports[i], NULL);

        ns_output_guard_add_output (guard, what, file);
      }
  return guard;
}
