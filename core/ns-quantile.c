/* ns-quantile.c: (being written) */
