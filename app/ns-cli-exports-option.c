/* ns-cli-exports-option.c: the `--export FORMAT:FILE` option that fit and batchnorm share, and the
 * output guard of every subcommand, which counts the exports among the outputs, and the commit of
 * its outputs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <string.h>

#include "core/ns-export.h"
#include "core/ns-output.h"
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
ns_cli_check_export_specs (char **specs, GError **error)
{
  NsExportFormat format;
  const char *file;

  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    if (!ns_cli_parse_export_spec (specs[i], &format, &file, error))
      return FALSE;
  return TRUE;
}

/* An export left for the other pass is NULL. */
static void
bytes_unref_unless_null (gpointer bytes)
{
  if (bytes != NULL)
    g_bytes_unref (bytes);
}

/* Every export is made in memory first, so a refused one (or a stats file that would not read
 * back) writes nothing at all. */
gboolean
ns_cli_save_stats (const NsStats *stats, const char *output, char **specs, gboolean direct,
                   GError **error)
{
  g_autoptr (GPtrArray) rendered = g_ptr_array_new_with_free_func (bytes_unref_unless_null);
  NsExportFormat format;
  const char *file;

  if (!ns_cli_check_export_specs (specs, error))
    return FALSE;
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      GBytes *bytes = NULL;

      ns_cli_parse_export_spec (specs[i], &format, &file, NULL);
      if (ns_output_is_direct (file) == direct &&
          (bytes = ns_export_to_bytes_for_path (stats, format, NULL, file, error)) == NULL)
        return FALSE;
      g_ptr_array_add (rendered, bytes);
    }
  if (ns_output_is_direct (output) == direct && !ns_stats_save (stats, output, error))
    return FALSE;
  for (guint i = 0; i < rendered->len; i++)
    {
      gsize len;
      const void *data;

      if (rendered->pdata[i] == NULL)
        continue;
      data = g_bytes_get_data (rendered->pdata[i], &len);
      ns_cli_parse_export_spec (specs[i], &format, &file, NULL);
      if (!ns_output_write_file (file, data, len, error))
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

int
ns_cli_commit_outputs (NsOutputGroup *outputs)
{
  g_autoptr (GError) error = NULL;

  if (!ns_output_group_commit (outputs, &error))
    return ns_cli_report_error (error);
  return NS_EXIT_OK;
}
