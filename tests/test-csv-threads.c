/* test-csv-threads.c: the CSV reader's parallel parse (uneven rows, far quotes and NULs, many
 * columns), progress and cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-csv-helpers.h"

/* ---- Size, threads, cancel. */

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
        g_string_append_printf (text,
                                "%" G_GSIZE_FORMAT ".000000000000000123456,"
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
                              "found a NUL byte (is this a binary file?)",
                              line_no, (gsize) (text->str + at - line) + 1);
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
    g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
    g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
    g_autofree char *sha256 =
      g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str, text->len);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/size/many-columns", test_many_columns);
  g_test_add_func ("/csv/size/threads", test_threads);
  g_test_add_func ("/csv/size/threads-uneven-rows", test_threads_uneven_rows);
  g_test_add_func ("/csv/size/threads-nul-far", test_threads_nul_far);
  g_test_add_func ("/csv/size/threads-quote-far", test_threads_quote_far);
  g_test_add_func ("/csv/cancel", test_cancel);
  return g_test_run ();
}
