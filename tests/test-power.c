/* test-power.c: the PowerTransformer core against scikit-learn 1.2.1's own lambdas, standardizer
 * state, transform and inverse (tests/gen-power-vectors.py), bit for bit; its refusals; the
 * reference document's golden values; the inverse round trip.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ns-json.h"
#include "ns-npy-reader.h"
#include "ns-power.h"

static const char *const case_names[] = {
  "docstring",        "golden-yj",       "varied-1000",
  "positive-1000",    "tiny-2",          "tiny-3",
  "tiny-4",           "tiny-5",          "tiny-positive-2",
  "tiny-positive-3",  "tiny-positive-4", "tiny-positive-5",
  "nan-yj",           "nan-bc",          "one-row",
  "one-row-positive", "constant",        "constant-negative",
  "all-nan",          "nonpositive",     "huge",
  "overflow",         "large-offset",
};

static char *
data_path (const char *file)
{
  const char *dir = g_getenv ("NS_TEST_DATA");

  return g_build_filename (dir != NULL ? dir : "tests/data", "power", file, NULL);
}

static JsonParser *
load_case (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *path = data_path (file);
  JsonParser *parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

static double
element (JsonArray *array, guint i)
{
  double value;

  g_assert_true (ns_json_node_to_double (json_array_get_element (array, i), &value));
  return value;
}

static double
cell (JsonArray *rows, guint i, guint j)
{
  return element (json_array_get_array_element (rows, i), j);
}

/* Column j of rows as a fresh array. */
static double *
column_of (JsonArray *rows, guint j, gsize *n)
{
  double *values;

  *n = json_array_get_length (rows);
  values = g_new (double, MAX (*n, 1));
  for (guint i = 0; i < *n; i++)
    values[i] = cell (rows, i, j);
  return values;
}

static const char *current_case = "";

/* Same bits (so -0 differs from 0, and NaN equals NaN), with both numbers in the message. */
static void
assert_identical (const char *what, guint j, guint i, double expected, double got)
{
  if (memcmp (&expected, &got, sizeof (double)) != 0 && !(isnan (expected) && isnan (got)))
    g_error ("%s: %s [%u][%u]: scikit-learn %.17g, ns-power %.17g (relative difference %.3g)",
             current_case, what, j, i, expected, got, fabs (got - expected) / fabs (expected));
}

static NsPowerKind
kind_of (JsonObject *fit)
{
  return g_str_equal (json_object_get_string_member (fit, "method"), "box-cox")
           ? NS_POWER_BOX_COX
           : NS_POWER_YEO_JOHNSON;
}

/* transform on the first rows of the column, inverse on scikit-learn's transform output. */
static void
check_outputs (JsonObject *fit, JsonArray *rows, guint j, const NsPowerColumn *column)
{
  JsonArray *transform, *inverse;

  if (json_object_has_member (fit, "transform_error"))
    return; /* the transform overflows and scikit-learn's inverse refuses the infinities */
  transform = json_object_get_array_member (fit, "transform");
  inverse = json_object_get_array_member (fit, "inverse");
  for (guint i = 0; i < json_array_get_length (transform); i++)
    {
      double x = cell (rows, i, j), y = cell (transform, i, j);

      ns_power_transform_values (kind_of (fit), column, FALSE, &x, 1);
      assert_identical ("transform", j, i, y, x);
      ns_power_transform_values (kind_of (fit), column, TRUE, &y, 1);
      assert_identical ("inverse", j, i, cell (inverse, i, j), y);
    }
}

static void
check_state (JsonObject *fit, guint j, const NsPowerColumn *column)
{
  gboolean standardize = json_object_get_boolean_member (fit, "standardize");

  assert_identical ("lambdas_", j, 0, element (json_object_get_array_member (fit, "lambdas"), j),
                    column->lambda);
  if (!standardize)
    {
      g_assert_cmpfloat (column->mean, ==, 0.0);
      g_assert_cmpfloat (column->scale, ==, 1.0);
      return;
    }
  assert_identical ("mean_", j, 0, element (json_object_get_array_member (fit, "mean"), j),
                    column->mean);
  assert_identical ("var_", j, 0, element (json_object_get_array_member (fit, "var"), j),
                    column->variance);
  assert_identical ("scale_", j, 0, element (json_object_get_array_member (fit, "scale"), j),
                    column->scale);
  g_assert_cmpint (column->count, ==,
                   json_array_get_int_element (json_object_get_array_member (fit, "n_samples_seen"),
                                               j));
}

