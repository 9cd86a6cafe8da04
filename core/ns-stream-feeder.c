/* ns-stream-feeder.c: parsed rows, in file order, into per-feature moments (and sketches) in the
 * same 2048-value blocks as a whole column, for the streaming readers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stream-private.h"
#include "ns-moments.h"

#include <string.h>

void
ns_stream_feeder_init (NsStreamFeeder *feeder, const NsCsvStreamParser *parser,
                       const NsScalerOptions *scaler_options, gboolean approx_quantiles)
{
  guint n_columns = ns_csv_stream_parser_get_n_columns (parser);
  const char *const *names = ns_csv_stream_parser_get_names (parser);
  const gboolean *is_label = ns_csv_stream_parser_get_is_label (parser);
  g_autoptr (GPtrArray) features = g_ptr_array_new ();
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  *feeder = (NsStreamFeeder) { .feature_column = g_new (guint, n_columns) };
  for (guint c = 0; c < n_columns; c++)
    if (is_label[c])
      g_ptr_array_add (labels, (gpointer) names[c]);
    else
      {
        feeder->feature_column[features->len] = c;
        g_ptr_array_add (features, (gpointer) names[c]);
      }
  g_ptr_array_add (labels, NULL);
  feeder->n_features = features->len;
  feeder->pending = g_new0 (double *, MAX (features->len, 1));
  feeder->partial = ns_partial_new (scaler_options, approx_quantiles, features->len,
                                    (const char *const *) features->pdata,
                                    (const char *const *) labels->pdata);
}

static void
ns_stream_feed_values (NsStreamFeeder *feeder, guint f, const double *values, gsize n)
{
  NsMoments *moments = ns_partial_get_moments (feeder->partial, f);
  NsSketch *sketch = ns_partial_get_sketch (feeder->partial, f);

  if (sketch != NULL)
    ns_sketch_add (sketch, values, n);
  ns_moments_add (moments, values, n, 1);
}

/* Room for n pending values per feature (at most a block). */
static void
ns_stream_reserve_pending (NsStreamFeeder *feeder, gsize n)
{
  if (n <= feeder->pending_capacity)
    return;
  feeder->pending_capacity = MIN (MAX (n, 2 * feeder->pending_capacity), NS_MOMENTS_BLOCK);
  for (guint f = 0; f < feeder->n_features; f++)
    feeder->pending[f] = g_renew (double, feeder->pending[f], feeder->pending_capacity);
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
      for (guint f = 0; f < feeder->n_features; f++)
        memcpy (feeder->pending[f] + feeder->n_pending, values[feeder->feature_column[f]],
                used * sizeof (double));
      feeder->n_pending += used;
      if (feeder->n_pending < NS_MOMENTS_BLOCK)
        return;
      for (guint f = 0; f < feeder->n_features; f++)
        ns_stream_feed_values (feeder, f, feeder->pending[f], NS_MOMENTS_BLOCK);
      feeder->n_pending = 0;
    }
  whole = (n_rows - used) / NS_MOMENTS_BLOCK * NS_MOMENTS_BLOCK;
  feeder->n_pending = n_rows - used - whole;
  ns_stream_reserve_pending (feeder, feeder->n_pending);
  for (guint f = 0; f < feeder->n_features; f++)
    {
      const double *x = values[feeder->feature_column[f]] + used;

      if (whole > 0)
        ns_stream_feed_values (feeder, f, x, whole);
      if (feeder->n_pending > 0)  /* (pending buffers are not allocated before the first) */
        memcpy (feeder->pending[f], x + whole, feeder->n_pending * sizeof (double));
    }
}

void
ns_stream_feed_finish (NsStreamFeeder *feeder)
{
  for (guint f = 0; f < feeder->n_features && feeder->n_pending > 0; f++)
    ns_stream_feed_values (feeder, f, feeder->pending[f], feeder->n_pending);
  feeder->n_pending = 0;
}

void
ns_stream_feeder_clear (NsStreamFeeder *feeder)
{
  for (guint f = 0; feeder->pending != NULL && f < feeder->n_features; f++)
    g_free (feeder->pending[f]);
  g_free (feeder->pending);
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
}

void
ns_stream_rows_clear (NsCsvRows *rows, guint n_columns)
{
  for (guint c = 0; rows->values != NULL && c < n_columns; c++)
    g_free (rows->values[c]);
  g_clear_pointer (&rows->values, g_free);
}
