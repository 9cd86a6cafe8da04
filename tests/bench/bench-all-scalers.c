/* bench-all-scalers.c: the all-scalers figure for 1,000,000 rows: 10 rows x 2 scatter panels built
 * and drawn offscreen (budget 2 s), beside the core's own fits of those rows.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <time.h>
#include "core/ns-all-scalers.h"

#define N_POINTS 1000000
#define N_ROWS 10
#define WIDTH 1600
#define REPEATS 3

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *times, guint n)
{
  qsort (times, n, sizeof (double), compare_doubles);
  return times[n / 2];
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* CPU time of every thread of the process, in ms: what a busy shared machine does not inflate. */
static double
cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

/* Income-like and occupancy-like columns (a few huge outliers) and a target to colour by. */
static NsDataset *
make_dataset (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  NsDataset *data = ns_dataset_new_table (N_POINTS);
  double *income = g_new (double, N_POINTS), *occupancy = g_new (double, N_POINTS);
  double *target = g_new (double, N_POINTS);

  for (gsize i = 0; i < N_POINTS; i++)
    {
      income[i] = gsl_ran_lognormal (rng, 1.25, 0.45);
      occupancy[i] = 0.7 + gsl_ran_gamma (rng, 6.0, 0.5) +
                     (gsl_rng_uniform (rng) < 1e-3 ? gsl_rng_uniform (rng) * 1200 : 0);
      target[i] = 0.45 * income[i] + gsl_ran_gaussian (rng, 0.6);
    }
  gsl_rng_free (rng);
  ns_dataset_add_numeric_column (data, "income", income);
  ns_dataset_add_numeric_column (data, "occupancy", occupancy);
  ns_dataset_add_numeric_column (data, "target", target);
  ns_dataset_count_missing (data);
  return data;
}

/* N_ROWS rows (the core's rows, repeated), as a figure of already-transformed rows gets them. */
static NsAllScalersPlot *
make_figure (const NsAllScalersPlot *fitted, const NsDataset *data, const double *const *x,
             const double *const *y)
{
  NsAllScalersPlot *plot = ns_all_scalers_plot_new ("income", "occupancy");
  guint n_fitted = ns_all_scalers_plot_get_n_rows (fitted);

  ns_all_scalers_plot_set_color (plot, "target", ns_dataset_get_values (data, 2), N_POINTS, NULL);
  for (guint r = 0; r < N_ROWS; r++)
    ns_all_scalers_plot_add_row (plot, ns_all_scalers_plot_row_get_title (fitted, r % n_fitted),
                                 x[r % 2], y[r % 2], N_POINTS);
  return plot;
}

int
main (void)
{
  g_autoptr (NsDataset) data = make_dataset ();
  g_autoptr (NsAllScalersPlot) fitted = NULL;
  double fit[REPEATS], build[REPEATS], draw[REPEATS], png[REPEATS], total;
  double build_cpu[REPEATS], draw_cpu[REPEATS];
  const double *x[2], *y[2];
  g_autofree double *x_log = g_new (double, N_POINTS), *y_log = g_new (double, N_POINTS);
  double height = 0;

  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&fitted, ns_all_scalers_plot_free);
      fitted = ns_all_scalers_compute (data, "income", "occupancy", "target", 0, NULL, NULL);
      fit[r] = elapsed_ms (start);
    }
  x[0] = ns_dataset_get_values (data, 0), y[0] = ns_dataset_get_values (data, 1);
  for (gsize i = 0; i < N_POINTS; i++)
    x_log[i] = log (x[0][i]), y_log[i] = log (y[0][i]);
  x[1] = x_log, y[1] = y_log;
  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu = cpu_ms ();
      g_autoptr (NsAllScalersPlot) plot = make_figure (fitted, data, x, y);
      cairo_surface_t *surface;
      cairo_t *cr;
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), "bench-all-scalers.png", NULL);

      build[r] = elapsed_ms (start);
      build_cpu[r] = cpu_ms () - cpu;
      height = ns_all_scalers_plot_default_height (plot, WIDTH);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, (int) height);
      cr = cairo_create (surface);
      start = g_get_monotonic_time ();
      cpu = cpu_ms ();
      ns_all_scalers_plot_draw (plot, cr, WIDTH, height);
      cairo_surface_flush (surface);
      draw[r] = elapsed_ms (start);
      draw_cpu[r] = cpu_ms () - cpu;
      start = g_get_monotonic_time ();
      g_assert_true (
        ns_all_scalers_plot_save (plot, path, NS_PLOT_FORMAT_PNG, WIDTH, height, NULL));
      png[r] = elapsed_ms (start);
      g_unlink (path);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  total = median (build, REPEATS) + median (draw, REPEATS);
  printf ("all-scalers: %d points x %d rows x 2 panels, %dx%.0f, median of %d\n", N_POINTS, N_ROWS,
          WIDTH, height, REPEATS);
  printf ("  fit + transform the %u rows of the table            %8.1f ms\n",
          ns_all_scalers_get_n_rows (), median (fit, REPEATS));
  printf ("  build the figure (percentiles, mask, histograms)    %8.1f ms   (CPU of all threads "
          "%.1f ms)\n",
          median (build, REPEATS), median (build_cpu, REPEATS));
  printf ("  draw offscreen (rasterized points, all panels)      %8.1f ms   (CPU of all threads "
          "%.1f ms)\n",
          median (draw, REPEATS), median (draw_cpu, REPEATS));
  printf ("  build + draw                                        %8.1f ms   (budget 2000 ms: %s)\n",
          total, total < 2000 ? "ok" : "OVER");
  printf ("  save as PNG (draw + encode + write)                 %8.1f ms\n",
          median (png, REPEATS));
  return 0;
}
