/* test-pernorm.c: batch, layer, instance, group and RMS norm (ns-layer-norm) against torch 1.13's
 * functional vectors (tests/gen-pernorm-vectors.py), the group-norm identities, threads, accuracy
 * at large means and bad options.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "core/ns-error.h"
#include "core/ns-layer-norm.h"
#include "core/ns-npy-format.h"
#include "core/ns-reader.h"
#include "test-utils.h"

static JsonParser *vectors_parser;
static JsonArray *cases;
static char *tmp_dir;

static const char *
data_dir (void)
{
  const char *dir = g_getenv ("NS_TEST_DATA");

  return dir != NULL ? dir : "tests/data";
}

static void
load_vectors (void)
{
  g_autofree char *path = g_build_filename (data_dir (), "pernorm", "vectors.json", NULL);
  g_autoptr (GError) error = NULL;
  JsonObject *root;

  vectors_parser = json_parser_new ();
  json_parser_load_from_file (vectors_parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (vectors_parser));
  cases = json_object_get_array_member (root, "cases");
}

static double
array_double (JsonArray *array, guint i)
{
  return json_node_get_double (json_array_get_element (array, i));
}

static NsDataset *
load (const char *path, const NsLayerNormOptions *options)
{
  g_autofree char *axis = ns_layer_norm_read_axis (options, path);

  return ns_test_load_dataset (path, axis);
}

static NsDataset *
load_input (const char *name, const NsLayerNormOptions *options)
{
  g_autofree char *file = g_strconcat (name, ".npy", NULL);
  g_autofree char *path = g_build_filename (data_dir (), "pernorm", file, NULL);

  return load (path, options);
}

/* The normalized tensor in C order, as normalize writes it: through the .npy writer and back. */
static double *
output_values (const NsDataset *data, gboolean float32, gsize *n)
{
  g_autofree char *path = g_build_filename (tmp_dir, "out.npy", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) back = NULL;
  NsLayerNormOptions plain;

  g_assert_true (ns_npy_write_as (data, path, float32, &error));
  g_assert_no_error (error);
  ns_layer_norm_options_init (&plain, NS_LAYER_NORM_LAYER);
  back = load (path, &plain);
  *n = ns_dataset_get_n_samples (back) * ns_dataset_get_spatial_size (back);
  return g_memdup2 (ns_dataset_get_values (back, 0), *n * sizeof (double));
}

static void
options_from_case (JsonObject *c, NsLayerNormOptions *o)
{
  NsLayerNormKind kind;

  g_assert_true (
    ns_layer_norm_kind_from_string (json_object_get_string_member (c, "layer"), &kind, NULL));
  ns_layer_norm_options_init (o, kind);
  o->eps = json_object_get_double_member (c, "eps");
  o->channel_axis = (int) json_object_get_int_member_with_default (c, "channel_axis", 1);
  o->groups = (guint) json_object_get_int_member_with_default (c, "groups", 0);
  o->batch_size = (gsize) json_object_get_int_member_with_default (c, "batch_size", 0);
  o->track_running_stats =
    json_object_get_boolean_member_with_default (c, "track_running_stats", FALSE);
  if (json_object_has_member (c, "momentum"))
    o->momentum = json_object_get_double_member (c, "momentum");
  if (json_object_has_member (c, "normalized_axes"))
    {
      JsonArray *axes = json_object_get_array_member (c, "normalized_axes");

      o->n_normalized_axes = json_array_get_length (axes);
      for (guint i = 0; i < o->n_normalized_axes; i++)
        o->normalized_axes[i] = (int) json_array_get_int_element (axes, i);
    }
}

/* PyTorch's double layer norm uses Welford moments and x * rstd - rstd * mean: at a large mean it
 * differs from the formula by ~1e-12 (1 + |mean| / std) absolute (reference doc, section 4.1). */
static double
mean_to_std (JsonObject *c)
{
  JsonArray *mean, *var;
  double ratio = 0;

  if (!json_object_has_member (c, "variance"))
    return 0;
  mean = json_object_get_array_member (c, "mean");
  var = json_object_get_array_member (c, "variance");
  for (guint i = 0; i < json_array_get_length (mean); i++)
    ratio = MAX (ratio, fabs (array_double (mean, i)) / sqrt (array_double (var, i)));
  return ratio;
}

