/* test-axis-explorer.c: the axis explorer (ns-axis-explorer) against normalize's own kernel on the
 * whole tensor, its batch-size sweep, its figure (rendered, the pooled cells counted) and
 * `normscope-cli plot --axis-explorer` end to end.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "core/ns-axis-explorer.h"
#include "core/ns-layer-norm.h"
#include "core/ns-plot-axis-explorer.h"
#include "core/ns-reader.h"
#include "test-utils.h"

static char *tmp_dir;

static char *
data_path (const char *name)
{
  const char *dir = g_getenv ("NS_TEST_DATA");

  return g_build_filename (dir != NULL ? dir : "tests/data", name, NULL);
}

static const char *
source_root (void)
{
  const char *root = g_getenv ("NS_SOURCE_ROOT");

  return root != NULL ? root : ".";
}

static NsDataset *
load (const char *name, const char *axis)
{
  g_autofree char *path = data_path (name);

  return ns_test_load_dataset (path, axis);
}

static NsAxisExplorer *
explore (const NsDataset *data, const NsAxisExplorerOptions *o)
{
  g_autoptr (GError) error = NULL;
  NsAxisExplorer *explorer = ns_axis_explorer_new (data, o, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (explorer);
  return explorer;
}

/* normalize's result on the whole tensor, channel c of each sample, for (N, C, H, W) data. */
static double *
whole_output (const char *name, NsLayerNormKind kind, const NsAxisExplorerOptions *eo, gsize *n)
{
  NsLayerNormOptions o;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) data = NULL;
  g_autoptr (NsLayerNorm) norm = NULL;
  g_autofree char *axis = NULL;
  const gsize *shape;
  gsize N, C, S;
  double *out;

  ns_layer_norm_options_init (&o, kind);
  o.groups = kind == NS_LAYER_NORM_GROUP ? eo->groups : 0;
  o.batch_size = kind == NS_LAYER_NORM_BATCH ? eo->batch_size : 0;
  axis = g_strdup (kind == NS_LAYER_NORM_BATCH ? "1" : "none");
  data = load (name, axis);
  norm = ns_layer_norm_apply (data, &o, &error);
  g_assert_no_error (error);
  shape = ns_dataset_get_shape (data);
  N = shape[0], C = shape[1], S = shape[2] * shape[3];
  *n = N * S;
  out = g_new (double, *n);
  for (gsize s = 0; s < N; s++)
    memcpy (out + s * S,
            kind == NS_LAYER_NORM_BATCH
              ? ns_dataset_get_values (data, eo->channel) + s * S
              : ns_dataset_get_values (data, 0) + (s * C + eo->channel) * S,
            S * sizeof (double));
  return out;
}

/* Each kind's output of the shown channel is normalize's on the whole tensor, bit for bit. */
static void
test_outputs_are_normalize (void)
{
  g_autoptr (NsDataset) data = load ("pernorm/nchw.npy", "none");
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) explorer = NULL;

  ns_axis_explorer_options_init (&o);
  o.channel = 4;
  o.groups = 3;
  o.batch_size = 2;
  explorer = explore (data, &o);
  g_assert_cmpuint (ns_axis_explorer_get_n_channels (explorer), ==, 6);
  g_assert_cmpuint (ns_axis_explorer_get_spatial (explorer), ==, 20);
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      gsize n, n_expected;
      const double *got = ns_axis_explorer_get_output (explorer, k, &n);
      g_autofree double *expected = whole_output ("pernorm/nchw.npy", k, &o, &n_expected);

      g_test_message ("kind %s", ns_layer_norm_kind_to_string (k));
      g_assert_null (ns_axis_explorer_get_refusal (explorer, k));
      g_assert_cmpuint (n, ==, n_expected);
      g_assert_cmpmem (got, n * sizeof (double), expected, n * sizeof (double));
    }
}

