/* test-cli-export.c: `normscope-cli export`, `--export F:FILE` of fit and batchnorm, and
 * `transform --stats x.npz`, run as a user runs them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "ns-export.h"
#include "ns-stats.h"
#include "test-utils.h"

typedef struct {
  char *dir;
  char *data; /* tests/data/export/small.csv */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer user_data)
{
  f->dir = ns_test_temp_dir_new ();
  f->data = g_build_filename (g_getenv ("NS_TEST_DATA"), "export", "small.csv", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer user_data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  ns_test_temp_dir_free (f->dir);
  g_free (f->data);
}

static char *
in_dir (const Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Runs normscope-cli with the NULL-terminated arguments; returns the exit status. */
static void
assert_file_equals_export (const char *path, const char *stats_path, NsExportFormat format,
                           const NsExportOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsStats) stats = ns_stats_load (stats_path, &error);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_no_error (error);
  bytes = ns_export_to_bytes (stats, format, options, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
fit_standard (const Fixture *f, const char *stats)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "fit", f->data, "--method", "standard", "-o",
                                                       stats, NULL },
                                    NULL, NULL, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
}

static void
test_export_every_format (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "stats.json");

  fit_standard (f, stats);
  /* torchvision refuses the table's stats (Normalize takes images): tests/test-export.c. */
  for (guint i = 0; i < NS_EXPORT_TORCHVISION; i++)
    {
      const char *name = ns_export_format_to_string (i);
      g_autofree char *file = g_strconcat ("out-", name, ns_export_format_extension (i), NULL);
      g_autofree char *path = in_dir (f, file);
      g_autofree char *out = NULL, *err = NULL;
      NsExportOptions options;

      g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", name, "-o",
                                                           path, NULL },
                                        NULL, &out, &err),
                       ==, 0);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, "");
      ns_export_options_init (&options);
      options.identifier = "out_c_header";
      assert_file_equals_export (path, stats, i, &options);
    }
}

static void
test_export_options (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "bn.json");
  g_autofree char *tensors = in_dir (f, "bn.safetensors");
  g_autofree char *header = in_dir (f, "bn.h");
  g_autofree char *out = NULL, *err = NULL;
  NsExportOptions options;

  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "batchnorm", f->data, "--batch-size", "3",
                                                       "-o", stats, NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", "safetensors",
                                                       "--dtype", "f64", "--prefix", "bn.", "-o",
                                                       tensors, NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  ns_export_options_init (&options);
  options.dtype = NS_EXPORT_DTYPE_F64;
  options.prefix = "bn.";
  assert_file_equals_export (tensors, stats, NS_EXPORT_SAFETENSORS, &options);
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", "c-header",
                                                       "--identifier", "layer1", "-o", header,
                                                       NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  ns_export_options_init (&options);
  options.identifier = "layer1";
  assert_file_equals_export (header, stats, NS_EXPORT_C_HEADER, &options);
  /* Standard output. */
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", "csv", "-o",
                                                       "-", NULL },
                                    NULL, &out, &err),
                   ==, 0);
  g_assert_true (g_str_has_prefix (out, "name,count,missing,mean,variance,std,offset,scale,method,"
                                        "running_mean,running_var,"));
}

static void
assert_usage_error (const char *expected_message, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL, *expected = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) g_getenv ("NS_CLI"));
  va_start (args, expected_message);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &status, &error));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_cmpstr (err, ==, expected_message);
}

static void
test_export_usage_errors (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "stats.json");
  g_autofree char *out = in_dir (f, "out.npz");
  g_autofree char *listing_before = NULL;

  fit_standard (f, stats);
  assert_usage_error (
    "normscope-cli export: unknown export format 'hdf5' (expected npz, safetensors, "
    "keras, torch, sklearn, c-header, csv, onnx or torchvision)\nTry 'normscope-cli export "
    "--help'\n",
    "export", stats, "--format", "hdf5", "-o", out, NULL);
  assert_usage_error ("normscope-cli export: missing required option --format\n"
                      "Try 'normscope-cli export --help'\n",
                      "export", stats, "-o", out, NULL);
  assert_usage_error ("normscope-cli export: missing required option -o\n"
                      "Try 'normscope-cli export --help'\n",
                      "export", stats, "--format", "npz", NULL);
  assert_usage_error ("normscope-cli export: --prefix applies to --format safetensors only\n"
                      "Try 'normscope-cli export --help'\n",
                      "export", stats, "--format", "csv", "--prefix", "bn.", "-o", out, NULL);
  assert_usage_error ("normscope-cli export: unknown dtype 'f16' (expected f32 or f64)\n"
                      "Try 'normscope-cli export --help'\n",
                      "export", stats, "--format", "npz", "--dtype", "f16", "-o", out, NULL);
  assert_usage_error ("normscope-cli export: missing the STATS file\n"
                      "Try 'normscope-cli export --help'\n",
                      "export", "--format", "npz", "-o", out, NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_export_write_errors (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "stats.json");
  g_autofree char *missing = in_dir (f, "no-such-folder/x.npz");
  g_autofree char *missing_dir = in_dir (f, "no-such-folder");
  g_autofree char *expected = NULL;
  g_autofree char *err = NULL;

  fit_standard (f, stats);
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", "npz", "-o",
                                                       missing, NULL },
                                    NULL, NULL, &err),
                   ==, 2);
  expected = g_strdup_printf ("%s: cannot write: folder %s does not exist\n", missing, missing_dir);
  g_assert_cmpstr (err, ==, expected);
  g_clear_pointer (&err, g_free);
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format",
                                                           "safetensors", "-o", "/dev/full", NULL },
                                        NULL, NULL, &err),
                       ==, 2);
      g_assert_cmpstr (err, ==, "/dev/full: cannot write: No space left on device\n");
      g_clear_pointer (&err, g_free);
    }
  /* Never over the input. */
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", "csv", "-o",
                                                       stats, NULL },
                                    NULL, NULL, &err),
                   ==, 2);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: refusing to write over the input file %s\n", stats, stats);
  g_assert_cmpstr (err, ==, expected);
}

