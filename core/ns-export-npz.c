/* ns-export-npz.c: stats as a NumPy .npz archive (one .npy member per quantity), via libzip.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-npz.h"

#include <math.h>
#include <string.h>
#include <zip.h>
#include "ns-normalizer.h"
#include "ns-npy-format.h"

/* 1980-01-01 12:00 UTC: the zip epoch in every time zone, so the bytes are reproducible. */
#define NS_NPZ_MTIME ((time_t) 315576000)

typedef struct {
  char *name; /* member name without ".npy" */
  GBytes *npy;
} NsNpzMember;

static void
ns_npz_member_clear (gpointer data)
{
  NsNpzMember *member = data;

  g_free (member->name);
  g_bytes_unref (member->npy);
}

static void
ns_npz_add (GArray *members, const char *name, GBytes *npy)
{
  NsNpzMember member = { g_strdup (name), npy };

  g_array_append_val (members, member);
}

static gboolean
ns_npz_has (GArray *members, const char *name)
{
  for (guint i = 0; i < members->len; i++)
    if (strcmp (g_array_index (members, NsNpzMember, i).name, name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
ns_npz_all_integral (const double *values, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (values[i]) || values[i] != floor (values[i]) ||
        fabs (values[i]) > 9007199254740992.0)
      return FALSE;
  return TRUE;
}

static GBytes *
ns_npz_encode_int64 (const gint64 *values, guint n, guint rank)
{
  g_autofree guint64 *le = g_new (guint64, MAX (n, 1));
  gsize shape[1] = { n };

  for (guint i = 0; i < n; i++)
    le[i] = GUINT64_TO_LE ((guint64) values[i]);
  return ns_npy_encode ("<i8", shape, rank, FALSE, le, (gsize) n * 8);
}

static GBytes *
ns_npz_encode_doubles (const double *values, guint n, gboolean f64)
{
  gsize shape[1] = { n };
  g_autofree guint8 *data = g_malloc (MAX ((gsize) n * 8, 1));

  for (guint i = 0; i < n; i++)
    {
      if (f64)
        {
          union {
            double d;
            guint64 u;
          } v = { .d = values[i] };
          guint64 le = GUINT64_TO_LE (v.u);

          memcpy (data + (gsize) i * 8, &le, 8);
        }
      else
        {
          union {
            float f;
            guint32 u;
          } v = { .f = (float) values[i] };
          guint32 le = GUINT32_TO_LE (v.u);

          memcpy (data + (gsize) i * 4, &le, 4);
        }
    }
  return ns_npy_encode (f64 ? "<f8" : "<f4", shape, 1, FALSE, data, (gsize) n * (f64 ? 8 : 4));
}

/* Counts are integers unless weights made them fractional. */
static GBytes *
ns_npz_encode_counts (const double *values, guint n)
{
  g_autofree gint64 *ints = NULL;

  if (!ns_npz_all_integral (values, n))
    return ns_npz_encode_doubles (values, n, TRUE);
  ints = g_new (gint64, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    ints[i] = (gint64) values[i];
  return ns_npz_encode_int64 (ints, n, 1);
}

/* NumPy's fixed-width unicode array '<U<width>': UTF-32LE, zero-padded. */
static GBytes *
ns_npz_encode_names (const NsStats *stats)
{
  guint n = ns_stats_get_n_columns (stats);
  g_autoptr (GPtrArray) ucs4 = g_ptr_array_new_with_free_func (g_free);
  glong width = 1;
  g_autofree guint32 *data = NULL;
  char descr[32];
  gsize shape[1] = { n };

  for (guint c = 0; c < n; c++)
    {
      glong len = 0;
      gunichar *text = g_utf8_to_ucs4_fast (ns_stats_get_name (stats, c), -1, &len);

      g_ptr_array_add (ucs4, text);
      width = MAX (width, len);
    }
  data = g_new0 (guint32, MAX ((gsize) n * (gsize) width, 1));
  for (guint c = 0; c < n; c++)
    {
      const gunichar *text = g_ptr_array_index (ucs4, c);

      for (glong i = 0; text[i] != 0; i++)
        data[(gsize) c * (gsize) width + (gsize) i] = GUINT32_TO_LE (text[i]);
    }
  g_snprintf (descr, sizeof descr, "<U%ld", width);
  return ns_npy_encode (descr, shape, 1, FALSE, data, (gsize) n * (gsize) width * 4);
}

/* A field key becomes the member "KEY.npy": only letters, digits, '_' and '-' (not first), so no
 * member name leaves the folder unzip writes to ('/', '\\', "..", "C:") or holds controls. */
static gboolean
ns_npz_is_plain_name (const char *key)
{
  static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

  return key[0] != '\0' && key[0] != '-' && key[strspn (key, plain)] == '\0';
}

/* A 0-d unicode array holding text (ASCII here: a norm's name). */
static GBytes *
ns_npz_encode_text (const char *text)
{
  gsize len = strlen (text);
  g_autofree guint32 *data = g_new0 (guint32, MAX (len, 1));
  char descr[32];

  for (gsize i = 0; i < len; i++)
    data[i] = GUINT32_TO_LE ((guint32) (guchar) text[i]);
  g_snprintf (descr, sizeof descr, "<U%zu", MAX (len, 1));
  return ns_npy_encode (descr, NULL, 0, FALSE, data, MAX (len, 1) * 4);
}

/* The fitted attributes of PowerTransformer, QuantileTransformer and Normalizer under
 * scikit-learn's names (the internal StandardScaler's as scaler_mean_, scaler_var_,
 * scaler_scale_), so numpy.load gives what the fitted object holds. */
static void
ns_npz_collect_sklearn_family (const NsStats *stats, gboolean f64, GArray *members)
{
  const char *method = ns_stats_get_method (stats);
  guint n = ns_stats_get_n_columns (stats);

  if (g_strcmp0 (method, "yeo-johnson") == 0 || g_strcmp0 (method, "box-cox") == 0)
    {
      g_autofree double *lambdas = ns_export_field (stats, "lambda");
      g_autofree double *variance = ns_export_field (stats, "scaler_variance");

      ns_npz_add (members, "lambdas_", ns_npz_encode_doubles (lambdas, n, TRUE));
      if (variance != NULL)
        {
          g_autofree double *mean = ns_export_quantity (stats, NS_EXPORT_OFFSET);
          g_autofree double *scale = ns_export_quantity (stats, NS_EXPORT_SCALE);

          ns_npz_add (members, "scaler_mean_", ns_npz_encode_doubles (mean, n, f64));
          ns_npz_add (members, "scaler_var_", ns_npz_encode_doubles (variance, n, f64));
          ns_npz_add (members, "scaler_scale_", ns_npz_encode_doubles (scale, n, f64));
        }
    }
  else if (g_strcmp0 (method, "quantile") == 0)
    {
      gsize k;
      const double *references = ns_stats_get_references (stats, &k);
      g_autofree double *grid = g_new (double, MAX (k * n, 1));
      gint64 n_quantiles = (gint64) k;
      gsize shape[2] = { k, n };

      /* quantiles_ is (n_quantiles_, n_features), C order. */
      for (guint c = 0; c < n; c++)
        {
          const double *column = ns_stats_get_array (stats, c, "quantiles", NULL);

          for (gsize i = 0; i < k; i++)
            {
              union {
                double d;
                guint64 u;
              } v = { .d = column[i] };

              v.u = GUINT64_TO_LE (v.u);
              grid[i * n + c] = v.d;
            }
        }
      ns_npz_add (members, "quantiles_", ns_npy_encode ("<f8", shape, 2, FALSE, grid, k * n * 8));
      ns_npz_add (members, "references_", ns_npz_encode_doubles (references, (guint) k, TRUE));
      ns_npz_add (members, "n_quantiles_", ns_npz_encode_int64 (&n_quantiles, 1, 0));
    }
  else if (g_strcmp0 (method, "normalizer") == 0)
    {
      const char *norm = ns_stats_get_param_string (stats, "norm");

      if (norm == NULL)
        norm = ns_norm_kind_to_string (NS_NORM_L2); /* scikit-learn's default */
      ns_npz_add (members, "norm", ns_npz_encode_text (norm));
    }
}

static void
ns_npz_collect (const NsStats *stats, const NsExportOptions *options, GArray *members)
{
  guint n = ns_stats_get_n_columns (stats);
  gboolean f64 = ns_export_use_f64 (options, TRUE);
  static const struct {
    const char *name;
    NsExportQuantity quantity;
  } quantities[] = {
    { "mean", NS_EXPORT_MEAN },
    { "variance", NS_EXPORT_VARIANCE },
    { "scale", NS_EXPORT_SCALE },
    { "offset", NS_EXPORT_OFFSET },
  };
  g_auto (GStrv) fields = ns_export_common_fields (stats);
  g_autofree double *count = ns_export_quantity (stats, NS_EXPORT_COUNT);
  g_autofree double *missing = ns_export_quantity (stats, NS_EXPORT_MISSING);

  for (guint i = 0; i < G_N_ELEMENTS (quantities); i++)
    {
      g_autofree double *values = ns_export_quantity (stats, quantities[i].quantity);

      ns_npz_add (members, quantities[i].name, ns_npz_encode_doubles (values, n, f64));
    }
  ns_npz_add (members, "count", ns_npz_encode_counts (count, n));
  ns_npz_add (members, "missing", ns_npz_encode_counts (missing, n));
  /* Each method's own fields (min, max, running_mean, ...) under their own names. */
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree double *values = NULL;

      if (!ns_npz_is_plain_name (fields[i]) || strcmp (fields[i], "names") == 0 ||
          ns_npz_has (members, fields[i]))
        continue;
      values = ns_export_field (stats, fields[i]);
      ns_npz_add (members, fields[i], ns_npz_encode_doubles (values, n, f64));
    }
  ns_npz_collect_sklearn_family (stats, f64, members);
  if (ns_export_is_batchnorm (stats))
    {
      gint64 tracked = ns_export_num_batches_tracked (stats);

      ns_npz_add (members, "num_batches_tracked", ns_npz_encode_int64 (&tracked, 1, 0));
    }
  ns_npz_add (members, "names", ns_npz_encode_names (stats));
}

static void
ns_npz_set_error (GError **error, const char *what, zip_error_t *zip_error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "npz: cannot %s: %s", what,
               zip_error_strerror (zip_error));
}

static gboolean
ns_npz_add_members (zip_t *archive, GArray *members, GError **error)
{
  for (guint i = 0; i < members->len; i++)
    {
      const NsNpzMember *member = &g_array_index (members, NsNpzMember, i);
      g_autofree char *file_name = g_strconcat (member->name, ".npy", NULL);
      gsize len;
      const void *data = g_bytes_get_data (member->npy, &len);
      zip_source_t *source = zip_source_buffer (archive, data, len, 0);
      zip_int64_t index;

      if (source == NULL)
        {
          ns_npz_set_error (error, "add a member", zip_get_error (archive));
          return FALSE;
        }
      index = zip_file_add (archive, file_name, source, ZIP_FL_ENC_UTF_8);
      if (index < 0)
        {
          zip_source_free (source);
          ns_npz_set_error (error, "add a member", zip_get_error (archive));
          return FALSE;
        }
      /* np.savez stores members uncompressed. */
      if (zip_set_file_compression (archive, (zip_uint64_t) index, ZIP_CM_STORE, 0) < 0 ||
          zip_file_set_mtime (archive, (zip_uint64_t) index, NS_NPZ_MTIME, 0) < 0)
        {
          ns_npz_set_error (error, "add a member", zip_get_error (archive));
          return FALSE;
        }
    }
  return TRUE;
}

static GBytes *
ns_npz_read_source (zip_source_t *buffer, GError **error)
{
  zip_stat_t st;
  g_autofree guint8 *data = NULL;
  zip_int64_t got;

  if (zip_source_open (buffer) < 0)
    {
      ns_npz_set_error (error, "read the archive", zip_source_error (buffer));
      return NULL;
    }
  zip_stat_init (&st);
  if (zip_source_stat (buffer, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
    {
      ns_npz_set_error (error, "read the archive", zip_source_error (buffer));
      zip_source_close (buffer);
      return NULL;
    }
  data = g_malloc (MAX (st.size, 1));
  got = zip_source_read (buffer, data, st.size);
  zip_source_close (buffer);
  if (got < 0 || (zip_uint64_t) got != st.size)
    {
      ns_npz_set_error (error, "read the archive", zip_source_error (buffer));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), st.size);
}

GBytes *
ns_export_npz_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  g_autoptr (GArray) members = g_array_new (FALSE, TRUE, sizeof (NsNpzMember));
  zip_error_t zip_error;
  zip_source_t *buffer;
  zip_t *archive;
  GBytes *result = NULL;

  g_array_set_clear_func (members, ns_npz_member_clear);
  ns_npz_collect (stats, options, members);
  zip_error_init (&zip_error);
  buffer = zip_source_buffer_create (NULL, 0, 0, &zip_error);
  archive = buffer != NULL ? zip_open_from_source (buffer, ZIP_TRUNCATE, &zip_error) : NULL;
  if (archive == NULL)
    {
      ns_npz_set_error (error, "create the archive", &zip_error);
      zip_source_free (buffer);
      zip_error_fini (&zip_error);
      return NULL;
    }
  /* Keep the buffer alive after zip_close, which writes the archive into it. */
  zip_source_keep (buffer);
  if (!ns_npz_add_members (archive, members, error))
    zip_discard (archive);
  else if (zip_close (archive) < 0)
    {
      ns_npz_set_error (error, "write the archive", zip_get_error (archive));
      zip_discard (archive);
    }
  else
    result = ns_npz_read_source (buffer, error);
  zip_source_free (buffer);
  zip_error_fini (&zip_error);
  return result;
}
