/* test-cli-scale.c: normscope-cli fit --stream / --partial / --byte-range and merge, end to end.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ns-npy-format.h"
#include "test-utils.h"

static char *tmp_dir;

static int
run (const char *args, char **err)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("NS_CLI"), args);
  g_auto (GStrv) argv = NULL;
  int status = -1;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_assert_true (
    g_spawn_sync (tmp_dir, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, err, &status, NULL));
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static char *
read_text (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_data (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "data.csv", NULL);
  GString *text = g_string_new ("a,b\n");

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "%u.25,%d\n", i * 7 % 101, (int) (i % 17) - 8);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
}

static void
test_stream_equals_fit (void)
{
  g_autofree char *fit = NULL, *streamed = NULL;

  g_assert_cmpint (run ("fit data.csv -m minmax -o fit.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m minmax --stream --quiet -o stream.json", NULL), ==, 0);
  fit = read_text ("fit.json");
  streamed = read_text ("stream.json");
  g_assert_cmpstr (streamed, ==, fit);
}

static void
test_partial_merge (void)
{
  const char *orders[] = { "p0.json p1.json p2.json", "p2.json p0.json p1.json",
                           "p1.json p2.json p0.json" };
  g_autofree char *first = NULL;

  g_assert_cmpint (run ("fit data.csv -m maxabs --partial --byte-range 0:5000 -o p0.json", NULL),
                   ==, 0);
  g_assert_cmpint (run ("fit data.csv -m maxabs --partial --byte-range 5000:9001 -o p1.json", NULL),
                   ==, 0);
  g_assert_cmpint (run ("fit data.csv -m maxabs --partial --byte-range 9001:999999 -o p2.json",
                        NULL),
                   ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autofree char *args = g_strdup_printf ("merge %s -o merged.json", orders[i]);
      g_autofree char *text = NULL;

      g_assert_cmpint (run (args, NULL), ==, 0);
      text = read_text ("merged.json");
      if (first == NULL)
        first = g_strdup (text);
      g_assert_cmpstr (text, ==, first);
      g_assert_nonnull (strstr (text, "\"rows\": 3000"));
    }
}

/* fit --sample-weight: --stream writes the in-memory file; weighted byte ranges merge in any
 * order to one file, which keeps the weight column in its params and labels. */
static void
test_sample_weight (void)
{
  g_autofree char *fit = NULL, *streamed = NULL, *merged = NULL, *again = NULL;

  g_assert_cmpint (run ("fit data.csv -m standard --sample-weight a -o wfit.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m standard --sample-weight a --stream -q -o wstream.json",
                        NULL),
                   ==, 0);
  fit = read_text ("wfit.json");
  streamed = read_text ("wstream.json");
  g_assert_cmpstr (streamed, ==, fit);
  g_assert_cmpint (
    run ("fit data.csv -m standard --sample-weight a --partial --byte-range 0:7000 -o w0.json",
         NULL),
    ==, 0);
  g_assert_cmpint (
    run ("fit data.csv -m standard --sample-weight a --partial --byte-range 7000:999999 -o w1.json",
         NULL),
    ==, 0);
  g_assert_cmpint (run ("merge w1.json w0.json -o wmerged.json", NULL), ==, 0);
  g_assert_cmpint (run ("merge w0.json w1.json -o wagain.json", NULL), ==, 0);
  merged = read_text ("wmerged.json");
  again = read_text ("wagain.json");
  g_assert_cmpstr (merged, ==, again);
  g_assert_nonnull (strstr (merged, "\"sample_weight\": \"a\""));
  g_assert_nonnull (strstr (merged, "\"labels\": [\"a\"]"));
  g_assert_nonnull (strstr (merged, "\"rows\": 3000"));
}

static void
test_errors (void)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (run ("fit data.csv -m standard --byte-range 0:10 -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "--byte-range needs --partial"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit data.csv -m standard --partial --byte-range 10:5 -o x.json", &err), ==,
                   2);
  g_assert_nonnull (
    strstr (err, "--byte-range: expected START:END with 0 <= START <= END (bytes), found '10:5'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit data.csv -m robust --stream -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "data.csv: method robust needs exact quantiles"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit data.csv -m standard --partial -o s.json", NULL), ==, 0);
  g_assert_cmpint (run ("fit data.csv -m minmax --partial -o m.json", NULL), ==, 0);
  g_assert_cmpint (run ("merge s.json m.json -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "method 'minmax' does not match method 'standard'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("merge s.json s.json -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "their rows would be counted twice"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("merge -o x.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "missing PART"));
}

