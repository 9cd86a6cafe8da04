/* ns-cli-export.c: (being written) */
#include "ns-cli.h"
#include <stdio.h>
int ns_cli_export (int argc, char **argv) { fprintf (stderr, "normscope-cli export: not built yet\n"); return NS_EXIT_INTERNAL; }
