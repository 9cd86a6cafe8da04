/* test-export.c: format names, and the binary exports read back bit-identical: npz (and its
 * import), safetensors.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-export-helpers.h"

/* Format names. */

static void
test_format_names (void)
{
  static const char *const names[] = { "npz",      "safetensors", "keras", "torch",      "sklearn",
                                       "c-header", "csv",         "onnx",  "torchvision" };
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
  g_assert_cmpstr (error->message, ==,
                   "unknown export format 'hdf5' (expected npz, safetensors, "
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
  GHashTable *members =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
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
        values[c] = getters[k](stats, c);
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
                              "found mean.npy",
                              only_mean);
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
  const guint8 *buffer; /* the byte buffer after the header */
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
  g_assert_true (
    json_parser_load_from_data (st->parser, (const char *) data + 8, (gssize) n, &error));
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
            g_assert_true (json_node_get_value_type (json_object_get_member (metadata, k->data)) ==
                           G_TYPE_STRING);
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
      g_assert_true (json_parser_load_from_data (params,
                                                 json_object_get_string_member (metadata, "params"),
                                                 -1, NULL));
      g_assert_true (
        json_object_get_boolean_member (json_node_get_object (json_parser_get_root (params)),
                                        "with_mean"));
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
  g_assert_cmpuint (json_array_get_int_element (
                      json_object_get_array_member (
                        json_object_get_object_member (st.header, "bn.num_batches_tracked"),
                        "data_offsets"),
                      0),
                    ==, 0);
  safetensors_clear (&st);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/format-names", test_format_names);
  g_test_add_func ("/export/npz/standard", test_npz_standard);
  g_test_add_func ("/export/npz/fields-and-batchnorm", test_npz_fields_and_batchnorm);
  g_test_add_func ("/export/npz/f32", test_npz_f32);
  g_test_add_func ("/export/npz/import-round-trip", test_npz_import_round_trip);
  g_test_add_func ("/export/npz/import-mean-variance", test_npz_import_mean_variance);
  g_test_add_func ("/export/npz/import-errors", test_npz_import_errors);
  g_test_add_func ("/export/safetensors/scaler", test_safetensors_scaler);
  g_test_add_func ("/export/safetensors/batchnorm", test_safetensors_batchnorm);
  return g_test_run ();
}
