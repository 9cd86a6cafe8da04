/* ns-npy-reader.c: (being written) */
