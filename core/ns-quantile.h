/* ns-quantile.h: exact quantiles by selection (Hyndman-Fan type 7, numpy's default).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Quantiles (probabilities in [0, 1], any order) of the non-NaN values among n, spaced by stride.
 * Uses a scratch copy (values are not modified). Results are NaN when there is no value. */
void ns_quantiles (const double *values, gsize n, gsize stride, const double *probabilities,
                   guint n_probabilities, double *results);

/* The same, plus numpy's median ((a + b) / 2 of the middle pair for an even count, which can differ
 * by an ulp from the type-7 quantile at 0.5) in the same selection pass. median may be NULL. */
void ns_quantiles_and_median (const double *values, gsize n, gsize stride,
                              const double *probabilities, guint n_probabilities, double *results,
                              double *median);

G_END_DECLS
