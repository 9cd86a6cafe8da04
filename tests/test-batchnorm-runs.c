/* test-batchnorm-runs.c: the batch-norm simulator's runs: large means, refused input and limits,
 * training outputs and the gap, the full-data statistics, and threads giving the same bits.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-batchnorm-helpers.h"

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

/* skip_non_finite leaves out the samples where the simulated feature is NaN or infinite: the run
 * equals, bit for bit, the run on a file without those rows; without it, check_finite refuses. */
static void
test_skip_non_finite (void)
{
  g_autoptr (NsDataset) messy = ns_dataset_new_table (40), clean = ns_dataset_new_table (37);
  double *x = g_new (double, 40), *y = g_new (double, 37), *other = g_new (double, 40);
  g_autoptr (NsBatchNorm) skipped = NULL, plain = NULL, refused = NULL;
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;
  gsize k = 0;

  for (gsize i = 0; i < 40; i++)
    {
      x[i] = i == 3 ? NAN : i == 17 ? -INFINITY : i == 30 ? NAN : sin ((double) i) * 10 + i;
      other[i] = (double) i;
      if (isfinite (x[i]))
        y[k++] = x[i];
    }
  other[5] = NAN; /* another feature's missing value does not drop the row */
  ns_dataset_add_numeric_column (messy, "other", other);
  ns_dataset_add_numeric_column (messy, "x", x);
  ns_dataset_count_missing (messy);
  ns_dataset_add_numeric_column (clean, "x", y);
  ns_dataset_count_missing (clean);
  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 8;
  options.only_feature = 1;
  options.skip_non_finite = TRUE;
  skipped = ns_batchnorm_new (messy, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_batchnorm_get_n_skipped (skipped), ==, 3);
  g_assert_cmpuint (ns_dataset_get_n_samples (ns_batchnorm_get_dataset (skipped)), ==, 37);
  g_assert_true (ns_batchnorm_run (skipped, NULL, NULL, NULL, &error));
  g_assert_true (ns_batchnorm_check_finite (skipped, "messy.csv", &error));
  options.only_feature = 0;
  options.skip_non_finite = FALSE;
  plain = ns_batchnorm_new (clean, &options, &error);
  g_assert_true (ns_batchnorm_run (plain, NULL, NULL, NULL, &error));
  for (NsSeries series = NS_SERIES_RUNNING_MEAN; series <= NS_SERIES_RUNNING_VAR; series++)
    g_assert_cmpfloat (ns_batchnorm_get_value (skipped, series, 1), ==,
                       ns_batchnorm_get_value (plain, series, 0));

  options.only_feature = 1;
  refused = ns_batchnorm_new (messy, &options, &error);
  g_assert_true (ns_batchnorm_run (refused, NULL, NULL, NULL, &error));
  g_assert_false (ns_batchnorm_check_finite (refused, "messy.csv", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "messy.csv: data row 4, column 'x' is NaN"));
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
  assert_new_fails (data, &options,
                    "table.csv: no batches: batch size 61 is larger than the 60 rows "
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
  g_assert_cmpstr (error->message, ==,
                   "unknown moving average 'median' (expected ema, "
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
  g_assert_cmpstr (error->message, ==,
                   "table.csv: expected more than 1 value per channel when "
                   "training, got input of size [1, 3] at step 2");
  g_assert_cmpuint (ns_batchnorm_get_step (bn), ==, 1);
}

/* Runs that make no sense are refused before anything is allocated; a cancelled run stops at once.
 */
static void
test_limits (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (NsBatchNorm) bn = NULL;
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions options;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 6; /* 10 batches per epoch */
  options.record_history = FALSE;
  options.epochs = G_MAXUINT;
  assert_new_fails (data, &options,
                    "4294967295 epochs x 10 batches per epoch: more steps than the "
                    "1000000000 a run may have");
  options.epochs = 100000000; /* exactly the limit */
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
  assert_new_fails (data, &options,
                    "window size 1000000000: the run has 20 steps (epochs x batches "
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
        g_assert_true (isnan (train[i])); /* dropped by drop_last */
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
      gsize epoch_start = (steps - 1) / ns_batchnorm_get_batches_per_epoch (bn) *
                          ns_batchnorm_get_batches_per_epoch (bn);
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
        options.float32 =
          !options.renorm && (preset == NS_BATCHNORM_PYTORCH || preset == NS_BATCHNORM_FLAX);
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
  g_assert_cmpstr (json_object_get_string_member (params, "momentum_convention"), ==,
                   "weight-of-old");
  g_assert_cmpfloat (json_object_get_double_member (params, "momentum"), ==, 0.99);
  g_assert_cmpfloat (json_object_get_double_member (params, "eps"), ==, 1e-3);
  g_assert_cmpint (json_object_get_int_member (params, "batch_size"), ==, 7);
  g_assert_true (json_object_get_null_member (params, "shuffle"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (params, "averages")), ==,
                    6);
  g_assert_cmpint (json_object_get_int_member (ns_stats_get_extra (stats), "num_batches_tracked"),
                   ==, 9);
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
  const gsize sizes[] = { 7, 1000 }; /* 1000: the second batch holds one row */

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
        options.window = 5; /* at most the 6 steps of the shorter run */
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
  g_test_add_func ("/batchnorm/f32/threads-identical", test_f32_threads_identical);
  g_test_add_func ("/batchnorm/large-mean", test_large_mean);
  g_test_add_func ("/batchnorm/bad-input", test_bad_input);
  g_test_add_func ("/batchnorm/limits", test_limits);
  g_test_add_func ("/batchnorm/gap-and-outputs", test_gap_and_outputs);
  g_test_add_func ("/batchnorm/skip-non-finite", test_skip_non_finite);
  g_test_add_func ("/batchnorm/outputs-one-pass", test_outputs_one_pass);
  g_test_add_func ("/batchnorm/exact-stats", test_exact_stats);
  g_test_add_func ("/batchnorm/stats", test_stats);
  g_test_add_func ("/batchnorm/only-feature", test_only_feature);
  g_test_add_func ("/batchnorm/threads-identical", test_threads_identical);
  status = g_test_run ();
  g_assert_finalize_object (vectors_parser);
  return status;
}
