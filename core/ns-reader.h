/* ns-reader.h: loading a dataset from a file (CSV, CSV.gz, NumPy .npy), whatever its kind.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-input.h"
#include "ns-mapping-guard.h"
#include "ns-csv-reader.h"
#include "ns-npy-reader.h"
#include "ns-csv-writer.h"
#include "ns-npy-writer.h"
#include "ns-parse-double.h"

G_BEGIN_DECLS

/* The most data from a pipe or a device, or decompressed from gzip, that is read into memory
 * (regular files are mapped instead); more is refused with a pointer to --stream. The in-memory
 * reader then holds up to 8 bytes per field besides. */
#define NS_READ_MEMORY_MAX (256u << 20)

/* Picks the reader from the content (NumPy magic, gzip magic) and the name; sets the dataset's
 * source (path and sha256 of the file's bytes). */
NsDataset *ns_dataset_load (const char *path, const NsReadOptions *options,
                            GCancellable *cancellable, GError **error);

/* TRUE when path is a regular file starting with the .npy magic (not compressed); pipes and
 * standard input are never read here. */
/* The file's bytes: mapped with its guard when it is a regular file (*guard NULL otherwise), read
 * to the end from a pipe or device (path "-": standard input). */
GBytes *ns_read_file (const char *path, NsMappingGuard **guard, GError **error);
gboolean ns_file_is_npy (const char *path);
/* TRUE when path is a regular gzip file that does not decompress to a .npy (a .csv.gz): a fit
 * that needs only moments streams it rather than inflating it into memory. */
gboolean ns_file_is_gzip_text (const char *path);

G_END_DECLS
