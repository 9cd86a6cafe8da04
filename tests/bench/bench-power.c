/* bench-power.c: one Yeo-Johnson PowerTransformer fit (lambda search and standardizer) of one
 * column held in memory, as tests/bench/run compares it with scikit-learn's PowerTransformer().fit
 * on the same column. Prints the median seconds and the fitted lambda.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "core/ns-power.h"
#include "core/ns-reader.h"

#define REPEATS 3

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
  double seconds[REPEATS];
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

      if (!ns_power_fit_column (NS_POWER_YEO_JOHNSON, TRUE, ns_dataset_get_values (data, c),
                                ns_dataset_get_n_samples (data), &column, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      seconds[r] = (g_get_monotonic_time () - start) / 1e6;
    }
  qsort (seconds, REPEATS, sizeof (double), compare_doubles);
  printf ("%.6f %.17g\n", seconds[REPEATS / 2], column.lambda);
  return 0;
}
