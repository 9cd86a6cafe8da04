/* ns-csv-reader.c: (being written) */
