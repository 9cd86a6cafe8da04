/* ns-stats-json.c: the JSON stats file: writing with exact doubles, reading with validation.
 *
 * json-glib 1.6's generator prints doubles with "%.17g" and then appends ".0" when it sees no '.',
 * which turns 1e+308 into the invalid "1e+308.0". So the text is written here, node by node, with
 * ns_format_double for every double and ns_json_append_string for every string; json-glib parses
 * the file (its parser reads numbers with correct rounding, see test-stats).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stats.h"
#include "ns-npz-import.h"
#include "ns-normalize-import.h"
#include "ns-json.h"
#include "ns-normalizer.h"
#include "ns-output.h"
#include "ns-quantile-transformer.h"

#include <math.h>
#include <string.h>

static const char *const ns_stats_column_keys[] = { "name",     "count",  "missing", "mean",
                                                    "variance", "offset", "scale",   NULL };
/* Per-column members that hold an array of numbers (quantile). Every other member is a number. */
static const char *const ns_stats_column_array_keys[] = { "quantiles", NULL };
static const char *const ns_stats_top_keys[] = { "format", "version", "method",
                                                 "params", "source",  "references",
                                                 "labels", "columns", NULL };

/* The names the enum-like strings take, as fit, batchnorm and the .npz import write them. A name
 * ending in ':' takes a count after it ("window:10"). */
static const char *const ns_stats_methods[] = { "standard",   "keras",       "minmax",  "maxabs",
                                                "robust",     "yeo-johnson", "box-cox", "quantile",
                                                "normalizer", "batchnorm",   NULL };
static const char *const ns_stats_presets[] = { "pytorch", "keras", "keras-fused", "flax", NULL };
static const char *const ns_stats_conventions[] = { "weight-of-new", "weight-of-old", NULL };
static const char *const ns_stats_estimators[] = { "unbiased", "biased", NULL };
static const char *const ns_stats_averages[] = { "ema",     "ema-debiased", "cumulative", "warmup",
                                                 "window:", "exact",        NULL };
static const char *const ns_stats_importers[] = { "npz", NULL };
static const char *const ns_stats_dtypes[] = { "f64", "f32", NULL };
static const struct {
  const char *key;
  const char *const *names;
  gboolean array; /* an array of such names */
} ns_stats_param_names[] = {
  { "preset", ns_stats_presets, FALSE },
  { "momentum_convention", ns_stats_conventions, FALSE },
  { "running_var_estimator", ns_stats_estimators, FALSE },
  { "dtype", ns_stats_dtypes, FALSE },
  { "averages", ns_stats_averages, TRUE },
  { "imported_from", ns_stats_importers, FALSE },
  { "output_distribution", ns_quantile_output_names, FALSE },
  { "norm", ns_norm_kind_names, FALSE },
};

/* Writing. */

/* Non-finite values too: ns_json_write_object writes them as null and 1e999. */
static void
ns_json_set_double (JsonObject *object, const char *key, double value)
{
  json_object_set_member (object, key, json_node_init_double (json_node_alloc (), value));
}

static JsonNode *
ns_json_double_array_node (const double *values, gsize n)
{
  JsonArray *array = json_array_sized_new ((guint) n);
  JsonNode *node;

  for (gsize i = 0; i < n; i++)
    json_array_add_double_element (array, values[i]);
  node = json_node_init_array (json_node_alloc (), array); /* takes its own reference */
  json_array_unref (array);
  return node;
}

static JsonObject *
ns_stats_column_to_json (const NsStats *self, guint c)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", ns_stats_get_name (self, c));
  ns_json_set_double (object, "count", ns_stats_get_count (self, c));
  ns_json_set_double (object, "missing", ns_stats_get_missing (self, c));
  ns_json_set_double (object, "mean", ns_stats_get_mean (self, c));
  ns_json_set_double (object, "variance", ns_stats_get_variance (self, c));
  ns_json_set_double (object, "offset", ns_stats_get_offset (self, c));
  ns_json_set_double (object, "scale", ns_stats_get_scale (self, c));
  for (guint i = 0; i < ns_stats_get_n_fields (self, c); i++)
    ns_json_set_double (object, ns_stats_get_field_key (self, c, i),
                        ns_stats_get_field_value (self, c, i));
  for (guint i = 0; i < ns_stats_get_n_arrays (self, c); i++)
    {
      const char *key = ns_stats_get_array_key (self, c, i);
      gsize n;
      const double *values = ns_stats_get_array (self, c, key, &n);

      json_object_set_member (object, key, ns_json_double_array_node (values, n));
    }
  return object;
}

