/* ns-comparison-view.c: strategy toggles, batch-norm settings and the small-multiples plot.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-comparison-view"
#include "config.h"
#include "ns-comparison-view.h"

#include <math.h>
#include "ns-bn-simulation.h"
#include "ns-plot-view.h"
#include "ns-strategy-toggle.h"

struct _NsComparisonView {
  GtkWidget          parent_instance;
  GtkWidget         *box;
  GtkWidget         *toggles[NS_N_COMPARED_STRATEGIES];
  GtkSpinButton     *batch_size;
  GtkLabel          *batch_limit;
  GtkDropDown       *preset;
  GtkSpinButton     *momentum;
  GtkLabel          *convention;
  GtkToggleButton   *qq;
  GtkDropDown       *range;
  GtkToggleButton   *shared_axes;
  GtkToggleButton   *log_density;
  NsPlotView        *plot_view;
  GtkLabel          *readout;
  GtkWidget         *exclude_button;
  GtkWidget         *tensor_row;
  GtkLabel          *tensor_shape;
  GtkDropDown       *tensor_axis;
  GtkWidget         *test_row;
  GtkLabel          *test_summary;

  const NsLoadResult *data;          /* borrowed */
  int                column;
  NsPlotData        *raw;            /* the selected column, binned once */
  const NsDataset   *test;           /* borrowed */
  char              *test_label;
  NsPlotData        *test_raw;
  NsPlot            *plot;
  NsBnSimulation    *simulation;     /* batch norm of the selected feature, in a worker */
  char              *message;
  gboolean           updating;
};

G_DEFINE_FINAL_TYPE (NsComparisonView, ns_comparison_view, GTK_TYPE_WIDGET)

enum { SIGNAL_TOAST, SIGNAL_CHANGED, SIGNAL_STRATEGY_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const NsBatchNormPreset ns_presets[] = {
  NS_BATCHNORM_PYTORCH, NS_BATCHNORM_KERAS, NS_BATCHNORM_KERAS_FUSED, NS_BATCHNORM_FLAX,
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
  options.record_history = FALSE;
  options.averages = NS_AVERAGE_EMA;
  batchnorm = ns_bn_simulation_get (self->simulation, self->data->dataset, &options, feature,
                                    &training, &error);
  if (batchnorm == NULL)
    {
      ns_comparison_view_set_message (self, error ? error->message : "Simulating batch norm…");
      return;
    }
  if (strategy == NS_STRATEGY_BN_INFERENCE)
    {
      double mean = ns_batchnorm_get_value (batchnorm, NS_SERIES_RUNNING_MEAN, feature);
      double var = ns_batchnorm_get_value (batchnorm, NS_SERIES_RUNNING_VAR, feature);
      double scale = sqrt (var + ns_batchnorm_get_options (batchnorm)->eps);
      guint panel = ns_plot_add_affine (self->plot, ns_strategy_get_label (strategy), self->raw,
                                        mean, scale);

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
      ns_comparison_view_set_message (self, self->data->fit_errors[strategy]);
      return;
    }
  offset = ns_stats_get_offset (stats, feature);
  scale = ns_stats_get_scale (stats, feature);
  if (!(scale > 0) || !isfinite (offset) || !isfinite (scale))
    return;
  panel = ns_plot_add_affine (self->plot, ns_strategy_get_label (strategy), self->raw, offset, scale);
  ns_plot_panel_set_strategy (self->plot, panel, strategy);
  if (self->test_raw)
    ns_plot_set_overlay (self->plot, panel, self->test_label, self->test_raw, offset, scale);
}

static void
ns_comparison_view_rebuild (NsComparisonView *self)
{
  int feature;
  guint panel;

  ns_plot_clear (self->plot);
  ns_comparison_view_set_message (self, NULL);
  ns_plot_set_mode (self->plot, gtk_toggle_button_get_active (self->qq) ? NS_PLOT_QQ
                                                                         : NS_PLOT_HISTOGRAM);
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
      ns_plot_set_title (self->plot, ns_dataset_get_column_name (self->data->dataset, self->column));
      panel = ns_plot_add_raw (self->plot, "raw data", self->raw);
      if (self->test_raw)
        ns_plot_set_overlay (self->plot, panel, self->test_label, self->test_raw, 0, 1);
      for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
        {
          if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->toggles[s])))
            continue;
          if (s >= NS_STRATEGY_BN_TRAIN)
            ns_comparison_view_add_batchnorm (self, s, feature);
          else
            ns_comparison_view_add_scaler (self, s, feature);
        }
    }
  ns_plot_view_update (self->plot_view);
  gtk_label_set_text (self->readout, self->message[0] ? self->message : " ");
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
ns_comparison_view_update_toggles (NsComparisonView *self)
{
  guint active = 0;

  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    active += gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->toggles[s]));
  /* Two to four strategies: the last one cannot be switched off, a fifth cannot be added. */
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    {
      gboolean on = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->toggles[s]));

      gtk_widget_set_sensitive (self->toggles[s], on ? active > 1 : active < NS_MAX_STRATEGIES);
    }
}

