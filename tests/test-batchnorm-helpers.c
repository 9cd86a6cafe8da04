/* test-batchnorm-helpers.c: helpers the test-batchnorm suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-batchnorm-helpers.h"

JsonParser *vectors_parser;
JsonObject *vectors;

void
load_vectors (void)
{
  g_autofree char *path = ns_test_data_path ("batchnorm", "vectors.json");
  g_autoptr (GError) error = NULL;

  vectors_parser = json_parser_new ();
  json_parser_load_from_file (vectors_parser, path, &error);
  g_assert_no_error (error);
  vectors = json_node_get_object (json_parser_get_root (vectors_parser));
}

double
number (JsonNode *node)
{
  return json_node_get_double (node);
}

double
array_double (JsonArray *array, guint i)
{
  return number (json_array_get_element (array, i));
}

double *
copy_column (JsonArray *column)
{
  guint n = json_array_get_length (column);
  double *values = g_new (double, n);

  for (guint i = 0; i < n; i++)
    values[i] = array_double (column, i);
  return values;
}

/* The table fixture (or some of its columns) as a dataset. */
NsDataset *
table_dataset (JsonArray *selected)
{
  JsonObject *table = json_object_get_object_member (vectors, "table");
  JsonArray *names = json_object_get_array_member (table, "names");
  JsonArray *columns = json_object_get_array_member (table, "columns");
  guint n_columns =
    selected != NULL ? json_array_get_length (selected) : json_array_get_length (names);
  NsDataset *data =
    ns_dataset_new_table (json_array_get_length (json_array_get_array_element (columns, 0)));

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
NsDataset *
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
          column[n * spatial + k] =
            array_double (values, (guint) ((n * shape[1] + c) * spatial + k));
    }
  return data;
}

void
options_from_case (JsonObject *test_case, NsBatchNormOptions *options)
{
  NsBatchNormPreset preset;
  JsonNode *momentum = json_object_get_member (test_case, "momentum");

  g_assert_true (
    ns_batchnorm_preset_from_string (json_object_get_string_member (test_case, "preset"), &preset,
                                     NULL));
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
double f32_worst;
guint f32_values, f32_differ;

void
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
void
check_running (NsBatchNorm *bn, JsonObject *expected, guint n_features, gsize step, gboolean f32)
{
  double rtol = f32 ? 2e-7 : 1e-12;

  check_series (bn, expected, "running_mean", NS_SERIES_RUNNING_MEAN, n_features, step, rtol);
  check_series (bn, expected, "running_var", NS_SERIES_RUNNING_VAR, n_features, step, rtol);
  if (json_object_has_member (expected, "batch_var"))
    check_series (bn, expected, "batch_var", NS_SERIES_BATCH_VAR, n_features, step, rtol);
}

/* The training outputs of the rows of one batch (per channel, the batch's values). */
void
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

void
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
NsDataset *
values_dataset (JsonArray *columns)
{
  JsonArray *first = json_array_get_array_element (columns, 0);
  NsDataset *data = ns_dataset_new_table (json_array_get_length (first));

  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      g_autofree char *name = g_strdup_printf ("x%u", c);

      ns_dataset_add_numeric_column (data, name,
                                     copy_column (json_array_get_array_element (columns, c)));
    }
  ns_dataset_set_source (data, "values.csv", NULL);
  return data;
}

NsDataset *
case_dataset (JsonObject *test_case)
{
  const char *kind = json_object_get_string_member (test_case, "data");
  JsonNode *columns = json_object_get_member (test_case, "columns");

  if (g_strcmp0 (kind, "tensor") == 0)
    return tensor_dataset ();
  if (g_strcmp0 (kind, "values") == 0)
    return values_dataset (json_object_get_array_member (test_case, "values"));
  return table_dataset (
    columns != NULL && !JSON_NODE_HOLDS_NULL (columns) ? json_node_get_array (columns) : NULL);
}

void
run_framework_case (JsonObject *test_case)
{
  g_autoptr (NsDataset) data = case_dataset (test_case);
  gboolean f32 =
    g_strcmp0 (json_object_get_string_member_with_default (test_case, "dtype", "f64"), "f32") == 0;
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
      if (next_train < json_array_get_length (trains) &&
          json_object_get_int_member (json_array_get_object_element (trains, next_train), "step") ==
            s + 1)
        check_train_output (bn, json_array_get_object_element (trains, next_train++), n_features,
                            spatial);
    }
  g_assert_cmpuint (next_train, ==, json_array_get_length (trains));
  g_assert_true (ns_batchnorm_is_finished (bn));
  g_assert_cmpint (ns_batchnorm_get_step (bn), ==,
                   json_object_get_int_member (test_case, "num_batches_tracked"));
  if (json_object_has_member (test_case, "eval")) /* float32 cases: running statistics only */
    check_eval_output (bn, json_object_get_array_member (test_case, "eval"), n_features, spatial);
}

guint
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
