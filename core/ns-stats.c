/* ns-stats.c: the fitted-statistics container: columns, fields, arrays, params, and the checks
 * that it defines a usable transform. Applying it is ns-stats-transform.c, its JSON
 * ns-stats-json.c. SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stats-private.h"
#include "ns-json.h"
#include "ns-format-double.h"

#include <math.h>
#include <string.h>

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

const char *
ns_stats_get_method (const NsStats *self)
{
  return self->method;
}
guint
ns_stats_get_n_columns (const NsStats *self)
{
  return self->n_columns;
}
JsonObject *
ns_stats_get_params (NsStats *self)
{
  return self->params;
}
const JsonObject *
ns_stats_peek_params (const NsStats *self)
{
  return self->params;
}
JsonObject *
ns_stats_get_extra (NsStats *self)
{
  return self->extra;
}
const JsonObject *
ns_stats_peek_extra (const NsStats *self)
{
  return self->extra;
}
const char *
ns_stats_get_source_file (const NsStats *self)
{
  return self->source_file;
}
gsize
ns_stats_get_source_rows (const NsStats *self)
{
  return self->source_rows;
}
const char *
ns_stats_get_source_sha256 (const NsStats *self)
{
  return self->source_sha256;
}

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
ns_stats_set_label_names (NsStats *self, const char *const *names)
{
  char **copy = names != NULL ? g_strdupv ((char **) names) : g_new0 (char *, 1);

  g_strfreev (self->label_names);
  self->label_names = copy;
}

const char *const *
ns_stats_get_label_names (const NsStats *self)
{
  return (const char *const *) self->label_names;
}

gboolean
_ns_stats_method_is (const NsStats *self, const char *name)
{
  return g_strcmp0 (self->method, name) == 0;
}

gboolean
ns_stats_has_affine_transform (const NsStats *self)
{
  return !_ns_stats_method_is (self, "yeo-johnson") && !_ns_stats_method_is (self, "box-cox") &&
         !_ns_stats_method_is (self, "quantile") && !_ns_stats_method_is (self, "normalizer");
}

const char *
ns_stats_get_param_string (const NsStats *self, const char *key)
{
  JsonNode *node = json_object_get_member (self->params, key);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : NULL;
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
                 "[0, 1]), found none",
                 path);
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

  if (_ns_stats_method_is (self, "yeo-johnson") || _ns_stats_method_is (self, "box-cox"))
    {
      if (ns_stats_get_field (self, c, "lambda", &lambda) && isfinite (lambda))
        return TRUE;
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: column %u ('%s'): lambda: expected a finite number", path, c, name);
      return FALSE;
    }
  if (_ns_stats_method_is (self, "quantile"))
    {
      gsize n;
      const double *quantiles = ns_stats_get_array (self, c, "quantiles", &n);

      if (quantiles != NULL && n == self->n_references &&
          ns_stats_find_unordered (quantiles, n) < 0)
        return TRUE;
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: column %u ('%s'): quantiles: expected %" G_GSIZE_FORMAT " finite numbers "
                   "in non-decreasing order (one per reference)",
                   path, c, name, self->n_references);
      return FALSE;
    }
  return TRUE;
}

/* Stats from any source must define a usable transform, as the JSON reader insists. */
gboolean
ns_stats_check_transform (const NsStats *stats, const char *path, GError **error)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (_ns_stats_method_is (stats, "quantile") && !ns_stats_check_references (stats, path, error))
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
