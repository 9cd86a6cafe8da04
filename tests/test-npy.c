/* test-npy.c: the .npy reader and writer against fixtures and statistics written by NumPy itself.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ns-moments.h"
#include "ns-npy-format.h"
#include "ns-reader.h"
#include "test-utils.h"

static char *
fixture_path (const char *name)
{
  return g_build_filename (g_getenv ("NS_TEST_DATA"), "npy", name, NULL);
}

static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr (GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static NsDataset *
read_bytes (const char *path, GBytes *bytes, const char *axis, GError **error)
{
  NsReadOptions options;

  memset (&options, 0, sizeof options);
  options.axis = axis;
  return ns_npy_read (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &options,
                      NULL, error);
}

static NsDataset *
load_fixture (const char *name, const char *axis, GError **error)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr (GBytes) bytes = fixture_bytes (name);

  return read_bytes (path, bytes, axis, error);
}

static JsonObject *
expected_root (void)
{
  static JsonParser *parser;

  if (parser == NULL)
    {
      g_autofree char *path = fixture_path ("expected.json");
      g_autoptr (GError) error = NULL;

      parser = json_parser_new ();
      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
    }
  return json_node_get_object (json_parser_get_root (parser));
}

static double
json_value (JsonNode *node)
{
  const char *text;

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return json_node_get_double (node);
  text = json_node_get_string (node);
  return strcmp (text, "nan") == 0 ? NAN : strcmp (text, "inf") == 0 ? INFINITY : -INFINITY;
}

static void
assert_same_double (double actual, double expected)
{
  if (isnan (expected))
    g_assert_true (isnan (actual));
  else
    g_assert_true (memcmp (&actual, &expected, sizeof (double)) == 0 || actual == expected);
  g_assert_cmpint (signbit (actual), ==, signbit (expected));
}

/* Every array fixture, for every axis spec the generator recorded, against NumPy's values. */
static void
test_values_match_numpy (void)
{
  JsonArray *arrays = json_object_get_array_member (expected_root (), "arrays");

  g_assert_cmpuint (json_array_get_length (arrays), >, 40);
  for (guint i = 0; i < json_array_get_length (arrays); i++)
    {
      JsonObject *entry = json_array_get_object_element (arrays, i);
      const char *file = json_object_get_string_member (entry, "file");
      const char *axis = json_object_get_string_member (entry, "axis");
      JsonArray *shape = json_object_get_array_member (entry, "shape");
      JsonArray *columns = json_object_get_array_member (entry, "columns");
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = load_fixture (file, axis, &error);

      g_test_message ("%s with axis %s", file, axis);
      g_assert_no_error (error);
      g_assert_cmpint (ns_dataset_get_kind (data), ==, NS_DATASET_TENSOR);
      g_assert_cmpuint (ns_dataset_get_rank (data), ==, json_array_get_length (shape));
      for (guint a = 0; a < json_array_get_length (shape); a++)
        g_assert_cmpuint (ns_dataset_get_shape (data)[a], ==,
                          json_array_get_int_element (shape, a));
      g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, json_array_get_int_element (shape, 0));
      g_assert_cmpuint (ns_dataset_get_n_features (data), ==, json_array_get_length (columns));
      for (guint f = 0; f < json_array_get_length (columns); f++)
        {
          JsonArray *column = json_array_get_array_element (columns, f);
          guint column_index = ns_dataset_get_feature_column (data, f);
          const double *values = ns_dataset_get_values (data, column_index);
          gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
          gsize missing = 0;

          g_assert_cmpuint (n, ==, json_array_get_length (column));
          for (gsize k = 0; k < n; k++)
            {
              double expected = json_value (json_array_get_element (column, k));

              assert_same_double (values[k], expected);
              missing += isnan (expected);
            }
          g_assert_cmpuint (ns_dataset_get_missing (data, column_index), ==, missing);
        }
    }
}

static void
test_column_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) nhwc = load_fixture ("image-nhwc-f4.npy", NULL, &error);
  g_autoptr (NsDataset) pooled = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_features (nhwc), ==, 3);
  g_assert_cmpuint (ns_dataset_get_spatial_size (nhwc), ==, 15);
  g_assert_cmpstr (ns_dataset_get_column_name (nhwc, 2), ==, "channel_2");
  pooled = load_fixture ("image-nhwc-f4.npy", "none", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_features (pooled), ==, 1);
  g_assert_cmpuint (ns_dataset_get_spatial_size (pooled), ==, 45);
}

