/* test-cli-batchnorm.c: `normscope-cli batchnorm` end to end: stats file keys and values against
 * the PyTorch vectors, the trace CSV, --outputs, and the messages for bad input.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "test-utils.h"

#include "core/ns-reader.h"

typedef struct {
  char *dir;
  char *out;
  char *err;
  int status;
} Fixture;

static char *
data_path (const char *name)
{
  return g_build_filename (ns_test_getenv ("NS_TEST_DATA"), "batchnorm", name, NULL);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = ns_test_temp_dir_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ns_test_temp_dir_free (f->dir);
  g_free (f->out);
  g_free (f->err);
}

/* Runs normscope-cli COMMAND with args (NULL-terminated) in the fixture's folder. */
static void
run_command_argv (Fixture *f, const char *command, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) ns_test_getenv ("NS_CLI"));
  g_ptr_array_add (argv, (gpointer) command);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_spawn_sync (f->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &f->out, &f->err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  f->status = WEXITSTATUS (wait_status);
}

static void
run_argv (Fixture *f, const char *const *args)
{
  run_command_argv (f, "batchnorm", args);
}

static void
run (Fixture *f, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list list;

  va_start (list, f);
  while ((arg = va_arg (list, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (list);
  g_ptr_array_add (args, NULL);
  run_argv (f, (const char *const *) args->pdata);
}

static JsonObject *
read_json (Fixture *f, const char *name, JsonParser **parser)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr (GError) error = NULL;

  *parser = json_parser_new ();
  json_parser_load_from_file (*parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

/* The vector case of that name in array "cases" or "cases_f32" (tests/gen-batchnorm-vectors.py). */
static JsonObject *
vector_case (const char *array, const char *name, JsonParser **parser)
{
  g_autofree char *path = data_path ("vectors.json");
  g_autoptr (GError) error = NULL;
  JsonArray *cases;

  *parser = json_parser_new ();
  json_parser_load_from_file (*parser, path, &error);
  g_assert_no_error (error);
  cases =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (*parser)), array);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (cases, i), "name"),
                   name) == 0)
      return json_array_get_object_element (cases, i);
  g_error ("no vector case %s", name);
}

/* The PyTorch (float64) vector case of that name. */
static JsonObject *
torch_case (const char *name, JsonParser **parser)
{
  return vector_case ("cases", name, parser);
}

static void
check_against_torch (JsonObject *stats, JsonObject *expected)
{
  JsonArray *steps = json_object_get_array_member (expected, "steps");
  JsonObject *last = json_array_get_object_element (steps, json_array_get_length (steps) - 1);
  JsonArray *columns = json_object_get_array_member (stats, "columns");

  g_assert_cmpint (json_object_get_int_member (stats, "num_batches_tracked"), ==,
                   json_object_get_int_member (expected, "num_batches_tracked"));
  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      double rm =
        json_array_get_double_element (json_object_get_array_member (last, "running_mean"), c);
      double rv =
        json_array_get_double_element (json_object_get_array_member (last, "running_var"), c);

      ns_test_assert_close (json_object_get_double_member (column, "running_mean"), rm, 1e-12,
                            1e-12, "value");
      ns_test_assert_close (json_object_get_double_member (column, "running_var"), rv, 1e-12, 1e-12,
                            "value");
      ns_test_assert_close (json_object_get_double_member (column, "offset"), rm, 1e-12, 1e-12,
                            "value");
      ns_test_assert_close (json_object_get_double_member (column, "scale"), sqrt (rv + 1e-5),
                            1e-12, 1e-12, "value");
    }
}

