/* ns-bn-simulation.h: the Compare page's batch-norm simulation of one feature, run in a worker
 * thread and cached by its settings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/ns-batchnorm.h"
#include "core/ns-plot.h"

G_BEGIN_DECLS

typedef struct _NsBnSimulation NsBnSimulation;

/* Called in the main context when a started run has finished (or failed). */
typedef void (*NsBnSimulationDone) (gpointer data);

NsBnSimulation *ns_bn_simulation_new (NsBnSimulationDone done, gpointer data);
/* Stops and waits for the worker. */
void ns_bn_simulation_free (NsBnSimulation *self);
/* The finished run of feature of dataset with options, and its training-mode outputs binned;
 * otherwise NULL, with a run started (or the one under way kept). After a failed run, NULL and
 * error set. dataset is borrowed: call ns_bn_simulation_stop before it goes. */
NsBatchNorm *ns_bn_simulation_get (NsBnSimulation *self, const NsDataset *dataset,
                                   const NsBatchNormOptions *options, int feature,
                                   const NsPlotData **training, GError **error);
/* Cancels the run under way, waits for its thread, and forgets the cached one. */
void ns_bn_simulation_stop (NsBnSimulation *self);
gboolean ns_bn_simulation_is_busy (NsBnSimulation *self);

G_END_DECLS
