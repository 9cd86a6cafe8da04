/* ns-cli-plot-batchnorm.c: `normscope-cli plot DATA --batchnorm --view …`, the batch-norm
 * explorer's figures (running, batch-noise, gap, renorm) drawn headless to PNG/SVG/PDF.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ns-cli.h"

#include "core/ns-batchnorm.h"
#include "core/ns-demo.h"
#include "core/ns-plot-series-bn.h"

typedef struct {
  gboolean batchnorm;
  char *view;
  char *column;
  char *output;
  char *demo;
  int width, height;
  double scale;
  gint64 step;
  char *preset;
  char *batch_size;
  char *momentum;
  char *eps;
  char *epochs;
  char *shuffle;
  gboolean drop_last;
  char *average;
  gboolean renorm;
  char *rmax;
  char *dmax;
  char *compare_batch_size;
  char *compare_momentum;
  gboolean quiet;
} PlotBnArgs;

static void
plot_bn_args_clear (PlotBnArgs *a)
{
  char **strings[] = { &a->view,
                       &a->column,
                       &a->output,
                       &a->demo,
                       &a->preset,
                       &a->batch_size,
                       &a->momentum,
                       &a->eps,
                       &a->epochs,
                       &a->shuffle,
                       &a->average,
                       &a->rmax,
                       &a->dmax,
                       &a->compare_batch_size,
                       &a->compare_momentum };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
}

static gboolean
parse_momentum (const char *option, const char *text, NsBatchNormOptions *o, GError **error)
{
  if (g_ascii_strcasecmp (text, "none") == 0)
    {
      o->cumulative = TRUE;
      return TRUE;
    }
  return ns_cli_parse_double (option, text, &o->momentum, error);
}

static gboolean
options_from_args (const PlotBnArgs *a, NsBatchNormOptions *o, GError **error)
{
  NsBatchNormPreset preset = NS_BATCHNORM_PYTORCH;
  guint64 value;

  if (a->preset && !ns_batchnorm_preset_from_string (a->preset, &preset, error))
    return FALSE;
  ns_batchnorm_options_init (o, preset);
  o->record_history = TRUE;
  o->drop_last = a->drop_last;
  o->renorm = a->renorm;
  if (a->batch_size)
    {
      /* The bounds of `batchnorm`'s parser; ns_batchnorm_new refuses 0 for both. */
      if (!ns_cli_parse_count ("--batch-size", a->batch_size, G_MAXSIZE, &value, error))
        return FALSE;
      o->batch_size = value;
    }
  if (a->epochs)
    {
      if (!ns_cli_parse_count ("--epochs", a->epochs, G_MAXUINT, &value, error))
        return FALSE;
      o->epochs = (guint) value;
    }
  if (a->shuffle)
    {
      if (!ns_cli_parse_count ("--shuffle", a->shuffle, G_MAXUINT64, &o->shuffle_seed, error))
        return FALSE;
      o->shuffle = TRUE;
    }
  if (!a->renorm && (a->rmax || a->dmax))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s applies with --renorm only",
                   a->rmax ? "--renorm-rmax" : "--renorm-dmax");
      return FALSE;
    }
  return (a->momentum == NULL || parse_momentum ("--momentum", a->momentum, o, error)) &&
         (a->eps == NULL || ns_cli_parse_double ("--eps", a->eps, &o->eps, error)) &&
         (a->rmax == NULL ||
          ns_cli_parse_double ("--renorm-rmax", a->rmax, &o->renorm_rmax, error)) &&
         (a->dmax == NULL ||
          ns_cli_parse_double ("--renorm-dmax", a->dmax, &o->renorm_dmax, error)) &&
         (a->average == NULL || ns_average_parse (a->average, &o->averages, &o->window, error));
}

/* A second run for --compare-batch-size / --compare-momentum (the same settings otherwise). */
static guint
compare_from_args (const PlotBnArgs *a, NsBatchNormOptions *o, char **labels, GError **error)
{
  guint64 value;

  if (a->compare_batch_size == NULL && a->compare_momentum == NULL)
    return 1;
  o[1] = o[0];
  if (a->compare_batch_size)
    {
      if (!ns_cli_parse_count ("--compare-batch-size", a->compare_batch_size, G_MAXSIZE, &value,
                               error))
        return 0;
      o[1].batch_size = value;
    }
  if (a->compare_momentum &&
      !parse_momentum ("--compare-momentum", a->compare_momentum, &o[1], error))
    return 0;
  labels[0] = a->compare_batch_size
                ? g_strdup_printf ("B = %zu", o[0].batch_size)
                : g_strdup_printf ("momentum %s", a->momentum ? a->momentum : "default");
  labels[1] = a->compare_batch_size ? g_strdup_printf ("B = %zu", o[1].batch_size)
                                    : g_strdup_printf ("momentum %s", a->compare_momentum);
  return 2;
}

