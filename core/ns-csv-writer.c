/* ns-csv-writer.c: (being written) */
