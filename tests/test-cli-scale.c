/* test-cli-scale.c: normscope-cli fit --stream / --partial / --byte-range and merge, end to end.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

static int
run (const char *args, char **err)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("NS_CLI"), args);
  g_auto (GStrv) argv = NULL;
  int status = -1;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_assert_true (g_spawn_sync (tmp_dir, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, err, &status, NULL));
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static char *
read_text (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_data (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "data.csv", NULL);
  GString *text = g_string_new ("a,b\n");

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "%u.25,%d\n", i * 7 % 101, (int) (i % 17) - 8);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
}

static void
test_stream_equals_fit (void)
{
  g_autofree char *fit = NULL, *streamed = NULL;

  g_assert_cmpint (run ("fit data.csv -m minmax -o fit.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m minmax --stream --quiet -o stream.json", NULL), ==, 0);
  fit = read_text ("fit.json");
  streamed = read_text ("stream.json");
  g_assert_cmpstr (streamed, ==, fit);
}

static void
test_partial_merge (void)
{
  const char *orders[] = { "p0.json p1.json p2.json", "p2.json p0.json p1.json", "p1.json p2.json p0.json" };
  g_autofree char *first = NULL;

  g_assert_cmpint (run ("fit data.csv -m maxabs --partial --byte-range 0:5000 -o p0.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m maxabs --partial --byte-range 5000:9001 -o p1.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m maxabs --partial --byte-range 9001:999999 -o p2.json", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autofree char *args = g_strdup_printf ("merge %s -o merged.json", orders[i]);
      g_autofree char *text = NULL;

      g_assert_cmpint (run (args, NULL), ==, 0);
      text = read_text ("merged.json");
      if (first == NULL)
        first = g_strdup (text);
      g_assert_cmpstr (text, ==, first);
      g_assert_nonnull (strstr (text, "\"rows\": 3000"));
    }
}

static void
test_errors (void)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (run ("fit data.csv -m standard --byte-range 0:10 -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "--byte-range needs --partial"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit data.csv -m standard --partial --byte-range 10:5 -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "--byte-range: expected START:END with 0 <= START <= END (bytes), found '10:5'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit data.csv -m robust --stream -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "--method robust needs exact quantiles"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit data.csv -m standard --partial -o s.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m minmax --partial -o m.json", NULL), ==, 0);
  g_assert_cmpint (run ("merge s.json m.json -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "method 'minmax' does not match method 'standard'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("merge s.json s.json -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "their rows would be counted twice"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("merge -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "missing PART"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-cli-scale-XXXXXX", NULL);
  write_data ();
  g_test_add_func ("/cli-scale/stream-equals-fit", test_stream_equals_fit);
  g_test_add_func ("/cli-scale/partial-merge", test_partial_merge);
  g_test_add_func ("/cli-scale/errors", test_errors);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (tmp_dir);
  return status;
}
