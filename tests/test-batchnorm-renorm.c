/* test-batchnorm-renorm.c: Batch Renormalization against tf.keras 2's rule (tests/gen-batchnorm-
 * vectors.py, "tf_renorm"): renorm momentum apart from the layer's, each renorm_clipping key alone,
 * r, d, the running statistics, the outputs; and the clipping spec's parser.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <json-glib/json-glib.h>
#include "core/ns-batchnorm.h"
#include "core/ns-error.h"
#include "test-batchnorm-helpers.h"

/* 1e-12 relative, with a floor of 1 for outputs (values near 0). */
static double
member_or (JsonObject *object, const char *name, double fallback)
{
  return json_object_has_member (object, name) ? json_object_get_double_member (object, name)
                                               : fallback;
}

/* The case's layer in the preset's convention: pytorch's momentum is 1 - TF's decay. */
static void
renorm_options_from_case (JsonObject *test_case, NsBatchNormOptions *o)
{
  JsonObject *clipping = json_object_get_object_member (test_case, "clipping");
  const char *preset = json_object_get_string_member (test_case, "preset");
  gboolean pytorch = g_strcmp0 (preset, "pytorch") == 0;
  double decay = json_object_get_double_member (test_case, "momentum");
  double renorm_decay = json_object_get_double_member (test_case, "renorm_momentum");

  ns_batchnorm_options_init (o, pytorch ? NS_BATCHNORM_PYTORCH : NS_BATCHNORM_KERAS);
  o->batch_size = (gsize) json_object_get_int_member (test_case, "batch_size");
  o->epochs = (guint) json_object_get_int_member (test_case, "epochs");
  o->eps = json_object_get_double_member (test_case, "eps");
  o->gamma = json_object_get_double_member (test_case, "gamma");
  o->beta = json_object_get_double_member (test_case, "beta");
  o->momentum = pytorch ? 1 - decay : decay;
  o->renorm = TRUE;
  o->renorm_momentum = pytorch ? 1 - renorm_decay : renorm_decay;
  o->renorm_rmin = member_or (clipping, "rmin", 0);
  o->renorm_rmax = member_or (clipping, "rmax", INFINITY);
  o->renorm_dmax = member_or (clipping, "dmax", INFINITY);
}

static void
check_steps (NsBatchNorm *bn, JsonArray *steps)
{
  const char *names[] = { "r", "d", "running_mean", "running_var" };
  NsSeries series[] = { NS_SERIES_RENORM_R, NS_SERIES_RENORM_D, NS_SERIES_RUNNING_MEAN,
                        NS_SERIES_RUNNING_VAR };

  for (guint s = 0; s < json_array_get_length (steps); s++)
    for (guint k = 0; k < G_N_ELEMENTS (names); k++)
      for (guint f = 0; f < 3; f++)
        {
          JsonArray *expected =
            json_object_get_array_member (json_array_get_object_element (steps, s), names[k]);

          ns_test_assert_close (ns_batchnorm_get_series (bn, series[k], f, NULL)[s],
                                json_array_get_double_element (expected, f), 1e-12, 1e-12 * 0,
                                "%s step %u [%u] against tf.keras", names[k], s + 1, f);
        }
}

/* Training outputs of the last batch, inference outputs of every row. */
static void
check_outputs (NsBatchNorm *bn, JsonObject *last, JsonArray *eval)
{
  gsize first = (gsize) json_object_get_int_member (last, "first");
  gsize rows = (gsize) json_object_get_int_member (last, "rows");
  JsonArray *train = json_object_get_array_member (last, "output");
  double out[60];

  for (guint f = 0; f < 3; f++)
    {
      ns_batchnorm_training_output (bn, f, out);
      for (gsize i = 0; i < rows; i++)
        ns_test_assert_close (out[first + i],
                              json_array_get_double_element (json_array_get_array_element (train,
                                                                                           f),
                                                             (guint) i),
                              1e-12, 1e-12 * 1, "training output step %u [%u] against tf.keras", 0,
                              (guint) i);
      ns_batchnorm_inference_output (bn, f, out);
      for (guint i = 0; i < 60; i++)
        ns_test_assert_close (out[i],
                              json_array_get_double_element (json_array_get_array_element (eval, f),
                                                             i),
                              1e-12, 1e-12 * 1, "inference output step %u [%u] against tf.keras", 0,
                              i);
    }
}

