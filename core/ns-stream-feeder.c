/* ns-stream-feeder.c: parsed rows, in file order, into per-feature moments (and sketches) in the
 * same 2048-value blocks as a whole column, for the streaming readers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stream-private.h"
#include "ns-moments.h"

#include <string.h>

gboolean
ns_stream_parser_set_weights (NsCsvStreamParser *parser, const char *path,
                              const NsScalerOptions *options, GError **error)
{
  const char *const *names = ns_csv_stream_parser_get_names (parser);
  int index = -1;

  if (options->sample_weight == NULL)
    return TRUE;
  for (guint c = 0; c < ns_csv_stream_parser_get_n_columns (parser) && index < 0; c++)
    if (strcmp (names[c], options->sample_weight) == 0)
      index = (int) c;
  if (!ns_scaler_check_weight_column (path, options->sample_weight, FALSE, index,
                                      index >= 0 &&
                                        ns_csv_stream_parser_get_is_label (parser)[index],
                                      error))
    return FALSE;
  ns_csv_stream_parser_set_weight_column (parser, (guint) index);
  return TRUE;
}

void
ns_stream_feeder_init (NsStreamFeeder *feeder, const NsCsvStreamParser *parser,
                       const NsScalerOptions *scaler_options, gboolean approx_quantiles)
{
  guint n_columns = ns_csv_stream_parser_get_n_columns (parser);
  const char *const *names = ns_csv_stream_parser_get_names (parser);
  const gboolean *is_label = ns_csv_stream_parser_get_is_label (parser);
  int weights = ns_csv_stream_parser_get_weight_column (parser);
  g_autoptr (GPtrArray) features = g_ptr_array_new ();
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  *feeder = (NsStreamFeeder) { .feature_column = g_new (guint, n_columns) };
  for (guint c = 0; c < n_columns; c++)
    if (is_label[c])
      g_ptr_array_add (labels, (gpointer) names[c]);
    else if ((int) c != weights)
      {
        feeder->feature_column[features->len] = c;
        g_ptr_array_add (features, (gpointer) names[c]);
      }
  feeder->n_features = feeder->n_kept = features->len;
  /* As in memory, the weight column is listed after the labels, so a transform copies it. */
  if (weights >= 0)
    {
      g_ptr_array_add (labels, (gpointer) names[weights]);
      feeder->feature_column[feeder->n_kept++] = (guint) weights;
    }
  g_ptr_array_add (labels, NULL);
  feeder->pending = g_new0 (double *, MAX (feeder->n_kept, 1));
  feeder->cursor = g_new0 (double *, MAX (feeder->n_kept, 1));
  feeder->partial =
    ns_partial_new (scaler_options, approx_quantiles, features->len,
                    (const char *const *) features->pdata, (const char *const *) labels->pdata);
}

/* n values of feature f, with their weights (NULL: unweighted). */
static void
ns_stream_feed_values (NsStreamFeeder *feeder, guint f, const double *values, const double *weights,
                       gsize n)
{
  NsMoments *moments = ns_partial_get_moments (feeder->partial, f);
  NsSketch *sketch = ns_partial_get_sketch (feeder->partial, f);

  if (sketch != NULL)
    ns_sketch_add (sketch, values, n);
  if (weights != NULL)
    ns_moments_add_weighted (moments, values, weights, n);
  else
    ns_moments_add (moments, values, n, 1);
}

/* Room for n pending values per kept column (at most a block). */
static void
ns_stream_reserve_pending (NsStreamFeeder *feeder, gsize n)
{
  if (n <= feeder->pending_capacity)
    return;
  feeder->pending_capacity = MIN (MAX (n, 2 * feeder->pending_capacity), NS_MOMENTS_BLOCK);
  for (guint k = 0; k < feeder->n_kept; k++)
    feeder->pending[k] = g_renew (double, feeder->pending[k], feeder->pending_capacity);
}

/* Every feature's n values at kept[f], weighed by kept[n_features] when the fit has weights. */
static void
ns_stream_feed_kept (NsStreamFeeder *feeder, double *const *kept, gsize n)
{
  const double *weights = feeder->n_kept > feeder->n_features ? kept[feeder->n_features] : NULL;

  for (guint f = 0; f < feeder->n_features; f++)
    ns_stream_feed_values (feeder, f, kept[f], weights, n);
}

