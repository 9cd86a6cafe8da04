/* ns-stats.c: the fitted-statistics container and the transform it defines.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stats.h"
#include "ns-json.h"
#include "ns-format-double.h"
#include "ns-normalizer.h"
#include "ns-power.h"
#include "ns-quantile-transformer.h"

#include <math.h>
#include <string.h>

typedef struct {
  char   *name;
  double  count, missing, mean, variance, offset, scale;
  GPtrArray *field_keys;   /* char *, insertion order */
  GArray    *field_values; /* double, parallel to field_keys */
  GPtrArray *array_keys;   /* char *, insertion order */
  GPtrArray *arrays;       /* GArray of double, parallel to array_keys */
} NsStatsColumn;

struct _NsStats {
  char          *method;
  guint          n_columns;
  NsStatsColumn *columns;
  JsonObject    *params;
  JsonObject    *extra;
  char          *source_file;
  gsize          source_rows;
  char          *source_sha256;
  char         **label_names;
  double        *references;
  gsize          n_references;
};

NsStats *
ns_stats_new (const char *method, guint n_columns)
{
  NsStats *self = g_new0 (NsStats, 1);

  g_return_val_if_fail (method != NULL, NULL);
  self->method = g_strdup (method);
  self->n_columns = n_columns;
  self->columns = g_new0 (NsStatsColumn, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      NsStatsColumn *column = &self->columns[c];

      column->name = g_strdup_printf ("channel_%u", c);
      column->scale = 1.0;
      column->field_keys = g_ptr_array_new_with_free_func (g_free);
      column->field_values = g_array_new (FALSE, FALSE, sizeof (double));
      column->array_keys = g_ptr_array_new_with_free_func (g_free);
      column->arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
    }
  self->params = json_object_new ();
  self->extra = json_object_new ();
  self->label_names = g_new0 (char *, 1);
  return self;
}

void
ns_stats_free (NsStats *self)
{
  if (self == NULL)
    return;
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_free (self->columns[c].name);
      g_ptr_array_unref (self->columns[c].field_keys);
      g_array_unref (self->columns[c].field_values);
      g_ptr_array_unref (self->columns[c].array_keys);
      g_ptr_array_unref (self->columns[c].arrays);
    }
  g_free (self->references);
  g_free (self->columns);
  g_free (self->method);
  json_object_unref (self->params);
  json_object_unref (self->extra);
  g_free (self->source_file);
  g_free (self->source_sha256);
  g_strfreev (self->label_names);
  g_free (self);
}

const char *ns_stats_get_method (const NsStats *self) { return self->method; }
guint ns_stats_get_n_columns (const NsStats *self) { return self->n_columns; }
JsonObject *ns_stats_get_params (NsStats *self) { return self->params; }
const JsonObject *ns_stats_peek_params (const NsStats *self) { return self->params; }
JsonObject *ns_stats_get_extra (NsStats *self) { return self->extra; }
const JsonObject *ns_stats_peek_extra (const NsStats *self) { return self->extra; }
const char *ns_stats_get_source_file (const NsStats *self) { return self->source_file; }
gsize ns_stats_get_source_rows (const NsStats *self) { return self->source_rows; }
const char *ns_stats_get_source_sha256 (const NsStats *self) { return self->source_sha256; }

double
ns_stats_get_param_double (const NsStats *self, const char *key, double fallback)
{
  JsonNode *node = json_object_get_member (self->params, key);
  double value;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? 1.0 : 0.0;
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return fallback;
  return ns_json_node_to_double (node, &value) ? value : fallback;
}

void
ns_stats_set_source (NsStats *self, const char *file, gsize rows, const char *sha256)
{
  char *new_file = g_strdup (file), *new_sha = g_strdup (sha256);

  g_free (self->source_file);
  g_free (self->source_sha256);
  self->source_file = new_file;
  self->source_sha256 = new_sha;
  self->source_rows = rows;
}

static NsStatsColumn *
ns_stats_column (const NsStats *self, guint column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  return &self->columns[column];
}

void
ns_stats_set_column (NsStats *self, guint column, const char *name, double count, double missing,
                     double mean, double variance, double offset, double scale)
{
  NsStatsColumn *c = ns_stats_column (self, column);
  char *new_name = g_strdup (name);

  g_return_if_fail (c != NULL && name != NULL);
  g_free (c->name);
  c->name = new_name;
  c->count = count;
  c->missing = missing;
  c->mean = mean;
  c->variance = variance;
  c->offset = offset;
  c->scale = scale;
}