static char *
run_stdout (const char *args)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("NS_CLI"), args);
  g_auto (GStrv) argv = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_assert_true (
    g_spawn_sync (tmp_dir, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The table's rows, each split into its cells (the lines starting with a column name). */
static GPtrArray *
table_rows (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "a ") || g_str_has_prefix (lines[i], "b "))
      {
        g_autoptr (GRegex) spaces = g_regex_new (" +", 0, 0, NULL);

        g_ptr_array_add (rows, g_regex_split (spaces, lines[i], 0));
      }
  return rows;
}

static void
test_stats_stream_table (void)
{
  g_autofree char *memory = run_stdout ("stats data.csv");
  g_autofree char *streamed = run_stdout ("stats data.csv --stream --quiet");
  g_autoptr (GPtrArray) want = table_rows (memory), got = table_rows (streamed);

  g_assert_true (g_str_has_prefix (streamed, "data.csv: 3000 rows, streamed (quantiles: not "
                                             "computed, add --approx-quantiles)\n"));
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_cmpuint (want->len, ==, 2);
  for (guint r = 0; r < got->len; r++)
    {
      char **w = g_ptr_array_index (want, r), **g = g_ptr_array_index (got, r);

      g_assert_cmpuint (g_strv_length (g), ==, 13);
      g_assert_cmpuint (g_strv_length (w), ==, 13);
      for (guint c = 0; c < 13; c++)
        if (c >= 7 && c <= 9) /* q1, median, q3 */
          g_assert_cmpstr (g[c], ==, "nan");
        else
          g_assert_cmpstr (g[c], ==, w[c]);
    }
}

static JsonArray *
json_columns (JsonParser *parser, const char *text)
{
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "columns");
}

