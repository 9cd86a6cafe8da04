/* ns-npz-import.c: stats read from a NumPy .npz (mean + variance, or offset + scale), via libzip.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-npz-import.h"
#include "ns-error.h"
#include "ns-format-double.h"

#include <math.h>
#include <string.h>
#include <zip.h>
#include "ns-npy-format.h"

/* A member's bytes beyond this are refused (stats are one number per feature). */
#define NS_NPZ_MAX_MEMBER ((zip_uint64_t) 1 << 30)

typedef struct {
  const char *path;
  zip_t *archive;
} NsNpzReader;

/* The member's bytes, or NULL with *missing set when the archive has no KEY.npy. */
static GBytes *
ns_npz_read_member (NsNpzReader *reader, const char *key, gboolean *missing, GError **error)
{
  g_autofree char *name = g_strconcat (key, ".npy", NULL);
  zip_stat_t st;
  zip_file_t *file;
  g_autofree guint8 *data = NULL;
  zip_int64_t got;

  *missing = FALSE;
  zip_stat_init (&st);
  if (zip_stat (reader->archive, name, 0, &st) < 0)
    {
      *missing = TRUE;
      return NULL;
    }
  if (!(st.valid & ZIP_STAT_SIZE) || st.size > NS_NPZ_MAX_MEMBER)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED, "%s: member %s is too large for stats",
                   reader->path, name);
      return NULL;
    }
  file = zip_fopen (reader->archive, name, 0);
  if (file == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: cannot open member %s: %s", reader->path,
                   name, zip_strerror (reader->archive));
      return NULL;
    }
  data = g_malloc (st.size + 1);
  got = zip_fread (file, data, st.size);
  /* libzip checks the CRC when a read reaches the end of the member: ask for one byte more. */
  if (got >= 0 && (zip_uint64_t) got == st.size && zip_fread (file, data + st.size, 1) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: member %s is damaged: %s", reader->path,
                   name, zip_file_strerror (file));
      zip_fclose (file);
      return NULL;
    }
  if (got < 0 || (zip_uint64_t) got != st.size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: cannot read member %s: %s", reader->path,
                   name, got < 0 ? zip_file_strerror (file) : "the archive is truncated");
      zip_fclose (file);
      return NULL;
    }
  /* zip_fclose reports any error the reads left pending. */
  if (zip_fclose (file) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: member %s is damaged (CRC mismatch)",
                   reader->path, name);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), st.size);
}

static guint64
ns_npz_load_uint (const guint8 *p, gsize size, char byteorder)
{
  guint64 value = 0;

  for (gsize i = 0; i < size; i++)
    {
      gsize shift = byteorder == '>' ? size - 1 - i : i;

      value |= (guint64) p[i] << (8 * shift);
    }
  return value;
}

static double
ns_npz_element (const NsNpyHeader *header, const guint8 *p)
{
  guint64 bits = ns_npz_load_uint (p, header->itemsize, header->byteorder);

  if (header->kind == 'f' && header->itemsize == 8)
    {
      union {
        guint64 u;
        double d;
      } v = { .u = bits };
      return v.d;
    }
  if (header->kind == 'f')
    {
      union {
        guint32 u;
        float f;
      } v = { .u = (guint32) bits };
      return v.f;
    }
  if (header->kind == 'b' || header->kind == 'u')
    return (double) bits;
  if (header->itemsize < 8 && (bits >> (8 * header->itemsize - 1)) != 0)
    bits |= ~(guint64) 0 << (8 * header->itemsize);
  return (double) (gint64) bits;
}