static JsonObject *
ns_stats_source_to_json (const NsStats *self)
{
  JsonObject *source = json_object_new ();
  const char *file = ns_stats_get_source_file (self);
  const char *sha256 = ns_stats_get_source_sha256 (self);

  if (file != NULL)
    json_object_set_string_member (source, "file", file);
  else
    json_object_set_null_member (source, "file");
  json_object_set_int_member (source, "rows", (gint64) ns_stats_get_source_rows (self));
  if (sha256 != NULL)
    json_object_set_string_member (source, "sha256", sha256);
  else
    json_object_set_null_member (source, "sha256");
  return source;
}

/* Every member but "columns", which a file of a million columns could not hold as a tree. */
static JsonObject *
ns_stats_head_to_json (const NsStats *self)
{
  JsonObject *root = json_object_new ();
  JsonArray *labels = json_array_new ();
  const char *const *label_names = ns_stats_get_label_names (self);
  JsonObject *extra = (JsonObject *) ns_stats_peek_extra (self);
  g_autoptr (GList) extra_keys = json_object_get_members (extra);

  json_object_set_string_member (root, "format", NS_STATS_FORMAT);
  json_object_set_int_member (root, "version", NS_STATS_VERSION);
  json_object_set_string_member (root, "method", ns_stats_get_method (self));
  json_object_set_member (root, "params",
                          json_node_init_object (json_node_alloc (),
                                                 (JsonObject *) ns_stats_peek_params (self)));
  json_object_set_object_member (root, "source", ns_stats_source_to_json (self));
  {
    gsize n_references;
    const double *references = ns_stats_get_references (self, &n_references);

    if (references != NULL)
      json_object_set_member (root, "references",
                              ns_json_double_array_node (references, n_references));
  }
  for (GList *l = extra_keys; l != NULL; l = l->next)
    if (!g_strv_contains (ns_stats_top_keys, l->data))
      json_object_set_member (root, l->data,
                              json_node_copy (json_object_get_member (extra, l->data)));
  for (guint i = 0; label_names[i] != NULL; i++)
    json_array_add_string_element (labels, label_names[i]);
  json_object_set_array_member (root, "labels", labels);
  return root;
}

/* The stats file's text, one column's tree at a time, appended to out; with a sink, out is handed
 * to it as it grows, so a million columns take no more memory than one. */