static void
test_stats_stream_json (void)
{
  const char *const exact[] = { "count",           "missing", "mean", "variance_population",
                                "variance_sample", "std",     "min",  "max",
                                "skewness",        "kurtosis" };
  const char *const quartiles[] = { "q1", "median", "q3" };
  g_autofree char *memory = run_stdout ("stats data.csv --json");
  g_autofree char *streamed = run_stdout ("stats data.csv --json --stream -q");
  g_autoptr (JsonParser) want_parser = json_parser_new ();
  g_autoptr (JsonParser) got_parser = json_parser_new ();
  JsonArray *want = json_columns (want_parser, memory), *got = json_columns (got_parser, streamed);

  g_assert_nonnull (strstr (streamed, "\"streamed\": true,\n  \"quantiles\": null"));
  g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
  for (guint i = 0; i < json_array_get_length (got); i++)
    {
      JsonObject *w = json_array_get_object_element (want, i);
      JsonObject *g = json_array_get_object_element (got, i);

      g_assert_cmpstr (json_object_get_string_member (g, "name"), ==,
                       json_object_get_string_member (w, "name"));
      for (guint k = 0; k < G_N_ELEMENTS (exact); k++)
        {
          double a = json_object_get_double_member (g, exact[k]);
          double b = json_object_get_double_member (w, exact[k]);

          if (memcmp (&a, &b, sizeof a) != 0)
            g_error ("column %u %s: streamed %.17g, in memory %.17g", i, exact[k], a, b);
        }
      for (guint k = 0; k < G_N_ELEMENTS (quartiles); k++)
        g_assert_true (json_object_get_null_member (g, quartiles[k])); /* NaN: not computed */
    }
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* 40,000 distinct values, more than the sketch keeps, so its quartiles are approximations. */
static void
test_stats_stream_approx (void)
{
  enum { N = 40000 };
  const char *const keys[] = { "q1", "median", "q3" };
  const double probabilities[] = { 0.25, 0.5, 0.75 };
  g_autofree char *path = g_build_filename (tmp_dir, "wide.csv", NULL);
  g_autofree double *values = g_new (double, N);
  g_autoptr (GString) text = g_string_new ("a\n");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  JsonObject *column;

  for (guint i = 0; i < N; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      values[i] = exp (sin (i * 1.618) * 3) + i * 1e-6;
      g_string_append_printf (text, "%s\n", g_ascii_formatd (buf, sizeof buf, "%.17g", values[i]));
      values[i] = g_ascii_strtod (buf, NULL);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  qsort (values, N, sizeof (double), compare_doubles);
  out = run_stdout ("stats wide.csv --json --stream --approx-quantiles -q");
  g_assert_nonnull (strstr (out, "\"quantiles\": \"approximate (KLL, rank error <= 0.5 %)\""));
  column = json_array_get_object_element (json_columns (parser, out), 0);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      double v = json_object_get_double_member (column, keys[k]);
      gsize below = 0, at_or_below;

      while (below < N && values[below] < v)
        below++;
      for (at_or_below = below; at_or_below < N && values[at_or_below] <= v; at_or_below++)
        ;
      g_assert_cmpfloat ((double) below / N, <=, probabilities[k] + 0.005);
      g_assert_cmpfloat ((double) at_or_below / N, >=, probabilities[k] - 0.005);
    }
}

/* x.npy: float64 (3001, 3) with a large offset on feature 0 and a NaN in feature 2; img.npy:
 * float32 (50, 2, 5, 7) NCHW. */
static void
write_npy_data (void)
{
  const gsize x_shape[] = { 3001, 3 }, img_shape[] = { 50, 2, 5, 7 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (31);
  g_autofree double *x = g_new (double, 3001 * 3);
  g_autofree float *img = g_new (float, 50 * 2 * 5 * 7);
  g_autoptr (GBytes) x_bytes = NULL, img_bytes = NULL;
  g_autofree char *x_path = g_build_filename (tmp_dir, "x.npy", NULL);
  g_autofree char *img_path = g_build_filename (tmp_dir, "img.npy", NULL);

  for (guint i = 0; i < 3001 * 3; i++)
    x[i] = (i % 3 == 0 ? 1e8 : 0) + g_rand_double_range (rand, -5, 5);
  x[3 * 1234 + 2] = NAN;
  for (guint i = 0; i < 50 * 2 * 5 * 7; i++)
    img[i] = (float) g_rand_double_range (rand, 0, 255);
  x_bytes = ns_npy_encode ("<f8", x_shape, 2, FALSE, x, sizeof (double) * 3001 * 3);
  img_bytes = ns_npy_encode ("<f4", img_shape, 4, FALSE, img, sizeof (float) * 50 * 2 * 5 * 7);
  g_assert_true (g_file_set_contents (x_path, g_bytes_get_data (x_bytes, NULL),
                                      g_bytes_get_size (x_bytes), NULL));
  g_assert_true (g_file_set_contents (img_path, g_bytes_get_data (img_bytes, NULL),
                                      g_bytes_get_size (img_bytes), NULL));
}

static JsonObject *
load_json (JsonParser *parser, const char *name)
{
  g_autofree char *text = read_text (name);

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_same_bits (double got, double want, const char *what, guint column)
{
  if (memcmp (&got, &want, sizeof got) != 0)
    g_error ("column %u %s: %.17g, expected %.17g", column, what, got, want);
}

/* fit on a .npy reads it in place; its columns equal the in-memory stats to the bit, for
 * float64 rows and for float32 NCHW with axis 1. */
static void
test_npy_fit_equals_stats (void)
{
  const char *const files[] = { "x.npy", "img.npy" };
  const char *const axes[] = { "-1", "1" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *fit_args =
        g_strdup_printf ("fit %s --axis %s -m standard -o npy-fit.json", files[i], axes[i]);
      g_autofree char *stats_args =
        g_strdup_printf ("stats %s --axis %s --json", files[i], axes[i]);
      g_autofree char *stats_text = NULL;
      g_autoptr (JsonParser) fit_parser = json_parser_new ();
      g_autoptr (JsonParser) stats_parser = json_parser_new ();
      JsonArray *fit_columns, *stats_columns;

      g_assert_cmpint (run (fit_args, NULL), ==, 0);
      stats_text = run_stdout (stats_args);
      fit_columns =
        json_object_get_array_member (load_json (fit_parser, "npy-fit.json"), "columns");
      stats_columns = json_columns (stats_parser, stats_text);
      g_assert_cmpuint (json_array_get_length (fit_columns), ==, 3 - i);
      g_assert_cmpuint (json_array_get_length (stats_columns), ==, 3 - i);
      for (guint c = 0; c < json_array_get_length (fit_columns); c++)
        {
          JsonObject *f = json_array_get_object_element (fit_columns, c);
          JsonObject *s = json_array_get_object_element (stats_columns, c);

          g_assert_cmpstr (json_object_get_string_member (f, "name"), ==,
                           json_object_get_string_member (s, "name"));
          assert_same_bits (json_object_get_double_member (f, "mean"),
                            json_object_get_double_member (s, "mean"), "mean", c);
          assert_same_bits (json_object_get_double_member (f, "variance"),
                            json_object_get_double_member (s, "variance_population"), "variance",
                            c);
          assert_same_bits (json_object_get_double_member (f, "count"),
                            json_object_get_double_member (s, "count"), "count", c);
        }
    }
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *root, *params;
    JsonArray *shape;

    g_assert_cmpint (run ("fit x.npy -m standard -o npy-fit.json", NULL), ==, 0);
    root = load_json (parser, "npy-fit.json");
    params = json_object_get_object_member (root, "params");
    shape = json_object_get_array_member (params, "shape");
    g_assert_cmpint (json_object_get_int_member (params, "rank"), ==, 2);
    g_assert_cmpuint (json_array_get_length (shape), ==, 2);
    g_assert_cmpint (json_array_get_int_element (shape, 0), ==, 3001);
    g_assert_cmpint (json_array_get_int_element (shape, 1), ==, 3);
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (params, "axis"), 0),
                     ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "source"),
                                                 "rows"),
                     ==, 3001);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                                                   json_object_get_array_member (root, "columns"),
                                                   2),
                                                 "missing"),
                     ==, 1);
  }
}

