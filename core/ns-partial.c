/* ns-partial.c: partial statistics: the normscope-partial JSON file, exact merging, and the last
 * step of a fit (moments to offsets and scales, with ns_scaler_fit's formulas).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-partial.h"
#include "ns-error.h"
#include "ns-json.h"
#include "ns-output.h"
#include "ns-scaler-private.h"

#include <float.h>
#include <math.h>
#include <string.h>

struct _NsPartial {
  NsScalerOptions options;  /* its sample_weight is the partial's own copy below */
  char      *sample_weight;
  gboolean   approx_quantiles;
  guint      n_columns;
  char     **names;
  char     **labels;
  NsMoments *moments;
  NsSketch **sketches;   /* NULL without approximate quantiles */
  char      *file;
  gint64     range_start; /* -1: the whole input */
  gint64     range_end;
  gint64     size;
  char      *sha256;
  guint64    rows;
  guint      rank;        /* 0: a table; otherwise the tensor the features were kept from */
  gsize      shape[NS_MAX_RANK];
  guint      kept[NS_MAX_RANK];
  guint      n_kept;
};

NsPartial *
ns_partial_new (const NsScalerOptions *options, gboolean approx_quantiles, guint n_columns,
                const char *const *names, const char *const *labels)
{
  NsPartial *self = g_new0 (NsPartial, 1);
  const char *const no_labels[] = { NULL };

  self->options = *options;
  self->sample_weight = g_strdup (options->sample_weight);
  self->options.sample_weight = self->sample_weight;
  self->options.sample_weights = NULL;
  self->approx_quantiles = approx_quantiles;
  self->n_columns = n_columns;
  self->names = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    self->names[c] = g_strdup (names[c]);
  self->labels = g_strdupv ((char **) (labels != NULL ? labels : no_labels));
  self->moments = g_new (NsMoments, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    ns_moments_init (&self->moments[c]);
  if (approx_quantiles)
    {
      self->sketches = g_new0 (NsSketch *, MAX (n_columns, 1));
      for (guint c = 0; c < n_columns; c++)
        self->sketches[c] = ns_sketch_new ();
    }
  self->range_start = self->range_end = self->size = -1;
  return self;
}

void
ns_partial_set_tensor (NsPartial *self, const gsize *shape, guint rank, const guint *kept,
                       guint n_kept)
{
  g_return_if_fail (rank >= 1 && rank <= NS_MAX_RANK && n_kept < rank);

  self->rank = rank;
  memcpy (self->shape, shape, rank * sizeof *shape);
  self->n_kept = n_kept;
  memcpy (self->kept, kept, n_kept * sizeof *kept);
}

void
ns_partial_free (NsPartial *self)
{
  if (self == NULL)
    return;
  for (guint c = 0; self->sketches != NULL && c < self->n_columns; c++)
    ns_sketch_free (self->sketches[c]);
  g_free (self->sketches);
  g_strfreev (self->names);
  g_strfreev (self->labels);
  g_free (self->moments);
  g_free (self->file);
  g_free (self->sha256);
  g_free (self->sample_weight);
  g_free (self);
}

guint ns_partial_get_n_columns (const NsPartial *self) { return self->n_columns; }
const char *ns_partial_get_name (const NsPartial *self, guint c) { return self->names[c]; }
NsMoments *ns_partial_get_moments (NsPartial *self, guint c) { return &self->moments[c]; }
const NsMoments *ns_partial_peek_moments (const NsPartial *self, guint c) { return &self->moments[c]; }
gboolean ns_partial_get_approx_quantiles (const NsPartial *self) { return self->approx_quantiles; }
guint64 ns_partial_get_rows (const NsPartial *self) { return self->rows; }
const char *ns_partial_get_sha256 (const NsPartial *self) { return self->sha256; }

const char *const *
ns_partial_get_labels (const NsPartial *self)
{
  return (const char *const *) self->labels;
}

NsSketch *
ns_partial_get_sketch (NsPartial *self, guint c)
{
  return self->sketches != NULL ? self->sketches[c] : NULL;
}

void
ns_partial_set_source (NsPartial *self, const char *file, gint64 range_start, gint64 range_end,
                       gint64 size, const char *sha256, guint64 rows)
{
  g_free (self->file);
  g_free (self->sha256);
  self->file = g_strdup (file);
  self->range_start = range_start < 0 ? -1 : range_start;
  self->range_end = range_start < 0 ? -1 : range_end;
  self->size = size;
  self->sha256 = g_strdup (sha256);
  self->rows = rows;
}

gboolean
ns_partial_get_range (const NsPartial *self, gint64 *start, gint64 *end)
{
  *start = self->range_start;
  *end = self->range_end;
  return self->range_start >= 0;
}

gboolean
ns_partial_select_columns (NsPartial *self, const char *const *names, GError **error)
{
  guint n = g_strv_length ((char **) names);
  g_autofree guint *picked = g_new (guint, MAX (n, 1));
  NsMoments *moments;
  NsSketch **sketches = NULL;
  char **kept;

  /* A tensor's features are its kept axes: a subset of them fits no layout. */
  if (self->rank > 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: " NS_TENSOR_COLUMNS_REFUSED, self->file != NULL ? self->file : "data");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains ((const char *const *) self->names, names[i]))
      {
        gboolean label = g_strv_contains ((const char *const *) self->labels, names[i]);

        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     label ? "%s: " NS_COLUMN_IS_LABEL : "%s: " NS_COLUMN_UNKNOWN,
                     self->file != NULL ? self->file : "data", names[i]);
        return FALSE;
      }
  /* In file order, each once, as a loaded dataset keeps them. */
  n = 0;
  for (guint c = 0; c < self->n_columns; c++)
    if (g_strv_contains (names, self->names[c]))
      picked[n++] = c;
  moments = g_new (NsMoments, MAX (n, 1));
  kept = g_new0 (char *, n + 1);
  if (self->sketches != NULL)
    sketches = g_new0 (NsSketch *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      moments[i] = self->moments[picked[i]];
      kept[i] = g_strdup (self->names[picked[i]]);
      if (sketches != NULL)
        sketches[i] = ns_sketch_copy (self->sketches[picked[i]]);
    }
  for (guint c = 0; self->sketches != NULL && c < self->n_columns; c++)
    ns_sketch_free (self->sketches[c]);
  g_free (self->sketches);
  g_free (self->moments);
  g_strfreev (self->names);
  self->sketches = sketches;
  self->moments = moments;
  self->names = kept;
  self->n_columns = n;
  return TRUE;
}

/* ---------------------------------------------------------------- writing */

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

  g_string_append_printf (out, "  \"format\": \"%s\",\n  \"version\": %d,\n  \"method\": \"%s\",\n"
                          "  \"params\": ", NS_PARTIAL_FORMAT, NS_PARTIAL_VERSION,
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

/* ---------------------------------------------------------------- reading */

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
                   "%s: version: this normscope reads version %d partial files, found version %"
                   G_GINT64_FORMAT, reader->file, NS_PARTIAL_VERSION, json_node_get_int (version));
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
      JsonNode *a = array != NULL && json_array_get_length (array) == 2 ? json_array_get_element (array, 0) : NULL;
      JsonNode *b = a != NULL ? json_array_get_element (array, 1) : NULL;

      if (a == NULL || json_node_get_value_type (a) != G_TYPE_INT64 ||
          json_node_get_value_type (b) != G_TYPE_INT64 ||
          json_node_get_int (a) < 0 || json_node_get_int (b) < json_node_get_int (a))
        return ns_json_fail (reader, "source.byte_range", "[START, END] with 0 <= START <= END", range);
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
                   "%u columns", reader->file, features, self->n_columns);
      return FALSE;
    }
  ns_partial_set_tensor (self, dims, r, kept, n_kept);
  return TRUE;
}