static gboolean
ns_stats_write_json (const NsStats *self, GString *out, NsOutput *sink, GError **error)
{
  g_autoptr (JsonObject) head = ns_stats_head_to_json (self);
  guint n = ns_stats_get_n_columns (self);

  g_string_append_c (out, '{');
  ns_json_write_members (out, head, 0, FALSE);
  g_string_append (out, ",\n  \"columns\": [");
  for (guint c = 0; c < n; c++)
    {
      g_autoptr (JsonObject) column = ns_stats_column_to_json (self, c);

      g_string_append (out, c > 0 ? ",\n    " : "\n    ");
      ns_json_write_object (out, column, 4, FALSE);
      if (sink != NULL && out->len >= 65536)
        {
          if (!ns_output_write (sink, out->str, out->len, error))
            return FALSE;
          g_string_truncate (out, 0);
        }
    }
  g_string_append (out, n > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return sink == NULL || ns_output_write (sink, out->str, out->len, error);
}

char *
ns_stats_to_json_string (const NsStats *self)
{
  GString *out = g_string_new (NULL);

  ns_stats_write_json (self, out, NULL, NULL);
  return g_string_free (out, FALSE);
}

static NsStats *ns_stats_parse_text (const char *path, const char *text, gsize length,
                                     GError **error);

/* Every stats file normscope writes is one it reads back: the transform check, then (up to
 * NS_STATS_READ_BACK_MAX_COLUMNS columns, where json-glib's tree of the text stays small) the
 * reader itself on the text, so a fit that gives inf or NaN is refused, not written. Wider files
 * are written a column at a time. */
#define NS_STATS_READ_BACK_MAX_COLUMNS 4096
gboolean
ns_stats_save (const NsStats *self, const char *path, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (NsStats) back = NULL;
  NsOutput *sink;

  if (!ns_stats_check_transform (self, path, error))
    {
      g_prefix_error (error, "not written: ");
      return FALSE;
    }
  if (ns_stats_get_n_columns (self) <= NS_STATS_READ_BACK_MAX_COLUMNS)
    {
      ns_stats_write_json (self, out, NULL, NULL);
      if ((back = ns_stats_parse_text (path, out->str, out->len, error)) == NULL)
        {
          g_prefix_error (error, "not written, as normscope could not read it back: ");
          return FALSE;
        }
      return ns_output_write_file (path, out->str, out->len, error);
    }
  if ((sink = ns_output_open (path, error)) == NULL)
    return FALSE;
  if (!ns_stats_write_json (self, out, sink, error))
    {
      ns_output_abort (sink);
      return FALSE;
    }
  return ns_output_commit (sink, error);
}

/* Reading. Every error names the file and the JSON path of the offending member. */

static gboolean
ns_stats_is_name_of (const char *text, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize len = strlen (names[i]);
      gboolean takes_count = names[i][len - 1] == ':';

      if (!takes_count && strcmp (text, names[i]) == 0)
        return TRUE;
      if (takes_count && strncmp (text, names[i], len) == 0 && text[len] != '\0' &&
          text[len + strspn (text + len, "0123456789")] == '\0')
        return TRUE;
    }
  return FALSE;
}

/* "a, b or c" (a count-taking name as "window:N"). */
static char *
ns_stats_names_text (const char *const *names)
{
  GString *out = g_string_new (NULL);
  guint n = g_strv_length ((char **) names);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s%s",
                            i == 0      ? ""
                            : i + 1 < n ? ", "
                                        : " or ",
                            names[i], g_str_has_suffix (names[i], ":") ? "N" : "");
  return g_string_free (out, FALSE);
}

/* The byte offset of the first control character (C0, DEL, C1) in UTF-8 text, or -1. */
static gssize
ns_stats_find_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
        return p - text;
    }
  return -1;
}

/* A known name; a string with control characters is named by position, never printed. */
static gboolean
ns_stats_check_name (NsJsonReader *reader, const char *path, JsonNode *node,
                     const char *const *names)
{
  g_autofree char *expected = ns_stats_names_text (names);
  const char *text;
  gssize control;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return ns_json_fail (reader, path, expected, node);
  text = json_node_get_string (node);
  if (ns_stats_is_name_of (text, names))
    return TRUE;
  if (!ns_json_check_string_is_text (reader, path, text))
    return FALSE;
  control = ns_stats_find_control (text);
  if (control < 0)
    return ns_json_fail (reader, path, expected, node);
  g_set_error (
    reader->error, NS_ERROR, NS_ERROR_PARSE,
    "%s: %s: expected %s, found a string with a control character (U+%04X at byte %" G_GSSIZE_FORMAT
    ")",
    reader->file, path, expected, g_utf8_get_char (text + control), control);
  return FALSE;
}

/* Every enum-like member of params that is present names a known value. */
static gboolean
ns_stats_check_param_names (NsJsonReader *reader, JsonObject *params)
{
  for (guint i = 0; i < G_N_ELEMENTS (ns_stats_param_names); i++)
    {
      JsonNode *node = json_object_get_member (params, ns_stats_param_names[i].key);
      g_autofree char *path = g_strconcat ("params.", ns_stats_param_names[i].key, NULL);
      JsonArray *array;

      if (node == NULL)
        continue;
      if (!ns_stats_param_names[i].array)
        {
          if (!ns_stats_check_name (reader, path, node, ns_stats_param_names[i].names))
            return FALSE;
          continue;
        }
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return ns_json_fail (reader, path, "an array of names", node);
      array = json_node_get_array (node);
      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, j);

          if (!ns_stats_check_name (reader, element_path, json_array_get_element (array, j),
                                    ns_stats_param_names[i].names))
            return FALSE;
        }
    }
  return TRUE;
}

