/* test-pernorm-export.c: a `normalize` stats file read as stats (ns-normalize-import): instance
 * norm's running statistics exported, loaded in the real torch (tests/check-exports.py
 * instance-norm), and every other run and every damaged member refused with the reason.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "core/ns-export.h"
#include "core/ns-layer-norm.h"
#include "core/ns-normalize-import.h"
#include "core/ns-reader.h"
#include "test-utils.h"

static char *tmp_dir;

static char *
input_path (void)
{
  const char *dir = g_getenv ("NS_TEST_DATA");

  return g_build_filename (dir != NULL ? dir : "tests/data", "pernorm", "nchw.npy", NULL);
}

/* normalize's stats file of a run on tests/data/pernorm/nchw.npy (3, 6, 4, 5). */
static char *
write_run (const char *name, NsLayerNormKind kind, gboolean running, NsDataset **data_out)
{
  g_autofree char *input = input_path ();
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autofree char *axis = NULL;
  NsLayerNormOptions o;
  NsReadOptions read_options;
  NsDataset *data;

  ns_layer_norm_options_init (&o, kind);
  o.track_running_stats = running;
  o.groups = kind == NS_LAYER_NORM_GROUP ? 2 : 0;
  o.batch_size = running ? 2 : 0;
  ns_read_options_init (&read_options);
  read_options.axis = axis = ns_layer_norm_read_axis (&o, input);
  data = ns_dataset_load (input, &read_options, NULL, &error);
  g_assert_no_error (error);
  if (data_out != NULL)
    *data_out = ns_dataset_copy (data);
  norm = ns_layer_norm_apply (data, &o, &error);
  g_assert_no_error (error);
  g_assert_true (ns_layer_norm_write_stats (norm, path, &error));
  g_assert_no_error (error);
  ns_dataset_free (data);
  return path;
}

/* Columns per channel: offset and scale are the running statistics' eval-mode transform, mean and
 * variance the channel's over the whole input. */
static void
test_import (void)
{
  g_autoptr (NsDataset) raw = NULL;
  g_autofree char *path = write_run ("in.json", NS_LAYER_NORM_INSTANCE, TRUE, &raw);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = ns_stats_load (path, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  const double *x = ns_dataset_get_values (raw, 0);
  JsonObject *root;

  g_assert_no_error (error);
  g_assert_cmpstr (ns_stats_get_method (stats), ==, NS_INSTANCENORM_METHOD);
  g_assert_cmpuint (ns_stats_get_n_columns (stats), ==, 6);
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  for (guint c = 0; c < 6; c++)
    {
      JsonArray *running_mean = json_object_get_array_member (root, "running_mean");
      JsonArray *running_var = json_object_get_array_member (root, "running_var");
      double rm = json_array_get_double_element (running_mean, c);
      double rv = json_array_get_double_element (running_var, c);
      double sum = 0, squares = 0, mean;

      g_assert_cmpfloat (ns_stats_get_offset (stats, c), ==, rm);
      g_assert_cmpfloat (ns_stats_get_scale (stats, c), ==, sqrt (rv + 1e-5));
      g_assert_cmpfloat (ns_stats_get_count (stats, c), ==, 60);
      for (gsize n = 0; n < 3; n++)
        for (gsize p = 0; p < 20; p++)
          sum += x[(n * 6 + c) * 20 + p];
      mean = sum / 60;
      for (gsize n = 0; n < 3; n++)
        for (gsize p = 0; p < 20; p++)
          squares += (x[(n * 6 + c) * 20 + p] - mean) * (x[(n * 6 + c) * 20 + p] - mean);
      g_assert_cmpfloat_with_epsilon (ns_stats_get_mean (stats, c), mean,
                                      1e-14 * (1 + fabs (mean)));
      g_assert_cmpfloat_with_epsilon (ns_stats_get_variance (stats, c), squares / 60,
                                      1e-12 * squares / 60);
    }
  g_assert_cmpfloat (ns_stats_get_param_double (stats, "momentum", NAN), ==, 0.1);
}

static void
assert_refused (const char *path, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = ns_stats_load (path, &error);

  g_assert_null (stats);
  g_assert_nonnull (error);
  if (strstr (error->message, message) == NULL)
    g_error ("expected '%s' in '%s'", message, error->message);
}

static void
test_per_sample_runs_refused (void)
{
  g_autofree char *group = write_run ("gn.json", NS_LAYER_NORM_GROUP, FALSE, NULL);
  g_autofree char *instance = write_run ("in-plain.json", NS_LAYER_NORM_INSTANCE, FALSE, NULL);
  g_autofree char *batch = write_run ("bn.json", NS_LAYER_NORM_BATCH, FALSE, NULL);

  assert_refused (group, "gn.json: this normalize run (layer 'group') has no statistics a module "
                         "keeps: only instance norm with running statistics (normalize "
                         "--track-running-stats) has; the others normalize each sample by its "
                         "own statistics");
  assert_refused (instance, "(layer 'instance' without --track-running-stats)");
  assert_refused (batch, "export batch norm from the stats of normscope-cli batchnorm");
}

/* The stats file of an instance run with one member replaced by value (JSON text). */
static char *
damaged (const char *key, const char *value)
{
  g_autofree char *good = write_run ("good.json", NS_LAYER_NORM_INSTANCE, TRUE, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) member = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  char *path = g_build_filename (tmp_dir, "damaged.json", NULL);

  g_assert_true (json_parser_load_from_file (parser, good, NULL));
  g_assert_true (json_parser_load_from_data (member, value, -1, NULL));
  json_object_set_member (json_node_get_object (json_parser_get_root (parser)), key,
                          json_node_copy (json_parser_get_root (member)));
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, path, NULL));
  return path;
}

