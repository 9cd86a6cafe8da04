/* ns-cli-plot.c: `normscope-cli plot`, the GUI's comparison figure drawn headless to PNG/SVG/PDF.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <math.h>
#include <stdio.h>

#include "core/ns-figure-preset.h"
#include "core/ns-plot.h"
#include "core/ns-scaler.h"
#include "core/ns-strategy-panel.h"

typedef struct {
  char *method;
  char *column;
  char *output;
  int width;
  int height;
  int bins;
  gboolean qq;
  char *range;
  char *axes;
  gboolean quiet;
  gboolean log_density;
  char *preset;
  double font_scale;
} PlotArgs;

static void
plot_args_clear (PlotArgs *args)
{
  g_free (args->method);
  g_free (args->column);
  g_free (args->output);
  g_free (args->range);
  g_free (args->axes);
  g_free (args->preset);
}

/* --range and --axes; the defaults are the GUI's: the 0-99th percentile, each panel its own axes.
 */
static gboolean
plot_apply_view (NsPlot *plot, const PlotArgs *args, GError **error)
{
  NsPlotRange range = NS_PLOT_RANGE_P0_P99;

  if (args->range != NULL && !ns_plot_range_from_string (args->range, &range, error))
    {
      g_prefix_error (error, "--range: ");
      return FALSE;
    }
  if (args->axes != NULL && g_strcmp0 (args->axes, "shared") != 0 &&
      g_strcmp0 (args->axes, "panel") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--axes: expected shared or panel, not '%s'", args->axes);
      return FALSE;
    }
  ns_plot_set_range (plot, range);
  ns_plot_set_shared_axes (plot, g_strcmp0 (args->axes, "shared") == 0);
  ns_plot_set_log_density (plot, args->log_density);
  ns_plot_set_font_scale (plot, args->font_scale);
  return TRUE;
}

static int
plot_find_column (const NsDataset *data, const char *name, GError **error)
{
  int column;

  if (name == NULL)
    {
      if (ns_dataset_get_n_features (data) == 0)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column to plot",
                       ns_dataset_get_source_path (data));
          return -1;
        }
      return (int) ns_dataset_get_feature_column (data, 0);
    }
  column = ns_dataset_find_column (data, name);
  if (column < 0 || ns_dataset_column_is_label (data, column))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: %s '%s'",
                   ns_dataset_get_source_path (data),
                   column < 0 ? "no column named" : "not a numeric column:", name);
      return -1;
    }
  return column;
}

/* --preset gives the width, height and text scale that --width, --height and --font-scale do not.
 */
static gboolean
plot_apply_preset (PlotArgs *args, GError **error)
{
  const NsFigurePreset *preset =
    ns_figure_preset_from_id (args->preset ? args->preset : "wide", error);

  if (preset == NULL)
    {
      g_prefix_error (error, "--preset: ");
      return FALSE;
    }
  if (args->width == 0)
    args->width = (int) round (preset->width);
  if (args->height == 0)
    args->height = (int) round (preset->height);
  if (args->font_scale == 0)
    args->font_scale = preset->font_scale;
  if (!(args->font_scale >= 0.25 && args->font_scale <= 8))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--font-scale must be between 0.25 and 8");
      return FALSE;
    }
  return TRUE;
}

static int
plot_feature_of (const NsDataset *data, int column)
{
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    if ((int) ns_dataset_get_feature_column (data, f) == column)
      return (int) f;
  return -1;
}

/* A --method name: a strategy's ("quantile-normal", "normalizer") or a method's ("quantile": its
 * default, uniform, output); batch norm has a figure of its own (plot --batchnorm). */
static gboolean
plot_strategy_from_name (const char *name, NsStrategy *strategy, GError **error)
{
  g_autoptr (GString) expected = g_string_new ("");
  NsMethod method;

  if (ns_strategy_from_name (name, strategy, NULL))
    {
      if (!ns_strategy_is_batchnorm (*strategy))
        return TRUE;
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--method: '%s' is drawn by plot --batchnorm (the batch-norm explorer)", name);
      return FALSE;
    }
  if (ns_method_from_string (name, &method, NULL))
    {
      *strategy = ns_strategy_from_method (method);
      return TRUE;
    }
  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    if (!ns_strategy_is_batchnorm (s))
      g_string_append_printf (expected, "%s, ", ns_strategy_get_name (s));
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--method: unknown method '%s' (expected %squantile)", name, expected->str);
  return FALSE;
}