static int
feature_of (const NsDataset *data, const char *name, const char *path, GError **error)
{
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    if (name == NULL ||
        g_strcmp0 (ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
                   name) == 0)
      return (int) f;
  if (name == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column to plot", path);
  else
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column named '%s'",
                 path, name);
  return -1;
}

typedef struct {
  NsDataset *data;
  NsDataset *test;
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  char *labels[NS_DEMO_MAX_RUNS];
  guint n_runs;
  const char *column;
} PlotBnSetup;

static void
plot_bn_setup_clear (PlotBnSetup *s)
{
  g_clear_pointer (&s->data, ns_dataset_free);
  g_clear_pointer (&s->test, ns_dataset_free);
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_clear_pointer (&s->labels[i], g_free);
}

static gboolean
setup_demo (const char *id, PlotBnSetup *s, GError **error)
{
  const NsDemo *demo = ns_demo_find (id);
  const char *labels[NS_DEMO_MAX_RUNS] = { NULL };
  g_autofree char *sample = NULL;

  if (demo == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--demo: unknown demo '%s'",
                   id);
      return FALSE;
    }
  sample =
    ns_demo_get_sample (demo) != NULL ? ns_demo_find_sample_file (ns_demo_get_sample (demo)) : NULL;
  s->data = ns_demo_make_dataset (demo, sample, &s->test, error);
  if (s->data == NULL)
    return FALSE;
  s->n_runs = ns_demo_get_settings (demo, s->options, labels);
  for (guint i = 0; i < s->n_runs; i++)
    s->labels[i] = g_strdup (labels[i]);
  s->column = ns_demo_get_column (demo);
  return TRUE;
}

/* The run settings from the options (not for --demo); FALSE on a usage error. */
static gboolean
plot_bn_settings (const PlotBnArgs *args, PlotBnSetup *s, GError **error)
{
  if (args->demo)
    return TRUE;
  if (!options_from_args (args, &s->options[0], error))
    return FALSE;
  s->n_runs = compare_from_args (args, s->options, s->labels, error);
  return s->n_runs > 0;
}

