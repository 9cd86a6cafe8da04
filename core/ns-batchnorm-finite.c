/* ns-batchnorm-finite.c: a run's refusal of values that are not finite, found from the running
 * statistics they spoil, so a clean run pays nothing for it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include <math.h>

static gboolean
channel_finite (const NsBatchNorm *self, guint feature)
{
  return isfinite (ns_batchnorm_get_value (self, NS_SERIES_RUNNING_MEAN, feature)) &&
         isfinite (ns_batchnorm_get_value (self, NS_SERIES_RUNNING_VAR, feature));
}

static gssize
first_non_finite (const NsBatchNorm *self, guint feature)
{
  const double *x = ns_batchnorm_feature_values (self, feature);
  gsize n = self->n_samples * self->spatial;

  for (gsize i = 0; i < n; i++)
    if (!isfinite (x[i * self->column_stride]))
      return (gssize) i;
  return -1;
}

gboolean
ns_batchnorm_check_finite (const NsBatchNorm *self, const char *file, GError **error)
{
  if (file == NULL)
    file = "the data";
  for (guint c = 0; c < self->n_active; c++)
    {
      guint feature = self->active[c];
      const char *name =
        ns_dataset_get_column_name (self->data,
                                    ns_dataset_get_feature_column (self->data, feature));
      g_autofree char *where = NULL;
      gssize i;
      double value;

      if (channel_finite (self, feature))
        continue;
      if ((i = first_non_finite (self, feature)) < 0)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                       "%s: column '%s': the running statistics overflow the double range "
                       "(values near ±1.8e308): rescale the data first",
                       file, name);
          return FALSE;
        }
      value = ns_batchnorm_feature_values (self, feature)[(gsize) i * self->column_stride];
      /* A table's rows are counted as a reader counts them, a tensor's samples as numpy does. */
      where = ns_dataset_get_kind (self->data) == NS_DATASET_TABLE
                ? g_strdup_printf ("data row %" G_GSIZE_FORMAT ", column '%s'", (gsize) i + 1, name)
                : g_strdup_printf ("sample %" G_GSIZE_FORMAT " (from 0), channel '%s'",
                                   (gsize) i / self->spatial, name);
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: %s is %s; batch norm needs every value finite (PyTorch would carry it "
                   "into its batch's statistics and every later running average): drop or "
                   "impute it first",
                   file, where, ns_non_finite_describe (value));
      return FALSE;
    }
  return TRUE;
}

char *
ns_batchnorm_skipped_note (gsize n_skipped, const char *feature)
{
  return g_strdup_printf ("%" G_GSIZE_FORMAT " %s with a missing or infinite %s %s left out: batch "
                          "norm has no rule for missing values",
                          n_skipped, n_skipped == 1 ? "row" : "rows", feature,
                          n_skipped == 1 ? "is" : "are");
}
