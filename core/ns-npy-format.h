/* ns-npy-format.h: the NumPy .npy container (header parsing and encoding, and the layout of
 * storage order onto columns) shared by readers and writers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-dataset.h"

/* The six bytes every .npy file starts with. */
#define NS_NPY_MAGIC "\x93NUMPY"
#define NS_NPY_MAGIC_LEN 6

G_BEGIN_DECLS

typedef struct {
  guint8 major; /* format version: 1.0, 2.0 or 3.0 */
  guint8 minor;
  char descr[32]; /* the descr string as written, e.g. "<f8" */
  char byteorder; /* '<', '>' or '|' ('=' and a missing mark are resolved to the host's) */
  char kind;      /* NumPy kind: 'b' 'i' 'u' 'f' 'c' 'S' 'U' 'V' 'm' 'M' */
  gsize itemsize; /* bytes per element ('<U5' is 20) */
  gboolean fortran_order;
  guint rank; /* 0 for a scalar */
  gsize shape[NS_MAX_RANK];
  gsize n_elements;   /* product of the shape (1 for a scalar) */
  gsize data_offset;  /* where the data starts */
  gsize data_len;     /* n_elements * itemsize; data_offset + data_len <= len is checked */
  gsize descr_offset; /* byte offset of the descr value, for messages */
} NsNpyHeader;

/* Parses and checks the magic, version, header dict, shape (overflow-checked) and the data length.
 * Errors read "PATH: byte N: ...". Object arrays (pickles) and structured dtypes are refused. */
gboolean ns_npy_parse_header (const char *path, const guint8 *data, gsize len, NsNpyHeader *header,
                              GError **error);

/* The bytes of a whole .npy (header as NumPy writes it, version 1.0 unless the header needs 2.0,
 * then data_len bytes of data). descr is written as given ("<f8", "<i8", "<U12"). */
GBytes *ns_npy_encode (const char *descr, const gsize *shape, guint rank, gboolean fortran_order,
                       const void *data, gsize data_len);

/* Appends the header NumPy writes (magic, length, padded dict) for such an array. */
void ns_npy_append_header (GByteArray *out, const char *descr, const gsize *shape, guint rank,
                           gboolean fortran_order);

/* Python's repr of a shape tuple: "()", "(3,)", "(2, 3)". */
char *ns_npy_format_shape (const gsize *shape, guint rank);

/* How the elements of an array in storage order map to dataset columns (internal to the npy code).
 * Each dimension, innermost first, has a size and strides: in elements of storage (src), in
 * columns (col) and in values within a column (dst). Size-1 axes are dropped and adjacent axes
 * merged, so an (N, C) C-order array with axis -1 is two dimensions. */
typedef struct {
  gsize size;
  gsize src;
  gsize col;
  gsize dst;
} NsNpyDim;

typedef struct {
  guint n_dims; /* at least 2 (padded with size-1 dimensions) */
  NsNpyDim dims[NS_MAX_RANK + 2];
} NsNpyLayout;

void ns_npy_layout_init (NsNpyLayout *layout, const gsize *shape, guint rank,
                         const guint *kept_axes, guint n_kept, gboolean fortran_order);

/* Called for each block of the two innermost dimensions: src is the storage index of element
 * (j_begin, 0); col and off are the column and value offsets before adding j * dims[1] strides. */
typedef void (*NsNpyBlockFunc) (gsize src, gsize j_begin, gsize j_end, gsize col, gsize off,
                                gpointer user_data);

/* Visits, in storage order, every element whose outermost index is in [outer_begin, outer_end). */
void ns_npy_layout_walk (const NsNpyLayout *layout, gsize outer_begin, gsize outer_end,
                         NsNpyBlockFunc func, gpointer user_data);
/* How many steps of the outermost dimension make about target elements (at least 1). */
gsize ns_npy_layout_chunk (const NsNpyLayout *layout, gsize n_elements, gsize target);

G_END_DECLS