static void
test_stats_file (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autoptr (JsonParser) vectors = NULL;
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *stats, *params, *column;
  const char *const keys[] = { "preset",   "batch_size", "momentum", "momentum_convention",
                               "eps",      "epochs",     "shuffle",  "drop_last",
                               "averages", "renorm" };
  const char *const fields[] = {
    "running_mean",        "running_var",         "ema_mean",    "ema_debiased_var",
    "cumulative_mean",     "warmup_var",          "window_mean", "exact_var",
    "exact_mean_distance", "train_inference_gap", "mean",        "variance"
  };

  run (f, table, "--batch-size", "7", "--momentum", "0.1", "--drop-last", "--epochs", "3",
       "--average", "ema,ema-debiased,cumulative,warmup,window:4,exact", "-o", "stats.json", NULL);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
  stats = read_json (f, "stats.json", &parser);
  g_assert_cmpstr (json_object_get_string_member (stats, "method"), ==, "batchnorm");
  params = json_object_get_object_member (stats, "params");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (params, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (params, "momentum_convention"), ==,
                   "weight-of-new");
  g_assert_true (json_object_get_boolean_member (params, "drop_last"));
  column = json_array_get_object_element (json_object_get_array_member (stats, "columns"), 0);
  g_assert_cmpstr (json_object_get_string_member (column, "name"), ==, "a");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (json_object_has_member (column, fields[i]));
  check_against_torch (stats, torch_case ("torch1d-b7-m0.1-drop-e3", &vectors));
  g_assert_cmpstr (json_object_get_string_member (params, "dtype"), ==, "f64");
}

static char *
read_text (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* A 2-D float64 .npy is simulated on its rows in place: the torch vectors as from the CSV, and the
 * very bytes of the stats file the columnar path (taken for --outputs) writes. */
static void
test_npy_in_place (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autofree char *npy = g_build_filename (f->dir, "table.npy", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) loaded = ns_dataset_load (table, NULL, NULL, &error);
  g_autoptr (JsonParser) vectors = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *rows = NULL, *columns = NULL;

  g_assert_no_error (error);
  g_assert_true (ns_npy_write (loaded, npy, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      const char *args[] = { "table.npy", "--batch-size",
                             "7",         "--momentum",
                             "0.1",       "--drop-last",
                             "--epochs",  "3",
                             "--average", "ema,ema-debiased,cumulative,warmup,window:4,exact",
                             "-o",        i == 0 ? "rows.json" : "columns.json",
                             "--outputs", "t.npy,e.npy",
                             NULL };

      args[12] = i == 0 ? NULL : args[12]; /* the first run without --outputs: on the rows */
      run_argv (f, args);
      g_assert_cmpstr (f->err, ==, "");
      g_assert_cmpint (f->status, ==, 0);
    }
  check_against_torch (read_json (f, "rows.json", &parser),
                       torch_case ("torch1d-b7-m0.1-drop-e3", &vectors));
  rows = read_text (f, "rows.json");
  columns = read_text (f, "columns.json");
  g_assert_cmpstr (rows, ==, columns);
}

/* --dtype f32: torch's float32 BatchNorm1d within 2e-7, and the dtype in params. */
static void
test_float32 (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autoptr (JsonParser) vectors = NULL;
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *expected = vector_case ("cases_f32", "torch1d-f32-b7-m0.01-e2", &vectors);
  JsonArray *steps = json_object_get_array_member (expected, "steps");
  JsonObject *last = json_array_get_object_element (steps, json_array_get_length (steps) - 1);
  const char *const keys[] = { "running_mean", "running_var" };
  JsonObject *stats;
  JsonArray *columns;

  run (f, table, "--batch-size", "7", "--momentum", "0.01", "--epochs", "2", "--dtype", "f32", "-o",
       "stats.json", NULL);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
  stats = read_json (f, "stats.json", &parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stats, "params"),
                                                  "dtype"),
                   ==, "f32");
  columns = json_object_get_array_member (stats, "columns");
  for (guint c = 0; c < json_array_get_length (columns); c++)
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      {
        double e = json_array_get_double_element (json_object_get_array_member (last, keys[k]), c);
        double a =
          json_object_get_double_member (json_array_get_object_element (columns, c), keys[k]);

        if (!(fabs (a - e) <= 2e-7 * fabs (e)))
          g_error ("%s [%u]: expected %.9g, got %.9g", keys[k], c, e, a);
      }
  /* The file reads back (params.dtype is a known name). */
  run_command_argv (f, "transform",
                    (const char *const[]) { table, "--stats", "stats.json", "-o", "out.csv",
                                            NULL });
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
}

