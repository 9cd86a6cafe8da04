/* ns-input.c: the read options' defaults, and advice to the kernel on the readers' file mappings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-input.h"
#include "ns-threads.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void
ns_read_options_init (NsReadOptions *options)
{
  memset (options, 0, sizeof *options);
  options->header = NS_HEADER_AUTO;
}

/* madvise for the whole pages inside [from, to) (none: nothing to do). */
static void
ns_madvise_inner_pages (const void *from, const void *to, int advice)
{
  static gsize page;
  guintptr start, stop;

  if (page == 0)
    page = sysconf (_SC_PAGESIZE);
  start = ((guintptr) from + page - 1) / page * page;
  stop = (guintptr) to / page * page;
  if (stop > start)
    madvise ((void *) start, stop - start, advice);
}

void
ns_release_mapped_pages (const void *from, const void *to)
{
  ns_madvise_inner_pages (from, to, MADV_DONTNEED);
}

typedef struct {
  const char *from, *to;
  guint n_parts;
} NsReleaseJob;

static void
ns_release_part (guint index, gpointer data)
{
  NsReleaseJob *job = data;
  gsize length = (gsize) (job->to - job->from);

  ns_release_mapped_pages (job->from + length / job->n_parts * index,
                           index + 1 == job->n_parts
                             ? job->to
                             : job->from + length / job->n_parts * (index + 1));
}

/* Below this, one thread unmaps faster than threads start. */
#define NS_RELEASE_THREADED_MIN (64u << 20)

void
ns_release_mapping_threaded (const void *from, const void *to)
{
  NsReleaseJob job = { from, to, ns_threads_resolve (0) };

  if ((gsize) ((const char *) to - (const char *) from) < NS_RELEASE_THREADED_MIN)
    job.n_parts = 1;
  ns_threads_run (job.n_parts, ns_release_part, &job);
}

void
ns_advise_huge_pages (void *from, void *to)
{
  ns_madvise_inner_pages (from, to, MADV_HUGEPAGE);
}

void
ns_populate_mapped_pages (const void *from, const void *to)
{
#ifdef MADV_POPULATE_READ
  ns_madvise_inner_pages (from, to, MADV_POPULATE_READ);
#endif
}
