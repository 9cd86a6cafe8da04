/* ns-loader.h: loading a dataset off the main thread: read, summarize, fit every scaler.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/ns-dataset.h"
#include "core/ns-scaler.h"
#include "core/ns-stats.h"

G_BEGIN_DECLS

#define NS_N_SCALERS 5 /* NS_METHOD_STANDARD .. NS_METHOD_ROBUST */

/* What a load produces, all computed by core in the worker thread. */
typedef struct {
  char *path;
  NsDataset *dataset;
  GArray *summary;                /* NsColumnSummary per column */
  NsStats *stats[NS_N_SCALERS];   /* indexed by NsMethod; NULL when the fit failed */
  char *fit_errors[NS_N_SCALERS]; /* why a fit failed */
} NsLoadResult;

void ns_load_result_free (NsLoadResult *result);

typedef struct _NsLoadJob NsLoadJob;

/* Starts loading path in a worker thread; callback runs in the caller's main context. */
/* axis: a tensor's kept axes as the CLI's --axis ("1", "-1", "none"; NULL: the last); excluded:
 * numeric columns left out of the dataset and the fits (NULL: none). */
NsLoadJob *ns_load_job_start (const char *path, const char *axis, const char *const *excluded,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
void ns_load_job_unref (NsLoadJob *job);
/* Progress in [0, 1] (any thread may ask). */
double ns_load_job_get_fraction (NsLoadJob *job);
NsLoadResult *ns_load_job_finish (GAsyncResult *result, GError **error);
/* The same work, synchronously (CLI-like callers and tests). */
NsLoadResult *ns_load_file (const char *path, const char *axis, const char *const *excluded,
                            GCancellable *cancellable, NsLoadJob *job, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsLoadResult, ns_load_result_free)

G_END_DECLS
