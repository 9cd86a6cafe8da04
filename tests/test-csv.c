/* test-csv.c: the dataset loader and CSV reader: dialects, headers, missing values, gzip,
 * bad input, decimal marks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-csv-helpers.h"

/* ---- Loading files. */

static void
test_simple (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture ("simple.csv");
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  gsize len;

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 3);
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 2);
  assert_column (data, 0, "x", (double[]) { 1.5, 2.5, 3.5 }, 3);
  assert_column (data, 1, "y", (double[]) { -2, 400, 0.125 }, 3);
  assert_labels (data, 2, "name", (const char *[]) { "alpha", "beta", "gamma", NULL });
  g_assert_cmpstr (ns_dataset_get_source_path (data), ==, path);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (ns_dataset_get_source_sha256 (data), ==, sha256);
}

static void
test_iris (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", "iris.csv", NULL);
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, 150);
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 5);
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 4);
  g_assert_true (ns_dataset_column_is_label (data, 4));
  g_assert_cmpstr (ns_dataset_get_column_name (data, 4), ==, "species");
  g_assert_cmpstr (ns_dataset_get_label (data, 4, 0), ==, "setosa");
  g_assert_cmpstr (ns_dataset_get_label (data, 4, 149), ==, "virginica");
  g_assert_cmpstr (ns_dataset_get_column_name (data, 0), ==, "sepal_length_cm");
  g_assert_cmpfloat (ns_dataset_get_values (data, 0)[0], ==, 5.1);
}

static void
test_delimiters (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) semicolon = load_fixture ("semicolon.csv", &error);
  g_autoptr (NsDataset) tab = NULL;
  g_autoptr (NsDataset) spaces = NULL;

  g_assert_no_error (error);
  assert_column (semicolon, 0, "x", (double[]) { 1.5, 4 }, 2);
  assert_column (semicolon, 2, "z", (double[]) { 3, 6 }, 2);

  tab = load_fixture ("tab.tsv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (tab), ==, 2);
  assert_column (tab, 0, "first col", (double[]) { 1, 3 }, 2);
  assert_column (tab, 1, "second col", (double[]) { 2, 4 }, 2);

  spaces = load_fixture ("spaces.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (spaces), ==, 3);
  assert_column (spaces, 0, "x", (double[]) { 1, 4 }, 2);
  assert_column (spaces, 1, "y", (double[]) { 2.5, 5 }, 2);
  assert_column (spaces, 2, "z", (double[]) { 3, 6 }, 2);
}

static void
test_delimiter_override (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions options;

  ns_read_options_init (&options);
  options.delimiter = ';';
  /* With ';' forced, "1,5" is one field: a number with a decimal comma, never a label. */
  data = read_text ("a;b\n1,5;2\n", &options, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { 1.5 }, 1);
  assert_column (data, 1, "b", (double[]) { 2 }, 1);
  g_clear_pointer (&data, ns_dataset_free);

  options.delimiter = ' ';
  data = read_text ("a b\t c\n1  2\t3\n", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 3);
  assert_column (data, 2, "c", (double[]) { 3 }, 1);
}

static void
test_bom_crlf (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) bom = load_fixture ("bom-crlf.csv", &error);
  g_autoptr (NsDataset) crlf = NULL;

  g_assert_no_error (error);
  assert_column (bom, 0, "a", (double[]) { 1, 3 }, 2);
  assert_column (bom, 1, "b", (double[]) { 2, 4 }, 2);
  crlf = load_fixture ("crlf.csv", &error);
  g_assert_no_error (error);
  assert_column (crlf, 1, "b", (double[]) { 2, 4 }, 2);
  g_clear_pointer (&crlf, ns_dataset_free);

  /* Old Mac line ends (CR only) and a last line without its newline. */
  crlf = read_text ("a,b\r1,2\r3,4", NULL, &error);
  g_assert_no_error (error);
  assert_column (crlf, 0, "a", (double[]) { 1, 3 }, 2);
}

