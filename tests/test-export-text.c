/* test-export-text.c: the text exports (CSV, C header, framework snippets), C identifiers, write
 * failures, and numpy, torch and scikit-learn running what is exported.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-export-helpers.h"

/* CSV. */

static char **
split_csv_line (const char *line)
{
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if ((*p == ',' && !quoted) || *p == '\0')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (field, *p);
    }
  g_string_free (field, TRUE);
  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (fields, FALSE);
}

static void
test_csv (void)
{
  g_autoptr (NsStats) stats = make_robust ();
  g_autoptr (NsStats) standard = make_standard ();
  g_autoptr (GBytes) bytes = export_bytes (stats, NS_EXPORT_CSV, NULL);
  g_autoptr (GBytes) standard_bytes = export_bytes (standard, NS_EXPORT_CSV, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *standard_text =
    g_strndup (g_bytes_get_data (standard_bytes, NULL), g_bytes_get_size (standard_bytes));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) standard_lines = g_strsplit (standard_text, "\n", -1);

  g_assert_cmpstr (lines[0], ==,
                   "name,count,missing,mean,variance,std,offset,scale,method,median,iqr");
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  for (guint c = 0; c < 2; c++)
    {
      g_auto (GStrv) fields = split_csv_line (lines[c + 1]);
      double median;

      g_assert_cmpuint (g_strv_length (fields), ==, 11);
      g_assert_cmpstr (fields[0], ==, ns_stats_get_name (stats, c));
      assert_same_double (ns_stats_get_count (stats, c), g_ascii_strtod (fields[1], NULL));
      assert_same_double (ns_stats_get_mean (stats, c), g_ascii_strtod (fields[3], NULL));
      assert_same_double (ns_stats_get_variance (stats, c), g_ascii_strtod (fields[4], NULL));
      assert_same_double (sqrt (ns_stats_get_variance (stats, c)),
                          g_ascii_strtod (fields[5], NULL));
      assert_same_double (ns_stats_get_offset (stats, c), g_ascii_strtod (fields[6], NULL));
      assert_same_double (ns_stats_get_scale (stats, c), g_ascii_strtod (fields[7], NULL));
      g_assert_cmpstr (fields[8], ==, "robust");
      g_assert_true (ns_stats_get_field (stats, c, "median", &median));
      assert_same_double (median, g_ascii_strtod (fields[9], NULL));
    }
  /* Names with a comma and quotes are quoted; tiny and huge values stay exact. */
  g_assert_true (g_str_has_prefix (standard_lines[2], "\"beta, \"\"quoted\"\" */\","));
  for (guint c = 0; c < 3; c++)
    {
      g_auto (GStrv) fields = split_csv_line (standard_lines[c + 1]);

      g_assert_cmpuint (g_strv_length (fields), ==, 9);
      g_assert_cmpstr (fields[0], ==, ns_stats_get_name (standard, c));
      assert_same_double (ns_stats_get_mean (standard, c), g_ascii_strtod (fields[3], NULL));
      assert_same_double (ns_stats_get_variance (standard, c), g_ascii_strtod (fields[4], NULL));
      assert_same_double (ns_stats_get_missing (standard, c), g_ascii_strtod (fields[2], NULL));
    }
}

/* Fixture rows and normscope's transform of them. */

static NsDataset *
make_rows (const NsStats *stats)
{
  guint n = ns_stats_get_n_columns (stats);
  NsDataset *data = ns_dataset_new_table (N_ROWS);

  for (guint c = 0; c < n; c++)
    {
      double *values = g_new (double, N_ROWS);
      double offset = ns_stats_get_offset (stats, c), scale = ns_stats_get_scale (stats, c);

      /* Spread around the offset by a few scales, with irrational steps. */
      for (guint r = 0; r < N_ROWS; r++)
        values[r] = offset + scale * (sin (1.0 + r * 1.7 + c * 0.3) * 2.5 + r / 7.0);
      ns_dataset_add_numeric_column (data, ns_stats_get_name (stats, c), values);
    }
  ns_dataset_count_missing (data);
  return data;
}

