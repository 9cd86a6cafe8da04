/* ns-cli-fit.c: `normscope-cli fit`, fitting a scaler on a dataset and writing its stats file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"
#include "ns-cli-fit-scale.h"

#include <math.h>
#include <stdio.h>

#include "core/ns-scaler.h"

typedef struct {
  char *method;
  char *columns;
  char *output;
  char *feature_range;
  char *quantile_range;
  char **exports;
  char *n_quantiles;
  char *output_distribution;
  char *subsample;
  char *random_state;
  char *norm;
  char *sample_weight;
  gboolean no_standardize;
  gboolean no_center;
  gboolean no_scale;
  gboolean clip;
  gboolean unit_variance;
  gboolean verbose;
} FitArgs;

static void
fit_args_clear (FitArgs *args)
{
  g_free (args->method);
  g_free (args->columns);
  g_free (args->output);
  g_free (args->feature_range);
  g_free (args->quantile_range);
  g_strfreev (args->exports);
  g_free (args->n_quantiles);
  g_free (args->output_distribution);
  g_free (args->subsample);
  g_free (args->random_state);
  g_free (args->norm);
  g_free (args->sample_weight);
}

/* An option that belongs to some methods only: a usage error naming them, else TRUE. */
static gboolean
check_applies (gboolean given, const char *option, gboolean applies, const char *methods,
               GError **error)
{
  if (!given || applies)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s applies to --method %s only",
               option, methods);
  return FALSE;
}

/* --no-standardize, --n-quantiles, --output-distribution, --subsample, --random-state, --norm. */
static gboolean
sklearn_family_options_from_args (const FitArgs *args, NsScalerOptions *options, GError **error)
{
  NsMethod method = options->method;
  gboolean power = method == NS_METHOD_YEO_JOHNSON || method == NS_METHOD_BOX_COX;
  gboolean quantile = method == NS_METHOD_QUANTILE;
  guint64 count;

  if (!check_applies (args->no_standardize, "--no-standardize", power, "yeo-johnson or box-cox",
                      error) ||
      !check_applies (args->n_quantiles != NULL, "--n-quantiles", quantile, "quantile", error) ||
      !check_applies (args->output_distribution != NULL, "--output-distribution", quantile,
                      "quantile", error) ||
      !check_applies (args->subsample != NULL, "--subsample", quantile, "quantile", error) ||
      !check_applies (args->random_state != NULL, "--random-state", quantile, "quantile", error) ||
      !check_applies (args->norm != NULL, "--norm", method == NS_METHOD_NORMALIZER, "normalizer",
                      error) ||
      !check_applies (args->sample_weight != NULL, "--sample-weight", method == NS_METHOD_STANDARD,
                      "standard", error))
    return FALSE;
  options->sample_weight = args->sample_weight;
  options->standardize = !args->no_standardize;
  if (args->n_quantiles != NULL)
    {
      if (!ns_cli_parse_count ("--n-quantiles", args->n_quantiles, G_MAXINT32, &count, error))
        return FALSE;
      options->n_quantiles = (guint) count;
    }
  if (args->subsample != NULL)
    {
      if (!ns_cli_parse_count ("--subsample", args->subsample, G_MAXINT64, &count, error))
        return FALSE;
      options->subsample = (gsize) count;
    }
  if (args->random_state != NULL)
    {
      /* np.random.RandomState takes seeds 0 .. 2**32 - 1. */
      if (!ns_cli_parse_count ("--random-state", args->random_state, G_MAXUINT32, &count, error))
        return FALSE;
      options->random_state = (guint32) count;
    }
  return (args->output_distribution == NULL ||
          ns_quantile_output_from_string (args->output_distribution, &options->output_distribution,
                                          error)) &&
         (args->norm == NULL || ns_norm_kind_from_string (args->norm, &options->norm, error));
}

static gboolean
parse_pair (const char *option, const char *text, double pair[2], GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: expected two numbers separated by a comma, found '%s'", option, text);
      return FALSE;
    }
  return ns_cli_parse_finite_double (option, parts[0], &pair[0], error) &&
         ns_cli_parse_finite_double (option, parts[1], &pair[1], error);
}

/* Turns the parsed options into scaler options fitting on at most n_threads threads (0: all
 * cores); a usage error is reported as error. */
