/* ns-strategy-toggle.h: a strategy's toggle row and chip: its colour swatch, name and a tooltip
 * with its formula and when to use it (all from core's strategy table).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-strategy.h"

G_BEGIN_DECLS

/* A flat GtkToggleButton for a list: a check mark while on, the swatch and the short label
 * (accessible name: the short label, "Min-max"). */
GtkWidget *ns_strategy_row_new (NsStrategy strategy);
/* The swatch and short label of a chosen strategy, not clickable. */
GtkWidget *ns_strategy_chip_new (NsStrategy strategy);
/* A small square in the strategy's colour (NS_STRATEGY_NONE: the raw data's), following the
 * theme, its side multiplied by scale to match text enlarged by that scale (1: as usual). */
GtkWidget *ns_strategy_swatch_new_scaled (NsStrategy strategy, double scale);

G_END_DECLS
