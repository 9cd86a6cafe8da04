/* test-stream.c: streaming fits equal in-memory fits (blocks, gzip members, byte ranges,
 * in place), and their errors.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-stream-helpers.h"

static void
test_stream_equals_memory (void)
{
  g_autofree char *path = write_table ("table.csv", 30000, TRUE, 1);
  g_autofree char *keras_path = write_table ("keras.csv", 20000, FALSE, 2);
  const NsMethod methods[] = { NS_METHOD_STANDARD, NS_METHOD_MINMAX, NS_METHOD_MAXABS,
                               NS_METHOD_KERAS };
  const gsize blocks[] = { 333, 4096, 65536, 0 };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      const char *file = methods[m] == NS_METHOD_KERAS ? keras_path : path;
      g_autoptr (NsStats) single = fit_in_memory (file, methods[m], 1);
      g_autoptr (NsStats) threaded = fit_in_memory (file, methods[m], 0);

      for (guint b = 0; b < G_N_ELEMENTS (blocks); b++)
        for (guint threads = 1; threads <= 3; threads++)
          {
            g_autoptr (NsStats) streamed = fit_streaming (file, methods[m], blocks[b], threads);

            /* The same 2048-value blocks in the same order: the same bits. */
            assert_stats_equal (streamed, single, 0);
            assert_stats_equal (streamed, threaded, 1e-15);
            g_assert_cmpstr (ns_stats_get_source_sha256 (streamed), ==,
                             ns_stats_get_source_sha256 (single));
          }
    }
}

static void
test_stream_gzip (void)
{
  g_autofree char *path = write_table ("gz.csv", 5000, TRUE, 3);
  g_autofree char *gz_path = tmp_path ("gz.csv.gz");
  g_autofree char *command = g_strdup_printf ("gzip -kf %s", path);
  g_autoptr (NsStats) memory = NULL, streamed = NULL;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  memory = fit_in_memory (gz_path, NS_METHOD_STANDARD, 1);
  streamed = fit_streaming (gz_path, NS_METHOD_STANDARD, 1000, 2);
  assert_stats_equal (streamed, memory, 0);
  g_assert_cmpstr (ns_stats_get_source_sha256 (streamed), ==, ns_stats_get_source_sha256 (memory));
}

static char *
csv_fixture (const char *name)
{
  return g_build_filename (g_getenv ("NS_TEST_DATA"), "csv", name, NULL);
}

/* Every member of a multi-member file (tests/gen-gzip-members.py: an empty member, lines cut
 * across members, bgzip's many small blocks) counts, in memory and in blocks of any size. */
static void
test_stream_gzip_members (void)
{
  const char *names[] = { "members.csv.gz", "members-bgzf.csv.gz" };
  g_autofree char *plain = csv_fixture ("members.csv");
  g_autoptr (NsStats) expected = fit_in_memory (plain, NS_METHOD_STANDARD, 1);

  g_assert_cmpuint (ns_stats_get_source_rows (expected), ==, 200);
  g_assert_cmpuint (ns_stats_get_n_columns (expected), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = csv_fixture (names[i]);
      g_autoptr (NsStats) memory = fit_in_memory (path, NS_METHOD_STANDARD, 1);

      assert_stats_equal (memory, expected, 0);
      for (gsize block = 16; block <= 4096; block *= 16)
        {
          g_autoptr (NsStats) streamed = fit_streaming (path, NS_METHOD_STANDARD, block, 2);

          assert_stats_equal (streamed, expected, 0);
        }
    }
}

