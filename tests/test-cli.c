/* test-cli.c: normscope-cli end to end: usage, exit codes and messages, stats golden output,
 * fit and transform against scikit-learn.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-cli-helpers.h"

/* ---- Usage. */

static void
test_help (Fixture *f, gconstpointer unused)
{
  const char *const subcommands[] = { "stats",     "fit",    "transform", "report",
                                      "batchnorm", "export", "plot" };

  g_assert_cmpint (run (f, "--help"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      g_autofree char *entry = g_strdup_printf ("\n  %-10s  ", subcommands[i]);

      g_assert_nonnull (strstr (f->out, entry));
    }
  g_assert_cmpint (run (f, "fit", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "normscope-cli fit"));
  g_assert_nonnull (strstr (f->out, "--method"));
  g_assert_nonnull (strstr (f->out, "--delimiter"));
  g_assert_nonnull (strstr (f->out, "--no-header"));
  g_assert_cmpint (run (f, "help", "stats"), ==, 0);
  g_assert_nonnull (strstr (f->out, "--json"));
  g_assert_cmpint (run (f, "transform", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "--inverse"));
  g_assert_cmpint (run (f, "report", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "--missing"));
  g_assert_cmpint (run (f, "--version"), ==, 0);
  g_assert_cmpstr (f->out, ==, "normscope-cli " PACKAGE_VERSION "\n");
}

static void
test_usage_errors (Fixture *f, gconstpointer unused)
{
  g_autofree char *iris = iris_path ();

  g_assert_cmpint (run (f, "frobnicate"), ==, 2);
  assert_line (f->err, 0, "normscope-cli: unknown command 'frobnicate'");
  assert_line (f->err, 1, "Try 'normscope-cli --help'");

  run (f, "fit", iris, "--method", "standard");
  assert_usage_error (f, "fit", "missing required option -o");
  run (f, "fit", iris, "-o", "x.json");
  assert_usage_error (f, "fit", "missing required option --method");
  run (f, "fit", "-m", "standard", "-o", "x.json");
  assert_usage_error (f, "fit", "missing the DATA file");
  run (f, "stats", iris, "extra.csv");
  assert_usage_error (f, "stats", "unexpected argument 'extra.csv'");
  run (f, "transform", iris, "-o", "x.csv");
  assert_usage_error (f, "transform", "missing required option --stats");
  run (f, "stats", iris, "--delimiter", "ab");
  assert_usage_error (f, "stats",
                      "--delimiter: expected one character, 'tab' or 'space', found 'ab'");
  run (f, "stats", iris, "--header", "--no-header");
  assert_usage_error (f, "stats", "--header and --no-header exclude each other");
  run (f, "fit", iris, "-m", "minmax", "--feature-range", "0,x", "-o", "x.json");
  assert_usage_error (f, "fit", "--feature-range: expected a number, found 'x'");
  run (f, "fit", iris, "-m", "minmax", "--feature-range", "0.5", "-o", "x.json");
  assert_usage_error (f, "fit",
                      "--feature-range: expected two numbers separated by a comma, found '0.5'");
  run (f, "fit", iris, "-m", "standard", "--feature-range", "0,1", "-o", "x.json");
  assert_usage_error (f, "fit", "--feature-range applies to --method minmax only");
  run (f, "fit", iris, "-m", "maxabs", "--no-center", "-o", "x.json");
  assert_usage_error (f, "fit", "--no-center applies to --method standard or robust only");
  run (f, "fit", iris, "-m", "minmax", "--feature-range", "1,0", "-o", "x.json");
  assert_usage_error (f, "fit", "--feature-range: expected finite MIN < MAX");
  run (f, "fit", iris, "-m", "robust", "--quantile-range", "25,101", "-o", "x.json");
  assert_usage_error (f, "fit", "--quantile-range: expected 0 <= LO <= HI <= 100 (percent)");
  {
    g_autofree char *never = tmp_file (f, "x.json");

    g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));
  }
}