static void
ns_comparison_view_toggled (NsComparisonView *self, GtkToggleButton *toggle)
{
  ns_comparison_view_update_toggles (self);
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES && !self->updating; s++)
    if (self->toggles[s] == GTK_WIDGET (toggle) && gtk_toggle_button_get_active (toggle))
      g_signal_emit (self, signals[SIGNAL_STRATEGY_ACTIVATED], 0, (int) s);
  if (!self->updating)
    ns_comparison_view_rebuild (self);
}

static void
ns_comparison_view_preset_changed (NsComparisonView *self)
{
  NsBatchNormOptions options;

  ns_batchnorm_options_init (&options, ns_comparison_view_selected_preset (self));
  self->updating = TRUE;
  gtk_spin_button_set_value (self->momentum, options.momentum);
  gtk_label_set_text (self->convention,
                      options.convention == NS_MOMENTUM_WEIGHT_OF_NEW
                        ? "weight of the new batch (PyTorch)"
                        : "weight of the old value (Keras, Flax)");
  self->updating = FALSE;
  ns_comparison_view_rebuild (self);
}

static void
ns_comparison_view_setting_changed (NsComparisonView *self)
{
  if (!self->updating)
    ns_comparison_view_rebuild (self);
}

static void
ns_comparison_view_readout_changed (NsComparisonView *self)
{
  const char *text = ns_plot_view_get_readout (self->plot_view);

  gtk_label_set_text (self->readout, text[0] ? text : (self->message[0] ? self->message : " "));
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
  ns_bn_simulation_free (self->simulation);
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
    g_signal_new ("strategy-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static GtkWidget *
ns_labelled (GtkWidget *box, const char *text, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return widget;
}

static GtkWidget *
ns_comparison_view_build_strategies (NsComparisonView *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new ("Strategies");

  gtk_widget_add_css_class (row, "controls");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (row), label);
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    {
      GtkWidget *toggle = ns_strategy_toggle_new ((NsStrategy) s);

      g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (ns_comparison_view_toggled), self);
      gtk_box_append (GTK_BOX (row), toggle);
      self->toggles[s] = toggle;
    }
  return row;
}

