/* test-batchnorm-order.c: replaying a real torch DataLoader's order (--order) against torch's
 * running statistics (tests/gen-batchnorm-vectors.py), and every bad order file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "core/ns-batchnorm.h"
#include "core/ns-error.h"
#include "core/ns-npy-format.h"
#include "test-batchnorm-helpers.h"

static char *tmp_dir;

static JsonObject *
dataloader_case (guint i)
{
  return json_array_get_object_element (json_object_get_array_member (vectors, "dataloader"), i);
}

/* A case's order as a text file, one index per line, epoch after epoch. */
static char *
write_text_order (JsonObject *test_case, const char *name)
{
  JsonArray *order = json_object_get_array_member (test_case, "order");
  g_autoptr (GString) text = g_string_new (NULL);
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  for (guint e = 0; e < json_array_get_length (order); e++)
    {
      JsonArray *epoch = json_array_get_array_element (order, e);

      for (guint i = 0; i < json_array_get_length (epoch); i++)
        g_string_append_printf (text, "%" G_GINT64_FORMAT "\n",
                                json_array_get_int_element (epoch, i));
    }
  g_file_set_contents (path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
  return path;
}

/* Every step's running mean and variance within 1e-12 relative of torch's, as the other float64
 * vectors (torch reduces a batch in another order); how many are equal bit for bit is logged. */
static void
replay (JsonObject *test_case, const char *order_path, guint n_threads)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsBatchNormOrder) order = ns_batchnorm_order_load (order_path, 60, &error);
  JsonArray *steps = json_object_get_array_member (test_case, "steps");
  g_autoptr (NsBatchNorm) bn = NULL;
  NsBatchNormOptions options;
  guint n_equal = 0, n_values = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (ns_batchnorm_order_get_n_epochs (order), ==,
                    json_object_get_int_member (test_case, "epochs"));
  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.batch_size = (gsize) json_object_get_int_member (test_case, "batch_size");
  options.drop_last = json_object_get_boolean_member (test_case, "drop_last");
  options.epochs = ns_batchnorm_order_get_n_epochs (order);
  options.order = order;
  options.n_threads = n_threads;
  bn = ns_batchnorm_new (data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_batchnorm_get_n_steps (bn), ==, json_array_get_length (steps));
  g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint s = 0; s < json_array_get_length (steps); s++)
    {
      JsonObject *step = json_array_get_object_element (steps, s);
      const char *names[] = { "running_mean", "running_var" };
      NsSeries series[] = { NS_SERIES_RUNNING_MEAN, NS_SERIES_RUNNING_VAR };

      for (guint k = 0; k < 2; k++)
        for (guint f = 0; f < 3; f++)
          {
            double expected =
              json_array_get_double_element (json_object_get_array_member (step, names[k]), f);
            gsize n;
            const double *history = ns_batchnorm_get_series (bn, series[k], f, &n);

            g_assert_cmpuint (n, ==, json_array_get_length (steps));
            n_equal += history[s] == expected;
            n_values++;
            if (!(fabs (history[s] - expected) <= 1e-12 * fabs (expected)))
              g_error ("%s step %u [%u]: torch %.17g, normscope %.17g", names[k], s + 1, f,
                       expected, history[s]);
          }
    }
  g_assert_cmpuint (ns_batchnorm_get_step (bn), ==,
                    json_object_get_int_member (test_case, "num_batches_tracked"));
  g_test_message ("%s: %u of %u running values equal to torch's bit for bit",
                  json_object_get_string_member (test_case, "name"), n_equal, n_values);
}

static void
test_dataloader_npy (void)
{
  g_autofree char *path = ns_test_data_path ("batchnorm", "order-b7-e3.npy");

  replay (dataloader_case (0), path, 1);
  replay (dataloader_case (0), path, 3);
}

static void
test_dataloader_text (void)
{
  g_autofree char *committed = ns_test_data_path ("batchnorm", "order-b7-e3.txt");
  g_autofree char *written = write_text_order (dataloader_case (1), "order-b8.txt");

  replay (dataloader_case (0), committed, 1); /* blank lines between its epochs */
  replay (dataloader_case (1), written, 1);   /* drop_last: the rows of the dropped batch unused */
}

static void
assert_refused (const char *name, const char *contents, gsize len, gsize n_rows,
                const char *message)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *expected = g_strdup_printf ("%s%s", path, message);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsBatchNormOrder) order = NULL;

  g_file_set_contents (path, contents, (gssize) len, &error);
  g_assert_no_error (error);
  order = ns_batchnorm_order_load (path, n_rows, &error);
  g_assert_null (order);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
}

#define REFUSED_TEXT(name, text, n_rows, message) \
  assert_refused (name, text, strlen (text), n_rows, message)

static void
test_bad_text (void)
{
  REFUSED_TEXT ("range.txt", "0\n1\n3\n", 3,
                ":3:1: row index 3 is out of range: expected 0 to 2 "
                "(the data has 3 rows)");
  REFUSED_TEXT ("huge.txt", "99999999999999999999999\n", 3,
                ":1:1: row index "
                "99999999999999999999999 is out of range: expected 0 to 2 (the data has 3 rows)");
  REFUSED_TEXT ("negative.txt", "0\n  -1\n", 3,
                ":2:3: expected a row index (an integer from 0 to "
                "2), found '-1'");
  REFUSED_TEXT ("float.txt", "0\n1.0\n", 3,
                ":2:1: expected a row index (an integer from 0 to 2), "
                "found '1.0'");
  REFUSED_TEXT ("escape.txt", "\x1b[2J\n", 3,
                ":1:1: expected a row index (an integer from 0 to "
                "2), found '\\x1b[2J'");
  REFUSED_TEXT ("twice.txt", "2\n0\n1\n\n1\n2\n1\n", 3,
                ":7:1: row 1 appears twice in epoch 2 "
                "(already its index 0): expected each epoch to visit each of the 3 rows once, as "
                "a DataLoader with shuffle=True does");
  REFUSED_TEXT ("short.txt", "2\n0\n1\n0\n1\n", 3,
                ": the file ends in epoch 2 after 2 of its 3 "
                "rows: expected epochs x 3 row indices");
  REFUSED_TEXT ("empty.txt", "\n \n", 3,
                ": no row index: expected epochs x 3 row indices, one "
                "per line");
}

