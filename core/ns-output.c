/* ns-output.c: atomic output files, their temporary files unlinked on SIGINT, SIGTERM and SIGHUP,
 * and the targets an NsOutputGroup holds until all its files are finished.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-output.h"
#include "ns-output-private.h"
#include "ns-threads.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NS_OUTPUT_BUFFER 65536
/* Smaller writes gain nothing from a reservation. */
#define NS_OUTPUT_RESERVE_MIN (1u << 20)

typedef enum {
  NS_PLACED_NOT,       /* the new file is under its temporary name */
  NS_PLACED_NEW,       /* renamed to a target that did not exist */
  NS_PLACED_EXCHANGED, /* the old file waits under the temporary name */
  NS_PLACED_OVER,      /* renamed over the old file, which is gone (no RENAME_EXCHANGE) */
} NsPlacement;

struct _NsOutput {
  char *path;     /* the target */
  char *tmp_path; /* NULL when writing directly */
  NsPlacement placement;
  int temp_slot; /* its slot in temp_slots, or -1 */
  int fd;
  gboolean close_fd;
  guint64 written; /* bytes in the file so far: where the next write goes */
  GString *buffer;
};

/* The temporary files being written, for the handler of the signals that end a process
 * (Ctrl-C, kill, a closed terminal) to unlink: fixed slots of fixed buffers, because a signal
 * handler may neither allocate nor lock. Beyond NS_OUTPUT_MAX_TEMPS open outputs, or for a path
 * longer than PATH_MAX, a temporary file is written without this cleanup. */
#define NS_OUTPUT_MAX_TEMPS 16

enum { NS_TEMP_FREE, NS_TEMP_FILLING, NS_TEMP_ACTIVE };

static struct {
  gint state;
  char path[PATH_MAX];
} temp_slots[NS_OUTPUT_MAX_TEMPS];

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void
ns_output_on_signal (int signum)
{
  int saved = errno;

  /* Only async-signal-safe calls: lock-free atomic loads, unlink, raise. */
  for (guint i = 0; i < NS_OUTPUT_MAX_TEMPS; i++)
    if (g_atomic_int_get (&temp_slots[i].state) == NS_TEMP_ACTIVE)
      unlink (temp_slots[i].path);
  errno = saved;
  /* SA_RESETHAND restored the default action: the signal, blocked in here, ends the process as
   * it would have without this handler once the handler returns. */
  raise (signum);
}

static void
ns_output_cleanup_signals (sigset_t *set)
{
  sigemptyset (set);
  for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
    sigaddset (set, cleanup_signals[i]);
}

/* Once per process; a signal the program handles itself or ignores (nohup) is left alone. */
static void
ns_output_install_signal_handler (void)
{
  static gsize installed = 0;
  struct sigaction action = { .sa_handler = ns_output_on_signal, .sa_flags = SA_RESETHAND };

  if (!g_once_init_enter (&installed))
    return;
  ns_output_cleanup_signals (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
    {
      struct sigaction old;

      if (sigaction (cleanup_signals[i], NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
          old.sa_handler == SIG_DFL)
        sigaction (cleanup_signals[i], &action, NULL);
    }
  g_once_init_leave (&installed, 1);
}

static int
ns_output_register_temp (const char *path)
{
  if (strlen (path) >= PATH_MAX)
    return -1;
  for (int i = 0; i < NS_OUTPUT_MAX_TEMPS; i++)
    if (g_atomic_int_compare_and_exchange (&temp_slots[i].state, NS_TEMP_FREE, NS_TEMP_FILLING))
      {
        strcpy (temp_slots[i].path, path);
        g_atomic_int_set (&temp_slots[i].state, NS_TEMP_ACTIVE);
        return i;
      }
  return -1;
}

/* mkstemp and registration with the cleanup signals blocked in this thread, which closes the window
 * between them to a signal except one delivered to another thread in those microseconds. */
static int
ns_output_create_temp (NsOutput *self)
{
  sigset_t old;
  int fd;

  ns_output_install_signal_handler ();
  ns_output_block_cleanup_signals (&old);
  fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0666 & ~0022);
  if (fd >= 0)
    {
      /* Absolute, so that a later chdir cannot make the handler unlink another file. */
      g_autofree char *absolute = g_canonicalize_filename (self->tmp_path, NULL);

      self->temp_slot = ns_output_register_temp (absolute);
    }
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  return fd;
}

static gboolean
ns_output_fail (NsOutput *self, int saved_errno, const char *what, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: cannot %s: %s",
               strcmp (self->path, "-") == 0 ? "standard output" : self->path, what,
               g_strerror (saved_errno));
  return FALSE;
}

