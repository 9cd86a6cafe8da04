/* ns-npy-reader.c: NumPy .npy header parsing and loading (versions 1.0-3.0) into a tensor dataset.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-npy-reader.h"
#include "ns-npy-private.h"

#include <stdarg.h>
#include <string.h>

#define NS_NPY_MAGIC "\x93NUMPY"
#define NS_NPY_MAGIC_LEN 6
#define NS_NPY_SUPPORTED "f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 or b1"

/* ---- Header parsing: a Python dict literal, parsed strictly with byte offsets for messages. */

typedef struct {
  const char  *path;
  const char  *text;
  gsize        len;
  gsize        pos;
  gsize        base;   /* file offset of text[0] */
  gsize        shape_pos;
  GError     **error;
} NsNpyParser;

static gboolean G_GNUC_PRINTF (4, 5)
ns_npy_fail_at (NsNpyParser *parser, gsize pos, int code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, NS_ERROR, code, "%s: byte %" G_GSIZE_FORMAT ": %s",
               parser->path, parser->base + pos, message);
  return FALSE;
}

static void
ns_npy_skip_space (NsNpyParser *parser)
{
  while (parser->pos < parser->len && (parser->text[parser->pos] == ' ' ||
                                       parser->text[parser->pos] == '\t' ||
                                       parser->text[parser->pos] == '\r' ||
                                       parser->text[parser->pos] == '\n'))
    parser->pos++;
}