#define NS_STATS_COLUMN_GETTER(type, member) \
  type ns_stats_get_##member (const NsStats *self, guint c) \
  { \
    return ns_stats_column (self, c)->member; \
  }

NS_STATS_COLUMN_GETTER (const char *, name)
NS_STATS_COLUMN_GETTER (double, count)
NS_STATS_COLUMN_GETTER (double, missing)
NS_STATS_COLUMN_GETTER (double, mean)
NS_STATS_COLUMN_GETTER (double, variance)
NS_STATS_COLUMN_GETTER (double, offset)
NS_STATS_COLUMN_GETTER (double, scale)

void
ns_stats_set_offset_scale (NsStats *self, guint column, double offset, double scale)
{
  NsStatsColumn *c = ns_stats_column (self, column);

  g_return_if_fail (c != NULL);
  c->offset = offset;
  c->scale = scale;
}

static int
ns_stats_find_field (const NsStatsColumn *c, const char *key)
{
  for (guint i = 0; i < c->field_keys->len; i++)
    if (strcmp (g_ptr_array_index (c->field_keys, i), key) == 0)
      return (int) i;
  return -1;
}

void
ns_stats_set_field (NsStats *self, guint column, const char *key, double value)
{
  NsStatsColumn *c = ns_stats_column (self, column);
  int index;

  g_return_if_fail (c != NULL && key != NULL);
  index = ns_stats_find_field (c, key);
  if (index >= 0)
    {
      g_array_index (c->field_values, double, index) = value;
      return;
    }
  g_ptr_array_add (c->field_keys, g_strdup (key));
  g_array_append_val (c->field_values, value);
}

gboolean
ns_stats_get_field (const NsStats *self, guint column, const char *key, double *value)
{
  NsStatsColumn *c = ns_stats_column (self, column);
  int index;

  g_return_val_if_fail (c != NULL && key != NULL, FALSE);
  index = ns_stats_find_field (c, key);
  if (index < 0)
    return FALSE;
  if (value != NULL)
    *value = g_array_index (c->field_values, double, index);
  return TRUE;
}

guint
ns_stats_get_n_fields (const NsStats *self, guint column)
{
  return ns_stats_column (self, column)->field_keys->len;
}

const char *
ns_stats_get_field_key (const NsStats *self, guint column, guint index)
{
  NsStatsColumn *c = ns_stats_column (self, column);

  g_return_val_if_fail (index < c->field_keys->len, NULL);
  return g_ptr_array_index (c->field_keys, index);
}

double
ns_stats_get_field_value (const NsStats *self, guint column, guint index)
{
  NsStatsColumn *c = ns_stats_column (self, column);

  g_return_val_if_fail (index < c->field_values->len, NAN);
  return g_array_index (c->field_values, double, index);
}

static int
ns_stats_find_array (const NsStatsColumn *c, const char *key)
{
  for (guint i = 0; i < c->array_keys->len; i++)
    if (strcmp (g_ptr_array_index (c->array_keys, i), key) == 0)
      return (int) i;
  return -1;
}

void
ns_stats_set_array (NsStats *self, guint column, const char *key, const double *values, gsize n)
{
  NsStatsColumn *c = ns_stats_column (self, column);
  GArray *array;
  int index;

  g_return_if_fail (c != NULL && key != NULL && (values != NULL || n == 0));
  array = g_array_sized_new (FALSE, FALSE, sizeof (double), (guint) n);
  g_array_append_vals (array, values, (guint) n);
  index = ns_stats_find_array (c, key);
  if (index >= 0)
    {
      g_array_unref (g_ptr_array_index (c->arrays, index));
      g_ptr_array_index (c->arrays, index) = array;
      return;
    }
  g_ptr_array_add (c->array_keys, g_strdup (key));
  g_ptr_array_add (c->arrays, array);
}

const double *
ns_stats_get_array (const NsStats *self, guint column, const char *key, gsize *n)
{
  NsStatsColumn *c = ns_stats_column (self, column);
  int index;
  GArray *array;

  g_return_val_if_fail (c != NULL && key != NULL, NULL);
  index = ns_stats_find_array (c, key);
  if (index < 0)
    {
      if (n != NULL)
        *n = 0;
      return NULL;
    }
  array = g_ptr_array_index (c->arrays, index);
  if (n != NULL)
    *n = array->len;
  return (const double *) array->data;
}