static void
assert_close_array (const char *name, const char *what, JsonArray *expected, const double *actual,
                    gsize n, double atol)
{
  g_assert_cmpuint (json_array_get_length (expected), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      double e = array_double (expected, (guint) i);

      if (!(fabs (actual[i] - e) <= 1e-12 * fabs (e) + atol))
        g_error ("%s: %s[%" G_GSIZE_FORMAT "]: expected %.17g, got %.17g", name, what, i, e,
                 actual[i]);
    }
}

static void
check_stats (JsonObject *c, const NsLayerNorm *norm)
{
  const char *name = json_object_get_string_member (c, "name");
  JsonArray *shape = json_object_get_array_member (c, "statistics_shape");
  gsize n_stats = 1, n_channels = ns_layer_norm_get_n_channels (norm);
  guint rank;
  const gsize *stats_shape = ns_layer_norm_get_stats_shape (norm, &rank);

  g_assert_cmpuint (rank, ==, json_array_get_length (shape));
  for (guint i = 0; i < rank; i++)
    {
      g_assert_cmpuint (stats_shape[i], ==, (gsize) json_array_get_int_element (shape, i));
      n_stats *= stats_shape[i];
    }
  if (json_object_has_member (c, "mean_square"))
    assert_close_array (name, "mean_square", json_object_get_array_member (c, "mean_square"),
                        ns_layer_norm_get_mean_square (norm), n_stats, 0);
  else
    {
      assert_close_array (name, "mean", json_object_get_array_member (c, "mean"),
                          ns_layer_norm_get_mean (norm), n_stats, 1e-15);
      assert_close_array (name, "variance", json_object_get_array_member (c, "variance"),
                          ns_layer_norm_get_variance (norm), n_stats, 0);
    }
  if (json_object_has_member (c, "running_mean"))
    {
      assert_close_array (name, "running_mean", json_object_get_array_member (c, "running_mean"),
                          ns_layer_norm_get_running_mean (norm), n_channels, 1e-15);
      assert_close_array (name, "running_var", json_object_get_array_member (c, "running_var"),
                          ns_layer_norm_get_running_var (norm), n_channels, 0);
    }
}

static void
test_torch_vectors (void)
{
  for (guint k = 0; k < json_array_get_length (cases); k++)
    {
      JsonObject *c = json_array_get_object_element (cases, k);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsDataset) data = NULL;
      g_autoptr (NsLayerNorm) norm = NULL;
      g_autofree double *y = NULL;
      NsLayerNormOptions options;
      gsize n;

      options_from_case (c, &options);
      data = load_input (json_object_get_string_member (c, "input"), &options);
      norm = ns_layer_norm_apply (data, &options, &error);
      g_assert_no_error (error);
      y = output_values (data, FALSE, &n);
      assert_close_array (json_object_get_string_member (c, "name"), "output",
                          json_object_get_array_member (c, "output"), y, n,
                          1e-12 * (1 + mean_to_std (c)));
      check_stats (c, norm);
    }
}

/* The output of one kind on a vector input, in C order. */
static double *
normalize_input (const char *input, const NsLayerNormOptions *options, gsize *n)
{
  g_autoptr (NsDataset) data = load_input (input, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsLayerNorm) norm = ns_layer_norm_apply (data, options, &error);

  g_assert_no_error (error);
  return output_values (data, FALSE, n);
}

static void
assert_same_output (const char *input, const NsLayerNormOptions *a, const NsLayerNormOptions *b)
{
  gsize n_a, n_b;
  g_autofree double *y_a = normalize_input (input, a, &n_a);
  g_autofree double *y_b = normalize_input (input, b, &n_b);

  g_assert_cmpmem (y_a, n_a * sizeof (double), y_b, n_b * sizeof (double));
}

/* GroupNorm(1, C) is LayerNorm((C, H, W)) and GroupNorm(C, C) is InstanceNorm, bit for bit. */
static void
test_group_identities (void)
{
  NsLayerNormOptions group, other;

  ns_layer_norm_options_init (&group, NS_LAYER_NORM_GROUP);
  group.groups = 1;
  ns_layer_norm_options_init (&other, NS_LAYER_NORM_LAYER);
  assert_same_output ("nchw", &group, &other);
  assert_same_output ("ncdhw", &group, &other);
  group.groups = 6;
  ns_layer_norm_options_init (&other, NS_LAYER_NORM_INSTANCE);
  assert_same_output ("nchw", &group, &other);
}

