/* ns-sketch.h: a mergeable quantile sketch (KLL) for approximate robust scaling on streams.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* KLL (Karnin, Lang & Liberty 2016) with k = NS_SKETCH_K: about 3k values per sketch whatever
 * the count. Documented bound: the rank of a returned quantile is within NS_SKETCH_RANK_ERROR
 * (0.5 %) of the requested one; the expected error at k = 1024 is about 0.15 %, so 0.5 % is
 * exceeded with negligible probability (test-stream checks it on several distributions). The
 * compaction coin is a fixed-seed generator, so equal input in equal order gives equal sketches. */
#define NS_SKETCH_K 1024
#define NS_SKETCH_RANK_ERROR 0.005

typedef struct _NsSketch NsSketch;

NsSketch *ns_sketch_new (void);
void ns_sketch_free (NsSketch *self);
NsSketch *ns_sketch_copy (const NsSketch *self);
/* NaN values are skipped. */
void ns_sketch_add (NsSketch *self, const double *values, gsize n);
void ns_sketch_merge (NsSketch *self, const NsSketch *other);
guint64 ns_sketch_get_count (const NsSketch *self);
/* numpy's linear interpolation at probability q in [0, 1] on the sketch's weighted values;
 * q = 0 and 1 give the exact minimum and maximum. NaN when empty. */
double ns_sketch_quantile (const NsSketch *self, double q);

/* JSON: {"k": K, "n": N, "state": "hex", "min": x, "max": x, "levels": [[...], ...]}. */
void ns_sketch_append_json (const NsSketch *self, GString *out);
NsSketch *ns_sketch_from_json (JsonNode *node, const char *where, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsSketch, ns_sketch_free)

G_END_DECLS
