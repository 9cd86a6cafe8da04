/* ns-numpy-interp.c: NumPy 1.24's np.interp search, binary_search_with_guess, line for line (its
 * checks around the guess decide the answer when comparisons with NaN all fail).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-numpy-interp.h"

#define NS_LIKELY_IN_CACHE_SIZE 8

/* _linear_search from i0: the index before the first arr[i] > key. */
static gssize
ns_linear_search (double key, const double *arr, gssize len, gssize i0)
{
  gssize i;

  for (i = i0; i < len && key >= arr[i]; i++)
    ;
  return i - 1;
}

/* Narrows [imin, imax) around the guess as NumPy does; returns the index when a neighbour of the
 * guess settles it, else -2 with the range to bisect. */
static gssize
ns_search_near_guess (double key, const double *arr, gssize len, gssize guess, gssize *imin,
                      gssize *imax)
{
  /* Every test is NumPy's own comparison, never its negation: they differ when arr holds NaN. */
  if (key < arr[guess])
    {
      if (key < arr[guess - 1])
        {
          *imax = guess - 1;
          if (guess > NS_LIKELY_IN_CACHE_SIZE && key >= arr[guess - NS_LIKELY_IN_CACHE_SIZE])
            *imin = guess - NS_LIKELY_IN_CACHE_SIZE;
          return -2;
        }
      return guess - 1;
    }
  if (key < arr[guess + 1])
    return guess;
  if (key < arr[guess + 2])
    return guess + 1;
  *imin = guess + 2;
  if (guess < len - NS_LIKELY_IN_CACHE_SIZE - 1 && key < arr[guess + NS_LIKELY_IN_CACHE_SIZE])
    *imax = guess + NS_LIKELY_IN_CACHE_SIZE;
  return -2;
}

/* -1 below arr[0], len above arr[len - 1], else the i with arr[i] <= key < arr[i + 1]. */
static gssize
ns_search_with_guess (double key, const double *arr, gssize len, gssize guess)
{
  gssize imin = 0, imax = len, found;

  if (key > arr[len - 1])
    return len;
  if (key < arr[0])
    return -1;
  if (len <= 4)
    return ns_linear_search (key, arr, len, 1);
  guess = CLAMP (guess, 1, len - 3);
  found = ns_search_near_guess (key, arr, len, guess, &imin, &imax);
  if (found != -2)
    return found;
  while (imin < imax)
    {
      gssize imid = imin + ((imax - imin) >> 1);

      if (key >= arr[imid])
        imin = imid + 1;
      else
        imax = imid;
    }
  return imin - 1;
}

double
ns_numpy_interp (double x, const double *xp, const double *fp, gsize n, gssize *guess)
{
  gssize len = (gssize) n, j;

  g_return_val_if_fail (n >= 1, NAN);
  if (len == 1) /* left and right default to fp[0] = fp[-1] */
    return fp[0];
  j = ns_search_with_guess (x, xp, len, *guess);
  *guess = j;
  if (j == -1)
    return fp[0];
  if (j >= len - 1)
    return fp[len - 1];
  if (xp[j] == x)
    return fp[j];
  return ns_numpy_interp_between (x, xp[j], xp[j + 1], fp[j], fp[j + 1],
                                  ns_numpy_interp_slope (xp[j], xp[j + 1], fp[j], fp[j + 1]));
}