static void
test_unknown_option (Fixture *f, gconstpointer unused)
{
  g_autofree char *iris = iris_path ();

  /* GLib words (and may translate) the message itself; it names the option. */
  g_assert_cmpint (run (f, "fit", iris, "--bogus", "-m", "standard", "-o", "x.json"), ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "normscope-cli fit: "));
  assert_line (f->err, 1, "Try 'normscope-cli fit --help'");
  {
    g_autofree char *first = line_of (f->err, 0);

    g_assert_nonnull (strstr (first, "--bogus"));
  }
}

static void
test_unknown_method (Fixture *f, gconstpointer unused)
{
  g_autofree char *iris = iris_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  NsMethod method;

  run (f, "fit", iris, "--method", "zscore", "-o", "x.json");
  g_assert_false (ns_method_from_string ("zscore", &method, &error));
  message = g_strdup (error->message);
  assert_usage_error (f, "fit", message);
  g_assert_nonnull (strstr (message, "zscore"));
}

/* ---- Stats. */

static void
test_stats_golden (Fixture *f, gconstpointer unused)
{
  g_autofree char *golden_path = data_path ("iris-stats.txt");
  g_autofree char *golden = NULL;
  g_autofree char *iris = iris_path ();
  g_autoptr (GError) error = NULL;

  copy_into (f, iris, "iris.csv");
  g_file_get_contents (golden_path, &golden, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run (f, "stats", "iris.csv"), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpstr (f->out, ==, golden);
}

static void
test_stats_json (Fixture *f, gconstpointer unused)
{
  const char *const keys[] = { "count",           "mean",    "variance_population",
                               "variance_sample", "min",     "q1",
                               "median",          "q3",      "max",
                               "skewness",        "kurtosis" };
  JsonObject *summary = json_object_get_object_member (expected_json (), "iris_summary");
  JsonArray *features = json_object_get_array_member (expected_json (), "features");
  g_autofree char *iris = iris_path ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *columns;

  g_assert_cmpint (run (f, "stats", "--json", iris), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  columns =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 5);
  for (guint c = 0; c < 4; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);

      g_assert_cmpstr (json_object_get_string_member (column, "name"), ==,
                       json_array_get_string_element (features, c));
      g_assert_cmpstr (json_object_get_string_member (column, "kind"), ==, "numeric");
      g_assert_cmpfloat (json_object_get_double_member (column, "missing"), ==, 0);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_autofree char *what = g_strdup_printf ("column %u %s", c, keys[k]);
          double expected =
            json_array_get_double_element (json_object_get_array_member (summary, keys[k]), c);

          ns_test_assert_close (json_object_get_double_member (column, keys[k]), expected,
                                TOLERANCE, TOLERANCE, "%s", what);
        }
    }
  {
    JsonObject *species = json_array_get_object_element (columns, 4);

    g_assert_cmpstr (json_object_get_string_member (species, "name"), ==, "species");
    g_assert_cmpstr (json_object_get_string_member (species, "kind"), ==, "label");
    g_assert_cmpint (json_object_get_int_member (species, "distinct"), ==, 3);
  }
}

