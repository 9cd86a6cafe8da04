/* ns-cli-common.c: option parsing, reader options and error reporting shared by the subcommands.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/ns-error.h"
#include "core/ns-safe-text.h"

GOptionGroup *
ns_cli_reader_option_group (NsCliReaderArgs *args)
{
  const GOptionEntry entries[] = {
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &args->delimiter,
      "Field delimiter of CSV input: ',', ';', 'tab', 'space' or one character (default: sniffed)",
      "DELIM" },
    { "decimal", 0, 0, G_OPTION_ARG_STRING, &args->decimal,
      "Decimal mark of CSV numbers: '.' or ',' (default: sniffed when the delimiter is not ',')",
      "MARK" },
    { "header", 0, 0, G_OPTION_ARG_NONE, &args->header,
      "The first CSV line is a header (default: detected)", NULL },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, &args->no_header, "The first CSV line is data", NULL },
    { "missing", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->missing,
      "One more marker for a missing value (repeatable)", "MARKER" },
    { "axis", 0, 0, G_OPTION_ARG_STRING, &args->axis,
      "Kept (feature) axes of a tensor, as Keras' axis: -1, 1, 1,2 or none (default: -1)", "AXIS" },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &args->threads,
      "Use at most N threads for reading and fitting (default: all cores)", "N" },
    { NULL }
  };
  GOptionGroup *group =
    g_option_group_new ("reader", "Reader options:", "Show reader options", NULL, NULL);

  g_option_group_add_entries (group, entries);
  return group;
}

static gboolean
ns_cli_parse_delimiter (const char *text, char *delimiter, GError **error)
{
  if (g_ascii_strcasecmp (text, "tab") == 0 || strcmp (text, "\\t") == 0)
    *delimiter = '\t';
  else if (g_ascii_strcasecmp (text, "space") == 0)
    *delimiter = ' ';
  else if (strlen (text) == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r')
    *delimiter = text[0];
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--delimiter: expected one character, 'tab' or 'space', found '%s'", text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ns_cli_parse_decimal (const char *text, char *decimal, GError **error)
{
  if (strcmp (text, ".") != 0 && strcmp (text, ",") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--decimal: expected '.' or ',', found '%s'", text);
      return FALSE;
    }
  *decimal = text[0];
  return TRUE;
}

static gboolean
ns_cli_parse_threads (const char *text, guint *n_threads, GError **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--threads: expected a whole number of threads, at least 1, found '%s'", text);
      return FALSE;
    }
  /* "At most": more threads than cores never speeds a fit up, and each costs a stack and a
   * stream block. */
  *n_threads = MIN ((guint) value, g_get_num_processors ());
  return TRUE;
}

gboolean
ns_cli_reader_options_finish (NsCliReaderArgs *args, NsReadOptions *options, GError **error)
{
  ns_read_options_init (options);
  if (args->header && args->no_header)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--header and --no-header exclude each other");
      return FALSE;
    }
  options->header = args->header ? NS_HEADER_YES : args->no_header ? NS_HEADER_NO : NS_HEADER_AUTO;
  if (args->delimiter != NULL &&
      !ns_cli_parse_delimiter (args->delimiter, &options->delimiter, error))
    return FALSE;
  if (args->decimal != NULL && !ns_cli_parse_decimal (args->decimal, &options->decimal, error))
    return FALSE;
  if (options->decimal == ',' && options->delimiter == ',')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--decimal , needs a delimiter other than ',' (--delimiter ';')");
      return FALSE;
    }
  if (args->threads != NULL && !ns_cli_parse_threads (args->threads, &options->n_threads, error))
    return FALSE;
  options->extra_missing = args->missing;
  options->axis = args->axis;
  return TRUE;
}

void
ns_cli_reader_args_clear (NsCliReaderArgs *args)
{
  g_clear_pointer (&args->delimiter, g_free);
  g_clear_pointer (&args->decimal, g_free);
  g_clear_pointer (&args->missing, g_strfreev);
  g_clear_pointer (&args->axis, g_free);
  g_clear_pointer (&args->threads, g_free);
}

static void
ns_cli_print_usage_error (const char *message)
{
  const char *prgname = g_get_prgname () != NULL ? g_get_prgname () : "normscope-cli";
  g_autofree char *shown = ns_safe_text_for_terminal (message);

  fprintf (stderr, "%s: %s\nTry '%s --help'\n", prgname, shown, prgname);
}

gboolean
ns_cli_parse (GOptionContext *context, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("normscope-cli %s", (*argv)[0]);

  /* GLib prints the program name in --help's usage line: make it "normscope-cli fit". main never
   * sets it, so this is its only setting. */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      ns_cli_print_usage_error (error->message);
      return FALSE;
    }
  return TRUE;
}

int
ns_cli_usage_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ns_cli_print_usage_error (message);
  return NS_EXIT_INPUT;
}

const char *
ns_cli_single_argument (int argc, char **argv, const char *what)
{
  if (argc < 2)
    {
      ns_cli_usage_error ("missing the %s file", what);
      return NULL;
    }
  if (argc > 2)
    {
      ns_cli_usage_error ("unexpected argument '%s'", argv[2]);
      return NULL;
    }
  return argv[1];
}

const char *
ns_cli_parse_file_arg (GOptionContext *context, NsCliReaderArgs *reader_args,
                       const GOptionEntry *entries, const char *what, int *argc, char ***argv)
{
  if (reader_args != NULL)
    g_option_context_set_main_group (context, ns_cli_reader_option_group (reader_args));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!ns_cli_parse (context, argc, argv))
    return NULL;
  return ns_cli_single_argument (*argc, *argv, what);
}

