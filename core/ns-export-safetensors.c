/* ns-export-safetensors.c: stats as a safetensors file with PyTorch's state_dict names: those of
 * torch.nn.BatchNorm for batch norm, those of the torch snippet's Normalize module (offset, scale,
 * in its buffers' shape) for the scalers, so load_state_dict(strict=True) takes either.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-safetensors.h"

#include <string.h>
#include "ns-json.h"

typedef struct {
  char *name;
  const char *dtype; /* "F32", "F64", "I64" */
  guint alignment;   /* bytes per element */
  guint n_dims;      /* 0: a scalar */
  gint64 dims[NS_MAX_RANK];
  GBytes *data; /* little-endian elements */
} NsTensor;

static void
ns_tensor_clear (gpointer data)
{
  NsTensor *tensor = data;

  g_free (tensor->name);
  g_bytes_unref (tensor->data);
}

/* n values as a tensor of shape dims (NULL: (n)). */
static void
ns_tensors_add_floats (GArray *tensors, const char *prefix, const char *name, const double *values,
                       guint n, const gint64 *dims, guint n_dims, gboolean f64)
{
  NsTensor tensor = {
    g_strconcat (prefix, name, NULL), f64 ? "F64" : "F32", f64 ? 8 : 4, 1, { n }, NULL
  };
  GByteArray *bytes = g_byte_array_sized_new (n * tensor.alignment);

  if (dims != NULL)
    {
      tensor.n_dims = n_dims;
      memcpy (tensor.dims, dims, n_dims * sizeof *dims);
    }
  for (guint i = 0; i < n; i++)
    {
      if (f64)
        {
          union {
            double d;
            guint64 u;
          } v = { .d = values[i] };
          guint64 le = GUINT64_TO_LE (v.u);

          g_byte_array_append (bytes, (const guint8 *) &le, 8);
        }
      else
        {
          union {
            float f;
            guint32 u;
          } v = { .f = (float) values[i] };
          guint32 le = GUINT32_TO_LE (v.u);

          g_byte_array_append (bytes, (const guint8 *) &le, 4);
        }
    }
  tensor.data = g_byte_array_free_to_bytes (bytes);
  g_array_append_val (tensors, tensor);
}

static void
ns_tensors_add_int64_scalar (GArray *tensors, const char *prefix, const char *name, gint64 value)
{
  guint64 le = GUINT64_TO_LE ((guint64) value);
  NsTensor tensor = { g_strconcat (prefix, name, NULL), "I64", 8, 0, { 0 }, g_bytes_new (&le, 8) };

  g_array_append_val (tensors, tensor);
}

/* The reference writer's order: larger alignment first, then by name. */
static int
ns_tensor_compare (gconstpointer a, gconstpointer b)
{
  const NsTensor *ta = a, *tb = b;

  if (ta->alignment != tb->alignment)
    return ta->alignment > tb->alignment ? -1 : 1;
  return strcmp (ta->name, tb->name);
}

static gboolean
ns_tensors_collect (const NsStats *stats, const NsExportOptions *options, GArray *tensors,
                    GError **error)
{
  guint n = ns_stats_get_n_columns (stats);
  const char *prefix = options->prefix != NULL ? options->prefix : "";
  gboolean f64 = ns_export_use_f64 (options, FALSE);

  if (ns_export_is_batchnorm (stats))
    {
      g_autofree double *weight = ns_stats_get_param_per_column (stats, "gamma", 1.0, error);
      g_autofree double *bias =
        weight != NULL ? ns_stats_get_param_per_column (stats, "beta", 0.0, error) : NULL;
      g_autofree double *running_mean = ns_export_bn_running (stats, "running_mean");
      g_autofree double *running_var = ns_export_bn_running (stats, "running_var");

      if (bias == NULL)
        return FALSE;
      ns_tensors_add_floats (tensors, prefix, "weight", weight, n, NULL, 0, f64);
      ns_tensors_add_floats (tensors, prefix, "bias", bias, n, NULL, 0, f64);
      ns_tensors_add_floats (tensors, prefix, "running_mean", running_mean, n, NULL, 0, f64);
      ns_tensors_add_floats (tensors, prefix, "running_var", running_var, n, NULL, 0, f64);
      ns_tensors_add_int64_scalar (tensors, prefix, "num_batches_tracked",
                                   ns_export_num_batches_tracked (stats));
    }
  else if (ns_export_is_instancenorm (stats))
    {
      g_autofree double *running_mean = ns_export_field (stats, "running_mean");
      g_autofree double *running_var = ns_export_field (stats, "running_var");

      /* InstanceNorm's buffers (affine=False has no weight and bias). */
      ns_tensors_add_floats (tensors, prefix, "running_mean", running_mean, n, NULL, 0, f64);
      ns_tensors_add_floats (tensors, prefix, "running_var", running_var, n, NULL, 0, f64);
      ns_tensors_add_int64_scalar (tensors, prefix, "num_batches_tracked", 0);
    }
  else if (!f64 && !ns_export_check_float32_scaling (stats, "safetensors", error))
    return FALSE;
  else
    {
      g_autofree double *offset = ns_export_quantity (stats, NS_EXPORT_OFFSET);
      g_autofree double *scale = ns_export_quantity (stats, NS_EXPORT_SCALE);
      gint64 dims[NS_MAX_RANK];
      guint n_dims = ns_export_torch_buffer_shape (stats, dims);

      ns_tensors_add_floats (tensors, prefix, "offset", offset, n, dims, n_dims, f64);
      ns_tensors_add_floats (tensors, prefix, "scale", scale, n, dims, n_dims, f64);
    }
  g_array_sort (tensors, ns_tensor_compare);
  return TRUE;
}

