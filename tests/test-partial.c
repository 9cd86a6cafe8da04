/* test-partial.c: partial statistics: the file round trip, merges in any order, refusals.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/ns-npy-format.h"
#include "core/ns-npy-private.h"
#include "core/ns-partial.h"
#include "core/ns-reader.h"
#include "core/ns-stream.h"
#include "test-utils.h"

static char *tmp_dir;

static char *
write_data (guint rows)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  GString *text = g_string_new ("a,b,name\n");
  char *path = g_build_filename (tmp_dir, "data.csv", NULL);

  for (guint r = 0; r < rows; r++)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (a, sizeof a, 1e6 + g_rand_double (rand));
      g_ascii_dtostr (b, sizeof b, -g_rand_double (rand) * 1e-5);
      g_string_append_printf (text, "%s,%s,n%u\n", a, r % 11 == 3 ? "" : b, r);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  return path;
}

static NsPartial *
read_part (const char *path, NsMethod method, gint64 start, gint64 end, gboolean approx)
{
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;
  NsStreamOptions stream;
  NsPartial *partial;

  ns_scaler_options_init (&options, method);
  ns_stream_options_init (&stream);
  stream.range_start = start;
  stream.range_end = end;
  stream.approx_quantiles = approx;
  partial = ns_stream_read (path, NULL, &options, &stream, NULL, &error);
  g_assert_no_error (error);
  return partial;
}

/* Through the file format, as fit --partial and merge pass them. */
static NsPartial *
round_trip (const NsPartial *partial)
{
  g_autofree char *text = ns_partial_to_json_string (partial);
  g_autoptr (GError) error = NULL;
  NsPartial *back = ns_partial_parse ("part.json", text, strlen (text), &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  again = ns_partial_to_json_string (back);
  g_assert_cmpstr (text, ==, again);
  return back;
}

static void
test_merge_orders (void)
{
  g_autofree char *path = write_data (20000);
  gint64 size = 0;
  const NsMethod methods[] = { NS_METHOD_STANDARD, NS_METHOD_MINMAX, NS_METHOD_MAXABS,
                               NS_METHOD_ROBUST };

  {
    g_autofree char *text = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &text, &len, NULL));
    size = len;
  }
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      gboolean approx = methods[m] == NS_METHOD_ROBUST;
      double tolerance = approx ? 0.01 : 1e-15;
      g_autoptr (NsPartial) whole = read_part (path, methods[m], -1, -1, approx);
      g_autoptr (NsStats) whole_stats = ns_partial_to_stats (whole, NULL);
      g_autoptr (NsStats) stats = NULL;
      NsPartial *parts[7];

      for (guint i = 0; i < 7; i++)
        {
          g_autoptr (NsPartial) part =
            read_part (path, methods[m], size * i / 7, size * (i + 1) / 7, approx);

          parts[i] = round_trip (part);
        }
      stats = ns_test_merge_in_any_order (parts);
      g_assert_cmpuint (ns_stats_get_source_rows (stats), ==, 20000);
      for (guint c = 0; c < 2; c++)
        {
          g_assert_cmpfloat (ns_stats_get_count (stats, c), ==,
                             ns_stats_get_count (whole_stats, c));
          ns_test_assert_close (ns_stats_get_mean (stats, c), ns_stats_get_mean (whole_stats, c),
                                1e-15, 0, "column %u mean", c);
          ns_test_assert_close (ns_stats_get_variance (stats, c),
                                ns_stats_get_variance (whole_stats, c), 1e-14, 0,
                                "column %u variance", c);
          ns_test_assert_close (ns_stats_get_scale (stats, c), ns_stats_get_scale (whole_stats, c),
                                tolerance, 0, "column %u scale", c);
        }
      for (guint i = 0; i < 7; i++)
        ns_partial_free (parts[i]);
    }
}

