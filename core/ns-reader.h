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
  char          decimal;         /* decimal mark of CSV numbers: 0: sniff, '.' or ',' */
  NsHeaderMode  header;
  char        **extra_missing;   /* more missing markers (NULL-terminated), or NULL */
  const char   *axis;            /* Keras-style kept axes for tensors ("-1", "1", "1,2", "none");
                                    NULL: -1. A CSV's features are its columns: only an axis
                                    naming them (-1, 1) is accepted there. */
  guint         n_threads;       /* 0: all cores */
  NsProgressFunc progress;
  gpointer      progress_data;
} NsReadOptions;

/* The most data from a pipe or a device, or decompressed from gzip, that is read into memory
 * (regular files are mapped instead); more is refused with a pointer to --stream. The in-memory
 * reader then holds up to 8 bytes per field besides. */
#define NS_READ_MEMORY_MAX (256u << 20)

void       ns_read_options_init (NsReadOptions *options);

/* Picks the reader from the content (NumPy magic, gzip magic) and the name; sets the dataset's
 * source (path and sha256 of the file's bytes). */
NsDataset *ns_dataset_load      (const char *path, const NsReadOptions *options,
                                 GCancellable *cancellable, GError **error);

/* TRUE when path is a regular file starting with the .npy magic (not compressed); pipes and
 * standard input are never read here. */
gboolean   ns_file_is_npy       (const char *path);
/* TRUE when path is a regular gzip file that does not decompress to a .npy (a .csv.gz): a fit
 * that needs only moments streams it rather than inflating it into memory. */
gboolean   ns_file_is_gzip_text (const char *path);

/* The readers themselves, on bytes already in memory (path is used in messages only). */
NsDataset *ns_csv_read          (const char *path, const char *data, gsize len,
                                 const NsReadOptions *options, GCancellable *cancellable,
                                 GError **error);
NsDataset *ns_npy_read          (const char *path, const guint8 *data, gsize len,
                                 const NsReadOptions *options, GCancellable *cancellable,
                                 GError **error);

/* text as one CSV field, quoted (RFC 4180) when a reader would otherwise split, trim or misread
 * it: the one CSV quoter (transform, the stats CSV export, the batch-norm trace). */
void       ns_csv_append_field  (GString *out, const char *text, char delimiter);
/* Writers for transform outputs. The CSV writer keeps the header and label columns in order and
 * writes every double exactly, formatting on n_threads threads (0: every core; the same bytes for
 * any number); the NPY writer restores the tensor's original shape as float64. */
gboolean   ns_csv_write         (const NsDataset *data, const char *path, char delimiter,
                                 guint n_threads, GError **error);
gboolean   ns_npy_write         (const NsDataset *data, const char *path, GError **error);
/* As ns_npy_write, as float32 ("<f4", each value rounded to nearest) when float32 is set. */
gboolean   ns_npy_write_as      (const NsDataset *data, const char *path, gboolean float32,
                                 GError **error);

/* Parse one number exactly (correctly rounded, locale-independent): decimal, exponent,
 * inf/-inf/infinity. Returns FALSE if text[0..len) is not entirely a number. */
gboolean   ns_parse_double      (const char *text, gsize len, double *value);

G_END_DECLS
