/* ns-stats-transform.c: stats applied to data: per-column transforms and their checks, row norms,
 * in place or into a copy.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stats-private.h"
#include "ns-json.h"
#include "ns-format-double.h"
#include "ns-normalizer.h"
#include "ns-power.h"
#include "ns-quantile-transformer.h"
#include "ns-sklearn-rules.h"

#include <math.h>

double *
ns_stats_get_param_per_column (const NsStats *self, const char *key, double fallback,
                               GError **error)
{
  guint n = self->n_columns;
  g_autofree double *values = g_new (double, MAX (n, 1));
  JsonNode *node = json_object_get_member (self->params, key);
  double value = fallback;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) != n)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                       "stats: params.%s has %u values, but there are %u features", key,
                       json_array_get_length (array), n);
          return NULL;
        }
      for (guint c = 0; c < n; c++)
        if (!ns_json_node_to_double (json_array_get_element (array, c), &values[c]) ||
            !isfinite (values[c]))
          {
            g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                         "stats: params.%s[%u]: expected a finite number", key, c);
            return NULL;
          }
      return g_steal_pointer (&values);
    }
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      (!ns_json_node_to_double (node, &value) || !isfinite (value)))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "stats: params.%s: expected a finite number or an array of them", key);
      return NULL;
    }
  for (guint c = 0; c < n; c++)
    values[c] = value;
  return g_steal_pointer (&values);
}

static const char *
ns_stats_data_name (const NsDataset *data)
{
  const char *path = ns_dataset_get_source_path (data);

  return path != NULL ? path : "data";
}

/* np.clip: NaN stays NaN. */
static void
ns_stats_clip (double *values, gsize n, double low, double high)
{
  for (gsize i = 0; i < n; i++)
    values[i] = values[i] < low ? low : values[i] > high ? high : values[i];
}

void
_ns_stats_apply (double *values, gsize n, const NsColumnTransform *t, gboolean inverse)
{
  if (t->kind == NS_COLUMN_YEO_JOHNSON || t->kind == NS_COLUMN_BOX_COX)
    {
      NsPowerColumn column = { t->lambda, t->offset, 0.0, t->scale, 0 };

      ns_power_transform_values (t->kind == NS_COLUMN_BOX_COX ? NS_POWER_BOX_COX
                                                              : NS_POWER_YEO_JOHNSON,
                                 &column, inverse, values, n);
    }
  else if (t->kind == NS_COLUMN_QUANTILE_UNIFORM || t->kind == NS_COLUMN_QUANTILE_NORMAL)
    ns_quantile_transform_values (t->quantiles, t->references, t->n_quantiles,
                                  t->kind == NS_COLUMN_QUANTILE_NORMAL ? NS_QUANTILE_NORMAL
                                                                       : NS_QUANTILE_UNIFORM,
                                  inverse, values, n);
  else if (!t->affine)
    {
      /* Two separate operations, exactly as scikit-learn does them (X -= mean_; X /= scale_). */
      if (inverse)
        for (gsize i = 0; i < n; i++)
          values[i] = values[i] * t->scale + t->offset;
      else
        for (gsize i = 0; i < n; i++)
          values[i] = (values[i] - t->offset) / t->scale;
      if (t->clip && !inverse)
        ns_stats_clip (values, n, t->low, t->high);
    }
  else if (inverse && t->minmax)
    for (gsize i = 0; i < n; i++) /* X -= min_; X /= scale_, as inverse_transform */
      values[i] = (values[i] - t->shift) / t->alpha;
  else if (inverse)
    for (gsize i = 0; i < n; i++)
      values[i] = (values[i] - t->beta) / t->gamma * t->scale + t->offset;
  else if (t->subtract_first)
    for (gsize i = 0; i < n; i++)
      values[i] = (values[i] - t->offset) * t->alpha + t->beta;
  else
    {
      for (gsize i = 0; i < n; i++)
        values[i] = values[i] * t->alpha + t->shift;
      if (t->clip)
        ns_stats_clip (values, n, t->low, t->high);
    }
}

