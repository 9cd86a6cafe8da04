/* test-plot-thumbnail.c: the overview's small multiple draws its text and lines text_scale times
 * their size (presentation mode), measured in the rendered pixels.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <cairo.h>
#include <math.h>

#include "ns-plot-thumbnail.h"

#define WIDTH 360
#define HEIGHT 128

typedef struct {
  int fence_width; /* columns of the dashed fence line between the two bars */
  int text_rows;   /* rows with ink below the axis: the range's ends */
} NsThumbnailInk;

/* Inked pixels of row y from column x0 to x1 (excluded). */
static int
row_ink (cairo_surface_t *surface, int y, int x0, int x1)
{
  const guint32 *row =
    (const guint32 *) (const void *) (cairo_image_surface_get_data (surface) +
                                      y * cairo_image_surface_get_stride (surface));
  int ink = 0;

  for (int x = x0; x < x1; x++)
    ink += (row[x] >> 24) > 0x40;
  return ink;
}

/* The most ink in a row of the middle columns, above the axis at row bottom. */
static int
fence_width (cairo_surface_t *surface, int bottom)
{
  int widest = 0;

  for (int y = bottom / 4; y < bottom * 3 / 4; y++)
    widest = MAX (widest, row_ink (surface, y, WIDTH / 4, WIDTH * 3 / 4));
  return widest;
}

static NsThumbnailInk
measure (double text_scale)
{
  g_autofree double *values = g_new (double, 1000);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  NsPlotData *data;
  NsThumbnailInk ink = { 0, 0 };
  int y = HEIGHT - 1;

  /* Two bars at the ends: between them only the fence at 0.5 is drawn. */
  for (int i = 0; i < 1000; i++)
    values[i] = i % 2;
  data = ns_plot_data_new (values, 1000, NULL);
  ns_plot_draw_thumbnail (data, 0, 1, NS_STRATEGY_STANDARD, 0.5, NAN, FALSE, text_scale, cr, WIDTH,
                          HEIGHT);
  cairo_surface_flush (surface);
  /* From the bottom: the text, then the axis line (ink across nearly the whole width). */
  for (; y >= 0 && row_ink (surface, y, 0, WIDTH) < WIDTH * 9 / 10; y--)
    ink.text_rows += row_ink (surface, y, 0, WIDTH) > 0;
  ink.fence_width = fence_width (surface, y);
  ns_plot_data_free (data);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return ink;
}

static void
test_text_and_lines_scale (void)
{
  NsThumbnailInk plain = measure (1), doubled = measure (2);

  g_test_message ("fence %d -> %d columns, text %d -> %d rows", plain.fence_width,
                  doubled.fence_width, plain.text_rows, doubled.text_rows);
  g_assert_cmpint (plain.fence_width, >=, 1);
  g_assert_cmpint (doubled.fence_width, ==, 2 * plain.fence_width);
  g_assert_cmpint (plain.text_rows, >, 4);
  g_assert_cmpint (doubled.text_rows, >=, plain.text_rows * 17 / 10);
  g_assert_cmpint (doubled.text_rows, <=, plain.text_rows * 23 / 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot-thumbnail/text-and-lines-scale", test_text_and_lines_scale);
  return g_test_run ();
}