/* An array of numbers (g_free it), or NULL after naming the first element that is not one. */
static double *
ns_stats_read_numbers (NsJsonReader *reader, const char *path, JsonNode *node, gsize *n)
{
  JsonArray *array = json_node_get_array (node);
  g_autofree double *values = g_new (double, MAX (json_array_get_length (array), 1));

  *n = json_array_get_length (array);
  for (guint i = 0; i < *n; i++)
    if (!ns_json_node_to_double (json_array_get_element (array, i), &values[i]))
      {
        g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);

        ns_json_fail (reader, element_path, "a number", json_array_get_element (array, i));
        return NULL;
      }
  return g_steal_pointer (&values);
}

static gboolean
ns_stats_read_references (NsJsonReader *reader, NsStats *stats, JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "references");
  g_autofree double *values = NULL;
  gsize n;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return ns_json_fail (reader, "references", "an array of numbers", node);
  if ((values = ns_stats_read_numbers (reader, "references", node, &n)) == NULL)
    return FALSE;
  ns_stats_set_references (stats, values, n);
  return TRUE;
}

/* A batch norm's running statistics, which its exports load as they are: a mean finite, a
 * variance finite and >= 0 (an eval-mode layer would take the square root of -1). */
static gboolean
ns_stats_check_running_field (NsJsonReader *reader, JsonObject *object, const char *prefix,
                              const char *key, double value)
{
  const char *expected = NULL;
  g_autofree char *path = NULL;

  if (g_str_equal (key, "running_mean") && !isfinite (value))
    expected = "a finite number";
  else if (g_str_equal (key, "running_var") && !(value >= 0 && isfinite (value)))
    expected = "a finite number >= 0";
  if (expected == NULL)
    return TRUE;
  path = g_strconcat (prefix, key, NULL);
  return ns_json_fail (reader, path, expected, json_object_get_member (object, key));
}

/* A batch norm's eps (finite, >= 0) and momentum (from 0 to 1), where the stats give them. */
static gboolean
ns_stats_check_batchnorm_params (NsJsonReader *reader, JsonObject *params)
{
  JsonNode *eps = json_object_get_member (params, "eps");
  JsonNode *momentum = json_object_get_member (params, "momentum");
  double value;

  if (eps != NULL && !(ns_json_node_to_double (eps, &value) && value >= 0 && isfinite (value)))
    return ns_json_fail (reader, "params.eps", "a finite number >= 0", eps);
  if (momentum != NULL && !JSON_NODE_HOLDS_NULL (momentum) &&
      !(ns_json_node_to_double (momentum, &value) && value >= 0 && value <= 1))
    return ns_json_fail (reader, "params.momentum", "a number from 0 to 1 (or null)", momentum);
  return TRUE;
}