/* --stream and --partial + merge on a .npy give the same file as fit. */
static void
test_npy_stream_partial (void)
{
  const char *const methods[] = { "standard", "keras", "minmax", "maxabs" };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autofree char *fit_args =
        g_strdup_printf ("fit img.npy --axis 1 -m %s -o n-fit.json", methods[m]);
      g_autofree char *stream_args = g_strdup_printf ("fit img.npy --axis 1 -m %s --stream -q "
                                                      "-o n-stream.json",
                                                      methods[m]);
      g_autofree char *partial_args = g_strdup_printf ("fit img.npy --axis 1 -m %s --partial "
                                                       "-o n-part.json",
                                                       methods[m]);
      g_autofree char *fit = NULL, *streamed = NULL, *merged = NULL, *part = NULL;

      g_assert_cmpint (run (fit_args, NULL), ==, 0);
      g_assert_cmpint (run (stream_args, NULL), ==, 0);
      g_assert_cmpint (run (partial_args, NULL), ==, 0);
      g_assert_cmpint (run ("merge n-part.json -o n-merged.json", NULL), ==, 0);
      fit = read_text ("n-fit.json");
      streamed = read_text ("n-stream.json");
      merged = read_text ("n-merged.json");
      part = read_text ("n-part.json");
      g_assert_cmpstr (streamed, ==, fit);
      g_assert_cmpstr (merged, ==, fit);
      g_assert_nonnull (strstr (part, "\"format\": \"normscope-partial\""));
      g_assert_nonnull (strstr (part, "\"axis\": [1], \"rank\": 4, \"shape\": [50, 2, 5, 7]}"));
      g_assert_nonnull (strstr (fit, "\"rows\": 50"));
    }
}

