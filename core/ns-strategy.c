/* ns-strategy.c: the one table of strategy names, colours, formulas and advice.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-strategy.h"

#include <string.h>

typedef struct {
  const char *name; /* NULL: the scaler's method name */
  const char *short_label;
  const char *label;
  const char *formula;
  const char *advice;
  guint32 light, dark; /* 0xRRGGBB */
  NsStrategyReference reference;
} NsStrategyInfo;

/* Okabe-Ito and Paul Tol's "muted" colours, picked so every pair differs by at least 18 CIELAB
 * ΔE on both backgrounds (tests/test-strategy.c checks it) and none is grey: the test-file
 * overlay is drawn in the neutral text colour. Related strategies get related hues. */
static const NsStrategyInfo ns_strategy_table[NS_N_STRATEGIES] = {
  { NULL, "Standard", "standard (scikit-learn)",
    "z = (x − mean) / std (population std; a constant column keeps scale 1)",
    "Roughly symmetric features without strong outliers; the usual default before linear models, "
    "SVMs, k-NN and PCA. Outliers inflate the std and squeeze everything else.",
    0xE69F00, 0xE69F00, NS_STRATEGY_REFERENCE_NORMAL },
  { NULL, "Keras", "Keras Normalization",
    "z = (x − mean) / max(√variance, 1e-7) (keras.layers.Normalization after adapt)",
    "What a Keras model applies when it normalizes inside the graph; numerically the standard "
    "scaler except for the floor on the std.",
    0xD55E00, 0xFF7F40, NS_STRATEGY_REFERENCE_NORMAL },
  { NULL, "Min-max", "min-max", "x' = (x − min) / (max − min), into [0, 1]",
    "Bounded features without outliers (pixel intensities, percentages) or inputs that must lie in "
    "a fixed range. One extreme value squeezes the rest into a sliver.",
    0x009E73, 0x2BC79A, NS_STRATEGY_REFERENCE_NONE },
  { NULL, "Max-abs", "max-abs", "x' = x / max |x|, into [−1, 1]; zero stays zero",
    "Sparse or already centred data, where shifting by the mean would destroy the zeros. As "
    "sensitive to outliers as min-max.",
    0xCC79A7, 0xE59BC5, NS_STRATEGY_REFERENCE_NONE },
  { NULL, "Robust", "robust", "x' = (x − median) / (Q3 − Q1)",
    "Features with outliers or heavy tails: the median and the interquartile range ignore the "
    "extremes, which stay large after scaling.",
    0x882255, 0xC8508A, NS_STRATEGY_REFERENCE_NONE },
  { "batchnorm-train", "BN training", "batch norm, training mode",
    "y = (x − batch mean) / √(batch variance + ε), per mini-batch",
    "What a batch-norm layer sees while training: each batch is normalized with its own "
    "statistics, so small batches add noise.",
    0x332288, 0x8C7FE0, NS_STRATEGY_REFERENCE_NORMAL },
  { "batchnorm-inference", "BN inference", "batch norm, inference mode",
    "y = (x − running mean) / √(running variance + ε)",
    "What a trained batch-norm layer applies at inference: the moving averages of the batch "
    "statistics, which lag when the momentum is high.",
    0xAA4499, 0xD070C0, NS_STRATEGY_REFERENCE_NORMAL },
  { "yeo-johnson", "Yeo-Johnson", "Yeo-Johnson",
    "y = ((x + 1)^λ − 1) / λ for x ≥ 0 (another branch below 0), λ by maximum likelihood, then "
    "standardized",
    "Skewed features with zero or negative values that a model expects to be Gaussian.", 0x999933,
    0xC4C44A, NS_STRATEGY_REFERENCE_NORMAL },
  { "box-cox", "Box-Cox", "Box-Cox",
    "y = (x^λ − 1) / λ (log x when λ = 0), λ by maximum likelihood, then standardized",
    "Strictly positive skewed features (prices, durations, counts plus one).", 0x6B4C00, 0xD9B86A,
    NS_STRATEGY_REFERENCE_NORMAL },
  { "quantile-uniform", "Quantile (uniform)", "quantile → uniform",
    "y = empirical CDF of x, interpolated between quantiles, in [0, 1]",
    "Any distribution mapped onto ranks: robust to outliers, but distances between values are not "
    "kept.",
    0x44AA99, 0x66CDBB, NS_STRATEGY_REFERENCE_UNIFORM },
  { "quantile-normal", "Quantile (normal)", "quantile → normal",
    "y = Φ⁻¹(empirical CDF of x), the CDF clipped to [1e-7, 1 − 1e-7]",
    "Strongly non-Gaussian features a model wants Gaussian; forces the shape, unlike a power "
    "transform, at the cost of distorting linear relations.",
    0x117733, 0x5FBF5F, NS_STRATEGY_REFERENCE_NORMAL },
  { "normalizer", "Normalizer", "normalizer (l2, per row)",
    "x' = x / ‖x‖ over each row (l2, l1 or max norm)",
    "Rows whose direction matters more than their size (text counts, embeddings); works per "
    "sample, not per feature.",
    0xCC6677, 0xF08A9A, NS_STRATEGY_REFERENCE_NONE },
};

static const guint32 ns_strategy_raw_light = 0x0072B2, ns_strategy_raw_dark = 0x56B4E9;

static const NsStrategyInfo *
ns_strategy_info (NsStrategy strategy)
{
  g_return_val_if_fail ((guint) strategy < NS_N_STRATEGIES, &ns_strategy_table[0]);
  return &ns_strategy_table[strategy];
}

