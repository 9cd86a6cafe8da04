/* test-overview-notes.c: feature shapes (Tukey fences, outlier share) and the overview's notes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include "core/ns-moments.h"
#include "core/ns-overview-notes.h"
#include "core/ns-quantile.h"

#define N 100

/* Five columns of 100 values: 0..96 and three at 1000; the ramp 0..99; seventy 0, twenty 1 and
 * ten 2 (skewed, yet inside the fences); all 7; eighty-five 0 and fifteen 8 (quartiles both 0). */
static NsDataset *
make_dataset (void)
{
  NsDataset *data = ns_dataset_new_table (N);
  double *outliers = g_new (double, N), *ramp = g_new (double, N), *skewed = g_new (double, N);
  double *constant = g_new (double, N), *tied = g_new (double, N);

  for (guint i = 0; i < N; i++)
    {
      outliers[i] = i < 97 ? i : 1000;
      ramp[i] = i;
      skewed[i] = i < 70 ? 0 : i < 90 ? 1 : 2;
      constant[i] = 7;
      tied[i] = i < 85 ? 0 : 8;
    }
  ns_dataset_add_numeric_column (data, "outliers", outliers);
  ns_dataset_add_numeric_column (data, "ramp", ramp);
  ns_dataset_add_numeric_column (data, "skewed", skewed);
  ns_dataset_add_numeric_column (data, "constant", constant);
  ns_dataset_add_numeric_column (data, "tied", tied);
  ns_dataset_count_missing (data);
  return data;
}

static GArray *
shapes_of (const NsDataset *data, guint n_threads)
{
  g_autoptr (GArray) summaries = ns_summary_compute (data, NULL, NULL);

  return ns_feature_shapes_compute (data, summaries, n_threads, NULL, NULL);
}

/* The fences are Q1 − 1.5 IQR and Q3 + 1.5 IQR of numpy's type-7 quartiles; the three values at
 * 1000 lie beyond, 0..96 inside; the same on one thread and on four. */
static void
test_shape_fences (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (GArray) shapes = shapes_of (data, 1);
  g_autoptr (GArray) threaded = shapes_of (data, 4);
  const NsFeatureShape *shape = &g_array_index (shapes, NsFeatureShape, 0);
  const double probabilities[2] = { 0.25, 0.75 };
  double quartiles[2];
  NsMoments moments;

  g_assert_cmpuint (shapes->len, ==, 5);
  g_assert_cmpmem (shapes->data, 5 * sizeof (NsFeatureShape), threaded->data,
                   5 * sizeof (NsFeatureShape));
  ns_quantiles (ns_dataset_get_values (data, 0), N, 1, probabilities, 2, quartiles);
  g_assert_cmpfloat (shape->lower_fence, ==, quartiles[0] - 1.5 * (quartiles[1] - quartiles[0]));
  g_assert_cmpfloat (shape->upper_fence, ==, quartiles[1] + 1.5 * (quartiles[1] - quartiles[0]));
  g_assert_cmpuint (shape->n_outliers, ==, 3);
  g_assert_cmpuint (shape->count, ==, N);
  g_assert_cmpfloat (shape->inlier_min, ==, 0);
  g_assert_cmpfloat (shape->inlier_max, ==, 96);
  g_assert_cmpfloat (shape->max, ==, 1000);
  g_assert_cmpfloat (ns_feature_shape_outlier_share (shape), ==, 0.03);
  ns_moments_init (&moments);
  ns_moments_add (&moments, ns_dataset_get_values (data, 0), N, 1);
  g_assert_cmpfloat_with_epsilon (shape->skewness, ns_moments_skewness (&moments), 1e-12);
  g_assert_cmpuint (g_array_index (shapes, NsFeatureShape, 1).n_outliers, ==, 0);
}

