/* ns-plot-series-bn.h: the batch-norm explorer's four figures, as series figures of finished
 * simulations.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-batchnorm.h"
#include "ns-plot-series.h"

G_BEGIN_DECLS

/*
 * The explorer's four figures, built from finished simulations (record_history on). Several runs
 * of the same data (e.g. batch size 4 and 256) are overlaid, each with its label; the first run's
 * lines are solid, the others dashed.
 */
typedef enum {
  NS_BATCHNORM_FIGURE_RUNNING,     /* running mean and variance over steps, full-data reference */
  NS_BATCHNORM_FIGURE_BATCH_NOISE, /* per-batch means and variances, expected spread sigma/sqrt(B)
                                    */
  NS_BATCHNORM_FIGURE_GAP,         /* training- vs inference-mode outputs, the gap */
  NS_BATCHNORM_FIGURE_RENORM,      /* r and d over steps */
  NS_BATCHNORM_N_FIGURES,
} NsBatchNormFigure;

gboolean ns_batchnorm_figure_from_string (const char *name, NsBatchNormFigure *figure,
                                          GError **error);
/* "running", "batch-noise", "gap", "renorm". */
const char *ns_batchnorm_figure_to_string (NsBatchNormFigure figure);

typedef struct {
  const NsBatchNorm *bn;
  guint feature;     /* the simulated feature */
  const char *label; /* legend suffix for this run (NULL for a single run) */
} NsBatchNormRun;

typedef struct {
  const char *feature_name;  /* for titles */
  const double *test_values; /* optional: a test set normalized with the first run's */
  gsize n_test;              /*   inference statistics (gap figure) */
} NsBatchNormFigureOptions;

NsPlotSeries *ns_batchnorm_figure_new (NsBatchNormFigure figure, const NsBatchNormRun *runs,
                                       guint n_runs, const NsBatchNormFigureOptions *options);
/* "0.0123": how the figures print numbers (3 significant digits, locale-independent). */
char *ns_batchnorm_format_number (double value);

G_END_DECLS
