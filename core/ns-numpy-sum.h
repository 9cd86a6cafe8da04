/* ns-numpy-sum.h: np.sum of a contiguous 1-D float64 array as NumPy 1.24 computes it, bit for bit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reduction reaches the add loop in blocks of the ufunc buffer size (8192 elements): each
 * block is summed pairwise and the block sums are accumulated in order, starting from 0. */
#define NS_NUMPY_SUM_BLOCK 8192

/* One block: NumPy's DOUBLE_pairwise_sum (8 accumulators up to 128 values, halves above). */
double ns_numpy_pairwise_sum (const double *values, gsize n);
/* 0 + block_sums[0] + block_sums[1] + ... in that order. */
double ns_numpy_sum_blocks (const double *block_sums, gsize n_blocks);
/* np.sum (values[0..n)). */
double ns_numpy_sum (const double *values, gsize n);
/* The number of blocks np.sum splits n values into. */
gsize ns_numpy_sum_n_blocks (gsize n);

G_END_DECLS
