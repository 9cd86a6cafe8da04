/* test-export.c: every export format written for fixture stats and read back bit-identical (npz via
 * libzip and the npy parser, safetensors header and bytes, CSV), the C header compiled and run, npz
 * import, write failures, and the optional Python checks (numpy, torch, scikit-learn).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <zip.h>

#include "ns-dataset.h"
#include "ns-export.h"
#include "ns-npz-import.h"
#include "ns-npy-format.h"
#include "ns-output.h"
#include "ns-scaler.h"
#include "ns-stats.h"
#include "test-utils.h"

#define N_ROWS 6

/* Fixtures: inputs chosen to exercise exact printing (0.1, 1/3, a subnormal, huge magnitudes) and
 * awkward names (comma, quote, non-ASCII, comment terminator). */

static void
set_rank2_params (NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);

  json_object_set_int_member (params, "rank", 2);
  json_object_set_int_member (params, "axis", 1);
}

/* Per-channel stats of (N, C, H, W) images, as fit --axis 1 writes them. */
static void
set_nchw_params (NsStats *stats)
{
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *axis = json_array_new ();

  json_array_add_int_element (axis, 1);
  json_object_set_array_member (params, "axis", axis);
  json_object_set_int_member (params, "rank", 4);
}

static NsStats *
make_standard (void)
{
  NsStats *stats = ns_stats_new ("standard", 3);
  JsonObject *params = ns_stats_get_params (stats);

  ns_stats_set_column (stats, 0, "alpha", 10, 0, 0.1, 0.02, 0.1, sqrt (0.02));
  ns_stats_set_column (stats, 1, "beta, \"quoted\" */", 10, 0, 1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0,
                       sqrt (2.0 / 3.0));
  ns_stats_set_column (stats, 2, "\xc3\xbcn\xc3\xaf" "c\xc3\xb8" "de", 8, 2, -1.2345678901234567e15,
                       4.9406564584124654e-324, -1.2345678901234567e15, 1.0);
  json_object_set_boolean_member (params, "with_mean", TRUE);
  json_object_set_boolean_member (params, "with_std", TRUE);
  set_rank2_params (stats);
  ns_stats_set_source (stats, "train.csv", 10, "0123abcd");
  return stats;
}

static NsStats *
make_minmax (void)
{
  NsStats *stats = ns_stats_new ("minmax", 2);
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *range = json_array_new ();
  const double min[2] = { -1.5, 0.25 }, max[2] = { 2.75, 1e6 };

  for (guint c = 0; c < 2; c++)
    {
      ns_stats_set_column (stats, c, c == 0 ? "x" : "y", 6, 0, 0.5 * (min[c] + max[c]), 1.0,
                           min[c], max[c] - min[c]);
      ns_stats_set_field (stats, c, "min", min[c]);
      ns_stats_set_field (stats, c, "max", max[c]);
    }
  json_array_add_double_element (range, 0);
  json_array_add_double_element (range, 1);
  json_object_set_array_member (params, "feature_range", range);
  set_rank2_params (stats);
  return stats;
}

static NsStats *
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

static NsStats *
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

static NsStats *
make_keras (void)
{
  NsStats *stats = ns_stats_new ("keras", 2);

  ns_stats_set_column (stats, 0, "x", 6, 0, 0.7, 0.09, 0.7, 0.3);
  ns_stats_set_column (stats, 1, "y", 6, 0, -2.5, 1e-20, -2.5, 1e-7);
  set_rank2_params (stats);
  return stats;
}