guint
ns_stats_get_n_arrays (const NsStats *self, guint column)
{
  return ns_stats_column (self, column)->array_keys->len;
}

const char *
ns_stats_get_array_key (const NsStats *self, guint column, guint index)
{
  NsStatsColumn *c = ns_stats_column (self, column);

  g_return_val_if_fail (index < c->array_keys->len, NULL);
  return g_ptr_array_index (c->array_keys, index);
}

void
ns_stats_set_references (NsStats *self, const double *values, gsize n)
{
  double *copy = n > 0 ? g_memdup2 (values, n * sizeof (double)) : NULL;

  g_free (self->references);
  self->references = copy;
  self->n_references = n;
}

const double *
ns_stats_get_references (const NsStats *self, gsize *n)
{
  if (n != NULL)
    *n = self->n_references;
  return self->references;
}

void
ns_stats_set_label_names (NsStats *self, const char * const *names)
{
  char **copy = names != NULL ? g_strdupv ((char **) names) : g_new0 (char *, 1);

  g_strfreev (self->label_names);
  self->label_names = copy;
}

const char * const *
ns_stats_get_label_names (const NsStats *self)
{
  return (const char * const *) self->label_names;
}

static gboolean
ns_stats_method_is (const NsStats *self, const char *name)
{
  return g_strcmp0 (self->method, name) == 0;
}

gboolean
ns_stats_has_affine_transform (const NsStats *self)
{
  return !ns_stats_method_is (self, "yeo-johnson") && !ns_stats_method_is (self, "box-cox") &&
         !ns_stats_method_is (self, "quantile") && !ns_stats_method_is (self, "normalizer");
}

const char *
ns_stats_get_param_string (const NsStats *self, const char *key)
{
  JsonNode *node = json_object_get_member (self->params, key);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* Finite values in non-decreasing order (a grid np.interp can search). */
static gssize
ns_stats_find_unordered (const double *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]) || (i > 0 && values[i] < values[i - 1]))
      return (gssize) i;
  return -1;
}

static gboolean
ns_stats_check_references (const NsStats *self, const char *path, GError **error)
{
  gssize bad = ns_stats_find_unordered (self->references, self->n_references);

  if (self->n_references == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                 "%s: references: expected the quantile method's grid (an array of numbers in "
                 "[0, 1]), found none", path);
  else if (bad >= 0 || self->references[0] < 0 || self->references[self->n_references - 1] > 1)
    g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                 "%s: references: expected non-decreasing finite numbers in [0, 1]%s", path,
                 bad >= 0 ? " (an element breaks the order or is not finite)" : "");
  else if (ns_stats_get_param_string (self, "output_distribution") == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                 "%s: params.output_distribution: expected \"uniform\" or \"normal\"", path);
  else
    return TRUE;
  return FALSE;
}

/* The method's own numbers: a finite lambda, quantiles ordered on the references' grid. */
static gboolean
ns_stats_check_method_column (const NsStats *self, guint c, const char *path, GError **error)
{
  const char *name = self->columns[c].name;
  double lambda;

  if (ns_stats_method_is (self, "yeo-johnson") || ns_stats_method_is (self, "box-cox"))
    {
      if (ns_stats_get_field (self, c, "lambda", &lambda) && isfinite (lambda))
        return TRUE;
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: column %u ('%s'): lambda: expected a finite number", path, c, name);
      return FALSE;
    }
  if (ns_stats_method_is (self, "quantile"))
    {
      gsize n;
      const double *quantiles = ns_stats_get_array (self, c, "quantiles", &n);

      if (quantiles != NULL && n == self->n_references && ns_stats_find_unordered (quantiles, n) < 0)
        return TRUE;
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: column %u ('%s'): quantiles: expected %" G_GSIZE_FORMAT " finite numbers "
                   "in non-decreasing order (one per reference)", path, c, name,
                   self->n_references);
      return FALSE;
    }
  return TRUE;
}