static void
test_merge_refusals (void)
{
  g_autofree char *path = write_data (100);
  g_autofree char *other = g_build_filename (tmp_dir, "other.csv", NULL);
  g_autoptr (NsPartial) standard = read_part (path, NS_METHOD_STANDARD, 0, 1000, FALSE);
  g_autoptr (NsPartial) rest = read_part (path, NS_METHOD_STANDARD, 1000, 100000, FALSE);
  g_autoptr (NsPartial) overlap = read_part (path, NS_METHOD_STANDARD, 900, 100000, FALSE);
  g_autoptr (NsPartial) minmax = read_part (path, NS_METHOD_MINMAX, 1000, 100000, FALSE);
  g_autoptr (NsPartial) columns = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (other, "a,c\n1,2\n", -1, NULL));
  columns = read_part (other, NS_METHOD_STANDARD, -1, -1, FALSE);
  ns_test_assert_merge_fails (standard, minmax,
                              "b.json: method 'minmax' does not match method 'standard' of a.json");
  ns_test_assert_merge_fails (standard, columns, "b.json: column 2 is 'c' but it is 'b' in a.json");
  expected = g_strdup_printf (
    "a.json and b.json both hold bytes 900..1000 of %s: their rows would be counted twice", path);
  ns_test_assert_merge_fails (standard, overlap, expected);
  {
    NsPartial *parts[] = { rest, standard };
    const char *names[] = { "rest", "standard" };
    g_autoptr (NsPartial) merged = ns_partial_merge (parts, names, 2, NULL);
    gint64 start, end;

    g_assert_cmpuint (ns_partial_get_rows (merged), ==, 100);
    g_assert_false (ns_partial_get_range (merged, &start, &end)); /* the whole file */
  }
}

static void
assert_parse_fails (const char *text, const char *expected)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (ns_partial_parse ("p.json", text, strlen (text), &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_parse_refusals (void)
{
  assert_parse_fails ("{\"format\": \"normscope-stats\", \"version\": 1}",
                      "p.json: format: expected \"normscope-partial\" (a file from fit --partial), "
                      "found 'normscope-stats'");
  assert_parse_fails (
    "{\"format\": \"normscope-partial\", \"version\": 2}",
    "p.json: version: this normscope reads version 1 partial files, found version 2");
  assert_parse_fails (
    "{\"format\": \"normscope-partial\", \"version\": 1, \"method\": \"mean\"}",
    "p.json: method: expected standard, keras, minmax, maxabs or robust, found 'mean'");
  assert_parse_fails (
    "{\"format\": \"normscope-partial\", \"version\": 1, \"method\": \"maxabs\", \"params\": {}, "
    "\"source\": {\"rows\": 1}, \"labels\": [], \"columns\": [{\"name\": \"a\", \"count\": 1}]}",
    "p.json: columns[0].missing: expected a number or null, found nothing (the key is missing)");
  /* A lone surrogate would reach the merged stats and their exports as bytes that are no UTF-8. */
  assert_parse_fails (
    "{\"format\": \"normscope-partial\", \"version\": 1, \"method\": \"maxabs\", \"params\": {}, "
    "\"source\": {\"rows\": 1}, \"labels\": [\"\\ud800x\"], \"columns\": []}",
    "p.json: labels[0]: expected UTF-8 text, found a byte that starts no character at byte 0 "
    "(a \\u escape of a lone UTF-16 surrogate, such as \\ud800?)");
}

/* Parts must describe the data once each: a file by its size and SHA-256, ranges tiling it. */
static void
test_merge_coverage (void)
{
  g_autofree char *path = write_data (100);
  g_autofree char *dotted = g_build_filename (tmp_dir, ".", "data.csv", NULL);
  g_autoptr (NsPartial) whole = read_part (path, NS_METHOD_STANDARD, -1, -1, FALSE);
  g_autoptr (NsPartial) again = read_part (dotted, NS_METHOD_STANDARD, -1, -1, FALSE);
  g_autoptr (NsPartial) head = read_part (path, NS_METHOD_STANDARD, 0, 1000, FALSE);
  g_autoptr (NsPartial) tail = read_part (path, NS_METHOD_STANDARD, 2000, 100000, FALSE);
  g_autoptr (NsPartial) middle = read_part (path, NS_METHOD_STANDARD, 1000, 2000, FALSE);
  g_autoptr (NsPartial) short_tail = read_part (path, NS_METHOD_STANDARD, 1000, 2000, FALSE);
  g_autoptr (NsPartial) newer = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &text, &size, NULL));
  {
    g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) text, size);

    expected = g_strdup_printf ("a.json and b.json are fits of the same data (%" G_GSIZE_FORMAT
                                " bytes, SHA-256 %.12s…): their rows would be counted twice",
                                size, sha);
    ns_test_assert_merge_fails (whole, again, expected);
    g_clear_pointer (&expected, g_free);
  }
  expected = g_strdup_printf ("bytes 1000..2000 of %s are in no part (b.json and the others must "
                              "tile the whole file): fit them with --byte-range 1000:2000",
                              path);
  ns_test_assert_merge_fails (head, tail, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("bytes 2000..%" G_GSIZE_FORMAT " of %s are in no part (b.json and "
                              "the others must tile the whole file): fit them with --byte-range "
                              "2000:%" G_GSIZE_FORMAT,
                              size, path, size);
  ns_test_assert_merge_fails (head, short_tail, expected);
  /* The file grows between two parts: two versions of it. */
  g_clear_pointer (&expected, g_free);
  text = g_realloc (text, size + 10);
  memcpy (text + size, "1,2,n\n", 6);
  g_assert_true (g_file_set_contents (path, text, (gssize) size + 6, NULL));
  newer = read_part (path, NS_METHOD_STANDARD, 2000, 100000, FALSE);
  expected = g_strdup_printf ("a.json and b.json read two versions of %s (%" G_GSIZE_FORMAT
                              " and %" G_GSIZE_FORMAT " bytes): fit every part from the same file",
                              path, size, size + 6);
  ns_test_assert_merge_fails (middle, newer, expected);
}

