/* ns-sorted-search.h: how many values of an ascending array lie below, and at most, a value, by
 * a branch-free bisection narrowed first by an optional guide table.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A value type (it lives on the stack of per-value callers); the guide is its only allocation. */
typedef struct {
  const double *xp; /* ascending, no NaN; borrowed */
  guint n;
  guint32 *first; /* guide: first[b] = how many xp fall in buckets below b; NULL without */
  guint n_buckets;
  double origin, scale;
} NsSortedSearch;

/* guided: build the guide (worth it for many searches; skipped when xp spans no finite range). */
void ns_sorted_search_init (NsSortedSearch *self, const double *xp, guint n, gboolean guided);
void ns_sorted_search_clear (NsSortedSearch *self);
/* Below: inline, as it runs once per transformed value. */
/* Monotone in x (a rounded subtraction and a positive product both are), clamped to
 * [0, n_buckets]. */
static inline guint
ns_guide_bucket (const NsSortedSearch *self, double x)
{
  double position = (x - self->origin) * self->scale;

  if (!(position > 0.0))
    return 0;
  return position >= (double) self->n_buckets ? self->n_buckets : (guint) position;
}

/* lo + how many of xp[lo..hi) are <= x (or < x when strict), for a non-empty range. */
static inline gsize
ns_count_in_range (const double *xp, gsize lo, gsize hi, double x, gboolean strict)
{
  const double *base = xp + lo;
  gsize length = hi - lo;

  while (length > 1)
    {
      gsize half = length / 2;
      gboolean right = strict ? x > base[half] : x >= base[half];

      base = right ? base + half : base;
      length -= half;
    }
  return (gsize) (base - xp) + (strict ? x > *base : x >= *base);
}

static inline void
ns_sorted_search_bracket (const NsSortedSearch *self, double x, gsize *below, gsize *at_most)
{
  gsize lo = 0, hi = self->n;

  if (self->first != NULL)
    {
      guint bucket = ns_guide_bucket (self, x);

      lo = self->first[bucket];
      hi = self->first[bucket + 1];
    }
  *at_most = hi > lo ? ns_count_in_range (self->xp, lo, hi, x, FALSE) : lo;
  *below = *at_most;
  /* Equal values sit just left of at_most: bisect again only when x is one of them. */
  if (*at_most > lo && self->xp[*at_most - 1] == x)
    *below = ns_count_in_range (self->xp, lo, *at_most, x, TRUE);
}

G_END_DECLS
