/* ns-cli-stats.c: `normscope-cli stats`, a per-column summary as an aligned table or JSON.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"
#include "ns-cli-fit-scale.h"

#include <math.h>
#include <string.h>

#include "core/ns-format-double.h"
#include "core/ns-json.h"
#include "core/ns-output.h"
#include "core/ns-safe-text.h"
#include "core/ns-stream.h"
#include "core/ns-summary.h"

enum { NS_TABLE_COLUMNS = 13, NS_TABLE_TEXT_COLUMNS = 2 };

static const char *const table_headings[NS_TABLE_COLUMNS] = {
  "column", "kind",   "count", "missing", "mean", "std",  "min",
  "q1",     "median", "q3",    "max",     "skew", "kurt",
};

/* Six significant digits for reading; the stats file has the exact values. */
static char *
format_readable (double value)
{
  char buf[NS_FORMAT_READABLE_SIZE];

  return g_strdup (ns_format_readable (buf, value, 6));
}

static char *
format_count (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", value));
}

/* A label row has its first four cells; its fifth cell spans the rest of the line. */
static GPtrArray *
summary_row (const NsColumnSummary *summary)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (row, ns_safe_text_for_terminal (summary->name));
  g_ptr_array_add (row, g_strdup (summary->is_label ? "label" : "numeric"));
  g_ptr_array_add (row, format_count (summary->count));
  g_ptr_array_add (row, format_count (summary->missing));
  if (summary->is_label && summary->n_distinct == NS_SUMMARY_DISTINCT_UNKNOWN)
    {
      g_ptr_array_add (row, g_strdup ("distinct values not counted (streamed)"));
      return row;
    }
  if (summary->is_label)
    {
      g_ptr_array_add (row, g_strdup_printf ("%u distinct value%s", summary->n_distinct,
                                             summary->n_distinct == 1 ? "" : "s"));
      return row;
    }
  {
    const double numbers[] = {
      summary->mean, summary->std, summary->min,      summary->q1,       summary->median,
      summary->q3,   summary->max, summary->skewness, summary->kurtosis,
    };

    for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
      g_ptr_array_add (row, format_readable (numbers[i]));
  }
  return row;
}

static void
append_padded (GString *out, const char *cell, guint width, gboolean left)
{
  glong len = g_utf8_strlen (cell, -1);

  if (!left)
    for (glong i = len; i < width; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, cell);
  if (left)
    for (glong i = len; i < width; i++)
      g_string_append_c (out, ' ');
}

static void
append_table (GString *out, GPtrArray *rows, const char *indent)
{
  guint widths[NS_TABLE_COLUMNS];

  for (guint c = 0; c < NS_TABLE_COLUMNS; c++)
    widths[c] = (guint) strlen (table_headings[c]);
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      /* A spanning label cell does not widen the column it starts in. */
      guint n_aligned = row->len == NS_TABLE_COLUMNS ? row->len : row->len - 1;

      for (guint c = 0; c < n_aligned; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (g_ptr_array_index (row, c), -1));
    }
  for (gint r = -1; r < (gint) rows->len; r++)
    {
      GPtrArray *row = r < 0 ? NULL : g_ptr_array_index (rows, r);
      guint n_cells = row == NULL ? NS_TABLE_COLUMNS : row->len;
      GString *line = g_string_new (indent);

      for (guint c = 0; c < n_cells; c++)
        {
          const char *cell = row == NULL ? table_headings[c] : g_ptr_array_index (row, c);
          gboolean spanning = row != NULL && n_cells < NS_TABLE_COLUMNS && c == n_cells - 1;

          if (c > 0)
            g_string_append (line, "  ");
          if (spanning)
            {
              /* Right-align the span's text under the mean column's width. */
              append_padded (line, cell, widths[c], FALSE);
              continue;
            }
          append_padded (line, cell, widths[c], c < NS_TABLE_TEXT_COLUMNS);
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_string_append (out, line->str);
      g_string_append_c (out, '\n');
      g_string_free (line, TRUE);
    }
}

