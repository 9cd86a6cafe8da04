/* test-batchnorm-rows.c: the batch-norm simulator on a .npy read in place (ns-npy-rows) against the
 * same file loaded into columns: every statistic and every recorded step bit-identical, under
 * every preset, dtype, shuffle, order of epochs and thread count; the files that are not read in
 * place; a file truncated while it is read.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "core/ns-batchnorm.h"
#include "core/ns-moments-private.h"
#include "core/ns-npy-rows.h"
#include "core/ns-reader.h"
#include "test-utils.h"

static char *tmp_dir;

/* n_rows x n_features: N(0,1), 1e9 + N(0,1) (the mean that cancels), lognormal, ... */
static char *
write_npy (const char *name, gsize n_rows, guint n_features)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (n_rows);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  gsl_rng_set (rng, 42);
  for (guint f = 0; f < n_features; f++)
    {
      double *values = g_new (double, n_rows);
      g_autofree char *column = g_strdup_printf ("c%u", f);

      for (gsize i = 0; i < n_rows; i++)
        values[i] = f % 3 == 0   ? gsl_ran_gaussian (rng, 1.0)
                    : f % 3 == 1 ? 1e9 + gsl_ran_gaussian (rng, 1.0)
                                 : gsl_ran_lognormal (rng, 0.0, 1.0);
      ns_dataset_add_numeric_column (data, column, values);
    }
  gsl_rng_free (rng);
  g_assert_true (ns_npy_write (data, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_same_stats (const NsStats *a, const NsStats *b)
{
  g_assert_cmpuint (ns_stats_get_n_columns (a), ==, ns_stats_get_n_columns (b));
  g_assert_cmpstr (ns_stats_get_source_sha256 (a), ==, ns_stats_get_source_sha256 (b));
  for (guint c = 0; c < ns_stats_get_n_columns (a); c++)
    {
      g_assert_cmpstr (ns_stats_get_name (a, c), ==, ns_stats_get_name (b, c));
      g_assert_true (ns_test_same_bits (ns_stats_get_count (a, c), ns_stats_get_count (b, c)));
      g_assert_true (ns_test_same_bits (ns_stats_get_mean (a, c), ns_stats_get_mean (b, c)));
      g_assert_true (
        ns_test_same_bits (ns_stats_get_variance (a, c), ns_stats_get_variance (b, c)));
      g_assert_true (ns_test_same_bits (ns_stats_get_offset (a, c), ns_stats_get_offset (b, c)));
      g_assert_true (ns_test_same_bits (ns_stats_get_scale (a, c), ns_stats_get_scale (b, c)));
      g_assert_cmpuint (ns_stats_get_n_fields (a, c), ==, ns_stats_get_n_fields (b, c));
      for (guint i = 0; i < ns_stats_get_n_fields (a, c); i++)
        {
          g_assert_cmpstr (ns_stats_get_field_key (a, c, i), ==, ns_stats_get_field_key (b, c, i));
          if (!ns_test_same_bits (ns_stats_get_field_value (a, c, i),
                                  ns_stats_get_field_value (b, c, i)))
            g_error ("column %u %s: %.17g on columns, %.17g on rows", c,
                     ns_stats_get_field_key (a, c, i), ns_stats_get_field_value (a, c, i),
                     ns_stats_get_field_value (b, c, i));
        }
    }
}

static void
assert_same_history (const NsBatchNorm *a, const NsBatchNorm *b, guint n_features)
{
  for (guint s = 0; s < NS_N_SERIES; s++)
    for (guint f = 0; f < n_features; f++)
      {
        gsize n_a = 0, n_b = 0;
        const double *x = ns_batchnorm_get_series (a, s, f, &n_a);
        const double *y = ns_batchnorm_get_series (b, s, f, &n_b);

        g_assert_true ((x == NULL) == (y == NULL));
        g_assert_cmpuint (n_a, ==, n_b);
        for (gsize i = 0; x != NULL && i < n_a; i++)
          if (!ns_test_same_bits (x[i], y[i]))
            g_error ("%s of feature %u at step %" G_GSIZE_FORMAT ": %.17g on columns, %.17g on "
                     "rows",
                     ns_series_to_string (s), f, i + 1, x[i], y[i]);
      }
}

static NsBatchNorm *
run (NsBatchNorm *bn)
{
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (bn);
  ns_batchnorm_run (bn, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return bn;
}

typedef void (*OptionsEdit) (NsBatchNormOptions *o);

static void
edit_none (NsBatchNormOptions *o)
{
  (void) o;
}

static void
edit_every_average (NsBatchNormOptions *o)
{
  o->averages = (1u << NS_N_AVERAGES) - 1;
  o->window = 10;
}

static void
edit_shuffle_epochs (NsBatchNormOptions *o)
{
  o->shuffle = TRUE;
  o->shuffle_seed = 7;
  o->epochs = 3;
  o->drop_last = TRUE;
}

static void
edit_history_shuffle (NsBatchNormOptions *o)
{
  edit_shuffle_epochs (o);
  edit_every_average (o);
  o->record_history = TRUE;
}

static void
edit_renorm (NsBatchNormOptions *o)
{
  o->renorm = TRUE;
}
static void
edit_float32 (NsBatchNormOptions *o)
{
  o->float32 = TRUE;
  o->shuffle = TRUE;
}
static void
edit_history (NsBatchNormOptions *o)
{
  o->record_history = TRUE;
  o->epochs = 2;
}

/* One file of n_features, every preset and option set, on 1 thread and on 2. */
static void
assert_rows_bit_identical (guint n_features)
{
  static const struct {
    NsBatchNormPreset preset;
    OptionsEdit edit;
    gsize batch_size;
  } cases[] = {
    { NS_BATCHNORM_PYTORCH, edit_none, 256 },
    { NS_BATCHNORM_PYTORCH, edit_every_average, 7 },
    { NS_BATCHNORM_KERAS, edit_every_average, 100 },
    { NS_BATCHNORM_KERAS_FUSED, edit_shuffle_epochs, 33 },
    { NS_BATCHNORM_FLAX, edit_none, 64 },
    { NS_BATCHNORM_FLAX, edit_renorm, 64 },
    { NS_BATCHNORM_KERAS, edit_renorm, 50 },
    { NS_BATCHNORM_PYTORCH, edit_float32, 20 },
    { NS_BATCHNORM_FLAX, edit_float32, 20 },
    { NS_BATCHNORM_PYTORCH, edit_history, 3 },
    { NS_BATCHNORM_KERAS, edit_history_shuffle, 9 },
  };
  g_autofree char *name = g_strdup_printf ("rows-%u.npy", n_features);
  g_autofree char *path = write_npy (name, 40005, n_features) /* no one-row last batch */;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) columns = ns_dataset_load (path, NULL, NULL, &error);
  g_autoptr (NsNpyRows) rows = ns_npy_rows_open (path, NULL, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_null (ns_dataset_get_values (ns_npy_rows_get_dataset (rows), 0));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint threads = 1; threads <= 2; threads++)
      {
        NsBatchNormOptions o;

        ns_batchnorm_options_init (&o, cases[i].preset);
        o.batch_size = cases[i].batch_size;
        o.record_history = FALSE;
        o.n_threads = threads;
        cases[i].edit (&o);
        g_autoptr (NsBatchNorm) a = run (ns_batchnorm_new (columns, &o, NULL));
        g_autoptr (NsBatchNorm) b =
          run (ns_batchnorm_new_on_rows (ns_npy_rows_get_dataset (rows),
                                         ns_npy_rows_get_values (rows), &o, NULL));
        g_autoptr (NsStats) stats_a = ns_batchnorm_to_stats (a);
        g_autoptr (NsStats) stats_b = ns_batchnorm_to_stats (b);

        assert_same_stats (stats_a, stats_b);
        assert_same_history (a, b, n_features);
      }
  g_assert_true (ns_npy_rows_check (rows, &error));
  g_assert_no_error (error);
}

/* The row kernels (four channels a vector, eight a gap pass) against the column path, with every
 * remainder of a vector (5, 8, 9, 11 features), on the CPU's kernels and on the baseline ones. */
static void
test_rows_bit_identical (void)
{
  static const guint widths[] = { 5, 8, 9, 11 };

  for (int baseline = 0; baseline <= 1; baseline++)
    {
      ns_moments_force_baseline_kernel (baseline);
      for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
        assert_rows_bit_identical (widths[i]);
    }
  ns_moments_force_baseline_kernel (FALSE);
}

/* One feature: the rows are the column itself. */
static void
test_rows_one_feature (void)
{
  g_autofree char *path = write_npy ("one.npy", 1001, 1);
  g_autoptr (NsDataset) columns = ns_dataset_load (path, NULL, NULL, NULL);
  g_autoptr (NsNpyRows) rows = ns_npy_rows_open (path, NULL, NULL);
  NsBatchNormOptions o;

  g_assert_nonnull (rows);
  ns_batchnorm_options_init (&o, NS_BATCHNORM_KERAS);
  o.batch_size = 2;
  edit_every_average (&o);
  g_autoptr (NsBatchNorm) a = run (ns_batchnorm_new (columns, &o, NULL));
  g_autoptr (NsBatchNorm) b =
    run (ns_batchnorm_new_on_rows (ns_npy_rows_get_dataset (rows), ns_npy_rows_get_values (rows),
                                   &o, NULL));
  g_autoptr (NsStats) stats_a = ns_batchnorm_to_stats (a);
  g_autoptr (NsStats) stats_b = ns_batchnorm_to_stats (b);

  assert_same_stats (stats_a, stats_b);
}

/* Stats asked for before any step, then after single steps (ns_batchnorm_step): the moments pass
 * runs without the batches, and the steps gather their batches from the rows. */
static void
test_rows_stats_before_run (void)
{
  g_autofree char *path = write_npy ("early.npy", 5000, 3);
  g_autoptr (NsDataset) columns = ns_dataset_load (path, NULL, NULL, NULL);
  g_autoptr (NsNpyRows) rows = ns_npy_rows_open (path, NULL, NULL);
  NsBatchNormOptions o;

  g_assert_nonnull (rows);
  ns_batchnorm_options_init (&o, NS_BATCHNORM_PYTORCH);
  o.batch_size = 100;
  o.record_history = FALSE;
  g_autoptr (NsBatchNorm) a = ns_batchnorm_new (columns, &o, NULL);
  g_autoptr (NsBatchNorm) b = ns_batchnorm_new_on_rows (ns_npy_rows_get_dataset (rows),
                                                        ns_npy_rows_get_values (rows), &o, NULL);
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr (NsStats) stats_a = ns_batchnorm_to_stats (a);
      g_autoptr (NsStats) stats_b = ns_batchnorm_to_stats (b);

      assert_same_stats (stats_a, stats_b);
      for (guint step = 0; step < 7; step++)
        {
          g_assert_true (ns_batchnorm_step (a, NULL));
          g_assert_true (ns_batchnorm_step (b, NULL));
        }
    }
}

static void
write_bytes (const char *path, const char *contents, gsize len)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, (gssize) len, &error));
  g_assert_no_error (error);
}

