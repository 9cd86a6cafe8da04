/* ns-reader.c: the dataset front door: reads a file, unwraps gzip, picks the NumPy or CSV reader.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-reader.h"
#include "ns-file-hash.h"
#include "ns-mapping-guard.h"
#include "ns-gunzip-stream.h"
#include "ns-npy-format.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>

#define NS_READ_BLOCK (1024 * 1024)

static gboolean
ns_has_magic (GBytes *bytes, const char *magic)
{
  gsize len, magic_len = strlen (magic);
  const char *data = g_bytes_get_data (bytes, &len);

  return len >= magic_len && memcmp (data, magic, magic_len) == 0;
}

static void
ns_set_io_error (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: %s", path, g_strerror (saved_errno));
}

/* What a read through GIO failed on, said as the other readers say it. */
static void
ns_set_stream_error (const char *path, GError *local_error, GError **error)
{
  if (local_error->domain == NS_ERROR)
    g_propagate_error (error, local_error);
  else
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "%s: reading was cancelled", path);
      else
        g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: %s", path, local_error->message);
      g_error_free (local_error);
    }
}

/* Reads stream to its end, refusing more than NS_READ_MEMORY_MAX bytes (what is the data of a
 * pipe, a device or gzip: what the in-memory path may hold). */
static GBytes *
ns_read_stream_to_end (const char *path, GInputStream *stream, const char *what, const char *hint,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  GError *local_error = NULL;

  for (;;)
    {
      gsize used = buffer->len;
      gssize n;

      g_byte_array_set_size (buffer, used + NS_READ_BLOCK);
      n =
        g_input_stream_read (stream, buffer->data + used, NS_READ_BLOCK, cancellable, &local_error);
      if (n < 0)
        {
          ns_set_stream_error (path, local_error, error);
          return NULL;
        }
      g_byte_array_set_size (buffer, used + n);
      if (n == 0)
        break;
      if (buffer->len > NS_READ_MEMORY_MAX)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                       "%s: expected at most %u MiB of %s, found more (what is read into "
                       "memory): %s",
                       path, NS_READ_MEMORY_MAX >> 20, what, hint);
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* Pipes and devices cannot be mapped: read them to the end. */
static GBytes *
ns_read_stream_fd (const char *path, int fd, GError **error)
{
  g_autoptr (GInputStream) stream = g_unix_input_stream_new (fd, FALSE);

  return ns_read_stream_to_end (path, stream, "data from a pipe or device",
                                "save it to a file, which is read in place", NULL, error);
}

GBytes *
ns_read_file (const char *path, NsMappingGuard **guard, GError **error)
{
  g_autoptr (GMappedFile) mapping = NULL;
  struct stat st;
  GBytes *bytes;
  int fd;

  *guard = NULL;
  if (strcmp (path, "-") == 0)
    return ns_read_stream_fd ("-", STDIN_FILENO, error);
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0)
    {
      ns_set_io_error (path, errno, error);
      return NULL;
    }
  if (fstat (fd, &st) != 0 || S_ISDIR (st.st_mode))
    {
      ns_set_io_error (path, S_ISDIR (st.st_mode) ? EISDIR : errno, error);
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    bytes = ns_read_stream_fd (path, fd, error);
  else if (st.st_size == 0)
    bytes = g_bytes_new_static ("", 0);
  else if ((mapping = g_mapped_file_new_from_fd (fd, FALSE, NULL)) != NULL)
    {
      bytes = g_mapped_file_get_bytes (mapping);
      *guard = ns_mapping_guard_new (path, fd, g_mapped_file_get_contents (mapping),
                                     g_mapped_file_get_length (mapping));
    }
  else
    bytes = ns_read_stream_fd (path, fd, error);
  close (fd);
  return bytes;
}

static GBytes *
ns_gunzip (const char *path, GBytes *compressed, GCancellable *cancellable, GError **error)
{
  g_autoptr (GInputStream) source = g_memory_input_stream_new_from_bytes (compressed);
  g_autoptr (GInputStream) stream = ns_gunzip_stream_new (source, path);

  return ns_read_stream_to_end (path, stream, "decompressed gzip data",
                                "fit it with --stream (stats --stream), or decompress it to a file",
                                cancellable, error);
}

/* The first len bytes of a regular file, decompressed when gunzip and it is gzip; FALSE when it
 * has fewer. */
static gboolean
ns_file_head (const char *path, gboolean gunzip, guint8 *head, gsize len)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GInputStream) raw = NULL;
  g_autoptr (GInputStream) stream = NULL;
  GStatBuf st;
  gsize got = 0;

  /* Peeking into a pipe would eat the bytes its reader needs. */
  if (strcmp (path, "-") == 0 || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  file = g_file_new_for_path (path);
  if ((raw = G_INPUT_STREAM (g_file_read (file, NULL, NULL))) == NULL)
    return FALSE;
  if (gunzip)
    stream = ns_gunzip_stream_new_if_gzip (raw, path, NULL, NULL, NULL);
  else
    stream = g_object_ref (raw);
  return stream != NULL && g_input_stream_read_all (stream, head, len, &got, NULL, NULL) &&
         got == len;
}