/* Batch-norm stats as the simulator writes them: offset/scale are inference mode's. */
static NsStats *
make_batchnorm (double gamma, double beta, gboolean weight_of_old)
{
  NsStats *stats = ns_stats_new ("batchnorm", 3);
  JsonObject *params = ns_stats_get_params (stats);
  const double mean[3] = { 0.924, 9.382, -0.5 }, var[3] = { 2.1896666666666667, 149.47766666666666,
                                                             0.001 };
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
static NsStats *
make_flax_batchnorm (void)
{
  NsStats *stats = make_batchnorm (1.5, -0.5, TRUE);

  json_object_set_string_member (ns_stats_get_params (stats), "preset", "flax");
  return stats;
}

/* Small helpers. */

static char *
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

static void
assert_same_double (double expected, double actual)
{
  if (memcmp (&expected, &actual, sizeof expected) != 0 && !(isnan (expected) && isnan (actual)))
    g_error ("doubles differ: expected %.17g, got %.17g", expected, actual);
}

static double
load_le_double (const guint8 *p)
{
  guint64 le;
  union { guint64 u; double d; } v;

  memcpy (&le, p, 8);
  v.u = GUINT64_FROM_LE (le);
  return v.d;
}

static float
load_le_float (const guint8 *p)
{
  guint32 le;
  union { guint32 u; float f; } v;

  memcpy (&le, p, 4);
  v.u = GUINT32_FROM_LE (le);
  return v.f;
}

static gint64
load_le_int64 (const guint8 *p)
{
  guint64 le;

  memcpy (&le, p, 8);
  return (gint64) GUINT64_FROM_LE (le);
}

static GBytes *
export_bytes (const NsStats *stats, NsExportFormat format, const NsExportOptions *options)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes = ns_export_to_bytes (stats, format, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

/* Format names. */

static void
test_format_names (void)
{
  static const char *const names[] = { "npz", "safetensors", "keras", "torch", "sklearn",
                                       "c-header", "csv", "onnx", "torchvision" };
  g_autoptr (GError) error = NULL;
  NsExportFormat format;
  NsExportDtype dtype;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (ns_export_format_from_string (names[i], &format, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (ns_export_format_to_string (format), ==, names[i]);
    }
  g_assert_cmpstr (ns_export_format_extension (NS_EXPORT_C_HEADER), ==, ".h");
  g_assert_cmpstr (ns_export_format_extension (NS_EXPORT_SKLEARN), ==, ".py");
  g_assert_false (ns_export_format_from_string ("hdf5", &format, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "unknown export format 'hdf5' (expected npz, safetensors, "
                   "keras, torch, sklearn, c-header, csv, onnx or torchvision)");
  g_clear_error (&error);
  g_assert_true (ns_export_dtype_from_string ("f64", &dtype, &error));
  g_assert_cmpint (dtype, ==, NS_EXPORT_DTYPE_F64);
  g_assert_false (ns_export_dtype_from_string ("f16", &dtype, &error));
  g_assert_cmpstr (error->message, ==, "unknown dtype 'f16' (expected f32 or f64)");
}

/* npz: members through libzip (CRC checked on read), each parsed with the npy header parser. */

static GHashTable *
read_npz (GBytes *bytes)
{
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_bytes_unref);
  zip_error_t zip_error;
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  zip_source_t *source;
  zip_t *archive;

  zip_error_init (&zip_error);
  source = zip_source_buffer_create (data, len, 0, &zip_error);
  g_assert_nonnull (source);
  archive = zip_open_from_source (source, ZIP_RDONLY | ZIP_CHECKCONS, &zip_error);
  g_assert_nonnull (archive);
  for (zip_int64_t i = 0; i < zip_get_num_entries (archive, 0); i++)
    {
      zip_stat_t st;
      zip_file_t *file;
      guint8 *member;

      g_assert_cmpint (zip_stat_index (archive, (zip_uint64_t) i, 0, &st), ==, 0);
      g_assert_cmpint (st.comp_method, ==, ZIP_CM_STORE);
      g_assert_true (g_str_has_suffix (st.name, ".npy"));
      member = g_malloc (st.size + 1);
      file = zip_fopen_index (archive, (zip_uint64_t) i, 0);
      g_assert_nonnull (file);
      g_assert_cmpint (zip_fread (file, member, st.size), ==, (zip_int64_t) st.size);
      g_assert_cmpint (zip_fclose (file), ==, 0);
      g_hash_table_insert (members, g_strndup (st.name, strlen (st.name) - 4),
                           g_bytes_new_take (member, st.size));
    }
  zip_close (archive);
  zip_error_fini (&zip_error);
  return members;
}

static const guint8 *
npz_member (GHashTable *members, const char *key, const char *descr, guint rank, gsize n,
            NsNpyHeader *header)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes = g_hash_table_lookup (members, key);
  gsize len;
  const guint8 *data;

  if (bytes == NULL)
    g_error ("npz has no member %s.npy", key);
  data = g_bytes_get_data (bytes, &len);
  g_assert_true (ns_npy_parse_header (key, data, len, header, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (header->descr, ==, descr);
  g_assert_cmpuint (header->rank, ==, rank);
  g_assert_false (header->fortran_order);
  g_assert_cmpuint (header->n_elements, ==, n);
  g_assert_cmpuint (header->data_offset % 64, ==, 0);
  g_assert_cmpuint (header->data_offset + header->data_len, ==, len);
  return data + header->data_offset;
}

static void
check_npz_doubles (GHashTable *members, const char *key, const double *expected, guint n)
{
  NsNpyHeader header;
  const guint8 *data = npz_member (members, key, "<f8", 1, n, &header);

  for (guint i = 0; i < n; i++)
    assert_same_double (expected[i], load_le_double (data + 8 * i));
}

static void
check_npz_stats (const NsStats *stats, GHashTable *members)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autofree double *values = g_new (double, n);
  NsNpyHeader header;
  const guint8 *data;
  double (*getters[]) (const NsStats *, guint) = { ns_stats_get_mean, ns_stats_get_variance,
                                                   ns_stats_get_scale, ns_stats_get_offset };
  const char *keys[] = { "mean", "variance", "scale", "offset" };
  glong width = 1;

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      for (guint c = 0; c < n; c++)
        values[c] = getters[k] (stats, c);
      check_npz_doubles (members, keys[k], values, n);
    }
  data = npz_member (members, "count", "<i8", 1, n, &header);
  for (guint c = 0; c < n; c++)
    g_assert_cmpint (load_le_int64 (data + 8 * c), ==, (gint64) ns_stats_get_count (stats, c));
  data = npz_member (members, "missing", "<i8", 1, n, &header);
  for (guint c = 0; c < n; c++)
    g_assert_cmpint (load_le_int64 (data + 8 * c), ==, (gint64) ns_stats_get_missing (stats, c));

  for (guint c = 0; c < n; c++)
    width = MAX (width, g_utf8_strlen (ns_stats_get_name (stats, c), -1));
  {
    g_autofree char *descr = g_strdup_printf ("<U%ld", width);

    data = npz_member (members, "names", descr, 1, n, &header);
  }
  for (guint c = 0; c < n; c++)
    {
      g_autofree gunichar *text = g_new0 (gunichar, width + 1);
      g_autofree char *name = NULL;

      for (glong i = 0; i < width; i++)
        text[i] = (gunichar) GUINT32_FROM_LE (*(const guint32 *) (data + 4 * (c * width + i)));
      name = g_ucs4_to_utf8 (text, -1, NULL, NULL, NULL);
      g_assert_cmpstr (name, ==, ns_stats_get_name (stats, c));
    }
}

static void
test_npz_standard (void)
{
  g_autoptr (NsStats) stats = make_standard ();
  g_autoptr (GBytes) bytes = export_bytes (stats, NS_EXPORT_NPZ, NULL);
  g_autoptr (GHashTable) members = read_npz (bytes);
  g_autoptr (GBytes) again = export_bytes (stats, NS_EXPORT_NPZ, NULL);

  check_npz_stats (stats, members);
  g_assert_cmpuint (g_hash_table_size (members), ==, 7);
  /* Reproducible bytes (fixed member times). */
  g_assert_true (g_bytes_equal (bytes, again));
}

static void
test_npz_fields_and_batchnorm (void)
{
  g_autoptr (NsStats) minmax = make_minmax ();
  g_autoptr (GBytes) minmax_bytes = export_bytes (minmax, NS_EXPORT_NPZ, NULL);
  g_autoptr (GHashTable) minmax_members = read_npz (minmax_bytes);
  g_autoptr (NsStats) bn = make_batchnorm (1, 0, FALSE);
  g_autoptr (GBytes) bn_bytes = export_bytes (bn, NS_EXPORT_NPZ, NULL);
  g_autoptr (GHashTable) bn_members = read_npz (bn_bytes);
  const double min[2] = { -1.5, 0.25 }, max[2] = { 2.75, 1e6 };
  double running_mean[3], running_var[3];
  NsNpyHeader header;
  const guint8 *data;

  check_npz_stats (minmax, minmax_members);
  check_npz_doubles (minmax_members, "min", min, 2);
  check_npz_doubles (minmax_members, "max", max, 2);

  check_npz_stats (bn, bn_members);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_true (ns_stats_get_field (bn, c, "running_mean", &running_mean[c]));
      g_assert_true (ns_stats_get_field (bn, c, "running_var", &running_var[c]));
    }
  check_npz_doubles (bn_members, "running_mean", running_mean, 3);
  check_npz_doubles (bn_members, "running_var", running_var, 3);
  data = npz_member (bn_members, "num_batches_tracked", "<i8", 0, 1, &header);
  g_assert_cmpint (load_le_int64 (data), ==, 7);
}

static void
test_npz_f32 (void)
{
  g_autoptr (NsStats) stats = make_standard ();
  NsExportOptions options;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GHashTable) members = NULL;
  NsNpyHeader header;
  const guint8 *data;

  ns_export_options_init (&options);
  options.dtype = NS_EXPORT_DTYPE_F32;
  bytes = export_bytes (stats, NS_EXPORT_NPZ, &options);
  members = read_npz (bytes);
  data = npz_member (members, "mean", "<f4", 1, 3, &header);
  for (guint c = 0; c < 3; c++)
    g_assert_true (load_le_float (data + 4 * c) == (float) ns_stats_get_mean (stats, c));
}

