/* ns-export-safetensors.h: stats as a safetensors file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

GBytes *ns_export_safetensors_bytes (const NsStats *stats, const NsExportOptions *options,
                                     GError **error);

G_END_DECLS
