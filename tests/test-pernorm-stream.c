/* test-pernorm-stream.c: normalize's file-to-file path (ns_layer_norm_stream_npy) against the
 * in-memory one (ns_layer_norm_apply + the .npy writer, checked against PyTorch in test-pernorm):
 * the same output bytes, the same statistics, for every per-sample kind and layout.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/ns-error.h"
#include "core/ns-layer-norm.h"
#include "core/ns-npy-format.h"
#include "core/ns-npy-writer.h"
#include "core/ns-reader.h"
#include "test-utils.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
fixture (const char *name)
{
  const char *dir = g_getenv ("NS_TEST_DATA");

  return g_build_filename (dir != NULL ? dir : "tests/data", "pernorm", name, NULL);
}

/* The in-memory path, as normalize took it for every input before: output file and stats file. */
static NsLayerNorm *
normalize_loaded (const char *input, const NsLayerNormOptions *options, const char *output)
{
  g_autofree char *axis = ns_layer_norm_read_axis (options, input);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  NsLayerNorm *norm;
  NsReadOptions read_options;

  ns_read_options_init (&read_options);
  read_options.axis = axis;
  read_options.n_threads = options->n_threads;
  data = ns_dataset_load (input, &read_options, NULL, &error);
  g_assert_no_error (error);
  norm = ns_layer_norm_apply (data, options, &error);
  g_assert_no_error (error);
  g_assert_true (ns_npy_write_as (data, output, FALSE, &error));
  g_assert_no_error (error);
  return norm;
}

/* Progress comes on the calling thread only, rising. */
static void
count_progress (double fraction, gpointer data)
{
  static double last;
  guint *calls = data;

  if (*calls == 0)
    last = 0;
  g_assert_true (fraction > last && fraction <= 1);
  last = fraction;
  (*calls)++;
}

/* The stats file reads back (in any locale) with the run's first statistic, bit for bit. */
static void
assert_stats_read_back (const char *json_path, const NsLayerNorm *norm)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  const double *first = ns_layer_norm_get_mean (norm) != NULL
                          ? ns_layer_norm_get_mean (norm)
                          : ns_layer_norm_get_mean_square (norm);
  JsonObject *root;
  JsonArray *values;
  double value;

  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  values =
    json_object_get_array_member (root,
                                  ns_layer_norm_get_mean (norm) != NULL ? "mean" : "mean_square");
  value = json_array_get_double_element (values, 0);
  g_assert_cmpmem (&value, sizeof value, first, sizeof *first);
}

/* Both paths on input: the same .npy bytes and the same stats file (statistics, source, sha256). */
static void
assert_stream_matches (const char *input, const NsLayerNormOptions *options)
{
  g_autofree char *loaded_npy = tmp_path ("loaded.npy"), *streamed_npy = tmp_path ("streamed.npy");
  g_autofree char *loaded_json = tmp_path ("loaded.json");
  g_autofree char *streamed_json = tmp_path ("streamed.json");
  g_autoptr (NsLayerNorm) loaded = normalize_loaded (input, options, loaded_npy);
  g_autoptr (NsLayerNorm) streamed = NULL;
  g_autoptr (GError) error = NULL;
  gboolean taken = FALSE;
  guint calls = 0;

  streamed =
    ns_layer_norm_stream_npy (input, options, streamed_npy, count_progress, &calls, &taken, &error);
  g_assert_no_error (error);
  g_assert_true (taken);
  g_assert_nonnull (streamed);
  ns_test_assert_same_file (loaded_npy, streamed_npy);
  g_assert_true (ns_layer_norm_write_stats (loaded, loaded_json, &error));
  g_assert_true (ns_layer_norm_write_stats (streamed, streamed_json, &error));
  g_assert_no_error (error);
  ns_test_assert_same_file (loaded_json, streamed_json);
  assert_stats_read_back (streamed_json, streamed);
}

/* Every per-sample kind, with its options, on each layout of the PyTorch vectors' inputs. */
static void
test_vector_inputs (void)
{
  const char *inputs[] = { "nchw.npy", "ncdhw.npy", "ncl.npy",
                           "nc.npy",   "nhwc.npy",  "large-mean.npy" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *input = fixture (inputs[i]);
      NsLayerNormOptions o;

      g_test_message ("%s", inputs[i]);
      ns_layer_norm_options_init (&o, NS_LAYER_NORM_LAYER);
      assert_stream_matches (input, &o);
      o.preset = NS_LAYER_NORM_KERAS;
      assert_stream_matches (input, &o);
      ns_layer_norm_options_init (&o, NS_LAYER_NORM_RMS);
      assert_stream_matches (input, &o);
      ns_layer_norm_options_init (&o, NS_LAYER_NORM_GROUP);
      o.groups = 1;
      assert_stream_matches (input, &o);
      if (g_str_equal (inputs[i], "nc.npy"))
        continue; /* one value per sample and channel: instance norm refuses it */
      ns_layer_norm_options_init (&o, NS_LAYER_NORM_INSTANCE);
      assert_stream_matches (input, &o);
      o.track_running_stats = TRUE;
      o.batch_size = 2;
      assert_stream_matches (input, &o);
    }
}

