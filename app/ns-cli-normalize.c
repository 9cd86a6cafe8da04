/* ns-cli-normalize.c: `normscope-cli normalize`, one normalization layer (batch, layer, instance,
 * group, RMS) in training mode on a tensor, writing the output as .npy and its statistics as JSON.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <math.h>
#include <string.h>

#include "core/ns-layer-norm.h"
#include "core/ns-output.h"
#include "core/ns-output-guard.h"

typedef struct {
  char *layer;
  char *preset;
  char *eps;
  char *channel_axis;
  char *normalized_axes;
  char *groups;
  gboolean track_running_stats;
  char *momentum;
  char *batch_size;
  char *dtype;
  char *output;
  char *stats;
  gboolean quiet;
} NormalizeArgs;

static void
normalize_args_clear (NormalizeArgs *args)
{
  g_free (args->layer);
  g_free (args->preset);
  g_free (args->eps);
  g_free (args->channel_axis);
  g_free (args->normalized_axes);
  g_free (args->groups);
  g_free (args->momentum);
  g_free (args->batch_size);
  g_free (args->dtype);
  g_free (args->output);
  g_free (args->stats);
}

static gboolean
parse_axis (const char *option, const char *text, int *axis, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gint64 value;

  if (g_ascii_string_to_signed (stripped, 10, -NS_MAX_RANK, NS_MAX_RANK, &value, NULL))
    {
      *axis = (int) value;
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s: expected an axis (an integer, negative from the end), found '%s'", option,
               text);
  return FALSE;
}

static gboolean
parse_normalized_axes (const char *text, NsLayerNormOptions *options, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) == 0 || g_strv_length (parts) > NS_MAX_RANK)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--normalized-axes: expected 1 to %d comma-separated axes, found '%s'",
                   NS_MAX_RANK, text);
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    if (!parse_axis ("--normalized-axes", parts[i], &options->normalized_axes[i], error))
      return FALSE;
  options->n_normalized_axes = g_strv_length (parts);
  return TRUE;
}

static gboolean
parse_counts (const NormalizeArgs *args, NsLayerNormOptions *options, GError **error)
{
  guint64 value;

  if (args->groups != NULL)
    {
      if (!ns_cli_parse_count ("--groups", args->groups, G_MAXUINT, &value, error))
        return FALSE;
      if (value == 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--groups: expected at least 1 group");
          return FALSE;
        }
      options->groups = (guint) value;
    }
  if (args->batch_size != NULL)
    {
      if (!ns_cli_parse_count ("--batch-size", args->batch_size, G_MAXSIZE, &value, error))
        return FALSE;
      if (value == 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--batch-size: expected at least 1 row per batch");
          return FALSE;
        }
      options->batch_size = (gsize) value;
    }
  return TRUE;
}

static gboolean
options_from_args (const NormalizeArgs *args, NsLayerNormOptions *options, GError **error)
{
  NsLayerNormKind kind;

  if (!ns_layer_norm_kind_from_string (args->layer, &kind, error))
    return FALSE;
  ns_layer_norm_options_init (options, kind);
  options->track_running_stats = args->track_running_stats;
  return (args->preset == NULL ||
          ns_layer_norm_preset_from_string (args->preset, &options->preset, error)) &&
         (args->eps == NULL || ns_cli_parse_double ("--eps", args->eps, &options->eps, error)) &&
         (args->momentum == NULL ||
          ns_cli_parse_double ("--momentum", args->momentum, &options->momentum, error)) &&
         (args->channel_axis == NULL ||
          parse_axis ("--channel-axis", args->channel_axis, &options->channel_axis, error)) &&
         (args->normalized_axes == NULL ||
          parse_normalized_axes (args->normalized_axes, options, error)) &&
         parse_counts (args, options, error);
}

static NsOutputGroup *
open_outputs (const NormalizeArgs *args, const char *path, GError **error)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);

  ns_output_guard_add_output (guard, "--stats", args->stats);
  return ns_output_group_new (guard, error);
}

/* Loads the whole input, normalizes it in memory and writes it. */
static NsLayerNorm *
normalize_loaded (const char *path, NsReadOptions *read_options, const NsLayerNormOptions *options,
                  const NormalizeArgs *args, gboolean float32, GError **error)
{
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autofree char *axis = ns_layer_norm_read_axis (options, path);

  read_options->axis = axis;
  data = ns_cli_load_with_progress (path, read_options, args->quiet, error);
  read_options->axis = NULL;
  if (data == NULL || (norm = ns_layer_norm_apply (data, options, error)) == NULL ||
      !ns_npy_write_threaded (data, args->output, float32, options->n_threads, error))
    return NULL;
  return g_steal_pointer (&norm);
}