/* The raw channel and the instance-norm means are the channel's own values and their means. */
static void
test_raw_and_means (void)
{
  g_autoptr (NsDataset) data = load ("pernorm/nhwc.npy", "none");
  const double *x = ns_dataset_get_values (data, 0);
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  const double *raw, *mean;
  gsize n;

  ns_axis_explorer_options_init (&o);
  o.channel_axis = -1; /* (3, 4, 5, 6): channels last */
  o.channel = 5;
  explorer = explore (data, &o);
  g_assert_cmpuint (ns_axis_explorer_get_n_channels (explorer), ==, 6);
  raw = ns_axis_explorer_get_raw (explorer, &n);
  g_assert_cmpuint (n, ==, 3 * 20);
  mean = ns_axis_explorer_get_sample_mean (explorer, NS_LAYER_NORM_INSTANCE);
  for (gsize s = 0; s < 3; s++)
    {
      double sum = 0;

      for (gsize p = 0; p < 20; p++)
        {
          g_assert_cmpfloat (raw[s * 20 + p], ==, x[(s * 20 + p) * 6 + 5]);
          sum += raw[s * 20 + p];
        }
      g_assert_cmpfloat_with_epsilon (mean[s], sum / 20, 1e-12 * (1 + fabs (mean[s])));
    }
  g_assert_null (ns_axis_explorer_get_sample_mean (explorer, NS_LAYER_NORM_RMS));
  /* Batch norm's mean is its batch's: samples 0 and 1 share one, sample 2 has its own. */
  mean = ns_axis_explorer_get_sample_mean (explorer, NS_LAYER_NORM_BATCH);
  g_assert_cmpfloat (mean[0], ==, mean[1]);
  g_assert_cmpfloat (mean[1], !=, mean[2]);
}

/* Group norm's output never moves with the batch; batch norm's does, except at B = N. */
static void
test_sweep (void)
{
  g_autoptr (NsDataset) data = load ("pernorm/ncl.npy", "none");
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  const double *bn, *gn;
  gsize n_bn, n_gn;

  ns_axis_explorer_options_init (&o);
  o.groups = 2;
  explorer = explore (data, &o);
  bn = ns_axis_explorer_get_sweep (explorer, NS_LAYER_NORM_BATCH, &n_bn);
  gn = ns_axis_explorer_get_sweep (explorer, NS_LAYER_NORM_GROUP, &n_gn);
  g_assert_cmpuint (n_bn, ==, 4); /* B = 1 .. N */
  g_assert_cmpuint (n_gn, ==, 4);
  for (gsize b = 0; b < 4; b++)
    g_assert_cmpfloat (gn[b], ==, 0);
  for (gsize b = 0; b < 3; b++)
    g_assert_cmpfloat (bn[b], >, 0.01);
  g_assert_cmpfloat (bn[3], ==, 0);
  g_assert_null (ns_axis_explorer_get_sweep (explorer, NS_LAYER_NORM_LAYER, &n_bn));
}

/* A table is (N, C): instance norm has one value per sample and channel and is left out. */
static void
test_table (void)
{
  g_autofree char *path = g_build_filename (source_root (), "data", "iris.csv", NULL);
  g_autoptr (GError) error = NULL;
  NsReadOptions read_options;
  g_autoptr (NsDataset) data = NULL;
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  gsize n;

  ns_read_options_init (&read_options);
  data = ns_dataset_load (path, &read_options, NULL, &error);
  g_assert_no_error (error);
  ns_axis_explorer_options_init (&o);
  explorer = explore (data, &o);
  g_assert_cmpuint (ns_axis_explorer_get_n_channels (explorer), ==, 4);
  g_assert_cmpuint (ns_axis_explorer_get_spatial (explorer), ==, 1);
  g_assert_cmpuint (ns_axis_explorer_get_options (explorer)->groups, ==, 2);
  g_assert_nonnull (strstr (ns_axis_explorer_get_refusal (explorer, NS_LAYER_NORM_INSTANCE),
                            "more than one value per sample and channel"));
  g_assert_null (ns_axis_explorer_get_output (explorer, NS_LAYER_NORM_INSTANCE, &n));
  g_assert_nonnull (ns_axis_explorer_get_output (explorer, NS_LAYER_NORM_GROUP, &n));
}

/* The table's figure says, in the outputs and the means panels' legends, why instance norm has no
 * curve, rather than leaving it out silently. */
