/* ns-export-c-header.c: stats as a C header with float and double arrays and an inline normalize.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-c-header.h"
#include "ns-export-escape.h"

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
ns_c_append_number (GString *out, gboolean as_float, double value)
{
  if (as_float)
    ns_export_append_c_float (out, (float) value);
  else
    ns_export_append_c_double (out, value);
}

static void
ns_c_append_array (GString *out, const NsStats *stats, const char *type, const char *id,
                   const char *suffix, const char *macro, const double *values)
{
  guint n = ns_stats_get_n_columns (stats);

  g_string_append_printf (out, "static const %s %s%s[%s_N_FEATURES] = {\n", type, id, suffix,
                          macro);
  for (guint c = 0; c < n; c++)
    {
      g_string_append (out, "  ");
      ns_c_append_number (out, type[0] == 'f', values[c]);
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

/* The normalize functions compute what transform computes, in its order of operations. */
static void
ns_c_append_normalize (GString *out, const NsColumnTransform *t, const char *id, const char *macro)
{
  static const char *const suffixes[] = { "", "_f" };
  static const char *const types[] = { "double", "float" };

  for (guint k = 0; k < 2; k++)
    {
      const char *f = suffixes[k];
      g_autofree char *body =
        !t->affine ? g_strdup_printf ("(x[i] - %s_offset%s[i]) / %s_scale%s[i]", id, f, id, f)
        : t->subtract_first
          ? g_strdup_printf ("(x[i] - %s_offset%s[i]) * %s_alpha%s[i] + %s_beta%s[i]", id, f, id, f,
                             id, f)
          : g_strdup_printf ("x[i] * %s_alpha%s[i] + %s_shift%s[i]", id, f, id, f);

      g_string_append_printf (out,
                              "%sstatic inline void %s_normalize%s (%s *x) { for (int i = 0; "
                              "i < %s_N_FEATURES; i++) ",
                              k == 0 ? "\n" : "", id, f, types[k], macro);
      if (!t->clip)
        g_string_append_printf (out, "x[i] = %s; }\n", body);
      else
        {
          /* MinMaxScaler(clip=True); NaN stays NaN, as with np.clip. */
          g_string_append_printf (out, "{ x[i] = %s; if (x[i] < ", body);
          ns_c_append_number (out, k == 1, t->low);
          g_string_append (out, ") x[i] = ");
          ns_c_append_number (out, k == 1, t->low);
          g_string_append (out, "; else if (x[i] > ");
          ns_c_append_number (out, k == 1, t->high);
          g_string_append (out, ") x[i] = ");
          ns_c_append_number (out, k == 1, t->high);
          g_string_append (out, "; } }\n");
        }
    }
}

/* The arrays the normalize functions use, double and float. */
static void
ns_c_append_arrays (GString *out, const NsStats *stats, const NsColumnTransform *t, const char *id,
                    const char *macro)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autofree double *values = g_new (double, 4 * MAX (n, 1));
  const char *names[4];
  guint n_arrays = 0;

  if (!t[0].affine || t[0].subtract_first)
    names[n_arrays++] = "_offset";
  names[n_arrays++] = !t[0].affine ? "_scale" : "_alpha";
  if (t[0].affine)
    names[n_arrays++] = t[0].subtract_first ? "_beta" : "_shift";
  for (guint c = 0; c < n; c++)
    for (guint a = 0; a < n_arrays; a++)
      values[a * n + c] = g_str_equal (names[a], "_offset")  ? t[c].offset
                          : g_str_equal (names[a], "_scale") ? t[c].scale
                          : g_str_equal (names[a], "_alpha") ? t[c].alpha
                          : g_str_equal (names[a], "_beta")  ? t[c].beta
                                                             : t[c].shift;
  if (ns_c_any_non_finite (values, n_arrays * n))
    g_string_append (out, "#include <math.h>\n\n");
  g_string_append_printf (out, "#define %s_N_FEATURES %u\n\n", macro, n);
  for (guint k = 0; k < 2; k++)
    for (guint a = 0; a < n_arrays; a++)
      {
        g_autofree char *suffix = g_strconcat (names[a], k == 0 ? "" : "_f", NULL);

        ns_c_append_array (out, stats, k == 0 ? "double" : "float", id, suffix, macro,
                           values + a * n);
      }
}

GBytes *
ns_export_c_header_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autofree char *id =
    ns_export_c_identifier (options->identifier != NULL ? options->identifier : "normscope");
  g_autofree char *macro = g_ascii_strup (id, -1);
  g_autofree NsColumnTransform *t = NULL;
  GString *out;

  if (n == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "c-header: the stats have no features (C has no empty arrays)");
      return NULL;
    }
  if ((t = ns_stats_get_transforms (stats, error)) == NULL)
    return NULL;
  out = g_string_new (NULL);
  g_string_append_printf (out, "/* %s.h: normalization constants exported by normscope (method ",
                          id);
  ns_export_append_c_string (out, ns_stats_get_method (stats));
  g_string_append_printf (out, ", %u features).\n", n);
  g_string_append (
    out, !t[0].affine ? " * normalize: x[i] = (x[i] - offset[i]) / scale[i], the two operations of "
                        "normscope's transform. */\n"
         : t[0].minmax
           ? " * normalize: x[i] = x[i] * alpha[i] + shift[i], the two operations of normscope's "
             "transform\n * (MinMaxScaler's X * scale_ + min_). */\n"
           : " * normalize: batch norm in inference mode, gamma and beta included, in the "
             "order of normscope's transform\n * (alpha = gamma / sqrt(running_var + eps)). */\n");
  g_string_append_printf (out, "#ifndef %s_H\n#define %s_H\n\n", macro, macro);
  ns_c_append_arrays (out, stats, t, id, macro);
  ns_c_append_names (out, stats, id, macro);
  ns_c_append_normalize (out, &t[0], id, macro);
  g_string_append_printf (out, "\n#endif /* %s_H */\n", macro);
  return g_string_free_to_bytes (out);
}