int
ns_cli_report_error (GError *error)
{
  g_autofree char *shown = ns_safe_text_for_terminal (error->message);

  /* Messages quote names and tokens from the data: never let them reach the terminal raw. */
  fprintf (stderr, "%s\n", shown);
  if (error->domain == NS_ERROR)
    return error->code == NS_ERROR_CANCELLED ? NS_EXIT_INTERNAL : NS_EXIT_INPUT;
  if (error->domain == G_FILE_ERROR || error->domain == G_IO_ERROR ||
      error->domain == G_OPTION_ERROR || error->domain == JSON_PARSER_ERROR)
    return NS_EXIT_INPUT;
  return NS_EXIT_INTERNAL;
}

gboolean
ns_cli_parse_double (const char *option, const char *text, double *value, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  /* NaN is no setting: options use it internally for "the preset's default". */
  if (*stripped == '\0' || !ns_parse_double (stripped, strlen (stripped), value) || isnan (*value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: expected a number, found '%s'", option, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_cli_parse_finite_double (const char *option, const char *text, double *value, GError **error)
{
  if (!ns_cli_parse_double (option, text, value, error))
    return FALSE;
  if (isinf (*value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: expected a finite number, found '%s'", option, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_cli_parse_count (const char *option, const char *text, guint64 max, guint64 *value,
                    GError **error)
{
  if (g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s: expected a non-negative integer, found '%s'", option, text);
  return FALSE;
}

gboolean
ns_cli_parse_count_at_least (const char *option, const char *text, guint64 min, guint64 max,
                             guint64 *value, GError **error)
{
  if (!ns_cli_parse_count (option, text, max, value, error))
    return FALSE;
  if (*value >= min)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s: expected an integer >= %" G_GUINT64_FORMAT ", found '%s'", option, min, text);
  return FALSE;
}

gboolean
ns_cli_parse_dtype (const char *text, gboolean *float32, GError **error)
{
  *float32 = text != NULL && strcmp (text, "f32") == 0;
  if (text == NULL || *float32 || strcmp (text, "f64") == 0)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--dtype: expected f64 or f32, found '%s'", text);
  return FALSE;
}

gboolean
ns_cli_write_stdout (const char *text, gsize len, GError **error)
{
  fflush (stdout);
  while (len > 0)
    {
      gssize n = write (STDOUT_FILENO, text, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : ENOSPC;

          g_set_error (error, NS_ERROR, NS_ERROR_IO, "standard output: cannot write: %s",
                       g_strerror (saved));
          return FALSE;
        }
      text += n;
      len -= (gsize) n;
    }
  return TRUE;
}

GStrv
ns_cli_split_names (const char *columns)
{
  GStrv names = g_strsplit (columns, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    g_strstrip (names[i]);
  return names;
}

void
ns_cli_report_written (const NsStats *stats, const char *format, const char *output)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autoptr (GString) line = g_string_new ("wrote ");

  ns_safe_text_append (line, ns_stats_get_method (stats), NS_SAFE_TEXT_TERMINAL);
  g_string_append_printf (line, " stats for %u feature%s", n, n == 1 ? "" : "s");
  if (format != NULL)
    g_string_append_printf (line, " as %s", format);
  g_string_append (line, " to ");
  ns_safe_text_append (line, output, NS_SAFE_TEXT_TERMINAL);
  fprintf (stderr, "%s\n", line->str);
}

/* Draws "LABEL: 42%" on a terminal at most four times a second. */
static void
ns_cli_progress_show (double fraction, gpointer data)
{
  NsCliProgress *progress = data;
  gint64 now = g_get_monotonic_time ();

  if (now - progress->last < G_USEC_PER_SEC / 4)
    return;
  progress->last = now;
  if (progress->n_steps > 0)
    fprintf (stderr, "\r%s: step %.0f of %" G_GSIZE_FORMAT " (%.1f%%), Ctrl-C stops",
             progress->label, fraction * (double) progress->n_steps, progress->n_steps,
             100 * fraction);
  else
    fprintf (stderr, "\r%s: %.0f%%   ", progress->label, 100 * CLAMP (fraction, 0.0, 1.0));
  fflush (stderr);
}

/* The function to give the work (ns_cli_progress_show), or NULL when stderr is no terminal or
 * quiet; ns_cli_progress_end finishes the line and frees the label. */
NsProgressFunc
ns_cli_progress_start (NsCliProgress *progress, const char *label, gboolean quiet)
{
  *progress = (NsCliProgress) { ns_safe_text_for_terminal (label), 0, 0 };
  return !quiet && isatty (STDERR_FILENO) ? ns_cli_progress_show : NULL;
}

NsProgressFunc
ns_cli_progress_start_steps (NsCliProgress *progress, const char *label, gsize n_steps,
                             gboolean quiet)
{
  NsProgressFunc show = ns_cli_progress_start (progress, label, quiet);

  progress->n_steps = n_steps;
  return show;
}

void
ns_cli_progress_end (NsCliProgress *progress)
{
  if (progress->last != 0)
    fputc ('\n', stderr);
  g_clear_pointer (&progress->label, g_free);
}

NsDataset *
ns_cli_load_with_progress (const char *path, const NsReadOptions *read_options, gboolean quiet,
                           GError **error)
{
  g_autofree char *label = g_strdup_printf ("reading %s", path);
  NsReadOptions options = *read_options;
  NsCliProgress progress;
  NsDataset *data;

  options.progress = ns_cli_progress_start (&progress, label, quiet);
  options.progress_data = &progress;
  data = ns_dataset_load (path, &options, NULL, error);
  ns_cli_progress_end (&progress);
  return data;
}
