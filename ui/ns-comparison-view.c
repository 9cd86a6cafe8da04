/* ns-comparison-view.c: the small-multiples plot of one feature under the chosen strategies.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-comparison-view"
#include "config.h"
#include "ns-comparison-view-private.h"

#include <math.h>
#include "core/ns-strategy-panel.h"

G_DEFINE_FINAL_TYPE (NsComparisonView, ns_comparison_view, GTK_TYPE_WIDGET)

enum { SIGNAL_TOAST, SIGNAL_CHANGED, SIGNAL_STRATEGY_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const NsBatchNormPreset ns_presets[] = {
  NS_BATCHNORM_PYTORCH,
  NS_BATCHNORM_KERAS,
  NS_BATCHNORM_KERAS_FUSED,
  NS_BATCHNORM_FLAX,
};

static void
ns_comparison_view_set_message (NsComparisonView *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
}

static int
ns_comparison_view_feature (NsComparisonView *self)
{
  const NsDataset *dataset = self->data->dataset;

  for (guint f = 0; f < ns_dataset_get_n_features (dataset); f++)
    if ((int) ns_dataset_get_feature_column (dataset, f) == self->column)
      return (int) f;
  return -1;
}

static guint
ns_comparison_view_selected_preset (NsComparisonView *self)
{
  return ns_presets[MIN (gtk_drop_down_get_selected (self->preset), G_N_ELEMENTS (ns_presets) - 1)];
}

void
ns_comparison_view_get_batchnorm_options (NsComparisonView *self, NsBatchNormOptions *options)
{
  ns_batchnorm_options_init (options, ns_comparison_view_selected_preset (self));
  options->batch_size = (gsize) gtk_spin_button_get_value_as_int (self->batch_size);
  options->momentum = gtk_spin_button_get_value (self->momentum);
}

/* Why a panel is missing or what it shows, after any note already given. */
static void
ns_comparison_view_add_message (NsComparisonView *self, NsStrategy strategy, const char *reason)
{
  g_autofree char *old = g_steal_pointer (&self->message);

  self->message =
    old[0] ? g_strdup_printf ("%s; %s: %s", old, ns_strategy_get_short_label (strategy), reason)
           : g_strdup_printf ("%s: %s", ns_strategy_get_short_label (strategy), reason);
}

/* The batch-norm panels of the selected feature: from the finished run, or a note while the
 * worker simulates (its end rebuilds the plot). */
static void
ns_comparison_view_add_batchnorm (NsComparisonView *self, NsStrategy strategy, int feature)
{
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;
  const NsPlotData *training = NULL;
  NsBatchNorm *batchnorm;

  ns_comparison_view_get_batchnorm_options (self, &options);
  options.only_feature = feature;
  options.skip_non_finite = TRUE;
  options.record_history = FALSE;
  options.averages = NS_AVERAGE_EMA;
  batchnorm = ns_batchnorm_simulation_get (self->simulation, self->data->dataset, &options, feature,
                                           &training, &error);
  if (batchnorm == NULL)
    {
      ns_comparison_view_add_message (self, strategy, error ? error->message : "simulating…");
      return;
    }
  if (ns_batchnorm_get_n_skipped (batchnorm) > 0)
    {
      const NsDataset *data = self->data->dataset;
      g_autofree char *note = ns_batchnorm_skipped_note (
        ns_batchnorm_get_n_skipped (batchnorm),
        ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, (guint) feature)));

      ns_comparison_view_add_message (self, strategy, note);
    }
  if (strategy == NS_STRATEGY_BN_INFERENCE)
    {
      double mean = ns_batchnorm_get_value (batchnorm, NS_SERIES_RUNNING_MEAN, feature);
      double var = ns_batchnorm_get_value (batchnorm, NS_SERIES_RUNNING_VAR, feature);
      double scale = ns_batchnorm_inference_scale (var, ns_batchnorm_get_options (batchnorm)->eps);
      guint panel =
        ns_plot_add_affine (self->plot, ns_strategy_get_label (strategy), self->raw, mean, scale);

      ns_plot_panel_set_strategy (self->plot, panel, strategy);
      if (self->test_raw)
        ns_plot_set_overlay (self->plot, panel, self->test_label, self->test_raw, mean, scale);
    }
  else
    ns_plot_panel_set_strategy (self->plot,
                                ns_plot_add_values (self->plot, ns_strategy_get_label (strategy),
                                                    ns_plot_data_copy (training)),
                                strategy);
}