/* Kept axes inside a sample (normalized axes, channels last) and groups of several channels. */
static void
test_axes_and_groups (void)
{
  g_autofree char *nchw = fixture ("nchw.npy"), *nhwc = fixture ("nhwc.npy");
  NsLayerNormOptions o;

  ns_layer_norm_options_init (&o, NS_LAYER_NORM_LAYER);
  o.normalized_axes[0] = 1;
  o.normalized_axes[1] = 3;
  o.n_normalized_axes = 2;
  assert_stream_matches (nchw, &o);
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_INSTANCE);
  o.channel_axis = -1;
  assert_stream_matches (nhwc, &o);
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_GROUP);
  o.groups = 3;
  assert_stream_matches (nchw, &o);
}

static char *
write_random_npy (const char *name, const gsize *shape, guint rank)
{
  gsize n = 1;
  g_autofree double *values = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  char *path = tmp_path (name);

  for (guint i = 0; i < rank; i++)
    n *= shape[i];
  values = g_new (double, n);
  gsl_rng_set (rng, 20261203);
  for (gsize i = 0; i < n; i++)
    values[i] = 3 + 2 * gsl_ran_gaussian (rng, 1.0);
  gsl_rng_free (rng);
  bytes = ns_npy_encode ("<f8", shape, rank, FALSE, values, n * sizeof (double));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  return path;
}

/* Several blocks of samples (the last one shorter) and samples bigger than a block, on one to
 * three threads: the same bits as the in-memory path. */
static void
test_blocks_and_threads (void)
{
  const gsize many[] = { 40, 8, 32, 33 }, big[] = { 3, 4, 200, 200 };
  g_autofree char *many_path = write_random_npy ("many.npy", many, 4);
  g_autofree char *big_path = write_random_npy ("big.npy", big, 4);

  for (guint threads = 1; threads <= 3; threads++)
    for (NsLayerNormKind kind = NS_LAYER_NORM_LAYER; kind <= NS_LAYER_NORM_RMS; kind++)
      {
        NsLayerNormOptions o;

        ns_layer_norm_options_init (&o, kind);
        o.groups = kind == NS_LAYER_NORM_GROUP ? 4 : 0;
        o.n_threads = threads;
        g_test_message ("%s, %u threads", ns_layer_norm_kind_to_string (kind), threads);
        assert_stream_matches (many_path, &o);
        assert_stream_matches (big_path, &o);
      }
}

/* Batch norm file to file (runs of at least 64 values after the channel axis): the loaded path's
 * bits for whole-input and smaller batches (the last one shorter, one sample), every preset, a
 * momentum, on one to three threads. */
static void
test_batch_norm (void)
{
  const gsize nchw[] = { 40, 3, 8, 16 }, ncl[] = { 9, 2, 64 }, one[] = { 5, 1, 70 };
  g_autofree char *nchw_path = write_random_npy ("batch-nchw.npy", nchw, 4);
  g_autofree char *ncl_path = write_random_npy ("batch-ncl.npy", ncl, 3);
  g_autofree char *one_path = write_random_npy ("batch-one.npy", one, 3);
  const gsize batch_sizes[] = { 0, 2, 7, 1 };

  for (guint threads = 1; threads <= 3; threads++)
    for (guint b = 0; b < G_N_ELEMENTS (batch_sizes); b++)
      for (NsLayerNormPreset preset = NS_LAYER_NORM_PYTORCH; preset <= NS_LAYER_NORM_FLAX; preset++)
        {
          NsLayerNormOptions o;

          ns_layer_norm_options_init (&o, NS_LAYER_NORM_BATCH);
          o.preset = preset;
          o.n_threads = threads;
          if (batch_sizes[b] > 0)
            o.batch_size = batch_sizes[b];
          g_test_message ("batch %" G_GSIZE_FORMAT ", preset %d, %u threads", o.batch_size, preset,
                          threads);
          assert_stream_matches (nchw_path, &o);
          assert_stream_matches (ncl_path, &o);
          assert_stream_matches (one_path, &o);
          o.momentum = 0.25;
          assert_stream_matches (nchw_path, &o);
        }
}

/* Batch norm refuses what the loaded path refuses, in its words: the file-to-file path leaves a
 * value that is not finite to it, and writes nothing. */
