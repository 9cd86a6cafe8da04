/* ns-export-snippet-common.h: the Python pieces every snippet exporter shares.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-export-common.h"

G_BEGIN_DECLS

/* The comment lines every snippet starts with. */
void ns_snippet_header (GString *out, const NsStats *stats, const char *what);
/* NAME = [ v0,  # 0 'feature' ... ] as a Python list, one value per feature. */
void ns_snippet_list (GString *out, const NsStats *stats, const char *name, const double *values);
/* names = [ ... ]: the feature names. */
void ns_snippet_names (GString *out, const NsStats *stats);
/* OBJECT.n_samples_seen_ as scikit-learn keeps it (a scalar unless the counts differ). */
void ns_snippet_sklearn_samples_seen (GString *out, const NsStats *stats, const char *object);
/* OBJECT.n_features_in_ and OBJECT.feature_names_in_ (from names). */
void ns_snippet_sklearn_feature_names (GString *out, const NsStats *stats, const char *object);

G_END_DECLS