static gboolean
ns_partial_read_column (NsJsonReader *reader, NsPartial *self, guint c, JsonNode *node)
{
  static const char *const keys[] = { "count", "missing", "infinite", "mean", "mean_low", "m2",
                                      "m3", "m4", "min", "max", "max_abs" };
  g_autofree char *prefix = g_strdup_printf ("columns[%u].", c);
  NsMoments *m = &self->moments[c];
  double *fields[] = { &m->count, &m->missing, &m->infinite, &m->mean, &m->mean_low, &m->m2,
                       &m->m3, &m->m4, &m->min, &m->max, &m->max_abs };
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
      NsSketch *sketch = ns_sketch_from_json (json_object_get_member (object, "sketch"), where,
                                              reader->error);

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
  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: expected a normscope partial file (JSON), %s",
                   path, local_error->message);
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

/* ---------------------------------------------------------------- merging */

typedef struct {
  NsPartial  *part;
  const char *name;
  char       *where;  /* the source file, canonical, so that data.csv and ./data.csv are one */
} NsPartRef;

static int
ns_compare_parts (gconstpointer a, gconstpointer b, gpointer unused)
{
  const NsPartRef *p = a, *q = b;
  const NsPartial *x = p->part, *y = q->part;
  int by_file = g_strcmp0 (p->where, q->where);

  if (by_file != 0)
    return by_file;
  if (x->range_start != y->range_start)
    return x->range_start < y->range_start ? -1 : 1;
  if (x->range_end != y->range_end)
    return x->range_end < y->range_end ? -1 : 1;
  return (x->rows > y->rows) - (x->rows < y->rows);
}