static void
test_npy_refusals (void)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (run ("fit x.npy -m standard --partial --byte-range 0:100 -o r.json", &err), ==,
                   2);
  g_assert_nonnull (strstr (err, "x.npy: --byte-range splits text at line starts; "
                                 "a .npy file has no lines"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit x.npy -m standard --columns channel_1 -o r.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "x.npy: --columns picks columns of a table; the features of a "
                                 ".npy array are its kept axes (--axis)"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit x.npy -m robust --columns channel_1 -o r.json", &err), ==, 2);
  g_assert_nonnull (strstr (err, "--columns picks columns of a table"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("fit x.npy -m standard --columns channel_1 --partial -o r.json", &err), ==,
                   2);
  g_assert_nonnull (strstr (err, "--columns picks columns of a table"));
  {
    g_autofree char *path = g_build_filename (tmp_dir, "r.json", NULL);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* stats --stream on a .npy: the exact moments of the in-memory stats. */
static void
test_npy_stats_stream (void)
{
  const char *const exact[] = { "count", "missing", "mean",     "variance_population",
                                "min",   "max",     "skewness", "kurtosis" };
  g_autofree char *memory = run_stdout ("stats x.npy --json");
  g_autofree char *streamed = run_stdout ("stats x.npy --json --stream -q");
  g_autoptr (JsonParser) want_parser = json_parser_new ();
  g_autoptr (JsonParser) got_parser = json_parser_new ();
  JsonArray *want = json_columns (want_parser, memory), *got = json_columns (got_parser, streamed);

  g_assert_cmpuint (json_array_get_length (got), ==, 3);
  for (guint i = 0; i < 3; i++)
    for (guint k = 0; k < G_N_ELEMENTS (exact); k++)
      assert_same_bits (json_object_get_double_member (json_array_get_object_element (got, i),
                                                       exact[k]),
                        json_object_get_double_member (json_array_get_object_element (want, i),
                                                       exact[k]),
                        exact[k], i);
}

/* ---- A job regenerates the input with `>` while normscope reads it (issue 13). */

static char *
write_big_inputs (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  const gsize rows = 1500000, shape[] = { 4000000, 2 };

  if (g_str_has_suffix (name, ".npy"))
    {
      g_autofree double *values = g_new0 (double, shape[0] * shape[1]);
      g_autoptr (GBytes) bytes =
        ns_npy_encode ("<f8", shape, 2, FALSE, values, sizeof (double) * shape[0] * shape[1]);

      g_assert_true (
        g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
    }
  else
    {
      g_autoptr (GString) text = g_string_new ("x,y\n");

      for (gsize r = 0; r < rows; r++)
        g_string_append_printf (text, "%" G_GSIZE_FORMAT ".5,1234567.%03u\n", r,
                                (guint) (r % 1000));
      g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
    }
  return g_steal_pointer (&path);
}

/* Waits until process pid maps path, then truncates it and writes a new first line, as a shell's
 * `>` followed by a generator does. */
static void
regenerate_when_mapped (GPid pid, const char *path)
{
  g_autofree char *maps_path = g_strdup_printf ("/proc/%d/maps", (int) pid);
  FILE *file;

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *maps = NULL;

      if (g_file_get_contents (maps_path, &maps, NULL, NULL) && strstr (maps, path) != NULL)
        break;
      g_usleep (100);
    }
  file = fopen (path, "w");
  g_assert_nonnull (file);
  fputs ("x,y\n1,2\n", file);
  fclose (file);
}

static void
test_regenerated_while_read (gconstpointer args)
{
  g_auto (GStrv) words = g_strsplit (args, " ", -1);
  g_autofree char *path = write_big_inputs (words[1]);
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("NS_CLI"), (const char *) args);
  g_autofree char *expected =
    g_strdup_printf ("%s: the file changed while it was read\n", words[1]);
  g_autofree char *output = g_build_filename (tmp_dir, "regenerated.json", NULL);
  g_autoptr (GIOChannel) channel = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) argv = NULL;
  int err_fd, status;
  GPid pid;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_assert_true (g_spawn_async_with_pipes (tmp_dir, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &pid, NULL, NULL, &err_fd, NULL));
  regenerate_when_mapped (pid, path);
  channel = g_io_channel_unix_new (err_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_to_end (channel, &err, NULL, NULL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_cmpstr (err, ==, expected);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  write_data ();
  write_npy_data ();
  g_test_add_func ("/cli-scale/stream-equals-fit", test_stream_equals_fit);
  g_test_add_func ("/cli-scale/partial-merge", test_partial_merge);
  g_test_add_func ("/cli-scale/sample-weight", test_sample_weight);
  g_test_add_func ("/cli-scale/errors", test_errors);
  g_test_add_func ("/cli-scale/stats-stream-table", test_stats_stream_table);
  g_test_add_func ("/cli-scale/stats-stream-json", test_stats_stream_json);
  g_test_add_func ("/cli-scale/stats-stream-approx", test_stats_stream_approx);
  g_test_add_func ("/cli-scale/npy-fit-equals-stats", test_npy_fit_equals_stats);
  g_test_add_func ("/cli-scale/npy-stream-partial", test_npy_stream_partial);
  g_test_add_func ("/cli-scale/npy-refusals", test_npy_refusals);
  g_test_add_func ("/cli-scale/npy-stats-stream", test_npy_stats_stream);
  /* Default fit (in place), --stream, the in-memory reader (robust), .npy (the sha256 thread). */
  g_test_add_data_func ("/cli-scale/regenerated/in-place",
                        "fit regenerated.csv -m standard -o regenerated.json",
                        test_regenerated_while_read);
  g_test_add_data_func ("/cli-scale/regenerated/stream",
                        "fit regenerated.csv -m standard --stream -q -o regenerated.json",
                        test_regenerated_while_read);
  g_test_add_data_func ("/cli-scale/regenerated/in-memory",
                        "fit regenerated.csv -m robust -o regenerated.json",
                        test_regenerated_while_read);
  g_test_add_data_func ("/cli-scale/regenerated/npy",
                        "fit regenerated.npy -m standard -o regenerated.json",
                        test_regenerated_while_read);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
