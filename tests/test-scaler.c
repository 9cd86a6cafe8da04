/* test-scaler.c: every scaler against scikit-learn / Keras-formula vectors from gen-conformance.py,
 * plus the scaler's own refusals, parameters and options.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ns-scaler.h"
#include "test-utils.h"

#define REL_TOL 1e-12

static const char *const fixture_names[] = { "golden9", "mixed", "nan", "near_constant",
                                             "sample301" };

static JsonNode *
load_conformance (const char *name)
{
  const char *dir = g_getenv ("NS_TEST_DATA");
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *path =
    g_build_filename (dir != NULL ? dir : "tests/data", "conformance", file, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static double
array_double (JsonArray *array, guint i)
{
  return ns_test_json_double (json_array_get_element (array, i));
}

static double
matrix_double (JsonArray *rows, guint i, guint j)
{
  return array_double (json_array_get_array_element (rows, i), j);
}

/* The fixture's columns, first n_rows rows, as a table dataset. */
static NsDataset *
rows_dataset (JsonObject *fixture, JsonArray *rows, guint n_rows)
{
  JsonArray *columns = json_object_get_array_member (fixture, "columns");
  NsDataset *data = ns_dataset_new_table (n_rows);

  for (guint j = 0; j < json_array_get_length (columns); j++)
    {
      double *values = g_new (double, n_rows);

      for (guint i = 0; i < n_rows; i++)
        values[i] = matrix_double (rows, i, j);
      ns_dataset_add_numeric_column (data, json_array_get_string_element (columns, j), values);
    }
  ns_dataset_set_source (data, json_object_get_string_member (fixture, "name"), NULL);
  ns_dataset_count_missing (data);
  return data;
}

static NsDataset *
fixture_dataset (JsonObject *fixture, guint n_rows)
{
  return rows_dataset (fixture, json_object_get_array_member (fixture, "data"), n_rows);
}

static void
options_from_case (JsonObject *c, NsScalerOptions *options)
{
  JsonObject *o = json_object_get_object_member (c, "options");
  NsMethod method;

  g_assert_true (
    ns_method_from_string (json_object_get_string_member (c, "method"), &method, NULL));
  ns_scaler_options_init (options, method);
  options->n_threads = 2;
  if (json_object_has_member (o, "with_mean"))
    options->with_mean = json_object_get_boolean_member (o, "with_mean");
  if (json_object_has_member (o, "with_std"))
    options->with_std = json_object_get_boolean_member (o, "with_std");
  if (json_object_has_member (o, "with_centering"))
    options->with_centering = json_object_get_boolean_member (o, "with_centering");
  if (json_object_has_member (o, "with_scaling"))
    options->with_scaling = json_object_get_boolean_member (o, "with_scaling");
  if (json_object_has_member (o, "feature_range"))
    for (guint i = 0; i < 2; i++)
      options->feature_range[i] =
        array_double (json_object_get_array_member (o, "feature_range"), i);
  if (json_object_has_member (o, "clip"))
    options->clip = json_object_get_boolean_member (o, "clip");
  if (json_object_has_member (o, "unit_variance"))
    options->unit_variance = json_object_get_boolean_member (o, "unit_variance");
  if (json_object_has_member (o, "quantile_range"))
    for (guint i = 0; i < 2; i++)
      options->quantile_range[i] =
        array_double (json_object_get_array_member (o, "quantile_range"), i);
}

static double
field (const NsStats *stats, guint j, const char *key)
{
  double value = NAN;

  g_assert_true (ns_stats_get_field (stats, j, key, &value));
  return value;
}

/* Absolute accuracy of a variance at this mean: rounding of the data's magnitude limits every
 * implementation (numpy's np.var of 1e9-sized data is off by ~1e-14 absolute). */
static double
variance_tolerance (double mean)
{
  return pow (16 * DBL_EPSILON * fabs (mean), 2);
}

