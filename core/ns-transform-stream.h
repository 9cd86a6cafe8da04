/* ns-transform-stream.h: `transform` of a CSV file to a CSV file, or of a .npy file to a .npy file,
 * without holding the dataset.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-input.h"
#include "ns-stats.h"

G_BEGIN_DECLS

/* Writes stats' transform of the CSV file at path to output_path, as ns_stats_transform_in_place
 * and ns_csv_write (with delimiter) would, byte for byte, parsing, transforming and formatting
 * chunks of the mapped file on read_options->n_threads threads and writing them in file order.
 * Every per-column method streams, and so does the per-row normalizer: each row needs the stats
 * alone. FALSE, with nothing written, where the in-memory path must do the work: standard input,
 * gzip, .npy, a sample-weight option, a line break inside a quoted field, an output that is not
 * written atomically (standard output, a device, a FIFO: a late refusal would leave a part
 * behind), and every refusal (bad input, columns or stats the transform refuses, a failed
 * write), which that path finds again and words as it always has. */
gboolean ns_transform_stream_csv (const NsStats *stats, const char *path,
                                  const NsReadOptions *read_options, NsTransformFlags flags,
                                  const char *output_path, char delimiter);
/* The same for a 2-D native float64 .npy file (its features the last axis) to output_path, as
 * ns_stats_transform_in_place and ns_npy_write would, byte for byte: blocks of rows read in place,
 * transformed on read_options->n_threads threads and written at their offsets. FALSE, with nothing
 * written, for anything else (other dtypes, byte orders, Fortran order or ranks, a sample-weight
 * option, standard input or output, a device, a FIFO) and for every refusal, which the in-memory
 * path finds again and words as it always has. */
gboolean ns_transform_stream_npy (const NsStats *stats, const char *path,
                                  const NsReadOptions *read_options, NsTransformFlags flags,
                                  const char *output_path);

G_END_DECLS
