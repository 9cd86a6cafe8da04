/* test-quantile-transformer.c: the QuantileTransformer core, NumPy's legacy RandomState and the
 * Cephes ndtri/ndtr against scikit-learn 1.2.1 / NumPy 1.24 / SciPy 1.10.1 vectors
 * (tests/gen-quantile-vectors.py), bit for bit, plus the reference document's golden values.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>

#include "ns-quantile-transformer.h"
#include "test-utils.h"

static JsonNode *quantile_root, *random_root, *ndtr_root;
/* The case mixes -0.0 and 0.0 in a column: NumPy's partition (introselect) leaves equal keys in
 * an order of its own, and that order picks the sign of some zero quantiles (and of outputs
 * equal to them), so zeros compare by value there. Every other bit must match. */
static gboolean zero_sign_free;

static void
assert_bits (double got, double want, const char *what, guint column, guint index)
{
  if (zero_sign_free && got == 0.0 && want == 0.0)
    return;
  if (!ns_test_same_bits (got, want))
    g_error ("%s column %u [%u]: got %.17g, reference %.17g", what, column, index, got, want);
}

static JsonArray *
cases (void)
{
  return json_object_get_array_member (json_node_get_object (quantile_root), "cases");
}

/* (i * multiplier + offset) % modulus * scale + shift: the generator's exact integer formula. */
static double *
modular_column (JsonObject *spec, gsize rows)
{
  double *column = g_new (double, rows);

  for (gsize i = 0; i < rows; i++)
    {
      gint64 value = ((gint64) i * json_object_get_int_member (spec, "multiplier") +
                      json_object_get_int_member (spec, "offset")) %
                     json_object_get_int_member (spec, "modulus");

      column[i] = (double) value * json_object_get_double_member (spec, "scale") +
                  json_object_get_double_member (spec, "shift");
    }
  return column;
}

/* The training columns (g_free'd with the array): stored, or rebuilt from the formula. */
static GPtrArray *
training_columns (JsonObject *c)
{
  gsize rows = (gsize) json_object_get_int_member (c, "n_samples");
  gboolean has_train = json_object_has_member (c, "train");
  JsonArray *stored = has_train ? json_object_get_array_member (c, "train") : NULL;
  JsonArray *specs = has_train ? NULL : json_object_get_array_member (c, "modular");
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);

  for (guint j = 0; j < json_array_get_length (stored != NULL ? stored : specs); j++)
    g_ptr_array_add (columns,
                     stored != NULL
                       ? ns_test_json_doubles (json_array_get_array_element (stored, j), NULL)
                       : modular_column (json_array_get_object_element (specs, j), rows));
  return columns;
}

/* quantiles_ of every column, fitted in column order from one RandomState as fit does. */
static GPtrArray *
fit_case (JsonObject *c, guint n, const double *references)
{
  gsize n_samples = (gsize) json_object_get_int_member (c, "n_samples");
  gsize subsample = (gsize) json_object_get_int_member (c, "subsample");
  g_autoptr (GPtrArray) columns = training_columns (c);
  g_autoptr (NsLegacyRandom) rng = NULL;
  GPtrArray *quantiles = g_ptr_array_new_with_free_func (g_free);

  if (!json_object_get_null_member (c, "random_state"))
    rng = ns_legacy_random_new ((guint32) json_object_get_int_member (c, "random_state"));
  for (guint j = 0; j < columns->len; j++)
    {
      double *q = g_new (double, n);

      ns_quantile_fit_column (columns->pdata[j], n_samples, subsample, rng, references, n, q);
      g_ptr_array_add (quantiles, q);
    }
  return quantiles;
}

