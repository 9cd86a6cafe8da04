/* test-file-hash.c: sha256 of bytes, files and byte ranges, and the per-file-version hash cache.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <glib/gstdio.h>

#include "ns-error.h"
#include "ns-file-hash.h"
#include "ns-mapping-guard.h"

#include <fcntl.h>
#include <unistd.h>
#include "test-utils.h"

static char *tmp_dir;
static char *cache_dir;

static char *
checksum (const guint8 *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

static guint8 *
random_bytes (gsize len, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int (rand);
  return data;
}

static char *
write_file (const char *name, const guint8 *data, gsize len)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, (const char *) data, len, NULL));
  return path;
}

static char *
hash_file (const char *path, gint64 start, gint64 end)
{
  return ns_file_hash_finish (ns_file_hash_start (path, NULL, FALSE, start, end, TRUE, NULL));
}

/* The digest of bytes in memory (standard input's, as the loader passes them). */
static char *
hash_bytes (const guint8 *data, gsize len)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, len);

  return ns_file_hash_finish (ns_file_hash_start ("-", bytes, FALSE, 0, -1, TRUE, NULL));
}

static void
test_sha256_hex (void)
{
  const gsize sizes[] = { 0, 1, 55, 56, 64, 1000, 4 * 1024 * 1024 + 3 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *data = random_bytes (sizes[i], i);
      g_autofree char *want = checksum (data, sizes[i]);
      g_autofree char *got = hash_bytes (data, sizes[i]);

      g_assert_cmpstr (got, ==, want);
    }
  {
    g_autofree char *abc = hash_bytes ((const guint8 *) "abc", 3);

    g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

/* Bytes in memory (hashed inline when small, on a thread when large), a file read whole or in a
 * byte range, and the failures. */
static void
test_start_finish (void)
{
  const gsize sizes[] = { 100, 3 * 1024 * 1024 + 17 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize len = sizes[i];
      g_autofree guint8 *data = random_bytes (len, 40 + i);
      g_autoptr (GBytes) bytes = g_bytes_new (data, len);
      g_autofree char *want = checksum (data, len);
      g_autofree char *name = g_strdup_printf ("file-%u.bin", i);
      g_autofree char *path = write_file (name, data, len);
      g_autofree char *missing = g_build_filename (tmp_dir, "in-memory.bin", NULL);
      g_autofree char *from_bytes = NULL, *from_stdin = NULL, *from_file = NULL;
      g_autofree char *range = NULL, *range_want = NULL, *tail = NULL, *tail_want = NULL;
      g_autofree char *to_end = NULL;

      from_bytes =
        ns_file_hash_finish (ns_file_hash_start (missing, bytes, FALSE, 0, -1, TRUE, NULL));
      g_assert_cmpstr (from_bytes, ==, want);
      from_stdin = ns_file_hash_finish (ns_file_hash_start ("-", bytes, FALSE, 0, -1, TRUE, NULL));
      g_assert_cmpstr (from_stdin, ==, want);
      /* A caller held to one thread hashes in place. */
      {
        g_autofree char *inline_file = NULL;
        NsFileHash *hash = ns_file_hash_start (path, NULL, FALSE, 0, -1, FALSE, NULL);

        inline_file = ns_file_hash_finish (hash);
        g_assert_cmpstr (inline_file, ==, want);
      }
      from_file = hash_file (path, 0, -1);
      g_assert_cmpstr (from_file, ==, want);
      range = hash_file (path, 7, len - 5);
      range_want = checksum (data + 7, len - 12);
      g_assert_cmpstr (range, ==, range_want);
      tail = hash_file (path, len / 2, -1);
      tail_want = checksum (data + len / 2, len - len / 2);
      g_assert_cmpstr (tail, ==, tail_want);
      to_end = hash_file (path, 0, len);
      g_assert_cmpstr (to_end, ==, want);
    }
  {
    g_autofree char *missing = g_build_filename (tmp_dir, "no-such-file.bin", NULL);
    g_autofree char *empty_want = checksum ((const guint8 *) "", 0);
    g_autofree char *empty_path = write_file ("empty.bin", (const guint8 *) "", 0);
    g_autofree char *empty = hash_file (empty_path, 0, -1);

    g_assert_null (hash_file (missing, 0, -1));
    g_assert_null (hash_file (missing, 10, 20));
    g_assert_null (hash_file ("-", 0, -1)); /* standard input without its bytes */
    g_assert_cmpstr (empty, ==, empty_want);
  }
}

static char *
cache_entry (const char *path)
{
  struct stat st;
  g_autofree char *name = NULL;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  name = g_strdup_printf ("%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x", (guint64) st.st_dev,
                          (guint64) st.st_ino);
  return g_build_filename (cache_dir, "normscope", "sha256", name, NULL);
}

static char *
stamp_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld %" G_GINT64_FORMAT
                          ".%09ld",
                          (gint64) st.st_size, (gint64) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                          (gint64) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

static char *
read_entry (const char *entry)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (entry, &text, NULL, NULL));
  return text;
}

