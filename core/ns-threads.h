/* ns-threads.h: how many threads a job uses, and running one function on that many.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The threads a job asked for: requested, or every core when it is 0. */
guint ns_threads_resolve (guint requested);

typedef void (*NsThreadsFunc) (guint index, gpointer data);

/* Calls func (i, data) for each i in [0, n), each on its own thread (i = 0 on the caller), and
 * returns when every call has. */
void ns_threads_run (guint n, NsThreadsFunc func, gpointer data);

G_END_DECLS