static gboolean
scaler_options_from_args (const FitArgs *args, guint n_threads, NsScalerOptions *options,
                          GError **error)
{
  NsMethod method;

  if (!ns_method_from_string (args->method, &method, error))
    return FALSE;
  ns_scaler_options_init (options, method);
  options->n_threads = n_threads;
  if ((args->no_center || args->no_scale) && method != NS_METHOD_STANDARD &&
      method != NS_METHOD_ROBUST)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s applies to --method standard or robust only",
                   args->no_center ? "--no-center" : "--no-scale");
      return FALSE;
    }
  if (args->clip && method != NS_METHOD_MINMAX)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--clip applies to --method minmax only");
      return FALSE;
    }
  if (args->unit_variance && method != NS_METHOD_ROBUST)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--unit-variance applies to --method robust only");
      return FALSE;
    }
  if (!sklearn_family_options_from_args (args, options, error))
    return FALSE;
  options->clip = args->clip;
  options->unit_variance = args->unit_variance;
  options->with_mean = options->with_centering = !args->no_center;
  options->with_std = options->with_scaling = !args->no_scale;
  if (args->feature_range != NULL)
    {
      if (method != NS_METHOD_MINMAX)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--feature-range applies to --method minmax only");
          return FALSE;
        }
      if (!parse_pair ("--feature-range", args->feature_range, options->feature_range, error))
        return FALSE;
      if (!(options->feature_range[0] < options->feature_range[1]) ||
          !isfinite (options->feature_range[0]) || !isfinite (options->feature_range[1]))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--feature-range: expected finite MIN < MAX");
          return FALSE;
        }
    }
  if (args->quantile_range != NULL)
    {
      double *range = options->quantile_range;

      if (method != NS_METHOD_ROBUST)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--quantile-range applies to --method robust only");
          return FALSE;
        }
      if (!parse_pair ("--quantile-range", args->quantile_range, range, error))
        return FALSE;
      if (!(0 <= range[0] && range[0] <= range[1] && range[1] <= 100))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--quantile-range: expected 0 <= LO <= HI <= 100 (percent)");
          return FALSE;
        }
    }
  return TRUE;
}

/* -o and every --export against DATA and each other, whatever path the fit takes. */
static NsOutputGroup *
open_outputs (const char *path, const FitArgs *args, GError **error)
{
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, args->exports);

  return ns_output_group_new (guard, error);
}

/* The stats file and its exports (files first, then standard output and devices), or with
 * --partial the partial file; put in place together. */
static int
write_fit (NsStats *stats, NsPartial *partial, const FitArgs *args, NsOutputGroup *outputs)
{
  g_autoptr (GError) error = NULL;
  int status;

  if (partial != NULL ? !ns_partial_save (partial, args->output, &error)
                      : !ns_cli_save_stats (stats, args->output, args->exports, FALSE, &error) ||
                          !ns_cli_save_stats (stats, args->output, args->exports, TRUE, &error))
    return ns_cli_report_error (error);
  if ((status = ns_cli_commit_outputs (outputs)) == NS_EXIT_OK && args->verbose && partial == NULL)
    ns_cli_report_written (stats, NULL, args->output);
  return status;
}

/* The core picks the reading path; the command line only shows progress and writes. */
static int
fit_run (const char *path, const NsReadOptions *read_options, const NsScalerOptions *options,
         const FitArgs *args, const NsCliScaleArgs *scale_args, NsOutputGroup *outputs)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (NsPartial) partial = NULL;
  g_auto (GStrv) columns = args->columns != NULL ? ns_cli_split_names (args->columns) : NULL;
  NsFitFileOptions fit;
  NsCliScaleProgress progress;

  ns_fit_file_options_init (&fit, options->method);
  fit.scaler = *options;
  fit.columns = (const char *const *) columns;
  if (!ns_cli_scale_fit_options (scale_args, read_options, args->exports, &fit))
    return NS_EXIT_INPUT;
  ns_cli_scale_progress_start (&progress, &fit.stream, scale_args->quiet);
  stats = ns_fit_file (path, read_options, &fit, NULL, &partial, &error);
  ns_cli_scale_progress_end (&progress);
  if (stats == NULL && partial == NULL)
    return ns_cli_report_error (error);
  return write_fit (stats, partial, args, outputs);
}

