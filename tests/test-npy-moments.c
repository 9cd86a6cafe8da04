/* test-npy-moments.c: moments of a .npy read from its bytes equal those of the loaded columns.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>
#include <string.h>

#include "ns-error.h"
#include "ns-npy-format.h"
#include "ns-npy-private.h"
#include "ns-partial.h"
#include "ns-reader.h"
#include "test-utils.h"

static char *tmp_dir;

/* One element of the given dtype holding v (rounded or truncated as the dtype needs). */
static void
put_element (guint8 *out, const char *descr, double v)
{
  gboolean big = descr[0] == '>';
  const char *type = descr + 1;
  guint8 bytes[8];
  gsize size;

  if (strcmp (type, "f8") == 0)
    memcpy (bytes, &v, size = 8);
  else if (strcmp (type, "f4") == 0)
    {
      float f = (float) v;

      memcpy (bytes, &f, size = 4);
    }
  else if (strcmp (type, "i2") == 0)
    {
      gint16 i = (gint16) v;

      memcpy (bytes, &i, size = 2);
    }
  else if (strcmp (type, "i4") == 0)
    {
      gint32 i = (gint32) v;

      memcpy (bytes, &i, size = 4);
    }
  else if (strcmp (type, "u1") == 0)
    bytes[0] = (guint8) v, size = 1;
  else if (strcmp (type, "b1") == 0)
    bytes[0] = v != 0, size = 1;
  else
    g_assert_not_reached ();
  for (gsize i = 0; i < size; i++)
    out[i] = bytes[big == (G_BYTE_ORDER == G_LITTLE_ENDIAN) ? size - 1 - i : i];
}

static gsize
itemsize_of (const char *descr)
{
  return (gsize) (descr[2] - '0');
}

/* A .npy of the given dtype and shape: values from a fixed seed (integers for integer dtypes),
 * and for floating dtypes a NaN every 997 elements and one +inf. */
static GBytes *
make_npy (const char *descr, const gsize *shape, guint rank, gboolean fortran, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  gsize n = 1, itemsize = itemsize_of (descr);
  g_autofree guint8 *data = NULL;
  gboolean floating = descr[1] == 'f';

  for (guint i = 0; i < rank; i++)
    n *= shape[i];
  data = g_malloc (n * itemsize);
  for (gsize i = 0; i < n; i++)
    {
      double v;

      if (floating)
        v = (i % 5) * 1e3 + g_rand_double_range (rand, -4, 4);
      else if (descr[1] == 'u' || descr[1] == 'b')
        v = g_rand_int_range (rand, 0, 256);
      else
        v = g_rand_int_range (rand, -30000, 30000);
      if (floating && i % 997 == 13)
        v = NAN;
      if (floating && i == n / 2 + 2)
        v = INFINITY;
      put_element (data + i * itemsize, descr, v);
    }
  return ns_npy_encode (descr, shape, rank, fortran, data, n * itemsize);
}

/* The reference: the loaded columns, each added whole. */
static NsMoments *
reference_moments (GBytes *bytes, const char *axis, guint *n_features, NsDataset **dataset_out)
{
  g_autoptr (GError) error = NULL;
  NsReadOptions options;
  NsDataset *dataset;
  NsMoments *moments;

  ns_read_options_init (&options);
  options.axis = axis;
  dataset = ns_npy_read ("x.npy", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                         &options, NULL, &error);
  g_assert_no_error (error);
  *n_features = ns_dataset_get_n_columns (dataset);
  moments = g_new (NsMoments, *n_features);
  for (guint f = 0; f < *n_features; f++)
    {
      ns_moments_init (&moments[f]);
      ns_moments_add (&moments[f], ns_dataset_get_values (dataset, f),
                      ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset),
                      1);
    }
  *dataset_out = dataset;
  return moments;
}

static NsPartial *
read_partial (const guint8 *data, gsize len, const char *axis, gboolean approx, guint n_threads,
              guint64 *n_samples, GCancellable *cancellable, GError **error)
{
  NsReadOptions read_options;
  NsScalerOptions options;

  ns_read_options_init (&read_options);
  read_options.axis = axis;
  ns_scaler_options_init (&options, approx ? NS_METHOD_ROBUST : NS_METHOD_STANDARD);
  return ns_npy_read_partial ("x.npy", data, len, &read_options, &options, approx, n_threads, -1,
                              n_samples, cancellable, error);
}

typedef struct {
  const char *descr;
  gsize shape[4];
  guint rank;
  gboolean fortran;
  const char *axis;
  const char *params; /* the tensor params as the partial file writes them */
  gsize misalign;     /* bytes the data is moved off its alignment */
} NpyCase;