static char *
ns_npy_describe_found (NsNpyParser *parser)
{
  guchar c;

  if (parser->pos >= parser->len)
    return g_strdup ("the end of the header");
  c = (guchar) parser->text[parser->pos];
  if (g_ascii_isprint (c))
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

static gboolean
ns_npy_expect (NsNpyParser *parser, char c, const char *what)
{
  g_autofree char *found = NULL;

  ns_npy_skip_space (parser);
  if (parser->pos < parser->len && parser->text[parser->pos] == c)
    {
      parser->pos++;
      return TRUE;
    }
  found = ns_npy_describe_found (parser);
  return ns_npy_fail_at (parser, parser->pos, NS_ERROR_PARSE,
                         "malformed header: expected %s, found %s", what, found);
}

static gboolean
ns_npy_parse_string (NsNpyParser *parser, char **value)
{
  gsize start;
  char quote;

  ns_npy_skip_space (parser);
  if (parser->pos >= parser->len || (parser->text[parser->pos] != '\'' &&
                                     parser->text[parser->pos] != '"'))
    return ns_npy_expect (parser, '\'', "a quoted string");
  quote = parser->text[parser->pos];
  start = ++parser->pos;
  while (parser->pos < parser->len && parser->text[parser->pos] != quote &&
         parser->text[parser->pos] != '\n')
    parser->pos++;
  if (parser->pos >= parser->len || parser->text[parser->pos] != quote)
    return ns_npy_fail_at (parser, start - 1, NS_ERROR_PARSE,
                           "malformed header: unterminated string");
  *value = g_strndup (parser->text + start, parser->pos - start);
  parser->pos++;
  return TRUE;
}

static gboolean
ns_npy_parse_word (NsNpyParser *parser, const char *word)
{
  gsize n = strlen (word);

  if (parser->len - parser->pos >= n && memcmp (parser->text + parser->pos, word, n) == 0 &&
      (parser->len - parser->pos == n || !g_ascii_isalnum (parser->text[parser->pos + n])))
    {
      parser->pos += n;
      return TRUE;
    }
  return FALSE;
}

static gboolean
ns_npy_parse_bool (NsNpyParser *parser, gboolean *value)
{
  g_autofree char *found = NULL;

  ns_npy_skip_space (parser);
  if (ns_npy_parse_word (parser, "True"))
    return *value = TRUE, TRUE;
  if (ns_npy_parse_word (parser, "False"))
    return *value = FALSE, TRUE;
  found = ns_npy_describe_found (parser);
  return ns_npy_fail_at (parser, parser->pos, NS_ERROR_PARSE,
                         "malformed header: expected True or False for 'fortran_order', found %s",
                         found);
}

static gboolean
ns_npy_parse_dimension (NsNpyParser *parser, gsize *value)
{
  gsize start = parser->pos;
  gboolean negative = FALSE;

  if (parser->pos < parser->len && parser->text[parser->pos] == '-')
    negative = TRUE, parser->pos++;
  if (parser->pos >= parser->len || !g_ascii_isdigit (parser->text[parser->pos]))
    {
      g_autofree char *found = ns_npy_describe_found (parser);

      return ns_npy_fail_at (parser, parser->pos, NS_ERROR_PARSE,
                             "malformed header: expected a dimension (an integer) in the shape, "
                             "found %s", found);
    }
  *value = 0;
  while (parser->pos < parser->len && g_ascii_isdigit (parser->text[parser->pos]))
    {
      guint digit = parser->text[parser->pos++] - '0';

      if (*value > (G_MAXSIZE - digit) / 10)
        return ns_npy_fail_at (parser, start, NS_ERROR_PARSE,
                               "the shape has a dimension too large to represent");
      *value = *value * 10 + digit;
    }
  if (parser->pos < parser->len && parser->text[parser->pos] == 'L')
    parser->pos++;   /* Python 2 NumPy wrote long integers as 3L */
  if (negative && *value != 0)
    return ns_npy_fail_at (parser, start, NS_ERROR_PARSE,
                           "the shape has a negative dimension, -%" G_GSIZE_FORMAT, *value);
  return TRUE;
}

static gboolean
ns_npy_parse_shape (NsNpyParser *parser, NsNpyHeader *header)
{
  gsize start;
  gboolean comma = FALSE;

  header->rank = 0;
  if (!ns_npy_expect (parser, '(', "a shape tuple '('"))
    return FALSE;
  start = parser->pos - 1;
  parser->shape_pos = start;
  for (;;)
    {
      ns_npy_skip_space (parser);
      if (parser->pos < parser->len && parser->text[parser->pos] == ')')
        break;
      if (header->rank == NS_MAX_RANK)
        return ns_npy_fail_at (parser, start, NS_ERROR_UNSUPPORTED,
                               "the array has more than %d dimensions", NS_MAX_RANK);
      if (!ns_npy_parse_dimension (parser, &header->shape[header->rank++]))
        return FALSE;
      ns_npy_skip_space (parser);
      comma = parser->pos < parser->len && parser->text[parser->pos] == ',';
      if (!comma)
        break;
      parser->pos++;
    }
  if (!ns_npy_expect (parser, ')', "',' or ')' in the shape"))
    return FALSE;
  if (header->rank == 1 && !comma)
    return ns_npy_fail_at (parser, start, NS_ERROR_PARSE,
                           "malformed header: the shape is not a tuple (a 1-D shape is written "
                           "(%" G_GSIZE_FORMAT ",))", header->shape[0]);
  return TRUE;
}

static gboolean
ns_npy_parse_descr (NsNpyParser *parser, NsNpyHeader *header)
{
  g_autofree char *descr = NULL;
  const char *p;
  gsize start, count = 0;
  gboolean has_digits = FALSE;

  ns_npy_skip_space (parser);
  start = parser->pos;
  if (parser->pos < parser->len && parser->text[parser->pos] == '[')
    return ns_npy_fail_at (parser, start, NS_ERROR_UNSUPPORTED,
                           "structured dtypes (a list of fields) are not supported");
  if (!ns_npy_parse_string (parser, &descr))
    return FALSE;
  header->descr_offset = parser->base + start;
  p = descr;
  header->byteorder = G_BYTE_ORDER == G_LITTLE_ENDIAN ? '<' : '>';
  if (*p == '<' || *p == '>' || *p == '|')
    header->byteorder = *p++;
  else if (*p == '=')
    p++;
  header->kind = *p;
  if (*p == 'O')
    return ns_npy_fail_at (parser, start, NS_ERROR_UNSUPPORTED,
                           "dtype '%s': object arrays (pickles) are not supported", descr);
  if (*p != '\0')
    p++;
  while (g_ascii_isdigit (*p) && count < G_MAXSIZE / 100)
    count = count * 10 + (*p++ - '0'), has_digits = TRUE;
  if (header->kind == '?' && !has_digits)
    header->kind = 'b', count = 1, has_digits = TRUE;   /* NumPy's one-character bool code */
  if ((header->kind == 'm' || header->kind == 'M') && *p == '[')
    p += strcspn (p, "]") + (strchr (p, ']') != NULL);
  if (strchr ("biufcSUVmM", header->kind) == NULL || header->kind == '\0' || !has_digits ||
      count == 0 || *p != '\0' || strlen (descr) >= sizeof header->descr)
    return ns_npy_fail_at (parser, start, NS_ERROR_UNSUPPORTED,
                           "unknown dtype '%.40s' (expected a NumPy type string such as '<f8')",
                           descr);
  header->itemsize = header->kind == 'U' ? count * 4 : count;
  g_strlcpy (header->descr, descr, sizeof header->descr);
  return TRUE;
}

static gboolean
ns_npy_parse_dict (NsNpyParser *parser, NsNpyHeader *header)
{
  static const char *const keys[] = { "descr", "fortran_order", "shape" };
  gboolean seen[3] = { FALSE, FALSE, FALSE };

  if (!ns_npy_expect (parser, '{', "a dictionary '{'"))
    return FALSE;
  for (;;)
    {
      g_autofree char *key = NULL;
      gsize key_pos;
      int k;

      ns_npy_skip_space (parser);
      if (parser->pos < parser->len && parser->text[parser->pos] == '}')
        break;
      key_pos = parser->pos;
      if (!ns_npy_parse_string (parser, &key))
        return FALSE;
      for (k = 0; k < 3 && strcmp (key, keys[k]) != 0; k++)
        ;
      if (k == 3)
        return ns_npy_fail_at (parser, key_pos, NS_ERROR_PARSE,
                               "unexpected key '%.40s' in the header (expected 'descr', "
                               "'fortran_order' and 'shape')", key);
      if (seen[k])
        return ns_npy_fail_at (parser, key_pos, NS_ERROR_PARSE,
                               "the key '%s' appears twice in the header", key);
      seen[k] = TRUE;
      if (!ns_npy_expect (parser, ':', "':' after a key"))
        return FALSE;
      if (!(k == 0 ? ns_npy_parse_descr (parser, header)
            : k == 1 ? ns_npy_parse_bool (parser, &header->fortran_order)
            : ns_npy_parse_shape (parser, header)))
        return FALSE;
      ns_npy_skip_space (parser);
      if (parser->pos < parser->len && parser->text[parser->pos] == ',')
        parser->pos++;
      else if (parser->pos >= parser->len || parser->text[parser->pos] != '}')
        return ns_npy_expect (parser, '}', "',' or '}' after a value");
    }
  for (int k = 0; k < 3; k++)
    if (!seen[k])
      return ns_npy_fail_at (parser, parser->pos, NS_ERROR_PARSE,
                             "the header has no '%s' key", keys[k]);
  parser->pos++;
  ns_npy_skip_space (parser);
  if (parser->pos < parser->len)
    {
      g_autofree char *found = ns_npy_describe_found (parser);

      return ns_npy_fail_at (parser, parser->pos, NS_ERROR_PARSE,
                             "malformed header: expected only padding after '}', found %s", found);
    }
  return TRUE;
}

static gboolean
ns_npy_check_sizes (NsNpyParser *parser, NsNpyHeader *header, gsize file_len)
{
  g_autofree char *shape = NULL;
  gboolean overflow = FALSE;
  gsize n = 1;

  /* A zero dimension makes the array empty whatever the others say. */
  for (guint axis = 0; axis < header->rank; axis++)
    if (header->shape[axis] != 0 && n > G_MAXSIZE / header->shape[axis])
      overflow = TRUE;
    else
      n *= header->shape[axis];
  for (guint axis = 0; axis < header->rank; axis++)
    if (header->shape[axis] == 0)
      n = 0, overflow = FALSE;
  if (overflow || n > G_MAXSIZE / header->itemsize)
    {
      shape = ns_npy_format_shape (header->shape, header->rank);
      g_set_error (parser->error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GSIZE_FORMAT ": the shape %s has too many elements: its byte "
                   "size overflows", parser->path, parser->base + parser->shape_pos, shape);
      return FALSE;
    }
  header->n_elements = n;
  header->data_len = n * header->itemsize;
  if (header->data_len > file_len - header->data_offset)
    {
      g_set_error (parser->error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GSIZE_FORMAT ": the header promises %" G_GSIZE_FORMAT
                   " bytes of data, the file has %" G_GSIZE_FORMAT, parser->path,
                   header->data_offset, header->data_len, file_len - header->data_offset);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ns_npy_truncated (const char *path, gsize len, gsize needed, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
               "%s: byte %" G_GSIZE_FORMAT ": truncated header: the file has %" G_GSIZE_FORMAT
               " bytes, the header needs %" G_GSIZE_FORMAT, path, len, len, needed);
  return FALSE;
}

gboolean
ns_npy_parse_header (const char *path, const guint8 *data, gsize len, NsNpyHeader *header,
                     GError **error)
{
  NsNpyParser parser = { path, NULL, 0, 0, 0, 0, error };
  gsize prefix, header_len;

  memset (header, 0, sizeof *header);
  if (len > 0 && memcmp (data, NS_NPY_MAGIC, MIN (len, NS_NPY_MAGIC_LEN)) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte 0: not a NumPy .npy file (expected the magic string \\x93NUMPY)",
                   path);
      return FALSE;
    }
  if (len < 8)
    return ns_npy_truncated (path, len, 10, error);
  header->major = data[6];
  header->minor = data[7];
  if (header->minor != 0 || header->major < 1 || header->major > 3)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: byte 6: unsupported .npy format version %u.%u (expected 1.0, 2.0 or 3.0)",
                   path, header->major, header->minor);
      return FALSE;
    }
  prefix = header->major == 1 ? 10 : 12;
  if (len < prefix)
    return ns_npy_truncated (path, len, prefix, error);
  header_len = header->major == 1 ? (gsize) data[8] | (gsize) data[9] << 8
               : (gsize) data[8] | (gsize) data[9] << 8 | (gsize) data[10] << 16
                 | (gsize) data[11] << 24;
  if (header_len > len - prefix)
    return ns_npy_truncated (path, len, prefix + header_len, error);
  if (header->major == 3 && !g_utf8_validate ((const char *) data + prefix, header_len, NULL))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GSIZE_FORMAT ": the header of a version 3.0 file is not valid "
                   "UTF-8", path, prefix);
      return FALSE;
    }
  parser.text = (const char *) data + prefix;
  parser.len = header_len;
  parser.base = prefix;
  header->data_offset = prefix + header_len;
  return ns_npy_parse_dict (&parser, header) && ns_npy_check_sizes (&parser, header, len);
}

