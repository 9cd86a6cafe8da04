/* test-stream-paths.c: one decision on every reading path, cancelling, the sketch's rank error,
 * files truncated while read, and ns_fit_file's paths.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-stream-helpers.h"

/* ---- one decision on every reading path */

/* A message without its position ("F:L:C: " or "F: byte N: "): byte ranges give offsets. */
static const char *
message_tail (const char *message)
{
  const char *colon = strstr (message, ": ");

  if (g_str_has_prefix (colon + 2, "byte "))
    colon = strstr (colon + 2, ": ");
  return colon != NULL ? colon + 2 : message;
}

/* The stats the in-memory fit gives, or NULL with its error. */
static NsStats *
fit_memory_or_error (const char *path, const NsReadOptions *read, GError **error)
{
  g_autoptr (NsDataset) data = ns_dataset_load (path, read, NULL, error);
  NsScalerOptions options;

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  return data != NULL ? ns_scaler_fit (data, &options, NULL, error) : NULL;
}

static NsStats *
fit_stream_or_error (const char *path, const NsReadOptions *read, GError **error)
{
  g_autoptr (NsPartial) partial = stream_partial (path, read, -1, -1, error);

  return partial != NULL ? ns_partial_to_stats (partial, error) : NULL;
}

/* Two byte ranges of path, merged: their stats, or the first error. */
static NsStats *
fit_ranges_or_error (const char *path, const NsReadOptions *read, gint64 size, GError **error)
{
  g_autoptr (NsPartial) head = stream_partial (path, read, 0, size / 2, error);
  g_autoptr (NsPartial) tail =
    head != NULL ? stream_partial (path, read, size / 2, size, error) : NULL;
  NsPartial *parts[2] = { head, tail };
  const char *names[2] = { path, path };
  g_autoptr (NsPartial) merged = tail != NULL ? ns_partial_merge (parts, names, 2, error) : NULL;

  return merged != NULL ? ns_partial_to_stats (merged, error) : NULL;
}

/* Whatever path reads a file (in memory, in place, in blocks, gzip in memory and in blocks,
 * byte ranges merged), the delimiter, decimal mark and column types are the same: so are the
 * stats, or the refusal and its message. */
static void
assert_every_path_agrees (const char *text, char decimal, const char *expected_error,
                          guint expected_columns)
{
  g_autofree char *path = write_text ("paths.csv", text);
  g_autofree char *gz = tmp_path ("paths.csv.gz");
  g_autofree char *command = g_strdup_printf ("sh -c 'gzip -c %s > %s'", path, gz);
  g_autoptr (GError) memory_error = NULL;
  g_autoptr (NsStats) memory = NULL;
  NsReadOptions read;

  ns_read_options_init (&read);
  read.decimal = decimal;
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  memory = fit_memory_or_error (path, &read, &memory_error);
  if (expected_error != NULL)
    g_assert_cmpstr (memory_error != NULL ? message_tail (memory_error->message) : "(none)", ==,
                     expected_error);
  else
    {
      g_assert_no_error (memory_error);
      g_assert_cmpuint (ns_stats_get_n_columns (memory), ==, expected_columns);
    }
  for (guint p = 0; p < 4; p++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsStats) stats = p == 0   ? fit_memory_or_error (gz, &read, &error)
                                  : p == 1 ? fit_stream_or_error (path, &read, &error)
                                  : p == 2
                                    ? fit_stream_or_error (gz, &read, &error)
                                    : fit_ranges_or_error (path, &read, strlen (text), &error);

      if (memory == NULL)
        {
          g_assert_nonnull (error);
          g_assert_cmpstr (message_tail (error->message), ==, message_tail (memory_error->message));
          /* The whole-file paths name the same line and column. */
          if (p < 3)
            g_assert_cmpstr (strchr (error->message, ':'), ==, strchr (memory_error->message, ':'));
        }
      else
        {
          g_assert_no_error (error);
          assert_stats_equal (stats, memory, p == 3 ? 1e-15 : 0);
        }
    }
}