static char *
write_npy (const char *name, const gsize *shape, guint rank, const double *values, gsize n)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GBytes) bytes = ns_npy_encode ("<f8", shape, rank, FALSE, values, n * sizeof (double));
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), &error));
  return path;
}

static double *
random_values (gsize n, double offset)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double *values = g_new (double, n);

  gsl_rng_set (rng, 20261202);
  for (gsize i = 0; i < n; i++)
    values[i] = offset + gsl_ran_gaussian (rng, 1.0);
  gsl_rng_free (rng);
  return values;
}

static double *
normalize_file (const char *path, NsLayerNormOptions *options, NsLayerNorm **norm, gsize *n)
{
  g_autoptr (NsDataset) data = load (path, options);
  g_autoptr (GError) error = NULL;

  *norm = ns_layer_norm_apply (data, options, &error);
  g_assert_no_error (error);
  return output_values (data, FALSE, n);
}

/* Samples are split over threads: one thread and two give the same bits, for every kind. */
static void
test_threads (void)
{
  gsize shape[] = { 8, 8, 32, 33 }, n = 8 * 8 * 32 * 33;
  g_autofree double *values = random_values (n, 3.0);
  g_autofree char *path = write_npy ("threads.npy", shape, 4, values, n);

  for (NsLayerNormKind kind = NS_LAYER_NORM_BATCH; kind <= NS_LAYER_NORM_RMS; kind++)
    {
      g_autoptr (NsLayerNorm) one = NULL, two = NULL;
      g_autofree double *y_one = NULL, *y_two = NULL;
      NsLayerNormOptions options;
      gsize n_one, n_two;

      ns_layer_norm_options_init (&options, kind);
      options.groups = kind == NS_LAYER_NORM_GROUP ? 4 : 0;
      options.n_threads = 1;
      y_one = normalize_file (path, &options, &one, &n_one);
      options.n_threads = 2;
      y_two = normalize_file (path, &options, &two, &n_two);
      g_assert_cmpmem (y_one, n_one * sizeof (double), y_two, n_two * sizeof (double));
    }
}

/* Neumaier's compensated sum of the n values at x (step apart): accurate to about one rounding. */
static double
compensated_sum (const double *x, gsize n, gsize step, double shift)
{
  double sum = 0, compensation = 0;

  for (gsize i = 0; i < n; i++)
    {
      double v = shift == 0 ? x[i * step] : (x[i * step] - shift) * (x[i * step] - shift);
      double t = sum + v;

      compensation += fabs (sum) >= fabs (v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
  return sum + compensation;
}

/* The corrected two-pass keeps the variance of 1e9 + N(0, 1) exact to 1e-12 (a one-pass E[x^2] -
 * E[x]^2 loses everything). The reference is a compensated two-pass in double (not long double:
 * valgrind computes long double at double precision). */
static void
test_large_mean_accuracy (void)
{
  gsize shape[] = { 2, 200000 }, n = 400000;
  g_autofree double *values = random_values (n, 1e9);
  g_autofree char *path = write_npy ("large.npy", shape, 2, values, n);
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autofree double *y = NULL;
  NsLayerNormOptions options;
  gsize n_out;

  ns_layer_norm_options_init (&options, NS_LAYER_NORM_LAYER);
  y = normalize_file (path, &options, &norm, &n_out);
  for (guint s = 0; s < 2; s++)
    {
      const double *x = values + s * shape[1];
      double mean = compensated_sum (x, shape[1], 1, 0) / shape[1];
      double variance = compensated_sum (x, shape[1], 1, mean) / shape[1];

      g_assert_cmpfloat (fabs (variance - ns_layer_norm_get_variance (norm)[s]) / variance, <=,
                         1e-12);
      g_assert_cmpfloat (fabs (mean - ns_layer_norm_get_mean (norm)[s]), <=, 1e-6);
    }
}

/* A CSV table is an (N, C) tensor of its numeric columns: layer norm per row as on the .npy. */
static void
test_csv_table (void)
{
  JsonObject *c = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "nc.csv", NULL);
  g_autoptr (GString) text = g_string_new ("a,b,label,c,d\n");
  g_autoptr (NsDataset) npy = NULL, csv = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *y = NULL;
  NsLayerNormOptions options;
  const double *values;
  gsize n;

  for (guint k = 0; c == NULL; k++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (cases, k),
                                                    "name"),
                     "nc-layer"))
      c = json_array_get_object_element (cases, k);
  options_from_case (c, &options);
  npy = load_input ("nc", &options);
  values = ns_dataset_get_values (npy, 0);
  for (gsize i = 0; i < 6; i++)
    g_string_append_printf (text, "%.17g,%.17g,x%" G_GSIZE_FORMAT ",%.17g,%.17g\n", values[4 * i],
                            values[4 * i + 1], i, values[4 * i + 2], values[4 * i + 3]);
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  csv = load (path, &options);
  norm = ns_layer_norm_apply (csv, &options, &error);
  g_assert_no_error (error);
  y = output_values (csv, FALSE, &n);
  assert_close_array ("nc.csv", "output", json_object_get_array_member (c, "output"), y, n, 1e-12);
}

