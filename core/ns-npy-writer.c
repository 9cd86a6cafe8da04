/* ns-npy-writer.c: (being written) */