/* Moments no data could give (a NaN mean, a negative M2) are refused when a part is read. */
static void
test_parse_inconsistent_moments (void)
{
  const char *head =
    "{\"format\": \"normscope-partial\", \"version\": 1, \"method\": \"standard\", "
    "\"params\": {\"with_mean\": true, \"with_std\": true}, \"source\": {\"rows\": 3}, "
    "\"labels\": [], \"columns\": [{\"name\": \"a\", \"count\": 3, \"missing\": 0, "
    "\"infinite\": 0, ";
  g_autofree char *nan_mean = g_strconcat (head,
                                           "\"mean\": \"nan\", \"mean_low\": 0, \"m2\": 1, "
                                           "\"m3\": 0, \"m4\": 1, \"min\": 1, \"max\": 3, "
                                           "\"max_abs\": 3}]}",
                                           NULL);
  g_autofree char *negative_m2 = g_strconcat (head,
                                              "\"mean\": 2, \"mean_low\": 0, \"m2\": -1, "
                                              "\"m3\": 0, \"m4\": 1, \"min\": 1, \"max\": 3, "
                                              "\"max_abs\": 3}]}",
                                              NULL);
  g_autofree char *fractional =
    g_strconcat ("{\"format\": \"normscope-partial\", \"version\": 1, "
                 "\"method\": \"maxabs\", \"params\": {}, \"source\": "
                 "{\"rows\": 3}, \"labels\": [], \"columns\": [{\"name\": "
                 "\"a\", \"count\": 2.5, \"missing\": 0, \"infinite\": 0, "
                 "\"mean\": 2, \"mean_low\": 0, \"m2\": 1, \"m3\": 0, "
                 "\"m4\": 1, \"min\": 1, \"max\": 3, \"max_abs\": 3}]}",
                 NULL);

  assert_parse_fails (
    nan_mean, "p.json: columns[0].mean: expected moments that data could have, found 'nan'");
  assert_parse_fails (negative_m2,
                      "p.json: columns[0].m2: expected moments that data could have, found -1");
  assert_parse_fails (fractional,
                      "p.json: columns[0].count: expected moments that data could have, found 2.5");
  assert_parse_fails ("", "p.json: the file is empty; expected a normscope partial file (JSON)");
}