static void
test_fit (void)
{
  for (guint k = 0; k < json_array_get_length (cases ()); k++)
    {
      JsonObject *c = json_array_get_object_element (cases (), k);
      const char *name = json_object_get_string_member (c, "name");
      guint n = ns_quantile_fitted_count ((guint) json_object_get_int_member (c, "n_quantiles"),
                                          (gsize) json_object_get_int_member (c, "n_samples"));
      guint n_want;
      g_autofree double *want_references =
        ns_test_json_doubles (json_object_get_array_member (c, "references"), &n_want);
      g_autofree double *references = g_new (double, n);
      g_autoptr (GPtrArray) quantiles = NULL;
      JsonArray *want = json_object_get_array_member (c, "quantiles");

      g_test_message ("%s", name);
      zero_sign_free = json_object_get_boolean_member (c, "zero_sign_free");
      g_assert_cmpuint (n, ==, json_object_get_int_member (c, "n_quantiles_fitted"));
      g_assert_cmpuint (n, ==, n_want);
      ns_quantile_references (n, references);
      for (guint i = 0; i < n; i++)
        assert_bits (references[i], want_references[i], "references_", 0, i);
      quantiles = fit_case (c, n, references);
      g_assert_cmpuint (quantiles->len, ==, json_array_get_length (want));
      for (guint j = 0; j < quantiles->len; j++)
        {
          g_autofree double *expected =
            ns_test_json_doubles (json_array_get_array_element (want, j), NULL);

          for (guint i = 0; i < n; i++)
            assert_bits (((double *) quantiles->pdata[j])[i], expected[i], name, j, i);
        }
    }
  zero_sign_free = FALSE;
}

/* The values repeated past n, so ns_quantile_transform_values takes its guide table and
 * precomputed slopes, and still gives scikit-learn's bits. */
static void
check_guided (const double *quantiles, const double *references, guint n, NsQuantileOutput output,
              gboolean inverse, const double *original, const double *want, guint n_values,
              const char *what, guint j)
{
  gsize total = (gsize) n_values * (n / n_values + 2);
  g_autofree double *values = g_new (double, total);

  for (gsize i = 0; i < total; i++)
    values[i] = original[i % n_values];
  ns_quantile_transform_values (quantiles, references, n, output, inverse, values, total);
  for (gsize i = 0; i < total; i++)
    assert_bits (values[i], want[i % n_values], what, j, (guint) (i % n_values));
}

/* One direction of one column: the array at once, and value by value, against scikit-learn. */
static void
check_column (const double *quantiles, const double *references, guint n, NsQuantileOutput output,
              gboolean inverse, JsonArray *input, JsonArray *expected, const char *what, guint j)
{
  guint n_values, n_expected;
  g_autofree double *values = ns_test_json_doubles (input, &n_values);
  g_autofree double *want = ns_test_json_doubles (expected, &n_expected);
  g_autofree double *original = g_memdup2 (values, n_values * sizeof (double));

  g_assert_cmpuint (n_values, ==, n_expected);
  ns_quantile_transform_values (quantiles, references, n, output, inverse, values, n_values);
  for (guint i = 0; i < n_values; i++)
    assert_bits (values[i], want[i], what, j, i);
  /* Over quantiles holding NaN, np.interp's answer depends on the values before it in the same
   * array (its search starts from the previous index): only the whole array is NumPy's then. */
  if (!inverse && isnan (quantiles[n - 1]))
    return;
  for (guint i = 0; i < n_values; i++)
    assert_bits (inverse ? ns_quantile_inverse (quantiles, references, n, output, original[i])
                         : ns_quantile_forward (quantiles, references, n, output, original[i]),
                 want[i], "one value", j, i);
  check_guided (quantiles, references, n, output, inverse, original, want, n_values, what, j);
}

static void
check_distribution (JsonObject *c, JsonObject *out, NsQuantileOutput output, GPtrArray *quantiles,
                    const double *references, guint n)
{
  JsonArray *probes = json_object_get_array_member (c, "probes");
  JsonArray *forward = json_object_get_array_member (out, "forward");
  JsonArray *back = json_object_get_array_member (out, "inverse_of_forward");
  JsonArray *inverse = json_object_get_array_member (out, "inverse");
  JsonArray *inverse_probes = json_object_get_array_member (out, "inverse_probes");

  for (guint j = 0; j < quantiles->len; j++)
    {
      check_column (quantiles->pdata[j], references, n, output, FALSE,
                    json_array_get_array_element (probes, j),
                    json_array_get_array_element (forward, j), "transform", j);
      check_column (quantiles->pdata[j], references, n, output, TRUE,
                    json_array_get_array_element (forward, j),
                    json_array_get_array_element (back, j), "inverse of transform", j);
      check_column (quantiles->pdata[j], references, n, output, TRUE, inverse_probes,
                    json_array_get_array_element (inverse, j), "inverse_transform", j);
    }
}

