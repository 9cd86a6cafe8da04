/* ns-export-private.h: what the per-format exporters share (not for use outside core/ns-export*.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-export.h"

G_BEGIN_DECLS

/* The per-feature quantities every exporter knows by name. */
typedef enum {
  NS_EXPORT_COUNT,
  NS_EXPORT_MISSING,
  NS_EXPORT_MEAN,
  NS_EXPORT_VARIANCE,
  NS_EXPORT_OFFSET,
  NS_EXPORT_SCALE,
} NsExportQuantity;

gboolean     ns_export_is_batchnorm      (const NsStats *stats);
/* A newly allocated array of n_columns values. */
double      *ns_export_quantity          (const NsStats *stats, NsExportQuantity quantity);
/* A per-column field (e.g. "running_mean") as an array, or NULL when any column lacks it. */
double      *ns_export_field             (const NsStats *stats, const char *key);
/* Keys of per-column fields that every column has, in the first column's order (free with
 * g_strfreev). */
char       **ns_export_common_fields     (const NsStats *stats);
/* Batch-norm gamma/beta (params "gamma"/"beta": a number or a per-channel array; defaults 1/0). */
double      *ns_export_bn_affine         (const NsStats *stats, const char *key, double fallback,
                                          GError **error);
/* Batch-norm running stats: fields "running_mean"/"running_var", else the offset and
 * scale² − eps. */
double      *ns_export_bn_running        (const NsStats *stats, const char *key);
double       ns_export_bn_eps            (const NsStats *stats);
gint64       ns_export_num_batches_tracked (const NsStats *stats);
/* Params "rank" (2 for tables) and the single kept axis (-1 when not exactly one). */
guint        ns_export_rank              (const NsStats *stats);
int          ns_export_kept_axis         (const NsStats *stats);
gboolean     ns_export_use_f64           (const NsExportOptions *options, gboolean f64_default);

/* Numbers as text: a Python float expression (repr-exact; float("nan") etc.), a C literal for a
 * double or a float. */
void         ns_export_append_python_double (GString *out, double value);
void         ns_export_append_c_double   (GString *out, double value);
void         ns_export_append_c_float    (GString *out, float value);

/* ns-export-escape.c: every string from an input file reaches generated code through exactly one
 * of these per language (JSON: ns_json_append_string; CSV: ns_csv_append_field), also in
 * comments. A Python string literal in printable ASCII. */
void         ns_export_append_python_string (GString *out, const char *text);
/* A C string literal in printable ASCII with no '?' (trigraphs) or '*' (comment ends): it can sit
 * in a comment too. */
void         ns_export_append_c_string   (GString *out, const char *text);
/* Letters, digits and single '_', starting with a letter ("my-stats" -> "my_stats", "9" ->
 * "ns_9"). */
char        *ns_export_c_identifier      (const char *text);

/* Compact JSON text of a node (numbers as the stats file prints them), and of params and source. */
void         ns_export_append_json       (GString *out, JsonNode *node);
char        *ns_export_params_json       (const NsStats *stats);
char        *ns_export_source_json       (const NsStats *stats);

/* The formats. */
GBytes      *ns_export_npz_bytes         (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_safetensors_bytes (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_keras_bytes       (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_torch_bytes       (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_sklearn_bytes     (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_c_header_bytes    (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_csv_bytes         (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_onnx_bytes        (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);
GBytes      *ns_export_torchvision_bytes (const NsStats *stats, const NsExportOptions *options,
                                          GError **error);

G_END_DECLS
