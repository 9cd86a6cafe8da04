/* ns-npy-format.c: the NumPy .npy container: header parsing and encoding (headers byte-identical
 * to NumPy's), and the layout that maps storage order to dataset columns.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-npy-format.h"

#include <stdarg.h>
#include <string.h>

/* ---- Header parsing: a Python dict literal, parsed strictly with byte offsets for messages. */

typedef struct {
  const char *path;
  const char *text;
  gsize len;
  gsize pos;
  gsize base; /* file offset of text[0] */
  gsize shape_pos;
  GError **error;
} NsNpyParser;

static gboolean G_GNUC_PRINTF (4, 5)
  ns_npy_fail_at (NsNpyParser *parser, gsize pos, int code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, NS_ERROR, code, "%s: byte %" G_GSIZE_FORMAT ": %s", parser->path,
               parser->base + pos, message);
  return FALSE;
}

static void
ns_npy_skip_space (NsNpyParser *parser)
{
  while (parser->pos < parser->len &&
         (parser->text[parser->pos] == ' ' || parser->text[parser->pos] == '\t' ||
          parser->text[parser->pos] == '\r' || parser->text[parser->pos] == '\n'))
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
  if (parser->pos >= parser->len ||
      (parser->text[parser->pos] != '\'' && parser->text[parser->pos] != '"'))
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
                             "found %s",
                             found);
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
    parser->pos++; /* Python 2 NumPy wrote long integers as 3L */
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
                           "(%" G_GSIZE_FORMAT ",))",
                           header->shape[0]);
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
    header->kind = 'b', count = 1, has_digits = TRUE; /* NumPy's one-character bool code */
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
                               "'fortran_order' and 'shape')",
                               key);
      if (seen[k])
        return ns_npy_fail_at (parser, key_pos, NS_ERROR_PARSE,
                               "the key '%s' appears twice in the header", key);
      seen[k] = TRUE;
      if (!ns_npy_expect (parser, ':', "':' after a key"))
        return FALSE;
      if (!(k == 0   ? ns_npy_parse_descr (parser, header)
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
      return ns_npy_fail_at (parser, parser->pos, NS_ERROR_PARSE, "the header has no '%s' key",
                             keys[k]);
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
                   "size overflows",
                   parser->path, parser->base + parser->shape_pos, shape);
      return FALSE;
    }
  header->n_elements = n;
  header->data_len = n * header->itemsize;
  if (header->data_len > file_len - header->data_offset)
    {
      g_set_error (parser->error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GSIZE_FORMAT ": the header promises %" G_GSIZE_FORMAT
                   " bytes of data, the file has %" G_GSIZE_FORMAT,
                   parser->path, header->data_offset, header->data_len,
                   file_len - header->data_offset);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ns_npy_truncated (const char *path, gsize len, gsize needed, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
               "%s: byte %" G_GSIZE_FORMAT ": truncated header: the file has %" G_GSIZE_FORMAT
               " bytes, the header needs %" G_GSIZE_FORMAT,
               path, len, len, needed);
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
                                  : (gsize) data[8] | (gsize) data[9] << 8 |
                                      (gsize) data[10] << 16 | (gsize) data[11] << 24;
  if (header_len > len - prefix)
    return ns_npy_truncated (path, len, prefix + header_len, error);
  if (header->major == 3 && !g_utf8_validate ((const char *) data + prefix, header_len, NULL))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GSIZE_FORMAT ": the header of a version 3.0 file is not valid "
                   "UTF-8",
                   path, prefix);
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

/* ---- Layout: where each element in storage order goes, and walking it in storage order. */

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
      if (last != NULL && a != 0 && sample_dim != n - 1 && d->src == last->src * last->size &&
          d->col == last->col * last->size && d->dst == last->dst * last->size)
        last->size *= d->size;
      else
        layout->dims[n++] = *d;
    }
  while (n < 2)
    layout->dims[n++] = (NsNpyDim) { 1, 0, 0, 0 };
  layout->n_dims = n;
}

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

/* ---- Encoding. */

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
      g_autofree char *growth =
        g_strdup_printf ("%" G_GSIZE_FORMAT, shape[fortran_order ? rank - 1 : 0]);

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
