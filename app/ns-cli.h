/* ns-cli.h: the subcommands of normscope-cli and the helpers they share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/ns-reader.h"
#include "core/ns-output-guard.h"
#include "core/ns-output-group.h"
#include "core/ns-stats.h"

G_BEGIN_DECLS

/* Exit codes: 0 success, 2 bad input or usage, 1 internal failure. */
#define NS_EXIT_OK 0
#define NS_EXIT_INTERNAL 1
#define NS_EXIT_INPUT 2
#define NS_EXIT_INTERRUPTED 130 /* Ctrl-C, as a shell reports 128 + SIGINT */

/* Each subcommand gets argv starting at its own name ("fit", ...) and returns an exit code. */
int ns_cli_stats (int argc, char **argv);
int ns_cli_fit (int argc, char **argv);
int ns_cli_transform (int argc, char **argv);
int ns_cli_report (int argc, char **argv);
int ns_cli_batchnorm (int argc, char **argv);
int ns_cli_export (int argc, char **argv);
int ns_cli_plot (int argc, char **argv);
int ns_cli_merge (int argc, char **argv); /* merge partial statistics (ns-cli-merge.c) */
int ns_cli_plot_batchnorm (int argc,
                           char **argv); /* `plot --batchnorm` (ns-cli-plot-batchnorm.c) */
int ns_cli_plot_all_scalers (int argc,
                             char **argv);    /* `plot --all-scalers` (ns-cli-plot-all-scalers.c) */
int ns_cli_plot_axes (int argc, char **argv); /* `plot --axis-explorer` (ns-cli-plot-axes.c) */
int ns_cli_normalize (int argc, char **argv); /* one normalization layer (ns-cli-normalize.c) */

/* Shared reader options (--delimiter, --decimal, --header/--no-header, --missing, --axis,
 * --threads) as a GOptionGroup that fills options; call ns_cli_reader_options_finish after parsing.
 * options' n_threads (--threads) also bounds the fit: pass it on to NsScalerOptions and
 * NsStreamOptions. */
typedef struct {
  char *delimiter;
  char *decimal;
  gboolean header;
  gboolean no_header;
  char **missing;
  char *axis;
  char *threads;
} NsCliReaderArgs;

GOptionGroup *ns_cli_reader_option_group (NsCliReaderArgs *args);
gboolean ns_cli_reader_options_finish (NsCliReaderArgs *args, NsReadOptions *options,
                                       GError **error);
void ns_cli_reader_args_clear (NsCliReaderArgs *args);

/* Parses argv with context; on error prints "normscope-cli SUBCOMMAND: message" and the usage hint.
 * Returns FALSE on a usage error (exit NS_EXIT_INPUT). */
gboolean ns_cli_parse (GOptionContext *context, int *argc, char ***argv);

/* Prints an error on stderr ("normscope-cli: " prefix is NOT added: core messages already start
 * with the file and position) and returns the exit code for it (2 for input errors, 1 otherwise).
 */
int ns_cli_report_error (GError *error);

/* Parses a double exactly and locale-independently for an option value (NaN refused); error names
 * the option. */
gboolean ns_cli_parse_double (const char *option, const char *text, double *value, GError **error);
/* The same, infinities refused too. */
gboolean ns_cli_parse_finite_double (const char *option, const char *text, double *value,
                                     GError **error);

/* A whole number from 0 to max for an option value; error names the option. */
gboolean ns_cli_parse_count (const char *option, const char *text, guint64 max, guint64 *value,
                             GError **error);
/* A whole number from min to max for an option value; error names the option. */
gboolean ns_cli_parse_count_at_least (const char *option, const char *text, guint64 min,
                                      guint64 max, guint64 *value, GError **error);
/* --dtype f64 (also NULL: not given) or f32; anything else is an error naming the option. */
gboolean ns_cli_parse_dtype (const char *text, gboolean *float32, GError **error);

/* --export FORMAT:FILE (repeatable) of fit and batchnorm: every spec names a known format. */
gboolean ns_cli_check_export_specs (char **specs, GError **error);
/* Writes the stats file to output, then each --export FORMAT:FILE of specs: those that
 * ns_output_is_direct says are standard output or devices when direct, the files otherwise. Call
 * it for the files, then for the rest, before ns_output_group_commit (core/ns-output-group.h).
 * Each export is made in memory before any of them is written. */
