/* ns-stats-json.c: (being written) */
