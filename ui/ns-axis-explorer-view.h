/* ns-axis-explorer-view.h: the axis explorer page: which axes each normalization kind pools, drawn
 * as the Group Normalization paper's cubes over a tensor's outputs, with the kind, channel, groups
 * and batch size as controls, computed off the main thread.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "core/ns-axis-explorer.h"
#include "core/ns-dataset.h"

G_BEGIN_DECLS

#define NS_TYPE_AXIS_EXPLORER_VIEW (ns_axis_explorer_view_get_type ())
G_DECLARE_FINAL_TYPE (NsAxisExplorerView, ns_axis_explorer_view, NS, AXIS_EXPLORER_VIEW, AdwBin)

GtkWidget *ns_axis_explorer_view_new (void);
/* data/digits.csv, whose images are the demo tensor shown while no dataset is set. */
void ns_axis_explorer_view_set_demo_path (NsAxisExplorerView *self, const char *path);
/* The dataset to explore: a table as (N, C) (copied), a tensor read again from its file in C
 * order. NULL goes back to the demo tensor. */
void ns_axis_explorer_view_set_dataset (NsAxisExplorerView *self, const NsDataset *dataset);
/* The controls, as a person sets them. */
void ns_axis_explorer_view_set_kind (NsAxisExplorerView *self, NsLayerNormKind kind);
void ns_axis_explorer_view_set_channel (NsAxisExplorerView *self, guint channel);
void ns_axis_explorer_view_set_groups (NsAxisExplorerView *self, guint groups);
void ns_axis_explorer_view_set_batch_size (NsAxisExplorerView *self, gsize batch_size);
/* Stops the computation under way (the last finished result stays shown). */
void ns_axis_explorer_view_cancel (NsAxisExplorerView *self);

gboolean ns_axis_explorer_view_is_busy (NsAxisExplorerView *self);
/* Runs the main loop until the latest change is computed. */
void ns_axis_explorer_view_wait (NsAxisExplorerView *self);
/* The result shown (NULL before the first one), and the status line ("" or an error). */
const NsAxisExplorer *ns_axis_explorer_view_get_explorer (NsAxisExplorerView *self);
const char *ns_axis_explorer_view_get_status (NsAxisExplorerView *self);
/* The guided demo's explanation with its live numbers ("" when a file is shown). */
const char *ns_axis_explorer_view_get_explanation (NsAxisExplorerView *self);

G_END_DECLS
