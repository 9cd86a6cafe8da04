/* ns-comparison-view-controls.c: the Compare page's controls: the strategies popover and chips,
 * batch-norm settings, view options, a tensor's feature axis and the test file's row.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-comparison-view"
#include "config.h"
#include "ns-comparison-view-private.h"

#include "ns-strategy-toggle.h"

/* A row of controls that wraps onto more lines where the page is too narrow for one (1024 px in
 * presentation mode) instead of running off its right edge. */
static GtkWidget *
ns_controls_row_new (void)
{
  GtkWidget *row = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (row), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row), 32);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (row), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (row), 6);
  gtk_widget_set_hexpand (row, TRUE);
  gtk_widget_add_css_class (row, "controls");
  return row;
}

/* Appends to a wrapping row or a plain box; the flow box's own cell takes no focus. */
static void
ns_controls_append (GtkWidget *row, GtkWidget *child)
{
  if (!GTK_IS_FLOW_BOX (row))
    {
      gtk_box_append (GTK_BOX (row), child);
      return;
    }
  /* The flow box lines its cells up in columns; each control keeps its own width in its cell. */
  gtk_widget_set_halign (child, GTK_ALIGN_START);
  gtk_flow_box_append (GTK_FLOW_BOX (row), child);
  gtk_widget_set_focusable (gtk_widget_get_parent (child), FALSE);
}

/* A label and its control, kept together on one line of a wrapping row. */
static GtkWidget *
ns_labelled (GtkWidget *row, const char *text, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *pair = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (pair), label);
  gtk_box_append (GTK_BOX (pair), widget);
  ns_controls_append (row, pair);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return widget;
}

/* A family's heading above its rows. */
static void
ns_comparison_view_add_heading (GtkWidget *column, const char *family)
{
  GtkWidget *heading = gtk_label_new (family);

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  if (gtk_widget_get_first_child (column) != NULL)
    gtk_widget_set_margin_top (heading, 8);
  gtk_box_append (GTK_BOX (column), heading);
}

/* The popover's toggle rows under a heading per family, two families to a column so the list
 * fits a 600 px high screen; it scrolls where it still does not. */
static GtkWidget *
ns_comparison_view_build_strategy_list (NsComparisonView *self)
{
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *column = NULL, *scroller = gtk_scrolled_window_new ();
  GtkWidget *hint = gtk_label_new ("Two to four at a time; hover a name for its formula and when "
                                   "to use it.");
  const char *family = NULL;
  guint n_families = 0;

  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    {
      GtkWidget *row = ns_strategy_row_new ((NsStrategy) s);

      if (g_strcmp0 (family, ns_strategy_get_family (s)) != 0)
        {
          family = ns_strategy_get_family (s);
          if (n_families++ % 2 == 0)
            gtk_box_append (GTK_BOX (columns), column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
          ns_comparison_view_add_heading (column, family);
        }
      g_signal_connect_swapped (row, "toggled", G_CALLBACK (_ns_comparison_view_strategy_toggled),
                                self);
      gtk_box_append (GTK_BOX (column), row);
      self->rows[s] = GTK_TOGGLE_BUTTON (row);
    }
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 40);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_set_margin_top (hint, 8);
  gtk_box_append (GTK_BOX (list), columns);
  gtk_box_append (GTK_BOX (list), hint);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  return scroller;
}

/* Twelve strategies do not fit a row at 1024 px: a menu button opens them all, and the chosen
 * ones show beside it as chips. */
static GtkWidget *
ns_comparison_view_build_strategies (NsComparisonView *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *button = gtk_menu_button_new ();

  gtk_widget_add_css_class (row, "controls");
  gtk_popover_set_child (GTK_POPOVER (popover), ns_comparison_view_build_strategy_list (self));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), "Strategies");
  gtk_widget_set_tooltip_text (button, "Choose the strategies to compare (two to four)");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Strategies", -1);
  self->strategies_button = GTK_MENU_BUTTON (button);
  self->chips = ns_controls_row_new ();
  gtk_widget_remove_css_class (self->chips, "controls");
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->chips), 14);
  gtk_widget_set_margin_start (self->chips, 6);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (row), self->chips);
  return row;
}

