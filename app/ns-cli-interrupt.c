/* ns-cli-interrupt.c: Ctrl-C during a long computation cancels it instead of killing the process.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <glib-unix.h>

struct _NsCliInterrupt {
  int pipe[2]; /* the handler writes 'i', ns_cli_interrupt_stop 'q' */
  GThread *watcher;
  GCancellable *cancellable;
  struct sigaction previous;
  gboolean interrupted;
};

static int ns_interrupt_fd = -1;

/* Async-signal-safe: one write to the pipe; the watcher thread does the rest. */
static void
ns_cli_interrupt_on_signal (int signal_number)
{
  int saved_errno = errno;
  char byte = 'i';

  if (write (ns_interrupt_fd, &byte, 1) < 0)
    {
      /* nothing to do in a signal handler */
    }
  errno = saved_errno;
}

static gpointer
ns_cli_interrupt_watch (gpointer data)
{
  NsCliInterrupt *self = data;
  char byte = 0;

  while (read (self->pipe[0], &byte, 1) < 0 && errno == EINTR)
    ;
  if (byte == 'i')
    {
      self->interrupted = TRUE;
      g_cancellable_cancel (self->cancellable);
    }
  return NULL;
}

NsCliInterrupt *
ns_cli_interrupt_start (GCancellable *cancellable)
{
  NsCliInterrupt *self = g_new0 (NsCliInterrupt, 1);
  struct sigaction action = { 0 };

  g_return_val_if_fail (ns_interrupt_fd < 0, NULL);
  if (!g_unix_open_pipe (self->pipe, FD_CLOEXEC, NULL))
    {
      g_free (self);
      return NULL; /* Ctrl-C keeps killing the process */
    }
  self->cancellable = g_object_ref (cancellable);
  ns_interrupt_fd = self->pipe[1];
  action.sa_handler = ns_cli_interrupt_on_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESTART;
  /* The handler first, then the watcher: once the thread exists, Ctrl-C is caught (the pipe
   * keeps a signal that comes before the thread reads). */
  sigaction (SIGINT, &action, &self->previous);
  self->watcher = g_thread_new ("ns-interrupt", ns_cli_interrupt_watch, self);
  return self;
}

gboolean
ns_cli_interrupt_stop (NsCliInterrupt *self)
{
  gboolean interrupted;
  char byte = 'q';

  if (self == NULL)
    return FALSE;
  sigaction (SIGINT, &self->previous, NULL);
  ns_interrupt_fd = -1;
  if (write (self->pipe[1], &byte, 1) < 0)
    g_warning ("cannot stop the Ctrl-C watcher: %s", g_strerror (errno));
  g_thread_join (self->watcher);
  close (self->pipe[0]);
  close (self->pipe[1]);
  interrupted = self->interrupted;
  g_object_unref (self->cancellable);
  g_free (self);
  return interrupted;
}
