/* test-transform-stream.c: the streamed CSV transform writes the bytes of the in-memory transform
 * for every method, and leaves the refusals (with nothing written) to the in-memory path.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <math.h>

#include "core/ns-csv-writer.h"
#include "core/ns-fit-file.h"
#include "core/ns-format-double.h"
#include "core/ns-transform-stream.h"
#include "test-utils.h"

/* Rows enough for about ten of the streamed path's chunks. */
#define N_ROWS 30000

typedef enum {
  TABLE_PLAIN = 0,
  TABLE_MISSING = 1 << 0,        /* empty fields and NA in the numeric columns */
  TABLE_DECIMAL_COMMA = 1 << 1,  /* ';' between fields, ',' as the decimal mark */
  TABLE_QUOTED_NEWLINE = 1 << 2, /* a label holding a line break, far into the file */
  TABLE_BAD_NUMBER = 1 << 3,     /* a number column holding text, far into the file */
  TABLE_NONPOSITIVE = 1 << 4,    /* a 0 in column b, far into the file (Box-Cox refuses it) */
  TABLE_LONG_QUOTED = 1 << 5,    /* a label of many lines, longer than a chunk: a cut falls in it */
} TableFlags;

#define LATE_ROW 25000

static void
append_number (GString *out, double value, gboolean decimal_comma)
{
  char text[NS_DOUBLE_BUF_SIZE];

  ns_format_double (text, value);
  for (char *p = text; decimal_comma && *p != '\0'; p++)
    if (*p == '.')
      *p = ',';
  g_string_append (out, text);
}

/* Columns a, kind (labels, some quoted with the delimiter or quotes inside), b, c: positive
 * numbers of different spreads, so every method fits them. */
