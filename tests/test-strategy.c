/* test-strategy.c: the strategy table: names, texts and colours that stay apart.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include "core/ns-strategy-panel.h"
#include "core/ns-strategy.h"
#include "test-utils.h"

static void
strategy_lab (int strategy, gboolean dark, double lab[3])
{
  double rgb[3];

  ns_strategy_get_color (strategy < 0 ? NS_STRATEGY_NONE : (NsStrategy) strategy, dark, rgb);
  ns_test_rgb_to_lab (rgb, lab);
}

/* Every pair of strategies (and the raw data, -1) differs by at least 18 ΔE on both backgrounds;
 * each is clearly coloured (chroma above 30), so the grey overlay never reads as a strategy, and
 * stands out from the background. */
static void
test_colours_distinct (void)
{
  for (int dark = 0; dark < 2; dark++)
    {
      const double background[3] = { dark ? 0.14 : 1, dark ? 0.14 : 1, dark ? 0.14 : 1 };
      double background_lab[3];

      ns_test_rgb_to_lab (background, background_lab);
      for (int a = -1; a < NS_N_STRATEGIES; a++)
        {
          double lab_a[3];

          strategy_lab (a, dark, lab_a);
          g_assert_cmpfloat (hypot (lab_a[1], lab_a[2]), >, 30);
          g_assert_cmpfloat (ns_test_lab_distance (lab_a, background_lab), >, 45);
          for (int b = a + 1; b < NS_N_STRATEGIES; b++)
            {
              double lab_b[3];

              strategy_lab (b, dark, lab_b);
              g_assert_cmpfloat (ns_test_lab_distance (lab_a, lab_b), >=, 18);
            }
        }
    }
}

static void
test_names_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  NsStrategy strategy;

  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    {
      g_autofree char *css = ns_strategy_get_color_css ((NsStrategy) s, FALSE);
      g_autofree char *description = ns_strategy_describe ((NsStrategy) s);

      g_assert_true (ns_strategy_from_name (ns_strategy_get_name (s), &strategy, NULL));
      g_assert_cmpint (strategy, ==, s);
      g_assert_cmpuint (strlen (ns_strategy_get_short_label (s)), >, 0);
      g_assert_cmpuint (strlen (ns_strategy_get_formula (s)), >, 10);
      g_assert_cmpuint (strlen (ns_strategy_get_advice (s)), >, 20);
      g_assert_true (g_str_has_prefix (description, ns_strategy_get_formula (s)));
      g_assert_cmpuint (strlen (css), ==, 7);
      g_assert_true (css[0] == '#');
    }
  /* The scalers' names are the methods' (the CLI's --method). */
  for (guint m = NS_METHOD_STANDARD; m <= NS_METHOD_ROBUST; m++)
    g_assert_cmpstr (ns_strategy_get_name (ns_strategy_from_method (m)), ==,
                     ns_method_to_string (m));
  g_assert_cmpstr (ns_strategy_get_name (NS_STRATEGY_QUANTILE_NORMAL), ==, "quantile-normal");
  g_assert_false (ns_strategy_from_name ("zscore", &strategy, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "zscore"));
}

static void
test_css_matches_rgb (void)
{
  g_autofree char *css = ns_strategy_get_color_css (NS_STRATEGY_MINMAX, FALSE);
  double rgb[3];

  ns_strategy_get_color (NS_STRATEGY_MINMAX, FALSE, rgb);
  g_assert_cmpstr (css, ==, "#009E73");
  g_assert_cmpfloat (rgb[1], ==, 0x9E / 255.0);
}

/* Each strategy fits as its scaler with the strategy's output (quantile-normal: the normal one);
 * batch norm has no scaler fit. The computed panels are exactly the non-affine ones. */
static void
test_scaler_options (void)
{
  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    {
      NsScalerOptions options;
      gboolean fitted = ns_strategy_get_scaler_options (s, &options);

      g_assert_true (fitted == !ns_strategy_is_batchnorm (s));
      if (!fitted)
        {
          g_assert_false (ns_strategy_panel_is_computed (s));
          continue;
        }
      g_assert_true (ns_strategy_panel_is_computed (s) == !ns_method_is_affine (options.method));
      if (s == NS_STRATEGY_QUANTILE_NORMAL)
        g_assert_cmpint (options.output_distribution, ==, NS_QUANTILE_NORMAL);
      else
        {
          g_assert_cmpint (ns_strategy_from_method (options.method), ==, s);
          if (options.method == NS_METHOD_QUANTILE)
            g_assert_cmpint (options.output_distribution, ==, NS_QUANTILE_UNIFORM);
        }
    }
  g_assert_true (ns_strategy_panel_is_computed (NS_STRATEGY_NORMALIZER));
  g_assert_false (ns_strategy_panel_is_computed (NS_STRATEGY_ROBUST));
}