gboolean
ns_output_is_direct (const char *path)
{
  struct stat st;

  return strcmp (path, "-") == 0 ||
         (stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode));
}

static gboolean
ns_output_check_folder (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_IO,
               g_file_test (dir, G_FILE_TEST_EXISTS)
                 ? "%s: cannot write: %s is a file, not a folder"
                 : "%s: cannot write: folder %s does not exist",
               path, dir);
  return FALSE;
}

gboolean
ns_output_check_target (const char *path, GError **error)
{
  struct stat st;

  if (path[0] == '\0')
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                           "the output file name is empty");
      return FALSE;
    }
  if (strcmp (path, "-") == 0)
    return TRUE;
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      if (!S_ISDIR (st.st_mode))
        return TRUE;
      g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: is a folder, not a file", path);
      return FALSE;
    }
  if (!ns_output_check_folder (path, error))
    return FALSE;
  /* A symbolic link is replaced itself, as rm removes it without asking. */
  if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0222) == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_IO,
                   "%s: is write-protected (mode %04o): refusing to replace it", path,
                   (unsigned) (st.st_mode & 07777));
      return FALSE;
    }
  return TRUE;
}

/* The new file gets the permission bits of the file it replaces (one replacing a symbolic link,
 * or a new one, the umask's). A file system without them (vfat) keeps its own. */
static void
ns_output_keep_mode (NsOutput *self)
{
  struct stat st;

  if (lstat (self->path, &st) == 0 && S_ISREG (st.st_mode))
    (void) fchmod (self->fd, st.st_mode & 0777);
}

static gboolean
ns_output_open_temp (NsOutput *self, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);

  self->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  self->fd = ns_output_create_temp (self);
  if (self->fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&self->tmp_path, g_free);
      return ns_output_fail (self, saved, "create a file in its folder", error);
    }
  self->close_fd = TRUE;
  ns_output_keep_mode (self);
  return TRUE;
}

NsOutput *
ns_output_open (const char *path, GError **error)
{
  g_autoptr (NsOutput) self = NULL;

  if (!ns_output_check_target (path, error))
    return NULL;
  self = g_new0 (NsOutput, 1);
  self->path = g_strdup (path);
  self->buffer = g_string_sized_new (NS_OUTPUT_BUFFER);
  self->fd = -1;
  self->temp_slot = -1;
  if (strcmp (path, "-") == 0)
    {
      self->fd = STDOUT_FILENO;
      return g_steal_pointer (&self);
    }
  if (!ns_output_is_direct (path))
    return ns_output_open_temp (self, error) ? g_steal_pointer (&self) : NULL;
  self->fd = open (path, O_WRONLY | O_CLOEXEC);
  if (self->fd < 0)
    {
      ns_output_fail (self, errno, "open for writing", error);
      return NULL;
    }
  self->close_fd = TRUE;
  return g_steal_pointer (&self);
}