char *
ns_npy_format_shape (const gsize *shape, guint rank)
{
  GString *text = g_string_new ("(");

  for (guint axis = 0; axis < rank; axis++)
    g_string_append_printf (text, "%s%" G_GSIZE_FORMAT, axis > 0 ? ", " : "", shape[axis]);
  if (rank == 1)
    g_string_append_c (text, ',');
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}

/* ---- Layout: where each element in storage order goes. */

void
ns_npy_layout_init (NsNpyLayout *layout, const gsize *shape, guint rank, const guint *kept_axes,
                    guint n_kept, gboolean fortran_order)
{
  NsNpyDim axes[NS_MAX_RANK];
  gsize feature_stride = 1, spatial_stride = 1, storage_stride = 1;
  guint n = 0;

  for (guint a = rank; a-- > 1;)
    {
      gboolean kept = FALSE;

      for (guint k = 0; k < n_kept; k++)
        kept |= kept_axes[k] == a;
      axes[a].size = shape[a];
      axes[a].col = kept ? feature_stride : 0;
      axes[a].dst = kept ? 0 : spatial_stride;
      if (kept)
        feature_stride *= shape[a];
      else
        spatial_stride *= shape[a];
    }
  axes[0] = (NsNpyDim) { shape[0], 0, 0, spatial_stride };
  for (guint i = 0; i < rank; i++)
    {
      guint a = fortran_order ? i : rank - 1 - i;

      axes[a].src = storage_stride;
      storage_stride *= shape[a];
    }

  /* Innermost first; drop size-1 axes and merge neighbours that continue each other, except the
   * sample axis: threads take chunks of the outermost dimension, which must not be the whole
   * array (axis none would merge every axis into one). */
  for (guint i = 0, sample_dim = G_MAXUINT; i < rank; i++)
    {
      guint a = fortran_order ? i : rank - 1 - i;
      NsNpyDim *d = &axes[a];
      NsNpyDim *last = n > 0 ? &layout->dims[n - 1] : NULL;

      if (d->size == 1)
        continue;
      if (a == 0)
        sample_dim = n;
      if (last != NULL && a != 0 && sample_dim != n - 1 && d->src == last->src * last->size
          && d->col == last->col * last->size && d->dst == last->dst * last->size)
        last->size *= d->size;
      else
        layout->dims[n++] = *d;
    }
  while (n < 2)
    layout->dims[n++] = (NsNpyDim) { 1, 0, 0, 0 };
  layout->n_dims = n;
}