/* Values checked per block, copied before the transform overwrites them. */
#define NS_STATS_CHECK_BLOCK 1024

gsize
_ns_stats_apply_checked (double *values, gsize n, const NsColumnTransform *t, gboolean inverse,
                         double *bad_value)
{
  double before[NS_STATS_CHECK_BLOCK];

  /* The power and quantile inverses turn values outside their domain into NaN, as scikit-learn's
   * do; only the linear forms overflow. */
  if (t->kind != NS_COLUMN_SCALE)
    {
      _ns_stats_apply (values, n, t, inverse);
      return G_MAXSIZE;
    }
  for (gsize at = 0; at < n; at += NS_STATS_CHECK_BLOCK)
    {
      gsize len = MIN (NS_STATS_CHECK_BLOCK, n - at);

      memcpy (before, values + at, len * sizeof (double));
      _ns_stats_apply (values + at, len, t, inverse);
      for (gsize i = 0; i < len; i++)
        if (isfinite (before[i]) && !isfinite (values[at + i]))
          {
            *bad_value = before[i];
            return at + i;
          }
    }
  return G_MAXSIZE;
}

/* A finite value that came out infinite or NaN at position bad of a column. */
static gboolean
ns_stats_overflow_error (const NsDataset *data, guint column, gsize bad, double value,
                         gboolean inverse, GError **error)
{
  char text[NS_DOUBLE_BUF_SIZE];

  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: column '%s': row %" G_GSIZE_FORMAT " holds %s, which the stats %s to a value "
               "beyond the double range (their scale is too small or their range too large): "
               "nothing is written",
               ns_stats_data_name (data), ns_dataset_get_column_name (data, column),
               bad / ns_dataset_get_spatial_size (data) + 1, ns_format_double (text, value),
               inverse ? "invert" : "transform");
  return FALSE;
}

static gboolean
ns_stats_preset_is (const NsStats *self, const char *name)
{
  return g_strcmp0 (ns_stats_get_param_string (self, "preset"), name) == 0;
}

/* params.feature_range of a minmax fit: FALSE when it is not two numbers, MIN < MAX. */
static gboolean
ns_stats_get_feature_range (const NsStats *self, double range[2])
{
  JsonNode *pair = json_object_get_member (self->params, "feature_range");
  JsonArray *array;

  return pair != NULL && JSON_NODE_HOLDS_ARRAY (pair) &&
         json_array_get_length (array = json_node_get_array (pair)) == 2 &&
         ns_json_node_to_double (json_array_get_element (array, 0), &range[0]) &&
         ns_json_node_to_double (json_array_get_element (array, 1), &range[1]) &&
         range[0] < range[1];
}

/* A minmax column as MinMaxScaler computes it, X * scale_ + min_ with scale_ = (hi - lo) /
 * data_range and min_ = lo - data_min * scale_, rather than (x - offset) / scale, which rounds
 * differently (by 1e-7 on data near 1e9). Only where the stats' offset and scale are the ones the
 * fit derives from the same min and range, so a stats file edited by hand keeps its own. */
static void
ns_stats_set_minmax_affine (const NsStats *self, guint c, NsColumnTransform *t)
{
  double range[2], data_min, data_range;
  NsSklearnMinMax map;

  if (!ns_stats_get_feature_range (self, range) ||
      !ns_stats_get_field (self, c, "min", &data_min) ||
      !ns_stats_get_field (self, c, "data_range", &data_range))
    return;
  ns_sklearn_minmax (data_min, data_range, range[0], range[1], &map);
  if (map.scale != t->scale || map.offset != t->offset || !isfinite (map.scale_) ||
      !isfinite (map.min_))
    return;
  t->affine = TRUE;
  t->minmax = TRUE;
  t->alpha = map.scale_;
  t->shift = map.min_;
}

