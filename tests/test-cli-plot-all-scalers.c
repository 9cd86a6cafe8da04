/* test-cli-plot-all-scalers.c: `normscope-cli plot --all-scalers` end to end: the figure in each
 * format and size, and every refusal with exit status 2 and the output left alone.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>
#include "test-utils.h"

typedef struct {
  char *dir;
  char *data;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer unused)
{
  f->dir = ns_test_temp_dir_new ();
  f->data = g_build_filename (g_getenv ("NS_TEST_DATA"), "all-scalers", "housing-like.csv", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer unused)
{
  ns_test_temp_dir_free (f->dir);
  g_free (f->data);
}

/* The default: 1600 wide, each of the five rows 16:6 (600 high), stacked. */
static void
test_png_default_size (Fixture *f, gconstpointer unused)
{
  const char *args[] = {
    "plot",   f->data, "--all-scalers", "--columns", "MedInc,AveOccup", "--color-by",
    "region", "-o",    "fig.png",       NULL
  };
  g_autofree char *err = NULL;
  g_autofree char *path = g_build_filename (f->dir, "fig.png", NULL);

  g_assert_cmpint (ns_test_run_cli (args, f->dir, NULL, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  ns_test_assert_png_size (path, 1600, 10 * 600); /* one 16:6 row per transformation */
}

static void
test_vector_formats (Fixture *f, gconstpointer unused)
{
  const char *names[] = { "slide.svg", "slide.pdf" };
  const char *magic[] = { "<?xml", "%PDF" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *args[] = {
        "plot",       f->data,       "--all-scalers", "--columns", "AveOccup,MedInc",
        "--color-by", "MedHouseVal", "--width",       "1920",      "--height",
        "1080",       "-o",          names[i],        NULL
      };
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);
      g_autofree char *contents = NULL;

      g_assert_cmpint (ns_test_run_cli (args, f->dir, NULL, NULL), ==, 0);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, magic[i]));
    }
}

typedef struct {
  const char *columns; /* NULL: no --columns */
  const char *color_by;
  const char *output;
  const char *message;
} Refusal;

/* Each refusal exits 2 with its reason, and the figure already there is left as it was. */
static void
test_refusals (Fixture *f, gconstpointer unused)
{
  const Refusal cases[] = {
    { "MedInc", NULL, "fig.png", "--columns: expected two column names A,B, found 'MedInc'" },
    { "MedInc,AveOccup,MedHouseVal", NULL, "fig.png", "expected two column names" },
    { "MedInc,", NULL, "fig.png", "expected two column names" },
    { NULL, NULL, "fig.png", "missing required option --columns" },
    { "MedInc,nope", NULL, "fig.png", "housing-like.csv: no column named 'nope'" },
    { "region,AveOccup", NULL, "fig.png", "housing-like.csv: column 'region' holds labels" },
    { "MedInc,AveOccup", "shade", "fig.png", "housing-like.csv: no column named 'shade'" },
    { "MedInc,AveOccup", NULL, "fig.jpg", "fig.jpg" },
  };
  g_autofree char *figure = g_build_filename (f->dir, "fig.png", NULL);

  g_assert_true (g_file_set_contents (figure, "the user's figure", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autofree char *err = NULL, *contents = NULL;

      g_ptr_array_add (args, "plot");
      g_ptr_array_add (args, f->data);
      g_ptr_array_add (args, "--all-scalers");
      if (cases[i].columns != NULL)
        g_ptr_array_add (args, "--columns"), g_ptr_array_add (args, (gpointer) cases[i].columns);
      if (cases[i].color_by != NULL)
        g_ptr_array_add (args, "--color-by"), g_ptr_array_add (args, (gpointer) cases[i].color_by);
      g_ptr_array_add (args, "-o");
      g_ptr_array_add (args, (gpointer) cases[i].output);
      g_ptr_array_add (args, NULL);
      g_assert_cmpint (ns_test_run_cli ((const char *const *) args->pdata, f->dir, NULL, &err), ==,
                       2);
      if (strstr (err, cases[i].message) == NULL)
        g_error ("case %u: expected '%s' in: %s", i, cases[i].message, err);
      g_assert_true (g_file_get_contents (figure, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "the user's figure");
    }
}

static void
test_help (Fixture *f, gconstpointer unused)
{
  const char *plot[] = { "plot", "--help", NULL };
  const char *all[] = { "plot", "--all-scalers", "--help", NULL };
  g_autofree char *plot_out = NULL, *all_out = NULL;

  g_assert_cmpint (ns_test_run_cli (plot, NULL, &plot_out, NULL), ==, 0);
  g_assert_nonnull (strstr (plot_out, "--all-scalers"));
  g_assert_cmpint (ns_test_run_cli (all, NULL, &all_out, NULL), ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (
      strstr (all_out, (const char *[]) { "--columns", "--color-by", "--width" }[i]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/all-scalers/png-default-size", Fixture, NULL, fixture_setup,
              test_png_default_size, fixture_teardown);
  g_test_add ("/cli/all-scalers/vector-formats", Fixture, NULL, fixture_setup, test_vector_formats,
              fixture_teardown);
  g_test_add ("/cli/all-scalers/refusals", Fixture, NULL, fixture_setup, test_refusals,
              fixture_teardown);
  g_test_add ("/cli/all-scalers/help", Fixture, NULL, fixture_setup, test_help, fixture_teardown);
  return g_test_run ();
}