/* ---- Conversion kernels: two innermost dimensions at a time, one per dtype and byte order. */

#define NS_NPY_LOAD_INT(NAME, TYPE, UTYPE, SWAP)                                   \
  static inline double NAME (const guint8 *p)                                      \
  {                                                                                \
    UTYPE u;                                                                       \
    TYPE v;                                                                        \
    memcpy (&u, p, sizeof u);                                                      \
    u = SWAP (u);                                                                  \
    memcpy (&v, &u, sizeof v);                                                     \
    return (double) v;                                                             \
  }

#define NS_NPY_NOSWAP(x) (x)
NS_NPY_LOAD_INT (ns_npy_load_i1, gint8, guint8, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_u1, guint8, guint8, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_i2, gint16, guint16, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_u2, guint16, guint16, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_i4, gint32, guint32, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_u4, guint32, guint32, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_i8, gint64, guint64, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_u8, guint64, guint64, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_f4, float, guint32, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_f8, double, guint64, NS_NPY_NOSWAP)
NS_NPY_LOAD_INT (ns_npy_load_i2_swapped, gint16, guint16, GUINT16_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_u2_swapped, guint16, guint16, GUINT16_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_i4_swapped, gint32, guint32, GUINT32_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_u4_swapped, guint32, guint32, GUINT32_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_i8_swapped, gint64, guint64, GUINT64_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_u8_swapped, guint64, guint64, GUINT64_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_f4_swapped, float, guint32, GUINT32_SWAP_LE_BE)
NS_NPY_LOAD_INT (ns_npy_load_f8_swapped, double, guint64, GUINT64_SWAP_LE_BE)