/* npz import: what we export comes back bit-identical; numpy-style inputs are accepted. */

static void
test_npz_import_round_trip (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "stats.npz", NULL);
  g_autoptr (NsStats) stats = make_standard ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) back = NULL;
  g_autoptr (NsStats) loaded = NULL;

  g_assert_true (ns_export_write (stats, NS_EXPORT_NPZ, NULL, path, &error));
  g_assert_no_error (error);
  back = ns_npz_import (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_stats_get_n_columns (back), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpstr (ns_stats_get_name (back, c), ==, ns_stats_get_name (stats, c));
      assert_same_double (ns_stats_get_mean (stats, c), ns_stats_get_mean (back, c));
      assert_same_double (ns_stats_get_variance (stats, c), ns_stats_get_variance (back, c));
      assert_same_double (ns_stats_get_offset (stats, c), ns_stats_get_offset (back, c));
      assert_same_double (ns_stats_get_scale (stats, c), ns_stats_get_scale (back, c));
      assert_same_double (ns_stats_get_count (stats, c), ns_stats_get_count (back, c));
      assert_same_double (ns_stats_get_missing (stats, c), ns_stats_get_missing (back, c));
    }
  /* ns_stats_load dispatches on the zip signature. */
  loaded = ns_stats_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_stats_get_n_columns (loaded), ==, 3);
  assert_same_double (ns_stats_get_scale (stats, 1), ns_stats_get_scale (loaded, 1));
}

static void
write_zip (const char *path, const char *const *names, GBytes **members)
{
  int code = 0;
  zip_t *archive = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);

  g_assert_nonnull (archive);
  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize len;
      const void *data = g_bytes_get_data (members[i], &len);
      zip_source_t *source = zip_source_buffer (archive, data, len, 0);

      g_assert_cmpint (zip_file_add (archive, names[i], source, 0), >=, 0);
    }
  g_assert_cmpint (zip_close (archive), ==, 0);
}

static GBytes *
encode_f4 (const float *values, gsize n)
{
  gsize shape[1] = { n };

  return ns_npy_encode ("<f4", shape, 1, FALSE, values, n * 4);
}

static void
test_npz_import_mean_variance (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "keras.npz", NULL);
  const float mean[2] = { 1.5f, -0.25f }, variance[2] = { 4.0f, 0.0f };
  GBytes *members[3] = { encode_f4 (mean, 2), encode_f4 (variance, 2), NULL };
  const char *const names[] = { "mean.npy", "variance.npy", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = NULL;

  write_zip (path, names, members);
  stats = ns_npz_import (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ns_stats_get_name (stats, 1), ==, "x1");
  g_assert_cmpfloat (ns_stats_get_offset (stats, 0), ==, 1.5);
  g_assert_cmpfloat (ns_stats_get_scale (stats, 0), ==, 2.0);
  g_assert_cmpfloat (ns_stats_get_offset (stats, 1), ==, -0.25);
  /* A zero variance divides by 1, as scikit-learn does. */
  g_assert_cmpfloat (ns_stats_get_scale (stats, 1), ==, 1.0);
  for (guint i = 0; i < 2; i++)
    g_bytes_unref (members[i]);
}

