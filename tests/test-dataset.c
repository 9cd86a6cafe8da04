/* test-dataset.c: the columnar dataset: building, selecting, copying, tensors and axis specs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "ns-dataset.h"

/* Columns: a (numeric), species (label), b (numeric with NaN and inf), c (numeric). */
static NsDataset *
make_table (void)
{
  NsDataset *data = ns_dataset_new_table (3);
  double *a = g_new (double, 3), *b = g_new (double, 3), *c = g_new (double, 3);
  char **species = g_new0 (char *, 4);

  for (guint i = 0; i < 3; i++)
    {
      a[i] = i + 1;
      c[i] = -(double) i;
      species[i] = g_strdup_printf ("s%u", i % 2);
    }
  b[0] = NAN;
  b[1] = INFINITY;
  b[2] = 5;
  ns_dataset_add_numeric_column (data, "a", a);
  ns_dataset_add_label_column (data, "species", species);
  ns_dataset_add_numeric_column (data, "b", b);
  ns_dataset_add_numeric_column (data, "c", c);
  ns_dataset_set_source (data, "iris.csv", "feed");
  ns_dataset_count_missing (data);
  return data;
}

static void
test_table_basics (void)
{
  g_autoptr (NsDataset) data = make_table ();

  g_assert_cmpint (ns_dataset_get_kind (data), ==, NS_DATASET_TABLE);
  g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, 3);
  g_assert_cmpuint (ns_dataset_get_spatial_size (data), ==, 1);
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 4);
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 3);
  g_assert_cmpuint (ns_dataset_get_feature_column (data, 1), ==, 2);
  g_assert_true (ns_dataset_column_is_label (data, 1));
  g_assert_false (ns_dataset_column_is_label (data, 2));
  g_assert_cmpstr (ns_dataset_get_label (data, 1, 2), ==, "s0");
  g_assert_cmpuint (ns_dataset_get_missing (data, 2), ==, 1);
  g_assert_cmpuint (ns_dataset_get_infinite (data, 2), ==, 1);
  g_assert_cmpuint (ns_dataset_get_missing (data, 0), ==, 0);
  g_assert_cmpint (ns_dataset_find_column (data, "c"), ==, 3);
  g_assert_cmpint (ns_dataset_find_column (data, "zzz"), ==, -1);
  g_assert_cmpuint (ns_dataset_get_rank (data), ==, 2);
  g_assert_cmpuint (ns_dataset_get_shape (data)[0], ==, 3);
  g_assert_cmpuint (ns_dataset_get_shape (data)[1], ==, 4);
  g_assert_cmpuint (ns_dataset_get_n_kept_axes (data), ==, 1);
  g_assert_cmpuint (ns_dataset_get_kept_axes (data)[0], ==, 1);
  g_assert_cmpstr (ns_dataset_get_source_path (data), ==, "iris.csv");
  g_assert_cmpstr (ns_dataset_get_source_sha256 (data), ==, "feed");
}

static void
test_select_columns (void)
{
  g_autoptr (NsDataset) data = make_table ();
  g_autoptr (GError) error = NULL;
  const char *keep[] = { "c", "a", NULL };
  const char *unknown[] = { "a", "petal", NULL };
  const char *label[] = { "species", "a", NULL };

  g_assert_false (ns_dataset_select_columns (data, unknown, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "iris.csv: no column named 'petal'");
  g_clear_error (&error);
  g_assert_false (ns_dataset_select_columns (data, label, &error));
  g_assert_cmpstr (error->message, ==,
                   "iris.csv: column 'species' holds labels, not numbers: "
                   "only numeric columns are fitted");
  g_clear_error (&error);
  /* A failed selection leaves the dataset as it was. */
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 4);

  g_assert_true (ns_dataset_select_columns (data, keep, &error));
  g_assert_no_error (error);
  /* File order is kept, and the label column always stays. */
  g_assert_cmpuint (ns_dataset_get_n_columns (data), ==, 3);
  g_assert_cmpstr (ns_dataset_get_column_name (data, 0), ==, "a");
  g_assert_cmpstr (ns_dataset_get_column_name (data, 1), ==, "species");
  g_assert_cmpstr (ns_dataset_get_column_name (data, 2), ==, "c");
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 2);
  g_assert_cmpuint (ns_dataset_get_feature_column (data, 1), ==, 2);
  g_assert_cmpfloat (ns_dataset_get_values (data, 2)[2], ==, -2);
  g_assert_cmpuint (ns_dataset_get_shape (data)[1], ==, 3);
}

