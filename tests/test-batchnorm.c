/* test-batchnorm.c: the batch-norm simulator against PyTorch, Keras and Flax vectors
 * (tests/gen-batchnorm-vectors.py), plus shuffling, variants, renorm, stats and bad input.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <json-glib/json-glib.h>
#include "core/ns-batchnorm.h"
#include "core/ns-error.h"
#include "core/ns-moments.h"
#include "test-utils.h"

static JsonParser *vectors_parser;
static JsonObject *vectors;

static void
load_vectors (void)
{
  const char *dir = g_getenv ("NS_TEST_DATA");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : "tests/data", "batchnorm",
                                            "vectors.json", NULL);
  g_autoptr (GError) error = NULL;

  vectors_parser = json_parser_new ();
  json_parser_load_from_file (vectors_parser, path, &error);
  g_assert_no_error (error);
  vectors = json_node_get_object (json_parser_get_root (vectors_parser));
}

static double
number (JsonNode *node)
{
  return json_node_get_double (node);
}

static double
array_double (JsonArray *array, guint i)
{
  return number (json_array_get_element (array, i));
}

static double *
copy_column (JsonArray *column)
{
  guint n = json_array_get_length (column);
  double *values = g_new (double, n);

  for (guint i = 0; i < n; i++)
    values[i] = array_double (column, i);
  return values;
}

/* The table fixture (or some of its columns) as a dataset. */
static NsDataset *
table_dataset (JsonArray *selected)
{
  JsonObject *table = json_object_get_object_member (vectors, "table");
  JsonArray *names = json_object_get_array_member (table, "names");
  JsonArray *columns = json_object_get_array_member (table, "columns");
  guint n_columns = selected != NULL ? json_array_get_length (selected) : json_array_get_length (names);
  NsDataset *data = ns_dataset_new_table (json_array_get_length (json_array_get_array_element (columns, 0)));

  for (guint i = 0; i < n_columns; i++)
    {
      guint c = selected != NULL ? (guint) json_array_get_int_element (selected, i) : i;

      ns_dataset_add_numeric_column (data, json_array_get_string_element (names, c),
                                     copy_column (json_array_get_array_element (columns, c)));
    }
  ns_dataset_set_source (data, "table.csv", NULL);
  return data;
}

/* The (N, C, H, W) fixture with axis 1 kept: one column per channel, N*H*W values. */
static NsDataset *
tensor_dataset (void)
{
  JsonObject *tensor = json_object_get_object_member (vectors, "tensor");
  JsonArray *shape_array = json_object_get_array_member (tensor, "shape");
  JsonArray *values = json_object_get_array_member (tensor, "values");
  gsize shape[4];
  guint kept = 1;
  g_autoptr (GError) error = NULL;
  NsDataset *data;
  gsize spatial;

  for (guint i = 0; i < 4; i++)
    shape[i] = (gsize) json_array_get_int_element (shape_array, i);
  data = ns_dataset_new_tensor (shape, 4, &kept, 1, &error);
  g_assert_no_error (error);
  spatial = shape[2] * shape[3];
  g_assert_cmpuint (ns_dataset_get_spatial_size (data), ==, spatial);
  for (guint c = 0; c < shape[1]; c++)
    {
      double *column = ns_dataset_get_column_data (data, ns_dataset_get_feature_column (data, c));

      for (gsize n = 0; n < shape[0]; n++)
        for (gsize k = 0; k < spatial; k++)
          column[n * spatial + k] = array_double (values, (guint) ((n * shape[1] + c) * spatial + k));
    }
  return data;
}

static void
options_from_case (JsonObject *test_case, NsBatchNormOptions *options)
{
  NsBatchNormPreset preset;
  JsonNode *momentum = json_object_get_member (test_case, "momentum");

  g_assert_true (ns_batchnorm_preset_from_string (json_object_get_string_member (test_case, "preset"),
                                                  &preset, NULL));
  ns_batchnorm_options_init (options, preset);
  options->batch_size = (gsize) json_object_get_int_member (test_case, "batch_size");
  options->drop_last = json_object_get_boolean_member (test_case, "drop_last");
  options->epochs = (guint) json_object_get_int_member (test_case, "epochs");
  options->gamma = json_object_get_double_member (test_case, "gamma");
  options->beta = json_object_get_double_member (test_case, "beta");
  if (JSON_NODE_HOLDS_NULL (momentum))
    options->cumulative = TRUE;
  else
    options->momentum = number (momentum);
}

/* The largest relative difference from float32 vectors seen and how many values differ at all,
 * for the log. */
static double f32_worst;
static guint f32_values, f32_differ;

static void
check_series (NsBatchNorm *bn, JsonObject *expected, const char *name, NsSeries series,
              guint n_features, gsize step, double rtol)
{
  JsonArray *values = json_object_get_array_member (expected, name);

  for (guint f = 0; f < n_features; f++)
    {
      double e = array_double (values, f), a = ns_batchnorm_get_value (bn, series, f);

      f32_worst = MAX (f32_worst, e != 0 ? fabs (a - e) / fabs (e) : fabs (a));
      f32_values++;
      f32_differ += a != e;
      ns_test_assert_close (a, e, rtol, 0, "%s at step %" G_GSIZE_FORMAT " [%u]", name,
                            (gsize) step, f);
    }
}

/* float32 vectors: within 2e-7 relative (a float32 ulp is up to 1.2e-7 of the value). */
static void
check_running (NsBatchNorm *bn, JsonObject *expected, guint n_features, gsize step, gboolean f32)
{
  double rtol = f32 ? 2e-7 : 1e-12;

  check_series (bn, expected, "running_mean", NS_SERIES_RUNNING_MEAN, n_features, step, rtol);
  check_series (bn, expected, "running_var", NS_SERIES_RUNNING_VAR, n_features, step, rtol);
  if (json_object_has_member (expected, "batch_var"))
    check_series (bn, expected, "batch_var", NS_SERIES_BATCH_VAR, n_features, step, rtol);
}

