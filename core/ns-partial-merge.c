/* ns-partial-merge.c: exact merging of partial statistics, once the parts are shown to describe
 * the data once each.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-partial-private.h"
#include "ns-error.h"

#include <string.h>

/* ---- Merging. */

typedef struct {
  NsPartial *part;
  const char *name;
  char *where; /* the source file, canonical, so that data.csv and ./data.csv are one */
} NsPartRef;

static int
ns_compare_parts (gconstpointer a, gconstpointer b, gpointer unused)
{
  const NsPartRef *p = a, *q = b;
  const NsPartial *x = p->part, *y = q->part;
  int by_file = g_strcmp0 (p->where, q->where);

  if (by_file != 0)
    return by_file;
  if (x->range_start != y->range_start)
    return x->range_start < y->range_start ? -1 : 1;
  if (x->range_end != y->range_end)
    return x->range_end < y->range_end ? -1 : 1;
  return (x->rows > y->rows) - (x->rows < y->rows);
}

static gboolean
ns_same_options (const NsPartial *a, const NsPartial *b)
{
  const NsScalerOptions *x = &a->options, *y = &b->options;

  if (x->method != y->method || a->approx_quantiles != b->approx_quantiles)
    return FALSE;
  switch (x->method)
    {
    case NS_METHOD_STANDARD:
      return x->with_mean == y->with_mean && x->with_std == y->with_std &&
             g_strcmp0 (x->sample_weight, y->sample_weight) == 0;
    case NS_METHOD_MINMAX:
      return memcmp (x->feature_range, y->feature_range, sizeof x->feature_range) == 0 &&
             x->clip == y->clip;
    case NS_METHOD_ROBUST:
      return memcmp (x->quantile_range, y->quantile_range, sizeof x->quantile_range) == 0 &&
             x->with_centering == y->with_centering && x->with_scaling == y->with_scaling &&
             x->unit_variance == y->unit_variance;
    default:
      return TRUE;
    }
}

/* Parts weighed by different columns, or weighed and not, describe different fits. */
static gboolean
ns_partial_check_weights (const NsPartRef *first, const NsPartRef *other, GError **error)
{
  const char *a = first->part->sample_weight, *b = other->part->sample_weight;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  if (a != NULL && b != NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                 "%s: its sample weights (params sample_weight) are column '%s' but column '%s' "
                 "in %s",
                 other->name, b, a, first->name);
  else if (b != NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                 "%s: fitted with sample weights (params sample_weight '%s'), %s without them",
                 other->name, b, first->name);
  else
    g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                 "%s: fitted without sample weights, %s with them (params sample_weight '%s')",
                 other->name, first->name, a);
  return FALSE;
}

static gboolean
ns_partial_check_compatible (const NsPartRef *first, const NsPartRef *other, GError **error)
{
  const NsPartial *a = first->part, *b = other->part;

  if (a->options.method != b->options.method)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: method '%s' does not match method '%s' of %s", other->name,
                   ns_method_to_string (b->options.method), ns_method_to_string (a->options.method),
                   first->name);
      return FALSE;
    }
  if (!ns_partial_check_weights (first, other, error))
    return FALSE;
  if (!ns_same_options (a, b))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: the %s parameters (params) differ from those of %s", other->name,
                   ns_method_to_string (b->options.method), first->name);
      return FALSE;
    }
  if (a->n_columns != b->n_columns)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: %u columns do not match the %u columns of %s", other->name, b->n_columns,
                   a->n_columns, first->name);
      return FALSE;
    }
  if (a->rank != b->rank || a->n_kept != b->n_kept ||
      memcmp (a->kept, b->kept, a->n_kept * sizeof *a->kept) != 0 ||
      (a->rank > 1 && memcmp (a->shape + 1, b->shape + 1, (a->rank - 1) * sizeof *a->shape) != 0))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                   "%s: its layout (params rank, shape after the first axis, axis) differs from "
                   "that of %s",
                   other->name, first->name);
      return FALSE;
    }
  for (guint c = 0; c < a->n_columns; c++)
    if (strcmp (a->names[c], b->names[c]) != 0)
      {
        g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                     "%s: column %u is '%s' but it is '%s' in %s", other->name, c + 1, b->names[c],
                     a->names[c], first->name);
        return FALSE;
      }
  return TRUE;
}

