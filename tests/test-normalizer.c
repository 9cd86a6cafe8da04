/* test-normalizer.c: the Normalizer row norms (l2, l1, max) and the division they feed, against
 * scikit-learn 1.2.1's normalize (tests/gen-quantile-vectors.py), bit for bit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ns-normalizer.h"
#include "test-utils.h"

static JsonNode *normalizer_root;

static const struct {
  const char *name;
  NsNormKind kind;
} norms[] = { { "l2", NS_NORM_L2 }, { "l1", NS_NORM_L1 }, { "max", NS_NORM_MAX } };

/* One matrix and one norm: every row's norm, and x / norm where the output is stored. */
static void
check_norm (const double *rows, guint n_rows, guint width, JsonObject *expected, guint which)
{
  g_autofree double *want =
    ns_test_json_doubles (json_object_get_array_member (expected, "norms"), NULL);
  JsonArray *output = json_object_has_member (expected, "output")
                        ? json_object_get_array_member (expected, "output")
                        : NULL;

  for (guint r = 0; r < n_rows; r++)
    {
      const double *row = rows + (gsize) r * width;
      double norm = ns_normalizer_row_norm (norms[which].kind, row, width);
      g_autofree double *want_row = NULL;

      if (!ns_test_same_bits (norm, want[r]))
        g_error ("%s width %u row %u: norm %.17g, sklearn %.17g", norms[which].name, width, r, norm,
                 want[r]);
      if (output == NULL)
        continue;
      want_row = ns_test_json_doubles (json_array_get_array_element (output, r), NULL);
      for (guint i = 0; i < width; i++)
        g_assert_true (ns_test_same_bits (row[i] / norm, want_row[i]));
    }
}

/* Rows spanning 12 decades, a zero row, a 1e-16 row and rows around the 10 eps threshold, widths
 * 1 to 300 (every tail of the einsum's 8-blocks, and l1 rows wider than the stack buffer). */
static void
test_sklearn_vectors (void)
{
  JsonArray *cases = json_object_get_array_member (json_node_get_object (normalizer_root), "cases");

  g_assert_cmpuint (json_array_get_length (cases), >=, 10);
  for (guint k = 0; k < json_array_get_length (cases); k++)
    {
      JsonObject *c = json_array_get_object_element (cases, k);
      guint width = (guint) json_object_get_int_member (c, "width");
      JsonArray *rows = json_object_get_array_member (c, "rows");
      guint n_rows = json_array_get_length (rows);
      g_autofree double *matrix = g_new (double, (gsize) n_rows *width);

      for (guint r = 0; r < n_rows; r++)
        {
          guint n;
          g_autofree double *row =
            ns_test_json_doubles (json_array_get_array_element (rows, r), &n);

          g_assert_cmpuint (n, ==, width);
          memcpy (matrix + (gsize) r * width, row, width * sizeof (double));
        }
      for (guint which = 0; which < G_N_ELEMENTS (norms); which++)
        check_norm (matrix, n_rows, width, json_object_get_object_member (c, norms[which].name),
                    which);
    }
}

/* _handle_zeros_in_scale: below 10 eps is "no scale" (1), from 10 eps on the norm itself. */
static void
test_zero_threshold (void)
{
  double threshold = 10.0 * DBL_EPSILON;
  double below[1] = { nextafter (threshold, 0.0) }, at[1] = { threshold };
  double zero[3] = { 0.0, -0.0, 0.0 };

  for (guint which = 0; which < G_N_ELEMENTS (norms); which++)
    {
      g_assert_cmpfloat (ns_normalizer_row_norm (norms[which].kind, below, 1), ==, 1.0);
      g_assert_cmpfloat (ns_normalizer_row_norm (norms[which].kind, at, 1), ==, threshold);
      g_assert_cmpfloat (ns_normalizer_row_norm (norms[which].kind, zero, 3), ==, 1.0);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  normalizer_root = ns_test_load_data_json ("quantile", "normalizer.json");
  g_test_add_func ("/normalizer/sklearn-vectors", test_sklearn_vectors);
  g_test_add_func ("/normalizer/zero-threshold", test_zero_threshold);
  status = g_test_run ();
  json_node_unref (normalizer_root);
  return status;
}