gboolean
ns_file_is_npy (const char *path)
{
  guint8 magic[sizeof NS_NPY_MAGIC - 1];

  return ns_file_head (path, FALSE, magic, sizeof magic) &&
         memcmp (magic, NS_NPY_MAGIC, sizeof magic) == 0;
}

gboolean
ns_file_is_gzip_text (const char *path)
{
  guint8 magic[sizeof NS_NPY_MAGIC - 1];

  /* Corrupt gzip counts as text: reading it reports where it is corrupt. */
  return ns_file_head (path, FALSE, magic, 2) && ns_data_is_gzip (magic, 2) &&
         !(ns_file_head (path, TRUE, magic, sizeof magic) &&
           memcmp (magic, NS_NPY_MAGIC, sizeof magic) == 0);
}

/* Content is the file's bytes, or what they decompress to. */
static NsDataset *
ns_dataset_read_content (const char *path, GBytes *content, gboolean mapped,
                         const NsReadOptions *options, GCancellable *cancellable, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (content, &len);

  if (data == NULL)
    data = "";
  if (ns_has_magic (content, NS_NPY_MAGIC))
    return (mapped ? ns_npy_read_mapped : ns_npy_read) (path, (const guint8 *) data, len, options,
                                                        cancellable, error);
  if (mapped)
    return ns_csv_read_mapped (path, data, len, options, cancellable, error);
  return ns_csv_read (path, data, len, options, cancellable, error);
}

NsDataset *
ns_dataset_load (const char *path, const NsReadOptions *options, GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (GBytes) file_bytes = NULL;
  g_autoptr (GBytes) content = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr (NsMappingGuard) guard = NULL;
  NsFileHash *hash;
  NsDataset *dataset = NULL;
  gboolean mapped, gzip;

  g_return_val_if_fail (path != NULL, NULL);

  if ((file_bytes = ns_read_file (path, &guard, error)) == NULL)
    return NULL;
  mapped = guard != NULL;
  gzip = ns_data_is_gzip (g_bytes_get_data (file_bytes, NULL), g_bytes_get_size (file_bytes));
  /* Hashing overlaps with parsing on big files. */
  hash = ns_file_hash_start (path, file_bytes, mapped, 0, -1,
                             options == NULL || options->n_threads != 1, cancellable);

  if (gzip)
    content = ns_gunzip (path, file_bytes, cancellable, error);
  else
    content = g_bytes_ref (file_bytes);
  if (content != NULL)
    dataset = ns_dataset_read_content (path, content, mapped && !gzip, options, cancellable, error);

  sha256 = ns_file_hash_finish (hash);
  if (!ns_mapping_guard_check (guard, error))
    g_clear_pointer (&dataset, ns_dataset_free);
  if (dataset != NULL)
    ns_dataset_set_source (dataset, path, sha256);
  return dataset;
}