static gboolean
ns_same_options (const NsPartial *a, const NsPartial *b)
{
  const NsScalerOptions *x = &a->options, *y = &b->options;

  if (x->method != y->method || a->approx_quantiles != b->approx_quantiles)
    return FALSE;
  switch (x->method)
    {
    case NS_METHOD_STANDARD:
      return x->with_mean == y->with_mean && x->with_std == y->with_std &&
             g_strcmp0 (x->sample_weight, y->sample_weight) == 0;
    case NS_METHOD_MINMAX:
      return memcmp (x->feature_range, y->feature_range, sizeof x->feature_range) == 0 &&
             x->clip == y->clip;
    case NS_METHOD_ROBUST:
      return memcmp (x->quantile_range, y->quantile_range, sizeof x->quantile_range) == 0 &&
             x->with_centering == y->with_centering && x->with_scaling == y->with_scaling &&
             x->unit_variance == y->unit_variance;
    default:
      return TRUE;
    }
}

/* Parts weighed by different columns, or weighed and not, describe different fits. */
static gboolean
ns_partial_check_weights (const NsPartRef *first, const NsPartRef *other, GError **error)
{
  const char *a = first->part->sample_weight, *b = other->part->sample_weight;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  if (a != NULL && b != NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                 "%s: its sample weights (params sample_weight) are column '%s' but column '%s' "
                 "in %s", other->name, b, a, first->name);
  else if (b != NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                 "%s: fitted with sample weights (params sample_weight '%s'), %s without them",
                 other->name, b, first->name);
  else
    g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                 "%s: fitted without sample weights, %s with them (params sample_weight '%s')",
                 other->name, first->name, a);
  return FALSE;
}

static gboolean
ns_partial_check_compatible (const NsPartRef *first, const NsPartRef *other, GError **error)
{
  const NsPartial *a = first->part, *b = other->part;

  if (a->options.method != b->options.method)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: method '%s' does not match method '%s' of %s", other->name,
                   ns_method_to_string (b->options.method), ns_method_to_string (a->options.method),
                   first->name);
      return FALSE;
    }
  if (!ns_partial_check_weights (first, other, error))
    return FALSE;
  if (!ns_same_options (a, b))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: the %s parameters (params) differ from those of %s", other->name,
                   ns_method_to_string (b->options.method), first->name);
      return FALSE;
    }
  if (a->n_columns != b->n_columns)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: %u columns do not match the %u columns of %s", other->name, b->n_columns,
                   a->n_columns, first->name);
      return FALSE;
    }
  if (a->rank != b->rank || a->n_kept != b->n_kept ||
      memcmp (a->kept, b->kept, a->n_kept * sizeof *a->kept) != 0 ||
      (a->rank > 1 && memcmp (a->shape + 1, b->shape + 1, (a->rank - 1) * sizeof *a->shape) != 0))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: its layout (params rank, shape after the first axis, axis) differs from "
                   "that of %s", other->name, first->name);
      return FALSE;
    }
  for (guint c = 0; c < a->n_columns; c++)
    if (strcmp (a->names[c], b->names[c]) != 0)
      {
        g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                     "%s: column %u is '%s' but it is '%s' in %s", other->name, c + 1,
                     b->names[c], a->names[c], first->name);
        return FALSE;
      }
  return TRUE;
}

/* Two parts of one file whose byte ranges intersect would count rows twice. */
static gboolean
ns_partial_check_overlap (const NsPartRef *before, const NsPartRef *after, GError **error)
{
  const NsPartial *a = before->part, *b = after->part;
  gint64 a_end = a->range_start < 0 ? G_MAXINT64 : a->range_end;
  gint64 b_start = b->range_start < 0 ? 0 : b->range_start;

  if (before->where == NULL || g_strcmp0 (before->where, after->where) != 0 || b_start >= a_end)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "%s and %s both hold bytes %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " of %s: their "
               "rows would be counted twice", before->name, after->name, b_start,
               MIN (a_end, b->range_start < 0 ? G_MAXINT64 : b->range_end), a->file);
  return FALSE;
}

/* Parts that name one file must have read one version of it: the same size. */
static gboolean
ns_partial_check_version (const NsPartRef *before, const NsPartRef *after, GError **error)
{
  const NsPartial *a = before->part, *b = after->part;

  if (before->where == NULL || g_strcmp0 (before->where, after->where) != 0 || a->size < 0 ||
      b->size < 0 || a->size == b->size)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "%s and %s read two versions of %s (%" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
               " bytes): fit every part from the same file", before->name, after->name, a->file,
               a->size, b->size);
  return FALSE;
}

