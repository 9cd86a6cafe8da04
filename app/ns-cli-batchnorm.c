/* ns-cli-batchnorm.c: `normscope-cli batchnorm`, simulating a BatchNorm layer's training on a
 * dataset and writing its running statistics, per-step trace and training/inference outputs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/ns-batchnorm.h"
#include "core/ns-npy-rows.h"
#include "core/ns-output.h"

typedef struct {
  char *preset;
  char *batch_size;
  char *momentum;
  char *eps;
  char *epochs;
  char *shuffle;
  char *order;
  gboolean drop_last;
  char *average;
  char *gamma;
  char *beta;
  gboolean renorm;
  char *renorm_rmax;
  char *renorm_dmax;
  char *renorm_clipping;
  char *renorm_momentum;
  char *dtype;
  char *trace;
  char *outputs;
  char *output;
  char **output_pair; /* TRAIN, EVAL from --outputs */
  char **exports;     /* FORMAT:FILE from --export */
  gboolean quiet;
} BatchNormArgs;

static void
batchnorm_args_clear (BatchNormArgs *args)
{
  g_free (args->preset);
  g_free (args->batch_size);
  g_free (args->momentum);
  g_free (args->eps);
  g_free (args->epochs);
  g_free (args->shuffle);
  g_free (args->order);
  g_free (args->average);
  g_free (args->gamma);
  g_free (args->beta);
  g_free (args->renorm_rmax);
  g_free (args->renorm_dmax);
  g_free (args->renorm_clipping);
  g_free (args->renorm_momentum);
  g_free (args->dtype);
  g_free (args->trace);
  g_free (args->outputs);
  g_free (args->output);
  g_strfreev (args->output_pair);
  g_strfreev (args->exports);
}

/* An optional double option: left alone when the option was not given. */
static gboolean
parse_optional_double (const char *option, const char *text, double *value, GError **error)
{
  return text == NULL || ns_cli_parse_double (option, text, value, error);
}

static gboolean
parse_momentum (const char *text, NsBatchNormOptions *options, GError **error)
{
  if (text == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (text, "none") == 0)
    {
      options->cumulative = TRUE;
      return TRUE;
    }
  return ns_cli_parse_double ("--momentum", text, &options->momentum, error);
}

static gboolean
parse_counts (const BatchNormArgs *args, NsBatchNormOptions *options, GError **error)
{
  guint64 value;

  if (!ns_cli_parse_count ("--batch-size", args->batch_size, G_MAXSIZE, &value, error))
    return FALSE;
  options->batch_size = (gsize) value;
  if (args->epochs != NULL)
    {
      if (!ns_cli_parse_count ("--epochs", args->epochs, G_MAXUINT, &value, error))
        return FALSE;
      options->epochs = (guint) value;
    }
  if (args->shuffle != NULL && args->order != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--order and --shuffle exclude each other: the order file gives each "
                   "epoch's rows");
      return FALSE;
    }
  if (args->shuffle != NULL)
    {
      if (!ns_cli_parse_count ("--shuffle", args->shuffle, G_MAXUINT64, &options->shuffle_seed,
                               error))
        return FALSE;
      options->shuffle = TRUE;
    }
  return TRUE;
}

/* The first renorm option given, for "applies with --renorm only". */
static const char *
first_renorm_option (const BatchNormArgs *args)
{
  return args->renorm_rmax != NULL       ? "--renorm-rmax"
         : args->renorm_dmax != NULL     ? "--renorm-dmax"
         : args->renorm_clipping != NULL ? "--renorm-clipping"
         : args->renorm_momentum != NULL ? "--renorm-momentum"
                                         : NULL;
}

static gboolean
parse_renorm (const BatchNormArgs *args, NsBatchNormOptions *options, GError **error)
{
  if (!args->renorm && first_renorm_option (args) != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s applies with --renorm only",
                   first_renorm_option (args));
      return FALSE;
    }
  if (args->renorm_clipping != NULL && (args->renorm_rmax != NULL || args->renorm_dmax != NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--renorm-clipping sets every bound: give it or --renorm-rmax/--renorm-dmax");
      return FALSE;
    }
  options->renorm = args->renorm;
  return parse_optional_double ("--renorm-rmax", args->renorm_rmax, &options->renorm_rmax, error) &&
         parse_optional_double ("--renorm-dmax", args->renorm_dmax, &options->renorm_dmax, error) &&
         parse_optional_double ("--renorm-momentum", args->renorm_momentum,
                                &options->renorm_momentum, error) &&
         (args->renorm_clipping == NULL ||
          ns_renorm_clipping_parse (args->renorm_clipping, &options->renorm_rmin,
                                    &options->renorm_rmax, &options->renorm_dmax, error));
}

