/* test-transform-stream-npy.c: the streamed .npy transform (ns_transform_stream_npy) writes the
 * bytes of the in-memory transform (load, ns_stats_transform_in_place, ns_npy_write) for every
 * method, and leaves every array it does not take and every refusal to the in-memory path.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/ns-fit-file.h"
#include "core/ns-npy-format.h"
#include "core/ns-npy-writer.h"
#include "core/ns-transform-stream.h"
#include "test-utils.h"

/* Rows enough for several of the streamed path's blocks (32,768 rows of 4 features), the last one
 * shorter. */
#define N_ROWS 100003
#define N_FEATURES 4
#define LATE_ROW 90001

typedef enum {
  ARRAY_PLAIN = 0,
  ARRAY_MISSING = 1 << 0, /* NaN in some rows of feature 1 */
  ARRAY_ZERO = 1 << 1,    /* a 0 in feature 2, far in (Box-Cox refuses it) */
  ARRAY_HUGE = 1 << 2,    /* 1e308 in feature 0, far in (overflows a small scale) */
} ArrayFlags;

/* Positive values of different spreads, so every method fits them; shape (N_ROWS, N_FEATURES) or
 * the same values as another shape or dtype. */
static char *
write_array (const char *dir, const char *name, ArrayFlags flags, const char *descr,
             gboolean fortran_order, guint rank)
{
  const gsize shapes[][3] = { { 0 }, { 0 }, { N_ROWS, N_FEATURES }, { N_ROWS, 2, 2 } };
  g_autoptr (GRand) rand = g_rand_new_with_seed (15);
  g_autofree double *values = g_new (double, N_ROWS *N_FEATURES);
  g_autofree float *singles = NULL;
  g_autoptr (GBytes) bytes = NULL;
  char *path = g_build_filename (dir, name, NULL);

  for (gsize r = 0; r < N_ROWS; r++)
    {
      double *row = values + r * N_FEATURES;

      row[0] = 1 + fabs (g_rand_double_range (rand, -3, 3));
      row[1] =
        (flags & ARRAY_MISSING) && r % 97 == 3 ? NAN : 1000 + g_rand_double_range (rand, 0, 10);
      row[2] = exp (g_rand_double_range (rand, -5, 5));
      row[3] = 1e9 + g_rand_double_range (rand, -1, 1);
    }
  if (flags & ARRAY_ZERO)
    values[LATE_ROW * N_FEATURES + 2] = 0;
  if (flags & ARRAY_HUGE)
    values[LATE_ROW * N_FEATURES] = 1e308;
  if (g_str_equal (descr, "<f4"))
    {
      singles = g_new (float, N_ROWS *N_FEATURES);
      for (gsize i = 0; i < N_ROWS * N_FEATURES; i++)
        singles[i] = (float) values[i];
      bytes = ns_npy_encode (descr, shapes[rank], rank, fortran_order, singles,
                             N_ROWS * N_FEATURES * sizeof (float));
    }
  else
    bytes = ns_npy_encode (descr, shapes[rank], rank, fortran_order, values,
                           N_ROWS * N_FEATURES * sizeof (double));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  return path;
}

static char *
write_rows (const char *dir, const char *name, ArrayFlags flags)
{
  return write_array (dir, name, flags, "<f8", FALSE, 2);
}

/* The in-memory transform: read, transform in place, write; FALSE (error set) when refused. */
static gboolean
transform_in_memory (const NsStats *stats, const char *path, NsTransformFlags flags,
                     const char *output, GError **error)
{
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, error);

  return data != NULL && ns_stats_transform_in_place (stats, data, flags, error) &&
         ns_npy_write (data, output, error);
}