static gboolean
ns_stats_read_column (NsJsonReader *reader, NsStats *stats, guint c, JsonNode *node)
{
  g_autofree char *prefix = g_strdup_printf ("columns[%u].", c);
  g_autofree char *path = g_strdup_printf ("columns[%u]", c);
  g_autofree char *name_path = g_strdup_printf ("columns[%u].name", c);
  double count, missing, mean, variance, offset, scale;
  g_autoptr (GList) keys = NULL;
  JsonObject *object;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return ns_json_fail (reader, path, "an object", node);
  object = json_node_get_object (node);
  name = ns_json_read_string (reader, object, name_path, "name");
  if (name == NULL || !ns_json_check_string_is_text (reader, name_path, name) ||
      !ns_json_read_count (reader, object, prefix, "count", &count) ||
      !ns_json_read_count (reader, object, prefix, "missing", &missing) ||
      !ns_json_read_double (reader, object, prefix, "mean", &mean) ||
      !ns_json_read_double (reader, object, prefix, "variance", &variance) ||
      !ns_json_read_double (reader, object, prefix, "offset", &offset) ||
      !ns_json_read_double (reader, object, prefix, "scale", &scale))
    return FALSE;
  if (!isfinite (offset))
    {
      g_autofree char *offset_path = g_strconcat (prefix, "offset", NULL);

      return ns_json_fail (reader, offset_path, "a finite number",
                           json_object_get_member (object, "offset"));
    }
  if (!(scale > 0) || isinf (scale))
    {
      g_autofree char *scale_path = g_strconcat (prefix, "scale", NULL);

      return ns_json_fail (reader, scale_path, "a positive finite number",
                           json_object_get_member (object, "scale"));
    }
  ns_stats_set_column (stats, c, name, count, missing, mean, variance, offset, scale);
  keys = json_object_get_members (object);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      double value;

      if (g_strv_contains (ns_stats_column_keys, l->data))
        continue;
      if (g_strv_contains (ns_stats_column_array_keys, l->data) &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, l->data)))
        {
          g_autofree char *array_path = g_strconcat (prefix, l->data, NULL);
          g_autofree double *values = NULL;
          gsize n;

          if ((values = ns_stats_read_numbers (reader, array_path,
                                               json_object_get_member (object, l->data), &n)) ==
              NULL)
            return FALSE;
          ns_stats_set_array (stats, c, l->data, values, n);
          continue;
        }
      if (!ns_json_read_double (reader, object, prefix, l->data, &value) ||
          !ns_stats_check_running_field (reader, object, prefix, l->data, value))
        return FALSE;
      ns_stats_set_field (stats, c, l->data, value);
    }
  return TRUE;
}

static gboolean
ns_stats_check_header (NsJsonReader *reader, JsonObject *root)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *version = json_object_get_member (root, "version");

  if (format == NULL || json_node_get_value_type (format) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (format), NS_STATS_FORMAT) != 0)
    return ns_json_fail (reader, "format", "\"" NS_STATS_FORMAT "\"", format);
  if (version == NULL || json_node_get_value_type (version) != G_TYPE_INT64)
    return ns_json_fail (reader, "version", "an integer", version);
  if (json_node_get_int (version) != NS_STATS_VERSION)
    {
      g_set_error (
        reader->error, NS_ERROR, NS_ERROR_UNSUPPORTED,
        "%s: version: this normscope reads version %d stats files, found version %" G_GINT64_FORMAT,
        reader->file, NS_STATS_VERSION, json_node_get_int (version));
      return FALSE;
    }
  return TRUE;
}

static gboolean
ns_stats_read_source (NsJsonReader *reader, NsStats *stats, JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "source");
  JsonNode *rows;
  JsonObject *source;
  const char *file, *sha256;
  gboolean ok = TRUE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return ns_json_fail (reader, "source", "an object", node);
  source = json_node_get_object (node);
  rows = json_object_get_member (source, "rows");
  file = ns_json_read_optional_string (reader, source, "source.", "file", &ok);
  if (!ok || !ns_json_check_string_is_text (reader, "source.file", file))
    return FALSE;
  if (rows == NULL || json_node_get_value_type (rows) != G_TYPE_INT64 ||
      json_node_get_int (rows) < 0)
    return ns_json_fail (reader, "source.rows", "a non-negative integer", rows);
  sha256 = ns_json_read_optional_string (reader, source, "source.", "sha256", &ok);
  if (!ok || !ns_json_check_string_is_text (reader, "source.sha256", sha256))
    return FALSE;
  ns_stats_set_source (stats, file, (gsize) json_node_get_int (rows), sha256);
  return TRUE;
}

static gboolean
ns_stats_read_labels (NsJsonReader *reader, NsStats *stats, JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "labels");
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return ns_json_fail (reader, "labels", "an array of column names", node);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("labels[%u]", i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return ns_json_fail (reader, path, "a string", element);
      if (!ns_json_check_string_is_text (reader, path, json_node_get_string (element)))
        return FALSE;
      g_ptr_array_add (names, (gpointer) json_node_get_string (element));
    }
  g_ptr_array_add (names, NULL);
  ns_stats_set_label_names (stats, (const char *const *) names->pdata);
  return TRUE;
}

