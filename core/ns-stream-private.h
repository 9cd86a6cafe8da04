/* ns-stream-private.h: what the two streaming readers share: the feeder that takes parsed rows in
 * file order into per-feature moments, and the in-place reader of whole uncompressed files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-gunzip-stream.h"
#include "ns-csv-reader.h"
#include "ns-partial.h"
#include "ns-scaler.h"
#include "ns-stream-options.h"

G_BEGIN_DECLS

typedef struct {
  NsPartial *partial;
  guint n_features;
  guint n_kept;           /* n_features, and one more for a sample-weight column */
  guint *feature_column;  /* CSV column of each feature, then of the weights */
  double **pending;       /* per kept column, fewer than NS_MOMENTS_BLOCK values */
  gsize n_pending;        /* the same count for every kept column */
  double **cursor;        /* per kept column, where the next parsed values are */
  gsize pending_capacity; /* grown as needed: a wide file with few rows needs few */
  guint64 rows;
} NsStreamFeeder;

/* Marks the sample-weight column of options (none without one) in parser, so a parse refuses a
 * bad weight where it stands; an error naming path when there is no such numeric column. */
gboolean ns_stream_parser_set_weights (NsCsvStreamParser *parser, const char *path,
                                       const NsScalerOptions *options, GError **error);
/* One feature per numeric column of parser but its weight column (which becomes the last label
 * and weighs every feature's values); sketches with approx_quantiles. */
void ns_stream_feeder_init (NsStreamFeeder *feeder, const NsCsvStreamParser *parser,
                            const NsScalerOptions *scaler_options, gboolean approx_quantiles);
/* n_rows parsed rows (values[c] per CSV column), in file order: the moments see them in whole
 * blocks of NS_MOMENTS_BLOCK, as ns_moments_add cuts a whole column, so the bits are the same. */
void ns_stream_feed (NsStreamFeeder *feeder, double *const *values, gsize n_rows);
/* Adds the rows still pending; call once, after the last ns_stream_feed. */
void ns_stream_feed_finish (NsStreamFeeder *feeder);
void ns_stream_feeder_clear (NsStreamFeeder *feeder);

/* The head the decisions are taken on when reading in blocks: at least this much, cut after its
 * last whole line. */
#define NS_STREAM_HEAD_MIN (64 * 1024)

/* Column buffers for parsed rows: values[c] for each numeric column of parser, NULL for labels. */
void ns_stream_rows_init (NsCsvRows *rows, const NsCsvStreamParser *parser);
void ns_stream_rows_clear (NsCsvRows *rows, guint n_columns);
/* The rows keep the text of label columns too (transform writes them back). */
void ns_stream_rows_keep_labels (NsCsvRows *rows, const NsCsvStreamParser *parser);
/* Empties the rows for the next block, keeping their buffers. */
void ns_stream_rows_reset (NsCsvRows *rows, guint n_columns);

G_END_DECLS