/* A whole file is known by its size and SHA-256, however its name is spelled. */
static gboolean
ns_partial_check_duplicate (const NsPartRef *refs, guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        const NsPartial *a = refs[i].part, *b = refs[j].part;

        if (a->range_start >= 0 || b->range_start >= 0 || a->sha256 == NULL ||
            b->sha256 == NULL || a->size != b->size || strcmp (a->sha256, b->sha256) != 0)
          continue;
        g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                     "%s and %s are fits of the same data (%" G_GINT64_FORMAT " bytes, SHA-256 "
                     "%.12s…): their rows would be counted twice", refs[i].name, refs[j].name,
                     a->size, a->sha256);
        return FALSE;
      }
  return TRUE;
}

static gboolean
ns_partial_fail_gap (const NsPartRef *ref, gint64 start, gint64 end, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "bytes %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " of %s are in no part (%s and the "
               "others must tile the whole file): fit them with --byte-range %" G_GINT64_FORMAT
               ":%" G_GINT64_FORMAT, start, end, ref->part->file, ref->name, start, end);
  return FALSE;
}

/* The byte ranges of one file, sorted, must cover [0, size) without a gap. */
static gboolean
ns_partial_check_tiling (const NsPartRef *refs, guint first, guint last, GError **error)
{
  gint64 covered = 0, size = refs[first].part->size;

  if (refs[first].part->range_start < 0)
    return TRUE;  /* a whole-file part: any other part of the file overlaps it */
  for (guint i = first; i <= last; i++)
    {
      if (refs[i].part->range_start > covered)
        return ns_partial_fail_gap (&refs[i], covered, refs[i].part->range_start, error);
      covered = MAX (covered, refs[i].part->range_end);
    }
  if (size >= 0 && covered < size)
    return ns_partial_fail_gap (&refs[last], covered, size, error);
  return TRUE;
}

/* Parts must describe the data once each: sorted refs, grouped by file. */
static gboolean
ns_partial_check_coverage (const NsPartRef *refs, guint n, GError **error)
{
  guint first = 0;

  if (!ns_partial_check_duplicate (refs, n, error))
    return FALSE;
  for (guint i = 1; i <= n; i++)
    {
      if (i < n && refs[i].where != NULL && g_strcmp0 (refs[i].where, refs[first].where) == 0)
        {
          if (!ns_partial_check_version (&refs[i - 1], &refs[i], error) ||
              !ns_partial_check_overlap (&refs[i - 1], &refs[i], error))
            return FALSE;
          continue;
        }
      if (refs[first].where != NULL && !ns_partial_check_tiling (refs, first, i - 1, error))
        return FALSE;
      first = i;
    }
  return TRUE;
}

static void
ns_partial_add (NsPartial *self, const NsPartial *other)
{
  for (guint c = 0; c < self->n_columns; c++)
    {
      ns_moments_merge (&self->moments[c], &other->moments[c]);
      if (self->sketches != NULL)
        ns_sketch_merge (self->sketches[c], other->sketches[c]);
    }
  self->rows += other->rows;
}

/* The merged source: one file's contiguous ranges stay a range; anything else is no range. */
static void
ns_partial_merge_source (NsPartial *merged, const NsPartRef *refs, guint n)
{
  const NsPartial *first = refs[0].part;
  gboolean one_file = TRUE, contiguous = first->range_start >= 0;
  guint64 rows = 0;

  for (guint i = 0; i < n; i++)
    {
      rows += refs[i].part->rows;
      one_file &= refs[0].where != NULL && g_strcmp0 (refs[i].where, refs[0].where) == 0;
      if (i > 0)
        contiguous &= refs[i].part->range_start == refs[i - 1].part->range_end;
    }
  if (n == 1)
    ns_partial_set_source (merged, first->file, first->range_start, first->range_end, first->size,
                           first->sha256, rows);
  else if (one_file && contiguous && first->range_start == 0 && first->size >= 0 &&
           refs[n - 1].part->range_end >= first->size)
    ns_partial_set_source (merged, first->file, -1, -1, first->size, NULL, rows);
  else if (one_file && contiguous)
    ns_partial_set_source (merged, first->file, first->range_start, refs[n - 1].part->range_end,
                           first->size, NULL, rows);
  else
    ns_partial_set_source (merged, one_file ? first->file : NULL, -1, -1, -1, NULL, rows);
}