static void
ns_comparison_view_add_scaler (NsComparisonView *self, NsStrategy strategy, int feature)
{
  NsStats *stats = self->data->stats[strategy];
  double offset, scale;
  guint panel;

  if (stats == NULL)
    {
      ns_comparison_view_add_message (self, strategy, self->data->fit_errors[strategy]);
      return;
    }
  offset = ns_stats_get_offset (stats, feature);
  scale = ns_stats_get_scale (stats, feature);
  if (!(scale > 0) || !isfinite (offset) || !isfinite (scale))
    return;
  panel =
    ns_plot_add_affine (self->plot, ns_strategy_get_label (strategy), self->raw, offset, scale);
  ns_plot_panel_set_strategy (self->plot, panel, strategy);
  if (self->test_raw)
    ns_plot_set_overlay (self->plot, panel, self->test_label, self->test_raw, offset, scale);
}

/* A power, quantile or normalizer panel: from its worker, or a note while it computes (its end
 * rebuilds the plot); a failed fit leaves the panel out and says why. */
static void
ns_comparison_view_add_computed (NsComparisonView *self, NsStrategy strategy, int feature)
{
  g_autoptr (GError) error = NULL;
  const NsPlotData *values =
    ns_strategy_panels_get (self->panels, self->data->dataset, feature, strategy, &error);
  g_autofree char *note = NULL;

  if (values == NULL)
    {
      ns_comparison_view_add_message (self, strategy, error ? error->message : "computing…");
      return;
    }
  ns_plot_panel_set_strategy (self->plot,
                              ns_plot_add_values (self->plot, ns_strategy_get_label (strategy),
                                                  ns_plot_data_copy (values)),
                              strategy);
  if ((note = ns_strategy_panel_describe (strategy, self->data->dataset, (guint) feature)) != NULL)
    ns_comparison_view_add_message (self, strategy, note);
  if (self->test_raw != NULL)
    ns_comparison_view_add_message (self, strategy,
                                    "no test-file overlay (only the linear and "
                                    "batch-norm panels map it by offset and scale)");
}

static void
ns_comparison_view_rebuild (NsComparisonView *self)
{
  int feature;
  guint panel;

  ns_plot_clear (self->plot);
  ns_comparison_view_set_message (self, NULL);
  ns_plot_set_mode (self->plot,
                    gtk_toggle_button_get_active (self->qq) ? NS_PLOT_QQ : NS_PLOT_HISTOGRAM);
  ns_plot_set_range (self->plot, (NsPlotRange) MIN (gtk_drop_down_get_selected (self->range),
                                                    NS_PLOT_RANGE_P1_P99));
  ns_plot_set_shared_axes (self->plot, gtk_toggle_button_get_active (self->shared_axes));
  ns_plot_set_log_density (self->plot, gtk_toggle_button_get_active (self->log_density));
  if (self->data == NULL || self->column < 0)
    ns_plot_set_title (self->plot, "");
  else if (self->raw == NULL)
    {
      ns_plot_set_title (self->plot, "");
      ns_comparison_view_set_message (self, "A label column: nothing to normalize.");
    }
  else
    {
      feature = ns_comparison_view_feature (self);
      ns_plot_set_title (self->plot,
                         ns_dataset_get_column_name (self->data->dataset, self->column));
      panel = ns_plot_add_raw (self->plot, "raw data", self->raw);
      if (self->test_raw)
        ns_plot_set_overlay (self->plot, panel, self->test_label, self->test_raw, 0, 1);
      for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
        {
          if (!gtk_toggle_button_get_active (self->rows[s]))
            continue;
          if (ns_strategy_is_batchnorm (s))
            ns_comparison_view_add_batchnorm (self, s, feature);
          else if (ns_strategy_panel_is_computed (s))
            ns_comparison_view_add_computed (self, s, feature);
          else
            ns_comparison_view_add_scaler (self, s, feature);
        }
    }
  ns_plot_view_update (self->plot_view);
  gtk_label_set_text (self->notes, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->notes), self->message[0] != '\0');
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
_ns_comparison_view_strategy_toggled (NsComparisonView *self, GtkToggleButton *row)
{
  _ns_comparison_view_update_strategies (self);
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES && !self->updating; s++)
    if (self->rows[s] == row && gtk_toggle_button_get_active (row))
      g_signal_emit (self, signals[SIGNAL_STRATEGY_ACTIVATED], 0, (int) s);
  if (!self->updating)
    ns_comparison_view_rebuild (self);
}

