/* test-cli-family.c: `normscope-cli fit` + `transform` (and `transform --inverse`) of the
 * PowerTransformer, QuantileTransformer and Normalizer methods against the real scikit-learn 1.2.1:
 * the vectors tests/gen-sklearn-family.py wrote into tests/data/sklearn-family/. Every fitted
 * number and every output must be the same double (glibc libm against NumPy with its AVX-512
 * kernels disabled, as the generator runs it).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "test-utils.h"

static char *tmp_dir;
static char *data_dir;

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

static void
run_ok (const char *args)
{
  g_autofree char *err = NULL;
  int status = run (args, &err);

  if (status != 0)
    g_error ("normscope-cli %s: exit %d: %s", args, status, err);
}

typedef struct {
  char **header;
  GArray *values; /* rows * width doubles */
  guint width;
} Table;

static void
table_free (Table *table)
{
  g_strfreev (table->header);
  g_array_unref (table->values);
  g_free (table);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* A CSV of numbers ("nan" or an empty field: NaN); a label column "kind" is dropped. */
static Table *
read_table (const char *path)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  Table *table = g_new0 (Table, 1);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  table->header = g_strsplit (lines[0], ",", -1);
  table->width = g_strv_length (table->header);
  table->values = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, table->width);
      for (guint j = 0; j < table->width; j++)
        {
          double value = fields[j][0] == '\0' || strcmp (fields[j], "nan") == 0
                           ? NAN
                           : g_ascii_strtod (fields[j], NULL);

          g_array_append_val (table->values, value);
        }
    }
  return table;
}

static int
table_column (const Table *table, const char *name)
{
  for (guint j = 0; j < table->width; j++)
    if (strcmp (table->header[j], name) == 0)
      return (int) j;
  return -1;
}

static void
assert_same_double (const char *what, double got, double want)
{
  if ((isnan (got) && isnan (want)) || memcmp (&got, &want, sizeof got) == 0)
    return;
  g_error ("%s: got %.17g, scikit-learn gives %.17g", what, got, want);
}

/* Every column of want is in got, value for value. */
static void
assert_tables_equal (const char *name, const Table *got, const Table *want)
{
  guint rows = want->values->len / want->width;

  g_assert_cmpuint (got->values->len / got->width, ==, rows);
  for (guint j = 0; j < want->width; j++)
    {
      int column = table_column (got, want->header[j]);

      g_assert_cmpint (column, >=, 0);
      for (guint r = 0; r < rows; r++)
        {
          g_autofree char *what =
            g_strdup_printf ("%s: row %u, column %s", name, r + 1, want->header[j]);

          assert_same_double (what, g_array_index (got->values, double, r * got->width + column),
                              g_array_index (want->values, double, r * want->width + j));
        }
    }
}

static JsonObject *
load_json (JsonParser *parser, const char *path)
{
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static double
array_double (JsonArray *array, guint i)
{
  return json_node_get_double (json_array_get_element (array, i));
}

/* lambdas_, the internal scaler's mean_ and scale_, quantiles_ and references_ against the
 * stats file's lambda, offset, scale, quantiles and references. */
static void
check_fitted (const char *name, const char *stats_path)
{
  g_autofree char *fitted_path = g_strdup_printf ("%s/%s.fitted.json", data_dir, name);
  g_autoptr (JsonParser) fitted_parser = json_parser_new ();
  g_autoptr (JsonParser) stats_parser = json_parser_new ();
  JsonObject *fitted = load_json (fitted_parser, fitted_path);
  JsonObject *stats = load_json (stats_parser, stats_path);
  JsonArray *columns = json_object_get_array_member (stats, "columns");

  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      g_autofree char *what = g_strdup_printf ("%s: column %u", name, c);

      if (json_object_has_member (fitted, "lambdas_"))
        assert_same_double (what, json_object_get_double_member (column, "lambda"),
                            array_double (json_object_get_array_member (fitted, "lambdas_"), c));
      if (json_object_has_member (fitted, "scaler_mean_"))
        {
          assert_same_double (what, json_object_get_double_member (column, "offset"),
                              array_double (json_object_get_array_member (fitted, "scaler_mean_"),
                                            c));
          assert_same_double (what, json_object_get_double_member (column, "scale"),
                              array_double (json_object_get_array_member (fitted, "scaler_scale_"),
                                            c));
          assert_same_double (what, json_object_get_double_member (column, "scaler_variance"),
                              array_double (json_object_get_array_member (fitted, "scaler_var_"),
                                            c));
        }
      if (json_object_has_member (fitted, "quantiles_"))
        {
          JsonArray *rows = json_object_get_array_member (fitted, "quantiles_");
          JsonArray *mine = json_object_get_array_member (column, "quantiles");

          g_assert_cmpuint (json_array_get_length (mine), ==, json_array_get_length (rows));
          for (guint i = 0; i < json_array_get_length (rows); i++)
            assert_same_double (what, array_double (mine, i),
                                array_double (json_array_get_array_element (rows, i), c));
        }
    }
  if (json_object_has_member (fitted, "references_"))
    {
      JsonArray *want = json_object_get_array_member (fitted, "references_");
      JsonArray *got = json_object_get_array_member (stats, "references");

      g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
      for (guint i = 0; i < json_array_get_length (want); i++)
        assert_same_double ("references", array_double (got, i), array_double (want, i));
    }
}