static char *
ns_safetensors_names_json (const NsStats *stats)
{
  GString *out = g_string_new ("[");

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      g_string_append (out, c > 0 ? "," : "");
      ns_json_append_string (out, ns_stats_get_name (stats, c));
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static JsonObject *
ns_safetensors_metadata (const NsStats *stats)
{
  JsonObject *metadata = json_object_new ();

  json_object_set_string_member (metadata, "format", NS_STATS_FORMAT);
  json_object_set_string_member (metadata, "method", ns_stats_get_method (stats));
  {
    g_autofree char *params = ns_export_params_json (stats);
    g_autofree char *source = ns_export_source_json (stats);
    g_autofree char *names = ns_safetensors_names_json (stats);

    json_object_set_string_member (metadata, "params", params);
    json_object_set_string_member (metadata, "source", source);
    json_object_set_string_member (metadata, "names", names);
  }
  return metadata;
}

static char *
ns_safetensors_header (const NsStats *stats, GArray *tensors)
{
  g_autoptr (JsonObject) header = json_object_new ();
  g_autoptr (JsonNode) root = json_node_alloc ();
  GString *out = g_string_new (NULL);
  guint64 offset = 0;

  json_object_set_object_member (header, "__metadata__", ns_safetensors_metadata (stats));
  for (guint i = 0; i < tensors->len; i++)
    {
      const NsTensor *tensor = &g_array_index (tensors, NsTensor, i);
      JsonObject *entry = json_object_new ();
      JsonArray *shape = json_array_new ();
      JsonArray *offsets = json_array_new ();
      gsize len = g_bytes_get_size (tensor->data);

      json_object_set_string_member (entry, "dtype", tensor->dtype);
      for (guint d = 0; d < tensor->n_dims; d++)
        json_array_add_int_element (shape, tensor->dims[d]);
      json_object_set_array_member (entry, "shape", shape);
      json_array_add_int_element (offsets, (gint64) offset);
      json_array_add_int_element (offsets, (gint64) (offset + len));
      json_object_set_array_member (entry, "data_offsets", offsets);
      json_object_set_object_member (header, tensor->name, entry);
      offset += len;
    }
  json_node_init_object (root, header);
  ns_export_append_json (out, root);
  return g_string_free (out, FALSE);
}

GBytes *
ns_export_safetensors_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  g_autoptr (GArray) tensors = g_array_new (FALSE, TRUE, sizeof (NsTensor));
  g_autofree char *header = NULL;
  GByteArray *out;
  gsize header_len;
  guint64 le_len;

  g_array_set_clear_func (tensors, ns_tensor_clear);
  if (!ns_tensors_collect (stats, options, tensors, error))
    return NULL;
  header = ns_safetensors_header (stats, tensors);
  /* The reference writer pads the JSON with spaces so the data starts 8-aligned. */
  header_len = (strlen (header) + 7) / 8 * 8;
  le_len = GUINT64_TO_LE ((guint64) header_len);
  out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) &le_len, 8);
  g_byte_array_append (out, (const guint8 *) header, (guint) strlen (header));
  for (gsize i = strlen (header); i < header_len; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  for (guint i = 0; i < tensors->len; i++)
    {
      GBytes *data = g_array_index (tensors, NsTensor, i).data;

      g_byte_array_append (out, g_bytes_get_data (data, NULL), (guint) g_bytes_get_size (data));
    }
  return g_byte_array_free_to_bytes (out);
}