static void
test_quoted (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_fixture ("quoted.csv", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 3);
  assert_column (data, 0, "id", (double[]) { 1, 2, 3, 4 }, 4);
  assert_labels (data, 1, "comment",
                 (const char *[]) { "hello, world", "she said \"hi\"", "two\nlines", "plain",
                                    NULL });
  assert_column (data, 2, "value", (double[]) { 0.5, 1.5, 2.5, 3.5 }, 4);
  g_clear_pointer (&data, ns_dataset_free);

  /* Quoted numbers are numbers; quoted header names; CRLF inside quotes is kept. */
  data = read_text ("\"a,1\",\"b\"\"\"\r\n\"1.5\", \"x\r\ny\" \r\n", NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a,1", (double[]) { 1.5 }, 1);
  assert_labels (data, 1, "b\"", (const char *[]) { "x\r\ny", NULL });
}

static void
test_missing (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture ("missing.csv");
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);
  char *extra[] = { "-999", NULL };
  NsReadOptions options;

  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { 1, 2, 3 }, 3);
  assert_column (data, 1, "b", (double[]) { NAN, NAN, NAN }, 3);
  assert_column (data, 2, "c", (double[]) { NAN, NAN, NAN }, 3);
  assert_column (data, 3, "d", (double[]) { -999, NAN, 4 }, 3);
  g_assert_cmpuint (ns_dataset_get_missing (data, 0), ==, 0);
  g_assert_cmpuint (ns_dataset_get_missing (data, 1), ==, 3);
  g_assert_cmpuint (ns_dataset_get_missing (data, 3), ==, 1);
  g_clear_pointer (&data, ns_dataset_free);

  ns_read_options_init (&options);
  options.extra_missing = extra;
  data = ns_dataset_load (path, &options, NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 3, "d", (double[]) { NAN, NAN, 4 }, 3);
  g_assert_cmpuint (ns_dataset_get_missing (data, 3), ==, 2);
  g_clear_pointer (&data, ns_dataset_free);

  /* A marker that is not a number, in a numeric column. */
  {
    char *word[] = { "missing", NULL };

    options.extra_missing = word;
    data = read_text ("a,b\n1,missing\n2,3\nmissing,4\n", &options, &error);
    g_assert_no_error (error);
    assert_column (data, 0, "a", (double[]) { 1, 2, NAN }, 3);
    assert_column (data, 1, "b", (double[]) { NAN, 3, 4 }, 3);
    g_clear_pointer (&data, ns_dataset_free);
  }

  /* Missing markers before the first value do not decide a column's type; in a label column they
   * are kept as written. */
  data = read_text ("a,b\nNA,\nx,1\n", NULL, &error);
  g_assert_no_error (error);
  assert_labels (data, 0, "a", (const char *[]) { "NA", "x", NULL });
  assert_column (data, 1, "b", (double[]) { NAN, 1 }, 2);
}

static void
test_inf (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_fixture ("inf.csv", &error);

  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { INFINITY, INFINITY, 1 }, 3);
  assert_column (data, 1, "b", (double[]) { -INFINITY, -INFINITY, 2 }, 3);
  g_assert_cmpuint (ns_dataset_get_infinite (data, 0), ==, 2);
  g_assert_cmpuint (ns_dataset_get_missing (data, 0), ==, 0);
}

static void
test_one_row_and_constant (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) one = load_fixture ("one-row.csv", &error);
  g_autoptr (NsDataset) constant = NULL;

  g_assert_no_error (error);
  assert_column (one, 2, "c", (double[]) { 3 }, 1);
  constant = load_fixture ("constant.csv", &error);
  g_assert_no_error (error);
  assert_column (constant, 0, "a", (double[]) { 7, 7, 7 }, 3);
}

