/* ns-parse-double.cc: (being written) */