static void
test_copy (void)
{
  g_autoptr (NsDataset) data = make_table ();
  g_autoptr (NsDataset) copy = ns_dataset_copy (data);

  g_assert_cmpuint (ns_dataset_get_n_columns (copy), ==, 4);
  g_assert_cmpuint (ns_dataset_get_n_features (copy), ==, 3);
  g_assert_cmpuint (ns_dataset_get_missing (copy, 2), ==, 1);
  g_assert_cmpstr (ns_dataset_get_label (copy, 1, 1), ==, "s1");
  g_assert_cmpstr (ns_dataset_get_source_path (copy), ==, "iris.csv");
  /* Deep: changing the copy leaves the original alone. */
  ns_dataset_get_column_data (copy, 0)[0] = 100;
  g_assert_cmpfloat (ns_dataset_get_values (data, 0)[0], ==, 1);
  g_assert_true (ns_dataset_get_values (copy, 0) != ns_dataset_get_values (data, 0));
  g_assert_true (ns_dataset_get_label (copy, 1, 0) != ns_dataset_get_label (data, 1, 0));
}

/* Batch norm's view of a feature with missing values: the samples where it is finite, every
 * column and label kept with them, the tensor's first axis shortened. */
static void
test_copy_finite_samples (void)
{
  g_autoptr (NsDataset) data = make_table ();
  g_autoptr (NsDataset) finite = NULL, tensor_finite = NULL, tensor = NULL;
  gsize shape[3] = { 3, 2, 2 }, dropped = 0;
  guint channels[1] = { 1 };
  double *x;

  finite = ns_dataset_copy_finite_samples (data, 1, &dropped);
  g_assert_cmpuint (dropped, ==, 2);
  g_assert_cmpuint (ns_dataset_get_n_samples (finite), ==, 1);
  g_assert_cmpuint (ns_dataset_get_shape (finite)[0], ==, 1);
  g_assert_cmpfloat (ns_dataset_get_values (finite, 2)[0], ==, 5);
  g_assert_cmpfloat (ns_dataset_get_values (finite, 0)[0], ==, ns_dataset_get_values (data, 0)[2]);
  g_assert_cmpstr (ns_dataset_get_label (finite, 1, 0), ==, ns_dataset_get_label (data, 1, 2));
  g_assert_cmpuint (ns_dataset_get_missing (finite, 2), ==, 0);
  g_assert_cmpuint (ns_dataset_get_infinite (finite, 2), ==, 0);

  tensor = ns_dataset_new_tensor (shape, 3, channels, 1, NULL);
  for (guint f = 0; f < 2; f++)
    {
      x = ns_dataset_get_column_data (tensor, ns_dataset_get_feature_column (tensor, f));
      for (gsize i = 0; i < 6; i++)
        x[i] = (double) (10 * f + i);
    }
  x = ns_dataset_get_column_data (tensor, ns_dataset_get_feature_column (tensor, 0));
  x[3] = NAN; /* sample 1, second position */
  ns_dataset_count_missing (tensor);
  tensor_finite = ns_dataset_copy_finite_samples (tensor, 0, &dropped);
  g_assert_cmpuint (dropped, ==, 1);
  g_assert_cmpuint (ns_dataset_get_shape (tensor_finite)[0], ==, 2);
  g_assert_cmpuint (ns_dataset_get_spatial_size (tensor_finite), ==, 2);
  x = ns_dataset_get_column_data (tensor_finite, ns_dataset_get_feature_column (tensor_finite, 1));
  g_assert_cmpfloat (x[0], ==, 10);
  g_assert_cmpfloat (x[2], ==, 14); /* sample 2's first value: sample 1 left out */
}

static void
test_tensor_layout (void)
{
  gsize shape[4] = { 2, 21, 100, 3 };
  guint last[1] = { 3 }, channel_first[1] = { 1 }, two[2] = { 1, 3 };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) nhwc = ns_dataset_new_tensor (shape, 4, last, 1, &error);
  g_autoptr (NsDataset) nchw = NULL, pooled = NULL, pair = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (ns_dataset_get_kind (nhwc), ==, NS_DATASET_TENSOR);
  g_assert_cmpuint (ns_dataset_get_n_features (nhwc), ==, 3);
  g_assert_cmpuint (ns_dataset_get_spatial_size (nhwc), ==, 21 * 100);
  g_assert_cmpstr (ns_dataset_get_column_name (nhwc, 2), ==, "channel_2");
  g_assert_cmpuint (ns_dataset_get_rank (nhwc), ==, 4);
  g_assert_cmpuint (ns_dataset_get_shape (nhwc)[2], ==, 100);

  nchw = ns_dataset_new_tensor (shape, 4, channel_first, 1, &error);
  g_assert_cmpuint (ns_dataset_get_n_features (nchw), ==, 21);
  g_assert_cmpuint (ns_dataset_get_spatial_size (nchw), ==, 300);

  pooled = ns_dataset_new_tensor (shape, 4, NULL, 0, &error);
  g_assert_cmpuint (ns_dataset_get_n_features (pooled), ==, 1);
  g_assert_cmpstr (ns_dataset_get_column_name (pooled, 0), ==, "all");
  g_assert_cmpuint (ns_dataset_get_spatial_size (pooled), ==, 21 * 100 * 3);

  pair = ns_dataset_new_tensor (shape, 4, two, 2, &error);
  g_assert_cmpuint (ns_dataset_get_n_features (pair), ==, 63);
  g_assert_cmpuint (ns_dataset_get_spatial_size (pair), ==, 100);
  /* Columns start zeroed; missing counts follow the data. */
  ns_dataset_get_column_data (pair, 5)[7] = NAN;
  ns_dataset_count_missing (pair);
  g_assert_cmpuint (ns_dataset_get_missing (pair, 5), ==, 1);
  g_assert_cmpuint (ns_dataset_get_missing (pair, 4), ==, 0);
}

