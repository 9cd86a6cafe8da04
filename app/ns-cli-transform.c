/* ns-cli-transform.c: `normscope-cli transform`, applying (or inverting) a stats file to a dataset.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <gio/gio.h>
#include <string.h>

#include "core/ns-gunzip-stream.h"
#include "core/ns-output.h"
#include "core/ns-stats.h"
#include "core/ns-transform-stream.h"

typedef struct {
  char *stats;
  char *output;
  gboolean inverse;
  gboolean pass_through;
  gboolean quiet;
} TransformArgs;

/* The first line of a (possibly gzipped) file, quoted parts removed; NULL when unreadable. */
static char *
read_first_line (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GInputStream) raw = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  char buf[4096];
  gboolean quoted = FALSE;
  gssize n;

  if (raw == NULL || !g_seekable_can_seek (G_SEEKABLE (raw)) ||
      (stream = ns_gunzip_stream_new_if_gzip (raw, path, NULL, NULL, NULL)) == NULL)
    return NULL;
  while (line->len < 65536 && (n = g_input_stream_read (stream, buf, sizeof buf, NULL, NULL)) > 0)
    for (gssize i = 0; i < n; i++)
      {
        if (buf[i] == '"')
          quoted = !quoted;
        else if (!quoted && (buf[i] == '\n' || buf[i] == '\r'))
          return g_string_free (g_steal_pointer (&line), FALSE);
        else if (!quoted)
          g_string_append_c (line, buf[i]);
      }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* The delimiter to write: the one given, or the input's (its first line's most frequent of
 * , ; tab; runs of spaces when none occurs), so the output looks like the input. */
static char
output_delimiter (const char *path, const NsReadOptions *options)
{
  const char candidates[] = { ',', ';', '\t' };
  g_autofree char *line = NULL;
  guint best_count = 0;
  char best = ',';

  if (options->delimiter != 0)
    return options->delimiter;
  line = read_first_line (path);
  if (line == NULL)
    return ',';
  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint count = 0;

      for (const char *p = line; *p != '\0'; p++)
        count += *p == candidates[c];
      if (count > best_count)
        {
          best_count = count;
          best = candidates[c];
        }
    }
  if (best_count == 0 && strchr (g_strstrip (line), ' ') != NULL)
    return ' ';
  return best;
}

static gboolean
has_suffix_npy (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".npy");
}

/* Without --axis, a tensor is read with the kept axes of the fit ("axis" in params). */
static char *
axis_from_stats (NsStats *stats)
{
  JsonNode *axis = json_object_get_member (ns_stats_get_params (stats), "axis");
  g_autoptr (GString) text = g_string_new (NULL);
  JsonArray *array;

  if (axis == NULL || !JSON_NODE_HOLDS_ARRAY (axis))
    return NULL;
  array = json_node_get_array (axis);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_INT64)
        return NULL;
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                              json_node_get_int (element));
    }
  if (text->len == 0)
    g_string_append (text, "none");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The streamed transform of a CSV file to CSV or a .npy file to .npy (the core says where it
 * applies), with progress. */
static gboolean
transform_streamed (const char *path, const NsReadOptions *read_options, NsStats *stats,
                    NsTransformFlags flags, const TransformArgs *args)
{
  g_autofree char *label = g_strdup_printf ("reading %s", path);
  NsReadOptions options = *read_options;
  NsCliProgress progress;
  gboolean done;

  options.progress = ns_cli_progress_start (&progress, label, args->quiet);
  options.progress_data = &progress;
  done = has_suffix_npy (args->output)
           ? ns_transform_stream_npy (stats, path, &options, flags, args->output)
           : ns_transform_stream_csv (stats, path, &options, flags, args->output,
                                      output_delimiter (path, read_options));
  ns_cli_progress_end (&progress);
  return done;
}

static int
transform_run (const char *path, NsReadOptions *read_options, const TransformArgs *args)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autofree char *axis = NULL;
  NsTransformFlags flags = (args->inverse ? NS_TRANSFORM_INVERSE : 0) |
                           (args->pass_through ? NS_TRANSFORM_PASS_THROUGH : 0);
  gboolean tensor;

  if (g_str_has_suffix (args->output, ".gz"))
    return ns_cli_usage_error ("%s: the output is written uncompressed: name it *.csv",
                               args->output);
  ns_output_guard_add_input (guard, args->stats);
  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  stats = ns_stats_load (args->stats, &error);
  if (stats == NULL)
    return ns_cli_report_error (error);
  if (read_options->axis == NULL)
    read_options->axis = axis = axis_from_stats (stats);
  if (transform_streamed (path, read_options, stats, flags, args))
    return ns_cli_commit_outputs (outputs);
  data = ns_cli_load_with_progress (path, read_options, args->quiet, &error);
  if (data == NULL)
    return ns_cli_report_error (error);
  tensor = ns_dataset_get_kind (data) == NS_DATASET_TENSOR;
  if (tensor != has_suffix_npy (args->output) && g_strcmp0 (args->output, "-") != 0)
    return ns_cli_usage_error ("%s: the output keeps the input's format: name it *.%s",
                               args->output, tensor ? "npy" : "csv");
  if (!ns_stats_transform_in_place (stats, data, flags, &error))
    return ns_cli_report_error (error);
  if (tensor ? !ns_npy_write (data, args->output, &error)
             : !ns_csv_write (data, args->output, output_delimiter (path, read_options),
                              read_options->n_threads, &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_transform (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  TransformArgs args = { 0 };
  const GOptionEntry entries[] = {
    { "stats", 's', 0, G_OPTION_ARG_FILENAME, &args.stats,
      "The stats file to apply (from 'normscope-cli fit', or a NumPy .npz)", "STATS" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the result to FILE: CSV for CSV input (same header, label columns and delimiter), "
      ".npy for .npy input ('-': standard output)",
      "FILE" },
    { "inverse", 0, 0, G_OPTION_ARG_NONE, &args.inverse,
      "Undo the scaling: x * scale + offset (batch norm: (y - beta) / gamma * scale + offset)",
      NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args.quiet,
      "No progress on standard error (shown only on a terminal)", NULL },
    { "pass-through", 0, 0, G_OPTION_ARG_NONE, &args.pass_through,
      "Copy numeric columns the stats do not cover unchanged (default: refuse them)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  const char *path;
  int status;

  g_option_context_set_summary (
    context, "Apply a stats file to DATA: (x - offset) / scale for every "
             "feature, matched by name\n(tensors: by channel); batch-norm stats "
             "also apply gamma and beta, as the preset's\nframework does in "
             "inference mode. Label columns are copied. Fit on a training file,\n"
             "transform a test file.");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.stats == NULL)
    status = ns_cli_usage_error ("missing required option --stats");
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    status = transform_run (path, &read_options, &args);
  ns_cli_reader_args_clear (&reader_args);
  g_free (args.stats);
  g_free (args.output);
  return status;
}
