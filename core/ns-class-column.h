/* ns-class-column.h: whether a numeric column looks like a class or target rather than a feature.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many distinct values: digits' ten classes, below the 17 grey levels of its pixels.
 */
#define NS_CLASS_COLUMN_MAX_DISTINCT 10
/* Each value in at least this share of the rows: classes are populated, while a pixel's rare grey
 * levels (digits' px_1_0: 3 values, the rarest in 0.2 % of images) are not. */
#define NS_CLASS_COLUMN_MIN_SHARE 0.01

/* TRUE when the n values (NaN skipped) are all integers, take 2 to NS_CLASS_COLUMN_MAX_DISTINCT
 * distinct values and each of them makes up at least NS_CLASS_COLUMN_MIN_SHARE of the non-missing
 * values (wine's cultivar, diabetes' sex); n_distinct (may be NULL) gets their number then. */
gboolean ns_column_looks_like_class (const double *values, gsize n, guint *n_distinct);

G_END_DECLS