/* Bit-identical, as the reference document found fit + transform to be: the same interp and
 * lerp arithmetic, and SciPy's ndtri/ndtr are Cephes on the same glibc. */
static void
test_transform (void)
{
  for (guint k = 0; k < json_array_get_length (cases ()); k++)
    {
      JsonObject *c = json_array_get_object_element (cases (), k);
      JsonObject *outputs = json_object_get_object_member (c, "outputs");
      guint n = (guint) json_object_get_int_member (c, "n_quantiles_fitted");
      g_autofree double *references = g_new (double, n);
      g_autoptr (GPtrArray) quantiles = NULL;

      g_test_message ("%s", json_object_get_string_member (c, "name"));
      zero_sign_free = json_object_get_boolean_member (c, "zero_sign_free");
      ns_quantile_references (n, references);
      quantiles = fit_case (c, n, references);
      check_distribution (c, json_object_get_object_member (outputs, "uniform"),
                          NS_QUANTILE_UNIFORM, quantiles, references, n);
      check_distribution (c, json_object_get_object_member (outputs, "normal"), NS_QUANTILE_NORMAL,
                          quantiles, references, n);
    }
  zero_sign_free = FALSE;
}

static void
check_indices (JsonArray *want, const gsize *got, gsize offset)
{
  for (guint i = 0; i < json_array_get_length (want); i++)
    g_assert_cmpuint (got[offset + i], ==, json_array_get_int_element (want, i));
}

static guint64
sum_indices (const gsize *indices, gsize k)
{
  guint64 sum = 0;

  for (gsize i = 0; i < k; i++)
    sum += indices[i];
  return sum;
}

/* RandomState(seed).choice(n, k, replace=False), twice from the same stream. */
static void
test_random_state_choice (void)
{
  JsonArray *choices = json_object_get_array_member (json_node_get_object (random_root), "choices");

  for (guint c = 0; c < json_array_get_length (choices); c++)
    {
      JsonObject *v = json_array_get_object_element (choices, c);
      gsize n = (gsize) json_object_get_int_member (v, "n");
      gsize k = (gsize) json_object_get_int_member (v, "k");
      JsonArray *tail = json_object_get_array_member (v, "first_tail");
      g_autoptr (NsLegacyRandom) rng =
        ns_legacy_random_new ((guint32) json_object_get_int_member (v, "seed"));
      g_autofree gsize *first = g_new (gsize, k);
      g_autofree gsize *second = g_new (gsize, k);

      ns_legacy_random_choice (rng, n, k, first);
      ns_legacy_random_choice (rng, n, k, second);
      check_indices (json_object_get_array_member (v, "first_head"), first, 0);
      check_indices (tail, first, k - json_array_get_length (tail));
      check_indices (json_object_get_array_member (v, "second_head"), second, 0);
      g_assert_cmpuint (sum_indices (first, k), ==, json_object_get_int_member (v, "first_sum"));
      g_assert_cmpuint (sum_indices (second, k), ==, json_object_get_int_member (v, "second_sum"));
    }
}

static void
check_special (const char *input, const char *output, double (*func) (double))
{
  JsonObject *root = json_node_get_object (ndtr_root);
  guint n, n_want;
  g_autofree double *x = ns_test_json_doubles (json_object_get_array_member (root, input), &n);
  g_autofree double *want =
    ns_test_json_doubles (json_object_get_array_member (root, output), &n_want);

  g_assert_cmpuint (n, ==, n_want);
  g_assert_cmpuint (n, >, 100);
  for (guint i = 0; i < n; i++)
    if (!ns_test_same_bits (func (x[i]), want[i]))
      g_error ("%s (%.17g): got %.17g, scipy %.17g", output, x[i], func (x[i]), want[i]);
}

/* scipy.special.ndtri / ndtr on grids with both tails, 0, 1, subnormals and 1 - 1e-16. */
static void
test_ndtri_ndtr (void)
{
  g_autofree double *clip =
    ns_test_json_doubles (json_object_get_array_member (json_node_get_object (ndtr_root), "clip"),
                          NULL);

  check_special ("p", "ndtri", ns_ndtri);
  check_special ("x", "ndtr", ns_ndtr);
  /* The normal output's clip bounds, norm.ppf (1e-7 - eps) and norm.ppf (1 - (1e-7 - eps)). */
  assert_bits (ns_ndtri (1e-7 - DBL_EPSILON), clip[0], "clip_min", 0, 0);
  assert_bits (ns_ndtri (1.0 - (1e-7 - DBL_EPSILON)), clip[1], "clip_max", 0, 1);
}

