/* ns-fit-file.c: the one fit of a data file, whichever way it is read.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-fit-file.h"
#include "ns-error.h"

#include <glib/gstdio.h>

void
ns_fit_file_options_init (NsFitFileOptions *options, NsMethod method)
{
  *options = (NsFitFileOptions) { 0 };
  ns_scaler_options_init (&options->scaler, method);
  ns_stream_options_init (&options->stream);
}

gboolean
ns_fit_file_is_large (const char *path, NsMethod method)
{
  GStatBuf st;

  if (ns_method_needs_values (method) || g_strcmp0 (path, "-") == 0 || g_stat (path, &st) != 0 ||
      !S_ISREG (st.st_mode))
    return FALSE;
  return (guint64) st.st_size > NS_STREAM_THRESHOLD;
}

typedef enum {
  NS_FIT_IN_MEMORY,
  NS_FIT_IN_PLACE, /* falls back to memory for a file that cannot be read in place */
  NS_FIT_STREAMED,
} NsFitPath;

static NsFitPath
ns_fit_file_choose (const char *path, const NsFitFileOptions *options)
{
  gboolean moments_only = !ns_method_needs_values (options->scaler.method);

  if (options->force_stream || options->partial || options->stream.range_start >= 0 ||
      options->stream.approx_quantiles || ns_fit_file_is_large (path, options->scaler.method))
    return NS_FIT_STREAMED;
  if (moments_only && (ns_file_is_npy (path) || ns_file_is_gzip_text (path)))
    return NS_FIT_STREAMED;
  return moments_only ? NS_FIT_IN_PLACE : NS_FIT_IN_MEMORY;
}

static NsStats *
ns_fit_file_from_partial (NsPartial *state, const NsFitFileOptions *options, NsPartial **partial,
                          GError **error)
{
  g_autoptr (NsPartial) owned = state;

  if (options->columns != NULL && !ns_partial_select_columns (owned, options->columns, error))
    return NULL;
  if (options->partial)
    {
      *partial = g_steal_pointer (&owned);
      return NULL;
    }
  return ns_partial_to_stats (owned, error);
}

static NsStats *
ns_fit_file_in_memory (const char *path, const NsReadOptions *read_options,
                       const NsFitFileOptions *options, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsDataset) data = NULL;
  g_autofree double *weights = NULL;
  NsScalerOptions scaler = options->scaler;
  NsReadOptions read;

  if (read_options != NULL)
    read = *read_options;
  else
    ns_read_options_init (&read);
  /* A CSV reader refuses a bad weight where it stands (line and column). */
  read.weight_column = scaler.sample_weight;
  data = ns_dataset_load (path, &read, cancellable, error);
  if (data == NULL ||
      (scaler.sample_weight != NULL &&
       !ns_scaler_take_sample_weights (data, scaler.sample_weight, &weights, error)) ||
      (options->columns != NULL && !ns_dataset_select_columns (data, options->columns, error)))
    return NULL;
  scaler.sample_weights = weights;
  return ns_scaler_fit (data, &scaler, cancellable, error);
}

/* The weights weigh the fitted columns; on every reading path they are no feature themselves. */
static gboolean
ns_fit_file_check_columns (const char *path, const NsFitFileOptions *options, GError **error)
{
  const char *weights = options->scaler.sample_weight;

  if (weights == NULL || options->columns == NULL || !g_strv_contains (options->columns, weights))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: column '%s' holds the sample weights, which are not fitted: leave it out of "
               "the columns to fit",
               path, weights);
  return FALSE;
}

NsStats *
ns_fit_file (const char *path, const NsReadOptions *read_options, const NsFitFileOptions *options,
             GCancellable *cancellable, NsPartial **partial, GError **error)
{
  NsPartial *state = NULL;

  g_return_val_if_fail (!options->partial || partial != NULL, NULL);
  if (!ns_fit_file_check_columns (path, options, error))
    return NULL;
  switch (ns_fit_file_choose (path, options))
    {
    case NS_FIT_STREAMED:
      if (!ns_scaler_check_streamable (&options->scaler, options->stream.approx_quantiles, path,
                                       error) ||
          (state = ns_stream_read (path, read_options, &options->scaler, &options->stream,
                                   cancellable, error)) == NULL)
        return NULL;
      return ns_fit_file_from_partial (state, options, partial, error);
    case NS_FIT_IN_PLACE:
      switch (ns_stream_read_in_place (path, read_options, &options->scaler, &options->stream,
                                       cancellable, &state, error))
        {
        case NS_IN_PLACE_DONE:
          return ns_fit_file_from_partial (state, options, partial, error);
        case NS_IN_PLACE_NOT_APPLICABLE:
          break;
        case NS_IN_PLACE_FAILED:
        case NS_IN_PLACE_CANCELLED:
        default:
          return NULL;
        }
      G_GNUC_FALLTHROUGH;
    case NS_FIT_IN_MEMORY:
    default:
      return ns_fit_file_in_memory (path, read_options, options, cancellable, error);
    }
}