/* The same file (same inode) with new bytes, written in place. */
static void
rewrite_in_place (const char *path, const guint8 *data, gsize len)
{
  FILE *file = fopen (path, "r+b");

  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (data, 1, len, file), ==, len);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
test_cache (void)
{
  const gsize len = NS_FILE_HASH_CACHE_MIN_BYTES;
  g_autofree guint8 *data = random_bytes (len, 1);
  g_autofree guint8 *other = random_bytes (len, 2);
  g_autofree char *want = checksum (data, len);
  g_autofree char *other_want = checksum (other, len);
  g_autofree char *fake = checksum ((const guint8 *) "not the file", 12);
  g_autofree char *path = write_file ("big.bin", data, len);
  g_autofree char *entry = cache_entry (path);
  g_autofree char *got = NULL, *text = NULL, *expected = NULL, *faked = NULL, *stamp = NULL;

  /* Hashed right after it was written: its change time is not settled, so nothing is kept. */
  got = hash_file (path, 0, -1);
  g_assert_cmpstr (got, ==, want);
  g_assert_false (g_file_test (entry, G_FILE_TEST_EXISTS));
  g_clear_pointer (&got, g_free);

  /* Settled: the entry holds the stat data and the hash. */
  g_usleep (1100 * 1000);
  got = hash_file (path, 0, -1);
  g_assert_cmpstr (got, ==, want);
  g_clear_pointer (&got, g_free);
  text = read_entry (entry);
  stamp = stamp_of (path);
  expected = g_strdup_printf ("%s\n%s\n", stamp, want);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&text, g_free);

  /* Another valid digest in the entry is believed: the file is not read again. */
  faked = g_strdup_printf ("%s\n%s\n", stamp, fake);
  g_assert_true (g_file_set_contents (entry, faked, -1, NULL));
  got = hash_file (path, 0, -1);
  g_assert_cmpstr (got, ==, fake);
  g_clear_pointer (&got, g_free);
  {
    g_autoptr (GBytes) bytes = g_bytes_new_static (data, len);

    got = ns_file_hash_finish (ns_file_hash_start (path, bytes, FALSE, 0, -1, TRUE, NULL));
    g_assert_cmpstr (got, ==, fake);
    g_clear_pointer (&got, g_free);
  }
  /* Only whole files use it. */
  got = hash_file (path, 0, len);
  g_assert_cmpstr (got, ==, want);
  g_clear_pointer (&got, g_free);
  {
    g_autofree char *tail_want = checksum (data + 1, len - 1);

    got = hash_file (path, 1, -1);
    g_assert_cmpstr (got, ==, tail_want);
    g_clear_pointer (&got, g_free);
  }
  /* An entry that is not "STAMP\nHEX\n" with a lower-case digest is ignored. */
  {
    g_autofree char *upper = g_ascii_strup (fake, -1);
    g_autofree char *bad = g_strdup_printf ("%s\n%s\n", stamp, upper);

    g_assert_true (g_file_set_contents (entry, bad, -1, NULL));
    got = hash_file (path, 0, -1);
    g_assert_cmpstr (got, ==, want);
    g_clear_pointer (&got, g_free);
    g_assert_true (g_file_set_contents (entry, faked, -1, NULL));
  }

  /* New bytes of the same size, same inode: the stamp no longer matches, the real hash comes
   * back, and with the change time fresh the entry is left alone. */
  rewrite_in_place (path, other, len);
  {
    g_autofree char *same_entry = cache_entry (path);

    g_assert_cmpstr (same_entry, ==, entry);
  }
  got = hash_file (path, 0, -1);
  g_assert_cmpstr (got, ==, other_want);
  g_clear_pointer (&got, g_free);
  text = read_entry (entry);
  g_assert_cmpstr (text, ==, faked);
  g_clear_pointer (&text, g_free);

  /* Once settled, the new version is remembered. */
  g_usleep (1100 * 1000);
  got = hash_file (path, 0, -1);
  g_assert_cmpstr (got, ==, other_want);
  g_clear_pointer (&got, g_free);
  text = read_entry (entry);
  {
    g_autofree char *new_stamp = stamp_of (path);
    g_autofree char *now = g_strdup_printf ("%s\n%s\n", new_stamp, other_want);

    g_assert_cmpstr (new_stamp, !=, stamp);
    g_assert_cmpstr (text, ==, now);
  }
}

