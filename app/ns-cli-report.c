/* ns-cli-report.c: `normscope-cli report`, a readable summary, the fitted standard scaling and a
 * saved stats file (what `./dev run` shows without a display).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/ns-format-double.h"
#include "core/ns-safe-text.h"
#include "core/ns-scaler.h"

/* Six significant digits for reading; the stats file has the exact values. */
static const char *
readable (char buf[NS_FORMAT_READABLE_SIZE], double value)
{
  return ns_format_readable (buf, value, 6);
}

static void
append_scaling (GString *out, const NsStats *stats)
{
  guint n = ns_stats_get_n_columns (stats);
  int name_width = (int) strlen ("feature");
  g_auto (GStrv) names = g_new0 (char *, n + 1);

  for (guint c = 0; c < n; c++)
    {
      names[c] = ns_safe_text_for_terminal (ns_stats_get_name (stats, c));
      name_width = MAX (name_width, (int) g_utf8_strlen (names[c], -1));
    }
  g_string_append (out, "Standard scaling (scikit-learn StandardScaler): z = (x - mean) / scale\n");
  g_string_append_printf (out, "  %-*s  %12s  %12s  %12s\n", name_width, "feature", "mean",
                          "variance", "scale");
  for (guint c = 0; c < n; c++)
    {
      const char *name = names[c];
      char mean[NS_FORMAT_READABLE_SIZE], variance[NS_FORMAT_READABLE_SIZE];
      char scale[G_ASCII_DTOSTR_BUF_SIZE];

      /* Pad by characters, not bytes, so UTF-8 names stay aligned. */
      g_string_append_printf (out, "  %s%*s  %12s  %12s  %12s\n", name,
                              name_width - (int) g_utf8_strlen (name, -1), "",
                              readable (mean, ns_stats_get_mean (stats, c)),
                              readable (variance, ns_stats_get_variance (stats, c)),
                              readable (scale, ns_stats_get_scale (stats, c)));
    }
}

/* $XDG_CACHE_HOME/normscope/NAME.stats.json, NAME being the data file's name without extensions. */
static char *
default_stats_path (const char *data_path, GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "normscope", NULL);
  g_autofree char *base = g_path_get_basename (data_path);
  g_autofree char *name = NULL;
  const char *const extensions[] = { ".gz", ".csv", ".tsv", ".txt", ".npy" };

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (base, extensions[i]) && strlen (base) > strlen (extensions[i]))
      base[strlen (base) - strlen (extensions[i])] = '\0';
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: cannot create the folder: %s", dir,
                   g_strerror (saved));
      return NULL;
    }
  name = g_strconcat (base, ".stats.json", NULL);
  return g_build_filename (dir, name, NULL);
}

/* The stats file and the report on standard output, against DATA and each other. */
static NsOutputGroup *
open_outputs (const char *path, const char *stats_path, GError **error)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, stats_path, NULL);

  ns_output_guard_add_output (guard, "the report", "-");
  return ns_output_group_new (guard, error);
}

static int
report_run (const char *path, const NsReadOptions *read_options, const char *output, gboolean quiet)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *stats_path = NULL, *shown_path = NULL;
  g_autoptr (NsOutputGroup) outputs = NULL;
  NsScalerOptions options;

  stats_path = output != NULL ? g_strdup (output) : default_stats_path (path, &error);
  if (stats_path == NULL || (outputs = open_outputs (path, stats_path, &error)) == NULL)
    return ns_cli_report_error (error);
  data = ns_cli_load_with_progress (path, read_options, quiet, &error);
  if (data == NULL)
    return ns_cli_report_error (error);
  ns_cli_append_description (out, path, data);
  g_string_append (out, "\nSummary (std is the population standard deviation)\n");
  if (!ns_cli_append_summary_table (out, data, "  ", read_options->n_threads, &error))
    return ns_cli_report_error (error);
  g_string_append_c (out, '\n');

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  options.n_threads = read_options->n_threads;
  stats = ns_scaler_fit (data, &options, NULL, &error);
  if (stats == NULL)
    return ns_cli_report_error (error);
  append_scaling (out, stats);

  if (!ns_stats_save (stats, stats_path, &error))
    return ns_cli_report_error (error);
  shown_path = ns_safe_text_for_terminal (stats_path);
  g_string_append_printf (out,
                          "\nStats file (exact values): %s\n"
                          "  apply it to other data:  normscope-cli transform OTHER --stats %s "
                          "-o OUTPUT\n",
                          shown_path, shown_path);
  /* The report goes out after the stats file is written and before it is put in place. */
  if (!ns_cli_write_stdout (out->str, out->len, &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_report (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  g_autofree char *output = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the stats file to FILE (default: $XDG_CACHE_HOME/normscope/NAME.stats.json)", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress on standard error", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  const char *path;
  int status;

  g_option_context_set_summary (context, "Summarize DATA, fit a standard scaling (scikit-learn "
                                         "StandardScaler) and save its stats file.");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    status = report_run (path, &read_options, output, quiet);
  ns_cli_reader_args_clear (&reader_args);
  return status;
}
