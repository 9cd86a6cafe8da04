/* ns-output.c: atomic output files and exact double formatting.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NS_OUTPUT_BUFFER 65536

struct _NsOutput {
  char   *path;       /* the target */
  char   *tmp_path;   /* NULL when writing directly */
  int     fd;
  gboolean close_fd;
  GString *buffer;
};

static gboolean
ns_output_fail (NsOutput *self, int saved_errno, const char *what, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: cannot %s: %s", self->path, what,
               g_strerror (saved_errno));
  return FALSE;
}

NsOutput *
ns_output_open (const char *path, GError **error)
{
  g_autoptr (NsOutput) self = g_new0 (NsOutput, 1);
  struct stat st;

  self->path = g_strdup (path);
  self->buffer = g_string_sized_new (NS_OUTPUT_BUFFER);
  self->fd = -1;

  if (g_strcmp0 (path, "-") == 0)
    {
      self->fd = STDOUT_FILENO;
      return g_steal_pointer (&self);
    }
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: is a folder, not a file", path);
          return NULL;
        }
      self->fd = open (path, O_WRONLY | O_CLOEXEC);
      if (self->fd < 0)
        {
          ns_output_fail (self, errno, "open for writing", error);
          return NULL;
        }
      self->close_fd = TRUE;
      return g_steal_pointer (&self);
    }
  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *base = g_path_get_basename (path);

    if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
      {
        g_set_error (error, NS_ERROR, NS_ERROR_IO,
                     g_file_test (dir, G_FILE_TEST_EXISTS)
                     ? "%s: cannot write: %s is a file, not a folder"
                     : "%s: cannot write: folder %s does not exist", path, dir);
        return NULL;
      }
    self->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
    self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0666 & ~0022);
    if (self->fd < 0)
      {
        int saved = errno;

        g_clear_pointer (&self->tmp_path, g_free);
        ns_output_fail (self, saved, "create a file in its folder", error);
        return NULL;
      }
    self->close_fd = TRUE;
  }
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
    }
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
    return ns_output_flush (self, error) && ns_output_write_all (self, data, len, error);
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

static void
ns_output_free (NsOutput *self)
{
  if (self->close_fd && self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_free (self->tmp_path);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}

gboolean
ns_output_commit (NsOutput *self, GError **error)
{
  gboolean ok = ns_output_flush (self, error);

  if (ok && self->tmp_path != NULL)
    {
      if (fsync (self->fd) != 0)
        ok = ns_output_fail (self, errno, "write", error);
      else if (close (self->fd) != 0)
        ok = ns_output_fail (self, errno, "write", error);
      self->fd = -1;
      if (ok && g_rename (self->tmp_path, self->path) != 0)
        ok = ns_output_fail (self, errno, "rename the finished file into place", error);
      if (ok)
        g_clear_pointer (&self->tmp_path, g_free);
    }
  if (!ok)
    {
      ns_output_abort (self);
      return FALSE;
    }
  ns_output_free (self);
  return TRUE;
}

void
ns_output_abort (NsOutput *self)
{
  if (self == NULL)
    return;
  if (self->tmp_path != NULL)
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

gboolean
ns_output_check_not_input (const char *output, const char * const *inputs, GError **error)
{
  struct stat out_st;

  if (g_strcmp0 (output, "-") == 0 || stat (output, &out_st) != 0 || !S_ISREG (out_st.st_mode))
    return TRUE;
  for (guint i = 0; inputs[i] != NULL; i++)
    {
      struct stat in_st;

      if (stat (inputs[i], &in_st) == 0 && in_st.st_dev == out_st.st_dev &&
          in_st.st_ino == out_st.st_ino)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "%s: refusing to write over the input file %s", output, inputs[i]);
          return FALSE;
        }
    }
  return TRUE;
}