static void
set_age_days (const char *path, double days)
{
  struct timeval times[2];

  times[0].tv_sec = times[1].tv_sec = (time_t) (g_get_real_time () / G_USEC_PER_SEC - days * 86400);
  times[0].tv_usec = times[1].tv_usec = 0;
  g_assert_cmpint (utimes (path, times), ==, 0);
}

static double
age_days (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (g_get_real_time () / (double) G_USEC_PER_SEC - st.st_mtime) / 86400;
}

/* Storing an entry removes those unused for the maximum age; a hit marks its entry used, at most
 * once a day. */
static void
test_cache_prune (void)
{
  const gsize len = NS_FILE_HASH_CACHE_MIN_BYTES;
  const double max_age = NS_FILE_HASH_CACHE_MAX_AGE_DAYS;
  g_autofree guint8 *data = random_bytes (len, 4);
  g_autofree char *used_path = write_file ("used.bin", data, len);
  g_autofree char *new_path = write_file ("new.bin", data, len);
  g_autofree char *used_entry = cache_entry (used_path);
  g_autofree char *new_entry = cache_entry (new_path);
  g_autofree char *dir = g_path_get_dirname (used_entry);
  g_autofree char *stale = g_build_filename (dir, "ffff-1", NULL);
  g_autofree char *recent = g_build_filename (dir, "ffff-2", NULL);

  g_usleep (1100 * 1000);
  g_free (hash_file (used_path, 0, -1));
  g_assert_true (g_file_test (used_entry, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (stale, "old\n", -1, NULL));
  g_assert_true (g_file_set_contents (recent, "old\n", -1, NULL));
  set_age_days (stale, max_age + 1);
  set_age_days (recent, max_age - 1);

  /* A hit on an entry last used half a day ago leaves its time; two days ago, it is renewed. */
  set_age_days (used_entry, 0.5);
  g_free (hash_file (used_path, 0, -1));
  g_assert_cmpfloat (age_days (used_entry), >, 0.4);
  set_age_days (used_entry, max_age + 2);
  g_free (hash_file (used_path, 0, -1));
  g_assert_cmpfloat (age_days (used_entry), <, 0.1);

  /* Storing a new entry removes the stale one only. */
  g_free (hash_file (new_path, 0, -1));
  g_assert_true (g_file_test (new_entry, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (recent, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (used_entry, G_FILE_TEST_EXISTS));
}

/* Files under the threshold are never remembered. */
static void
test_cache_small (void)
{
  const gsize len = NS_FILE_HASH_CACHE_MIN_BYTES - 1;
  g_autofree guint8 *data = random_bytes (len, 3);
  g_autofree char *want = checksum (data, len);
  g_autofree char *path = write_file ("small.bin", data, len);
  g_autofree char *entry = cache_entry (path);
  g_autofree char *got = NULL;

  g_usleep (1100 * 1000);
  got = hash_file (path, 0, -1);
  g_assert_cmpstr (got, ==, want);
  g_assert_false (g_file_test (entry, G_FILE_TEST_EXISTS));
}

/* A new file of len random bytes, open for writing (*fd) and mapped. */
static GMappedFile *
map_new_file (const char *name, gsize len, int *fd, char **path)
{
  g_autofree guint8 *data = random_bytes (len, 9);
  GMappedFile *mapping;

  *path = write_file (name, data, len);
  *fd = g_open (*path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (*fd, >=, 0);
  mapping = g_mapped_file_new_from_fd (*fd, FALSE, NULL);
  g_assert_nonnull (mapping);
  return mapping;
}

/* The hash thread reads a guarded mapping of a file truncated under it: it hashes zeros instead of
 * dying of SIGBUS, and the guard reports the change. */
static void
test_guard_truncated (void)
{
  g_autofree char *path = NULL, *hex = NULL;
  g_autoptr (GError) error = NULL;
  int fd;
  g_autoptr (GMappedFile) mapping = map_new_file ("cut.bin", 8 << 20, &fd, &path);
  g_autoptr (GBytes) bytes = g_mapped_file_get_bytes (mapping);
  NsMappingGuard *guard =
    ns_mapping_guard_new (path, fd, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_nonnull (guard);
  g_assert_true (ns_mapping_guard_check (guard, NULL));
  g_assert_cmpint (ftruncate (fd, 0), ==, 0);
  close (fd);
  hex = ns_file_hash_finish (ns_file_hash_start (path, bytes, TRUE, 0, -1, TRUE, NULL));
  g_assert_nonnull (hex);
  g_set_error_literal (&error, NS_ERROR, NS_ERROR_PARSE, "an error of the reading, replaced");
  g_assert_false (ns_mapping_guard_check (guard, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_suffix (error->message, "cut.bin: the file changed while it was read"));
  ns_mapping_guard_free (guard);
}

/* Rewritten to the same size without a fault (no page read after the rewrite): the stat data tell.
 */
static void
test_guard_rewritten (void)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  int fd;
  g_autoptr (GMappedFile) mapping = map_new_file ("rewritten.bin", 4096, &fd, &path);
  g_autoptr (NsMappingGuard) guard =
    ns_mapping_guard_new (path, fd, g_mapped_file_get_contents (mapping),
                          g_mapped_file_get_length (mapping));

  g_usleep (20 * 1000); /* past the file system's timestamp tick */
  g_assert_cmpint (pwrite (fd, "x", 1, 0), ==, 1);
  close (fd);
  g_assert_false (ns_mapping_guard_check (guard, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
}

/* A fault outside every guarded mapping still kills the process, with SIGBUS. */
static void
test_guard_other_faults (void)
{
  g_autofree char *path = NULL;
  int fd;

  if (g_test_subprocess ())
    {
      g_autoptr (GMappedFile) guarded = map_new_file ("kept.bin", 4096, &fd, &path);
      g_autoptr (NsMappingGuard) guard =
        ns_mapping_guard_new (path, fd, g_mapped_file_get_contents (guarded),
                              g_mapped_file_get_length (guarded));
      g_autoptr (GMappedFile) other = map_new_file ("unguarded.bin", 4096, &fd, &path);
      volatile const char *data = g_mapped_file_get_contents (other);

      g_assert_cmpint (ftruncate (fd, 0), ==, 0);
      g_print ("read %d\n", data[0]);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout_unmatched ("read*");
}

int
main (int argc, char **argv)
{
  int status;

  /* Before anything asks GLib for the cache directory (it is read once). */
  tmp_dir = ns_test_temp_dir_new ();
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpstr (g_get_user_cache_dir (), ==, cache_dir);
  g_test_add_func ("/file-hash/sha256-hex", test_sha256_hex);
  g_test_add_func ("/file-hash/start-finish", test_start_finish);
  g_test_add_func ("/file-hash/cache", test_cache);
  g_test_add_func ("/file-hash/cache-small", test_cache_small);
  g_test_add_func ("/file-hash/cache-prune", test_cache_prune);
  g_test_add_func ("/file-hash/mapping-guard/truncated", test_guard_truncated);
  g_test_add_func ("/file-hash/mapping-guard/rewritten", test_guard_rewritten);
  g_test_add_func ("/file-hash/mapping-guard/other-faults", test_guard_other_faults);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (cache_dir);
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
