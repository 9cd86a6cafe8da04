/* ns-window-private.h: the window's fields, shared by ns-window.c and its parts: opening files
 * (ns-window-open.c), presentation and figure export (ns-window-presentation.c) and what the
 * window remembers (ns-window-settings.c). ns-window.c calls the parts; a part calls only the
 * parts below it (open calls settings), never ns-window.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-window.h"
#include "ns-all-scalers-view.h"
#include "ns-axis-explorer-view.h"
#include "ns-presentation.h"
#include "ns-settings.h"

G_BEGIN_DECLS

struct _NsWindow {
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkWidget *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkMenuButton *menu_button;
  GtkLabel *file_label;
  GtkPaned *paned;
  GtkRevealer *progress_revealer;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkStack *main_stack;
  AdwViewStack *view_stack;
  NsColumnList *column_list;
  NsComparisonView *comparison_view;
  NsOverviewView *overview_view;
  NsExportPanel *export_panel;
  GMenu *recent_section;
  NsBatchNormView *batchnorm_view;
  NsAllScalersView *all_scalers_view;
  NsAxisExplorerView *axis_explorer_view;
  GMenu *demos_section;

  /* Owned references */
  NsLoadResult *data;
  NsLoadResult *test_data;
  GCancellable *cancellable;
  NsLoadJob *job;
  guint progress_source;
  NsPresentation *presentation;
  GSettings *settings; /* NULL without the schema: nothing remembered */
  gboolean sharing;    /* copying settings between Compare and Batch Norm */
  char *axis;          /* the open tensor's feature axis (NULL: the last) */
};

/* ns-window-presentation.c: presentation mode (F11 on every page, arrow keys, text scale) and the
 * figure export of the page on show (Shift+Ctrl+E). */
void _ns_window_presentation_class_init (GtkWidgetClass *widget_class);
void _ns_window_presentation_init (NsWindow *self);

/* ns-window-open.c: the open and load actions, drop, recent files, the "loaded" signal. */
void _ns_window_open_class_init (GtkWidgetClass *widget_class);
void _ns_window_open_init (NsWindow *self);
/* A toast for five seconds. */
void _ns_window_toast (NsWindow *self, const char *text);
/* The banner under the header bar with message, and a toast. */
void _ns_window_show_error (NsWindow *self, const char *message);

/* ns-window-settings.c: the remembered size and strategies, and per-file excluded columns. */
void _ns_window_settings_class_init (GtkWidgetClass *widget_class);
void _ns_window_restore_settings (NsWindow *self);
void _ns_window_save_strategies (NsWindow *self, const NsStrategy *strategies, guint n);
/* The columns excluded for path (NULL: none), to pass to the loader. */
char **_ns_window_get_excluded (NsWindow *self, const char *path);
/* Remembers names (NULL or empty: none) as the columns excluded for path. */
void _ns_window_set_excluded (NsWindow *self, const char *path, const char *const *names);

G_END_DECLS