/* Relative accuracy of a scale that is a standard deviation, from the variance's tolerance. */
static double
scale_tolerance (const NsStats *stats, guint j, const char *method)
{
  double var = ns_stats_get_variance (stats, j);

  if ((strcmp (method, "standard") != 0 && strcmp (method, "keras") != 0) || !(var > 0))
    return REL_TOL;
  return MAX (REL_TOL, variance_tolerance (ns_stats_get_mean (stats, j)) / (2 * var));
}

/* Fitted attributes: each method's own numbers. */
static void
check_attributes (const NsStats *stats, JsonObject *c, const char *where)
{
  JsonObject *attr = json_object_get_object_member (c, "attributes");
  const char *method = json_object_get_string_member (c, "method");
  guint n = ns_stats_get_n_columns (stats);

  for (guint j = 0; j < n; j++)
    {
#define ATTR(key) array_double (json_object_get_array_member (attr, key), j)
      if (json_object_has_member (c, "offset"))
        ns_test_assert_close (ns_stats_get_offset (stats, j),
                              array_double (json_object_get_array_member (c, "offset"), j), REL_TOL,
                              0, "%s %s column %u", where, "offset", j);
      if (json_object_has_member (c, "scale"))
        {
          double want = array_double (json_object_get_array_member (c, "scale"), j);

          /* Constant features must get exactly scale 1 (and the Keras floor exactly 1e-7). */
          if (want == 1.0 || want == 1e-7)
            ns_test_assert_close (ns_stats_get_scale (stats, j), want, 0, 0, "%s %s column %u",
                                  where, "scale", j);
          else
            ns_test_assert_close (ns_stats_get_scale (stats, j), want, REL_TOL,
                                  fabs (want) * scale_tolerance (stats, j, method),
                                  "%s %s column %u", where, "scale", j);
        }
      if (strcmp (method, "standard") == 0)
        {
          double mean = ns_stats_get_mean (stats, j);

          /* With with_mean and with_std both off, scikit-learn keeps no mean_ (NaN here). */
          if (!isnan (ATTR ("mean_")))
            ns_test_assert_close (mean, ATTR ("mean_"), REL_TOL, 0, "%s %s column %u", where,
                                  "mean_", j);
          /* var_ of a column at 1e9: both are accurate only to rounding of the data's magnitude. */
          if (!isnan (ATTR ("var_")))
            ns_test_assert_close (ns_stats_get_variance (stats, j), ATTR ("var_"), REL_TOL,
                                  variance_tolerance (mean), "%s %s column %u", where, "var_", j);
          ns_test_assert_close (field (stats, j, "n_samples_seen"), ATTR ("n_samples_seen_"), 0, 0,
                                "%s %s column %u", where, "n_samples_seen_", j);
          ns_test_assert_close (ns_stats_get_count (stats, j), ATTR ("n_samples_seen_"), 0, 0,
                                "%s %s column %u", where, "count", j);
        }
      else if (strcmp (method, "keras") == 0)
        {
          ns_test_assert_close (ns_stats_get_mean (stats, j), ATTR ("mean"), REL_TOL, 0,
                                "%s %s column %u", where, "mean", j);
          ns_test_assert_close (ns_stats_get_variance (stats, j), ATTR ("variance"), REL_TOL,
                                variance_tolerance (ATTR ("mean")), "%s %s column %u", where,
                                "variance", j);
        }
      else if (strcmp (method, "minmax") == 0)
        {
          ns_test_assert_close (field (stats, j, "min"), ATTR ("data_min_"), 0, 0,
                                "%s %s column %u", where, "data_min_", j);
          ns_test_assert_close (field (stats, j, "max"), ATTR ("data_max_"), 0, 0,
                                "%s %s column %u", where, "data_max_", j);
          ns_test_assert_close (field (stats, j, "data_range"), ATTR ("data_range_"), 0, 0,
                                "%s %s column %u", where, "data_range_", j);
          /* sklearn's scale_ is 1 / our scale. */
          ns_test_assert_close (1.0 / ns_stats_get_scale (stats, j), ATTR ("scale_"), REL_TOL, 0,
                                "%s %s column %u", where, "scale_", j);
        }
      else if (strcmp (method, "maxabs") == 0)
        ns_test_assert_close (field (stats, j, "max_abs"), ATTR ("max_abs_"), 0, 0,
                              "%s %s column %u", where, "max_abs_", j);
      else if (strcmp (method, "robust") == 0)
        {
          ns_test_assert_close (field (stats, j, "median"), ATTR ("median"), 0, 0,
                                "%s %s column %u", where, "median", j);
          ns_test_assert_close (field (stats, j, "q1"), ATTR ("q_low"), 0, 0, "%s %s column %u",
                                where, "q_low", j);
          ns_test_assert_close (field (stats, j, "q3"), ATTR ("q_high"), 0, 0, "%s %s column %u",
                                where, "q_high", j);
          ns_test_assert_close (ns_stats_get_offset (stats, j), ATTR ("center_"), 0, 0,
                                "%s %s column %u", where, "center_", j);
          /* unit_variance divides by norm.ppf differences: GSL's and SciPy's differ in ulps. */
          if (json_object_get_boolean_member (json_object_get_object_member (c, "options"),
                                              "unit_variance"))
            ns_test_assert_close (ns_stats_get_scale (stats, j), ATTR ("scale_"), REL_TOL, 0,
                                  "%s %s column %u", where, "scale_", j);
          else
            ns_test_assert_close (ns_stats_get_scale (stats, j), ATTR ("scale_"), 0, 0,
                                  "%s %s column %u", where, "scale_", j);
        }
#undef ATTR
    }
}