static void
append_notes (GString *out, GArray *summaries, const char *indent)
{
  for (guint i = 0; i < summaries->len; i++)
    {
      const NsColumnSummary *s = &g_array_index (summaries, NsColumnSummary, i);
      g_autofree char *name = NULL;

      if (s->is_label || s->infinite == 0)
        continue;
      name = ns_safe_text_for_terminal (s->name);
      g_string_append_printf (out, "%snote: %s has %.0f infinite value%s\n", indent, name,
                              s->infinite, s->infinite == 1 ? "" : "s");
    }
}

static void
append_summaries (GString *out, GArray *summaries, const char *indent)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < summaries->len; i++)
    g_ptr_array_add (rows, summary_row (&g_array_index (summaries, NsColumnSummary, i)));
  append_table (out, rows, indent);
  append_notes (out, summaries, indent);
}

gboolean
ns_cli_append_summary_table (GString *out, const NsDataset *data, const char *indent,
                             guint n_threads, GError **error)
{
  g_autoptr (GArray) summaries = ns_summary_compute_threads (data, n_threads, NULL, error);

  if (summaries == NULL)
    return FALSE;
  append_summaries (out, summaries, indent);
  return TRUE;
}

static void
append_shape (GString *out, const NsDataset *data)
{
  const gsize *shape = ns_dataset_get_shape (data);

  g_string_append_c (out, '(');
  for (guint i = 0; i < ns_dataset_get_rank (data); i++)
    g_string_append_printf (out, "%s%" G_GSIZE_FORMAT, i > 0 ? ", " : "", shape[i]);
  g_string_append_c (out, ')');
}

/* One line describing what was read: rows and columns, or a tensor's shape and kept axes. */
void
ns_cli_append_description (GString *out, const char *path, const NsDataset *data)
{
  guint n_columns = ns_dataset_get_n_columns (data);
  guint n_features = ns_dataset_get_n_features (data);
  gsize n_samples = ns_dataset_get_n_samples (data);
  g_autofree char *shown = ns_safe_text_for_terminal (path);

  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    {
      const guint *kept = ns_dataset_get_kept_axes (data);

      g_string_append_printf (out, "%s: tensor of shape ", shown);
      append_shape (out, data);
      g_string_append (out, ", kept ");
      if (ns_dataset_get_n_kept_axes (data) == 0)
        g_string_append (out, "axis none");
      else
        g_string_append (out, ns_dataset_get_n_kept_axes (data) == 1 ? "axis " : "axes ");
      for (guint i = 0; i < ns_dataset_get_n_kept_axes (data); i++)
        g_string_append_printf (out, "%s%u", i > 0 ? "," : "", kept[i]);
      g_string_append_printf (out, ": %u feature%s of %" G_GSIZE_FORMAT " values each\n",
                              n_features, n_features == 1 ? "" : "s",
                              n_samples * ns_dataset_get_spatial_size (data));
      return;
    }
  g_string_append_printf (out,
                          "%s: %" G_GSIZE_FORMAT " row%s, %u column%s (%u numeric, %u label)\n",
                          shown, n_samples, n_samples == 1 ? "" : "s", n_columns,
                          n_columns == 1 ? "" : "s", n_features, n_columns - n_features);
}

static void
append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  ns_safe_text_append (out, text, NS_SAFE_TEXT_JSON);
  g_string_append_c (out, '"');
}

/* Exact shortest round-trip doubles, NaN and infinities as in the stats file. */
static void
append_json_double (GString *out, const char *key, double value)
{
  g_string_append_printf (out, ", \"%s\": ", key);
  ns_json_append_double (out, value);
}