static void
test_case (gconstpointer data)
{
  g_auto (GStrv) parts = g_strsplit (data, "|", 3);
  const char *name = parts[0];
  g_autofree char *stats = g_strdup_printf ("%s/%s.json", tmp_dir, name);
  g_autofree char *out = g_strdup_printf ("%s/%s.out.csv", tmp_dir, name);
  g_autofree char *back = g_strdup_printf ("%s/%s.back.csv", tmp_dir, name);
  g_autofree char *expected = g_strdup_printf ("%s/%s.transform.csv", data_dir, name);
  g_autofree char *inverse = g_strdup_printf ("%s/%s.inverse.csv", data_dir, name);
  g_autofree char *fit =
    g_strdup_printf ("fit '%s/train.csv' %s -o '%s'", data_dir, parts[1], stats);
  g_autofree char *transform = g_strdup_printf ("transform '%s/test.csv' --stats '%s' %s -o '%s'",
                                                data_dir, stats, parts[2], out);
  g_autoptr (Table) got = NULL, want = NULL;

  run_ok (fit);
  check_fitted (name, stats);
  run_ok (transform);
  got = read_table (out);
  want = read_table (expected);
  assert_tables_equal (name, got, want);
  if (g_file_test (inverse, G_FILE_TEST_EXISTS))
    {
      g_autofree char *undo = g_strdup_printf ("transform '%s' --stats '%s' --inverse %s -o '%s'",
                                               out, stats, parts[2], back);
      g_autoptr (Table) got_back = NULL, want_back = read_table (inverse);

      run_ok (undo);
      got_back = read_table (back);
      assert_tables_equal (name, got_back, want_back);
    }
}

/* fit --sample-weight against StandardScaler().fit(X, sample_weight=w), to 1e-12 (scikit-learn
 * sums the weights through BLAS, in an order of its own); the weight column is copied by
 * transform. */
