/* bench-quantile.c: QuantileTransformer fit + transform of every column of an in-memory dataset
 * (issue 18's case: 1,000,000 x 8, the defaults n_quantiles 1000, subsample 10000, random_state 0),
 * as tests/bench/run compares it with sklearn's fit_transform on the same in-memory array. Prints
 * the median wall time in seconds; the fit / transform split goes to stderr.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/ns-quantile-transformer.h"
#include "core/ns-reader.h"
#include "core/ns-threads.h"

#define REPEATS 5
#define N_QUANTILES 1000
#define SUBSAMPLE 10000

typedef struct {
  const NsDataset *data;
  double **quantiles;
  double **outputs;
  const double *references;
  guint n, n_threads;
} NsBenchJob;

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Thread t transforms columns t, t + n_threads, ... into fresh output arrays. */
static void
transform_columns (guint t, gpointer user_data)
{
  NsBenchJob *job = user_data;
  gsize rows = ns_dataset_get_n_samples (job->data);

  for (guint c = t; c < ns_dataset_get_n_columns (job->data); c += job->n_threads)
    {
      job->outputs[c] = g_new (double, rows);
      memcpy (job->outputs[c], ns_dataset_get_values (job->data, c), rows * sizeof (double));
      ns_quantile_transform_values (job->quantiles[c], job->references, job->n, NS_QUANTILE_UNIFORM,
                                    FALSE, job->outputs[c], rows);
    }
}

/* The columns in order from one RandomState, as fit draws them. */
static void
fit_columns (NsBenchJob *job)
{
  g_autoptr (NsLegacyRandom) rng = ns_legacy_random_new (0);
  gsize rows = ns_dataset_get_n_samples (job->data);

  for (guint c = 0; c < ns_dataset_get_n_columns (job->data); c++)
    {
      job->quantiles[c] = g_new (double, job->n);
      ns_quantile_fit_column (ns_dataset_get_values (job->data, c), rows, SUBSAMPLE, rng,
                              job->references, job->n, job->quantiles[c]);
    }
}

/* CPU seconds of every thread of the process: on a shared machine the wall time also counts
 * other programs' turns. */
static double
process_cpu_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

static double
run_once (const NsDataset *data, double *fit_seconds, double *cpu_seconds)
{
  double cpu_start = process_cpu_seconds ();
  guint columns = ns_dataset_get_n_columns (data);
  gint64 start = g_get_monotonic_time (), fitted, total;
  NsBenchJob job = { data,
                     g_new0 (double *, columns),
                     g_new0 (double *, columns),
                     NULL,
                     ns_quantile_fitted_count (N_QUANTILES, ns_dataset_get_n_samples (data)),
                     MIN (ns_threads_resolve (0), columns) };
  g_autofree double *references = g_new (double, job.n);

  ns_quantile_references (job.n, references);
  job.references = references;
  fit_columns (&job);
  fitted = g_get_monotonic_time ();
  ns_threads_run (job.n_threads, transform_columns, &job);
  *fit_seconds = (fitted - start) / 1e6;
  total = g_get_monotonic_time () - start;
  *cpu_seconds = process_cpu_seconds () - cpu_start;
  for (guint c = 0; c < columns; c++)
    {
      g_free (job.quantiles[c]);
      g_free (job.outputs[c]);
    }
  g_free (job.quantiles);
  g_free (job.outputs);
  return total / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions read_options;
  double seconds[REPEATS], fit[REPEATS], cpu[REPEATS];

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-quantile DATA.npy\n");
      return 2;
    }
  ns_read_options_init (&read_options);
  data = ns_dataset_load (argv[1], &read_options, NULL, &error);
  if (data == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  for (guint r = 0; r < REPEATS; r++)
    seconds[r] = run_once (data, &fit[r], &cpu[r]);
  qsort (seconds, REPEATS, sizeof (double), compare_doubles);
  qsort (fit, REPEATS, sizeof (double), compare_doubles);
  qsort (cpu, REPEATS, sizeof (double), compare_doubles);
  fprintf (stderr,
           "bench-quantile: fit %.3f s + transform %.3f s wall, %.3f s CPU (medians, %u "
           "threads)\n",
           fit[REPEATS / 2], seconds[REPEATS / 2] - fit[REPEATS / 2], cpu[REPEATS / 2],
           MIN (ns_threads_resolve (0), ns_dataset_get_n_columns (data)));
  printf ("%.6f\n", seconds[REPEATS / 2]);
  return 0;
}