static inline double
ns_npy_load_b1 (const guint8 *p)
{
  return *p != 0 ? 1.0 : 0.0;
}

/* src points at element j_begin of the outer dimension. Every dimension either moves along one
 * column (col 0) or across columns (dst 0), so the inner loop is a strided copy or a scatter.
 * A measured hot path: loading 10,000,000 x 8 '<f8' with axis -1 (the scatter branch) takes about
 * 0.7 s of CPU here, of which this kernel is about 0.15 s; the rest is the kernel zeroing the
 * fresh column pages, which is why the fill is spread over threads. */
#define NS_NPY_KERNEL(NAME, LOAD, ITEMSIZE)                                              \
  static void NAME (const guint8 *src, double **cols, const NsNpyDim *inner,              \
                    const NsNpyDim *outer, gsize j_begin, gsize j_end, gsize col,         \
                    gsize off)                                                            \
  {                                                                                       \
    const gsize n = inner->size, in_src = inner->src * ITEMSIZE;                          \
    const gsize out_src = outer->src * ITEMSIZE;                                          \
                                                                                          \
    for (gsize j = j_begin; j < j_end; j++, src += out_src)                               \
      {                                                                                   \
        gsize c = col + j * outer->col, o = off + j * outer->dst;                         \
                                                                                          \
        if (inner->col == 0 && inner->dst == 1 && inner->src == 1)                        \
          {                                                                               \
            double *restrict d = cols[c] + o;                                             \
            for (gsize i = 0; i < n; i++)                                                 \
              d[i] = LOAD (src + i * ITEMSIZE);                                           \
          }                                                                               \
        else if (inner->col == 0)                                                         \
          {                                                                               \
            double *restrict d = cols[c] + o;                                             \
            const gsize step = inner->dst;                                                \
            for (gsize i = 0; i < n; i++)                                                 \
              d[i * step] = LOAD (src + i * in_src);                                      \
          }                                                                               \
        else                                                                              \
          {                                                                               \
            double *const *cp = cols + c;                                                 \
            const gsize step = inner->col;                                                \
            for (gsize i = 0; i < n; i++)                                                 \
              cp[i * step][o] = LOAD (src + i * in_src);                                  \
          }                                                                               \
      }                                                                                   \
  }