void
_ns_comparison_view_preset_changed (NsComparisonView *self)
{
  NsBatchNormOptions options;

  ns_batchnorm_options_init (&options, ns_comparison_view_selected_preset (self));
  self->updating = TRUE;
  gtk_spin_button_set_value (self->momentum, options.momentum);
  gtk_label_set_text (self->convention, options.convention == NS_MOMENTUM_WEIGHT_OF_NEW
                                          ? "weight of the new batch (PyTorch)"
                                          : "weight of the old value (Keras, Flax)");
  self->updating = FALSE;
  ns_comparison_view_rebuild (self);
}

void
_ns_comparison_view_setting_changed (NsComparisonView *self)
{
  if (!self->updating)
    ns_comparison_view_rebuild (self);
}

static void
ns_comparison_view_readout_changed (NsComparisonView *self)
{
  const char *text = ns_plot_view_get_readout (self->plot_view);

  gtk_label_set_text (self->readout, text[0] ? text : " ");
}

static void
ns_comparison_view_dispose (GObject *object)
{
  NsComparisonView *self = NS_COMPARISON_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (ns_comparison_view_parent_class)->dispose (object);
}

static void
ns_comparison_view_finalize (GObject *object)
{
  NsComparisonView *self = NS_COMPARISON_VIEW (object);

  ns_plot_free (self->plot);
  ns_batchnorm_simulation_free (self->simulation);
  ns_strategy_panels_free (self->panels);
  g_clear_pointer (&self->raw, ns_plot_data_free);
  g_clear_pointer (&self->test_raw, ns_plot_data_free);
  g_free (self->test_label);
  g_free (self->message);
  G_OBJECT_CLASS (ns_comparison_view_parent_class)->finalize (object);
}

static void
ns_comparison_view_class_init (NsComparisonViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_comparison_view_dispose;
  object_class->finalize = ns_comparison_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "comparisonview");
  /* toast (string): something the window should tell the user. */
  signals[SIGNAL_TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* changed: the plot was rebuilt (strategies, settings or column changed). */
  /* strategy-activated (int NsStrategy): the user switched a strategy on. */
  signals[SIGNAL_STRATEGY_ACTIVATED] =
    g_signal_new ("strategy-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

const char *
ns_comparison_view_get_test_summary (NsComparisonView *self)
{
  return gtk_label_get_text (self->test_summary);
}

static void
ns_comparison_view_init (NsComparisonView *self)
{
  self->plot = ns_plot_new ();
  self->simulation =
    ns_batchnorm_simulation_new ((NsBatchNormSimulationDone) ns_comparison_view_rebuild, self);
  self->panels = ns_strategy_panels_new ((NsStrategyPanelsDone) ns_comparison_view_rebuild, self);
  self->column = -1;
  self->message = g_strdup ("");
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->updating = TRUE;
  gtk_box_append (GTK_BOX (self->box), _ns_comparison_view_build_tensor_row (self));
  gtk_box_append (GTK_BOX (self->box), _ns_comparison_view_build_controls (self));
  self->notes = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->notes, TRUE);
  gtk_label_set_xalign (self->notes, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->notes), "notes");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->notes), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Plot notes", -1);
  gtk_widget_set_visible (GTK_WIDGET (self->notes), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->notes));
  self->plot_view = NS_PLOT_VIEW (ns_plot_view_new ());
  ns_plot_view_set_plot (self->plot_view, self->plot);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->plot_view));
  self->readout = GTK_LABEL (gtk_label_new (" "));
  gtk_label_set_xalign (self->readout, 0);
  gtk_label_set_ellipsize (self->readout, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->readout), "readout");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->readout), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Plot read-out", -1);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->readout));
  gtk_box_append (GTK_BOX (self->box), _ns_comparison_view_build_test_row (self));
  g_signal_connect_swapped (self->plot_view, "notify::readout",
                            G_CALLBACK (ns_comparison_view_readout_changed), self);

  gtk_toggle_button_set_active (self->rows[NS_STRATEGY_STANDARD], TRUE);
  gtk_toggle_button_set_active (self->rows[NS_STRATEGY_MINMAX], TRUE);
  gtk_toggle_button_set_active (self->rows[NS_STRATEGY_ROBUST], TRUE);
  self->updating = FALSE;
  _ns_comparison_view_preset_changed (self);
}