/* The training outputs of the rows of one batch (per channel, the batch's values). */
static void
check_train_output (NsBatchNorm *bn, JsonObject *train, guint n_features, gsize spatial)
{
  gsize first = (gsize) json_object_get_int_member (train, "first");
  gsize rows = (gsize) json_object_get_int_member (train, "rows");
  gsize step = (gsize) json_object_get_int_member (train, "step");
  JsonArray *output = json_object_get_array_member (train, "output");
  gsize n = ns_dataset_get_n_samples (ns_batchnorm_get_dataset (bn)) * spatial;
  g_autofree double *out = g_new (double, n);

  for (guint f = 0; f < n_features; f++)
    {
      JsonArray *expected = json_array_get_array_element (output, f);

      ns_batchnorm_training_output (bn, f, out);
      for (gsize i = 0; i < rows * spatial; i++)
        ns_test_assert_close (out[first * spatial + i], array_double (expected, (guint) i), 1e-12,
                              1e-12, "training output at step %" G_GSIZE_FORMAT " [%u]",
                              (gsize) step, (guint) i);
    }
}

static void
check_eval_output (NsBatchNorm *bn, JsonArray *eval, guint n_features, gsize spatial)
{
  gsize n = ns_dataset_get_n_samples (ns_batchnorm_get_dataset (bn)) * spatial;
  g_autofree double *out = g_new (double, n);

  for (guint f = 0; f < n_features; f++)
    {
      JsonArray *expected = json_array_get_array_element (eval, f);

      ns_batchnorm_inference_output (bn, f, out);
      for (gsize i = 0; i < n; i++)
        ns_test_assert_close (out[i], array_double (expected, (guint) i), 1e-12, 1e-12,
                              "eval output at step %" G_GSIZE_FORMAT " [%u]",
                              (gsize) (ns_batchnorm_get_step (bn)), (guint) i);
    }
}

/* A case's own values (one array per column). */
static NsDataset *
values_dataset (JsonArray *columns)
{
  JsonArray *first = json_array_get_array_element (columns, 0);
  NsDataset *data = ns_dataset_new_table (json_array_get_length (first));

  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      g_autofree char *name = g_strdup_printf ("x%u", c);

      ns_dataset_add_numeric_column (data, name, copy_column (json_array_get_array_element (columns, c)));
    }
  ns_dataset_set_source (data, "values.csv", NULL);
  return data;
}

static NsDataset *
case_dataset (JsonObject *test_case)
{
  const char *kind = json_object_get_string_member (test_case, "data");
  JsonNode *columns = json_object_get_member (test_case, "columns");

  if (g_strcmp0 (kind, "tensor") == 0)
    return tensor_dataset ();
  if (g_strcmp0 (kind, "values") == 0)
    return values_dataset (json_object_get_array_member (test_case, "values"));
  return table_dataset (columns != NULL && !JSON_NODE_HOLDS_NULL (columns)
                        ? json_node_get_array (columns) : NULL);
}

static void
run_framework_case (JsonObject *test_case)
{
  g_autoptr (NsDataset) data = case_dataset (test_case);
  gboolean f32 = g_strcmp0 (json_object_get_string_member_with_default (test_case, "dtype", "f64"),
                            "f32") == 0;
  JsonArray *steps = json_object_get_array_member (test_case, "steps");
  JsonArray *trains = json_object_get_array_member (test_case, "train");
  guint n_features = ns_dataset_get_n_features (data), next_train = 0;
  gsize spatial = ns_dataset_get_spatial_size (data);
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;

  g_test_message ("case %s", json_object_get_string_member (test_case, "name"));
  options_from_case (test_case, &options);
  options.float32 = f32;
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_batchnorm_get_n_steps (bn), ==, json_array_get_length (steps));
  for (guint s = 0; s < json_array_get_length (steps); s++)
    {
      g_assert_true (ns_batchnorm_step (bn, &error));
      g_assert_no_error (error);
      check_running (bn, json_array_get_object_element (steps, s), n_features, s + 1, f32);
      if (next_train < json_array_get_length (trains)
          && json_object_get_int_member (json_array_get_object_element (trains, next_train), "step")
             == s + 1)
        check_train_output (bn, json_array_get_object_element (trains, next_train++), n_features,
                            spatial);
    }
  g_assert_cmpuint (next_train, ==, json_array_get_length (trains));
  g_assert_true (ns_batchnorm_is_finished (bn));
  g_assert_cmpint (ns_batchnorm_get_step (bn), ==,
                   json_object_get_int_member (test_case, "num_batches_tracked"));
  if (json_object_has_member (test_case, "eval"))  /* float32 cases: running statistics only */
    check_eval_output (bn, json_object_get_array_member (test_case, "eval"), n_features, spatial);
}

static guint
run_cases (const char *array, const char *prefix)
{
  JsonArray *cases = json_object_get_array_member (vectors, array);
  guint matched = 0;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, i);

      if (!g_str_has_prefix (json_object_get_string_member (test_case, "name"), prefix))
        continue;
      run_framework_case (test_case);
      matched++;
    }
  return matched;
}

static void
test_framework_vectors (gconstpointer prefix)
{
  g_assert_cmpuint (run_cases ("cases", prefix), >, 0);
}

/* --dtype f32 against torch's float32 BatchNorm1d/2d and Flax's float32 rule. */
static void
test_f32_vectors (gconstpointer prefix)
{
  f32_worst = 0;
  f32_values = f32_differ = 0;
  g_assert_cmpuint (run_cases ("cases_f32", prefix), >, 0);
  g_test_message ("%u of %u values differ, by at most %.3g relative", f32_differ, f32_values,
                  f32_worst);
  /* The rules of ns-batchnorm-f32.c give the frameworks' bits: any difference is a regression. */
  g_assert_cmpuint (f32_differ, ==, 0);
}

/* What float64 hides: Flax's fast variance of 1e4 + N(0, 1) is 8 in float32 (the vector's
 * batch_var), and the data's 1.05 in float64. */