NS_NPY_KERNEL (ns_npy_kernel_b1, ns_npy_load_b1, 1)
NS_NPY_KERNEL (ns_npy_kernel_i1, ns_npy_load_i1, 1)
NS_NPY_KERNEL (ns_npy_kernel_u1, ns_npy_load_u1, 1)
NS_NPY_KERNEL (ns_npy_kernel_i2, ns_npy_load_i2, 2)
NS_NPY_KERNEL (ns_npy_kernel_u2, ns_npy_load_u2, 2)
NS_NPY_KERNEL (ns_npy_kernel_i4, ns_npy_load_i4, 4)
NS_NPY_KERNEL (ns_npy_kernel_u4, ns_npy_load_u4, 4)
NS_NPY_KERNEL (ns_npy_kernel_i8, ns_npy_load_i8, 8)
NS_NPY_KERNEL (ns_npy_kernel_u8, ns_npy_load_u8, 8)
NS_NPY_KERNEL (ns_npy_kernel_f4, ns_npy_load_f4, 4)
NS_NPY_KERNEL (ns_npy_kernel_f8, ns_npy_load_f8, 8)
NS_NPY_KERNEL (ns_npy_kernel_i2_swapped, ns_npy_load_i2_swapped, 2)
NS_NPY_KERNEL (ns_npy_kernel_u2_swapped, ns_npy_load_u2_swapped, 2)
NS_NPY_KERNEL (ns_npy_kernel_i4_swapped, ns_npy_load_i4_swapped, 4)
NS_NPY_KERNEL (ns_npy_kernel_u4_swapped, ns_npy_load_u4_swapped, 4)
NS_NPY_KERNEL (ns_npy_kernel_i8_swapped, ns_npy_load_i8_swapped, 8)
NS_NPY_KERNEL (ns_npy_kernel_u8_swapped, ns_npy_load_u8_swapped, 8)
NS_NPY_KERNEL (ns_npy_kernel_f4_swapped, ns_npy_load_f4_swapped, 4)
NS_NPY_KERNEL (ns_npy_kernel_f8_swapped, ns_npy_load_f8_swapped, 8)

static NsNpyKernel
ns_npy_pick_kernel (const NsNpyHeader *header)
{
  static const struct {
    char        kind;
    gsize       itemsize;
    NsNpyKernel native, swapped;
  } table[] = {
    { 'b', 1, ns_npy_kernel_b1, ns_npy_kernel_b1 },
    { 'i', 1, ns_npy_kernel_i1, ns_npy_kernel_i1 },
    { 'u', 1, ns_npy_kernel_u1, ns_npy_kernel_u1 },
    { 'i', 2, ns_npy_kernel_i2, ns_npy_kernel_i2_swapped },
    { 'u', 2, ns_npy_kernel_u2, ns_npy_kernel_u2_swapped },
    { 'i', 4, ns_npy_kernel_i4, ns_npy_kernel_i4_swapped },
    { 'u', 4, ns_npy_kernel_u4, ns_npy_kernel_u4_swapped },
    { 'i', 8, ns_npy_kernel_i8, ns_npy_kernel_i8_swapped },
    { 'u', 8, ns_npy_kernel_u8, ns_npy_kernel_u8_swapped },
    { 'f', 4, ns_npy_kernel_f4, ns_npy_kernel_f4_swapped },
    { 'f', 8, ns_npy_kernel_f8, ns_npy_kernel_f8_swapped },
  };
  char foreign = G_BYTE_ORDER == G_LITTLE_ENDIAN ? '>' : '<';

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].kind == header->kind && table[i].itemsize == header->itemsize)
      return header->byteorder == foreign ? table[i].swapped : table[i].native;
  return NULL;
}

/* ---- Walking the layout in storage order. */