static void
count_progress (double fraction, gpointer data)
{
  double *last = data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

/* Streams path through stats (it must stream, reporting progress up to 1) and compares with the
 * in-memory bytes, on one and on three threads. */
static void
assert_streams_alike (const NsStats *stats, const char *path, NsTransformFlags flags,
                      const char *dir)
{
  g_autofree char *streamed = g_build_filename (dir, "streamed.npy", NULL);
  g_autofree char *in_memory = g_build_filename (dir, "in-memory.npy", NULL);
  g_autoptr (GError) error = NULL;
  NsReadOptions options;

  ns_read_options_init (&options);
  for (guint n_threads = 1; n_threads <= 3; n_threads += 2)
    {
      double last = 0;

      options.n_threads = n_threads;
      options.progress = count_progress;
      options.progress_data = &last;
      g_unlink (streamed);
      g_assert_true (transform_in_memory (stats, path, flags, in_memory, &error));
      g_assert_no_error (error);
      g_assert_true (ns_transform_stream_npy (stats, path, &options, flags, streamed));
      g_assert_cmpfloat (last, ==, 1.0);
      ns_test_assert_same_file (streamed, in_memory);
    }
}

static void
test_every_method (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_rows (dir, "rows.npy", ARRAY_PLAIN);
  g_autofree char *missing = write_rows (dir, "missing.npy", ARRAY_MISSING);

  for (NsMethod method = NS_METHOD_STANDARD; method <= NS_METHOD_NORMALIZER; method++)
    {
      g_autoptr (NsStats) stats = ns_test_fit_file (path, method);

      assert_streams_alike (stats, path, 0, dir);
      if (method != NS_METHOD_NORMALIZER)
        {
          assert_streams_alike (stats, path, NS_TRANSFORM_INVERSE, dir);
          /* NaN stays NaN, as in memory. */
          assert_streams_alike (stats, missing, 0, dir);
        }
    }
}

/* Where the stream declines, nothing is written and the in-memory path gives the answer. */
static void
assert_declines (const NsStats *stats, const char *path, const NsReadOptions *options,
                 NsTransformFlags flags, const char *dir)
{
  g_autofree char *output = g_build_filename (dir, "declined.npy", NULL);

  g_assert_false (ns_transform_stream_npy (stats, path, options, flags, output));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_declines (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_rows (dir, "rows.npy", ARRAY_PLAIN);
  g_autofree char *missing = write_rows (dir, "missing.npy", ARRAY_MISSING);
  g_autofree char *zero = write_rows (dir, "zero.npy", ARRAY_ZERO);
  g_autofree char *huge = write_rows (dir, "huge.npy", ARRAY_HUGE);
  g_autofree char *singles = write_array (dir, "singles.npy", 0, "<f4", FALSE, 2);
  g_autofree char *big_endian = write_array (dir, "big-endian.npy", 0, ">f8", FALSE, 2);
  g_autofree char *fortran = write_array (dir, "fortran.npy", 0, "<f8", TRUE, 2);
  g_autofree char *cube = write_array (dir, "cube.npy", 0, "<f8", FALSE, 3);
  g_autoptr (NsStats) stats = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (NsStats) box_cox = ns_test_fit_file (path, NS_METHOD_BOX_COX);
  g_autoptr (NsStats) normalizer = ns_test_fit_file (path, NS_METHOD_NORMALIZER);
  g_autoptr (NsStats) tiny = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (NsStats) other = ns_stats_new ("standard", 1);
  g_autoptr (NsStats) some = ns_stats_new ("standard", 2);
  NsReadOptions options;

  ns_read_options_init (&options);
  g_assert_false (ns_transform_stream_npy (stats, path, &options, 0, "-"));
  assert_declines (stats, singles, &options, 0, dir);
  assert_declines (stats, big_endian, &options, 0, dir);
  assert_declines (stats, fortran, &options, 0, dir);
  assert_declines (stats, cube, &options, 0, dir);
  /* Refusals, found far into the file: Box-Cox's domain, the normalizer's missing value, a value
   * the stats send beyond the double range, a column the stats do not know. */
  assert_declines (box_cox, zero, &options, 0, dir);
  assert_declines (normalizer, missing, &options, 0, dir);
  ns_stats_set_column (tiny, 0, "channel_0", N_ROWS, 0, 0, 1, 0, 1e-300);
  assert_declines (tiny, huge, &options, 0, dir);
  ns_stats_set_column (other, 0, "d", 1, 0, 0, 1, 0, 1);
  assert_declines (other, path, &options, 0, dir);
  /* An array's features are all its kept axis': stats of some of them are refused. */
  ns_stats_set_column (some, 0, "channel_2", N_ROWS, 0, 3, 4, 3, 2);
  ns_stats_set_column (some, 1, "channel_0", N_ROWS, 0, 2, 0.75, 2, 0.875);
  assert_declines (some, path, &options, NS_TRANSFORM_PASS_THROUGH, dir);
  options.weight_column = "channel_1";
  assert_declines (stats, path, &options, 0, dir);
}

/* normscope-cli transform of an array with a value that overflows far in: the in-memory message,
 * exit 2 and no output file; an array it streams gives the in-memory bytes. */
static void
test_cli (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = write_rows (dir, "rows.npy", ARRAY_MISSING);
  g_autofree char *huge = write_rows (dir, "huge.npy", ARRAY_HUGE);
  g_autofree char *stats_path = g_build_filename (dir, "stats.json", NULL);
  g_autofree char *tiny_path = g_build_filename (dir, "tiny.json", NULL);
  g_autofree char *output = g_build_filename (dir, "out.npy", NULL);
  g_autofree char *in_memory = g_build_filename (dir, "in-memory.npy", NULL);
  g_autoptr (NsStats) stats = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (NsStats) tiny = ns_test_fit_file (path, NS_METHOD_STANDARD);
  g_autoptr (GError) expected = NULL, error = NULL;
  g_autofree char *err = NULL, *wanted = NULL;
  const char *args[] = { "transform", path, "--stats", stats_path, "-o", output, "-q", NULL };

  g_assert_true (ns_stats_save (stats, stats_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ns_test_run_cli (args, NULL, NULL, NULL), ==, 0);
  g_assert_true (transform_in_memory (stats, path, 0, in_memory, &error));
  g_assert_no_error (error);
  ns_test_assert_same_file (output, in_memory);

  g_unlink (output);
  ns_stats_set_column (tiny, 0, "channel_0", N_ROWS, 0, 0, 1, 0, 1e-300);
  g_assert_true (ns_stats_save (tiny, tiny_path, &error));
  g_assert_no_error (error);
  g_assert_false (transform_in_memory (tiny, huge, 0, in_memory, &expected));
  g_assert_nonnull (expected);
  args[1] = huge;
  args[3] = tiny_path;
  g_assert_cmpint (ns_test_run_cli (args, NULL, NULL, &err), ==, 2);
  wanted = g_strdup_printf ("%s\n", expected->message);
  g_assert_cmpstr (err, ==, wanted);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transform-stream-npy/every-method", test_every_method);
  g_test_add_func ("/transform-stream-npy/declines", test_declines);
  g_test_add_func ("/transform-stream-npy/cli", test_cli);
  return g_test_run ();
}
