/* test-bad-input.c: runs normscope-cli on every case of tests/bad-input/cases.ini and compares the
 * exit status and the first line of stderr with the golden ones; checks no file is left or touched.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test-utils.h"

/* NS_BAD_INPUT_UPDATE=1 writes the observed exit status and stderr into cases.ini instead. */
static GKeyFile *cases;
static char *cases_path;
static char *scratch;
static gboolean update;

#define NS_CANNOT_MOUNT 125

typedef struct {
  int status;
  char *stderr_first_line;
  glong max_rss_kb;
} RunResult;

static void
run_result_clear (RunResult *result)
{
  g_free (result->stderr_first_line);
}

/* In the child, as root: a read-only tmpfs over path in a private mount namespace, so it vanishes
 * with the child even if the test aborts (root ignores permissions, so chmod cannot do this). */
static gboolean
mount_readonly (const char *path)
{
  return unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
         mount ("tmpfs", path, "tmpfs", MS_RDONLY, "size=1m") == 0;
}

/* Runs NS_CLI with args in the scratch folder, stdout to stdout_path, and measures peak memory.
 * readonly_path, if not NULL, is made read-only for the run. */
static void
run_cli (char **args, const char *stdout_path, const char *readonly_path, RunResult *result)
{
  const char *cli = g_getenv ("NS_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GString) err = g_string_new (NULL);
  struct rusage usage;
  int pipe_fds[2], wait_status;
  char buffer[4096];
  gssize n;
  pid_t pid;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (pipe (pipe_fds), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int out = open (stdout_path, O_WRONLY | O_CLOEXEC);

      if (readonly_path != NULL && getuid () == 0 && !mount_readonly (readonly_path))
        _exit (NS_CANNOT_MOUNT);
      if (out < 0 || chdir (scratch) != 0 || dup2 (out, STDOUT_FILENO) < 0 ||
          dup2 (pipe_fds[1], STDERR_FILENO) < 0)
        _exit (127);
      close (pipe_fds[0]);
      setenv ("LC_ALL", "C.UTF-8", TRUE);
      execv (cli, (char **) argv->pdata);
      _exit (127);
    }
  close (pipe_fds[1]);
  while ((n = read (pipe_fds[0], buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (err, buffer, n);
    }
  close (pipe_fds[0]);
  while (wait4 (pid, &wait_status, 0, &usage) < 0)
    g_assert_cmpint (errno, ==, EINTR);

  result->status =
    WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
  result->stderr_first_line = g_strndup (err->str, strcspn (err->str, "\n"));
  result->max_rss_kb = usage.ru_maxrss;
  if (err->len > 0)
    g_test_message ("stderr: %s", err->str);
}

/* Path -> "size mtime mode sha256" (sha256 only below 64 MiB, so the generated 1 GiB file stays
 * cheap). */
static void
snapshot_dir (GHashTable *snapshot, const char *dir_path, const char *prefix)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *key = g_strconcat (prefix, name, NULL);
      g_autofree char *checksum = NULL;
      GStatBuf st;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        {
          g_autofree char *sub_prefix = g_strconcat (key, "/", NULL);

          g_hash_table_insert (snapshot, g_strdup (key), g_strdup ("folder"));
          snapshot_dir (snapshot, path, sub_prefix);
          continue;
        }
      if (st.st_size < 64 << 20)
        {
          g_autofree char *contents = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
          checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) contents, len);
        }
      g_hash_table_insert (snapshot, g_steal_pointer (&key),
                           g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %04o %s",
                                            (gint64) st.st_size, (gint64) st.st_mtime,
                                            (unsigned) (st.st_mode & 07777),
                                            checksum != NULL ? checksum : "-"));
    }
}

static GHashTable *
snapshot_new (void)
{
  GHashTable *snapshot = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  snapshot_dir (snapshot, scratch, "");
  return snapshot;
}

/* Inputs untouched; after a failure nothing new (no partial or temporary file); after a success
 * the new files are removed so the next case starts from the same folder. */
static void
check_files (GHashTable *before, GHashTable *after, gboolean succeeded)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *now = g_hash_table_lookup (after, key);

      if (now == NULL)
        g_error ("the case removed %s", (char *) key);
      if (strcmp (now, value) != 0)
        g_error ("the case changed %s", (char *) key);
    }
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (before, key))
      {
        g_autofree char *path = g_build_filename (scratch, key, NULL);

        if (!succeeded)
          g_error ("a failed run left %s behind", (char *) key);
        g_assert_cmpint (g_remove (path), ==, 0);
      }
}