/* Transform and inverse of the first rows: the tolerance follows the size of the terms, since
 * (x - offset) / scale and sklearn's x * scale_ + min_ cancel differently; min-max, computed as
 * sklearn computes it, must match bit for bit. */
static void
check_transforms (const NsStats *stats, JsonObject *fixture, JsonObject *c, const char *where)
{
  JsonArray *want_t = json_object_get_array_member (c, "transform");
  JsonArray *want_i = json_object_get_array_member (c, "inverse_transform");
  guint n_rows = json_array_get_length (want_t);
  /* Most cases transform the first training rows; clip cases rows beyond the fitted range. */
  g_autoptr (NsDataset) data =
    json_object_has_member (c, "test_data")
      ? rows_dataset (fixture, json_object_get_array_member (c, "test_data"), n_rows)
      : fixture_dataset (fixture, n_rows);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) out = ns_stats_transform (stats, data, FALSE, &error);
  g_autoptr (NsDataset) inv = NULL;

  g_assert_no_error (error);
  inv = ns_stats_transform (stats, data, TRUE, &error);
  g_assert_no_error (error);
  for (guint j = 0; j < ns_stats_get_n_columns (stats); j++)
    {
      double offset = ns_stats_get_offset (stats, j), scale = ns_stats_get_scale (stats, j);
      double scale_tol = scale_tolerance (stats, j, json_object_get_string_member (c, "method"));

      for (guint i = 0; i < n_rows; i++)
        {
          double x = ns_dataset_get_values (data, j)[i];
          double t = matrix_double (want_t, i, j), v = matrix_double (want_i, i, j);

          /* min-max transforms as MinMaxScaler does (X * scale_ + min_): its very bits. */
          if (g_strcmp0 (json_object_get_string_member (c, "method"), "minmax") == 0 &&
              (!ns_test_same_bits (ns_dataset_get_values (out, j)[i], t) ||
               !ns_test_same_bits (ns_dataset_get_values (inv, j)[i], v)))
            g_error ("%s minmax column %u row %u: %.17g and %.17g, scikit-learn %.17g and %.17g",
                     where, j, i, ns_dataset_get_values (out, j)[i],
                     ns_dataset_get_values (inv, j)[i], t, v);
          ns_test_assert_close (ns_dataset_get_values (out, j)[i], t, REL_TOL,
                                REL_TOL * (fabs (x) + fabs (offset)) / scale + scale_tol * fabs (t),
                                "%s %s column %u", where, "transform", j);
          ns_test_assert_close (ns_dataset_get_values (inv, j)[i], v, REL_TOL,
                                REL_TOL * (fabs (x) * scale + fabs (offset)) +
                                  scale_tol * fabs (x) * scale,
                                "%s %s column %u", where, "inverse_transform", j);
        }
    }
}

