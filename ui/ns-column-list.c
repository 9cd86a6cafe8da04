/* ns-column-list.c: GtkColumnView of the columns' summaries (name, count, missing, moments).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-column-list"
#include "config.h"
#include "ns-column-list.h"

#include <math.h>
#include "core/ns-format-double.h"
#include "core/ns-summary.h"

/* One row: a column's summary as properties, so sorters can read them. */
#define NS_TYPE_COLUMN_ROW (ns_column_row_get_type ())
G_DECLARE_FINAL_TYPE (NsColumnRow, ns_column_row, NS, COLUMN_ROW, GObject)

enum {
  ROW_PROP_0,
  ROW_PROP_NAME,
  ROW_PROP_KIND,
  ROW_PROP_COUNT,
  ROW_PROP_MISSING,
  ROW_PROP_MEAN,
  ROW_PROP_STD,
  ROW_PROP_MIN,
  ROW_PROP_MAX,
  ROW_PROP_SKEWNESS,
  N_ROW_PROPS
};

struct _NsColumnRow {
  GObject parent_instance;
  guint column;
  gboolean is_label;
  gboolean looks_like_class; /* core's suggestion: a class or target, not a feature */
  guint n_distinct;
  char *name;
  double values[N_ROW_PROPS];
};

G_DEFINE_FINAL_TYPE (NsColumnRow, ns_column_row, G_TYPE_OBJECT)

static const struct {
  const char *property;
  const char *title;
} ns_column_fields[] = {
  { "name", "Column" },     { "kind", "Kind" }, { "count", "Count" },
  { "missing", "Missing" }, { "mean", "Mean" }, { "std", "Std" },
  { "min", "Min" },         { "max", "Max" },   { "skewness", "Skewness" },
};

static const char *
ns_column_row_kind (NsColumnRow *self)
{
  return self->is_label ? "label" : self->looks_like_class ? "class?" : "numeric";
}

static void
ns_column_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NsColumnRow *self = NS_COLUMN_ROW (object);

  if (prop_id == ROW_PROP_NAME)
    g_value_set_string (value, self->name);
  else if (prop_id == ROW_PROP_KIND)
    g_value_set_string (value, ns_column_row_kind (self));
  else
    g_value_set_double (value, self->values[prop_id]);
}

static void
ns_column_row_finalize (GObject *object)
{
  g_free (NS_COLUMN_ROW (object)->name);
  G_OBJECT_CLASS (ns_column_row_parent_class)->finalize (object);
}

static void
ns_column_row_class_init (NsColumnRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ns_column_row_get_property;
  object_class->finalize = ns_column_row_finalize;
  for (guint p = ROW_PROP_NAME; p < N_ROW_PROPS; p++)
    {
      const char *name = ns_column_fields[p - 1].property;
      GParamSpec *spec =
        p <= ROW_PROP_KIND
          ? g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
          : g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
      g_object_class_install_property (object_class, p, spec);
    }
}

static void
ns_column_row_init (NsColumnRow *self)
{
}

static NsColumnRow *
ns_column_row_new (guint column, const NsColumnSummary *summary)
{
  NsColumnRow *self = g_object_new (NS_TYPE_COLUMN_ROW, NULL);

  self->column = column;
  self->is_label = summary->is_label;
  self->looks_like_class = !summary->is_label && summary->looks_like_class;
  self->n_distinct = summary->n_distinct;
  self->name = g_strdup (summary->name);
  self->values[ROW_PROP_COUNT] = summary->count;
  self->values[ROW_PROP_MISSING] = summary->missing;
  self->values[ROW_PROP_MEAN] = summary->mean;
  self->values[ROW_PROP_STD] = summary->std;
  self->values[ROW_PROP_MIN] = summary->min;
  self->values[ROW_PROP_MAX] = summary->max;
  self->values[ROW_PROP_SKEWNESS] = summary->skewness;
  if (summary->is_label)
    for (guint p = ROW_PROP_MEAN; p < N_ROW_PROPS; p++)
      self->values[p] = NAN;
  return self;
}

struct _NsColumnList {
  GtkWidget parent_instance;
  GtkWidget *box;
  GtkWidget *suggestions; /* one row per column core takes for a class */
  GtkColumnView *view;
  GListStore *store;
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (NsColumnList, ns_column_list, GTK_TYPE_WIDGET)

enum { SIGNAL_COLUMN_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
ns_column_list_format (NsColumnRow *row, guint field)
{
  double value = row->values[field];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (field == ROW_PROP_NAME)
    return g_strdup (row->name);
  if (field == ROW_PROP_KIND)
    return g_strdup (ns_column_row_kind (row));
  if (isnan (value))
    return g_strdup ("—");
  if (field == ROW_PROP_COUNT || field == ROW_PROP_MISSING)
    return g_strdup_printf ("%.0f", value);
  return g_strdup (ns_format_readable (buf, value, 6));
}

static void
ns_column_list_setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  guint field = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), field <= ROW_PROP_KIND ? 0 : 1);
  if (field > ROW_PROP_KIND)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
ns_column_list_bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  NsColumnRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = ns_column_list_format (row, GPOINTER_TO_UINT (data));

  gtk_label_set_text (GTK_LABEL (label), text);
  if ((row->is_label || row->looks_like_class) && GPOINTER_TO_UINT (data) <= ROW_PROP_KIND)
    gtk_widget_add_css_class (label, "label-column");
  else
    gtk_widget_remove_css_class (label, "label-column");
  if (row->looks_like_class && GPOINTER_TO_UINT (data) == ROW_PROP_KIND)
    gtk_widget_set_tooltip_text (label, "Only a few integer values, each common: a class or "
                                        "target rather than a feature?");
  else
    gtk_widget_set_tooltip_text (label, NULL);
}