/* --order replays a real DataLoader's order (the README's snippet); the stats file reads back. */
static void
test_order (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autoptr (JsonParser) vectors = NULL;
  JsonObject *expected = vector_case ("dataloader", "dataloader-b7-e3", &vectors);
  const char *const files[] = { "order-b7-e3.npy", "order-b7-e3.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *order = data_path (files[i]);
      g_autoptr (JsonParser) parser = NULL;
      JsonObject *stats, *params;

      run (f, table, "--batch-size", "7", "--order", order, "-o", "stats.json", NULL);
      g_assert_cmpstr (f->err, ==, "");
      g_assert_cmpint (f->status, ==, 0);
      stats = read_json (f, "stats.json", &parser);
      params = json_object_get_object_member (stats, "params");
      g_assert_cmpstr (json_object_get_string_member (params, "order"), ==, order);
      g_assert_cmpint (json_object_get_int_member (params, "epochs"), ==, 3);
      g_assert_true (json_object_get_null_member (params, "shuffle"));
      check_against_torch (stats, expected);
    }
  run_command_argv (f, "transform",
                    (const char *const[]) { table, "--stats", "stats.json", "-o", "out.csv",
                                            NULL });
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
}

/* tf.keras' renorm_clipping and renorm_momentum from the command line, against the TF rule. */
static void
test_renorm_clipping (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autoptr (JsonParser) vectors = NULL;
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *expected = vector_case ("tf_renorm", "tf-renorm-rmax-dmax", &vectors);
  JsonArray *steps = json_object_get_array_member (expected, "steps");
  JsonObject *last = json_array_get_object_element (steps, json_array_get_length (steps) - 1);
  JsonObject *stats, *renorm;
  JsonArray *columns;

  run (f, table, "-p", "keras", "-b", "7", "--epochs", "2", "--gamma", "1.5", "--beta", "-0.25",
       "--renorm", "--renorm-momentum", "0.9", "--renorm-clipping", "rmax=1.5,dmax=0.5", "-o",
       "stats.json", NULL);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
  stats = read_json (f, "stats.json", &parser);
  renorm =
    json_object_get_object_member (json_object_get_object_member (stats, "params"), "renorm");
  g_assert_cmpfloat (json_object_get_double_member (renorm, "r_min"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (renorm, "r_max"), ==, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (renorm, "d_max"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (renorm, "momentum"), ==, 0.9);
  columns = json_object_get_array_member (stats, "columns");
  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);

      ns_test_assert_close (
        json_object_get_double_member (column, "running_mean"),
        json_array_get_double_element (json_object_get_array_member (last, "running_mean"), c),
        1e-12, 1e-12, "value");
      ns_test_assert_close (
        json_object_get_double_member (column, "running_var"),
        json_array_get_double_element (json_object_get_array_member (last, "running_var"), c),
        1e-12, 1e-12, "value");
    }
  run (f, table, "-b", "7", "--renorm", "--renorm-clipping", "none", "-o", "none.json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_clear_object (&parser);
  stats = read_json (f, "none.json", &parser);
  renorm =
    json_object_get_object_member (json_object_get_object_member (stats, "params"), "renorm");
  g_assert_true (json_object_get_null_member (renorm, "r_max"));
  g_assert_true (json_object_get_null_member (renorm, "d_max"));
}

static void
test_cumulative_and_tensor (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autofree char *tensor = data_path ("tensor-nchw.npy");
  g_autoptr (JsonParser) vectors = NULL;
  g_autoptr (JsonParser) vectors2 = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (JsonParser) parser2 = NULL;
  JsonObject *stats;

  run (f, table, "--batch-size", "32", "--momentum", "none", "--epochs", "3", "-o", "cma.json",
       NULL);
  g_assert_cmpint (f->status, ==, 0);
  stats = read_json (f, "cma.json", &parser);
  g_assert_true (
    json_object_get_null_member (json_object_get_object_member (stats, "params"), "momentum"));
  check_against_torch (stats, torch_case ("torch1d-b32-mNone-keep-e3", &vectors));
  /* (N, C, H, W) with --axis 1: BatchNorm2d, Bessel's n = N*H*W. */
  run (f, tensor, "--axis", "1", "--batch-size", "2", "-o", "bn2d.json", NULL);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
  check_against_torch (read_json (f, "bn2d.json", &parser2),
                       torch_case ("torch2d-b2-m0.1", &vectors2));
}

static char **
read_lines (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_suffix (text, "\n"));
  text[strlen (text) - 1] = '\0';
  return g_strsplit (text, "\n", -1);
}

