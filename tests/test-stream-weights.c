/* test-stream-weights.c: sample weights in streamed, byte-range and merged fits (issue 16).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "core/ns-dataset.h"
#include "core/ns-error.h"
#include "core/ns-fit-file.h"
#include "core/ns-partial.h"
#include "core/ns-stream.h"
#include "test-utils.h"

static char *tmp_dir;

/* Rows of a (near 1e6), w and v (weights, some 0), b (some missing) and a label; a quoted line
 * break in the label keeps the in-place reader off the file, so the block reader runs. */
static char *
write_weighted (const char *name, guint rows, gboolean quoted_newline)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  GString *text = g_string_new ("a,w,b,v,name\n");
  char *path = g_build_filename (tmp_dir, name, NULL);

  for (guint r = 0; r < rows; r++)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (a, sizeof a, 1e6 + g_rand_double (rand));
      g_ascii_dtostr (w, sizeof w, r % 13 == 5 ? 0.0 : 3 * g_rand_double (rand));
      g_ascii_dtostr (b, sizeof b, -g_rand_double (rand) * 1e-5);
      g_string_append_printf (text, "%s,%s,%s,%u,%s\n", a, w, r % 11 == 3 ? "" : b, r % 4,
                              quoted_newline && r == 7 ? "\"n\nm\"" : "n");
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  return path;
}

static void
fit_options (NsFitFileOptions *options, const char *weights)
{
  ns_fit_file_options_init (options, NS_METHOD_STANDARD);
  options->scaler.sample_weight = weights;
}

static NsStats *
fit (const char *path, const NsFitFileOptions *options)
{
  g_autoptr (GError) error = NULL;
  NsStats *stats = ns_fit_file (path, NULL, options, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static char *
fit_text (const char *path, const NsFitFileOptions *options)
{
  g_autoptr (NsStats) stats = fit (path, options);

  return ns_stats_to_json_string (stats);
}

/* The in-memory weighted fit, the steps ns_fit_file takes where no other path applies. */
static char *
fit_in_memory_text (const char *path, const char *weights)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);
  g_autofree double *values = NULL;
  g_autoptr (NsStats) stats = NULL;
  NsScalerOptions options;

  g_assert_no_error (error);
  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  options.sample_weight = weights;
  g_assert_true (ns_scaler_take_sample_weights (data, weights, &values, &error));
  options.sample_weights = values;
  stats = ns_scaler_fit (data, &options, NULL, &error);
  g_assert_no_error (error);
  return ns_stats_to_json_string (stats);
}

/* A byte range fitted with weights column `weights`, through its file text (as merge reads it). */
static NsPartial *
read_part (const char *path, const char *weights, gint64 start, gint64 end)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsPartial) part = NULL;
  g_autofree char *text = NULL, *again = NULL;
  NsFitFileOptions options;
  NsPartial *back;

  fit_options (&options, weights);
  options.partial = TRUE;
  options.stream.range_start = start;
  options.stream.range_end = end;
  g_assert_null (ns_fit_file (path, NULL, &options, NULL, &part, &error));
  g_assert_no_error (error);
  text = ns_partial_to_json_string (part);
  back = ns_partial_parse ("part.json", text, strlen (text), &error);
  g_assert_no_error (error);
  again = ns_partial_to_json_string (back);
  g_assert_cmpstr (again, ==, text);
  return back;
}

static gint64
file_size (const char *path)
{
  g_autofree char *text = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  return (gint64) len;
}

/* Every reading path gives the in-memory weighted fit bit for bit: the default one, in place, in
 * blocks (a quoted line break keeps the in-place reader off), on one or two threads, with blocks
 * of a few records. */
static void
test_stream_equals_memory (void)
{
  g_autofree char *plain = write_weighted ("plain.csv", 20000, FALSE);
  g_autofree char *quoted = write_weighted ("quoted.csv", 20000, TRUE);
  const char *paths[] = { plain, quoted };
  const gsize block_sizes[] = { 0, 3001 };

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      NsFitFileOptions options;
      g_autofree char *memory = NULL;

      fit_options (&options, "w");
      memory = fit_in_memory_text (paths[p], "w");
      g_assert_nonnull (strstr (memory, "\"sample_weight\": \"w\""));
      {
        g_autofree char *chosen = fit_text (paths[p], &options);

        g_assert_cmpstr (chosen, ==, memory); /* in place (plain) or in memory (quoted) */
      }
      for (guint b = 0; b < G_N_ELEMENTS (block_sizes); b++)
        for (guint threads = 1; threads <= 2; threads++)
          {
            g_autofree char *streamed = NULL;

            options.force_stream = TRUE;
            options.stream.block_size = block_sizes[b];
            options.stream.n_threads = threads;
            streamed = fit_text (paths[p], &options);
            g_assert_cmpstr (streamed, ==, memory);
          }
    }
}