/* The kept columns of parsed values, from row `from` on, into feeder->cursor. */
static double *const *
ns_stream_kept_from (NsStreamFeeder *feeder, double *const *values, gsize from)
{
  for (guint k = 0; k < feeder->n_kept; k++)
    feeder->cursor[k] = values[feeder->feature_column[k]] + from;
  return feeder->cursor;
}

void
ns_stream_feed (NsStreamFeeder *feeder, double *const *values, gsize n_rows)
{
  gsize used = 0, whole;

  feeder->rows += n_rows;
  if (feeder->n_pending > 0)
    {
      used = MIN (n_rows, NS_MOMENTS_BLOCK - feeder->n_pending);
      ns_stream_reserve_pending (feeder, feeder->n_pending + used);
      for (guint k = 0; k < feeder->n_kept; k++)
        memcpy (feeder->pending[k] + feeder->n_pending, values[feeder->feature_column[k]],
                used * sizeof (double));
      feeder->n_pending += used;
      if (feeder->n_pending < NS_MOMENTS_BLOCK)
        return;
      ns_stream_feed_kept (feeder, feeder->pending, NS_MOMENTS_BLOCK);
      feeder->n_pending = 0;
    }
  whole = (n_rows - used) / NS_MOMENTS_BLOCK * NS_MOMENTS_BLOCK;
  feeder->n_pending = n_rows - used - whole;
  ns_stream_reserve_pending (feeder, feeder->n_pending);
  if (whole > 0)
    ns_stream_feed_kept (feeder, ns_stream_kept_from (feeder, values, used), whole);
  /* The rest waits for the next rows, to make a whole block. */
  for (guint k = 0; k < feeder->n_kept && feeder->n_pending > 0; k++)
    memcpy (feeder->pending[k], values[feeder->feature_column[k]] + used + whole,
            feeder->n_pending * sizeof (double));
}

void
ns_stream_feed_finish (NsStreamFeeder *feeder)
{
  if (feeder->n_pending > 0)
    ns_stream_feed_kept (feeder, feeder->pending, feeder->n_pending);
  feeder->n_pending = 0;
}

void
ns_stream_feeder_clear (NsStreamFeeder *feeder)
{
  for (guint k = 0; feeder->pending != NULL && k < feeder->n_kept; k++)
    g_free (feeder->pending[k]);
  g_free (feeder->pending);
  g_free (feeder->cursor);
  g_free (feeder->feature_column);
  ns_partial_free (feeder->partial);
}

void
ns_stream_rows_init (NsCsvRows *rows, const NsCsvStreamParser *parser)
{
  guint n_columns = ns_csv_stream_parser_get_n_columns (parser);
  const gboolean *is_label = ns_csv_stream_parser_get_is_label (parser);

  rows->values = g_new0 (double *, n_columns);
  for (guint c = 0; c < n_columns; c++)
    if (!is_label[c])
      rows->values[c] = g_new (double, 1);
  rows->capacity = 1;
  rows->n_rows = 0;
  rows->labels = NULL;
}

void
ns_stream_rows_keep_labels (NsCsvRows *rows, const NsCsvStreamParser *parser)
{
  guint n_columns = ns_csv_stream_parser_get_n_columns (parser);
  const gboolean *is_label = ns_csv_stream_parser_get_is_label (parser);

  rows->labels = g_new0 (GPtrArray *, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    if (is_label[c])
      rows->labels[c] = g_ptr_array_new_with_free_func (g_free);
}

void
ns_stream_rows_reset (NsCsvRows *rows, guint n_columns)
{
  rows->n_rows = 0;
  for (guint c = 0; rows->labels != NULL && c < n_columns; c++)
    if (rows->labels[c] != NULL)
      g_ptr_array_set_size (rows->labels[c], 0);
}

void
ns_stream_rows_clear (NsCsvRows *rows, guint n_columns)
{
  for (guint c = 0; rows->values != NULL && c < n_columns; c++)
    g_free (rows->values[c]);
  for (guint c = 0; rows->labels != NULL && c < n_columns; c++)
    g_clear_pointer (&rows->labels[c], g_ptr_array_unref);
  g_clear_pointer (&rows->values, g_free);
  g_clear_pointer (&rows->labels, g_free);
}
