/* ns-summary.h: the per-column summary behind `normscope-cli stats` and the GUI's column list.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ns-dataset.h"
#include "ns-partial.h"

G_BEGIN_DECLS

typedef struct {
  const char *name; /* borrowed from the dataset */
  gboolean is_label;
  guint n_distinct; /* label columns: distinct values, or NS_SUMMARY_DISTINCT_UNKNOWN;
                     * numeric ones: theirs when looks_like_class, else 0 */
  double count;     /* numeric: values used (not NaN) */
  double missing;
  double infinite;
  double mean, variance_population, variance_sample;
  double std; /* sqrt (variance_population), as numpy.std's default ddof=0 */
  double min, max, median, q1, q3;
  double skewness, kurtosis; /* g1 and excess g2, as scipy.stats with bias=True */
  gboolean looks_like_class; /* numeric: a class or target, by ns_column_looks_like_class;
                              * FALSE when streamed (the values are not kept) */
} NsColumnSummary;

/* Streamed label columns: the values are not kept, so their distinct count is not known. */
#define NS_SUMMARY_DISTINCT_UNKNOWN G_MAXUINT

/* One NsColumnSummary per column of data, in column order. */
GArray *ns_summary_compute (const NsDataset *data, GCancellable *cancellable, GError **error);
/* The same on at most n_threads threads (0: all cores); the results do not depend on it. */
GArray *ns_summary_compute_threads (const NsDataset *data, guint n_threads,
                                    GCancellable *cancellable, GError **error);

/* The same summaries from streamed partial statistics (ns_stream_read): the numeric columns, in
 * order, from the exact moments, their quartiles and median from the sketch when the partial has
 * one (else NaN); then the label columns, with count = rows and n_distinct unknown. The names are
 * borrowed from partial. */
GArray *ns_summary_from_partial (const NsPartial *partial);

G_END_DECLS
