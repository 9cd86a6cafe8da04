/* test-batchnorm.c: the batch-norm simulator against PyTorch, Keras and Flax vectors (float64
 * and float32), its variants, batch renormalization, the golden runs and shuffling.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-batchnorm-helpers.h"

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
        g_assert_cmpfloat_with_epsilon (
          var, array_double (json_object_get_array_member (demo, "var_float64"), 0), 1e-6);
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
    for (NsSeries series = NS_SERIES_BATCH_MEAN; series <= NS_SERIES_BATCH_VAR_UNBIASED;
         series += 2)
      {
        const double *batch = ns_batchnorm_get_series (bn, series, f, &n_steps);
        const double *ring =
          ns_batchnorm_get_series (bn,
                                   series == NS_SERIES_BATCH_MEAN ? NS_SERIES_WINDOW_MEAN
                                                                  : NS_SERIES_WINDOW_VAR,
                                   f, NULL);

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
          JsonArray *output =
            json_array_get_array_element (json_object_get_array_member (expected, "output"), f);
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
  run_golden (NS_BATCHNORM_PYTORCH, FALSE, json_object_get_object_member (golden, "pytorch"),
              unbiased);
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
          g_assert_cmpfloat (ns_batchnorm_get_value (plain, s, f), ==,
                             ns_batchnorm_get_value (bn, s, f));
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
        options.drop_last = TRUE; /* no last batch of one row */
        options.epochs = 2;
        options.shuffle = TRUE;
        options.shuffle_seed = seeds[k];
        bn = ns_batchnorm_new (data, &options, NULL);
        for (guint epoch = 1; epoch <= 2; epoch++)
          {
            g_assert_true (ns_batchnorm_step (bn, NULL));
            expected_permutation (seeds[k], epoch, order, n);
            g_assert_true (memcmp (ns_batchnorm_get_permutation (bn), order, n * sizeof (gsize)) ==
                           0);
            while (ns_batchnorm_get_step (bn) % ns_batchnorm_get_batches_per_epoch (bn) != 0)
              g_assert_true (ns_batchnorm_step (bn, NULL));
          }
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
  g_test_add_func ("/batchnorm/variants", test_variants);
  g_test_add_func ("/batchnorm/renorm", test_renorm);
  g_test_add_func ("/batchnorm/golden", test_golden);
  g_test_add_func ("/batchnorm/shuffle", test_shuffle);
  g_test_add_func ("/batchnorm/shuffle-sizes", test_shuffle_sizes);
  status = g_test_run ();
  g_assert_finalize_object (vectors_parser);
  return status;
}