static void
test_robust_needs_sketch (void)
{
  g_autofree char *path = write_data (50);
  g_autoptr (NsPartial) partial = read_part (path, NS_METHOD_ROBUST, -1, -1, FALSE);
  g_autoptr (GError) error = NULL;

  g_assert_null (ns_partial_to_stats (partial, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
}

/* A partial of a float64 .npy of the given shape (values from a fixed seed), its source named
 * file. */
static NsPartial *
npy_part (const gsize *shape, guint rank, const char *axis, const char *file)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (rank * 100 + shape[0]);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree double *values = NULL;
  NsReadOptions read_options;
  NsScalerOptions options;
  NsPartial *partial;
  guint64 n_samples;
  gsize n = 1;

  for (guint i = 0; i < rank; i++)
    n *= shape[i];
  values = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    values[i] = g_rand_double_range (rand, -3, 5);
  bytes = ns_npy_encode ("<f8", shape, rank, FALSE, values, n * sizeof (double));
  ns_read_options_init (&read_options);
  read_options.axis = axis;
  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  partial = ns_npy_read_partial (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 &read_options, &options, FALSE, 2, -1, &n_samples, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_samples, ==, shape[0]);
  ns_partial_set_source (partial, file, -1, -1, (gint64) g_bytes_get_size (bytes), NULL, n_samples);
  return partial;
}

static char *
params_json (NsStats *stats)
{
  g_autoptr (JsonNode) node =
    json_node_init_object (json_node_alloc (), ns_stats_get_params (stats));

  return json_to_string (node, FALSE);
}

static void
test_tensor_round_trip (void)
{
  const gsize shape[] = { 100, 4, 3, 2 };
  g_autoptr (NsPartial) partial = npy_part (shape, 4, "-1", "a.npy");
  g_autoptr (NsPartial) back = round_trip (partial);
  g_autofree char *text = ns_partial_to_json_string (back);
  g_autoptr (NsStats) stats = ns_partial_to_stats (back, NULL);
  g_autofree char *params = params_json (stats);
  g_autoptr (NsPartial) flat = NULL, flat_back = NULL;

  g_assert_nonnull (strstr (text, "\"params\": {\"with_mean\": true, \"with_std\": true, "
                                  "\"axis\": [3], \"rank\": 4, \"shape\": [100, 4, 3, 2]},"));
  g_assert_cmpuint (ns_partial_get_n_columns (back), ==, 2);
  g_assert_cmpstr (ns_partial_get_name (back, 1), ==, "channel_1");
  g_assert_cmpstr (params, ==,
                   "{\"with_mean\":true,\"with_std\":true,\"axis\":[3],\"rank\":4,"
                   "\"shape\":[100,4,3,2]}");
  /* Every axis reduced: an empty axis list. */
  flat = npy_part (shape, 1, "none", "flat.npy");
  flat_back = round_trip (flat);
  g_clear_pointer (&text, g_free);
  text = ns_partial_to_json_string (flat_back);
  g_assert_nonnull (strstr (text, "\"axis\": [], \"rank\": 1, \"shape\": [100]},"));
  g_assert_cmpstr (ns_partial_get_name (flat_back, 0), ==, "all");
}

/* A table's partial has no layout, and its stats file no axis, rank or shape. */
static void
test_table_has_no_tensor (void)
{
  g_autofree char *path = write_data (30);
  g_autoptr (NsPartial) partial = read_part (path, NS_METHOD_MAXABS, -1, -1, FALSE);
  g_autoptr (NsPartial) back = round_trip (partial);
  g_autofree char *text = ns_partial_to_json_string (back);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = ns_partial_to_stats (back, &error);
  JsonObject *params;

  g_assert_no_error (error);
  params = ns_stats_get_params (stats);
  g_assert_null (strstr (text, "\"rank\""));
  g_assert_null (strstr (text, "\"shape\""));
  g_assert_null (strstr (text, "\"axis\""));
  g_assert_false (json_object_has_member (params, "axis"));
  g_assert_false (json_object_has_member (params, "rank"));
  g_assert_false (json_object_has_member (params, "shape"));
}

static void
test_tensor_merge (void)
{
  const gsize shape_a[] = { 100, 4, 3, 2 }, shape_b[] = { 37, 4, 3, 2 }, shape_c[] = { 5, 4, 3, 2 };
  g_autoptr (NsPartial) a = npy_part (shape_a, 4, "-1", "a.npy");
  g_autoptr (NsPartial) b = npy_part (shape_b, 4, "-1", "b.npy");
  g_autoptr (NsPartial) c = npy_part (shape_c, 4, "-1", "c.npy");
  g_autoptr (NsPartial) b_back = round_trip (b);
  NsPartial *parts[] = { c, a, b_back };
  const char *names[] = { "c.json", "a.json", "b.json" };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) merged = ns_partial_merge (parts, names, 3, &error);
  g_autoptr (NsPartial) merged_back = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autofree char *text = NULL, *params = NULL;

  g_assert_no_error (error);
  merged_back = round_trip (merged);
  text = ns_partial_to_json_string (merged_back);
  g_assert_nonnull (strstr (text, "\"axis\": [3], \"rank\": 4, \"shape\": [142, 4, 3, 2]},"));
  g_assert_cmpuint (ns_partial_get_rows (merged_back), ==, 142);
  stats = ns_partial_to_stats (merged_back, &error);
  g_assert_no_error (error);
  params = params_json (stats);
  g_assert_cmpstr (params, ==,
                   "{\"with_mean\":true,\"with_std\":true,\"axis\":[3],\"rank\":4,"
                   "\"shape\":[142,4,3,2]}");
  g_assert_cmpfloat (ns_stats_get_count (stats, 0), ==, 142 * 12);
}