static void
test_f32_cancellation (void)
{
  JsonArray *cases = json_object_get_array_member (vectors, "cases_f32");
  JsonObject *demo = json_array_get_object_element (cases, json_array_get_length (cases) - 1);
  g_autoptr (NsDataset) data = case_dataset (demo);
  NsBatchNormOptions options;

  g_assert_cmpstr (json_object_get_string_member (demo, "name"), ==, "flax-f32-cancellation");
  options_from_case (demo, &options);
  for (int f32 = 0; f32 <= 1; f32++)
    {
      g_autoptr (NsBatchNorm) bn = NULL;
      double var;

      options.float32 = f32;
      bn = ns_batchnorm_new (data, &options, NULL);
      g_assert_true (ns_batchnorm_step (bn, NULL));
      var = ns_batchnorm_get_value (bn, NS_SERIES_BATCH_VAR, 0);
      if (f32)
        g_assert_cmpfloat (var, ==, 8.0);
      else
        g_assert_cmpfloat_with_epsilon (var, array_double (json_object_get_array_member (demo,
                                        "var_float64"), 0), 1e-6);
    }
}

static void
test_variants (void)
{
  JsonObject *v = json_object_get_object_member (vectors, "variants");
  JsonArray *steps = json_object_get_array_member (v, "steps");
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;
  g_autofree double *window = NULL;
  gsize n_steps = 0;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = (gsize) json_object_get_int_member (v, "batch_size");
  options.momentum = json_object_get_double_member (v, "momentum");
  options.window = (guint) json_object_get_int_member (v, "window");
  options.averages = NS_AVERAGE_ALL;
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < json_array_get_length (steps); s++)
    {
      JsonObject *expected = json_array_get_object_element (steps, s);

      g_assert_true (ns_batchnorm_step (bn, &error));
      for (NsSeries series = NS_SERIES_EMA_DEBIASED_MEAN; series <= NS_SERIES_EXACT_VAR; series++)
        {
          JsonArray *values = json_object_get_array_member (expected, ns_series_to_string (series));

          for (guint f = 0; f < 3; f++)
            ns_test_assert_close (ns_batchnorm_get_value (bn, series, f), array_double (values, f),
                                  1e-12, 0, "%s at step %" G_GSIZE_FORMAT " [%u]",
                                  ns_series_to_string (series), (gsize) (s + 1), f);
        }
    }
  /* The incremental ring buffer against gsl_movstat over the whole series. */
  for (guint f = 0; f < 3; f++)
    for (NsSeries series = NS_SERIES_BATCH_MEAN; series <= NS_SERIES_BATCH_VAR_UNBIASED; series += 2)
      {
        const double *batch = ns_batchnorm_get_series (bn, series, f, &n_steps);
        const double *ring = ns_batchnorm_get_series (bn, series == NS_SERIES_BATCH_MEAN
                                                          ? NS_SERIES_WINDOW_MEAN
                                                          : NS_SERIES_WINDOW_VAR, f, NULL);

        g_free (window);
        window = g_new (double, n_steps);
        ns_moving_window_mean (batch, n_steps, options.window, window);
        for (gsize i = 0; i < n_steps; i++)
          ns_test_assert_close (ring[i], window[i], 1e-12, 0,
                                "window vs gsl_movstat at step %" G_GSIZE_FORMAT " [%u]",
                                (gsize) (i + 1), f);
      }
}

static void
test_renorm (void)
{
  JsonObject *v = json_object_get_object_member (vectors, "renorm");
  JsonArray *steps = json_object_get_array_member (v, "steps");
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *out = g_new (double, 60);
  NsBatchNormOptions options;
  gboolean clipped = FALSE;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = (gsize) json_object_get_int_member (v, "batch_size");
  options.momentum = json_object_get_double_member (v, "momentum");
  options.eps = json_object_get_double_member (v, "eps");
  options.renorm = TRUE;
  options.renorm_rmax = json_object_get_double_member (v, "r_max");
  options.renorm_dmax = json_object_get_double_member (v, "d_max");
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < json_array_get_length (steps); s++)
    {
      JsonObject *expected = json_array_get_object_element (steps, s);
      gsize first = (gsize) json_object_get_int_member (expected, "first");
      gsize rows = (gsize) json_object_get_int_member (expected, "rows");

      g_assert_true (ns_batchnorm_step (bn, &error));
      check_running (bn, expected, 3, s + 1, FALSE);
      for (guint f = 0; f < 3; f++)
        {
          JsonArray *output = json_array_get_array_element (json_object_get_array_member (expected, "output"), f);
          double r = array_double (json_object_get_array_member (expected, "r"), f);

          clipped |= r == options.renorm_rmax || r == 1.0 / options.renorm_rmax;
          ns_test_assert_close (ns_batchnorm_get_value (bn, NS_SERIES_RENORM_R, f), r, 1e-12, 0,
                                "r at step %" G_GSIZE_FORMAT " [%u]", (gsize) (s + 1), f);
          ns_test_assert_close (ns_batchnorm_get_value (bn, NS_SERIES_RENORM_D, f),
                                array_double (json_object_get_array_member (expected, "d"), f),
                                1e-12, 1e-12, "d at step %" G_GSIZE_FORMAT " [%u]", (gsize) (s + 1),
                                f);
          ns_batchnorm_training_output (bn, f, out);
          for (gsize i = 0; i < rows; i++)
            ns_test_assert_close (out[first + i], array_double (output, (guint) i), 1e-12, 1e-12,
                                  "renorm training output at step %" G_GSIZE_FORMAT " [%u]",
                                  (gsize) (s + 1), (guint) i);
        }
    }
  g_assert_true (clipped);
  check_eval_output (bn, json_object_get_array_member (v, "eval"), 3, 1);
}

