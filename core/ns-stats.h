/* ns-stats.h: the one in-memory result of every fit and simulation, its JSON stats file, and the
 * transform it defines: (x - offset) / scale per feature.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "ns-dataset.h"

G_BEGIN_DECLS

typedef struct _NsStats NsStats;

#define NS_STATS_FORMAT "normscope-stats"
#define NS_STATS_VERSION 1

NsStats *ns_stats_new (const char *method, guint n_columns);
void ns_stats_free (NsStats *self);

const char *ns_stats_get_method (const NsStats *self);
guint ns_stats_get_n_columns (const NsStats *self);

/* "params": every setting that produced the stats (a JSON object owned by self, mutable). */
JsonObject *ns_stats_get_params (NsStats *self);
const JsonObject *ns_stats_peek_params (const NsStats *self);
double ns_stats_get_param_double (const NsStats *self, const char *key, double fallback);
/* params.KEY as a string, or NULL when it is absent or not a string. */
const char *ns_stats_get_param_string (const NsStats *self, const char *key);
/* Extra top-level members written beside the required ones (e.g. "num_batches_tracked"). */
JsonObject *ns_stats_get_extra (NsStats *self);
const JsonObject *ns_stats_peek_extra (const NsStats *self);

/* "source": file path (may be NULL), rows, sha256 (may be NULL). */
void ns_stats_set_source (NsStats *self, const char *file, gsize rows, const char *sha256);
const char *ns_stats_get_source_file (const NsStats *self);
gsize ns_stats_get_source_rows (const NsStats *self);
const char *ns_stats_get_source_sha256 (const NsStats *self);

/* Tensor layout the stats were fitted on: the kept axes and rank ("axis" and "rank" in params are
 * written by the fit; these are conveniences). Tables: rank 2, axis 1. */

/* Per column (feature), required fields. */
void ns_stats_set_column (NsStats *self, guint column, const char *name, double count,
                          double missing, double mean, double variance, double offset,
                          double scale);
const char *ns_stats_get_name (const NsStats *self, guint column);
double ns_stats_get_count (const NsStats *self, guint column);
double ns_stats_get_missing (const NsStats *self, guint column);
double ns_stats_get_mean (const NsStats *self, guint column);
double ns_stats_get_variance (const NsStats *self, guint column);
double ns_stats_get_offset (const NsStats *self, guint column);
double ns_stats_get_scale (const NsStats *self, guint column);
void ns_stats_set_offset_scale (NsStats *self, guint column, double offset, double scale);

/* Per column, each method's own named numbers (min, max, median, iqr, running_mean, ...), kept in
 * insertion order and written after the required fields. Setting an existing key replaces it. */
void ns_stats_set_field (NsStats *self, guint column, const char *key, double value);
gboolean ns_stats_get_field (const NsStats *self, guint column, const char *key, double *value);
guint ns_stats_get_n_fields (const NsStats *self, guint column);
const char *ns_stats_get_field_key (const NsStats *self, guint column, guint index);
double ns_stats_get_field_value (const NsStats *self, guint column, guint index);

/* Per column, named arrays of numbers (quantile: "quantiles"), written after the fields. Setting
 * an existing key replaces it. */
void ns_stats_set_array (NsStats *self, guint column, const char *key, const double *values,
                         gsize n);
const double *ns_stats_get_array (const NsStats *self, guint column, const char *key, gsize *n);
guint ns_stats_get_n_arrays (const NsStats *self, guint column);
const char *ns_stats_get_array_key (const NsStats *self, guint column, guint index);

/* The quantile method's reference grid (QuantileTransformer.references_), top-level
 * "references" in the file; NULL (and 0) for other methods. */
void ns_stats_set_references (NsStats *self, const double *values, gsize n);
const double *ns_stats_get_references (const NsStats *self, gsize *n);

/* Label columns of the source (names only), carried for information. */
void ns_stats_set_label_names (NsStats *self, const char *const *names);
const char *const *ns_stats_get_label_names (const NsStats *self);

/* JSON stats file. Every double is written so it reads back bit-identical; NaN and inf (which
 * JSON lacks) are written as the strings "nan", "inf", "-inf" and read back. */
