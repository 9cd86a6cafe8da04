/* ns-cli-plot-axes.c: `normscope-cli plot DATA --axis-explorer`, the axis explorer's figure (which
 * axes each normalization kind pools, and what that does to DATA) drawn headless to PNG/SVG/PDF.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include "core/ns-layer-norm.h"
#include "core/ns-plot-axis-explorer.h"

typedef struct {
  gboolean axis_explorer;
  char *layer;
  char *preset;
  char *channel_axis;
  char *channel;
  char *groups;
  char *batch_size;
  char *max_batch_size;
  char *output;
  int width, height;
} PlotAxesArgs;

static void
plot_axes_args_clear (PlotAxesArgs *a)
{
  char **strings[] = { &a->layer,  &a->preset,     &a->channel_axis,   &a->channel,
                       &a->groups, &a->batch_size, &a->max_batch_size, &a->output };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
}

static gboolean
options_from_args (const PlotAxesArgs *a, NsAxisExplorerOptions *o, NsLayerNormKind *selected,
                   GError **error)
{
  guint64 value;
  gint64 axis;

  ns_axis_explorer_options_init (o);
  *selected = NS_LAYER_NORM_GROUP;
  if (a->layer != NULL && !ns_layer_norm_kind_from_string (a->layer, selected, error))
    return FALSE;
  if (a->preset != NULL && !ns_layer_norm_preset_from_string (a->preset, &o->preset, error))
    return FALSE;
  if (a->channel_axis != NULL)
    {
      if (!g_ascii_string_to_signed (a->channel_axis, 10, -NS_MAX_RANK, NS_MAX_RANK, &axis, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--channel-axis: expected an axis (an integer, negative from the end), "
                       "found '%s'",
                       a->channel_axis);
          return FALSE;
        }
      o->channel_axis = (int) axis;
    }
  if (a->channel != NULL &&
      !ns_cli_parse_count ("--channel", a->channel, G_MAXUINT32, &value, error))
    return FALSE;
  o->channel = a->channel != NULL ? (guint) value : 0;
  if (a->groups != NULL &&
      !ns_cli_parse_count_at_least ("--groups", a->groups, 1, G_MAXUINT32, &value, error))
    return FALSE;
  o->groups = a->groups != NULL ? (guint) value : 0;
  if (a->batch_size != NULL &&
      !ns_cli_parse_count_at_least ("--batch-size", a->batch_size, 1, G_MAXUINT32, &value, error))
    return FALSE;
  o->batch_size = a->batch_size != NULL ? (gsize) value : 0;
  if (a->max_batch_size != NULL &&
      !ns_cli_parse_count_at_least ("--max-batch-size", a->max_batch_size, 1, G_MAXUINT32, &value,
                                    error))
    return FALSE;
  o->max_sweep = a->max_batch_size != NULL ? (gsize) value : 0;
  return TRUE;
}

static int
plot_axes_run (const char *path, NsReadOptions *read_options, const PlotAxesArgs *args,
               const NsAxisExplorerOptions *options, NsLayerNormKind selected, NsPlotFormat format)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  NsLayerNormOptions read_as;

  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  ns_layer_norm_options_init (&read_as, NS_LAYER_NORM_GROUP); /* a tensor in C order */
  g_autofree char *axis = ns_layer_norm_read_axis (&read_as, path);

  read_options->axis = axis;
  data = ns_dataset_load (path, read_options, NULL, &error);
  if (data == NULL)
    return ns_cli_report_error (error);
  explorer = ns_axis_explorer_new (data, options, NULL, &error);
  if (explorer == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      return ns_cli_report_error (error);
    }
  if (!ns_axis_figure_save (explorer, selected, args->output, format, args->width, args->height,
                            &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_plot_axes (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  PlotAxesArgs args = { .width = 1400, .height = 820 };
  const GOptionEntry entries[] = {
    { "axis-explorer", 0, 0, G_OPTION_ARG_NONE, &args.axis_explorer,
      "Draw the axis explorer: which axes each normalization layer pools, and its effect on DATA",
      NULL },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &args.layer,
      "The kind framed: batch, layer, instance, group (default) or rms", "KIND" },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &args.preset,
      "pytorch (default), keras or flax: each kind's eps", "PRESET" },
    { "channel-axis", 0, 0, G_OPTION_ARG_STRING, &args.channel_axis,
      "The channel axis of a .npy (default 1, PyTorch's (N, C, ...); -1: channels last)", "AXIS" },
    { "channel", 'c', 0, G_OPTION_ARG_STRING, &args.channel, "The channel shown (default 0)", "C" },
    { "groups", 'g', 0, G_OPTION_ARG_STRING, &args.groups,
      "Group norm's groups, a divisor of C (default 32 when it divides C, else the largest "
      "divisor up to C/2)",
      "G" },
    { "batch-size", 'b', 0, G_OPTION_ARG_STRING, &args.batch_size,
      "Batch norm's rows per batch (default 2)", "B" },
    { "max-batch-size", 0, 0, G_OPTION_ARG_STRING, &args.max_batch_size,
      "The batch-size sweep runs B = 1 .. this (default 32, at most N)", "B" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the figure to FILE (.png, .svg or .pdf)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &args.width, "Figure width (default 1400)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &args.height, "Figure height (default 820)", "H" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("--axis-explorer DATA");
  g_autoptr (GError) error = NULL;
  NsAxisExplorerOptions options;
  NsLayerNormKind selected;
  NsReadOptions read_options;
  NsPlotFormat format;
  const char *path;
  int status;

  g_option_context_set_summary (context,
                                "Draw which axes batch, layer, instance, group and RMS norm pool "
                                "(the Group Normalization\npaper's cubes) above DATA's channel "
                                "after each kind, the mean each sample is centred with,\nand how "
                                "much batch and group norm's outputs move with the batch size.");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (reader_args.axis != NULL)
    status = ns_cli_usage_error ("--axis does not apply: the channel axis is --channel-axis");
  else if (!ns_plot_format_from_path (args.output, &format, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (args.width < 100 || args.height < 100 || args.width > 20000 || args.height > 20000)
    status = ns_cli_usage_error ("--width and --height must be between 100 and 20000");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error) ||
           !options_from_args (&args, &options, &selected, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    {
      options.n_threads = read_options.n_threads;
      status = plot_axes_run (path, &read_options, &args, &options, selected, format);
    }
  ns_cli_reader_args_clear (&reader_args);
  plot_axes_args_clear (&args);
  return status;
}