static void
test_npz_import_errors (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *only_mean = g_build_filename (dir, "only-mean.npz", NULL);
  g_autofree char *bad_shape = g_build_filename (dir, "bad-shape.npz", NULL);
  g_autofree char *not_zip = g_build_filename (dir, "not.npz", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.npz", NULL);
  const float mean[3] = { 1, 2, 3 }, variance[2] = { 1, 2 };
  GBytes *members[3] = { encode_f4 (mean, 3), encode_f4 (variance, 2), NULL };
  const char *const one[] = { "mean.npy", NULL };
  const char *const two[] = { "mean.npy", "variance.npy", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;

  write_zip (only_mean, one, members);
  g_assert_null (ns_npz_import (only_mean, &error));
  expected = g_strdup_printf ("%s: expected members mean and variance, or offset and scale, "
                              "found mean.npy", only_mean);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  write_zip (bad_shape, two, members);
  g_assert_null (ns_npz_import (bad_shape, &error));
  expected = g_strdup_printf ("%s[variance.npy]: shape (2,): expected (3,) like the other members",
                              bad_shape);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  g_assert_true (g_file_set_contents (not_zip, "PK\x03\x04 but not really a zip", -1, NULL));
  g_assert_null (ns_npz_import (not_zip, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, not_zip));
  g_assert_nonnull (strstr (error->message, ": cannot open as a NumPy .npz: "));
  g_clear_error (&error);

  g_assert_null (ns_npz_import (missing, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_clear_error (&error);
  for (guint i = 0; i < 2; i++)
    g_bytes_unref (members[i]);
}

/* safetensors: parsed exactly as the format's reference reader checks it. */

typedef struct {
  JsonParser *parser;
  JsonObject *header;
  const guint8 *buffer;  /* the byte buffer after the header */
  gsize buffer_len;
} Safetensors;

static void
parse_safetensors (GBytes *bytes, Safetensors *st)
{
  g_autoptr (GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint64 n;
  g_autoptr (GList) members = NULL;
  g_autoptr (GArray) ranges = g_array_new (FALSE, FALSE, sizeof (guint64) * 2);
  guint64 end = 0;

  g_assert_cmpuint (len, >=, 8);
  memcpy (&n, data, 8);
  n = GUINT64_FROM_LE (n);
  g_assert_cmpuint (n % 8, ==, 0);
  g_assert_cmpuint (8 + n, <=, len);
  g_assert_cmpint (data[8], ==, '{');
  st->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (st->parser, (const char *) data + 8, (gssize) n, &error));
  g_assert_no_error (error);
  /* Padding is spaces only, after the closing brace. */
  {
    gsize i = 8 + n;

    while (data[i - 1] == ' ')
      i--;
    g_assert_cmpint (data[i - 1], ==, '}');
  }
  st->header = json_node_get_object (json_parser_get_root (st->parser));
  st->buffer = data + 8 + n;
  st->buffer_len = len - 8 - n;
  members = json_object_get_members (st->header);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *entry;
      JsonArray *offsets;
      guint64 range[2];

      if (strcmp (l->data, "__metadata__") == 0)
        {
          JsonObject *metadata = json_object_get_object_member (st->header, "__metadata__");
          g_autoptr (GList) keys = json_object_get_members (metadata);

          for (GList *k = keys; k != NULL; k = k->next)
            g_assert_true (json_node_get_value_type (json_object_get_member (metadata, k->data))
                           == G_TYPE_STRING);
          continue;
        }
      entry = json_object_get_object_member (st->header, l->data);
      offsets = json_object_get_array_member (entry, "data_offsets");
      g_assert_cmpuint (json_array_get_length (offsets), ==, 2);
      range[0] = (guint64) json_array_get_int_element (offsets, 0);
      range[1] = (guint64) json_array_get_int_element (offsets, 1);
      g_array_append_val (ranges, range);
    }
  /* Tensors tile the buffer from 0 with no holes, and the file ends with the last one. */
  for (guint done = 0; done < ranges->len; done++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < ranges->len && !found; i++)
        {
          guint64 *range = &g_array_index (ranges, guint64, 2 * i);

          if (range[0] == end && range[1] > range[0])
            {
              end = range[1];
              found = TRUE;
            }
        }
      g_assert_true (found);
    }
  g_assert_cmpuint (end, ==, st->buffer_len);
}

static void
safetensors_clear (Safetensors *st)
{
  g_clear_object (&st->parser);
}

static const guint8 *
safetensor (Safetensors *st, const char *name, const char *dtype, guint rank, gsize n)
{
  JsonObject *entry = json_object_get_object_member (st->header, name);
  JsonArray *shape, *offsets;
  gsize size = strcmp (dtype, "F32") == 0 ? 4 : 8;
  guint64 begin, end;

  if (entry == NULL)
    g_error ("safetensors has no tensor %s", name);
  g_assert_cmpstr (json_object_get_string_member (entry, "dtype"), ==, dtype);
  shape = json_object_get_array_member (entry, "shape");
  g_assert_cmpuint (json_array_get_length (shape), ==, rank);
  if (rank == 1)
    g_assert_cmpint (json_array_get_int_element (shape, 0), ==, (gint64) n);
  offsets = json_object_get_array_member (entry, "data_offsets");
  begin = (guint64) json_array_get_int_element (offsets, 0);
  end = (guint64) json_array_get_int_element (offsets, 1);
  g_assert_cmpuint (end - begin, ==, n * size);
  g_assert_cmpuint (begin % size, ==, 0);
  return st->buffer + begin;
}

static void
check_safetensor_values (Safetensors *st, const char *name, gboolean f64, const double *expected,
                         gsize n)
{
  const guint8 *data = safetensor (st, name, f64 ? "F64" : "F32", 1, n);

  for (gsize i = 0; i < n; i++)
    {
      if (f64)
        assert_same_double (expected[i], load_le_double (data + 8 * i));
      else
        {
          float want = (float) expected[i], got = load_le_float (data + 4 * i);

          g_assert_true (memcmp (&want, &got, 4) == 0);
        }
    }
}

static void
test_safetensors_scaler (void)
{
  g_autoptr (NsStats) stats = make_standard ();
  NsExportOptions options;
  const gboolean f64s[] = { FALSE, TRUE };

  ns_export_options_init (&options);
  for (guint k = 0; k < G_N_ELEMENTS (f64s); k++)
    {
      g_autoptr (GBytes) bytes = NULL;
      Safetensors st = { 0 };
      JsonObject *metadata;
      double values[3];
      g_autoptr (GList) names = NULL;
      g_autoptr (JsonParser) params = json_parser_new ();

      options.dtype = f64s[k] ? NS_EXPORT_DTYPE_F64 : NS_EXPORT_DTYPE_DEFAULT;
      bytes = export_bytes (stats, NS_EXPORT_SAFETENSORS, &options);
      parse_safetensors (bytes, &st);
      /* The torch snippet's buffers and nothing else, so load_state_dict(strict=True) takes it. */
      names = json_object_get_members (st.header);
      g_assert_cmpuint (g_list_length (names), ==, 3);
      for (guint c = 0; c < 3; c++)
        values[c] = ns_stats_get_scale (stats, c);
      check_safetensor_values (&st, "scale", f64s[k], values, 3);
      for (guint c = 0; c < 3; c++)
        values[c] = ns_stats_get_offset (stats, c);
      check_safetensor_values (&st, "offset", f64s[k], values, 3);
      metadata = json_object_get_object_member (st.header, "__metadata__");
      g_assert_cmpstr (json_object_get_string_member (metadata, "method"), ==, "standard");
      g_assert_cmpstr (json_object_get_string_member (metadata, "source"), ==,
                       "{\"file\":\"train.csv\",\"rows\":10,\"sha256\":\"0123abcd\"}");
      g_assert_true (json_parser_load_from_data (params, json_object_get_string_member (metadata,
                                                                                        "params"),
                                                 -1, NULL));
      g_assert_true (json_object_get_boolean_member (json_node_get_object (
        json_parser_get_root (params)), "with_mean"));
      safetensors_clear (&st);
    }
}

static void
test_safetensors_batchnorm (void)
{
  g_autoptr (NsStats) stats = make_batchnorm (2.0, 0.5, TRUE);
  NsExportOptions options;
  g_autoptr (GBytes) bytes = NULL;
  Safetensors st = { 0 };
  const double weight[3] = { 2, 2, 2 }, bias[3] = { 0.5, 0.5, 0.5 };
  double running_mean[3], running_var[3];
  const guint8 *tracked;
  g_autoptr (GList) names = NULL;

  ns_export_options_init (&options);
  options.prefix = "bn.";
  bytes = export_bytes (stats, NS_EXPORT_SAFETENSORS, &options);
  parse_safetensors (bytes, &st);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_true (ns_stats_get_field (stats, c, "running_mean", &running_mean[c]));
      g_assert_true (ns_stats_get_field (stats, c, "running_var", &running_var[c]));
    }
  names = json_object_get_members (st.header);
  g_assert_cmpuint (g_list_length (names), ==, 6);
  check_safetensor_values (&st, "bn.weight", FALSE, weight, 3);
  check_safetensor_values (&st, "bn.bias", FALSE, bias, 3);
  check_safetensor_values (&st, "bn.running_mean", FALSE, running_mean, 3);
  check_safetensor_values (&st, "bn.running_var", FALSE, running_var, 3);
  tracked = safetensor (&st, "bn.num_batches_tracked", "I64", 0, 1);
  g_assert_cmpint (load_le_int64 (tracked), ==, 7);
  /* The reference writer's order: the 8-byte tensor first. */
  g_assert_cmpuint (json_array_get_int_element (json_object_get_array_member (
    json_object_get_object_member (st.header, "bn.num_batches_tracked"), "data_offsets"), 0), ==, 0);
  safetensors_clear (&st);
}

/* CSV. */

static char **
split_csv_line (const char *line)
{
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if ((*p == ',' && !quoted) || *p == '\0')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (field, *p);
    }
  g_string_free (field, TRUE);
  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (fields, FALSE);
}

