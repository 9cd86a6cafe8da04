/* test-output.c: atomic output files, the output guard, text made safe to print and exact double
 * formatting.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ns-output.h"
#include "ns-output-guard.h"
#include "ns-safe-text.h"
#include "test-utils.h"

static void
test_write_and_replace (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "out.txt", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  NsOutput *out;

  g_assert_true (ns_output_write_file (path, "first\n", 6, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "first\n");
  g_clear_pointer (&contents, g_free);

  /* Until commit the old file is untouched; the temporary lives beside it. */
  out = ns_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (ns_output_printf (out, &error, "%s %d\n", "second", 2));
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 2);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "first\n");
  g_clear_pointer (&contents, g_free);
  g_assert_true (ns_output_commit (out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "second 2\n");
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 1);

  /* Abort discards everything and leaves no temporary behind. */
  out = ns_output_open (path, &error);
  g_assert_true (ns_output_write (out, "third", 5, &error));
  ns_output_abort (out);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "second 2\n");
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 1);
}

/* Replacing exchanges the new file with the old one and unlinks the old: a symbolic link at the
 * target is replaced itself, as a rename replaces it, and the file it pointed to keeps its bytes.
 */
static void
test_replace_symlink (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *real = g_build_filename (dir, "real.txt", NULL);
  g_autofree char *link = g_build_filename (dir, "link.txt", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (real, "kept\n", -1, NULL));
  g_assert_cmpint (symlink ("real.txt", link), ==, 0);
  g_assert_true (ns_output_write_file (link, "new\n", 4, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (link, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new\n");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "kept\n");
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 2);
}

/* A large write (beyond the buffer) to a full device fails with an error, not a crash. */
static void
test_dev_full (void)
{
  gsize len = 1 << 20;
  g_autofree char *data = g_malloc0 (len);
  g_autoptr (GError) error = NULL;
  NsOutput *out;

  g_assert_false (ns_output_write_file ("/dev/full", data, len, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/dev/full: cannot write: "));
  g_clear_error (&error);

  out = ns_output_open ("/dev/full", &error);
  g_assert_no_error (error);
  g_assert_true (ns_output_write (out, "x", 1, &error));
  g_assert_false (ns_output_commit (out, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
}

/* A failure while writing a regular file leaves neither a partial target nor a temporary file. */
static void
test_no_partial_file (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "out.bin", NULL);
  g_autoptr (GError) error = NULL;
  NsOutput *out = ns_output_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (ns_output_write (out, "partial", 7, &error));
  /* Make the rename fail: a folder now sits where the file should go. */
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_false (ns_output_commit (out, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 1);
  g_rmdir (path);
}

/* Block b of a block write: every byte is (b * 7 + i) & 0xff; odd blocks are made in scratch, even
 * ones are returned from a table, and every call is counted. */
typedef struct {
  gsize block_size;
  guint8 *table;
  gint calls;
} BlockSource;

static const void *
make_block (gsize index, gsize len, guint8 *scratch, gpointer data)
{
  BlockSource *source = data;

  g_atomic_int_inc (&source->calls);
  if (index % 2 == 0)
    return source->table + index * source->block_size;
  for (gsize i = 0; i < len; i++)
    scratch[i] = (guint8) ((index * source->block_size + i) * 7);
  return scratch;
}

static void
block_source_init (BlockSource *source, gsize block_size, gsize total)
{
  source->block_size = block_size;
  source->table = g_malloc (total);
  source->calls = 0;
  for (gsize i = 0; i < total; i++)
    source->table[i] = (guint8) (i * 7);
}

/* What a block write puts between "head" and "tail". */
static void
assert_blocks_written (const char *contents, gsize len, const BlockSource *source, gsize total)
{
  g_assert_cmpuint (len, ==, 4 + total + 4);
  g_assert_true (memcmp (contents, "head", 4) == 0);
  g_assert_true (memcmp (contents + 4, source->table, total) == 0);
  g_assert_true (memcmp (contents + 4 + total, "tail", 4) == 0);
}

/* A temporary file is written at the blocks' offsets by any number of threads, after what was
 * written before and before what comes after; each block is made once. */
static void
test_write_blocks (void)
{
  const gsize total = 100003, block_size = 4096;
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "blocks.bin", NULL);

  for (guint threads = 0; threads <= 3; threads++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *contents = NULL;
      BlockSource source;
      NsOutput *out = ns_output_open (path, &error);
      gsize len;

      block_source_init (&source, block_size, total);
      g_assert_no_error (error);
      g_assert_true (ns_output_write (out, "head", 4, &error));
      g_assert_true (
        ns_output_write_blocks (out, total, block_size, make_block, &source, threads, &error));
      g_assert_no_error (error);
      g_assert_cmpint (source.calls, ==, (total + block_size - 1) / block_size);
      g_assert_true (ns_output_write (out, "tail", 4, &error));
      g_assert_true (ns_output_commit (out, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      assert_blocks_written (contents, len, &source, total);
      g_free (source.table);
    }
}

/* A pipe cannot seek: its blocks go out in order from one thread. */
static void
test_write_blocks_pipe (void)
{
  const gsize total = 30001, block_size = 1000; /* within a pipe's buffer: no reader thread */
  g_autoptr (GError) error = NULL;
  g_autofree char *pipe_path = NULL;
  g_autofree char *contents = g_malloc (total + 16);
  BlockSource source;
  NsOutput *out;
  int fds[2];
  gssize got = 0, n;

  g_assert_cmpint (pipe (fds), ==, 0);
  pipe_path = g_strdup_printf ("/dev/fd/%d", fds[1]);
  block_source_init (&source, block_size, total);
  out = ns_output_open (pipe_path, &error);
  g_assert_no_error (error);
  g_assert_true (ns_output_write (out, "head", 4, &error));
  g_assert_true (ns_output_write_blocks (out, total, block_size, make_block, &source, 3, &error));
  g_assert_true (ns_output_write (out, "tail", 4, &error));
  g_assert_true (ns_output_commit (out, &error));
  g_assert_no_error (error);
  close (fds[1]);
  while ((n = read (fds[0], contents + got, total + 16 - (gsize) got)) > 0)
    got += n;
  close (fds[0]);
  assert_blocks_written (contents, (gsize) got, &source, total);
  g_free (source.table);
}

/* A write that fails on one thread stops the block write with the error, and the commit that
 * never comes leaves neither the target nor a temporary file. */
static void
test_write_blocks_errors (void)
{
  const gsize total = 1 << 20, block_size = 65536;
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "big.bin", NULL);
  g_autoptr (GError) error = NULL;
  struct rlimit old, small;
  BlockSource source;
  NsOutput *out;

  block_source_init (&source, block_size, total);
  out = ns_output_open ("/dev/full", &error);
  g_assert_no_error (error);
  g_assert_false (ns_output_write_blocks (out, total, block_size, make_block, &source, 2, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/dev/full: cannot write: "));
  ns_output_abort (out);
  g_clear_error (&error);

  /* A file size limit makes the blocks past it fail with EFBIG (SIGXFSZ ignored). */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  small = (struct rlimit) { total / 2, old.rlim_max };
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  out = ns_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (ns_output_write_blocks (out, total, block_size, make_block, &source, 3, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
  signal (SIGXFSZ, SIG_DFL);
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  ns_output_abort (out);
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 0);
  g_free (source.table);
}

static void
test_open_errors (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autoptr (GError) error = NULL;

  g_assert_null (ns_output_open ("/nonexistent-normscope/sub/out.csv", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==,
                   "/nonexistent-normscope/sub/out.csv: cannot write: folder "
                   "/nonexistent-normscope/sub does not exist");
  g_clear_error (&error);

  g_assert_null (ns_output_open (dir, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  {
    g_autofree char *expected = g_strdup_printf ("%s: is a folder, not a file", dir);

    g_assert_cmpstr (error->message, ==, expected);
  }
}

/* A file with no write permission bit is refused, by its mode (root included, as rm asks root
 * too): by ns_output_open, ns_output_check_target and the guard, and it keeps its bytes. A link to
 * it is replaced itself, as rm removes a link without asking. */
static void
test_write_protected (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "ro.npy", NULL);
  g_autofree char *link = g_build_filename (dir, "link.npy", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: is write-protected (mode 0444): refusing to "
                                               "replace it",
                                               path);
  g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (path, "precious\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_null (ns_output_open (path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_false (ns_output_write_file (path, "new\n", 4, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_false (ns_output_check_target (path, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  ns_output_guard_add_output (guard, "-o", path);
  g_assert_false (ns_output_guard_check (guard, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious\n");
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 1);

  g_assert_cmpint (symlink ("ro.npy", link), ==, 0);
  g_assert_true (ns_output_write_file (link, "new\n", 4, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious\n");
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* A replaced file keeps its permission bits; a new one gets 0644 less the umask. */
static void
test_keep_mode (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.json", NULL);
  const guint modes[] = { 0600, 0640, 0664, 0200 };
  g_autoptr (GError) error = NULL;
  mode_t mask = umask (0);

  umask (mask);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));
      g_assert_cmpint (g_chmod (path, modes[i]), ==, 0);
      g_assert_true (ns_output_write_file (path, "new\n", 4, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (mode_of (path), ==, modes[i]);
    }
  g_assert_true (ns_output_write_file (fresh, "new\n", 4, &error));
  g_assert_cmpuint (mode_of (fresh), ==, 0644 & ~mask);
}

/* Checks one output against inputs (NULL-terminated); NULL expected: allowed. */
static void
assert_guard (const char *output, const char *const *inputs, const char *expected)
{
  g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; inputs[i] != NULL; i++)
    ns_output_guard_add_input (guard, inputs[i]);
  ns_output_guard_add_output (guard, "-o", output);
  g_assert_cmpint (ns_output_guard_check (guard, &error), ==, expected == NULL);
  if (expected == NULL)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_refuse_input (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *input = g_build_filename (dir, "data.csv", NULL);
  g_autofree char *other = g_build_filename (dir, "other.csv", NULL);
  g_autofree char *dotted = g_build_filename (dir, ".", "data.csv", NULL);
  g_autofree char *linked = g_build_filename (dir, "link.csv", NULL);
  g_autofree char *symlinked = g_build_filename (dir, "symlink.csv", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.csv", NULL);
  g_autofree char *expected =
    g_strdup_printf ("%s: refusing to write over the input file %s", input, input);
  const char *inputs[] = { other, input, NULL };
  const char *just_input[] = { input, NULL };

  g_assert_true (g_file_set_contents (input, "a\n1\n", -1, NULL));
  g_assert_true (g_file_set_contents (other, "a\n2\n", -1, NULL));
  g_assert_cmpint (link (input, linked), ==, 0);
  g_assert_cmpint (symlink ("data.csv", symlinked), ==, 0);

  assert_guard (input, inputs, expected);
  /* The same file by another name: a different spelling, a hard link, a symbolic link. */
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: refusing to write over the input file %s", dotted, input);
  assert_guard (dotted, inputs, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: refusing to write over the input file %s", linked, input);
  assert_guard (linked, inputs, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: refusing to write over the input file %s", input, symlinked);
  {
    const char *through_link[] = { symlinked, NULL };

    assert_guard (input, through_link, expected);
  }
  assert_guard (fresh, just_input, NULL);
  assert_guard ("-", just_input, NULL);
  assert_guard ("/dev/null", (const char *[]) { "/dev/null", NULL }, NULL);
  /* Standard input and output are the files they were redirected from and to. */
  {
    int saved_stdin = dup (STDIN_FILENO), saved_stdout = dup (STDOUT_FILENO);
    int fd = open (input, O_RDWR | O_APPEND);

    g_assert_cmpint (dup2 (fd, STDIN_FILENO), ==, STDIN_FILENO);
    g_assert_cmpint (dup2 (fd, STDOUT_FILENO), ==, STDOUT_FILENO);
    g_clear_pointer (&expected, g_free);
    expected = g_strdup_printf ("%s: refusing to write over the input file standard input", input);
    assert_guard (input, (const char *[]) { "-", NULL }, expected);
    g_clear_pointer (&expected, g_free);
    expected = g_strdup_printf ("standard output: refusing to write over the input file %s", input);
    assert_guard ("-", just_input, expected);
    dup2 (saved_stdin, STDIN_FILENO);
    dup2 (saved_stdout, STDOUT_FILENO);
    close (fd);
    close (saved_stdin);
    close (saved_stdout);
  }
}

/* Two outputs that are one file: existing or not, by any spelling; devices may repeat. */
static void
test_refuse_output_twice (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.json", NULL);
  g_autofree char *roundabout = g_build_filename (dir, "sub", "..", "new.json", NULL);
  g_autofree char *other = g_build_filename (dir, "other.json", NULL);
  const struct {
    const char *first, *second;
    gboolean refused;
  } cases[] = {
    { fresh, fresh, TRUE },
    { fresh, roundabout, TRUE },
    { fresh, other, FALSE },
    { "-", "-", TRUE },
    { "/dev/null", "/dev/null", FALSE },
    { "-", fresh, FALSE },
    { "missing/x.json", "missing/./x.json", TRUE },
  };

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
      g_autoptr (GError) error = NULL;

      ns_output_guard_add_output (guard, "-o", cases[i].first);
      ns_output_guard_add_output (guard, "--trace", cases[i].second);
      g_assert_cmpint (ns_output_guard_check (guard, &error), ==, !cases[i].refused);
      if (cases[i].refused)
        {
          g_autofree char *expected = g_strdup_printf (
            "%s: -o and --trace write the same file: refusing to let one replace the other",
            strcmp (cases[i].second, "-") == 0 ? "standard output" : cases[i].second);

          g_assert_cmpstr (error->message, ==, expected);
        }
    }
  /* An existing file named twice, once through a symbolic link. */
  g_assert_true (g_file_set_contents (other, "{}", -1, NULL));
  {
    g_autofree char *linked = g_build_filename (dir, "link.json", NULL);
    g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
    g_autoptr (GError) error = NULL;

    g_assert_cmpint (symlink ("other.json", linked), ==, 0);
    ns_output_guard_add_output (guard, "-o", other);
    ns_output_guard_add_output (guard, "--export csv:link.json", linked);
    g_assert_false (ns_output_guard_check (guard, &error));
    g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  }
  g_rmdir (sub);
}

/* In a child: an output half written when sig arrives; the child's exit status. */
static int
run_interrupted_child (const char *path, int sig, gboolean ignore)
{
  int status;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      char *data = g_malloc0 (1 << 20);
      gboolean written;
      NsOutput *out;

      if (ignore)
        signal (sig, SIG_IGN);
      out = ns_output_open (path, NULL);
      written = out != NULL && ns_output_write (out, data, 1 << 20, NULL);
      g_free (data); /* _exit runs no cleanup: freed here so valgrind sees no leak */
      if (!written)
        _exit (3);
      raise (sig);
      _exit (ns_output_commit (out, NULL) ? 0 : 4);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

/* Ctrl-C, kill and a closed terminal leave no temporary file; an ignored signal changes nothing. */
static void
test_signal_cleanup (void)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "out.bin", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      int status = run_interrupted_child (path, signals[i], FALSE);

      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, signals[i]);
      g_assert_cmpuint (ns_test_count_entries (dir), ==, 0);
    }
  {
    int status = run_interrupted_child (path, SIGHUP, TRUE);

    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpuint (ns_test_count_entries (dir), ==, 1);
  }
}

/* Controls and stray bytes escaped; valid UTF-8 (accents, CJK, emoji) and backslashes kept. */
static void
test_safe_text (void)
{
  const struct {
    const char *text, *terminal, *json;
  } cases[] = {
    { "plain é 中 😀", "plain é 中 😀", "plain é 中 😀" },
    { "\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07", "\\u001b]52;c;aGk=\\u0007" },
    { "\x1b[2J", "\\x1b[2J", "\\u001b[2J" },
    { "a\tb\nc\rd", "a\\tb\\nc\\rd", "a\\tb\\nc\\rd" },
    { "del\x7f c1\xc2\x9b\xc2\x80", "del\\x7f c1\\u009b\\u0080", "del\\u007f c1\\u009b\\u0080" },
    { "bad\xff\xc3", "bad\\xff\\xc3", "bad\\ufffd\\ufffd" },
    { "q\"b\\s", "q\"b\\s", "q\\\"b\\\\s" },
    { "\xc2\xa0nbsp", "\xc2\xa0nbsp", "\xc2\xa0nbsp" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *terminal = ns_safe_text_for_terminal (cases[i].text);
      g_autoptr (GString) json = g_string_new (NULL);

      ns_safe_text_append (json, cases[i].text, NS_SAFE_TEXT_JSON);
      g_assert_cmpstr (terminal, ==, cases[i].terminal);
      g_assert_cmpstr (json->str, ==, cases[i].json);
    }
}

static void
assert_round_trip (double value)
{
  char buf[NS_DOUBLE_BUF_SIZE];
  double back;

  ns_format_double (buf, value);
  back = g_ascii_strtod (buf, NULL);
  if (memcmp (&back, &value, sizeof value) != 0)
    g_error ("%.17g formatted as '%s' reads back as %.17g", value, buf, back);
  g_assert_null (strchr (buf, ','));
}

static void
test_format_double (void)
{
  static const struct {
    double value;
    const char *text;
  } exact[] = {
    { 0.1, "0.1" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 1e308, "1e+308" },
    { -0.0, "-0" },
    { 100, "100" },
    { 1.5e-7, "1.5e-07" },
    { 1.0 / 3, "0.3333333333333333" },
    { 5e-324, "5e-324" },
    { 1e15, "1e+15" },
    { 123456789012345678.0, "1.2345678901234568e+17" },
    { 1234567890123456.0, "1234567890123456" },
    { 0.0001, "0.0001" },
    { 1e-5, "1e-05" },
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (2024);
  char buf[NS_DOUBLE_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    g_assert_cmpstr (ns_format_double (buf, exact[i].value), ==, exact[i].text);
  g_assert_cmpstr (ns_format_double (buf, NAN), ==, "nan");
  g_assert_cmpstr (ns_format_double (buf, INFINITY), ==, "inf");
  g_assert_cmpstr (ns_format_double (buf, -INFINITY), ==, "-inf");

  /* A German locale must not turn the decimal point into a comma. */
  setlocale (LC_ALL, "de_DE.UTF-8");
  for (guint i = 0; i < 1000000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double value;

      memcpy (&value, &bits, sizeof value);
      if (isfinite (value))
        assert_round_trip (value);
      else
        assert_round_trip (g_rand_double_range (rand, -1e6, 1e6));
    }
  for (int e = -1074; e <= 1023; e++)
    assert_round_trip (ldexp (1.0, e));
  assert_round_trip (5e-324);
  assert_round_trip (1.7976931348623157e308);
  assert_round_trip (-2.2250738585072014e-308);
  setlocale (LC_ALL, "C");
}

/* The significant digits of a number's text, without sign, point, leading zeros or exponent. */
static char *
significant_digits (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && *p != 'e'; p++)
    if (g_ascii_isdigit (*p) && (digits->len > 0 || *p != '0'))
      g_string_append_c (digits, *p);
  while (digits->len > 1 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);
  return g_string_free (digits, FALSE);
}

/* tests/test-format-to-chars.cc */
void ns_test_format_matches_to_chars (void);

/* Against Python's repr (tests/gen-format-vectors.py): the same digits, so as short, and the
 * same double read back, for random bit patterns, subnormals, powers of two and the range's ends.
 */
static void
test_format_double_shortest (void)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("NS_TEST_DATA"), "format", "shortest.txt", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint checked = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++, checked++)
    {
      char buf[NS_DOUBLE_BUF_SIZE];
      guint64 bits = g_ascii_strtoull (lines[i], NULL, 16);
      const char *repr = strchr (lines[i], ' ') + 1;
      double value;
      g_autofree char *ours = NULL, *theirs = NULL;

      memcpy (&value, &bits, sizeof value);
      assert_round_trip (value);
      ours = significant_digits (ns_format_double (buf, value));
      theirs = significant_digits (repr);
      if (strcmp (ours, theirs) != 0)
        g_error ("%s: formatted as '%s', repr says '%s'", lines[i], buf, repr);
    }
  g_assert_cmpuint (checked, >, 6000);
}

/* Readable numbers: %g's digits in the C locale, zero noise as "0", a plain form where it is as
 * short as the exponent form. */
static void
test_format_readable (void)
{
  static const struct {
    double value;
    int significant;
    const char *text;
  } cases[] = {
    { -0.0, 3, "0" },
    { 1e-13, 3, "0" },
    { -4e-13, 6, "0" },
    { 2e-12, 3, "2e-12" },
    { 162, 2, "160" },
    { 162, 3, "162" },
    { 1e6, 3, "1e+06" },
    { 1.5e6, 2, "1500000" },
    { 1.25e6, 2, "1200000" },
    { 1.5e-7, 3, "1.5e-07" },
    { 0.000123, 2, "0.00012" },
    { -2.5, 4, "-2.5" },
    { 123456789, 10, "123456789" },
    { 0.1 + 0.2, 6, "0.3" },
  };
  char buf[NS_FORMAT_READABLE_SIZE];

  setlocale (LC_ALL, "de_DE.UTF-8");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (ns_format_readable (buf, cases[i].value, cases[i].significant), ==,
                     cases[i].text);
  g_assert_cmpstr (ns_format_readable (buf, NAN, 3), ==, "nan");
  g_assert_cmpstr (ns_format_readable (buf, INFINITY, 3), ==, "inf");
  g_assert_cmpstr (ns_format_readable (buf, -INFINITY, 3), ==, "-inf");
  setlocale (LC_ALL, "C");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/output/write-and-replace", test_write_and_replace);
  g_test_add_func ("/output/replace-symlink", test_replace_symlink);
  g_test_add_func ("/output/dev-full", test_dev_full);
  g_test_add_func ("/output/no-partial-file", test_no_partial_file);
  g_test_add_func ("/output/write-blocks", test_write_blocks);
  g_test_add_func ("/output/write-blocks-pipe", test_write_blocks_pipe);
  g_test_add_func ("/output/write-blocks-errors", test_write_blocks_errors);
  g_test_add_func ("/output/open-errors", test_open_errors);
  g_test_add_func ("/output/write-protected", test_write_protected);
  g_test_add_func ("/output/keep-mode", test_keep_mode);
  g_test_add_func ("/output/refuse-input", test_refuse_input);
  g_test_add_func ("/output/refuse-output-twice", test_refuse_output_twice);
  g_test_add_func ("/output/signal-cleanup", test_signal_cleanup);
  g_test_add_func ("/output/safe-text", test_safe_text);
  g_test_add_func ("/output/format-double", test_format_double);
  g_test_add_func ("/output/format-double-shortest", test_format_double_shortest);
  g_test_add_func ("/output/format-double-to-chars", ns_test_format_matches_to_chars);
  g_test_add_func ("/output/format-readable", test_format_readable);
  return g_test_run ();
}
