/* ns-partial-json.c: the normscope-partial JSON file: written one line per column, read back with
 * every field checked.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-partial-private.h"
#include "ns-error.h"
#include "ns-json.h"
#include "ns-output.h"
#include "ns-scaler-private.h"

#include <string.h>

/* ---- Writing. */

static void
ns_append_member (GString *out, const char *key, double value)
{
  g_string_append_printf (out, ", \"%s\": ", key);
  ns_json_append_double (out, value);
}

/* The params a stats file of the same fit would have, on one line; robust says approx_quantiles. */
static void
ns_partial_append_params (const NsPartial *self, GString *out)
{
  g_autoptr (JsonObject) params = json_object_new ();

  ns_scaler_set_method_params (params, &self->options);
  if (self->options.method == NS_METHOD_ROBUST)
    json_object_set_boolean_member (params, "approx_quantiles", self->approx_quantiles);
  ns_json_write_object (out, params, 0, TRUE);
}

/* "axis", "rank" and "shape" join the params object, as in a stats file. */
static void
ns_partial_append_tensor (const NsPartial *self, GString *out)
{
  if (self->rank == 0)
    return;
  g_string_truncate (out, out->len - 1);
  g_string_append (out, out->str[out->len - 1] == '{' ? "\"axis\": [" : ", \"axis\": [");
  for (guint i = 0; i < self->n_kept; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? ", " : "", self->kept[i]);
  g_string_append_printf (out, "], \"rank\": %u, \"shape\": [", self->rank);
  for (guint i = 0; i < self->rank; i++)
    g_string_append_printf (out, "%s%" G_GSIZE_FORMAT, i > 0 ? ", " : "", self->shape[i]);
  g_string_append (out, "]}");
}

static void
ns_partial_append_source (const NsPartial *self, GString *out)
{
  g_string_append (out, "{\"file\": ");
  if (self->file != NULL)
    ns_json_append_string (out, self->file);
  else
    g_string_append (out, "null");
  if (self->range_start >= 0)
    g_string_append_printf (out, ", \"byte_range\": [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                            self->range_start, self->range_end);
  else
    g_string_append (out, ", \"byte_range\": null");
  if (self->size >= 0)
    g_string_append_printf (out, ", \"size\": %" G_GINT64_FORMAT, self->size);
  else
    g_string_append (out, ", \"size\": null");
  g_string_append (out, ", \"sha256\": ");
  if (self->sha256 != NULL)
    ns_json_append_string (out, self->sha256);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ", \"rows\": %" G_GUINT64_FORMAT "}", self->rows);
}

static void
ns_partial_append_column (const NsPartial *self, guint c, GString *out)
{
  const NsMoments *m = &self->moments[c];

  g_string_append (out, "    {\"name\": ");
  ns_json_append_string (out, self->names[c]);
  ns_append_member (out, "count", m->count);
  ns_append_member (out, "missing", m->missing);
  ns_append_member (out, "infinite", m->infinite);
  ns_append_member (out, "mean", m->mean);
  ns_append_member (out, "mean_low", m->mean_low);
  ns_append_member (out, "m2", m->m2);
  ns_append_member (out, "m3", m->m3);
  ns_append_member (out, "m4", m->m4);
  ns_append_member (out, "min", m->min);
  ns_append_member (out, "max", m->max);
  ns_append_member (out, "max_abs", m->max_abs);
  if (self->sketches != NULL)
    {
      g_string_append (out, ",\n     \"sketch\": ");
      ns_sketch_append_json (self->sketches[c], out);
    }
  g_string_append (out, "}");
}