/* Decimal commas (sniffed or given), number-like first values and --axis agree on every path. */
static void
test_decisions_every_path (void)
{
  g_autoptr (GString) late = g_string_new ("a;b\n");

  assert_every_path_agrees ("a;b;c\n1,5;2,25;3\n-0,5;1e3;4\n7;8,125;x\n", 0,
                            "expected a number in column 'c', found 'x'", 0);
  assert_every_path_agrees ("a;b;c\n1,5;2,25;3\n-0,5;1e3;4\n7;8,125;5\n", 0, NULL, 3);
  assert_every_path_agrees ("a\tb\n1,5\t2\n3\t4,75\n", 0, NULL, 2);
  assert_every_path_agrees ("1,5;2\n3,5;4\n", 0, NULL, 2);
  assert_every_path_agrees ("a;b\n1,5;2\n3;4,75\n", ',', NULL, 2);
  assert_every_path_agrees ("a;b\n1,5;2\n3;4,75\n", '.',
                            "expected a number in column 'a', found '1,5'", 0);
  /* In a decimal-comma file a decimal point is no number (nor a thousands mark). */
  assert_every_path_agrees ("a;b\n1,5;2\n3;4.75\n", ',',
                            "expected a number in column 'b', found '4.75'", 0);
  assert_every_path_agrees ("a,b\n0x1p3,2\n1,3\n", 0,
                            "expected a number in column 'a', found '0x1p3'", 0);
  assert_every_path_agrees ("a,b\n1,1e999x\n1,3\n", 0,
                            "expected a number in column 'b', found '1e999x'", 0);
  assert_every_path_agrees ("a,b\n\"1,5\",2\n1,3\n", 0,
                            "expected a number in column 'a', found '1,5'", 0);
  assert_every_path_agrees ("a,b\n١,2\n1,3\n", 0, "expected a number in column 'a', found '١'", 0);
  assert_every_path_agrees ("a,b\nsetosa,2\nx,3\n", 0, NULL, 1);
  /* Decided on the records in the first 32 KiB, the same bytes in every head: a decimal comma
   * only further on is an error at its line. */
  for (guint r = 0; r < 5000; r++)
    g_string_append_printf (late, "%u;%u\n", r, r * 2);
  g_string_append (late, "1,5;2\n");
  assert_every_path_agrees (late->str, 0, "expected a number in column 'a', found '1,5'", 0);
  /* A line break inside quotes: a plain file is read in blocks, not in place, with the same mark.
   */
  {
    g_autofree char *path = write_text ("paths-quoted.csv", "a;note;b\n1,5;\"x\ny\";2\n3;z;4,5\n");
    g_autoptr (GError) error = NULL;
    g_autoptr (NsStats) memory = fit_memory_or_error (path, NULL, &error);
    g_autoptr (NsStats) blocks = fit_stream_or_error (path, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ns_stats_get_n_columns (blocks), ==, 2);
    g_assert_cmpfloat (ns_stats_get_mean (blocks, 1), ==, 3.25);
    assert_stats_equal (blocks, memory, 0);
  }
  /* The comma row's line end at byte 32767 is in the sniffed records; at 32769 it is not. */
  for (guint crossing = 0; crossing < 2; crossing++)
    {
      gsize comma_row = 32762 + 2 * crossing;

      g_string_assign (late, "a;b\n");
      while (late->len < comma_row - 8)
        g_string_append (late, "1;2\n");
      g_string_append (late, "1;");
      while (late->len < comma_row - 1)
        g_string_append_c (late, '2');
      g_string_append (late, "\n1,5;2\n3;4\n");
      assert_every_path_agrees (late->str, 0,
                                crossing ? "expected a number in column 'a', found '1,5'" : NULL,
                                2);
    }
}

static void
test_in_place_cancelled (void)
{
  g_autofree char *path = write_text ("ip-cancel.csv", "x\n1\n2\n3\n4\n5\n6\n");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  NsPartial *partial = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_cmpint (read_in_place (path, NS_METHOD_STANDARD, 2, 2, cancellable, &partial, &error),
                   ==, NS_IN_PLACE_CANCELLED);
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
  g_assert_null (partial);
}

