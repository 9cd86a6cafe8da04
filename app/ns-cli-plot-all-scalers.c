/* ns-cli-plot-all-scalers.c: `normscope-cli plot DATA --all-scalers --columns A,B`, scikit-learn's
 * "compare all scalers" figure drawn headless to PNG/SVG/PDF.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include "core/ns-all-scalers.h"

typedef struct {
  gboolean all_scalers;
  char *columns;
  char *color_by;
  char *output;
  int width, height;
} PlotAllArgs;

static void
plot_all_args_clear (PlotAllArgs *args)
{
  g_free (args->columns);
  g_free (args->color_by);
  g_free (args->output);
}

/* --columns' two names; FALSE (and a usage message in error) for any other count. */
static gboolean
plot_all_columns (const char *columns, GStrv *names, GError **error)
{
  if (columns == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "missing required option --columns A,B (the two features to compare)");
      return FALSE;
    }
  *names = ns_cli_split_names (columns);
  if (g_strv_length (*names) == 2 && (*names)[0][0] != '\0' && (*names)[1][0] != '\0')
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--columns: expected two column names A,B, found '%s'", columns);
  g_clear_pointer (names, g_strfreev);
  return FALSE;
}

static int
plot_all_run (const char *path, const NsReadOptions *read_options, const PlotAllArgs *args,
              char **names, NsPlotFormat format)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsAllScalersPlot) plot = NULL;
  double height;

  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  data = ns_dataset_load (path, read_options, NULL, &error);
  if (data == NULL)
    return ns_cli_report_error (error);
  plot = ns_all_scalers_compute (data, names[0], names[1], args->color_by, read_options->n_threads,
                                 NULL, &error);
  if (plot == NULL)
    return ns_cli_report_error (error);
  height = args->height > 0 ? args->height : ns_all_scalers_plot_default_height (plot, args->width);
  if (!ns_all_scalers_plot_save (plot, args->output, format, args->width, height, &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_plot_all_scalers (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  PlotAllArgs args = { .width = 1600 };
  const GOptionEntry entries[] = {
    { "all-scalers", 0, 0, G_OPTION_ARG_NONE, &args.all_scalers,
      "Draw scikit-learn's comparison of every scaler on two features", NULL },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &args.columns,
      "The two numeric columns: x and y of the scatters", "A,B" },
    { "color-by", 0, 0, G_OPTION_ARG_STRING, &args.color_by,
      "Colour the points by this column (numeric, or labels by category)", "COLUMN" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the figure to FILE (.png, .svg or .pdf)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &args.width,
      "Figure width (pixels for PNG, points for SVG/PDF; default 1600)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &args.height,
      "Figure height (default: each row 16:6, stacked; a 16:9 size puts rows in columns)", "H" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;
  NsReadOptions read_options;
  NsPlotFormat format;
  const char *path;
  int status;

  g_option_context_set_summary (context,
                                "Draw scikit-learn's \"compare all scalers\" figure for two "
                                "columns of DATA: one row per\ntransformation, each a scatter "
                                "with marginal histograms, full data beside the\n0-99th "
                                "percentile zoom (points beyond it counted at its edges).");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (!plot_all_columns (args.columns, &names, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!ns_plot_format_from_path (args.output, &format, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (args.width < 400 || args.width > 20000 || args.height < 0 || args.height > 40000 ||
           (args.height > 0 && args.height < 200))
    status = ns_cli_usage_error ("--width must be between 400 and 20000, --height between 200 "
                                 "and 40000");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    status = plot_all_run (path, &read_options, &args, names, format);
  ns_cli_reader_args_clear (&reader_args);
  plot_all_args_clear (&args);
  return status;
}