static void
test_sample_weight (void)
{
  g_autofree char *stats = g_build_filename (tmp_dir, "weighted.json", NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "weighted.out.csv", NULL);
  g_autofree char *fitted_path = g_build_filename (data_dir, "weighted.fitted.json", NULL);
  g_autofree char *fit =
    g_strdup_printf ("fit '%s/weighted.csv' -m standard --sample-weight w -o '%s'", data_dir,
                     stats);
  g_autofree char *transform =
    g_strdup_printf ("transform '%s/weighted.csv' --stats '%s' -o '%s'", data_dir, stats, out);
  g_autoptr (JsonParser) fitted_parser = json_parser_new ();
  g_autoptr (JsonParser) stats_parser = json_parser_new ();
  JsonObject *fitted, *root;
  JsonArray *columns;
  g_autoptr (Table) got = NULL;

  run_ok (fit);
  fitted = load_json (fitted_parser, fitted_path);
  root = load_json (stats_parser, stats);
  columns = json_object_get_array_member (root, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);

      ns_test_assert_close (json_object_get_double_member (column, "offset"),
                            array_double (json_object_get_array_member (fitted, "mean_"), c), 1e-12,
                            0, "%s", "mean_");
      ns_test_assert_close (json_object_get_double_member (column, "variance"),
                            array_double (json_object_get_array_member (fitted, "var_"), c), 1e-12,
                            0, "%s", "var_");
      ns_test_assert_close (json_object_get_double_member (column, "scale"),
                            array_double (json_object_get_array_member (fitted, "scale_"), c),
                            1e-12, 0, "%s", "scale_");
      ns_test_assert_close (json_object_get_double_member (column, "n_samples_seen"),
                            array_double (json_object_get_array_member (fitted, "n_samples_seen_"),
                                          c),
                            1e-12, 0, "%s", "n_samples_seen_");
    }
  run_ok (transform);
  got = read_table (out);
  g_assert_cmpint (table_column (got, "w"), ==, 2);
  {
    g_autofree char *bad =
      g_strdup_printf ("fit '%s/weighted.csv' -m minmax --sample-weight w -o x.json", data_dir);
    g_autofree char *err = NULL;

    g_assert_cmpint (run (bad, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--sample-weight applies to --method standard only"));
  }
}

/* plot --method draws the power and quantile methods' transformed values, and the normalizer's
 * column of the row-normalized data; a row with a missing value has no norm and says so. */
static void
test_plot_methods (void)
{
  g_autofree char *figure = g_build_filename (tmp_dir, "methods.png", NULL);
  g_autofree char *rows = g_build_filename (tmp_dir, "rows.png", NULL);
  g_autofree char *plot =
    g_strdup_printf ("plot '%s/train.csv' --method yeo-johnson,box-cox,quantile,"
                     "quantile-normal --column income -o '%s'",
                     data_dir, figure);
  g_autofree char *normalized = g_strdup_printf ("plot '%s/data/iris.csv' --method normalizer,"
                                                 "quantile-uniform -o '%s'",
                                                 g_getenv ("NS_SOURCE_ROOT"), rows);
  g_autofree char *refused = g_strdup_printf ("plot '%s/train.csv' --method normalizer --column "
                                              "income -o '%s/n.png'",
                                              data_dir, tmp_dir);
  g_autofree char *refused_figure = g_build_filename (tmp_dir, "n.png", NULL);
  g_autofree char *err = NULL;

  run_ok (plot);
  g_assert_true (g_file_test (figure, G_FILE_TEST_IS_REGULAR));
  run_ok (normalized);
  g_assert_true (g_file_test (rows, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run (refused, &err), ==, 2);
  g_assert_nonnull (
    strstr (err, "column 'age': 17 missing values; the normalizer divides each row"));
  g_assert_false (g_file_test (refused_figure, G_FILE_TEST_EXISTS));
}

/* The sklearn and npz exports, loaded by the real scikit-learn and NumPy. */
static void
test_exports (void)
{
  ns_test_run_export_check ("sklearn-family", tmp_dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *cases_path = NULL, *cases = NULL;
  g_auto (GStrv) lines = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  data_dir = g_build_filename (g_getenv ("NS_TEST_DATA"), "sklearn-family", NULL);
  cases_path = g_build_filename (data_dir, "cases.txt", NULL);
  g_assert_true (g_file_get_contents (cases_path, &cases, NULL, NULL));
  lines = g_strsplit (cases, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_autofree char *test_path = NULL;
        char *bar = strchr (lines[i], '|');

        g_assert_nonnull (bar);
        test_path = g_strdup_printf ("/cli-family/%.*s", (int) (bar - lines[i]), lines[i]);
        g_test_add_data_func (test_path, lines[i], test_case);
      }
  g_test_add_func ("/cli-family/exports", test_exports);
  g_test_add_func ("/cli-family/sample-weight", test_sample_weight);
  g_test_add_func ("/cli-family/plot-methods", test_plot_methods);
  tmp_dir = ns_test_temp_dir_new ();
  status = g_test_run ();
  ns_test_temp_dir_free (tmp_dir);
  g_free (data_dir);
  return status;
}