static void
test_trace_and_outputs (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autoptr (JsonParser) vectors = NULL;
  g_auto (GStrv) trace = NULL;
  g_auto (GStrv) eval = NULL;
  g_auto (GStrv) train = NULL;
  JsonObject *expected;
  JsonArray *eval_columns;

  run (f, table, "--batch-size", "7", "--momentum", "0.01", "--average", "ema,window:2", "--trace",
       "trace.csv", "--outputs", "train.csv,eval.csv", "-o", "stats.json", NULL);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_cmpint (f->status, ==, 0);
  trace = read_lines (f, "trace.csv");
  g_assert_cmpstr (trace[0], ==,
                   "epoch,step,column,batch_mean,batch_var,batch_var_unbiased,"
                   "running_mean,running_var,ema_mean,ema_var,window_mean,window_var");
  g_assert_cmpuint (g_strv_length (trace), ==, 1 + 9 * 3);
  g_assert_true (g_str_has_prefix (trace[1], "1,1,a,"));
  g_assert_true (g_str_has_prefix (trace[27], "1,9,c,"));
  expected = torch_case ("torch1d-b7-m0.01-keep-e1", &vectors);
  for (guint step = 1; step <= 9; step++)
    for (guint c = 0; c < 3; c++)
      {
        g_auto (GStrv) fields = g_strsplit (trace[1 + (step - 1) * 3 + c], ",", -1);
        JsonObject *at =
          json_array_get_object_element (json_object_get_array_member (expected, "steps"),
                                         step - 1);

        g_assert_cmpuint (g_strv_length (fields), ==, 12);
        ns_test_assert_close (
          g_ascii_strtod (fields[6], NULL),
          json_array_get_double_element (json_object_get_array_member (at, "running_mean"), c),
          1e-12, 1e-12, "value");
        ns_test_assert_close (
          g_ascii_strtod (fields[7], NULL),
          json_array_get_double_element (json_object_get_array_member (at, "running_var"), c),
          1e-12, 1e-12, "value");
      }
  train = read_lines (f, "train.csv");
  eval = read_lines (f, "eval.csv");
  g_assert_cmpstr (train[0], ==, "a,b,c");
  g_assert_cmpstr (eval[0], ==, "a,b,c");
  g_assert_cmpuint (g_strv_length (train), ==, 61);
  g_assert_cmpuint (g_strv_length (eval), ==, 61);
  eval_columns = json_object_get_array_member (expected, "eval");
  for (guint r = 0; r < 60; r++)
    {
      g_auto (GStrv) fields = g_strsplit (eval[r + 1], ",", -1);

      for (guint c = 0; c < 3; c++)
        ns_test_assert_close (
          g_ascii_strtod (fields[c], NULL),
          json_array_get_double_element (json_array_get_array_element (eval_columns, c), r), 1e-12,
          1e-12, "value");
    }
}

/* transform applies a batch-norm stats file's gamma and beta as the run's own inference output
 * does, bit for bit, and as torch's eval mode does (torch1d-affine: gamma 1.5, beta -0.25). */