static NsLayerNorm *
normalize_streamed (const char *path, const NsLayerNormOptions *options, const NormalizeArgs *args,
                    gboolean *streamed, GError **error)
{
  g_autofree char *label = g_strdup_printf ("reading %s", path);
  NsCliProgress progress;
  NsProgressFunc show = ns_cli_progress_start (&progress, label, args->quiet);
  NsLayerNorm *norm =
    ns_layer_norm_stream_npy (path, options, args->output, show, &progress, streamed, error);

  ns_cli_progress_end (&progress);
  return norm;
}

static int
normalize_run (const char *path, NsReadOptions *read_options, const NsLayerNormOptions *options,
               const NormalizeArgs *args, gboolean float32)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autoptr (NsOutputGroup) outputs = NULL;
  gboolean streamed = FALSE;

  if ((outputs = open_outputs (args, path, &error)) == NULL)
    return ns_cli_report_error (error);
  /* A float64 .npy goes file to file, a block of samples at a time; anything else is loaded. */
  if (!float32)
    norm = normalize_streamed (path, options, args, &streamed, &error);
  if (!streamed)
    norm = normalize_loaded (path, read_options, options, args, float32, &error);
  /* The statistics come from writing the tensor, so a device at -o is written before them. */
  if (norm == NULL ||
      (args->stats != NULL && !ns_layer_norm_write_stats (norm, args->stats, &error)))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_normalize (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  NormalizeArgs args = { 0 };
  const GOptionEntry entries[] = {
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &args.layer,
      "batch, layer, instance, group or rms (required)", "KIND" },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &args.preset,
      "pytorch (default), keras or flax: eps (1e-5, 1e-3, 1e-6) and layer/rms axes (keras, flax: "
      "the last only)",
      "PRESET" },
    { "eps", 0, 0, G_OPTION_ARG_STRING, &args.eps, "Epsilon added to the variance", "E" },
    { "channel-axis", 'c', 0, G_OPTION_ARG_STRING, &args.channel_axis,
      "The channel axis (default 1, PyTorch's (N, C, ...); -1: channels last)", "AXIS" },
    { "normalized-axes", 0, 0, G_OPTION_ARG_STRING, &args.normalized_axes,
      "layer, rms: the axes pooled per sample (default: all but the first)", "A,…" },
    { "groups", 'g', 0, G_OPTION_ARG_STRING, &args.groups,
      "group: the number of groups, a divisor of the channels", "G" },
    { "track-running-stats", 0, 0, G_OPTION_ARG_NONE, &args.track_running_stats,
      "instance: keep PyTorch's running mean and (unbiased) running variance", NULL },
    { "momentum", 'm', 0, G_OPTION_ARG_STRING, &args.momentum,
      "Running statistics: the weight of the new batch, as PyTorch's (default: the preset's, "
      "PyTorch 0.1)",
      "M" },
    { "batch-size", 'b', 0, G_OPTION_ARG_STRING, &args.batch_size,
      "batch, instance running statistics: rows per batch (default: the whole input)", "B" },
    { "dtype", 0, 0, G_OPTION_ARG_STRING, &args.dtype, "Output dtype: f64 (default) or f32",
      "TYPE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the normalized tensor (.npy) to FILE (required)", "FILE" },
    { "stats", 's', 0, G_OPTION_ARG_FILENAME, &args.stats,
      "Write the statistics used (JSON) to FILE", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args.quiet, "No progress on standard error", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  NsLayerNormOptions options;
  gboolean float32 = FALSE;
  const char *path;
  int status;

  g_option_context_set_summary (context,
                                "Apply one normalization layer in training mode to DATA (.npy of "
                                "rank >= 2, or a CSV table as (N, C))\nand write the normalized "
                                "tensor as .npy and, with --stats, every mean and variance used.");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.layer == NULL)
    status = ns_cli_usage_error ("missing required option --layer");
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (reader_args.axis != NULL)
    status = ns_cli_usage_error ("--axis does not apply: the layer decides the pooled axes "
                                 "(--channel-axis, --normalized-axes)");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error) ||
           !options_from_args (&args, &options, &error) ||
           !ns_cli_parse_dtype (args.dtype, &float32, &error) ||
           !ns_layer_norm_check_options (&options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    {
      options.n_threads = read_options.n_threads;
      status = normalize_run (path, &read_options, &options, &args, float32);
    }
  ns_cli_reader_args_clear (&reader_args);
  normalize_args_clear (&args);
  return status;
}