/* The Compare page's popover lists the strategies in enum order under their family's heading:
 * each family's members are consecutive, and there are four families. */
static void
test_families_consecutive (void)
{
  g_autoptr (GPtrArray) seen = g_ptr_array_new ();

  for (guint s = 0; s < NS_N_STRATEGIES; s++)
    {
      const char *family = ns_strategy_get_family (s);

      g_assert_cmpuint (strlen (family), >, 0);
      if (s == 0 || g_strcmp0 (family, ns_strategy_get_family (s - 1)) != 0)
        {
          for (guint i = 0; i < seen->len; i++)
            g_assert_cmpstr (seen->pdata[i], !=, family);
          g_ptr_array_add (seen, (gpointer) family);
        }
    }
  g_assert_cmpuint (seen->len, ==, 4);
  g_assert_cmpstr (ns_strategy_get_family (NS_STRATEGY_BOX_COX), ==, "Non-linear transforms");
  g_assert_cmpstr (ns_strategy_get_family (NS_STRATEGY_NORMALIZER), ==, "Per row");
}

/* The new strategies' tooltips (formula, then advice) name what each one computes. */
static void
test_new_strategies_tooltip_text (void)
{
  const struct {
    NsStrategy strategy;
    const char *formula_names;
  } cases[] = {
    { NS_STRATEGY_YEO_JOHNSON, "λ" },
    { NS_STRATEGY_BOX_COX, "λ" },
    { NS_STRATEGY_QUANTILE_UNIFORM, "empirical CDF" },
    { NS_STRATEGY_QUANTILE_NORMAL, "Φ⁻¹" },
    { NS_STRATEGY_NORMALIZER, "‖x‖" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *description = ns_strategy_describe (cases[i].strategy);
      g_autofree char *expected =
        g_strdup_printf ("%s\n%s", ns_strategy_get_formula (cases[i].strategy),
                         ns_strategy_get_advice (cases[i].strategy));

      g_assert_nonnull (
        strstr (ns_strategy_get_formula (cases[i].strategy), cases[i].formula_names));
      g_assert_nonnull (strchr (ns_strategy_get_formula (cases[i].strategy), '='));
      g_assert_cmpstr (description, ==, expected);
      g_assert_cmpuint (g_utf8_strlen (ns_strategy_get_advice (cases[i].strategy), -1), >, 40);
    }
}

/* Each output is drawn against its own shape: the quantile → uniform output against U(0, 1), the
 * bounded or per-row ones against nothing, the standardizing ones against N(0,1). */
static void
test_references (void)
{
  static const struct {
    NsStrategy strategy;
    NsStrategyReference reference;
  } cases[] = {
    { NS_STRATEGY_STANDARD, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_KERAS, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_MINMAX, NS_STRATEGY_REFERENCE_NONE },
    { NS_STRATEGY_MAXABS, NS_STRATEGY_REFERENCE_NONE },
    { NS_STRATEGY_ROBUST, NS_STRATEGY_REFERENCE_NONE },
    { NS_STRATEGY_BN_TRAIN, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_BN_INFERENCE, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_YEO_JOHNSON, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_BOX_COX, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_QUANTILE_UNIFORM, NS_STRATEGY_REFERENCE_UNIFORM },
    { NS_STRATEGY_QUANTILE_NORMAL, NS_STRATEGY_REFERENCE_NORMAL },
    { NS_STRATEGY_NORMALIZER, NS_STRATEGY_REFERENCE_NONE },
  };

  g_assert_cmpuint (G_N_ELEMENTS (cases), ==, NS_N_STRATEGIES);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ns_strategy_get_reference (cases[i].strategy), ==, cases[i].reference);
  g_assert_cmpstr (ns_strategy_reference_get_label (NS_STRATEGY_REFERENCE_NORMAL), ==,
                   "N(0,1) density");
  g_assert_cmpstr (ns_strategy_reference_get_label (NS_STRATEGY_REFERENCE_UNIFORM), ==,
                   "uniform density on [0, 1]");
  g_assert_null (ns_strategy_reference_get_label (NS_STRATEGY_REFERENCE_NONE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/strategy/colours-distinct", test_colours_distinct);
  g_test_add_func ("/strategy/names-round-trip", test_names_round_trip);
  g_test_add_func ("/strategy/css-matches-rgb", test_css_matches_rgb);
  g_test_add_func ("/strategy/scaler-options", test_scaler_options);
  g_test_add_func ("/strategy/families-consecutive", test_families_consecutive);
  g_test_add_func ("/strategy/new-strategies-tooltip-text", test_new_strategies_tooltip_text);
  g_test_add_func ("/strategy/references", test_references);
  return g_test_run ();
}
