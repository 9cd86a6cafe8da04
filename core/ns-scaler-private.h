/* ns-scaler-private.h: scikit-learn's scaling helpers, shared by the in-memory fit (ns-scaler.c),
 * the moments-to-stats step (ns-scaler-moments.c), the fit from partial statistics (ns-partial.c)
 * and the batch-norm stats (ns-batchnorm-stats.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-dataset.h"
#include "ns-moments.h"
#include "ns-power.h"
#include "ns-scaler.h"
#include "ns-stats.h"

G_BEGIN_DECLS

#define NS_KERAS_EPSILON 1e-7 /* keras/src/backend/config.py: _EPSILON = 1e-7 */

/* The method's own params (with_mean, epsilon, feature_range, ...) as the stats file holds them. */
void ns_scaler_set_method_params (JsonObject *params, const NsScalerOptions *options);
/* A tensor fit's layout as the stats file holds it: "axis" (the kept axes), "rank" and "shape". */
void ns_scaler_set_tensor_params (JsonObject *params, const gsize *shape, guint rank,
                                  const guint *kept, guint n_kept);
/* What one feature's stats are made of, whichever path read it. */
typedef struct {
  const char *data_name; /* the file named in messages */
  const char *name;
  const NsMoments *moments;
  double median, q1, q3;      /* robust only: at 50 % and at the quantile range */
  const NsPowerColumn *power; /* yeo-johnson, box-cox: the fitted column (in memory only) */
  const double *quantiles;    /* quantile: n_quantiles values (in memory only) */
  guint n_quantiles;
} NsFeatureInput;

/* The one step from a feature's moments to its stats column c: refuses what cannot be fitted
 * (infinite values, no values, Keras with missing values), sets the method's offset, scale and
 * fields, and refuses a result that cannot scale values (inf or NaN), naming the column. */
gboolean ns_scaler_store_moments (NsStats *stats, guint c, const NsScalerOptions *options,
                                  const NsFeatureInput *in, GError **error);
/* The refusals of ns_scaler_store_moments before any number is set: infinite values, no values,
 * missing values for the normalizer and Keras. */
gboolean ns_scaler_check_moments (const NsFeatureInput *in, const NsScalerOptions *options,
                                  GError **error);
/* The label columns of data become the label names of stats. */
void ns_stats_set_labels_of (NsStats *stats, const NsDataset *data);

G_END_DECLS