/* A column with missing values: the shape counts them, and the description says how many. */
static void
test_missing_note (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (10);
  double *x = g_new (double, 10);
  g_autoptr (GArray) shapes = NULL;
  g_autofree char *described = NULL;

  for (guint i = 0; i < 10; i++)
    x[i] = i == 2 || i == 7 ? NAN : (double) i;
  ns_dataset_add_numeric_column (data, "x", x);
  ns_dataset_count_missing (data);
  shapes = shapes_of (data, 1);
  g_assert_cmpuint (g_array_index (shapes, NsFeatureShape, 0).n_missing, ==, 2);
  g_assert_cmpuint (g_array_index (shapes, NsFeatureShape, 0).count, ==, 8);
  described = ns_feature_shape_describe (&g_array_index (shapes, NsFeatureShape, 0));
  g_assert_true (g_str_has_suffix (described, " % beyond 1.5 IQR · 2 missing (20 %)"));
}

/* Min-max maps [0, 1000] to [0, 1]: the 97 inliers end in [0, 96 / 1000]. Robust centres on the
 * median 49.5 and divides by the IQR 49.5 (quartiles 24.75 and 74.25): the rest spans
 * [-1, 0.94] and 1000 reaches (1000 − 49.5) / 49.5 = 19.2. */
static void
test_outlier_notes (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (GArray) shapes = shapes_of (data, 0);
  const NsFeatureShape *shape = &g_array_index (shapes, NsFeatureShape, 0);
  g_autofree char *minmax = ns_overview_note (shape, NS_STRATEGY_MINMAX, 0, 1000);
  g_autofree char *robust = ns_overview_note (shape, NS_STRATEGY_ROBUST, 49.5, 49.5);
  g_autofree char *standard = ns_overview_note (shape, NS_STRATEGY_STANDARD, 10, 100);
  g_autofree char *described = ns_feature_shape_describe (shape);

  g_assert_cmpstr (minmax, ==,
                   "3 % of values beyond 1.5 IQR: min-max squeezes the rest into [0, 0.096]");
  g_assert_cmpstr (robust, ==,
                   "3 % of values beyond 1.5 IQR: median and IQR ignore them; the rest "
                   "spans [-1, 0.94], they reach 19");
  g_assert_cmpstr (standard, ==,
                   "3 % of values beyond 1.5 IQR widen the scale: the rest spans "
                   "[-0.1, 0.86], they reach 9.9");
  g_assert_true (g_str_has_suffix (described, "· 3 % beyond 1.5 IQR"));
  g_assert_true (g_str_has_prefix (described, "skewness "));
}

/* No outliers: the note gives where the values go, and calls a |g1| above 1 skewed. */
static void
test_inlier_notes (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (GArray) shapes = shapes_of (data, 0);
  const NsFeatureShape *ramp = &g_array_index (shapes, NsFeatureShape, 1);
  const NsFeatureShape *skewed = &g_array_index (shapes, NsFeatureShape, 2);
  g_autofree char *ramp_note = ns_overview_note (ramp, NS_STRATEGY_MAXABS, 0, 99);
  g_autofree char *skewed_note = NULL;

  g_assert_cmpstr (ramp_note, ==, "no values beyond 1.5 IQR: max-abs maps them into [0, 1]");
  g_assert_cmpuint (skewed->n_outliers, ==, 0);
  g_assert_cmpfloat (skewed->skewness, >, 1);
  skewed_note = ns_overview_note (skewed, NS_STRATEGY_MINMAX, 0, 2);
  g_assert_true (g_str_has_prefix (skewed_note, "skewed (g1 1.4), no values beyond 1.5 IQR"));
  g_assert_true (g_str_has_suffix (skewed_note, "min-max spans [0, 1]"));
}

/* A constant column has no skewness (NaN) and says so; a column whose quartiles coincide counts
 * every other value as an outlier, and the note names the tie instead of a range [0, 0]. Min-max
 * on the tied column maps 0 to 0 and 8 to 1; robust keeps scale 1 (IQR 0) and centres on 0. */
