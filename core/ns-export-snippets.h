/* ns-export-snippets.h: stats as Keras, PyTorch, scikit-learn and torchvision code.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

GBytes *ns_export_keras_bytes (const NsStats *stats, const NsExportOptions *options,
                               GError **error);
GBytes *ns_export_torch_bytes (const NsStats *stats, const NsExportOptions *options,
                               GError **error);
GBytes *ns_export_sklearn_bytes (const NsStats *stats, const NsExportOptions *options,
                                 GError **error);
GBytes *ns_export_torchvision_bytes (const NsStats *stats, const NsExportOptions *options,
                                     GError **error);

G_END_DECLS
