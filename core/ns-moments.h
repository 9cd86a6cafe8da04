/* ns-moments.h: the mergeable moment accumulator (count, mean, M2..M4, min, max) behind every fit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Values are summarised in blocks of this many, then merged (ns-moments.c). */
#define NS_MOMENTS_BLOCK 2048

/* A plain value type: copy it, merge it, keep arrays of it. NaN values are skipped and counted as
 * missing; infinite values are counted and make the moments non-finite, as they would anywhere. */
typedef struct {
  double count; /* values used (not NaN) */
  double mean;
  double m2; /* sum of squared deviations from the mean */
  double m3;
  double m4;
  double min;
  double max;
  double max_abs;
  double missing;  /* NaN values skipped */
  double infinite; /* +-inf values seen (included in count) */
  double mean_low; /* low part of the mean (mean + mean_low, double-double): merges stay exact
                    * even when the mean is large against the spread (1e9 + N(0,1)) */
} NsMoments;

void ns_moments_init (NsMoments *self);
/* Add n values spaced by stride doubles (stride 1 for a contiguous column). */
void ns_moments_add (NsMoments *self, const double *values, gsize n, gsize stride);
/* Add n contiguous values with their weights (finite, >= 0): count becomes the weights' sum and
 * every moment is weighted (scikit-learn's StandardScaler sample_weight). */
void ns_moments_add_weighted (NsMoments *self, const double *values, const double *weights,
                              gsize n);
/* What ns_moments_add_weighted takes as a weight: finite and >= 0 (FALSE for NaN). */
static inline gboolean
ns_moments_weight_is_valid (double weight)
{
  return weight >= 0 && weight <= G_MAXDOUBLE;
}
/* Add n_rows rows of n_features contiguous values (a C-order (N, F) array): moments[f] gets
 * column f, summarised in the same blocks as ns_moments_add. */
void ns_moments_add_rows (NsMoments *moments, const double *rows, gsize n_rows, gsize n_features);
/* Summaries of consecutive blocks of NS_MOMENTS_BLOCK values (the last may be shorter): merging
 * them in order into an accumulator gives exactly what ns_moments_add gives, so threads can
 * summarise blocks while the merge order, and with it every bit, stays fixed. blocks holds
 * ceil(n / NS_MOMENTS_BLOCK) summaries. */
void ns_moments_summarise_blocks (NsMoments *blocks, const double *values, gsize n);
/* The same for n_rows rows of n_features contiguous values (a C-order (N, F) array):
 * blocks[b * n_features + f] summarises column f of rows [b * NS_MOMENTS_BLOCK, ...), bit-identical
 * to ns_moments_summarise_blocks on that column. */
void ns_moments_summarise_row_blocks (NsMoments *blocks, const double *rows, gsize n_rows,
                                      gsize n_features);
/* Combine two accumulators exactly (Chan et al. 1979; Pebay 2008 for M3, M4). */
void ns_moments_merge (NsMoments *self, const NsMoments *other);
/* NULL if self could come from data (whole counts, or with weighted a finite count >= 0, the sum
 * of weights; with values and no infinity: finite fields, m2 and m4 not negative, min <= max,
 * max_abs = max (|min|, |max|)), else the first bad field's name, for moments read from a file. */
const char *ns_moments_inconsistency (const NsMoments *self, gboolean weighted);

/* Variance with ddof 0 (population, biased) or 1 (sample, unbiased); NaN if count <= ddof. */
double ns_moments_variance (const NsMoments *self, guint ddof);
/* Sample skewness g1 = m3 / m2^1.5 and excess kurtosis g2 = m4 / m2^2 - 3 (scipy's defaults,
 * bias=True); NaN when the variance is 0 or count is 0. */
double ns_moments_skewness (const NsMoments *self);
double ns_moments_kurtosis (const NsMoments *self);

/* ns_moments_add (stride 1) on n_threads threads, with the same result to the bit. */
void ns_moments_add_parallel (NsMoments *self, const double *values, gsize n, guint n_threads);

G_END_DECLS
