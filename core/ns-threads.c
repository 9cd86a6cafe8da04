/* ns-threads.c: how many threads a job uses, and running one function on that many.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-threads.h"

guint
ns_threads_resolve (guint requested)
{
  return requested != 0 ? requested : (guint) g_get_num_processors ();
}

typedef struct {
  NsThreadsFunc func;
  gpointer data;
  guint index;
} NsThreadCall;

static gpointer
ns_thread_call (gpointer user_data)
{
  NsThreadCall *call = user_data;

  call->func (call->index, call->data);
  return NULL;
}

void
ns_threads_run (guint n, NsThreadsFunc func, gpointer data)
{
  g_autofree NsThreadCall *calls = g_new (NsThreadCall, MAX (n, 1));
  g_autofree GThread **threads = g_new0 (GThread *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    calls[i] = (NsThreadCall) { func, data, i };
  for (guint i = 1; i < n; i++)
    threads[i] = g_thread_new ("ns-worker", ns_thread_call, &calls[i]);
  if (n > 0)
    func (0, data);
  for (guint i = 1; i < n; i++)
    g_thread_join (threads[i]);
}