/* The panel of one strategy, titled as on the Compare page: the core's computed values, or the
 * affine map of the raw bins. */
static gboolean
plot_add_strategy (NsPlot *plot, const NsDataset *data, const NsPlotData *binned, int feature,
                   NsStrategy strategy, guint n_threads, GError **error)
{
  const char *label = ns_strategy_get_label (strategy);
  NsScalerOptions options;
  g_autoptr (NsStats) stats = NULL;
  NsPlotData *values;

  if (ns_strategy_panel_is_computed (strategy))
    {
      values = ns_strategy_panel_compute (data, (guint) feature, strategy, n_threads, NULL, error);
      if (values == NULL)
        return FALSE;
      ns_plot_panel_set_strategy (plot, ns_plot_add_values (plot, label, values), strategy);
      return TRUE;
    }
  ns_strategy_get_scaler_options (strategy, &options);
  options.n_threads = n_threads;
  if ((stats = ns_scaler_fit (data, &options, NULL, error)) == NULL)
    return FALSE;
  if (ns_stats_get_scale (stats, feature) > 0)
    ns_plot_panel_set_strategy (plot,
                                ns_plot_add_affine (plot, label, binned,
                                                    ns_stats_get_offset (stats, feature),
                                                    ns_stats_get_scale (stats, feature)),
                                strategy);
  return TRUE;
}

/* One panel per method of the comma-separated list, after the raw data. */
static gboolean
plot_add_methods (NsPlot *plot, const NsDataset *data, const NsPlotData *binned, int feature,
                  const char *methods, guint n_threads, GError **error)
{
  g_auto (GStrv) names = g_strsplit (methods, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      NsStrategy strategy;

      g_strstrip (names[i]);
      if (!plot_strategy_from_name (names[i], &strategy, error))
        return FALSE;
      if (ns_plot_get_n_panels (plot) >= NS_PLOT_MAX_PANELS)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--method: at most %d methods", NS_PLOT_MAX_PANELS - 1);
          return FALSE;
        }
      if (!plot_add_strategy (plot, data, binned, feature, strategy, n_threads, error))
        return FALSE;
    }
  return TRUE;
}

/* Every --method name is known before the data is read. */
static gboolean
plot_check_methods (const char *methods, GError **error)
{
  g_auto (GStrv) names = g_strsplit (methods, ",", -1);
  NsStrategy strategy;

  for (guint i = 0; names[i] != NULL; i++)
    if (!plot_strategy_from_name (g_strstrip (names[i]), &strategy, error))
      return FALSE;
  return TRUE;
}

/* The normalizer divides each row by its norm over every feature: it needs them all. */
static gboolean
plot_methods_need_rows (const char *methods)
{
  g_auto (GStrv) names = g_strsplit (methods, ",", -1);
  NsStrategy strategy;

  for (guint i = 0; names[i] != NULL; i++)
    if (plot_strategy_from_name (g_strstrip (names[i]), &strategy, NULL) &&
        strategy == NS_STRATEGY_NORMALIZER)
      return TRUE;
  return FALSE;
}

