/* ns-export-common.h: the export options, and what the per-format exporters share: quantities,
 * batch-norm fields, numbers and JSON as text.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "ns-dataset.h"
#include "ns-stats.h"

G_BEGIN_DECLS

typedef enum {
  NS_EXPORT_DTYPE_DEFAULT, /* safetensors, torch and onnx: float32; npz: float64 */
  NS_EXPORT_DTYPE_F32,
  NS_EXPORT_DTYPE_F64,
} NsExportDtype;

typedef struct {
  NsExportDtype dtype;
  const char *prefix; /* safetensors tensor-name prefix, e.g. "bn." (NULL: none) */
  const char
    *identifier; /* C header identifier base (NULL: from the file name, else "normscope") */
} NsExportOptions;

void ns_export_options_init (NsExportOptions *options);
gboolean ns_export_dtype_from_string (const char *name, NsExportDtype *dtype, GError **error);

/* The per-feature quantities every exporter knows by name. */
typedef enum {
  NS_EXPORT_COUNT,
  NS_EXPORT_MISSING,
  NS_EXPORT_MEAN,
  NS_EXPORT_VARIANCE,
  NS_EXPORT_OFFSET,
  NS_EXPORT_SCALE,
} NsExportQuantity;

gboolean ns_export_is_batchnorm (const NsStats *stats);
/* Instance norm's running statistics (a normalize run read by ns-normalize-import). */
gboolean ns_export_is_instancenorm (const NsStats *stats);
/* A newly allocated array of n_columns values. */
double *ns_export_quantity (const NsStats *stats, NsExportQuantity quantity);
/* A per-column field (e.g. "running_mean") as an array, or NULL when any column lacks it. */
double *ns_export_field (const NsStats *stats, const char *key);
/* Keys of per-column fields that every column has, in the first column's order (free with
 * g_strfreev). */
char **ns_export_common_fields (const NsStats *stats);
/* Batch-norm running stats: fields "running_mean"/"running_var", else the offset and
 * scale² − eps. */
double *ns_export_bn_running (const NsStats *stats, const char *key);
double ns_export_bn_eps (const NsStats *stats);
gint64 ns_export_num_batches_tracked (const NsStats *stats);
/* Params "rank" (2 for tables) and the single kept axis (-1 when not exactly one). */
guint ns_export_rank (const NsStats *stats);
int ns_export_kept_axis (const NsStats *stats);
/* The shape the torch snippet's offset and scale buffers take (and the safetensors tensors that
 * load into them): the sample's axes, 1 on pooled ones, so they broadcast; (n_columns) for a table
 * or when the kept axes' recorded sizes do not give the columns. Returns the number of dimensions.
 */
guint ns_export_torch_buffer_shape (const NsStats *stats, gint64 dims[NS_MAX_RANK]);
gboolean ns_export_use_f64 (const NsExportOptions *options, gboolean f64_default);
/* FALSE when float32 changes a finite value entirely: beyond its range, or non-zero below it. */
gboolean ns_export_float32_holds (double value);
/* A float32 export of (x - offset) / scale: FALSE, with format's reason, when float32 cannot hold
 * an offset or a scale (a scale of 1e-50 would become 0 and divide by it). */
gboolean ns_export_check_float32_scaling (const NsStats *stats, const char *format, GError **error);

/* Numbers as text: a Python float expression (repr-exact; float("nan") etc.), a C literal for a
 * double or a float. */
void ns_export_append_python_double (GString *out, double value);
void ns_export_append_c_double (GString *out, double value);
void ns_export_append_c_float (GString *out, float value);

/* Compact JSON text of a node (numbers as the stats file prints them), and of params and source. */
void ns_export_append_json (GString *out, JsonNode *node);
char *ns_export_params_json (const NsStats *stats);
char *ns_export_source_json (const NsStats *stats);

G_END_DECLS
