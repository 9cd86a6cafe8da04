/* ns-normalize-import.h: a `normalize` statistics file (format "normscope-normalize") read as the
 * stats that export and transform take: instance norm's running statistics, one column per channel.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "ns-stats.h"

G_BEGIN_DECLS

#define NS_NORMALIZE_FORMAT "normscope-normalize"
#define NS_NORMALIZE_VERSION 1
/* The method of the stats: PyTorch InstanceNorm with track_running_stats in inference mode,
 * (x - running_mean) / sqrt(running_var + eps) per channel. */
#define NS_INSTANCENORM_METHOD "instancenorm"

/* root: the file's top-level object, whose "format" is NS_NORMALIZE_FORMAT. Every member is
 * checked (the layer and preset must be known names, the arrays as long as the shape says);
 * a run whose statistics are per sample (layer, group, RMS norm, instance norm without running
 * statistics) is refused with the reason, and batch norm with a pointer to `batchnorm`. The
 * columns' mean and variance are the channel's over the whole input, from the per-sample ones. */
NsStats *ns_normalize_import (JsonObject *root, const char *path, GError **error);

G_END_DECLS
