/* test-class-column.c: which numeric columns look like a class, on made-up columns and on the
 * bundled datasets against tests/data/class-column/expected.json (gen-class-column.py, NumPy).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "ns-class-column.h"
#include "ns-reader.h"
#include "ns-summary.h"
#include "test-utils.h"

/* n values cycling through distinct integers from first. */
static double *
cycle_values (gsize n, guint distinct, double first)
{
  double *values = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    values[i] = first + (double) (i % distinct);
  return values;
}

static void
test_few_integers (void)
{
  g_autofree double *three = cycle_values (30, 3, -1);
  g_autofree double *ten = cycle_values (100, NS_CLASS_COLUMN_MAX_DISTINCT, 0);
  g_autofree double *eleven = cycle_values (110, NS_CLASS_COLUMN_MAX_DISTINCT + 1, 0);
  guint n_distinct = 0;

  g_assert_true (ns_column_looks_like_class (three, 30, &n_distinct));
  g_assert_cmpuint (n_distinct, ==, 3);
  g_assert_true (ns_column_looks_like_class (ten, 100, &n_distinct));
  g_assert_cmpuint (n_distinct, ==, NS_CLASS_COLUMN_MAX_DISTINCT);
  g_assert_false (ns_column_looks_like_class (eleven, 110, NULL));
}

static void
test_not_a_class (void)
{
  double constant[] = { 4, 4, 4, 4 };
  double fractional[] = { 0, 1, 0, 1.5 };
  double infinite[] = { 0, 1, 0, INFINITY };
  double empty[] = { NAN, NAN };

  g_assert_false (ns_column_looks_like_class (constant, G_N_ELEMENTS (constant), NULL));
  g_assert_false (ns_column_looks_like_class (fractional, G_N_ELEMENTS (fractional), NULL));
  g_assert_false (ns_column_looks_like_class (infinite, G_N_ELEMENTS (infinite), NULL));
  g_assert_false (ns_column_looks_like_class (empty, G_N_ELEMENTS (empty), NULL));
}

static void
test_missing_values_skipped (void)
{
  double values[] = { 1, NAN, 2, 1, NAN, 2 };
  guint n_distinct = 0;

  g_assert_true (ns_column_looks_like_class (values, G_N_ELEMENTS (values), &n_distinct));
  g_assert_cmpuint (n_distinct, ==, 2);
}

/* The rarest value at exactly NS_CLASS_COLUMN_MIN_SHARE of the values passes, one value less
 * does not. */
static void
test_rare_value (void)
{
  gsize n = (gsize) round (1 / NS_CLASS_COLUMN_MIN_SHARE);
  g_autofree double *values = g_new0 (double, n + 1);

  values[0] = 1;
  g_assert_true (ns_column_looks_like_class (values, n, NULL));
  g_assert_false (ns_column_looks_like_class (values, n + 1, NULL));
}

static void
check_dataset (const char *name, JsonObject *want)
{
  g_autofree char *file = g_strconcat (name, ".csv", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("NS_SOURCE_ROOT"), "data", file, NULL);
  JsonObject *classes = json_object_get_object_member (want, "classes");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = ns_dataset_load (path, NULL, NULL, &error);
  g_autoptr (GArray) summary = NULL;
  guint n_numeric = 0;

  g_assert_no_error (error);
  summary = ns_summary_compute (data, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < summary->len; c++)
    {
      const NsColumnSummary *s = &g_array_index (summary, NsColumnSummary, c);

      if (s->is_label)
        continue;
      n_numeric++;
      g_assert_cmpint (s->looks_like_class, ==, json_object_has_member (classes, s->name));
      if (s->looks_like_class)
        g_assert_cmpint (s->n_distinct, ==, json_object_get_int_member (classes, s->name));
    }
  g_assert_cmpint (n_numeric, ==, json_object_get_int_member (want, "numeric"));
}

static void
test_bundled_datasets (void)
{
  JsonNode *root = ns_test_load_data_json ("class-column", "expected.json");
  JsonObject *datasets = json_object_get_object_member (json_node_get_object (root), "datasets");
  g_autoptr (GList) names = json_object_get_members (datasets);

  g_assert_cmpuint (g_list_length (names), ==, 4);
  for (GList *l = names; l != NULL; l = l->next)
    check_dataset (l->data, json_object_get_object_member (datasets, l->data));
  json_node_unref (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/class-column/few-integers", test_few_integers);
  g_test_add_func ("/class-column/not-a-class", test_not_a_class);
  g_test_add_func ("/class-column/missing-values-skipped", test_missing_values_skipped);
  g_test_add_func ("/class-column/rare-value", test_rare_value);
  g_test_add_func ("/class-column/bundled-datasets", test_bundled_datasets);
  return g_test_run ();
}