/* A .npy of the given descr and shape holding data. */
static void
refused_npy (const char *name, const char *descr, const gsize *shape, guint rank, const void *data,
             gsize data_len, gsize n_rows, const char *message)
{
  g_autoptr (GBytes) bytes = ns_npy_encode (descr, shape, rank, FALSE, data, data_len);
  gsize len;
  const char *contents = g_bytes_get_data (bytes, &len);

  assert_refused (name, contents, len, n_rows, message);
}

static void
test_bad_npy (void)
{
  const gint64 twice[] = { 0, 1, 2, 2, 0, 2 }, range[] = { 0, 1, -1 };
  const double floats[] = { 0, 1, 2 };
  const gsize shape23[] = { 2, 3 }, shape13[] = { 1, 3 }, shape3[] = { 3 };

  refused_npy ("twice.npy", "<i8", shape23, 2, twice, sizeof twice, 3,
               ": element [1, 2]: row 2 appears twice in epoch 2 (already its index 0): expected "
               "each epoch to visit each of the 3 rows once, as a DataLoader with shuffle=True "
               "does");
  refused_npy ("range.npy", "<i8", shape13, 2, range, sizeof range, 3,
               ": element [0, 2]: row index -1 is out of range: expected 0 to 2 (the data has 3 "
               "rows)");
  refused_npy ("floats.npy", "<f8", shape13, 2, floats, sizeof floats, 3,
               ": dtype '<f8': expected an integer dtype for row indices (e.g. int64)");
  refused_npy ("flat.npy", "<i8", shape3, 1, range, sizeof range, 3,
               ": shape (3,): expected (epochs, 3), one row of indices per epoch for the 3 rows "
               "of the data");
  refused_npy ("rows.npy", "<i8", shape13, 2, range, sizeof range, 4,
               ": shape (1, 3): expected (epochs, 4), one row of indices per epoch for the 4 rows "
               "of the data");
}

/* Big-endian int32 in Fortran order reads as the same order. */
static void
test_npy_layouts (void)
{
  const guint32 fortran_be[] = { GUINT32_TO_BE (2), GUINT32_TO_BE (1), GUINT32_TO_BE (0),
                                 GUINT32_TO_BE (2), GUINT32_TO_BE (1), GUINT32_TO_BE (0) };
  const gsize shape[] = { 2, 3 }, expected[2][3] = { { 2, 0, 1 }, { 1, 2, 0 } };
  g_autoptr (GBytes) bytes = ns_npy_encode (">i4", shape, 2, TRUE, fortran_be, sizeof fortran_be);
  g_autofree char *path = g_build_filename (tmp_dir, "fortran.npy", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsBatchNormOrder) order = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  order = ns_batchnorm_order_load (path, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_batchnorm_order_get_n_epochs (order), ==, 2);
  for (guint e = 0; e < 2; e++)
    g_assert_cmpmem (ns_batchnorm_order_get_epoch (order, e + 1), 3 * sizeof (gsize), expected[e],
                     3 * sizeof (gsize));
}

/* The simulator refuses an order that does not fit the run. */
static void
test_order_mismatch (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  g_autofree char *path = ns_test_data_path ("batchnorm", "order-b7-e3.npy");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsBatchNormOrder) order = ns_batchnorm_order_load (path, 60, &error);
  g_autofree char *epochs = g_strdup_printf ("%s: 3 epochs of row indices, expected the run's 2 "
                                             "epochs",
                                             path);
  g_autofree char *shuffle = g_strdup_printf ("%s: a training order and a shuffle seed exclude "
                                              "each other",
                                              path);
  NsBatchNormOptions options;

  g_assert_no_error (error);
  ns_batchnorm_options_init (&options, NS_BATCHNORM_PYTORCH);
  options.order = order;
  options.epochs = 2;
  g_assert_null (ns_batchnorm_new (data, &options, &error));
  g_assert_cmpstr (error->message, ==, epochs);
  g_clear_error (&error);
  options.epochs = 3;
  options.shuffle = TRUE;
  g_assert_null (ns_batchnorm_new (data, &options, &error));
  g_assert_cmpstr (error->message, ==, shuffle);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_vectors ();
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/batchnorm-order/dataloader-npy", test_dataloader_npy);
  g_test_add_func ("/batchnorm-order/dataloader-text", test_dataloader_text);
  g_test_add_func ("/batchnorm-order/bad-text", test_bad_text);
  g_test_add_func ("/batchnorm-order/bad-npy", test_bad_npy);
  g_test_add_func ("/batchnorm-order/npy-layouts", test_npy_layouts);
  g_test_add_func ("/batchnorm-order/mismatch", test_order_mismatch);
  status = g_test_run ();
  ns_test_temp_dir_free (tmp_dir);
  g_assert_finalize_object (vectors_parser);
  return status;
}