/* Rank of value in sorted data (fraction of values <= it, midpoint for ties). */
static double
rank_of (const double *sorted, gsize n, double value)
{
  gsize below = 0, equal = 0;

  for (gsize i = 0; i < n; i++)
    {
      below += sorted[i] < value;
      equal += sorted[i] == value;
    }
  return (below + equal / 2.0) / n;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_sketch_rank_error (void)
{
  const gsize n = 200000;
  g_autofree double *values = g_new (double, n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  for (guint dist = 0; dist < 3; dist++)
    {
      g_autoptr (NsSketch) whole = ns_sketch_new ();
      g_autoptr (NsSketch) merged = ns_sketch_new ();
      double worst = 0;

      for (gsize i = 0; i < n; i++)
        {
          double u = g_rand_double (rand);

          values[i] = dist == 0   ? u
                      : dist == 1 ? sqrt (-2 * log (u + 1e-300)) *
                                      cos (6.283185307179586 * g_rand_double (rand))
                                  : exp (3 * u) * (i % 7 == 0 ? 100 : 1);
        }
      ns_sketch_add (whole, values, n);
      /* 13 unequal parts merged: what fit --partial and merge do. */
      for (gsize start = 0, part = 0; start < n; part++)
        {
          gsize len = MIN (n - start, 1000 + part * 2500);
          g_autoptr (NsSketch) piece = ns_sketch_new ();

          ns_sketch_add (piece, values + start, len);
          ns_sketch_merge (merged, piece);
          start += len;
        }
      g_assert_cmpuint (ns_sketch_get_count (merged), ==, n);
      qsort (values, n, sizeof (double), compare_doubles);
      for (guint q = 1; q < 100; q++)
        {
          worst = fmax (worst, fabs (rank_of (values, n, ns_sketch_quantile (whole, q / 100.0)) -
                                     q / 100.0));
          worst = fmax (worst, fabs (rank_of (values, n, ns_sketch_quantile (merged, q / 100.0)) -
                                     q / 100.0));
        }
      g_test_message ("distribution %u: worst rank error %.5f", dist, worst);
      g_assert_cmpfloat (worst, <=, NS_SKETCH_RANK_ERROR);
      g_assert_cmpfloat (ns_sketch_quantile (whole, 0), ==, values[0]);
      g_assert_cmpfloat (ns_sketch_quantile (whole, 1), ==, values[n - 1]);
    }
}

/* ---- A file truncated while it is read (issue 13): an error naming it, never SIGBUS. */

/* n rows of one wide column: about 24 bytes a row. */
static char *
write_long_csv (const char *name, guint n)
{
  g_autoptr (GString) text = g_string_new ("x,y\n");
  char *path = tmp_path (name);

  for (guint r = 0; r < n; r++)
    g_string_append_printf (text, "%u.25,123456789.%u\n", r, r % 1000);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return path;
}

/* An (n, 1) float64 .npy file of zeros. */
static char *
write_long_npy (const char *name, gsize n)
{
  const gsize shape[] = { n, 1 };
  g_autofree double *values = g_new0 (double, n);
  g_autoptr (GBytes) bytes = ns_npy_encode ("<f8", shape, 2, FALSE, values, n * sizeof (double));
  char *path = tmp_path (name);

  g_assert_true (
    g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return path;
}

static void
assert_changed_error (const GError *error, const char *path)
{
  g_autofree char *expected = g_strdup_printf ("%s: the file changed while it was read", path);

  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);
}

/* Progress callbacks: the first report cuts the file to nothing, so every page the reading has
 * not touched yet is beyond the end. */
static void
truncate_on_progress (const char *path)
{
  g_assert_cmpint (truncate (path, 0), ==, 0);
}

static void
truncate_on_stream_progress (guint64 rows, guint64 bytes, gint64 total, gpointer path)
{
  if (rows > 0 && bytes < (guint64) total)
    truncate_on_progress (path);
}

static void
truncate_on_read_progress (double fraction, gpointer path)
{
  if (fraction > 0 && fraction < 0.5)
    truncate_on_progress (path);
}

/* Cuts the file once the process maps it (seen in /proc/self/maps): for readers with no progress
 * report before they are done with the mapping. */
static gpointer
truncate_when_mapped (gpointer path)
{
  for (guint i = 0; i < 200000; i++)
    {
      g_autofree char *maps = NULL;

      if (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL) && strstr (maps, path))
        {
          truncate_on_progress (path);
          return GINT_TO_POINTER (TRUE);
        }
      g_usleep (50);
    }
  return GINT_TO_POINTER (FALSE);
}

/* Small chunks, so that many are left to read after the first report. */
static void
truncating_stream_options (const char *path, guint n_threads, NsScalerOptions *scaler,
                           NsStreamOptions *options)
{
  ns_scaler_options_init (scaler, NS_METHOD_STANDARD);
  ns_stream_options_init (options);
  options->n_threads = n_threads;
  options->block_size = 64 << 10;
  options->progress = truncate_on_stream_progress;
  options->progress_data = (gpointer) path;
}

/* In place (the fit's default path) on one thread, or through ns_stream_read (--stream) on two. */
static void
test_truncated_csv_stream (gconstpointer in_place)
{
  g_autofree char *path = write_long_csv (in_place ? "cut-in-place.csv" : "cut-stream.csv", 400000);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) partial = NULL;
  NsScalerOptions scaler;
  NsStreamOptions options;

  truncating_stream_options (path, in_place ? 1 : 2, &scaler, &options);
  if (in_place)
    g_assert_cmpint (ns_stream_read_in_place (path, NULL, &scaler, &options, NULL, &partial,
                                              &error),
                     ==, NS_IN_PLACE_FAILED);
  else
    partial = ns_stream_read (path, NULL, &scaler, &options, NULL, &error);
  assert_changed_error (error, path);
  g_assert_null (partial);
}