/* --dtype f32: each float64 result rounded to nearest float. */
static void
test_float32_output (void)
{
  NsLayerNormOptions options;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autofree double *y64 = NULL, *y32 = NULL;
  gsize n64, n32;

  ns_layer_norm_options_init (&options, NS_LAYER_NORM_INSTANCE);
  data = load_input ("nchw", &options);
  norm = ns_layer_norm_apply (data, &options, NULL);
  y64 = output_values (data, FALSE, &n64);
  y32 = output_values (data, TRUE, &n32);
  g_assert_cmpuint (n64, ==, n32);
  for (gsize i = 0; i < n64; i++)
    g_assert_cmpfloat (y32[i], ==, (double) (float) y64[i]);
}

static double
resolved_eps (NsLayerNormKind kind, const char *preset_name)
{
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  NsLayerNormOptions options;

  ns_layer_norm_options_init (&options, kind);
  g_assert_true (ns_layer_norm_preset_from_string (preset_name, &options.preset, NULL));
  data = load_input ("nchw", &options);
  norm = ns_layer_norm_apply (data, &options, NULL);
  if (kind == NS_LAYER_NORM_LAYER && options.preset != NS_LAYER_NORM_PYTORCH)
    {
      g_assert_cmpuint (ns_layer_norm_get_options (norm)->n_normalized_axes, ==, 1);
      g_assert_cmpint (ns_layer_norm_get_options (norm)->normalized_axes[0], ==, 3);
    }
  return ns_layer_norm_get_options (norm)->eps;
}

/* Each framework's default eps (reference doc, section 4); Keras/Flax layer norm: the last axis. */
static void
test_preset_defaults (void)
{
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_LAYER, "pytorch"), ==, 1e-5);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_LAYER, "keras"), ==, 1e-3);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_LAYER, "flax"), ==, 1e-6);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_INSTANCE, "keras"), ==, 1e-3);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_RMS, "pytorch"), ==, 2.220446049250313e-16);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_RMS, "keras"), ==, 1e-6);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_RMS, "flax"), ==, 1e-6);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_BATCH, "flax"), ==, 1e-5);
  g_assert_cmpfloat (resolved_eps (NS_LAYER_NORM_BATCH, "keras"), ==, 1e-3);
}

static void
assert_refused (const char *input, const NsLayerNormOptions *options, const char *message)
{
  g_autoptr (NsDataset) data = load_input (input, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsLayerNorm) norm = ns_layer_norm_apply (data, options, &error);

  g_assert_null (norm);
  g_assert_error (error, NS_ERROR, error->code);
  if (strstr (error->message, message) == NULL)
    g_error ("expected '%s' in '%s'", message, error->message);
}

static void
test_bad_options (void)
{
  NsLayerNormOptions o;

  ns_layer_norm_options_init (&o, NS_LAYER_NORM_GROUP);
  o.groups = 4;
  assert_refused ("nchw", &o, "--groups 4 does not divide the 6 channels of axis 1");
  o.groups = 0;
  assert_refused ("nchw", &o, "--layer group needs --groups");
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_INSTANCE);
  assert_refused ("nc", &o, "more than one value per sample and channel");
  o.channel_axis = 4;
  assert_refused ("nchw", &o, "--channel-axis: axis 4 is out of range");
  o.channel_axis = 1;
  o.momentum = 0.5;
  assert_refused ("nchw", &o, "--momentum and --batch-size apply to");
  o.track_running_stats = TRUE;
  o.momentum = 1.5;
  assert_refused ("nchw", &o, "--momentum: expected a number from 0 to 1");
  ns_layer_norm_options_init (&o, NS_LAYER_NORM_LAYER);
  o.n_normalized_axes = 2;
  o.normalized_axes[0] = 2;
  o.normalized_axes[1] = -2;
  assert_refused ("nchw", &o, "--normalized-axes: axis 2 is named twice");
  o.normalized_axes[1] = 0;
  assert_refused ("nchw", &o, "axis 0 is the sample axis");
  o.n_normalized_axes = 0;
  o.eps = -1;
  assert_refused ("nchw", &o, "--eps: expected a finite number >= 0");
}

