/* ns-scaler-options.c: the scaler methods, their names and options, and which fits can take them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-scaler-options.h"
#include "ns-error.h"
#include "ns-name-table.h"

static const char *const ns_method_names[] = { "standard",   "keras",       "minmax",  "maxabs",
                                               "robust",     "yeo-johnson", "box-cox", "quantile",
                                               "normalizer", NULL };

void
ns_scaler_options_init (NsScalerOptions *options, NsMethod method)
{
  *options = (NsScalerOptions) {
    .method = method,
    .with_mean = TRUE,
    .with_std = TRUE,
    .feature_range = { 0.0, 1.0 },
    .quantile_range = { 25.0, 75.0 },
    .with_centering = TRUE,
    .with_scaling = TRUE,
    .standardize = TRUE,
    .n_quantiles = 1000,
    .output_distribution = NS_QUANTILE_UNIFORM,
    .subsample = 10000,
    .random_state = 0,
    .norm = NS_NORM_L2,
    .n_threads = 0,
  };
}

gboolean
ns_method_from_string (const char *name, NsMethod *method, GError **error)
{
  guint index;

  if (!ns_name_table_lookup ("method", ns_method_names, name, &index, error))
    return FALSE;
  *method = (NsMethod) index;
  return TRUE;
}

const char *
ns_method_to_string (NsMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (ns_method_names) - 1, NULL);
  return ns_method_names[method];
}

gboolean
ns_method_needs_values (NsMethod method)
{
  return method == NS_METHOD_ROBUST || !ns_method_is_affine (method);
}

gboolean
ns_method_is_affine (NsMethod method)
{
  return method <= NS_METHOD_ROBUST;
}

gboolean
ns_scaler_check_streamable (const NsScalerOptions *options, gboolean approx_quantiles,
                            const char *path, GError **error)
{
  if (options->method == NS_METHOD_ROBUST && !approx_quantiles)
    g_set_error (
      error, NS_ERROR, NS_ERROR_UNSUPPORTED,
      "%s: method robust needs exact quantiles, which streaming and partial fits cannot "
      "keep in bounded memory: add --approx-quantiles (a KLL sketch, rank error <= 0.5 %%) "
      "or fit in memory",
      path);
  else if (ns_method_needs_values (options->method) && options->method != NS_METHOD_ROBUST)
    g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                 "%s: method %s needs every value of a feature in memory, which streaming and "
                 "partial fits do not keep: fit without --stream, --partial or --byte-range",
                 path, ns_method_to_string (options->method));
  else
    return TRUE;
  return FALSE;
}
