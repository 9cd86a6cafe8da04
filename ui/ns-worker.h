/* ns-worker.h: cancel a GTask's thread and wait until it no longer reads the caller's data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The worker's "done with the inputs" flag, which the main thread can wait on: a GTask's own
 * completion is only seen in the main loop, too late for a caller about to free the inputs. */
typedef struct _NsWorkerLatch NsWorkerLatch;

NsWorkerLatch *ns_worker_latch_new (void);
void ns_worker_latch_free (NsWorkerLatch *latch);
/* Called by the worker once it no longer touches the inputs, before returning its result. */
void ns_worker_latch_release (NsWorkerLatch *latch);
/* Cancels task's GCancellable and blocks until the worker has called ns_worker_latch_release. */
void ns_worker_cancel_and_wait (GTask *task, NsWorkerLatch *latch);

G_END_DECLS