static void
ns_comparison_view_update_chips (NsComparisonView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->chips)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips), child);
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    if (gtk_toggle_button_get_active (self->rows[s]))
      ns_controls_append (self->chips, ns_strategy_chip_new ((NsStrategy) s));
}

void
_ns_comparison_view_update_strategies (NsComparisonView *self)
{
  guint active = 0;
  gboolean batchnorm = FALSE;

  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    {
      active += gtk_toggle_button_get_active (self->rows[s]);
      batchnorm |= ns_strategy_is_batchnorm (s) && gtk_toggle_button_get_active (self->rows[s]);
    }
  gtk_widget_set_visible (self->batchnorm_row, batchnorm);
  /* Two to four strategies: the last one cannot be switched off, a fifth cannot be added. */
  for (guint s = 0; s < NS_N_COMPARED_STRATEGIES; s++)
    {
      gboolean on = gtk_toggle_button_get_active (self->rows[s]);

      gtk_widget_set_sensitive (GTK_WIDGET (self->rows[s]),
                                on ? active > 1 : active < NS_MAX_STRATEGIES);
    }
  ns_comparison_view_update_chips (self);
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
  g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (_ns_comparison_view_setting_changed),
                            self);
  ns_controls_append (row, toggle);
  return GTK_TOGGLE_BUTTON (toggle);
}

/* What the histograms show: the range, shared or per-panel axes, Q-Q instead. */
static GtkWidget *
ns_comparison_view_build_view (NsComparisonView *self)
{
  GtkWidget *row = ns_controls_row_new ();
  const char *ranges[] = { "All values", "0–99th percentile", "1st–99th percentile", NULL };
  GtkWidget *export_button = gtk_button_new_with_label ("Export Figure…");
  GtkWidget *exclude_button = gtk_button_new_with_label ("Exclude Column");

  self->range = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (ranges));
  gtk_drop_down_set_selected (self->range, NS_PLOT_RANGE_P0_P99);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->range),
                               "Zoomed histograms count the values beyond the axis at its edges");
  ns_labelled (row, "Range", GTK_WIDGET (self->range));
  g_signal_connect_swapped (self->range, "notify::selected",
                            G_CALLBACK (_ns_comparison_view_setting_changed), self);
  self->shared_axes =
    ns_comparison_view_add_toggle (self, row, "Shared axes",
                                   "The normalized panels share one x and y range");
  self->log_density = ns_comparison_view_add_toggle (
    self, row, "Log density",
    "Histograms on a log scale: a tail of a few values shows beside the peak");
  self->qq = ns_comparison_view_add_toggle (self, row, "Q-Q plot",
                                            "Quantiles against the normal distribution");
  gtk_accessible_update_property (GTK_ACCESSIBLE (export_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Export Figure", -1);
  g_signal_connect_swapped (export_button, "clicked",
                            G_CALLBACK (ns_comparison_view_export_clicked), self);
  ns_controls_append (row, export_button);
  /* A class or target column is no feature: leave it out of the fits (remembered per file). */
  gtk_widget_set_tooltip_text (exclude_button,
                               "Leave this column out of the fits and exports; "
                               "Include All Columns in the main menu brings it back");
  gtk_widget_set_sensitive (exclude_button, FALSE);
  ns_controls_append (row, exclude_button);
  self->exclude_button = exclude_button;
  return row;
}

static GtkWidget *
ns_comparison_view_build_batchnorm (NsComparisonView *self)
{
  GtkWidget *row = ns_controls_row_new ();
  const char *presets[] = { "PyTorch", "Keras", "Keras fused", "Flax", NULL };

  self->batch_size = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (2, 4096, 1));
  gtk_spin_button_set_value (self->batch_size, 32);
  ns_labelled (row, "Batch size", GTK_WIDGET (self->batch_size));
  self->batch_limit = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->batch_limit), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->batch_limit), "caption");
  ns_controls_append (row, GTK_WIDGET (self->batch_limit));
  self->preset = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (presets));
  ns_labelled (row, "Preset", GTK_WIDGET (self->preset));
  self->momentum = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 0.01));
  gtk_spin_button_set_digits (self->momentum, 3);
  ns_labelled (row, "Momentum", GTK_WIDGET (self->momentum));
  self->convention = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->convention), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->convention), "caption");
  ns_controls_append (row, GTK_WIDGET (self->convention));

  g_signal_connect_swapped (self->batch_size, "value-changed",
                            G_CALLBACK (_ns_comparison_view_setting_changed), self);
  g_signal_connect_swapped (self->momentum, "value-changed",
                            G_CALLBACK (_ns_comparison_view_setting_changed), self);
  g_signal_connect_swapped (self->preset, "notify::selected",
                            G_CALLBACK (_ns_comparison_view_preset_changed), self);
  return row;
}