/* MinMaxScaler(clip=True) clips to its feature_range. */
static gboolean
ns_stats_get_clip (const NsStats *self, gboolean *clip, double range[2], GError **error)
{
  JsonNode *node = json_object_get_member (self->params, "clip");

  *clip = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
  if (!*clip)
    return TRUE;
  if (!ns_stats_get_feature_range (self, range))
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_PARSE,
                           "stats: params.feature_range: expected [MIN, MAX] with MIN < MAX, as "
                           "params.clip needs");
      return FALSE;
    }
  return TRUE;
}

/* A quantile fit's output distribution; uniform, scikit-learn's default, when none is recorded. */
static NsQuantileOutput
ns_stats_quantile_output (const NsStats *self)
{
  NsQuantileOutput output;

  if (!ns_quantile_output_from_string (ns_stats_get_param_string (self, "output_distribution"),
                                       &output, NULL))
    return NS_QUANTILE_UNIFORM;
  return output;
}

static NsColumnKind
ns_stats_column_kind (const NsStats *self)
{
  if (_ns_stats_method_is (self, "yeo-johnson"))
    return NS_COLUMN_YEO_JOHNSON;
  if (_ns_stats_method_is (self, "box-cox"))
    return NS_COLUMN_BOX_COX;
  if (_ns_stats_method_is (self, "quantile"))
    return ns_stats_quantile_output (self) == NS_QUANTILE_NORMAL ? NS_COLUMN_QUANTILE_NORMAL
                                                                 : NS_COLUMN_QUANTILE_UNIFORM;
  return NS_COLUMN_SCALE;
}

NsColumnTransform *
ns_stats_get_transforms (const NsStats *self, GError **error)
{
  gboolean batchnorm = _ns_stats_method_is (self, "batchnorm");
  NsColumnKind kind = ns_stats_column_kind (self);
  g_autofree double *gamma = NULL, *beta = NULL;
  double range[2] = { -INFINITY, INFINITY };
  gboolean clip = FALSE;
  NsColumnTransform *t;

  if (!ns_stats_check_transform (self, "stats", error))
    return NULL;
  if (batchnorm && ((gamma = ns_stats_get_param_per_column (self, "gamma", 1.0, error)) == NULL ||
                    (beta = ns_stats_get_param_per_column (self, "beta", 0.0, error)) == NULL))
    return NULL;
  if (_ns_stats_method_is (self, "minmax") && !ns_stats_get_clip (self, &clip, range, error))
    return NULL;
  t = g_new0 (NsColumnTransform, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    {
      const NsStatsColumn *column = &self->columns[c];
      gsize n_quantiles = 0;

      t[c] = (NsColumnTransform) {
        .kind = kind,
        .offset = column->offset,
        .scale = column->scale,
        .affine = batchnorm,
        .subtract_first = batchnorm && ns_stats_preset_is (self, "flax"),
        .gamma = batchnorm ? gamma[c] : 1.0,
        .beta = batchnorm ? beta[c] : 0.0,
        .clip = clip,
        .low = range[0],
        .high = range[1],
      };
      t[c].alpha = (1.0 / t[c].scale) * t[c].gamma;
      t[c].shift = t[c].beta - t[c].offset * t[c].alpha;
      if (_ns_stats_method_is (self, "minmax"))
        ns_stats_set_minmax_affine (self, c, &t[c]);
      ns_stats_get_field (self, c, "lambda", &t[c].lambda);
      t[c].quantiles = ns_stats_get_array (self, c, "quantiles", &n_quantiles);
      t[c].references = self->references;
      t[c].n_quantiles = (guint) n_quantiles;
    }
  return t;
}

/* The inverse of batch norm divides by gamma. */
static gboolean
ns_stats_check_invertible (const NsStats *self, const NsColumnTransform *t, const char *data_name,
                           GError **error)
{
  for (guint c = 0; c < self->n_columns; c++)
    if (t[c].affine && t[c].gamma == 0)
      {
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     "%s: column '%s': gamma is 0 in the stats, so the batch-norm output does not "
                     "depend on the input and cannot be inverted",
                     data_name, self->columns[c].name);
        return FALSE;
      }
  return TRUE;
}