/* The gzip file's moments are the plain file's, bit for bit (its source differs). */
static void
test_gzip_equals_memory (void)
{
  g_autofree char *plain = write_weighted ("plain-gz.csv", 9000, FALSE);
  g_autofree char *gzip = g_strdup_printf ("gzip -kf %s", plain);
  g_autofree char *gzipped = g_strconcat (plain, ".gz", NULL);
  g_autoptr (NsStats) memory = NULL, streamed = NULL;
  NsFitFileOptions options;

  g_assert_true (g_spawn_command_line_sync (gzip, NULL, NULL, NULL, NULL));
  fit_options (&options, "w");
  memory = fit (plain, &options);
  options.force_stream = TRUE;
  options.stream.block_size = 4096;
  streamed = fit (gzipped, &options);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpfloat (ns_stats_get_count (streamed, c), ==, ns_stats_get_count (memory, c));
      g_assert_cmpfloat (ns_stats_get_mean (streamed, c), ==, ns_stats_get_mean (memory, c));
      g_assert_cmpfloat (ns_stats_get_variance (streamed, c), ==,
                         ns_stats_get_variance (memory, c));
    }
}

static void
assert_merged_close (const NsStats *merged, const NsStats *whole, guint n_columns)
{
  for (guint c = 0; c < n_columns; c++)
    {
      double count = ns_stats_get_count (whole, c);

      /* Sums of fractional weights, associated differently: a few ulp. */
      ns_test_assert_close (ns_stats_get_count (merged, c), count, 1e-14, 0, "column %u count", c);
      ns_test_assert_close (ns_stats_get_mean (merged, c), ns_stats_get_mean (whole, c), 1e-15, 0,
                            "column %u mean", c);
      ns_test_assert_close (ns_stats_get_variance (merged, c), ns_stats_get_variance (whole, c),
                            1e-14, 0, "column %u variance", c);
    }
}

/* Seven weighted byte ranges, merged in any order: the same bits, and the in-memory weighted fit
 * to a few ulp. */
static void
test_merge_equals_memory (void)
{
  g_autofree char *path = write_weighted ("ranges.csv", 20000, FALSE);
  gint64 size = file_size (path);
  g_autoptr (NsStats) whole = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autofree char *text = NULL;
  NsFitFileOptions options;
  NsPartial *parts[7];

  fit_options (&options, "w");
  whole = fit (path, &options);
  for (guint i = 0; i < 7; i++)
    parts[i] = read_part (path, "w", size * i / 7, size * (i + 1) / 7);
  stats = ns_test_merge_in_any_order (parts);
  text = ns_stats_to_json_string (stats);
  g_assert_nonnull (strstr (text, "\"sample_weight\": \"w\""));
  g_assert_cmpuint (ns_stats_get_source_rows (stats), ==, 20000);
  assert_merged_close (stats, whole, 3);
  for (guint i = 0; i < 7; i++)
    ns_partial_free (parts[i]);
}

static double
fitted_value (JsonObject *fitted, const char *key, guint c)
{
  return json_array_get_double_element (json_object_get_array_member (fitted, key), c);
}

static void
assert_sklearn_close (const NsStats *stats, JsonObject *fitted)
{
  for (guint c = 0; c < 2; c++)
    {
      double mean = fitted_value (fitted, "mean_", c), var = fitted_value (fitted, "var_", c);
      double seen = fitted_value (fitted, "n_samples_seen_", c);

      ns_test_assert_close (ns_stats_get_mean (stats, c), mean, 1e-12, 0, "column %u mean_", c);
      ns_test_assert_close (ns_stats_get_variance (stats, c), var, 1e-12, 0, "column %u var_", c);
      ns_test_assert_close (ns_stats_get_count (stats, c), seen, 1e-12, 0,
                            "column %u n_samples_seen_", c);
    }
}

/* tests/gen-sklearn-family.py's weighted case (StandardScaler().fit(X, sample_weight=w) of
 * scikit-learn 1.2.1, NaN features included), streamed and merged from three byte ranges. */