static void
test_table_legend (void)
{
  g_autofree char *path = g_build_filename (source_root (), "data", "iris.csv", NULL);
  const char *note = "instance: none, 1 value per N, C";
  g_autoptr (NsDataset) data = ns_test_load_dataset (path, NULL);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (NsPlotSeries) series = NULL;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  NsAxisExplorerOptions o;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1400, 800);
  cairo_t *cr = cairo_create (surface);
  guint shown = 0;

  ns_axis_explorer_options_init (&o);
  explorer = explore (data, &o);
  series = ns_axis_figure_series (explorer);
  for (guint panel = 0; panel < 2; panel++)
    {
      int item = ns_plot_series_find_item (series, panel, note);

      g_assert_cmpint (item, >=, 0);
      g_assert_cmpint (ns_plot_series_item_get_kind (series, panel, item), ==, NS_SERIES_ITEM_NOTE);
    }
  ns_plot_record_texts (cr, texts);
  ns_axis_figure_draw (explorer, NS_LAYER_NORM_GROUP, FALSE, TRUE, cr, 1400, 800);
  ns_plot_record_texts (cr, NULL);
  for (guint i = 0; i < texts->len; i++)
    shown += g_strcmp0 (g_ptr_array_index (texts, i), note) == 0;
  g_assert_cmpuint (shown, ==, 2);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* A table with missing values: refused as normalize refuses it, or with skip_non_finite explored
 * on its finite rows. 149 rows leave a last batch of one row at B = 2: batch norm's sweep leaves
 * that row out instead of giving NaN. */
static void
test_table_missing (void)
{
  g_autoptr (NsDataset) data = ns_dataset_new_table (151);
  g_autoptr (NsAxisExplorer) explorer = NULL;
  g_autoptr (GError) error = NULL;
  NsAxisExplorerOptions o;
  const double *bn;
  gsize n_bn;

  for (guint c = 0; c < 4; c++)
    {
      double *x = g_new (double, 151);

      for (guint i = 0; i < 151; i++)
        x[i] = (c == 1 && i == 10) || (c == 3 && i == 99) ? NAN : sin (i * (c + 1.3)) + c;
      ns_dataset_add_numeric_column (data, c == 0 ? "a" : c == 1 ? "b" : c == 2 ? "c" : "d", x);
    }
  ns_dataset_count_missing (data);
  ns_axis_explorer_options_init (&o);
  g_assert_null (ns_axis_explorer_new (data, &o, NULL, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "2 of 151 samples hold a NaN"));
  o.skip_non_finite = TRUE;
  explorer = explore (data, &o);
  g_assert_cmpuint (ns_axis_explorer_get_n_skipped (explorer), ==, 2);
  g_assert_cmpuint (ns_axis_explorer_get_n_samples (explorer), ==, 149);
  bn = ns_axis_explorer_get_sweep (explorer, NS_LAYER_NORM_BATCH, &n_bn);
  for (gsize b = 1; b < n_bn; b++)
    g_assert_true (isfinite (bn[b]));
}

