/* bench-power.c: one Yeo-Johnson PowerTransformer fit (lambda search and standardizer) of one
 * column held in memory, as tests/bench/run compares it with scikit-learn's PowerTransformer().fit
 * on the same column. Prints the median wall seconds, the median CPU seconds (all threads: the
 * machine may be shared) and the fitted lambda.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/ns-power.h"
#include "core/ns-reader.h"

#define REPEATS 3

static double
cpu_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsReadOptions read_options;
  NsPowerColumn column = { 0 };
  double seconds[REPEATS], cpu[REPEATS];
  guint feature;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-power DATA.npy FEATURE\n");
      return 2;
    }
  ns_read_options_init (&read_options);
  data = ns_dataset_load (argv[1], &read_options, NULL, &error);
  feature = (guint) strtoul (argv[2], NULL, 10);
  if (data == NULL || feature >= ns_dataset_get_n_features (data))
    {
      fprintf (stderr, "%s\n", data == NULL ? error->message : "no such feature");
      return 2;
    }
  for (guint r = 0; r < REPEATS; r++)
    {
      guint c = ns_dataset_get_feature_column (data, feature);
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds ();

      if (!ns_power_fit_column (NS_POWER_YEO_JOHNSON, TRUE, FALSE, ns_dataset_get_values (data, c),
                                ns_dataset_get_n_samples (data), &column, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      seconds[r] = (g_get_monotonic_time () - start) / 1e6;
      cpu[r] = cpu_seconds () - cpu_start;
    }
  qsort (seconds, REPEATS, sizeof (double), compare_doubles);
  qsort (cpu, REPEATS, sizeof (double), compare_doubles);
  printf ("%.6f %.6f %.17g\n", seconds[REPEATS / 2], cpu[REPEATS / 2], column.lambda);
  return 0;
}
