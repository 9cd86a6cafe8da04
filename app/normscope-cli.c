/* normscope-cli.c: the command line's entry point, dispatching to one subcommand.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ns-cli.h"
#include "core/ns-safe-text.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} NsCliCommand;

static const NsCliCommand commands[] = {
  { "stats", ns_cli_stats, "print a per-column summary of a dataset (--json for machines)" },
  { "fit", ns_cli_fit,
    "fit a scaler (standard, keras, minmax, maxabs, robust) and write a stats file" },
  { "transform", ns_cli_transform, "apply a stats file to a dataset (or invert it)" },
  { "report", ns_cli_report,
    "summary, fitted standard scaling and a saved stats file, for reading" },
  { "batchnorm", ns_cli_batchnorm,
    "simulate a BatchNorm layer's running statistics (PyTorch, Keras, Flax)" },
  { "export", ns_cli_export,
    "write a stats file in another tool's format (npz, safetensors, Keras, ...)" },
  { "plot", ns_cli_plot, "draw a column before and after normalization to PNG, SVG or PDF" },
  { "merge", ns_cli_merge, "merge partial statistics (fit --partial) into one stats file" },
  { "normalize", ns_cli_normalize,
    "apply one batch, layer, instance, group or RMS norm layer to a tensor (.npy out)" },
};

static void
print_help (FILE *out)
{
  fprintf (out, "Usage: normscope-cli COMMAND [OPTION…] [ARGUMENT…]\n"
                "\n"
                "Exact input-normalization statistics, as scikit-learn, Keras and PyTorch compute\n"
                "them.\n"
                "\n"
                "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s  %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Options:\n"
           "  -h, --help  show this help ('normscope-cli COMMAND --help': a command's options)\n"
           "  --version   show the version\n"
           "\n"
           "Exit status: 0 success, 2 bad input or usage, 1 internal failure.\n");
}

static const NsCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  const NsCliCommand *command;

  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      fprintf (stderr, "normscope-cli: missing a command\nTry 'normscope-cli --help'\n");
      return NS_EXIT_INPUT;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      (strcmp (argv[1], "help") == 0 && argc == 2))
    {
      print_help (stdout);
      return fflush (stdout) == 0 ? NS_EXIT_OK : NS_EXIT_INPUT;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("normscope-cli %s\n", PACKAGE_VERSION);
      return fflush (stdout) == 0 ? NS_EXIT_OK : NS_EXIT_INPUT;
    }
  if (strcmp (argv[1], "help") == 0)
    argv++, argc--;
  command = find_command (argv[1]);
  if (command != NULL && argv[0] != NULL && strcmp (argv[0], "help") == 0)
    {
      char *help_argv[] = { argv[1], (char *) "--help", NULL };

      return command->run (2, help_argv);
    }
  if (command == NULL)
    {
      char *shown = ns_safe_text_for_terminal (argv[1]);

      fprintf (stderr, "normscope-cli: unknown command '%s'\nTry 'normscope-cli --help'\n", shown);
      g_free (shown);
      return NS_EXIT_INPUT;
    }
  return command->run (argc - 1, argv + 1);
}
