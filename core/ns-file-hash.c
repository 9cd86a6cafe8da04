/* ns-file-hash.c: sha256 of a source file, on a thread beside the reading, remembered per file
 * version in $XDG_CACHE_HOME/normscope/sha256/.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-file-hash.h"
#include "ns-output.h"
#include "ns-input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <glib/gstdio.h>
#include <nettle/sha2.h>

#define NS_HASH_IN_THREAD_BYTES (1024 * 1024)
#define NS_HASH_BLOCK (4 * 1024 * 1024)
/* Reads small enough to stay in L2 between the copy and the hash: 4 MiB reads made the copy cost
 * as much as the hash (measured). */
#define NS_HASH_READ_BLOCK (256 * 1024)
/* A file changed this recently may still be written to within the same timestamp tick. */
#define NS_HASH_SETTLED_USEC G_USEC_PER_SEC
/* A hit marks its entry used at most this often (one write per file version per day). */
#define NS_HASH_TOUCH_SECONDS (24 * 3600)

struct _NsFileHash {
  char *path;
  GBytes *bytes; /* NULL: read the file */
  gboolean release;
  gint64 start;
  gint64 end;
  GCancellable *cancellable;
  GThread *thread;
  char *hex;
  gboolean cacheable; /* a whole regular file, large enough, stat taken */
  gboolean from_cache;
  struct stat before;
  gint64 started; /* real time, microseconds */
};

static char *
ns_digest_hex (struct sha256_ctx *context)
{
  guint8 digest[SHA256_DIGEST_SIZE];
  char *hex = g_malloc (2 * SHA256_DIGEST_SIZE + 1);

  sha256_digest (context, sizeof digest, digest);
  for (guint i = 0; i < SHA256_DIGEST_SIZE; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);
  return hex;
}

/* nettle uses the CPU's SHA instructions when it has them: GChecksum was 8x slower. */
static char *
ns_sha256_bytes (const guint8 *data, gsize len, gboolean release)
{
  struct sha256_ctx context;

  sha256_init (&context);
  for (gsize done = 0; done < len; done += NS_HASH_BLOCK)
    {
      gsize block = MIN (NS_HASH_BLOCK, len - done);

      sha256_update (&context, block, data + done);
      if (release)
        ns_release_mapped_pages (data + done, data + done + block);
    }
  return ns_digest_hex (&context);
}

static char *
ns_sha256_file_range (const char *path, gint64 start, gint64 end, GCancellable *cancellable)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = g_file_read (file, cancellable, NULL);
  g_autofree guint8 *buf = NULL;
  struct sha256_ctx context;
  gint64 left = end < 0 ? G_MAXINT64 : end - start;

  if (stream == NULL ||
      (start > 0 && !g_seekable_seek (G_SEEKABLE (stream), start, G_SEEK_SET, cancellable, NULL)))
    return NULL;
  buf = g_malloc (NS_HASH_READ_BLOCK);
  sha256_init (&context);
  while (left > 0)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buf, MIN (left, NS_HASH_READ_BLOCK),
                                      cancellable, NULL);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      sha256_update (&context, n, buf);
      left -= n;
    }
  return ns_digest_hex (&context);
}

static gpointer
ns_file_hash_run (gpointer data)
{
  NsFileHash *self = data;
  gsize len;
  const guint8 *bytes;

  if (self->bytes == NULL)
    return ns_sha256_file_range (self->path, self->start, self->end, self->cancellable);
  bytes = g_bytes_get_data (self->bytes, &len);
  return ns_sha256_bytes (bytes, len, self->release);
}

/* ---- The cache: one small file per inode, holding the stat data the hash is valid for. */

static char *
ns_cache_entry_path (const struct stat *st)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x",
                                           (guint64) st->st_dev, (guint64) st->st_ino);

  return g_build_filename (g_get_user_cache_dir (), "normscope", "sha256", name, NULL);
}

static char *
ns_cache_stamp (const struct stat *st)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld %" G_GINT64_FORMAT
                          ".%09ld",
                          (gint64) st->st_size, (gint64) st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
                          (gint64) st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

