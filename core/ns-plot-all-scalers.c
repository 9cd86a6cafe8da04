/* ns-plot-all-scalers.c: the all-scalers figure's data model: each row's points, np.histogram
 * marginals and the example's strict 0-99th percentile zoom mask.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-all-scalers-private.h"

#include <math.h>
#include "ns-quantile.h"
#include "ns-threads.h"

static void
ns_all_scalers_scatter_clear (NsAllScalersScatter *scatter)
{
  g_clear_pointer (&scatter->x, g_free);
  g_clear_pointer (&scatter->y, g_free);
  g_clear_pointer (&scatter->color, g_free);
  for (guint axis = 0; axis < 2; axis++)
    g_clear_pointer (&scatter->histogram[axis].counts, g_free);
}

static void
ns_all_scalers_row_free (gpointer data)
{
  NsAllScalersRow *row = data;

  g_free (row->title);
  g_free (row->error);
  for (guint p = 0; p < 2; p++)
    ns_all_scalers_scatter_clear (&row->panel[p]);
  g_free (row->out_x);
  g_free (row->out_y);
  g_free (row);
}

NsAllScalersPlot *
ns_all_scalers_plot_new (const char *x_label, const char *y_label)
{
  NsAllScalersPlot *self = g_new0 (NsAllScalersPlot, 1);

  self->x_label = g_strdup (x_label);
  self->y_label = g_strdup (y_label);
  self->paint_background = TRUE;
  self->rows = g_ptr_array_new_with_free_func (ns_all_scalers_row_free);
  return self;
}

void
ns_all_scalers_plot_free (NsAllScalersPlot *self)
{
  if (self == NULL)
    return;
  g_free (self->x_label);
  g_free (self->y_label);
  g_free (self->color_label);
  g_free (self->color);
  g_strfreev (self->category_names);
  g_ptr_array_unref (self->rows);
  g_free (self);
}

void
ns_all_scalers_plot_set_color (NsAllScalersPlot *self, const char *label, const double *values,
                               gsize n, const char *const *category_names)
{
  g_return_if_fail (self->rows->len == 0);
  g_free (self->color_label);
  g_free (self->color);
  g_strfreev (self->category_names);
  self->color_label = g_strdup (label);
  self->color = g_memdup2 (values, n * sizeof (double));
  self->n_color = n;
  self->category_names = g_strdupv ((char **) category_names);
  self->color_lo = INFINITY;
  self->color_hi = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        self->color_lo = MIN (self->color_lo, values[i]);
        self->color_hi = MAX (self->color_hi, values[i]);
      }
}

void
ns_all_scalers_plot_set_dark (NsAllScalersPlot *self, gboolean dark)
{
  self->dark = dark;
}

void
ns_all_scalers_plot_set_paint_background (NsAllScalersPlot *self, gboolean paint)
{
  self->paint_background = paint;
}

/* The colour of point i in [0, 1] (minmax_scale of the colour variable), NaN when it has none. */
static double
ns_all_scalers_color_of (const NsAllScalersPlot *self, gsize i)
{
  double span = self->color_hi - self->color_lo;

  if (!isfinite (self->color[i]))
    return NAN;
  return span > 0 ? (self->color[i] - self->color_lo) / span : 0.0;
}

static void
ns_all_scalers_scatter_alloc (NsAllScalersScatter *scatter, gsize n, gboolean with_color)
{
  scatter->x = g_new (double, MAX (n, 1));
  scatter->y = g_new (double, MAX (n, 1));
  scatter->color = with_color ? g_new (double, MAX (n, 1)) : NULL;
  scatter->n = 0;
}

static void
ns_all_scalers_scatter_push (NsAllScalersScatter *scatter, double x, double y, double color)
{
  scatter->x[scatter->n] = x;
  scatter->y[scatter->n] = y;
  if (scatter->color)
    scatter->color[scatter->n] = color;
  scatter->n++;
}

