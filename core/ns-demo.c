/* ns-demo.c: the guided demos: their data recipes (GSL mt19937, fixed seeds), settings and the
 * numbers sentence read off the simulator's runs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-demo.h"

#include "config.h"

#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include "ns-reader.h"

typedef enum {
  NS_DEMO_DATA_SAMPLE,
  NS_DEMO_DATA_NORMAL, /* mean + sd * N(0,1) */
  NS_DEMO_DATA_DRIFT,  /* mean + drift * i / n + sd * N(0,1): a stream whose mean moves */
} NsDemoDataKind;

typedef struct {
  NsDemoDataKind kind;
  gsize rows;
  double mean, sd, drift;
  gulong seed;
} NsDemoData;

typedef void (*NsDemoSetup) (NsBatchNormOptions *options, const char **labels, guint *n);
typedef void (*NsDemoNumbers) (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                               const NsDataset *test);

struct _NsDemo {
  const char *id;
  const char *title;
  const char *explanation;
  const char *recipe;
  NsBatchNormFigure figure;
  const char *sample;
  const char *column;
  NsDemoData data;
  NsDemoData test; /* rows == 0: none */
  NsDemoSetup setup;
  NsDemoNumbers numbers;
};

/* Helpers for the numbers sentences. */

static char *
fmt (double value)
{
  return ns_batchnorm_format_number (value);
}

static double
full_mean (NsBatchNorm *bn, guint feature, guint ddof, double *variance)
{
  double count, missing, mean, var;

  ns_batchnorm_exact_stats (bn, feature, &count, &missing, &mean, &var, ddof);
  if (variance)
    *variance = var;
  return mean;
}

static double
series_sd (NsBatchNorm *bn, NsSeries series, guint feature)
{
  gsize n;
  const double *y = ns_batchnorm_get_series (bn, series, feature, &n);

  return y && n > 1 ? gsl_stats_sd_m (y, 1, n, gsl_stats_mean (y, 1, n)) * sqrt ((n - 1.0) / n)
                    : NAN;
}

/* Root mean square distance of a series from a value over the second half of the steps. */
static double
series_rms_from (NsBatchNorm *bn, NsSeries series, guint feature, double value)
{
  gsize n;
  const double *y = ns_batchnorm_get_series (bn, series, feature, &n);
  double sum = 0;

  if (y == NULL || n < 2)
    return NAN;
  for (gsize i = n / 2; i < n; i++)
    sum += (y[i] - value) * (y[i] - value);
  return sqrt (sum / (n - n / 2));
}

static void
append_value (GString *out, const char *format, double value)
{
  g_autofree char *text = fmt (value);

  g_string_append_printf (out, format, text);
}

/* The demos' settings. */

static void
init (NsBatchNormOptions *o, NsBatchNormPreset preset, gsize batch, gboolean shuffle)
{
  ns_batchnorm_options_init (o, preset);
  o->batch_size = batch;
  o->shuffle = shuffle;
  o->shuffle_seed = 0;
  o->record_history = TRUE;
}

static void
setup_small_batches (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_PYTORCH, 4, TRUE);
  init (&o[1], NS_BATCHNORM_PYTORCH, 256, TRUE);
  labels[0] = "B = 4";
  labels[1] = "B = 256";
  *n = 2;
}

static void
numbers_small_batches (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                       const NsDataset *test)
{
  double var;

  full_mean (runs[0], feature, 0, &var);
  g_string_append (out, "Spread (sd) of the batch means: ");
  for (guint r = 0; r < n_runs; r++)
    {
      gsize b = ns_batchnorm_get_options (runs[r])->batch_size;

      append_value (out, "%s", series_sd (runs[r], NS_SERIES_BATCH_MEAN, feature));
      g_string_append_printf (out, " at B = %zu", b);
      append_value (out, " (σ/√B = %s)", sqrt (var / b));
      g_string_append (out, r + 1 < n_runs ? "; " : ".");
    }
}

static void
setup_momentum (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_PYTORCH, 32, FALSE);
  init (&o[1], NS_BATCHNORM_PYTORCH, 32, FALSE);
  o[0].momentum = 0.1;
  o[1].momentum = 0.01;
  labels[0] = "momentum 0.1";
  labels[1] = "momentum 0.01";
  *n = 2;
}