static void
test_damaged_members (void)
{
  static const struct {
    const char *key, *value, *message;
  } cases[] = {
    { "layer", "\"weight\"",
      "damaged.json: layer: expected batch, layer, instance, group or rms, found 'weight'" },
    { "preset", "3", "damaged.json: preset: expected a string" },
    { "version", "2", "damaged.json: version: expected an integer from 1 to 1" },
    { "running_mean", "[1, 2]", "damaged.json: running_mean: expected an array of 6 numbers" },
    { "running_var", "[1, 1, 1, 1, 1, \"x\"]", "damaged.json: running_var[5]: expected a number" },
    { "running_var", "[1, 1, 1, 1, 1, -1]", "scale" },
    { "eps", "-1", "damaged.json: eps: expected a finite number >= 0" },
    { "momentum", "2", "damaged.json: momentum: expected a number from 0 to 1" },
    { "momentum_convention", "\"weight-of-old\"",
      "momentum_convention: expected \"weight-of-new\"" },
    { "channel_axis", "0", "damaged.json: channel_axis: expected an integer from 1 to 3" },
    { "count", "21", "damaged.json: count: expected the values per sample and channel" },
    { "statistics_shape", "[3, 5]",
      "damaged.json: statistics_shape: expected [N, C] of the shape" },
    { "shape", "[3, 6]", "damaged.json: shape: expected the shape of a tensor of rank >= 3" },
    { "num_batches_tracked", "4", "num_batches_tracked: expected an integer from 0 to 0" },
    { "source_file", "7", "source_file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = damaged (cases[i].key, cases[i].value);

      g_test_message ("%s = %s", cases[i].key, cases[i].value);
      assert_refused (path, cases[i].message);
    }
}

/* The torch snippet names the module and its buffers; the real torch check is check-exports.py. */
static void
test_torch_snippet (void)
{
  g_autofree char *path = write_run ("snippet.json", NS_LAYER_NORM_INSTANCE, TRUE, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = ns_stats_load (path, &error);
  g_autoptr (GBytes) bytes = ns_export_to_bytes (stats, NS_EXPORT_TORCH, NULL, &error);
  const char *text;

  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, NULL);
  g_assert_nonnull (strstr (text, "module = torch.nn.InstanceNorm2d(\n    6,\n    eps=1e-05,\n"
                                  "    momentum=0.1,\n    affine=False,\n"
                                  "    track_running_stats=True,\n    dtype=torch.float32,\n)\n"));
  g_assert_nonnull (strstr (text, "}, strict=True)\n"));
}

static void
test_real_torch (void)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  ns_test_run_export_check ("instance-norm", dir);
}

static int
run_export (const char *stats, const char *out, char **err)
{
  const char *argv[] = {
    g_getenv ("NS_CLI"), "export", stats, "--format", "torch", "-o", out, NULL
  };
  g_autoptr (GError) error = NULL;
  int status;

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli_refusal (void)
{
  g_autofree char *group = write_run ("cli-gn.json", NS_LAYER_NORM_GROUP, FALSE, NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "gn.py", NULL);
  g_autofree char *err = NULL;

  g_assert_cmpint (run_export (group, out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "cli-gn.json: this normalize run (layer 'group')"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, ""); /* the -de_DE runs: decimal commas wherever C's printf would use them */
  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/pernorm-export/import", test_import);
  g_test_add_func ("/pernorm-export/per-sample-runs-refused", test_per_sample_runs_refused);
  g_test_add_func ("/pernorm-export/damaged-members", test_damaged_members);
  g_test_add_func ("/pernorm-export/torch-snippet", test_torch_snippet);
  g_test_add_func ("/pernorm-export/real-torch", test_real_torch);
  g_test_add_func ("/pernorm-export/cli-refusal", test_cli_refusal);
  status = g_test_run ();
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
