/* ns-scaler-options.h: the scaler methods, their names and options, and which fits can take them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-normalizer.h"
#include "ns-quantile-transformer.h"

G_BEGIN_DECLS

typedef enum {
  NS_METHOD_STANDARD,    /* sklearn StandardScaler */
  NS_METHOD_KERAS,       /* keras.layers.Normalization.adapt */
  NS_METHOD_MINMAX,      /* sklearn MinMaxScaler */
  NS_METHOD_MAXABS,      /* sklearn MaxAbsScaler */
  NS_METHOD_ROBUST,      /* sklearn RobustScaler */
  NS_METHOD_YEO_JOHNSON, /* sklearn PowerTransformer(method="yeo-johnson") */
  NS_METHOD_BOX_COX,     /* sklearn PowerTransformer(method="box-cox") */
  NS_METHOD_QUANTILE,    /* sklearn QuantileTransformer */
  NS_METHOD_NORMALIZER,  /* sklearn Normalizer: per row, stateless */
} NsMethod;

typedef struct {
  NsMethod method;
  gboolean with_mean;       /* standard: default TRUE */
  gboolean with_std;        /* standard: default TRUE */
  double feature_range[2];  /* minmax: default (0, 1) */
  gboolean clip;            /* minmax: transform clips to feature_range (default FALSE) */
  double quantile_range[2]; /* robust: default (25, 75), percent */
  gboolean with_centering;  /* robust: default TRUE */
  gboolean with_scaling;    /* robust: default TRUE */
  gboolean unit_variance;   /* robust: scale so N(0,1) data ends with variance 1 (FALSE) */
  gboolean standardize;     /* yeo-johnson, box-cox: default TRUE */
  guint n_quantiles;        /* quantile: default 1000 (capped at the row count) */
  NsQuantileOutput output_distribution; /* quantile: default uniform */
  gsize subsample;           /* quantile: rows the quantiles are taken from (default 10000) */
  guint32 random_state;      /* quantile: RandomState seed of the subsample (default 0) */
  NsNormKind norm;           /* normalizer: default l2 */
  const char *sample_weight; /* standard: the weight column's name (NULL: unweighted) */
  const double
    *sample_weights; /* its n_samples weights (borrowed; ns_scaler_take_sample_weights) */
  guint n_threads;   /* 0: all cores */
} NsScalerOptions;

void ns_scaler_options_init (NsScalerOptions *options, NsMethod method);
gboolean ns_method_from_string (const char *name, NsMethod *method, GError **error);
const char *ns_method_to_string (NsMethod method);
/* Methods whose fit reads every value into memory (exact quantiles, a lambda search, and the
 * per-row normalizer, which has no mergeable state). */
gboolean ns_method_needs_values (NsMethod method);
/* Methods whose transform is (x - offset) / scale per feature, which every export can express. */
gboolean ns_method_is_affine (NsMethod method);
/* Streamed, partial and merged fits keep moments (and, with approx_quantiles, quantile sketches):
 * FALSE and an error naming path for a method they cannot fit. */
gboolean ns_scaler_check_streamable (const NsScalerOptions *options, gboolean approx_quantiles,
                                     const char *path, GError **error);

G_END_DECLS