GtkWidget *
ns_comparison_view_new (void)
{
  return g_object_new (NS_TYPE_COMPARISON_VIEW, NULL);
}

static void
ns_comparison_view_bin_test (NsComparisonView *self)
{
  int column;

  g_clear_pointer (&self->test_raw, ns_plot_data_free);
  if (self->test == NULL || self->raw == NULL)
    return;
  column = ns_dataset_find_column (self->test,
                                   ns_dataset_get_column_name (self->data->dataset, self->column));
  if (column < 0 || ns_dataset_column_is_label (self->test, column))
    return;
  self->test_raw = ns_plot_data_new (ns_dataset_get_values (self->test, column),
                                     ns_dataset_get_n_samples (self->test) *
                                       ns_dataset_get_spatial_size (self->test),
                                     NULL);
}

static void
ns_comparison_view_update_exclude (NsComparisonView *self)
{
  gboolean feature = self->raw != NULL;

  gtk_widget_set_sensitive (self->exclude_button, feature);
  if (feature)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->exclude_button), "s",
                                      ns_dataset_get_column_name (self->data->dataset,
                                                                  self->column));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->exclude_button),
                                  feature ? "win.exclude-column" : NULL);
}

void
ns_comparison_view_set_column (NsComparisonView *self, int column)
{
  const NsDataset *dataset = self->data ? self->data->dataset : NULL;

  self->column = dataset ? column : -1;
  g_clear_pointer (&self->raw, ns_plot_data_free);
  if (self->column >= 0 && !ns_dataset_column_is_label (dataset, column))
    self->raw =
      ns_plot_data_new (ns_dataset_get_values (dataset, column),
                        ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset),
                        NULL);
  ns_comparison_view_bin_test (self);
  _ns_comparison_view_update_test_summary (self);
  ns_comparison_view_update_exclude (self);
  ns_comparison_view_rebuild (self);
}

int
ns_comparison_view_get_column (NsComparisonView *self)
{
  return self->column;
}

/* A batch cannot hold more rows than the data has: the control stops at the row count. */
static void
ns_comparison_view_cap_batch_size (NsComparisonView *self)
{
  gsize rows = self->data ? ns_dataset_get_n_samples (self->data->dataset) : 4096;
  double cap = CLAMP ((double) rows, 2, 4096);
  g_autofree char *why = NULL;

  g_autofree char *caption = NULL;

  if (rows < 4096)
    {
      caption = g_strdup_printf ("at most %.0f rows", cap);
      why = g_strdup_printf ("A batch cannot hold more rows than the file has (%.0f)", cap);
    }
  self->updating = TRUE;
  gtk_spin_button_set_range (self->batch_size, 2, cap);
  self->updating = FALSE;
  gtk_label_set_text (self->batch_limit, caption ? caption : "");
  gtk_widget_set_visible (GTK_WIDGET (self->batch_limit), caption != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->batch_limit), why);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->batch_size), why);
}

void
ns_comparison_view_set_data (NsComparisonView *self, const NsLoadResult *data)
{
  /* The worker reads the dataset: it stops before the dataset may go. */
  ns_batchnorm_simulation_stop (self->simulation);
  ns_strategy_panels_stop (self->panels);
  self->data = data;
  self->test = NULL;
  _ns_comparison_view_update_tensor_row (self);
  ns_comparison_view_cap_batch_size (self);
  ns_comparison_view_set_column (self, -1);
}

