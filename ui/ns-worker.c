/* ns-worker.c: cancel a GTask's thread and wait until it no longer reads the caller's data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ns-worker.h"

struct _NsWorkerLatch {
  GMutex lock;
  GCond cond;
  gboolean released;
};

NsWorkerLatch *
ns_worker_latch_new (void)
{
  NsWorkerLatch *latch = g_new0 (NsWorkerLatch, 1);

  g_mutex_init (&latch->lock);
  g_cond_init (&latch->cond);
  return latch;
}

void
ns_worker_latch_free (NsWorkerLatch *latch)
{
  if (latch == NULL)
    return;
  g_mutex_clear (&latch->lock);
  g_cond_clear (&latch->cond);
  g_free (latch);
}

void
ns_worker_latch_release (NsWorkerLatch *latch)
{
  g_mutex_lock (&latch->lock);
  latch->released = TRUE;
  g_cond_broadcast (&latch->cond);
  g_mutex_unlock (&latch->lock);
}

void
ns_worker_cancel_and_wait (GTask *task, NsWorkerLatch *latch)
{
  g_cancellable_cancel (g_task_get_cancellable (task));
  g_mutex_lock (&latch->lock);
  while (!latch->released)
    g_cond_wait (&latch->cond, &latch->lock);
  g_mutex_unlock (&latch->lock);
}