/* A version 1.0 .npy: the header dict padded with spaces and a newline to 128 bytes in all, then
 * n_data zero bytes. */
static void
write_npy_header (const char *path, const char *dict, gsize n_data)
{
  g_autoptr (GString) file = g_string_new ("\x93NUMPY\x01");

  g_string_append_c (file, '\0');
  g_string_append_c (file, 118);
  g_string_append_c (file, '\0');
  g_string_append (file, dict);
  while (file->len < 127)
    g_string_append_c (file, ' ');
  g_string_append_c (file, '\n');
  for (gsize i = 0; i < n_data; i++)
    g_string_append_c (file, '\0');
  write_bytes (path, file->str, file->len);
}

/* Anything but an (N, F) native float64 C-order array on its default axis is loaded instead. */
static void
test_rows_not_in_place (void)
{
  g_autofree char *npy = write_npy ("table.npy", 100, 3);
  g_autofree char *csv = g_build_filename (tmp_dir, "table.csv", NULL);
  g_autofree char *f4 = g_build_filename (tmp_dir, "f4.npy", NULL);
  g_autofree char *cube = g_build_filename (tmp_dir, "cube.npy", NULL);
  g_autofree char *fortran = g_build_filename (tmp_dir, "fortran.npy", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.npy", NULL);
  NsReadOptions options;

  write_bytes (csv, "a,b\n1,2\n", 8);
  write_npy_header (f4, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 16);
  write_npy_header (cube, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }", 8);
  write_npy_header (fortran, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", 32);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (NsDataset) loaded = ns_dataset_load (i == 0   ? f4
                                                      : i == 1 ? cube
                                                               : fortran,
                                                      NULL, NULL, NULL);

      g_assert_nonnull (loaded); /* the headers are valid: only the layout is not read in place */
    }
  g_assert_null (ns_npy_rows_open (csv, NULL, NULL));
  g_assert_null (ns_npy_rows_open (f4, NULL, NULL));
  g_assert_null (ns_npy_rows_open (cube, NULL, NULL));
  g_assert_null (ns_npy_rows_open (fortran, NULL, NULL));
  g_assert_null (ns_npy_rows_open (missing, NULL, NULL));
  g_assert_null (ns_npy_rows_open ("-", NULL, NULL));
  ns_read_options_init (&options);
  options.axis = "none";
  g_assert_null (ns_npy_rows_open (npy, &options, NULL));
  options.axis = "-1";
  g_autoptr (NsNpyRows) rows = ns_npy_rows_open (npy, &options, NULL);
  g_assert_nonnull (rows);
  g_assert_cmpuint (ns_dataset_get_n_samples (ns_npy_rows_get_dataset (rows)), ==, 100);
  g_assert_cmpuint (ns_dataset_get_n_features (ns_npy_rows_get_dataset (rows)), ==, 3);
  g_assert_cmpstr (ns_dataset_get_column_name (ns_npy_rows_get_dataset (rows), 2), ==, "channel_2");
}

