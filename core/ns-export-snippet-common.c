/* ns-export-snippet-common.c: the Python pieces every snippet exporter shares (header comment,
 * per-feature lists, scikit-learn's fitted-attribute lines).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-snippet-common.h"
#include "ns-export-escape.h"

#include <math.h>

/* Nothing from the stats file on the first two lines, where Python reads a PEP 263 "coding:"
 * comment (a source named "coding=utf-7" would make "+AAo-" a line break). */
void
ns_snippet_header (GString *out, const NsStats *stats, const char *what)
{
  const char *file = ns_stats_get_source_file (stats);

  g_string_append_printf (out, "# %s, exported by normscope: %u features.\n", what,
                          ns_stats_get_n_columns (stats));
  g_string_append (out,
                   "# Runs as is. Every number is the exact double (Python's float() reads it back "
                   "bit-identical).\n# Method ");
  ns_export_append_python_string (out, ns_stats_get_method (stats));
  g_string_append (out, ", source ");
  if (file != NULL)
    ns_export_append_python_string (out, file);
  else
    g_string_append (out, "not recorded");
  g_string_append (out, ".\n");
}

/* NAME = [ v0,  # 0 feature ... ] as a Python list with the feature names as comments. */
void
ns_snippet_list (GString *out, const NsStats *stats, const char *name, const double *values)
{
  g_string_append_printf (out, "%s = [\n", name);
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      g_string_append (out, "    ");
      ns_export_append_python_double (out, values[c]);
      g_string_append_printf (out, ",  # %u ", c);
      ns_export_append_python_string (out, ns_stats_get_name (stats, c));
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "]\n");
}

void
ns_snippet_names (GString *out, const NsStats *stats)
{
  g_string_append (out, "names = [\n");
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      g_string_append (out, "    ");
      ns_export_append_python_string (out, ns_stats_get_name (stats, c));
      g_string_append_printf (out, ",  # %u\n", c);
    }
  g_string_append (out, "]\n");
}

void
ns_snippet_sklearn_samples_seen (GString *out, const NsStats *stats, const char *object)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autofree double *count = ns_export_quantity (stats, NS_EXPORT_COUNT);
  /* With sample weights scikit-learn counts in float64, the weights' sums. */
  gboolean weighted =
    json_object_has_member ((JsonObject *) ns_stats_peek_params (stats), "sample_weight");
  gboolean same = TRUE, integral = !weighted;

  for (guint c = 0; c < n; c++)
    {
      same = same && count[c] == count[0];
      integral = integral && isfinite (count[c]) && count[c] == floor (count[c]);
    }
  /* sklearn keeps a scalar unless NaNs gave the features different counts. */
  if (n > 0 && same && integral)
    g_string_append_printf (out, "%s.n_samples_seen_ = numpy.int64(%.0f)\n", object, count[0]);
  else if (n > 0 && same)
    {
      g_string_append_printf (out, "%s.n_samples_seen_ = numpy.float64(", object);
      ns_export_append_python_double (out, count[0]);
      g_string_append (out, ")\n");
    }
  else
    {
      ns_snippet_list (out, stats, "n_samples_seen", count);
      g_string_append_printf (out, "%s.n_samples_seen_ = numpy.array(n_samples_seen, dtype=%s)\n",
                              object, integral ? "numpy.int64" : "numpy.float64");
    }
}

void
ns_snippet_sklearn_feature_names (GString *out, const NsStats *stats, const char *object)
{
  g_string_append_printf (out, "%s.n_features_in_ = %u\n", object, ns_stats_get_n_columns (stats));
  g_string_append_printf (out, "%s.feature_names_in_ = numpy.array(names, dtype=object)\n", object);
}