static void
test_batch_norm_not_finite (void)
{
  const gsize shape[] = { 4, 2, 80 };
  g_autofree double *values = g_new0 (double, 4 * 2 * 80);
  g_autofree char *path = tmp_path ("batch-nan.npy"), *out = tmp_path ("batch-never.npy");
  g_autoptr (GBytes) bytes = NULL;
  NsLayerNormOptions o;
  gboolean taken = TRUE;

  for (gsize i = 0; i < 4 * 2 * 80; i++)
    values[i] = (double) (i % 7);
  values[(2 * 2 + 1) * 80 + 5] = NAN; /* sample 2, channel 1, position 5 */
  bytes = ns_npy_encode ("<f8", shape, 3, FALSE, values, 4 * 2 * 80 * sizeof (double));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_BATCH);
  g_assert_null (ns_layer_norm_stream_npy (path, &o, out, NULL, NULL, &taken, NULL));
  g_assert_false (taken);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* What the file-to-file path leaves to the loader: batch norm on short runs (small images,
 * channels last), other dtypes and orders, tables, standard input, files that are not .npy.
 * Nothing is written then. */
static void
test_left_to_loader (void)
{
  const gsize shape[] = { 2, 3, 4 };
  const float narrow[24] = { 0 };
  const double wide[24] = { 0 };
  g_autoptr (GBytes) f4 = ns_npy_encode ("<f4", shape, 3, FALSE, narrow, sizeof narrow);
  g_autoptr (GBytes) fortran = ns_npy_encode ("<f8", shape, 3, TRUE, wide, sizeof wide);
  g_autoptr (GBytes) big_endian = ns_npy_encode (">f8", shape, 3, FALSE, wide, sizeof wide);
  GBytes *encoded[] = { f4, fortran, big_endian };
  g_autofree char *out = tmp_path ("never.npy"), *nchw = fixture ("nchw.npy");
  g_autofree char *nhwc = fixture ("nhwc.npy");
  g_autofree char *csv = g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", "iris.csv", NULL);
  NsLayerNormOptions o;
  gboolean taken = TRUE;

  ns_layer_norm_options_init (&o, NS_LAYER_NORM_BATCH);
  g_assert_null (ns_layer_norm_stream_npy (nchw, &o, out, NULL, NULL, &taken, NULL));
  g_assert_false (taken);
  o.channel_axis = -1;
  taken = TRUE;
  g_assert_null (ns_layer_norm_stream_npy (nhwc, &o, out, NULL, NULL, &taken, NULL));
  g_assert_false (taken);
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_LAYER);
  for (guint i = 0; i < G_N_ELEMENTS (encoded); i++)
    {
      g_autofree char *path = tmp_path ("other.npy");

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (encoded[i], NULL),
                                          (gssize) g_bytes_get_size (encoded[i]), NULL));
      taken = TRUE;
      g_assert_null (ns_layer_norm_stream_npy (path, &o, out, NULL, NULL, &taken, NULL));
      g_assert_false (taken);
    }
  taken = TRUE;
  g_assert_null (ns_layer_norm_stream_npy ("-", &o, out, NULL, NULL, &taken, NULL));
  g_assert_false (taken);
  taken = TRUE;
  g_assert_true (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_assert_null (ns_layer_norm_stream_npy (csv, &o, out, NULL, NULL, &taken, NULL));
  g_assert_false (taken);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* An option the tensor does not fit is refused as the loader's path refuses it, with no output. */
static void
test_refusals (void)
{
  g_autofree char *out = tmp_path ("refused.npy"), *nchw = fixture ("nchw.npy");
  g_autofree char *nc = fixture ("nc.npy");
  g_autoptr (GError) error = NULL;
  NsLayerNormOptions o;
  gboolean taken = FALSE;

  ns_layer_norm_options_init (&o, NS_LAYER_NORM_GROUP);
  o.groups = 4;
  g_assert_null (ns_layer_norm_stream_npy (nchw, &o, out, NULL, NULL, &taken, &error));
  g_assert_true (taken);
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, nchw));
  g_assert_nonnull (strstr (error->message, "--groups 4 does not divide the 6 channels"));
  g_clear_error (&error);
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_INSTANCE);
  g_assert_null (ns_layer_norm_stream_npy (nc, &o, out, NULL, NULL, &taken, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "more than one value per sample and channel"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-pernorm-stream-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE); /* the hash cache, kept out of the user's */
  g_test_add_func ("/pernorm-stream/vector-inputs", test_vector_inputs);
  g_test_add_func ("/pernorm-stream/axes-and-groups", test_axes_and_groups);
  g_test_add_func ("/pernorm-stream/blocks-and-threads", test_blocks_and_threads);
  g_test_add_func ("/pernorm-stream/batch-norm", test_batch_norm);
  g_test_add_func ("/pernorm-stream/batch-norm-not-finite", test_batch_norm_not_finite);
  g_test_add_func ("/pernorm-stream/left-to-loader", test_left_to_loader);
  g_test_add_func ("/pernorm-stream/refusals", test_refusals);
  status = g_test_run ();
  ns_test_remove_tree (tmp_dir);
  return status;
}