/* Reference document section 2.3, golden values from sklearn 1.2.1 (an independent run). */
static void
test_golden_values (void)
{
  static const double train[3][5] = { { 0, 25, 50, 75, 100 },
                                      { 2, 4, 6, 8, 10 },
                                      { 2.6, 4.1, 2.3, 9.5, .1 } };
  static const double sorted[5] = { 0.1, 2.3, 2.6, 4.1, 9.5 };
  static const double probe[3] = { 30, 5, 3 }, want[3] = { 0.3, 0.375, 0.5666666666666667 };
  static const double normal_in[4] = { 0, 10, 50, 100 };
  static const double normal_want[4] = { -5.199337582605575, -1.2815515655446004, 0.0,
                                         5.19933758270342 };
  double references[5], quantiles[3][5];

  ns_quantile_references (5, references);
  for (guint j = 0; j < 3; j++)
    {
      ns_quantile_fit_column (train[j], 5, 10000, NULL, references, 5, quantiles[j]);
      for (guint i = 0; i < 5; i++)
        g_assert_cmpfloat (quantiles[j][i], ==, j < 2 ? train[j][i] : sorted[i]);
      g_assert_cmpfloat (ns_quantile_forward (quantiles[j], references, 5, NS_QUANTILE_UNIFORM,
                                              probe[j]),
                         ==, want[j]);
    }
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (ns_quantile_forward (quantiles[0], references, 5, NS_QUANTILE_NORMAL,
                                            normal_in[i]),
                       ==, normal_want[i]);
}

/* The edge results the reference lists: a constant column maps to 0 (uniform) and the lower clip
 * (normal), one training row to 0, NaN stays NaN, values outside the range to the bounds. */
static void
test_edges (void)
{
  double constant[4] = { 3.5, 3.5, 3.5, 3.5 }, references[4], quantiles[4], one[1];
  double one_reference[1];

  ns_quantile_references (4, references);
  ns_quantile_fit_column (constant, 4, 10000, NULL, references, 4, quantiles);
  g_assert_cmpfloat (ns_quantile_forward (quantiles, references, 4, NS_QUANTILE_UNIFORM, 3.5), ==,
                     0.0);
  g_assert_cmpfloat (ns_quantile_forward (quantiles, references, 4, NS_QUANTILE_NORMAL, 3.5), ==,
                     ns_ndtri (1e-7 - DBL_EPSILON));
  g_assert_true (isnan (ns_quantile_forward (quantiles, references, 4, NS_QUANTILE_UNIFORM, NAN)));
  g_assert_cmpfloat (ns_quantile_forward (quantiles, references, 4, NS_QUANTILE_UNIFORM, 9.0), ==,
                     1.0);
  g_assert_cmpfloat (ns_quantile_forward (quantiles, references, 4, NS_QUANTILE_UNIFORM, -9.0), ==,
                     0.0);
  ns_quantile_references (1, one_reference);
  ns_quantile_fit_column (constant, 1, 10000, NULL, one_reference, 1, one);
  g_assert_cmpfloat (ns_quantile_forward (one, one_reference, 1, NS_QUANTILE_UNIFORM, 2.0), ==,
                     0.0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  quantile_root = ns_test_load_data_json ("quantile", "quantile-transformer.json");
  random_root = ns_test_load_data_json ("quantile", "random-state.json");
  ndtr_root = ns_test_load_data_json ("quantile", "ndtr.json");
  g_test_add_func ("/quantile-transformer/fit", test_fit);
  g_test_add_func ("/quantile-transformer/transform", test_transform);
  g_test_add_func ("/quantile-transformer/random-state-choice", test_random_state_choice);
  g_test_add_func ("/quantile-transformer/ndtri-ndtr", test_ndtri_ndtr);
  g_test_add_func ("/quantile-transformer/golden-values", test_golden_values);
  g_test_add_func ("/quantile-transformer/edges", test_edges);
  status = g_test_run ();
  json_node_unref (quantile_root);
  json_node_unref (random_root);
  json_node_unref (ndtr_root);
  return status;
}
