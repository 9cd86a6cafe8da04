/* ns-scaler.c: (being written) */