static void
run_golden (NsBatchNormPreset preset, gboolean cumulative, JsonObject *expected, double *exact_var)
{
  JsonObject *golden = json_object_get_object_member (vectors, "golden");
  JsonArray *rows = json_object_get_array_member (golden, "rows");
  g_autoptr (NsDataset) data = ns_dataset_new_table (9);
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  const gsize sizes[] = { 3, 2, 4 };
  NsBatchNormOptions options;

  for (guint c = 0; c < 2; c++)
    {
      double *column = g_new (double, 9);

      for (guint r = 0; r < 9; r++)
        column[r] = array_double (json_array_get_array_element (rows, r), c);
      ns_dataset_add_numeric_column (data, c == 0 ? "x0" : "x1", column);
    }
  ns_batchnorm_options_init (&options, preset);
  options.cumulative = cumulative;
  options.batch_sizes = sizes;
  options.n_batch_sizes = 3;
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, &error));
  check_running (bn, expected, 2, 3, FALSE);
  for (guint f = 0; f < 2; f++)
    ns_test_assert_close (ns_batchnorm_get_value (bn, NS_SERIES_EXACT_VAR, f), exact_var[f], 1e-12,
                          0, "exact var at step %" G_GSIZE_FORMAT " [%u]", (gsize) 3, f);
  if (json_object_has_member (expected, "eval_first_row"))
    {
      JsonArray *eval = json_object_get_array_member (expected, "eval_first_row");
      double out[9];

      for (guint f = 0; f < 2; f++)
        {
          ns_batchnorm_inference_output (bn, f, out);
          ns_test_assert_close (out[0], array_double (eval, f), 1e-12, 0,
                                "eval [1, 10] at step %" G_GSIZE_FORMAT " [%u]", (gsize) 3, f);
        }
      g_assert_cmpint (ns_batchnorm_get_step (bn), ==,
                       json_object_get_int_member (expected, "num_batches_tracked"));
    }
}

static void
test_golden (void)
{
  JsonObject *golden = json_object_get_object_member (vectors, "golden");
  JsonObject *pooled = json_object_get_object_member (golden, "pooled");
  double unbiased[2], biased[2];

  for (guint f = 0; f < 2; f++)
    {
      unbiased[f] = array_double (json_object_get_array_member (pooled, "var_unbiased"), f);
      biased[f] = array_double (json_object_get_array_member (pooled, "var"), f);
    }
  run_golden (NS_BATCHNORM_PYTORCH, FALSE, json_object_get_object_member (golden, "pytorch"), unbiased);
  run_golden (NS_BATCHNORM_PYTORCH, TRUE,
              json_object_get_object_member (golden, "pytorch_cumulative"), unbiased);
  run_golden (NS_BATCHNORM_KERAS, FALSE, json_object_get_object_member (golden, "keras"), biased);
}

/* Rows of data reordered (a copy built for the test only). */
static NsDataset *
permuted_table (const NsDataset *data, const gsize *order)
{
  gsize n = ns_dataset_get_n_samples (data);
  NsDataset *out = ns_dataset_new_table (n);

  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    {
      guint column = ns_dataset_get_feature_column (data, f);
      const double *values = ns_dataset_get_values (data, column);
      double *copy = g_new (double, n);

      for (gsize i = 0; i < n; i++)
        copy[i] = values[order[i]];
      ns_dataset_add_numeric_column (out, ns_dataset_get_column_name (data, column), copy);
    }
  return out;
}

static void
expected_permutation (guint64 seed, guint epoch, gsize *order, gsize n)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  for (gsize i = 0; i < n; i++)
    order[i] = i;
  gsl_rng_set (rng, (unsigned long) (seed + epoch - 1));
  gsl_ran_shuffle (rng, order, n, sizeof (gsize));
  gsl_rng_free (rng);
}

static NsBatchNorm *
shuffled_run (const NsDataset *data, guint64 seed, guint epochs, gsize steps)
{
  NsBatchNormOptions options;
  NsBatchNorm *bn;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 7;
  options.epochs = epochs;
  options.shuffle = TRUE;
  options.shuffle_seed = seed;
  bn = ns_batchnorm_new (data, &options, NULL);
  for (gsize s = 0; s < steps; s++)
    g_assert_true (ns_batchnorm_step (bn, NULL));
  return bn;
}

static void
test_shuffle (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  gsize order[60], per_epoch;

  for (guint epoch = 1; epoch <= 3; epoch++)
    {
      g_autoptr (NsBatchNorm) bn = shuffled_run (data, 42, 3, 0);
      g_autoptr (NsBatchNorm) other_seed = NULL;
      g_autoptr (NsDataset) reordered = NULL;
      g_autoptr (NsBatchNorm) plain = NULL;
      NsBatchNormOptions options;
      gboolean seen[60] = { FALSE };

      per_epoch = ns_batchnorm_get_batches_per_epoch (bn);
      for (gsize s = 0; s < per_epoch * epoch; s++)
        g_assert_true (ns_batchnorm_step (bn, NULL));
      /* Every row exactly once per epoch, in the documented GSL order. */
      expected_permutation (42, epoch, order, 60);
      for (gsize i = 0; i < 60; i++)
        {
          g_assert_cmpuint (ns_batchnorm_get_permutation (bn)[i], ==, order[i]);
          g_assert_false (seen[order[i]]);
          seen[order[i]] = TRUE;
        }
      other_seed = shuffled_run (data, 43, 3, per_epoch * epoch);
      g_assert_true (memcmp (ns_batchnorm_get_permutation (other_seed), order, sizeof order) != 0);
      if (epoch != 1)
        continue;
      /* Shuffled epoch 1 = file order on the permuted rows, bit for bit. */
      reordered = permuted_table (data, order);
      ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
      options.batch_size = 7;
      plain = ns_batchnorm_new (reordered, &options, NULL);
      g_assert_true (ns_batchnorm_run (plain, NULL, NULL, NULL, NULL));
      for (guint f = 0; f < 3; f++)
        for (NsSeries s = NS_SERIES_BATCH_MEAN; s <= NS_SERIES_RUNNING_VAR; s++)
          g_assert_cmpfloat (ns_batchnorm_get_value (plain, s, f), ==, ns_batchnorm_get_value (bn, s, f));
    }
}

