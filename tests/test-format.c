/* test-format.c: the sources are formatted (.clang-format), within .editorconfig's line limit and
 * with one section-separator style. `./dev format` fixes all three.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>

/* clang-format runs on this many files at a time. */
#define FILES_PER_RUN 32

static const char *
source_root (void)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");

  g_assert_nonnull (root);
  return root;
}

/* The files `./dev format --list` names, relative to the source root; free with g_strfreev. */
static char **
list_source_files (void)
{
  const char *argv[] = { "./dev", "format", "--list", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (source_root (), (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strchomp (out);
  g_assert_cmpstr (out, !=, "");
  return g_strsplit (out, "\n", -1);
}

/* Runs clang-format --dry-run -Werror on count files from files; appends what it reports. */
static void
check_clang_format (char **files, guint count, GString *report)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "clang-format");
  g_ptr_array_add (argv, (char *) "--dry-run");
  g_ptr_array_add (argv, (char *) "-Werror");
  g_ptr_array_add (argv, (char *) "--ferror-limit=1");
  g_ptr_array_add (argv, (char *) "--style=file");
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (argv, files[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (source_root (), (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, &err, &status, &error))
    g_error ("clang-format did not run (the dev script's PACKAGES installs it): %s",
             error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_string_append (report, err);
}

/* The first line of each file clang-format would change, with how it would be written. */
static void
test_clang_format (void)
{
  g_auto (GStrv) files = list_source_files ();
  g_autoptr (GString) report = g_string_new (NULL);
  guint n = g_strv_length (files);

  for (guint i = 0; i < n; i += FILES_PER_RUN)
    check_clang_format (files + i, MIN (FILES_PER_RUN, n - i), report);
  if (report->len > 0)
    g_test_fail_printf ("not formatted (run ./dev format):\n%s", report->str);
}

/* max_line_length in .editorconfig's [*.{c,h}] section. */
static guint
editorconfig_line_limit (void)
{
  g_autofree char *path = g_build_filename (source_root (), ".editorconfig", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean in_c_section = FALSE;
  guint64 limit = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (line[0] == '[')
        in_c_section = strcmp (line, "[*.{c,h}]") == 0;
      else if (in_c_section && g_str_has_prefix (line, "max_line_length"))
        g_assert_true (g_ascii_string_to_unsigned (g_strstrip (strchr (line, '=') + 1), 10, 1,
                                                   G_MAXUINT, &limit, NULL));
    }
  g_assert_cmpuint (limit, >, 0);
  return (guint) limit;
}

/* Each line of the file that breaks rule (a check of one line) goes into report as file:line. */
static void
check_lines (const char *file, gboolean (*rule) (const char *line, gconstpointer data),
             gconstpointer data, GString *report)
{
  g_autofree char *path = g_build_filename (source_root (), file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!rule (lines[i], data))
      g_string_append_printf (report, "%s:%u: %s\n", file, i + 1, lines[i]);
}

static gboolean
within_limit (const char *line, gconstpointer data)
{
  return g_utf8_strlen (line, -1) <= (glong) GPOINTER_TO_UINT (data);
}

static void
test_line_length (void)
{
  g_auto (GStrv) files = list_source_files ();
  g_autoptr (GString) report = g_string_new (NULL);
  guint limit = editorconfig_line_limit ();

  for (guint i = 0; files[i] != NULL; i++)
    check_lines (files[i], within_limit, GUINT_TO_POINTER (limit), report);
  if (report->len > 0)
    g_test_fail_printf ("lines over .editorconfig's %u characters:\n%s", limit, report->str);
}

/* A comment that opens with a rule of dashes, equals or stars is a separator; the one style is
 * `/\* ---- Title. *\/` (the title may go on over more lines), never a rule closing it too. */
static gboolean
one_separator_style (const char *line, gconstpointer data)
{
  GRegex *separator = (GRegex *) ((gpointer const *) data)[0];
  GRegex *house_style = (GRegex *) ((gpointer const *) data)[1];

  return !g_regex_match (separator, line, 0, NULL) || g_regex_match (house_style, line, 0, NULL);
}

static void
test_section_separators (void)
{
  g_autoptr (GRegex) separator = g_regex_new ("^\\s*(/\\*|//)\\s*[-=*~#]{3,}", 0, 0, NULL);
  g_autoptr (GRegex) house_style =
    g_regex_new ("^/\\* ---- [^-=*~# ](?!.*-{3,}\\s*\\*/$)", 0, 0, NULL);
  gpointer regexes[] = { separator, house_style };
  g_auto (GStrv) files = list_source_files ();
  g_autoptr (GString) report = g_string_new (NULL);

  for (guint i = 0; files[i] != NULL; i++)
    check_lines (files[i], one_separator_style, regexes, report);
  if (report->len > 0)
    g_test_fail_printf ("section separators not in the `/* ---- Title. */` style (./dev format "
                        "rewrites them):\n%s",
                        report->str);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/clang-format", test_clang_format);
  g_test_add_func ("/format/line-length", test_line_length);
  g_test_add_func ("/format/section-separators", test_section_separators);
  return g_test_run ();
}