static void
assert_refused (const NsDataset *data, const NsAxisExplorerOptions *o, int code,
                const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsAxisExplorer) explorer = ns_axis_explorer_new (data, o, NULL, &error);

  g_assert_null (explorer);
  g_assert_error (error, NS_ERROR, code);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_refused (void)
{
  g_autoptr (NsDataset) data = load ("pernorm/nchw.npy", "none");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  NsAxisExplorerOptions o;

  ns_axis_explorer_options_init (&o);
  o.groups = 4;
  assert_refused (data, &o, NS_ERROR_INVALID_ARGUMENT, "--groups 4 does not divide the 6 channels");
  ns_axis_explorer_options_init (&o);
  o.channel = 6;
  assert_refused (data, &o, NS_ERROR_INVALID_ARGUMENT, "--channel 6: the tensor has 6 channels");
  ns_axis_explorer_options_init (&o);
  o.channel_axis = 0;
  assert_refused (data, &o, NS_ERROR_INVALID_ARGUMENT, "--channel-axis: axis 0");
  o.channel_axis = 4;
  assert_refused (data, &o, NS_ERROR_INVALID_ARGUMENT, "--channel-axis: axis 4");
  ns_axis_explorer_options_init (&o);
  g_cancellable_cancel (cancellable);
  g_assert_null (ns_axis_explorer_new (data, &o, cancellable, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
}

/* The demo: digits' 8 x 8 images as (N, 4, 4, 4), channel k holding image rows 2k and 2k + 1. */
static void
test_demo_tensor (void)
{
  g_autofree char *path = g_build_filename (source_root (), "data", "digits.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsDataset) tensor = ns_axis_explorer_demo_tensor (path, &error);
  g_autoptr (NsDataset) table = NULL;
  NsReadOptions read_options;
  const double *x;

  g_assert_no_error (error);
  g_assert_cmpuint (ns_dataset_get_rank (tensor), ==, 4);
  g_assert_cmpuint (ns_dataset_get_shape (tensor)[0], ==, 1797);
  g_assert_cmpuint (ns_dataset_get_shape (tensor)[1], ==, 4);
  ns_read_options_init (&read_options);
  table = ns_dataset_load (path, &read_options, NULL, &error);
  g_assert_no_error (error);
  x = ns_dataset_get_values (tensor, 0);
  /* Sample 7, image row 5, column 6: channel 2, (h, w) = (1 * 2 + 6 / 4, 6 % 4) = (3, 2). */
  g_assert_cmpfloat (x[7 * 64 + 2 * 16 + 3 * 4 + 2], ==,
                     ns_dataset_get_values (table, ns_dataset_find_column (table, "px_5_6"))[7]);
}

static void
test_cells (void)
{
  /* Sample 0, channel 2 shown; groups of 2 channels. */
  g_assert_true (ns_axis_figure_cell_pooled (NS_LAYER_NORM_BATCH, 3, 2, 2, 2));
  g_assert_false (ns_axis_figure_cell_pooled (NS_LAYER_NORM_BATCH, 0, 3, 2, 2));
  g_assert_true (ns_axis_figure_cell_pooled (NS_LAYER_NORM_LAYER, 0, 7, 2, 2));
  g_assert_false (ns_axis_figure_cell_pooled (NS_LAYER_NORM_LAYER, 1, 2, 2, 2));
  g_assert_true (ns_axis_figure_cell_pooled (NS_LAYER_NORM_INSTANCE, 0, 2, 2, 2));
  g_assert_false (ns_axis_figure_cell_pooled (NS_LAYER_NORM_INSTANCE, 0, 3, 2, 2));
  g_assert_true (ns_axis_figure_cell_pooled (NS_LAYER_NORM_GROUP, 0, 3, 2, 2));
  g_assert_false (ns_axis_figure_cell_pooled (NS_LAYER_NORM_GROUP, 0, 4, 2, 2));
  g_assert_false (ns_axis_figure_cell_pooled (NS_LAYER_NORM_GROUP, 1, 2, 2, 2));
  g_assert_true (ns_axis_figure_cell_pooled (NS_LAYER_NORM_RMS, 0, 0, 2, 2));
}

/* Pixels of a colour inside a rectangle of an ARGB32 surface. */
static gsize
count_rgb (cairo_surface_t *surface, const cairo_rectangle_t *area, const double rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gsize count = 0;

  for (int y = (int) area->y; y < (int) (area->y + area->height); y++)
    for (int x = (int) area->x; x < (int) (area->x + area->width); x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + x * 4);

        if (abs ((int) ((p >> 16) & 0xff) - (int) round (rgb[0] * 255)) <= 1 &&
            abs ((int) ((p >> 8) & 0xff) - (int) round (rgb[1] * 255)) <= 1 &&
            abs ((int) (p & 0xff) - (int) round (rgb[2] * 255)) <= 1)
          count++;
      }
  return count;
}

/* Pixels of a palette colour (light style) inside a rectangle. */
static gsize
count_color (cairo_surface_t *surface, const cairo_rectangle_t *area, guint color)
{
  double rgb[3];

  ns_plot_palette_color (color, FALSE, rgb);
  return count_rgb (surface, area, rgb);
}

/* Each kind's colour is a clear hue (chroma above 30, so never the text colour's white or black),
 * far from both backgrounds and from every other kind, in light and in dark style. */
static void
test_kind_colors (void)
{
  for (gboolean dark = FALSE; dark <= TRUE; dark++)
    {
      const double background[3] = { dark ? 0.14 : 1, dark ? 0.14 : 1, dark ? 0.14 : 1 };
      double background_lab[3];

      ns_test_rgb_to_lab (background, background_lab);
      for (guint a = 0; a < NS_AXIS_EXPLORER_N_KINDS; a++)
        {
          double rgb[3], lab_a[3];

          ns_axis_figure_kind_color (a, dark, rgb);
          ns_test_rgb_to_lab (rgb, lab_a);
          g_assert_cmpfloat (hypot (lab_a[1], lab_a[2]), >, 30);
          g_assert_cmpfloat (ns_test_lab_distance (lab_a, background_lab), >, 45);
          for (guint b = a + 1; b < NS_AXIS_EXPLORER_N_KINDS; b++)
            {
              double lab_b[3];

              ns_axis_figure_kind_color (b, dark, rgb);
              ns_test_rgb_to_lab (rgb, lab_b);
              g_assert_cmpfloat (ns_test_lab_distance (lab_a, lab_b), >=, 25);
            }
        }
    }
}

/* In dark style every kind's line of the per-sample means is drawn in its own colour. */
static void
test_render_dark (void)
{
  g_autoptr (NsDataset) data = load ("pernorm/nchw.npy", "none");
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  g_autoptr (NsPlotSeries) series = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1400, 600);
  cairo_t *cr = cairo_create (surface);
  cairo_rectangle_t frame;

  ns_axis_explorer_options_init (&o);
  explorer = explore (data, &o);
  series = ns_axis_figure_series (explorer);
  ns_plot_series_set_dark (series, TRUE);
  ns_plot_series_draw (series, cr, 1400, 600);
  cairo_surface_flush (surface);
  g_assert_true (
    ns_plot_series_get_panel_frame (series, 1400, 600, 1, &frame, NULL, NULL, NULL, NULL));
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      double rgb[3];

      if (ns_axis_explorer_get_sample_mean (explorer, k) == NULL)
        continue;
      ns_axis_figure_kind_color (k, TRUE, rgb);
      g_assert_cmpuint (count_rgb (surface, &frame, rgb), >, 100);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static gboolean
boxes_intersect (const cairo_rectangle_t *a, const cairo_rectangle_t *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height &&
         b->y < a->y + a->height;
}

/* The extent of the cube drawn in area: its cells' inside pixels, the unpooled grey or a pooled
 * colour (text, grey on white, never blends into either). */
static cairo_rectangle_t
cube_extent (cairo_surface_t *surface, const cairo_rectangle_t *area)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;

  for (int y = (int) area->y; y < (int) (area->y + area->height); y++)
    for (int x = (int) area->x; x < (int) (area->x + area->width); x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;

        if (p == 0xf5f5f7 || p == 0x0072b2 || p == 0xcc79a7)
          x0 = MIN (x0, x), y0 = MIN (y0, y), x1 = MAX (x1, x), y1 = MAX (y1, y);
      }
  g_assert_cmpint (x1, >=, 0);
  return (cairo_rectangle_t) { x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
}

/* At the figure sizes the page has from 1024 x 600 to 1920 x 1080 (presentation mode too) and a
 * slide's, every title and caption stays inside its cube's column, clear of the others and of the
 * cube, on a tensor and on a 64-channel table (whose captions add the channel scale). */
static void
assert_cube_text_clear (const NsAxisExplorer *explorer, double width, double height)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ns_plot_record_text_boxes (cr, boxes);
  ns_axis_figure_draw_cubes (explorer, NS_LAYER_NORM_GROUP, FALSE, cr, width, height);
  cairo_surface_flush (surface);
  g_assert_cmpuint (boxes->len, >=, 2 * NS_AXIS_EXPLORER_N_KINDS);
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      cairo_rectangle_t area, cube;

      ns_axis_figure_cube_area (width, height, k, &area);
      cube = cube_extent (surface, &area);
      for (guint i = 0; i < boxes->len; i++)
        {
          const cairo_rectangle_t *box = &g_array_index (boxes, cairo_rectangle_t, i);

          if (box->x + box->width / 2 < area.x || box->x + box->width / 2 >= area.x + area.width)
            continue;
          g_test_message ("%g x %g, kind %u, text %u", width, height, k, i);
          g_assert_cmpfloat (box->x, >=, area.x + 3);
          g_assert_cmpfloat (box->x + box->width, <=, area.x + area.width - 3);
          g_assert_cmpfloat (box->y, >=, area.y + 3);
          g_assert_cmpfloat (box->y + box->height, <=, area.y + area.height - 3);
          g_assert_false (boxes_intersect (box, &cube));
          for (guint j = i + 1; j < boxes->len; j++)
            g_assert_false (boxes_intersect (box, &g_array_index (boxes, cairo_rectangle_t, j)));
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_cube_text (void)
{
  static const double sizes[][2] = {
    { 480, 380 },  { 560, 450 },  { 744, 590 },   { 744, 420 },   { 990, 710 },
    { 1100, 520 }, { 1300, 700 }, { 1650, 1000 }, { 1920, 1080 }, { 1400, 820 },
  };
  g_autofree char *digits = g_build_filename (source_root (), "data", "digits.csv", NULL);
  g_autoptr (NsDataset) tensor = load ("pernorm/nchw.npy", "none");
  g_autoptr (NsDataset) table = ns_test_load_dataset (digits, NULL);
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) on_tensor = NULL, on_table = NULL;

  ns_axis_explorer_options_init (&o);
  on_tensor = explore (tensor, &o);
  on_table = explore (table, &o);
  g_assert_cmpuint (ns_axis_explorer_get_n_channels (on_table), >, 8);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      assert_cube_text_clear (on_tensor, sizes[s][0], sizes[s][1]);
      assert_cube_text_clear (on_table, sizes[s][0], sizes[s][1]);
    }
}

/* Drawn, the cubes fill as many cells as each kind pools: layer 6 channels of the front sample,
 * group 2 (G = 3), instance 1, batch 1 channel of every sample; RMS in its own colour. */
static void
test_render (void)
{
  g_autoptr (NsDataset) data = load ("pernorm/nchw.npy", "none");
  NsAxisExplorerOptions o;
  g_autoptr (NsAxisExplorer) explorer = NULL;
  g_autoptr (NsPlotSeries) series = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1400, 820);
  cairo_t *cr = cairo_create (surface);
  gsize blue[NS_AXIS_EXPLORER_N_KINDS];

  ns_axis_explorer_options_init (&o);
  o.groups = 3;
  explorer = explore (data, &o);
  ns_axis_figure_draw (explorer, NS_LAYER_NORM_GROUP, FALSE, TRUE, cr, 1400, 820);
  cairo_surface_flush (surface);
  for (guint k = 0; k < NS_AXIS_EXPLORER_N_KINDS; k++)
    {
      cairo_rectangle_t area;

      ns_axis_figure_cube_area (1400, 820, k, &area);
      blue[k] = count_color (surface, &area, 5);
    }
  g_assert_cmpuint (blue[NS_LAYER_NORM_INSTANCE], >, 500);
  g_assert_cmpfloat (fabs ((double) blue[NS_LAYER_NORM_GROUP] / blue[NS_LAYER_NORM_INSTANCE] - 2),
                     <, 0.1);
  g_assert_cmpfloat (fabs ((double) blue[NS_LAYER_NORM_LAYER] / blue[NS_LAYER_NORM_INSTANCE] - 6),
                     <, 0.3);
  g_assert_cmpuint (blue[NS_LAYER_NORM_BATCH], >, blue[NS_LAYER_NORM_INSTANCE]);
  g_assert_cmpuint (blue[NS_LAYER_NORM_RMS], ==, 0);
  {
    cairo_rectangle_t area;

    ns_axis_figure_cube_area (1400, 820, NS_LAYER_NORM_RMS, &area);
    g_assert_cmpuint (count_color (surface, &area, 7), ==, blue[NS_LAYER_NORM_LAYER]);
  }
  /* The lower panels hold each kind's output (5 histograms) and both sweeps. */
  series = ns_axis_figure_series (explorer);
  g_assert_cmpuint (ns_plot_series_get_n_panels (series), ==, 3);
  g_assert_cmpint (ns_plot_series_find_item (series, 0, "group (G = 3)"), >=, 0);
  g_assert_cmpint (ns_plot_series_find_item (series, 0, "rms"), >=, 0);
  g_assert_cmpint (ns_plot_series_find_item (series, 2, "batch"), >=, 0);
  g_assert_cmpint (ns_plot_series_find_item (series, 2, "group"), >=, 0);
  g_assert_nonnull (strstr (ns_plot_series_get_note (series), "group norm 0 and 0"));
  /* Numbers with a decimal point in every locale (the -de_DE run). */
  g_assert_true (g_regex_match_simple ("batch norm [0-9]+\\.[0-9]+ at B = 2",
                                       ns_plot_series_get_note (series), 0, 0));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* ---- normscope-cli plot --axis-explorer. */

static void
test_cli (void)
{
  g_autofree char *input = data_path ("pernorm/nchw.npy");
  g_autofree char *png = g_build_filename (tmp_dir, "axes.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "axes.svg", NULL);
  const char *to_png[] = { input,     "--axis-explorer", "--groups", "3", "--channel", "2",
                           "--layer", "instance",        "-o",       png, NULL };
  const char *to_svg[] = { "--axis-explorer", input, "-o", svg, "--width", "900", NULL };
  g_autofree char *text = NULL, *err = NULL;
  cairo_surface_t *surface;

  g_assert_cmpint (ns_test_run_cli_command ("plot", to_png, &err), ==, 0);
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1400);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 820);
  cairo_surface_destroy (surface);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ns_test_run_cli_command ("plot", to_svg, &err), ==, 0);
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  g_assert_nonnull (strstr (text, "width=\"900\""));
}