/* Keras axis semantics: per-feature mean and population variance equal NumPy's over the reduced
 * axes. */
static void
test_axis_statistics (void)
{
  JsonArray *stats = json_object_get_array_member (expected_root (), "stats");

  g_assert_cmpuint (json_array_get_length (stats), ==, 8);
  for (guint i = 0; i < json_array_get_length (stats); i++)
    {
      JsonObject *entry = json_array_get_object_element (stats, i);
      const char *file = json_object_get_string_member (entry, "file");
      const char *axis = json_object_get_string_member (entry, "axis");
      JsonArray *mean = json_object_get_array_member (entry, "mean");
      JsonArray *var = json_object_get_array_member (entry, "var");
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = load_fixture (file, axis, &error);

      g_test_message ("statistics of %s with axis %s", file, axis);
      g_assert_no_error (error);
      g_assert_cmpuint (ns_dataset_get_n_features (data), ==, json_array_get_length (mean));
      for (guint f = 0; f < json_array_get_length (mean); f++)
        {
          NsMoments moments;

          ns_moments_init (&moments);
          ns_moments_add (&moments, ns_dataset_get_values (data, f),
                          ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data), 1);
          g_assert_cmpfloat (moments.count, ==, json_object_get_int_member (entry, "count"));
          ns_test_assert_close (moments.mean, json_array_get_double_element (mean, f), 1e-13, 1e-13,
                                "value");
          ns_test_assert_close (ns_moments_variance (&moments, 0),
                                json_array_get_double_element (var, f), 1e-13, 1e-13, "value");
        }
    }
}

static char *
temp_output (const char *name)
{
  static char *dir;

  if (dir == NULL)
    dir = ns_test_temp_dir_new ();
  return g_build_filename (dir, name, NULL);
}

