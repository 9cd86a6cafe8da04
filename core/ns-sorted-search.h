/* ns-sorted-search.h: how many values of an ascending array lie below, and at most, a value, by
 * a branch-free bisection narrowed first by an optional guide table.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A value type (it lives on the stack of per-value callers); the guide is its only allocation. */
typedef struct {
  const double *xp;    /* ascending, no NaN; borrowed */
  guint n;
  guint32 *first;      /* guide: first[b] = how many xp fall in buckets below b; NULL without */
  guint n_buckets;
  double origin, scale;
} NsSortedSearch;

/* guided: build the guide (worth it for many searches; skipped when xp spans no finite range). */
void ns_sorted_search_init    (NsSortedSearch *self, const double *xp, guint n, gboolean guided);
void ns_sorted_search_clear   (NsSortedSearch *self);
/* *below = the number of xp[i] < x, *at_most = the number of xp[i] <= x. x is not NaN. */
void ns_sorted_search_bracket (const NsSortedSearch *self, double x, gsize *below,
                               gsize *at_most);

G_END_DECLS