/* np.histogram's uniform bins: edges from np.linspace, indices corrected against the edges. */
static void
ns_all_scalers_histogram_fill (NsAllScalersHistogram *h, guint n_bins, const double *values,
                               gsize n, double lo, double hi)
{
  double step, norm;

  if (lo == hi)
    lo -= 0.5, hi += 0.5;
  h->n_bins = n_bins;
  h->lo = lo;
  h->hi = hi;
  h->counts = g_new0 (guint64, n_bins);
  step = (hi - lo) / n_bins;
  norm = n_bins / (hi - lo);
  for (gsize i = 0; i < n; i++)
    {
      long bin = (long) ((values[i] - lo) * norm);

      if (bin == (long) n_bins)
        bin--;
      if (values[i] < bin * step + lo)
        bin--;
      else if (bin + 1 < (long) n_bins && values[i] >= (bin + 1) * step + lo)
        bin++;
      h->counts[bin]++;
    }
}

/* One coordinate of a scatter: its extent, its marginal histogram and, for the full data, the
 * zoom's cut-offs (np.percentile 0 is the minimum; 99 by selection). */
typedef struct {
  NsAllScalersScatter *scatter;
  guint n_bins;
  gboolean cut;
  double lo[2], hi[2], cut_hi[2];
} NsAllScalersAxesJob;

static void
ns_all_scalers_axis_worker (guint axis, gpointer data)
{
  NsAllScalersAxesJob *job = data;
  NsAllScalersScatter *scatter = job->scatter;
  const double *coords = axis == 0 ? scatter->x : scatter->y;
  const double p99 = 0.99;
  double lo = INFINITY, hi = -INFINITY;

  for (gsize i = 0; i < scatter->n; i++)
    {
      lo = MIN (lo, coords[i]);
      hi = MAX (hi, coords[i]);
    }
  job->lo[axis] = lo, job->hi[axis] = hi;
  if (scatter->n == 0)
    return;
  ns_all_scalers_histogram_fill (&scatter->histogram[axis], job->n_bins, coords, scatter->n, lo,
                                 hi);
  if (job->cut)
    ns_quantiles (coords, scatter->n, 1, &p99, 1, &job->cut_hi[axis]);
}

/* Both coordinates, each on its own thread when there is a second core and enough points. */
static void
ns_all_scalers_scatter_finish (NsAllScalersScatter *scatter, guint n_bins, NsAllScalersZoom *cut)
{
  NsAllScalersAxesJob job = { scatter, n_bins, cut != NULL };

  if (ns_threads_resolve (0) > 1 && scatter->n > 10000)
    ns_threads_run (2, ns_all_scalers_axis_worker, &job);
  else
    for (guint axis = 0; axis < 2; axis++)
      ns_all_scalers_axis_worker (axis, &job);
  scatter->x_lo = job.lo[0], scatter->x_hi = job.hi[0];
  scatter->y_lo = job.lo[1], scatter->y_hi = job.hi[1];
  if (cut != NULL)
    {
      cut->x_lo = job.lo[0], cut->x_hi = job.cut_hi[0];
      cut->y_lo = job.lo[1], cut->y_hi = job.cut_hi[1];
    }
}

void
_ns_all_scalers_zoom_sides (const NsAllScalersZoom *zoom, double x, double y,
                            gboolean sides[NS_ALL_SCALERS_N_SIDES])
{
  sides[NS_ALL_SCALERS_LEFT] = zoom->whole[0] ? x < zoom->x_lo : x <= zoom->x_lo;
  sides[NS_ALL_SCALERS_RIGHT] = zoom->whole[0] ? x > zoom->x_hi : x >= zoom->x_hi;
  sides[NS_ALL_SCALERS_BOTTOM] = zoom->whole[1] ? y < zoom->y_lo : y <= zoom->y_lo;
  sides[NS_ALL_SCALERS_TOP] = zoom->whole[1] ? y > zoom->y_hi : y >= zoom->y_hi;
}

/* Whether no value lies strictly between lo and hi. */
static gboolean
ns_all_scalers_none_inside (const double *values, gsize n, double lo, double hi)
{
  for (gsize i = 0; i < n; i++)
    if (values[i] > lo && values[i] < hi)
      return FALSE;
  return TRUE;
}

/* The example's mask, strict on both sides: X > lower cut-offs and X < upper ones, but for a
 * coordinate that would keep nothing so. */