/* A file truncated after it was opened: the run reads zeros instead of faulting, and the check
 * refuses what it computed. */
static void
test_rows_truncated (void)
{
  g_autofree char *path = write_npy ("truncated.npy", 200000, 4);
  g_autoptr (NsNpyRows) rows = ns_npy_rows_open (path, NULL, NULL);
  g_autoptr (GError) error = NULL;
  NsBatchNormOptions o;

  g_assert_nonnull (rows);
  g_assert_cmpint (truncate (path, 4096), ==, 0);
  ns_batchnorm_options_init (&o, NS_BATCHNORM_KERAS);
  o.batch_size = 100;
  o.record_history = FALSE;
  g_autoptr (NsBatchNorm) bn =
    run (ns_batchnorm_new_on_rows (ns_npy_rows_get_dataset (rows), ns_npy_rows_get_values (rows),
                                   &o, NULL));
  g_autoptr (NsStats) stats = ns_batchnorm_to_stats (bn);
  g_assert_false (ns_npy_rows_check (rows, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_assert_true (g_str_has_suffix (error->message, "the file changed while it was read"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ns-test-batchnorm-rows-XXXXXX", NULL);
  g_test_add_func ("/batchnorm-rows/bit-identical", test_rows_bit_identical);
  g_test_add_func ("/batchnorm-rows/one-feature", test_rows_one_feature);
  g_test_add_func ("/batchnorm-rows/stats-before-run", test_rows_stats_before_run);
  g_test_add_func ("/batchnorm-rows/not-in-place", test_rows_not_in_place);
  g_test_add_func ("/batchnorm-rows/truncated", test_rows_truncated);
  status = g_test_run ();
  ns_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