/* The message of reading path in memory, checked equal to that of reading it in blocks. */
static char *
gzip_error_of_both_readers (const char *path)
{
  g_autoptr (GError) memory_error = NULL;
  g_autoptr (GError) stream_error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &memory_error);
  NsScalerOptions options;
  NsStreamOptions stream;

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  ns_stream_options_init (&stream);
  g_assert_null (data);
  g_assert_null (ns_stream_fit (path, NULL, &options, &stream, NULL, &stream_error));
  g_assert_error (memory_error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_error (stream_error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (memory_error->message, ==, stream_error->message);
  return g_strdup (memory_error->message);
}

/* Bytes after the last member that start no other member are refused where they start. */
static void
test_stream_gzip_trailing_data (void)
{
  const struct {
    const char *bytes;
    gsize len;
    const char *expected;
  } tails[] = {
    { "x", 1,
      "byte %zu: expected another gzip member or the end of the file, found other data after the "
      "last member" },
    { "\x1f", 1,
      "byte %zu: expected another gzip member or the end of the file, found other data after the "
      "last member" },
    { "\0\0\0\0", 4,
      "byte %zu: expected another gzip member or the end of the file, found other data after the "
      "last member" },
    { "\x1f\x8b", 2,
      "byte %zu: expected more gzip data, found the end of the file (the file is truncated)" },
  };
  g_autofree char *fixture = csv_fixture ("members.csv.gz");
  g_autofree char *path = tmp_path ("trailing.csv.gz");
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (fixture, &contents, &len, NULL));
  for (guint t = 0; t < G_N_ELEMENTS (tails); t++)
    {
      g_autoptr (GByteArray) bytes = g_byte_array_new ();
      g_autofree char *message = NULL;
      g_autofree char *position = NULL;
      g_autofree char *expected = NULL;

      g_byte_array_append (bytes, (const guint8 *) contents, len);
      g_byte_array_append (bytes, (const guint8 *) tails[t].bytes, tails[t].len);
      g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
      message = gzip_error_of_both_readers (path);
      position = g_strdup_printf (tails[t].expected, t < 3 ? len : len + tails[t].len);
      expected = g_strdup_printf ("%s: %s", path, position);
      g_assert_cmpstr (message, ==, expected);
    }
}

static NsPartial *
read_range (const char *path, gint64 start, gint64 end, GError **error)
{
  return stream_partial (path, NULL, start, end, error);
}

/* For every split position k, [0, k) and [k, size) together hold each row once, with CRLF too. */
static void
test_stream_byte_ranges_every_position (void)
{
  const char *texts[] = {
    "x,y\n1,10\n2,20\n3,30\n\n4,40\n5,50\n6,60\n7,70",
    "x,y\r\n1,10\r\n2,20\r\n3,30\r\n4,40\r\n",
    "1,10\n2,20\n3,30\n4,40\n",
  };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autofree char *path = tmp_path ("ranges.csv");
      gint64 size = strlen (texts[t]);

      g_assert_true (g_file_set_contents (path, texts[t], size, NULL));
      for (gint64 k = 0; k <= size; k++)
        for (gint64 j = k; j <= size; j++)
          {
            g_autoptr (GError) error = NULL;
            g_autoptr (NsPartial) a = read_range (path, 0, k, &error);
            g_autoptr (NsPartial) b = read_range (path, k, j, &error);
            g_autoptr (NsPartial) c = read_range (path, j, size, &error);
            const NsMoments *ma, *mb, *mc;

            g_assert_no_error (error);
            ma = ns_partial_peek_moments (a, 0);
            mb = ns_partial_peek_moments (b, 0);
            mc = ns_partial_peek_moments (c, 0);
            /* Rows are 1..n in x: the sums tell which rows each range read. */
            g_assert_cmpfloat (ma->count + mb->count + mc->count, ==, t == 0 ? 7 : 4);
            g_assert_cmpfloat (ma->count * ma->mean + mb->count * mb->mean + mc->count * mc->mean,
                               ==, t == 0 ? 28 : 10);
            g_assert_cmpuint (ns_partial_get_rows (a) + ns_partial_get_rows (b) +
                                ns_partial_get_rows (c),
                              ==, t == 0 ? 7 : 4);
          }
    }
}

static void
assert_error_prefix (GError *error, const char *expected)
{
  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, expected))
    g_error ("expected a message starting with '%s', found '%s'", expected, error->message);
}

