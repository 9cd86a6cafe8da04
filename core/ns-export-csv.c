/* ns-export-csv.c: stats as CSV, one row per feature, every number exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-csv.h"

#include <math.h>
#include <string.h>
#include "ns-output.h"
#include "ns-reader.h"

static void
ns_csv_append_double (GString *out, double value)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  g_string_append_c (out, ',');
  g_string_append (out, ns_format_double (buf, value));
}

static gboolean
ns_csv_has_key (GPtrArray *keys, const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (strcmp (keys->pdata[i], key) == 0)
      return TRUE;
  return FALSE;
}

/* Field keys in order of first appearance over all columns (borrowed strings). */
static GPtrArray *
ns_csv_field_keys (const NsStats *stats)
{
  static const char *const fixed[] = { "name", "count",  "missing", "mean",   "variance",
                                       "std",  "offset", "scale",   "method", NULL };
  GPtrArray *keys = g_ptr_array_new ();

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    for (guint i = 0; i < ns_stats_get_n_fields (stats, c); i++)
      {
        const char *key = ns_stats_get_field_key (stats, c, i);

        if (!ns_csv_has_key (keys, key) && !g_strv_contains (fixed, key))
          g_ptr_array_add (keys, (gpointer) key);
      }
  return keys;
}

GBytes *
ns_export_csv_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  GString *out = g_string_new ("name,count,missing,mean,variance,std,offset,scale,method");
  g_autoptr (GPtrArray) keys = ns_csv_field_keys (stats);

  for (guint i = 0; i < keys->len; i++)
    {
      g_string_append_c (out, ',');
      ns_csv_append_field (out, keys->pdata[i], ',');
    }
  g_string_append_c (out, '\n');
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    {
      double variance = ns_stats_get_variance (stats, c);

      ns_csv_append_field (out, ns_stats_get_name (stats, c), ',');
      ns_csv_append_double (out, ns_stats_get_count (stats, c));
      ns_csv_append_double (out, ns_stats_get_missing (stats, c));
      ns_csv_append_double (out, ns_stats_get_mean (stats, c));
      ns_csv_append_double (out, variance);
      ns_csv_append_double (out, sqrt (variance));
      ns_csv_append_double (out, ns_stats_get_offset (stats, c));
      ns_csv_append_double (out, ns_stats_get_scale (stats, c));
      g_string_append_c (out, ',');
      ns_csv_append_field (out, ns_stats_get_method (stats), ',');
      for (guint i = 0; i < keys->len; i++)
        {
          double value;

          if (ns_stats_get_field (stats, c, keys->pdata[i], &value))
            ns_csv_append_double (out, value);
          else
            g_string_append_c (out, ',');
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}
