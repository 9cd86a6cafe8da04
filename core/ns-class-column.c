/* ns-class-column.c: the few-distinct-integers test behind the column list's exclusion hint.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-class-column.h"

#include <math.h>

typedef struct {
  double values[NS_CLASS_COLUMN_MAX_DISTINCT];
  guint64 counts[NS_CLASS_COLUMN_MAX_DISTINCT];
  guint n_distinct;
  guint64 total;
} NsClassTally;

/* Counts x; FALSE once x is no integer or would be one distinct value too many. */
static gboolean
ns_class_tally_add (NsClassTally *tally, double x)
{
  if (!isfinite (x) || x != floor (x))
    return FALSE;
  tally->total++;
  for (guint i = 0; i < tally->n_distinct; i++)
    if (tally->values[i] == x)
      {
        tally->counts[i]++;
        return TRUE;
      }
  if (tally->n_distinct == NS_CLASS_COLUMN_MAX_DISTINCT)
    return FALSE;
  tally->values[tally->n_distinct] = x;
  tally->counts[tally->n_distinct++] = 1;
  return TRUE;
}

static gboolean
ns_class_tally_is_populated (const NsClassTally *tally)
{
  for (guint i = 0; i < tally->n_distinct; i++)
    if ((double) tally->counts[i] < NS_CLASS_COLUMN_MIN_SHARE * (double) tally->total)
      return FALSE;
  return TRUE;
}

gboolean
ns_column_looks_like_class (const double *values, gsize n, guint *n_distinct)
{
  NsClassTally tally = { .n_distinct = 0 };

  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]) && !ns_class_tally_add (&tally, values[i]))
      return FALSE;
  if (tally.n_distinct < 2 || !ns_class_tally_is_populated (&tally))
    return FALSE;
  if (n_distinct != NULL)
    *n_distinct = tally.n_distinct;
  return TRUE;
}
