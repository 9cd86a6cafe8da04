/* ns-cli-export.c: `normscope-cli export`, a stats file written for another tool.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include "core/ns-export.h"

typedef struct {
  char *format;
  char *output;
  char *dtype;
  char *prefix;
  char *identifier;
  gboolean verbose;
} ExportArgs;

static void
export_args_clear (ExportArgs *args)
{
  g_free (args->format);
  g_free (args->output);
  g_free (args->dtype);
  g_free (args->prefix);
  g_free (args->identifier);
}

/* Turns the parsed options into export options; a usage error is reported as error. */
static gboolean
export_options_from_args (const ExportArgs *args, NsExportFormat *format, NsExportOptions *options,
                          GError **error)
{
  ns_export_options_init (options);
  if (!ns_export_format_from_string (args->format, format, error))
    return FALSE;
  if (args->dtype != NULL && !ns_export_dtype_from_string (args->dtype, &options->dtype, error))
    return FALSE;
  if (args->prefix != NULL && *format != NS_EXPORT_SAFETENSORS)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--prefix applies to --format safetensors only");
      return FALSE;
    }
  if (args->identifier != NULL && *format != NS_EXPORT_C_HEADER)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--identifier applies to --format c-header only");
      return FALSE;
    }
  options->prefix = args->prefix;
  options->identifier = args->identifier;
  return TRUE;
}

static int
export_run (const char *path, NsExportFormat format, const NsExportOptions *options,
            const ExportArgs *args)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = NULL;
  int status;

  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  stats = ns_stats_load (path, &error);
  if (stats == NULL)
    return ns_cli_report_error (error);
  if (!ns_export_write (stats, format, options, args->output, &error))
    return ns_cli_report_error (error);
  if ((status = ns_cli_commit_outputs (outputs)) == NS_EXIT_OK && args->verbose)
    ns_cli_report_written (stats, ns_export_format_to_string (format), args->output);
  return status;
}

int
ns_cli_export (int argc, char **argv)
{
  ExportArgs args = { 0 };
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &args.format,
      "npz, safetensors, keras, torch, sklearn, c-header, csv, onnx or torchvision", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the export to FILE ('-': standard output)", "FILE" },
    { "dtype", 0, 0, G_OPTION_ARG_STRING, &args.dtype,
      "f32 or f64: the float type of safetensors, npz, onnx and the torch snippet (default: f32; "
      "npz: f64)",
      "DTYPE" },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &args.prefix,
      "safetensors: prefix of every tensor name, e.g. 'bn.' for a nested module", "PREFIX" },
    { "identifier", 0, 0, G_OPTION_ARG_STRING, &args.identifier,
      "c-header: the base of the C names (default: from the file name)", "NAME" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &args.verbose, "Say on standard error what was written",
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("STATS");
  g_autoptr (GError) error = NULL;
  NsExportOptions options;
  NsExportFormat format;
  const char *path;
  int status;

  g_option_context_set_summary (
    context, "Write the stats file STATS (JSON from fit or batchnorm, or a NumPy "
             ".npz) in a format\nanother tool loads as is. Silent on success.");
  if ((path = ns_cli_parse_file_arg (context, NULL, entries, "STATS", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.format == NULL)
    status = ns_cli_usage_error ("missing required option --format");
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!export_options_from_args (&args, &format, &options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    status = export_run (path, format, &options, &args);
  export_args_clear (&args);
  return status;
}