/* The inlined shuffle draws exactly as gsl_ran_shuffle, at sizes around its look-ahead. */
static void
test_shuffle_sizes (void)
{
  static const gsize sizes[] = { 2, 3, 8, 9, 10, 17, 1000, 100003 };
  static const guint64 seeds[] = { 0, 7, 4294967296ull + 5 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint k = 0; k < G_N_ELEMENTS (seeds); k++)
      {
        gsize n = sizes[i];
        g_autoptr (NsDataset) data = ns_dataset_new_table (n);
        g_autofree gsize *order = g_new (gsize, n);
        g_autoptr (NsBatchNorm) bn = NULL;
        NsBatchNormOptions options;
        double *x = g_new (double, n);

        for (gsize r = 0; r < n; r++)
          x[r] = (double) r;
        ns_dataset_add_numeric_column (data, "x", x);
        ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
        options.batch_size = 2;
        options.drop_last = TRUE;  /* no last batch of one row */
        options.epochs = 2;
        options.shuffle = TRUE;
        options.shuffle_seed = seeds[k];
        bn = ns_batchnorm_new (data, &options, NULL);
        for (guint epoch = 1; epoch <= 2; epoch++)
          {
            g_assert_true (ns_batchnorm_step (bn, NULL));
            expected_permutation (seeds[k], epoch, order, n);
            g_assert_true (memcmp (ns_batchnorm_get_permutation (bn), order,
                                   n * sizeof (gsize)) == 0);
            while (ns_batchnorm_get_step (bn) % ns_batchnorm_get_batches_per_epoch (bn) != 0)
              g_assert_true (ns_batchnorm_step (bn, NULL));
          }
      }
}

static void
test_large_mean (void)
{
  JsonObject *large = json_object_get_object_member (vectors, "large_mean");
  double expected = json_object_get_double_member (large, "var");
  g_autoptr (NsDataset) data = ns_dataset_new_table (8);
  double two_pass = NAN, fast = NAN;

  ns_dataset_add_numeric_column (data, "x",
                                 copy_column (json_object_get_array_member (large, "values")));
  for (NsBatchNormPreset preset = NS_BATCHNORM_PYTORCH; preset <= NS_BATCHNORM_FLAX;
       preset += NS_BATCHNORM_FLAX)
    {
      g_autoptr (NsBatchNorm) bn = NULL;
      NsBatchNormOptions options;

      ns_batchnorm_options_init (&options, preset);
      options.batch_size = 8;
      bn = ns_batchnorm_new (data, &options, NULL);
      g_assert_true (ns_batchnorm_step (bn, NULL));
      if (preset == NS_BATCHNORM_PYTORCH)
        two_pass = ns_batchnorm_get_value (bn, NS_SERIES_BATCH_VAR, 0);
      else
        fast = ns_batchnorm_get_value (bn, NS_SERIES_BATCH_VAR, 0);
    }
  ns_test_assert_close (two_pass, expected, 1e-12, 0,
                        "two-pass variance at step %" G_GSIZE_FORMAT " [%u]", (gsize) 1, 0);
  /* Flax's E[x^2] - E[x]^2 loses every digit at 1e8: the weakness the preset shows. */
  g_assert_cmpfloat (fabs (fast - expected), >, 0.01 * expected);
  g_assert_cmpfloat (fast, >=, 0.0);
}

static void
assert_new_fails (const NsDataset *data, const NsBatchNormOptions *options, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsBatchNorm) bn = ns_batchnorm_new (data, options, &error);

  g_assert_null (bn);
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad_input (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;
  NsBatchNormPreset preset;
  guint averages = 0, window = 10;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 0;
  assert_new_fails (data, &options, "batch size must be at least 1, got 0");
  options.batch_size = 61;
  options.drop_last = TRUE;
  assert_new_fails (data, &options, "table.csv: no batches: batch size 61 is larger than the 60 rows "
                                    "and drop_last discards the incomplete batch");
  ns_batchnorm_options_init (&options, NS_BATCHNORM_KERAS);
  options.momentum = 1.5;
  assert_new_fails (data, &options, "momentum must be in [0, 1], got 1.5");
  options.momentum = -0.1;
  assert_new_fails (data, &options, "momentum must be in [0, 1], got -0.1");
  options.momentum = 0.9;
  options.eps = -1e-3;
  assert_new_fails (data, &options, "eps must be >= 0, got -0.001");

  g_assert_false (ns_batchnorm_preset_from_string ("caffe", &preset, &error));
  g_assert_cmpstr (error->message, ==,
                   "unknown preset 'caffe' (expected pytorch, keras, keras-fused or flax)");
  g_clear_error (&error);
  g_assert_false (ns_average_parse ("ema,median", &averages, &window, &error));
  g_assert_cmpstr (error->message, ==, "unknown moving average 'median' (expected ema, "
                                       "ema-debiased, cumulative, warmup, window:W or exact)");
  g_clear_error (&error);
  g_assert_false (ns_average_parse ("window:0", &averages, &window, &error));
  g_assert_cmpstr (error->message, ==, "window size must be a positive integer, got '0'");
  g_clear_error (&error);
  g_assert_true (ns_average_parse ("ema, window:20,exact", &averages, &window, &error));
  g_assert_cmpuint (averages, ==, NS_AVERAGE_EMA | NS_AVERAGE_WINDOW | NS_AVERAGE_EXACT);
  g_assert_cmpuint (window, ==, 20);

  /* 60 rows in batches of 59: the second batch has one value per channel. */
  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 59;
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  g_assert_false (ns_batchnorm_run (bn, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "table.csv: expected more than 1 value per channel when "
                                       "training, got input of size [1, 3] at step 2");
  g_assert_cmpuint (ns_batchnorm_get_step (bn), ==, 1);
}

/* Runs that make no sense are refused before anything is allocated; a cancelled run stops at once. */
static void
test_limits (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 6;  /* 10 batches per epoch */
  options.record_history = FALSE;
  options.epochs = G_MAXUINT;
  assert_new_fails (data, &options, "4294967295 epochs x 10 batches per epoch: more steps than the "
                                    "1000000000 a run may have");
  options.epochs = 100000000;  /* exactly the limit */
  g_clear_pointer (&bn, ns_batchnorm_free);
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_batchnorm_get_n_steps (bn), ==, NS_BATCHNORM_MAX_STEPS);
  for (guint n_threads = 1; n_threads <= 2; n_threads++)
    {
      g_clear_pointer (&bn, ns_batchnorm_free);
      options.n_threads = n_threads;
      bn = ns_batchnorm_new (data, &options, &error);
      g_cancellable_cancel (cancellable);
      g_assert_false (ns_batchnorm_run (bn, cancellable, NULL, NULL, &error));
      g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
      g_assert_cmpuint (ns_batchnorm_get_step (bn), ==, 0);
      g_clear_error (&error);
    }
  options.epochs = 2;
  options.averages |= NS_AVERAGE_WINDOW;
  options.window = 1000000000;
  assert_new_fails (data, &options, "window size 1000000000: the run has 20 steps (epochs x batches "
                                    "per epoch), expected a window of at most 20");
  options.window = 20;
  g_clear_pointer (&bn, ns_batchnorm_free);
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, &error));
}