/* The last step's renorm and moving std as the stats file holds them. */
static void
check_stats_fields (NsBatchNorm *bn, JsonObject *last)
{
  g_autoptr (NsStats) stats = ns_batchnorm_to_stats (bn);
  const char *fields[] = { "renorm_moving_mean", "renorm_moving_std", "moving_stddev" };

  for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
    for (guint f = 0; f < 3; f++)
      {
        double value = NAN;

        g_assert_true (ns_stats_get_field (stats, f, fields[k], &value));
        ns_test_assert_close (
          value, json_array_get_double_element (json_object_get_array_member (last, fields[k]), f),
          1e-12, 1e-12 * 0, "%s step %u [%u] against tf.keras", fields[k], 0, f);
      }
}

static void
test_tf_renorm (void)
{
  JsonArray *cases = json_object_get_array_member (vectors, "tf_renorm");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, i);
      JsonArray *steps = json_object_get_array_member (test_case, "steps");
      JsonObject *last = json_array_get_object_element (steps, json_array_get_length (steps) - 1);
      g_autoptr (NsDataset) data = table_dataset (NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsBatchNorm) bn = NULL;
      NsBatchNormOptions options;

      renorm_options_from_case (test_case, &options);
      bn = ns_batchnorm_new (data, &options, &error);
      g_assert_no_error (error);
      g_assert_true (ns_batchnorm_run (bn, NULL, NULL, NULL, &error));
      g_assert_cmpuint (ns_batchnorm_get_step (bn), ==, json_array_get_length (steps));
      check_steps (bn, steps);
      check_outputs (bn, last, json_object_get_array_member (test_case, "eval"));
      check_stats_fields (bn, last);
      g_test_message ("%s: %u steps", json_object_get_string_member (test_case, "name"),
                      json_array_get_length (steps));
    }
}

static void
test_clipping_parse (void)
{
  double rmin = -1, rmax = -1, dmax = -1;
  g_autoptr (GError) error = NULL;

  g_assert_true (ns_renorm_clipping_parse ("rmax=2, dmax=0.5", &rmin, &rmax, &dmax, &error));
  g_assert_cmpfloat (rmin, ==, 0);
  g_assert_cmpfloat (rmax, ==, 2);
  g_assert_cmpfloat (dmax, ==, 0.5);
  g_assert_true (ns_renorm_clipping_parse ("rmin=0.25", &rmin, &rmax, &dmax, &error));
  g_assert_cmpfloat (rmin, ==, 0.25);
  g_assert_true (isinf (rmax) && isinf (dmax));
  g_assert_true (ns_renorm_clipping_parse ("none", &rmin, &rmax, &dmax, &error));
  g_assert_true (rmin == 0 && isinf (rmax) && isinf (dmax));
  g_assert_false (ns_renorm_clipping_parse ("rmax=2,rmax=3", &rmin, &rmax, &dmax, &error));
  g_assert_cmpstr (error->message, ==, "renorm clipping: rmax is given twice");
  g_clear_error (&error);
  g_assert_false (ns_renorm_clipping_parse ("r_max=2", &rmin, &rmax, &dmax, &error));
  g_assert_cmpstr (error->message, ==,
                   "renorm clipping: unknown key in 'r_max=2' (expected rmin, rmax or dmax)");
  g_clear_error (&error);
  g_assert_false (ns_renorm_clipping_parse ("dmax", &rmin, &rmax, &dmax, &error));
  g_assert_cmpstr (error->message, ==, "renorm clipping dmax: expected dmax=NUMBER, found 'dmax'");
}

/* r_min above r_max, a negative r_min, a renorm momentum outside [0, 1]. */
static void
test_bad_bounds (void)
{
  g_autoptr (NsDataset) data = table_dataset (NULL);
  struct {
    double rmin, rmax, momentum;
    const char *message;
  } cases[] = {
    { 2, 1, NAN, "renorm r_max must be >= 2, got 1" },
    { -1, 3, NAN, "renorm r_min must be >= 0, got -1" },
    { 0, 3, 1.5, "renorm momentum must be in [0, 1], got 1.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      NsBatchNormOptions options;

      ns_batchnorm_options_init (&options, NS_BATCHNORM_KERAS);
      options.renorm = TRUE;
      options.renorm_rmin = cases[i].rmin;
      options.renorm_rmax = cases[i].rmax;
      options.renorm_momentum = cases[i].momentum;
      g_assert_null (ns_batchnorm_new (data, &options, &error));
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_vectors ();
  g_test_add_func ("/batchnorm-renorm/tf-keras", test_tf_renorm);
  g_test_add_func ("/batchnorm-renorm/clipping-parse", test_clipping_parse);
  g_test_add_func ("/batchnorm-renorm/bad-bounds", test_bad_bounds);
  status = g_test_run ();
  g_assert_finalize_object (vectors_parser);
  return status;
}