const char *
ns_strategy_get_name (NsStrategy strategy)
{
  const NsStrategyInfo *info = ns_strategy_info (strategy);

  return info->name ? info->name : ns_method_to_string ((NsMethod) strategy);
}

const char *
ns_strategy_get_short_label (NsStrategy strategy)
{
  return ns_strategy_info (strategy)->short_label;
}

const char *
ns_strategy_get_label (NsStrategy strategy)
{
  return ns_strategy_info (strategy)->label;
}

const char *
ns_strategy_get_formula (NsStrategy strategy)
{
  return ns_strategy_info (strategy)->formula;
}

const char *
ns_strategy_get_advice (NsStrategy strategy)
{
  return ns_strategy_info (strategy)->advice;
}

char *
ns_strategy_describe (NsStrategy strategy)
{
  return g_strdup_printf ("%s\n%s", ns_strategy_get_formula (strategy),
                          ns_strategy_get_advice (strategy));
}

static guint32
ns_strategy_packed_color (NsStrategy strategy, gboolean dark)
{
  const NsStrategyInfo *info;

  if (strategy == NS_STRATEGY_NONE)
    return dark ? ns_strategy_raw_dark : ns_strategy_raw_light;
  info = ns_strategy_info (strategy);
  return dark ? info->dark : info->light;
}

void
ns_strategy_get_color (NsStrategy strategy, gboolean dark, double rgb[3])
{
  guint32 packed = ns_strategy_packed_color (strategy, dark);

  for (int c = 0; c < 3; c++)
    rgb[c] = ((packed >> (16 - 8 * c)) & 0xFF) / 255.0;
}

char *
ns_strategy_get_color_css (NsStrategy strategy, gboolean dark)
{
  return g_strdup_printf ("#%06X", ns_strategy_packed_color (strategy, dark));
}

gboolean
ns_strategy_from_name (const char *name, NsStrategy *strategy, GError **error)
{
  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    if (g_strcmp0 (name, ns_strategy_get_name ((NsStrategy) s)) == 0)
      {
        *strategy = (NsStrategy) s;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown strategy '%s'", name);
  return FALSE;
}

NsStrategy
ns_strategy_from_method (NsMethod method)
{
  switch (method)
    {
    case NS_METHOD_STANDARD:
      return NS_STRATEGY_STANDARD;
    case NS_METHOD_KERAS:
      return NS_STRATEGY_KERAS;
    case NS_METHOD_MINMAX:
      return NS_STRATEGY_MINMAX;
    case NS_METHOD_MAXABS:
      return NS_STRATEGY_MAXABS;
    case NS_METHOD_ROBUST:
      return NS_STRATEGY_ROBUST;
    case NS_METHOD_YEO_JOHNSON:
      return NS_STRATEGY_YEO_JOHNSON;
    case NS_METHOD_BOX_COX:
      return NS_STRATEGY_BOX_COX;
    case NS_METHOD_QUANTILE:
      return NS_STRATEGY_QUANTILE_UNIFORM; /* the default output */
    case NS_METHOD_NORMALIZER:
      return NS_STRATEGY_NORMALIZER;
    default:
      g_return_val_if_reached (NS_STRATEGY_STANDARD);
    }
}

const char *
ns_strategy_get_family (NsStrategy strategy)
{
  g_return_val_if_fail ((guint) strategy < NS_N_STRATEGIES, "");
  if (strategy <= NS_STRATEGY_ROBUST)
    return "Linear scalers";
  if (ns_strategy_is_batchnorm (strategy))
    return "Batch norm";
  return strategy == NS_STRATEGY_NORMALIZER ? "Per row" : "Non-linear transforms";
}

NsStrategyReference
ns_strategy_get_reference (NsStrategy strategy)
{
  return ns_strategy_info (strategy)->reference;
}

const char *
ns_strategy_reference_get_label (NsStrategyReference reference)
{
  switch (reference)
    {
    case NS_STRATEGY_REFERENCE_NORMAL:
      return "N(0,1) density";
    case NS_STRATEGY_REFERENCE_UNIFORM:
      return "uniform density on [0, 1]";
    default:
      return NULL;
    }
}

gboolean
ns_strategy_is_batchnorm (NsStrategy strategy)
{
  return strategy == NS_STRATEGY_BN_TRAIN || strategy == NS_STRATEGY_BN_INFERENCE;
}

gboolean
ns_strategy_get_scaler_options (NsStrategy strategy, NsScalerOptions *options)
{
  g_return_val_if_fail ((guint) strategy < NS_N_STRATEGIES, FALSE);
  switch (strategy)
    {
    case NS_STRATEGY_BN_TRAIN:
    case NS_STRATEGY_BN_INFERENCE:
      return FALSE;
    case NS_STRATEGY_YEO_JOHNSON:
      ns_scaler_options_init (options, NS_METHOD_YEO_JOHNSON);
      return TRUE;
    case NS_STRATEGY_BOX_COX:
      ns_scaler_options_init (options, NS_METHOD_BOX_COX);
      return TRUE;
    case NS_STRATEGY_QUANTILE_UNIFORM:
    case NS_STRATEGY_QUANTILE_NORMAL:
      ns_scaler_options_init (options, NS_METHOD_QUANTILE);
      options->output_distribution =
        strategy == NS_STRATEGY_QUANTILE_NORMAL ? NS_QUANTILE_NORMAL : NS_QUANTILE_UNIFORM;
      return TRUE;
    case NS_STRATEGY_NORMALIZER:
      ns_scaler_options_init (options, NS_METHOD_NORMALIZER);
      return TRUE;
    default: /* the first five equal their NsMethod */
      ns_scaler_options_init (options, (NsMethod) strategy);
      return TRUE;
    }
}