char *
ns_partial_to_json_string (const NsPartial *self)
{
  GString *out = g_string_new ("{\n");

  g_string_append_printf (out,
                          "  \"format\": \"%s\",\n  \"version\": %d,\n  \"method\": \"%s\",\n"
                          "  \"params\": ",
                          NS_PARTIAL_FORMAT, NS_PARTIAL_VERSION,
                          ns_method_to_string (self->options.method));
  ns_partial_append_params (self, out);
  ns_partial_append_tensor (self, out);
  g_string_append (out, ",\n  \"source\": ");
  ns_partial_append_source (self, out);
  g_string_append (out, ",\n  \"labels\": [");
  for (guint i = 0; self->labels[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      ns_json_append_string (out, self->labels[i]);
    }
  g_string_append (out, "],\n  \"columns\": [\n");
  for (guint c = 0; c < self->n_columns; c++)
    {
      ns_partial_append_column (self, c, out);
      g_string_append (out, c + 1 < self->n_columns ? ",\n" : "\n");
    }
  g_string_append (out, "  ]\n}\n");
  return g_string_free (out, FALSE);
}

gboolean
ns_partial_save (const NsPartial *self, const char *path, GError **error)
{
  g_autofree char *text = ns_partial_to_json_string (self);

  return ns_output_write_file (path, text, strlen (text), error);
}

/* ---- Reading. */

static gboolean
ns_read_boolean (NsJsonReader *reader, JsonObject *object, const char *key, gboolean *value)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strconcat ("params.", key, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return ns_json_fail (reader, path, "true or false", node);
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* A boolean that files written before it existed lack: absent means FALSE. */
static gboolean
ns_read_optional_boolean (NsJsonReader *reader, JsonObject *object, const char *key,
                          gboolean *value)
{
  *value = FALSE;
  return json_object_get_member (object, key) == NULL ||
         ns_read_boolean (reader, object, key, value);
}

static gboolean
ns_read_pair (NsJsonReader *reader, JsonObject *object, const char *key, double pair[2])
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strconcat ("params.", key, NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) != 2 ||
      !ns_json_node_to_double (json_array_get_element (array, 0), &pair[0]) ||
      !ns_json_node_to_double (json_array_get_element (array, 1), &pair[1]))
    return ns_json_fail (reader, path, "two numbers", node);
  return TRUE;
}

/* The weight column's name, absent (NULL) for an unweighted fit; it borrows from p. */
static gboolean
ns_read_sample_weight (NsJsonReader *reader, JsonObject *p, const char **column)
{
  gboolean ok = TRUE;

  *column = ns_json_read_optional_string (reader, p, "params.", "sample_weight", &ok);
  return ok && ns_json_check_string_is_text (reader, "params.sample_weight", *column);
}

static gboolean
ns_partial_read_header (NsJsonReader *reader, JsonObject *root, NsScalerOptions *options,
                        gboolean *approx)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *version = json_object_get_member (root, "version");
  JsonNode *method = json_object_get_member (root, "method");
  JsonNode *params = json_object_get_member (root, "params");
  NsMethod kind;
  JsonObject *p;

  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      g_strcmp0 (json_node_get_string (format), NS_PARTIAL_FORMAT) != 0)
    return ns_json_fail (reader, "format", "\"" NS_PARTIAL_FORMAT "\" (a file from fit --partial)",
                         format);
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64)
    return ns_json_fail (reader, "version", "an integer", version);
  if (json_node_get_int (version) != NS_PARTIAL_VERSION)
    {
      g_set_error (reader->error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: version: this normscope reads version %d partial files, found version "
                   "%" G_GINT64_FORMAT,
                   reader->file, NS_PARTIAL_VERSION, json_node_get_int (version));
      return FALSE;
    }
  if (method == NULL || !JSON_NODE_HOLDS_VALUE (method) ||
      json_node_get_value_type (method) != G_TYPE_STRING ||
      !ns_method_from_string (json_node_get_string (method), &kind, NULL) ||
      !ns_method_is_affine (kind))
    return ns_json_fail (reader, "method", "standard, keras, minmax, maxabs or robust", method);
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return ns_json_fail (reader, "params", "an object", params);
  p = json_node_get_object (params);
  ns_scaler_options_init (options, kind);
  *approx = FALSE;
  switch (kind)
    {
    case NS_METHOD_STANDARD:
      return ns_read_boolean (reader, p, "with_mean", &options->with_mean) &&
             ns_read_boolean (reader, p, "with_std", &options->with_std) &&
             ns_read_sample_weight (reader, p, &options->sample_weight);
    case NS_METHOD_MINMAX:
      return ns_read_pair (reader, p, "feature_range", options->feature_range) &&
             ns_read_optional_boolean (reader, p, "clip", &options->clip);
    case NS_METHOD_ROBUST:
      return ns_read_pair (reader, p, "quantile_range", options->quantile_range) &&
             ns_read_boolean (reader, p, "with_centering", &options->with_centering) &&
             ns_read_boolean (reader, p, "with_scaling", &options->with_scaling) &&
             ns_read_optional_boolean (reader, p, "unit_variance", &options->unit_variance) &&
             ns_read_boolean (reader, p, "approx_quantiles", approx);
    case NS_METHOD_KERAS:
    case NS_METHOD_MAXABS:
    default:
      return TRUE;
    }
}