/* stats -o FILE writes what standard output would get, through the output guard. */
static void
test_stats_output (Fixture *f, gconstpointer unused)
{
  g_autofree char *golden_path = data_path ("iris-stats.txt");
  g_autofree char *golden = NULL;
  g_autofree char *written = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *iris = iris_path ();
  g_autofree char *summary = tmp_file (f, "summary.txt");
  g_autofree char *copy = tmp_file (f, "iris.csv");

  copy_into (f, iris, "iris.csv");
  g_assert_true (g_file_get_contents (golden_path, &golden, NULL, NULL));
  g_assert_cmpint (run (f, "stats", "iris.csv", "-o", "summary.txt"), ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_true (g_file_get_contents (summary, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, golden);
  g_assert_cmpint (run (f, "stats", "iris.csv", "--json", "--output", "-"), ==, 0);
  g_assert_nonnull (strstr (f->out, "\"columns\""));
  g_assert_cmpint (run (f, "stats", "iris.csv", "-o", "iris.csv"), ==, 2);
  g_assert_nonnull (strstr (f->err, "iris.csv: refusing to write over the input file iris.csv"));
  g_assert_true (g_file_get_contents (copy, &kept, NULL, NULL));
  g_assert_true (g_str_has_prefix (kept, "sepal_length_cm,"));
  g_assert_cmpint (run (f, "stats", "iris.csv", "-o", "no-such-dir/s.txt"), ==, 2);
  g_assert_nonnull (strstr (f->err, "no-such-dir/s.txt"));
  g_assert_cmpint (run (f, "stats", "iris.csv", "-o", ""), ==, 2);
  g_assert_cmpstr (f->err, ==, "the output file name is empty\n");
}

/* ---- Fit and transform against scikit-learn. */

static void
assert_stats_fields (const char *stats_path, JsonObject *expected_case)
{
  g_autoptr (JsonNode) root = load_json (stats_path);
  JsonObject *stats = json_node_get_object (root);
  JsonObject *fields = json_object_get_object_member (expected_case, "fields");
  JsonArray *columns = json_object_get_array_member (stats, "columns");
  JsonArray *features = json_object_get_array_member (expected_json (), "features");
  g_autoptr (GList) keys = json_object_get_members (fields);

  g_assert_cmpstr (json_object_get_string_member (stats, "format"), ==, "normscope-stats");
  g_assert_cmpuint (json_array_get_length (columns), ==, 4);
  for (guint c = 0; c < 4; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);

      g_assert_cmpstr (json_object_get_string_member (column, "name"), ==,
                       json_array_get_string_element (features, c));
      g_assert_cmpfloat (json_object_get_double_member (column, "count"), ==, 100);
      for (GList *k = keys; k != NULL; k = k->next)
        {
          const char *case_name = json_object_get_string_member (expected_case, "name");
          g_autofree char *what =
            g_strdup_printf ("%s: column %u %s", case_name, c, (const char *) k->data);
          JsonArray *values = json_object_get_array_member (fields, k->data);

          g_assert_true (json_object_has_member (column, k->data));
          ns_test_assert_close (json_object_get_double_member (column, k->data),
                                json_array_get_double_element (values, c), TOLERANCE, TOLERANCE,
                                "%s", what);
        }
    }
}

static void
assert_transformed (const char *path, JsonArray *expected_rows, const char *what)
{
  g_autoptr (NsDataset) out = load_dataset (path);
  g_autofree char *test_path = data_path ("iris-test.csv");
  g_autoptr (NsDataset) test = load_dataset (test_path);

  g_assert_cmpuint (ns_dataset_get_n_columns (out), ==, 5);
  g_assert_cmpuint (ns_dataset_get_n_samples (out), ==, json_array_get_length (expected_rows));
  for (guint c = 0; c < 4; c++)
    {
      const double *values = ns_dataset_get_values (out, c);

      for (guint r = 0; r < json_array_get_length (expected_rows); r++)
        {
          g_autofree char *where = g_strdup_printf ("%s: row %u column %u", what, r, c);

          ns_test_assert_close (
            values[r],
            json_array_get_double_element (json_array_get_array_element (expected_rows, r), c),
            TOLERANCE, TOLERANCE, "%s", where);
        }
    }
  g_assert_true (ns_dataset_column_is_label (out, 4));
  g_assert_cmpstr (ns_dataset_get_column_name (out, 4), ==, "species");
  for (guint r = 0; r < ns_dataset_get_n_samples (out); r++)
    g_assert_cmpstr (ns_dataset_get_label (out, 4, r), ==, ns_dataset_get_label (test, 4, r));
}

static void
test_fit_conformance (Fixture *f, gconstpointer unused)
{
  JsonArray *cases = json_object_get_array_member (expected_json (), "cases");
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *test = data_path ("iris-test.csv");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *expected_case = json_array_get_object_element (cases, i);
      const char *name = json_object_get_string_member (expected_case, "name");
      JsonArray *args = json_object_get_array_member (expected_case, "args");
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *stats_name = g_strdup_printf ("%s.json", name);
      g_autofree char *out_name = g_strdup_printf ("%s.csv", name);
      g_autofree char *stats_path = tmp_file (f, stats_name);
      g_autofree char *out_path = tmp_file (f, out_name);

      g_test_message ("case %s", name);
      g_ptr_array_add (argv, (gpointer) "fit");
      g_ptr_array_add (argv, train);
      for (guint a = 0; a < json_array_get_length (args); a++)
        g_ptr_array_add (argv, (gpointer) json_array_get_string_element (args, a));
      g_ptr_array_add (argv, (gpointer) "-o");
      g_ptr_array_add (argv, stats_name);
      g_ptr_array_add (argv, NULL);
      g_assert_cmpint (run_argv (f, NULL, NULL, (const char *const *) argv->pdata), ==, 0);
      g_assert_cmpstr (f->out, ==, "");
      g_assert_cmpstr (f->err, ==, "");
      assert_stats_fields (stats_path, expected_case);

      g_assert_cmpint (run (f, "transform", test, "--stats", stats_name, "-o", out_name), ==, 0);
      g_assert_cmpstr (f->out, ==, "");
      g_assert_cmpstr (f->err, ==, "");
      assert_transformed (out_path,
                          json_object_get_array_member (expected_case, "test_transformed"), name);
    }
}

