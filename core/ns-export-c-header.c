/* ns-export-c-header.c: stats as a C header with float and double arrays and an inline normalize.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-private.h"

#include <math.h>

static gboolean
ns_c_any_non_finite (const double *values, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (values[i]) || !isfinite ((float) values[i]))
      return TRUE;
  return FALSE;
}

static void
ns_c_append_array (GString *out, const NsStats *stats, const char *type, const char *id,
                   const char *suffix, const char *macro, const double *values)
{
  guint n = ns_stats_get_n_columns (stats);

  g_string_append_printf (out, "static const %s %s%s[%s_N_FEATURES] = {\n", type, id, suffix, macro);
  for (guint c = 0; c < n; c++)
    {
      g_string_append (out, "  ");
      if (type[0] == 'f')
        ns_export_append_c_float (out, (float) values[c]);
      else
        ns_export_append_c_double (out, values[c]);
      g_string_append_printf (out, ",  /* %u ", c);
      ns_export_append_c_string (out, ns_stats_get_name (stats, c));
      g_string_append (out, " */\n");
    }
  g_string_append (out, "};\n");
}

static void
ns_c_append_names (GString *out, const NsStats *stats, const char *id, const char *macro)
{
  g_string_append_printf (out, "static const char *const %s_names[%s_N_FEATURES] = {\n", id, macro);
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      g_string_append (out, "  ");
      ns_export_append_c_string (out, ns_stats_get_name (stats, c));
      g_string_append (out, ",\n");
    }
  g_string_append (out, "};\n");
}

GBytes *
ns_export_c_header_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autofree char *id = ns_export_c_identifier (options->identifier != NULL ? options->identifier
                                                                           : "normscope");
  g_autofree char *macro = g_ascii_strup (id, -1);
  g_autofree double *offset = ns_export_quantity (stats, NS_EXPORT_OFFSET);
  g_autofree double *scale = ns_export_quantity (stats, NS_EXPORT_SCALE);
  GString *out;

  if (n == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "c-header: the stats have no features (C has no empty arrays)");
      return NULL;
    }
  out = g_string_new (NULL);
  g_string_append_printf (out, "/* %s.h: normalization constants exported by normscope (method ",
                          id);
  ns_export_append_c_string (out, ns_stats_get_method (stats));
  g_string_append_printf (out, ", %u features).\n", n);
  g_string_append (out, " * normalize: x[i] = (x[i] - offset[i]) / scale[i], the two operations of "
                   "normscope's transform. */\n");
  g_string_append_printf (out, "#ifndef %s_H\n#define %s_H\n\n", macro, macro);
  if (ns_c_any_non_finite (offset, n) || ns_c_any_non_finite (scale, n))
    g_string_append (out, "#include <math.h>\n\n");
  g_string_append_printf (out, "#define %s_N_FEATURES %u\n\n", macro, n);
  ns_c_append_array (out, stats, "double", id, "_offset", macro, offset);
  ns_c_append_array (out, stats, "double", id, "_scale", macro, scale);
  ns_c_append_array (out, stats, "float", id, "_offset_f", macro, offset);
  ns_c_append_array (out, stats, "float", id, "_scale_f", macro, scale);
  ns_c_append_names (out, stats, id, macro);
  g_string_append_printf (out, "\nstatic inline void %s_normalize (double *x) { for (int i = 0; i < "
                          "%s_N_FEATURES; i++) x[i] = (x[i] - %s_offset[i]) / %s_scale[i]; }\n",
                          id, macro, id, id);
  g_string_append_printf (out, "static inline void %s_normalize_f (float *x) { for (int i = 0; i < "
                          "%s_N_FEATURES; i++) x[i] = (x[i] - %s_offset_f[i]) / %s_scale_f[i]; }\n",
                          id, macro, id, id);
  g_string_append_printf (out, "\n#endif /* %s_H */\n", macro);
  return g_string_free_to_bytes (out);
}
