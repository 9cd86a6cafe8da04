/* ns-column-list.h: the sortable list of a dataset's columns with their summary statistics.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-dataset.h"

G_BEGIN_DECLS

#define NS_TYPE_COLUMN_LIST (ns_column_list_get_type ())
G_DECLARE_FINAL_TYPE (NsColumnList, ns_column_list, NS, COLUMN_LIST, GtkWidget)

/* summary: NsColumnSummary per column (from ns_summary_compute); both borrowed for the call. */
void ns_column_list_set_summary (NsColumnList *self, GArray *summary);
/* Dataset column index of the selected row, or -1. */
int ns_column_list_get_selected (NsColumnList *self);
/* Selects the row of a dataset column. */
void ns_column_list_select (NsColumnList *self, guint column);
/* The rows as displayed (after sorting), for tests. */
GListModel *ns_column_list_get_model (NsColumnList *self);
/* Sorts by a column title ("mean", ...), ascending or descending. */
void ns_column_list_sort_by (NsColumnList *self, const char *title, gboolean descending);
/* Dataset column index of the row at position (after sorting). */
guint ns_column_list_get_row_column (NsColumnList *self, guint position);

/* The Exclude button of the suggestion to leave column name out (core takes it for a class or
 * target: ns_column_looks_like_class), or NULL when there is none. */
GtkWidget *ns_column_list_get_suggestion (NsColumnList *self, const char *name);

G_END_DECLS
