/* ns-batchnorm-simulation.h: batch-norm runs of a dataset in a worker thread, one at a time, and
 * what the worker makes of them for the page that asked. SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include "core/ns-batchnorm.h"
#include "core/ns-plot.h"

G_BEGIN_DECLS

#define NS_BATCHNORM_SIMULATION_MAX_RUNS 2

typedef struct _NsBatchNormSimulation NsBatchNormSimulation;

/* Called in the main context when a started run has finished (or failed). */
typedef void (*NsBatchNormSimulationDone) (gpointer data);

/* What a page makes of its finished runs, in the worker thread: summarise returns the summary, or
 * NULL with error set; free_summary frees one; free_data frees the data given with the run. */
typedef struct {
  gpointer (*summarise) (NsBatchNorm *const *runs, guint n_runs, gpointer data, GError **error);
  GDestroyNotify free_summary;
  GDestroyNotify free_data;
} NsBatchNormSummary;

NsBatchNormSimulation *ns_batchnorm_simulation_new (NsBatchNormSimulationDone done, gpointer data);
/* Stops and waits for the worker. */
void ns_batchnorm_simulation_free (NsBatchNormSimulation *self);
/* Cancels the run under way (waiting until its worker no longer reads its dataset) and starts
 * n_runs runs of dataset, one an options entry, summarised by summary with data (owned). dataset
 * is borrowed: keep it alive through data or call ns_batchnorm_simulation_stop before it goes. */
void ns_batchnorm_simulation_run (NsBatchNormSimulation *self, const NsDataset *dataset,
                                  const NsBatchNormOptions *options, guint n_runs,
                                  const NsBatchNormSummary *summary, gpointer data);
/* The finished run's summary, now the caller's, and the simulation forgets the run; after a
 * failed run, NULL and error set. */
gpointer ns_batchnorm_simulation_take_summary (NsBatchNormSimulation *self, GError **error);
/* The finished run of feature of dataset with options, and its training-mode outputs binned;
 * otherwise NULL, with a run started (or the one under way kept). After a failed run, NULL and
 * error set. dataset is borrowed: call ns_batchnorm_simulation_stop before it goes. */
NsBatchNorm *ns_batchnorm_simulation_get (NsBatchNormSimulation *self, const NsDataset *dataset,
                                          const NsBatchNormOptions *options, int feature,
                                          const NsPlotData **training, GError **error);
/* Cancels the run under way, waits for its thread, and forgets the cached one. */
void ns_batchnorm_simulation_stop (NsBatchNormSimulation *self);
gboolean ns_batchnorm_simulation_is_busy (NsBatchNormSimulation *self);

G_END_DECLS