static void
assert_file_equals_fixture (const char *path, const char *fixture)
{
  g_autoptr (GBytes) expected = fixture_bytes (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
assert_same_dataset (const NsDataset *a, const NsDataset *b)
{
  gsize n = ns_dataset_get_n_samples (a) * ns_dataset_get_spatial_size (a);

  g_assert_cmpuint (ns_dataset_get_n_features (a), ==, ns_dataset_get_n_features (b));
  g_assert_cmpuint (ns_dataset_get_spatial_size (a), ==, ns_dataset_get_spatial_size (b));
  g_assert_cmpuint (ns_dataset_get_n_samples (a), ==, ns_dataset_get_n_samples (b));
  for (guint f = 0; f < ns_dataset_get_n_features (a); f++)
    g_assert_cmpmem (ns_dataset_get_values (a, ns_dataset_get_feature_column (a, f)),
                     n * sizeof (double),
                     ns_dataset_get_values (b, ns_dataset_get_feature_column (b, f)),
                     n * sizeof (double));
}

/* Writing a float64 tensor back gives NumPy's own file, byte for byte, and reads back identical. */
static void
test_write_round_trip (void)
{
  static const struct {
    const char *input, *axis, *reference;
  } cases[] = {
    { "rank1-f8.npy", "none", "rank1-f8.npy" },
    { "rank2-f8.npy", "-1", "rank2-f8.npy" },
    { "rank3-f8.npy", "1,2", "rank3-f8.npy" },
    { "rank4-f8.npy", "1,3", "rank4-f8.npy" },
    { "rank4-f8.npy", "none", "rank4-f8.npy" },
    { "image-nchw-f8.npy", "1", "image-nchw-f8.npy" },
    { "fortran-f8.npy", "-1", "fortran-f8-as-c.npy" },
    { "version3-f8.npy", "-1", "rank2-like-version3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = temp_output ("round-trip.npy");
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = load_fixture (cases[i].input, cases[i].axis, &error);
      g_autoptr (NsDataset) again = NULL;
      g_autoptr (GBytes) written = NULL;
      char *contents;
      gsize len;

      g_test_message ("writing %s with axis %s", cases[i].input, cases[i].axis);
      g_assert_no_error (error);
      g_assert_true (ns_npy_write (data, out, &error));
      g_assert_no_error (error);
      if (g_str_has_suffix (cases[i].reference, ".npy"))
        assert_file_equals_fixture (out, cases[i].reference);
      g_file_get_contents (out, &contents, &len, &error);
      g_assert_no_error (error);
      written = g_bytes_new_take (contents, len);
      again = read_bytes (out, written, cases[i].axis, &error);
      g_assert_no_error (error);
      assert_same_dataset (data, again);
    }
}

/* A float32 tensor comes back as float64 with the same shape and values. */
static void
test_write_widens_to_float64 (void)
{
  g_autofree char *out = temp_output ("widened.npy");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_fixture ("image-nhwc-f4.npy", "-1", &error);
  g_autoptr (NsDataset) again = NULL;
  g_autoptr (GBytes) written = NULL;
  NsNpyHeader header;
  char *contents;
  gsize len;

  g_assert_no_error (error);
  g_assert_true (ns_npy_write (data, out, &error));
  g_assert_no_error (error);
  g_file_get_contents (out, &contents, &len, &error);
  g_assert_no_error (error);
  written = g_bytes_new_take (contents, len);
  g_assert_true (ns_npy_parse_header (out, (const guint8 *) contents, len, &header, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (header.descr, ==, "<f8");
  g_assert_cmpuint (header.rank, ==, 4);
  g_assert_cmpuint (header.shape[3], ==, 3);
  g_assert_cmpuint (header.data_offset, ==, 128);
  g_assert_cmpuint (header.data_len, ==, len - 128);
  again = read_bytes (out, written, "-1", &error);
  g_assert_no_error (error);
  assert_same_dataset (data, again);
}

/* A table writes as (N, F) float64 of its numeric columns, labels left out. */
static void
test_write_table (void)
{
  g_autofree char *out = temp_output ("table.npy");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) tensor = load_fixture ("rank2-f8.npy", "-1", &error);
  g_autoptr (NsDataset) table = ns_dataset_new_table (4);
  const char *labels[] = { "a", "b", "c", "d", NULL };

  g_assert_no_error (error);
  ns_dataset_add_numeric_column (table, "x",
                                 g_memdup2 (ns_dataset_get_values (tensor, 0),
                                            4 * sizeof (double)));
  ns_dataset_add_label_column (table, "species", g_strdupv ((char **) labels));
  ns_dataset_add_numeric_column (table, "y",
                                 g_memdup2 (ns_dataset_get_values (tensor, 1),
                                            4 * sizeof (double)));
  ns_dataset_add_numeric_column (table, "z",
                                 g_memdup2 (ns_dataset_get_values (tensor, 2),
                                            4 * sizeof (double)));
  g_assert_true (ns_npy_write (table, out, &error));
  g_assert_no_error (error);
  assert_file_equals_fixture (out, "rank2-f8.npy");
}

static void
test_write_error (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_fixture ("rank2-f8.npy", "-1", &error);

  g_assert_no_error (error);
  g_assert_false (ns_npy_write (data, "/nonexistent-dir/out.npy", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
}

/* The file written by any number of threads, in blocks gathered from the columns (axis 1, f8 and
 * f4) or straight from the tensor (axis none), is ns_npy_encode's of the same C-order values. */
static void
test_write_threaded (void)
{
  const gsize shape[3] = { 300, 7, 1000 }, n = 300 * 7 * 1000;
  g_autofree double *values = g_new (double, n);
  g_autofree float *narrow = g_new (float, n);
  g_autoptr (GBytes) input = NULL;

  for (gsize i = 0; i < n; i++)
    narrow[i] = (float) (values[i] = (double) i - 1e6);
  input = ns_npy_encode ("<f8", shape, 3, FALSE, values, n * 8);
  for (guint f32 = 0; f32 < 2; f32++)
    {
      g_autoptr (GBytes) expected =
        ns_npy_encode (f32 ? "<f4" : "<f8", shape, 3, FALSE,
                       f32 ? (gpointer) narrow : (gpointer) values, n * (f32 ? 4 : 8));

      for (guint axis = 0; axis < 2; axis++)
        for (guint threads = 1; threads <= 3; threads++)
          {
            g_autofree char *out = temp_output ("threaded.npy");
            g_autoptr (GError) error = NULL;
            g_autoptr (NsDataset) data = read_bytes ("big.npy", input, axis ? "1" : "none", &error);
            g_autoptr (GBytes) written = NULL;
            char *contents;
            gsize len;

            g_test_message ("%s, axis %s, %u threads", f32 ? "f4" : "f8", axis ? "1" : "none",
                            threads);
            g_assert_no_error (error);
            g_assert_true (ns_npy_write_threaded (data, out, f32, threads, &error));
            g_assert_no_error (error);
            g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
            written = g_bytes_new_take (contents, len);
            g_assert_true (g_bytes_equal (written, expected));
          }
    }
}

/* ns_npy_encode gives NumPy's bytes for 1-D int64 and unicode arrays. */
static void
test_encode (void)
{
  static const struct {
    const char *file, *descr;
    gsize n;
  } cases[] = {
    { "encode-i8-1d.npy", "<i8", 5 },
    { "encode-u3-1d.npy", "<U3", 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) expected = fixture_bytes (cases[i].file);
      gsize len = g_bytes_get_size (expected);
      const guint8 *data = g_bytes_get_data (expected, NULL);
      g_autoptr (GBytes) encoded =
        ns_npy_encode (cases[i].descr, &cases[i].n, 1, FALSE, data + 128, len - 128);

      g_assert_true (g_bytes_equal (encoded, expected));
    }
}

static void
test_parse_header (void)
{
  g_autoptr (GBytes) unicode = fixture_bytes ("encode-u3-1d.npy");
  g_autoptr (GBytes) big = fixture_bytes ("fortran-i2-be.npy");
  g_autoptr (GBytes) v3 = fixture_bytes ("version3-f8.npy");
  g_autoptr (GError) error = NULL;
  NsNpyHeader header;

  g_assert_true (ns_npy_parse_header ("u.npy", g_bytes_get_data (unicode, NULL),
                                      g_bytes_get_size (unicode), &header, &error));
  g_assert_no_error (error);
  g_assert_cmpint (header.kind, ==, 'U');
  g_assert_cmpint (header.byteorder, ==, '<');
  g_assert_cmpuint (header.itemsize, ==, 12);
  g_assert_cmpuint (header.rank, ==, 1);
  g_assert_cmpuint (header.shape[0], ==, 3);
  g_assert_cmpuint (header.data_offset, ==, 128);
  g_assert_cmpuint (header.data_len, ==, 36);
  g_assert_cmpuint (header.descr_offset, ==, 20);

  g_assert_true (ns_npy_parse_header ("b.npy", g_bytes_get_data (big, NULL), g_bytes_get_size (big),
                                      &header, &error));
  g_assert_no_error (error);
  g_assert_cmpint (header.kind, ==, 'i');
  g_assert_cmpint (header.byteorder, ==, '>');
  g_assert_true (header.fortran_order);
  g_assert_cmpuint (header.n_elements, ==, 24);

  g_assert_true (ns_npy_parse_header ("v3.npy", g_bytes_get_data (v3, NULL), g_bytes_get_size (v3),
                                      &header, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (header.major, ==, 3);
  g_assert_cmpuint (header.data_offset % 64, ==, 0);
  g_assert_cmpstr (header.descr, ==, "<f8");
}

static void
assert_fixture_error (const char *file, const char *axis, int code, const char *message)
{
  g_autofree char *path = fixture_path (file);
  g_autofree char *expected = g_strdup_printf ("%s: %s", path, message);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_fixture (file, axis, &error);

  g_assert_null (data);
  g_assert_error (error, NS_ERROR, code);
  g_assert_cmpstr (error->message, ==, expected);
}

/* Byte offsets follow from the generator's headers: the dict starts at byte 10, the descr value at
 * 20, the data at 128. */
static void
test_bad_files (void)
{
  assert_fixture_error ("bad-lying.npy", NULL, NS_ERROR_PARSE,
                        "byte 128: the header promises 1200 bytes of data, the file has 800");
  assert_fixture_error ("bad-negative.npy", NULL, NS_ERROR_PARSE,
                        "byte 61: the shape has a negative dimension, -3");
  assert_fixture_error ("bad-overflow.npy", NULL, NS_ERROR_PARSE,
                        "byte 60: the shape (4294967296, 4294967296, 4294967296) has too many "
                        "elements: its byte size overflows");
  assert_fixture_error ("bad-object.npy", NULL, NS_ERROR_UNSUPPORTED,
                        "byte 20: dtype '|O': object arrays (pickles) are not supported");
  assert_fixture_error (
    "bad-unknown-dtype.npy", NULL, NS_ERROR_UNSUPPORTED,
    "byte 20: unknown dtype '<y4' (expected a NumPy type string such as '<f8')");
  assert_fixture_error ("bad-dict.npy", NULL, NS_ERROR_PARSE,
                        "byte 26: malformed header: expected ',' or '}' after a value, found '''");
  assert_fixture_error ("bad-truncated.npy", NULL, NS_ERROR_PARSE,
                        "byte 40: truncated header: the file has 40 bytes, the header needs 128");
  assert_fixture_error ("bad-magic.npy", NULL, NS_ERROR_PARSE,
                        "byte 0: not a NumPy .npy file (expected the magic string \\x93NUMPY)");
  assert_fixture_error ("complex-c16.npy", NULL, NS_ERROR_UNSUPPORTED,
                        "byte 20: dtype '<c16' is not supported (expected f4, f8, i1, i2, i4, i8, "
                        "u1, u2, u4, u8 or b1)");
  assert_fixture_error ("structured.npy", NULL, NS_ERROR_UNSUPPORTED,
                        "byte 20: structured dtypes (a list of fields) are not supported");
  assert_fixture_error ("scalar-f8.npy", NULL, NS_ERROR_UNSUPPORTED,
                        "byte 128: the array is a scalar (shape ()); expected an array with a "
                        "first axis of samples");
  assert_fixture_error ("empty-f8.npy", NULL, NS_ERROR_UNSUPPORTED,
                        "byte 128: the array is empty (shape (0, 3)); there are no values");
}

static void
test_bad_axis (void)
{
  assert_fixture_error ("rank1-f8.npy", NULL, NS_ERROR_INVALID_ARGUMENT,
                        "the array has shape (5,): its only axis holds the samples, which are "
                        "always reduced, so axis -1 keeps nothing; use --axis none to treat its "
                        "values as one feature");
  assert_fixture_error ("rank2-f8.npy", "0", NS_ERROR_INVALID_ARGUMENT,
                        "axis '0' is the sample axis; it is always reduced (use 'none' to pool all "
                        "values into one feature)");
  assert_fixture_error ("rank2-f8.npy", "2", NS_ERROR_INVALID_ARGUMENT,
                        "axis '2' is not an integer between -2 and 1 for data of rank 2");
}

/* A header built like NumPy's around arbitrary dict text, then `extra` data bytes. */
static GBytes *
make_npy (guint8 major, const char *dict, gsize extra)
{
  GByteArray *out = g_byte_array_new ();
  gsize prefix = major == 1 ? 10 : 12;
  gsize text_len = strlen (dict);
  gsize padding = 64 - (prefix + text_len + 1) % 64;
  gsize header_len = text_len + 1 + padding;
  guint8 bytes[4] = { major, 0 };

  g_byte_array_append (out, (const guint8 *) "\x93NUMPY", 6);
  g_byte_array_append (out, bytes, 2);
  for (guint i = 0; i < prefix - 8; i++)
    bytes[i] = (guint8) (header_len >> (8 * i));
  g_byte_array_append (out, bytes, prefix - 8);
  g_byte_array_append (out, (const guint8 *) dict, text_len);
  for (gsize i = 0; i < padding; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  g_byte_array_append (out, (const guint8 *) "\n", 1);
  for (gsize i = 0; i < extra; i++)
    g_byte_array_append (out, (const guint8 *) "\0", 1);
  return g_byte_array_free_to_bytes (out);
}

static void
assert_bytes_error (GBytes *bytes, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = read_bytes ("m.npy", bytes, NULL, &error);

  g_assert_null (data);
  g_assert_error (error, NS_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_malformed_headers (void)
{
  static const struct {
    guint8 major;
    const char *dict;
    int code;
    const char *message;
  } cases[] = {
    { 4, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }", NS_ERROR_UNSUPPORTED,
      "m.npy: byte 6: unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)" },
    { 1, "{'descr': '<f8', 'shape': (2, 1), }", NS_ERROR_PARSE,
      "m.npy: byte 44: the header has no 'fortran_order' key" },
    { 1, "{'descr': '<f8', 'descr': '<f8', }", NS_ERROR_PARSE,
      "m.npy: byte 27: the key 'descr' appears twice in the header" },
    { 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), 'x': 1}", NS_ERROR_PARSE,
      "m.npy: byte 68: unexpected key 'x' in the header (expected 'descr', 'fortran_order' and "
      "'shape')" },
    { 1, "{'descr': '<f8', 'fortran_order': maybe, 'shape': (2, 1), }", NS_ERROR_PARSE,
      "m.npy: byte 44: malformed header: expected True or False for 'fortran_order', found 'm'" },
    { 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }", NS_ERROR_PARSE,
      "m.npy: byte 60: malformed header: the shape is not a tuple (a 1-D shape is written (2,))" },
    { 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }", NS_ERROR_PARSE,
      "m.npy: byte 64: malformed header: expected a dimension (an integer) in the shape, found "
      "'x'" },
    { 1, "{'descr': '<f8, 'fortran_order': False, 'shape': (2, 1), }", NS_ERROR_UNSUPPORTED,
      "m.npy: byte 20: unknown dtype '<f8, ' (expected a NumPy type string such as '<f8')" },
    { 1, "{'descr': '<f8', 'fortran_order': False 'shape': (2, 1), }", NS_ERROR_PARSE,
      "m.npy: byte 50: malformed header: expected ',' or '}' after a value, found '''" },
    { 1, "{'descr': '<f8", NS_ERROR_PARSE,
      "m.npy: byte 20: malformed header: unterminated string" },
    { 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), } x", NS_ERROR_PARSE,
      "m.npy: byte 70: malformed header: expected only padding after '}', found 'x'" },
    { 1, "['descr', '<f8']", NS_ERROR_PARSE,
      "m.npy: byte 10: malformed header: expected a dictionary '{', found '['" },
    { 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 1), }",
      NS_ERROR_PARSE, "m.npy: byte 61: the shape has a dimension too large to represent" },
    { 1,
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
      "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), }",
      NS_ERROR_UNSUPPORTED, "m.npy: byte 60: the array has more than 32 dimensions" },
    { 2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }", 0, NULL },
    { 1, "{\"descr\": \"<f8\", \"shape\": (2L, 1L), \"fortran_order\": False}", 0, NULL },
    { 1, "{'descr': '?', 'fortran_order': True, 'shape': (2, 8), }", 0, NULL },
    { 1, "{'descr': '=u2', 'fortran_order': False, 'shape': (2, 4), }", 0, NULL },
    { 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 0), }", NS_ERROR_UNSUPPORTED,
      "m.npy: byte 128: the array is empty (shape (2, 1, 0)); there are no values" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = make_npy (cases[i].major, cases[i].dict, 16);

      g_test_message ("header %s", cases[i].dict);
      if (cases[i].message != NULL)
        assert_bytes_error (bytes, cases[i].code, cases[i].message);
      else
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (NsDataset) data = read_bytes ("m.npy", bytes, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, 2);
        }
    }
}

