/* ns-sorted-search.c: counts below / at most x in an ascending array. The guide maps x to one of
 * 2n equal-width buckets over [xp[0], xp[n-1]] with a monotone formula, so every xp in a lower
 * bucket is below x and every xp in a higher one above it: only x's bucket needs bisecting.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-sorted-search.h"

#include <math.h>

#define NS_GUIDE_MAX_BUCKETS (1U << 20)

/* Monotone in x (a rounded subtraction and a positive product both are), clamped to
 * [0, n_buckets]. */
static guint
ns_guide_bucket (const NsSortedSearch *self, double x)
{
  double position = (x - self->origin) * self->scale;

  if (!(position > 0.0))
    return 0;
  return position >= (double) self->n_buckets ? self->n_buckets : (guint) position;
}

static void
ns_guide_build (NsSortedSearch *self)
{
  double span = self->xp[self->n - 1] - self->xp[0];
  guint bucket = 0;

  self->n_buckets = MIN (8 * self->n, NS_GUIDE_MAX_BUCKETS);
  self->origin = self->xp[0];
  self->scale = (double) self->n_buckets / span;
  if (!(span > 0.0) || !isfinite (span) || !isfinite (self->scale))
    return;
  self->first = g_new (guint32, self->n_buckets + 2);
  self->first[0] = 0;
  for (guint i = 0; i < self->n; i++)
    for (guint b = ns_guide_bucket (self, self->xp[i]); bucket < b;)
      self->first[++bucket] = i;
  while (bucket < self->n_buckets + 1)
    self->first[++bucket] = self->n;
}

void
ns_sorted_search_init (NsSortedSearch *self, const double *xp, guint n, gboolean guided)
{
  *self = (NsSortedSearch) { xp, n, NULL, 0, 0.0, 0.0 };
  if (guided && n >= 8)
    ns_guide_build (self);
}

void
ns_sorted_search_clear (NsSortedSearch *self)
{
  g_clear_pointer (&self->first, g_free);
}

/* lo + how many of xp[lo..hi) are <= x (or < x when strict), for a non-empty range. */
static gsize
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

void
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
