/* ns-npz-import.h: stats from a NumPy .npz (what other tools save), for transform --stats.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-stats.h"

G_BEGIN_DECLS

/* Reads `mean` + `variance` or `offset` + `scale` (and `names`, `count`, `missing` when present)
 * from a NumPy .npz. ns_stats_load calls it for files that start with a zip signature. */
NsStats *ns_npz_import (const char *path, GError **error);

G_END_DECLS
