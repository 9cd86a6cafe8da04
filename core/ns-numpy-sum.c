/* ns-numpy-sum.c: NumPy 1.24's float64 sum reduction (loops_utils.h.src pairwise sum, fed in
 * buffer-sized blocks), so sums of the same values round exactly as NumPy's do.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-numpy-sum.h"

#define NS_NUMPY_PAIRWISE_LEAF 128 /* PW_BLOCKSIZE */

static double
ns_numpy_sum_sequential (const double *values, gsize n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += values[i];
  return sum;
}

/* Eight interleaved accumulators combined as a tree, then the tail added one by one. */
static double
ns_numpy_sum_leaf (const double *values, gsize n)
{
  double r[8], sum;
  gsize i;

  for (guint j = 0; j < 8; j++)
    r[j] = values[j];
  for (i = 8; i < n - (n % 8); i += 8)
    for (guint j = 0; j < 8; j++)
      r[j] += values[i + j];
  sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  for (; i < n; i++)
    sum += values[i];
  return sum;
}

double
ns_numpy_pairwise_sum (const double *values, gsize n)
{
  gsize half;

  if (n < 8)
    return ns_numpy_sum_sequential (values, n);
  if (n <= NS_NUMPY_PAIRWISE_LEAF)
    return ns_numpy_sum_leaf (values, n);
  /* Halves whose split point stays a multiple of the unroll factor, as NumPy cuts them. */
  half = n / 2;
  half -= half % 8;
  return ns_numpy_pairwise_sum (values, half) + ns_numpy_pairwise_sum (values + half, n - half);
}

double
ns_numpy_sum_blocks (const double *block_sums, gsize n_blocks)
{
  return ns_numpy_sum_sequential (block_sums, n_blocks);
}

gsize
ns_numpy_sum_n_blocks (gsize n)
{
  return (n + NS_NUMPY_SUM_BLOCK - 1) / NS_NUMPY_SUM_BLOCK;
}

double
ns_numpy_sum (const double *values, gsize n)
{
  double sum = 0.0;

  for (gsize start = 0; start < n; start += NS_NUMPY_SUM_BLOCK)
    sum += ns_numpy_pairwise_sum (values + start, MIN (NS_NUMPY_SUM_BLOCK, n - start));
  return sum;
}
