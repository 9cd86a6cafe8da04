/* ns-batchnorm-affine.h: one batch-norm normalization y = f(x), in the order the framework
 * evaluates it: PyTorch's CPU kernel and Keras/TF fold it into x * alpha + (beta - mean * alpha);
 * Flax subtracts first (the two differ in the last bits when the mean is large); Batch
 * Renormalization folds r and d into alpha and the shift as TF does. Every batch-norm output goes
 * through ns_batchnorm_affine_apply.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double mean, inv, alpha, shift, gamma, beta;
  gboolean subtract_first;
} NsBatchNormAffine;

static inline double
ns_batchnorm_affine_apply (const NsBatchNormAffine *a, double x)
{
  if (a->subtract_first)
    return (x - a->mean) * a->alpha + a->beta;
  return x * a->alpha + a->shift;
}

G_END_DECLS