void
ns_npy_layout_walk (const NsNpyLayout *layout, gsize outer_begin, gsize outer_end,
                    NsNpyBlockFunc func, gpointer user_data)
{
  const NsNpyDim *d = layout->dims;
  guint n = layout->n_dims;
  gsize index[NS_MAX_RANK + 2] = { 0 };

  if (n == 2)
    {
      func (outer_begin * d[1].src, outer_begin, outer_end, 0, 0, user_data);
      return;
    }
  /* Odometer over dimensions 2..n-1 (the outermost one restricted to the range). */
  index[n - 1] = outer_begin;
  while (index[n - 1] < outer_end)
    {
      gsize src = 0, col = 0, off = 0;

      for (guint k = 2; k < n; k++)
        {
          src += index[k] * d[k].src;
          col += index[k] * d[k].col;
          off += index[k] * d[k].dst;
        }
      func (src, 0, d[1].size, col, off, user_data);
      for (guint k = 2; k < n; k++)
        {
          if (++index[k] < d[k].size || k == n - 1)
            break;
          index[k] = 0;
        }
    }
}

gsize
ns_npy_layout_chunk (const NsNpyLayout *layout, gsize n_elements, gsize target)
{
  gsize outer = layout->dims[layout->n_dims - 1].size;
  gsize per_step = outer > 0 ? n_elements / outer : 1;

  return MAX (1, target / MAX (per_step, 1));
}

static void
ns_npy_fill_block (gsize src, gsize j_begin, gsize j_end, gsize col, gsize off, gpointer data)
{
  NsNpyFill *fill = data;

  fill->kernel (fill->data + src * fill->itemsize, fill->cols, &fill->layout->dims[0],
                &fill->layout->dims[1], j_begin, j_end, col, off);
}

void
ns_npy_fill_range (NsNpyFill *fill, gsize outer_begin, gsize outer_end)
{
  ns_npy_layout_walk (fill->layout, outer_begin, outer_end, ns_npy_fill_block, fill);
}

/* Chunks of the outermost dimension are handed out to the threads in turn; they write disjoint
 * parts of the columns. Only the calling thread reports progress. */
typedef struct {
  NsNpyFill    *fill;
  gboolean      release;      /* fill->data is a file mapping: give converted pages back */
  gsize         outer_size;
  gsize         chunk;
  guint         n_chunks;
  gint          next;
  gint          done;
  GCancellable *cancellable;
} NsNpyFillJob;

static gboolean
ns_npy_fill_next (NsNpyFillJob *job)
{
  gsize begin;
  gint index;

  if (g_cancellable_is_cancelled (job->cancellable))
    return FALSE;
  index = g_atomic_int_add (&job->next, 1);
  if ((guint) index >= job->n_chunks)
    return FALSE;
  begin = (gsize) index * job->chunk;
  ns_npy_fill_range (job->fill, begin, MIN (job->outer_size, begin + job->chunk));
  if (job->release)
    {
      /* A chunk of the outermost storage dimension is one run of bytes. */
      const NsNpyDim *outer = &job->fill->layout->dims[job->fill->layout->n_dims - 1];
      gsize step = outer->src * job->fill->itemsize;

      ns_release_mapped_pages (job->fill->data + begin * step,
                               job->fill->data + MIN (job->outer_size, begin + job->chunk) * step);
    }
  g_atomic_int_inc (&job->done);
  return TRUE;
}

static gpointer
ns_npy_fill_worker (gpointer data)
{
  while (ns_npy_fill_next (data))
    ;
  return NULL;
}

static gboolean
ns_npy_fill (NsNpyFill *fill, gboolean release, gsize n_elements, const NsReadOptions *options,
             GCancellable *cancellable, const char *path, GError **error)
{
  const NsNpyDim *outer = &fill->layout->dims[fill->layout->n_dims - 1];
  NsNpyFillJob job = { fill, release, outer->size,
                       ns_npy_layout_chunk (fill->layout, n_elements, 1u << 20), 0, 0, 0,
                       cancellable };
  guint n_threads = options != NULL && options->n_threads > 0 ? options->n_threads
                    : g_get_num_processors ();
  GThread *threads[64];

  job.n_chunks = (guint) MIN ((outer->size + job.chunk - 1) / job.chunk, G_MAXINT);
  n_threads = MIN (MIN (n_threads, job.n_chunks), G_N_ELEMENTS (threads));
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("ns-npy-fill", ns_npy_fill_worker, &job);
  while (ns_npy_fill_next (&job))
    if (options != NULL && options->progress != NULL)
      options->progress ((double) g_atomic_int_get (&job.done) / job.n_chunks,
                         options->progress_data);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "%s: loading was cancelled", path);
      return FALSE;
    }
  if (options != NULL && options->progress != NULL)
    options->progress (1.0, options->progress_data);
  return TRUE;
}