static void
test_header_detection (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = load_fixture ("no-header.csv", &error);
  NsReadOptions options;

  g_assert_no_error (error);
  assert_column (data, 0, "column_1", (double[]) { 1, 4 }, 2);
  assert_column (data, 2, "column_3", (double[]) { 3, 6 }, 2);
  g_clear_pointer (&data, ns_dataset_free);

  /* A header over label columns only. */
  data = read_text ("name,city\nbob,paris\n", NULL, &error);
  g_assert_no_error (error);
  assert_labels (data, 1, "city", (const char *[]) { "paris", NULL });
  g_clear_pointer (&data, ns_dataset_free);

  /* Label data with no header: the user says so. */
  ns_read_options_init (&options);
  options.header = NS_HEADER_NO;
  data = read_text ("bob,1\nann,2\n", &options, &error);
  g_assert_no_error (error);
  assert_labels (data, 0, "column_1", (const char *[]) { "bob", "ann", NULL });
  assert_column (data, 1, "column_2", (double[]) { 1, 2 }, 2);
  g_clear_pointer (&data, ns_dataset_free);

  /* Numeric column names: only the override can tell. */
  options.header = NS_HEADER_YES;
  data = read_text ("1990,2000\n5,6\n", &options, &error);
  g_assert_no_error (error);
  assert_column (data, 1, "2000", (double[]) { 6 }, 1);
  g_clear_pointer (&data, ns_dataset_free);

  /* A header whose first numeric column starts with missing values; an empty name. */
  data = read_text ("a,,c\n,1,x\n2,,y\n", NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { NAN, 2 }, 2);
  assert_column (data, 1, "column_2", (double[]) { 1, NAN }, 2);
  assert_labels (data, 2, "c", (const char *[]) { "x", "y", NULL });
}

static void
test_gzip (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture ("simple.csv.gz");
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  gsize len;

  g_assert_no_error (error);
  assert_column (data, 1, "y", (double[]) { -2, 400, 0.125 }, 3);
  assert_labels (data, 2, "name", (const char *[]) { "alpha", "beta", "gamma", NULL });
  /* The hash is of the file as stored, not of the decompressed text. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (ns_dataset_get_source_sha256 (data), ==, sha256);
}

/* Labels and missing values survive members that cut lines anywhere (tests/gen-gzip-members.py). */
static void
test_gzip_members (void)
{
  const char *names[] = { "members.csv.gz", "members-bgzf.csv.gz" };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) plain = load_fixture ("members.csv", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_samples (plain), ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (NsDataset) data = load_fixture (names[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, 200);
      g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 4);
      assert_labels (data, 3, "name", (const char *[]) { "n0", "n1", "n2", "n0", NULL });
      for (guint c = 0; c < 3; c++)
        {
          g_assert_cmpstr (ns_dataset_get_column_name (data, c), ==,
                           ns_dataset_get_column_name (plain, c));
          for (gsize r = 0; r < 200; r++)
            g_assert_true (
              same_bits (ns_dataset_get_values (data, c)[r], ns_dataset_get_values (plain, c)[r]));
        }
    }
}

/* One gzip member of data[0..len) (at most 1 MiB out), g_free'd by the caller. */
static char *
gzip_member (const char *data, gsize len, gsize *written)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  char *member = g_malloc (1 << 20);
  gsize read;

  g_assert_cmpint (g_converter_convert (G_CONVERTER (compressor), data, len, member, 1 << 20,
                                        G_CONVERTER_INPUT_AT_END, &read, written, NULL),
                   ==, G_CONVERTER_FINISHED);
  return member;
}

