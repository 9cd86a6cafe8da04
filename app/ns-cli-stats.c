/* ns-cli-stats.c: (being written) */
