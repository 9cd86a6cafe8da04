/* test-sorted-search.c: the counts below / at most a value, with and without the guide table,
 * against a linear count on random ascending arrays with long ties and wide ranges.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>

#include "ns-sorted-search.h"

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
check_query (const NsSortedSearch *search, const double *xp, guint n, double x)
{
  gsize below, at_most, want_below = 0, want_at_most = 0;

  for (guint i = 0; i < n; i++)
    {
      want_below += xp[i] < x;
      want_at_most += xp[i] <= x;
    }
  ns_sorted_search_bracket (search, x, &below, &at_most);
  if (below != want_below || at_most != want_at_most)
    g_error ("n %u x %.17g: below %" G_GSIZE_FORMAT " at most %" G_GSIZE_FORMAT
             ", want %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT,
             n, x, below, at_most, want_below, want_at_most);
}

/* Integers (long ties), spread values, or a heavy tail over 1e-300 .. 1e300. */
static double
random_value (GRand *rand, guint kind)
{
  if (kind == 0)
    return (double) g_rand_int_range (rand, -3, 4);
  if (kind == 1)
    return g_rand_double_range (rand, -1e6, 1e6);
  return (g_rand_boolean (rand) ? -1 : 1) * pow (10.0, g_rand_double_range (rand, -300, 300));
}

static void
test_against_linear_count (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (18);

  for (guint trial = 0; trial < 600; trial++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, trial % 10 == 0 ? 3000 : 60), kind = trial % 3;
      g_autofree double *xp = g_new (double, n);
      NsSortedSearch plain, guided;

      for (guint i = 0; i < n; i++)
        xp[i] = random_value (rand, kind);
      qsort (xp, n, sizeof (double), compare_doubles);
      ns_sorted_search_init (&plain, xp, n, FALSE);
      ns_sorted_search_init (&guided, xp, n, TRUE);
      g_assert_true (n < 8 || kind == 2 || guided.first != NULL || xp[0] == xp[n - 1]);
      for (guint i = 0; i < n; i++)
        {
          double probes[4] = { xp[i], nextafter (xp[i], -INFINITY), nextafter (xp[i], INFINITY),
                               i + 1 < n ? xp[i] / 2 + xp[i + 1] / 2 : xp[i] * 2 };

          for (guint k = 0; k < 4; k++)
            {
              check_query (&plain, xp, n, probes[k]);
              check_query (&guided, xp, n, probes[k]);
            }
        }
      check_query (&guided, xp, n, -INFINITY);
      check_query (&guided, xp, n, INFINITY);
      ns_sorted_search_clear (&plain);
      ns_sorted_search_clear (&guided);
    }
}

/* A constant array has no range to bucket: no guide, and still the right counts. */
static void
test_constant (void)
{
  double xp[10] = { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 };
  NsSortedSearch search;

  ns_sorted_search_init (&search, xp, 10, TRUE);
  g_assert_null (search.first);
  check_query (&search, xp, 10, 2.0);
  check_query (&search, xp, 10, 1.0);
  check_query (&search, xp, 10, 3.0);
  ns_sorted_search_clear (&search);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sorted-search/against-linear-count", test_against_linear_count);
  g_test_add_func ("/sorted-search/constant", test_constant);
  return g_test_run ();
}
