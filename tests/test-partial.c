/* test-partial.c: partial statistics: the file round trip, merges in any order, refusals.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/ns-partial.h"
#include "core/ns-reader.h"
#include "core/ns-stream.h"

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
  const NsMethod methods[] = { NS_METHOD_STANDARD, NS_METHOD_MINMAX, NS_METHOD_MAXABS, NS_METHOD_ROBUST };

  {
    g_autofree char *text = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &text, &len, NULL));
    size = len;
  }
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      gboolean approx = methods[m] == NS_METHOD_ROBUST;
      g_autoptr (NsPartial) whole = read_part (path, methods[m], -1, -1, approx);
      g_autoptr (NsStats) whole_stats = ns_partial_to_stats (whole, NULL);
      NsPartial *parts[7];
      const char *names[7] = { "p0", "p1", "p2", "p3", "p4", "p5", "p6" };
      const guint orders[][7] = { { 0, 1, 2, 3, 4, 5, 6 }, { 6, 5, 4, 3, 2, 1, 0 }, { 3, 0, 6, 2, 5, 1, 4 } };
      g_autofree char *first = NULL;

      for (guint i = 0; i < 7; i++)
        {
          g_autoptr (NsPartial) part = read_part (path, methods[m], size * i / 7, size * (i + 1) / 7, approx);

          parts[i] = round_trip (part);
        }
      for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
        {
          NsPartial *shuffled[7];
          g_autoptr (GError) error = NULL;
          g_autoptr (NsPartial) merged = NULL;
          g_autoptr (NsStats) stats = NULL;
          g_autofree char *text = NULL;

          for (guint i = 0; i < 7; i++)
            shuffled[i] = parts[orders[o][i]];
          merged = ns_partial_merge (shuffled, names, 7, &error);
          g_assert_no_error (error);
          stats = ns_partial_to_stats (merged, &error);
          g_assert_no_error (error);
          text = ns_stats_to_json_string (stats);
          /* Any order: the same bits. */
          if (first == NULL)
            first = g_strdup (text);
          g_assert_cmpstr (text, ==, first);
          g_assert_cmpuint (ns_stats_get_source_rows (stats), ==, 20000);
          for (guint c = 0; c < 2; c++)
            {
              double tolerance = approx ? 0.01 : 1e-15;

              g_assert_cmpfloat (ns_stats_get_count (stats, c), ==, ns_stats_get_count (whole_stats, c));
              g_assert_cmpfloat (fabs (ns_stats_get_mean (stats, c) - ns_stats_get_mean (whole_stats, c)), <=,
                                 1e-15 * fabs (ns_stats_get_mean (whole_stats, c)));
              g_assert_cmpfloat (fabs (ns_stats_get_variance (stats, c) - ns_stats_get_variance (whole_stats, c)), <=,
                                 1e-14 * ns_stats_get_variance (whole_stats, c));
              g_assert_cmpfloat (fabs (ns_stats_get_scale (stats, c) - ns_stats_get_scale (whole_stats, c)), <=,
                                 tolerance * ns_stats_get_scale (whole_stats, c));
            }
        }
      for (guint i = 0; i < 7; i++)
        ns_partial_free (parts[i]);
    }
}

static void
assert_merge_fails (NsPartial *a, NsPartial *b, const char *expected)
{
  NsPartial *parts[] = { a, b };
  const char *names[] = { "a.json", "b.json" };
  g_autoptr (GError) error = NULL;

  g_assert_null (ns_partial_merge (parts, names, 2, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, expected);
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
  assert_merge_fails (standard, minmax, "b.json: method 'minmax' does not match method 'standard' of a.json");
  assert_merge_fails (standard, columns, "b.json: column 2 is 'c' but it is 'b' in a.json");
  expected = g_strdup_printf ("a.json and b.json both hold bytes 900..1000 of %s: their rows would be counted twice", path);
  assert_merge_fails (standard, overlap, expected);
  {
    NsPartial *parts[] = { rest, standard };
    const char *names[] = { "rest", "standard" };
    g_autoptr (NsPartial) merged = ns_partial_merge (parts, names, 2, NULL);
    gint64 start, end;

    g_assert_cmpuint (ns_partial_get_rows (merged), ==, 100);
    g_assert_false (ns_partial_get_range (merged, &start, &end));  /* the whole file */
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
                      "p.json: format: expected \"normscope-partial\" (a file from fit --partial), found 'normscope-stats'");
  assert_parse_fails ("{\"format\": \"normscope-partial\", \"version\": 2}",
                      "p.json: version: this normscope reads version 1 partial files, found version 2");
  assert_parse_fails ("{\"format\": \"normscope-partial\", \"version\": 1, \"method\": \"mean\"}",
                      "p.json: method: expected standard, keras, minmax, maxabs or robust, found 'mean'");
  assert_parse_fails ("{\"format\": \"normscope-partial\", \"version\": 1, \"method\": \"maxabs\", \"params\": {}, "
                      "\"source\": {\"rows\": 1}, \"labels\": [], \"columns\": [{\"name\": \"a\", \"count\": 1}]}",
                      "p.json: columns[0].missing: expected a number (or \"nan\", \"inf\", \"-inf\"), found nothing (the key is missing)");
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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-partial-XXXXXX", NULL);
  g_test_add_func ("/partial/merge-orders", test_merge_orders);
  g_test_add_func ("/partial/merge-refusals", test_merge_refusals);
  g_test_add_func ("/partial/parse-refusals", test_parse_refusals);
  g_test_add_func ("/partial/robust-needs-sketch", test_robust_needs_sketch);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (tmp_dir);
  return status;
}
