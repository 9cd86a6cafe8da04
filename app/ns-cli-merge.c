/* ns-cli-merge.c: `normscope-cli merge`, combining partial statistics into the stats file `fit`
 * writes. SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-cli.h"

#include <stdio.h>

#include "core/ns-partial.h"

static int
merge_run (char **paths, guint n, const char *output, gboolean partial_out)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_partial_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) merged = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autoptr (NsOutputGuard) guard = ns_cli_output_guard_new (NULL, output, NULL);
  g_autoptr (NsOutputGroup) outputs = NULL;

  for (guint i = 0; i < n; i++)
    ns_output_guard_add_input (guard, paths[i]);
  if ((outputs = ns_output_group_new (guard, &error)) == NULL)
    return ns_cli_report_error (error);
  for (guint i = 0; i < n; i++)
    {
      NsPartial *part = ns_partial_load (paths[i], &error);

      if (part == NULL)
        return ns_cli_report_error (error);
      g_ptr_array_add (parts, part);
    }
  merged =
    ns_partial_merge ((NsPartial *const *) parts->pdata, (const char *const *) paths, n, &error);
  if (merged == NULL)
    return ns_cli_report_error (error);
  if (partial_out)
    {
      if (!ns_partial_save (merged, output, &error))
        return ns_cli_report_error (error);
      return ns_cli_commit_outputs (outputs);
    }
  if ((stats = ns_partial_to_stats (merged, &error)) == NULL ||
      !ns_stats_save (stats, output, &error))
    return ns_cli_report_error (error);
  return ns_cli_commit_outputs (outputs);
}

int
ns_cli_merge (int argc, char **argv)
{
  g_autofree char *output = NULL;
  gboolean partial_out = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the stats file (JSON) to FILE ('-': standard output)", "FILE" },
    { "partial", 0, 0, G_OPTION_ARG_NONE, &partial_out,
      "Write the merged partial statistics instead (to merge in a tree)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("PART…");

  g_option_context_set_summary (context,
                                "Merge partial statistics (files from 'fit --partial', any number, "
                                "in any order)\ninto the stats file a fit over all their rows "
                                "writes. Silent on success.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!ns_cli_parse (context, &argc, &argv))
    return NS_EXIT_INPUT;
  if (argc < 2)
    return ns_cli_usage_error ("missing PART: name at least one partial statistics file");
  if (output == NULL)
    return ns_cli_usage_error ("missing required option -o");
  return merge_run (argv + 1, argc - 1, output, partial_out);
}
