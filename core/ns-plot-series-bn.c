/* ns-plot-series-bn.c: the batch-norm explorer's figures built from simulator runs: running
 * statistics, batch noise, train/inference gap, renorm r and d.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-series-bn.h"
#include "ns-format-double.h"

#include <math.h>

#define NS_BATCHNORM_REFERENCE_COLOR 0

static const char *const figure_names[NS_BATCHNORM_N_FIGURES] = {
  "running",
  "batch-noise",
  "gap",
  "renorm",
};

/* Lines of the running-statistics panels: the preset's running statistics, then the variants. */
static const struct {
  NsSeries mean, var;
  const char *label;
  guint color;
} running_lines[] = {
  { NS_SERIES_RUNNING_MEAN, NS_SERIES_RUNNING_VAR, "running (inference)", 5 },
  { NS_SERIES_EMA_MEAN, NS_SERIES_EMA_VAR, "EMA", 5 },
  { NS_SERIES_EMA_DEBIASED_MEAN, NS_SERIES_EMA_DEBIASED_VAR, "EMA, bias-corrected", 1 },
  { NS_SERIES_CUMULATIVE_MEAN, NS_SERIES_CUMULATIVE_VAR, "cumulative (1/t)", 3 },
  { NS_SERIES_WARMUP_MEAN, NS_SERIES_WARMUP_VAR, "warm-up EMA", 7 },
  { NS_SERIES_WINDOW_MEAN, NS_SERIES_WINDOW_VAR, "window", 6 },
  { NS_SERIES_EXACT_MEAN, NS_SERIES_EXACT_VAR, "exact so far", 2 },
};

static const guint run_colors[] = { 5, 6, 3, 7 };

