/* test-stream-helpers.c: helpers the test-stream suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-stream-helpers.h"

char *tmp_dir;

char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A table with a label column, missing values, a large-mean column and a constant one. */
char *
write_table (const char *name, guint rows, gboolean with_missing, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  GString *text = g_string_new ("id,label,big,small,constant\n");
  char *path = tmp_path (name);

  for (guint r = 0; r < rows; r++)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (a, sizeof a, 1e9 + g_rand_double_range (rand, -1, 1));
      g_ascii_dtostr (b, sizeof b, g_rand_double_range (rand, -3, 5) * 1e-3);
      g_string_append_printf (text, "%u,%s,%s,%s,7.5\n", r, r % 3 ? "cat" : "\"dog, big\"", a,
                              with_missing && r % 17 == 5 ? "NA" : b);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  return path;
}

NsStats *
fit_in_memory (const char *path, NsMethod method, guint n_threads)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);
  NsScalerOptions options;
  NsStats *stats;

  g_assert_no_error (error);
  ns_scaler_options_init (&options, method);
  options.n_threads = n_threads;
  stats = ns_scaler_fit (data, &options, NULL, &error);
  g_assert_no_error (error);
  return stats;
}

NsStats *
fit_streaming (const char *path, NsMethod method, gsize block_size, guint n_threads)
{
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;
  NsStreamOptions stream;
  NsStats *stats;

  ns_scaler_options_init (&options, method);
  ns_stream_options_init (&stream);
  stream.block_size = block_size;
  stream.n_threads = n_threads;
  stats = ns_stream_fit (path, NULL, &options, &stream, NULL, &error);
  g_assert_no_error (error);
  return stats;
}

/* Every number of the two stats files, to a relative tolerance (0: the same bits). */
void
assert_stats_equal (const NsStats *a, const NsStats *b, double tolerance)
{
  g_assert_cmpstr (ns_stats_get_method (a), ==, ns_stats_get_method (b));
  g_assert_cmpuint (ns_stats_get_n_columns (a), ==, ns_stats_get_n_columns (b));
  g_assert_cmpuint (ns_stats_get_source_rows (a), ==, ns_stats_get_source_rows (b));
  for (guint c = 0; c < ns_stats_get_n_columns (a); c++)
    {
      g_assert_cmpstr (ns_stats_get_name (a, c), ==, ns_stats_get_name (b, c));
      g_assert_cmpfloat (ns_stats_get_count (a, c), ==, ns_stats_get_count (b, c));
      g_assert_cmpfloat (ns_stats_get_missing (a, c), ==, ns_stats_get_missing (b, c));
      ns_test_assert_close (ns_stats_get_mean (a, c), ns_stats_get_mean (b, c), tolerance, 0,
                            "column %u mean", c);
      ns_test_assert_close (ns_stats_get_variance (a, c), ns_stats_get_variance (b, c), tolerance,
                            0, "column %u variance", c);
      ns_test_assert_close (ns_stats_get_offset (a, c), ns_stats_get_offset (b, c), tolerance, 0,
                            "column %u offset", c);
      ns_test_assert_close (ns_stats_get_scale (a, c), ns_stats_get_scale (b, c), tolerance, 0,
                            "column %u scale", c);
      g_assert_cmpuint (ns_stats_get_n_fields (a, c), ==, ns_stats_get_n_fields (b, c));
      for (guint i = 0; i < ns_stats_get_n_fields (a, c); i++)
        {
          g_assert_cmpstr (ns_stats_get_field_key (a, c, i), ==, ns_stats_get_field_key (b, c, i));
          ns_test_assert_close (ns_stats_get_field_value (a, c, i),
                                ns_stats_get_field_value (b, c, i), tolerance, 0,
                                "column %u field %s", c, ns_stats_get_field_key (a, c, i));
        }
    }
}

/* ns_stream_read of path or of its bytes [start, end) (in place, or in blocks for gzip), in
 * 7-byte chunks on 2 threads. */
NsPartial *
stream_partial (const char *path, const NsReadOptions *read, gint64 start, gint64 end,
                GError **error)
{
  NsScalerOptions options;
  NsStreamOptions stream;

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  ns_stream_options_init (&stream);
  stream.block_size = 7;
  stream.n_threads = 2;
  stream.range_start = start;
  stream.range_end = end;
  return ns_stream_read (path, read, &options, &stream, NULL, error);
}

char *
write_text (const char *name, const char *text)
{
  char *path = tmp_path (name);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* ns_stream_read_in_place on path with chunks of chunk bytes. */
NsInPlaceOutcome
read_in_place (const char *path, NsMethod method, gsize chunk, guint n_threads,
               GCancellable *cancellable, NsPartial **partial, GError **error)
{
  NsScalerOptions options;
  NsStreamOptions stream;

  ns_scaler_options_init (&options, method);
  ns_stream_options_init (&stream);
  stream.block_size = chunk;
  stream.n_threads = n_threads;
  return ns_stream_read_in_place (path, NULL, &options, &stream, cancellable, partial, error);
}