static void
test_sklearn_weighted (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("NS_TEST_DATA"), "sklearn-family", NULL);
  g_autofree char *path = g_build_filename (dir, "weighted.csv", NULL);
  g_autofree char *fitted_path = g_build_filename (dir, "weighted.fitted.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (NsStats) streamed = NULL, merged_stats = NULL;
  g_autoptr (NsPartial) merged = NULL;
  g_autoptr (GError) error = NULL;
  gint64 size = file_size (path);
  const char *names[] = { "p0", "p1", "p2" };
  NsPartial *parts[3];
  NsFitFileOptions options;
  JsonObject *fitted;

  g_assert_true (json_parser_load_from_file (parser, fitted_path, NULL));
  fitted = json_node_get_object (json_parser_get_root (parser));
  fit_options (&options, "w");
  options.force_stream = TRUE;
  streamed = fit (path, &options);
  assert_sklearn_close (streamed, fitted);
  for (guint i = 0; i < 3; i++)
    parts[i] = read_part (path, "w", size * i / 3, size * (i + 1) / 3);
  merged = ns_partial_merge (parts, names, 3, &error);
  g_assert_no_error (error);
  merged_stats = ns_partial_to_stats (merged, &error);
  g_assert_no_error (error);
  assert_sklearn_close (merged_stats, fitted);
  for (guint i = 0; i < 3; i++)
    ns_partial_free (parts[i]);
}

/* Parts weighed and not, or by different columns, are different fits (parts are checked in
 * file order: the first range is a.json's). */
static void
test_merge_refusals (void)
{
  g_autofree char *path = write_weighted ("refusals.csv", 100, FALSE);
  g_autoptr (NsPartial) by_w = read_part (path, "w", 0, 1000);
  g_autoptr (NsPartial) rest_by_w = read_part (path, "w", 1000, 100000);
  g_autoptr (NsPartial) rest_by_v = read_part (path, "v", 1000, 100000);
  g_autoptr (NsPartial) rest_unweighted = read_part (path, NULL, 1000, 100000);
  g_autoptr (NsPartial) unweighted = read_part (path, NULL, 0, 1000);
  g_autoptr (NsPartial) merged = NULL;
  NsPartial *parts[] = { by_w, rest_by_w };
  const char *names[] = { "a.json", "b.json" };

  ns_test_assert_merge_fails (by_w, rest_unweighted,
                              "b.json: fitted without sample weights, a.json with them (params "
                              "sample_weight 'w')");
  ns_test_assert_merge_fails (
    unweighted, rest_by_w,
    "b.json: fitted with sample weights (params sample_weight 'w'), a.json "
    "without them");
  ns_test_assert_merge_fails (
    by_w, rest_by_v,
    "b.json: its sample weights (params sample_weight) are column 'v' but "
    "column 'w' in a.json");
  merged = ns_partial_merge (parts, names, 2, NULL);
  g_assert_nonnull (merged);
  g_assert_cmpuint (ns_partial_get_rows (merged), ==, 100);
}

static char *
partial_with_count (const char *params, const char *count)
{
  return g_strdup_printf ("{\"format\": \"normscope-partial\", \"version\": 1, \"method\": "
                          "\"standard\", \"params\": %s, \"source\": {\"rows\": 3}, \"labels\": "
                          "[\"w\"], \"columns\": [{\"name\": \"a\", \"count\": %s, \"missing\": 0, "
                          "\"infinite\": 0, \"mean\": 2, \"mean_low\": 0, \"m2\": 1, \"m3\": 0, "
                          "\"m4\": 1, \"min\": 1, \"max\": 3, \"max_abs\": 3}]}",
                          params, count);
}

/* A weighted count is a sum of weights: fractional, but never NaN, negative or infinite; an
 * unweighted one stays whole. */
