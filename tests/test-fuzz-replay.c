/* test-fuzz-replay.c: every fuzz corpus and crash regression input through the harnesses' entries.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>
#include <string.h>

#include "fuzz/ns-fuzz-targets.h"

typedef struct {
  const NsFuzzTargetInfo *target;
  const char *kind; /* "corpus" or "regressions" */
} ReplayCase;

static char *
replay_dir (const ReplayCase *replay)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "tests", "fuzz", replay->kind, replay->target->name, NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
test_replay (gconstpointer user_data)
{
  const ReplayCase *replay = user_data;
  g_autofree char *dir_path = replay_dir (replay);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    {
      /* Only crash regressions may be absent: a harness without corpus would replay nothing. */
      g_assert_cmpstr (replay->kind, ==, "regressions");
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (strcmp (replay->kind, "corpus") == 0)
    g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      g_assert_no_error (error);
      g_test_message ("%s", path);
      g_assert_cmpint (replay->target->run ((const guint8 *) contents, len), ==, 0);
    }
  g_test_message ("%u inputs from %s", names->len, dir_path);
}

int
main (int argc, char **argv)
{
  static const char *kinds[] = { "corpus", "regressions" };

  g_test_init (&argc, &argv, NULL);
  ns_fuzz_init ();
  for (const NsFuzzTargetInfo *target = ns_fuzz_targets; target->name != NULL; target++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        ReplayCase *replay = g_new0 (ReplayCase, 1);
        g_autofree char *path = g_strdup_printf ("/fuzz-replay/%s/%s", kinds[k], target->name);

        replay->target = target;
        replay->kind = kinds[k];
        g_test_add_data_func_full (path, replay, test_replay, g_free);
      }
  return g_test_run ();
}