static void
test_gap_and_outputs (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (NsBatchNorm) bn = NULL;
  double train[60], eval[60];
  NsBatchNormOptions options;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 32;
  options.drop_last = TRUE;
  options.epochs = 2;
  bn = ns_batchnorm_new (data, &options, NULL);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
  for (guint f = 0; f < 3; f++)
    {
      double sum = 0;

      ns_batchnorm_training_output (bn, f, train);
      ns_batchnorm_inference_output (bn, f, eval);
      for (guint i = 0; i < 32; i++)
        sum += fabs (train[i] - eval[i]);
      for (guint i = 32; i < 60; i++)
        g_assert_true (isnan (train[i]));  /* dropped by drop_last */
      ns_test_assert_close (ns_batchnorm_train_inference_gap (bn, f), sum / 32, 1e-12, 0,
                            "gap at step %" G_GSIZE_FORMAT " [%u]", (gsize) 2, f);
    }
}

/* Training outputs and the gap: one pass or two, with the recorded batch statistics or batches
 * summarised again, all bit for bit; the gap sums |training - inference| in training order. */
static void
check_outputs_one_pass (const NsDataset *data, const NsBatchNormOptions *options, gsize steps)
{
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  gsize spatial = ns_dataset_get_spatial_size (data);
  g_autofree double *train = g_new (double, n);
  g_autofree double *eval = g_new (double, n);
  g_autofree double *one_pass = g_new (double, n);
  g_autofree double *recomputed = g_new (double, n);
  NsBatchNormOptions no_history = *options;
  g_autoptr (NsBatchNorm) bn = ns_batchnorm_new (data, options, NULL);
  g_autoptr (NsBatchNorm) plain = NULL;

  no_history.record_history = FALSE;
  plain = ns_batchnorm_new (data, &no_history, NULL);
  for (gsize s = 0; s < steps; s++)
    g_assert_true (ns_batchnorm_step (bn, NULL) && ns_batchnorm_step (plain, NULL));
  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    {
      gsize epoch_start = (steps - 1) / ns_batchnorm_get_batches_per_epoch (bn)
                          * ns_batchnorm_get_batches_per_epoch (bn);
      const gsize *order = ns_batchnorm_get_permutation (bn);
      double gap = ns_batchnorm_train_inference_gap (bn, f), sum = 0, count = 0;

      ns_batchnorm_training_output (bn, f, train);
      ns_batchnorm_inference_output (bn, f, eval);
      g_assert_cmpfloat (ns_batchnorm_training_output_and_gap (bn, f, one_pass), ==, gap);
      g_assert_true (memcmp (train, one_pass, n * sizeof (double)) == 0);
      ns_batchnorm_training_output (plain, f, recomputed);
      g_assert_true (memcmp (train, recomputed, n * sizeof (double)) == 0);
      g_assert_cmpfloat (ns_batchnorm_train_inference_gap (plain, f), ==, gap);
      for (gsize step = epoch_start + 1; step <= steps; step++)
        {
          gsize first, n_rows;

          ns_batchnorm_get_step_rows (bn, step, &first, &n_rows);
          for (gsize p = first; p < first + n_rows; p++)
            for (gsize k = 0; k < spatial; k++)
              {
                gsize i = (order != NULL ? order[p] : p) * spatial + k;

                sum += fabs (train[i] - eval[i]);
                count++;
              }
        }
      g_assert_cmpfloat (gap, ==, sum / count);
    }
}

static void
test_outputs_one_pass (void)
{
  g_autoptr (NsDataset) table = table_dataset (NULL);
  g_autoptr (NsDataset) tensor = tensor_dataset ();
  NsBatchNormOptions options;

  for (NsBatchNormPreset preset = NS_BATCHNORM_PYTORCH; preset <= NS_BATCHNORM_FLAX; preset++)
    for (guint variant = 0; variant < 4; variant++)
      {
        ns_batchnorm_options_init (&options, preset);
        options.batch_size = 7;
        options.epochs = 2;
        options.shuffle = variant != 1;
        options.shuffle_seed = variant;
        options.renorm = variant >= 2;
        options.gamma = variant == 3 ? 1.5 : 1;
        options.beta = variant == 3 ? -0.25 : 0;
        /* All steps, and part of the second epoch. */
        check_outputs_one_pass (table, &options, 18);
        check_outputs_one_pass (table, &options, 11);
        options.batch_size = 2;
        check_outputs_one_pass (tensor, &options, 2 * (ns_dataset_get_n_samples (tensor) / 2));
        /* float32 (pytorch and flax, no renorm): the batches summarised again in float32 */
        options.float32 = !options.renorm && (preset == NS_BATCHNORM_PYTORCH
                                              || preset == NS_BATCHNORM_FLAX);
        if (options.float32)
          {
            check_outputs_one_pass (tensor, &options, 2 * (ns_dataset_get_n_samples (tensor) / 2));
            options.batch_size = 7;
            check_outputs_one_pass (table, &options, 11);
          }
      }
}

