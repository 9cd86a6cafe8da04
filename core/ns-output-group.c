/* ns-output-group.c: the files of one command held until all are finished, then put in place
 * together, or not at all.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-output-group.h"
#include "ns-output-private.h"

#include <pthread.h>

struct _NsOutputGroup {
  /* One slot per held target, where ns_output_commit leaves its finished file; allocated one by
   * one so that the addresses ns_output_hold keeps stay put. */
  GPtrArray *finished; /* NsOutput ** */
};

NsOutputGroup *
ns_output_group_new (const NsOutputGuard *guard, GError **error)
{
  NsOutputGroup *self;

  if (!ns_output_guard_check (guard, error))
    return NULL;
  self = g_new0 (NsOutputGroup, 1);
  self->finished = g_ptr_array_new ();
  for (guint i = 0; i < ns_output_guard_get_n_outputs (guard); i++)
    {
      const char *path = ns_output_guard_get_output (guard, i);
      NsOutput **slot;

      if (ns_output_is_direct (path))
        continue;
      slot = g_new0 (NsOutput *, 1);
      g_ptr_array_add (self->finished, slot);
      ns_output_hold (path, slot);
    }
  return self;
}

/* Puts back, last first, the files placed before index. */
static void
ns_output_group_unplace (NsOutputGroup *self, guint index)
{
  while (index-- > 0)
    {
      NsOutput **slot = g_ptr_array_index (self->finished, index);

      if (*slot != NULL)
        ns_output_unplace (*slot);
    }
}

static gboolean
ns_output_group_place_all (NsOutputGroup *self, GError **error)
{
  for (guint i = 0; i < self->finished->len; i++)
    {
      NsOutput **slot = g_ptr_array_index (self->finished, i);

      if (*slot != NULL && !ns_output_place (*slot, error))
        {
          ns_output_group_unplace (self, i);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ns_output_group_commit (NsOutputGroup *self, GError **error)
{
  sigset_t old;
  gboolean placed;

  /* Nothing is written after this: the held files are complete, or the command failed. */
  for (guint i = 0; i < self->finished->len; i++)
    ns_output_release (g_ptr_array_index (self->finished, i));
  /* A signal to this thread (the command's workers have ended) waits until every file is in
   * place or put back, then ends the process. */
  ns_output_block_cleanup_signals (&old);
  placed = ns_output_group_place_all (self, error);
  for (guint i = 0; placed && i < self->finished->len; i++)
    {
      NsOutput **slot = g_ptr_array_index (self->finished, i);

      if (*slot != NULL)
        ns_output_finish_placed (g_steal_pointer (slot));
    }
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  return placed;
}

void
ns_output_group_free (NsOutputGroup *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->finished->len; i++)
    {
      NsOutput **slot = g_ptr_array_index (self->finished, i);

      ns_output_release (slot);
      ns_output_abort (*slot);
      g_free (slot);
    }
  g_ptr_array_unref (self->finished);
  g_free (self);
}
