/* ns-cli-report.c: (being written) */