/* ---- normscope-cli normalize end to end (the cli suite runs only these: -p /pernorm/cli). */

static JsonObject *
find_case (const char *name)
{
  for (guint k = 0; k < json_array_get_length (cases); k++)
    {
      JsonObject *c = json_array_get_object_element (cases, k);

      if (g_str_equal (json_object_get_string_member (c, "name"), name))
        return c;
    }
  g_error ("no vector case %s", name);
}

static void
assert_json_array (const char *name, JsonObject *stats, JsonObject *c, const char *key)
{
  JsonArray *array = json_object_get_array_member (stats, key);
  g_autofree double *values = g_new (double, json_array_get_length (array));

  for (guint i = 0; i < json_array_get_length (array); i++)
    values[i] = array_double (array, i);
  assert_close_array (name, key, json_object_get_array_member (c, key), values,
                      json_array_get_length (array), 1e-15);
}

static void
assert_sizes (JsonObject *stats, const char *key, const char *expected)
{
  g_autoptr (GString) text = g_string_new (NULL);
  JsonArray *array = json_object_get_array_member (stats, key);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            json_array_get_int_element (array, i));
  g_assert_cmpstr (text->str, ==, expected);
}

/* The output .npy and the stats JSON of one run against its torch vector case. */
static JsonParser *
check_cli_run (const char *name, const char *const *args, gboolean float32)
{
  JsonObject *c = find_case (name);
  g_autofree char *out = g_build_filename (tmp_dir, "cli.npy", NULL);
  g_autofree char *stats_path = g_build_filename (tmp_dir, "cli.json", NULL);
  g_autofree char *input = g_strconcat (data_dir (), "/pernorm/",
                                        json_object_get_string_member (c, "input"), ".npy", NULL);
  g_autofree char *err = NULL, *bytes = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (NsDataset) data = NULL;
  JsonParser *parser = json_parser_new ();
  NsLayerNormOptions plain;
  JsonArray *expected = json_object_get_array_member (c, "output");
  gsize len;

  g_ptr_array_add (argv, input);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, out);
  g_ptr_array_add (argv, (gpointer) "--stats");
  g_ptr_array_add (argv, stats_path);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (ns_test_run_cli_command ("normalize", (const char *const *) argv->pdata, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_get_contents (out, &bytes, &len, NULL));
  g_assert_nonnull (memmem (bytes, len, float32 ? "'<f4'" : "'<f8'", 5));
  ns_layer_norm_options_init (&plain, NS_LAYER_NORM_LAYER);
  data = load (out, &plain);
  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      double e = array_double (expected, i), a = ns_dataset_get_values (data, 0)[i];

      if (float32)
        g_assert_cmpfloat (fabs (a - e), <=, 1e-7 * (fabs (e) + 1));
      else
        g_assert_cmpfloat (fabs (a - e), <=, 1e-12 * (fabs (e) + 1));
    }
  g_assert_true (json_parser_load_from_file (parser, stats_path, NULL));
  return parser;
}

static void
test_cli_group (void)
{
  const char *args[] = { "--layer", "group", "--groups", "2", NULL };
  g_autoptr (JsonParser) parser = check_cli_run ("nchw-group", args, FALSE);
  JsonObject *stats = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (stats, "format"), ==, "normscope-normalize");
  g_assert_cmpstr (json_object_get_string_member (stats, "layer"), ==, "group");
  g_assert_cmpfloat (json_object_get_double_member (stats, "eps"), ==, 1e-5);
  g_assert_cmpint (json_object_get_int_member (stats, "groups"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats, "count"), ==, 60);
  assert_sizes (stats, "shape", "3,6,4,5");
  assert_sizes (stats, "pooled_axes", "1,2,3");
  assert_sizes (stats, "statistics_shape", "3,2");
  assert_json_array ("nchw-group", stats, find_case ("nchw-group"), "mean");
  assert_json_array ("nchw-group", stats, find_case ("nchw-group"), "variance");
}

