/* ns-plot-save.c: figure export to PNG, SVG and PDF through cairo surfaces, written atomically.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-plot-private.h"

#include <math.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include "ns-error.h"
#include "ns-output.h"

typedef struct {
  NsOutput *output;
  GError *error;
} NsPlotStream;

static cairo_status_t
ns_plot_stream_write (void *closure, const unsigned char *data, unsigned int length)
{
  NsPlotStream *stream = closure;

  if (stream->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!ns_output_write (stream->output, data, length, &stream->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
ns_plot_create_surface (NsPlotFormat format, NsPlotStream *stream, double width, double height)
{
  switch (format)
    {
    case NS_PLOT_FORMAT_SVG:
      return cairo_svg_surface_create_for_stream (ns_plot_stream_write, stream, width, height);
    case NS_PLOT_FORMAT_PDF:
      return cairo_pdf_surface_create_for_stream (ns_plot_stream_write, stream, width, height);
    case NS_PLOT_FORMAT_PNG:
    default:
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width),
                                         (int) ceil (height));
    }
}

gboolean
ns_plot_render_to_file (const char *path, NsPlotFormat format, double width, double height,
                        NsPlotDrawFunc draw, gpointer data, GError **error)
{
  NsPlotStream stream = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (width >= 1 && height >= 1, FALSE);
  stream.output = ns_output_open (path, error);
  if (stream.output == NULL)
    return FALSE;
  surface = ns_plot_create_surface (format, &stream, width, height);
  cr = cairo_create (surface);
  draw (cr, width, height, data);
  cairo_destroy (cr);
  if (format == NS_PLOT_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, ns_plot_stream_write, &stream);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (stream.error != NULL)
    {
      ns_output_abort (stream.output);
      g_propagate_error (error, stream.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      ns_output_abort (stream.output);
      g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: cannot draw the figure: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return ns_output_commit (stream.output, error);
}

static void
ns_plot_draw_for_file (cairo_t *cr, double width, double height, gpointer data)
{
  NsPlot *self = data;
  gboolean dark = self->dark, paint = self->paint_background;

  /* Figures for papers and slides: light style on white, whatever the window shows. */
  self->dark = FALSE;
  self->paint_background = TRUE;
  ns_plot_draw (self, cr, width, height);
  self->dark = dark;
  self->paint_background = paint;
}

gboolean
ns_plot_save (NsPlot *self, const char *path, NsPlotFormat format, double width, double height,
              GError **error)
{
  return ns_plot_render_to_file (path, format, width, height, ns_plot_draw_for_file, self, error);
}
