/* ns-export.h: stats exported for other tools (NumPy .npz, safetensors, Keras / PyTorch /
 * scikit-learn / torchvision snippets, a C header, CSV, an ONNX model), and stats imported back
 * from a NumPy .npz.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-stats.h"
#include "ns-export-common.h"

G_BEGIN_DECLS

typedef enum {
  NS_EXPORT_NPZ,
  NS_EXPORT_SAFETENSORS,
  NS_EXPORT_KERAS,
  NS_EXPORT_TORCH,
  NS_EXPORT_SKLEARN,
  NS_EXPORT_C_HEADER,
  NS_EXPORT_CSV,
  NS_EXPORT_ONNX,
  NS_EXPORT_TORCHVISION,
} NsExportFormat;

#define NS_EXPORT_N_FORMATS (NS_EXPORT_TORCHVISION + 1)

/* "npz", "safetensors", "keras", "torch", "sklearn", "c-header", "csv", "onnx", "torchvision". */
gboolean ns_export_format_from_string (const char *name, NsExportFormat *format, GError **error);
const char *ns_export_format_to_string (NsExportFormat format);
/* The usual file name extension including the dot (".npz", ".py", ".h", ...). */
const char *ns_export_format_extension (NsExportFormat format);

/* The whole file in memory (e.g. for "Copy as code"). options may be NULL. */
GBytes *ns_export_to_bytes (const NsStats *stats, NsExportFormat format,
                            const NsExportOptions *options, GError **error);
/* The bytes ns_export_write would write to path (identifiers in code are named after it). */
GBytes *ns_export_to_bytes_for_path (const NsStats *stats, NsExportFormat format,
                                     const NsExportOptions *options, const char *path,
                                     GError **error);
/* Written atomically through ns-output: a failure leaves no partial file. */
gboolean ns_export_write (const NsStats *stats, NsExportFormat format,
                          const NsExportOptions *options, const char *path, GError **error);

G_END_DECLS