/* Two parts of one file whose byte ranges intersect would count rows twice. */
static gboolean
ns_partial_check_overlap (const NsPartRef *before, const NsPartRef *after, GError **error)
{
  const NsPartial *a = before->part, *b = after->part;
  gint64 a_end = a->range_start < 0 ? G_MAXINT64 : a->range_end;
  gint64 b_start = b->range_start < 0 ? 0 : b->range_start;

  if (before->where == NULL || g_strcmp0 (before->where, after->where) != 0 || b_start >= a_end)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "%s and %s both hold bytes %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " of %s: their "
               "rows would be counted twice",
               before->name, after->name, b_start,
               MIN (a_end, b->range_start < 0 ? G_MAXINT64 : b->range_end), a->file);
  return FALSE;
}

/* Parts that name one file must have read one version of it: the same size. */
static gboolean
ns_partial_check_version (const NsPartRef *before, const NsPartRef *after, GError **error)
{
  const NsPartial *a = before->part, *b = after->part;

  if (before->where == NULL || g_strcmp0 (before->where, after->where) != 0 || a->size < 0 ||
      b->size < 0 || a->size == b->size)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "%s and %s read two versions of %s (%" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
               " bytes): fit every part from the same file",
               before->name, after->name, a->file, a->size, b->size);
  return FALSE;
}

/* A whole file is known by its size and SHA-256, however its name is spelled. */
static gboolean
ns_partial_check_duplicate (const NsPartRef *refs, guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        const NsPartial *a = refs[i].part, *b = refs[j].part;

        if (a->range_start >= 0 || b->range_start >= 0 || a->sha256 == NULL || b->sha256 == NULL ||
            a->size != b->size || strcmp (a->sha256, b->sha256) != 0)
          continue;
        g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
                     "%s and %s are fits of the same data (%" G_GINT64_FORMAT " bytes, SHA-256 "
                     "%.12s…): their rows would be counted twice",
                     refs[i].name, refs[j].name, a->size, a->sha256);
        return FALSE;
      }
  return TRUE;
}

static gboolean
ns_partial_fail_gap (const NsPartRef *ref, gint64 start, gint64 end, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_MISMATCH,
               "bytes %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " of %s are in no part (%s and the "
               "others must tile the whole file): fit them with --byte-range %" G_GINT64_FORMAT
               ":%" G_GINT64_FORMAT,
               start, end, ref->part->file, ref->name, start, end);
  return FALSE;
}

/* The byte ranges of one file, sorted, must cover [0, size) without a gap. */
static gboolean
ns_partial_check_tiling (const NsPartRef *refs, guint first, guint last, GError **error)
{
  gint64 covered = 0, size = refs[first].part->size;

  if (refs[first].part->range_start < 0)
    return TRUE; /* a whole-file part: any other part of the file overlaps it */
  for (guint i = first; i <= last; i++)
    {
      if (refs[i].part->range_start > covered)
        return ns_partial_fail_gap (&refs[i], covered, refs[i].part->range_start, error);
      covered = MAX (covered, refs[i].part->range_end);
    }
  if (size >= 0 && covered < size)
    return ns_partial_fail_gap (&refs[last], covered, size, error);
  return TRUE;
}

/* Parts must describe the data once each: sorted refs, grouped by file. */
static gboolean
ns_partial_check_coverage (const NsPartRef *refs, guint n, GError **error)
{
  guint first = 0;

  if (!ns_partial_check_duplicate (refs, n, error))
    return FALSE;
  for (guint i = 1; i <= n; i++)
    {
      if (i < n && refs[i].where != NULL && g_strcmp0 (refs[i].where, refs[first].where) == 0)
        {
          if (!ns_partial_check_version (&refs[i - 1], &refs[i], error) ||
              !ns_partial_check_overlap (&refs[i - 1], &refs[i], error))
            return FALSE;
          continue;
        }
      if (refs[first].where != NULL && !ns_partial_check_tiling (refs, first, i - 1, error))
        return FALSE;
      first = i;
    }
  return TRUE;
}