/* ---- The reader. */

static gboolean
ns_npy_check_array (const char *path, const NsNpyHeader *header, const char *axis, GError **error)
{
  g_autofree char *shape = ns_npy_format_shape (header->shape, header->rank);

  if (ns_npy_pick_kernel (header) == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                 "%s: byte %" G_GSIZE_FORMAT ": dtype '%s' is not supported (expected "
                 NS_NPY_SUPPORTED ")", path, header->descr_offset, header->descr);
  else if (header->rank == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                 "%s: byte %" G_GSIZE_FORMAT ": the array is a scalar (shape ()); expected an "
                 "array with a first axis of samples", path, header->data_offset);
  else if (header->n_elements == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                 "%s: byte %" G_GSIZE_FORMAT ": the array is empty (shape %s); there are no "
                 "values", path, header->data_offset, shape);
  else if (header->rank == 1 && g_ascii_strcasecmp (axis, "none") != 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: the array has shape %s: its only axis holds the samples, which are always "
                 "reduced, so axis %s keeps nothing; use --axis none to treat its values as one "
                 "feature", path, shape, axis);
  else
    return TRUE;
  return FALSE;
}

static void
ns_npy_prefix_error (GError **error, const char *path)
{
  if (error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", path);
}

gboolean
ns_npy_plan (const char *path, const guint8 *data, gsize len, const NsReadOptions *options,
             NsNpyPlan *plan, GError **error)
{
  const char *axis = options != NULL && options->axis != NULL ? options->axis : "-1";

  if (!ns_npy_parse_header (path, data, len, &plan->header, error) ||
      !ns_npy_check_array (path, &plan->header, axis, error))
    return FALSE;
  if (!ns_axis_spec_parse (axis, plan->header.rank, plan->kept, &plan->n_kept, error))
    {
      ns_npy_prefix_error (error, path);
      return FALSE;
    }
  ns_npy_layout_init (&plan->layout, plan->header.shape, plan->header.rank, plan->kept,
                      plan->n_kept, plan->header.fortran_order);
  plan->kernel = ns_npy_pick_kernel (&plan->header);
  return TRUE;
}

static NsDataset *
ns_npy_read_input (const char *path, const guint8 *data, gsize len, gboolean mapped,
                   const NsReadOptions *options, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsDataset) dataset = NULL;
  g_autofree double **cols = NULL;
  guint n_features;
  NsNpyPlan plan;
  NsNpyFill fill;

  if (!ns_npy_plan (path, data, len, options, &plan, error))
    return NULL;
  dataset = ns_dataset_new_tensor (plan.header.shape, plan.header.rank, plan.kept, plan.n_kept,
                                   error);
  if (dataset == NULL)
    {
      ns_npy_prefix_error (error, path);
      return NULL;
    }
  n_features = ns_dataset_get_n_columns (dataset);
  cols = g_new (double *, n_features);
  for (guint f = 0; f < n_features; f++)
    {
      gsize n = ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset);

      cols[f] = ns_dataset_get_column_data (dataset, f);
      /* Each column is written once, front to back: huge pages fault 512 times less often. */
      ns_advise_huge_pages (cols[f], cols[f] + n);
    }

  fill = (NsNpyFill) { &plan.layout, plan.kernel, data + plan.header.data_offset,
                       plan.header.itemsize, cols };
  if (!ns_npy_fill (&fill, mapped, plan.header.n_elements, options, cancellable, path, error))
    return NULL;
  ns_dataset_count_missing (dataset);
  return g_steal_pointer (&dataset);
}

NsDataset *
ns_npy_read (const char *path, const guint8 *data, gsize len, const NsReadOptions *options,
             GCancellable *cancellable, GError **error)
{
  return ns_npy_read_input (path, data, len, FALSE, options, cancellable, error);
}

NsDataset *
ns_npy_read_mapped (const char *path, const guint8 *data, gsize len, const NsReadOptions *options,
                    GCancellable *cancellable, GError **error)
{
  return ns_npy_read_input (path, data, len, TRUE, options, cancellable, error);
}