static gboolean
parse_outputs (BatchNormArgs *args, GError **error)
{
  if (args->outputs == NULL)
    return TRUE;
  args->output_pair = g_strsplit (args->outputs, ",", -1);
  if (g_strv_length (args->output_pair) != 2 || args->output_pair[0][0] == '\0' ||
      args->output_pair[1][0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--outputs: expected TRAIN,EVAL (two file names), found '%s'", args->outputs);
      return FALSE;
    }
  return TRUE;
}

/* The preset's defaults, then every option given on the command line. */
static gboolean
options_from_args (BatchNormArgs *args, NsBatchNormOptions *options, GError **error)
{
  NsBatchNormPreset preset = NS_BATCHNORM_PYTORCH;

  if (args->preset != NULL && !ns_batchnorm_preset_from_string (args->preset, &preset, error))
    return FALSE;
  ns_batchnorm_options_init (options, preset);
  options->drop_last = args->drop_last;
  options->record_history = args->trace != NULL;
  return parse_counts (args, options, error) && parse_momentum (args->momentum, options, error) &&
         parse_optional_double ("--eps", args->eps, &options->eps, error) &&
         (args->gamma == NULL ||
          ns_cli_parse_finite_double ("--gamma", args->gamma, &options->gamma, error)) &&
         (args->beta == NULL ||
          ns_cli_parse_finite_double ("--beta", args->beta, &options->beta, error)) &&
         (args->average == NULL ||
          ns_average_parse (args->average, &options->averages, &options->window, error)) &&
         parse_renorm (args, options, error) &&
         ns_cli_parse_dtype (args->dtype, &options->float32, error) && parse_outputs (args, error);
}

/* -o, --trace, --outputs and every --export against DATA and each other. */
static NsOutputGroup *
open_outputs (const BatchNormArgs *args, const char *path, GError **error)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, args->exports);

  ns_output_guard_add_input (guard, args->order);
  ns_output_guard_add_output (guard, "--trace", args->trace);
  if (args->output_pair != NULL)
    {
      ns_output_guard_add_output (guard, "--outputs (TRAIN)", args->output_pair[0]);
      ns_output_guard_add_output (guard, "--outputs (EVAL)", args->output_pair[1]);
    }
  return ns_output_group_new (guard, error);
}

/* Whether path is given and written in this pass: direct (standard output, a device) or not. */
static gboolean
in_pass (const char *path, gboolean direct)
{
  return path != NULL && ns_output_is_direct (path) == direct;
}

/* The outputs that ns_output_is_direct says are direct, or the files. */
static gboolean
write_pass (const NsBatchNorm *bn, const NsStats *stats, const BatchNormArgs *args, gboolean direct,
            GError **error)
{
  const char *train = args->output_pair != NULL ? args->output_pair[0] : NULL;
  const char *eval = args->output_pair != NULL ? args->output_pair[1] : NULL;

  return ns_cli_save_stats (stats, args->output, args->exports, direct, error) &&
         (!in_pass (args->trace, direct) || ns_batchnorm_write_trace (bn, args->trace, error)) &&
         (!in_pass (train, direct) || ns_batchnorm_write_outputs (bn, train, NULL, error)) &&
         (!in_pass (eval, direct) || ns_batchnorm_write_outputs (bn, NULL, eval, error));
}

/* Every output: the files first, then standard output and devices, then the files put in place
 * together. */