static void
ns_partial_add (NsPartial *self, const NsPartial *other)
{
  for (guint c = 0; c < self->n_columns; c++)
    {
      ns_moments_merge (&self->moments[c], &other->moments[c]);
      if (self->sketches != NULL)
        ns_sketch_merge (self->sketches[c], other->sketches[c]);
    }
  self->rows += other->rows;
}

/* The merged source: one file's contiguous ranges stay a range; anything else is no range. */
static void
ns_partial_merge_source (NsPartial *merged, const NsPartRef *refs, guint n)
{
  const NsPartial *first = refs[0].part;
  gboolean one_file = TRUE, contiguous = first->range_start >= 0;
  guint64 rows = 0;

  for (guint i = 0; i < n; i++)
    {
      rows += refs[i].part->rows;
      one_file &= refs[0].where != NULL && g_strcmp0 (refs[i].where, refs[0].where) == 0;
      if (i > 0)
        contiguous &= refs[i].part->range_start == refs[i - 1].part->range_end;
    }
  if (n == 1)
    ns_partial_set_source (merged, first->file, first->range_start, first->range_end, first->size,
                           first->sha256, rows);
  else if (one_file && contiguous && first->range_start == 0 && first->size >= 0 &&
           refs[n - 1].part->range_end >= first->size)
    ns_partial_set_source (merged, first->file, -1, -1, first->size, NULL, rows);
  else if (one_file && contiguous)
    ns_partial_set_source (merged, first->file, first->range_start, refs[n - 1].part->range_end,
                           first->size, NULL, rows);
  else
    ns_partial_set_source (merged, one_file ? first->file : NULL, -1, -1, -1, NULL, rows);
}

static gboolean
ns_partial_check_refs (const NsPartRef *refs, guint n, GError **error)
{
  for (guint i = 1; i < n; i++)
    if (!ns_partial_check_compatible (&refs[0], &refs[i], error))
      return FALSE;
  return ns_partial_check_coverage (refs, n, error);
}

static void
ns_part_refs_free (NsPartRef *refs, guint n)
{
  for (guint i = 0; i < n; i++)
    g_free (refs[i].where);
  g_free (refs);
}

static NsPartial *
ns_partial_merge_refs (const NsPartRef *refs, guint n)
{
  g_autoptr (NsPartial) merged = NULL;

  merged = ns_partial_new (&refs[0].part->options, refs[0].part->approx_quantiles,
                           refs[0].part->n_columns, (const char *const *) refs[0].part->names,
                           (const char *const *) refs[0].part->labels);
  for (guint i = 0; i < n; i++)
    ns_partial_add (merged, refs[i].part);
  ns_partial_merge_source (merged, refs, n);
  if (refs[0].part->rank > 0)
    {
      ns_partial_set_tensor (merged, refs[0].part->shape, refs[0].part->rank, refs[0].part->kept,
                             refs[0].part->n_kept);
      merged->shape[0] = 0;
      for (guint i = 0; i < n; i++)
        merged->shape[0] += refs[i].part->shape[0];
    }
  return g_steal_pointer (&merged);
}

NsPartial *
ns_partial_merge (NsPartial *const *parts, const char *const *names, guint n, GError **error)
{
  NsPartRef *refs;
  NsPartial *merged;

  g_return_val_if_fail (n > 0, NULL);
  refs = g_new (NsPartRef, n);
  for (guint i = 0; i < n; i++)
    refs[i] =
      (NsPartRef) { parts[i], names[i],
                    parts[i]->file == NULL ? NULL
                                           : g_canonicalize_filename (parts[i]->file, NULL) };
  g_qsort_with_data (refs, n, sizeof *refs, ns_compare_parts, NULL);
  merged = ns_partial_check_refs (refs, n, error) ? ns_partial_merge_refs (refs, n) : NULL;
  ns_part_refs_free (refs, n);
  return merged;
}
