/* test-cli-helpers.c: helpers the test-cli suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-cli-helpers.h"

char *
data_path (const char *name)
{
  return g_build_filename (ns_test_getenv ("NS_TEST_DATA"), "cli", name, NULL);
}

char *
iris_path (void)
{
  return g_build_filename (ns_test_getenv ("NS_SOURCE_ROOT"), "data", "iris.csv", NULL);
}

void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = ns_test_temp_dir_new ();
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ns_test_temp_dir_free (f->dir);
  g_free (f->out);
  g_free (f->err);
}

/* In the child: standard output appended to the file data names (e.g. /dev/full). */
void
redirect_stdout (gpointer data)
{
  int fd = open (data, O_WRONLY | O_APPEND);

  if (fd >= 0)
    dup2 (fd, STDOUT_FILENO);
}

/* What the child's standard output and input are redirected from and to (NULL: not). */
typedef struct {
  const char *stdout_path;
  const char *stdin_path;
} Redirect;

/* In the child: standard output appended to one file, standard input read from another. */
void
redirect_stdio (gpointer data)
{
  const Redirect *redirect = data;
  int fd;

  if (redirect->stdout_path != NULL)
    redirect_stdout ((gpointer) redirect->stdout_path);
  if (redirect->stdin_path != NULL && (fd = open (redirect->stdin_path, O_RDONLY)) >= 0)
    dup2 (fd, STDIN_FILENO);
}

/* Runs normscope-cli in the fixture's folder with the NULL-terminated arguments in argv; standard
 * output goes to f->out, or is appended to stdout_path; standard input from stdin_path when it is
 * not NULL. */
int
run_argv (Fixture *f, const char *stdout_path, const char *stdin_path, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *cache = g_build_filename (f->dir, "cache", NULL);
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "XDG_CACHE_HOME", cache, TRUE);
  Redirect redirect = { stdout_path, stdin_path };
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) ns_test_getenv ("NS_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_spawn_sync (f->dir, (char **) argv->pdata, envp,
                stdin_path != NULL ? G_SPAWN_CHILD_INHERITS_STDIN : G_SPAWN_DEFAULT, redirect_stdio,
                &redirect, stdout_path != NULL ? NULL : &f->out, &f->err, &wait_status, &error);
  g_assert_no_error (error);
  if (f->out == NULL)
    f->out = g_strdup ("");
  g_assert_true (WIFEXITED (wait_status));
  f->status = WEXITSTATUS (wait_status);
  return f->status;
}

char *
line_of (const char *text, guint index)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  return index < g_strv_length (lines) ? g_strdup (lines[index]) : g_strdup ("");
}

void
assert_usage_error (Fixture *f, const char *subcommand, const char *message)
{
  g_autofree char *first = g_strdup_printf ("normscope-cli %s: %s", subcommand, message);
  g_autofree char *hint = g_strdup_printf ("Try 'normscope-cli %s --help'", subcommand);

  g_assert_cmpint (f->status, ==, 2);
  assert_line (f->err, 0, first);
  assert_line (f->err, 1, hint);
  g_assert_cmpstr (f->out, ==, "");
}

char *
tmp_file (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

void
copy_into (Fixture *f, const char *source, const char *name)
{
  g_autofree char *contents = NULL;
  g_autofree char *target = tmp_file (f, name);
  gsize len;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (source, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (target, contents, (gssize) len, &error);
  g_assert_no_error (error);
}

JsonNode *
load_json (const char *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

JsonObject *
expected_json (void)
{
  static JsonNode *root;

  if (root == NULL)
    {
      g_autofree char *path = data_path ("expected.json");

      root = load_json (path);
    }
  return json_node_get_object (root);
}

NsDataset *
load_dataset (const char *path)
{
  g_autoptr (GError) error = NULL;
  NsReadOptions options;
  NsDataset *data;

  ns_read_options_init (&options);
  data = ns_dataset_load (path, &options, NULL, &error);
  g_assert_no_error (error);
  return data;
}