static void
write_repeated (int fd, char byte, gsize count)
{
  g_autofree char *chunk = g_malloc (1 << 20);

  memset (chunk, byte, 1 << 20);
  while (count > 0)
    {
      gsize n = MIN (count, (gsize) 1 << 20);

      g_assert_cmpint (write (fd, chunk, n), ==, (gssize) n);
      count -= n;
    }
}

static int
create_input (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

static void
write_all (int fd, const void *data, gsize len)
{
  g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
}

/* Columns c0..c(n-1) and rows data rows. */
static void
write_many_columns (int fd, guint n, guint rows)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint row = 0; row <= rows; row++)
    for (guint column = 0; column < n; column++)
      {
        if (row == 0)
          g_string_append_printf (text, "c%u", column);
        else
          g_string_append_printf (text, "%u", (column * 7 + row * 3) % 101);
        g_string_append_c (text, column + 1 < n ? ',' : '\n');
      }
  write_all (fd, text->str, text->len);
}

/* A .npy of shape (1, n), float64. */
static void
write_wide_npy (int fd, guint n)
{
  g_autofree char *dict = g_strdup_printf ("{'descr': '<f8', 'fortran_order': False, 'shape': "
                                           "(1, %u), }",
                                           n);
  g_autoptr (GString) header = g_string_new (dict);
  g_autofree double *values = g_new (double, n);
  guint16 len;

  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  len = GUINT16_TO_LE (header->len);
  write_all (fd, "\x93NUMPY\x01\x00", 8);
  write_all (fd, &len, 2);
  write_all (fd, header->str, header->len);
  for (guint i = 0; i < n; i++)
    values[i] = i % 101;
  write_all (fd, values, n * sizeof (double));
}

static gsize
gzip_member (const char *text, gsize len, char *out, gsize out_size)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  gsize read, written;

  g_assert_cmpint (g_converter_convert (G_CONVERTER (compressor), text, len, out, out_size,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, NULL),
                   ==, G_CONVERTER_FINISHED);
  return written;
}

/* A gzip bomb of about 1 MiB: a header "x", then 1024 members of 1 MiB of "0\n" each (1 GiB). */
static void
write_gzip_bomb (int fd)
{
  g_autofree char *zeros = g_malloc (1 << 20);
  g_autofree char *member = g_malloc (1 << 20);
  gsize len;

  for (gsize i = 0; i < (1 << 20); i += 2)
    memcpy (zeros + i, "0\n", 2);
  len = gzip_member ("x\n", 2, member, 1 << 20);
  write_all (fd, member, len);
  len = gzip_member (zeros, 1 << 20, member, 1 << 20);
  for (guint m = 0; m < 1024; m++)
    write_all (fd, member, len);
}

/* The inputs too large to commit, written in streaming fashion. */
static char *
generate_input (const char *kind)
{
  const char *names[] = { "long-line.csv", "many-columns.csv", "million-columns.csv",
                          "million-features.npy", "gzip-bomb.csv.gz" };
  const char *kinds[] = { "long-line", "many-columns", "million-columns", "million-features-npy",
                          "gzip-bomb" };
  g_autofree char *path = NULL;
  guint k = 0;
  int fd;

  while (k < G_N_ELEMENTS (kinds) && strcmp (kind, kinds[k]) != 0)
    k++;
  if (k == G_N_ELEMENTS (kinds))
    g_error ("cases.ini: unknown generate=%s", kind);
  path = g_build_filename (scratch, names[k], NULL);
  fd = create_input (path);
  if (k == 0)
    {
      /* A header, then one line of 1 GiB of digits. */
      write_all (fd, "x\n", 2);
      write_repeated (fd, '7', (gsize) 1 << 30);
      write_all (fd, "\n", 1);
    }
  else if (k == 1 || k == 2)
    write_many_columns (fd, k == 1 ? 100000 : 1000000, k == 1 ? 3 : 1);
  else if (k == 3)
    write_wide_npy (fd, 1000000);
  else
    write_gzip_bomb (fd);
  g_assert_cmpint (close (fd), ==, 0);
  return g_steal_pointer (&path);
}

/* A folder nobody may write into: mode 0555, and for root a read-only mount in the child. */
static void
make_readonly_dir (const char *path)
{
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  if (getuid () != 0)
    g_assert_cmpint (g_chmod (path, 0555), ==, 0);
}

