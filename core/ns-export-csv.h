/* ns-export-csv.h: stats as CSV, a row per feature.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

GBytes *ns_export_csv_bytes (const NsStats *stats, const NsExportOptions *options, GError **error);

G_END_DECLS