/* The kept dimensions of a tensor fit ("shape" and "axis" in params) must multiply to the number
 * of columns. */
static gboolean
ns_stats_check_shape (NsJsonReader *reader, NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);
  JsonNode *shape = json_object_get_member (params, "shape");
  JsonNode *axis = json_object_get_member (params, "axis");
  JsonArray *shape_array, *axis_array;
  guint64 expected = 1;

  if (shape == NULL || axis == NULL || !JSON_NODE_HOLDS_ARRAY (shape) ||
      !JSON_NODE_HOLDS_ARRAY (axis))
    return TRUE;
  shape_array = json_node_get_array (shape);
  axis_array = json_node_get_array (axis);
  for (guint i = 0; i < json_array_get_length (axis_array); i++)
    {
      JsonNode *element = json_array_get_element (axis_array, i);
      gint64 a =
        json_node_get_value_type (element) == G_TYPE_INT64 ? json_node_get_int (element) : -1;
      JsonNode *dim;

      if (a < 0 || a >= json_array_get_length (shape_array))
        {
          g_autofree char *path = g_strdup_printf ("params.axis[%u]", i);

          return ns_json_fail (reader, path, "an axis of params.shape", element);
        }
      dim = json_array_get_element (shape_array, (guint) a);
      if (json_node_get_value_type (dim) != G_TYPE_INT64 || json_node_get_int (dim) < 0)
        {
          g_autofree char *path = g_strdup_printf ("params.shape[%" G_GINT64_FORMAT "]", a);

          return ns_json_fail (reader, path, "a non-negative integer", dim);
        }
      expected *= (guint64) json_node_get_int (dim);
    }
  if (expected != ns_stats_get_n_columns (stats))
    {
      g_set_error (reader->error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: columns: expected %" G_GUINT64_FORMAT " columns (the kept axes of "
                   "params.shape), found %u",
                   reader->file, expected, ns_stats_get_n_columns (stats));
      return FALSE;
    }
  return TRUE;
}

static gboolean
ns_stats_check_unique_names (NsJsonReader *reader, NsStats *stats)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      const char *name = ns_stats_get_name (stats, c);

      if (!g_hash_table_add (seen, (gpointer) name))
        {
          g_set_error (reader->error, NS_ERROR, NS_ERROR_PARSE,
                       "%s: columns[%u].name: expected a name not used before, found '%s' again",
                       reader->file, c, name);
          return FALSE;
        }
    }
  return TRUE;
}

static void
ns_stats_read_extra (NsStats *stats, JsonObject *root)
{
  g_autoptr (GList) keys = json_object_get_members (root);
  JsonObject *extra = ns_stats_get_extra (stats);

  for (GList *l = keys; l != NULL; l = l->next)
    if (!g_strv_contains (ns_stats_top_keys, l->data))
      json_object_set_member (extra, l->data,
                              json_node_copy (json_object_get_member (root, l->data)));
}