gboolean
ns_batchnorm_figure_from_string (const char *name, NsBatchNormFigure *figure, GError **error)
{
  for (guint i = 0; i < NS_BATCHNORM_N_FIGURES; i++)
    if (g_strcmp0 (name, figure_names[i]) == 0)
      {
        *figure = i;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown view '%s' (expected running, batch-noise, gap or renorm)", name);
  return FALSE;
}

const char *
ns_batchnorm_figure_to_string (NsBatchNormFigure figure)
{
  g_return_val_if_fail ((guint) figure < NS_BATCHNORM_N_FIGURES, NULL);
  return figure_names[figure];
}

char *
ns_batchnorm_format_number (double value)
{
  char buf[NS_FORMAT_READABLE_SIZE];

  if (isnan (value))
    return g_strdup ("NaN");
  /* A count such as a batch size is written out whole. */
  if (fabs (value) >= 1e5 && fabs (value) < 1e10 && value == round (value))
    return g_strdup (ns_format_readable (buf, value, 10));
  return g_strdup (ns_format_readable (buf, value, 3));
}

static char *
ns_batchnorm_label (const char *base, const NsBatchNormRun *run)
{
  return run->label ? g_strdup_printf ("%s, %s", base, run->label) : g_strdup (base);
}

/* The variance estimator the preset's EMA is fed: n - 1 for pytorch and keras-fused. */
static guint
ns_batchnorm_ema_ddof (const NsBatchNorm *bn)
{
  return ns_batchnorm_get_options (bn)->unbiased_running_var ? 1 : 0;
}

static void
ns_batchnorm_full_stats (const NsBatchNormRun *run, guint ddof, double *mean, double *variance)
{
  double count, missing;

  ns_batchnorm_exact_stats (run->bn, run->feature, &count, &missing, mean, variance, ddof);
}

static char *
ns_batchnorm_describe (const NsBatchNormRun *run)
{
  const NsBatchNormOptions *o = ns_batchnorm_get_options (run->bn);
  g_autofree char *momentum = ns_batchnorm_format_number (o->momentum);

  if (o->cumulative)
    return g_strdup_printf ("%s, cumulative average, batch %zu",
                            ns_batchnorm_preset_to_string (o->preset), o->batch_size);
  return g_strdup_printf ("%s, momentum %s, batch %zu", ns_batchnorm_preset_to_string (o->preset),
                          momentum, o->batch_size);
}

static char *
ns_batchnorm_title (const char *what, const NsBatchNormRun *runs, guint n_runs,
                    const NsBatchNormFigureOptions *options)
{
  const char *feature = options && options->feature_name ? options->feature_name : NULL;
  g_autofree char *setting = n_runs == 1 ? ns_batchnorm_describe (&runs[0]) : NULL;

  if (feature && setting)
    return g_strdup_printf ("%s of %s (%s)", what, feature, setting);
  if (feature)
    return g_strdup_printf ("%s of %s", what, feature);
  if (setting)
    return g_strdup_printf ("%s (%s)", what, setting);
  return g_strdup (what);
}

static void
ns_batchnorm_running_panel (NsPlotSeries *plot, const NsBatchNormRun *runs, guint n_runs,
                            gboolean var)
{
  guint panel = ns_plot_series_add_panel (plot, var ? "Running variance" : "Running mean",
                                          "training step", NULL);
  double mean, variance;
  gsize n;
  const double *batch;
  guint ddof = ns_batchnorm_ema_ddof (runs[0].bn);

  batch = ns_batchnorm_get_series (runs[0].bn,
                                   var ? (ddof ? NS_SERIES_BATCH_VAR_UNBIASED : NS_SERIES_BATCH_VAR)
                                       : NS_SERIES_BATCH_MEAN,
                                   runs[0].feature, &n);
  if (batch != NULL)
    ns_plot_series_add_faint_line (plot, panel, var ? "batch variance" : "batch mean", batch, n);
  for (guint r = 0; r < n_runs; r++)
    {
      const NsBatchNormOptions *o = ns_batchnorm_get_options (runs[r].bn);

      for (guint l = 0; l < G_N_ELEMENTS (running_lines); l++)
        {
          NsSeries series = var ? running_lines[l].var : running_lines[l].mean;
          const double *y;
          g_autofree char *base = NULL;
          g_autofree char *label = NULL;

          /* The EMA is the running statistics unless renorm keeps its own moving mu, sigma. */
          if (series == (var ? NS_SERIES_EMA_VAR : NS_SERIES_EMA_MEAN) && !o->renorm)
            continue;
          if (!ns_batchnorm_has_series (runs[r].bn, series) || (r > 0 && l > 0))
            continue; /* compared runs: their running statistics only */
          y = ns_batchnorm_get_series (runs[r].bn, series, runs[r].feature, &n);
          if (y == NULL)
            continue;
          base = series == NS_SERIES_WINDOW_MEAN || series == NS_SERIES_WINDOW_VAR
                   ? g_strdup_printf ("window of %u", o->window)
                   : g_strdup (running_lines[l].label);
          label = ns_batchnorm_label (base, &runs[r]);
          ns_plot_series_add_line (plot, panel, label, y, n,
                                   n_runs > 1 && l == 0 ? run_colors[r % 4]
                                                        : running_lines[l].color,
                                   r > 0);
        }
    }
  ns_batchnorm_full_stats (&runs[0], ddof, &mean, &variance);
  ns_plot_series_add_hline (plot, panel,
                            var ? (ddof ? "full-data variance (n − 1)" : "full-data variance (n)")
                                : "full-data mean",
                            var ? variance : mean, NS_BATCHNORM_REFERENCE_COLOR);
}

static guint
ns_batchnorm_bins_for (gsize n)
{
  return (guint) CLAMP (sqrt ((double) n) * 1.5, 8, 60);
}

/* Does an earlier run see the same batch statistics (same batches, same variance formula)? */
static gboolean
ns_batchnorm_same_batches_as_earlier (const NsBatchNormRun *runs, guint r)
{
  const NsBatchNormOptions *o = ns_batchnorm_get_options (runs[r].bn);

  for (guint k = 0; k < r; k++)
    {
      const NsBatchNormOptions *e = ns_batchnorm_get_options (runs[k].bn);

      if (e->batch_size == o->batch_size && e->fast_variance == o->fast_variance &&
          e->float32 == o->float32 && e->shuffle == o->shuffle &&
          e->shuffle_seed == o->shuffle_seed && e->order == o->order && e->epochs == o->epochs &&
          e->drop_last == o->drop_last)
        return TRUE;
    }
  return FALSE;
}

static void
ns_batchnorm_noise_panels (NsPlotSeries *plot, const NsBatchNormRun *runs, guint n_runs)
{
  guint means = ns_plot_series_add_panel (plot, "Batch means", "batch mean", NULL);
  guint vars = ns_plot_series_add_panel (plot, "Batch variances", "biased batch variance", NULL);
  double mu, sigma2;

  ns_batchnorm_full_stats (&runs[0], 0, &mu, &sigma2);
  for (guint r = 0; r < n_runs; r++)
    {
      const NsBatchNormOptions *o = ns_batchnorm_get_options (runs[r].bn);
      double b = (double) o->batch_size, spread = sqrt (sigma2 / b);
      const double *y;
      gsize n;
      g_autofree char *hist_label = NULL;
      g_autofree char *spread_text = ns_batchnorm_format_number (spread);
      g_autofree char *curve_label = NULL;
      g_autofree char *var_label = NULL;
      g_autofree char *batch_text = g_strdup_printf ("B = %zu", o->batch_size);
      NsBatchNormRun labelled = runs[r];

      if (labelled.label == NULL && n_runs == 1)
        labelled.label = batch_text;
      if (ns_batchnorm_same_batches_as_earlier (runs, r))
        continue;
      y = ns_batchnorm_get_series (runs[r].bn, NS_SERIES_BATCH_MEAN, runs[r].feature, &n);
      if (y == NULL)
        continue;
      hist_label = ns_batchnorm_label ("batch means", &labelled);
      ns_plot_series_add_histogram (plot, means, hist_label, y, n, ns_batchnorm_bins_for (n),
                                    run_colors[r % 4], TRUE);
      curve_label = g_strdup_printf ("N(μ, σ²/B): σ/√B = %s", spread_text);
      ns_plot_series_add_normal (plot, means, curve_label, mu, spread, run_colors[r % 4]);

      y = ns_batchnorm_get_series (runs[r].bn, NS_SERIES_BATCH_VAR, runs[r].feature, &n);
      g_clear_pointer (&hist_label, g_free);
      hist_label = ns_batchnorm_label ("batch variances", &labelled);
      ns_plot_series_add_histogram (plot, vars, hist_label, y, n, ns_batchnorm_bins_for (n),
                                    run_colors[r % 4], TRUE);
      var_label = g_strdup_printf ("expected σ²(B − 1)/B, B = %zu", o->batch_size);
      ns_plot_series_add_vline (plot, vars, var_label, sigma2 * (b - 1) / b, run_colors[r % 4]);
    }
  ns_plot_series_add_vline (plot, means, "full-data mean μ", mu, NS_BATCHNORM_REFERENCE_COLOR);
  ns_plot_series_add_vline (plot, vars, "full-data variance σ²", sigma2,
                            NS_BATCHNORM_REFERENCE_COLOR);
}

static char *
ns_batchnorm_moments_label (const char *what, const double *values, gsize n)
{
  double sum = 0, sum2 = 0, mean, sd;
  gsize count = 0;
  g_autofree char *m = NULL;
  g_autofree char *s = NULL;

  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        sum += values[i];
        count++;
      }
  mean = count ? sum / count : NAN;
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      sum2 += (values[i] - mean) * (values[i] - mean);
  sd = count ? sqrt (sum2 / count) : NAN;
  m = ns_batchnorm_format_number (mean);
  s = ns_batchnorm_format_number (sd);
  return g_strdup_printf ("%s: mean %s, sd %s", what, m, s);
}