static gboolean
ns_output_write_all (NsOutput *self, const char *p, gsize left, GError **error)
{
  while (left > 0)
    {
      gssize n = write (self->fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return ns_output_fail (self, n < 0 ? errno : ENOSPC, "write", error);
      p += n;
      left -= (gsize) n;
      self->written += (guint64) n;
    }
  return TRUE;
}

/* Touches neither the buffer nor the file offset. */
static gboolean
ns_output_pwrite_all (NsOutput *self, const char *p, gsize left, guint64 offset, GError **error)
{
  while (left > 0)
    {
      gssize n = pwrite (self->fd, p, left, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return ns_output_fail (self, n < 0 ? errno : ENOSPC, "write", error);
      p += n;
      left -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

/* Blocks for len bytes at offset of a temporary file, allocated at once: a full disk fails before
 * anything is written, and ext4 then writes into allocated blocks instead of reserving each page
 * as it comes (measured: 128 MB from two threads, 0.036-0.047 s without, 0.023-0.026 s with). A
 * file system without fallocate just writes. */
static gboolean
ns_output_reserve (NsOutput *self, guint64 offset, gsize len, GError **error)
{
  int status;

  if (self->tmp_path == NULL || len < NS_OUTPUT_RESERVE_MIN)
    return TRUE;
  do
    status = fallocate (self->fd, FALLOC_FL_KEEP_SIZE, (off_t) offset, (off_t) len);
  while (status != 0 && errno == EINTR);
  if (status != 0 && (errno == ENOSPC || errno == EDQUOT || errno == EFBIG))
    return ns_output_fail (self, errno, "write", error);
  return TRUE;
}

static gboolean
ns_output_flush (NsOutput *self, GError **error)
{
  if (!ns_output_write_all (self, self->buffer->str, self->buffer->len, error))
    return FALSE;
  g_string_truncate (self->buffer, 0);
  return TRUE;
}

gboolean
ns_output_write (NsOutput *self, const void *data, gsize len, GError **error)
{
  /* A large block (a whole tensor) goes straight to the file rather than through a copy. */
  if (len >= NS_OUTPUT_BUFFER)
    return ns_output_flush (self, error) && ns_output_reserve (self, self->written, len, error) &&
           ns_output_write_all (self, data, len, error);
  g_string_append_len (self->buffer, data, (gssize) len);
  if (self->buffer->len >= NS_OUTPUT_BUFFER)
    return ns_output_flush (self, error);
  return TRUE;
}

gboolean
ns_output_printf (NsOutput *self, GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (self->buffer, format, args);
  va_end (args);
  if (self->buffer->len >= NS_OUTPUT_BUFFER)
    return ns_output_flush (self, error);
  return TRUE;
}

/* ---- Block writes: threads make blocks and write each at its offset. */

typedef struct {
  NsOutput *output;
  gsize total;
  gsize block_size;
  gsize n_blocks;
  gboolean positional; /* pwrite at base + offset; else write in order, one thread */
  guint64 base;        /* the file offset of block 0 */
  NsOutputBlockFunc fill;
  gpointer data;
  gsize next; /* the next block to take */
  gint failed;
  GMutex lock; /* guards error */
  GError *error;
  /* One write at a time: a file system takes a file's lock for each buffered write, and two
   * threads waiting on it spin where one waiting on this mutex sleeps. */
  GMutex write_lock;
} NsOutputBlocks;

static void
ns_output_blocks_fail (NsOutputBlocks *job, GError *error)
{
  g_mutex_lock (&job->lock);
  if (job->error == NULL)
    job->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&job->lock);
  g_atomic_int_set (&job->failed, TRUE);
}

static void
ns_output_blocks_worker (guint thread, gpointer user_data)
{
  NsOutputBlocks *job = user_data;
  g_autofree guint8 *scratch = g_malloc (job->block_size); /* untouched when fill never uses it */
  gsize block;

  (void) thread;
  while (!g_atomic_int_get (&job->failed) &&
         (block = (gsize) g_atomic_pointer_add (&job->next, 1)) < job->n_blocks)
    {
      gsize offset = block * job->block_size, len = MIN (job->block_size, job->total - offset);
      const char *bytes = job->fill (block, len, scratch, job->data);
      GError *error = NULL;
      gboolean ok;

      g_mutex_lock (&job->write_lock);
      ok = job->positional
             ? ns_output_pwrite_all (job->output, bytes, len, job->base + offset, &error)
             : ns_output_write_all (job->output, bytes, len, &error);
      g_mutex_unlock (&job->write_lock);
      if (!ok)
        ns_output_blocks_fail (job, error);
    }
}

gboolean
ns_output_write_blocks (NsOutput *self, gsize total, gsize block_size, NsOutputBlockFunc fill,
                        gpointer data, guint n_threads, GError **error)
{
  NsOutputBlocks job = { self, total, block_size, 0, self->tmp_path != NULL, 0, fill, data };
  guint threads;

  g_return_val_if_fail (block_size > 0 && fill != NULL, FALSE);
  if (total == 0)
    return TRUE;
  if (!ns_output_flush (self, error) || !ns_output_reserve (self, self->written, total, error))
    return FALSE;
  job.n_blocks = (total - 1) / block_size + 1;
  job.base = self->written;
  g_mutex_init (&job.lock);
  g_mutex_init (&job.write_lock);
  threads = job.positional ? (guint) MIN (ns_threads_resolve (n_threads), job.n_blocks) : 1;
  ns_threads_run (threads, ns_output_blocks_worker, &job);
  g_mutex_clear (&job.lock);
  g_mutex_clear (&job.write_lock);
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  if (job.positional)
    {
      self->written += total;
      /* Later writes go on after the blocks. */
      if (lseek (self->fd, (off_t) self->written, SEEK_SET) < 0)
        return ns_output_fail (self, errno, "write", error);
    }
  return TRUE;
}

/* After the temporary file is renamed or unlinked: a signal in between finds no file to unlink. */
static void
ns_output_free (NsOutput *self)
{
  if (self->temp_slot >= 0)
    g_atomic_int_set (&temp_slots[self->temp_slot].state, NS_TEMP_FREE);
  if (self->close_fd && self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_free (self->tmp_path);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}

void
ns_output_block_cleanup_signals (sigset_t *old)
{
  sigset_t block;

  ns_output_cleanup_signals (&block);
  pthread_sigmask (SIG_BLOCK, &block, old);
}

/* ---- Targets held by an NsOutputGroup (ns-output-private.h). Process-wide, as the temporary
 * files' slots are: the writers (stats files, exports, traces, tensors, figures) take a path, not
 * the group, so ns_output_commit finds a held target by its path. */

typedef struct {
  char *path;
  NsOutput **finished;
} NsOutputHeld;

static GMutex held_lock;
static GPtrArray *held_targets; /* NsOutputHeld *, under held_lock; NULL when empty */

void
ns_output_hold (const char *path, NsOutput **finished)
{
  NsOutputHeld *held = g_new (NsOutputHeld, 1);

  held->path = g_strdup (path);
  held->finished = finished;
  g_mutex_lock (&held_lock);
  if (held_targets == NULL)
    held_targets = g_ptr_array_new ();
  g_ptr_array_add (held_targets, held);
  g_mutex_unlock (&held_lock);
}

void
ns_output_release (NsOutput **finished)
{
  g_mutex_lock (&held_lock);
  for (guint i = 0; held_targets != NULL && i < held_targets->len; i++)
    {
      NsOutputHeld *held = g_ptr_array_index (held_targets, i);

      if (held->finished != finished)
        continue;
      g_ptr_array_remove_index_fast (held_targets, i);
      g_free (held->path);
      g_free (held);
      break;
    }
  if (held_targets != NULL && held_targets->len == 0)
    g_clear_pointer (&held_targets, g_ptr_array_unref);
  g_mutex_unlock (&held_lock);
}

/* Whether a group holds self's target; it then keeps the finished (closed) file. */
static gboolean
ns_output_hand_to_group (NsOutput *self)
{
  NsOutput *replaced = NULL;
  gboolean held = FALSE;

  if (self->tmp_path == NULL)
    return FALSE;
  g_mutex_lock (&held_lock);
  for (guint i = 0; held_targets != NULL && i < held_targets->len && !held; i++)
    {
      NsOutputHeld *target = g_ptr_array_index (held_targets, i);

      if ((held = strcmp (target->path, self->path) == 0))
        {
          replaced = *target->finished;
          *target->finished = self;
        }
    }
  g_mutex_unlock (&held_lock);
  /* A target written twice keeps the last file, as it would without the group. */
  ns_output_abort (replaced);
  return held;
}

/* ---- Putting a finished file in place. */

/* Over an existing file (or link) the two are exchanged and the old one, now under the temporary
 * name, unlinked once every file of the command is in place: a rename over a file makes ext4
 * (auto_da_alloc) start writing the new data back at once, which made a 128 MB output cost
 * 0.09-0.15 s here against 0.04 s this way. Otherwise, or without RENAME_EXCHANGE (other file
 * systems), it is a plain rename, which refuses a folder at the target. */
gboolean
ns_output_place (NsOutput *self, GError **error)
{
  struct stat st;
  gboolean existed;

  if (self->tmp_path == NULL)
    return TRUE;
  existed = lstat (self->path, &st) == 0;
  if (existed && (S_ISREG (st.st_mode) || S_ISLNK (st.st_mode)) &&
      renameat2 (AT_FDCWD, self->tmp_path, AT_FDCWD, self->path, RENAME_EXCHANGE) == 0)
    {
      if (lstat (self->tmp_path, &st) != 0 || !S_ISDIR (st.st_mode))
        {
          self->placement = NS_PLACED_EXCHANGED;
          return TRUE;
        }
      /* A folder that raced in is put back for the rename to refuse. */
      renameat2 (AT_FDCWD, self->tmp_path, AT_FDCWD, self->path, RENAME_EXCHANGE);
    }
  if (g_rename (self->tmp_path, self->path) != 0)
    return ns_output_fail (self, errno, "rename the finished file into place", error);
  self->placement = existed ? NS_PLACED_OVER : NS_PLACED_NEW;
  return TRUE;
}

void
ns_output_unplace (NsOutput *self)
{
  /* Renames back within the folder they were just renamed in: should one fail all the same, the
   * new file stays in place and the old one under the temporary name, not unlinked. */
  if (self->placement == NS_PLACED_EXCHANGED &&
      renameat2 (AT_FDCWD, self->tmp_path, AT_FDCWD, self->path, RENAME_EXCHANGE) == 0)
    self->placement = NS_PLACED_NOT;
  else if (self->placement == NS_PLACED_NEW && g_rename (self->path, self->tmp_path) == 0)
    self->placement = NS_PLACED_NOT;
}

void
ns_output_finish_placed (NsOutput *self)
{
  /* An old file that cannot be unlinked stays under the hidden temporary name rather than failing
   * a finished output. */
  if (self->placement == NS_PLACED_EXCHANGED)
    g_unlink (self->tmp_path);
  ns_output_free (self);
}

static gboolean
ns_output_close_temp (NsOutput *self, GError **error)
{
  int status;

  if (self->tmp_path == NULL)
    return TRUE;
  status = close (self->fd);
  self->fd = -1;
  return status == 0 || ns_output_fail (self, errno, "write", error);
}

gboolean
ns_output_commit (NsOutput *self, GError **error)
{
  /* No fsync: the rename is what makes the replacement atomic (see ns-output.h). */
  if (!ns_output_flush (self, error) || !ns_output_close_temp (self, error))
    {
      ns_output_abort (self);
      return FALSE;
    }
  if (ns_output_hand_to_group (self))
    return TRUE;
  if (!ns_output_place (self, error))
    {
      ns_output_abort (self);
      return FALSE;
    }
  ns_output_finish_placed (self);
  return TRUE;
}

void
ns_output_abort (NsOutput *self)
{
  if (self == NULL)
    return;
  /* Once placed, what the temporary name holds is not the new file. */
  if (self->tmp_path != NULL && self->placement == NS_PLACED_NOT)
    g_unlink (self->tmp_path);
  ns_output_free (self);
}

gboolean
ns_output_write_file (const char *path, const void *data, gsize len, GError **error)
{
  NsOutput *out = ns_output_open (path, error);

  if (out == NULL)
    return FALSE;
  if (!ns_output_write (out, data, len, error))
    {
      ns_output_abort (out);
      return FALSE;
    }
  return ns_output_commit (out, error);
}
