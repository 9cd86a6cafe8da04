/* ns-export-onnx.h: stats as an ONNX model that applies the transform.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

GBytes *ns_export_onnx_bytes (const NsStats *stats, const NsExportOptions *options, GError **error);

G_END_DECLS
