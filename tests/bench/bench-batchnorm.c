/* bench-batchnorm.c: the batch-norm simulation alone on an in-memory dataset (issue 3's case:
 * batch size 256, one epoch, every variant, no history), as tests/bench/run compares it with the
 * same loop in numpy on an in-memory array.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include "core/ns-batchnorm.h"
#include "core/ns-reader.h"

#define REPEATS 5

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
  NsBatchNormOptions options;
  double seconds[REPEATS];

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-batchnorm DATA.npy\n");
      return 2;
    }
  ns_read_options_init (&read_options);
  data = ns_dataset_load (argv[1], &read_options, NULL, &error);
  if (data == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = 256;
  options.averages = NS_AVERAGE_ALL;
  options.record_history = FALSE;
  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      NsBatchNorm *bn = ns_batchnorm_new (data, &options, &error);

      if (bn == NULL || !ns_batchnorm_run (bn, NULL, NULL, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      ns_batchnorm_free (bn);
      seconds[r] = (g_get_monotonic_time () - start) / 1e6;
    }
  qsort (seconds, REPEATS, sizeof (double), compare_doubles);
  printf ("%.6f\n", seconds[REPEATS / 2]);
  return 0;
}