/* Stats from any source must define a usable transform, as the JSON reader insists. */
gboolean
ns_stats_check_transform (const NsStats *stats, const char *path, GError **error)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (ns_stats_method_is (stats, "quantile") && !ns_stats_check_references (stats, path, error))
    return FALSE;
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      double offset = ns_stats_get_offset (stats, c), scale = ns_stats_get_scale (stats, c);

      if (!isfinite (offset))
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                     "%s: column %u ('%s'): offset: expected a finite number, found %s", path, c,
                     ns_stats_get_name (stats, c), ns_format_double (buf, offset));
      else if (!(scale > 0) || isinf (scale))
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                     "%s: column %u ('%s'): scale: expected a positive finite number, found %s",
                     path, c, ns_stats_get_name (stats, c), ns_format_double (buf, scale));
      else if (ns_stats_check_method_column (stats, c, path, error))
        continue;
      return FALSE;
    }
  return TRUE;
}

/* Transform. */

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

static void
ns_stats_apply (double *values, gsize n, const NsColumnTransform *t, gboolean inverse)
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
  else if (inverse)
    for (gsize i = 0; i < n; i++)
      values[i] = (values[i] - t->beta) / t->gamma * t->scale + t->offset;
  else if (t->subtract_first)
    for (gsize i = 0; i < n; i++)
      values[i] = (values[i] - t->offset) * t->alpha + t->beta;
  else
    for (gsize i = 0; i < n; i++)
      values[i] = values[i] * t->alpha + t->shift;
}

static gboolean
ns_stats_preset_is (const NsStats *self, const char *name)
{
  return g_strcmp0 (ns_stats_get_param_string (self, "preset"), name) == 0;
}

/* MinMaxScaler(clip=True) clips to its feature_range. */
static gboolean
ns_stats_get_clip (const NsStats *self, gboolean *clip, double range[2], GError **error)
{
  JsonNode *node = json_object_get_member (self->params, "clip");
  JsonNode *pair = json_object_get_member (self->params, "feature_range");
  JsonArray *array;

  *clip = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
  if (!*clip)
    return TRUE;
  if (pair == NULL || !JSON_NODE_HOLDS_ARRAY (pair) ||
      json_array_get_length (array = json_node_get_array (pair)) != 2 ||
      !ns_json_node_to_double (json_array_get_element (array, 0), &range[0]) ||
      !ns_json_node_to_double (json_array_get_element (array, 1), &range[1]) ||
      !(range[0] < range[1]))
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_PARSE,
                           "stats: params.feature_range: expected [MIN, MAX] with MIN < MAX, as "
                           "params.clip needs");
      return FALSE;
    }
  return TRUE;
}

static NsColumnKind
ns_stats_column_kind (const NsStats *self)
{
  if (ns_stats_method_is (self, "yeo-johnson"))
    return NS_COLUMN_YEO_JOHNSON;
  if (ns_stats_method_is (self, "box-cox"))
    return NS_COLUMN_BOX_COX;
  if (ns_stats_method_is (self, "quantile"))
    return g_strcmp0 (ns_stats_get_param_string (self, "output_distribution"), "normal") == 0
           ? NS_COLUMN_QUANTILE_NORMAL : NS_COLUMN_QUANTILE_UNIFORM;
  return NS_COLUMN_SCALE;
}

NsColumnTransform *
ns_stats_get_transforms (const NsStats *self, GError **error)
{
  gboolean batchnorm = ns_stats_method_is (self, "batchnorm");
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
  if (ns_stats_method_is (self, "minmax") && !ns_stats_get_clip (self, &clip, range, error))
    return NULL;
  t = g_new0 (NsColumnTransform, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    {
      const NsStatsColumn *column = &self->columns[c];
      gsize n_quantiles = 0;

      t[c] = (NsColumnTransform) {
        .kind = kind, .offset = column->offset, .scale = column->scale, .affine = batchnorm,
        .subtract_first = batchnorm && ns_stats_preset_is (self, "flax"),
        .gamma = batchnorm ? gamma[c] : 1.0, .beta = batchnorm ? beta[c] : 0.0,
        .clip = clip, .low = range[0], .high = range[1],
      };
      t[c].alpha = (1.0 / t[c].scale) * t[c].gamma;
      t[c].shift = t[c].beta - t[c].offset * t[c].alpha;
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
                     "depend on the input and cannot be inverted", data_name, self->columns[c].name);
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
               "positive values only (scikit-learn refuses them too)", ns_stats_data_name (data),
               ns_dataset_get_column_name (data, column),
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
  return g_strv_contains ((const char * const *) self->label_names, name);
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
               "with --pass-through)", ns_stats_data_name (data), n_missing == 1 ? "column" : "columns",
               missing->str, n_missing == 1 ? "is" : "are");
  return FALSE;
}