static int
plot_bn_run (const char *path, const NsReadOptions *read_options, const PlotBnArgs *args,
             NsBatchNormFigure figure, NsPlotFormat format, PlotBnSetup *setup)
{
  /* A demo reads only its installed .csv sample, never a figure's .png, .svg or .pdf. */
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (path, args->output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;
  g_autoptr (GError) error = NULL;
  PlotBnSetup s = *setup;
  NsBatchNorm *bns[NS_DEMO_MAX_RUNS] = { NULL };
  NsBatchNormRun runs[NS_DEMO_MAX_RUNS];
  NsBatchNormFigureOptions fig = { 0 };
  g_autoptr (NsPlotSeries) plot = NULL;
  int feature, status = NS_EXIT_OK;

  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  if (args->demo)
    {
      if (!setup_demo (args->demo, &s, &error))
        goto failed;
    }
  else
    {
      s.data = ns_cli_load_with_progress (path, read_options, args->quiet, &error);
      if (s.data == NULL)
        goto failed;
    }
  feature =
    feature_of (s.data, args->column ? args->column : s.column, path ? path : args->demo, &error);
  if (feature < 0)
    goto failed;
  for (guint r = 0; r < s.n_runs; r++)
    {
      s.options[r].only_feature = feature;
      s.options[r].record_history = TRUE;
      bns[r] = ns_batchnorm_new (s.data, &s.options[r], &error);
      if (bns[r] == NULL || !ns_batchnorm_run (bns[r], NULL, NULL, NULL, &error) ||
          !ns_batchnorm_check_finite (bns[r], path ? path : args->demo, &error))
        goto failed;
      runs[r] = (NsBatchNormRun) { bns[r], (guint) feature, s.labels[r] };
    }
  fig.feature_name =
    ns_dataset_get_column_name (s.data, ns_dataset_get_feature_column (s.data, feature));
  if (s.test)
    {
      fig.test_values = ns_dataset_get_values (s.test, ns_dataset_get_feature_column (s.test, 0));
      fig.n_test = ns_dataset_get_n_samples (s.test);
    }
  plot = ns_batchnorm_figure_new (figure, runs, s.n_runs, &fig);
  ns_plot_series_set_scale (plot, args->scale);
  if (args->step > 0)
    ns_plot_series_set_cursor (plot, (gsize) args->step);
  if (!ns_plot_series_save (plot, args->output, format, args->width, args->height, &error))
    goto failed;
  status = ns_cli_commit_outputs (outputs);
  goto done;

failed:
  status = ns_cli_report_error (error);
done:
  for (guint r = 0; r < NS_DEMO_MAX_RUNS; r++)
    ns_batchnorm_free (bns[r]);
  *setup = s; /* the caller clears it */
  return status;
}

int
ns_cli_plot_batchnorm (int argc, char **argv)
{
  NsCliReaderArgs reader_args = { 0 };
  PlotBnArgs a = { .width = 1200, .height = 520, .scale = 1 };
  const GOptionEntry entries[] = {
    { "batchnorm", 0, 0, G_OPTION_ARG_NONE, &a.batchnorm, "Draw a batch-norm figure", NULL },
    { "view", 0, 0, G_OPTION_ARG_STRING, &a.view,
      "running, batch-noise, gap or renorm (default: running)", "VIEW" },
    { "column", 'c', 0, G_OPTION_ARG_STRING, &a.column, "The numeric column (default: the first)",
      "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output,
      "Write the figure to FILE (.png, .svg or .pdf)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &a.width, "Figure width (default 1200)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &a.height, "Figure height (default 520)", "H" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &a.scale,
      "Font and line scale, e.g. 1.6 for slides (default 1)", "S" },
    { "step", 0, 0, G_OPTION_ARG_INT64, &a.step, "Draw the lines up to this step only", "N" },
    { "demo", 0, 0, G_OPTION_ARG_STRING, &a.demo,
      "A guided demo's data and settings (DATA is then not needed)", "ID" },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &a.preset,
      "pytorch, keras, keras-fused or flax (default: pytorch)", "NAME" },
    { "batch-size", 'b', 0, G_OPTION_ARG_STRING, &a.batch_size, "Rows per batch (default 32)",
      "N" },
    { "momentum", 'm', 0, G_OPTION_ARG_STRING, &a.momentum,
      "In the preset's convention, or none (cumulative)", "M" },
    { "eps", 0, 0, G_OPTION_ARG_STRING, &a.eps, "Epsilon added to the variance", "E" },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &a.epochs, "Passes over the data (default 1)", "K" },
    { "shuffle", 0, 0, G_OPTION_ARG_STRING, &a.shuffle, "Shuffle each epoch with this seed",
      "SEED" },
    { "drop-last", 0, 0, G_OPTION_ARG_NONE, &a.drop_last, "Drop the last smaller batch", NULL },
    { "average", 'a', 0, G_OPTION_ARG_STRING, &a.average,
      "Moving-average variants (ema,ema-debiased,cumulative,warmup,window:W,exact)", "LIST" },
    { "renorm", 0, 0, G_OPTION_ARG_NONE, &a.renorm, "Batch Renormalization", NULL },
    { "renorm-rmax", 0, 0, G_OPTION_ARG_STRING, &a.rmax, "r_max (default 3)", "R" },
    { "renorm-dmax", 0, 0, G_OPTION_ARG_STRING, &a.dmax, "d_max (default 5)", "D" },
    { "compare-batch-size", 0, 0, G_OPTION_ARG_STRING, &a.compare_batch_size,
      "Overlay a second run with this batch size", "N" },
    { "compare-momentum", 0, 0, G_OPTION_ARG_STRING, &a.compare_momentum,
      "Overlay a second run with this momentum", "M" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "No progress on standard error", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[DATA]");
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  NsPlotFormat format;
  NsBatchNormFigure figure = NS_BATCHNORM_FIGURE_RUNNING;
  const char *path = NULL;
  PlotBnSetup setup = { 0 };
  int status;

  g_option_context_set_summary (context,
                                "Draw the batch-norm explorer's figures headless: running "
                                "statistics over the steps,\nthe noise of batch statistics, "
                                "training- vs inference-mode outputs, or renorm r and d.");
  g_option_context_set_main_group (context, ns_cli_reader_option_group (&reader_args));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!ns_cli_parse (context, &argc, &argv))
    status = NS_EXIT_INPUT;
  else if (a.demo == NULL && (path = ns_cli_single_argument (argc, argv, "DATA")) == NULL)
    status = NS_EXIT_INPUT;
  else if (a.demo != NULL && argc > 1)
    status = ns_cli_usage_error ("--demo brings its own data: no DATA argument");
  else if (a.output == NULL)
    status = ns_cli_usage_error ("missing required option -o");
  else if (!ns_plot_format_from_path (a.output, &format, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (a.view != NULL && !ns_batchnorm_figure_from_string (a.view, &figure, &error))
    status = ns_cli_usage_error ("--view: %s", error->message);
  else if (a.width < 100 || a.height < 100 || a.width > 20000 || a.height > 20000)
    status = ns_cli_usage_error ("--width and --height must be between 100 and 20000");
  else if (!(a.scale >= 0.25 && a.scale <= 8))
    status = ns_cli_usage_error ("--scale must be between 0.25 and 8");
  else if (!ns_cli_reader_options_finish (&reader_args, &read_options, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else if (!plot_bn_settings (&a, &setup, &error))
    status = ns_cli_usage_error ("%s", error->message);
  else
    status = plot_bn_run (path, &read_options, &a, figure, format, &setup);
  plot_bn_setup_clear (&setup);
  ns_cli_reader_args_clear (&reader_args);
  plot_bn_args_clear (&a);
  return status;
}
