/* ns-reader.c: the dataset front door: reads a file, unwraps gzip, picks the NumPy or CSV reader.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-reader-private.h"
#include "ns-file-hash.h"
#include "ns-mapping-guard.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define NS_NPY_MAGIC  "\x93NUMPY"
#define NS_READ_BLOCK (1024 * 1024)

void
ns_read_options_init (NsReadOptions *options)
{
  memset (options, 0, sizeof *options);
  options->header = NS_HEADER_AUTO;
}

static gboolean
ns_has_magic (GBytes *bytes, const char *magic)
{
  gsize len, magic_len = strlen (magic);
  const char *data = g_bytes_get_data (bytes, &len);

  return len >= magic_len && memcmp (data, magic, magic_len) == 0;
}

gboolean
ns_data_is_gzip (const void *data, gsize len)
{
  return len >= 2 && memcmp (data, "\x1f\x8b", 2) == 0;
}

static void
ns_set_io_error (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: %s", path, g_strerror (saved_errno));
}

/* Pipes and devices cannot be mapped: read them to the end. */
static GBytes *
ns_read_stream_fd (const char *path, int fd, GError **error)
{
  GByteArray *buffer = g_byte_array_new ();

  for (;;)
    {
      gsize used = buffer->len;
      gssize n;

      g_byte_array_set_size (buffer, used + NS_READ_BLOCK);
      do
        n = read (fd, buffer->data + used, NS_READ_BLOCK);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          ns_set_io_error (path, errno, error);
          g_byte_array_unref (buffer);
          return NULL;
        }
      g_byte_array_set_size (buffer, used + n);
      if (n == 0)
        break;
    }
  return g_byte_array_free_to_bytes (buffer);
}

/* A mapped file comes with its guard (NULL otherwise). */
static GBytes *
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
  g_autoptr (GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) stream = g_converter_input_stream_new (source, G_CONVERTER (decompressor));
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  g_autoptr (GError) local_error = NULL;

  for (;;)
    {
      gsize used = buffer->len;
      gssize n;

      g_byte_array_set_size (buffer, used + NS_READ_BLOCK);
      n = g_input_stream_read (stream, buffer->data + used, NS_READ_BLOCK, cancellable, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "%s: reading was cancelled", path);
          else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                         "%s: byte %" G_GSIZE_FORMAT ": expected more gzip data, found the end of the file "
                         "(the file is truncated)", path, g_bytes_get_size (compressed));
          else
            g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                         "%s: expected valid gzip data, found a corrupt stream (%s)",
                         path, local_error->message);
          return NULL;
        }
      g_byte_array_set_size (buffer, used + n);
      if (n == 0)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
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

void
ns_advise_huge_pages (void *from, void *to)
{
  ns_madvise_inner_pages (from, to, MADV_HUGEPAGE);
}

gboolean
ns_file_is_npy (const char *path)
{
  char magic[sizeof NS_NPY_MAGIC - 1] = { 0 };
  GStatBuf st;
  FILE *file;
  gboolean npy;

  /* Peeking into a pipe would eat the bytes its reader needs. */
  if (strcmp (path, "-") == 0 || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
      (file = g_fopen (path, "rb")) == NULL)
    return FALSE;
  npy = fread (magic, 1, sizeof magic, file) == sizeof magic &&
        memcmp (magic, NS_NPY_MAGIC, sizeof magic) == 0;
  fclose (file);
  return npy;
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