/* scikit-learn fits with NaN standardizer state where a column has no value: ns-power refuses. */
static gboolean
expects_refusal (JsonObject *fit, guint j)
{
  return json_object_has_member (fit, "error") ||
         (json_object_get_boolean_member (fit, "standardize") &&
          isnan (element (json_object_get_array_member (fit, "mean"), j)));
}

/* Every column of the case under one fit; TRUE when some column was refused. */
static gboolean
check_fit (JsonObject *fit, JsonArray *rows)
{
  guint n_columns = json_array_get_length (json_array_get_array_element (rows, 0));
  gboolean refused = FALSE;

  for (guint j = 0; j < n_columns; j++)
    {
      gsize n, bad;
      g_autofree double *values = column_of (rows, j, &n);
      g_autoptr (GError) error = NULL;
      NsPowerColumn column;

      if (!ns_power_fit_column (kind_of (fit), json_object_get_boolean_member (fit, "standardize"),
                                FALSE, values, n, &column, &bad, &error))
        {
          g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
          g_assert_true (expects_refusal (fit, j));
          refused = TRUE;
          continue;
        }
      if (json_object_has_member (fit, "error"))
        continue; /* scikit-learn refused the matrix over another column: nothing to compare */
      check_state (fit, j, &column);
      check_outputs (fit, rows, j, &column);
    }
  return refused;
}

static void
test_sklearn_vectors (void)
{
  guint fits = 0, refusals = 0;

  for (guint c = 0; c < G_N_ELEMENTS (case_names); c++)
    {
      g_autoptr (JsonParser) parser = load_case (case_names[c]);
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonArray *rows = json_object_get_array_member (root, "data");
      JsonArray *list = json_object_get_array_member (root, "fits");

      for (guint f = 0; f < json_array_get_length (list); f++, fits++)
        {
          JsonObject *fit = json_array_get_object_element (list, f);
          gboolean refused;

          current_case = case_names[c];
          refused = check_fit (fit, rows);

          if (json_object_has_member (fit, "error")) /* then some column is refused here too */
            g_assert_true (refused);
          refusals += json_object_has_member (fit, "error");
        }
    }
  g_test_message ("%u scikit-learn fits: %u reproduced bit for bit, %u refused as scikit-learn "
                  "refuses them",
                  fits, fits - refusals, refusals);
}

/* 40,000 values: the objective runs on several threads, over several NumPy sum blocks. */
static void
test_large_column (void)
{
  g_autofree char *npy = data_path ("large.npy");
  g_autofree char *contents = NULL;
  g_autoptr (JsonParser) parser = load_case ("large");
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonArray *list = json_object_get_array_member (root, "fits");
  g_autoptr (GError) error = NULL;
  NsReadOptions options;
  NsDataset *data;
  const double *values;
  gsize length, n;

  g_assert_true (g_file_get_contents (npy, &contents, &length, &error));
  ns_read_options_init (&options);
  data = ns_npy_read (npy, (const guint8 *) contents, length, &options, NULL, &error);
  g_assert_no_error (error);
  values = ns_dataset_get_values (data, 0);
  n = ns_dataset_get_n_samples (data);
  g_assert_cmpuint (n, ==, 40000);
  for (guint f = 0; f < json_array_get_length (list); f++)
    {
      JsonObject *fit = json_array_get_object_element (list, f);
      gboolean standardize = json_object_get_boolean_member (fit, "standardize");
      JsonArray *transform = json_object_get_array_member (fit, "transform");
      NsPowerColumn column;

      g_assert_true (ns_power_fit_column (NS_POWER_YEO_JOHNSON, standardize, FALSE, values, n,
                                          &column, NULL, &error));
      assert_identical ("lambdas_", 0, 0, json_object_get_double_member (fit, "lambdas"),
                        column.lambda);
      if (standardize)
        {
          assert_identical ("mean_", 0, 0, json_object_get_double_member (fit, "mean"),
                            column.mean);
          assert_identical ("var_", 0, 0, json_object_get_double_member (fit, "var"),
                            column.variance);
        }
      for (guint i = 0; i < json_array_get_length (transform); i++)
        {
          double y = values[i];

          ns_power_transform_values (NS_POWER_YEO_JOHNSON, &column, FALSE, &y, 1);
          assert_identical ("transform", 0, i, element (transform, i), y);
        }
    }
  ns_dataset_free (data);
}