static void
numbers_momentum (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                  const NsDataset *test)
{
  double last = ns_batchnorm_get_value (runs[0], NS_SERIES_BATCH_MEAN, feature);

  append_value (out, "The last batch's mean is %s; the running mean ends at ", last);
  for (guint r = 0; r < n_runs; r++)
    {
      append_value (out, "%s", ns_batchnorm_get_value (runs[r], NS_SERIES_RUNNING_MEAN, feature));
      append_value (out, " with momentum %s", ns_batchnorm_get_options (runs[r])->momentum);
      g_string_append (out, r + 1 < n_runs ? " and " : "");
    }
  append_value (out, " (full-data mean %s).", full_mean (runs[0], feature, 0, NULL));
}

static void
setup_ported (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_KERAS, 32, TRUE);
  init (&o[1], NS_BATCHNORM_KERAS, 32, TRUE);
  o[0].momentum = 0.9;
  o[1].momentum = 0.1;
  labels[0] = "Keras 0.9 (= PyTorch 0.1)";
  labels[1] = "Keras 0.1 (ported verbatim)";
  *n = 2;
}

static void
numbers_ported (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                const NsDataset *test)
{
  double mean = full_mean (runs[0], feature, 0, NULL);

  g_string_append (out, "Typical distance of the running mean from the full-data mean over the "
                        "second half of training: ");
  for (guint r = 0; r < n_runs; r++)
    {
      append_value (out, "%s", series_rms_from (runs[r], NS_SERIES_RUNNING_MEAN, feature, mean));
      append_value (out, " with Keras momentum %s", ns_batchnorm_get_options (runs[r])->momentum);
      g_string_append (out, r + 1 < n_runs ? ", " : ".");
    }
}

static void
setup_unbiased (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_PYTORCH, 4, TRUE);
  init (&o[1], NS_BATCHNORM_PYTORCH, 4, TRUE);
  o[1].unbiased_running_var = FALSE;
  o[0].averages = o[1].averages = NS_AVERAGE_EMA | NS_AVERAGE_CUMULATIVE;
  labels[0] = "n − 1 (PyTorch)";
  labels[1] = "n (biased)";
  *n = 2;
}

static void
numbers_unbiased (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                  const NsDataset *test)
{
  double var;

  full_mean (runs[0], feature, 1, &var);
  g_string_append (out, "Average of the batch variances fed to the running variance: ");
  for (guint r = 0; r < n_runs; r++)
    {
      append_value (out, "%s", ns_batchnorm_get_value (runs[r], NS_SERIES_CUMULATIVE_VAR, feature));
      g_string_append (out, ns_batchnorm_get_options (runs[r])->unbiased_running_var ? " with n − 1"
                                                                                     : " with n");
      g_string_append (out, r + 1 < n_runs ? ", " : "");
    }
  append_value (out, "; the full-data variance is %s.", var);
}

static void
setup_gap (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_PYTORCH, 10, FALSE);
  labels[0] = NULL;
  *n = 1;
}

static double
output_mean (const double *values, gsize n)
{
  double sum = 0;
  gsize count = 0;

  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      sum += values[i], count++;
  return count ? sum / count : NAN;
}

static void
numbers_gap (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
             const NsDataset *test)
{
  const NsDataset *data = ns_batchnorm_get_dataset (runs[0]);
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);
  g_autofree double *train = g_new (double, n);
  g_autofree double *eval = g_new (double, n);

  ns_batchnorm_training_output (runs[0], feature, train);
  ns_batchnorm_inference_output (runs[0], feature, eval);
  append_value (out, "Mean output in training mode %s, ", output_mean (train, n));
  append_value (out, "in inference mode %s; ", output_mean (eval, n));
  append_value (out, "the average |training − inference| gap is %s.",
                ns_batchnorm_train_inference_gap (runs[0], feature));
}

static void
setup_fast_variance (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_FLAX, 64, TRUE);
  init (&o[1], NS_BATCHNORM_KERAS, 64, TRUE);
  labels[0] = "Flax E[x²] − E[x]²";
  labels[1] = "Keras two-pass";
  *n = 2;
}

static void
numbers_fast_variance (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                       const NsDataset *test)
{
  gsize n0, n1;
  const double *fast = ns_batchnorm_get_series (runs[0], NS_SERIES_BATCH_VAR, feature, &n0);
  const double *exact =
    n_runs > 1 ? ns_batchnorm_get_series (runs[1], NS_SERIES_BATCH_VAR, feature, &n1) : NULL;
  double sum = 0, worst = 0, var;

  /* Both runs see the same batches (same seed and size): compare step by step. */
  if (fast == NULL || exact == NULL || n0 != n1 || n0 == 0)
    return;
  for (gsize i = 0; i < n0; i++)
    {
      sum += fabs (fast[i] - exact[i]);
      worst = MAX (worst, fabs (fast[i] - exact[i]));
    }
  full_mean (runs[0], feature, 0, &var);
  append_value (out, "Flax's batch variances are off by %s on average ", sum / n0);
  append_value (out, "(worst %s) ", worst);
  append_value (out, "for data whose variance is %s.", var);
}

