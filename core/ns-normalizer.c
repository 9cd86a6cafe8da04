/* ns-normalizer.c: the row norms of scikit-learn 1.2.1's Normalizer (sklearn's normalize on
 * dense input), each summed in the order NumPy 1.24 sums it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-normalizer.h"
#include "ns-name-table.h"
#include "ns-sklearn-rules.h"

#include <float.h>
#include <math.h>

#include "ns-numpy-sum.h"

const char *const ns_norm_kind_names[] = { "l2", "l1", "max", NULL };

gboolean
ns_norm_kind_from_string (const char *name, NsNormKind *norm, GError **error)
{
  guint index;

  if (!ns_name_table_lookup ("norm", ns_norm_kind_names, name, &index, error))
    return FALSE;
  *norm = (NsNormKind) index;
  return TRUE;
}

const char *
ns_norm_kind_to_string (NsNormKind norm)
{
  g_return_val_if_fail ((guint) norm <= NS_NORM_MAX, NULL);
  return ns_norm_kind_names[norm];
}

/* Rows up to this width take |x| into a stack buffer, wider ones into the heap. */
#define NS_NORMALIZER_STACK_ROW 256

/* np.einsum ("ij,ij->i", X, X) for one contiguous row: the SSE2 kernel
 * sum_of_products_contig_contig_outstride0_two keeps two lanes; per block of 8 each lane adds its
 * squares at offsets 6, 4, 2, 0 (separate multiply and add), the tail goes two at a time with
 * zero fill, and the result is 0 + (lane 0 + lane 1). */
static double
ns_einsum_row_square_sum (const double *row, gsize n)
{
  double lane[2] = { 0.0, 0.0 };
  gsize i = 0;

  for (; n - i >= 8; i += 8)
    for (guint l = 0; l < 2; l++)
      {
        double acc = row[i + 6 + l] * row[i + 6 + l] + lane[l];

        acc = row[i + 4 + l] * row[i + 4 + l] + acc;
        acc = row[i + 2 + l] * row[i + 2 + l] + acc;
        lane[l] = row[i + l] * row[i + l] + acc;
      }
  for (; i < n; i += 2)
    {
      double second = i + 1 < n ? row[i + 1] : 0.0;

      lane[0] = row[i] * row[i] + lane[0];
      lane[1] = second * second + lane[1];
    }
  return 0.0 + (lane[0] + lane[1]);
}

/* np.abs (X).sum (axis=1) for one row: NumPy's float64 sum of the absolute values. */
static double
ns_row_absolute_sum (const double *row, gsize n)
{
  double stack[NS_NORMALIZER_STACK_ROW];
  g_autofree double *heap = NULL;
  double *absolute = stack;

  if (n > NS_NORMALIZER_STACK_ROW)
    absolute = heap = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    absolute[i] = fabs (row[i]);
  return ns_numpy_sum (absolute, n);
}

/* np.max (abs (X), axis=1) (scikit-learn refuses rows without values, which give 0 here). */
static double
ns_row_absolute_max (const double *row, gsize n)
{
  double best = 0.0;

  for (gsize i = 0; i < n; i++)
    best = fabs (row[i]) > best ? fabs (row[i]) : best;
  return best;
}

double
ns_normalizer_row_norm (NsNormKind kind, const double *row, gsize n)
{
  double norm;

  switch (kind)
    {
    case NS_NORM_L2:
      norm = sqrt (ns_einsum_row_square_sum (row, n));
      break;
    case NS_NORM_L1:
      norm = ns_row_absolute_sum (row, n);
      break;
    case NS_NORM_MAX:
      norm = ns_row_absolute_max (row, n);
      break;
    default:
      g_return_val_if_reached (1.0);
    }
  return ns_sklearn_handle_zeros_in_scale (norm);
}