/* The full-data statistics: the same whether kept from an earlier call or not. */
static void
test_exact_stats (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  NsBatchNormOptions options;
  g_autoptr (NsBatchNorm) one = NULL;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.only_feature = 1;
  one = ns_batchnorm_new (data, &options, NULL);
  for (guint f = 0; f < 3; f++)
    for (guint ddof = 0; ddof <= 1; ddof++)
      for (guint call = 0; call < 2; call++)
        {
          const double *x = ns_dataset_get_values (data, ns_dataset_get_feature_column (data, f));
          double count, missing, mean, variance;
          NsMoments moments;

          ns_moments_init (&moments);
          ns_moments_add (&moments, x, ns_dataset_get_n_samples (data), 1);
          ns_batchnorm_exact_stats (one, f, &count, &missing, &mean, &variance, ddof);
          g_assert_cmpfloat (count, ==, moments.count);
          g_assert_cmpfloat (missing, ==, moments.missing);
          g_assert_cmpfloat (mean, ==, moments.mean);
          g_assert_cmpfloat (variance, ==, ns_moments_variance (&moments, ddof));
        }
}


static void
test_stats (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (NsStats) stats = NULL;
  NsBatchNormOptions options;
  JsonObject *params;
  double value, count, missing, mean, variance;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_KERAS);
  options.batch_size = 7;
  options.averages = NS_AVERAGE_ALL;
  options.window = 3;
  bn = ns_batchnorm_new (data, &options, NULL);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
  stats = ns_batchnorm_to_stats (bn);
  g_assert_cmpstr (ns_stats_get_method (stats), ==, "batchnorm");
  params = ns_stats_get_params (stats);
  g_assert_cmpstr (json_object_get_string_member (params, "preset"), ==, "keras");
  g_assert_cmpstr (json_object_get_string_member (params, "momentum_convention"), ==, "weight-of-old");
  g_assert_cmpfloat (json_object_get_double_member (params, "momentum"), ==, 0.99);
  g_assert_cmpfloat (json_object_get_double_member (params, "eps"), ==, 1e-3);
  g_assert_cmpint (json_object_get_int_member (params, "batch_size"), ==, 7);
  g_assert_true (json_object_get_null_member (params, "shuffle"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (params, "averages")), ==, 6);
  g_assert_cmpint (json_object_get_int_member (ns_stats_get_extra (stats), "num_batches_tracked"), ==, 9);
  for (guint f = 0; f < 3; f++)
    {
      double rv = ns_batchnorm_get_value (bn, NS_SERIES_RUNNING_VAR, f);

      g_assert_cmpfloat (ns_stats_get_offset (stats, f), ==,
                         ns_batchnorm_get_value (bn, NS_SERIES_RUNNING_MEAN, f));
      g_assert_cmpfloat (ns_stats_get_scale (stats, f), ==, sqrt (rv + 1e-3));
      g_assert_true (ns_stats_get_field (stats, f, "running_var", &value) && value == rv);
      g_assert_true (ns_stats_get_field (stats, f, "window_mean", &value));
      g_assert_true (ns_stats_get_field (stats, f, "ema_debiased_var_distance", &value));
      g_assert_true (ns_stats_get_field (stats, f, "train_inference_gap", &value));
      ns_batchnorm_exact_stats (bn, f, &count, &missing, &mean, &variance, 0);
      g_assert_cmpfloat (ns_stats_get_mean (stats, f), ==, mean);
      g_assert_cmpfloat (ns_stats_get_variance (stats, f), ==, variance);
      /* Every batch used once: the pooled exact variant is the full-data statistic. */
      ns_test_assert_close (ns_batchnorm_get_value (bn, NS_SERIES_EXACT_MEAN, f), mean, 1e-12, 0,
                            "exact mean at step %" G_GSIZE_FORMAT " [%u]", (gsize) 9, f);
      ns_test_assert_close (ns_batchnorm_get_value (bn, NS_SERIES_EXACT_VAR, f), variance, 1e-12, 0,
                            "exact var at step %" G_GSIZE_FORMAT " [%u]", (gsize) 9, f);
    }
}

/* The GUI's fast path (one feature, no history) gives the same numbers. */
static void
test_only_feature (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (NsBatchNorm) all = NULL;
  g_autoptr (NsBatchNorm) one = NULL;
  NsBatchNormOptions options;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_FLAX);
  options.batch_size = 5;
  options.averages = NS_AVERAGE_ALL;
  all = ns_batchnorm_new (data, &options, NULL);
  options.only_feature = 2;
  options.record_history = FALSE;
  one = ns_batchnorm_new (data, &options, NULL);
  g_assert_true (ns_batchnorm_run (all, NULL, NULL, NULL, NULL));
  g_assert_true (ns_batchnorm_run (one, NULL, NULL, NULL, NULL));
  g_assert_null (ns_batchnorm_get_series (one, NS_SERIES_RUNNING_MEAN, 2, NULL));
  g_assert_nonnull (ns_batchnorm_get_series (all, NS_SERIES_RUNNING_MEAN, 2, NULL));
  g_assert_true (isnan (ns_batchnorm_get_value (one, NS_SERIES_RUNNING_MEAN, 0)));
  for (NsSeries s = 0; s < NS_SERIES_RENORM_R; s++)
    g_assert_cmpfloat (ns_batchnorm_get_value (all, s, 2), ==, ns_batchnorm_get_value (one, s, 2));
}

/* A table of n_features columns of n rows (varied scales), for runs that need more channels. */
static NsDataset *
random_table (guint n_features, gsize n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  NsDataset *data = ns_dataset_new_table (n);

  for (guint f = 0; f < n_features; f++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", f);
      double *values = g_new (double, n);

      for (gsize i = 0; i < n; i++)
        values[i] = (f + 1) * g_rand_double_range (rand, -1, 1) + 100.0 * f;
      ns_dataset_add_numeric_column (data, name, values);
    }
  return data;
}