static void
test_cli_instance_running (void)
{
  const char *args[] = { "--layer",    "instance", "--track-running-stats",
                         "--momentum", "0.1",      "--batch-size",
                         "2",          "--dtype",  "f32",
                         NULL };
  g_autoptr (JsonParser) parser = check_cli_run ("nchw-instance-running", args, TRUE);
  JsonObject *stats = json_node_get_object (json_parser_get_root (parser));
  JsonObject *c = find_case ("nchw-instance-running");

  assert_sizes (stats, "pooled_axes", "2,3");
  assert_sizes (stats, "statistics_shape", "3,6");
  g_assert_cmpint (json_object_get_int_member (stats, "num_batches_tracked"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (stats, "batches"), ==, 2);
  assert_json_array ("nchw-instance-running", stats, c, "running_mean");
  assert_json_array ("nchw-instance-running", stats, c, "running_var");
}

static void
test_cli_channels_last_and_keras (void)
{
  const char *batch[] = { "--layer", "batch", "--channel-axis=-1", NULL };
  const char *keras[] = { "--layer", "layer", "--preset", "keras", NULL };
  g_autoptr (JsonParser) batch_parser = check_cli_run ("nhwc-batch", batch, FALSE);
  g_autoptr (JsonParser) keras_parser = check_cli_run ("nhwc-layer-keras", keras, FALSE);
  JsonObject *stats = json_node_get_object (json_parser_get_root (batch_parser));

  assert_sizes (stats, "pooled_axes", "0,1,2");
  assert_json_array ("nhwc-batch", stats, find_case ("nhwc-batch"), "running_var");
  stats = json_node_get_object (json_parser_get_root (keras_parser));
  g_assert_cmpfloat (json_object_get_double_member (stats, "eps"), ==, 1e-3);
  assert_sizes (stats, "normalized_axes", "3");
}

static void
test_cli_bad_input (void)
{
  g_autofree char *input = g_build_filename (data_dir (), "pernorm", "nchw.npy", NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "bad.npy", NULL);
  g_autofree char *err = NULL;
  const char *groups[] = { input, "--layer", "group", "--groups", "4", "-o", out, NULL };
  const char *onto_input[] = { input, "--layer", "layer", "-o", input, NULL };

  g_assert_cmpint (ns_test_run_cli_command ("normalize", groups, &err), ==, 2);
  g_assert_nonnull (strstr (err, "nchw.npy: --groups 4 does not divide the 6 channels of axis 1"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ns_test_run_cli_command ("normalize", onto_input, &err), ==, 2);
}

int
main (int argc, char **argv)
{
  int status;

  /* "--cli": only the normscope-cli runs (the cli suite); else only the core tests. */
  gboolean cli = argc > 1 && g_str_equal (argv[argc - 1], "--cli");

  argc -= cli ? 1 : 0;
  g_test_init (&argc, &argv, NULL);
  load_vectors ();
  tmp_dir = ns_test_temp_dir_new ();
  if (!cli)
    {
      g_test_add_func ("/pernorm/torch-vectors", test_torch_vectors);
      g_test_add_func ("/pernorm/group-identities", test_group_identities);
      g_test_add_func ("/pernorm/threads", test_threads);
      g_test_add_func ("/pernorm/large-mean-accuracy", test_large_mean_accuracy);
      g_test_add_func ("/pernorm/csv-table", test_csv_table);
      g_test_add_func ("/pernorm/float32-output", test_float32_output);
      g_test_add_func ("/pernorm/bad-options", test_bad_options);
      g_test_add_func ("/pernorm/preset-defaults", test_preset_defaults);
    }
  else
    {
      g_test_add_func ("/pernorm/cli/group", test_cli_group);
      g_test_add_func ("/pernorm/cli/instance-running", test_cli_instance_running);
      g_test_add_func ("/pernorm/cli/channels-last-and-keras", test_cli_channels_last_and_keras);
      g_test_add_func ("/pernorm/cli/bad-input", test_cli_bad_input);
    }
  status = g_test_run ();
  g_assert_finalize_object (vectors_parser);
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
  }
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
