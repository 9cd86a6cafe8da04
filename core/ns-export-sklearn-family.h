/* ns-export-sklearn-family.h: fitted PowerTransformer, QuantileTransformer and Normalizer snippets.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

/* A fitted PowerTransformer, QuantileTransformer or Normalizer with every attribute set. */
GBytes *ns_export_sklearn_family_bytes (const NsStats *stats, GError **error);

G_END_DECLS
