/* ns-strategy-panel.h: one feature after a non-linear strategy, binned for a panel: what the
 * Compare page and `normscope-cli plot --method` draw alike.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-plot.h"
#include "ns-strategy.h"

G_BEGIN_DECLS

/* Whether the strategy's panel is computed here: the power and quantile transforms and the
 * normalizer, whose values are not (x - offset) / scale of the raw ones. */
gboolean ns_strategy_panel_is_computed (NsStrategy strategy);
/* What a panel of the feature shows when its title cannot say it (the per-row normalizer: this
 * column of the normalized rows), or NULL; free it. */
char *ns_strategy_panel_describe (NsStrategy strategy, const NsDataset *data, guint feature);
/* The feature's values after strategy, binned. A per-feature strategy is fitted on that feature
 * alone (another column's values never make it fail); the normalizer divides each row by its norm
 * over every feature of data, so the panel shows this feature of the row-normalized data.
 * On failure (Box-Cox on non-positive values, a row with a missing value), NULL and the core's
 * reason in error. */
NsPlotData *ns_strategy_panel_compute (const NsDataset *data, guint feature, NsStrategy strategy,
                                       guint n_threads, GCancellable *cancellable, GError **error);

G_END_DECLS