static gboolean
ns_read_optional_int (NsJsonReader *reader, JsonObject *object, const char *key, gint64 *value)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strconcat ("source.", key, NULL);

  *value = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return ns_json_fail (reader, path, "a non-negative integer or null", node);
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
ns_partial_read_source (NsJsonReader *reader, NsPartial *self, JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "source");
  gint64 start = -1, end = -1, size, rows;
  JsonObject *source;
  JsonNode *range;
  const char *file, *sha256;
  gboolean ok = TRUE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return ns_json_fail (reader, "source", "an object", node);
  source = json_node_get_object (node);
  range = json_object_get_member (source, "byte_range");
  if (range != NULL && !JSON_NODE_HOLDS_NULL (range))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (range) ? json_node_get_array (range) : NULL;
      JsonNode *a = array != NULL && json_array_get_length (array) == 2
                      ? json_array_get_element (array, 0)
                      : NULL;
      JsonNode *b = a != NULL ? json_array_get_element (array, 1) : NULL;

      if (a == NULL || json_node_get_value_type (a) != G_TYPE_INT64 ||
          json_node_get_value_type (b) != G_TYPE_INT64 || json_node_get_int (a) < 0 ||
          json_node_get_int (b) < json_node_get_int (a))
        return ns_json_fail (reader, "source.byte_range", "[START, END] with 0 <= START <= END",
                             range);
      start = json_node_get_int (a);
      end = json_node_get_int (b);
    }
  file = ns_json_read_optional_string (reader, source, "source.", "file", &ok);
  sha256 = ok ? ns_json_read_optional_string (reader, source, "source.", "sha256", &ok) : NULL;
  if (!ok || !ns_read_optional_int (reader, source, "size", &size) ||
      !ns_read_optional_int (reader, source, "rows", &rows))
    return FALSE;
  if (rows < 0)
    return ns_json_fail (reader, "source.rows", "a non-negative integer",
                         json_object_get_member (source, "rows"));
  ns_partial_set_source (self, file, start, end, size, sha256, (guint64) rows);
  return TRUE;
}

/* One integer of a JSON array in [lo, hi], or -1 after reporting it. */
static gint64
ns_read_int_element (NsJsonReader *reader, JsonArray *array, guint i, const char *path,
                     const char *expected, gint64 lo, gint64 hi)
{
  JsonNode *node = json_array_get_element (array, i);
  g_autofree char *where = g_strdup_printf ("%s[%u]", path, i);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < lo || json_node_get_int (node) > hi)
    {
      ns_json_fail (reader, where, expected, node);
      return -1;
    }
  return json_node_get_int (node);
}

/* params.rank, params.shape and params.axis: a tensor fit's layout, absent for tables. */
static gboolean
ns_partial_read_tensor (NsJsonReader *reader, NsPartial *self, JsonObject *params)
{
  JsonNode *rank = json_object_get_member (params, "rank");
  JsonNode *shape = json_object_get_member (params, "shape");
  JsonNode *axis = json_object_get_member (params, "axis");
  gsize dims[NS_MAX_RANK], features = 1;
  guint kept[NS_MAX_RANK], r, n_kept;

  if (rank == NULL && shape == NULL && axis == NULL)
    return TRUE;
  if (rank == NULL || !JSON_NODE_HOLDS_VALUE (rank) ||
      json_node_get_value_type (rank) != G_TYPE_INT64 || json_node_get_int (rank) < 1 ||
      json_node_get_int (rank) > NS_MAX_RANK)
    return ns_json_fail (reader, "params.rank", "an integer from 1 to 32 (with shape and axis)",
                         rank);
  r = (guint) json_node_get_int (rank);
  if (shape == NULL || !JSON_NODE_HOLDS_ARRAY (shape) ||
      json_array_get_length (json_node_get_array (shape)) != r)
    return ns_json_fail (reader, "params.shape", "an array of rank integers", shape);
  for (guint i = 0; i < r; i++)
    {
      gint64 d = ns_read_int_element (reader, json_node_get_array (shape), i, "params.shape",
                                      "a non-negative integer", 0, G_MAXINT64);
      if (d < 0)
        return FALSE;
      dims[i] = (gsize) d;
    }
  if (axis == NULL || !JSON_NODE_HOLDS_ARRAY (axis) ||
      (n_kept = json_array_get_length (json_node_get_array (axis))) >= r)
    return ns_json_fail (reader, "params.axis", "an array of the kept axes (fewer than rank)",
                         axis);
  for (guint i = 0; i < n_kept; i++)
    {
      gint64 a = ns_read_int_element (reader, json_node_get_array (axis), i, "params.axis",
                                      "an increasing axis from 1 to rank - 1",
                                      i > 0 ? kept[i - 1] + 1 : 1, r - 1);
      if (a < 0)
        return FALSE;
      kept[i] = (guint) a;
      features *= dims[a];
    }
  if (features != self->n_columns)
    {
      g_set_error (reader->error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: params: the kept axes hold %" G_GSIZE_FORMAT " features, but there are "
                   "%u columns",
                   reader->file, features, self->n_columns);
      return FALSE;
    }
  ns_partial_set_tensor (self, dims, r, kept, n_kept);
  return TRUE;
}

