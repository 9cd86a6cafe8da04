/* ns-npy-writer.c: NumPy .npy encoding (headers byte-identical to NumPy's) and the dataset writer
 * (float64, or float32 for normalize --dtype f32).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-npy-writer.h"
#include "ns-npy-format.h"
#include "ns-output.h"

#include <string.h>

#define NS_NPY_ALIGN 64
/* NumPy leaves room for the growth axis to reach this many digits (GROWTH_AXIS_MAX_DIGITS). */
#define NS_NPY_GROWTH_DIGITS 21

void
ns_npy_append_header (GByteArray *out, const char *descr, const gsize *shape, guint rank,
                      gboolean fortran_order)
{
  g_autofree char *shape_text = ns_npy_format_shape (shape, rank);
  g_autoptr (GString) dict = g_string_new (NULL);
  gsize prefix, header_len, padding;
  guint8 bytes[4];

  /* As numpy.lib.format._write_array_header: keys sorted, repr values, growth room, then
   * spaces and a newline up to the 64-byte boundary (a full 64 when already aligned). */
  g_string_printf (dict, "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr,
                   fortran_order ? "True" : "False", shape_text);
  if (rank > 0)
    {
      g_autofree char *growth = g_strdup_printf ("%" G_GSIZE_FORMAT,
                                                 shape[fortran_order ? rank - 1 : 0]);

      for (gsize i = strlen (growth); i < NS_NPY_GROWTH_DIGITS; i++)
        g_string_append_c (dict, ' ');
    }
  prefix = 10;
  padding = NS_NPY_ALIGN - (prefix + dict->len + 1) % NS_NPY_ALIGN;
  header_len = dict->len + 1 + padding;
  if (prefix == 10 && header_len > 65535)
    {
      prefix = 12;
      padding = NS_NPY_ALIGN - (prefix + dict->len + 1) % NS_NPY_ALIGN;
      header_len = dict->len + 1 + padding;
    }
  g_byte_array_append (out, (const guint8 *) "\x93NUMPY", 6);
  bytes[0] = prefix == 10 ? 1 : 2;
  bytes[1] = 0;
  g_byte_array_append (out, bytes, 2);
  for (guint i = 0; i < prefix - 8; i++)
    bytes[i] = (guint8) (header_len >> (8 * i));
  g_byte_array_append (out, bytes, prefix - 8);
  g_byte_array_append (out, (const guint8 *) dict->str, dict->len);
  for (gsize i = 0; i < padding; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  g_byte_array_append (out, (const guint8 *) "\n", 1);
}

GBytes *
ns_npy_encode (const char *descr, const gsize *shape, guint rank, gboolean fortran_order,
               const void *data, gsize data_len)
{
  GByteArray *out = g_byte_array_sized_new (128 + data_len);

  g_return_val_if_fail (descr != NULL && (shape != NULL || rank == 0), NULL);
  g_return_val_if_fail (data != NULL || data_len == 0, NULL);

  ns_npy_append_header (out, descr, shape, rank, fortran_order);
  if (data_len > 0)
    g_byte_array_append (out, data, data_len);
  return g_byte_array_free_to_bytes (out);
}

/* ---- Writing a dataset back in its original layout, as little-endian float64. */

typedef struct {
  const NsNpyLayout *layout;
  const double     **cols;
  guint8            *buffer;
  gsize              first;    /* storage index of buffer[0] */
  gsize              item;     /* 8: float64, 4: float32 */
} NsNpyGather;

static void
ns_npy_store (guint8 *out, double value, gsize item)
{
  if (item == 4)
    {
      float narrow = (float) value;
      guint32 bits;

      memcpy (&bits, &narrow, 4);
      bits = GUINT32_TO_LE (bits);
      memcpy (out, &bits, 4);
    }
  else
    {
      guint64 bits;

      memcpy (&bits, &value, 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (out, &bits, 8);
    }
}

static void
ns_npy_gather_block (gsize src, gsize j_begin, gsize j_end, gsize col, gsize off, gpointer data)
{
  NsNpyGather *gather = data;
  const NsNpyDim *inner = &gather->layout->dims[0], *outer = &gather->layout->dims[1];
  gsize item = gather->item;
  guint8 *out = gather->buffer + (src - gather->first) * item;

  for (gsize j = j_begin; j < j_end; j++, out += outer->src * item)
    {
      gsize c = col + j * outer->col, o = off + j * outer->dst;

      /* Two loops with a constant size, so each store is inlined for its width. */
      if (item == 8)
        for (gsize i = 0; i < inner->size; i++)
          ns_npy_store (out + i * inner->src * 8,
                        gather->cols[c + i * inner->col][o + i * inner->dst], 8);
      else
        for (gsize i = 0; i < inner->size; i++)
          ns_npy_store (out + i * inner->src * 4,
                        gather->cols[c + i * inner->col][o + i * inner->dst], 4);
    }
}

static gboolean
ns_npy_write_values (NsOutput *output, const NsNpyLayout *layout, const double **cols,
                     gsize n_elements, gsize item, GError **error)
{
  gsize outer_size = layout->dims[layout->n_dims - 1].size;
  gsize chunk = ns_npy_layout_chunk (layout, n_elements, 1u << 19);
  gsize per_step = n_elements / outer_size;
  g_autofree guint8 *buffer = g_malloc (MIN (chunk, outer_size) * per_step * item);
  NsNpyGather gather = { layout, cols, buffer, 0, item };

  for (gsize begin = 0; begin < outer_size; begin += chunk)
    {
      gsize end = MIN (outer_size, begin + chunk);

      gather.first = begin * per_step;
      ns_npy_layout_walk (layout, begin, end, ns_npy_gather_block, &gather);
      if (!ns_output_write (output, buffer, (end - begin) * per_step * item, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ns_npy_write (const NsDataset *data, const char *path, GError **error)
{
  return ns_npy_write_as (data, path, FALSE, error);
}

gboolean
ns_npy_write_as (const NsDataset *data, const char *path, gboolean float32, GError **error)
{
  g_autoptr (NsOutput) output = NULL;
  g_autoptr (GByteArray) header = g_byte_array_new ();
  g_autofree const double **cols = NULL;
  guint n_features = ns_dataset_get_n_features (data);
  gsize shape[NS_MAX_RANK], n_elements = 1;
  guint table_kept = 1, rank;
  const guint *kept = &table_kept;
  guint n_kept = 1;
  NsNpyLayout layout;

  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    {
      rank = ns_dataset_get_rank (data);
      memcpy (shape, ns_dataset_get_shape (data), rank * sizeof (gsize));
      kept = ns_dataset_get_kept_axes (data);
      n_kept = ns_dataset_get_n_kept_axes (data);
    }
  else
    {
      rank = 2;
      shape[0] = ns_dataset_get_n_samples (data);
      shape[1] = n_features;
    }
  cols = g_new (const double *, MAX (n_features, 1));
  for (guint f = 0; f < n_features; f++)
    cols[f] = ns_dataset_get_values (data, ns_dataset_get_feature_column (data, f));
  for (guint axis = 0; axis < rank; axis++)
    n_elements *= shape[axis];

  output = ns_output_open (path, error);
  if (output == NULL)
    return FALSE;
  ns_npy_append_header (header, float32 ? "<f4" : "<f8", shape, rank, FALSE);
  if (!ns_output_write (output, header->data, header->len, error))
    return FALSE;
  /* One feature is the tensor in C order already: little-endian float64 goes out as it is. */
  if (n_elements > 0 && n_features == 1 && !float32 && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      if (!ns_output_write (output, cols[0], n_elements * 8, error))
        return FALSE;
    }
  else if (n_elements > 0)
    {
      ns_npy_layout_init (&layout, shape, rank, kept, n_kept, FALSE);
      if (!ns_npy_write_values (output, &layout, cols, n_elements, float32 ? 4 : 8, error))
        return FALSE;
    }
  return ns_output_commit (g_steal_pointer (&output), error);
}