static gboolean
ns_partial_check_refs (const NsPartRef *refs, guint n, GError **error)
{
  for (guint i = 1; i < n; i++)
    if (!ns_partial_check_compatible (&refs[0], &refs[i], error))
      return FALSE;
  return ns_partial_check_coverage (refs, n, error);
}

static void
ns_part_refs_free (NsPartRef *refs, guint n)
{
  for (guint i = 0; i < n; i++)
    g_free (refs[i].where);
  g_free (refs);
}

static NsPartial *
ns_partial_merge_refs (const NsPartRef *refs, guint n)
{
  g_autoptr (NsPartial) merged = NULL;

  merged = ns_partial_new (&refs[0].part->options, refs[0].part->approx_quantiles,
                           refs[0].part->n_columns, (const char *const *) refs[0].part->names,
                           (const char *const *) refs[0].part->labels);
  for (guint i = 0; i < n; i++)
    ns_partial_add (merged, refs[i].part);
  ns_partial_merge_source (merged, refs, n);
  if (refs[0].part->rank > 0)
    {
      ns_partial_set_tensor (merged, refs[0].part->shape, refs[0].part->rank, refs[0].part->kept,
                             refs[0].part->n_kept);
      merged->shape[0] = 0;
      for (guint i = 0; i < n; i++)
        merged->shape[0] += refs[i].part->shape[0];
    }
  return g_steal_pointer (&merged);
}

NsPartial *
ns_partial_merge (NsPartial *const *parts, const char *const *names, guint n, GError **error)
{
  NsPartRef *refs;
  NsPartial *merged;

  g_return_val_if_fail (n > 0, NULL);
  refs = g_new (NsPartRef, n);
  for (guint i = 0; i < n; i++)
    refs[i] = (NsPartRef) { parts[i], names[i], parts[i]->file == NULL ? NULL
                            : g_canonicalize_filename (parts[i]->file, NULL) };
  g_qsort_with_data (refs, n, sizeof *refs, ns_compare_parts, NULL);
  merged = ns_partial_check_refs (refs, n, error) ? ns_partial_merge_refs (refs, n) : NULL;
  ns_part_refs_free (refs, n);
  return merged;
}

/* ---------------------------------------------------------------- the last step of a fit */

/* Robust needs quantiles, which partial statistics hold only as the sketch's approximation. */
static gboolean
ns_partial_check_quantiles (const NsPartial *self, const char *data, GError **error)
{
  if (self->options.method != NS_METHOD_ROBUST || self->sketches != NULL)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: method robust needs quantiles, which partial statistics hold only as an "
               "approximation: ask for it with --approx-quantiles", data);
  return FALSE;
}

static gboolean
ns_partial_store_column (const NsPartial *self, NsStats *stats, guint c, GError **error)
{
  const NsScalerOptions *o = &self->options;
  NsFeatureInput in = { self->file != NULL ? self->file : "data", self->names[c],
                        &self->moments[c], NAN, NAN, NAN };

  if (o->method == NS_METHOD_ROBUST)
    {
      in.median = ns_sketch_quantile (self->sketches[c], 0.5);
      in.q1 = ns_sketch_quantile (self->sketches[c], o->quantile_range[0] / 100);
      in.q3 = ns_sketch_quantile (self->sketches[c], o->quantile_range[1] / 100);
    }
  return ns_scaler_store_moments (stats, c, o, &in, error);
}

/* Marks the quantiles as the sketch's (rank error <= 0.5 %), not numpy's exact ones. */
static void
ns_partial_set_params (const NsPartial *self, NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);

  ns_scaler_set_method_params (params, &self->options);
  if (self->options.method == NS_METHOD_ROBUST)
    json_object_set_boolean_member (params, "approx_quantiles", TRUE);
  if (self->rank > 0)
    ns_scaler_set_tensor_params (params, self->shape, self->rank, self->kept, self->n_kept);
}

NsStats *
ns_partial_to_stats (const NsPartial *self, GError **error)
{
  g_autoptr (NsStats) stats = NULL;

  if (self->n_columns == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column to fit",
                   self->file != NULL ? self->file : "data");
      return NULL;
    }
  if (!ns_partial_check_quantiles (self, self->file != NULL ? self->file : "data", error))
    return NULL;
  stats = ns_stats_new (ns_method_to_string (self->options.method), self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    if (!ns_partial_store_column (self, stats, c, error))
      return NULL;
  ns_partial_set_params (self, stats);
  ns_stats_set_label_names (stats, (const char *const *) self->labels);
  ns_stats_set_source (stats, self->file, (gsize) self->rows,
                       self->range_start < 0 ? self->sha256 : NULL);
  return g_steal_pointer (&stats);
}