/* Box-Cox is defined for positive values only: scikit-learn's transform refuses the others too. */
static gboolean
ns_stats_check_domain (const NsColumnTransform *t, const NsDataset *data, guint column,
                       GError **error)
{
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  const double *values = ns_dataset_get_values (data, column);
  gsize bad;
  char text[NS_DOUBLE_BUF_SIZE];

  if (t->kind != NS_COLUMN_BOX_COX || (bad = ns_power_first_nonpositive (values, n)) == G_MAXSIZE)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: column '%s': row %" G_GSIZE_FORMAT " holds %s: Box-Cox is defined for strictly "
               "positive values only (scikit-learn refuses them too)",
               ns_stats_data_name (data), ns_dataset_get_column_name (data, column),
               bad / ns_dataset_get_spatial_size (data) + 1, ns_format_double (text, values[bad]));
  return FALSE;
}

/* Tensors: features by position; the channel count and the per-sample layout must agree. */
static gboolean
ns_stats_match_tensor (const NsStats *self, const NsDataset *data, guint *map, GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);

  if (n_features != self->n_columns)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: has %u features (channels) on the kept axes, but the stats have %u",
                   ns_stats_data_name (data), n_features, self->n_columns);
      return FALSE;
    }
  for (guint f = 0; f < n_features; f++)
    map[f] = f;
  return TRUE;
}

static gboolean
ns_stats_is_label_name (const NsStats *self, const char *name)
{
  return g_strv_contains ((const char *const *) self->label_names, name);
}

/* Tables: every stats column must be a numeric data column, and every numeric data column must be
 * in the stats (unless the stats list it as a label), so nothing is silently left unscaled. */
/* "a, b, species": the data's column names, for mismatch messages. */
static char *
ns_stats_describe_columns (const NsDataset *data)
{
  GString *names = g_string_new (NULL);

  for (guint c = 0; c < ns_dataset_get_n_columns (data); c++)
    g_string_append_printf (names, "%s%s", c > 0 ? ", " : "", ns_dataset_get_column_name (data, c));
  return g_string_free (names, FALSE);
}

static gboolean ns_stats_check_covered (const NsStats *self, const NsDataset *data,
                                        const guint *map, GError **error);
/* Column name -> its first column + 1, and column -> its feature: lookups that stay linear in
 * the number of columns (a million of them took minutes with a search per name). */
static GHashTable *
ns_stats_index_columns (const NsDataset *data, guint *feature_of_column)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint c = ns_dataset_get_n_columns (data); c-- > 0;)
    g_hash_table_insert (index, (gpointer) ns_dataset_get_column_name (data, c),
                         GUINT_TO_POINTER (c + 1));
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    feature_of_column[ns_dataset_get_feature_column (data, f)] = f;
  return index;
}

static gboolean
ns_stats_match_table (const NsStats *self, const NsDataset *data, gboolean pass_through, guint *map,
                      GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);
  g_autofree guint *feature_of = g_new0 (guint, MAX (ns_dataset_get_n_columns (data), 1));
  g_autoptr (GHashTable) index = ns_stats_index_columns (data, feature_of);

  for (guint f = 0; f < n_features; f++)
    map[f] = G_MAXUINT;
  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *name = self->columns[c].name;
      int column = (int) GPOINTER_TO_UINT (g_hash_table_lookup (index, name)) - 1;

      if (column < 0)
        {
          g_autofree char *present = ns_stats_describe_columns (data);

          g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                       "%s: expected a column '%s' that the stats scale, found none (columns: %s)",
                       ns_stats_data_name (data), name, present);
          return FALSE;
        }
      if (ns_dataset_column_is_label (data, (guint) column))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                       "%s: column '%s' is not numeric, but the stats scale it",
                       ns_stats_data_name (data), name);
          return FALSE;
        }
      map[feature_of[column]] = c;
    }
  return pass_through || ns_stats_check_covered (self, data, map, error);
}