/* The float64 run first: the page's controls show it, the float32 run is the comparison. */
static void
setup_float32 (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_FLAX, 64, TRUE);
  init (&o[1], NS_BATCHNORM_FLAX, 64, TRUE);
  o[1].float32 = TRUE;
  labels[0] = "Flax, float64";
  labels[1] = "Flax, float32";
  *n = 2;
}

static double
series_mean (NsBatchNorm *bn, NsSeries series, guint feature, double *largest)
{
  gsize n;
  const double *y = ns_batchnorm_get_series (bn, series, feature, &n);

  if (y == NULL || n == 0)
    return NAN;
  *largest = gsl_stats_max (y, 1, n);
  return gsl_stats_mean (y, 1, n);
}

static void
numbers_float32 (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                 const NsDataset *test)
{
  double largest32, largest64, var;
  double mean64 = series_mean (runs[0], NS_SERIES_BATCH_VAR, feature, &largest64);
  double mean32 =
    n_runs > 1 ? series_mean (runs[1], NS_SERIES_BATCH_VAR, feature, &largest32) : NAN;

  if (n_runs < 2)
    return;
  full_mean (runs[0], feature, 0, &var);
  append_value (out, "In float32 Flax's batch variances average %s ", mean32);
  append_value (out, "(largest %s); ", largest32);
  append_value (out, "in float64 they average %s, ", mean64);
  append_value (out, "and the data's variance is %s.", var);
}

static void
setup_shift (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_PYTORCH, 32, TRUE);
  labels[0] = NULL;
  *n = 1;
}

static void
numbers_shift (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
               const NsDataset *test)
{
  const NsBatchNormOptions *o = ns_batchnorm_get_options (runs[0]);
  double rm = ns_batchnorm_get_value (runs[0], NS_SERIES_RUNNING_MEAN, feature);
  double rv = ns_batchnorm_get_value (runs[0], NS_SERIES_RUNNING_VAR, feature);
  double sum = 0, sum2 = 0, mean;
  const double *x;
  gsize n;

  if (test == NULL || ns_dataset_get_n_features (test) == 0)
    return;
  x = ns_dataset_get_values (test, ns_dataset_get_feature_column (test, 0));
  n = ns_dataset_get_n_samples (test);
  for (gsize i = 0; i < n; i++)
    sum += (x[i] - rm) / ns_batchnorm_inference_scale (rv, o->eps);
  mean = sum / n;
  for (gsize i = 0; i < n; i++)
    sum2 += pow ((x[i] - rm) / ns_batchnorm_inference_scale (rv, o->eps) - mean, 2);
  append_value (out, "The test data normalized with the training running statistics has mean %s ",
                mean);
  append_value (out, "and sd %s, not 0 and 1.", sqrt (sum2 / n));
}

static void
setup_first_layer (NsBatchNormOptions *o, const char **labels, guint *n)
{
  init (&o[0], NS_BATCHNORM_KERAS, 32, FALSE);
  o[0].averages = NS_AVERAGE_EMA | NS_AVERAGE_EXACT;
  labels[0] = NULL;
  *n = 1;
}

static void
numbers_first_layer (GString *out, NsBatchNorm *const *runs, guint n_runs, guint feature,
                     const NsDataset *test)
{
  double var, mean = full_mean (runs[0], feature, 0, &var);

  append_value (out, "Moving mean %s ",
                ns_batchnorm_get_value (runs[0], NS_SERIES_RUNNING_MEAN, feature));
  append_value (out, "and variance %s after one epoch; ",
                ns_batchnorm_get_value (runs[0], NS_SERIES_RUNNING_VAR, feature));
  append_value (out, "a fitted Normalization uses mean %s ", mean);
  append_value (out, "and variance %s.", var);
}