static NsBatchNorm *
run_with_threads (const NsDataset *data, const NsBatchNormOptions *base, guint n_threads,
                  GError **error)
{
  NsBatchNormOptions options = *base;
  NsBatchNorm *bn;

  options.n_threads = n_threads;
  bn = ns_batchnorm_new (data, &options, error);
  g_assert_nonnull (bn);
  ns_batchnorm_run (bn, NULL, NULL, NULL, error);
  return bn;
}

/* Channels on any number of threads: every series of every step, the same bits as one thread,
 * with shuffled epochs, renorm and every variant; a batch of one value fails at the same step. */
static void
test_threads_identical (void)
{
  g_autoptr (NsDataset) data = random_table (5, 1001, 3);
  const gsize sizes[] = { 7, 1000 };  /* 1000: the second batch holds one row */

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint shuffle = 0; shuffle <= 1; shuffle++)
      {
        g_autoptr (GError) single_error = NULL;
        g_autoptr (NsBatchNorm) single = NULL;
        NsBatchNormOptions options;

        ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
        options.batch_size = sizes[s];
        options.epochs = 3;
        options.shuffle = shuffle;
        options.shuffle_seed = 11;
        options.averages = NS_AVERAGE_ALL;
        options.window = 5;  /* at most the 6 steps of the shorter run */
        options.renorm = shuffle;
        single = run_with_threads (data, &options, 1, &single_error);
        g_assert_true ((single_error != NULL) == (s == 1));
        for (guint n_threads = 2; n_threads <= 6; n_threads += 2)
          {
            g_autoptr (GError) error = NULL;
            g_autoptr (NsBatchNorm) threaded = run_with_threads (data, &options, n_threads, &error);

            g_assert_cmpuint (ns_batchnorm_get_step (threaded), ==, ns_batchnorm_get_step (single));
            if (single_error != NULL)
              g_assert_cmpstr (error->message, ==, single_error->message);
            else
              g_assert_no_error (error);
            for (guint series = 0; series < NS_N_SERIES; series++)
              for (guint f = 0; f < 5 && ns_batchnorm_has_series (single, series); f++)
                {
                  gsize n_a, n_b;
                  const double *a = ns_batchnorm_get_series (single, series, f, &n_a);
                  const double *b = ns_batchnorm_get_series (threaded, series, f, &n_b);

                  g_assert_cmpuint (n_a, ==, n_b);
                  g_assert_cmpmem (a, n_a * sizeof (double), b, n_b * sizeof (double));
                }
          }
      }
}

/* --dtype f32 on threads: the same bits as one thread, for both float32 rules. */
static void
test_f32_threads_identical (void)
{
  g_autoptr (NsDataset) data = random_table (5, 1001, 4);
  const NsBatchNormPreset presets[] = { NS_BATCHNORM_PYTORCH, NS_BATCHNORM_FLAX };

  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    {
      g_autoptr (NsBatchNorm) single = NULL;
      g_autoptr (NsBatchNorm) threaded = NULL;
      NsBatchNormOptions options;

      ns_batchnorm_options_init (&options, presets[p]);
      options.batch_size = 7;
      options.epochs = 2;
      options.shuffle = TRUE;
      options.float32 = TRUE;
      single = run_with_threads (data, &options, 1, NULL);
      threaded = run_with_threads (data, &options, 3, NULL);
      g_assert_true (ns_batchnorm_is_finished (single) && ns_batchnorm_is_finished (threaded));
      for (guint f = 0; f < 5; f++)
        for (NsSeries series = 0; series < NS_N_SERIES; series++)
          {
            gsize n_a = 0, n_b = 0;
            const double *a = ns_batchnorm_get_series (single, series, f, &n_a);
            const double *b = ns_batchnorm_get_series (threaded, series, f, &n_b);

            g_assert_cmpmem (a, n_a * sizeof (double), b, n_b * sizeof (double));
          }
      /* float32 values, held in doubles */
      g_assert_cmpfloat (ns_batchnorm_get_value (single, NS_SERIES_RUNNING_VAR, 0), ==,
                         (float) ns_batchnorm_get_value (single, NS_SERIES_RUNNING_VAR, 0));
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_vectors ();
  g_test_add_data_func ("/batchnorm/pytorch/batchnorm1d", "torch1d", test_framework_vectors);
  g_test_add_data_func ("/batchnorm/pytorch/batchnorm2d", "torch2d", test_framework_vectors);
  g_test_add_data_func ("/batchnorm/keras", "keras-b", test_framework_vectors);
  g_test_add_data_func ("/batchnorm/keras-fused", "keras-fused", test_framework_vectors);
  g_test_add_data_func ("/batchnorm/flax", "flax", test_framework_vectors);
  g_test_add_data_func ("/batchnorm/f32/pytorch", "torch", test_f32_vectors);
  g_test_add_data_func ("/batchnorm/f32/flax", "flax", test_f32_vectors);
  g_test_add_func ("/batchnorm/f32/cancellation", test_f32_cancellation);
  g_test_add_func ("/batchnorm/f32/threads-identical", test_f32_threads_identical);
  g_test_add_func ("/batchnorm/variants", test_variants);
  g_test_add_func ("/batchnorm/renorm", test_renorm);
  g_test_add_func ("/batchnorm/golden", test_golden);
  g_test_add_func ("/batchnorm/shuffle", test_shuffle);
  g_test_add_func ("/batchnorm/shuffle-sizes", test_shuffle_sizes);
  g_test_add_func ("/batchnorm/large-mean", test_large_mean);
  g_test_add_func ("/batchnorm/bad-input", test_bad_input);
  g_test_add_func ("/batchnorm/limits", test_limits);
  g_test_add_func ("/batchnorm/gap-and-outputs", test_gap_and_outputs);
  g_test_add_func ("/batchnorm/outputs-one-pass", test_outputs_one_pass);
  g_test_add_func ("/batchnorm/exact-stats", test_exact_stats);
  g_test_add_func ("/batchnorm/stats", test_stats);
  g_test_add_func ("/batchnorm/only-feature", test_only_feature);
  g_test_add_func ("/batchnorm/threads-identical", test_threads_identical);
  status = g_test_run ();
  g_object_unref (vectors_parser);
  return status;
}
