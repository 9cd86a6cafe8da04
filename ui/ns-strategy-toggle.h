/* ns-strategy-toggle.h: a toggle button for a strategy: its colour swatch, name and a tooltip with
 * its formula and when to use it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/ns-strategy.h"

G_BEGIN_DECLS

/* A GtkToggleButton (accessible name: the short label, "Min-max"). */
GtkWidget *ns_strategy_toggle_new    (NsStrategy strategy);
/* A small square in the strategy's colour (NS_STRATEGY_NONE: the raw data's), following the theme. */
GtkWidget *ns_strategy_swatch_new    (NsStrategy strategy);

G_END_DECLS
