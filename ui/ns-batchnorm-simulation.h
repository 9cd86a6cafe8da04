/* ns-batchnorm-simulation.h: the Compare page's batch-norm simulation of one feature, run in a
 * worker thread and cached by its settings. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/ns-batchnorm.h"
#include "core/ns-plot.h"

G_BEGIN_DECLS

typedef struct _NsBatchNormSimulation NsBatchNormSimulation;

/* Called in the main context when a started run has finished (or failed). */
typedef void (*NsBatchNormSimulationDone) (gpointer data);

NsBatchNormSimulation *ns_batchnorm_simulation_new (NsBatchNormSimulationDone done, gpointer data);
/* Stops and waits for the worker. */
void ns_batchnorm_simulation_free (NsBatchNormSimulation *self);
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