/* Every numeric column of data is in the stats, or listed there as a label. */
static gboolean
ns_stats_check_covered (const NsStats *self, const NsDataset *data, const guint *map,
                        GError **error)
{
  g_autoptr (GString) missing = g_string_new (NULL);
  guint n_missing = 0;

  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    {
      const char *name = ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f));

      if (map[f] == G_MAXUINT && !ns_stats_is_label_name (self, name))
        g_string_append_printf (missing, "%s'%s'", n_missing++ > 0 ? ", " : "", name);
    }
  if (n_missing == 0)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "%s: %s %s %s not in the stats (select the fitted columns, or copy them unchanged "
               "with --pass-through)",
               ns_stats_data_name (data), n_missing == 1 ? "column" : "columns", missing->str,
               n_missing == 1 ? "is" : "are");
  return FALSE;
}

static gboolean
ns_stats_get_norm (const NsStats *self, NsNormKind *norm, GError **error)
{
  if (ns_norm_kind_from_string (ns_stats_get_param_string (self, "norm"), norm, error))
    return TRUE;
  g_prefix_error (error, "stats: params.norm: ");
  return FALSE;
}

gboolean
_ns_stats_normalize_block (NsNormKind norm, double *const *columns, guint n, gsize n_rows,
                           gsize *bad_row, guint *bad_column)
{
  g_autofree double *row = g_new (double, MAX (n, 1));

  for (gsize r = 0; r < n_rows; r++)
    {
      double scale;

      for (guint c = 0; c < n; c++)
        if (isnan (row[c] = columns[c][r]) || isinf (row[c]))
          {
            *bad_row = r;
            *bad_column = c;
            return FALSE;
          }
      scale = ns_normalizer_row_norm (norm, row, n);
      for (guint c = 0; c < n; c++)
        columns[c][r] = row[c] / scale;
    }
  return TRUE;
}

/* Normalizer: each row of the stats' features, in the stats' column order (the order the norm
 * sums in), divided by its norm. scikit-learn refuses NaN here, and so does this. */
static gboolean
ns_stats_normalize_rows (const NsStats *self, NsDataset *data, const guint *map, NsNormKind norm,
                         GError **error)
{
  guint n_features = ns_dataset_get_n_features (data), n = self->n_columns, c;
  g_autofree double **columns = g_new0 (double *, MAX (n, 1));
  gsize r;

  for (guint f = 0; f < n_features; f++)
    if (map[f] != G_MAXUINT)
      columns[map[f]] = ns_dataset_get_column_data (data, ns_dataset_get_feature_column (data, f));
  if (_ns_stats_normalize_block (norm, columns, n, ns_dataset_get_n_samples (data), &r, &c))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: row %" G_GSIZE_FORMAT ", column '%s': %s; the normalizer needs "
               "every value of a row (scikit-learn refuses it too): fill or drop the row",
               ns_stats_data_name (data), r + 1, self->columns[c].name,
               isnan (columns[c][r]) ? "missing value" : "infinite value");
  return FALSE;
}

/* The normalizer's own refusals, before any value is looked at. */
static gboolean
ns_stats_check_normalizer (const NsStats *self, const NsDataset *data, gboolean inverse,
                           NsNormKind *norm, GError **error)
{
  if (ns_dataset_get_spatial_size (data) != 1)
    {
      g_set_error (
        error, NS_ERROR, NS_ERROR_UNSUPPORTED,
        "%s: method normalizer scales rows of a table; this tensor pools %" G_GSIZE_FORMAT
        " values per feature",
        ns_stats_data_name (data), ns_dataset_get_spatial_size (data));
      return FALSE;
    }
  if (inverse)
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                           "method normalizer cannot be inverted: each row's norm is not kept "
                           "(scikit-learn's Normalizer has no inverse_transform either)");
      return FALSE;
    }
  return ns_stats_get_norm (self, norm, error);
}

