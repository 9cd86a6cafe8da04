/* ns-strategy.h: the normalization strategies every front end shows: names, colours, formulas.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"
#include "ns-scaler.h"

G_BEGIN_DECLS

/* The first five equal NsMethod; the last five are the power, quantile and per-row transforms. */
typedef enum {
  NS_STRATEGY_STANDARD,
  NS_STRATEGY_KERAS,
  NS_STRATEGY_MINMAX,
  NS_STRATEGY_MAXABS,
  NS_STRATEGY_ROBUST,
  NS_STRATEGY_BN_TRAIN,
  NS_STRATEGY_BN_INFERENCE,
  NS_STRATEGY_YEO_JOHNSON,
  NS_STRATEGY_BOX_COX,
  NS_STRATEGY_QUANTILE_UNIFORM,
  NS_STRATEGY_QUANTILE_NORMAL,
  NS_STRATEGY_NORMALIZER,
  NS_N_STRATEGIES,
} NsStrategy;

/* The density a strategy's output is drawn against: N(0,1) for the standardizing and Gaussianizing
 * ones, the uniform on [0, 1] for quantile → uniform, none where the output has no fixed shape
 * (min-max, max-abs and robust keep the data's shape; the normalizer works per row). */
typedef enum {
  NS_STRATEGY_REFERENCE_NONE,
  NS_STRATEGY_REFERENCE_NORMAL,
  NS_STRATEGY_REFERENCE_UNIFORM,
} NsStrategyReference;

/* A panel that shows no strategy (the raw data). */
#define NS_STRATEGY_NONE ((NsStrategy) -1)

/* A stable identifier ("standard", "batchnorm-train", "quantile-normal"), for settings and the CLI.
 */
const char *ns_strategy_get_name (NsStrategy strategy);
/* The name on a toggle ("Min-max") and on a panel ("min-max"). */
const char *ns_strategy_get_short_label (NsStrategy strategy);
const char *ns_strategy_get_label (NsStrategy strategy);
/* The formula in one line and when to use it, for tooltips. */
const char *ns_strategy_get_formula (NsStrategy strategy);
const char *ns_strategy_get_advice (NsStrategy strategy);
/* "formula\nadvice", a tooltip's text (free it). */
char *ns_strategy_describe (NsStrategy strategy);
/* The strategy's colour on a light or a dark background (NS_STRATEGY_NONE: the raw data's). */
void ns_strategy_get_color (NsStrategy strategy, gboolean dark, double rgb[3]);
/* "#rrggbb" of the same colour (free it), for CSS. */
char *ns_strategy_get_color_css (NsStrategy strategy, gboolean dark);
gboolean ns_strategy_from_name (const char *name, NsStrategy *strategy, GError **error);
NsStrategy ns_strategy_from_method (NsMethod method);
/* The heading a strategy is listed under ("Linear scalers", "Batch norm", "Non-linear
 * transforms", "Per row"); the enum keeps each family's strategies together. */
const char *ns_strategy_get_family (NsStrategy strategy);
NsStrategyReference ns_strategy_get_reference (NsStrategy strategy);
/* The reference's name in a legend ("N(0,1) density"); NULL for none. */
const char *ns_strategy_reference_get_label (NsStrategyReference reference);
/* The batch-norm simulations (training and inference mode), which no scaler fit gives. */
gboolean ns_strategy_is_batchnorm (NsStrategy strategy);
/* The scaler fit of a strategy with its defaults (quantile-normal: the normal output);
 * FALSE for batch norm. */
gboolean ns_strategy_get_scaler_options (NsStrategy strategy, NsScalerOptions *options);

G_END_DECLS
