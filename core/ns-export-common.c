/* ns-export-common.c: the export options, and the helpers every per-format exporter shares.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-common.h"
#include "ns-normalize-import.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ns-error.h"
#include "ns-format-double.h"
#include "ns-json.h"

void
ns_export_options_init (NsExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->dtype = NS_EXPORT_DTYPE_DEFAULT;
}

gboolean
ns_export_dtype_from_string (const char *name, NsExportDtype *dtype, GError **error)
{
  if (g_strcmp0 (name, "f32") == 0 || g_strcmp0 (name, "float32") == 0)
    *dtype = NS_EXPORT_DTYPE_F32;
  else if (g_strcmp0 (name, "f64") == 0 || g_strcmp0 (name, "float64") == 0)
    *dtype = NS_EXPORT_DTYPE_F64;
  else
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "unknown dtype '%s' (expected f32 or f64)", name != NULL ? name : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_export_is_batchnorm (const NsStats *stats)
{
  return g_strcmp0 (ns_stats_get_method (stats), "batchnorm") == 0;
}

gboolean
ns_export_is_instancenorm (const NsStats *stats)
{
  return g_strcmp0 (ns_stats_get_method (stats), NS_INSTANCENORM_METHOD) == 0;
}

double *
ns_export_quantity (const NsStats *stats, NsExportQuantity quantity)
{
  guint n = ns_stats_get_n_columns (stats);
  double *values = g_new (double, MAX (n, 1));

  for (guint c = 0; c < n; c++)
    switch (quantity)
      {
      case NS_EXPORT_COUNT:
        values[c] = ns_stats_get_count (stats, c);
        break;
      case NS_EXPORT_MISSING:
        values[c] = ns_stats_get_missing (stats, c);
        break;
      case NS_EXPORT_MEAN:
        values[c] = ns_stats_get_mean (stats, c);
        break;
      case NS_EXPORT_VARIANCE:
        values[c] = ns_stats_get_variance (stats, c);
        break;
      case NS_EXPORT_OFFSET:
        values[c] = ns_stats_get_offset (stats, c);
        break;
      case NS_EXPORT_SCALE:
        values[c] = ns_stats_get_scale (stats, c);
        break;
      default:
        g_assert_not_reached ();
      }
  return values;
}

double *
ns_export_field (const NsStats *stats, const char *key)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autofree double *values = g_new (double, MAX (n, 1));

  for (guint c = 0; c < n; c++)
    if (!ns_stats_get_field (stats, c, key, &values[c]))
      return NULL;
  return g_steal_pointer (&values);
}

char **
ns_export_common_fields (const NsStats *stats)
{
  guint n = ns_stats_get_n_columns (stats);
  GPtrArray *keys = g_ptr_array_new ();

  if (n > 0)
    for (guint i = 0; i < ns_stats_get_n_fields (stats, 0); i++)
      {
        const char *key = ns_stats_get_field_key (stats, 0, i);
        gboolean everywhere = TRUE;

        for (guint c = 1; c < n && everywhere; c++)
          everywhere = ns_stats_get_field (stats, c, key, NULL);
        if (everywhere)
          g_ptr_array_add (keys, g_strdup (key));
      }
  g_ptr_array_add (keys, NULL);
  return (char **) g_ptr_array_free (keys, FALSE);
}

static JsonNode *
ns_export_param (const NsStats *stats, const char *key)
{
  const JsonObject *params = ns_stats_peek_params (stats);

  return json_object_get_member ((JsonObject *) params, key);
}

double
ns_export_bn_eps (const NsStats *stats)
{
  return ns_stats_get_param_double (stats, "eps", 1e-5);
}

double *
ns_export_bn_running (const NsStats *stats, const char *key)
{
  double *values = ns_export_field (stats, key);
  gboolean is_var = g_strcmp0 (key, "running_var") == 0;
  double eps = ns_export_bn_eps (stats);

  if (values != NULL)
    return values;
  values = ns_export_quantity (stats, is_var ? NS_EXPORT_SCALE : NS_EXPORT_OFFSET);
  if (is_var)
    for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
      values[c] = values[c] * values[c] - eps;
  return values;
}

gint64
ns_export_num_batches_tracked (const NsStats *stats)
{
  JsonNode *node =
    json_object_get_member ((JsonObject *) ns_stats_peek_extra (stats), "num_batches_tracked");
  double value = 0;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (ns_json_node_to_double (node, &value) && isfinite (value))
    return (gint64) value;
  return 0;
}

guint
ns_export_rank (const NsStats *stats)
{
  double rank = ns_stats_get_param_double (stats, "rank", 2);

  return rank >= 1 && rank <= 32 ? (guint) rank : 2;
}

int
ns_export_kept_axis (const NsStats *stats)
{
  JsonNode *node = ns_export_param (stats, "axis");
  double axis;
  guint rank = ns_export_rank (stats);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) != 1)
        return -1;
      node = json_array_get_element (array, 0);
    }
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end;
      gint64 parsed = g_ascii_strtoll (text, &end, 10);

      if (end == text || *end != '\0')
        return -1;
      axis = (double) parsed;
    }
  else if ((node != NULL && JSON_NODE_HOLDS_NULL (node)) || !ns_json_node_to_double (node, &axis))
    return rank == 2 ? 1 : -1;
  if (axis < 0)
    axis += rank;
  return axis >= 1 && axis < rank ? (int) axis : -1;
}

/* The size of tensor axis a when it is kept (params "axis" lists it, "shape" gives its size), or 0.
 */
