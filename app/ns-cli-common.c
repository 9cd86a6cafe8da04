/* ns-cli-common.c: (being written) */