static void
test_version3_utf8 (void)
{
  g_autoptr (GBytes) comment = make_npy (3,
                                         "{'descr': '<f8', 'fortran_order': False, "
                                         "'shape': (1, 1), } # \xc3\xa9",
                                         8);
  g_autoptr (GBytes) bad = make_npy (3,
                                     "{'descr': '<f8', 'fortran_order': False, "
                                     "'shape': (1, 1), } \xff",
                                     8);
  g_autoptr (GBytes) latin1 = make_npy (1,
                                        "{'descr': '<f8', 'fortran_order': False, "
                                        "'shape': (1, 1), } \xff",
                                        8);

  assert_bytes_error (comment, NS_ERROR_PARSE,
                      "m.npy: byte 72: malformed header: expected only padding after '}', "
                      "found '#'");
  assert_bytes_error (bad, NS_ERROR_PARSE,
                      "m.npy: byte 12: the header of a version 3.0 file is not valid UTF-8");
  assert_bytes_error (latin1, NS_ERROR_PARSE,
                      "m.npy: byte 70: malformed header: expected only padding after '}', "
                      "found byte 0xff");
}

/* Every prefix of a valid file and every single-byte corruption of its header is refused or read,
 * never read out of bounds (run under AddressSanitizer). */
static void
test_truncations_and_corruptions (void)
{
  g_autoptr (GBytes) whole = fixture_bytes ("rank3-f8.npy");
  gsize len = g_bytes_get_size (whole);
  const guint8 *bytes = g_bytes_get_data (whole, NULL);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr (GBytes) part = g_bytes_new (bytes, cut);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = read_bytes ("t.npy", part, NULL, &error);

      g_assert_null (data);
      g_assert_true (g_str_has_prefix (error->message, "t.npy: byte "));
    }
  for (gsize at = 0; at < 128; at++)
    for (guint value = 0; value < 256; value += 7)
      {
        g_autofree guint8 *copy = g_memdup2 (bytes, len);
        g_autoptr (GBytes) corrupt = NULL;
        g_autoptr (GError) error = NULL;
        g_autoptr (NsDataset) data = NULL;

        copy[at] = (guint8) value;
        corrupt = g_bytes_new (copy, len);
        data = read_bytes ("c.npy", corrupt, NULL, &error);
        g_assert_true ((data == NULL) != (error == NULL));
        if (error != NULL)
          g_assert_true (g_str_has_prefix (error->message, "c.npy: "));
      }
}