static void
ns_batchnorm_gap_panel (NsPlotSeries *plot, const NsBatchNormRun *runs, guint n_runs,
                        const NsBatchNormFigureOptions *options)
{
  const NsBatchNormRun *run = &runs[0];
  const NsDataset *data = ns_batchnorm_get_dataset (run->bn);
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  double *outputs = g_new (double, n); /* training, then inference */
  guint panel = ns_plot_series_add_panel (plot, "Normalized outputs", "output value", NULL);
  g_autofree char *train_label = NULL;
  g_autofree char *eval_label = NULL;
  GString *note = g_string_new ("gap = mean |training − inference| = ");
  double first_gap;

  first_gap = ns_batchnorm_training_output_and_gap (run->bn, run->feature, outputs);
  train_label = ns_batchnorm_moments_label ("training mode", outputs, n);
  ns_plot_series_add_histogram (plot, panel, train_label, outputs, n, 60, 5, TRUE);
  ns_batchnorm_inference_output (run->bn, run->feature, outputs);
  eval_label = ns_batchnorm_moments_label ("inference mode", outputs, n);
  ns_plot_series_add_histogram (plot, panel, eval_label, outputs, n, 60, 6, FALSE);
  if (options && options->test_values && options->n_test > 0)
    {
      const NsBatchNormOptions *o = ns_batchnorm_get_options (run->bn);
      double rm = ns_batchnorm_get_value (run->bn, NS_SERIES_RUNNING_MEAN, run->feature);
      double rv = ns_batchnorm_get_value (run->bn, NS_SERIES_RUNNING_VAR, run->feature);
      double inv = o->gamma / ns_batchnorm_inference_scale (rv, o->eps);
      g_autofree double *test = g_new (double, options->n_test);
      g_autofree char *test_label = NULL;

      for (gsize i = 0; i < options->n_test; i++)
        test[i] = (options->test_values[i] - rm) * inv + o->beta;
      test_label = ns_batchnorm_moments_label ("test data, inference mode", test, options->n_test);
      ns_plot_series_add_histogram (plot, panel, test_label, test, options->n_test, 60, 3, FALSE);
    }
  for (guint r = 0; r < n_runs; r++)
    {
      g_autofree char *gap = ns_batchnorm_format_number (
        r == 0 ? first_gap : ns_batchnorm_train_inference_gap (runs[r].bn, runs[r].feature));

      g_string_append_printf (note, "%s%s%s%s%s", r ? "; " : "", gap, runs[r].label ? " (" : "",
                              runs[r].label ? runs[r].label : "", runs[r].label ? ")" : "");
    }
  if (ns_batchnorm_get_n_skipped (run->bn) > 0)
    g_string_append_printf (note, " (%" G_GSIZE_FORMAT " rows with a missing value left out)",
                            ns_batchnorm_get_n_skipped (run->bn));
  ns_plot_series_set_note (plot, note->str);
  g_string_free (note, TRUE);
  g_free (outputs);
}

