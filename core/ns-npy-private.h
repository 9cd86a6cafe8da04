/* ns-npy-private.h: what the .npy loader and the .npy moments pass share: the plan (header, axis
 * and layout) and the conversion of a range of the outermost dimension into column buffers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-npy-format.h"
#include "ns-partial.h"
#include "ns-input.h"

G_BEGIN_DECLS

typedef void (*NsNpyKernel) (const guint8 *src, double **cols, const NsNpyDim *inner,
                             const NsNpyDim *outer, gsize j_begin, gsize j_end, gsize col,
                             gsize off);

typedef struct {
  NsNpyHeader header;
  guint kept[NS_MAX_RANK]; /* the axes kept as features (options->axis) */
  guint n_kept;
  NsNpyLayout layout;
  NsNpyKernel kernel;
} NsNpyPlan;

/* Parses and checks the header and the axis option; errors as ns_npy_read's. */
gboolean ns_npy_plan (const char *path, const guint8 *data, gsize len, const NsReadOptions *options,
                      NsNpyPlan *plan, GError **error);

typedef struct {
  const NsNpyLayout *layout;
  NsNpyKernel kernel;
  const guint8 *data; /* the first element */
  gsize itemsize;
  double **cols; /* per feature: where value offset 0 goes */
} NsNpyFill;

/* A C-order native float64 array whose kept axes are its last ones is an (M, F) matrix of rows,
 * read in place (aligned: NumPy pads the header to 64 bytes); first: its first element. */
gboolean ns_npy_is_rows (const NsNpyPlan *plan, const guint8 *first);

/* Converts every element whose outermost storage index is in [outer_begin, outer_end). */
void ns_npy_fill_range (NsNpyFill *fill, gsize outer_begin, gsize outer_end);

/* The per-feature moments (and sketches with approx_quantiles) of the array in data, read in
 * cache-sized units of samples on n_threads threads (0: the cores) without a columnar copy; the
 * result is bit-identical to moments of the loaded columns. fd >= 0: data is path's mapping, and
 * the values are read from fd (only the header is taken from data); -1: they are read from data.
 * An array whose samples are not its
 * outermost storage dimension (Fortran order), or with an odd number of values per sample and
 * feature above 2048, is loaded whole first. *n_samples gets the length of the first axis; the
 * source is left for the caller. */
NsPartial *ns_npy_read_partial (const char *path, const guint8 *data, gsize len,
                                const NsReadOptions *read_options,
                                const NsScalerOptions *scaler_options, gboolean approx_quantiles,
                                guint n_threads, int fd, guint64 *n_samples,
                                GCancellable *cancellable, GError **error);

G_END_DECLS