static NsDataset *
transform (const NsStats *stats, const NsDataset *data)
{
  g_autoptr (GError) error = NULL;
  NsDataset *out = ns_stats_transform (stats, data, FALSE, &error);

  g_assert_no_error (error);
  return out;
}

/* C header: compiled with the system compiler together with a generated main, run, and compared
 * with ns_stats_transform bit for bit (double) and with float arithmetic (float variant). */

static char *
find_c_compiler (void)
{
  const char *env = g_getenv ("CC");
  char *path = env != NULL && *env != '\0' ? g_find_program_in_path (env) : NULL;

  return path != NULL ? path : g_find_program_in_path ("cc");
}

static void
write_header_main (const char *path, const char *header, const char *id, const NsDataset *data)
{
  guint n = ns_dataset_get_n_features (data);
  GString *main_c = g_string_new (NULL);
  char buf[NS_DOUBLE_BUF_SIZE];
  g_autoptr (GError) error = NULL;

  g_string_append_printf (main_c, "#include <stdio.h>\n#include \"%s\"\n\n", header);
  g_string_append_printf (main_c, "static double rows[%d][%u] = {\n", N_ROWS, n);
  for (guint r = 0; r < N_ROWS; r++)
    {
      g_string_append (main_c, "  {");
      for (guint c = 0; c < n; c++)
        g_string_append_printf (main_c, " %s,",
                                ns_format_double (buf, ns_dataset_get_values (data, c)[r]));
      g_string_append (main_c, " },\n");
    }
  g_string_append (main_c, "};\n\nint\nmain (void)\n{\n");
  g_string_append_printf (main_c,
                          "  for (int r = 0; r < %d; r++)\n    {\n      float f[%u];\n"
                          "      for (int c = 0; c < %u; c++)\n        f[c] = (float) rows[r][c];\n"
                          "      %s_normalize (rows[r]);\n      %s_normalize_f (f);\n"
                          "      for (int c = 0; c < %u; c++)\n        printf (\"%%a %%a\\n\", "
                          "rows[r][c], (double) f[c]);\n"
                          "    }\n  return 0;\n}\n",
                          N_ROWS, n, n, id, id, n);
  g_assert_true (g_file_set_contents (path, main_c->str, -1, &error));
  g_assert_no_error (error);
  g_string_free (main_c, TRUE);
}

