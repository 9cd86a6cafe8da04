/* ns-npy-rows.c: a 2-D native float64 .npy file read in place, its rows straight from the mapping.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-npy-rows.h"

#include <string.h>
#include "ns-file-hash.h"
#include "ns-input.h"
#include "ns-gunzip-stream.h"
#include "ns-npy-private.h"
#include "ns-reader.h"

struct _NsNpyRows {
  GBytes *bytes; /* the mapping */
  NsMappingGuard *guard;
  NsDataset *dataset;
  const double *values;
};

/* Without sample weights: ns_npy_rows_plan then takes the arrays whose axis option keeps the last
 * of two axes (the default, -1 or 1); anything else is loaded. */
static gboolean
ns_npy_rows_fit (const NsReadOptions *options)
{
  return options == NULL || options->weight_column == NULL;
}

static gboolean
ns_npy_rows_plan (NsNpyRows *self, const char *path, const NsReadOptions *options)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (self->bytes, &len);
  NsNpyPlan plan;

  /* ns_npy_plan refuses what is not a .npy header, without a message. */
  if (data == NULL || ns_data_is_gzip (data, len) ||
      !ns_npy_plan (path, data, len, options, &plan, NULL) || plan.header.rank != 2 ||
      plan.n_kept != 1 || plan.kept[0] != 1 ||
      !ns_npy_is_rows (&plan, data + plan.header.data_offset))
    return FALSE;
  self->dataset = ns_dataset_new_tensor_layout (plan.header.shape, plan.header.rank, plan.kept,
                                                plan.n_kept, NULL);
  self->values = (const double *) (data + plan.header.data_offset);
  return self->dataset != NULL;
}

NsNpyRows *
ns_npy_rows_open (const char *path, const NsReadOptions *options, GCancellable *cancellable)
{
  g_autoptr (NsNpyRows) self = g_new0 (NsNpyRows, 1);
  NsFileHash *hash;
  char *sha256;

  g_return_val_if_fail (path != NULL, NULL);
  if (!ns_npy_rows_fit (options) || strcmp (path, "-") == 0 ||
      (self->bytes = ns_read_file (path, &self->guard, NULL)) == NULL || self->guard == NULL ||
      !ns_npy_rows_plan (self, path, options))
    return NULL;
  /* The pages stay mapped for the reading: the hash must not give them back. */
  hash = ns_file_hash_start (path, self->bytes, FALSE, 0, -1,
                             options == NULL || options->n_threads != 1, cancellable);
  sha256 = ns_file_hash_finish (hash);
  ns_dataset_set_source (self->dataset, path, sha256);
  g_free (sha256);
  return g_steal_pointer (&self);
}

const NsDataset *
ns_npy_rows_get_dataset (const NsNpyRows *self)
{
  return self->dataset;
}

const double *
ns_npy_rows_get_values (const NsNpyRows *self)
{
  return self->values;
}

gboolean
ns_npy_rows_check (NsNpyRows *self, GError **error)
{
  return ns_mapping_guard_check (self->guard, error);
}

void
ns_npy_rows_free (NsNpyRows *self)
{
  if (self == NULL)
    return;
  ns_dataset_free (self->dataset);
  ns_mapping_guard_free (self->guard); /* before the mapping goes */
  if (self->bytes != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (self->bytes, &size);

      ns_release_mapping_threaded (data, data + size);
    }
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self);
}