static void
test_degenerate_notes (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (GArray) shapes = shapes_of (data, 0);
  const NsFeatureShape *constant = &g_array_index (shapes, NsFeatureShape, 3);
  const NsFeatureShape *tied = &g_array_index (shapes, NsFeatureShape, 4);
  g_autofree char *constant_shape = ns_feature_shape_describe (constant);
  g_autofree char *constant_note = ns_overview_note (constant, NS_STRATEGY_STANDARD, 7, 1);
  g_autofree char *tied_minmax = ns_overview_note (tied, NS_STRATEGY_MINMAX, 0, 8);
  g_autofree char *tied_robust = ns_overview_note (tied, NS_STRATEGY_ROBUST, 0, 1);

  g_assert_true (isnan (constant->skewness));
  g_assert_cmpstr (constant_shape, ==, "constant: every value is 7");
  g_assert_cmpstr (constant_note, ==, "constant: standard (scikit-learn) maps every value to 0");
  g_assert_cmpuint (tied->n_outliers, ==, 15);
  g_assert_cmpstr (tied_minmax, ==,
                   "85 % of values equal 0 (IQR 0): min-max puts them at 0, the "
                   "others reach 1");
  g_assert_cmpstr (tied_robust, ==,
                   "85 % of values equal 0 (IQR 0): robust puts them at 0, the "
                   "others reach 8");
}

/* Batch norm's training note gives the batch size and the outputs' range (NaN rows skipped), with
 * the outlier share when there are outliers. */
static void
test_batch_notes (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (GArray) shapes = shapes_of (data, 0);
  const double outputs[] = { -1.25, NAN, 0.5, 2.75 };
  const double zeros[] = { 0, 0, NAN };
  const double none[] = { NAN, NAN };
  g_autofree char *outliers = ns_overview_batch_note (&g_array_index (shapes, NsFeatureShape, 0),
                                                      32, outputs, G_N_ELEMENTS (outputs));
  g_autofree char *ramp = ns_overview_batch_note (&g_array_index (shapes, NsFeatureShape, 1), 8,
                                                  outputs, G_N_ELEMENTS (outputs));
  g_autofree char *constant = ns_overview_batch_note (&g_array_index (shapes, NsFeatureShape, 3),
                                                      32, zeros, G_N_ELEMENTS (zeros));
  g_autofree char *empty = ns_overview_batch_note (&g_array_index (shapes, NsFeatureShape, 1), 32,
                                                   none, G_N_ELEMENTS (none));

  g_assert_cmpstr (outliers, ==,
                   "3 % of values beyond 1.5 IQR: each batch of 32 divides by its "
                   "own std; the outputs span [-1.2, 2.8]");
  g_assert_cmpstr (ramp, ==,
                   "each batch of 8 centred and scaled on its own: the outputs span "
                   "[-1.2, 2.8]");
  g_assert_cmpstr (constant, ==, "constant: every batch maps it to 0");
  g_assert_cmpstr (empty, ==, "no values");
}

/* The notes do not depend on the locale's decimal separator. */
static void
test_notes_locale (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (GArray) shapes = shapes_of (data, 0);
  g_autofree char *note =
    ns_overview_note (&g_array_index (shapes, NsFeatureShape, 0), NS_STRATEGY_MINMAX, 0, 1000);

  g_assert_nonnull (strstr (note, "0.096"));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/overview-notes/shape-fences", test_shape_fences);
  g_test_add_func ("/overview-notes/outlier-notes", test_outlier_notes);
  g_test_add_func ("/overview-notes/missing", test_missing_note);
  g_test_add_func ("/overview-notes/inlier-notes", test_inlier_notes);
  g_test_add_func ("/overview-notes/degenerate", test_degenerate_notes);
  g_test_add_func ("/overview-notes/batch-notes", test_batch_notes);
  g_test_add_func ("/overview-notes/locale", test_notes_locale);
  return g_test_run ();
}