gboolean
_ns_stats_transform_prepare (const NsStats *self, const NsDataset *data, NsTransformFlags flags,
                             guint *map, NsColumnTransform **transforms, NsNormKind *norm,
                             GError **error)
{
  gboolean inverse = (flags & NS_TRANSFORM_INVERSE) != 0;
  gboolean ok =
    ns_dataset_get_kind (data) == NS_DATASET_TENSOR
      ? ns_stats_match_tensor (self, data, map, error)
      : ns_stats_match_table (self, data, (flags & NS_TRANSFORM_PASS_THROUGH) != 0, map, error);

  *transforms = NULL;
  if (!ok)
    return FALSE;
  if (_ns_stats_method_is (self, "normalizer"))
    return ns_stats_check_normalizer (self, data, inverse, norm, error);
  if ((*transforms = ns_stats_get_transforms (self, error)) == NULL)
    return FALSE;
  if (!inverse || ns_stats_check_invertible (self, *transforms, ns_stats_data_name (data), error))
    return TRUE;
  g_clear_pointer (transforms, g_free);
  return FALSE;
}

gboolean
ns_stats_transform_in_place (const NsStats *self, NsDataset *data, NsTransformFlags flags,
                             GError **error)
{
  gboolean inverse = (flags & NS_TRANSFORM_INVERSE) != 0;
  guint n_features = ns_dataset_get_n_features (data);
  g_autofree guint *map = g_new0 (guint, MAX (n_features, 1));
  g_autofree NsColumnTransform *transforms = NULL;
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  NsNormKind norm;

  if (!_ns_stats_transform_prepare (self, data, flags, map, &transforms, &norm, error))
    return FALSE;
  if (transforms == NULL)
    {
      if (!ns_stats_normalize_rows (self, data, map, norm, error))
        return FALSE;
      ns_dataset_count_missing (data);
      return TRUE;
    }
  for (guint f = 0; f < n_features && !inverse; f++)
    if (map[f] != G_MAXUINT &&
        !ns_stats_check_domain (&transforms[map[f]], data, ns_dataset_get_feature_column (data, f),
                                error))
      return FALSE;
  for (guint f = 0; f < n_features; f++)
    {
      guint column = ns_dataset_get_feature_column (data, f);
      double *values = ns_dataset_get_column_data (data, column);
      double value;
      gsize bad;

      if (map[f] == G_MAXUINT)
        continue;
      if ((bad = _ns_stats_apply_checked (values, n, &transforms[map[f]], inverse, &value)) !=
          G_MAXSIZE)
        return ns_stats_overflow_error (data, column, bad, value, inverse, error);
    }
  ns_dataset_count_missing (data);
  return TRUE;
}

double *
ns_stats_transform_column (const NsStats *self, guint column, const double *values, gsize n,
                           GError **error)
{
  g_autofree NsColumnTransform *transforms = NULL;
  double *result;

  g_return_val_if_fail (column < self->n_columns, NULL);
  if (_ns_stats_method_is (self, "normalizer"))
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                           "method normalizer scales each row by its norm over every feature, so "
                           "one feature alone cannot be transformed");
      return NULL;
    }
  if ((transforms = ns_stats_get_transforms (self, error)) == NULL)
    return NULL;
  result = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  _ns_stats_apply (result, n, &transforms[column], FALSE);
  return result;
}

NsDataset *
ns_stats_transform (const NsStats *self, const NsDataset *data, NsTransformFlags flags,
                    GError **error)
{
  g_autoptr (NsDataset) result = ns_dataset_copy (data);

  return ns_stats_transform_in_place (self, result, flags, error) ? g_steal_pointer (&result)
                                                                  : NULL;
}