/* §1.10 of sklearn-power-quantile-pernorm-onnx.md (sklearn 1.2.1, AVX-512 disabled). */
static void
test_reference_golden_values (void)
{
  const double data[2][3] = { { 1, 3, 4 }, { 2, 2, 5 } };
  const double yj_lambda[2] = { 1.3866817800919364, -3.1005330856145483 };
  const double yj_mean[2] = { 3.790387681407981, 0.3149786394723994 };
  const double yj_var[2] = { 3.9805275644508242, 1.984187881821283e-05 };
  const double yj_out[2][3] = { { -1.316160386341981, 0.20998268361743866, 1.1061777027245423 },
                                { -0.7071067811865475, -0.7071067811865475, 1.414213562373095 } };
  const double bc_lambda[2] = { 1.0517307411222123, -2.3454628056657456 };
  const double bc_out[2][3] = { { -1.332692908632483, 0.25653282782180825, 1.0761600808106748 },
                                { -0.707106781186547, -0.707106781186547, 1.4142135623730956 } };
  const double mixed[6] = { 0.5, 1.5, 2.5, 10, -3, 0 };
  NsPowerColumn yj, bc, column;

  for (guint j = 0; j < 2; j++)
    {
      double y[3], b[3];

      memcpy (y, data[j], sizeof y);
      memcpy (b, data[j], sizeof b);
      g_assert_true (
        ns_power_fit_column (NS_POWER_YEO_JOHNSON, TRUE, FALSE, data[j], 3, &yj, NULL, NULL));
      g_assert_true (
        ns_power_fit_column (NS_POWER_BOX_COX, TRUE, FALSE, data[j], 3, &bc, NULL, NULL));
      assert_identical ("golden yj lambda", j, 0, yj_lambda[j], yj.lambda);
      assert_identical ("golden yj mean", j, 0, yj_mean[j], yj.mean);
      assert_identical ("golden yj var", j, 0, yj_var[j], yj.variance);
      assert_identical ("golden bc lambda", j, 0, bc_lambda[j], bc.lambda);
      ns_power_transform_values (NS_POWER_YEO_JOHNSON, &yj, FALSE, y, 3);
      ns_power_transform_values (NS_POWER_BOX_COX, &bc, FALSE, b, 3);
      for (guint i = 0; i < 3; i++)
        {
          assert_identical ("golden yj transform", j, i, yj_out[j][i], y[i]);
          assert_identical ("golden bc transform", j, i, bc_out[j][i], b[i]);
        }
    }
  g_assert_true (
    ns_power_fit_column (NS_POWER_YEO_JOHNSON, FALSE, FALSE, mixed, 6, &column, NULL, NULL));
  assert_identical ("golden mixed-sign lambda", 0, 0, 0.6867096158389694, column.lambda);
}