static gboolean
ns_is_hex_digest (const char *text)
{
  if (strlen (text) != 2 * SHA256_DIGEST_SIZE)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* An entry's modification time says when it was last used: pruning goes by it. */
static void
ns_cache_mark_used (const char *entry)
{
  GStatBuf st;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (g_stat (entry, &st) == 0 && now - (gint64) st.st_mtime >= NS_HASH_TOUCH_SECONDS)
    utimes (entry, NULL);
}

/* Removes the entries not used for NS_FILE_HASH_CACHE_MAX_AGE_DAYS: those of files deleted,
 * changed or no longer read. */
static void
ns_cache_prune (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  gint64 oldest =
    g_get_real_time () / G_USEC_PER_SEC - (gint64) NS_FILE_HASH_CACHE_MAX_AGE_DAYS * 24 * 3600;
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *entry = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (entry, &st) == 0 && S_ISREG (st.st_mode) && (gint64) st.st_mtime < oldest)
        g_unlink (entry);
    }
}

/* The entry reads "STAMP\nHEX\n"; anything else is ignored. */
static char *
ns_cache_lookup (const struct stat *st)
{
  g_autofree char *entry = ns_cache_entry_path (st);
  g_autofree char *stamp = ns_cache_stamp (st);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (entry, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  if (g_strv_length (lines) != 3 || strcmp (lines[0], stamp) != 0 || lines[2][0] != '\0' ||
      !ns_is_hex_digest (lines[1]))
    return NULL;
  ns_cache_mark_used (entry);
  return g_strdup (lines[1]);
}

static gboolean
ns_same_version (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
         a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Best effort: a cache that cannot be written only costs the next run a rehash. */
static void
ns_cache_store (NsFileHash *self)
{
  gint64 changed =
    (gint64) self->before.st_ctim.tv_sec * G_USEC_PER_SEC + self->before.st_ctim.tv_nsec / 1000;
  g_autofree char *entry = NULL, *dir = NULL, *stamp = NULL, *text = NULL;
  struct stat after;

  if (changed > self->started - NS_HASH_SETTLED_USEC || g_stat (self->path, &after) != 0 ||
      !ns_same_version (&self->before, &after))
    return;
  entry = ns_cache_entry_path (&self->before);
  dir = g_path_get_dirname (entry);
  stamp = ns_cache_stamp (&self->before);
  text = g_strdup_printf ("%s\n%s\n", stamp, self->hex);
  /* ns_output, not g_file_set_contents: its temporary file is unlinked if a signal ends the run. */
  if (g_mkdir_with_parents (dir, 0700) == 0 &&
      ns_output_write_file (entry, text, strlen (text), NULL))
    ns_cache_prune (dir);
}

NsFileHash *
ns_file_hash_start (const char *path, GBytes *bytes, gboolean release_mapped, gint64 start,
                    gint64 end, gboolean background, GCancellable *cancellable)
{
  NsFileHash *self = g_new0 (NsFileHash, 1);
  gint64 size;

  g_return_val_if_fail (path != NULL, NULL);

  *self = (NsFileHash) { .path = g_strdup (path),
                         .bytes = bytes ? g_bytes_ref (bytes) : NULL,
                         .release = release_mapped,
                         .start = MAX (start, 0),
                         .end = end,
                         .cancellable = cancellable ? g_object_ref (cancellable) : NULL,
                         .started = g_get_real_time () };
  self->cacheable = self->start == 0 && end < 0 && strcmp (path, "-") != 0 &&
                    g_stat (path, &self->before) == 0 && S_ISREG (self->before.st_mode) &&
                    self->before.st_size >= NS_FILE_HASH_CACHE_MIN_BYTES;
  if (self->cacheable && (self->hex = ns_cache_lookup (&self->before)) != NULL)
    {
      self->from_cache = TRUE;
      return self;
    }
  if (bytes == NULL && strcmp (path, "-") == 0)
    return self; /* standard input was read by the caller without keeping it */
  size = bytes != NULL ? (gint64) g_bytes_get_size (bytes)
         : end >= 0    ? end - self->start
                       : G_MAXINT64;
  if (background && size >= NS_HASH_IN_THREAD_BYTES)
    self->thread = g_thread_new ("ns-sha256", ns_file_hash_run, self);
  else
    self->hex = ns_file_hash_run (self);
  return self;
}

char *
ns_file_hash_finish (NsFileHash *self)
{
  char *hex;

  if (self->thread != NULL)
    self->hex = g_thread_join (self->thread);
  if (self->hex != NULL && self->cacheable && !self->from_cache)
    ns_cache_store (self);
  hex = g_steal_pointer (&self->hex);
  g_free (self->path);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_free (self);
  return hex;
}