/* The three rows of controls; they wrap on a narrow window instead of widening it. */
GtkWidget *
_ns_comparison_view_build_controls (NsComparisonView *self)
{
  GtkWidget *rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (rows), ns_comparison_view_build_strategies (self));
  self->batchnorm_row = ns_comparison_view_build_batchnorm (self);
  gtk_box_append (GTK_BOX (rows), self->batchnorm_row);
  gtk_box_append (GTK_BOX (rows), ns_comparison_view_build_view (self));
  return rows;
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
           ? g_strdup_printf ("%u", selected + 1)
           : g_strdup ("none");
  gtk_widget_activate_action (GTK_WIDGET (self), "win.feature-axis", "s", axis);
}

GtkWidget *
_ns_comparison_view_build_tensor_row (NsComparisonView *self)
{
  self->tensor_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->tensor_row, "controls");
  self->tensor_shape = GTK_LABEL (gtk_label_new (""));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tensor_shape),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Tensor shape", -1);
  self->tensor_axis = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tensor_axis), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Feature axis", -1);
  g_signal_connect_swapped (self->tensor_axis, "notify::selected",
                            G_CALLBACK (ns_comparison_view_axis_chosen), self);
  gtk_box_append (GTK_BOX (self->tensor_row), GTK_WIDGET (self->tensor_shape));
  ns_labelled (self->tensor_row, "Features along", GTK_WIDGET (self->tensor_axis));
  gtk_widget_set_visible (self->tensor_row, FALSE);
  return self->tensor_row;
}

/* "shape (3, 3, 4, 2)" and the axes 1 … rank-1 and "none"; the kept axis selected. */
void
_ns_comparison_view_update_tensor_row (NsComparisonView *self)
{
  const NsDataset *data = self->data ? self->data->dataset : NULL;
  g_autoptr (GtkStringList) axes = gtk_string_list_new (NULL);
  g_autoptr (GString) shape = g_string_new ("Shape (");
  guint rank, kept;
  gboolean was_updating;

  gtk_widget_set_visible (self->tensor_row,
                          data && ns_dataset_get_kind (data) == NS_DATASET_TENSOR);
  if (data == NULL || ns_dataset_get_kind (data) != NS_DATASET_TENSOR)
    return;
  rank = ns_dataset_get_rank (data);
  for (guint a = 0; a < rank; a++)
    g_string_append_printf (shape, "%s%" G_GSIZE_FORMAT, a ? ", " : "",
                            ns_dataset_get_shape (data)[a]);
  g_string_append (shape, ")");
  for (guint a = 1; a < rank; a++)
    {
      g_autofree char *text =
        g_strdup_printf ("axis %u (size %" G_GSIZE_FORMAT ")", a, ns_dataset_get_shape (data)[a]);

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
GtkWidget *
_ns_comparison_view_build_test_row (NsComparisonView *self)
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

void
_ns_comparison_view_update_test_summary (NsComparisonView *self)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->test_row, self->test != NULL);
  if (self->test == NULL || self->raw == NULL)
    text = g_strdup ("");
  else if (self->test_raw == NULL)
    text =
      g_strdup_printf ("%s has no numeric column '%s': nothing to overlay here", self->test_label,
                       ns_dataset_get_column_name (self->data->dataset, self->column));
  else
    {
      g_autofree char *test = ns_plot_data_describe (self->test_raw);
      g_autofree char *train = ns_plot_data_describe (self->raw);

      text = g_strdup_printf ("%s: %s; training file: %s", self->test_label, test, train);
    }
  gtk_label_set_text (self->test_summary, text);
}
