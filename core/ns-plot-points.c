/* ns-plot-points.c: scatter points rasterized onto a pixel grid (counts, then disc coverage).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-points.h"

#include <math.h>

#define NS_PLOT_POINTS_LUT 256

void
ns_plot_points_colormap (double t, gboolean dark, double rgb[3])
{
  /* Green (2011), Bull. Astr. Soc. India 39, 289: the rotation of the colour about the grey line.
   */
  const double start = 0.5, rotations = -1.5, hue = 1.4;
  double lightness = dark ? 0.35 + 0.57 * CLAMP (t, 0.0, 1.0) : 0.72 - 0.62 * CLAMP (t, 0.0, 1.0);
  double angle = 2 * M_PI * (start / 3 + 1 + rotations * lightness);
  double amplitude = hue * lightness * (1 - lightness) / 2;
  double c = cos (angle), s = sin (angle);

  rgb[0] = CLAMP (lightness + amplitude * (-0.14861 * c + 1.78277 * s), 0.0, 1.0);
  rgb[1] = CLAMP (lightness + amplitude * (-0.29227 * c - 0.90649 * s), 0.0, 1.0);
  rgb[2] = CLAMP (lightness + amplitude * (1.97294 * c), 0.0, 1.0);
}

/* Points per pixel, and the sum of their colour values (NaN: the plain colour, counted apart). */
static void
ns_plot_points_count (const NsPlotPoints *p, int width, int height, float *count, float *sum,
                      float *plain)
{
  double sx = width / (p->x_hi - p->x_lo), sy = height / (p->y_hi - p->y_lo);

  for (gsize i = 0; i < p->n; i++)
    {
      double fx = (p->x[i] - p->x_lo) * sx, fy = (p->y_hi - p->y[i]) * sy;
      gsize cell;

      if (!(fx >= 0 && fx < width && fy >= 0 && fy < height))
        continue;
      cell = (gsize) fy * width + (gsize) fx;
      if (p->color != NULL && !isnan (p->color[i]))
        {
          count[cell] += 1;
          sum[cell] += p->color[i];
        }
      else
        plain[cell] += 1;
    }
}

/* The pixel offsets a disc of the radius covers. */
static guint
ns_plot_points_disc (double radius, int *dx, int *dy, guint max)
{
  int reach = (int) ceil (radius);
  guint n = 0;

  for (int y = -reach; y <= reach; y++)
    for (int x = -reach; x <= reach; x++)
      if (x * x + y * y <= (radius + 0.5) * (radius + 0.5) && n < max)
        dx[n] = x, dy[n++] = y;
  return n;
}

static guint32
ns_plot_points_pixel (double coloured, double color_sum, double plain, double alpha,
                      const double lut[][3], const double rgb[3])
{
  double k = coloured + plain, opacity, mix[3];
  guint32 pixel;

  if (k == 0)
    return 0;
  opacity = 1 - pow (1 - alpha, k);
  for (int c = 0; c < 3; c++)
    {
      double mapped =
        coloured > 0 ? lut[(int) (color_sum / coloured * (NS_PLOT_POINTS_LUT - 1) + 0.5)][c] : 0;
      mix[c] = (mapped * coloured + rgb[c] * plain) / k;
    }
  pixel = (guint32) (opacity * 255 + 0.5) << 24;
  for (int c = 0; c < 3; c++)
    pixel |= (guint32) (mix[c] * opacity * 255 + 0.5) << (16 - 8 * c);
  return pixel;
}

/* Every pixel gathers the counts of the pixels its disc reaches. */
static void
ns_plot_points_compose (const NsPlotPoints *p, int width, int height, const float *count,
                        const float *sum, const float *plain, guint32 *pixels, int stride)
{
  double lut[NS_PLOT_POINTS_LUT][3];
  int dx[64], dy[64];
  guint taps = ns_plot_points_disc (p->radius, dx, dy, G_N_ELEMENTS (dx));

  for (guint i = 0; i < NS_PLOT_POINTS_LUT; i++)
    ns_plot_points_colormap ((double) i / (NS_PLOT_POINTS_LUT - 1), p->dark, lut[i]);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double k = 0, s = 0, q = 0;

        for (guint t = 0; t < taps; t++)
          {
            int xx = x + dx[t], yy = y + dy[t];
            gsize cell;

            if (xx < 0 || yy < 0 || xx >= width || yy >= height)
              continue;
            cell = (gsize) yy * width + xx;
            k += count[cell], s += sum[cell], q += plain[cell];
          }
        pixels[(gsize) y * (stride / 4) + x] =
          ns_plot_points_pixel (k, s, q, p->alpha, lut, p->rgb);
      }
}

cairo_surface_t *
ns_plot_points_rasterize (const NsPlotPoints *points, int width, int height)
{
  cairo_surface_t *surface;
  gsize cells;
  g_autofree float *count = NULL, *sum = NULL, *plain = NULL;

  width = MAX (width, 1), height = MAX (height, 1);
  cells = (gsize) width * height;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  count = g_new0 (float, cells);
  sum = g_new0 (float, cells);
  plain = g_new0 (float, cells);
  if (points->x_hi > points->x_lo && points->y_hi > points->y_lo)
    ns_plot_points_count (points, width, height, count, sum, plain);
  cairo_surface_flush (surface);
  ns_plot_points_compose (points, width, height, count, sum, plain,
                          (guint32 *) cairo_image_surface_get_data (surface),
                          cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  return surface;
}