static void
check_case (const NpyCase *c, guint32 seed)
{
  g_autoptr (GBytes) bytes = make_npy (c->descr, c->shape, c->rank, c->fortran, seed);
  g_autoptr (NsDataset) dataset = NULL;
  g_autofree NsMoments *want = NULL;
  g_autofree guint8 *copy = NULL;
  const guint8 *data;
  gsize len = g_bytes_get_size (bytes);
  guint n_features;

  want = reference_moments (bytes, c->axis, &n_features, &dataset);
  copy = g_malloc (len + c->misalign);
  memcpy (copy + c->misalign, g_bytes_get_data (bytes, NULL), len);
  data = copy + c->misalign;
  for (guint n_threads = 1; n_threads <= 3; n_threads++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) partial = NULL;
      g_autofree char *json = NULL;
      guint64 n_samples = 0;

      partial = read_partial (data, len, c->axis, FALSE, n_threads, &n_samples, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n_samples, ==, c->shape[0]);
      g_assert_cmpuint (ns_partial_get_n_columns (partial), ==, n_features);
      for (guint f = 0; f < n_features; f++)
        {
          const NsMoments *got = ns_partial_peek_moments (partial, f);

          g_assert_cmpstr (ns_partial_get_name (partial, f), ==,
                           ns_dataset_get_column_name (dataset, f));
          if (memcmp (got, &want[f], sizeof *got) != 0)
            g_error ("%s %s axis %s, %u threads, feature %u: count %.17g/%.17g mean %.17g/%.17g "
                     "m2 %.17g/%.17g m3 %.17g/%.17g m4 %.17g/%.17g missing %.17g/%.17g",
                     c->descr, c->fortran ? "F" : "C", c->axis, n_threads, f, got->count,
                     want[f].count, got->mean, want[f].mean, got->m2, want[f].m2, got->m3,
                     want[f].m3, got->m4, want[f].m4, got->missing, want[f].missing);
        }
      json = ns_partial_to_json_string (partial);
      if (strstr (json, c->params) == NULL)
        g_error ("%s axis %s: no '%s' in %s", c->descr, c->axis, c->params, json);
    }
}

