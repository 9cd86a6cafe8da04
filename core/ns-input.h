/* ns-input.h: what every reader takes (the read options) and shares (advice on file mappings).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"

G_BEGIN_DECLS

typedef enum {
  NS_HEADER_AUTO,
  NS_HEADER_YES,
  NS_HEADER_NO,
} NsHeaderMode;

typedef struct {
  char delimiter; /* 0: sniff; ' ' means runs of spaces */
  char decimal;   /* decimal mark of CSV numbers: 0: sniff, '.' or ',' */
  NsHeaderMode header;
  char **extra_missing;      /* more missing markers (NULL-terminated), or NULL */
  const char *axis;          /* Keras-style kept axes for tensors ("-1", "1", "1,2", "none");
                                NULL: -1. A CSV's features are its columns: only an axis
                                naming them (-1, 1) is accepted there. */
  guint n_threads;           /* 0: all cores */
  const char *weight_column; /* CSV in memory: a numeric column of sample weights, each
                                checked as it is read (ns_moments_weight_is_valid); NULL:
                                none. The streaming parser is told by its reader instead
                                (ns_csv_stream_parser_set_weight_column). */
  NsProgressFunc progress;
  gpointer progress_data;
} NsReadOptions;

void ns_read_options_init (NsReadOptions *options);

/* Drops the whole pages of [from, to) of a read-only file mapping from the resident set; touching
 * them again re-reads them from the page cache. */
void ns_release_mapped_pages (const void *from, const void *to);
/* The same, split between the threads for a large mapping about to be unmapped: the kernel takes
 * a mapping's page tables apart on one core at a time otherwise (measured: 640 MB, 20 ms). */
void ns_release_mapping_threaded (const void *from, const void *to);
/* Asks for transparent huge pages for the whole pages of [from, to), where the system grants
 * them on request: for large arrays written once, front to back. */
void ns_advise_huge_pages (void *from, void *to);
/* Maps the whole pages of [from, to) of a read-only file mapping in one call (Linux 5.14's
 * MADV_POPULATE_READ; elsewhere nothing), instead of a fault every few pages as they are read. */
void ns_populate_mapped_pages (const void *from, const void *to);

G_END_DECLS