static void
test_transform_affine (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  const char *presets[] = { "pytorch", "keras", "flax" };
  g_autoptr (JsonParser) vectors = NULL;
  JsonArray *eval_columns;
  g_auto (GStrv) transformed = NULL;

  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    {
      g_autofree char *eval = NULL, *ours = NULL;
      const char *transform[] = { table, "--stats", "stats.json", "-o", "transformed.csv", NULL };

      run (f, table, "--batch-size", "7", "--preset", presets[p], "--gamma", "2", "--beta", "0.25",
           "--outputs", "train.csv,eval.csv", "-o", "stats.json", NULL);
      g_assert_cmpint (f->status, ==, 0);
      run_command_argv (f, "transform", transform);
      g_assert_cmpstr (f->err, ==, "");
      g_assert_cmpint (f->status, ==, 0);
      {
        g_autofree char *eval_path = g_build_filename (f->dir, "eval.csv", NULL);
        g_autofree char *ours_path = g_build_filename (f->dir, "transformed.csv", NULL);

        g_assert_true (g_file_get_contents (eval_path, &eval, NULL, NULL));
        g_assert_true (g_file_get_contents (ours_path, &ours, NULL, NULL));
      }
      g_assert_cmpstr (ours, ==, eval);
    }
  run (f, table, "--batch-size", "7", "--momentum", "0.1", "--gamma", "1.5", "--beta", "-0.25",
       "-o", "stats.json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  {
    const char *transform[] = { table, "--stats", "stats.json", "-o", "transformed.csv", NULL };

    run_command_argv (f, "transform", transform);
    g_assert_cmpint (f->status, ==, 0);
  }
  transformed = read_lines (f, "transformed.csv");
  eval_columns = json_object_get_array_member (torch_case ("torch1d-affine", &vectors), "eval");
  for (guint r = 0; r < 60; r++)
    {
      g_auto (GStrv) fields = g_strsplit (transformed[r + 1], ",", -1);

      for (guint c = 0; c < 3; c++)
        ns_test_assert_close (
          g_ascii_strtod (fields[c], NULL),
          json_array_get_double_element (json_array_get_array_element (eval_columns, c), r), 1e-12,
          1e-12, "value");
    }
}

typedef struct {
  const char *args[8];
  const char *message;
} BadCase;

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  const BadCase cases[] = {
    { { "--batch-size", "0" }, "batch size must be at least 1, got 0\n" },
    { { "--batch-size", "61", "--drop-last" },
      "%s: no batches: batch size 61 is larger than the 60 rows and drop_last discards the "
      "incomplete batch\n" },
    { { "--batch-size", "7", "--momentum", "1.5" }, "momentum must be in [0, 1], got 1.5\n" },
    { { "--batch-size", "7", "--eps", "-1" }, "eps must be >= 0, got -1\n" },
    { { "--batch-size", "59" },
      "%s: expected more than 1 value per channel when training, got input of size [1, 3] at "
      "step 2\n" },
    { { "--batch-size", "7", "--preset", "caffe" },
      "normscope-cli batchnorm: unknown preset 'caffe' (expected pytorch, keras, keras-fused or "
      "flax)\nTry 'normscope-cli batchnorm --help'\n" },
    { { "--batch-size", "7", "--average", "ema,median" },
      "normscope-cli batchnorm: unknown moving average 'median' (expected ema, ema-debiased, "
      "cumulative, warmup, window:W or exact)\nTry 'normscope-cli batchnorm --help'\n" },
    { { "--batch-size", "x7" },
      "normscope-cli batchnorm: --batch-size: expected a non-negative integer, found 'x7'\n"
      "Try 'normscope-cli batchnorm --help'\n" },
    { { "--batch-size", "7", "--average", "window:1000000000" },
      "window size 1000000000: the run has 9 steps (epochs x batches per epoch), expected a window "
      "of at most 9\n" },
    { { "--batch-size", "7", "--epochs", "4294967295" },
      "4294967295 epochs x 9 batches per epoch: more steps than the 1000000000 a run may have\n" },
    { { "--epochs", "2" },
      "normscope-cli batchnorm: missing required option --batch-size\n"
      "Try 'normscope-cli batchnorm --help'\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strdup_printf (cases[i].message, table);

      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autofree char *output = g_build_filename (f->dir, "x.json", NULL);

      g_ptr_array_add (args, table);
      for (guint k = 0; cases[i].args[k] != NULL; k++)
        g_ptr_array_add (args, (gpointer) cases[i].args[k]);
      g_ptr_array_add (args, "-o");
      g_ptr_array_add (args, "x.json");
      g_ptr_array_add (args, NULL);
      run_argv (f, (const char *const *) args->pdata);
      g_assert_cmpstr (f->err, ==, message);
      g_assert_cmpint (f->status, ==, 2);
      g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
    }
}

