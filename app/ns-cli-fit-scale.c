/* ns-cli-fit-scale.c: the streaming, partial and byte-range fits of `normscope-cli fit`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli-fit-scale.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "core/ns-fit-file.h"
#include "core/ns-stream.h"

/* Added to the main group so they show in plain --help. */
void
ns_cli_scale_add_options (GOptionContext *context, NsCliScaleArgs *args)
{
  const GOptionEntry entries[] = {
    { "stream", 0, 0, G_OPTION_ARG_NONE, &args->stream,
      "Read in blocks, never holding the data (automatic above 2 GiB; fit reads any .npy and "
      ".csv.gz so)",
      NULL },
    { "partial", 0, 0, G_OPTION_ARG_NONE, &args->partial,
      "Write mergeable partial statistics instead of stats (see 'merge')", NULL },
    { "byte-range", 0, 0, G_OPTION_ARG_STRING, &args->byte_range,
      "With --partial: only the rows whose line starts in bytes [START, END) of DATA",
      "START:END" },
    { "approx-quantiles", 0, 0, G_OPTION_ARG_NONE, &args->approx_quantiles,
      "Streaming robust: quantiles from a KLL sketch (rank error <= 0.5 %)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args->quiet, "No progress on standard error", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

void
ns_cli_scale_args_clear (NsCliScaleArgs *args)
{
  g_clear_pointer (&args->byte_range, g_free);
}

gboolean
ns_cli_scale_requested (const NsCliScaleArgs *args, const char *path, NsMethod method)
{
  return args->stream || args->partial || args->byte_range != NULL || args->approx_quantiles ||
         ns_fit_file_is_large (path, method);
}

static gboolean
parse_byte_range (const char *text, NsStreamOptions *options, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", -1);
  guint64 start, end;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT64, &start, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, &end, NULL) || end < start)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--byte-range: expected START:END with 0 <= START <= END (bytes), found '%s'",
                   text);
      return FALSE;
    }
  options->range_start = (gint64) start;
  options->range_end = (gint64) end;
  return TRUE;
}

static void
show_progress (guint64 rows, guint64 bytes, gint64 total, gpointer data)
{
  NsCliScaleProgress *progress = data;
  gint64 now = g_get_monotonic_time ();
  double seconds = (now - progress->started) / 1e6, rate = seconds > 0 ? bytes / seconds : 0;
  g_autofree char *read = g_format_size (bytes);
  g_autofree char *speed = g_format_size ((guint64) rate);

  if (now - progress->last < 250000)
    return;
  progress->last = now;
  fprintf (stderr, "\r%" G_GUINT64_FORMAT " rows, %s read, %s/s", rows, read, speed);
  if (total > 0 && rate > 0 && (gint64) bytes <= total)
    fprintf (stderr, ", %.0f%%, ETA %.0f s   ", 100.0 * bytes / total, (total - bytes) / rate);
  fflush (stderr);
}

void
ns_cli_scale_progress_start (NsCliScaleProgress *progress, NsStreamOptions *stream, gboolean quiet)
{
  progress->started = g_get_monotonic_time ();
  progress->last = 0;
  if (!quiet && isatty (STDERR_FILENO))
    {
      stream->progress = show_progress;
      stream->progress_data = progress;
    }
}

void
ns_cli_scale_progress_end (const NsCliScaleProgress *progress)
{
  if (progress->last != 0)
    fputc ('\n', stderr);
}

static gboolean
check_usage (const NsCliScaleArgs *args, const NsScalerOptions *options, char **exports)
{
  if (args->byte_range != NULL && !args->partial)
    {
      ns_cli_usage_error ("--byte-range needs --partial (a range's stats alone mean nothing)");
      return FALSE;
    }
  if (args->partial && exports != NULL)
    {
      ns_cli_usage_error ("--export applies to stats, not to --partial output");
      return FALSE;
    }
  if (args->approx_quantiles && options->method != NS_METHOD_ROBUST)
    {
      ns_cli_usage_error ("--approx-quantiles applies to --method robust only");
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_cli_scale_fit_options (const NsCliScaleArgs *args, const NsReadOptions *read_options,
                          char **exports, NsFitFileOptions *fit)
{
  g_autoptr (GError) error = NULL;

  if (!check_usage (args, &fit->scaler, exports))
    return FALSE;
  fit->stream.n_threads = read_options->n_threads;
  fit->stream.approx_quantiles = args->approx_quantiles;
  fit->force_stream = args->stream;
  fit->partial = args->partial;
  if (args->byte_range != NULL && !parse_byte_range (args->byte_range, &fit->stream, &error))
    {
      ns_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}
