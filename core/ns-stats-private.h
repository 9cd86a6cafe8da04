/* ns-stats-private.h: the stats model's structures, shared by its accessors and transforms.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-stats.h"
#include "ns-normalizer.h"

G_BEGIN_DECLS

typedef struct {
  char *name;
  double count, missing, mean, variance, offset, scale;
  GPtrArray *field_keys; /* char *, insertion order */
  GArray *field_values;  /* double, parallel to field_keys */
  GPtrArray *array_keys; /* char *, insertion order */
  GPtrArray *arrays;     /* GArray of double, parallel to array_keys */
} NsStatsColumn;

struct _NsStats {
  char *method;
  guint n_columns;
  NsStatsColumn *columns;
  JsonObject *params;
  JsonObject *extra;
  char *source_file;
  gsize source_rows;
  char *source_sha256;
  char **label_names;
  double *references;
  gsize n_references;
};

gboolean _ns_stats_method_is (const NsStats *self, const char *name);

/* The checks ns_stats_transform_in_place makes before it looks at a value, on data's columns
 * (its rows are not read): map[f] is the stats column of data's feature f (G_MAXUINT: none);
 * *transforms the per-column transforms (g_free them), or NULL for the normalizer and its norm. */
gboolean _ns_stats_transform_prepare (const NsStats *self, const NsDataset *data,
                                      NsTransformFlags flags, guint *map,
                                      NsColumnTransform **transforms, NsNormKind *norm,
                                      GError **error);
/* t on values[0..n) in place, value by value. */
void _ns_stats_apply (double *values, gsize n, const NsColumnTransform *t, gboolean inverse);
/* _ns_stats_apply, returning, for the linear and affine forms, the first position whose finite
 * value came out infinite or NaN (a scale so small or a range so large that the result leaves the
 * double range), with that value in *bad_value, else G_MAXSIZE; the values from there on are left
 * transformed or not. */
gsize _ns_stats_apply_checked (double *values, gsize n, const NsColumnTransform *t,
                               gboolean inverse, double *bad_value);
/* Each of n_rows rows of columns (n of them, in the stats' order) divided by its norm; FALSE at
 * the first row holding NaN or an infinity, with its row and column. */
gboolean _ns_stats_normalize_block (NsNormKind norm, double *const *columns, guint n, gsize n_rows,
                                    gsize *bad_row, guint *bad_column);

G_END_DECLS