static void
check_c_header (const NsStats *stats, const char *compiler, const char *dir)
{
  g_autofree char *header = g_build_filename (dir, "my-stats.v1.h", NULL);
  g_autofree char *main_c = g_build_filename (dir, "main.c", NULL);
  g_autofree char *program = g_build_filename (dir, "normalize", NULL);
  g_autoptr (NsDataset) data = make_rows (stats);
  g_autoptr (NsDataset) expected = transform (stats, data);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) lines = NULL;
  int status = 0;
  guint n = ns_stats_get_n_columns (stats);
  const char *compile[] = { compiler, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                            "-o",     program,    main_c,  "-lm",     NULL };
  const char *run[] = { program, NULL };
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, NULL);

  g_assert_true (ns_export_write (stats, NS_EXPORT_C_HEADER, NULL, header, &error));
  g_assert_no_error (error);
  write_header_main (main_c, "my-stats.v1.h", "my_stats", data);
  g_assert_true (g_spawn_sync (dir, (char **) compile, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("compiling the exported header failed:\n%s%s", out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_spawn_sync (dir, (char **) run, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, N_ROWS * n + 1);
  for (guint r = 0; r < N_ROWS; r++)
    for (guint c = 0; c < n; c++)
      {
        g_auto (GStrv) pair = g_strsplit (lines[r * n + c], " ", 2);
        float x = (float) ns_dataset_get_values (data, c)[r];
        const NsColumnTransform *tc = &t[c];
        float f = !tc->affine ? (x - (float) tc->offset) / (float) tc->scale
                  : tc->subtract_first
                    ? (x - (float) tc->offset) * (float) tc->alpha + (float) tc->beta
                    : x * (float) tc->alpha + (float) tc->shift;

        assert_same_double (ns_dataset_get_values (expected, c)[r], g_ascii_strtod (pair[0], NULL));
        assert_same_double ((double) f, g_ascii_strtod (pair[1], NULL));
      }
}

static void
test_c_header (void)
{
  g_autofree char *compiler = find_c_compiler ();
  g_autofree char *dir = NULL;
  NsStats *fixtures[] = { make_standard (), make_minmax (), make_batchnorm (1, 0, FALSE),
                          make_batchnorm (2, 0.25, FALSE), make_flax_batchnorm () };
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  bytes = export_bytes (fixtures[0], NS_EXPORT_C_HEADER, NULL);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Without a file name the identifiers are normscope_*; names sit in comments as C strings, whose
   * '*' is an octal escape so no name ends the comment. */
  g_assert_nonnull (strstr (text, "#ifndef NORMSCOPE_H\n#define NORMSCOPE_H\n"));
  g_assert_nonnull (strstr (text, "static const double normscope_offset[NORMSCOPE_N_FEATURES] = {\n"
                                  "  0.1,  /* 0 \"alpha\" */\n"));
  g_assert_nonnull (strstr (text, "/* 1 \"beta, \\\"quoted\\\" \\052/\" */"));
  g_assert_nonnull (strstr (text, "static const char *const normscope_names"
                                  "[NORMSCOPE_N_FEATURES] = {\n  \"alpha\",\n"));
  g_assert_nonnull (strstr (text,
                            "static inline void normscope_normalize (double *x) { for (int i = 0; "
                            "i < NORMSCOPE_N_FEATURES; i++) x[i] = (x[i] - normscope_offset[i]) / "
                            "normscope_scale[i]; }\n"));
  if (compiler == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
        ns_stats_free (fixtures[i]);
      g_test_skip ("no C compiler (cc) found to compile the exported header");
      return;
    }
  dir = ns_test_temp_dir_new ();
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      check_c_header (fixtures[i], compiler, dir);
      ns_stats_free (fixtures[i]);
    }
  ns_test_remove_tree (dir);
}

/* Snippets: the texts' key lines (the Python checks run them). */

static char *
export_text (const NsStats *stats, NsExportFormat format, const NsExportOptions *options)
{
  g_autoptr (GBytes) bytes = export_bytes (stats, format, options);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_snippets_text (void)
{
  g_autoptr (NsStats) standard = make_standard ();
  g_autoptr (NsStats) bn = make_batchnorm (1, 0, TRUE);
  g_autofree char *sklearn = export_text (standard, NS_EXPORT_SKLEARN, NULL);
  g_autofree char *torch = export_text (bn, NS_EXPORT_TORCH, NULL);
  g_autofree char *keras = export_text (standard, NS_EXPORT_KERAS, NULL);
  g_autofree char *keras_bn = export_text (bn, NS_EXPORT_KERAS, NULL);

  g_assert_nonnull (strstr (sklearn, "from sklearn.preprocessing import StandardScaler\n"));
  {
    char a[NS_DOUBLE_BUF_SIZE], b[NS_DOUBLE_BUF_SIZE], c[NS_DOUBLE_BUF_SIZE];
    g_autofree char *offset =
      g_strdup_printf ("offset = [\n    0.1,  # 0 \"alpha\"\n    %s,  # 1 "
                       "\"beta, \\\"quoted\\\" */\"\n    %s,  # 2 ",
                       ns_format_double (a, 1.0 / 3.0),
                       ns_format_double (b, ns_stats_get_offset (standard, 2)));
    g_autofree char *variance =
      g_strdup_printf ("variance = [\n    0.02,  # 0 \"alpha\"\n    "
                       "%s,  # 1 \"beta, \\\"quoted\\\" */\"\n    "
                       "%s,  # 2 ",
                       ns_format_double (a, 2.0 / 3.0),
                       ns_format_double (c, ns_stats_get_variance (standard, 2)));

    g_assert_nonnull (strstr (sklearn, offset));
    g_assert_nonnull (strstr (sklearn, variance));
  }
  g_assert_nonnull (strstr (sklearn, "    \"beta, \\\"quoted\\\" */\",  # 1\n"));
  g_assert_nonnull (strstr (sklearn, "scaler.n_samples_seen_ = numpy.array(n_samples_seen, "
                                     "dtype=numpy.int64)\n"));
  g_assert_nonnull (
    strstr (sklearn, "scaler.feature_names_in_ = numpy.array(names, dtype=object)\n"));
  g_assert_nonnull (strstr (torch, "module = torch.nn.BatchNorm1d(\n    3,\n    eps=0.001,\n"
                                   "    momentum=1.0 - 0.99,  # Keras/Flax momentum"));
  g_assert_nonnull (strstr (torch, "    module.num_batches_tracked.fill_(7)\nmodule.eval()"));
  g_assert_nonnull (strstr (keras, "layer = keras.layers.Normalization(axis=-1, mean=offset, "
                                   "variance=numpy.square(numpy.array(scale)))\n"));
  g_assert_nonnull (strstr (keras_bn,
                            "layer.build((None, 3))\nlayer.set_weights([numpy.array(gamma), "
                            "numpy.array(beta), numpy.array(moving_mean), "
                            "numpy.array(moving_variance)])\n"));
  g_assert_nonnull (strstr (keras_bn, "    epsilon=0.001,\n    momentum=0.99,\n"));
}

/* --identifier and file names become plain C names: no "__" or leading '_' (reserved), no leading
 * digit. */
static void
test_c_identifier (void)
{
  static const struct {
    const char *given, *guard;
  } cases[] = {
    { "my-stats.v1", "#ifndef MY_STATS_V1_H\n" }, { "", "#ifndef NS_H\n" },
    { "9lives", "#ifndef NS_9LIVES_H\n" },        { "__a--b__", "#ifndef A_B_H\n" },
    { "n\xc3\xb6n */ x", "#ifndef N_N_X_H\n" },
  };
  g_autoptr (NsStats) stats = make_standard ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NsExportOptions options;
      g_autofree char *text = NULL;

      ns_export_options_init (&options);
      options.identifier = cases[i].given;
      text = export_text (stats, NS_EXPORT_C_HEADER, &options);
      g_assert_nonnull (strstr (text, cases[i].guard));
    }
}

/* Write failures: a clear error and no file, no temporary left behind. */

static void
assert_write_fails (const NsStats *stats, NsExportFormat format, const char *path,
                    const char *message_prefix)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ns_export_write (stats, format, NULL, path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  if (!g_str_has_prefix (error->message, message_prefix))
    g_error ("expected an error starting '%s', got '%s'", message_prefix, error->message);
  if (!g_str_has_prefix (path, "/dev/"))
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_write_failures (void)
{
  g_autoptr (NsStats) stats = make_standard ();
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  g_autofree char *missing_dir = g_build_filename (dir, "no-such-folder", NULL);
  g_autofree char *in_missing = g_build_filename (missing_dir, "stats.npz", NULL);
  g_autofree char *regular = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (regular, "stats.csv", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *listing = NULL;

  g_assert_true (g_file_set_contents (regular, "x", -1, NULL));
  /* torchvision refuses a table's stats before it writes: tested with image stats below. */
  for (guint f = 0; f < NS_EXPORT_TORCHVISION; f++)
    {
      g_clear_pointer (&expected, g_free);
      expected =
        g_strdup_printf ("%s: cannot write: folder %s does not exist", in_missing, missing_dir);
      assert_write_fails (stats, f, in_missing, expected);
      g_clear_pointer (&expected, g_free);
      expected =
        g_strdup_printf ("%s: cannot write: %s is a file, not a folder", under_file, regular);
      assert_write_fails (stats, f, under_file, expected);
      /* A full disk: the error names the file and the reason. */
      if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
        assert_write_fails (stats, f, "/dev/full",
                            "/dev/full: cannot write: No space left on device");
      /* A read-only folder even for root: /proc refuses new files. */
      assert_write_fails (stats, f, "/proc/normscope-export-test.npz",
                          "/proc/normscope-export-test.npz: cannot create a file in its folder: ");
    }
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "plain-file");
}

static void
test_write_matches_bytes (void)
{
  g_autoptr (NsStats) stats = make_batchnorm (1, 0, FALSE);
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();

  set_nchw_params (stats);
  for (guint f = 0; f < NS_EXPORT_N_FORMATS; f++)
    {
      g_autofree char *path = g_strconcat (dir, "/out", ns_export_format_extension (f), NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *contents = NULL;
      gsize len;
      NsExportOptions options;

      ns_export_options_init (&options);
      options.identifier = "out";
      bytes = export_bytes (stats, f, &options);
      g_assert_true (ns_export_write (stats, f, NULL, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpmem (contents, len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_unlink (path);
    }
}

/* Optional Python checks: numpy, torch and scikit-learn load or run what we export and compare with
 * ns_stats_transform. Python is never needed by the rest of the suite. */

typedef struct {
  const char *name;
  NsStats *(*make) (void);
} Case;

static NsStats *
make_bn_default (void)
{
  return make_batchnorm (1, 0, FALSE);
}
static NsStats *
make_bn_keras (void)
{
  return make_batchnorm (2, 0.5, TRUE);
}

static const Case cases[] = {
  { "standard", make_standard },
  { "minmax", make_minmax },
  { "maxabs", make_maxabs },
  { "robust", make_robust },
  { "keras", make_keras },
  { "batchnorm", make_bn_default },
  { "batchnorm-keras", make_bn_keras },
};

static void
append_json_doubles (JsonBuilder *builder, const double *values, guint n)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* Batch-norm stats whose gamma or beta is not the identity's. */
static gboolean
has_affine (const NsStats *stats)
{
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, NULL);

  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    if (t[c].affine && (t[c].gamma != 1 || t[c].beta != 0))
      return TRUE;
  return FALSE;
}

static void
write_case_files (const char *dir, const Case *c, JsonBuilder *builder)
{
  g_autoptr (NsStats) stats = c->make ();
  g_autoptr (NsDataset) data = make_rows (stats);
  g_autoptr (NsDataset) expected = transform (stats, data);
  guint n = ns_stats_get_n_columns (stats);
  static const struct {
    const char *key;
    NsExportFormat format;
    NsExportDtype dtype;
    const char *prefix;
  } files[] = {
    { "npz", NS_EXPORT_NPZ, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "safetensors", NS_EXPORT_SAFETENSORS, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "safetensors64", NS_EXPORT_SAFETENSORS, NS_EXPORT_DTYPE_F64, NULL },
    { "safetensors_prefixed", NS_EXPORT_SAFETENSORS, NS_EXPORT_DTYPE_DEFAULT, "bn." },
    { "torch", NS_EXPORT_TORCH, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "torch64", NS_EXPORT_TORCH, NS_EXPORT_DTYPE_F64, NULL },
    { "sklearn", NS_EXPORT_SKLEARN, NS_EXPORT_DTYPE_DEFAULT, NULL },
    { "keras", NS_EXPORT_KERAS, NS_EXPORT_DTYPE_DEFAULT, NULL },
  };
  double *values = g_new (double, n);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, c->name);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, ns_stats_get_method (stats));
  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (builder, ns_stats_get_name (stats, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "params");
  {
    JsonNode *node = json_node_alloc ();

    json_builder_add_value (builder, json_node_init_object (node, ns_stats_get_params (stats)));
  }
  json_builder_set_member_name (builder, "num_batches_tracked");
  json_builder_add_int_value (builder,
                              json_object_get_int_member_with_default (ns_stats_get_extra (stats),
                                                                       "num_batches_tracked", 0));
  for (guint q = 0; q < 4; q++)
    {
      static const char *keys[] = { "mean", "variance", "offset", "scale" };
      double (*getters[]) (const NsStats *, guint) = { ns_stats_get_mean, ns_stats_get_variance,
                                                       ns_stats_get_offset, ns_stats_get_scale };

      for (guint i = 0; i < n; i++)
        values[i] = getters[q](stats, i);
      json_builder_set_member_name (builder, keys[q]);
      append_json_doubles (builder, values, n);
    }
  for (guint q = 0; q < 2; q++)
    {
      static const char *keys[] = { "running_mean", "running_var" };

      for (guint i = 0; i < n; i++)
        if (!ns_stats_get_field (stats, i, keys[q], &values[i]))
          break;
      if (ns_stats_get_n_fields (stats, 0) > 0 && ns_stats_get_field (stats, 0, keys[q], NULL))
        {
          json_builder_set_member_name (builder, keys[q]);
          append_json_doubles (builder, values, n);
        }
    }
  for (guint q = 0; q < 2; q++)
    {
      const NsDataset *table = q == 0 ? data : expected;

      json_builder_set_member_name (builder, q == 0 ? "rows" : "expected");
      json_builder_begin_array (builder);
      for (guint r = 0; r < N_ROWS; r++)
        {
          for (guint i = 0; i < n; i++)
            values[i] = ns_dataset_get_values (table, i)[r];
          append_json_doubles (builder, values, n);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "files");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s-%s%s", dir, c->name, files[i].key,
                                               ns_export_format_extension (files[i].format));
      g_autoptr (GError) error = NULL;
      NsExportOptions options;

      ns_export_options_init (&options);
      options.dtype = files[i].dtype;
      options.prefix = files[i].prefix;
      if (files[i].format == NS_EXPORT_SKLEARN && has_affine (stats))
        {
          /* A StandardScaler has no gamma and beta: the export is refused. */
          g_assert_false (ns_export_write (stats, files[i].format, &options, path, &error));
          continue;
        }
      g_assert_true (ns_export_write (stats, files[i].format, &options, path, &error));
      g_assert_no_error (error);
      json_builder_set_member_name (builder, files[i].key);
      json_builder_add_string_value (builder, path);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  g_free (values);
}

static char *
write_python_fixtures (void)
{
  char *dir = ns_test_temp_dir_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *path = g_build_filename (dir, "cases.json", NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    write_case_files (dir, &cases[i], builder);
  json_builder_end_array (builder);
  ns_test_write_json (builder, path);
  return dir;
}

static void
run_python_check (gconstpointer user_data)
{
  g_autofree char *dir = write_python_fixtures ();

  ns_test_run_export_check (user_data, dir);
  ns_test_remove_tree (dir);
}

/* Non-default ranges must reach the scikit-learn constructors, or the snippet rescales wrongly. */
static void
test_sklearn_snippet_ranges (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (4);
  double *x = g_new (double, 4);
  NsScalerOptions options;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    x[i] = i * i;
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_count_missing (data);

  ns_scaler_options_init (&options, NS_METHOD_MINMAX);
  options.feature_range[0] = -1;
  options.feature_range[1] = 2.5;
  {
    g_autoptr (NsStats) stats = ns_scaler_fit (data, &options, NULL, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = export_text (stats, NS_EXPORT_SKLEARN, NULL);
    g_assert_nonnull (
      strstr (text, "scaler = MinMaxScaler(feature_range=(-1.0, 2.5), clip=False)\n"));
  }
  ns_scaler_options_init (&options, NS_METHOD_ROBUST);
  options.quantile_range[0] = 10;
  options.quantile_range[1] = 90;
  {
    g_autoptr (NsStats) stats = ns_scaler_fit (data, &options, NULL, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = export_text (stats, NS_EXPORT_SKLEARN, NULL);
    g_assert_nonnull (strstr (text, "quantile_range=(10.0, 90.0))"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/sklearn/ranges", test_sklearn_snippet_ranges);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/c-header", test_c_header);
  g_test_add_func ("/export/c-identifier", test_c_identifier);
  g_test_add_func ("/export/snippets/text", test_snippets_text);
  g_test_add_func ("/export/write-failures", test_write_failures);
  g_test_add_func ("/export/write-matches-bytes", test_write_matches_bytes);
  g_test_add_data_func ("/export/python/syntax", "syntax", run_python_check);
  g_test_add_data_func ("/export/python/numpy-npz", "numpy", run_python_check);
  g_test_add_data_func ("/export/python/torch-safetensors", "torch-safetensors", run_python_check);
  g_test_add_data_func ("/export/python/torch-snippet", "torch-snippet", run_python_check);
  g_test_add_data_func ("/export/python/sklearn-snippet", "sklearn-snippet", run_python_check);
  g_test_add_data_func ("/export/python/keras-snippet", "keras-snippet", run_python_check);
  return g_test_run ();
}
