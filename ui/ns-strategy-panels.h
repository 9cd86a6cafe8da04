/* ns-strategy-panels.h: the Compare page's power, quantile and normalizer panels, computed in
 * worker threads and kept for the feature on show.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/ns-plot.h"
#include "core/ns-strategy.h"

G_BEGIN_DECLS

typedef struct _NsStrategyPanels NsStrategyPanels;

/* Called in the main context when a run of the feature on show has finished (or failed). */
typedef void (*NsStrategyPanelsDone) (gpointer data);

NsStrategyPanels *ns_strategy_panels_new (NsStrategyPanelsDone done, gpointer data);
/* Stops and waits for every worker. */
void ns_strategy_panels_free (NsStrategyPanels *self);
/* The binned values of feature of dataset after strategy (one of ns_strategy_panel_is_computed),
 * borrowed; otherwise NULL with a run started (or the one under way kept). After a failed run,
 * NULL and error set to the core's reason. Asking for another feature cancels the runs of the
 * former one without waiting for them. dataset is borrowed: call ns_strategy_panels_stop before
 * it goes. */
const NsPlotData *ns_strategy_panels_get (NsStrategyPanels *self, const NsDataset *dataset,
                                          int feature, NsStrategy strategy, GError **error);
/* Cancels every run, waits for their threads, and forgets the panels. */
void ns_strategy_panels_stop (NsStrategyPanels *self);
/* Whether a run for the feature on show is under way. */
gboolean ns_strategy_panels_is_busy (NsStrategyPanels *self);

G_END_DECLS