static void
test_csv (void)
{
  g_autoptr (NsStats) stats = make_robust ();
  g_autoptr (NsStats) standard = make_standard ();
  g_autoptr (GBytes) bytes = export_bytes (stats, NS_EXPORT_CSV, NULL);
  g_autoptr (GBytes) standard_bytes = export_bytes (standard, NS_EXPORT_CSV, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *standard_text = g_strndup (g_bytes_get_data (standard_bytes, NULL),
                                              g_bytes_get_size (standard_bytes));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) standard_lines = g_strsplit (standard_text, "\n", -1);

  g_assert_cmpstr (lines[0], ==, "name,count,missing,mean,variance,std,offset,scale,method,median,iqr");
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  for (guint c = 0; c < 2; c++)
    {
      g_auto (GStrv) fields = split_csv_line (lines[c + 1]);
      double median;

      g_assert_cmpuint (g_strv_length (fields), ==, 11);
      g_assert_cmpstr (fields[0], ==, ns_stats_get_name (stats, c));
      assert_same_double (ns_stats_get_count (stats, c), g_ascii_strtod (fields[1], NULL));
      assert_same_double (ns_stats_get_mean (stats, c), g_ascii_strtod (fields[3], NULL));
      assert_same_double (ns_stats_get_variance (stats, c), g_ascii_strtod (fields[4], NULL));
      assert_same_double (sqrt (ns_stats_get_variance (stats, c)), g_ascii_strtod (fields[5], NULL));
      assert_same_double (ns_stats_get_offset (stats, c), g_ascii_strtod (fields[6], NULL));
      assert_same_double (ns_stats_get_scale (stats, c), g_ascii_strtod (fields[7], NULL));
      g_assert_cmpstr (fields[8], ==, "robust");
      g_assert_true (ns_stats_get_field (stats, c, "median", &median));
      assert_same_double (median, g_ascii_strtod (fields[9], NULL));
    }
  /* Names with a comma and quotes are quoted; tiny and huge values stay exact. */
  g_assert_true (g_str_has_prefix (standard_lines[2], "\"beta, \"\"quoted\"\" */\","));
  for (guint c = 0; c < 3; c++)
    {
      g_auto (GStrv) fields = split_csv_line (standard_lines[c + 1]);

      g_assert_cmpuint (g_strv_length (fields), ==, 9);
      g_assert_cmpstr (fields[0], ==, ns_stats_get_name (standard, c));
      assert_same_double (ns_stats_get_mean (standard, c), g_ascii_strtod (fields[3], NULL));
      assert_same_double (ns_stats_get_variance (standard, c), g_ascii_strtod (fields[4], NULL));
      assert_same_double (ns_stats_get_missing (standard, c), g_ascii_strtod (fields[2], NULL));
    }
}

/* Fixture rows and normscope's transform of them. */

static NsDataset *
make_rows (const NsStats *stats)
{
  guint n = ns_stats_get_n_columns (stats);
  NsDataset *data = ns_dataset_new_table (N_ROWS);

  for (guint c = 0; c < n; c++)
    {
      double *values = g_new (double, N_ROWS);
      double offset = ns_stats_get_offset (stats, c), scale = ns_stats_get_scale (stats, c);

      /* Spread around the offset by a few scales, with irrational steps. */
      for (guint r = 0; r < N_ROWS; r++)
        values[r] = offset + scale * (sin (1.0 + r * 1.7 + c * 0.3) * 2.5 + r / 7.0);
      ns_dataset_add_numeric_column (data, ns_stats_get_name (stats, c), values);
    }
  ns_dataset_count_missing (data);
  return data;
}

static NsDataset *
transform (const NsStats *stats, const NsDataset *data)
{
  g_autoptr (GError) error = NULL;
  NsDataset *out = ns_stats_transform (stats, data, FALSE, &error);

  g_assert_no_error (error);
  return out;
}

/* C header: compiled with the system compiler together with a generated main, run, and compared
 * with ns_stats_transform bit for bit (double) and with float arithmetic (float variant). */

static char *
find_c_compiler (void)
{
  const char *env = g_getenv ("CC");
  char *path = env != NULL && *env != '\0' ? g_find_program_in_path (env) : NULL;

  return path != NULL ? path : g_find_program_in_path ("cc");
}

static void
write_header_main (const char *path, const char *header, const char *id, const NsDataset *data)
{
  guint n = ns_dataset_get_n_features (data);
  GString *main_c = g_string_new (NULL);
  char buf[NS_DOUBLE_BUF_SIZE];
  g_autoptr (GError) error = NULL;

  g_string_append_printf (main_c, "#include <stdio.h>\n#include \"%s\"\n\n", header);
  g_string_append_printf (main_c, "static double rows[%d][%u] = {\n", N_ROWS, n);
  for (guint r = 0; r < N_ROWS; r++)
    {
      g_string_append (main_c, "  {");
      for (guint c = 0; c < n; c++)
        g_string_append_printf (main_c, " %s,", ns_format_double (buf, ns_dataset_get_values (data, c)[r]));
      g_string_append (main_c, " },\n");
    }
  g_string_append (main_c, "};\n\nint\nmain (void)\n{\n");
  g_string_append_printf (main_c,
    "  for (int r = 0; r < %d; r++)\n    {\n      float f[%u];\n"
    "      for (int c = 0; c < %u; c++)\n        f[c] = (float) rows[r][c];\n"
    "      %s_normalize (rows[r]);\n      %s_normalize_f (f);\n"
    "      for (int c = 0; c < %u; c++)\n        printf (\"%%a %%a\\n\", rows[r][c], (double) f[c]);\n"
    "    }\n  return 0;\n}\n", N_ROWS, n, n, id, id, n);
  g_assert_true (g_file_set_contents (path, main_c->str, -1, &error));
  g_assert_no_error (error);
  g_string_free (main_c, TRUE);
}

