/* ns-cli-transform.c: (being written) */