static void
assert_refused (NsPowerKind kind, gboolean standardize, const double *values, gsize n,
                gsize expected_bad, const char *expected_text)
{
  g_autoptr (GError) error = NULL;
  NsPowerColumn column;
  gsize bad = 0;

  g_assert_false (ns_power_fit_column (kind, standardize, FALSE, values, n, &column, &bad, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (bad, ==, expected_bad);
  if (strstr (error->message, expected_text) == NULL)
    g_error ("expected \"%s\" in: %s", expected_text, error->message);
}

static void
test_refusals (void)
{
  const double zero[] = { 1, 2, NAN, 0, 3 }, negative[] = { -0.5, 2 }, missing[] = { NAN, NAN };
  const double constant[] = { 2.5, NAN, 2.5, 2.5 };

  assert_refused (NS_POWER_BOX_COX, TRUE, zero, 5, 3, "found 0 at index 3");
  assert_refused (NS_POWER_BOX_COX, FALSE, negative, 2, 0, "strictly positive data");
  assert_refused (NS_POWER_BOX_COX, TRUE, missing, 2, G_MAXSIZE, "not enough values to unpack");
  assert_refused (NS_POWER_BOX_COX, FALSE, missing, 0, G_MAXSIZE, "every value is missing");
  assert_refused (NS_POWER_BOX_COX, TRUE, constant, 4, G_MAXSIZE, "Data must not be constant.");
  assert_refused (NS_POWER_BOX_COX, TRUE, constant, 1, G_MAXSIZE, "every value is 2.5");
  /* Yeo-Johnson fits lambda on no value (scikit-learn's junk 8.47...), but cannot standardize. */
  assert_refused (NS_POWER_YEO_JOHNSON, TRUE, missing, 2, G_MAXSIZE, "every value is missing");
  g_assert_cmpuint (ns_power_first_nonpositive (zero, 5), ==, 3);
  g_assert_cmpuint (ns_power_first_nonpositive ((const double[]) { NAN, 1, -0.0, 2 }, 4), ==, 2);
  g_assert_cmpuint (ns_power_first_nonpositive (missing, 2), ==, G_MAXSIZE);
}

/* §1.6: one row, or no value at all, walks Brent over an infinite (NaN) objective to 8.47... */
static void
test_degenerate_yeo_johnson (void)
{
  const double one[] = { 3.5 }, missing[] = { NAN, NAN, NAN };
  NsPowerColumn column;
  double y = NAN;

  g_assert_true (
    ns_power_fit_column (NS_POWER_YEO_JOHNSON, TRUE, FALSE, one, 1, &column, NULL, NULL));
  assert_identical ("one row lambda", 0, 0, 8.472135811722177, column.lambda);
  g_assert_cmpfloat (column.scale, ==, 1.0);
  g_assert_true (
    ns_power_fit_column (NS_POWER_YEO_JOHNSON, FALSE, FALSE, missing, 3, &column, NULL, NULL));
  assert_identical ("all-NaN lambda", 0, 0, 8.472135811722177, column.lambda);
  g_assert_cmpuint (column.count, ==, 0);
  ns_power_transform_values (NS_POWER_YEO_JOHNSON, &column, FALSE, &y, 1);
  g_assert_true (isnan (y));
  ns_power_transform_values (NS_POWER_YEO_JOHNSON, &column, TRUE, &y, 1);
  g_assert_true (isnan (y));
}

/* NaN is left out of the fit: the same column without it gives the same bits. */
static void
test_nan_ignored (void)
{
  const double with_nan[] = { NAN, 1, 3, NAN, 4, 0.25 }, without[] = { 1, 3, 4, 0.25 };

  for (NsPowerKind kind = NS_POWER_YEO_JOHNSON; kind <= NS_POWER_BOX_COX; kind++)
    {
      NsPowerColumn a, b;

      g_assert_true (ns_power_fit_column (kind, TRUE, FALSE, with_nan, 6, &a, NULL, NULL));
      g_assert_true (ns_power_fit_column (kind, TRUE, FALSE, without, 4, &b, NULL, NULL));
      g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
      g_assert_cmpuint (a.count, ==, 4);
    }
}

/* inverse (transform (x)) returns x to within a few ulp of the largest magnitude involved. */
static void
test_round_trip (void)
{
  const char *names[] = { "varied-1000", "positive-1000", "nan-yj" };
  double worst = 0;

  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      g_autoptr (JsonParser) parser = load_case (names[c]);
      JsonArray *rows =
        json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data");
      guint n_columns = json_array_get_length (json_array_get_array_element (rows, 0));

      for (NsPowerKind kind = NS_POWER_YEO_JOHNSON; kind <= NS_POWER_BOX_COX; kind++)
        for (guint j = 0; j < n_columns; j++)
          {
            gsize n;
            g_autofree double *x = column_of (rows, j, &n);
            g_autofree double *y = NULL;
            NsPowerColumn column;

            if (!ns_power_fit_column (kind, TRUE, FALSE, x, n, &column, NULL, NULL))
              continue; /* Box-Cox on a column with values <= 0 */
            y = g_memdup2 (x, n * sizeof (double));
            ns_power_transform_values (kind, &column, FALSE, y, n);
            ns_power_transform_values (kind, &column, TRUE, y, n);
            for (gsize i = 0; i < n; i++)
              {
                g_assert_cmpint (isnan (x[i]), ==, isnan (y[i]));
                if (!isnan (x[i]))
                  worst = MAX (worst, fabs (y[i] - x[i]) / MAX (1.0, fabs (x[i])));
              }
          }
    }
  g_test_message ("round trip: worst |x' - x| / max (1, |x|) = %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-12);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, ""); /* power-de_DE: messages and the vectors read the same under de_DE */
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/power/sklearn-vectors", test_sklearn_vectors);
  g_test_add_func ("/power/large-column", test_large_column);
  g_test_add_func ("/power/reference-golden-values", test_reference_golden_values);
  g_test_add_func ("/power/refusals", test_refusals);
  g_test_add_func ("/power/degenerate-yeo-johnson", test_degenerate_yeo_johnson);
  g_test_add_func ("/power/nan-ignored", test_nan_ignored);
  g_test_add_func ("/power/round-trip", test_round_trip);
  return g_test_run ();
}