/* A 1-D numeric member as doubles; *n_columns is set by the first member read, checked after. */
static double *
ns_npz_read_vector (NsNpzReader *reader, const char *key, guint *n_columns, gboolean *missing,
                    GError **error)
{
  g_autoptr (GBytes) bytes = ns_npz_read_member (reader, key, missing, error);
  g_autofree char *where = g_strdup_printf ("%s[%s.npy]", reader->path, key);
  NsNpyHeader header;
  const guint8 *data;
  gsize len;
  double *values;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (!ns_npy_parse_header (where, data, len, &header, error))
    return NULL;
  if (!strchr ("fiub", header.kind) ||
      (header.kind == 'f' && header.itemsize != 4 && header.itemsize != 8) || header.itemsize > 8)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "%s: byte %" G_GSIZE_FORMAT ": dtype '%s' is not supported (expected float32, "
                   "float64 or an integer type)",
                   where, header.descr_offset, header.descr);
      return NULL;
    }
  if (header.rank != 1 || (*n_columns != G_MAXUINT && header.shape[0] != *n_columns) ||
      header.shape[0] >= G_MAXUINT)
    {
      g_autofree char *shape = ns_npy_format_shape (header.shape, header.rank);

      if (*n_columns == G_MAXUINT)
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                     "%s: shape %s: expected one value per feature (a 1-D array)", where, shape);
      else
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                     "%s: shape %s: expected (%u,) like the "
                     "other members",
                     where, shape, *n_columns);
      return NULL;
    }
  if (header.shape[0] == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: expected at least one feature, found an empty array (shape (0,))", where);
      return NULL;
    }
  *n_columns = (guint) header.shape[0];
  values = g_new (double, MAX (header.n_elements, 1));
  for (gsize i = 0; i < header.n_elements; i++)
    values[i] = ns_npz_element (&header, data + header.data_offset + i * header.itemsize);
  return values;
}

static char **
ns_npz_read_names (NsNpzReader *reader, guint n_columns, gboolean *missing, GError **error)
{
  g_autoptr (GBytes) bytes = ns_npz_read_member (reader, "names", missing, error);
  g_autofree char *where = g_strdup_printf ("%s[names.npy]", reader->path);
  g_auto (GStrv) names = NULL;
  NsNpyHeader header;
  const guint8 *data;
  gsize len, chars;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (!ns_npy_parse_header (where, data, len, &header, error))
    return NULL;
  if ((header.kind != 'U' && header.kind != 'S') || header.rank != 1 ||
      header.shape[0] != n_columns)
    {
      g_autofree char *shape = ns_npy_format_shape (header.shape, header.rank);

      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GSIZE_FORMAT ": expected %u "
                   "strings ('<U' or '|S', shape (%u,)), found '%s' with shape %s",
                   where, header.descr_offset, n_columns, n_columns, header.descr, shape);
      return NULL;
    }
  names = g_new0 (char *, n_columns + 1);
  chars = header.kind == 'U' ? header.itemsize / 4 : header.itemsize;
  for (guint c = 0; c < n_columns; c++)
    {
      const guint8 *p = data + header.data_offset + c * header.itemsize;
      g_autofree gunichar *text = g_new0 (gunichar, chars + 1);

      for (gsize i = 0; i < chars; i++)
        {
          text[i] = header.kind == 'U'
                      ? (gunichar) ns_npz_load_uint (p + 4 * i, 4, header.byteorder)
                      : p[i];
          /* g_ucs4_to_utf8 would encode code points past U+10FFFF as invalid 5- and 6-byte UTF-8.
           */
          if (text[i] != 0 && !g_unichar_validate (text[i]))
            {
              g_set_error (
                error, NS_ERROR, NS_ERROR_PARSE,
                "%s: element %u: expected Unicode text, found code point 0x%" G_GINT32_MODIFIER "x",
                where, c, text[i]);
              return NULL;
            }
        }
      names[c] = g_ucs4_to_utf8 (text, -1, NULL, NULL, NULL);
      if (names[c] == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: name %u is not valid text", where, c);
          return NULL;
        }
    }
  return g_steal_pointer (&names);
}

typedef struct {
  double *mean, *variance, *offset, *scale, *count, *missing;
} NsNpzVectors;

static void
ns_npz_vectors_clear (NsNpzVectors *v)
{
  g_free (v->mean);
  g_free (v->variance);
  g_free (v->offset);
  g_free (v->scale);
  g_free (v->count);
  g_free (v->missing);
}

/* "mean.npy, names.npy" (or "no members"), for messages. */
static char *
ns_npz_describe_members (NsNpzReader *reader)
{
  zip_int64_t n = zip_get_num_entries (reader->archive, 0);
  GString *names = g_string_new (NULL);

  for (zip_int64_t i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                            zip_get_name (reader->archive, (zip_uint64_t) i, 0));
  if (n <= 0)
    g_string_append (names, "no members");
  return g_string_free (names, FALSE);
}

/* An archive of a method whose transform is not (x - offset) / scale: its offset and scale members
 * alone would scale the data wrongly. */