/* Big enough for several chunks: threads and the odometer over three merged dimensions must put
 * element (n, c, s) = n * 7000 + c * 1000 + s at column c, index n * 1000 + s, in either order. */
static void
test_large_threaded (void)
{
  const gsize shape[3] = { 300, 7, 1000 }, n = 300 * 7 * 1000;
  g_autofree float *c_order = g_new (float, n);
  g_autofree float *f_order = g_new (float, n);

  for (gsize i = 0; i < 300; i++)
    for (gsize c = 0; c < 7; c++)
      for (gsize k = 0; k < 1000; k++)
        {
          c_order[(i * 7 + c) * 1000 + k] = (float) (i * 7000 + c * 1000 + k);
          f_order[(k * 7 + c) * 300 + i] = (float) (i * 7000 + c * 1000 + k);
        }
  for (guint order = 0; order < 2; order++)
    {
      g_autoptr (GBytes) bytes =
        ns_npy_encode ("<f4", shape, 3, order == 1, order == 0 ? c_order : f_order, n * 4);

      for (guint threads = 1; threads <= 3; threads += 2)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (NsDataset) data = NULL;
          NsReadOptions options;

          memset (&options, 0, sizeof options);
          options.axis = "1";
          options.n_threads = threads;
          data = ns_npy_read ("big.npy", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &options, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 7);
          g_assert_cmpuint (ns_dataset_get_spatial_size (data), ==, 1000);
          for (guint c = 0; c < 7; c++)
            {
              const double *values = ns_dataset_get_values (data, c);

              for (gsize i = 0; i < 300; i++)
                for (gsize k = 0; k < 1000; k++)
                  if (values[i * 1000 + k] != (double) (i * 7000 + c * 1000 + k))
                    g_error ("order %u, %u threads: column %u index %" G_GSIZE_FORMAT " is %g",
                             order, threads, c, i * 1000 + k, values[i * 1000 + k]);
            }
        }
    }
}