static void
test_stream_errors (void)
{
  g_autofree char *quoted = tmp_path ("quoted.csv");
  g_autofree char *bad = tmp_path ("bad.csv");
  g_autofree char *gz = tmp_path ("gz.csv.gz");
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) partial = NULL;
  NsScalerOptions options;
  NsStreamOptions stream;

  g_assert_true (g_file_set_contents (quoted, "x,note\n1,\"two\nlines\"\n2,b\n", -1, NULL));
  partial = read_range (quoted, 0, 10, &error);
  g_assert_null (partial);
  expected = g_strdup_printf ("%s: bytes 7..", quoted);
  assert_error_prefix (error, expected);
  g_assert_nonnull (strstr (error->message, "a quoted field holds a line break, so this file "
                                            "cannot be split into byte ranges"));
  g_clear_error (&error);

  /* Whole-file streaming reads it, and a block boundary inside the quotes is no problem. */
  {
    GString *text = g_string_new ("x,note\n");

    for (guint i = 0; i < 20000; i++)
      g_string_append_printf (text, "%u,\"line %u\n\"\"quoted\"\", and on\"\n", i, i);
    g_assert_true (g_file_set_contents (quoted, text->str, text->len, NULL));
    g_string_free (text, TRUE);
  }
  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  ns_stream_options_init (&stream);
  stream.block_size = 5;
  stream.n_threads = 3;
  partial = ns_stream_read (quoted, NULL, &options, &stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ns_partial_peek_moments (partial, 0)->count, ==, 20000);
  g_assert_cmpfloat (ns_partial_peek_moments (partial, 0)->mean, ==, 19999 / 2.0);
  g_clear_pointer (&partial, ns_partial_free);

  /* Line numbers in messages count from the file's start, across blocks. */
  g_assert_true (g_file_set_contents (bad, "x,y\n1,2\n3,4\n5,6\n7,oops\n", -1, NULL));
  stream.block_size = 4;
  stream.n_threads = 3;
  g_assert_null (ns_stream_read (bad, NULL, &options, &stream, NULL, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s:5:3: expected a number in column 'y', found 'oops'", bad);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* In a byte range lines are unknown: the position is a byte offset. */
  g_assert_null (read_range (bad, 5, 100, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: byte 18: expected a number in column 'y', found 'oops'", bad);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  g_assert_null (ns_stream_fit (bad, NULL, &options, &stream, NULL, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "method robust needs exact quantiles"));
  g_clear_error (&error);

  {
    g_autofree char *command = g_strdup_printf ("sh -c 'gzip -c %s > %s'", bad, gz);

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  }
  g_assert_null (read_range (gz, 0, 10, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: --byte-range needs an uncompressed file", gz);
  assert_error_prefix (error, expected);
}

static NsStats *
fit_in_place (const char *path, NsMethod method, gsize chunk, guint n_threads)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) partial = NULL;
  NsStats *stats;

  g_assert_cmpint (read_in_place (path, method, chunk, n_threads, NULL, &partial, &error), ==,
                   NS_IN_PLACE_DONE);
  g_assert_no_error (error);
  stats = ns_partial_to_stats (partial, &error);
  g_assert_no_error (error);
  return stats;
}

/* Chunks of any size (one byte: most are empty) on any number of threads give the bits of the
 * in-memory fit, whatever the line ends, blank lines, BOM or missing values. */
static void
test_in_place_equals_memory (void)
{
  g_autoptr (GString) table = g_string_new ("id,label,big,small\n");
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const gsize chunks[] = { 1, 7, 100, 4096, 65536, 0 };
  /* (keras refuses missing values) */
  const NsMethod methods[] = { NS_METHOD_STANDARD, NS_METHOD_MINMAX, NS_METHOD_MAXABS };
  char *paths[6];

  for (guint r = 0; r < 9000; r++)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (a, sizeof a, 1e9 + g_rand_double_range (rand, -1, 1));
      g_ascii_dtostr (b, sizeof b, g_rand_double_range (rand, -3, 5) * 1e-3);
      g_string_append_printf (table, "%u,%s,%s,%s\n", r, r % 3 ? "cat" : "dog", a,
                              r % 17 == 5 ? "NA" : b);
    }
  paths[0] = write_text ("in-place.csv", table->str);
  paths[1] = write_text ("in-place-crlf.csv", "\xef\xbb\xbfx;y\r\n1;2\r\n\r\n3;NA\r\n5;6\r\n7;8");
  paths[2] = write_text ("in-place-cr.csv", "x,y\r1,2\r3,4\r5,6\r");
  paths[3] = write_text ("in-place-blank.csv", "x y\n\n1   2\n\n\n3 4\n5 6\n");
  /* A column whose first value comes late is typed by that value, as in memory: a label. */
  paths[4] = write_text ("in-place-late.csv", "x,y\n1,\n2,\n3,\n4,maybe\n5,7\n");
  /* Quotes that close on their line (R's write.csv quotes every name and text). */
  paths[5] = write_text ("in-place-quoted.csv", "\"x\",\"y\",\"s\"\n1,\"2\",\"a, \"\"b\"\"\"\n"
                                                "3,4,\"c\"\n5,NA,\"\"\n7,8,d\n");
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
      {
        g_autoptr (NsStats) memory = fit_in_memory (paths[p], methods[m], 1);

        for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
          for (guint threads = 1; threads <= 3; threads++)
            {
              g_autoptr (NsStats) in_place = NULL;

              in_place = fit_in_place (paths[p], methods[m], chunks[c], threads);

              assert_stats_equal (in_place, memory, 0);
              g_assert_cmpstr (ns_stats_get_source_sha256 (in_place), ==,
                               ns_stats_get_source_sha256 (memory));
            }
      }
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    g_free (paths[p]);
}

/* The reader options (delimiter, header, extra missing markers, numeric ones too) are the
 * in-memory reader's. */
static void
test_in_place_read_options (void)
{
  g_autofree char *path = write_text ("ip-options.csv", "1|3\n2|x\n4|5\n-999|7\n8|-999\n");
  char *only_x[] = { "x", NULL }, *with_sentinel[] = { "x", "-999", NULL };
  const NsHeaderMode headers[] = { NS_HEADER_NO, NS_HEADER_YES };

  for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
    for (guint m = 0; m < 2; m++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (NsDataset) data = NULL;
        g_autoptr (NsStats) memory = NULL, in_place = NULL;
        g_autoptr (NsPartial) partial = NULL;
        NsReadOptions read;
        NsScalerOptions options;
        NsStreamOptions stream;

        ns_read_options_init (&read);
        read.delimiter = '|';
        read.header = headers[h];
        read.extra_missing = m == 0 ? only_x : with_sentinel;
        ns_scaler_options_init (&options, NS_METHOD_STANDARD);
        ns_stream_options_init (&stream);
        stream.block_size = 4;
        data = ns_dataset_load (path, &read, NULL, &error);
        g_assert_no_error (error);
        memory = ns_scaler_fit (data, &options, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (ns_stream_read_in_place (path, &read, &options, &stream, NULL, &partial,
                                                  &error),
                         ==, NS_IN_PLACE_DONE);
        g_assert_no_error (error);
        in_place = ns_partial_to_stats (partial, &error);
        g_assert_no_error (error);
        assert_stats_equal (in_place, memory, 0);
      }
}

/* Files it does not read say so without an error, and nothing else is read in their place. */
static void
test_in_place_not_applicable (void)
{
  g_autofree char *quoted = write_text ("ip-quoted.csv", "x,note\n1,a\n2,b\n3,\"c\nd\"\n4,e\n");
  g_autofree char *header = write_text ("ip-header.csv", "x,y\n");
  g_autofree char *empty = write_text ("ip-empty.csv", "");
  g_autofree char *plain = write_text ("ip-plain.csv", "x,y\n1,2\n3,4\n");
  g_autofree char *gz = tmp_path ("ip-plain.csv.gz");
  g_autofree char *command = g_strdup_printf ("sh -c 'gzip -c %s > %s'", plain, gz);
  const char *paths[] = { quoted, header, empty, gz, "-", tmp_dir };

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (gsize chunk = 1; chunk < 64; chunk *= 4)
      {
        g_autoptr (GError) error = NULL;
        NsPartial *partial = NULL;

        g_assert_cmpint (read_in_place (paths[p], NS_METHOD_STANDARD, chunk, 2, NULL, &partial,
                                        &error),
                         ==, NS_IN_PLACE_NOT_APPLICABLE);
        g_assert_no_error (error);
        g_assert_null (partial);
      }
}

/* The first bad row in file order is reported, with the in-memory reader's message. */
static void
test_in_place_errors (void)
{
  g_autoptr (GString) text = g_string_new ("x,y\n");
  g_autofree char *path = NULL;
  g_autofree char *nul_path = tmp_path ("ip-nul.csv");
  const char *const paths[] = { NULL, nul_path };

  for (guint r = 0; r < 3000; r++)
    g_string_append_printf (text, "%u,%s\n", r, r == 1234 || r == 2500 ? "oops" : "1.5");
  path = write_text ("ip-bad.csv", text->str);
  g_string_assign (text, "x,y\n");
  for (guint r = 0; r < 3000; r++)
    g_string_append_printf (text, "%u,1.5\n", r);
  text->str[text->len - 300] = '\0';
  g_assert_true (g_file_set_contents (nul_path, text->str, text->len, NULL));
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      const char *file = p == 0 ? path : paths[p];
      g_autoptr (GError) memory_error = NULL;
      g_autoptr (NsDataset) data = ns_dataset_load (file, NULL, NULL, &memory_error);

      g_assert_null (data);
      g_assert_nonnull (memory_error);
      for (gsize chunk = 16; chunk < 100000; chunk *= 5)
        for (guint threads = 1; threads <= 3; threads++)
          {
            g_autoptr (GError) error = NULL;
            NsPartial *partial = NULL;

            g_assert_cmpint (read_in_place (file, NS_METHOD_STANDARD, chunk, threads, NULL,
                                            &partial, &error),
                             ==, NS_IN_PLACE_FAILED);
            g_assert_null (partial);
            g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
            g_assert_cmpstr (error->message, ==, memory_error->message);
          }
    }
}

/* A byte range is read in place too: the rows whose line starts in it, byte offsets in messages,
 * and the sha256 of the range's bytes. */
static void
test_in_place_range (void)
{
  /* Lines start at bytes 0, 4, 9, 14 and 21. */
  const char *text = "x,y\n1,10\n2,20\n3,oops\n4,40\n";
  g_autofree char *path = write_text ("ip-range.csv", text);
  g_autofree char *expected = g_strdup_printf ("%s: byte 16: expected a number in column 'y', "
                                               "found 'oops'",
                                               path);
  g_autofree char *range_hash =
    g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text + 5, 9);
  NsScalerOptions options;
  NsStreamOptions stream;

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  ns_stream_options_init (&stream);
  stream.block_size = 3;
  stream.range_start = 5;
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) partial = NULL;

      stream.n_threads = threads;
      stream.range_end = 14;
      g_assert_cmpint (ns_stream_read_in_place (path, NULL, &options, &stream, NULL, &partial,
                                                &error),
                       ==, NS_IN_PLACE_DONE);
      g_assert_no_error (error);
      g_assert_cmpuint (ns_partial_get_rows (partial), ==, 1);
      g_assert_cmpfloat (ns_partial_peek_moments (partial, 1)->mean, ==, 20);
      g_assert_cmpstr (ns_partial_get_sha256 (partial), ==, range_hash);
      g_clear_pointer (&partial, ns_partial_free);

      stream.range_end = 15;
      g_assert_cmpint (ns_stream_read_in_place (path, NULL, &options, &stream, NULL, &partial,
                                                &error),
                       ==, NS_IN_PLACE_FAILED);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);

      /* No line starts in [5, 9): the block reader gives the empty partial. */
      stream.range_end = 9;
      g_assert_cmpint (ns_stream_read_in_place (path, NULL, &options, &stream, NULL, &partial,
                                                &error),
                       ==, NS_IN_PLACE_NOT_APPLICABLE);
      g_assert_no_error (error);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/stream/equals-memory", test_stream_equals_memory);
  g_test_add_func ("/stream/gzip", test_stream_gzip);
  g_test_add_func ("/stream/gzip-members", test_stream_gzip_members);
  g_test_add_func ("/stream/gzip-trailing-data", test_stream_gzip_trailing_data);
  g_test_add_func ("/stream/byte-ranges-every-position", test_stream_byte_ranges_every_position);
  g_test_add_func ("/stream/errors", test_stream_errors);
  g_test_add_func ("/stream/in-place/equals-memory", test_in_place_equals_memory);
  g_test_add_func ("/stream/in-place/read-options", test_in_place_read_options);
  g_test_add_func ("/stream/in-place/not-applicable", test_in_place_not_applicable);
  g_test_add_func ("/stream/in-place/errors", test_in_place_errors);
  g_test_add_func ("/stream/in-place/range", test_in_place_range);
  status = g_test_run ();
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
