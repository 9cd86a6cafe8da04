/* ns-row-transform.c: a stats file's transform of a table, block by block.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-row-transform.h"
#include "ns-stats-private.h"
#include "ns-power.h"

struct _NsRowTransform {
  guint n_columns;
  guint *stats_column;           /* per column of the schema; G_MAXUINT: copied unchanged */
  NsColumnTransform *transforms; /* per stats column; NULL: the normalizer */
  NsNormKind norm;
  guint n_stats_columns;
  gboolean inverse;
};

NsRowTransform *
ns_row_transform_new (const NsStats *stats, const NsDataset *schema, NsTransformFlags flags,
                      GError **error)
{
  g_autoptr (NsRowTransform) self = g_new0 (NsRowTransform, 1);
  guint n_features = ns_dataset_get_n_features (schema);
  g_autofree guint *map = g_new0 (guint, MAX (n_features, 1));

  self->n_columns = ns_dataset_get_n_columns (schema);
  self->n_stats_columns = stats->n_columns;
  self->inverse = (flags & NS_TRANSFORM_INVERSE) != 0;
  if (!_ns_stats_transform_prepare (stats, schema, flags, map, &self->transforms, &self->norm,
                                    error))
    return NULL;
  self->stats_column = g_new (guint, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    self->stats_column[c] = G_MAXUINT;
  for (guint f = 0; f < n_features; f++)
    self->stats_column[ns_dataset_get_feature_column (schema, f)] = map[f];
  return g_steal_pointer (&self);
}

void
ns_row_transform_free (NsRowTransform *self)
{
  if (self == NULL)
    return;
  g_free (self->stats_column);
  g_free (self->transforms);
  g_free (self);
}

static gboolean
ns_row_transform_normalize (const NsRowTransform *self, double *const *values, gsize n_rows,
                            GError **error)
{
  g_autofree double **columns = g_new0 (double *, MAX (self->n_stats_columns, 1));
  gsize bad_row;
  guint bad_column;

  for (guint c = 0; c < self->n_columns; c++)
    if (self->stats_column[c] != G_MAXUINT)
      columns[self->stats_column[c]] = values[c];
  if (_ns_stats_normalize_block (self->norm, columns, self->n_stats_columns, n_rows, &bad_row,
                                 &bad_column))
    return TRUE;
  g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "a row holds a missing or infinite value, which the normalizer refuses");
  return FALSE;
}

gboolean
ns_row_transform_apply (const NsRowTransform *self, double *const *values, gsize n_rows,
                        GError **error)
{
  if (self->transforms == NULL)
    return ns_row_transform_normalize (self, values, n_rows, error);
  for (guint c = 0; c < self->n_columns; c++)
    {
      const NsColumnTransform *t;
      double bad_value;

      if (self->stats_column[c] == G_MAXUINT)
        continue;
      t = &self->transforms[self->stats_column[c]];
      if (t->kind == NS_COLUMN_BOX_COX && !self->inverse &&
          ns_power_first_nonpositive (values[c], n_rows) != G_MAXSIZE)
        {
          g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                               "a value is outside Box-Cox's domain (strictly positive values)");
          return FALSE;
        }
      if (_ns_stats_apply_checked (values[c], n_rows, t, self->inverse, &bad_value) != G_MAXSIZE)
        {
          g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                               "a value transforms to one beyond the double range");
          return FALSE;
        }
    }
  return TRUE;
}