static gint64
ns_export_kept_size (const NsStats *stats, guint a)
{
  JsonObject *params = (JsonObject *) ns_stats_peek_params (stats);
  JsonNode *axis = json_object_get_member (params, "axis");
  JsonNode *shape = json_object_get_member (params, "shape");
  JsonArray *axes, *dims;

  if (axis == NULL || shape == NULL || !JSON_NODE_HOLDS_ARRAY (axis) ||
      !JSON_NODE_HOLDS_ARRAY (shape))
    return 0;
  axes = json_node_get_array (axis);
  dims = json_node_get_array (shape);
  for (guint i = 0; i < json_array_get_length (axes); i++)
    if (json_array_get_int_element (axes, i) == (gint64) a && a < json_array_get_length (dims))
      return json_array_get_int_element (dims, a);
  return 0;
}

guint
ns_export_torch_buffer_shape (const NsStats *stats, gint64 dims[NS_MAX_RANK])
{
  guint rank = MIN (ns_export_rank (stats), NS_MAX_RANK);
  gboolean known = FALSE;
  guint64 product = 1;

  for (guint a = 1; a < rank; a++)
    known = known || ns_export_kept_size (stats, a) > 0;
  if (rank <= 2 || !known)
    {
      dims[0] = ns_stats_get_n_columns (stats);
      return 1;
    }
  for (guint a = 1; a < rank; a++)
    {
      gint64 size = ns_export_kept_size (stats, a);

      dims[a - 1] = size > 0 ? size : 1;
      product *= (guint64) dims[a - 1];
    }
  if (product != ns_stats_get_n_columns (stats))
    {
      dims[0] = ns_stats_get_n_columns (stats);
      return 1;
    }
  return rank - 1;
}

gboolean
ns_export_use_f64 (const NsExportOptions *options, gboolean f64_default)
{
  if (options->dtype == NS_EXPORT_DTYPE_DEFAULT)
    return f64_default;
  return options->dtype == NS_EXPORT_DTYPE_F64;
}

gboolean
ns_export_float32_holds (double value)
{
  float narrow = (float) value;

  return !isfinite (value) || (isfinite (narrow) && (narrow != 0 || value == 0));
}