static void
ns_comparison_view_export_clicked (NsComparisonView *self)
{
  /* The window's export (Shift+Ctrl+E) exports the figure of the page on show. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.export-figure", NULL);
}

static GtkToggleButton *
ns_comparison_view_add_toggle (NsComparisonView *self, GtkWidget *row, const char *label,
                               const char *tooltip)
{
  GtkWidget *toggle = gtk_toggle_button_new_with_label (label);

  gtk_widget_set_tooltip_text (toggle, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (ns_comparison_view_setting_changed),
                            self);
  gtk_box_append (GTK_BOX (row), toggle);
  return GTK_TOGGLE_BUTTON (toggle);
}

/* What the histograms show: the range, shared or per-panel axes, Q-Q instead. */
static GtkWidget *
ns_comparison_view_build_view (NsComparisonView *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *ranges[] = {"All values", "0–99th percentile", "1st–99th percentile", NULL};
  GtkWidget *export_button = gtk_button_new_with_label ("Export Figure…");
  GtkWidget *exclude_button = gtk_button_new_with_label ("Exclude Column");

  gtk_widget_add_css_class (row, "controls");
  self->range = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (ranges));
  gtk_drop_down_set_selected (self->range, NS_PLOT_RANGE_P0_P99);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->range),
                               "Zoomed histograms count the values beyond the axis at its edges");
  ns_labelled (row, "Range", GTK_WIDGET (self->range));
  g_signal_connect_swapped (self->range, "notify::selected",
                            G_CALLBACK (ns_comparison_view_setting_changed), self);
  self->shared_axes = ns_comparison_view_add_toggle (
    self, row, "Shared axes", "The normalized panels share one x and y range");
  self->log_density = ns_comparison_view_add_toggle (
    self, row, "Log density", "Histograms on a log scale: a tail of a few values shows beside the peak");
  self->qq = ns_comparison_view_add_toggle (self, row, "Q-Q plot",
                                            "Quantiles against the normal distribution");
  gtk_widget_set_hexpand (export_button, TRUE);
  gtk_widget_set_halign (export_button, GTK_ALIGN_END);
  gtk_accessible_update_property (GTK_ACCESSIBLE (export_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Export Figure", -1);
  g_signal_connect_swapped (export_button, "clicked",
                            G_CALLBACK (ns_comparison_view_export_clicked), self);
  gtk_box_append (GTK_BOX (row), export_button);
  /* A class or target column is no feature: leave it out of the fits (remembered per file). */
  gtk_widget_set_tooltip_text (exclude_button, "Leave this column out of the fits and exports; "
                                               "Include All Columns in the main menu brings it back");
  gtk_widget_set_sensitive (exclude_button, FALSE);
  gtk_box_append (GTK_BOX (row), exclude_button);
  self->exclude_button = exclude_button;
  return row;
}

static GtkWidget *
ns_comparison_view_build_batchnorm (NsComparisonView *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *presets[] = {"PyTorch", "Keras", "Keras fused", "Flax", NULL};

  gtk_widget_add_css_class (row, "controls");
  self->batch_size = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (2, 4096, 1));
  gtk_spin_button_set_value (self->batch_size, 32);
  ns_labelled (row, "Batch size", GTK_WIDGET (self->batch_size));
  self->batch_limit = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->batch_limit), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->batch_limit), "caption");
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->batch_limit));
  self->preset = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (presets));
  ns_labelled (row, "Preset", GTK_WIDGET (self->preset));
  self->momentum = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 0.01));
  gtk_spin_button_set_digits (self->momentum, 3);
  ns_labelled (row, "Momentum", GTK_WIDGET (self->momentum));
  self->convention = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->convention), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->convention), "caption");
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->convention));


  g_signal_connect_swapped (self->batch_size, "value-changed",
                            G_CALLBACK (ns_comparison_view_setting_changed), self);
  g_signal_connect_swapped (self->momentum, "value-changed",
                            G_CALLBACK (ns_comparison_view_setting_changed), self);
  g_signal_connect_swapped (self->preset, "notify::selected",
                            G_CALLBACK (ns_comparison_view_preset_changed), self);
  return row;
}

/* The three rows of controls scroll sideways on a narrow window instead of widening it. */
static GtkWidget *
ns_comparison_view_build_controls (NsComparisonView *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (rows), ns_comparison_view_build_strategies (self));
  gtk_box_append (GTK_BOX (rows), ns_comparison_view_build_batchnorm (self));
  gtk_box_append (GTK_BOX (rows), ns_comparison_view_build_view (self));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), rows);
  return scroller;
}