static void
test_tensor_merge_refusals (void)
{
  const gsize nhwc[] = { 100, 4, 3, 2 }, other_hw[] = { 100, 3, 4, 2 };
  const gsize nchw[] = { 100, 2, 3, 4 }, rank2[] = { 100, 2 };
  g_autoptr (NsPartial) a = npy_part (nhwc, 4, "-1", "a.npy");
  g_autoptr (NsPartial) hw = npy_part (other_hw, 4, "-1", "b.npy");
  g_autoptr (NsPartial) axis1 = npy_part (nchw, 4, "1", "b.npy");
  g_autoptr (NsPartial) flat = npy_part (rank2, 2, "-1", "b.npy");
  g_autofree char *table_path = g_build_filename (tmp_dir, "b.csv", NULL);
  g_autofree char *a_path = g_build_filename (tmp_dir, "a.npy", NULL);
  g_autoptr (NsPartial) in_tmp = npy_part (nhwc, 4, "-1", a_path);
  g_autoptr (NsPartial) table = NULL;
  const char *expected = "b.json: its layout (params rank, shape after the first axis, axis) "
                         "differs from that of a.json";

  ns_test_assert_merge_fails (a, hw, expected);
  ns_test_assert_merge_fails (a, axis1, expected);
  ns_test_assert_merge_fails (a, flat, expected);
  /* A table whose columns happen to have the same names. Parts are ordered by source file (as
   * an absolute path) before they are compared: the tensor's a.npy in tmp_dir comes first. */
  g_assert_true (g_file_set_contents (table_path, "channel_0,channel_1\n1,2\n3,4\n", -1, NULL));
  table = read_part (table_path, NS_METHOD_STANDARD, -1, -1, FALSE);
  ns_test_assert_merge_fails (in_tmp, table, expected);
}

/* The partial's JSON with its params object replaced. */
static char *
with_params (const char *params)
{
  const gsize shape[] = { 10, 3 };
  g_autoptr (NsPartial) partial = npy_part (shape, 2, "-1", "t.npy");
  g_autofree char *text = ns_partial_to_json_string (partial);
  g_autoptr (GRegex) regex = g_regex_new ("\"params\": \\{[^}]*\\}", 0, 0, NULL);
  g_autofree char *replacement = g_strdup_printf ("\"params\": {\"with_mean\": true, "
                                                  "\"with_std\": true, %s",
                                                  params + 1);

  return g_regex_replace_literal (regex, text, -1, 0, replacement, 0, NULL);
}

