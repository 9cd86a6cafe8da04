/* ns-reader.h: loading a dataset from a file (CSV, CSV.gz, NumPy .npy), whatever its kind.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"

G_BEGIN_DECLS

typedef enum {
  NS_HEADER_AUTO,
  NS_HEADER_YES,
  NS_HEADER_NO,
} NsHeaderMode;

typedef struct {
  char          delimiter;       /* 0: sniff; ' ' means runs of spaces */
  NsHeaderMode  header;
  char        **extra_missing;   /* more missing markers (NULL-terminated), or NULL */
  const char   *axis;            /* Keras-style kept axes for tensors ("-1", "1", "1,2", "none");
                                    NULL: -1. Ignored for CSV (features are the columns). */
  guint         n_threads;       /* 0: all cores */
  NsProgressFunc progress;
  gpointer      progress_data;
} NsReadOptions;

void       ns_read_options_init (NsReadOptions *options);

/* Picks the reader from the content (NumPy magic, gzip magic) and the name; sets the dataset's
 * source (path and sha256 of the file's bytes). */
NsDataset *ns_dataset_load      (const char *path, const NsReadOptions *options,
                                 GCancellable *cancellable, GError **error);

/* TRUE when path is a regular file starting with the .npy magic (not compressed); pipes and
 * standard input are never read here. */
gboolean   ns_file_is_npy       (const char *path);

/* The readers themselves, on bytes already in memory (path is used in messages only). */
NsDataset *ns_csv_read          (const char *path, const char *data, gsize len,
                                 const NsReadOptions *options, GCancellable *cancellable,
                                 GError **error);
NsDataset *ns_npy_read          (const char *path, const guint8 *data, gsize len,
                                 const NsReadOptions *options, GCancellable *cancellable,
                                 GError **error);

/* Writers for transform outputs. The CSV writer keeps the header and label columns in order and
 * writes every double exactly; the NPY writer restores the tensor's original shape as float64. */
gboolean   ns_csv_write         (const NsDataset *data, const char *path, char delimiter,
                                 GError **error);
gboolean   ns_npy_write         (const NsDataset *data, const char *path, GError **error);
/* As ns_npy_write, as float32 ("<f4", each value rounded to nearest) when float32 is set. */
gboolean   ns_npy_write_as      (const NsDataset *data, const char *path, gboolean float32,
                                 GError **error);

/* Parse one number exactly (correctly rounded, locale-independent): decimal, exponent,
 * inf/-inf/infinity. Returns FALSE if text[0..len) is not entirely a number. */
gboolean   ns_parse_double      (const char *text, gsize len, double *value);

G_END_DECLS
