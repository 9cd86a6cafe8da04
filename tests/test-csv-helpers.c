/* test-csv-helpers.c: helpers the test-csv suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-csv-helpers.h"

char *
fixture (const char *name)
{
  return ns_test_data_path ("csv", name);
}

NsDataset *
load_fixture (const char *name, GError **error)
{
  g_autofree char *path = fixture (name);

  return ns_dataset_load (path, NULL, NULL, error);
}

NsDataset *
read_text (const char *text, const NsReadOptions *options, GError **error)
{
  return ns_csv_read ("t.csv", text, strlen (text), options, NULL, error);
}

void
assert_load_error (const char *name, const char *expected_after_path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fixture (name);
  g_autofree char *expected = g_strconcat (path, expected_after_path, NULL);
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);

  g_assert_null (data);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
}

void
assert_read_error (const char *text, const NsReadOptions *options, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = read_text (text, options, &error);

  g_assert_null (data);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, expected);
}

void
assert_column (const NsDataset *data, guint column, const char *name, const double *expected,
               gsize n)
{
  const double *values;

  g_assert_cmpstr (ns_dataset_get_column_name (data, column), ==, name);
  g_assert_false (ns_dataset_column_is_label (data, column));
  g_assert_cmpuint (ns_dataset_get_n_samples (data), ==, n);
  values = ns_dataset_get_values (data, column);
  for (gsize i = 0; i < n; i++)
    if (isnan (expected[i]))
      g_assert_true (isnan (values[i]));
    else
      g_assert_cmpfloat (values[i], ==, expected[i]);
}

void
assert_labels (const NsDataset *data, guint column, const char *name, const char *const *expected)
{
  g_assert_cmpstr (ns_dataset_get_column_name (data, column), ==, name);
  g_assert_true (ns_dataset_column_is_label (data, column));
  for (gsize i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (ns_dataset_get_label (data, column, i), ==, expected[i]);
}

gboolean
same_bits (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}