gboolean
ns_export_check_float32_scaling (const NsStats *stats, const char *format, GError **error)
{
  char text[NS_DOUBLE_BUF_SIZE];

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      double offset = ns_stats_get_offset (stats, c), scale = ns_stats_get_scale (stats, c);
      double lost = ns_export_float32_holds (offset) ? scale : offset;

      if (ns_export_float32_holds (offset) && ns_export_float32_holds (scale))
        continue;
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: column '%s': %s %s is beyond float32's range, so a float32 export would "
                   "not compute the transform (export with --dtype f64)",
                   format, ns_stats_get_name (stats, c), lost == offset ? "offset" : "scale",
                   ns_format_double (text, lost));
      return FALSE;
    }
  return TRUE;
}

/* Appends ".0" to integral text so Python and C read a floating-point literal. */
static void
ns_export_append_real (GString *out, const char *text)
{
  g_string_append (out, text);
  if (strpbrk (text, ".eE") == NULL)
    g_string_append (out, ".0");
}

void
ns_export_append_python_double (GString *out, double value)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (isnan (value))
    g_string_append (out, "float(\"nan\")");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "float(\"inf\")" : "float(\"-inf\")");
  else
    ns_export_append_real (out, ns_format_double (buf, value));
}

void
ns_export_append_c_double (GString *out, double value)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (isnan (value))
    g_string_append (out, "NAN");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "INFINITY" : "-INFINITY");
  else
    ns_export_append_real (out, ns_format_double (buf, value));
}

void
ns_export_append_c_float (GString *out, float value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *const formats[] = { "%.6g", "%.7g", "%.8g", "%.9g" };

  if (isnan (value) || isinf (value))
    {
      g_string_append (out, isnan (value) ? "NAN" : value > 0 ? "INFINITY" : "-INFINITY");
      return;
    }
  /* The shortest text that reads back as the same float (9 digits always do). */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if ((float) g_ascii_strtod (buf, NULL) == value)
        break;
    }
  ns_export_append_real (out, buf);
  g_string_append_c (out, 'f');
}

/* Compact JSON with numbers as the stats file prints them (shortest exact text; an integral
 * double and an integer read back from a file look the same), so text made from fitted stats and
 * from the reloaded file is identical. NaN and infinities become the strings the stats file uses.
 */
void
ns_export_append_json (GString *out, JsonNode *node)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_string_append (out, l != members ? "," : "");
            ns_json_append_string (out, l->data);
            g_string_append_c (out, ':');
            ns_export_append_json (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
        return;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            ns_export_append_json (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        return;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          double value = json_node_get_double (node);

          ns_format_double (buf, value);
          g_string_append_printf (out, isfinite (value) ? "%s" : "\"%s\"", buf);
          return;
        }
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          ns_json_append_string (out, json_node_get_string (node));
          return;
        }
      /* Integers and booleans print as json-glib prints them. */
      G_GNUC_FALLTHROUGH;
    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
    }
}

char *
ns_export_params_json (const NsStats *stats)
{
  g_autoptr (JsonNode) node = json_node_alloc ();
  GString *out = g_string_new (NULL);

  json_node_init_object (node, (JsonObject *) ns_stats_peek_params (stats));
  ns_export_append_json (out, node);
  return g_string_free (out, FALSE);
}

/* A string member, or null when text is NULL. */
static void
ns_export_append_json_member (GString *out, const char *key, const char *text)
{
  ns_json_append_string (out, key);
  g_string_append_c (out, ':');
  if (text != NULL)
    ns_json_append_string (out, text);
  else
    g_string_append (out, "null");
}

char *
ns_export_source_json (const NsStats *stats)
{
  GString *out = g_string_new ("{");

  ns_export_append_json_member (out, "file", ns_stats_get_source_file (stats));
  g_string_append_printf (out, ",\"rows\":%" G_GUINT64_FORMAT ",",
                          (guint64) ns_stats_get_source_rows (stats));
  ns_export_append_json_member (out, "sha256", ns_stats_get_source_sha256 (stats));
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