static GtkSorter *
ns_column_list_sorter (guint field)
{
  GtkExpression *expression =
    gtk_property_expression_new (NS_TYPE_COLUMN_ROW, NULL, ns_column_fields[field - 1].property);

  if (field <= ROW_PROP_KIND)
    return GTK_SORTER (gtk_string_sorter_new (expression));
  return GTK_SORTER (gtk_numeric_sorter_new (expression));
}

static void
ns_column_list_add_column (NsColumnList *self, guint field)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkSorter *sorter;

  g_signal_connect (factory, "setup", G_CALLBACK (ns_column_list_setup_cell),
                    GUINT_TO_POINTER (field));
  g_signal_connect (factory, "bind", G_CALLBACK (ns_column_list_bind_cell),
                    GUINT_TO_POINTER (field));
  column = gtk_column_view_column_new (ns_column_fields[field - 1].title, factory);
  sorter = ns_column_list_sorter (field);
  gtk_column_view_column_set_sorter (column, sorter); /* takes its own reference */
  g_object_unref (sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, field == ROW_PROP_NAME);
  gtk_column_view_append_column (self->view, column);
  g_object_unref (column);
}

static void
ns_column_list_selection_changed (NsColumnList *self)
{
  g_signal_emit (self, signals[SIGNAL_COLUMN_SELECTED], 0, ns_column_list_get_selected (self));
}

static void
ns_column_list_dispose (GObject *object)
{
  NsColumnList *self = NS_COLUMN_LIST (object);

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  self->selection = NULL;
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (ns_column_list_parent_class)->dispose (object);
}

static void
ns_column_list_class_init (NsColumnListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_column_list_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "columnlist");
  /* column-selected (int column): a dataset column index, or -1 when nothing is selected. */
  signals[SIGNAL_COLUMN_SELECTED] =
    g_signal_new ("column-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
ns_column_list_init (NsColumnList *self)
{
  GtkWidget *scrolled;
  GtkSorter *sorter;

  self->store = g_list_store_new (NS_TYPE_COLUMN_ROW);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->store), g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  for (guint field = ROW_PROP_NAME; field < N_ROW_PROPS; field++)
    ns_column_list_add_column (self, field);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (ns_column_list_selection_changed), self);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (scrolled, TRUE);
  self->suggestions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_visible (self->suggestions, FALSE);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (self->box), self->suggestions);
  gtk_box_append (GTK_BOX (self->box), scrolled);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "column-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Columns", -1);
  g_object_unref (self->selection); /* owned by the view */
}

/* "cultivar: 3 integer values, a class or target?" and a button that excludes it
 * (win.exclude-column). */
static GtkWidget *
ns_column_list_suggestion_new (const NsColumnRow *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *text =
    g_strdup_printf ("%s: only %u integer values, a class or target?", row->name, row->n_distinct);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *button = gtk_button_new_with_label ("Exclude");
  g_autofree char *tooltip =
    g_strdup_printf ("Exclude %s: leave it out of the fits and exports "
                     "(Include All Columns in the main menu brings it back)",
                     row->name);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", row->name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.exclude-column");
  g_object_set_data_full (G_OBJECT (button), "column", g_strdup (row->name), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_add_css_class (box, "class-suggestion");
  return box;
}

static void
ns_column_list_set_suggestions (NsColumnList *self, GPtrArray *rows)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->suggestions)) != NULL)
    gtk_box_remove (GTK_BOX (self->suggestions), child);
  for (guint i = 0; i < rows->len; i++)
    if (((NsColumnRow *) rows->pdata[i])->looks_like_class)
      gtk_box_append (GTK_BOX (self->suggestions), ns_column_list_suggestion_new (rows->pdata[i]));
  gtk_widget_set_visible (self->suggestions,
                          gtk_widget_get_first_child (self->suggestions) != NULL);
}

void
ns_column_list_set_summary (NsColumnList *self, GArray *summary)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; summary != NULL && i < summary->len; i++)
    g_ptr_array_add (rows, ns_column_row_new (i, &g_array_index (summary, NsColumnSummary, i)));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
  ns_column_list_set_suggestions (self, rows);
}

GtkWidget *
ns_column_list_get_suggestion (NsColumnList *self, const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->suggestions); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (gtk_widget_get_last_child (row)), "column"),
                   name) == 0)
      return gtk_widget_get_last_child (row);
  return NULL;
}

int
ns_column_list_get_selected (NsColumnList *self)
{
  NsColumnRow *row = gtk_single_selection_get_selected_item (self->selection);

  return row ? (int) row->column : -1;
}

void
ns_column_list_select (NsColumnList *self, guint column)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  for (guint i = 0; i < n; i++)
    if (ns_column_list_get_row_column (self, i) == column)
      {
        gtk_single_selection_set_selected (self->selection, i);
        return;
      }
}

GListModel *
ns_column_list_get_model (NsColumnList *self)
{
  return G_LIST_MODEL (self->sorted);
}

guint
ns_column_list_get_row_column (NsColumnList *self, guint position)
{
  g_autoptr (NsColumnRow) row = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  return row ? row->column : G_MAXUINT;
}

void
ns_column_list_sort_by (NsColumnList *self, const char *title, gboolean descending)
{
  GListModel *columns = gtk_column_view_get_columns (self->view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_ascii_strcasecmp (gtk_column_view_column_get_title (column), title) == 0)
        gtk_column_view_sort_by_column (self->view, column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
    }
}