static void
test_conformance (void)
{
  guint n_cases = 0;

  for (guint f = 0; f < G_N_ELEMENTS (fixture_names); f++)
    {
      g_autoptr (JsonNode) root = load_conformance (fixture_names[f]);
      JsonObject *fixture = json_node_get_object (root);
      JsonArray *cases = json_object_get_array_member (fixture, "cases");
      guint n_rows = json_array_get_length (json_object_get_array_member (fixture, "data"));
      g_autoptr (NsDataset) data = fixture_dataset (fixture, n_rows);

      for (guint k = 0; k < json_array_get_length (cases); k++)
        {
          JsonObject *c = json_array_get_object_element (cases, k);
          g_autofree char *where = g_strdup_printf ("%s case %u (%s)", fixture_names[f], k,
                                                    json_object_get_string_member (c, "method"));
          g_autoptr (GError) error = NULL;
          g_autoptr (NsStats) stats = NULL;
          NsScalerOptions options;

          options_from_case (c, &options);
          stats = ns_scaler_fit (data, &options, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (ns_stats_get_method (stats), ==,
                           json_object_get_string_member (c, "method"));
          check_attributes (stats, c, where);
          check_transforms (stats, fixture, c, where);
          n_cases++;
        }
    }
  /* 4 standard + 3 minmax + 1 clip + 1 maxabs + 8 robust per fixture, Keras where there is no
   * NaN. */
  g_assert_cmpuint (n_cases, ==, 5 * 17 + 3);
}

static NsDataset *
small_table (double a0, double a1, double a2)
{
  NsDataset *data = ns_dataset_new_table (3);
  double *a = g_new (double, 3), *b = g_new (double, 3);
  char **kind = g_new0 (char *, 4);

  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  b[0] = 1;
  b[1] = 2;
  b[2] = 4;
  kind[0] = g_strdup ("x");
  kind[1] = g_strdup ("y");
  kind[2] = g_strdup ("x");
  ns_dataset_add_label_column (data, "kind", kind);
  ns_dataset_add_numeric_column (data, "a", a);
  ns_dataset_add_numeric_column (data, "b", b);
  ns_dataset_set_source (data, "small.csv", "0123abcd");
  ns_dataset_count_missing (data);
  return data;
}

static void
test_refusals (void)
{
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  {
    g_autoptr (NsDataset) data = small_table (1, -INFINITY, 3);

    g_assert_null (ns_scaler_fit (data, &options, NULL, &error));
    g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==,
                     "small.csv: column 'a': 1 infinite values; a fit would be "
                     "NaN (remove them or mark them missing)");
    g_clear_error (&error);
  }
  {
    g_autoptr (NsDataset) data = small_table (NAN, NAN, NAN);

    g_assert_null (ns_scaler_fit (data, &options, NULL, &error));
    g_assert_cmpstr (error->message, ==,
                     "small.csv: column 'a': no values to fit (all 3 are missing; scikit-learn "
                     "would give NaN statistics): leave it out with --columns");
    g_clear_error (&error);
  }
  {
    g_autoptr (NsDataset) data = small_table (1, NAN, 3);
    g_autoptr (NsStats) stats = NULL;

    ns_scaler_options_init (&options, NS_METHOD_KERAS);
    g_assert_null (ns_scaler_fit (data, &options, NULL, &error));
    g_assert_cmpstr (error->message, ==,
                     "small.csv: column 'a': 1 missing values; Keras Normalization.adapt does not "
                     "skip NaN (its mean and variance would be NaN): fill or drop them, or use "
                     "method standard, which ignores them");
    g_clear_error (&error);

    ns_scaler_options_init (&options, NS_METHOD_MINMAX);
    options.feature_range[0] = 1;
    options.feature_range[1] = 1;
    g_assert_null (ns_scaler_fit (data, &options, NULL, &error));
    g_assert_cmpstr (error->message, ==,
                     "feature range (1, 1): the minimum must be smaller than the maximum");
    g_clear_error (&error);

    ns_scaler_options_init (&options, NS_METHOD_ROBUST);
    options.quantile_range[0] = 80;
    options.quantile_range[1] = 20.5;
    g_assert_null (ns_scaler_fit (data, &options, NULL, &error));
    g_assert_cmpstr (error->message, ==,
                     "quantile range (80, 20.5): expected 0 <= low <= high <= 100 (percent)");
    g_clear_error (&error);

    /* Values whose squares overflow: the variance is inf, so the fit is refused. */
    {
      g_autoptr (NsDataset) huge = small_table (5e303, -1e304, 1);
      g_autoptr (NsDataset) spread = small_table (1.5e308, -1.5e308, 0);

      ns_scaler_options_init (&options, NS_METHOD_KERAS);
      g_assert_null (ns_scaler_fit (huge, &options, NULL, &error));
      g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
      g_assert_true (
        g_str_has_prefix (error->message, "small.csv: column 'a': the fit gives offset "));
      g_assert_true (g_str_has_suffix (error->message,
                                       " and scale nan, which cannot scale values (they are too "
                                       "large or too spread for double precision: "
                                       "rescale them first)"));
      g_clear_error (&error);
      ns_scaler_options_init (&options, NS_METHOD_MINMAX);
      g_assert_null (ns_scaler_fit (spread, &options, NULL, &error));
      g_assert_true (g_str_has_suffix (error->message,
                                       " and scale inf, which cannot scale values (they are too "
                                       "large or too spread for double precision: "
                                       "rescale them first)"));
      g_clear_error (&error);
      /* max |x| stays finite, so maxabs can still scale them. */
      ns_scaler_options_init (&options, NS_METHOD_MAXABS);
      g_clear_pointer (&stats, ns_stats_free);
      stats = ns_scaler_fit (huge, &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (ns_stats_get_scale (stats, 0), ==, 1e304);
      g_clear_pointer (&stats, ns_stats_free);
    }

    /* The NaN is skipped by scikit-learn's scalers. */
    ns_scaler_options_init (&options, NS_METHOD_STANDARD);
    stats = ns_scaler_fit (data, &options, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (ns_stats_get_count (stats, 0), ==, 2);
    g_assert_cmpfloat (ns_stats_get_missing (stats, 0), ==, 1);
    g_assert_cmpfloat (ns_stats_get_mean (stats, 0), ==, 2);
  }
}

static void
test_methods_and_options (void)
{
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;
  NsMethod method;

  for (guint m = NS_METHOD_STANDARD; m <= NS_METHOD_ROBUST; m++)
    {
      g_assert_true (ns_method_from_string (ns_method_to_string (m), &method, &error));
      g_assert_cmpint (method, ==, m);
    }
  g_assert_false (ns_method_from_string ("zscore", &method, &error));
  g_assert_cmpstr (error->message, ==,
                   "unknown method 'zscore' (expected standard, keras, minmax, maxabs, robust, "
                   "yeo-johnson, box-cox, quantile or normalizer)");
  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  g_assert_true (options.with_mean && options.with_std);
  g_assert_true (options.with_centering && options.with_scaling);
  g_assert_cmpfloat (options.feature_range[0], ==, 0);
  g_assert_cmpfloat (options.feature_range[1], ==, 1);
  g_assert_cmpfloat (options.quantile_range[0], ==, 25);
  g_assert_cmpfloat (options.quantile_range[1], ==, 75);
  g_assert_cmpuint (options.n_threads, ==, 0);
}

static void
test_params_labels_source (void)
{
  g_autoptr (NsDataset) data = small_table (1, 2, 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = NULL;
  g_autofree char *text = NULL;
  NsScalerOptions options;

  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  options.quantile_range[0] = 10;
  options.with_scaling = FALSE;
  stats = ns_scaler_fit (data, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_stats_get_n_columns (stats), ==, 2);
  g_assert_cmpstr (ns_stats_get_name (stats, 0), ==, "a");
  g_assert_cmpstr (ns_stats_get_label_names (stats)[0], ==, "kind");
  g_assert_cmpstr (ns_stats_get_source_file (stats), ==, "small.csv");
  g_assert_cmpstr (ns_stats_get_source_sha256 (stats), ==, "0123abcd");
  g_assert_cmpuint (ns_stats_get_source_rows (stats), ==, 3);
  {
    g_autoptr (JsonNode) params =
      json_node_init_object (json_node_alloc (), ns_stats_get_params (stats));

    text = json_to_string (params, FALSE);
  }
  g_assert_cmpstr (text, ==,
                   "{\"quantile_range\":[10.0,75.0],\"with_centering\":true,"
                   "\"with_scaling\":false,\"unit_variance\":false}");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&stats, ns_stats_free);

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  options.with_mean = FALSE;
  stats = ns_scaler_fit (data, &options, NULL, &error);
  g_assert_true (json_object_get_boolean_member (ns_stats_get_params (stats), "with_std"));
  g_assert_false (json_object_get_boolean_member (ns_stats_get_params (stats), "with_mean"));
  g_assert_cmpfloat (ns_stats_get_offset (stats, 1), ==, 0);
  g_assert_cmpfloat (ns_stats_get_mean (stats, 1), ==, 7.0 / 3);
}

/* Keras semantics on a tensor: axis -1 of (N, H, W, C) keeps the channels. */
static void
test_tensor (void)
{
  gsize shape[4] = { 5, 2, 3, 4 };
  guint kept[1] = { 3 };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_new_tensor (shape, 4, kept, 1, &error);
  g_autoptr (NsStats) stats = NULL;
  NsScalerOptions options;
  JsonObject *params;

  g_assert_no_error (error);
  for (guint f = 0; f < 4; f++)
    for (gsize i = 0; i < 30; i++)
      ns_dataset_get_column_data (data, f)[i] = (double) (f * 100) + (double) i;
  ns_dataset_count_missing (data);
  ns_scaler_options_init (&options, NS_METHOD_KERAS);
  stats = ns_scaler_fit (data, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_stats_get_n_columns (stats), ==, 4);
  g_assert_cmpstr (ns_stats_get_name (stats, 3), ==, "channel_3");
  g_assert_cmpfloat (ns_stats_get_count (stats, 3), ==, 30);
  g_assert_cmpfloat (ns_stats_get_mean (stats, 3), ==, 314.5);
  /* Population variance of 0..29: (30^2 - 1) / 12. */
  g_assert_cmpfloat_with_epsilon (ns_stats_get_variance (stats, 2), 899.0 / 12, 1e-12);
  g_assert_cmpint (json_object_get_int_member (ns_stats_get_params (stats), "rank"), ==, 4);
  params = ns_stats_get_params (stats);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (params, "axis"), 0),
                   ==, 3);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (params, "shape"), 3),
                   ==, 4);
  g_assert_cmpfloat (ns_stats_get_param_double (stats, "epsilon", 0), ==, 1e-7);
}

