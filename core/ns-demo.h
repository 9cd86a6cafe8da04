/* ns-demo.h: the guided batch-norm demos as data: title, explanation, dataset recipe, settings,
 * and the numbers of the explanation computed from the simulator's runs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-batchnorm.h"
#include "ns-dataset.h"
#include "ns-plot-series-bn.h"

G_BEGIN_DECLS

/*
 * A demo names a dataset (a bundled sample, or one generated here from a recipe with GSL's
 * mt19937 generator and a fixed seed, so it is the same everywhere), one or two simulator settings
 * to compare, the figure to show first, and two or three sentences of explanation. The explanation
 * never states a number: ns_demo_numbers writes a sentence of numbers read off the finished runs.
 */
typedef struct _NsDemo NsDemo;

#define NS_DEMO_MAX_RUNS 2

guint ns_demo_get_n (void);
const NsDemo *ns_demo_get (guint index);
/* By id ("small-batches", ...); NULL if unknown. */
const NsDemo *ns_demo_find (const char *id);

const char *ns_demo_get_id (const NsDemo *demo);
const char *ns_demo_get_title (const NsDemo *demo);
const char *ns_demo_get_explanation (const NsDemo *demo);
/* How the data is made ("data/iris.csv, column petal_length_cm, rows in file order" or the
 * generator's formula and seed). */
const char *ns_demo_get_recipe (const NsDemo *demo);
NsBatchNormFigure ns_demo_get_figure (const NsDemo *demo);
/* The bundled sample's name ("iris") or NULL for generated data. */
const char *ns_demo_get_sample (const NsDemo *demo);
/* The bundled dataset NAME.csv ($NS_DATA_DIR, the installed data folder, then the source tree's),
 * or NULL. */
char *ns_demo_find_sample_file (const char *name);
/* The column to show (NULL: the first numeric one). */
const char *ns_demo_get_column (const NsDemo *demo);

/* The dataset: sample_path is the bundled file for demos with a sample (ignored otherwise).
 * test receives a second dataset for demos that normalize test data with training statistics
 * (else NULL); it may be NULL when not wanted. */
NsDataset *ns_demo_make_dataset (const NsDemo *demo, const char *sample_path, NsDataset **test,
                                 GError **error);
/* The settings to compare (1 or NS_DEMO_MAX_RUNS) with their legend labels (static strings). */
guint ns_demo_get_settings (const NsDemo *demo, NsBatchNormOptions *options, const char **labels);
/* The sentence of numbers for finished runs of the settings above (same order) on feature. */
char *ns_demo_numbers (const NsDemo *demo, NsBatchNorm *const *runs, guint n_runs, guint feature,
                       const NsDataset *test);

G_END_DECLS
