/* ns-export.c: export format names, and dispatch to the per-format writers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export.h"

#include <string.h>
#include "ns-output.h"
#include "ns-export-c-header.h"
#include "ns-export-csv.h"
#include "ns-export-escape.h"
#include "ns-export-npz.h"
#include "ns-export-onnx.h"
#include "ns-export-safetensors.h"
#include "ns-export-snippets.h"

static const struct {
  const char *name;
  const char *extension;
  GBytes *(*bytes) (const NsStats *stats, const NsExportOptions *options, GError **error);
} ns_export_formats[NS_EXPORT_N_FORMATS] = {
  [NS_EXPORT_NPZ] = { "npz", ".npz", ns_export_npz_bytes },
  [NS_EXPORT_SAFETENSORS] = { "safetensors", ".safetensors", ns_export_safetensors_bytes },
  [NS_EXPORT_KERAS] = { "keras", ".py", ns_export_keras_bytes },
  [NS_EXPORT_TORCH] = { "torch", ".py", ns_export_torch_bytes },
  [NS_EXPORT_SKLEARN] = { "sklearn", ".py", ns_export_sklearn_bytes },
  [NS_EXPORT_C_HEADER] = { "c-header", ".h", ns_export_c_header_bytes },
  [NS_EXPORT_CSV] = { "csv", ".csv", ns_export_csv_bytes },
  [NS_EXPORT_ONNX] = { "onnx", ".onnx", ns_export_onnx_bytes },
  [NS_EXPORT_TORCHVISION] = { "torchvision", ".py", ns_export_torchvision_bytes },
};

gboolean
ns_export_format_from_string (const char *name, NsExportFormat *format, GError **error)
{
  for (guint i = 0; i < NS_EXPORT_N_FORMATS; i++)
    if (g_strcmp0 (name, ns_export_formats[i].name) == 0)
      {
        *format = (NsExportFormat) i;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown export format '%s' (expected npz, safetensors, keras, torch, sklearn, "
               "c-header, csv, onnx or torchvision)",
               name != NULL ? name : "");
  return FALSE;
}

const char *
ns_export_format_to_string (NsExportFormat format)
{
  g_return_val_if_fail (format < NS_EXPORT_N_FORMATS, NULL);
  return ns_export_formats[format].name;
}

const char *
ns_export_format_extension (NsExportFormat format)
{
  g_return_val_if_fail (format < NS_EXPORT_N_FORMATS, NULL);
  return ns_export_formats[format].extension;
}

GBytes *
ns_export_to_bytes (const NsStats *stats, NsExportFormat format, const NsExportOptions *options,
                    GError **error)
{
  NsExportOptions defaults;

  g_return_val_if_fail (stats != NULL, NULL);
  if (options == NULL)
    {
      ns_export_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (format < NS_EXPORT_N_FORMATS, NULL);
  if (!ns_stats_has_affine_transform (stats) && format != NS_EXPORT_NPZ &&
      format != NS_EXPORT_SKLEARN)
    {
      g_set_error (
        error, NS_ERROR, NS_ERROR_UNSUPPORTED,
        "%s: method %s is not (x - offset) / scale per feature (%s), which is all the %s "
        "export holds: export sklearn (a fitted object) or npz (its arrays) instead",
        ns_export_formats[format].name, ns_stats_get_method (stats),
        g_strcmp0 (ns_stats_get_method (stats), "normalizer") == 0
          ? "it divides each row by the row's norm"
        : g_strcmp0 (ns_stats_get_method (stats), "quantile") == 0
          ? "it maps values through the fitted quantiles"
          : "it applies a power transform first",
        ns_export_formats[format].name);
      return NULL;
    }
  return ns_export_formats[format].bytes (stats, options, error);
}

/* "my-stats.v2.h" -> "my_stats": the file name without its extensions, as a C identifier. */
static char *
ns_export_identifier_from_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  return ns_export_c_identifier (base);
}

GBytes *
ns_export_to_bytes_for_path (const NsStats *stats, NsExportFormat format,
                             const NsExportOptions *options, const char *path, GError **error)
{
  NsExportOptions resolved;
  g_autofree char *identifier = NULL;

  g_return_val_if_fail (stats != NULL && path != NULL, NULL);
  if (options != NULL)
    resolved = *options;
  else
    ns_export_options_init (&resolved);
  if (resolved.identifier == NULL && g_strcmp0 (path, "-") != 0 &&
      !g_str_has_prefix (path, "/dev/"))
    resolved.identifier = identifier = ns_export_identifier_from_path (path);
  return ns_export_to_bytes (stats, format, &resolved, error);
}

gboolean
ns_export_write (const NsStats *stats, NsExportFormat format, const NsExportOptions *options,
                 const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = ns_export_to_bytes_for_path (stats, format, options, path, error);
  gsize len;
  const void *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  return ns_output_write_file (path, data, len, error);
}
