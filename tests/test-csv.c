/* test-csv.c: the dataset loader, CSV reader and writer, and exact number parsing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-reader.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

static char *
fixture (const char *name)
{
  return g_build_filename (g_getenv ("NS_TEST_DATA"), "csv", name, NULL);
}

static NsDataset *
load_fixture (const char *name, GError **error)
{
  g_autofree char *path = fixture (name);

  return ns_dataset_load (path, NULL, NULL, error);
}

static NsDataset *
read_text (const char *text, const NsReadOptions *options, GError **error)
{
  return ns_csv_read ("t.csv", text, strlen (text), options, NULL, error);
}

static void
assert_load_error (const char *name, const char *expected_after_path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture (name);
  g_autofree char *expected = g_strconcat (path, expected_after_path, NULL);
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);

  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
assert_read_error (const char *text, const NsReadOptions *options, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = read_text (text, options, &error);

  g_assert_null (data);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
assert_column (const NsDataset *data, guint column, const char *name, const double *expected, gsize n)
{
  const double *values;

  g_assert_cmpstr (ns_dataset_get_column_name (data, column), ==, name);
  g_assert_false (ns_dataset_column_is_label (data, column));
  g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, n);
  values = ns_dataset_get_values (data, column);
  for (gsize i = 0; i < n; i++)
    if (isnan (expected[i]))
      g_assert_true (isnan (values[i]));
    else
      g_assert_cmpfloat (values[i], ==, expected[i]);
}

static void
assert_labels (const NsDataset *data, guint column, const char *name, const char *const *expected)
{
  g_assert_cmpstr (ns_dataset_get_column_name (data, column), ==, name);
  g_assert_true (ns_dataset_column_is_label (data, column));
  for (gsize i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (ns_dataset_get_label (data, column, i), ==, expected[i]);
}

static gboolean
same_bits (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

/* ---------------------------------------------------------------- loading files */

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
                 (const char *[]) { "hello, world", "she said \"hi\"", "two\nlines", "plain", NULL });
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
            g_assert_true (same_bits (ns_dataset_get_values (data, c)[r],
                                      ns_dataset_get_values (plain, c)[r]));
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
  g_autofree char *npy = g_build_filename (g_getenv ("NS_TEST_DATA"), "npy", "dtype-f4-be.npy", NULL);
  g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
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
  g_rmdir (dir);
}

