/* ns-export-npz.h: stats as a NumPy .npz archive.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

GBytes *ns_export_npz_bytes (const NsStats *stats, const NsExportOptions *options, GError **error);

G_END_DECLS