static void
check_c_header (const NsStats *stats, const char *compiler, const char *dir)
{
  g_autofree char *header = g_build_filename (dir, "my-stats.v1.h", NULL);
  g_autofree char *main_c = g_build_filename (dir, "main.c", NULL);
  g_autofree char *program = g_build_filename (dir, "normalize", NULL);
  g_autoptr (NsDataset) data = make_rows (stats);
  g_autoptr (NsDataset) expected = transform (stats, data);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) lines = NULL;
  int status = 0;
  guint n = ns_stats_get_n_columns (stats);
  const char *compile[] = { compiler, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                            "-o", program, main_c, "-lm", NULL };
  const char *run[] = { program, NULL };
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, NULL);

  g_assert_true (ns_export_write (stats, NS_EXPORT_C_HEADER, NULL, header, &error));
  g_assert_no_error (error);
  write_header_main (main_c, "my-stats.v1.h", "my_stats", data);
  g_assert_true (g_spawn_sync (dir, (char **) compile, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("compiling the exported header failed:\n%s%s", out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_spawn_sync (dir, (char **) run, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, N_ROWS * n + 1);
  for (guint r = 0; r < N_ROWS; r++)
    for (guint c = 0; c < n; c++)
      {
        g_auto (GStrv) pair = g_strsplit (lines[r * n + c], " ", 2);
        float x = (float) ns_dataset_get_values (data, c)[r];
        const NsColumnTransform *tc = &t[c];
        float f = !tc->affine ? (x - (float) tc->offset) / (float) tc->scale
                  : tc->subtract_first ? (x - (float) tc->offset) * (float) tc->alpha + (float) tc->beta
                  : x * (float) tc->alpha + (float) tc->shift;

        assert_same_double (ns_dataset_get_values (expected, c)[r], g_ascii_strtod (pair[0], NULL));
        assert_same_double ((double) f, g_ascii_strtod (pair[1], NULL));
      }
}

static void
test_c_header (void)
{
  g_autofree char *compiler = find_c_compiler ();
  g_autofree char *dir = NULL;
  NsStats *fixtures[] = { make_standard (), make_minmax (), make_batchnorm (1, 0, FALSE),
                          make_batchnorm (2, 0.25, FALSE), make_flax_batchnorm () };
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  bytes = export_bytes (fixtures[0], NS_EXPORT_C_HEADER, NULL);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Without a file name the identifiers are normscope_*; names sit in comments as C strings, whose
   * '*' is an octal escape so no name ends the comment. */
  g_assert_nonnull (strstr (text, "#ifndef NORMSCOPE_H\n#define NORMSCOPE_H\n"));
  g_assert_nonnull (strstr (text, "static const double normscope_offset[NORMSCOPE_N_FEATURES] = {\n"
                                  "  0.1,  /* 0 \"alpha\" */\n"));
  g_assert_nonnull (strstr (text, "/* 1 \"beta, \\\"quoted\\\" \\052/\" */"));
  g_assert_nonnull (strstr (text, "static const char *const normscope_names"
                                  "[NORMSCOPE_N_FEATURES] = {\n  \"alpha\",\n"));
  g_assert_nonnull (strstr (text, "static inline void normscope_normalize (double *x) { for (int i = 0; "
                                  "i < NORMSCOPE_N_FEATURES; i++) x[i] = (x[i] - normscope_offset[i]) / "
                                  "normscope_scale[i]; }\n"));
  if (compiler == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
        ns_stats_free (fixtures[i]);
      g_test_skip ("no C compiler (cc) found to compile the exported header");
      return;
    }
  dir = ns_test_temp_dir_new ();
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      check_c_header (fixtures[i], compiler, dir);
      ns_stats_free (fixtures[i]);
    }
  ns_test_remove_tree (dir);
}

/* Snippets: the texts' key lines (the Python checks run them). */

static char *
export_text (const NsStats *stats, NsExportFormat format, const NsExportOptions *options)
{
  g_autoptr (GBytes) bytes = export_bytes (stats, format, options);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_snippets_text (void)
{
  g_autoptr (NsStats) standard = make_standard ();
  g_autoptr (NsStats) bn = make_batchnorm (1, 0, TRUE);
  g_autofree char *sklearn = export_text (standard, NS_EXPORT_SKLEARN, NULL);
  g_autofree char *torch = export_text (bn, NS_EXPORT_TORCH, NULL);
  g_autofree char *keras = export_text (standard, NS_EXPORT_KERAS, NULL);
  g_autofree char *keras_bn = export_text (bn, NS_EXPORT_KERAS, NULL);

  g_assert_nonnull (strstr (sklearn, "from sklearn.preprocessing import StandardScaler\n"));
  {
    char a[NS_DOUBLE_BUF_SIZE], b[NS_DOUBLE_BUF_SIZE], c[NS_DOUBLE_BUF_SIZE];
    g_autofree char *offset = g_strdup_printf ("offset = [\n    0.1,  # 0 \"alpha\"\n    %s,  # 1 "
                                               "\"beta, \\\"quoted\\\" */\"\n    %s,  # 2 ",
                                               ns_format_double (a, 1.0 / 3.0),
                                               ns_format_double (b, ns_stats_get_offset (standard, 2)));
    g_autofree char *variance = g_strdup_printf ("variance = [\n    0.02,  # 0 \"alpha\"\n    "
                                                 "%s,  # 1 \"beta, \\\"quoted\\\" */\"\n    "
                                                 "%s,  # 2 ",
                                                 ns_format_double (a, 2.0 / 3.0),
                                                 ns_format_double (c, ns_stats_get_variance (standard, 2)));

    g_assert_nonnull (strstr (sklearn, offset));
    g_assert_nonnull (strstr (sklearn, variance));
  }
  g_assert_nonnull (strstr (sklearn, "    \"beta, \\\"quoted\\\" */\",  # 1\n"));
  g_assert_nonnull (strstr (sklearn, "scaler.n_samples_seen_ = numpy.array(n_samples_seen, "
                                     "dtype=numpy.int64)\n"));
  g_assert_nonnull (strstr (sklearn, "scaler.feature_names_in_ = numpy.array(names, dtype=object)\n"));
  g_assert_nonnull (strstr (torch, "module = torch.nn.BatchNorm1d(\n    3,\n    eps=0.001,\n"
                                   "    momentum=1.0 - 0.99,  # Keras/Flax momentum"));
  g_assert_nonnull (strstr (torch, "    module.num_batches_tracked.fill_(7)\nmodule.eval()"));
  g_assert_nonnull (strstr (keras, "layer = keras.layers.Normalization(axis=-1, mean=offset, "
                                   "variance=numpy.square(numpy.array(scale)))\n"));
  g_assert_nonnull (strstr (keras_bn, "layer.build((None, 3))\nlayer.set_weights([numpy.array(gamma), "
                                      "numpy.array(beta), numpy.array(moving_mean), "
                                      "numpy.array(moving_variance)])\n"));
  g_assert_nonnull (strstr (keras_bn, "    epsilon=0.001,\n    momentum=0.99,\n"));
}

/* --identifier and file names become plain C names: no "__" or leading '_' (reserved), no leading
 * digit. */
static void
test_c_identifier (void)
{
  static const struct { const char *given, *guard; } cases[] = {
    { "my-stats.v1", "#ifndef MY_STATS_V1_H\n" }, { "", "#ifndef NS_H\n" },
    { "9lives", "#ifndef NS_9LIVES_H\n" }, { "__a--b__", "#ifndef A_B_H\n" },
    { "n\xc3\xb6n */ x", "#ifndef N_N_X_H\n" },
  };
  g_autoptr (NsStats) stats = make_standard ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NsExportOptions options;
      g_autofree char *text = NULL;

      ns_export_options_init (&options);
      options.identifier = cases[i].given;
      text = export_text (stats, NS_EXPORT_C_HEADER, &options);
      g_assert_nonnull (strstr (text, cases[i].guard));
    }
}

/* Write failures: a clear error and no file, no temporary left behind. */

static void
assert_write_fails (const NsStats *stats, NsExportFormat format, const char *path,
                    const char *message_prefix)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ns_export_write (stats, format, NULL, path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  if (!g_str_has_prefix (error->message, message_prefix))
    g_error ("expected an error starting '%s', got '%s'", message_prefix, error->message);
  if (!g_str_has_prefix (path, "/dev/"))
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_write_failures (void)
{
  g_autoptr (NsStats) stats = make_standard ();
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *missing_dir = g_build_filename (dir, "no-such-folder", NULL);
  g_autofree char *in_missing = g_build_filename (missing_dir, "stats.npz", NULL);
  g_autofree char *regular = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (regular, "stats.csv", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *listing = NULL;

  g_assert_true (g_file_set_contents (regular, "x", -1, NULL));
  /* torchvision refuses a table's stats before it writes: tested with image stats below. */
  for (guint f = 0; f < NS_EXPORT_TORCHVISION; f++)
    {
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("%s: cannot write: folder %s does not exist", in_missing,
                                  missing_dir);
      assert_write_fails (stats, f, in_missing, expected);
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("%s: cannot write: %s is a file, not a folder", under_file, regular);
      assert_write_fails (stats, f, under_file, expected);
      /* A full disk: the error names the file and the reason. */
      if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
        assert_write_fails (stats, f, "/dev/full", "/dev/full: cannot write: No space left on device");
      /* A read-only folder even for root: /proc refuses new files. */
      assert_write_fails (stats, f, "/proc/normscope-export-test.npz",
                          "/proc/normscope-export-test.npz: cannot create a file in its folder: ");
    }
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "plain-file");
}

static void
test_write_matches_bytes (void)
{
  g_autoptr (NsStats) stats = make_batchnorm (1, 0, FALSE);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();

  set_nchw_params (stats);
  for (guint f = 0; f < NS_EXPORT_N_FORMATS; f++)
    {
      g_autofree char *path = g_strconcat (dir, "/out", ns_export_format_extension (f), NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *contents = NULL;
      gsize len;
      NsExportOptions options;

      ns_export_options_init (&options);
      options.identifier = "out";
      bytes = export_bytes (stats, f, &options);
      g_assert_true (ns_export_write (stats, f, NULL, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpmem (contents, len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_unlink (path);
    }
}

/* Optional Python checks: numpy, torch and scikit-learn load or run what we export and compare with
 * ns_stats_transform. Python is never needed by the rest of the suite. */

typedef struct {
  const char *name;
  NsStats *(*make) (void);
} Case;

static NsStats *make_bn_default (void) { return make_batchnorm (1, 0, FALSE); }
static NsStats *make_bn_keras (void) { return make_batchnorm (2, 0.5, TRUE); }

static const Case cases[] = {
  { "standard", make_standard }, { "minmax", make_minmax }, { "maxabs", make_maxabs },
  { "robust", make_robust }, { "keras", make_keras }, { "batchnorm", make_bn_default },
  { "batchnorm-keras", make_bn_keras },
};

static void
append_json_doubles (JsonBuilder *builder, const double *values, guint n)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* Batch-norm stats whose gamma or beta is not the identity's. */
static gboolean
has_affine (const NsStats *stats)
{
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, NULL);

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    if (t[c].affine && (t[c].gamma != 1 || t[c].beta != 0))
      return TRUE;
  return FALSE;
}

static void
write_case_files (const char *dir, const Case *c, JsonBuilder *builder)
{
  g_autoptr (NsStats) stats = c->make ();
  g_autoptr (NsDataset) data = make_rows (stats);
  g_autoptr (NsDataset) expected = transform (stats, data);
  guint n = ns_stats_get_n_columns (stats);
  static const struct { const char *key; NsExportFormat format; NsExportDtype dtype; const char *prefix; } files[] = {
    { "npz", NS_EXPORT_NPZ, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "safetensors", NS_EXPORT_SAFETENSORS, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "safetensors64", NS_EXPORT_SAFETENSORS, NS_EXPORT_DTYPE_F64, NULL },
    { "safetensors_prefixed", NS_EXPORT_SAFETENSORS, NS_EXPORT_DTYPE_DEFAULT, "bn." },
    { "torch", NS_EXPORT_TORCH, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "torch64", NS_EXPORT_TORCH, NS_EXPORT_DTYPE_F64, NULL },
    { "sklearn", NS_EXPORT_SKLEARN, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "keras", NS_EXPORT_KERAS, NS_EXPORT_DTYPE_DEFAULT, NULL },
  };
  double *values = g_new (double, n);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, c->name);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, ns_stats_get_method (stats));
  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (builder, ns_stats_get_name (stats, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "params");
  {
    JsonNode *node = json_node_alloc ();

    json_builder_add_value (builder, json_node_init_object (node, ns_stats_get_params (stats)));
  }
  json_builder_set_member_name (builder, "num_batches_tracked");
  json_builder_add_int_value (builder, json_object_get_int_member_with_default (
    ns_stats_get_extra (stats), "num_batches_tracked", 0));
  for (guint q = 0; q < 4; q++)
    {
      static const char *keys[] = { "mean", "variance", "offset", "scale" };
      double (*getters[]) (const NsStats *, guint) = { ns_stats_get_mean, ns_stats_get_variance,
                                                       ns_stats_get_offset, ns_stats_get_scale };

      for (guint i = 0; i < n; i++)
        values[i] = getters[q] (stats, i);
      json_builder_set_member_name (builder, keys[q]);
      append_json_doubles (builder, values, n);
    }
  for (guint q = 0; q < 2; q++)
    {
      static const char *keys[] = { "running_mean", "running_var" };

      for (guint i = 0; i < n; i++)
        if (!ns_stats_get_field (stats, i, keys[q], &values[i]))
          break;
      if (ns_stats_get_n_fields (stats, 0) > 0 && ns_stats_get_field (stats, 0, keys[q], NULL))
        {
          json_builder_set_member_name (builder, keys[q]);
          append_json_doubles (builder, values, n);
        }
    }
  for (guint q = 0; q < 2; q++)
    {
      const NsDataset *table = q == 0 ? data : expected;

      json_builder_set_member_name (builder, q == 0 ? "rows" : "expected");
      json_builder_begin_array (builder);
      for (guint r = 0; r < N_ROWS; r++)
        {
          for (guint i = 0; i < n; i++)
            values[i] = ns_dataset_get_values (table, i)[r];
          append_json_doubles (builder, values, n);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "files");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s-%s%s", dir, c->name, files[i].key,
                                               ns_export_format_extension (files[i].format));
      g_autoptr (GError) error = NULL;
      NsExportOptions options;

      ns_export_options_init (&options);
      options.dtype = files[i].dtype;
      options.prefix = files[i].prefix;
      if (files[i].format == NS_EXPORT_SKLEARN && has_affine (stats))
        {
          /* A StandardScaler has no gamma and beta: the export is refused. */
          g_assert_false (ns_export_write (stats, files[i].format, &options, path, &error));
          continue;
        }
      g_assert_true (ns_export_write (stats, files[i].format, &options, path, &error));
      g_assert_no_error (error);
      json_builder_set_member_name (builder, files[i].key);
      json_builder_add_string_value (builder, path);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  g_free (values);
}

static char *
write_python_fixtures (void)
{
  char *dir = ns_test_temp_dir_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *path = g_build_filename (dir, "cases.json", NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    write_case_files (dir, &cases[i], builder);
  json_builder_end_array (builder);
  ns_test_write_json (builder, path);
  return dir;
}

static void
run_python_check (gconstpointer user_data)
{
  g_autofree char *dir = write_python_fixtures ();

  ns_test_run_export_check (user_data, dir);
  ns_test_remove_tree (dir);
}

/* Non-default ranges must reach the scikit-learn constructors, or the snippet rescales wrongly. */
static void
test_sklearn_snippet_ranges (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (4);
  double *x = g_new (double, 4);
  NsScalerOptions options;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    x[i] = i * i;
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_count_missing (data);

  ns_scaler_options_init (&options, NS_METHOD_MINMAX);
  options.feature_range[0] = -1;
  options.feature_range[1] = 2.5;
  {
    g_autoptr (NsStats) stats = ns_scaler_fit (data, &options, NULL, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = export_text (stats, NS_EXPORT_SKLEARN, NULL);
    g_assert_nonnull (strstr (text, "scaler = MinMaxScaler(feature_range=(-1.0, 2.5), clip=False)\n"));
  }
  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  options.quantile_range[0] = 10;
  options.quantile_range[1] = 90;
  {
    g_autoptr (NsStats) stats = ns_scaler_fit (data, &options, NULL, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = export_text (stats, NS_EXPORT_SKLEARN, NULL);
    g_assert_nonnull (strstr (text, "quantile_range=(10.0, 90.0))"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/format-names", test_format_names);
  g_test_add_func ("/export/sklearn/ranges", test_sklearn_snippet_ranges);
  g_test_add_func ("/export/npz/standard", test_npz_standard);
  g_test_add_func ("/export/npz/fields-and-batchnorm", test_npz_fields_and_batchnorm);
  g_test_add_func ("/export/npz/f32", test_npz_f32);
  g_test_add_func ("/export/npz/import-round-trip", test_npz_import_round_trip);
  g_test_add_func ("/export/npz/import-mean-variance", test_npz_import_mean_variance);
  g_test_add_func ("/export/npz/import-errors", test_npz_import_errors);
  g_test_add_func ("/export/safetensors/scaler", test_safetensors_scaler);
  g_test_add_func ("/export/safetensors/batchnorm", test_safetensors_batchnorm);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/c-header", test_c_header);
  g_test_add_func ("/export/c-identifier", test_c_identifier);
  g_test_add_func ("/export/snippets/text", test_snippets_text);
  g_test_add_func ("/export/write-failures", test_write_failures);
  g_test_add_func ("/export/write-matches-bytes", test_write_matches_bytes);
  g_test_add_data_func ("/export/python/syntax", "syntax", run_python_check);
  g_test_add_data_func ("/export/python/numpy-npz", "numpy", run_python_check);
  g_test_add_data_func ("/export/python/torch-safetensors", "torch-safetensors", run_python_check);
  g_test_add_data_func ("/export/python/torch-snippet", "torch-snippet", run_python_check);
  g_test_add_data_func ("/export/python/sklearn-snippet", "sklearn-snippet", run_python_check);
  g_test_add_data_func ("/export/python/keras-snippet", "keras-snippet", run_python_check);
  return g_test_run ();
}