/* gzip data is inflated into memory up to NS_READ_MEMORY_MAX only: a bomb stops there. */
static void
test_gzip_memory_limit (void)
{
  g_autofree char *zeros = g_malloc (1 << 20);
  g_autofree char *member = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
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
                              "or decompress it to a file", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_gzip_truncated (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture ("simple.csv.gz");
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.csv.gz", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (NsDataset) data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (cut, contents, len / 2, NULL));
  data = ns_dataset_load (cut, NULL, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  expected = g_strdup_printf ("%s: byte %" G_GSIZE_FORMAT ": expected more gzip data, found the end of "
                              "the file (the file is truncated)", cut, len / 2);
  g_assert_cmpstr (error->message, ==, expected);
  g_unlink (cut);
  g_rmdir (dir);
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

/* ---------------------------------------------------------------- bad input */

static void
test_bad_files (void)
{
  assert_load_error ("empty.csv", ":1:1: expected a header or data rows, found an empty file");
  assert_load_error ("header-only.csv", ":2:1: expected data rows after the header, found none");
  assert_load_error ("ragged.csv", ":3:4: expected 3 fields, found 2");
  assert_load_error ("ragged-long.csv", ":3:7: expected 3 fields, found 4");
  assert_load_error ("bad-number.csv", ":3:3: expected a number in column 'b', found 'abc'");
  assert_load_error ("out-of-range.csv",
                     ":2:3: expected a number within the range of doubles in column 'b', found '1e999'");
  assert_load_error ("unterminated.csv",
                     ":2:3: expected a closing quote for the quoted field that opens here, found the end of the file");
  assert_load_error ("after-quote.csv",
                     ":2:6: expected a delimiter or the end of the line after a closing quote, found 'y'");
}

static void
test_bad_text (void)
{
  /* Blank lines only are an empty file too; a BOM alone as well. */
  assert_read_error ("\n\r\n\n", NULL, "t.csv:1:1: expected a header or data rows, found an empty file");
  assert_read_error ("\xef\xbb\xbf", NULL, "t.csv:1:1: expected a header or data rows, found an empty file");
  /* A typo deep in a numeric column is an error, not a label column; the column counts characters. */
  assert_read_error ("a,b\n1,2\n3,4\n5,\"é6.0x\"\n", NULL,
                     "t.csv:4:3: expected a number in column 'b', found 'é6.0x'");
  assert_read_error ("a,b\n1,2\n3,0x1p3\n", NULL, "t.csv:3:3: expected a number in column 'b', found '0x1p3'");
  assert_read_error ("a;b\n1.5;2\n3;1,5\n", NULL, "t.csv:3:3: expected a number in column 'b', found '1,5'");
  assert_read_error ("a,b\n1,2\n3,nan(1)\n", NULL, "t.csv:3:3: expected a number in column 'b', found 'nan(1)'");
  assert_read_error ("a,b\n1,2\n3,1.5.2\n", NULL, "t.csv:3:3: expected a number in column 'b', found '1.5.2'");
  assert_read_error ("a\n1\n-1e400\n", NULL,
                     "t.csv:3:1: expected a number within the range of doubles in column 'a', found '-1e400'");
  /* Long text is cut in the message. */
  assert_read_error ("a\n1\nabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n", NULL,
                     "t.csv:3:1: expected a number in column 'a', found 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn…'");
  assert_read_error ("a,b\n1,2,\n", NULL, "t.csv:2:5: expected 2 fields, found 3");
  assert_read_error ("a,b\n1\n", NULL, "t.csv:2:2: expected 2 fields, found 1");
  assert_read_error ("a,b\n1,2\n\"3\nx,4\n", NULL,
                     "t.csv:3:1: expected a closing quote for the quoted field that opens here, found the end of the file");
  assert_read_error ("a,b\n1,\"2\" x\n", NULL,
                     "t.csv:2:7: expected a delimiter or the end of the line after a closing quote, found 'x'");
  assert_read_error ("a,b\n1,\"2\"é\n", NULL,
                     "t.csv:2:6: expected a delimiter or the end of the line after a closing quote, found 'é'");
  assert_read_error ("a\n1\n2,3\n", NULL, "t.csv:3:3: expected 1 field, found 2");
  assert_read_error ("a,a\n1,2\n", NULL, "t.csv:1:3: expected unique column names, found 'a' twice");
  assert_read_error ("a,b\xff\n1,2\n", NULL,
                     "t.csv:1:4: expected UTF-8 text in the header, found byte 0xff");
  assert_read_error ("a,b\n1,x\n2,\xc3(\n", NULL,
                     "t.csv:3:3: expected UTF-8 text in column 'b', found invalid bytes");
}

/* ---------------------------------------------------------------- decimal mark, number-like text */

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
  assert_read_error ("a;b\n1,5;2\n", &forced_point, "t.csv:2:1: expected a number in column 'a', found '1,5'");
  /* A given decimal comma is no delimiter candidate; it cannot be the delimiter given. */
  assert_read_column ("a;b\n1,5;2\n", &forced_comma, 0, "a", (double[]) { 1.5 }, 1);
  assert_read_error ("a,b\n1,2\n", &comma_both,
                     "t.csv: the decimal mark ',' cannot also be the delimiter: give another delimiter");
  /* The other mark is no number, in either direction; a file with both stays '.'. */
  assert_read_error ("a;b\n1,5;2\n3;4.5\n", &forced_comma, "t.csv:3:3: expected a number in column 'b', found '4.5'");
  assert_read_error ("a;b\n1,5;2.5\n", NULL, "t.csv:2:1: expected a number in column 'a', found '1,5'");
  assert_read_error ("a;b\n1;2,5\n3;1.234,5\n", NULL,
                     "t.csv:3:3: expected a number in column 'b', found '1.234,5'");
  /* A comma file never has decimal commas: a quoted "1,5" is refused, not read as 1.5. */
  assert_read_error ("a,b\n1,2\n\"1,5\",3\n", NULL, "t.csv:3:1: expected a number in column 'a', found '1,5'");
}

/* A mistyped number as a column's first value is an error at its position, exactly as below. */
static void
test_number_like_first_row (void)
{
  static const char *const number_like[] = {
    "0x1p3", "-0X1.8P+1", "1e999x", "\"1,5\"", "١", "١٫٥", "１２", "−1", "\" 1.5\"", "1e999", "-1e400",
  };
  static const char *const text[] = { "setosa", "0xff", "2024-01-05", "05.01.2024", "1e2abc", "٢٠٢٤-٠١", "1.2.3" };
  NsReadOptions forced_comma = decimal_options (';', ',');

  for (guint i = 0; i < G_N_ELEMENTS (number_like); i++)
    {
      const char *token = number_like[i];
      g_autofree char *shown = token[0] == '"' ? g_strndup (token + 1, strlen (token) - 2) : g_strdup (token);
      gboolean range = strcmp (shown, "1e999") == 0 || strcmp (shown, "-1e400") == 0;
      const char *what = range ? "a number within the range of doubles" : "a number";
      g_autofree char *first = g_strdup_printf ("a,b\n%s,2\n1,3\n", token);
      g_autofree char *third = g_strdup_printf ("a,b\n1,2\n%s,3\n", token);
      g_autofree char *first_error = g_strdup_printf ("t.csv:2:1: expected %s in column 'a', found '%s'", what, shown);
      g_autofree char *third_error = g_strdup_printf ("t.csv:3:1: expected %s in column 'a', found '%s'", what, shown);

      assert_read_error (first, NULL, first_error);
      assert_read_error (third, NULL, third_error);
    }
  assert_read_error ("a;b\n1.5;2\n", &forced_comma, "t.csv:2:1: expected a number in column 'a', found '1.5'");
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
  g_assert_cmpstr (error->message, ==, "t.csv:3:3: expected text, found a NUL byte (is this a binary file?)");
}

static void
test_not_nul_terminated (void)
{
  /* The reader gets a length, not a string: nothing past it may be read (ASan checks). */
  const char *tails[] = { "a,b\n1,2", "a,b\n1,\"2", "a,b\n1,2 ", "a,b\n1,", "a,b\n1,nan", "a b\n1 2  " };

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      gsize len = strlen (tails[i]);
      g_autofree char *copy = g_memdup2 (tails[i], len);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = ns_csv_read ("t.csv", copy, len, NULL, NULL, &error);

      g_assert_true ((data == NULL) != (error == NULL));
    }
}

/* ---------------------------------------------------------------- size, threads, cancel */

/* Rows whose length changes along the file: each thread's chunk gets room for the rows its first
 * lines suggest, so short rows after long ones outgrow it (the chunk copies itself out) and long
 * rows after short ones leave a gap (joined by moving down). Either way the columns equal a
 * one-thread read, and a NUL byte far into the file is found by the thread scanning there. */
static GString *
make_uneven_csv (gsize rows, gboolean long_first)
{
  GString *text = g_string_new ("x,y\n");

  for (gsize row = 0; row < rows; row++)
    {
      gboolean long_row = (row < rows / 2) == long_first;

      if (long_row)
        g_string_append_printf (text, "%" G_GSIZE_FORMAT ".000000000000000123456,"
                                "-0.00000000000000000000000000000000000000001%" G_GSIZE_FORMAT "\n",
                                row, row % 10);
      else
        g_string_append_printf (text, "%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT "\n", row, row % 3);
    }
  return text;
}

/* Reads text with 1 thread, then 2-5: the same rows, labels (the columns before first_numeric)
 * and numeric columns bit for bit. */
static NsDataset *
read_agreeing_threads (const char *name, const GString *text, guint first_numeric, guint n_numeric)
{
  g_autoptr (GError) error = NULL;
  NsDataset *one;
  NsReadOptions options;

  ns_read_options_init (&options);
  options.n_threads = 1;
  one = ns_csv_read (name, text->str, text->len, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint threads = 2; threads <= 5; threads++)
    {
      g_autoptr (NsDataset) many = NULL;
      gsize rows = ns_dataset_get_n_samples (one);

      options.n_threads = threads;
      many = ns_csv_read (name, text->str, text->len, &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ns_dataset_get_n_samples (many), ==, rows);
      for (guint c = first_numeric; c < first_numeric + n_numeric; c++)
        g_assert_cmpmem (ns_dataset_get_values (one, c), rows * sizeof (double),
                         ns_dataset_get_values (many, c), rows * sizeof (double));
      for (guint c = 0; c < first_numeric; c++)
        for (gsize i = 0; i < rows; i++)
          g_assert_cmpstr (ns_dataset_get_label (one, c, i), ==, ns_dataset_get_label (many, c, i));
    }
  return one;
}

static void
test_threads_uneven_rows (void)
{
  for (guint order = 0; order < 2; order++)
    {
      g_autoptr (GString) text = make_uneven_csv (300000, order == 0);
      g_autoptr (NsDataset) one = read_agreeing_threads ("uneven.csv", text, 0, 2);

      g_assert_cmpuint (ns_dataset_get_n_samples (one), ==, 300000);
    }
}

/* A quoted field with a line break far into a large file: the split parse stops at the quote and
 * the rows are read in one chunk, with the same result as one thread. */
static GString *
make_labelled_csv (gsize rows, gsize quoted_row)
{
  GString *text = g_string_new ("label,x,y\n");

  for (gsize row = 0; row < rows; row++)
    g_string_append_printf (text, "%s,%" G_GSIZE_FORMAT ".25,%" G_GSIZE_FORMAT "\n",
                            row == quoted_row ? "\"two\nlines\"" : "w", row, row % 3);
  return text;
}

static void
test_threads_quote_far (void)
{
  g_autoptr (GString) text = make_labelled_csv (300000, 299000);
  g_autoptr (NsDataset) one = read_agreeing_threads ("quoted.csv", text, 1, 2);

  g_assert_cmpuint (ns_dataset_get_n_samples (one), ==, 300000);
  g_assert_cmpstr (ns_dataset_get_label (one, 0, 299000), ==, "two\nlines");
}

static void
test_threads_nul_far (void)
{
  g_autoptr (GString) text = make_uneven_csv (300000, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autofree char *expected = NULL;
  NsReadOptions options;
  const char *line;
  gsize at = text->len - 1000, line_no = 1;

  for (const char *p = text->str; p < text->str + at; p++)
    line_no += *p == '\n';
  line = g_strrstr_len (text->str, at, "\n") + 1;
  text->str[at] = '\0';
  expected = g_strdup_printf ("big.csv:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": expected text, "
                              "found a NUL byte (is this a binary file?)", line_no,
                              (gsize) (text->str + at - line) + 1);
  ns_read_options_init (&options);
  options.n_threads = 4;
  data = ns_csv_read ("big.csv", text->str, text->len, &options, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
}


static void
test_many_columns (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  const guint n = 5000;

  for (guint c = 0; c < n; c++)
    g_string_append_printf (text, "%sc%u", c > 0 ? "," : "", c);
  for (guint row = 0; row < 3; row++)
    {
      g_string_append_c (text, '\n');
      for (guint c = 0; c < n; c++)
        g_string_append_printf (text, "%s%u.5", c > 0 ? "," : "", c * 10 + row);
    }
  data = ns_csv_read ("wide.csv", text->str, text->len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, n);
  g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, 3);
  g_assert_cmpstr (ns_dataset_get_column_name (data, 4999), ==, "c4999");
  g_assert_cmpfloat (ns_dataset_get_values (data, 4999)[2], ==, 49992.5);
  g_assert_cmpfloat (ns_dataset_get_values (data, 0)[0], ==, 0.5);
}

static GString *
make_big_csv (gsize n_rows, GRand *rand)
{
  GString *text = g_string_new ("x,y,kind,z\n");

  for (gsize row = 0; row < n_rows; row++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint c = 0; c < 3; c++)
        {
          double value = g_rand_double_range (rand, -1e6, 1e6);

          g_string_append (text, g_ascii_formatd (buf, sizeof buf, "%.17g", value));
          g_string_append_c (text, c < 2 ? ',' : '\n');
          if (c == 1)
            g_string_append_printf (text, "k%" G_GSIZE_FORMAT ",", row % 7);
        }
    }
  return text;
}

static void
progress_record (double fraction, gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, 0);
  g_assert_cmpfloat (fraction, <=, 1);
  *last = fraction;
}

static void
test_threads (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GString) text = make_big_csv (200000, rand);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) one = NULL;
  g_autoptr (NsDataset) four = NULL;
  g_autofree char *expected = NULL;
  NsReadOptions options;
  double last_progress = -1;
  gsize bad;

  ns_read_options_init (&options);
  options.n_threads = 1;
  one = ns_csv_read ("big.csv", text->str, text->len, &options, NULL, &error);
  g_assert_no_error (error);
  options.n_threads = 4;
  options.progress = progress_record;
  options.progress_data = &last_progress;
  four = ns_csv_read ("big.csv", text->str, text->len, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last_progress, ==, 1.0);
  g_assert_cmpuint (ns_dataset_get_n_samples (one), ==, 200000);
  g_assert_cmpuint (ns_dataset_get_n_samples (four), ==, 200000);
  for (guint c = 0; c < 4; c++)
    if (c != 2)
      g_assert_cmpmem (ns_dataset_get_values (one, c), 200000 * sizeof (double),
                       ns_dataset_get_values (four, c), 200000 * sizeof (double));
  g_assert_true (ns_dataset_column_is_label (four, 2));
  for (gsize i = 0; i < 200000; i = i < 199999 && i + 9973 > 199999 ? 199999 : i + 9973)
    {
      g_autofree char *label = g_strdup_printf ("k%" G_GSIZE_FORMAT, i % 7);

      g_assert_cmpstr (ns_dataset_get_label (four, 2, i), ==, label);
    }

  /* From a file: mapped, its parsed pages released as the threads go, hashed beside them. */
  {
    g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
    g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str,
                                                           text->len);
    g_autoptr (NsDataset) loaded = NULL;

    g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
    loaded = ns_dataset_load (path, &options, NULL, &error);
    g_assert_no_error (error);
    for (guint c = 0; c < 4; c++)
      if (c != 2)
        g_assert_cmpmem (ns_dataset_get_values (one, c), 200000 * sizeof (double),
                         ns_dataset_get_values (loaded, c), 200000 * sizeof (double));
    g_assert_cmpstr (ns_dataset_get_source_sha256 (loaded), ==, sha256);
    g_unlink (path);
    g_rmdir (dir);
  }

  /* An error in the last chunk still names its line in the whole file. */
  bad = text->len - 3;
  text->str[bad] = 'q';
  g_clear_pointer (&four, ns_dataset_free);
  four = ns_csv_read ("big.csv", text->str, text->len, &options, NULL, &error);
  g_assert_null (four);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "big.csv:200001:"));
  g_assert_nonnull (strstr (error->message, ": expected a number in column 'z', found '"));
}

