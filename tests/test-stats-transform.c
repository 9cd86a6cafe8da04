/* test-stats-transform.c: NsStats applied to data: tables with label columns, mismatched
 * columns and tensors.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "ns-stats.h"
#include "test-utils.h"

/* A table: numeric a, label kind, numeric b (with a NaN). */
static NsDataset *
make_table (const char *first, const char *second)
{
  NsDataset *data = ns_dataset_new_table (3);
  double *a = g_new (double, 3), *b = g_new (double, 3);
  char **kind = g_new0 (char *, 4);

  a[0] = 1;
  a[1] = 3;
  a[2] = 7;
  b[0] = 10;
  b[1] = NAN;
  b[2] = -4;
  kind[0] = g_strdup ("x");
  kind[1] = g_strdup ("y");
  kind[2] = g_strdup ("x");
  ns_dataset_add_numeric_column (data, first, a);
  ns_dataset_add_label_column (data, "kind", kind);
  ns_dataset_add_numeric_column (data, second, b);
  ns_dataset_set_source (data, "test.csv", NULL);
  ns_dataset_count_missing (data);
  return data;
}

static void
test_transform_table (void)
{
  g_autoptr (NsStats) stats = ns_stats_new ("standard", 2);
  g_autoptr (NsDataset) data = make_table ("b", "a"); /* columns in the other order */
  g_autoptr (NsDataset) out = NULL, back = NULL;
  g_autoptr (GError) error = NULL;
  const double *a, *b;

  ns_stats_set_column (stats, 0, "a", 3, 0, 0, 0, 1, 2);
  ns_stats_set_column (stats, 1, "b", 3, 0, 0, 0, 10, 4);
  out = ns_stats_transform (stats, data, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_columns (out), ==, 3);
  g_assert_cmpstr (ns_dataset_get_column_name (out, 0), ==, "b");
  /* make_table put 1, 3, 7 in "b" and 10, NaN, -4 in "a". */
  b = ns_dataset_get_values (out, 0);
  a = ns_dataset_get_values (out, 2);
  g_assert_cmpfloat (b[0], ==, -2.25);
  g_assert_cmpfloat (b[1], ==, -1.75);
  g_assert_cmpfloat (b[2], ==, -0.75);
  g_assert_cmpfloat (a[0], ==, 4.5);
  g_assert_true (isnan (a[1]));
  g_assert_cmpfloat (a[2], ==, -2.5);
  g_assert_cmpuint (ns_dataset_get_missing (out, 2), ==, 1);
  g_assert_cmpstr (ns_dataset_get_label (out, 1, 1), ==, "y");
  /* The input is untouched. */
  g_assert_cmpfloat (ns_dataset_get_values (data, 2)[2], ==, -4);

  back = ns_stats_transform (stats, out, TRUE, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 3; c += 2)
    for (gsize i = 0; i < 3; i++)
      {
        double got = ns_dataset_get_values (back, c)[i], want = ns_dataset_get_values (data, c)[i];

        g_assert_true ((isnan (got) && isnan (want)) || got == want);
      }
}

static void
test_transform_mismatch (void)
{
  g_autoptr (NsStats) stats = ns_stats_new ("standard", 2);
  g_autoptr (GError) error = NULL;
  const char *labels[] = { "b", NULL };

  ns_stats_set_column (stats, 0, "a", 3, 0, 0, 0, 1, 2);
  ns_stats_set_column (stats, 1, "c", 3, 0, 0, 0, 1, 2);
  {
    g_autoptr (NsDataset) data = make_table ("a", "b");

    g_assert_null (ns_stats_transform (stats, data, FALSE, &error));
    g_assert_error (error, NS_ERROR, NS_ERROR_MISMATCH);
    g_assert_cmpstr (
      error->message, ==,
      "test.csv: expected a column 'c' that the stats scale, found none (columns: a, kind, b)");
    g_clear_error (&error);
  }
  {
    g_autoptr (NsDataset) data = make_table ("a", "c");

    ns_stats_set_column (stats, 1, "kind", 3, 0, 0, 0, 1, 2);
    g_assert_null (ns_stats_transform (stats, data, FALSE, &error));
    g_assert_cmpstr (error->message, ==,
                     "test.csv: column 'kind' is not numeric, but the stats scale it");
    g_clear_error (&error);
  }
  {
    g_autoptr (NsStats) one = ns_stats_new ("standard", 1);
    g_autoptr (NsDataset) data = make_table ("a", "b");
    g_autoptr (NsDataset) out = NULL;

    ns_stats_set_column (one, 0, "a", 3, 0, 0, 0, 1, 2);
    g_assert_null (ns_stats_transform (one, data, FALSE, &error));
    g_assert_cmpstr (error->message, ==,
                     "test.csv: column 'b' is not in the stats (select the fitted columns, or copy "
                     "them unchanged with --pass-through)");
    g_clear_error (&error);

    /* --pass-through copies it unchanged, and still scales a. */
    {
      g_autoptr (NsDataset) passed =
        ns_stats_transform (one, data, NS_TRANSFORM_PASS_THROUGH, &error);

      g_assert_no_error (error);
      g_assert_cmpfloat (ns_dataset_get_values (passed, 2)[0], ==,
                         ns_dataset_get_values (data, 2)[0]);
      g_assert_cmpfloat (ns_dataset_get_values (passed, 0)[0], ==,
                         (ns_dataset_get_values (data, 0)[0] - 1) / 2);
    }

    /* A column that was a label when fitting is carried through unchanged. */
    ns_stats_set_label_names (one, labels);
    out = ns_stats_transform (one, data, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (ns_dataset_get_values (out, 2)[0], ==, 10);
    g_assert_cmpfloat (ns_dataset_get_values (out, 0)[2], ==, 3);
  }
}

static void
test_transform_tensor (void)
{
  gsize shape[3] = { 2, 3, 2 };
  guint kept[1] = { 2 };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_new_tensor (shape, 3, kept, 1, &error);
  g_autoptr (NsStats) stats = ns_stats_new ("keras", 2);
  g_autoptr (NsStats) three = ns_stats_new ("keras", 3);
  g_autoptr (NsDataset) out = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_n_features (data), ==, 2);
  for (guint f = 0; f < 2; f++)
    for (gsize i = 0; i < 6; i++)
      ns_dataset_get_column_data (data, f)[i] = (double) (i + 10 * f);
  ns_stats_set_column (stats, 0, "x", 6, 0, 0, 0, 1, 2);
  ns_stats_set_column (stats, 1, "y", 6, 0, 0, 0, 10, 0.5);
  out = ns_stats_transform (stats, data, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ns_dataset_get_values (out, 0)[5], ==, 2);
  g_assert_cmpfloat (ns_dataset_get_values (out, 1)[5], ==, 10);
  g_assert_cmpuint (ns_dataset_get_rank (out), ==, 3);

  g_assert_null (ns_stats_transform (three, data, FALSE, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==,
                   "data: has 2 features (channels) on the kept axes, but the stats have 3");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/transform/table", test_transform_table);
  g_test_add_func ("/stats/transform/mismatch", test_transform_mismatch);
  g_test_add_func ("/stats/transform/tensor", test_transform_tensor);
  return g_test_run ();
}