void
ns_comparison_view_set_test_data (NsComparisonView *self, const NsDataset *test, const char *label)
{
  self->test = test;
  g_free (self->test_label);
  self->test_label = g_strdup (label ? label : "test data");
  ns_comparison_view_bin_test (self);
  _ns_comparison_view_update_test_summary (self);
  ns_comparison_view_rebuild (self);
}

gboolean
ns_comparison_view_set_strategy_active (NsComparisonView *self, NsStrategy strategy,
                                        gboolean active)
{
  GtkToggleButton *row = self->rows[strategy];

  if (!gtk_widget_get_sensitive (GTK_WIDGET (row)))
    return FALSE;
  gtk_toggle_button_set_active (row, active);
  return TRUE;
}

void
ns_comparison_view_set_active_strategies (NsComparisonView *self, const NsStrategy *strategies,
                                          guint n)
{
  gboolean wanted[NS_N_COMPARED_STRATEGIES] = { FALSE };

  if (n == 0)
    return;
  for (guint i = 0; i < MIN (n, NS_MAX_STRATEGIES); i++)
    wanted[strategies[i]] = TRUE;
  self->updating = TRUE;
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    gtk_toggle_button_set_active (self->rows[s], wanted[s]);
  self->updating = FALSE;
  _ns_comparison_view_update_strategies (self);
  ns_comparison_view_rebuild (self);
}

gboolean
ns_comparison_view_get_strategy_active (NsComparisonView *self, NsStrategy strategy)
{
  return gtk_toggle_button_get_active (self->rows[strategy]);
}

void
ns_comparison_view_set_font_scale (NsComparisonView *self, double scale)
{
  ns_plot_set_font_scale (self->plot, scale);
  ns_plot_view_update (self->plot_view);
}

gboolean
ns_comparison_view_is_simulating (NsComparisonView *self)
{
  return ns_batchnorm_simulation_is_busy (self->simulation) ||
         ns_strategy_panels_is_busy (self->panels);
}

guint
ns_comparison_view_get_active_strategies (NsComparisonView *self, NsStrategy *strategies)
{
  guint n = 0;

  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    if (gtk_toggle_button_get_active (self->rows[s]))
      strategies[n++] = (NsStrategy) s;
  return n;
}

void
ns_comparison_view_set_qq (NsComparisonView *self, gboolean qq)
{
  gtk_toggle_button_set_active (self->qq, qq);
}

gboolean
ns_comparison_view_get_qq (NsComparisonView *self)
{
  return gtk_toggle_button_get_active (self->qq);
}

void
ns_comparison_view_set_batch_size (NsComparisonView *self, guint batch_size)
{
  gtk_spin_button_set_value (self->batch_size, batch_size);
}

void
ns_comparison_view_set_preset (NsComparisonView *self, NsBatchNormPreset preset)
{
  for (guint i = 0; i < G_N_ELEMENTS (ns_presets); i++)
    if (ns_presets[i] == preset)
      gtk_drop_down_set_selected (self->preset, i);
}

void
ns_comparison_view_set_momentum (NsComparisonView *self, double momentum)
{
  gtk_spin_button_set_value (self->momentum, momentum);
}

NsPlot *
ns_comparison_view_get_plot (NsComparisonView *self)
{
  return self->plot;
}

const char *
ns_comparison_view_get_message (NsComparisonView *self)
{
  return self->message;
}

gboolean
ns_comparison_view_save_figure_sized (NsComparisonView *self, const char *path, double width,
                                      double height, double font_scale, GError **error)
{
  NsPlotFormat format;
  double shown_scale = ns_plot_get_font_scale (self->plot);
  gboolean saved;

  if (!ns_plot_format_from_path (path, &format, error))
    return FALSE;
  if (ns_plot_get_n_panels (self->plot) == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: nothing to export: select a numeric column to plot first", path);
      return FALSE;
    }
  ns_plot_set_font_scale (self->plot, font_scale);
  saved = ns_plot_save (self->plot, path, format, width, height, error);
  ns_plot_set_font_scale (self->plot, shown_scale);
  return saved;
}