/* Fit, save, load, transform: the loaded stats give bit-identical results. */
static void
test_save_load_transform (void)
{
  g_autoptr (JsonNode) root = load_conformance ("sample301");
  g_autoptr (NsDataset) data = fixture_dataset (json_node_get_object (root), 301);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "fit.json", NULL);

  for (NsMethod m = NS_METHOD_STANDARD; m <= NS_METHOD_ROBUST; m++)
    {
      g_autoptr (NsStats) stats = NULL, back = NULL;
      g_autoptr (NsDataset) a = NULL, b = NULL;
      NsScalerOptions options;

      if (m == NS_METHOD_KERAS)
        continue; /* sample301 has NaN */
      ns_scaler_options_init (&options, m);
      stats = ns_scaler_fit (data, &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ns_stats_save (stats, path, &error));
      back = ns_stats_load (path, &error);
      g_assert_no_error (error);
      a = ns_stats_transform (stats, data, FALSE, &error);
      b = ns_stats_transform (back, data, FALSE, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < 3; j++)
        g_assert_cmpmem (ns_dataset_get_values (a, j), 301 * sizeof (double),
                         ns_dataset_get_values (b, j), 301 * sizeof (double));
    }
  g_unlink (path);
}

/* Column workers and split columns give the same fit as one thread. */
static void
test_thread_counts (void)
{
  g_autoptr (JsonNode) root = load_conformance ("sample301");
  g_autoptr (NsDataset) data = fixture_dataset (json_node_get_object (root), 301);
  g_autoptr (NsStats) one = NULL;
  NsScalerOptions options;

  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  options.n_threads = 1;
  one = ns_scaler_fit (data, &options, NULL, NULL);
  for (guint threads = 2; threads <= 7; threads++)
    {
      g_autoptr (NsStats) many = NULL;

      options.n_threads = threads;
      many = ns_scaler_fit (data, &options, NULL, NULL);
      for (guint j = 0; j < 3; j++)
        {
          g_assert_cmpfloat (ns_stats_get_mean (many, j), ==, ns_stats_get_mean (one, j));
          g_assert_cmpfloat (ns_stats_get_variance (many, j), ==, ns_stats_get_variance (one, j));
          g_assert_cmpfloat (ns_stats_get_offset (many, j), ==, ns_stats_get_offset (one, j));
          g_assert_cmpfloat (ns_stats_get_scale (many, j), ==, ns_stats_get_scale (one, j));
        }
    }
}