static char *
write_table (const char *dir, const char *name, TableFlags flags)
{
  static const char *const kinds[] = { "x", "\"y, z\"", "\"say \"\"hi\"\"\"", "w" };
  gboolean comma = (flags & TABLE_DECIMAL_COMMA) != 0;
  char delimiter = comma ? ';' : ',';
  g_autoptr (GRand) rand = g_rand_new_with_seed (15);
  g_autoptr (GString) text = g_string_new (NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_string_append_printf (text, "a%ckind%cb%cc\n", delimiter, delimiter, delimiter);
  for (guint r = 0; r < N_ROWS; r++)
    {
      append_number (text, 1 + fabs (g_rand_double_range (rand, -3, 3)), comma);
      g_string_append_c (text, delimiter);
      if ((flags & TABLE_QUOTED_NEWLINE) && r == LATE_ROW)
        g_string_append (text, "\"two\nlines\"");
      else if ((flags & TABLE_LONG_QUOTED) && r == LATE_ROW)
        {
          g_string_append_c (text, '"');
          for (guint line = 0; line < 100000; line++)
            g_string_append (text, "1,2\n");
          g_string_append_c (text, '"');
        }
      else
        g_string_append (text, kinds[r % G_N_ELEMENTS (kinds)]);
      g_string_append_c (text, delimiter);
      if ((flags & TABLE_MISSING) && r % 97 == 3)
        g_string_append (text, r % 2 ? "" : "NA");
      else if ((flags & TABLE_BAD_NUMBER) && r == LATE_ROW)
        g_string_append (text, "oops");
      else if ((flags & TABLE_NONPOSITIVE) && r == LATE_ROW)
        g_string_append (text, "0");
      else
        append_number (text, 1000 + g_rand_double_range (rand, 0, 10), comma);
      g_string_append_c (text, delimiter);
      append_number (text, exp (g_rand_double_range (rand, -5, 5)), comma);
      g_string_append_c (text, '\n');
    }
  g_file_set_contents (path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
  return path;
}

/* The in-memory transform: read, transform in place, write; FALSE (error set) when refused. */
static gboolean
transform_in_memory (const NsStats *stats, const char *path, NsTransformFlags flags, char delimiter,
                     const char *output, GError **error)
{
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, error);

  return data != NULL && ns_stats_transform_in_place (stats, data, flags, error) &&
         ns_csv_write (data, output, delimiter, 0, error);
}

/* Streams path through stats (it must stream) and compares with the in-memory bytes. */
static void
assert_streams_alike (const NsStats *stats, const char *path, NsTransformFlags flags,
                      char delimiter, const char *dir)
{
  g_autofree char *streamed = g_build_filename (dir, "streamed.csv", NULL);
  g_autofree char *in_memory = g_build_filename (dir, "in-memory.csv", NULL);
  g_autoptr (GError) error = NULL;
  NsReadOptions options;

  ns_read_options_init (&options);
  for (guint n_threads = 1; n_threads <= 3; n_threads += 2)
    {
      options.n_threads = n_threads;
      g_unlink (streamed);
      g_assert_true (transform_in_memory (stats, path, flags, delimiter, in_memory, &error));
      g_assert_no_error (error);
      g_assert_true (ns_transform_stream_csv (stats, path, &options, flags, streamed, delimiter));
      ns_test_assert_same_file (streamed, in_memory);
    }
}

static void
test_every_method (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_table (dir, "table.csv", TABLE_PLAIN);
  g_autofree char *missing = write_table (dir, "missing.csv", TABLE_MISSING);

  for (NsMethod method = NS_METHOD_STANDARD; method <= NS_METHOD_NORMALIZER; method++)
    {
      g_autoptr (NsStats) stats = ns_test_fit_file (path, method);

      assert_streams_alike (stats, path, 0, ',', dir);
      if (method != NS_METHOD_NORMALIZER)
        {
          assert_streams_alike (stats, path, NS_TRANSFORM_INVERSE, ',', dir);
          /* Missing values stay empty fields; NA in a numeric column too. */
          assert_streams_alike (stats, missing, 0, ',', dir);
        }
    }
}

/* Batch-norm inference stats, in PyTorch's order and in Flax's (subtract first). */
static void
test_batchnorm (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_table (dir, "table.csv", TABLE_MISSING);
  const char *const presets[] = { "pytorch", "flax" };

  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    {
      g_autoptr (NsStats) stats = ns_stats_new ("batchnorm", 3);
      JsonObject *params = ns_stats_get_params (stats);
      JsonArray *gamma = json_array_new ();

      ns_stats_set_column (stats, 0, "a", N_ROWS, 0, 2, 0.7, 2, 0.7);
      ns_stats_set_column (stats, 1, "b", N_ROWS, 0, 1005, 8, 1005, 2.9);
      ns_stats_set_column (stats, 2, "c", N_ROWS, 0, 10, 400, 10, 20.1);
      for (guint c = 0; c < 3; c++)
        json_array_add_double_element (gamma, 0.5 + c);
      json_object_set_array_member (params, "gamma", gamma);
      json_object_set_double_member (params, "beta", 0.25);
      json_object_set_string_member (params, "preset", presets[p]);
      assert_streams_alike (stats, path, 0, ',', dir);
      assert_streams_alike (stats, path, NS_TRANSFORM_INVERSE, ',', dir);
    }
}

/* A decimal-comma file with ';' between fields, and columns the stats do not cover. */
static void
test_dialect_and_pass_through (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_table (dir, "comma.csv", TABLE_DECIMAL_COMMA | TABLE_MISSING);
  const char *const columns[] = { "c", "a", NULL };
  g_autoptr (NsStats) stats = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (NsStats) some = NULL;
  NsFitFileOptions options;
  g_autoptr (GError) error = NULL;

  assert_streams_alike (stats, path, 0, ';', dir);
  assert_streams_alike (stats, path, 0, '\t', dir);
  ns_fit_file_options_init (&options, NS_METHOD_ROBUST);
  options.columns = columns;
  some = ns_fit_file (path, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_streams_alike (some, path, NS_TRANSFORM_PASS_THROUGH, ';', dir);
}

/* Where the stream declines, nothing is written and the in-memory path gives the answer. */
static void
assert_declines (const NsStats *stats, const char *path, NsTransformFlags flags, const char *dir)
{
  g_autofree char *output = g_build_filename (dir, "declined.csv", NULL);
  NsReadOptions options;

  ns_read_options_init (&options);
  g_assert_false (ns_transform_stream_csv (stats, path, &options, flags, output, ','));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_declines (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_table (dir, "table.csv", TABLE_MISSING);
  g_autofree char *newline = write_table (dir, "newline.csv", TABLE_QUOTED_NEWLINE);
  g_autofree char *bad = write_table (dir, "bad.csv", TABLE_BAD_NUMBER);
  g_autofree char *zero = write_table (dir, "zero.csv", TABLE_NONPOSITIVE);
  g_autofree char *long_quoted = write_table (dir, "long-quoted.csv", TABLE_LONG_QUOTED);
  g_autoptr (NsStats) stats = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (NsStats) box_cox = ns_test_fit_file (newline, NS_METHOD_BOX_COX);
  g_autoptr (NsStats) normalizer = ns_test_fit_file (newline, NS_METHOD_NORMALIZER);
  g_autoptr (NsStats) other = ns_stats_new ("standard", 1);
  NsReadOptions options;

  ns_read_options_init (&options);
  g_assert_false (ns_transform_stream_csv (stats, path, &options, 0, "-", ','));
  /* A line break inside quotes breaks the cut at line starts: the in-memory path reads it. */
  assert_declines (stats, newline, 0, dir);
  assert_declines (stats, long_quoted, 0, dir);
  assert_declines (stats, bad, 0, dir);
  assert_declines (box_cox, zero, 0, dir);
  assert_declines (normalizer, path, 0, dir);
  ns_stats_set_column (other, 0, "d", 1, 0, 0, 1, 0, 1);
  assert_declines (other, path, 0, dir);
  options.weight_column = "a";
  g_assert_false (ns_transform_stream_csv (stats, path, &options, 0, "out.csv", ','));
}

/* normscope-cli transform of a file with an error far in: the in-memory message, exit 2, and no
 * output file; a file it cannot stream gives the in-memory bytes. */
static void
test_cli_refusal_and_fallback (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_table (dir, "table.csv", TABLE_MISSING);
  g_autofree char *bad = write_table (dir, "bad.csv", TABLE_BAD_NUMBER);
  g_autofree char *newline = write_table (dir, "newline.csv", TABLE_QUOTED_NEWLINE);
  g_autofree char *long_quoted = write_table (dir, "long-quoted.csv", TABLE_LONG_QUOTED);
  const char *fallbacks[] = { newline, long_quoted };
  g_autofree char *stats_path = g_build_filename (dir, "stats.json", NULL);
  g_autofree char *output = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *in_memory = g_build_filename (dir, "in-memory.csv", NULL);
  g_autoptr (NsStats) stats = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (GError) expected = NULL, error = NULL;
  g_autofree char *err = NULL, *wanted = NULL;
  const char *args[] = { "transform", bad, "--stats", stats_path, "-o", output, NULL };

  g_assert_true (ns_stats_save (stats, stats_path, &error));
  g_assert_no_error (error);
  g_assert_null (ns_dataset_load (bad, NULL, NULL, &expected));
  g_assert_nonnull (expected);
  g_assert_true (strstr (expected->message, ".csv:25002:") != NULL);
  g_assert_cmpint (ns_test_run_cli (args, NULL, NULL, &err), ==, 2);
  wanted = g_strdup_printf ("%s\n", expected->message);
  g_assert_cmpstr (err, ==, wanted);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));

  for (guint k = 0; k < G_N_ELEMENTS (fallbacks); k++)
    {
      args[1] = fallbacks[k];
      g_assert_cmpint (ns_test_run_cli (args, NULL, NULL, NULL), ==, 0);
      g_assert_true (transform_in_memory (stats, fallbacks[k], 0, ',', in_memory, &error));
      g_assert_no_error (error);
      ns_test_assert_same_file (output, in_memory);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transform-stream/every-method", test_every_method);
  g_test_add_func ("/transform-stream/batchnorm", test_batchnorm);
  g_test_add_func ("/transform-stream/dialect-and-pass-through", test_dialect_and_pass_through);
  g_test_add_func ("/transform-stream/declines", test_declines);
  g_test_add_func ("/transform-stream/cli-refusal-and-fallback", test_cli_refusal_and_fallback);
  return g_test_run ();
}