static void
test_cancel (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;

  g_cancellable_cancel (cancellable);
  data = ns_csv_read ("t.csv", "a\n1\n", 4, NULL, cancellable, &error);
  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "t.csv: reading was cancelled");
}

/* ---------------------------------------------------------------- exact numbers */

static locale_t c_locale;

static double
strtod_c (const char *text, gboolean *range_error)
{
  double value;

  errno = 0;
  value = strtod_l (text, NULL, c_locale);
  *range_error = errno == ERANGE && isinf (value);
  return value;
}

static void
assert_parses_like_strtod (const char *text)
{
  gboolean overflow;
  double expected = strtod_c (text, &overflow);
  double value;
  gboolean ok = ns_parse_double (text, strlen (text), &value);

  if (overflow)
    {
      g_assert_false (ok);
      g_assert_true (isinf (value));
      return;
    }
  g_assert_true (ok);
  if (!same_bits (value, expected))
    g_error ("%s: ns_parse_double gives %a, strtod %a", text, value, expected);
}

static void
check_hard_cases (void)
{
  static const char *const cases[] = {
    "0.1", "0.2", "0.3", "1e23", "8.98846567431158e307", "7.038531e-26", "9007199254740993",
    "9007199254740992.9999999999999999", "2.2250738585072011e-308", "2.2250738585072012e-308",
    "2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
    "2.4703282292062328e-324", "1e-400", "-1e-400", "1.7976931348623157e308", "1.7976931348623158e308",
    "1.7976931348623159e308", "1e309", "-1e999", "0.500000000000000166533453693773481063544750213623046875",
    "3.0000000000000004440892098500626161694526672363281250000000001",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587"
    "207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711"
    "531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093"
    "042880177904174497791.9999999999",
    "0", "-0", "+0", ".5", "5.", "+.5e-3", "1E5", "1e+5", "000001.5000000", "123456789012345678901234567890",
    "0.000000000000000000000000000000000000000000001", "6.02214076e23", "-1.6021766208e-19",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_parses_like_strtod (cases[i]);
}

static void
check_random_cases (guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  char buf[128];

  for (guint i = 0; i < 200000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double value;

      memcpy (&value, &bits, sizeof value);
      if (!isfinite (value))
        continue;
      g_ascii_formatd (buf, sizeof buf, "%.17g", value);
      assert_parses_like_strtod (buf);
      /* Fewer digits: values between doubles, to test rounding rather than round trips. */
      g_ascii_formatd (buf, sizeof buf, i % 2 ? "%.9g" : "%.15e", value);
      assert_parses_like_strtod (buf);
    }
  /* Long digit strings near halfway points exercise the slow path. */
  for (guint i = 0; i < 20000; i++)
    {
      GString *text = g_string_new (NULL);
      guint n_digits = g_rand_int_range (rand, 17, 40);

      g_string_append_printf (text, "%u.", g_rand_int_range (rand, 1, 10));
      for (guint d = 0; d < n_digits; d++)
        g_string_append_c (text, "05"[g_rand_int_range (rand, 0, 2)] + (d < 3 ? g_rand_int_range (rand, 0, 5) : 0));
      g_string_append_printf (text, "e%d", g_rand_int_range (rand, -330, 310));
      assert_parses_like_strtod (text->str);
      g_string_free (text, TRUE);
    }
}

static void
test_parse_double_exact (void)
{
  check_hard_cases ();
  check_random_cases (1);
}

static void
test_parse_double_syntax (void)
{
  static const char *const good[] = { "1", "-1", "+1", "1.5", ".5", "5.", "1e5", "1E-5", "1e+05", "inf",
                                      "-inf", "+INF", "Infinity", "-infinity", "nan", "NaN", "-nan" };
  static const char *const bad[] = { "", " 1", "1 ", "0x1p3", "0x10", "1,5", "1e", "e5", ".", "-", "+",
                                     "1.5x", "nan(1)", "infx", "--1", "+-1", "1e5.5", "1..5", "in",
                                     "infinit", "1_000", "١" };
  double value;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (ns_parse_double (good[i], strlen (good[i]), &value));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (ns_parse_double (bad[i], strlen (bad[i]), &value));
    }
  g_assert_true (ns_parse_double ("-0", 2, &value) && signbit (value) && value == 0);
  g_assert_true (ns_parse_double ("-inf", 4, &value) && value == -INFINITY);
  /* Only the given length counts. */
  g_assert_true (ns_parse_double ("12345", 2, &value) && value == 12);
  g_assert_false (ns_parse_double (NULL, 0, &value));
  /* Out of range is refused but says which way. */
  g_assert_false (ns_parse_double ("-1e999", 6, &value));
  g_assert_true (value == -INFINITY);
}