static void
test_truncated_in_memory (void)
{
  g_autofree char *path = write_long_csv ("cut-memory.csv", 400000);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions options;

  ns_read_options_init (&options);
  options.n_threads = 1;
  options.progress = truncate_on_read_progress;
  options.progress_data = path;
  data = ns_dataset_load (path, &options, NULL, &error);
  assert_changed_error (error, path);
  g_assert_null (data);
}

/* The .npy fit reads its values with pread and hashes the mapping on a thread: the hash thread is
 * the one that meets the missing pages. */
static void
test_truncated_npy (gconstpointer load)
{
  g_autofree char *path = write_long_npy (load ? "cut-load.npy" : "cut-stream.npy", 8 << 20);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) partial = NULL;
  g_autoptr (NsDataset) data = NULL;
  GThread *cutter = g_thread_new ("cutter", truncate_when_mapped, path);
  NsScalerOptions scaler;
  NsStreamOptions options;

  ns_scaler_options_init (&scaler, NS_METHOD_STANDARD);
  ns_stream_options_init (&options);
  if (load)
    data = ns_dataset_load (path, NULL, NULL, &error);
  else
    partial = ns_stream_read (path, NULL, &scaler, &options, NULL, &error);
  g_assert_true (g_thread_join (cutter));
  assert_changed_error (error, path);
  g_assert_null (partial);
  g_assert_null (data);
}

/* ns_fit_file, the one fit of a file: in place, streamed (asked for, or a .csv.gz) and in memory
 * give the in-memory fit's bits; columns are selected on every path; robust streams only with
 * approximate quantiles, and says so naming the file. */
static void
test_fit_file_paths (void)
{
  g_autofree char *path = write_table ("fit-file.csv", 5000, TRUE, 31);
  g_autofree char *gz = tmp_path ("fit-file.csv.gz");
  g_autofree char *text = NULL;
  g_autoptr (NsStats) expected = fit_in_memory (path, NS_METHOD_STANDARD, 1);
  const char *columns[] = { "small", NULL };
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  {
    g_autoptr (GZlibCompressor) zip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
    g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
    g_autoptr (GOutputStream) out = g_converter_output_stream_new (sink, G_CONVERTER (zip));

    g_assert_true (g_output_stream_write_all (out, text, len, NULL, NULL, NULL));
    g_assert_true (g_output_stream_close (out, NULL, NULL));
    g_assert_true (
      g_file_set_contents (gz, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                           (gssize) g_memory_output_stream_get_data_size (
                             G_MEMORY_OUTPUT_STREAM (sink)),
                           NULL));
  }
  for (guint way = 0; way < 3; way++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsStats) stats = NULL;
      NsFitFileOptions options;

      ns_fit_file_options_init (&options, NS_METHOD_STANDARD);
      options.force_stream = way == 1;
      stats = ns_fit_file (way == 2 ? gz : path, NULL, &options, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_stats_equal (stats, expected, 0);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (NsPartial) partial = NULL;
    g_autoptr (NsStats) stats = NULL;
    NsFitFileOptions options;

    ns_fit_file_options_init (&options, NS_METHOD_STANDARD);
    options.partial = TRUE;
    options.columns = columns;
    g_assert_null (ns_fit_file (path, NULL, &options, NULL, &partial, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (ns_partial_get_n_columns (partial), ==, 1);
    ns_fit_file_options_init (&options, NS_METHOD_ROBUST);
    options.columns = columns;
    stats = ns_fit_file (path, NULL, &options, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ns_stats_get_n_columns (stats), ==, 1);
    options.force_stream = TRUE;
    g_assert_null (ns_fit_file (path, NULL, &options, NULL, NULL, &error));
    g_assert_true (g_str_has_prefix (error->message, path));
    g_assert_nonnull (strstr (error->message, "method robust needs exact quantiles"));
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/stream/in-place/cancelled", test_in_place_cancelled);
  g_test_add_func ("/stream/decisions-every-path", test_decisions_every_path);
  g_test_add_func ("/stream/fit-file-paths", test_fit_file_paths);
  g_test_add_func ("/sketch/rank-error", test_sketch_rank_error);
  g_test_add_data_func ("/stream/truncated/in-place", GINT_TO_POINTER (1),
                        test_truncated_csv_stream);
  g_test_add_data_func ("/stream/truncated/stream", NULL, test_truncated_csv_stream);
  g_test_add_func ("/stream/truncated/in-memory", test_truncated_in_memory);
  g_test_add_data_func ("/stream/truncated/npy-stream", NULL, test_truncated_npy);
  g_test_add_data_func ("/stream/truncated/npy-load", GINT_TO_POINTER (1), test_truncated_npy);
  status = g_test_run ();
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
