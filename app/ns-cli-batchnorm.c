/* ns-cli-batchnorm.c: (being written) */
#include "ns-cli.h"
#include <stdio.h>
int ns_cli_batchnorm (int argc, char **argv) { fprintf (stderr, "normscope-cli batchnorm: not built yet\n"); return NS_EXIT_INTERNAL; }