static void
test_tensor_parse_refusals (void)
{
  const struct {
    const char *params, *message;
  } cases[] = {
    { "{\"rank\": 2, \"shape\": [10, 3], \"axis\": [1]}", NULL },
    { "{\"rank\": 0, \"shape\": [], \"axis\": []}",
      "p.json: params.rank: expected an integer from 1 to 32 (with shape and axis), found 0" },
    { "{\"rank\": 33, \"shape\": [10, 3], \"axis\": [1]}",
      "p.json: params.rank: expected an integer from 1 to 32 (with shape and axis), found 33" },
    { "{\"rank\": \"2\", \"shape\": [10, 3], \"axis\": [1]}",
      "p.json: params.rank: expected an integer from 1 to 32 (with shape and axis), found '2'" },
    { "{\"shape\": [10, 3], \"axis\": [1]}",
      "p.json: params.rank: expected an integer from 1 to 32 (with shape and axis), found "
      "nothing (the key is missing)" },
    { "{\"rank\": 2, \"axis\": [1]}",
      "p.json: params.shape: expected an array of rank integers, found nothing (the key is "
      "missing)" },
    { "{\"rank\": 2, \"shape\": [10, 3, 1], \"axis\": [1]}",
      "p.json: params.shape: expected an array of rank integers, found an array" },
    { "{\"rank\": 2, \"shape\": [10, -3], \"axis\": [1]}",
      "p.json: params.shape[1]: expected a non-negative integer, found -3" },
    { "{\"rank\": 2, \"shape\": [10, 3.5], \"axis\": [1]}",
      "p.json: params.shape[1]: expected a non-negative integer, found 3.5" },
    { "{\"rank\": 2, \"shape\": [10, 3]}",
      "p.json: params.axis: expected an array of the kept axes (fewer than rank), found nothing "
      "(the key is missing)" },
    { "{\"rank\": 2, \"shape\": [10, 3], \"axis\": [0, 1]}",
      "p.json: params.axis: expected an array of the kept axes (fewer than rank), found an "
      "array" },
    { "{\"rank\": 2, \"shape\": [10, 3], \"axis\": [0]}",
      "p.json: params.axis[0]: expected an increasing axis from 1 to rank - 1, found 0" },
    { "{\"rank\": 2, \"shape\": [10, 3], \"axis\": [2]}",
      "p.json: params.axis[0]: expected an increasing axis from 1 to rank - 1, found 2" },
    { "{\"rank\": 3, \"shape\": [10, 3, 1], \"axis\": [1, 1]}",
      "p.json: params.axis[1]: expected an increasing axis from 1 to rank - 1, found 1" },
    { "{\"rank\": 4, \"shape\": [10, 3, 1, 1], \"axis\": [2, 1]}",
      "p.json: params.axis[1]: expected an increasing axis from 1 to rank - 1, found 1" },
    { "{\"rank\": 3, \"shape\": [10, 1, 3], \"axis\": [1]}",
      "p.json: params: the kept axes hold 1 features, but there are 3 columns" },
    { "{\"rank\": 3, \"shape\": [10, 1, 3], \"axis\": [1, 2]}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = with_params (cases[i].params);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) partial = ns_partial_parse ("p.json", text, strlen (text), &error);

      g_assert_nonnull (strstr (text, cases[i].params + 1));
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (partial);
          continue;
        }
      g_assert_null (partial);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/partial/merge-orders", test_merge_orders);
  g_test_add_func ("/partial/merge-refusals", test_merge_refusals);
  g_test_add_func ("/partial/parse-refusals", test_parse_refusals);
  g_test_add_func ("/partial/merge-coverage", test_merge_coverage);
  g_test_add_func ("/partial/parse-inconsistent-moments", test_parse_inconsistent_moments);
  g_test_add_func ("/partial/robust-needs-sketch", test_robust_needs_sketch);
  g_test_add_func ("/partial/tensor-round-trip", test_tensor_round_trip);
  g_test_add_func ("/partial/table-has-no-tensor", test_table_has_no_tensor);
  g_test_add_func ("/partial/tensor-merge", test_tensor_merge);
  g_test_add_func ("/partial/tensor-merge-refusals", test_tensor_merge_refusals);
  g_test_add_func ("/partial/tensor-parse-refusals", test_tensor_parse_refusals);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