/* The head of the JSON object for the in-memory dataset: file, rows, shape. */
static void
append_json_head (GString *out, const char *path, const NsDataset *data)
{
  const gsize *shape = ns_dataset_get_shape (data);

  g_string_append (out, "{\n  \"file\": ");
  append_json_string (out, path);
  g_string_append_printf (out, ",\n  \"rows\": %" G_GSIZE_FORMAT ",\n  \"shape\": [",
                          ns_dataset_get_n_samples (data));
  for (guint i = 0; i < ns_dataset_get_rank (data); i++)
    g_string_append_printf (out, "%s%" G_GSIZE_FORMAT, i > 0 ? ", " : "", shape[i]);
  g_string_append (out, "]");
}

/* Streamed: the same keys, plus how the quantiles were obtained (null: not computed). */
static void
append_json_stream_head (GString *out, const char *path, const NsPartial *partial,
                         GArray *summaries)
{
  guint64 rows = ns_partial_get_rows (partial);

  g_string_append (out, "{\n  \"file\": ");
  append_json_string (out, path);
  g_string_append_printf (out,
                          ",\n  \"rows\": %" G_GUINT64_FORMAT ",\n  \"shape\": [%" G_GUINT64_FORMAT
                          ", %u],\n  \"streamed\": true,\n  \"quantiles\": %s",
                          rows, rows, summaries->len,
                          ns_partial_get_approx_quantiles (partial)
                            ? "\"approximate (KLL, rank error <= 0.5 %)\""
                            : "null");
}

static void
append_json_columns (GString *out, GArray *summaries)
{
  g_string_append (out, ",\n  \"columns\": [");
  for (guint i = 0; i < summaries->len; i++)
    {
      const NsColumnSummary *s = &g_array_index (summaries, NsColumnSummary, i);

      g_string_append (out, i > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ");
      append_json_string (out, s->name);
      g_string_append_printf (out, ", \"kind\": \"%s\"", s->is_label ? "label" : "numeric");
      append_json_double (out, "count", s->count);
      append_json_double (out, "missing", s->missing);
      if (s->is_label && s->n_distinct == NS_SUMMARY_DISTINCT_UNKNOWN)
        {
          g_string_append (out, ", \"distinct\": null}");
          continue;
        }
      if (s->is_label)
        {
          g_string_append_printf (out, ", \"distinct\": %u}", s->n_distinct);
          continue;
        }
      append_json_double (out, "infinite", s->infinite);
      append_json_double (out, "mean", s->mean);
      append_json_double (out, "variance_population", s->variance_population);
      append_json_double (out, "variance_sample", s->variance_sample);
      append_json_double (out, "std", s->std);
      append_json_double (out, "min", s->min);
      append_json_double (out, "q1", s->q1);
      append_json_double (out, "median", s->median);
      append_json_double (out, "q3", s->q3);
      append_json_double (out, "max", s->max);
      append_json_double (out, "skewness", s->skewness);
      append_json_double (out, "kurtosis", s->kurtosis);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n  ]\n}\n");
}

static const char stats_footer[] =
  "\nstd: population standard deviation (ddof 0); skew, kurt: skewness and excess kurtosis "
  "(bias=True)\n";

static void
append_stream_description (GString *out, const char *path, const NsPartial *partial)
{
  guint64 rows = ns_partial_get_rows (partial);
  g_autofree char *shown = ns_safe_text_for_terminal (path);

  g_string_append_printf (out, "%s: %" G_GUINT64_FORMAT " row%s, streamed (quantiles: %s)\n", shown,
                          rows, rows == 1 ? "" : "s",
                          ns_partial_get_approx_quantiles (partial)
                            ? "approximate, KLL, rank error <= 0.5 %"
                            : "not computed, add --approx-quantiles");
}