static gboolean
ns_stats_get_norm (const NsStats *self, NsNormKind *norm, GError **error)
{
  const char *name = ns_stats_get_param_string (self, "norm");

  if (g_strcmp0 (name, "l1") == 0)
    *norm = NS_NORM_L1;
  else if (g_strcmp0 (name, "max") == 0)
    *norm = NS_NORM_MAX;
  else if (g_strcmp0 (name, "l2") == 0)
    *norm = NS_NORM_L2;
  else
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_PARSE,
                           "stats: params.norm: expected \"l2\", \"l1\" or \"max\"");
      return FALSE;
    }
  return TRUE;
}

/* Normalizer: each row of the stats' features, in the stats' column order (the order the norm
 * sums in), divided by its norm. scikit-learn refuses NaN here, and so does this. */
static gboolean
ns_stats_normalize_rows (const NsStats *self, NsDataset *data, const guint *map, gboolean inverse,
                         GError **error)
{
  guint n_features = ns_dataset_get_n_features (data), n = self->n_columns;
  gsize n_rows = ns_dataset_get_n_samples (data);
  g_autofree double **columns = g_new0 (double *, MAX (n, 1));
  g_autofree double *row = g_new (double, MAX (n, 1));
  NsNormKind norm;

  if (inverse)
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                           "method normalizer cannot be inverted: each row's norm is not kept "
                           "(scikit-learn's Normalizer has no inverse_transform either)");
      return FALSE;
    }
  if (!ns_stats_get_norm (self, &norm, error))
    return FALSE;
  for (guint f = 0; f < n_features; f++)
    if (map[f] != G_MAXUINT)
      columns[map[f]] = ns_dataset_get_column_data (data, ns_dataset_get_feature_column (data, f));
  for (gsize r = 0; r < n_rows; r++)
    {
      double scale;

      for (guint c = 0; c < n; c++)
        if (isnan (row[c] = columns[c][r]) || isinf (row[c]))
          {
            g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                         "%s: row %" G_GSIZE_FORMAT ", column '%s': %s; the normalizer needs "
                         "every value of a row (scikit-learn refuses it too): fill or drop the row",
                         ns_stats_data_name (data), r + 1, self->columns[c].name,
                         isnan (row[c]) ? "missing value" : "infinite value");
            return FALSE;
          }
      scale = ns_normalizer_row_norm (norm, row, n);
      for (guint c = 0; c < n; c++)
        columns[c][r] = row[c] / scale;
    }
  return TRUE;
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
  gboolean ok;

  ok = ns_dataset_get_kind (data) == NS_DATASET_TENSOR
       ? ns_stats_match_tensor (self, data, map, error)
       : ns_stats_match_table (self, data, (flags & NS_TRANSFORM_PASS_THROUGH) != 0, map, error);
  if (!ok)
    return FALSE;
  if (ns_stats_method_is (self, "normalizer"))
    {
      if (ns_dataset_get_spatial_size (data) != 1)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                       "%s: method normalizer scales rows of a table; this tensor pools %"
                       G_GSIZE_FORMAT " values per feature", ns_stats_data_name (data),
                       ns_dataset_get_spatial_size (data));
          return FALSE;
        }
      if (!ns_stats_normalize_rows (self, data, map, inverse, error))
        return FALSE;
      ns_dataset_count_missing (data);
      return TRUE;
    }
  if ((transforms = ns_stats_get_transforms (self, error)) == NULL ||
      (inverse && !ns_stats_check_invertible (self, transforms, ns_stats_data_name (data), error)))
    return FALSE;
  for (guint f = 0; f < n_features && !inverse; f++)
    if (map[f] != G_MAXUINT &&
        !ns_stats_check_domain (&transforms[map[f]], data, ns_dataset_get_feature_column (data, f),
                                error))
      return FALSE;
  for (guint f = 0; f < n_features; f++)
    if (map[f] != G_MAXUINT)
      ns_stats_apply (ns_dataset_get_column_data (data, ns_dataset_get_feature_column (data, f)),
                      n, &transforms[map[f]], inverse);
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
  if (ns_stats_method_is (self, "normalizer"))
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                           "method normalizer scales each row by its norm over every feature, so "
                           "one feature alone cannot be transformed");
      return NULL;
    }
  if ((transforms = ns_stats_get_transforms (self, error)) == NULL)
    return NULL;
  result = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  ns_stats_apply (result, n, &transforms[column], FALSE);
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