static void
test_cancel (void)
{
  g_autoptr (NsDataset) data = small_table (1, 2, 3);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  NsScalerOptions options;

  ns_scaler_options_init (&options, NS_METHOD_STANDARD);
  g_cancellable_cancel (cancellable);
  g_assert_null (ns_scaler_fit (data, &options, cancellable, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
}

/* ns_scaler_fit_each gives, for every options entry, the bytes ns_scaler_fit gives alone, and its
 * refusals (Keras on a column with NaN, a bad feature range) without failing the others. */
static void
test_fit_each (void)
{
  g_autoptr (JsonNode) root = load_conformance ("nan");
  JsonObject *fixture = json_node_get_object (root);
  guint n_rows = json_array_get_length (json_object_get_array_member (fixture, "data"));
  g_autoptr (NsDataset) data = fixture_dataset (fixture, n_rows);
  NsScalerOptions options[7];
  NsStats *stats[7];
  GError *errors[7] = { NULL };
  guint refused = 0;

  for (guint m = 0; m < 5; m++)
    ns_scaler_options_init (&options[m], (NsMethod) m);
  ns_scaler_options_init (&options[5], NS_METHOD_ROBUST);
  options[5].quantile_range[0] = 10; /* another range: fitted on its own */
  ns_scaler_options_init (&options[6], NS_METHOD_MINMAX);
  options[6].feature_range[0] = 2; /* MIN > MAX: refused */
  g_assert_true (ns_scaler_fit_each (data, options, 7, NULL, stats, errors));
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsStats) alone = ns_scaler_fit (data, &options[i], NULL, &error);

      if (alone == NULL)
        {
          g_assert_null (stats[i]);
          g_assert_nonnull (errors[i]);
          g_assert_cmpstr (errors[i]->message, ==, error->message);
          g_error_free (errors[i]);
          refused++;
          continue;
        }
      {
        g_autofree char *a = ns_stats_to_json_string (alone);
        g_autofree char *b = ns_stats_to_json_string (stats[i]);

        g_assert_null (errors[i]);
        g_assert_cmpstr (a, ==, b);
        ns_stats_free (stats[i]);
      }
    }
  g_assert_cmpuint (refused, ==, 2); /* keras (NaN in x) and the bad feature range */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scaler/conformance", test_conformance);
  g_test_add_func ("/scaler/refusals", test_refusals);
  g_test_add_func ("/scaler/methods", test_methods_and_options);
  g_test_add_func ("/scaler/params", test_params_labels_source);
  g_test_add_func ("/scaler/fit-each", test_fit_each);
  g_test_add_func ("/scaler/tensor", test_tensor);
  g_test_add_func ("/scaler/save-load-transform", test_save_load_transform);
  g_test_add_func ("/scaler/thread-counts", test_thread_counts);
  g_test_add_func ("/scaler/cancel", test_cancel);
  return g_test_run ();
}
