/* ns-reader.c: (being written) */