static void
remove_readonly_dir (const char *path)
{
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* An input with no write permission bit for the run (root too: the mode is what is refused). */
static char *
write_protect (const char *name)
{
  char *path = g_build_filename (scratch, name, NULL);

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  return path;
}

static void
test_case (gconstpointer user_data)
{
  const char *group = user_data;
  g_auto (GStrv) args = g_key_file_get_string_list (cases, group, "args", NULL, NULL);
  g_autofree char *generate = g_key_file_get_string (cases, group, "generate", NULL);
  g_autofree char *readonly = g_key_file_get_string (cases, group, "readonly-dir", NULL);
  g_autofree char *protect = g_key_file_get_string (cases, group, "write-protected", NULL);
  g_autofree char *protected_path = NULL;
  g_autofree char *stdout_path = g_key_file_get_string (cases, group, "stdout", NULL);
  g_autofree char *expected_stderr = g_key_file_get_string (cases, group, "stderr", NULL);
  g_autofree char *generated = NULL;
  g_autofree char *readonly_path = NULL;
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  int expected_exit = g_key_file_get_integer (cases, group, "exit", NULL);
  int max_rss_mb = g_key_file_get_integer (cases, group, "max-rss-mb", NULL);
  RunResult result = { 0 };

  g_assert_nonnull (args);
  if (generate != NULL)
    generated = generate_input (generate);
  if (readonly != NULL)
    {
      readonly_path = g_build_filename (scratch, readonly, NULL);
      make_readonly_dir (readonly_path);
    }
  if (protect != NULL)
    protected_path = write_protect (protect);
  before = snapshot_new ();
  run_cli (args, stdout_path != NULL ? stdout_path : "/dev/null", readonly_path, &result);
  after = snapshot_new ();
  if (result.status == NS_CANNOT_MOUNT && readonly_path != NULL)
    {
      remove_readonly_dir (readonly_path);
      run_result_clear (&result);
      g_test_skip ("running as root, and a read-only tmpfs cannot be mounted here: "
                   "no folder is read-only for root");
      return;
    }
  g_test_message ("exit %d, peak RSS %ld KiB", result.status, result.max_rss_kb);

  if (update)
    {
      g_key_file_set_integer (cases, group, "exit", result.status);
      g_key_file_set_string (cases, group, "stderr", result.stderr_first_line);
    }
  else
    {
      g_assert_nonnull (expected_stderr);
      g_assert_cmpstr (result.stderr_first_line, ==, expected_stderr);
      g_assert_cmpint (result.status, ==, expected_exit);
    }
  /* Exit 2 with an empty message would pass the golden check but tell the user nothing. */
  if (result.status != 0)
    g_assert_cmpstr (result.stderr_first_line, !=, "");
  g_assert_cmpint (result.status, <, 128);
  if (max_rss_mb > 0)
    g_assert_cmpint (result.max_rss_kb, <=, (glong) max_rss_mb * 1024);
  check_files (before, after, result.status == 0);
  if (protected_path != NULL)
    g_assert_cmpint (g_chmod (protected_path, 0644), ==, 0);

  if (readonly_path != NULL)
    remove_readonly_dir (readonly_path);
  if (generated != NULL)
    g_assert_cmpint (g_remove (generated), ==, 0);
  run_result_clear (&result);
}

static void
copy_inputs (const char *from)
{
  g_autoptr (GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (scratch, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (source, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (target, contents, (gssize) len, NULL));
    }
}

static void
remove_scratch (void)
{
  g_autoptr (GDir) dir = g_dir_open (scratch, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_remove (path);
    }
  g_rmdir (scratch);
}

int
main (int argc, char **argv)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");
  g_autofree char *inputs = NULL;
  g_auto (GStrv) groups = NULL;
  gboolean large = FALSE;
  int status;

  /* --large: only the generated cases (1 GiB line, 100,000 columns), for the slow suite. */
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--large") == 0)
      large = TRUE;
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (root);
  update = g_strcmp0 (g_getenv ("NS_BAD_INPUT_UPDATE"), "1") == 0;
  cases_path = g_build_filename (root, "tests", "bad-input", "cases.ini", NULL);
  inputs = g_build_filename (root, "tests", "bad-input", "inputs", NULL);
  cases = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (cases, cases_path, G_KEY_FILE_KEEP_COMMENTS, NULL));
  scratch = ns_test_temp_dir_new ();
  copy_inputs (inputs);

  groups = g_key_file_get_groups (cases, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("/bad-input/", groups[i], NULL);

      if (g_key_file_has_key (cases, groups[i], "generate", NULL) == large)
        g_test_add_data_func (path, groups[i], test_case);
    }
  status = g_test_run ();
  if (update)
    g_assert_true (g_key_file_save_to_file (cases, cases_path, NULL));
  remove_scratch ();
  g_key_file_free (cases);
  g_free (cases_path);
  g_free (scratch);
  return status;
}