static void
test_cli_bad_input (void)
{
  g_autofree char *input = data_path ("pernorm/nchw.npy");
  g_autofree char *png = g_build_filename (tmp_dir, "bad.png", NULL);
  const char *groups[] = { input, "--axis-explorer", "--groups", "4", "-o", png, NULL };
  const char *kind[] = { input, "--axis-explorer", "--layer", "weight", "-o", png, NULL };
  const char *onto_input[] = { input, "--axis-explorer", "-o", input, NULL };
  const char *no_output[] = { input, "--axis-explorer", NULL };
  const char *axis[] = { input, "--axis-explorer", "--axis", "1", "-o", png, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (ns_test_run_cli_command ("plot", groups, &err), ==, 2);
  g_assert_nonnull (strstr (err, "nchw.npy: --groups 4 does not divide the 6 channels"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ns_test_run_cli_command ("plot", kind, &err), ==, 2);
  g_assert_nonnull (strstr (err, "weight"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ns_test_run_cli_command ("plot", onto_input, &err), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ns_test_run_cli_command ("plot", no_output, &err), ==, 2);
  g_assert_nonnull (strstr (err, "-o"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ns_test_run_cli_command ("plot", axis, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--channel-axis"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, ""); /* the -de_DE runs: decimal commas wherever C's printf would use them */
  g_test_init (&argc, &argv, NULL);
  tmp_dir = ns_test_temp_dir_new ();
  g_test_add_func ("/axis-explorer/outputs-are-normalize", test_outputs_are_normalize);
  g_test_add_func ("/axis-explorer/raw-and-means", test_raw_and_means);
  g_test_add_func ("/axis-explorer/sweep", test_sweep);
  g_test_add_func ("/axis-explorer/table", test_table);
  g_test_add_func ("/axis-explorer/table-legend", test_table_legend);
  g_test_add_func ("/axis-explorer/table-missing", test_table_missing);
  g_test_add_func ("/axis-explorer/refused", test_refused);
  g_test_add_func ("/axis-explorer/demo-tensor", test_demo_tensor);
  g_test_add_func ("/axis-explorer/cells", test_cells);
  g_test_add_func ("/axis-explorer/render", test_render);
  g_test_add_func ("/axis-explorer/kind-colors", test_kind_colors);
  g_test_add_func ("/axis-explorer/cube-text", test_cube_text);
  g_test_add_func ("/axis-explorer/render-dark", test_render_dark);
  g_test_add_func ("/axis-explorer/cli", test_cli);
  g_test_add_func ("/axis-explorer/cli-bad-input", test_cli_bad_input);
  status = g_test_run ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
  }
  ns_test_temp_dir_free (tmp_dir);
  return status;
}
