/* ns-quantile-transformer.h: scikit-learn 1.2.1 QuantileTransformer for one column: NumPy's
 * nanpercentile on a RandomState subsample, np.interp both ways, SciPy's ndtri/ndtr (Cephes).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"
#include "ns-cephes-ndtr.h"
#include "ns-legacy-random.h"

G_BEGIN_DECLS

typedef enum {
  NS_QUANTILE_UNIFORM,
  NS_QUANTILE_NORMAL,
} NsQuantileOutput;

/* The output distributions' names in NsQuantileOutput order, NULL-terminated: the one list every
 * reader, writer and option parser of one uses. */
extern const char *const ns_quantile_output_names[];

/* "uniform" or "normal"; an error listing them for any other name. */
gboolean ns_quantile_output_from_string (const char *name, NsQuantileOutput *output,
                                         GError **error);
const char *ns_quantile_output_to_string (NsQuantileOutput output);

/* n_quantiles_ = max(1, min(n_quantiles, n_samples)); n_samples counts rows, NaN rows included. */
guint ns_quantile_fitted_count (guint n_quantiles, gsize n_samples);
/* references_ = np.linspace(0, 1, n): n values. */
void ns_quantile_references (guint n, double *references);
/* quantiles_[:, j] for one column of n_samples values: when subsample < n_samples, the rows
 * rng->choice(n_samples, subsample, replace=False) picks (one fresh draw per column, as 1.2.1
 * does); then np.nanpercentile(col, references * 100) and the running maximum. All NaN without
 * values. */
void ns_quantile_fit_column (const double *values, gsize n_samples, gsize subsample,
                             NsLegacyRandom *rng, const double *references, guint n,
                             double *quantiles);
/* _transform_col for one value (forward) and its inverse, bounds and clip as scikit-learn codes
 * them. Over quantiles holding NaN, NumPy's forward answer depends on the values before it in the
 * same array; the one-value forms then answer as for an array of that value alone. */
double ns_quantile_forward (const double *quantiles, const double *references, guint n,
                            NsQuantileOutput output, double x);
double ns_quantile_inverse (const double *quantiles, const double *references, guint n,
                            NsQuantileOutput output, double y);
/* The same over values[0..n_values) in place, as one NumPy array (split a column only where its
 * quantiles hold no NaN). */
void ns_quantile_transform_values (const double *quantiles, const double *references, guint n,
                                   NsQuantileOutput output, gboolean inverse, double *values,
                                   gsize n_values);

G_END_DECLS