static void
test_fit_columns_and_verbose (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *stats_path = tmp_file (f, "s.json");
  g_autoptr (JsonNode) root = NULL;
  JsonArray *columns;

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "--columns",
                        "sepal_width_cm, petal_length_cm", "-o", "s.json", "-v"),
                   ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==, "wrote standard stats for 2 features to s.json\n");
  root = load_json (stats_path);
  columns = json_object_get_array_member (json_node_get_object (root), "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, 0),
                                                  "name"),
                   ==, "sepal_width_cm");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, 1),
                                                  "name"),
                   ==, "petal_length_cm");
}

/* fit reads a CSV file in place, and one with a line break in a quoted field into memory:
 * --columns picks the same columns, in file order and once each, and refuses the same names with
 * the same words. */
static void
test_fit_columns_both_readers (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *text = NULL;
  g_autofree char *quoted_path = tmp_file (f, "quoted.csv");
  g_autofree char *plain_path = tmp_file (f, "plain.csv");
  const char *files[] = { "plain.csv", "quoted.csv" };
  char *columns[2] = { NULL };
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (train, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (plain_path, text, -1, NULL));
  lines = g_strsplit (text, "\n", 3);
  {
    /* The same numbers, the first label quoted with a line break in it. */
    g_auto (GStrv) fields = g_strsplit (lines[1], ",", -1);
    guint last = g_strv_length (fields) - 1;
    g_autofree char *label = g_strdup_printf ("\"%s\nof iris\"", fields[last]);
    g_autofree char *row = NULL;
    g_autofree char *quoted = NULL;

    g_free (fields[last]);
    fields[last] = g_steal_pointer (&label);
    row = g_strjoinv (",", fields);
    quoted = g_strjoin ("\n", lines[0], row, lines[2], NULL);
    g_assert_true (g_file_set_contents (quoted_path, quoted, -1, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *unknown = g_strdup_printf ("%s: no column named 'petal'\n", files[i]);
      g_autofree char *label = g_strdup_printf ("%s: column 'species' holds labels, not numbers: "
                                                "only numeric columns are fitted\n",
                                                files[i]);
      g_autofree char *stats_path = tmp_file (f, "s.json");
      g_autoptr (JsonNode) root = NULL;

      g_assert_cmpint (run (f, "fit", files[i], "-m", "standard", "--columns",
                            "petal_width_cm,sepal_length_cm,petal_width_cm", "-o", "s.json"),
                       ==, 0);
      root = load_json (stats_path);
      columns[i] =
        json_to_string (json_object_get_member (json_node_get_object (root), "columns"), FALSE);
      g_assert_cmpint (run (f, "fit", files[i], "-m", "standard", "--columns", "petal", "-o",
                            "s.json"),
                       ==, 2);
      g_assert_cmpstr (f->err, ==, unknown);
      g_assert_cmpint (run (f, "fit", files[i], "-m", "standard", "--columns",
                            "sepal_length_cm,species", "-o", "s.json"),
                       ==, 2);
      g_assert_cmpstr (f->err, ==, label);
    }
  g_assert_nonnull (strstr (columns[0], "\"name\":\"sepal_length_cm\""));
  g_assert_true (strstr (columns[0], "sepal_length_cm") < strstr (columns[0], "petal_width_cm"));
  g_assert_cmpstr (columns[0], ==, columns[1]);
  g_free (columns[0]);
  g_free (columns[1]);
}

/* A round trip (x - offset) / scale * scale + offset is not bit-exact (in scikit-learn neither:
 * 0.2 with a mean of 1.2 comes back 0.19999999999999996); it must stay within the rounding bound
 * 2 eps (|x| + |offset|). Label columns come back identical. */
static void
assert_round_trip (const NsDataset *original, const NsDataset *back, const char *stats_path)
{
  g_autoptr (JsonNode) root = load_json (stats_path);
  JsonArray *columns = json_object_get_array_member (json_node_get_object (root), "columns");
  guint feature = 0;

  g_assert_cmpuint (ns_dataset_get_n_columns (original), ==, ns_dataset_get_n_columns (back));
  g_assert_cmpuint (ns_dataset_get_n_samples (original), ==, ns_dataset_get_n_samples (back));
  g_assert_cmpuint (ns_dataset_get_n_features (original), ==, json_array_get_length (columns));
  for (guint c = 0; c < ns_dataset_get_n_columns (original); c++)
    {
      gsize n = ns_dataset_get_n_samples (original) * ns_dataset_get_spatial_size (original);
      double offset;

      g_assert_cmpstr (ns_dataset_get_column_name (original, c), ==,
                       ns_dataset_get_column_name (back, c));
      g_assert_cmpint (ns_dataset_column_is_label (original, c), ==,
                       ns_dataset_column_is_label (back, c));
      if (ns_dataset_column_is_label (original, c))
        {
          for (gsize i = 0; i < n; i++)
            g_assert_cmpstr (ns_dataset_get_label (original, c, i), ==,
                             ns_dataset_get_label (back, c, i));
          continue;
        }
      offset = json_object_get_double_member (json_array_get_object_element (columns, feature++),
                                              "offset");
      for (gsize i = 0; i < n; i++)
        {
          double x = ns_dataset_get_values (original, c)[i];
          double y = ns_dataset_get_values (back, c)[i];

          if (!(fabs (y - x) <= 2 * DBL_EPSILON * (fabs (x) + fabs (offset))))
            g_error ("column %u value %" G_GSIZE_FORMAT ": %.17g came back as %.17g", c, i, x, y);
        }
    }
}

static void
test_transform_round_trip (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *test = data_path ("iris-test.csv");
  g_autofree char *back_path = tmp_file (f, "back.csv");
  g_autofree char *stats_path = tmp_file (f, "s.json");
  g_autofree char *test_text = NULL, *back_text = NULL;
  g_autoptr (NsDataset) original = load_dataset (test);
  g_autoptr (NsDataset) back = NULL;

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "s.json"), ==, 0);
  g_assert_cmpint (run (f, "transform", test, "--stats", "s.json", "-o", "z.csv"), ==, 0);
  g_assert_cmpint (run (f, "transform", "z.csv", "--stats", "s.json", "-o", "back.csv",
                        "--inverse"),
                   ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  back = load_dataset (back_path);
  assert_round_trip (original, back, stats_path);
  run (f, "transform", test, "--stats", "s.json", "-o", "z.csv.gz");
  assert_usage_error (f, "transform",
                      "z.csv.gz: the output is written uncompressed: name it *.csv");
  g_file_get_contents (test, &test_text, NULL, NULL);
  g_file_get_contents (back_path, &back_text, NULL, NULL);
  {
    g_autofree char *header_in = line_of (test_text, 0);

    assert_line (back_text, 0, header_in);
  }
}

static void
test_transform_delimiter_kept (Fixture *f, gconstpointer unused)
{
  g_autofree char *train = data_path ("iris-train.csv");
  g_autofree char *semicolon = tmp_file (f, "semi.csv");
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (train, &text, NULL, &error);
  g_assert_no_error (error);
  g_strdelimit (text, ",", ';');
  g_file_set_contents (semicolon, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run (f, "fit", "semi.csv", "-m", "minmax", "-o", "s.json"), ==, 0);
  g_assert_cmpint (run (f, "transform", "semi.csv", "--stats", "s.json", "-o", "z.csv"), ==, 0);
  {
    g_autofree char *z_path = tmp_file (f, "z.csv");

    g_file_get_contents (z_path, &out, NULL, &error);
    g_assert_no_error (error);
  }
  assert_line (out, 0, "sepal_length_cm;sepal_width_cm;petal_length_cm;petal_width_cm;species");
  g_assert_true (g_str_has_suffix (out, ";virginica\n"));
}

/* transform's first-line read (the output delimiter) reads on across gzip members: the header of
 * members.csv.gz starts in a member of one byte, then an empty one. */
static void
test_transform_gzip_members (Fixture *f, gconstpointer unused)
{
  g_autofree char *gz =
    g_build_filename (ns_test_getenv ("NS_TEST_DATA"), "csv", "members.csv.gz", NULL);
  g_autofree char *plain =
    g_build_filename (ns_test_getenv ("NS_TEST_DATA"), "csv", "members.csv", NULL);
  g_autofree char *z_path = tmp_file (f, "z.csv");
  g_autofree char *s_path = tmp_file (f, "s.json");
  g_autofree char *p_path = tmp_file (f, "p.json");
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) streamed = NULL;
  g_autoptr (JsonNode) whole = NULL;

  /* fit streams the .csv.gz: the same columns as the plain file's in-place fit. */
  g_assert_cmpint (run (f, "fit", gz, "-m", "standard", "-o", "s.json"), ==, 0);
  g_assert_cmpint (run (f, "fit", plain, "-m", "standard", "-o", "p.json"), ==, 0);
  streamed = load_json (s_path);
  whole = load_json (p_path);
  g_assert_true (
    json_node_equal (json_object_get_member (json_node_get_object (streamed), "columns"),
                     json_object_get_member (json_node_get_object (whole), "columns")));
  g_assert_cmpint (run (f, "transform", gz, "--stats", "s.json", "-o", "z.csv"), ==, 0);
  g_assert_true (g_file_get_contents (z_path, &out, NULL, NULL));
  assert_line (out, 0, "a;b;c;name");
  g_assert_true (g_str_has_suffix (out, ";n1\n"));
}