static void
ns_all_scalers_row_zoom (NsAllScalersRow *row)
{
  const NsAllScalersScatter *full = &row->panel[NS_ALL_SCALERS_FULL];
  NsAllScalersScatter *zoom = &row->panel[NS_ALL_SCALERS_ZOOM];
  NsAllScalersZoom *z = &row->zoom;

  z->whole[0] = ns_all_scalers_none_inside (full->x, full->n, z->x_lo, z->x_hi);
  z->whole[1] = ns_all_scalers_none_inside (full->y, full->n, z->y_lo, z->y_hi);
  ns_all_scalers_scatter_alloc (zoom, full->n, full->color != NULL);
  row->out_x = g_new (double, MAX (full->n, 1));
  row->out_y = g_new (double, MAX (full->n, 1));
  for (gsize i = 0; i < full->n; i++)
    {
      double x = full->x[i], y = full->y[i];
      gboolean sides[NS_ALL_SCALERS_N_SIDES], out = FALSE;

      _ns_all_scalers_zoom_sides (z, x, y, sides);
      for (guint s = 0; s < NS_ALL_SCALERS_N_SIDES; s++)
        if (sides[s])
          z->beyond[s]++, out = TRUE;
      if (!out)
        ns_all_scalers_scatter_push (zoom, x, y, full->color ? full->color[i] : NAN);
      else
        {
          row->out_x[row->n_out] = x;
          row->out_y[row->n_out++] = y;
        }
    }
  z->kept = zoom->n;
  ns_all_scalers_scatter_finish (zoom, NS_ALL_SCALERS_ZOOM_BINS, NULL);
}

guint
ns_all_scalers_plot_add_row (NsAllScalersPlot *self, const char *title, const double *x,
                             const double *y, gsize n)
{
  NsAllScalersRow *row;
  NsAllScalersScatter *full;

  g_return_val_if_fail (self->color == NULL || self->n_color == n, 0);
  row = g_new0 (NsAllScalersRow, 1);
  full = &row->panel[NS_ALL_SCALERS_FULL];
  row->title = g_strdup (title);
  ns_all_scalers_scatter_alloc (full, n, self->color != NULL);
  for (gsize i = 0; i < n; i++)
    if (isfinite (x[i]) && isfinite (y[i]))
      ns_all_scalers_scatter_push (full, x[i], y[i],
                                   self->color ? ns_all_scalers_color_of (self, i) : NAN);
  ns_all_scalers_scatter_finish (full, NS_ALL_SCALERS_FULL_BINS, &row->zoom);
  if (full->n == 0)
    row->error = g_strdup ("no point has two finite coordinates");
  else
    ns_all_scalers_row_zoom (row);
  g_ptr_array_add (self->rows, row);
  return self->rows->len - 1;
}

guint
ns_all_scalers_plot_add_failed_row (NsAllScalersPlot *self, const char *title, const char *reason)
{
  NsAllScalersRow *row = g_new0 (NsAllScalersRow, 1);

  row->title = g_strdup (title);
  row->error = g_strdup (reason);
  g_ptr_array_add (self->rows, row);
  return self->rows->len - 1;
}

guint
ns_all_scalers_plot_get_n_rows (const NsAllScalersPlot *self)
{
  return self->rows->len;
}

static const NsAllScalersRow *
ns_all_scalers_plot_row (const NsAllScalersPlot *self, guint row)
{
  g_return_val_if_fail (row < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, row);
}

const char *
ns_all_scalers_plot_row_get_title (const NsAllScalersPlot *self, guint row)
{
  return ns_all_scalers_plot_row (self, row)->title;
}

const char *
ns_all_scalers_plot_row_get_error (const NsAllScalersPlot *self, guint row)
{
  return ns_all_scalers_plot_row (self, row)->error;
}

gsize
ns_all_scalers_plot_row_get_count (const NsAllScalersPlot *self, guint row)
{
  return ns_all_scalers_plot_row (self, row)->panel[NS_ALL_SCALERS_FULL].n;
}

void
ns_all_scalers_plot_row_get_zoom (const NsAllScalersPlot *self, guint row, NsAllScalersZoom *zoom)
{
  *zoom = ns_all_scalers_plot_row (self, row)->zoom;
}

const guint64 *
ns_all_scalers_plot_row_get_histogram (const NsAllScalersPlot *self, guint row,
                                       NsAllScalersPanel panel, guint axis, guint *n_bins,
                                       double *lo, double *hi)
{
  const NsAllScalersHistogram *h;

  g_return_val_if_fail (axis < 2, NULL);
  h = &ns_all_scalers_plot_row (self, row)->panel[panel].histogram[axis];
  *n_bins = h->n_bins;
  *lo = h->lo;
  *hi = h->hi;
  return h->counts;
}
