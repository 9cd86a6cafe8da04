/* ns-partial.c: partial statistics: their state, column selection, and the last step of a fit
 * (moments to offsets and scales, with ns_scaler_fit's formulas). The JSON file and the merge
 * are its siblings (ns-partial-json.c, ns-partial-merge.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-partial-private.h"
#include "ns-error.h"
#include "ns-scaler-private.h"

#include <math.h>
#include <string.h>

NsPartial *
ns_partial_new (const NsScalerOptions *options, gboolean approx_quantiles, guint n_columns,
                const char *const *names, const char *const *labels)
{
  NsPartial *self = g_new0 (NsPartial, 1);
  const char *const no_labels[] = { NULL };

  self->options = *options;
  self->sample_weight = g_strdup (options->sample_weight);
  self->options.sample_weight = self->sample_weight;
  self->options.sample_weights = NULL;
  self->approx_quantiles = approx_quantiles;
  self->n_columns = n_columns;
  self->names = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    self->names[c] = g_strdup (names[c]);
  self->labels = g_strdupv ((char **) (labels != NULL ? labels : no_labels));
  self->moments = g_new (NsMoments, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    ns_moments_init (&self->moments[c]);
  if (approx_quantiles)
    {
      self->sketches = g_new0 (NsSketch *, MAX (n_columns, 1));
      for (guint c = 0; c < n_columns; c++)
        self->sketches[c] = ns_sketch_new ();
    }
  self->range_start = self->range_end = self->size = -1;
  return self;
}

void
ns_partial_set_tensor (NsPartial *self, const gsize *shape, guint rank, const guint *kept,
                       guint n_kept)
{
  g_return_if_fail (rank >= 1 && rank <= NS_MAX_RANK && n_kept < rank);

  self->rank = rank;
  memcpy (self->shape, shape, rank * sizeof *shape);
  self->n_kept = n_kept;
  memcpy (self->kept, kept, n_kept * sizeof *kept);
}

void
ns_partial_free (NsPartial *self)
{
  if (self == NULL)
    return;
  for (guint c = 0; self->sketches != NULL && c < self->n_columns; c++)
    ns_sketch_free (self->sketches[c]);
  g_free (self->sketches);
  g_strfreev (self->names);
  g_strfreev (self->labels);
  g_free (self->moments);
  g_free (self->file);
  g_free (self->sha256);
  g_free (self->sample_weight);
  g_free (self);
}

guint
ns_partial_get_n_columns (const NsPartial *self)
{
  return self->n_columns;
}
const char *
ns_partial_get_name (const NsPartial *self, guint c)
{
  return self->names[c];
}
NsMoments *
ns_partial_get_moments (NsPartial *self, guint c)
{
  return &self->moments[c];
}
const NsMoments *
ns_partial_peek_moments (const NsPartial *self, guint c)
{
  return &self->moments[c];
}
gboolean
ns_partial_get_approx_quantiles (const NsPartial *self)
{
  return self->approx_quantiles;
}
guint64
ns_partial_get_rows (const NsPartial *self)
{
  return self->rows;
}
const char *
ns_partial_get_sha256 (const NsPartial *self)
{
  return self->sha256;
}

const char *const *
ns_partial_get_labels (const NsPartial *self)
{
  return (const char *const *) self->labels;
}

NsSketch *
ns_partial_get_sketch (NsPartial *self, guint c)
{
  return self->sketches != NULL ? self->sketches[c] : NULL;
}

void
ns_partial_set_source (NsPartial *self, const char *file, gint64 range_start, gint64 range_end,
                       gint64 size, const char *sha256, guint64 rows)
{
  g_free (self->file);
  g_free (self->sha256);
  self->file = g_strdup (file);
  self->range_start = range_start < 0 ? -1 : range_start;
  self->range_end = range_start < 0 ? -1 : range_end;
  self->size = size;
  self->sha256 = g_strdup (sha256);
  self->rows = rows;
}

gboolean
ns_partial_get_range (const NsPartial *self, gint64 *start, gint64 *end)
{
  *start = self->range_start;
  *end = self->range_end;
  return self->range_start >= 0;
}

gboolean
ns_partial_select_columns (NsPartial *self, const char *const *names, GError **error)
{
  guint n = g_strv_length ((char **) names);
  g_autofree guint *picked = g_new (guint, MAX (n, 1));
  NsMoments *moments;
  NsSketch **sketches = NULL;
  char **kept;

  /* A tensor's features are its kept axes: a subset of them fits no layout. */
  if (self->rank > 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: " NS_TENSOR_COLUMNS_REFUSED,
                   self->file != NULL ? self->file : "data");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains ((const char *const *) self->names, names[i]))
      {
        gboolean label = g_strv_contains ((const char *const *) self->labels, names[i]);

        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     label ? "%s: " NS_COLUMN_IS_LABEL : "%s: " NS_COLUMN_UNKNOWN,
                     self->file != NULL ? self->file : "data", names[i]);
        return FALSE;
      }
  /* In file order, each once, as a loaded dataset keeps them. */
  n = 0;
  for (guint c = 0; c < self->n_columns; c++)
    if (g_strv_contains (names, self->names[c]))
      picked[n++] = c;
  moments = g_new (NsMoments, MAX (n, 1));
  kept = g_new0 (char *, n + 1);
  if (self->sketches != NULL)
    sketches = g_new0 (NsSketch *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      moments[i] = self->moments[picked[i]];
      kept[i] = g_strdup (self->names[picked[i]]);
      if (sketches != NULL)
        sketches[i] = ns_sketch_copy (self->sketches[picked[i]]);
    }
  for (guint c = 0; self->sketches != NULL && c < self->n_columns; c++)
    ns_sketch_free (self->sketches[c]);
  g_free (self->sketches);
  g_free (self->moments);
  g_strfreev (self->names);
  self->sketches = sketches;
  self->moments = moments;
  self->names = kept;
  self->n_columns = n;
  return TRUE;
}