/* Whether the process runs a thread of that name (the Ctrl-C watcher: the simulation has begun). */
static gboolean
has_thread (GPid pid, const char *name)
{
  g_autofree char *tasks = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr (GDir) dir = g_dir_open (tasks, 0, NULL);
  const char *task;

  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename (tasks, task, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (comm_path, &comm, NULL, NULL) && g_str_has_prefix (comm, name))
        return TRUE;
    }
  return FALSE;
}

/* Ctrl-C in a run of 500,000,000 steps: it stops within a second, exit 130, nothing written. */
static void
test_interrupt (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autofree char *output = g_build_filename (f->dir, "x.json", NULL);
  const char *argv[] = { ns_test_getenv ("NS_CLI"),
                         "batchnorm",
                         table,
                         "--batch-size",
                         "6",
                         "--epochs",
                         "50000000",
                         "-o",
                         "x.json",
                         NULL };
  g_autoptr (GError) error = NULL;
  gint64 sent;
  int wait_status;
  GPid pid;

  g_spawn_async (f->dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  /* Until the handler's thread runs (two minutes at most: under valgrind, start-up is slow). */
  for (guint i = 0; i < 120000 && !has_thread (pid, "ns-interrupt"); i++)
    g_usleep (1000);
  sent = g_get_monotonic_time ();
  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_test_message ("stopped %.3f s after Ctrl-C", (g_get_monotonic_time () - sent) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - sent, <, 5 * G_USEC_PER_SEC);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 130);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_shuffle_reproducible (Fixture *f, gconstpointer data)
{
  g_autofree char *table = data_path ("table.csv");
  g_autofree char *first = NULL, *second = NULL, *third = NULL;
  g_autofree char *p1 = g_build_filename (f->dir, "s1.json", NULL);
  g_autofree char *p2 = g_build_filename (f->dir, "s2.json", NULL);
  g_autofree char *p3 = g_build_filename (f->dir, "s3.json", NULL);

  run (f, table, "--batch-size", "7", "--shuffle", "42", "--epochs", "2", "-o", "s1.json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  run (f, table, "--batch-size", "7", "--shuffle", "42", "--epochs", "2", "-o", "s2.json", NULL);
  run (f, table, "--batch-size", "7", "--shuffle", "43", "--epochs", "2", "-o", "s3.json", NULL);
  g_assert_true (g_file_get_contents (p1, &first, NULL, NULL));
  g_assert_true (g_file_get_contents (p2, &second, NULL, NULL));
  g_assert_true (g_file_get_contents (p3, &third, NULL, NULL));
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, !=, third);
  g_assert_nonnull (strstr (first, "\"shuffle\": 42"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/batchnorm/stats-file", Fixture, NULL, fixture_setup, test_stats_file,
              fixture_teardown);
  g_test_add ("/cli/batchnorm/npy-in-place", Fixture, NULL, fixture_setup, test_npy_in_place,
              fixture_teardown);
  g_test_add ("/cli/batchnorm/float32", Fixture, NULL, fixture_setup, test_float32,
              fixture_teardown);
  g_test_add ("/cli/batchnorm/order", Fixture, NULL, fixture_setup, test_order, fixture_teardown);
  g_test_add ("/cli/batchnorm/renorm-clipping", Fixture, NULL, fixture_setup, test_renorm_clipping,
              fixture_teardown);
  g_test_add ("/cli/batchnorm/cumulative-and-tensor", Fixture, NULL, fixture_setup,
              test_cumulative_and_tensor, fixture_teardown);
  g_test_add ("/cli/batchnorm/trace-and-outputs", Fixture, NULL, fixture_setup,
              test_trace_and_outputs, fixture_teardown);
  g_test_add ("/cli/batchnorm/transform-affine", Fixture, NULL, fixture_setup,
              test_transform_affine, fixture_teardown);
  g_test_add ("/cli/batchnorm/bad-input", Fixture, NULL, fixture_setup, test_bad_input,
              fixture_teardown);
  g_test_add ("/cli/batchnorm/interrupt", Fixture, NULL, fixture_setup, test_interrupt,
              fixture_teardown);
  g_test_add ("/cli/batchnorm/shuffle", Fixture, NULL, fixture_setup, test_shuffle_reproducible,
              fixture_teardown);
  return g_test_run ();
}