static void
test_fractional_counts (void)
{
  const char *weighted = "{\"with_mean\": true, \"with_std\": true, \"sample_weight\": \"w\"}";
  const char *unweighted = "{\"with_mean\": true, \"with_std\": true}";
  const struct {
    const char *params, *count, *found;
  } cases[] = {
    { weighted, "2.5", NULL },        { weighted, "0.25", NULL },
    { weighted, "\"nan\"", "'nan'" }, { weighted, "-0.5", "-0.5" },
    { weighted, "\"inf\"", "'inf'" }, { unweighted, "2.5", "2.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = partial_with_count (cases[i].params, cases[i].count);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) partial = ns_partial_parse ("p.json", text, strlen (text), &error);
      g_autofree char *expected = NULL;

      if (cases[i].found == NULL)
        {
          g_autofree char *again = NULL;
          g_autoptr (NsPartial) back = NULL;

          g_assert_no_error (error);
          again = ns_partial_to_json_string (partial);
          back = ns_partial_parse ("p.json", again, strlen (again), &error);
          g_assert_no_error (error);
          g_assert_cmpfloat (ns_partial_peek_moments (back, 0)->count, ==,
                             g_ascii_strtod (cases[i].count, NULL));
          continue;
        }
      expected = g_strdup_printf ("p.json: columns[0].count: expected moments that data could "
                                  "have, found %s",
                                  cases[i].found);
      g_assert_null (partial);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* The fit of path weighed by `weights` fails with expected: streamed and in memory for the whole
 * file (start -1), else as a byte range from start on. */
/* A (2, 2) float64 .npy, as NumPy writes one (version 1.0, header padded to 64 bytes). */
static void
write_npy (const char *path)
{
  GString *npy = g_string_new_len ("\x93NUMPY\x01\x00\x76\x00", 10);
  const double values[] = { 1, 2, 3, 4 };

  g_string_append (npy, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }");
  while ((npy->len + 1) % 64 != 0)
    g_string_append_c (npy, ' ');
  g_string_append_c (npy, '\n');
  g_assert_cmpuint (npy->len, ==, 128);
  g_string_append_len (npy, (const char *) values, sizeof values);
  g_assert_true (g_file_set_contents (path, npy->str, npy->len, NULL));
  g_string_free (npy, TRUE);
}

static void
assert_fit_fails (const char *path, const char *weights, gint64 start, const char *expected)
{
  for (guint streamed = 0; streamed <= 1; streamed++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) partial = NULL;
      NsFitFileOptions options;

      if (start >= 0 && !streamed)
        continue;
      fit_options (&options, weights);
      options.force_stream = streamed;
      options.partial = start >= 0;
      options.stream.range_start = start;
      options.stream.range_end = start >= 0 ? G_MAXINT64 : -1;
      g_assert_null (ns_fit_file (path, NULL, &options, NULL, &partial, &error));
      g_assert_null (partial);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* A bad weight names its line and column, in memory as while streaming (its byte in a range); a
 * weight column must be a numeric column of a table. */
static void
test_bad_weights (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "bad.csv", NULL);
  g_autofree char *npy = g_build_filename (tmp_dir, "bad.npy", NULL);
  const char *text = "a,w,name\n1,2,x\n3, -0.5,y\n4,,z\n5,inf,t\n";
  g_autofree char *negative = NULL, *negative_byte = NULL, *label = NULL, *unknown = NULL;
  g_autofree char *tensor = NULL, *missing = NULL, *infinite = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  write_npy (npy);
  negative = g_strdup_printf ("%s:3:4: expected a sample weight (a finite number >= 0) in column "
                              "'w', found -0.5",
                              path);
  negative_byte = g_strdup_printf ("%s: byte 18: expected a sample weight (a finite number >= 0) "
                                   "in column 'w', found -0.5",
                                   path);
  missing = g_strdup_printf ("%s:4:3: expected a sample weight (a finite number >= 0) in column "
                             "'w', found a missing value",
                             path);
  infinite = g_strdup_printf ("%s:5:3: expected a sample weight (a finite number >= 0) in column "
                              "'w', found inf",
                              path);
  label = g_strdup_printf ("%s: column 'name' holds labels, not sample weights", path);
  unknown = g_strdup_printf ("%s: no column named 'zz' for the sample weights", path);
  tensor = g_strdup_printf ("%s: --sample-weight names a column of a table; a tensor's features "
                            "are its axes",
                            npy);
  assert_fit_fails (path, "w", -1, negative);
  assert_fit_fails (path, "w", 0, negative_byte);
  assert_fit_fails (path, "w", 15, negative_byte);
  assert_fit_fails (path, "name", -1, label);
  assert_fit_fails (path, "zz", 0, unknown);
  assert_fit_fails (npy, "w", -1, tensor);
  {
    const char *const columns[] = { "a", "w", NULL };
    g_autofree char *expected = g_strdup_printf ("%s: column 'w' holds the sample weights, which "
                                                 "are not fitted: leave it out of the columns to "
                                                 "fit",
                                                 path);
    g_autoptr (GError) error = NULL;
    NsFitFileOptions options;

    fit_options (&options, "w");
    options.columns = columns;
    g_assert_null (ns_fit_file (path, NULL, &options, NULL, NULL, &error));
    g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, expected);
  }
  g_assert_true (g_file_set_contents (path, "a,w\n1,2\n3,4\n4,\n", -1, NULL));
  assert_fit_fails (path, "w", -1, missing);
  g_assert_true (g_file_set_contents (path, "a,w\n1,2\n3,4\n4,5\n5,inf\n", -1, NULL));
  assert_fit_fails (path, "w", -1, infinite);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/stream-weights/stream-equals-memory", test_stream_equals_memory);
  g_test_add_func ("/stream-weights/gzip-equals-memory", test_gzip_equals_memory);
  g_test_add_func ("/stream-weights/merge-equals-memory", test_merge_equals_memory);
  g_test_add_func ("/stream-weights/sklearn-weighted", test_sklearn_weighted);
  g_test_add_func ("/stream-weights/merge-refusals", test_merge_refusals);
  g_test_add_func ("/stream-weights/fractional-counts", test_fractional_counts);
  g_test_add_func ("/stream-weights/bad-weights", test_bad_weights);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