/* ---- The last step of a fit. */

/* Robust needs quantiles, which partial statistics hold only as the sketch's approximation. */
static gboolean
ns_partial_check_quantiles (const NsPartial *self, const char *data, GError **error)
{
  if (self->options.method != NS_METHOD_ROBUST || self->sketches != NULL)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: method robust needs quantiles, which partial statistics hold only as an "
               "approximation: ask for it with --approx-quantiles",
               data);
  return FALSE;
}

static gboolean
ns_partial_store_column (const NsPartial *self, NsStats *stats, guint c, GError **error)
{
  const NsScalerOptions *o = &self->options;
  NsFeatureInput in = {
    self->file != NULL ? self->file : "data", self->names[c], &self->moments[c], NAN, NAN, NAN
  };

  if (o->method == NS_METHOD_ROBUST)
    {
      in.median = ns_sketch_quantile (self->sketches[c], 0.5);
      in.q1 = ns_sketch_quantile (self->sketches[c], o->quantile_range[0] / 100);
      in.q3 = ns_sketch_quantile (self->sketches[c], o->quantile_range[1] / 100);
    }
  return ns_scaler_store_moments (stats, c, o, &in, error);
}

/* Marks the quantiles as the sketch's (rank error <= 0.5 %), not numpy's exact ones. */
static void
ns_partial_set_params (const NsPartial *self, NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);

  ns_scaler_set_method_params (params, &self->options);
  if (self->options.method == NS_METHOD_ROBUST)
    json_object_set_boolean_member (params, "approx_quantiles", TRUE);
  if (self->rank > 0)
    ns_scaler_set_tensor_params (params, self->shape, self->rank, self->kept, self->n_kept);
}

NsStats *
ns_partial_to_stats (const NsPartial *self, GError **error)
{
  g_autoptr (NsStats) stats = NULL;

  if (self->n_columns == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column to fit",
                   self->file != NULL ? self->file : "data");
      return NULL;
    }
  if (!ns_partial_check_quantiles (self, self->file != NULL ? self->file : "data", error))
    return NULL;
  stats = ns_stats_new (ns_method_to_string (self->options.method), self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    if (!ns_partial_store_column (self, stats, c, error))
      return NULL;
  ns_partial_set_params (self, stats);
  ns_stats_set_label_names (stats, (const char *const *) self->labels);
  ns_stats_set_source (stats, self->file, (gsize) self->rows,
                       self->range_start < 0 ? self->sha256 : NULL);
  return g_steal_pointer (&stats);
}