static int
plot_run (const char *path, const NsReadOptions *read_options, const PlotArgs *args,
          NsPlotFormat format)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsPlotData) binned = NULL;
  g_autoptr (NsPlot) plot = ns_plot_new ();
  int column;

  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  data = ns_cli_load_with_progress (path, read_options, args->quiet, &error);
  if (data == NULL)
    return ns_cli_report_error (error);
  column = plot_find_column (data, args->column, &error);
  if (column < 0)
    return ns_cli_report_error (error);
  if (ns_dataset_get_kind (data) == NS_DATASET_TABLE && !plot_methods_need_rows (args->method))
    {
      /* Only the plotted column is fitted: another column's values (a Box-Cox fit refuses
       * non-positive ones) have nothing to do with this figure. */
      g_autofree char *name = g_strdup (ns_dataset_get_column_name (data, column));
      const char *only[] = { name, NULL };

      if (!ns_dataset_select_columns (data, only, &error))
        return ns_cli_report_error (error);
      column = ns_dataset_find_column (data, name);
    }
  binned =
    ns_plot_data_new (ns_dataset_get_values (data, column),
                      ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data), &error);
  if (binned == NULL)
    return ns_cli_report_error (error);
  ns_plot_set_title (plot, ns_dataset_get_column_name (data, column));
  ns_plot_set_mode (plot, args->qq ? NS_PLOT_QQ : NS_PLOT_HISTOGRAM);
  ns_plot_set_bins (plot, (guint) args->bins);
  if (!plot_apply_view (plot, args, &error))
    return ns_cli_usage_error ("%s", error->message);
  ns_plot_add_raw (plot, "raw data", binned);
  if (!plot_add_methods (plot, data, binned, plot_feature_of (data, column), args->method,
                         read_options->n_threads, &error))
    return ns_cli_report_error (error);
  if (!ns_plot_save (plot, args->output, format, args->width, args->height, &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_plot (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  PlotArgs args = { .width = 0, .height = 0, .font_scale = 0 };
  const GOptionEntry entries[] = {
    { "method", 'm', 0, G_OPTION_ARG_STRING, &args.method,
      "One or more of standard, keras, minmax, maxabs, robust, yeo-johnson, box-cox, quantile "
      "(or quantile-uniform), quantile-normal, normalizer (comma-separated)",
      "M[,M…]" },
    { "column", 'c', 0, G_OPTION_ARG_STRING, &args.column,
      "The numeric column to plot (default: the first)", "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the figure to FILE (.png, .svg or .pdf)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &args.width,
      "Figure width (pixels for PNG, points for SVG/PDF; default 1200)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &args.height, "Figure height (default 480)", "H" },
    { "bins", 0, 0, G_OPTION_ARG_INT, &args.bins, "Histogram bins (default: Freedman-Diaconis)",
      "N" },
    { "qq", 0, 0, G_OPTION_ARG_NONE, &args.qq, "Q-Q plots against the normal distribution", NULL },
    { "range", 0, 0, G_OPTION_ARG_STRING, &args.range,
      "Histogram range: full, 0-99 or 1-99 (percentiles; default 0-99, values beyond counted "
      "at the edges)",
      "R" },
    { "axes", 0, 0, G_OPTION_ARG_STRING, &args.axes,
      "Normalized panels' axes: panel (each its own, default) or shared", "A" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args.quiet, "No progress on standard error", NULL },
    { "log-density", 0, 0, G_OPTION_ARG_NONE, &args.log_density,
      "Histograms on a log10 density axis (a thin tail shows beside the peak)", NULL },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &args.preset,
      "Figure size and text scale: screen, wide (the default), slide-16-9, slide-4-3 or a4", "P" },
    { "font-scale", 0, 0, G_OPTION_ARG_DOUBLE, &args.font_scale,
      "Text size relative to the preset's (0.25 to 8)", "S" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  NsPlotFormat format;
  const char *path;
  int status;

  for (int i = 1; i < argc;
       i++) /* the other figures: ns-cli-plot-batchnorm.c, -all-scalers.c, -axes.c */
    if (g_strcmp0 (argv[i], "--batchnorm") == 0)
      return ns_cli_plot_batchnorm (argc, argv);
    else if (g_strcmp0 (argv[i], "--all-scalers") == 0)
      return ns_cli_plot_all_scalers (argc, argv);
    else if (g_strcmp0 (argv[i], "--axis-explorer") == 0)
      return ns_cli_plot_axes (argc, argv);
  g_option_context_set_summary (context,
                                "Draw a column of DATA before and after normalization (small "
                                "multiples with\nthe N(0,1) density), as the GUI "
                                "shows it, to PNG, SVG or PDF.\n\nThe other figures have "
                                "options of their own: plot --batchnorm --help (the batch-norm\n"
                                "explorer), plot --all-scalers --help (scikit-learn's comparison "
                                "of every\nscaler on two columns), plot --axis-explorer --help "
                                "(which axes each\nnormalization layer pools).");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.method == NULL)
    status = ns_cli_usage_error ("missing required option --method");
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!plot_check_methods (args.method, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (!ns_plot_format_from_path (args.output, &format, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (!plot_apply_preset (&args, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (args.width < 100 || args.height < 100 || args.width > 20000 || args.height > 20000)
    status = ns_cli_usage_error ("--width and --height must be between 100 and 20000");
  else if (args.bins < 0 || args.bins > 240)
    status = ns_cli_usage_error ("--bins must be between 10 and 240 (0: automatic)");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    status = plot_run (path, &read_options, &args, format);
  ns_cli_reader_args_clear (&reader_args);
  plot_args_clear (&args);
  return status;
}