static gboolean
ns_partial_read_column (NsJsonReader *reader, NsPartial *self, guint c, JsonNode *node)
{
  static const char *const keys[] = { "count", "missing", "infinite", "mean", "mean_low", "m2",
                                      "m3",    "m4",      "min",      "max",  "max_abs" };
  g_autofree char *prefix = g_strdup_printf ("columns[%u].", c);
  NsMoments *m = &self->moments[c];
  double *fields[] = { &m->count, &m->missing, &m->infinite, &m->mean, &m->mean_low, &m->m2,
                       &m->m3,    &m->m4,      &m->min,      &m->max,  &m->max_abs };
  JsonObject *object = json_node_get_object (node);
  const char *bad;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!ns_json_read_double (reader, object, prefix, keys[i], fields[i]))
      return FALSE;
  if ((bad = ns_moments_inconsistency (m, self->sample_weight != NULL)) != NULL)
    {
      g_autofree char *path = g_strconcat (prefix, bad, NULL);

      return ns_json_fail (reader, path, "moments that data could have",
                           json_object_get_member (object, bad));
    }
  if (self->approx_quantiles)
    {
      g_autofree char *where = g_strdup_printf ("%s: %ssketch", reader->file, prefix);
      NsSketch *sketch =
        ns_sketch_from_json (json_object_get_member (object, "sketch"), where, reader->error);

      if (sketch == NULL)
        return FALSE;
      ns_sketch_free (self->sketches[c]);
      self->sketches[c] = sketch;
    }
  return TRUE;
}

static gboolean
ns_read_names (NsJsonReader *reader, JsonArray *array, const char *what, gboolean objects,
               GPtrArray *names)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf (objects ? "%s[%u]" : "%s[%u]", what, i);

      if (objects)
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return ns_json_fail (reader, path, "an object", node);
          node = json_object_get_member (json_node_get_object (node), "name");
          g_free (path);
          path = g_strdup_printf ("%s[%u].name", what, i);
        }
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING)
        return ns_json_fail (reader, path, "a string", node);
      if (!ns_json_check_string_is_text (reader, path, json_node_get_string (node)))
        return FALSE;
      g_ptr_array_add (names, (gpointer) json_node_get_string (node));
    }
  g_ptr_array_add (names, NULL);
  return TRUE;
}

static JsonArray *
ns_get_array (NsJsonReader *reader, JsonObject *root, const char *key)
{
  JsonNode *node = json_object_get_member (root, key);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      ns_json_fail (reader, key, "an array", node);
      return NULL;
    }
  return json_node_get_array (node);
}

NsPartial *
ns_partial_parse (const char *path, const char *text, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autoptr (NsPartial) self = NULL;
  NsJsonReader reader = { path, error };
  NsScalerOptions options;
  JsonArray *columns, *label_array;
  JsonObject *root;
  gboolean approx;

  if (!ns_json_check_text (path, text, len, error))
    return NULL;
  if (!ns_json_parser_load (parser, path, text, len, &local_error, error))
    {
      if (local_error == NULL)
        return NULL;
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: expected a normscope partial file (JSON), %s", path, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: the file is empty; expected a normscope partial file (JSON)", path);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return ns_json_fail (&reader, "(root)", "an object", json_parser_get_root (parser)), NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!ns_partial_read_header (&reader, root, &options, &approx) ||
      (columns = ns_get_array (&reader, root, "columns")) == NULL ||
      (label_array = ns_get_array (&reader, root, "labels")) == NULL ||
      !ns_read_names (&reader, columns, "columns", TRUE, names) ||
      !ns_read_names (&reader, label_array, "labels", FALSE, labels))
    return NULL;
  self = ns_partial_new (&options, approx, names->len - 1, (const char *const *) names->pdata,
                         (const char *const *) labels->pdata);
  if (!ns_partial_read_tensor (&reader, self,
                               json_node_get_object (json_object_get_member (root, "params"))) ||
      !ns_partial_read_source (&reader, self, root))
    return NULL;
  for (guint c = 0; c < self->n_columns; c++)
    if (!ns_partial_read_column (&reader, self, c, json_array_get_element (columns, c)))
      return NULL;
  return g_steal_pointer (&self);
}

NsPartial *
ns_partial_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: cannot read the partial file: %s", path,
                   local_error->message);
      return NULL;
    }
  return ns_partial_parse (path, text, len, error);
}