NsStats *
ns_stats_from_json (JsonNode *root_node, const char *path, GError **error)
{
  NsJsonReader reader = { path != NULL ? path : "stats", error };
  g_autoptr (NsStats) stats = NULL;
  JsonNode *params, *columns_node, *format;
  JsonArray *columns;
  JsonObject *root;
  const char *method;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      ns_json_fail (&reader, "(top level)", "an object", root_node);
      return NULL;
    }
  root = json_node_get_object (root_node);
  format = json_object_get_member (root, "format");
  if (format != NULL && json_node_get_value_type (format) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (format), NS_NORMALIZE_FORMAT) == 0)
    return ns_normalize_import (root, reader.file, error);
  if (!ns_stats_check_header (&reader, root))
    return NULL;
  if (!ns_stats_check_name (&reader, "method", json_object_get_member (root, "method"),
                            ns_stats_methods))
    return NULL;
  method = json_object_get_string_member (root, "method");
  params = json_object_get_member (root, "params");
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    {
      ns_json_fail (&reader, "params", "an object", params);
      return NULL;
    }
  if (!ns_stats_check_param_names (&reader, json_node_get_object (params)) ||
      (g_strcmp0 (method, "batchnorm") == 0 &&
       !ns_stats_check_batchnorm_params (&reader, json_node_get_object (params))))
    return NULL;
  columns_node = json_object_get_member (root, "columns");
  if (columns_node == NULL || !JSON_NODE_HOLDS_ARRAY (columns_node) ||
      json_array_get_length (json_node_get_array (columns_node)) == 0)
    {
      ns_json_fail (&reader, "columns", "a non-empty array of column objects", columns_node);
      return NULL;
    }
  columns = json_node_get_array (columns_node);
  stats = ns_stats_new (method, json_array_get_length (columns));
  {
    g_autoptr (GList) keys = json_object_get_members (json_node_get_object (params));

    for (GList *l = keys; l != NULL; l = l->next)
      json_object_set_member (ns_stats_get_params (stats), l->data,
                              json_node_copy (
                                json_object_get_member (json_node_get_object (params), l->data)));
  }
  if (!ns_stats_read_source (&reader, stats, root) ||
      !ns_stats_read_labels (&reader, stats, root) ||
      !ns_stats_read_references (&reader, stats, root))
    return NULL;
  for (guint c = 0; c < json_array_get_length (columns); c++)
    if (!ns_stats_read_column (&reader, stats, c, json_array_get_element (columns, c)))
      return NULL;
  if (!ns_stats_check_unique_names (&reader, stats) || !ns_stats_check_shape (&reader, stats) ||
      !ns_stats_check_transform (stats, reader.file, error))
    return NULL;
  ns_stats_read_extra (stats, root);
  return g_steal_pointer (&stats);
}

static NsStats *
ns_stats_parse_text (const char *path, const char *text, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;

  if (!ns_json_check_text (path, text, length, error))
    return NULL;
  if (!ns_json_parser_load (parser, path, text, length, &local, error))
    {
      /* json-glib names the text "<data>"; put the file name there instead. */
      const char *message;

      if (local == NULL)
        return NULL;
      message = local->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      /* "4:11: Parse error: unexpected…": keep the position, drop the capitalised prefix. */
      {
        const char *prefix = strstr (message, "Parse error: ");

        if (prefix != NULL)
          {
            g_autofree char *position = g_strndup (message, prefix - message);

            g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s:%s%s", path, position,
                         prefix + strlen ("Parse error: "));
            return NULL;
          }
      }
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s:%s%s", path,
                   message == local->message ? " " : "", message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: the file is empty; expected a normscope stats file (JSON)", path);
      return NULL;
    }
  return ns_stats_from_json (json_parser_get_root (parser), path, error);
}

/* json-glib ends a string at "\u0000" and silently drops the rest ("a\u0000b" reads as "a"), which
 * no check after parsing can see: refuse the escape in any string, at its byte offset. */
static gboolean
ns_stats_check_no_nul_escape (const char *path, const char *text, gsize length, GError **error)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '"')
        in_string = !in_string;
      else if (in_string && text[i] == '\\')
        {
          if (length - i >= 6 && memcmp (text + i + 1, "u0000", 5) == 0)
            {
              g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                           "%s: byte %zu: expected a string without NUL characters, found \\u0000 "
                           "(JSON readers cut the text there)",
                           path, i);
              return FALSE;
            }
          i++; /* the escaped character, which may be a '"' */
        }
    }
  return TRUE;
}

NsStats *
ns_stats_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  const char *bad;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: cannot read the stats file: %s", path,
                   local->message);
      return NULL;
    }
  if (length >= 4 && memcmp (text, "PK\x03\x04", 4) == 0)
    {
      return ns_npz_import (path, error);
    }
  if (!g_utf8_validate (text, (gssize) length, &bad))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %zu: expected a normscope stats file (JSON text) or a NumPy .npz, "
                   "found %s",
                   path, (gsize) (bad - text),
                   *bad == '\0' ? "a binary file" : "bytes that are not UTF-8 text");
      return NULL;
    }
  if (!ns_stats_check_no_nul_escape (path, text, length, error))
    return NULL;
  return ns_stats_parse_text (path, text, length, error);
}
