/* ns-partial.h: mergeable partial statistics (the "normscope-partial" file) and their merge.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-moments.h"
#include "ns-scaler.h"
#include "ns-sketch.h"
#include "ns-stats.h"

G_BEGIN_DECLS

#define NS_PARTIAL_FORMAT "normscope-partial"
#define NS_PARTIAL_VERSION 1

/* The state a fit needs before its last step: per feature moments (count, missing, mean, M2..M4,
 * min, max, max-abs) and, for approximate quantiles, a sketch; the scaler options; the source
 * (file, byte range, sha256 of the bytes read, rows). */
typedef struct _NsPartial NsPartial;

/* labels: names of the label columns (NULL-terminated, may be NULL). With approx_quantiles each
 * feature gets an empty sketch. */
NsPartial *ns_partial_new (const NsScalerOptions *options, gboolean approx_quantiles,
                           guint n_columns, const char *const *names, const char *const *labels);
void ns_partial_free (NsPartial *self);

guint ns_partial_get_n_columns (const NsPartial *self);
const char *ns_partial_get_name (const NsPartial *self, guint column);
NsMoments *ns_partial_get_moments (NsPartial *self, guint column);
const NsMoments *ns_partial_peek_moments (const NsPartial *self, guint column);
NsSketch *ns_partial_get_sketch (NsPartial *self, guint column); /* NULL without sketches */
gboolean ns_partial_get_approx_quantiles (const NsPartial *self);
/* The label columns' names, NULL-terminated (empty when there are none). */
const char *const *ns_partial_get_labels (const NsPartial *self);

/* The tensor the features were kept from (a .npy): written into params as "axis", "rank" and
 * "shape", as a stats file has them; merging adds up the first axis. Tables have none. */
void ns_partial_set_tensor (NsPartial *self, const gsize *shape, guint rank, const guint *kept,
                            guint n_kept);
/* range_start < 0: the whole input. size: the file's size, or -1 when unknown (a pipe). */
void ns_partial_set_source (NsPartial *self, const char *file, gint64 range_start, gint64 range_end,
                            gint64 size, const char *sha256, guint64 rows);
guint64 ns_partial_get_rows (const NsPartial *self);
gboolean ns_partial_get_range (const NsPartial *self, gint64 *start, gint64 *end);
const char *ns_partial_get_sha256 (const NsPartial *self);

/* Keeps only the named features, in the given order; an unknown name is an error. */
gboolean ns_partial_select_columns (NsPartial *self, const char *const *names, GError **error);

/* The file: every double written so it reads back bit-identical. */
char *ns_partial_to_json_string (const NsPartial *self);
gboolean ns_partial_save (const NsPartial *self, const char *path, GError **error);
NsPartial *ns_partial_parse (const char *path, const char *text, gsize len, GError **error);
NsPartial *ns_partial_load (const char *path, GError **error);

/* Merges n partials of the same features, method and parameters. The parts are put in a fixed
 * order first (source file, then byte range), so any argument order gives the same bits.
 * Overlapping byte ranges of one file (rows counted twice) are refused. names[i] names part i
 * in messages (its file). */
NsPartial *ns_partial_merge (NsPartial *const *parts, const char *const *names, guint n,
                             GError **error);

/* The stats file `fit` writes for the same rows: the same formulas as ns_scaler_fit. */
NsStats *ns_partial_to_stats (const NsPartial *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPartial, ns_partial_free)

G_END_DECLS