static void
test_npy (Fixture *f, gconstpointer unused)
{
  JsonObject *expected = json_object_get_object_member (expected_json (), "npy");
  JsonArray *mean = json_object_get_array_member (expected, "mean");
  JsonArray *variance = json_object_get_array_member (expected, "variance");
  JsonArray *transformed = json_object_get_array_member (expected, "test_transformed");
  g_autofree char *train = data_path ("iris-train.npy");
  g_autofree char *test = data_path ("iris-test.npy");
  g_autofree char *stats_path = tmp_file (f, "s.json");
  g_autofree char *out_path = tmp_file (f, "z.npy");
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (NsDataset) out = NULL;
  g_autoptr (NsDataset) back = NULL;
  g_autoptr (NsDataset) original = NULL;
  JsonArray *columns;

  g_assert_cmpint (run (f, "fit", train, "-m", "standard", "-o", "s.json"), ==, 0);
  root = load_json (stats_path);
  columns = json_object_get_array_member (json_node_get_object (root), "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      g_autofree char *name = g_strdup_printf ("channel_%u", c);

      g_assert_cmpstr (json_object_get_string_member (column, "name"), ==, name);
      ns_test_assert_close (json_object_get_double_member (column, "mean"),
                            json_array_get_double_element (mean, c), TOLERANCE, TOLERANCE, "%s",
                            "npy mean");
      ns_test_assert_close (json_object_get_double_member (column, "variance"),
                            json_array_get_double_element (variance, c), TOLERANCE, TOLERANCE, "%s",
                            "npy variance");
    }

  g_assert_cmpint (run (f, "transform", test, "--stats", "s.json", "-o", "z.npy"), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  out = load_dataset (out_path);
  g_assert_cmpint (ns_dataset_get_kind (out), ==, NS_DATASET_TENSOR);
  g_assert_cmpuint (ns_dataset_get_rank (out), ==, 3);
  g_assert_cmpuint (ns_dataset_get_shape (out)[0], ==, 50);
  g_assert_cmpuint (ns_dataset_get_shape (out)[1], ==, 2);
  g_assert_cmpuint (ns_dataset_get_shape (out)[2], ==, 2);
  /* Dataset column c holds channel c in (sample, row) order; the expectation is (N, 2, 2). */
  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < 100; i++)
      ns_test_assert_close (ns_dataset_get_values (out, c)[i],
                            json_array_get_double_element (transformed, i * 2 + c), TOLERANCE,
                            TOLERANCE, "%s", "npy transform");

  g_assert_cmpint (run (f, "transform", "z.npy", "--stats", "s.json", "--inverse", "-o",
                        "back.npy"),
                   ==, 0);
  {
    g_autofree char *back_path = tmp_file (f, "back.npy");

    back = load_dataset (back_path);
  }
  original = load_dataset (test);
  assert_round_trip (original, back, stats_path);

  run (f, "transform", test, "--stats", "s.json", "-o", "z.csv");
  assert_usage_error (f, "transform", "z.csv: the output keeps the input's format: name it *.npy");
}

int
main (int argc, char **argv)
{
  /* The same locale as the child, so localized strerror texts compare equal. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)

  ADD ("/cli/usage/help", test_help);
  ADD ("/cli/usage/errors", test_usage_errors);
  ADD ("/cli/usage/unknown-option", test_unknown_option);
  ADD ("/cli/usage/unknown-method", test_unknown_method);
  ADD ("/cli/stats/golden", test_stats_golden);
  ADD ("/cli/stats/json", test_stats_json);
  ADD ("/cli/stats/output", test_stats_output);
  ADD ("/cli/fit/conformance", test_fit_conformance);
  ADD ("/cli/fit/columns-verbose", test_fit_columns_and_verbose);
  ADD ("/cli/fit/columns-both-readers", test_fit_columns_both_readers);
  ADD ("/cli/transform/round-trip", test_transform_round_trip);
  ADD ("/cli/transform/delimiter-kept", test_transform_delimiter_kept);
  ADD ("/cli/transform/gzip-members", test_transform_gzip_members);
  ADD ("/cli/transform/npy", test_npy);
  return g_test_run ();
}