static void
test_tensor_overflow (void)
{
  gsize shape[3] = { G_MAXSIZE / 4, 4, 4 };
  guint kept[1] = { 2 };
  g_autoptr (GError) error = NULL;

  g_assert_null (ns_dataset_new_tensor (shape, 3, kept, 1, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "the tensor's shape is too large: its byte size overflows");
}

typedef struct {
  const char *spec;
  guint rank;
  const char *expected; /* kept axes joined by ',', or the error message */
} AxisCase;

static void
test_axis_spec (void)
{
  static const AxisCase cases[] = {
    { "-1", 4, "3" },
    { "1", 4, "1" },
    { "3,1", 4, "1,3" },
    { " 2 , -1 ", 4, "2,3" },
    { "none", 4, "" },
    { "None", 2, "" },
    { "-1", 2, "1" },
    { "0", 4,
      "axis '0' is the sample axis; it is always reduced (use 'none' to pool all "
      "values into one feature)" },
    { "-4", 4,
      "axis '-4' is the sample axis; it is always reduced (use 'none' to pool all "
      "values into one feature)" },
    { "4", 4, "axis '4' is not an integer between -4 and 3 for data of rank 4" },
    { "-5", 4, "axis '-5' is not an integer between -4 and 3 for data of rank 4" },
    { "x", 3, "axis 'x' is not an integer between -3 and 2 for data of rank 3" },
    { "", 3, "axis '' is not an integer between -3 and 2 for data of rank 3" },
    { "1,", 3, "axis '' is not an integer between -3 and 2 for data of rank 3" },
    { "1,-2", 3, "axis 1 is named twice in '1,-2'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint kept[NS_MAX_RANK], n_kept = 99;
      g_autoptr (GError) error = NULL;

      if (ns_axis_spec_parse (cases[i].spec, cases[i].rank, kept, &n_kept, &error))
        {
          g_autoptr (GString) joined = g_string_new (NULL);

          g_assert_no_error (error);
          for (guint k = 0; k < n_kept; k++)
            g_string_append_printf (joined, "%s%u", k > 0 ? "," : "", kept[k]);
          g_assert_cmpstr (joined->str, ==, cases[i].expected);
        }
      else
        {
          g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
          g_assert_cmpstr (error->message, ==, cases[i].expected);
        }
    }
}

/* Columns: flat (7, 7, 7), label, flat-with-NaN (NaN, 3, 3), varying (NaN, 3, 4). */
static void
test_find_varying_feature (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (3);
  double flat[3] = { 7, 7, 7 }, nan_flat[3] = { NAN, 3, 3 }, varying[3] = { NAN, 3, 4 };
  char **labels = g_new0 (char *, 4);

  for (guint i = 0; i < 3; i++)
    labels[i] = g_strdup ("x");
  ns_dataset_add_numeric_column (data, "flat", g_memdup2 (flat, sizeof flat));
  ns_dataset_add_label_column (data, "label", labels);
  ns_dataset_add_numeric_column (data, "nan_flat", g_memdup2 (nan_flat, sizeof nan_flat));
  ns_dataset_add_numeric_column (data, "varying", g_memdup2 (varying, sizeof varying));
  g_assert_cmpint (ns_dataset_find_varying_feature (data, 0), ==, 2);
  g_assert_cmpint (ns_dataset_find_varying_feature (data, 2), ==, 2);
  g_assert_cmpint (ns_dataset_find_varying_feature (data, 3), ==, -1);
  g_assert_cmpuint (ns_dataset_get_feature_column (data, 2), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dataset/table", test_table_basics);
  g_test_add_func ("/dataset/select-columns", test_select_columns);
  g_test_add_func ("/dataset/copy", test_copy);
  g_test_add_func ("/dataset/copy-finite-samples", test_copy_finite_samples);
  g_test_add_func ("/dataset/tensor-layout", test_tensor_layout);
  g_test_add_func ("/dataset/tensor-overflow", test_tensor_overflow);
  g_test_add_func ("/dataset/axis-spec", test_axis_spec);
  g_test_add_func ("/dataset/find-varying-feature", test_find_varying_feature);
  return g_test_run ();
}
