/* test-utils.c: helpers the test programs share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-utils.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#define NS_TEST_SKIP 77

void
ns_test_run_export_check (const char *check, const char *dir)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");
  g_autofree char *script = g_build_filename (root != NULL ? root : ".", "tests",
                                              "check-exports.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, check, dir, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("python3 not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s", out);
      return;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == NS_TEST_SKIP)
    {
      g_strstrip (out);
      g_test_skip (out);
      return;
    }
  g_error ("tests/check-exports.py %s failed:\n%s%s", check, out, err);
}

void
ns_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        ns_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
ns_test_write_json (JsonBuilder *builder, const char *path)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

JsonNode *
ns_test_load_data_json (const char *subdir, const char *name)
{
  const char *dir = g_getenv ("NS_TEST_DATA");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : "tests/data", subdir, name, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

double
ns_test_json_double (JsonNode *node)
{
  const char *text;

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return json_node_get_double (node);
  text = json_node_get_string (node);
  if (g_str_equal (text, "nan"))
    return NAN;
  g_assert_true (g_str_equal (text, "inf") || g_str_equal (text, "-inf"));
  return text[0] == '-' ? -INFINITY : INFINITY;
}

double *
ns_test_json_doubles (JsonArray *array, guint *n)
{
  guint length = json_array_get_length (array);
  double *values = g_new (double, MAX (length, 1));

  for (guint i = 0; i < length; i++)
    values[i] = ns_test_json_double (json_array_get_element (array, i));
  if (n != NULL)
    *n = length;
  return values;
}

gboolean
ns_test_same_bits (double a, double b)
{
  return (isnan (a) && isnan (b)) || memcmp (&a, &b, sizeof a) == 0;
}

int
ns_test_run_cli (const char *const *args, const char *dir, char **out, char **err)
{
  const char *cli = g_getenv ("NS_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (cli == NULL)
    g_error ("NS_CLI is not set: run this test through meson test");
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}