/* transform --stats accepts the npz export and gives the same bytes as with the JSON. */
static void
test_transform_with_npz (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "stats.json");
  g_autofree char *npz = in_dir (f, "stats.npz");
  g_autofree char *from_json = in_dir (f, "from-json.csv");
  g_autofree char *from_npz = in_dir (f, "from-npz.csv");
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *err = NULL;

  fit_standard (f, stats);
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "export", stats, "--format", "npz", "-o",
                                                       npz, NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "transform", f->data, "--stats", stats, "-o",
                                                       from_json, NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "transform", f->data, "--stats", npz, "-o",
                                                       from_npz, NULL },
                                    NULL, NULL, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_get_contents (from_json, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (from_npz, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
}

/* fit and batchnorm write --export files in the same run, identical to a later `export`. */
static void
test_export_option (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "minmax.json");
  g_autofree char *npz = in_dir (f, "minmax.npz");
  g_autofree char *header = in_dir (f, "minmax.h");
  g_autofree char *npz_spec = g_strconcat ("npz:", npz, NULL);
  g_autofree char *header_spec = g_strconcat ("c-header:", header, NULL);
  g_autofree char *bn = in_dir (f, "bn.json");
  g_autofree char *tensors = in_dir (f, "bn.safetensors");
  g_autofree char *tensors_spec = g_strconcat ("safetensors:", tensors, NULL);
  NsExportOptions options;

  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "fit", f->data, "--method", "minmax", "-o",
                                                       stats, "--export", npz_spec, "--export",
                                                       header_spec, NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  assert_file_equals_export (npz, stats, NS_EXPORT_NPZ, NULL);
  ns_export_options_init (&options);
  options.identifier = "minmax";
  assert_file_equals_export (header, stats, NS_EXPORT_C_HEADER, &options);

  g_assert_cmpint (ns_test_run_cli ((const char *[]) { "batchnorm", f->data, "--batch-size", "3",
                                                       "-o", bn, "--export", tensors_spec, NULL },
                                    NULL, NULL, NULL),
                   ==, 0);
  assert_file_equals_export (tensors, bn, NS_EXPORT_SAFETENSORS, NULL);
}

static void
test_export_option_errors (Fixture *f, gconstpointer user_data)
{
  g_autofree char *stats = in_dir (f, "s.json");
  g_autofree char *npz = in_dir (f, "s.npz");
  g_autofree char *npz_spec = g_strconcat ("npz:", npz, NULL);

  /* A bad spec is a usage error before anything is fitted or written. */
  assert_usage_error (
    "normscope-cli fit: --export: expected FORMAT:FILE (e.g. npz:stats.npz), found "
    "'stats.npz'\nTry 'normscope-cli fit --help'\n",
    "fit", f->data, "--method", "standard", "-o", stats, "--export", npz_spec, "--export",
    "stats.npz", NULL);
  assert_usage_error (
    "normscope-cli batchnorm: --export: unknown export format 'hdf5' (expected "
    "npz, safetensors, keras, torch, sklearn, c-header, csv, onnx or torchvision)\n"
    "Try 'normscope-cli batchnorm --help'\n",
    "batchnorm", f->data, "--batch-size", "3", "-o", stats, "--export", "hdf5:x", NULL);
  g_assert_false (g_file_test (stats, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (npz, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-export/every-format", test_export_every_format);
  ADD ("/cli-export/options", test_export_options);
  ADD ("/cli-export/usage-errors", test_export_usage_errors);
  ADD ("/cli-export/write-errors", test_export_write_errors);
  ADD ("/cli-export/transform-with-npz", test_transform_with_npz);
  ADD ("/cli-export/export-option", test_export_option);
  ADD ("/cli-export/export-option-errors", test_export_option_errors);
#undef ADD
  return g_test_run ();
}