/* Which files a moments-only fit streams: gzip that does not hold a .npy. */
static void
test_gzip_is_text (void)
{
  g_autofree char *gz = fixture ("members.csv.gz");
  g_autofree char *plain = fixture ("members.csv");
  g_autofree char *npy =
    g_build_filename (g_getenv ("NS_TEST_DATA"), "npy", "dtype-f4-be.npy", NULL);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *npy_gz = g_build_filename (dir, "x.npy.gz", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *member = NULL;
  gsize len, written;

  g_assert_true (g_file_get_contents (npy, &contents, &len, NULL));
  member = gzip_member (contents, len, &written);
  g_assert_true (g_file_set_contents (npy_gz, member, written, NULL));
  g_assert_true (ns_file_is_gzip_text (gz));
  g_assert_false (ns_file_is_gzip_text (plain));
  g_assert_false (ns_file_is_gzip_text (npy));
  g_assert_false (ns_file_is_gzip_text (npy_gz));
  g_assert_false (ns_file_is_gzip_text ("-"));
  g_unlink (npy_gz);
}

/* gzip data is inflated into memory up to NS_READ_MEMORY_MAX only: a bomb stops there. */
static void
test_gzip_memory_limit (void)
{
  g_autofree char *zeros = g_malloc (1 << 20);
  g_autofree char *member = NULL;
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "bomb.csv.gz", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (GString) file = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  gsize written;

  for (gsize i = 0; i < (1 << 20); i += 2)
    memcpy (zeros + i, "0\n", 2);
  member = gzip_member (zeros, 1 << 20, &written);
  /* One MiB more than the limit, in members of 1 MiB (about 1 KiB each). */
  for (guint m = 0; m <= NS_READ_MEMORY_MAX >> 20; m++)
    g_string_append_len (file, member, written);
  g_assert_true (g_file_set_contents (path, file->str, file->len, NULL));
  data = ns_dataset_load (path, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
  expected = g_strdup_printf ("%s: expected at most 256 MiB of decompressed gzip data, found more "
                              "(what is read into memory): fit it with --stream (stats --stream), "
                              "or decompress it to a file",
                              path);
  g_assert_cmpstr (error->message, ==, expected);
  g_unlink (path);
}

static void
test_gzip_truncated (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture ("simple.csv.gz");
  g_autofree char *contents = NULL;
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *cut = g_build_filename (dir, "cut.csv.gz", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (NsDataset) data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (cut, contents, len / 2, NULL));
  data = ns_dataset_load (cut, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  expected =
    g_strdup_printf ("%s: byte %" G_GSIZE_FORMAT ": expected more gzip data, found the end of "
                     "the file (the file is truncated)",
                     cut, len / 2);
  g_assert_cmpstr (error->message, ==, expected);
  g_unlink (cut);
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_load ("/nonexistent/x.csv", NULL, NULL, &error);
  g_autofree char *expected = g_strdup_printf ("/nonexistent/x.csv: %s", g_strerror (ENOENT));

  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  data = ns_dataset_load (g_getenv ("NS_TEST_DATA"), NULL, NULL, &error);
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: %s", g_getenv ("NS_TEST_DATA"), g_strerror (EISDIR));
  g_assert_cmpstr (error->message, ==, expected);
}

/* ---- Bad input. */

static void
test_bad_files (void)
{
  assert_load_error ("empty.csv", ":1:1: expected a header or data rows, found an empty file");
  assert_load_error ("header-only.csv", ":2:1: expected data rows after the header, found none");
  assert_load_error ("ragged.csv", ":3:4: expected 3 fields, found 2");
  assert_load_error ("ragged-long.csv", ":3:7: expected 3 fields, found 4");
  assert_load_error ("bad-number.csv", ":3:3: expected a number in column 'b', found 'abc'");
  assert_load_error (
    "out-of-range.csv",
    ":2:3: expected a number within the range of doubles in column 'b', found '1e999'");
  assert_load_error ("unterminated.csv", ":2:3: expected a closing quote for the quoted field that "
                                         "opens here, found the end of the file");
  assert_load_error (
    "after-quote.csv",
    ":2:6: expected a delimiter or the end of the line after a closing quote, found 'y'");
}

static void
test_bad_text (void)
{
  /* Blank lines only are an empty file too; a BOM alone as well. */
  assert_read_error ("\n\r\n\n", NULL,
                     "t.csv:1:1: expected a header or data rows, found an empty file");
  assert_read_error ("\xef\xbb\xbf", NULL,
                     "t.csv:1:1: expected a header or data rows, found an empty file");
  /* A typo deep in a numeric column is an error, not a label column; the column counts characters.
   */
  assert_read_error ("a,b\n1,2\n3,4\n5,\"é6.0x\"\n", NULL,
                     "t.csv:4:3: expected a number in column 'b', found 'é6.0x'");
  assert_read_error ("a,b\n1,2\n3,0x1p3\n", NULL,
                     "t.csv:3:3: expected a number in column 'b', found '0x1p3'");
  assert_read_error ("a;b\n1.5;2\n3;1,5\n", NULL,
                     "t.csv:3:3: expected a number in column 'b', found '1,5'");
  assert_read_error ("a,b\n1,2\n3,nan(1)\n", NULL,
                     "t.csv:3:3: expected a number in column 'b', found 'nan(1)'");
  assert_read_error ("a,b\n1,2\n3,1.5.2\n", NULL,
                     "t.csv:3:3: expected a number in column 'b', found '1.5.2'");
  assert_read_error (
    "a\n1\n-1e400\n", NULL,
    "t.csv:3:1: expected a number within the range of doubles in column 'a', found '-1e400'");
  /* Long text is cut in the message. */
  assert_read_error ("a\n1\nabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n", NULL,
                     "t.csv:3:1: expected a number in column 'a', found "
                     "'abcdefghijklmnopqrstuvwxyzabcdefghijklmn…'");
  assert_read_error ("a,b\n1,2,\n", NULL, "t.csv:2:5: expected 2 fields, found 3");
  assert_read_error ("a,b\n1\n", NULL, "t.csv:2:2: expected 2 fields, found 1");
  assert_read_error ("a,b\n1,2\n\"3\nx,4\n", NULL,
                     "t.csv:3:1: expected a closing quote for the quoted field that opens here, "
                     "found the end of the file");
  assert_read_error (
    "a,b\n1,\"2\" x\n", NULL,
    "t.csv:2:7: expected a delimiter or the end of the line after a closing quote, found 'x'");
  assert_read_error (
    "a,b\n1,\"2\"é\n", NULL,
    "t.csv:2:6: expected a delimiter or the end of the line after a closing quote, found 'é'");
  assert_read_error ("a\n1\n2,3\n", NULL, "t.csv:3:3: expected 1 field, found 2");
  assert_read_error ("a,a\n1,2\n", NULL,
                     "t.csv:1:3: expected unique column names, found 'a' twice");
  assert_read_error ("a,b\xff\n1,2\n", NULL,
                     "t.csv:1:4: expected UTF-8 text in the header, found byte 0xff");
  assert_read_error ("a,b\n1,x\n2,\xc3(\n", NULL,
                     "t.csv:3:3: expected UTF-8 text in column 'b', found invalid bytes");
}

/* ---- Decimal mark, number-like text. */

static NsReadOptions
decimal_options (char delimiter, char decimal)
{
  NsReadOptions options;

  ns_read_options_init (&options);
  options.delimiter = delimiter;
  options.decimal = decimal;
  return options;
}

/* Reads text and checks one numeric column. */
static void
assert_read_column (const char *text, const NsReadOptions *options, guint column, const char *name,
                    const double *expected, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = read_text (text, options, &error);

  g_assert_no_error (error);
  assert_column (data, column, name, expected, n);
}

static void
test_decimal_comma (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (GString) long_number = g_string_new ("a;b\n0,");
  NsReadOptions forced_comma = decimal_options (0, ','), forced_point = decimal_options (0, '.');
  NsReadOptions comma_both = decimal_options (',', ',');
  const char *three = "a;b;c\n1,5;2,25;3\n-0,5;1,5e3;,25\n";

  /* As LibreOffice and Excel save in de, fr, it: sniffed after ';', tab or blanks. */
  assert_read_column (three, NULL, 0, "a", (double[]) { 1.5, -0.5 }, 2);
  assert_read_column (three, NULL, 1, "b", (double[]) { 2.25, 1500 }, 2);
  assert_read_column (three, NULL, 2, "c", (double[]) { 3, 0.25 }, 2);
  assert_read_column ("a\tb\n1,5\t2\n", NULL, 0, "a", (double[]) { 1.5 }, 1);
  assert_read_column ("a b\n1,5  2\n", NULL, 0, "a", (double[]) { 1.5 }, 1);
  /* Without a header "1,5;2" is two fields at ',' and at ';': the split into numbers wins. */
  assert_read_column ("1,5;2\n3,5;4\n", NULL, 0, "column_1", (double[]) { 1.5, 3.5 }, 2);
  assert_read_column ("1,5 2\n3,5 4\n", NULL, 1, "column_2", (double[]) { 2, 4 }, 2);
  data = read_text ("x,a;b\ny,c;d\n", NULL, &error);
  g_assert_no_error (error);
  assert_labels (data, 1, "a;b", (const char *[]) { "c;d", NULL });
  /* Exact whatever the length: 0,1 as 0.1, and a long field as its '.' form. */
  for (guint i = 0; i < 300; i++)
    g_string_append_c (long_number, '1');
  g_string_append (long_number, ";0,1\n");
  assert_read_column (long_number->str, NULL, 0, "a", (double[]) { 0.11111111111111111 }, 1);
  assert_read_column (long_number->str, NULL, 1, "b", (double[]) { 0.1 }, 1);

  /* Given: --decimal , reads it, --decimal . refuses the commas at their position. */
  assert_read_column ("a;b\n1;2\n3;4,5\n", &forced_comma, 1, "b", (double[]) { 2, 4.5 }, 2);
  assert_read_error ("a;b\n1,5;2\n", &forced_point,
                     "t.csv:2:1: expected a number in column 'a', found '1,5'");
  /* A given decimal comma is no delimiter candidate; it cannot be the delimiter given. */
  assert_read_column ("a;b\n1,5;2\n", &forced_comma, 0, "a", (double[]) { 1.5 }, 1);
  assert_read_error (
    "a,b\n1,2\n", &comma_both,
    "t.csv: the decimal mark ',' cannot also be the delimiter: give another delimiter");
  /* The other mark is no number, in either direction; a file with both stays '.'. */
  assert_read_error ("a;b\n1,5;2\n3;4.5\n", &forced_comma,
                     "t.csv:3:3: expected a number in column 'b', found '4.5'");
  assert_read_error ("a;b\n1,5;2.5\n", NULL,
                     "t.csv:2:1: expected a number in column 'a', found '1,5'");
  assert_read_error ("a;b\n1;2,5\n3;1.234,5\n", NULL,
                     "t.csv:3:3: expected a number in column 'b', found '1.234,5'");
  /* A comma file never has decimal commas: a quoted "1,5" is refused, not read as 1.5. */
  assert_read_error ("a,b\n1,2\n\"1,5\",3\n", NULL,
                     "t.csv:3:1: expected a number in column 'a', found '1,5'");
}

/* A mistyped number as a column's first value is an error at its position, exactly as below. */
static void
test_number_like_first_row (void)
{
  static const char *const number_like[] = {
    "0x1p3", "-0X1.8P+1", "1e999x",   "\"1,5\"", "١",      "١٫٥",
    "１２",  "−1",        "\" 1.5\"", "1e999",   "-1e400",
  };
  static const char *const text[] = { "setosa", "0xff",    "2024-01-05", "05.01.2024",
                                      "1e2abc", "٢٠٢٤-٠١", "1.2.3" };
  NsReadOptions forced_comma = decimal_options (';', ',');

  for (guint i = 0; i < G_N_ELEMENTS (number_like); i++)
    {
      const char *token = number_like[i];
      g_autofree char *shown =
        token[0] == '"' ? g_strndup (token + 1, strlen (token) - 2) : g_strdup (token);
      gboolean range = strcmp (shown, "1e999") == 0 || strcmp (shown, "-1e400") == 0;
      const char *what = range ? "a number within the range of doubles" : "a number";
      g_autofree char *first = g_strdup_printf ("a,b\n%s,2\n1,3\n", token);
      g_autofree char *third = g_strdup_printf ("a,b\n1,2\n%s,3\n", token);
      g_autofree char *first_error =
        g_strdup_printf ("t.csv:2:1: expected %s in column 'a', found '%s'", what, shown);
      g_autofree char *third_error =
        g_strdup_printf ("t.csv:3:1: expected %s in column 'a', found '%s'", what, shown);

      assert_read_error (first, NULL, first_error);
      assert_read_error (third, NULL, third_error);
    }
  assert_read_error ("a;b\n1.5;2\n", &forced_comma,
                     "t.csv:2:1: expected a number in column 'a', found '1.5'");
  for (guint i = 0; i < G_N_ELEMENTS (text); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *csv = g_strdup_printf ("a,b\n%s,2\nx,3\n", text[i]);
      g_autoptr (NsDataset) data = read_text (csv, NULL, &error);

      g_assert_no_error (error);
      assert_labels (data, 0, "a", (const char *[]) { text[i], "x", NULL });
    }
}

/* A CSV's features are its columns: --axis -1 or 1 name them; none or another axis is refused. */
static void
test_axis (void)
{
  static const char *const accepted[] = { "-1", "1" };
  static const char *const refused[] = { "none", "0", "2", "-2", "1,1", "x", "" };
  NsReadOptions options;

  ns_read_options_init (&options);
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = NULL;

      options.axis = accepted[i];
      data = read_text ("a,b\n1,2\n", &options, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 2);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *expected = g_strdup_printf ("t.csv: --axis %s cannot apply to a table: the "
                                                   "features of a CSV are its columns (--axis -1 "
                                                   "or 1); to pool all its values, save it as .npy",
                                                   refused[i]);

      options.axis = refused[i];
      assert_read_error ("a,b\n1,2\n", &options, expected);
    }
}

static void
test_nul (void)
{
  static const char text[] = "a,b\n1,2\n3,\0\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_csv_read ("t.csv", text, sizeof text - 1, NULL, NULL, &error);

  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "t.csv:3:3: expected text, found a NUL byte (is this a binary file?)");
}

static void
test_not_nul_terminated (void)
{
  /* The reader gets a length, not a string: nothing past it may be read (ASan checks). */
  const char *tails[] = { "a,b\n1,2", "a,b\n1,\"2", "a,b\n1,2 ",
                          "a,b\n1,",  "a,b\n1,nan", "a b\n1 2  " };

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      gsize len = strlen (tails[i]);
      g_autofree char *copy = g_memdup2 (tails[i], len);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = ns_csv_read ("t.csv", copy, len, NULL, NULL, &error);

      g_assert_true ((data == NULL) != (error == NULL));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/load/simple", test_simple);
  g_test_add_func ("/csv/load/iris", test_iris);
  g_test_add_func ("/csv/load/delimiters", test_delimiters);
  g_test_add_func ("/csv/load/delimiter-override", test_delimiter_override);
  g_test_add_func ("/csv/load/bom-crlf", test_bom_crlf);
  g_test_add_func ("/csv/load/quoted", test_quoted);
  g_test_add_func ("/csv/load/missing", test_missing);
  g_test_add_func ("/csv/load/inf", test_inf);
  g_test_add_func ("/csv/load/one-row-constant", test_one_row_and_constant);
  g_test_add_func ("/csv/load/header", test_header_detection);
  g_test_add_func ("/csv/load/gzip", test_gzip);
  g_test_add_func ("/csv/load/gzip-truncated", test_gzip_truncated);
  g_test_add_func ("/csv/load/gzip-members", test_gzip_members);
  g_test_add_func ("/csv/load/gzip-memory-limit", test_gzip_memory_limit);
  g_test_add_func ("/csv/load/gzip-is-text", test_gzip_is_text);
  g_test_add_func ("/csv/load/missing-file", test_missing_file);
  g_test_add_func ("/csv/bad/files", test_bad_files);
  g_test_add_func ("/csv/bad/text", test_bad_text);
  g_test_add_func ("/csv/bad/nul", test_nul);
  g_test_add_func ("/csv/decimal/comma", test_decimal_comma);
  g_test_add_func ("/csv/decimal/number-like-first-row", test_number_like_first_row);
  g_test_add_func ("/csv/axis", test_axis);
  g_test_add_func ("/csv/bad/bounds", test_not_nul_terminated);
  return g_test_run ();
}
