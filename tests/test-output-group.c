/* test-output-group.c: the outputs of one command put in place together, or none of them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "ns-output.h"
#include "ns-output-group.h"
#include "test-utils.h"

static void
assert_contents (const char *path, const char *expected)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

/* A group holding the paths (NULL-terminated) as outputs of one command. */
static NsOutputGroup *
group_of (const char *const *paths)
{
  g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
  g_autoptr (GError) error = NULL;
  NsOutputGroup *group;

  for (guint i = 0; paths[i] != NULL; i++)
    ns_output_guard_add_output (guard, "-o", paths[i]);
  group = ns_output_group_new (guard, &error);
  g_assert_no_error (error);
  return group;
}

static void
write_text (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ns_output_write_file (path, text, strlen (text), &error));
  g_assert_no_error (error);
}

/* Until the commit every target keeps its old bytes; a group freed without it (a later output
 * failed) leaves them all so, and no temporary file. */
static void
test_nothing_until_commit (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.csv", NULL);
  NsOutputGroup *group;
  NsOutput *failing;

  g_assert_true (g_file_set_contents (a, "old a\n", -1, NULL));
  g_assert_true (g_file_set_contents (b, "old b\n", -1, NULL));
  group = group_of ((const char *const[]) { a, b, NULL });
  write_text (a, "new a\n");
  assert_contents (a, "old a\n");
  failing = ns_output_open (b, NULL);
  g_assert_true (ns_output_write (failing, "half of b", 9, NULL));
  ns_output_abort (failing);
  ns_output_group_free (group);
  assert_contents (a, "old a\n");
  assert_contents (b, "old b\n");
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 2);
}

/* The commit puts every finished file in place; a target written twice keeps the last one. */
static void
test_commit (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.csv", NULL);
  g_autoptr (GError) error = NULL;
  NsOutputGroup *group;

  g_assert_true (g_file_set_contents (a, "old a\n", -1, NULL));
  group = group_of ((const char *const[]) { a, b, NULL });
  write_text (a, "first a\n");
  write_text (a, "new a\n");
  write_text (b, "new b\n");
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  g_assert_true (ns_output_group_commit (group, &error));
  g_assert_no_error (error);
  ns_output_group_free (group);
  assert_contents (a, "new a\n");
  assert_contents (b, "new b\n");
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 2);

  /* Once the group is gone, outputs are put in place at once again. */
  write_text (a, "after\n");
  assert_contents (a, "after\n");
}

/* A file that cannot be put in place (a folder appeared there) puts back those placed before it:
 * the file exchanged with an old one and the one that was new. */
static void
test_commit_puts_back (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *c = g_build_filename (dir, "c.npy", NULL);
  g_autofree char *b = g_build_filename (dir, "b.csv", NULL);
  g_autoptr (GError) error = NULL;
  NsOutputGroup *group;

  g_assert_true (g_file_set_contents (a, "old a\n", -1, NULL));
  group = group_of ((const char *const[]) { a, c, b, NULL });
  write_text (a, "new a\n");
  write_text (c, "new c\n");
  write_text (b, "new b\n");
  g_assert_cmpint (g_mkdir (b, 0755), ==, 0);
  g_assert_false (ns_output_group_commit (group, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, b));
  g_assert_nonnull (strstr (error->message, ": cannot rename the finished file into place: "));
  ns_output_group_free (group);
  assert_contents (a, "old a\n");
  g_assert_false (g_file_test (c, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 2);
}

/* Standard output and devices are not held: they are written when their writer commits. */
static void
test_devices_written_directly (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autoptr (GError) error = NULL;
  NsOutputGroup *group = group_of ((const char *const[]) { a, "/dev/full", NULL });

  g_assert_true (ns_output_is_direct ("/dev/full"));
  g_assert_true (ns_output_is_direct ("-"));
  g_assert_false (ns_output_is_direct (a));
  g_assert_false (ns_output_is_direct (dir));
  write_text (a, "new a\n");
  g_assert_false (ns_output_write_file ("/dev/full", "x", 1, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "/dev/full: cannot write: No space left on device");
  ns_output_group_free (group);
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 0);
}

/* Every target is checked before the group exists, so nothing is written for a refused one. */
static void
test_refused_up_front (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "e.csv", NULL);
  g_autofree char *expected =
    g_strdup_printf ("%s: cannot write: folder %s/missing does not exist", missing, dir);
  g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
  g_autoptr (GError) error = NULL;

  ns_output_guard_add_output (guard, "-o", a);
  ns_output_guard_add_output (guard, "--export csv:e.csv", missing);
  g_assert_null (ns_output_group_new (guard, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (ns_test_count_entries (dir), ==, 0);
}

/* A folder at an output is refused before anything is written, as a missing folder is. */
static void
test_folder_refused_up_front (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: is a folder, not a file", dir);
  g_autoptr (NsOutputGuard) guard = ns_output_guard_new ();
  g_autoptr (GError) error = NULL;

  ns_output_guard_add_output (guard, "-o", a);
  ns_output_guard_add_output (guard, "--stats", dir);
  g_assert_null (ns_output_group_new (guard, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/output-group/nothing-until-commit", test_nothing_until_commit);
  g_test_add_func ("/output-group/commit", test_commit);
  g_test_add_func ("/output-group/commit-puts-back", test_commit_puts_back);
  g_test_add_func ("/output-group/devices-written-directly", test_devices_written_directly);
  g_test_add_func ("/output-group/refused-up-front", test_refused_up_front);
  g_test_add_func ("/output-group/folder-refused-up-front", test_folder_refused_up_front);
  return g_test_run ();
}