static void
test_layouts (void)
{
  const NpyCase cases[] = {
    /* native float64 rows, read in place */
    { "<f8", { 5000, 3 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [5000, 3]}", 0 },
    { "<f8", { 5001, 1 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [5001, 1]}", 0 },
    { "<f8", { 7001 }, 1, FALSE, "none", "\"axis\": [], \"rank\": 1, \"shape\": [7001]}", 0 },
    { "<f8",
      { 300, 6, 5, 3 },
      4,
      FALSE,
      "-1",
      "\"axis\": [3], \"rank\": 4, \"shape\": [300, 6, 5, 3]}",
      0 },
    { "<f8",
      { 500, 4, 3, 2 },
      4,
      FALSE,
      "2,3",
      "\"axis\": [2, 3], \"rank\": 4, \"shape\": [500, 4, 3, 2]}",
      0 },
    { "<f8",
      { 270001, 4 },
      2,
      FALSE,
      "-1",
      "\"axis\": [1], \"rank\": 2, \"shape\": [270001, 4]}",
      0 },
    /* through column buffers */
    { "<f8",
      { 300, 3, 6, 5 },
      4,
      FALSE,
      "1",
      "\"axis\": [1], \"rank\": 4, \"shape\": [300, 3, 6, 5]}",
      0 },
    { "<f8", { 5000, 3 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [5000, 3]}", 1 },
    { "<f4", { 5000, 3 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [5000, 3]}", 0 },
    { ">f8", { 5000, 3 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [5000, 3]}", 0 },
    { "<i2",
      { 5000, 2, 2, 3 },
      4,
      FALSE,
      "1",
      "\"axis\": [1], \"rank\": 4, \"shape\": [5000, 2, 2, 3]}",
      0 },
    { ">i4", { 3000, 5 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [3000, 5]}", 0 },
    { "|u1", { 9000, 4 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [9000, 4]}", 0 },
    { "|b1", { 3000, 2 }, 2, FALSE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [3000, 2]}", 0 },
    { "<f4",
      { 9000, 3, 5, 7 },
      4,
      FALSE,
      "1",
      "\"axis\": [1], \"rank\": 4, \"shape\": [9000, 3, 5, 7]}",
      0 },
    /* loaded whole: Fortran order, the samples inside a single run (f4 (N, F) with axis none),
     * and 2049 values per sample and feature */
    { "<f4", { 2500, 3 }, 2, FALSE, "none", "\"axis\": [], \"rank\": 2, \"shape\": [2500, 3]}", 0 },
    { "<f8", { 5000, 3 }, 2, TRUE, "-1", "\"axis\": [1], \"rank\": 2, \"shape\": [5000, 3]}", 0 },
    { "<f4", { 40, 3, 7 }, 3, TRUE, "1", "\"axis\": [1], \"rank\": 3, \"shape\": [40, 3, 7]}", 0 },
    { "<f4",
      { 3, 2, 2049 },
      3,
      FALSE,
      "1",
      "\"axis\": [1], \"rank\": 3, \"shape\": [3, 2, 2049]}",
      0 },
    /* (N, H, C) with axis -1: N and H merge into one run of rows of C, read in units */
    { "<f4",
      { 3, 2049, 2 },
      3,
      FALSE,
      "-1",
      "\"axis\": [2], \"rank\": 3, \"shape\": [3, 2049, 2]}",
      0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_case (&cases[i], 1000 + i);
}

/* NaN values really are skipped and counted, and infinities counted, on both paths. */
static void
test_special_values (void)
{
  const gsize shape[] = { 4000, 2 };
  const char *const descrs[] = { "<f8", ">f8" };

  for (guint d = 0; d < G_N_ELEMENTS (descrs); d++)
    {
      g_autoptr (GBytes) bytes = make_npy (descrs[d], shape, 2, FALSE, 3);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) partial = NULL;
      guint64 n_samples;
      double missing[2] = { 0, 0 };

      for (gsize i = 0; i < 8000; i++)
        if (i % 997 == 13)
          missing[i % 2]++;
      partial = read_partial (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "-1", FALSE,
                              2, &n_samples, NULL, &error);
      g_assert_no_error (error);
      for (guint f = 0; f < 2; f++)
        {
          const NsMoments *m = ns_partial_peek_moments (partial, f);

          g_assert_cmpfloat (m->missing, ==, missing[f]);
          g_assert_cmpfloat (m->count, ==, 4000 - missing[f]);
          g_assert_cmpfloat (m->infinite, ==, f == 0 ? 1 : 0); /* element 4002: feature 0 */
        }
      g_assert_cmpfloat (ns_partial_peek_moments (partial, 0)->max, ==, INFINITY);
      g_assert_true (isfinite (ns_partial_peek_moments (partial, 1)->mean));
    }
}

/* With approx_quantiles the sketches see the values in order: the same sketch for any number of
 * threads, on both paths, with quartiles inside the documented rank error. */
static void
test_sketches (void)
{
  const gsize rows_shape[] = { 30001, 2 }, image_shape[] = { 4001, 2, 3, 3 };
  const struct {
    const char *descr;
    const gsize *shape;
    guint rank;
    const char *axis;
  } cases[] = {
    { "<f8", rows_shape, 2, "-1" },
    { "<f4", image_shape, 4, "1" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (GBytes) bytes =
        make_npy (cases[c].descr, cases[c].shape, cases[c].rank, FALSE, 77 + c);
      g_autoptr (NsDataset) dataset = NULL;
      g_autofree NsMoments *want = NULL;
      g_autofree char *first = NULL;
      guint n_features;

      want = reference_moments (bytes, cases[c].axis, &n_features, &dataset);
      for (guint n_threads = 1; n_threads <= 3; n_threads++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (NsPartial) partial = NULL;
          g_autoptr (GString) sketches = g_string_new (NULL);
          guint64 n_samples;

          partial = read_partial (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  cases[c].axis, TRUE, n_threads, &n_samples, NULL, &error);
          g_assert_no_error (error);
          g_assert_true (ns_partial_get_approx_quantiles (partial));
          for (guint f = 0; f < n_features; f++)
            {
              NsSketch *sketch = ns_partial_get_sketch (partial, f);
              gsize n = ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset);
              g_autofree double *sorted =
                g_memdup2 (ns_dataset_get_values (dataset, f), n * sizeof (double));
              gsize kept = 0, below = 0;
              double median = ns_sketch_quantile (sketch, 0.5);

              g_assert_true (
                memcmp (ns_partial_peek_moments (partial, f), &want[f], sizeof want[f]) == 0);
              g_assert_cmpuint (ns_sketch_get_count (sketch), ==, (guint64) want[f].count);
              ns_sketch_append_json (sketch, sketches);
              for (gsize i = 0; i < n; i++)
                if (!isnan (sorted[i]))
                  {
                    kept++;
                    below += sorted[i] < median;
                  }
              g_assert_cmpfloat (fabs ((double) below / kept - 0.5), <=,
                                 NS_SKETCH_RANK_ERROR + 1.0 / kept);
            }
          if (first == NULL)
            first = g_strdup (sketches->str);
          g_assert_cmpstr (sketches->str, ==, first);
        }
    }
}

static void
test_cancelled (void)
{
  const gsize shape[] = { 5000, 3 };
  const gboolean fortran[] = { FALSE, TRUE }; /* read in place; loaded whole */

  for (guint i = 0; i < G_N_ELEMENTS (fortran); i++)
    {
      g_autoptr (GBytes) bytes = make_npy ("<f8", shape, 2, fortran[i], 9);
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (GError) error = NULL;
      guint64 n_samples;

      g_cancellable_cancel (cancellable);
      g_assert_null (read_partial (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "-1",
                                   FALSE, 2, &n_samples, cancellable, &error));
      g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
      g_assert_true (g_str_has_prefix (error->message, "x.npy: "));
    }
}

/* Bad input fails as the loader does, with the same message. */
static void
test_errors (void)
{
  const gsize shape[] = { 10 };
  g_autoptr (GBytes) bytes = make_npy ("<f8", shape, 1, FALSE, 1);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize len = g_bytes_get_size (bytes);
  const struct {
    gsize len;
    const char *axis;
  } cases[] = {
    { len - 1, "none" }, /* truncated data */
    { 20, "none" },      /* truncated header */
    { len, "-1" },       /* a 1-D array keeps nothing with axis -1 */
    { len, "3" },        /* no such axis */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize n = cases[i].len;
      g_autoptr (GError) load_error = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) dataset = NULL;
      NsReadOptions options;
      guint64 n_samples;

      ns_read_options_init (&options);
      options.axis = cases[i].axis;
      dataset = ns_npy_read ("x.npy", data, n, &options, NULL, &load_error);
      g_assert_null (dataset);
      g_assert_null (read_partial (data, n, cases[i].axis, FALSE, 2, &n_samples, NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, load_error->message);
      g_assert_true (error->domain == load_error->domain && error->code == load_error->code);
    }
}

/* Values read from the file (the header from its mapping) give the same bits, for rows and for
 * the converting path; a file that is shorter than its mapping says (it shrank while being read)
 * is an error naming the byte, not a crash. */
static void
check_read_from_file (const char *descr, const char *axis)
{
  const gsize shape[] = { 20000, 5 };
  g_autoptr (GBytes) bytes = make_npy (descr, shape, 2, FALSE, 12);
  g_autofree char *path = g_build_filename (tmp_dir, "from-file.npy", NULL);
  g_autofree char *short_path = g_build_filename (tmp_dir, "short.npy", NULL);
  g_autoptr (NsDataset) dataset = NULL;
  g_autofree NsMoments *want = NULL;
  g_autoptr (GMappedFile) mapping = NULL;
  g_autoptr (NsPartial) partial = NULL;
  g_autoptr (NsPartial) failed = NULL;
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  NsScalerOptions options;
  guint64 n_samples;
  guint n_features;
  int fd;

  g_assert_true (
    g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  want = reference_moments (bytes, axis, &n_features, &dataset);
  mapping = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  ns_read_options_init (&read_options);
  read_options.axis = axis;
  ns_scaler_options_init (&options, NS_METHOD_MINMAX);
  fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  partial = ns_npy_read_partial (path, (const guint8 *) g_mapped_file_get_contents (mapping),
                                 g_mapped_file_get_length (mapping), &read_options, &options, FALSE,
                                 3, fd, &n_samples, NULL, &error);
  close (fd);
  g_assert_no_error (error);
  g_assert_cmpuint (n_samples, ==, 20000);
  for (guint f = 0; f < n_features; f++)
    g_assert_true (memcmp (ns_partial_peek_moments (partial, f), &want[f], sizeof want[f]) == 0);

  /* The mapping of the whole file, the values from a file that lost its second half. */
  g_assert_true (g_file_set_contents (short_path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes) / 2, NULL));
  fd = g_open (short_path, O_RDONLY, 0);
  failed = ns_npy_read_partial (path, (const guint8 *) g_mapped_file_get_contents (mapping),
                                g_mapped_file_get_length (mapping), &read_options, &options, FALSE,
                                2, fd, &n_samples, NULL, &error);
  close (fd);
  g_assert_null (failed);
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_true (g_str_has_suffix (error->message, "the file ended early (did it change?)"));
}

static void
test_read_from_file (void)
{
  check_read_from_file ("<f8", "-1"); /* rows */
  check_read_from_file ("<f4", "-1"); /* converted */
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/npy-moments/layouts", test_layouts);
  g_test_add_func ("/npy-moments/special-values", test_special_values);
  g_test_add_func ("/npy-moments/sketches", test_sketches);
  g_test_add_func ("/npy-moments/cancelled", test_cancelled);
  g_test_add_func ("/npy-moments/errors", test_errors);
  g_test_add_func ("/npy-moments/read-from-file", test_read_from_file);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
