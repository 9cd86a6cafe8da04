/* ns-layer-norm-finite.c: normalize refuses values that are not finite. PyTorch's layers carry a
 * NaN or an infinity into every value pooled with it and into the statistics; a pipeline would get
 * NaN outputs and a stats file of nulls with exit 0, so the first such value is named instead.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-layer-norm.h"
#include "ns-layer-norm-private.h"

#include <math.h>

/* "[i0, i1, ...]" of a C-order position in shape. */
static char *
format_index (const gsize *shape, guint rank, gsize flat)
{
  gsize index[NS_MAX_RANK];
  GString *text = g_string_new ("[");

  for (guint a = rank; a-- > 0;)
    {
      index[a] = flat % MAX (shape[a], 1);
      flat /= MAX (shape[a], 1);
    }
  for (guint a = 0; a < rank; a++)
    g_string_append_printf (text, "%s%" G_GSIZE_FORMAT, a > 0 ? ", " : "", index[a]);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* Values between two neighbours along axis in C order. */
static gsize
axis_stride (const NsLayerNorm *self, guint axis)
{
  gsize stride = 1;

  for (guint a = axis + 1; a < self->rank; a++)
    stride *= self->shape[a];
  return stride;
}

/* The C-order position in self->shape of value i of channel c's column, which holds the tensor's
 * values without the channel axis, in C order. */
static gsize
channel_value_position (const NsLayerNorm *self, gsize c, gsize i)
{
  guint channel_axis = (guint) self->options.channel_axis;
  gsize flat = 0;

  for (guint a = self->rank; a-- > 0;)
    if (a == channel_axis)
      flat += c * axis_stride (self, a);
    else
      {
        flat += (i % self->shape[a]) * axis_stride (self, a);
        i /= self->shape[a];
      }
  return flat;
}

static gboolean
non_finite_error (const char *file, const char *where, double value, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: %s is %s; normalize needs every value finite (PyTorch's layers would turn "
               "every value pooled with it, and its statistics, into NaN): drop or impute it first",
               file, where, ns_non_finite_describe (value));
  return FALSE;
}

gssize
ns_layer_norm_first_non_finite (const double *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return (gssize) i;
  return -1;
}

gboolean
ns_layer_norm_check_finite_input (const NsLayerNorm *self, const NsDataset *data, const char *file,
                                  GError **error)
{
  gboolean table = ns_dataset_get_kind (data) == NS_DATASET_TABLE;
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);

  for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
    {
      guint column = ns_dataset_get_feature_column (data, f);
      const double *values = ns_dataset_get_values (data, column);
      g_autofree char *where = NULL;
      gssize i;

      /* Scanned, not taken from the reader's counts: datasets built in code have none. */
      if ((i = ns_layer_norm_first_non_finite (values, n)) < 0)
        continue;
      if (table)
        where = g_strdup_printf ("data row %" G_GSIZE_FORMAT ", column '%s'", (gsize) i + 1,
                                 ns_dataset_get_column_name (data, column));
      else
        {
          gsize flat = ns_dataset_get_n_features (data) == 1
                         ? (gsize) i
                         : channel_value_position (self, f, (gsize) i);
          g_autofree char *index = format_index (self->shape, self->rank, flat);

          where = g_strdup_printf ("the value at %s", index);
        }
      return non_finite_error (file, where, values[i], error);
    }
  return TRUE;
}

static gboolean
statistics_finite (const NsLayerNorm *self)
{
  const double *arrays[] = { self->mean, self->variance, self->mean_square };

  for (guint k = 0; k < G_N_ELEMENTS (arrays); k++)
    if (arrays[k] != NULL && ns_layer_norm_first_non_finite (arrays[k], self->n_stats) >= 0)
      return FALSE;
  return TRUE;
}

/* The first group whose variance (RMS norm: mean square) plus eps is not positive: with eps 0, a
 * group of equal values (or of values so small their variance underflows) would be divided by 0,
 * which PyTorch's per-sample layers turn into NaN. -1 when none; batch norm keeps PyTorch's
 * InvStd rule (0 instead of infinity: the output is beta). */
static gssize
first_zero_divisor (const NsLayerNorm *self)
{
  const double *spread =
    self->options.kind == NS_LAYER_NORM_RMS ? self->mean_square : self->variance;

  if (self->options.kind == NS_LAYER_NORM_BATCH || spread == NULL)
    return -1;
  for (gsize k = 0; k < self->n_stats; k++)
    if (!(spread[k] + self->options.eps > 0))
      return (gssize) k;
  return -1;
}

static gboolean
check_divisors (const NsLayerNorm *self, const char *file, GError **error)
{
  gssize k = first_zero_divisor (self);
  g_autofree char *where = NULL;

  if (k < 0)
    return TRUE;
  where = format_index (self->stats_shape, self->stats_rank, (gsize) k);
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: the values pooled at %s have %s 0 and eps is 0: the layer would divide by "
               "zero (PyTorch's output is NaN there); give an eps > 0 (--eps)",
               file, where,
               self->options.kind == NS_LAYER_NORM_RMS ? "a mean square of" : "a variance of");
  return FALSE;
}

gboolean
ns_layer_norm_check_finite_statistics (const NsLayerNorm *self, const double *values,
                                       const char *file, GError **error)
{
  gsize n = 1, k = 0;
  g_autofree char *where = NULL;
  gssize i;

  if (statistics_finite (self))
    return check_divisors (self, file, error);
  for (guint a = 0; a < self->rank; a++)
    n *= self->shape[a];
  if (values != NULL && (i = ns_layer_norm_first_non_finite (values, n)) >= 0)
    {
      g_autofree char *index = format_index (self->shape, self->rank, (gsize) i);

      where = g_strdup_printf ("the value at %s", index);
      return non_finite_error (file, where, values[i], error);
    }
  while (k < self->n_stats && (self->mean == NULL || isfinite (self->mean[k])) &&
         (self->variance == NULL || isfinite (self->variance[k])) &&
         (self->mean_square == NULL || isfinite (self->mean_square[k])))
    k++;
  where = format_index (self->stats_shape, self->stats_rank, k);
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: the statistics at %s overflow the double range (values near ±1.8e308 pooled "
               "together); normalize needs them finite: rescale the data first",
               file, where);
  return FALSE;
}
