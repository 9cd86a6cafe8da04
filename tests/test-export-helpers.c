/* test-export-helpers.c: helpers the test-export suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-export-helpers.h"

void
set_rank2_params (NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);

  json_object_set_int_member (params, "rank", 2);
  json_object_set_int_member (params, "axis", 1);
}

/* Per-channel stats of (N, C, H, W) images, as fit --axis 1 writes them. */
void
set_nchw_params (NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *axis = json_array_new ();

  json_array_add_int_element (axis, 1);
  json_object_set_array_member (params, "axis", axis);
  json_object_set_int_member (params, "rank", 4);
}

NsStats *
make_standard (void)
{
  NsStats *stats = ns_stats_new ("standard", 3);
  JsonObject *params = ns_stats_get_params (stats);

  ns_stats_set_column (stats, 0, "alpha", 10, 0, 0.1, 0.02, 0.1, sqrt (0.02));
  ns_stats_set_column (stats, 1, "beta, \"quoted\" */", 10, 0, 1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0,
                       sqrt (2.0 / 3.0));
  ns_stats_set_column (stats, 2,
                       "\xc3\xbcn\xc3\xaf"
                       "c\xc3\xb8"
                       "de",
                       8, 2, -1.2345678901234567e15, 4.9406564584124654e-324,
                       -1.2345678901234567e15, 1.0);
  json_object_set_boolean_member (params, "with_mean", TRUE);
  json_object_set_boolean_member (params, "with_std", TRUE);
  set_rank2_params (stats);
  ns_stats_set_source (stats, "train.csv", 10, "0123abcd");
  return stats;
}

NsStats *
make_minmax (void)
{
  NsStats *stats = ns_stats_new ("minmax", 2);
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *range = json_array_new ();
  const double min[2] = { -1.5, 0.25 }, max[2] = { 2.75, 1e6 };

  for (guint c = 0; c < 2; c++)
    {
      ns_stats_set_column (stats, c, c == 0 ? "x" : "y", 6, 0, 0.5 * (min[c] + max[c]), 1.0, min[c],
                           max[c] - min[c]);
      ns_stats_set_field (stats, c, "min", min[c]);
      ns_stats_set_field (stats, c, "max", max[c]);
    }
  json_array_add_double_element (range, 0);
  json_array_add_double_element (range, 1);
  json_object_set_array_member (params, "feature_range", range);
  set_rank2_params (stats);
  return stats;
}

NsStats *
make_maxabs (void)
{
  NsStats *stats = ns_stats_new ("maxabs", 2);

  ns_stats_set_column (stats, 0, "x", 6, 0, 0.5, 1.0, 0, 3.25);
  ns_stats_set_column (stats, 1, "y", 6, 0, 0.5, 1.0, 0, 0.1);
  ns_stats_set_field (stats, 0, "max_abs", 3.25);
  ns_stats_set_field (stats, 1, "max_abs", 0.1);
  set_rank2_params (stats);
  return stats;
}

NsStats *
make_robust (void)
{
  NsStats *stats = ns_stats_new ("robust", 2);

  ns_stats_set_column (stats, 0, "x", 6, 0, 0.5, 1.0, 0.3, 1.7);
  ns_stats_set_column (stats, 1, "y", 6, 0, 0.5, 1.0, -4, 1.0 / 7.0);
  ns_stats_set_field (stats, 0, "median", 0.3);
  ns_stats_set_field (stats, 0, "iqr", 1.7);
  ns_stats_set_field (stats, 1, "median", -4);
  ns_stats_set_field (stats, 1, "iqr", 1.0 / 7.0);
  set_rank2_params (stats);
  return stats;
}

NsStats *
make_keras (void)
{
  NsStats *stats = ns_stats_new ("keras", 2);

  ns_stats_set_column (stats, 0, "x", 6, 0, 0.7, 0.09, 0.7, 0.3);
  ns_stats_set_column (stats, 1, "y", 6, 0, -2.5, 1e-20, -2.5, 1e-7);
  set_rank2_params (stats);
  return stats;
}

/* Batch-norm stats as the simulator writes them: offset/scale are inference mode's. */
NsStats *
make_batchnorm (double gamma, double beta, gboolean weight_of_old)
{
  NsStats *stats = ns_stats_new ("batchnorm", 3);
  JsonObject *params = ns_stats_get_params (stats);
  const double mean[3] = { 0.924, 9.382, -0.5 },
               var[3] = { 2.1896666666666667, 149.47766666666666, 0.001 };
  double eps = weight_of_old ? 1e-3 : 1e-5;

  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", c);

      ns_stats_set_column (stats, c, name, 9, 0, mean[c] + 1, var[c] + 1, mean[c],
                           sqrt (var[c] + eps));
      ns_stats_set_field (stats, c, "running_mean", mean[c]);
      ns_stats_set_field (stats, c, "running_var", var[c]);
    }
  json_object_set_string_member (params, "preset", weight_of_old ? "keras" : "pytorch");
  json_object_set_double_member (params, "momentum", weight_of_old ? 0.99 : 0.1);
  json_object_set_string_member (params, "momentum_convention",
                                 weight_of_old ? "weight-of-old" : "weight-of-new");
  json_object_set_double_member (params, "eps", eps);
  json_object_set_double_member (params, "gamma", gamma);
  json_object_set_double_member (params, "beta", beta);
  set_rank2_params (stats);
  json_object_set_int_member (ns_stats_get_extra (stats), "num_batches_tracked", 7);
  return stats;
}

/* Flax's order of operations: (x - mean) * alpha + beta. */
NsStats *
make_flax_batchnorm (void)
{
  NsStats *stats = make_batchnorm (1.5, -0.5, TRUE);

  json_object_set_string_member (ns_stats_get_params (stats), "preset", "flax");
  return stats;
}

/* Small helpers. */

char *
list_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

void
assert_same_double (double expected, double actual)
{
  if (memcmp (&expected, &actual, sizeof expected) != 0 && !(isnan (expected) && isnan (actual)))
    g_error ("doubles differ: expected %.17g, got %.17g", expected, actual);
}

double
load_le_double (const guint8 *p)
{
  guint64 le;
  union {
    guint64 u;
    double d;
  } v;

  memcpy (&le, p, 8);
  v.u = GUINT64_FROM_LE (le);
  return v.d;
}

float
load_le_float (const guint8 *p)
{
  guint32 le;
  union {
    guint32 u;
    float f;
  } v;

  memcpy (&le, p, 4);
  v.u = GUINT32_FROM_LE (le);
  return v.f;
}

gint64
load_le_int64 (const guint8 *p)
{
  guint64 le;

  memcpy (&le, p, 8);
  return (gint64) GUINT64_FROM_LE (le);
}

GBytes *
export_bytes (const NsStats *stats, NsExportFormat format, const NsExportOptions *options)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes = ns_export_to_bytes (stats, format, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}