static const NsDemo demos[] = {
  { "small-batches",
    "Small batches make batch statistics noisy",
    "In training, batch norm normalizes with the mean and variance of the current batch. "
    "With 4 rows those are rough guesses that jump from batch to batch; with 256 rows they sit "
    "close to the data's own statistics. The spread of batch means shrinks like σ/√B.",
    "20,000 values x = 5 + 2·N(0,1) (GSL mt19937, seed 1), shuffled each epoch (seed 0).",
    NS_BATCHNORM_FIGURE_BATCH_NOISE,
    NULL,
    NULL,
    { NS_DEMO_DATA_NORMAL, 20000, 5, 2, 0, 1 },
    { 0 },
    setup_small_batches,
    numbers_small_batches },
  { "momentum",
    "Momentum: fast or smooth",
    "The running mean is an exponential moving average of batch means. On a stream whose mean "
    "drifts, PyTorch momentum 0.1 follows the recent batches closely but jitters; 0.01 is "
    "smooth but lags behind the drift.",
    "20,000 values x = 4·i/20000 + N(0,1) in stream order (GSL mt19937, seed 2), batch 32.",
    NS_BATCHNORM_FIGURE_RUNNING,
    NULL,
    NULL,
    { NS_DEMO_DATA_DRIFT, 20000, 0, 1, 4, 2 },
    { 0 },
    setup_momentum,
    numbers_momentum },
  { "ported-momentum",
    "Same word, opposite meaning: PyTorch momentum 0.1 = Keras 0.9",
    "PyTorch's momentum is the weight of the new batch; Keras's is the weight of the old value. "
    "A model ported with momentum=0.1 unchanged keeps 10% of the history in Keras, so its "
    "running statistics are little more than the last batch's.",
    "10,000 values x = 10 + 3·N(0,1) (GSL mt19937, seed 3), shuffled, batch 32.",
    NS_BATCHNORM_FIGURE_RUNNING,
    NULL,
    NULL,
    { NS_DEMO_DATA_NORMAL, 10000, 10, 3, 0, 3 },
    { 0 },
    setup_ported,
    numbers_ported },
  { "unbiased-variance",
    "Why PyTorch stores an unbiased running variance",
    "A batch's biased variance (divided by n) underestimates the variance by the factor "
    "(n − 1)/n, which is large for tiny batches. PyTorch feeds the running variance the unbiased "
    "(n − 1) estimate so that inference sees the data's real spread.",
    "20,000 values x = 2·N(0,1) (GSL mt19937, seed 4), shuffled, batch 4.",
    NS_BATCHNORM_FIGURE_RUNNING,
    NULL,
    NULL,
    { NS_DEMO_DATA_NORMAL, 20000, 0, 2, 0, 4 },
    { 0 },
    setup_unbiased,
    numbers_unbiased },
  { "train-inference-gap",
    "Training-mode vs inference-mode gap",
    "Iris is sorted by species, so unshuffled batches each hold one kind of flower. In "
    "training every batch is centred on itself and the outputs look fine; in inference the "
    "running statistics, dominated by the last batches, shift every output.",
    "data/iris.csv, column petal_length_cm, rows in file order (sorted by species), batch 10.",
    NS_BATCHNORM_FIGURE_GAP,
    "iris",
    "petal_length_cm",
    { NS_DEMO_DATA_SAMPLE },
    { 0 },
    setup_gap,
    numbers_gap },
  { "fast-variance",
    "Fast variance on large values",
    "Flax computes the batch variance as E[x²] − E[x]², which subtracts two numbers near 1e16 "
    "when the data sit near 1e8; double precision keeps only a few bits of the difference. "
    "Keras's two-pass variance stays exact.",
    "10,000 values x = 1e8 + N(0,1) (GSL mt19937, seed 6), shuffled, batch 64.",
    NS_BATCHNORM_FIGURE_BATCH_NOISE,
    NULL,
    NULL,
    { NS_DEMO_DATA_NORMAL, 10000, 1e8, 1, 0, 6 },
    { 0 },
    setup_fast_variance,
    numbers_fast_variance },
  { "float32-fast-variance",
    "Fast variance in float32",
    "Frameworks train in float32, which keeps about seven significant digits. Flax's "
    "E[x²] − E[x]² then subtracts two numbers near 1e8 whose last digits are already rounded "
    "away, so on data near 1e4 the batch variance comes out as a multiple of the rounding step "
    "rather than the data's spread. The same rule in float64 still gets it right.",
    "10,000 values x = 1e4 + N(0,1) (GSL mt19937, seed 9), shuffled, batch 64; the float32 run "
    "rounds every value to float32 (batchnorm --dtype f32).",
    NS_BATCHNORM_FIGURE_BATCH_NOISE,
    NULL,
    NULL,
    { NS_DEMO_DATA_NORMAL, 10000, 1e4, 1, 0, 9 },
    { 0 },
    setup_float32,
    numbers_float32 },
  { "train-test-shift",
    "Train/test shift",
    "Inference normalizes new data with the statistics learned in training. When the test data "
    "come from a shifted, wider distribution, their normalized values are no longer centred "
    "with unit spread.",
    "Training: 10,000 values N(0,1) (GSL mt19937, seed 7); test: 2,000 values 0.5 + 1.5·N(0,1) "
    "(seed 8); batch 32, shuffled.",
    NS_BATCHNORM_FIGURE_GAP,
    NULL,
    NULL,
    { NS_DEMO_DATA_NORMAL, 10000, 0, 1, 0, 7 },
    { NS_DEMO_DATA_NORMAL, 2000, 0.5, 1.5, 0, 8 },
    setup_shift,
    numbers_shift },
  { "first-layer",
    "BatchNormalization as the first layer vs a fitted Normalization",
    "A Normalization layer fitted with adapt() uses the exact mean and variance of all the data. "
    "BatchNormalization as the first layer learns moving averages that weight recent batches "
    "more, so on a drifting stream they end near the latest data. With center and scale off "
    "(γ = 1, β = 0) both are plain standardization.",
    "20,000 values x = 4·i/20000 + N(0,1) in stream order (GSL mt19937, seed 2), batch 32.",
    NS_BATCHNORM_FIGURE_RUNNING,
    NULL,
    NULL,
    { NS_DEMO_DATA_DRIFT, 20000, 0, 1, 4, 2 },
    { 0 },
    setup_first_layer,
    numbers_first_layer },
};

