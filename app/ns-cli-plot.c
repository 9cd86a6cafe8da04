/* ns-cli-plot.c: (being written) */
#include "ns-cli.h"
#include <stdio.h>
int ns_cli_plot (int argc, char **argv) { fprintf (stderr, "normscope-cli plot: not built yet\n"); return NS_EXIT_INTERNAL; }
