/* ns-stats.c: (being written) */