static gboolean
ns_npz_check_affine (NsNpzReader *reader, GError **error)
{
  static const char *const members[] = { "lambdas_.npy", "quantiles_.npy", "norm.npy" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (zip_name_locate (reader->archive, members[i], 0) >= 0)
      {
        g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                     "%s: holds %s, a fitted %s: its transform is not (x - offset) / scale, so "
                     "read the JSON stats file it was exported from instead",
                     reader->path, members[i],
                     i == 0   ? "PowerTransformer"
                     : i == 1 ? "QuantileTransformer"
                              : "Normalizer");
        return FALSE;
      }
  return TRUE;
}

static gboolean
ns_npz_read_vectors (NsNpzReader *reader, NsNpzVectors *v, guint *n_columns, GError **error)
{
  struct {
    const char *key;
    double **slot;
  } wanted[] = {
    { "offset", &v->offset },     { "scale", &v->scale }, { "mean", &v->mean },
    { "variance", &v->variance }, { "count", &v->count }, { "missing", &v->missing },
  };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      gboolean missing;

      *wanted[i].slot = ns_npz_read_vector (reader, wanted[i].key, n_columns, &missing, error);
      if (*wanted[i].slot == NULL && !missing)
        return FALSE;
    }
  if ((v->offset == NULL) != (v->scale == NULL) ||
      (v->offset == NULL && (v->mean == NULL || v->variance == NULL)))
    {
      g_autofree char *found = ns_npz_describe_members (reader);

      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: expected members mean and variance, or offset and scale, found %s",
                   reader->path, found);
      return FALSE;
    }
  return TRUE;
}

static NsStats *
ns_npz_build_stats (NsNpzReader *reader, NsNpzVectors *v, guint n_columns, char **names)
{
  NsStats *stats = ns_stats_new ("standard", n_columns);
  JsonObject *params = ns_stats_get_params (stats);

  json_object_set_string_member (params, "imported_from", "npz");
  json_object_set_string_member (
    params, "transform",
    v->offset != NULL ? "offset and scale as stored"
                      : "offset = mean, scale = sqrt(variance) (1 where the variance is 0)");
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *fallback = g_strdup_printf ("x%u", c);
      double mean = v->mean != NULL ? v->mean[c] : v->offset[c];
      double variance = v->variance != NULL ? v->variance[c] : v->scale[c] * v->scale[c];
      double offset = v->offset != NULL ? v->offset[c] : mean;
      double scale = v->scale != NULL ? v->scale[c] : sqrt (variance);

      /* scikit-learn's _handle_zeros_in_scale: a zero scale divides by 1. */
      if (v->scale == NULL && scale == 0.0)
        scale = 1.0;
      ns_stats_set_column (stats, c, names != NULL ? names[c] : fallback,
                           v->count != NULL ? v->count[c] : 0.0,
                           v->missing != NULL ? v->missing[c] : 0.0, mean, variance, offset, scale);
    }
  ns_stats_set_source (stats, reader->path, 0, NULL);
  return stats;
}

NsStats *
ns_npz_import (const char *path, GError **error)
{
  NsNpzReader reader = { path, NULL };
  NsNpzVectors vectors = { 0 };
  g_auto (GStrv) names = NULL;
  guint n_columns = G_MAXUINT;
  NsStats *stats = NULL;
  int zip_code = 0;

  reader.archive = zip_open (path, ZIP_RDONLY | ZIP_CHECKCONS, &zip_code);
  if (reader.archive == NULL)
    {
      zip_error_t zip_error;

      zip_error_init_with_code (&zip_error, zip_code);
      g_set_error (error, NS_ERROR,
                   zip_code == ZIP_ER_NOENT || zip_code == ZIP_ER_OPEN ? NS_ERROR_IO
                                                                       : NS_ERROR_PARSE,
                   "%s: cannot open as a NumPy .npz: %s", path, zip_error_strerror (&zip_error));
      zip_error_fini (&zip_error);
      return NULL;
    }
  if (ns_npz_check_affine (&reader, error) &&
      ns_npz_read_vectors (&reader, &vectors, &n_columns, error))
    {
      gboolean missing;

      names = ns_npz_read_names (&reader, n_columns, &missing, error);
      if (names != NULL || missing)
        stats = ns_npz_build_stats (&reader, &vectors, n_columns, names);
    }
  ns_npz_vectors_clear (&vectors);
  zip_discard (reader.archive);
  if (stats != NULL && !ns_stats_check_transform (stats, path, error))
    g_clear_pointer (&stats, ns_stats_free);
  return stats;
}
