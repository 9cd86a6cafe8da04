/* test-utils.c: helpers the test programs share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-utils.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include "core/ns-error.h"

#define NS_TEST_SKIP 77

void
ns_test_run_export_check (const char *check, const char *dir)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");
  g_autofree char *script =
    g_build_filename (root != NULL ? root : ".", "tests", "check-exports.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, check, dir, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("python3 not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s", out);
      return;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == NS_TEST_SKIP)
    {
      g_strstrip (out);
      g_test_skip (out);
      return;
    }
  g_error ("tests/check-exports.py %s failed:\n%s%s", check, out, err);
}

int
ns_test_run_cli_command (const char *command, const char *const *args, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) command);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return ns_test_run_cli ((const char *const *) argv->pdata, NULL, NULL, err);
}

void
ns_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        ns_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

NsTestTempDir *
ns_test_temp_dir_new (void)
{
  g_autofree char *program =
    g_path_get_basename (g_get_prgname () != NULL ? g_get_prgname () : "test");
  g_autofree char *template = g_strdup_printf ("ns-%s-XXXXXX", program);
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
ns_test_temp_dir_free (NsTestTempDir *dir)
{
  if (dir == NULL)
    return;
  ns_test_remove_tree (dir);
  g_free (dir);
}

const char *
ns_test_getenv (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL)
    g_error ("%s is not set: run this test through meson test", name);
  return value;
}

char *
ns_test_data_path (const char *subdir, const char *name)
{
  return g_build_filename (ns_test_getenv ("NS_TEST_DATA"), subdir != NULL ? subdir : name,
                           subdir != NULL ? name : NULL, NULL);
}

void
ns_test_assert_close_at (const char *file, int line, const char *func, double actual,
                         double expected, double rel_tol, double abs_tol, const char *format, ...)
{
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;
  va_list args;

  if (actual == expected || (isnan (actual) && isnan (expected)) ||
      fabs (actual - expected) <= MAX (rel_tol * fabs (expected), abs_tol))
    return;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  message = g_strdup_printf ("%s: expected %.17g, got %.17g (relative tolerance %g, absolute %g)",
                             what, expected, actual, rel_tol, abs_tol);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

void
ns_test_write_json (JsonBuilder *builder, const char *path)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

JsonNode *
ns_test_load_data_json (const char *subdir, const char *name)
{
  g_autofree char *path = ns_test_data_path (subdir, name);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

NsDataset *
ns_test_load_dataset (const char *path, const char *axis)
{
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  NsDataset *data;

  ns_read_options_init (&read_options);
  read_options.axis = axis;
  data = ns_dataset_load (path, &read_options, NULL, &error);
  g_assert_no_error (error);
  return data;
}

double
ns_test_json_double (JsonNode *node)
{
  const char *text;

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return json_node_get_double (node);
  text = json_node_get_string (node);
  if (g_str_equal (text, "nan"))
    return NAN;
  g_assert_true (g_str_equal (text, "inf") || g_str_equal (text, "-inf"));
  return text[0] == '-' ? -INFINITY : INFINITY;
}

double *
ns_test_json_doubles (JsonArray *array, guint *n)
{
  guint length = json_array_get_length (array);
  double *values = g_new (double, MAX (length, 1));

  for (guint i = 0; i < length; i++)
    values[i] = ns_test_json_double (json_array_get_element (array, i));
  if (n != NULL)
    *n = length;
  return values;
}

gboolean
ns_test_same_bits (double a, double b)
{
  return (isnan (a) && isnan (b)) || memcmp (&a, &b, sizeof a) == 0;
}

guint
ns_test_count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

int
ns_test_run_cli (const char *const *args, const char *dir, char **out, char **err)
{
  const char *cli = ns_test_getenv ("NS_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL,
                               (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
                                 (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
                               NULL, NULL, out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

void
ns_test_assert_finalize_soon (gpointer object)
{
  gpointer alive = object;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &alive);
  g_object_unref (object);
  while (alive != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_null (alive);
}

void
ns_test_assert_png_size (const char *path, int width, int height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  cairo_surface_destroy (png);
}

NsStats *
ns_test_merge_in_any_order (NsPartial *const *parts)
{
  static const guint orders[][7] = { { 0, 1, 2, 3, 4, 5, 6 },
                                     { 6, 5, 4, 3, 2, 1, 0 },
                                     { 3, 0, 6, 2, 5, 1, 4 } };
  const char *names[7] = { "p0", "p1", "p2", "p3", "p4", "p5", "p6" };
  g_autofree char *first = NULL;
  NsStats *result = NULL;

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      NsPartial *shuffled[7];
      g_autoptr (GError) error = NULL;
      g_autoptr (NsPartial) merged = NULL;
      g_autoptr (NsStats) stats = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; i < 7; i++)
        shuffled[i] = parts[orders[o][i]];
      merged = ns_partial_merge (shuffled, names, 7, &error);
      g_assert_no_error (error);
      stats = ns_partial_to_stats (merged, &error);
      g_assert_no_error (error);
      text = ns_stats_to_json_string (stats);
      if (first == NULL)
        {
          first = g_steal_pointer (&text);
          result = g_steal_pointer (&stats);
        }
      else
        g_assert_cmpstr (text, ==, first);
    }
  return result;
}

void
ns_test_assert_merge_fails (NsPartial *a, NsPartial *b, const char *expected)
{
  NsPartial *parts[] = { a, b };
  const char *names[] = { "a.json", "b.json" };
  g_autoptr (GError) error = NULL;

  g_assert_null (ns_partial_merge (parts, names, 2, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, expected);
}

NsBatchNorm *
ns_test_simulate_batchnorm (const NsDataset *data, gsize batch_size, gboolean renorm)
{
  NsBatchNormOptions options;
  NsBatchNorm *bn;

  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = batch_size;
  options.renorm = renorm;
  options.record_history = TRUE;
  options.only_feature = 0;
  bn = ns_batchnorm_new (data, &options, NULL);
  g_assert_nonnull (bn);
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, NULL));
  return bn;
}

void
ns_test_rgb_to_lab (const double rgb[3], double lab[3])
{
  static const double white[3] = { 0.95047, 1.0, 1.08883 };
  double linear[3], xyz[3], f[3];

  for (int c = 0; c < 3; c++)
    linear[c] = rgb[c] <= 0.04045 ? rgb[c] / 12.92 : pow ((rgb[c] + 0.055) / 1.055, 2.4);
  xyz[0] = 0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2];
  xyz[1] = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  xyz[2] = 0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2];
  for (int c = 0; c < 3; c++)
    {
      double t = xyz[c] / white[c];

      f[c] = t > 0.008856 ? cbrt (t) : 7.787 * t + 16.0 / 116;
    }
  lab[0] = 116 * f[1] - 16;
  lab[1] = 500 * (f[0] - f[1]);
  lab[2] = 200 * (f[1] - f[2]);
}

double
ns_test_lab_distance (const double a[3], const double b[3])
{
  return sqrt ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
               (a[2] - b[2]) * (a[2] - b[2]));
}

void
ns_test_assert_same_file (const char *a, const char *b)
{
  g_autofree char *left = NULL, *right = NULL;
  gsize left_len, right_len;

  g_assert_true (g_file_get_contents (a, &left, &left_len, NULL));
  g_assert_true (g_file_get_contents (b, &right, &right_len, NULL));
  g_assert_cmpuint (left_len, ==, right_len);
  g_assert_true (memcmp (left, right, left_len) == 0);
}

NsStats *
ns_test_fit_file (const char *path, NsMethod method)
{
  NsFitFileOptions options;
  g_autoptr (GError) error = NULL;
  NsStats *stats;

  ns_fit_file_options_init (&options, method);
  stats = ns_fit_file (path, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  return stats;
}
