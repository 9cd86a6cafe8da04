/* ns-dataset.h: columnar storage of a loaded dataset (table or tensor) with feature axis semantics.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "ns-error.h"

G_BEGIN_DECLS

/*
 * Layout. A dataset has n_samples samples (rows of a CSV, the first axis of a tensor) and a list of
 * columns. A numeric column (a "feature") holds n_samples * spatial_size doubles, contiguous,
 * ordered by sample then by position within the sample: the values of samples [a, b) are the slice
 * [a * spatial_size, b * spatial_size). Missing values are NaN. A label column holds one string per
 * sample and is never normalized.
 *
 * For a CSV, spatial_size is 1 and every CSV column is one column here, in file order.
 * For a tensor of shape (N, d1, ..., dk), the kept axes (Keras `axis`) become the features (their
 * index product, C order) and all other non-sample axes are pooled into spatial_size, in C order.
 * The original shape and kept axes are remembered so a transform writes the tensor back in its
 * layout.
 */
typedef struct _NsDataset NsDataset;

typedef enum {
  NS_DATASET_TABLE,
  NS_DATASET_TENSOR,
} NsDatasetKind;

#define NS_MAX_RANK 32

NsDataset *ns_dataset_new_table (gsize n_samples);
NsDataset *ns_dataset_new_tensor (const gsize *shape, guint rank, const guint *kept_axes,
                                  guint n_kept, GError **error);
/* The tensor's shape, features and names without values (ns_dataset_get_values gives NULL): for
 * a reader that keeps the values elsewhere, as ns-npy-rows does. */
NsDataset *ns_dataset_new_tensor_layout (const gsize *shape, guint rank, const guint *kept_axes,
                                         guint n_kept, GError **error);
/* Why picking columns by name is refused for a tensor (loaded data and partial statistics). */
#define NS_TENSOR_COLUMNS_REFUSED \
  "--columns picks columns of a table; the features of a .npy array are its kept axes (--axis)"

/* Why a name given to pick columns is refused (loaded data and partial statistics), after "FILE: ".
 */
#define NS_COLUMN_UNKNOWN "no column named '%s'"
#define NS_COLUMN_IS_LABEL "column '%s' holds labels, not numbers: only numeric columns are fitted"

/* A tensor's feature names: "channel_K", or "all" when every axis is reduced. */
char *ns_dataset_tensor_column_name (gsize n_features, guint n_kept, gsize feature);
void ns_dataset_free (NsDataset *self);

/* Building (readers). Takes ownership of values (g_malloc'd, n_samples * spatial_size) or labels
 * (a NULL-terminated g_strv of n_samples strings). */
void ns_dataset_add_numeric_column (NsDataset *self, const char *name, double *values);
void ns_dataset_add_label_column (NsDataset *self, const char *name, char **labels);
/* Tensor datasets are created with all feature columns allocated (zeroed); readers fill them here.
 */
double *ns_dataset_get_column_data (NsDataset *self, guint column);
void ns_dataset_set_source (NsDataset *self, const char *path, const char *sha256);
/* Recount missing (NaN) and infinite values of every numeric column; readers call it once at the
 * end. */
void ns_dataset_count_missing (NsDataset *self);

NsDatasetKind ns_dataset_get_kind (const NsDataset *self);
gsize ns_dataset_get_n_samples (const NsDataset *self);
gsize ns_dataset_get_spatial_size (const NsDataset *self);
guint ns_dataset_get_n_columns (const NsDataset *self);
const char *ns_dataset_get_column_name (const NsDataset *self, guint column);
gboolean ns_dataset_column_is_label (const NsDataset *self, guint column);
/* Numeric columns: n_samples * spatial_size values. */
const double *ns_dataset_get_values (const NsDataset *self, guint column);
gsize ns_dataset_get_missing (const NsDataset *self, guint column);
gsize ns_dataset_get_infinite (const NsDataset *self, guint column);
/* Label columns: one string per sample. */
const char *ns_dataset_get_label (const NsDataset *self, guint column, gsize sample);
/* Index of a column by name, or -1. */
int ns_dataset_find_column (const NsDataset *self, const char *name);
/* The names of self's features that other lacks or holds as labels (a test file applied with
 * self's statistics), NULL-terminated; empty when other has them all. */
char **ns_dataset_missing_features (const NsDataset *self, const NsDataset *other);

/* Feature view: numeric columns only, in order. */
guint ns_dataset_get_n_features (const NsDataset *self);
guint ns_dataset_get_feature_column (const NsDataset *self, guint feature);
/* The first feature from `from` on whose values (NaN skipped) are not all equal, the one a plot
 * has something to show for; -1 when every feature from there on is constant. */
int ns_dataset_find_varying_feature (const NsDataset *self, guint from);

/* Tensor layout (tables report rank 2, shape (n_samples, n_columns) and kept axis 1). */
guint ns_dataset_get_rank (const NsDataset *self);
const gsize *ns_dataset_get_shape (const NsDataset *self);
guint ns_dataset_get_n_kept_axes (const NsDataset *self);
const guint *ns_dataset_get_kept_axes (const NsDataset *self);

const char *ns_dataset_get_source_path (const NsDataset *self);
const char *ns_dataset_get_source_sha256 (const NsDataset *self);

/* Keep only the named columns (label columns are always kept). Error names the unknown column. */
gboolean ns_dataset_select_columns (NsDataset *self, const char *const *names, GError **error);

/* A deep copy (e.g. to transform without touching the original). */
NsDataset *ns_dataset_copy (const NsDataset *self);
/* A deep copy of the samples whose values of feature (-1: of every feature) are all finite (every
 * column kept, labels too), for what has no rule for missing values (batch norm); n_dropped: how
 * many were left out. */
NsDataset *ns_dataset_copy_finite_samples (const NsDataset *self, int feature, gsize *n_dropped);
/* The samples that copy would leave out, counted from the values (not the readers' counts, which
 * datasets built in code lack). */
gsize ns_dataset_count_non_finite_samples (const NsDataset *self, int feature);
/* How a message names a value that is not finite: "NaN (a missing value)", "+infinity" or
 * "-infinity". */
const char *ns_non_finite_describe (double value);

/* Parse a Keras-style axis spec: "-1", "1", "1,2", "none" (all non-sample axes pooled into one
 * feature). Negative axes count from the end. Result is sorted; sample axis 0 is refused. */
gboolean ns_axis_spec_parse (const char *spec, guint rank, guint *kept_axes, guint *n_kept,
                             GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsDataset, ns_dataset_free)

G_END_DECLS