static void
test_locale_independent (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  double value;

  g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
  /* In this locale strtod reads "1,5" as 1.5 and stops at '.': the parser must not. */
  g_assert_true (ns_parse_double ("1.5", 3, &value) && value == 1.5);
  g_assert_false (ns_parse_double ("1,5", 3, &value));
  check_hard_cases ();
  check_random_cases (2);
  data = read_text ("a;b\n1.25;2e-3\n", NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { 1.25 }, 1);
  assert_column (data, 1, "b", (double[]) { 2e-3 }, 1);
  g_clear_pointer (&data, ns_dataset_free);
  /* The decimal comma is the file's, not the locale's: the same bits as in C. */
  data = read_text ("a;b\n1,25;0,1\n", NULL, &error);
  g_assert_no_error (error);
  assert_column (data, 0, "a", (double[]) { 1.25 }, 1);
  assert_column (data, 1, "b", (double[]) { 0.1 }, 1);
  setlocale (LC_ALL, saved);
}

/* ---------------------------------------------------------------- writing */

static NsDataset *
make_table (void)
{
  static const char *const names[] = { "plain", "with,comma", "say \"hi\"", " padded " };
  static const char *const texts[] = { "a", "b,c", "d \"e\"", "two\nlines", " pad ", "", "x;y", "é" };
  const double specials[] = { 0.1, -0.0, INFINITY, -INFINITY, NAN, 5e-324, 1.7976931348623157e308, 1 / 3.0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  NsDataset *data = ns_dataset_new_table (G_N_ELEMENTS (texts));
  char **labels = g_new0 (char *, G_N_ELEMENTS (texts) + 1);

  for (guint c = 0; c < 3; c++)
    {
      double *values = g_new (double, G_N_ELEMENTS (texts));

      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

          memcpy (&values[i], &bits, sizeof (double));
          if (c == 1)
            values[i] = specials[i];
          else if (!isfinite (values[i]))
            values[i] = i;
        }
      ns_dataset_add_numeric_column (data, names[c], values);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    labels[i] = g_strdup (texts[i]);
  ns_dataset_add_label_column (data, names[3], labels);
  ns_dataset_count_missing (data);
  return data;
}

static void
assert_same_table (const NsDataset *a, const NsDataset *b)
{
  gsize n = ns_dataset_get_n_samples (a);

  g_assert_cmpuint (ns_dataset_get_n_samples (b), ==, n);
  g_assert_cmpuint (ns_dataset_get_n_columns (b), ==, ns_dataset_get_n_columns (a));
  for (guint c = 0; c < ns_dataset_get_n_columns (a); c++)
    {
      g_assert_cmpstr (ns_dataset_get_column_name (b, c), ==, ns_dataset_get_column_name (a, c));
      g_assert_cmpint (ns_dataset_column_is_label (b, c), ==, ns_dataset_column_is_label (a, c));
      for (gsize i = 0; i < n; i++)
        if (ns_dataset_column_is_label (a, c))
          g_assert_cmpstr (ns_dataset_get_label (b, c, i), ==, ns_dataset_get_label (a, c, i));
        else if (isnan (ns_dataset_get_values (a, c)[i]))
          g_assert_true (isnan (ns_dataset_get_values (b, c)[i]));
        else
          g_assert_true (same_bits (ns_dataset_get_values (b, c)[i], ns_dataset_get_values (a, c)[i]));
    }
}

static void
test_round_trip (void)
{
  g_autoptr (NsDataset) table = make_table ();
  g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
  const char delimiters[] = { ',', ';', '\t', ' ' };

  for (guint d = 0; d < G_N_ELEMENTS (delimiters); d++)
    {
      g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) back = NULL;
      NsReadOptions options;

      g_assert_true (ns_csv_write (table, path, delimiters[d], 0, &error));
      g_assert_no_error (error);
      ns_read_options_init (&options);
      options.delimiter = delimiters[d];
      back = ns_dataset_load (path, &options, NULL, &error);
      g_assert_no_error (error);
      assert_same_table (table, back);
      g_clear_pointer (&back, ns_dataset_free);
      /* Sniffed, too. */
      back = ns_dataset_load (path, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_same_table (table, back);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_write_text (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (3);
  g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) back = NULL;
  double *values = g_new (double, 3);

  values[0] = 0.1;
  values[1] = NAN;
  values[2] = -INFINITY;
  ns_dataset_add_numeric_column (data, "v", values);
  g_assert_true (ns_csv_write (data, path, 0, 0, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  /* A lone missing value is a quoted empty field: an empty line would be skipped as blank. */
  g_assert_cmpstr (contents, ==, "v\n0.1\n\"\"\n-inf\n");
  back = ns_dataset_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_column (back, 0, "v", (double[]) { 0.1, NAN, -INFINITY }, 3);
  g_unlink (path);
  g_rmdir (dir);
}

/* Rows are formatted in chunks on threads: any thread count writes the same bytes, in order. */
static void
test_write_threads (void)
{
  const gsize n = 50001;  /* four chunks of 16384 rows and a bit */
  g_autoptr (NsDataset) data = ns_dataset_new_table (n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autofree char *dir = g_dir_make_tmp ("ns-csv-XXXXXX", NULL);
  g_autofree char *first = NULL;
  double *values = g_new (double, n);
  char **labels = g_new0 (char *, n + 1);

  for (gsize i = 0; i < n; i++)
    {
      values[i] = i % 97 == 3 ? NAN : g_rand_double_range (rand, -1e6, 1e6);
      labels[i] = g_strdup_printf (i % 5 == 0 ? "a, \"quoted\" %zu" : "plain%zu", i);
    }
  ns_dataset_add_numeric_column (data, "v", values);
  ns_dataset_add_label_column (data, "label", labels);
  for (guint threads = 1; threads <= 5; threads += 2)
    {
      g_autofree char *path = g_strdup_printf ("%s/out-%u.csv", dir, threads);
      g_autofree char *contents = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_true (ns_csv_write (data, path, ',', threads, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      if (first == NULL)
        {
          g_autoptr (NsDataset) back = ns_dataset_load (path, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (ns_dataset_get_n_samples (back), ==, n);
          for (gsize i = 0; i < n; i += 1009)
            {
              g_assert_true (isnan (values[i]) ? isnan (ns_dataset_get_values (back, 0)[i])
                                               : ns_dataset_get_values (back, 0)[i] == values[i]);
              g_assert_cmpstr (ns_dataset_get_label (back, 1, i), ==, labels[i]);
            }
          first = g_steal_pointer (&contents);
        }
      else
        g_assert_cmpstr (contents, ==, first);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);

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
  g_test_add_func ("/csv/size/many-columns", test_many_columns);
  g_test_add_func ("/csv/size/threads", test_threads);
  g_test_add_func ("/csv/size/threads-uneven-rows", test_threads_uneven_rows);
  g_test_add_func ("/csv/size/threads-nul-far", test_threads_nul_far);
  g_test_add_func ("/csv/size/threads-quote-far", test_threads_quote_far);
  g_test_add_func ("/csv/cancel", test_cancel);
  g_test_add_func ("/csv/number/exact", test_parse_double_exact);
  g_test_add_func ("/csv/number/syntax", test_parse_double_syntax);
  g_test_add_func ("/csv/number/locale", test_locale_independent);
  g_test_add_func ("/csv/write/round-trip", test_round_trip);
  g_test_add_func ("/csv/write/text", test_write_text);
  g_test_add_func ("/csv/write/threads", test_write_threads);
  return g_test_run ();
}