/* The clipping bounds that exist (tf.keras' renorm_clipping may leave any out). */
static void
ns_batchnorm_renorm_bounds (NsPlotSeries *plot, guint pr, guint pd, const NsBatchNormOptions *o)
{
  if (isfinite (o->renorm_rmax))
    ns_plot_series_add_hline (plot, pr, "r_max", o->renorm_rmax, NS_BATCHNORM_REFERENCE_COLOR);
  if (o->renorm_rmin > 0)
    ns_plot_series_add_hline (plot, pr, o->renorm_rmin == 1 / o->renorm_rmax ? "1/r_max" : "r_min",
                              o->renorm_rmin, 7);
  if (isfinite (o->renorm_dmax))
    {
      ns_plot_series_add_hline (plot, pd, "d_max", o->renorm_dmax, NS_BATCHNORM_REFERENCE_COLOR);
      ns_plot_series_add_hline (plot, pd, "−d_max", -o->renorm_dmax, 7);
    }
}

static void
ns_batchnorm_renorm_panels (NsPlotSeries *plot, const NsBatchNormRun *runs, guint n_runs)
{
  guint pr =
    ns_plot_series_add_panel (plot, "r = clip(σ_B / σ, r_min, r_max)", "training step", NULL);
  guint pd =
    ns_plot_series_add_panel (plot, "d = clip((μ_B − μ) / σ, ±d_max)", "training step", NULL);
  gboolean any = FALSE;

  for (guint r = 0; r < n_runs; r++)
    {
      const NsBatchNormOptions *o = ns_batchnorm_get_options (runs[r].bn);
      const double *y;
      gsize n;
      g_autofree char *rl = ns_batchnorm_label ("r", &runs[r]);
      g_autofree char *dl = ns_batchnorm_label ("d", &runs[r]);

      if (!o->renorm)
        continue;
      any = TRUE;
      if ((y = ns_batchnorm_get_series (runs[r].bn, NS_SERIES_RENORM_R, runs[r].feature, &n)))
        ns_plot_series_add_line (plot, pr, rl, y, n, run_colors[r % 4], r > 0);
      if ((y = ns_batchnorm_get_series (runs[r].bn, NS_SERIES_RENORM_D, runs[r].feature, &n)))
        ns_plot_series_add_line (plot, pd, dl, y, n, run_colors[r % 4], r > 0);
      if (r == 0)
        {
          ns_batchnorm_renorm_bounds (plot, pr, pd, o);
        }
    }
  if (!any)
    ns_plot_series_set_note (plot, "Batch Renormalization is off: switch it on to see r and d.");
}

NsPlotSeries *
ns_batchnorm_figure_new (NsBatchNormFigure figure, const NsBatchNormRun *runs, guint n_runs,
                         const NsBatchNormFigureOptions *options)
{
  static const char *const what[NS_BATCHNORM_N_FIGURES] = {
    "Running statistics",
    "Batch noise",
    "Training vs inference",
    "Batch Renormalization",
  };
  g_autofree char *title = NULL;
  NsPlotSeries *plot;

  g_return_val_if_fail ((guint) figure < NS_BATCHNORM_N_FIGURES, NULL);
  g_return_val_if_fail (runs != NULL && n_runs > 0, NULL);
  n_runs = MIN (n_runs, G_N_ELEMENTS (run_colors));
  title = ns_batchnorm_title (what[figure], runs, n_runs, options);
  plot = ns_plot_series_new (title);
  switch (figure)
    {
    case NS_BATCHNORM_FIGURE_RUNNING:
      ns_batchnorm_running_panel (plot, runs, n_runs, FALSE);
      ns_batchnorm_running_panel (plot, runs, n_runs, TRUE);
      break;
    case NS_BATCHNORM_FIGURE_BATCH_NOISE:
      ns_batchnorm_noise_panels (plot, runs, n_runs);
      break;
    case NS_BATCHNORM_FIGURE_GAP:
      ns_batchnorm_gap_panel (plot, runs, n_runs, options);
      break;
    case NS_BATCHNORM_FIGURE_RENORM:
    default:
      ns_batchnorm_renorm_panels (plot, runs, n_runs);
      break;
    }
  return plot;
}