char *ns_stats_to_json_string (const NsStats *self);
gboolean ns_stats_save (const NsStats *self, const char *path, GError **error);
NsStats *ns_stats_from_json (JsonNode *root, const char *path, GError **error);
/* Loads a stats file: normscope JSON, or a NumPy .npz (with mean+variance or offset+scale). */
NsStats *ns_stats_load (const char *path, GError **error);

/* TRUE when the transform is (x - offset) / scale per feature (batch norm: plus its affine part);
 * FALSE for the power, quantile and per-row normalizer methods. */
gboolean ns_stats_has_affine_transform (const NsStats *self);

/* Checks that every offset is finite and every scale positive and finite (error names path and
 * column). Readers of stats from other tools call it before handing the stats out. */
gboolean ns_stats_check_transform (const NsStats *self, const char *path, GError **error);

/* Apply (x - offset) / scale (or the inverse x * scale + offset) to every feature of data, matched
 * by name (tensors: by position, with a check of the channel count). Label columns are copied.
 * Errors name the first mismatching feature. Returns a new dataset. */
/* params.KEY as one value per column: an array of n_columns numbers, one number for every column,
 * or fallback where the key is missing or null. NULL (and error) for anything else. */
double *ns_stats_get_param_per_column (const NsStats *self, const char *key, double fallback,
                                       GError **error);
/* How transform applies one column: (x - offset) / scale; batch-norm stats (affine) in inference
 * mode as the preset's framework evaluates it: x * alpha + shift (PyTorch's CPU kernel, Keras) or
 * (x - offset) * alpha + beta (Flax, subtract_first), with alpha = (1 / scale) * gamma and
 * shift = beta - offset * alpha. */
typedef enum {
  NS_COLUMN_SCALE,       /* (x - offset) / scale, or the affine form (batch norm, min-max) */
  NS_COLUMN_YEO_JOHNSON, /* power step with lambda, then (t - offset) / scale */
  NS_COLUMN_BOX_COX,
  NS_COLUMN_QUANTILE_UNIFORM, /* interpolation on quantiles / references */
  NS_COLUMN_QUANTILE_NORMAL,
} NsColumnKind;

typedef struct {
  NsColumnKind kind;
  double offset, scale;
  gboolean affine, subtract_first;
  double gamma, beta, alpha, shift;
  gboolean clip;   /* minmax with clip: the result is clipped to [low, high] */
  gboolean minmax; /* affine as MinMaxScaler: x * scale_ + min_, inverse (y - min_) / scale_ */
  double low, high;
  double lambda;                        /* yeo-johnson, box-cox */
  const double *quantiles, *references; /* quantile: owned by the stats */
  guint n_quantiles;
} NsColumnTransform;

/* One per column (g_free it), or NULL and error for an unusable params.gamma or params.beta. */
NsColumnTransform *ns_stats_get_transforms (const NsStats *self, GError **error);
typedef enum {
  NS_TRANSFORM_INVERSE = 1 << 0,      /* undo the scaling */
  NS_TRANSFORM_PASS_THROUGH = 1 << 1, /* numeric columns the stats do not cover are copied */
} NsTransformFlags;

/* Stats column `column`'s transform applied to a copy of values[0..n) (g_free it): for one
 * feature's values without a dataset (plots). NULL and error for the per-row normalizer. */
double *ns_stats_transform_column (const NsStats *self, guint column, const double *values, gsize n,
                                   GError **error);

/* A copy of data with every feature the stats cover scaled; label columns are copied. Batch-norm
 * stats apply their affine part too (gamma * normalized + beta, params.gamma/beta), in the order
 * the preset's framework evaluates it in inference mode. A numeric column the stats do not cover
 * is an error naming every such column, unless flags pass them through. */
NsDataset *ns_stats_transform (const NsStats *self, const NsDataset *data, NsTransformFlags flags,
                               GError **error);
/* The same on data itself, without a copy (half the memory of a large transform). */
gboolean ns_stats_transform_in_place (const NsStats *self, NsDataset *data, NsTransformFlags flags,
                                      GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsStats, ns_stats_free)

G_END_DECLS