/* Streaming: exact moments in bounded memory, quartiles only from a sketch when asked. */
static int
stats_stream (GString *out, const char *path, const NsReadOptions *read_options,
              const NsCliScaleArgs *args, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) partial = NULL;
  g_autoptr (GArray) summaries = NULL;
  NsScalerOptions scaler;
  NsStreamOptions stream;
  NsCliScaleProgress progress;

  ns_scaler_options_init (&scaler, NS_METHOD_STANDARD);
  ns_stream_options_init (&stream);
  scaler.n_threads = stream.n_threads = read_options->n_threads;
  stream.approx_quantiles = args->approx_quantiles;
  ns_cli_scale_progress_start (&progress, &stream, args->quiet);
  partial = ns_stream_read (path, read_options, &scaler, &stream, NULL, &error);
  ns_cli_scale_progress_end (&progress);
  if (partial == NULL)
    return ns_cli_report_error (error);
  summaries = ns_summary_from_partial (partial);
  if (json)
    {
      append_json_stream_head (out, path, partial, summaries);
      append_json_columns (out, summaries);
      return NS_EXIT_OK;
    }
  append_stream_description (out, path, partial);
  g_string_append_c (out, '\n');
  append_summaries (out, summaries, "");
  g_string_append (out, stats_footer);
  return NS_EXIT_OK;
}

static int
stats_in_memory (GString *out, const char *path, const NsReadOptions *read_options, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (GArray) summaries = NULL;

  if ((data = ns_dataset_load (path, read_options, NULL, &error)) == NULL ||
      (summaries = ns_summary_compute_threads (data, read_options->n_threads, NULL, &error)) ==
        NULL)
    return ns_cli_report_error (error);
  if (json)
    {
      append_json_head (out, path, data);
      append_json_columns (out, summaries);
      return NS_EXIT_OK;
    }
  ns_cli_append_description (out, path, data);
  g_string_append_c (out, '\n');
  append_summaries (out, summaries, "");
  g_string_append (out, stats_footer);
  return NS_EXIT_OK;
}

/* The summary (standard output unless -o) is never written into DATA (`stats data.csv >>
 * data.csv`). */
static NsOutputGroup *
open_output (const char *path, const char *output, GError **error)
{
  g_autoptr (NsOutputGuard) guard =
    ns_cli_output_guard_new (path, output != NULL ? output : "-", NULL);

  return ns_output_group_new (guard, error);
}

/* -o FILE is written atomically (a failure leaves no partial file). */
static gboolean
write_summary (const char *output, const GString *out, GError **error)
{
  if (output == NULL || strcmp (output, "-") == 0)
    return ns_cli_write_stdout (out->str, out->len, error);
  return ns_output_write_file (output, out->str, out->len, error);
}

int
ns_cli_stats (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  NsCliScaleArgs scale_args = { 0 };
  gboolean json = FALSE;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the summary to FILE instead of standard output ('-': standard output)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON with exact doubles instead of a table",
      NULL },
    { "stream", 0, 0, G_OPTION_ARG_NONE, &scale_args.stream,
      "Read CSV in blocks, never holding the data (automatic above 2 GiB); no quartiles unless "
      "--approx-quantiles",
      NULL },
    { "approx-quantiles", 0, 0, G_OPTION_ARG_NONE, &scale_args.approx_quantiles,
      "Streaming: quartiles and median from a KLL sketch (rank error <= 0.5 %; implies --stream)",
      NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &scale_args.quiet, "No progress on standard error",
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  NsReadOptions options;
  const char *path;
  int status;

  g_option_context_set_summary (context,
                                "Print a per-column summary of DATA (CSV, CSV.gz or .npy): count, "
                                "missing, mean,\nstandard deviation (population), quartiles, "
                                "skewness and excess kurtosis.\nLabel columns are listed with "
                                "their number of distinct values.");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (!ns_cli_reader_options_finish (&reader_args, &options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if ((outputs = open_output (path, output, &error)) == NULL)
    status = ns_cli_report_error (error);
  else if (ns_cli_scale_requested (&scale_args, path, NS_METHOD_STANDARD))
    status = stats_stream (out, path, &options, &scale_args, json);
  else
    status = stats_in_memory (out, path, &options, json);
  if (status == NS_EXIT_OK && !write_summary (output, out, &error))
    status = ns_cli_report_error (error);
  else if (status == NS_EXIT_OK)
    status = ns_cli_commit_outputs (outputs);
  ns_cli_reader_args_clear (&reader_args);
  return status;
}