/* A tensor's shape and the axis its features lie along, which the user may change. */
static void
ns_comparison_view_axis_chosen (NsComparisonView *self)
{
  guint selected = gtk_drop_down_get_selected (self->tensor_axis);
  g_autofree char *axis = NULL;

  if (self->updating || self->data == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  axis = selected + 1 < ns_dataset_get_rank (self->data->dataset)
           ? g_strdup_printf ("%u", selected + 1) : g_strdup ("none");
  gtk_widget_activate_action (GTK_WIDGET (self), "win.feature-axis", "s", axis);
}

static GtkWidget *
ns_comparison_view_build_tensor_row (NsComparisonView *self)
{
  self->tensor_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->tensor_row, "controls");
  self->tensor_shape = GTK_LABEL (gtk_label_new (""));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tensor_shape),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Tensor shape", -1);
  self->tensor_axis = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tensor_axis),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Feature axis", -1);
  g_signal_connect_swapped (self->tensor_axis, "notify::selected",
                            G_CALLBACK (ns_comparison_view_axis_chosen), self);
  gtk_box_append (GTK_BOX (self->tensor_row), GTK_WIDGET (self->tensor_shape));
  ns_labelled (self->tensor_row, "Features along", GTK_WIDGET (self->tensor_axis));
  gtk_widget_set_visible (self->tensor_row, FALSE);
  return self->tensor_row;
}

/* "shape (3, 3, 4, 2)" and the axes 1 … rank-1 and "none"; the kept axis selected. */
static void
ns_comparison_view_update_tensor_row (NsComparisonView *self)
{
  const NsDataset *data = self->data ? self->data->dataset : NULL;
  g_autoptr (GtkStringList) axes = gtk_string_list_new (NULL);
  g_autoptr (GString) shape = g_string_new ("Shape (");
  guint rank, kept;
  gboolean was_updating;

  gtk_widget_set_visible (self->tensor_row, data && ns_dataset_get_kind (data) == NS_DATASET_TENSOR);
  if (data == NULL || ns_dataset_get_kind (data) != NS_DATASET_TENSOR)
    return;
  rank = ns_dataset_get_rank (data);
  for (guint a = 0; a < rank; a++)
    g_string_append_printf (shape, "%s%" G_GSIZE_FORMAT, a ? ", " : "", ns_dataset_get_shape (data)[a]);
  g_string_append (shape, ")");
  for (guint a = 1; a < rank; a++)
    {
      g_autofree char *text = g_strdup_printf ("axis %u (size %" G_GSIZE_FORMAT ")", a,
                                               ns_dataset_get_shape (data)[a]);

      gtk_string_list_append (axes, text);
    }
  gtk_string_list_append (axes, "none (one feature)");
  kept = ns_dataset_get_n_kept_axes (data) == 1 ? ns_dataset_get_kept_axes (data)[0] : rank;
  gtk_label_set_text (self->tensor_shape, shape->str);
  was_updating = self->updating;
  self->updating = TRUE;
  gtk_drop_down_set_model (self->tensor_axis, G_LIST_MODEL (axes));
  gtk_drop_down_set_selected (self->tensor_axis, kept - 1);
  self->updating = was_updating;
}

/* The test file's mean and std beside the training file's, and a button that removes it. */
static GtkWidget *
ns_comparison_view_build_test_row (NsComparisonView *self)
{
  GtkWidget *clear = gtk_button_new_with_label ("Clear Test File");

  self->test_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->test_row, "controls");
  self->test_summary = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->test_summary, 0);
  gtk_label_set_wrap (self->test_summary, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->test_summary), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_summary),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Test file summary", -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (clear), "win.clear-test-file");
  gtk_box_append (GTK_BOX (self->test_row), GTK_WIDGET (self->test_summary));
  gtk_box_append (GTK_BOX (self->test_row), clear);
  gtk_widget_set_visible (self->test_row, FALSE);
  return self->test_row;
}