guint
ns_demo_get_n (void)
{
  return G_N_ELEMENTS (demos);
}

const NsDemo *
ns_demo_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (demos), NULL);
  return &demos[index];
}

const NsDemo *
ns_demo_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    if (g_strcmp0 (demos[i].id, id) == 0)
      return &demos[i];
  return NULL;
}

const char *
ns_demo_get_id (const NsDemo *demo)
{
  return demo->id;
}
const char *
ns_demo_get_title (const NsDemo *demo)
{
  return demo->title;
}
const char *
ns_demo_get_explanation (const NsDemo *demo)
{
  return demo->explanation;
}
const char *
ns_demo_get_recipe (const NsDemo *demo)
{
  return demo->recipe;
}
NsBatchNormFigure
ns_demo_get_figure (const NsDemo *demo)
{
  return demo->figure;
}
const char *
ns_demo_get_sample (const NsDemo *demo)
{
  return demo->sample;
}
const char *
ns_demo_get_column (const NsDemo *demo)
{
  return demo->column;
}

static NsDataset *
ns_demo_generate (const NsDemoData *recipe)
{
  NsDataset *data = ns_dataset_new_table (recipe->rows);
  double *x = g_new (double, recipe->rows);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, recipe->seed);
  for (gsize i = 0; i < recipe->rows; i++)
    x[i] = recipe->mean + recipe->drift * (double) i / recipe->rows +
           recipe->sd * gsl_ran_gaussian (rng, 1.0);
  gsl_rng_free (rng);
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_count_missing (data);
  return data;
}

NsDataset *
ns_demo_make_dataset (const NsDemo *demo, const char *sample_path, NsDataset **test, GError **error)
{
  NsDataset *data;

  if (test)
    *test = NULL;
  if (demo->data.kind == NS_DEMO_DATA_SAMPLE)
    {
      NsReadOptions options;

      if (sample_path == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s.csv: the bundled sample is not installed",
                       demo->sample);
          return NULL;
        }
      ns_read_options_init (&options);
      data = ns_dataset_load (sample_path, &options, NULL, error);
      if (data == NULL)
        return NULL;
      if (demo->column && ns_dataset_find_column (data, demo->column) < 0)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: no column named '%s'", sample_path,
                       demo->column);
          ns_dataset_free (data);
          return NULL;
        }
    }
  else
    data = ns_demo_generate (&demo->data);
  if (test && demo->test.rows > 0)
    *test = ns_demo_generate (&demo->test);
  return data;
}

guint
ns_demo_get_settings (const NsDemo *demo, NsBatchNormOptions *options, const char **labels)
{
  guint n = 1;

  demo->setup (options, labels, &n);
  return n;
}

char *
ns_demo_numbers (const NsDemo *demo, NsBatchNorm *const *runs, guint n_runs, guint feature,
                 const NsDataset *test)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (n_runs >= 1, NULL);
  demo->numbers (out, runs, n_runs, feature, test);
  return g_string_free (out, FALSE);
}

char *
ns_demo_find_sample_file (const char *name)
{
  const char *dirs[] = { g_getenv ("NS_DATA_DIR"), NS_DATADIR, NS_SOURCE_DATADIR };
  g_autofree char *file = g_strdup_printf ("%s.csv", name);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = dirs[i] != NULL ? g_build_filename (dirs[i], file, NULL) : NULL;

      if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}
