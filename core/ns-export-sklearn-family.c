/* ns-export-sklearn-family.c: fitted PowerTransformer, QuantileTransformer and Normalizer objects
 * as runnable Python, every attribute set so transform works without fit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-sklearn-family.h"
#include "ns-export-snippet-common.h"
#include "ns-export-escape.h"
#include "ns-normalizer.h"
#include "ns-quantile-transformer.h"

#include <string.h>

/* [v0, v1, ...] with a line break every few values. */
static void
ns_family_append_numbers (GString *out, const double *values, gsize n, const char *indent)
{
  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, i % 6 == 0 ? ",\n" : ", ");
      if (i > 0 && i % 6 == 0)
        g_string_append (out, indent);
      ns_export_append_python_double (out, values[i]);
    }
  g_string_append_c (out, ']');
}

static void
ns_family_power (GString *out, const NsStats *stats)
{
  g_autofree double *lambdas = ns_export_field (stats, "lambda");
  g_autofree double *variance = ns_export_field (stats, "scaler_variance");

  g_string_append (out, "import numpy\nfrom sklearn.preprocessing import PowerTransformer, "
                        "StandardScaler\n\n");
  ns_snippet_names (out, stats);
  ns_snippet_list (out, stats, "lambdas", lambdas);
  g_string_append (out, "\nscaler = PowerTransformer(method=");
  ns_export_append_python_string (out, ns_stats_get_method (stats));
  g_string_append_printf (out, ", standardize=%s)\nscaler.lambdas_ = numpy.array(lambdas)\n",
                          variance != NULL ? "True" : "False");
  if (variance != NULL)
    {
      g_autofree double *mean = ns_export_quantity (stats, NS_EXPORT_OFFSET);
      g_autofree double *scale = ns_export_quantity (stats, NS_EXPORT_SCALE);

      g_string_append (out,
                       "\n# The StandardScaler PowerTransformer fits on the transformed data.\n");
      ns_snippet_list (out, stats, "mean", mean);
      ns_snippet_list (out, stats, "variance", variance);
      ns_snippet_list (out, stats, "scale", scale);
      g_string_append (out, "scaler._scaler = StandardScaler(copy=False)\n"
                            "scaler._scaler.mean_ = numpy.array(mean)\n"
                            "scaler._scaler.var_ = numpy.array(variance)\n"
                            "scaler._scaler.scale_ = numpy.array(scale)\n");
      ns_snippet_sklearn_samples_seen (out, stats, "scaler._scaler");
      g_string_append_printf (out, "scaler._scaler.n_features_in_ = %u\n",
                              ns_stats_get_n_columns (stats));
    }
}

static void
ns_family_quantile (GString *out, const NsStats *stats)
{
  gsize k;
  const double *references = ns_stats_get_references (stats, &k);
  const char *distribution = ns_stats_get_param_string (stats, "output_distribution");

  if (distribution == NULL)
    distribution = ns_quantile_output_to_string (NS_QUANTILE_UNIFORM); /* scikit-learn's default */
  g_string_append (out, "import numpy\nfrom sklearn.preprocessing import QuantileTransformer\n\n");
  ns_snippet_names (out, stats);
  g_string_append (out, "references = ");
  ns_family_append_numbers (out, references, k, "    ");
  g_string_append (out,
                   "\n# One list per feature: its quantiles at the references.\nquantiles = [\n");
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      g_string_append_printf (out, "    # %u ", c);
      ns_export_append_python_string (out, ns_stats_get_name (stats, c));
      g_string_append (out, "\n    ");
      ns_family_append_numbers (out, ns_stats_get_array (stats, c, "quantiles", NULL), k, "     ");
      g_string_append (out, ",\n");
    }
  g_string_append_printf (out,
                          "]\n\nscaler = QuantileTransformer(n_quantiles=%.0f, "
                          "output_distribution=",
                          ns_stats_get_param_double (stats, "n_quantiles", (double) k));
  ns_export_append_python_string (out, distribution);
  g_string_append_printf (out, ", subsample=%.0f, random_state=%.0f)\n",
                          ns_stats_get_param_double (stats, "subsample", 10000),
                          ns_stats_get_param_double (stats, "random_state", 0));
  g_string_append_printf (out,
                          "scaler.n_quantiles_ = %" G_GSIZE_FORMAT "\n"
                          "scaler.references_ = numpy.array(references)\n"
                          "scaler.quantiles_ = numpy.ascontiguousarray(numpy.array(quantiles).T)\n",
                          k);
}

static void
ns_family_normalizer (GString *out, const NsStats *stats)
{
  const char *norm = ns_stats_get_param_string (stats, "norm");

  if (norm == NULL)
    norm = ns_norm_kind_to_string (NS_NORM_L2); /* scikit-learn's default */
  g_string_append (out, "import numpy\nfrom sklearn.preprocessing import Normalizer\n\n");
  ns_snippet_names (out, stats);
  g_string_append (
    out, "\n# Stateless: each row is divided by its own norm.\nscaler = Normalizer(norm=");
  ns_export_append_python_string (out, norm);
  g_string_append (out, ")\n");
}

GBytes *
ns_export_sklearn_family_bytes (const NsStats *stats, GError **error)
{
  const char *method = ns_stats_get_method (stats);
  GString *out = g_string_new (NULL);

  if (g_strcmp0 (method, "quantile") == 0)
    {
      ns_snippet_header (out, stats, "A fitted scikit-learn QuantileTransformer");
      ns_family_quantile (out, stats);
    }
  else if (g_strcmp0 (method, "normalizer") == 0)
    {
      ns_snippet_header (out, stats, "A scikit-learn Normalizer");
      ns_family_normalizer (out, stats);
    }
  else if (g_strcmp0 (method, "yeo-johnson") == 0 || g_strcmp0 (method, "box-cox") == 0)
    {
      ns_snippet_header (out, stats, "A fitted scikit-learn PowerTransformer");
      ns_family_power (out, stats);
    }
  else
    {
      g_string_free (out, TRUE);
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED, "sklearn: no snippet for method '%s'",
                   method);
      return NULL;
    }
  ns_snippet_sklearn_feature_names (out, stats, "scaler");
  return g_string_free_to_bytes (out);
}