static void
ns_comparison_view_update_test_summary (NsComparisonView *self)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->test_row, self->test != NULL);
  if (self->test == NULL || self->raw == NULL)
    text = g_strdup ("");
  else if (self->test_raw == NULL)
    text = g_strdup_printf ("%s has no numeric column '%s': nothing to overlay here",
                            self->test_label,
                            ns_dataset_get_column_name (self->data->dataset, self->column));
  else
    {
      g_autofree char *test = ns_plot_data_describe (self->test_raw);
      g_autofree char *train = ns_plot_data_describe (self->raw);

      text = g_strdup_printf ("%s: %s; training file: %s", self->test_label, test, train);
    }
  gtk_label_set_text (self->test_summary, text);
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
  self->simulation = ns_bn_simulation_new ((NsBnSimulationDone) ns_comparison_view_rebuild, self);
  self->column = -1;
  self->message = g_strdup ("");
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->updating = TRUE;
  gtk_box_append (GTK_BOX (self->box), ns_comparison_view_build_tensor_row (self));
  gtk_box_append (GTK_BOX (self->box), ns_comparison_view_build_controls (self));
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
  gtk_box_append (GTK_BOX (self->box), ns_comparison_view_build_test_row (self));
  g_signal_connect_swapped (self->plot_view, "notify::readout",
                            G_CALLBACK (ns_comparison_view_readout_changed), self);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->toggles[NS_STRATEGY_STANDARD]), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->toggles[NS_STRATEGY_MINMAX]), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->toggles[NS_STRATEGY_ROBUST]), TRUE);
  self->updating = FALSE;
  ns_comparison_view_preset_changed (self);
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
                                     ns_dataset_get_n_samples (self->test)
                                     * ns_dataset_get_spatial_size (self->test), NULL);
}

static void
ns_comparison_view_update_exclude (NsComparisonView *self)
{
  gboolean feature = self->raw != NULL;

  gtk_widget_set_sensitive (self->exclude_button, feature);
  if (feature)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->exclude_button), "s",
                                      ns_dataset_get_column_name (self->data->dataset, self->column));
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
    self->raw = ns_plot_data_new (ns_dataset_get_values (dataset, column),
                                  ns_dataset_get_n_samples (dataset)
                                  * ns_dataset_get_spatial_size (dataset), NULL);
  ns_comparison_view_bin_test (self);
  ns_comparison_view_update_test_summary (self);
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
  ns_bn_simulation_stop (self->simulation);
  self->data = data;
  self->test = NULL;
  ns_comparison_view_update_tensor_row (self);
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
  ns_comparison_view_update_test_summary (self);
  ns_comparison_view_rebuild (self);
}

gboolean
ns_comparison_view_set_strategy_active (NsComparisonView *self, NsStrategy strategy,
                                        gboolean active)
{
  GtkWidget *toggle = self->toggles[strategy];

  if (!gtk_widget_get_sensitive (toggle))
    return FALSE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), active);
  return TRUE;
}

gboolean
ns_comparison_view_get_strategy_active (NsComparisonView *self, NsStrategy strategy)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->toggles[strategy]));
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
  return ns_bn_simulation_is_busy (self->simulation);
}

guint
ns_comparison_view_get_active_strategies (NsComparisonView *self, NsStrategy *strategies)
{
  guint n = 0;

  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->toggles[s])))
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

gboolean
ns_comparison_view_save_figure (NsComparisonView *self, const char *path, GError **error)
{
  double width = 1200;
  double height = ns_plot_get_n_panels (self->plot) > 3 ? 800 : 480;

  if (g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".pdf"))
    width *= 0.75, height *= 0.75;   /* points, not pixels */
  return ns_comparison_view_save_figure_sized (self, path, width, height, 1, error);
}
