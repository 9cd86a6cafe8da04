/* ns-mapping-guard.c: a SIGBUS handler that turns a fault in a guarded file mapping into zeros and
 * a "the file changed while it was read" error. SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-mapping-guard.h"
#include "ns-error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Mappings read at once: a load, its hash thread and a stream read use one each. */
#define NS_MAPPING_GUARD_SLOTS 64

struct _NsMappingGuard {
  char *path;
  int fd;
  guintptr begin, end; /* the mapping's pages */
  struct stat before;
  gint faulted; /* set by the signal handler */
  guint slot;
};

static NsMappingGuard *ns_guards[NS_MAPPING_GUARD_SLOTS];
static struct sigaction ns_previous_action;      /* SIGBUS's */
static struct sigaction ns_previous_segv_action; /* SIGSEGV's: valgrind reports a page past the end
                                                  * of a truncated file as SIGSEGV, not SIGBUS */

/* Async-signal-safe: reads the slots, maps zeros. */
static gboolean
ns_mapping_guard_absorb (const void *address)
{
  guintptr at = (guintptr) address;

  for (guint i = 0; i < NS_MAPPING_GUARD_SLOTS; i++)
    {
      NsMappingGuard *guard = g_atomic_pointer_get (&ns_guards[i]);

      if (guard == NULL || at < guard->begin || at >= guard->end)
        continue;
      if (mmap ((void *) guard->begin, guard->end - guard->begin, PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return FALSE;
      g_atomic_int_set (&guard->faulted, TRUE);
      return TRUE;
    }
  return FALSE;
}

/* Not a guarded page: what would have happened without this handler. */
static void
ns_mapping_guard_forward (int signal_number, siginfo_t *info, void *context)
{
  const struct sigaction *previous =
    signal_number == SIGSEGV ? &ns_previous_segv_action : &ns_previous_action;

  if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction != NULL)
    previous->sa_sigaction (signal_number, info, context);
  else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN)
    previous->sa_handler (signal_number);
  else
    signal (signal_number, SIG_DFL); /* the faulting access runs again and kills */
}

static void
ns_mapping_guard_on_sigbus (int signal_number, siginfo_t *info, void *context)
{
  int saved_errno = errno;

  if (!ns_mapping_guard_absorb (info->si_addr))
    ns_mapping_guard_forward (signal_number, info, context);
  errno = saved_errno;
}

static gpointer
ns_mapping_guard_install (gpointer unused)
{
  struct sigaction action = { 0 };

  action.sa_sigaction = ns_mapping_guard_on_sigbus;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset (&action.sa_mask);
  return GINT_TO_POINTER (sigaction (SIGBUS, &action, &ns_previous_action) == 0 &&
                          sigaction (SIGSEGV, &action, &ns_previous_segv_action) == 0);
}

static gboolean
ns_mapping_guard_register (NsMappingGuard *self)
{
  for (guint i = 0; i < NS_MAPPING_GUARD_SLOTS; i++)
    if (g_atomic_pointer_compare_and_exchange (&ns_guards[i], NULL, self))
      {
        self->slot = i;
        return TRUE;
      }
  return FALSE;
}

NsMappingGuard *
ns_mapping_guard_new (const char *path, int fd, const void *data, gsize len)
{
  static GOnce installed = G_ONCE_INIT;
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  NsMappingGuard *self;

  g_return_val_if_fail (path != NULL && fd >= 0, NULL);
  if (data == NULL || len == 0 ||
      !GPOINTER_TO_INT (g_once (&installed, ns_mapping_guard_install, NULL)))
    return NULL;
  self = g_new0 (NsMappingGuard, 1);
  self->begin = (guintptr) data / page * page;
  self->end = ((guintptr) data + len + page - 1) / page * page;
  if (fstat (fd, &self->before) != 0 || (self->fd = fcntl (fd, F_DUPFD_CLOEXEC, 0)) < 0)
    {
      g_free (self);
      return NULL;
    }
  self->path = g_strdup (path);
  if (!ns_mapping_guard_register (self))
    {
      ns_mapping_guard_free (self);
      return NULL;
    }
  return self;
}

static gboolean
ns_mapping_guard_same_file (const NsMappingGuard *self)
{
  const struct stat *a = &self->before;
  struct stat b;

  return fstat (self->fd, &b) == 0 && a->st_size == b.st_size &&
         a->st_mtim.tv_sec == b.st_mtim.tv_sec && a->st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a->st_ctim.tv_sec == b.st_ctim.tv_sec && a->st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

gboolean
ns_mapping_guard_check (NsMappingGuard *self, GError **error)
{
  if (self == NULL || (!g_atomic_int_get (&self->faulted) && ns_mapping_guard_same_file (self)))
    return TRUE;
  g_clear_error (error);
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: the file changed while it was read", self->path);
  return FALSE;
}

void
ns_mapping_guard_free (NsMappingGuard *self)
{
  if (self == NULL)
    return;
  g_atomic_pointer_compare_and_exchange (&ns_guards[self->slot], self, NULL);
  close (self->fd);
  g_free (self->path);
  g_free (self);
}