static int
write_run (NsBatchNorm *bn, const BatchNormArgs *args, NsOutputGroup *outputs)
{
  g_autoptr (NsStats) stats = ns_batchnorm_to_stats (bn);
  g_autoptr (GError) error = NULL;

  if (!write_pass (bn, stats, args, FALSE, &error) || !write_pass (bn, stats, args, TRUE, &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

/* The simulation, with progress on a terminal (unless quiet) and Ctrl-C stopping it
 * (NS_EXIT_INTERRUPTED). */
static int
simulate (NsBatchNorm *bn, gboolean quiet)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  NsCliProgress progress;
  NsProgressFunc show =
    ns_cli_progress_start_steps (&progress, "batchnorm", ns_batchnorm_get_n_steps (bn), quiet);
  NsCliInterrupt *interrupt = ns_cli_interrupt_start (cancellable);
  gboolean done = ns_batchnorm_run (bn, cancellable, show, &progress, &error);

  ns_cli_progress_end (&progress);
  if (ns_cli_interrupt_stop (interrupt) && !done)
    {
      fprintf (stderr, "normscope-cli batchnorm: interrupted, nothing written\n");
      return NS_EXIT_INTERRUPTED;
    }
  return done ? NS_EXIT_OK : ns_cli_report_error (error);
}

/* --order FILE for the rows of data; without --epochs, the file's epochs. */
static gboolean
load_order (const BatchNormArgs *args, const NsDataset *data, NsBatchNormOptions *options,
            NsBatchNormOrder **order, GError **error)
{
  gsize n_rows = ns_dataset_get_n_samples (data);

  /* No rows: the simulator's own refusal says why. */
  if (args->order == NULL || n_rows == 0)
    return TRUE;
  if ((*order = ns_batchnorm_order_load (args->order, n_rows, error)) == NULL)
    return FALSE;
  if (args->epochs == NULL)
    options->epochs = ns_batchnorm_order_get_n_epochs (*order);
  options->order = *order;
  return TRUE;
}

/* A 2-D float64 .npy is simulated on its rows in place (no columnar copy) unless the outputs,
 * which are written from a copy of the columns, are asked for; anything else is loaded. */
static const NsDataset *
load_data (const char *path, const NsReadOptions *read_options, const BatchNormArgs *args,
           NsNpyRows **rows, NsDataset **loaded, GError **error)
{
  if (args->output_pair == NULL && (*rows = ns_npy_rows_open (path, read_options, NULL)) != NULL)
    return ns_npy_rows_get_dataset (*rows);
  return *loaded = ns_cli_load_with_progress (path, read_options, args->quiet, error);
}

static int
batchnorm_run (const char *path, const NsReadOptions *read_options,
               const NsBatchNormOptions *parsed, const BatchNormArgs *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsNpyRows) rows = NULL;
  g_autoptr (NsDataset) loaded = NULL;
  g_autoptr (NsBatchNormOrder) order = NULL;
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (NsOutputGroup) outputs = NULL;
  NsBatchNormOptions options = *parsed;
  const NsDataset *data;
  int status;

  if ((outputs = open_outputs (args, path, &error)) == NULL)
    return ns_cli_report_error (error);
  data = load_data (path, read_options, args, &rows, &loaded, &error);
  if (data == NULL || !load_order (args, data, &options, &order, &error))
    return ns_cli_report_error (error);
  if (rows != NULL)
    bn = ns_batchnorm_new_on_rows (data, ns_npy_rows_get_values (rows), &options, &error);
  else
    bn = ns_batchnorm_new (data, &options, &error);
  if (bn == NULL)
    return ns_cli_report_error (error);
  if ((status = simulate (bn, args->quiet)) == NS_EXIT_OK &&
      !ns_batchnorm_check_finite (bn, path, &error))
    status = ns_cli_report_error (error);
  if (status != NS_EXIT_OK)
    return status;
  /* The rows were read until now: a file changed meanwhile is refused before anything is
   * written. */
  if (rows != NULL && !ns_npy_rows_check (rows, &error))
    return ns_cli_report_error (error);
  return write_run (bn, args, outputs);
}

int
ns_cli_batchnorm (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  BatchNormArgs args = { 0 };
  const GOptionEntry entries[] = {
    { "batch-size", 'b', 0, G_OPTION_ARG_STRING, &args.batch_size,
      "Rows per training batch (required)", "B" },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &args.preset,
      "pytorch (default), keras, keras-fused or flax: every default of that framework's BatchNorm",
      "PRESET" },
    { "momentum", 'm', 0, G_OPTION_ARG_STRING, &args.momentum,
      "Momentum in the preset's own convention (pytorch: weight of the new batch, 0.1; keras, "
      "flax: weight of the old value, 0.99); 'none': cumulative average",
      "M" },
    { "eps", 0, 0, G_OPTION_ARG_STRING, &args.eps, "Epsilon added to the variance", "E" },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &args.epochs, "Passes over the data (default: 1)", "K" },
    { "shuffle", 0, 0, G_OPTION_ARG_STRING, &args.shuffle,
      "Shuffle the rows of each epoch (GSL mt19937 seeded with SEED + epoch - 1)", "SEED" },
    { "order", 0, 0, G_OPTION_ARG_FILENAME, &args.order,
      "Visit the rows in FILE's order: one row index per line, N lines per epoch (or an integer "
      ".npy of shape (epochs, N)), each epoch a permutation as a shuffling DataLoader makes; "
      "gives the epochs unless --epochs is given",
      "FILE" },
    { "drop-last", 0, 0, G_OPTION_ARG_NONE, &args.drop_last,
      "Drop the last incomplete batch of each epoch", NULL },
    { "average", 'a', 0, G_OPTION_ARG_STRING, &args.average,
      "Moving averages to compute: ema, ema-debiased, cumulative, warmup, window:W, exact "
      "(default: ema,exact)",
      "V,…" },
    { "gamma", 0, 0, G_OPTION_ARG_STRING, &args.gamma, "Affine weight (default: 1)", "G" },
    { "beta", 0, 0, G_OPTION_ARG_STRING, &args.beta, "Affine bias (default: 0)", "B" },
    { "renorm", 0, 0, G_OPTION_ARG_NONE, &args.renorm, "Batch Renormalization (Ioffe 2017)", NULL },
    { "renorm-rmax", 0, 0, G_OPTION_ARG_STRING, &args.renorm_rmax,
      "Renorm: clip r to [1/R, R] (default: 3)", "R" },
    { "renorm-dmax", 0, 0, G_OPTION_ARG_STRING, &args.renorm_dmax,
      "Renorm: clip d to [-D, D] (default: 5)", "D" },
    { "renorm-clipping", 0, 0, G_OPTION_ARG_STRING, &args.renorm_clipping,
      "Renorm: tf.keras' renorm_clipping, e.g. rmin=0.5,rmax=2,dmax=1; a key left out does not "
      "clip ('none': no clipping, tf.keras' default)",
      "K=V,…" },
    { "renorm-momentum", 0, 0, G_OPTION_ARG_STRING, &args.renorm_momentum,
      "Renorm: the rate of the mean and std that r and d use, in the preset's convention "
      "(tf.keras' renorm_momentum; default: the layer's momentum)",
      "M" },
    { "dtype", 0, 0, G_OPTION_ARG_STRING, &args.dtype,
      "f64 (default) or f32: compute the batch statistics and running statistics in float32 as "
      "PyTorch's CPU kernel or Flax does (pytorch and flax presets)",
      "DTYPE" },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &args.trace,
      "Write one CSV row per step and feature to FILE", "FILE" },
    { "outputs", 0, 0, G_OPTION_ARG_FILENAME, &args.outputs,
      "Write training-mode and inference-mode outputs (CSV, or .npy)", "TRAIN,EVAL" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the stats file (JSON) to FILE ('-': standard output)", "FILE" },
    { "export", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &args.exports,
      "Also export the stats, e.g. safetensors:bn.safetensors (repeatable; see 'normscope-cli "
      "export --help')",
      "FORMAT:FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args.quiet, "No progress on standard error", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  NsBatchNormOptions options;
  const char *path;
  int status;

  g_option_context_set_summary (
    context, "Simulate training a BatchNorm layer on DATA (CSV, CSV.gz or .npy) "
             "as PyTorch, Keras or Flax does,\nand write its running (inference) "
             "statistics to a normscope stats file (JSON).");
  if ((path = ns_cli_parse_file_arg (context, &reader_args, entries, "DATA", &argc, &argv)) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.batch_size == NULL)
    status = ns_cli_usage_error ("missing required option --batch-size");
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error) ||
           !options_from_args (&args, &options, &error) ||
           !ns_cli_check_export_specs (args.exports, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    {
      options.n_threads = read_options.n_threads; /* --threads bounds the simulation too */
      status = batchnorm_run (path, &read_options, &options, &args);
    }
  ns_cli_reader_args_clear (&reader_args);
  batchnorm_args_clear (&args);
  return status;
}
