/* ns-summary.c: (being written) */