static void
test_cancel (void)
{
  g_autoptr (GBytes) bytes = fixture_bytes ("rank2-f8.npy");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions options;

  memset (&options, 0, sizeof options);
  g_cancellable_cancel (cancellable);
  data = ns_npy_read ("r.npy", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &options,
                      cancellable, &error);
  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
}

static void
record_progress (double fraction, gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
}

static void
test_progress (void)
{
  g_autoptr (GBytes) bytes = fixture_bytes ("image-nchw-f8.npy");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions options;
  double last = 0.0;

  memset (&options, 0, sizeof options);
  options.axis = "1";
  options.progress = record_progress;
  options.progress_data = &last;
  data = ns_npy_read ("p.npy", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &options,
                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/npy/values-match-numpy", test_values_match_numpy);
  g_test_add_func ("/npy/column-names", test_column_names);
  g_test_add_func ("/npy/axis-statistics", test_axis_statistics);
  g_test_add_func ("/npy/write/round-trip", test_write_round_trip);
  g_test_add_func ("/npy/write/widens-to-float64", test_write_widens_to_float64);
  g_test_add_func ("/npy/write/table", test_write_table);
  g_test_add_func ("/npy/write/error", test_write_error);
  g_test_add_func ("/npy/write/threaded", test_write_threaded);
  g_test_add_func ("/npy/encode", test_encode);
  g_test_add_func ("/npy/parse-header", test_parse_header);
  g_test_add_func ("/npy/bad-files", test_bad_files);
  g_test_add_func ("/npy/bad-axis", test_bad_axis);
  g_test_add_func ("/npy/malformed-headers", test_malformed_headers);
  g_test_add_func ("/npy/version3-utf8", test_version3_utf8);
  g_test_add_func ("/npy/truncations-and-corruptions", test_truncations_and_corruptions);
  g_test_add_func ("/npy/large-threaded", test_large_threaded);
  g_test_add_func ("/npy/cancel", test_cancel);
  g_test_add_func ("/npy/progress", test_progress);
  return g_test_run ();
}