int
ns_cli_fit (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  FitArgs args = { 0 };
  NsCliScaleArgs scale_args = { 0 };
  const GOptionEntry entries[] = {
    { "method", 'm', 0, G_OPTION_ARG_STRING, &args.method,
      "standard (scikit-learn StandardScaler), keras (Keras Normalization), minmax, maxabs, "
      "robust, yeo-johnson or box-cox (PowerTransformer), quantile (QuantileTransformer) or "
      "normalizer (Normalizer: per row)",
      "METHOD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the stats file (JSON) to FILE ('-': standard output)", "FILE" },
    { "columns", 'c', 0, G_OPTION_ARG_STRING, &args.columns,
      "Fit only these numeric columns (comma-separated names)", "A,B,…" },
    { "no-center", 0, 0, G_OPTION_ARG_NONE, &args.no_center,
      "standard, robust: do not subtract the mean or median (with_mean / with_centering = False)",
      NULL },
    { "no-scale", 0, 0, G_OPTION_ARG_NONE, &args.no_scale,
      "standard, robust: do not divide by the std or IQR (with_std / with_scaling = False)", NULL },
    { "feature-range", 0, 0, G_OPTION_ARG_STRING, &args.feature_range,
      "minmax: the target range (default: 0,1)", "MIN,MAX" },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &args.clip,
      "minmax: transform clips to the feature range (MinMaxScaler clip=True)", NULL },
    { "unit-variance", 0, 0, G_OPTION_ARG_NONE, &args.unit_variance,
      "robust: scale so normal data gets variance 1 (RobustScaler unit_variance=True)", NULL },
    { "quantile-range", 0, 0, G_OPTION_ARG_STRING, &args.quantile_range,
      "robust: the quantiles, in percent, whose distance is the scale (default: 25,75)", "LO,HI" },
    { "no-standardize", 0, 0, G_OPTION_ARG_NONE, &args.no_standardize,
      "yeo-johnson, box-cox: only the power transform (PowerTransformer standardize=False)", NULL },
    { "n-quantiles", 0, 0, G_OPTION_ARG_STRING, &args.n_quantiles,
      "quantile: number of quantiles, capped at the row count (default: 1000)", "N" },
    { "output-distribution", 0, 0, G_OPTION_ARG_STRING, &args.output_distribution,
      "quantile: uniform (default) or normal", "DIST" },
    { "subsample", 0, 0, G_OPTION_ARG_STRING, &args.subsample,
      "quantile: rows the quantiles are taken from when there are more (default: 10000)", "N" },
    { "random-state", 0, 0, G_OPTION_ARG_STRING, &args.random_state,
      "quantile: the seed of NumPy's RandomState that picks the subsample, the same rows as "
      "scikit-learn's random_state=SEED (default: 0)",
      "SEED" },
    { "sample-weight", 0, 0, G_OPTION_ARG_STRING, &args.sample_weight,
      "standard: weigh each row by this numeric column (StandardScaler().fit(X, sample_weight=w)); "
      "the column is not fitted, and transform copies it",
      "COLUMN" },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &args.norm, "normalizer: l2 (default), l1 or max",
      "NORM" },
    { "export", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &args.exports,
      "Also export the stats, e.g. npz:stats.npz (repeatable; see 'normscope-cli export --help')",
      "FORMAT:FILE" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &args.verbose, "Say on standard error what was written",
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsOutputGroup) outputs = NULL;
  NsReadOptions read_options;
  NsScalerOptions options;
  const char *path;
  int status;

  g_option_context_set_summary (context,
                                "Fit a scaler on DATA (CSV, CSV.gz or .npy) exactly as the named "
                                "framework does\nand write the statistics to a normscope stats "
                                "file (JSON). Silent on success.");
  g_option_context_set_main_group (context, ns_cli_reader_option_group (&reader_args));
  g_option_context_add_main_entries (context, entries, NULL);
  ns_cli_scale_add_options (context, &scale_args);
  if (!ns_cli_parse (context, &argc, &argv))
    status = NS_EXIT_INPUT;
  else if ((path = ns_cli_single_argument (argc, argv, "DATA")) == NULL)
    status = NS_EXIT_INPUT;
  else if (args.method == NULL)
    status = ns_cli_usage_error ("missing required option --method");
  else if (args.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error) ||
           !scaler_options_from_args (&args, read_options.n_threads, &options, &error) ||
           !ns_cli_check_export_specs (args.exports, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if ((outputs = open_outputs (path, &args, &error)) == NULL)
    status = ns_cli_report_error (error);
  else
    status = fit_run (path, &read_options, &options, &args, &scale_args, outputs);
  ns_cli_scale_args_clear (&scale_args);
  ns_cli_reader_args_clear (&reader_args);
  fit_args_clear (&args);
  return status;
}
