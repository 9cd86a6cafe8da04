/* ns-sorted-search.c: counts below / at most x in an ascending array. The guide maps x to one of
 * 2n equal-width buckets over [xp[0], xp[n-1]] with a monotone formula, so every xp in a lower
 * bucket is below x and every xp in a higher one above it: only x's bucket needs bisecting.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-sorted-search.h"

#include <math.h>

#define NS_GUIDE_MAX_BUCKETS (1U << 20)

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
