/* ns-cli-fit.c: (being written) */