gboolean ns_cli_save_stats (const NsStats *stats, const char *output, char **specs, gboolean direct,
                            GError **error);
/* The output guard of a subcommand (core/ns-output-guard.h) holding input, output as "-o" and the
 * file of every --export spec (NULL: none) as "--export FORMAT:FILE"; add the others, then make
 * the subcommand's NsOutputGroup of it (ns_output_group_new) before anything is written. */
NsOutputGuard *ns_cli_output_guard_new (const char *input, const char *output, char **exports);
/* Commits the subcommand's outputs (ns_output_group_commit); an error is reported as
 * ns_cli_report_error reports it. Returns the exit code. */
int ns_cli_commit_outputs (NsOutputGroup *outputs);

/* Additions (backward compatible). A usage error: prints "normscope-cli SUBCOMMAND: message" and
 * "Try 'normscope-cli SUBCOMMAND --help'" on stderr; returns NS_EXIT_INPUT. Call after
 * ns_cli_parse. */
int ns_cli_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* After ns_cli_parse: checks that exactly one positional argument (named what, e.g. "DATA") is
 * left in argv and returns it, or prints the usage error and returns NULL. */
const char *ns_cli_single_argument (int argc, char **argv, const char *what);
/* --columns' value: the comma-separated names, each stripped of blanks. */
GStrv ns_cli_split_names (const char *columns);

/* The start of a subcommand reading one file: sets the reader options (NULL: none) as the main
 * group, adds entries, parses argv and returns the one file argument (named what, e.g. "DATA"),
 * or NULL after printing the usage error. */
const char *ns_cli_parse_file_arg (GOptionContext *context, NsCliReaderArgs *reader_args,
                                   const GOptionEntry *entries, const char *what, int *argc,
                                   char ***argv);

/* --verbose's line on standard error: "wrote METHOD stats for N features [as FORMAT] to OUTPUT",
 * the method (from a file) and the output escaped. */
void ns_cli_report_written (const NsStats *stats, const char *format, const char *output);

/* Writes text to standard output; on failure (e.g. /dev/full) reports it and returns FALSE. */
gboolean ns_cli_write_stdout (const char *text, gsize len, GError **error);

/* One line describing what DATA holds (rows and columns, or a tensor's shape and kept axes). */
void ns_cli_append_description (GString *out, const char *path, const NsDataset *data);

/* The aligned per-column summary table of `stats` (also used by `report`), appended to out;
 * computed on at most n_threads threads (0: all cores). */
gboolean ns_cli_append_summary_table (GString *out, const NsDataset *data, const char *indent,
                                      guint n_threads, GError **error);

/* Ctrl-C (SIGINT) from _start to _stop cancels cancellable (from a watcher thread) instead of
 * killing the process, so the computation returns NS_ERROR_CANCELLED and nothing is written. _stop
 * restores SIGINT's previous handling and tells whether Ctrl-C came. One at a time. */
typedef struct _NsCliInterrupt NsCliInterrupt;

NsCliInterrupt *ns_cli_interrupt_start (GCancellable *cancellable);
gboolean ns_cli_interrupt_stop (NsCliInterrupt *self);

/* ns_dataset_load with "reading PATH: 42%" on a terminal unless quiet: reading is most of the
 * time of a transform, a plot or a simulation's set-up. */
/* A one-line progress on stderr ("LABEL: 42%") for work that reports a fraction, drawn only on a
 * terminal and at most four times a second. */
typedef struct {
  char *label; /* escaped for the terminal */
  gint64 last;
  gsize n_steps; /* 0: the line shows the fraction only */
} NsCliProgress;

NsProgressFunc ns_cli_progress_start (NsCliProgress *progress, const char *label, gboolean quiet);
/* For work of n_steps steps that Ctrl-C stops (ns_cli_interrupt_start): "LABEL: step 12 of 200
 * (6.0%), Ctrl-C stops". */
NsProgressFunc ns_cli_progress_start_steps (NsCliProgress *progress, const char *label,
                                            gsize n_steps, gboolean quiet);
void ns_cli_progress_end (NsCliProgress *progress);
NsDataset *ns_cli_load_with_progress (const char *path, const NsReadOptions *read_options,
                                      gboolean quiet, GError **error);

G_END_DECLS
