/* ns-overview-view.c: the overview grid; features are binned and measured off the main thread.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-overview-view"
#include "config.h"
#include "ns-overview-view.h"

#include <math.h>

#include <string.h>
#include "core/ns-batchnorm.h"
#include "core/ns-overview-notes.h"
#include "core/ns-plot-thumbnail.h"
#include "ns-plot-view.h"
#include "ns-strategy-toggle.h"
#include "ns-worker.h"

/* What the worker hands back; the main thread waits on its latch before the data may go. */
typedef struct {
  const NsDataset *dataset;
  GArray *summary;
  GArray *shapes;
  GPtrArray *binned;  /* NsPlotData per feature, NULL for a column without finite values */
  gboolean batchnorm; /* simulate batch norm too, with options */
  NsBatchNormOptions options;
  NsStats *bn_stats;    /* inference mode's offset and scale per feature */
  GPtrArray *bn_binned; /* training-mode outputs binned, per feature */
  GPtrArray *bn_notes;  /* ns_overview_batch_note per feature */
  char *bn_error;       /* why the simulation failed */
  NsWorkerLatch *latch;
} NsOverviewJob;

struct _NsOverviewView {
  GtkWidget parent_instance;
  GtkWidget *box;
  GtkLabel *status;
  GtkScrolledWindow *scrolled;

  const NsLoadResult *data; /* borrowed */
  NsStrategy strategies[NS_N_STRATEGIES];
  guint n_strategies; /* the scalers and batch norm modes among the chosen */
  GTask *task;
  GArray *shapes;
  GPtrArray *binned;
  GPtrArray *notes;              /* [feature * n_columns + column] */
  NsBatchNormOptions bn_options; /* the Compare page's batch size, preset and momentum */
  NsStats *bn_stats;             /* the worker's, as NsOverviewJob's; NULL without batch norm */
  GPtrArray *bn_binned;
  GPtrArray *bn_notes;
  char *bn_error;    /* why the simulation failed */
  double text_scale; /* presentation mode's; 1 otherwise */
  GtkLabel *caption;
};

G_DEFINE_FINAL_TYPE (NsOverviewView, ns_overview_view, GTK_TYPE_WIDGET)

typedef struct {
  NsOverviewView *self;
  guint feature;
  NsStrategy strategy; /* NS_STRATEGY_NONE: the raw data */
} NsOverviewCell;

static void
ns_overview_job_free (gpointer data)
{
  NsOverviewJob *job = data;

  g_clear_pointer (&job->summary, g_array_unref);
  g_clear_pointer (&job->shapes, g_array_unref);
  g_clear_pointer (&job->binned, g_ptr_array_unref);
  g_clear_pointer (&job->bn_stats, ns_stats_free);
  g_clear_pointer (&job->bn_binned, g_ptr_array_unref);
  g_clear_pointer (&job->bn_notes, g_ptr_array_unref);
  g_free (job->bn_error);
  ns_worker_latch_free (job->latch);
  g_free (job);
}

static void
ns_overview_job_bin (NsOverviewJob *job, GCancellable *cancellable)
{
  gsize n = ns_dataset_get_n_samples (job->dataset) * ns_dataset_get_spatial_size (job->dataset);

  job->binned = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_plot_data_free);
  for (guint f = 0; f < ns_dataset_get_n_features (job->dataset); f++)
    {
      guint column = ns_dataset_get_feature_column (job->dataset, f);

      if (g_cancellable_is_cancelled (cancellable))
        return;
      g_ptr_array_add (job->binned,
                       ns_plot_data_new (ns_dataset_get_values (job->dataset, column), n, NULL));
    }
}

/* Training mode's outputs of feature f, binned, and their note. */
static gboolean
ns_overview_job_bin_training (NsOverviewJob *job, const NsBatchNorm *batchnorm, guint f,
                              double *out, gsize n, GError **error)
{
  NsPlotData *binned;

  ns_batchnorm_training_output (batchnorm, f, out);
  binned = ns_plot_data_new_approximate (out, n, error);
  if (binned == NULL)
    return FALSE;
  g_ptr_array_add (job->bn_binned, binned);
  g_ptr_array_add (job->bn_notes,
                   ns_overview_batch_note (&g_array_index (job->shapes, NsFeatureShape, f),
                                           job->options.batch_size, out, n));
  return TRUE;
}

/* Batch norm over every feature at once, as the Compare page simulates one. */
static gboolean
ns_overview_job_batchnorm (NsOverviewJob *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsBatchNorm) batchnorm = NULL;
  g_autofree double *out = NULL;
  const NsDataset *simulated;
  gsize n;

  job->options.only_feature = -1;
  job->options.record_history = FALSE;
  job->options.averages = NS_AVERAGE_EMA;
  job->options.skip_non_finite = TRUE;
  batchnorm = ns_batchnorm_new (job->dataset, &job->options, error);
  if (batchnorm == NULL || !ns_batchnorm_run (batchnorm, cancellable, NULL, NULL, error))
    return FALSE;
  /* Without the rows skip_non_finite left out, if any. */
  simulated = ns_batchnorm_get_dataset (batchnorm);
  n = ns_dataset_get_n_samples (simulated) * ns_dataset_get_spatial_size (simulated);
  out = g_new (double, MAX (n, 1));
  job->bn_stats = ns_batchnorm_to_stats (batchnorm);
  job->bn_binned = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_plot_data_free);
  job->bn_notes = g_ptr_array_new_with_free_func (g_free);
  for (guint f = 0; f < ns_dataset_get_n_features (job->dataset); f++)
    if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
        !ns_overview_job_bin_training (job, batchnorm, f, out, n, error))
      return FALSE;
  return TRUE;
}

static void
ns_overview_job_run (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  NsOverviewJob *job = data;
  GError *error = NULL;
  g_autoptr (GError) bn_error = NULL;

  job->shapes = ns_feature_shapes_compute (job->dataset, job->summary, 0, cancellable, &error);
  if (job->shapes != NULL)
    ns_overview_job_bin (job, cancellable);
  /* A failed simulation leaves the scalers' cells; its columns show why. */
  if (job->shapes != NULL && job->batchnorm &&
      !ns_overview_job_batchnorm (job, cancellable, &bn_error))
    {
      g_clear_pointer (&job->bn_stats, ns_stats_free);
      g_clear_pointer (&job->bn_binned, g_ptr_array_unref);
      g_clear_pointer (&job->bn_notes, g_ptr_array_unref);
      job->bn_error = g_strdup (bn_error->message);
    }
  ns_worker_latch_release (job->latch);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Cancels the worker and waits for it: it reads the dataset the caller is about to free. */
static void
ns_overview_view_stop (NsOverviewView *self)
{
  NsOverviewJob *job;

  if (self->task == NULL)
    return;
  job = g_task_get_task_data (self->task);
  ns_worker_cancel_and_wait (self->task, job->latch);
  g_clear_object (&self->task);
}

static guint
ns_overview_view_columns (NsOverviewView *self)
{
  return 1 + self->n_strategies;
}

/* The affine strategies' offsets and scales: the scalers' fits, batch norm's inference mode. */
static NsStats *
ns_overview_view_stats (NsOverviewView *self, NsStrategy strategy)
{
  return strategy == NS_STRATEGY_BN_INFERENCE ? self->bn_stats : self->data->stats[strategy];
}

static void
ns_overview_cell_draw_training (NsOverviewCell *cell, gboolean dark, cairo_t *cr, int width,
                                int height)
{
  NsOverviewView *self = cell->self;

  if (self->bn_binned != NULL && g_ptr_array_index (self->bn_binned, cell->feature) != NULL)
    ns_plot_draw_thumbnail (g_ptr_array_index (self->bn_binned, cell->feature), 0, 1,
                            cell->strategy, NAN, NAN, dark, self->text_scale, cr, width, height);
}

static void
ns_overview_cell_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NsOverviewCell *cell = data;
  NsOverviewView *self = cell->self;
  const NsPlotData *binned = g_ptr_array_index (self->binned, cell->feature);
  const NsFeatureShape *shape = &g_array_index (self->shapes, NsFeatureShape, cell->feature);
  gboolean dark = ns_plot_view_widget_is_dark (GTK_WIDGET (area));
  double offset = 0, scale = 1;
  NsStats *stats;

  if (cell->strategy == NS_STRATEGY_BN_TRAIN)
    {
      ns_overview_cell_draw_training (cell, dark, cr, width, height);
      return;
    }
  if (binned == NULL)
    return;
  if (cell->strategy != NS_STRATEGY_NONE)
    {
      if ((stats = ns_overview_view_stats (self, cell->strategy)) == NULL)
        return;
      offset = ns_stats_get_offset (stats, cell->feature);
      scale = ns_stats_get_scale (stats, cell->feature);
    }
  if (scale > 0)
    ns_plot_draw_thumbnail (binned, offset, scale, cell->strategy, shape->lower_fence,
                            shape->upper_fence, dark, self->text_scale, cr, width, height);
}

/* The note under a cell: the raw column's is the feature's shape. */
static char *
ns_overview_view_note (NsOverviewView *self, guint feature, NsStrategy strategy)
{
  const NsFeatureShape *shape = &g_array_index (self->shapes, NsFeatureShape, feature);
  NsStats *stats;

  if (strategy == NS_STRATEGY_NONE)
    return ns_feature_shape_describe (shape);
  if (strategy >= NS_STRATEGY_BN_TRAIN && self->bn_error != NULL)
    return g_strdup (self->bn_error);
  if (strategy == NS_STRATEGY_BN_TRAIN)
    return g_strdup (self->bn_notes != NULL ? g_ptr_array_index (self->bn_notes, feature) : "");
  stats = ns_overview_view_stats (self, strategy);
  if (stats == NULL)
    return g_strdup (strategy == NS_STRATEGY_BN_INFERENCE ? "" : self->data->fit_errors[strategy]);
  if (ns_stats_get_scale (stats, feature) > 0)
    return ns_overview_note (shape, strategy, ns_stats_get_offset (stats, feature),
                             ns_stats_get_scale (stats, feature));
  return g_strdup ("");
}

/* Presentation mode enlarges the grid's text with its thumbnails. */
static void
ns_overview_view_scale_label (NsOverviewView *self, GtkWidget *label)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (self->text_scale));
  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  pango_attr_list_unref (attributes);
}

static GtkWidget *
ns_overview_view_cell (NsOverviewView *self, guint feature, NsStrategy strategy)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *area = gtk_drawing_area_new ();
  NsOverviewCell *cell = g_new (NsOverviewCell, 1);
  char *note = ns_overview_view_note (self, feature, strategy);
  GtkWidget *label = gtk_label_new (note);

  *cell = (NsOverviewCell) { self, feature, strategy };
  /* A small minimum: the cells widen to the page, and five columns still fit at 1024 px. */
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), (int) (100 * self->text_scale));
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int) (64 * self->text_scale));
  gtk_widget_set_hexpand (area, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), ns_overview_cell_draw, cell, g_free);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 34);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  ns_overview_view_scale_label (self, label);
  gtk_box_append (GTK_BOX (box), area);
  gtk_box_append (GTK_BOX (box), label);
  g_ptr_array_add (self->notes, note);
  return box;
}

static GtkWidget *
ns_overview_view_header (NsOverviewView *self, NsStrategy strategy)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;

  gtk_box_append (GTK_BOX (box), ns_strategy_swatch_new_scaled (strategy, self->text_scale));
  label =
    gtk_label_new (strategy == NS_STRATEGY_NONE ? "raw data" : ns_strategy_get_label (strategy));
  /* A long name wraps rather than widening its column beyond the others; a short one stays whole.
   */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  ns_overview_view_scale_label (self, label);
  gtk_box_append (GTK_BOX (box), label);
  if (strategy != NS_STRATEGY_NONE)
    {
      g_autofree char *tooltip = ns_strategy_describe (strategy);

      gtk_widget_set_tooltip_text (box, tooltip);
    }
  return box;
}

static GtkWidget *
ns_overview_view_feature_label (NsOverviewView *self, guint feature)
{
  guint column = ns_dataset_get_feature_column (self->data->dataset, feature);
  const char *name = ns_dataset_get_column_name (self->data->dataset, column);
  GtkWidget *label = gtk_label_new (name);

  gtk_widget_add_css_class (label, "heading");
  ns_overview_view_scale_label (self, label);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Short names whole (the grid would squeeze them to "px_…"), long ones cut after 18. The widths
   * count characters of the label's font, before the text scale enlarges them. */
  gtk_label_set_width_chars (GTK_LABEL (label),
                             (int) ceil (MIN (g_utf8_strlen (name, -1), 16) * self->text_scale));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), (int) ceil (18 * self->text_scale));
  gtk_widget_set_tooltip_text (label, name);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  return label;
}

static void
ns_overview_view_add_row (NsOverviewView *self, GtkGrid *grid, guint feature)
{
  gtk_grid_attach (grid, ns_overview_view_feature_label (self, feature), 0, feature + 1, 1, 1);
  gtk_grid_attach (grid, ns_overview_view_cell (self, feature, NS_STRATEGY_NONE), 1, feature + 1, 1,
                   1);
  for (guint s = 0; s < self->n_strategies; s++)
    gtk_grid_attach (grid, ns_overview_view_cell (self, feature, self->strategies[s]), s + 2,
                     feature + 1, 1, 1);
}

static void
ns_overview_view_rebuild (NsOverviewView *self)
{
  GtkWidget *grid = gtk_grid_new ();

  g_ptr_array_set_size (self->notes, 0);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_widget_add_css_class (grid, "overview-grid");
  if (self->shapes != NULL)
    {
      gtk_grid_attach (GTK_GRID (grid), ns_overview_view_header (self, NS_STRATEGY_NONE), 1, 0, 1,
                       1);
      for (guint s = 0; s < self->n_strategies; s++)
        gtk_grid_attach (GTK_GRID (grid), ns_overview_view_header (self, self->strategies[s]),
                         s + 2, 0, 1, 1);
      for (guint f = 0; f < self->shapes->len; f++)
        ns_overview_view_add_row (self, GTK_GRID (grid), f);
    }
  gtk_scrolled_window_set_child (self->scrolled, grid);
}

static void
ns_overview_view_set_status (NsOverviewView *self, const char *text)
{
  gtk_label_set_text (self->status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status), text[0] != '\0');
}

static void
ns_overview_view_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NsOverviewView *self = NS_OVERVIEW_VIEW (source);
  NsOverviewJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (G_TASK (result) != self->task)
    return; /* a worker replaced or stopped since */
  g_clear_object (&self->task);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      ns_overview_view_set_status (self, error->message);
      return;
    }
  self->shapes = g_steal_pointer (&job->shapes);
  self->binned = g_steal_pointer (&job->binned);
  self->bn_stats = g_steal_pointer (&job->bn_stats);
  self->bn_binned = g_steal_pointer (&job->bn_binned);
  self->bn_notes = g_steal_pointer (&job->bn_notes);
  self->bn_error = g_steal_pointer (&job->bn_error);
  ns_overview_view_set_status (self, "");
  ns_overview_view_rebuild (self);
}

static gboolean
ns_overview_view_wants_batchnorm (NsOverviewView *self)
{
  for (guint s = 0; s < self->n_strategies; s++)
    if (self->strategies[s] == NS_STRATEGY_BN_TRAIN ||
        self->strategies[s] == NS_STRATEGY_BN_INFERENCE)
      return TRUE;
  return FALSE;
}

static void
ns_overview_view_clear (NsOverviewView *self)
{
  g_clear_pointer (&self->shapes, g_array_unref);
  g_clear_pointer (&self->binned, g_ptr_array_unref);
  g_clear_pointer (&self->bn_stats, ns_stats_free);
  g_clear_pointer (&self->bn_binned, g_ptr_array_unref);
  g_clear_pointer (&self->bn_notes, g_ptr_array_unref);
  g_clear_pointer (&self->bn_error, g_free);
}

static void
ns_overview_view_start (NsOverviewView *self)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  NsOverviewJob *job = g_new0 (NsOverviewJob, 1);

  job->dataset = self->data->dataset;
  job->summary = g_array_ref (self->data->summary);
  job->batchnorm = ns_overview_view_wants_batchnorm (self);
  job->options = self->bn_options;
  job->latch = ns_worker_latch_new ();
  self->task = g_task_new (self, cancellable, ns_overview_view_job_done, NULL);
  g_task_set_task_data (self->task, job, ns_overview_job_free);
  ns_overview_view_set_status (self, "Measuring every feature…");
  g_task_run_in_thread (self->task, ns_overview_job_run);
}

void
ns_overview_view_set_data (NsOverviewView *self, const NsLoadResult *data)
{
  g_return_if_fail (NS_IS_OVERVIEW_VIEW (self));
  ns_overview_view_stop (self);
  ns_overview_view_clear (self);
  self->data = data;
  ns_overview_view_rebuild (self);
  if (data != NULL)
    ns_overview_view_start (self);
  else
    ns_overview_view_set_status (self, "");
}

void
ns_overview_view_set_strategies (NsOverviewView *self, const NsStrategy *strategies, guint n)
{
  NsStrategy shown[NS_N_STRATEGIES];
  guint n_shown = 0;
  gboolean had_batchnorm;

  g_return_if_fail (NS_IS_OVERVIEW_VIEW (self));
  had_batchnorm = ns_overview_view_wants_batchnorm (self);
  for (guint i = 0; i < n && n_shown < NS_N_STRATEGIES; i++)
    if (strategies[i] <= NS_STRATEGY_BN_INFERENCE)
      shown[n_shown++] = strategies[i];
  if (n_shown == self->n_strategies &&
      memcmp (shown, self->strategies, n_shown * sizeof (NsStrategy)) == 0)
    return;
  memcpy (self->strategies, shown, n_shown * sizeof (NsStrategy));
  self->n_strategies = n_shown;
  /* Batch norm newly chosen: simulate it (the worker measures the features again). */
  if (!had_batchnorm && ns_overview_view_wants_batchnorm (self) && self->data != NULL)
    ns_overview_view_set_data (self, self->data);
  else
    ns_overview_view_rebuild (self);
}

void
ns_overview_view_set_batchnorm_options (NsOverviewView *self, const NsBatchNormOptions *options)
{
  g_return_if_fail (NS_IS_OVERVIEW_VIEW (self));
  if (options->preset == self->bn_options.preset &&
      options->batch_size == self->bn_options.batch_size &&
      options->momentum == self->bn_options.momentum)
    return;
  self->bn_options = *options;
  if (ns_overview_view_wants_batchnorm (self) && self->data != NULL)
    ns_overview_view_set_data (self, self->data);
}

void
ns_overview_view_set_text_scale (NsOverviewView *self, double scale)
{
  g_return_if_fail (NS_IS_OVERVIEW_VIEW (self) && scale > 0);
  if (scale == self->text_scale)
    return;
  self->text_scale = scale;
  ns_overview_view_scale_label (self, GTK_WIDGET (self->caption));
  ns_overview_view_rebuild (self);
}

double
ns_overview_view_get_text_scale (NsOverviewView *self)
{
  return self->text_scale;
}

gboolean
ns_overview_view_is_ready (NsOverviewView *self)
{
  return self->task == NULL && self->shapes != NULL;
}

const char *
ns_overview_view_get_note (NsOverviewView *self, guint feature, guint column)
{
  guint index = feature * ns_overview_view_columns (self) + column;

  g_return_val_if_fail (column < ns_overview_view_columns (self), "");
  return index < self->notes->len ? g_ptr_array_index (self->notes, index) : "";
}

guint
ns_overview_view_get_n_columns (NsOverviewView *self)
{
  return ns_overview_view_columns (self);
}

static void
ns_overview_view_dispose (GObject *object)
{
  NsOverviewView *self = NS_OVERVIEW_VIEW (object);

  ns_overview_view_stop (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  ns_overview_view_clear (self);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  G_OBJECT_CLASS (ns_overview_view_parent_class)->dispose (object);
}

static void
ns_overview_view_class_init (NsOverviewViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ns_overview_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ns_overview_view_init (NsOverviewView *self)
{
  static const NsStrategy defaults[] = { NS_STRATEGY_STANDARD, NS_STRATEGY_MINMAX,
                                         NS_STRATEGY_ROBUST };
  GtkWidget *caption =
    gtk_label_new ("Each feature as it is and after each chosen strategy. Dashed "
                   "lines: Q1 − 1.5 IQR and Q3 + 1.5 IQR; values beyond them count "
                   "as outliers.");

  self->notes = g_ptr_array_new_with_free_func (g_free);
  ns_batchnorm_options_init (&self->bn_options, NS_BATCHNORM_PYTORCH);
  self->text_scale = 1;
  self->caption = GTK_LABEL (caption);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (caption, "controls");
  gtk_box_append (GTK_BOX (self->box), caption);
  self->status = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "controls");
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->status));
  self->scrolled = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->scrolled), TRUE);
  /* The grid takes the page's width and its notes wrap, in presentation mode too. */
  gtk_scrolled_window_set_policy (self->scrolled, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (GTK_WIDGET (self->scrolled), "overview");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->scrolled));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Overview of every feature", -1);
  ns_overview_view_set_strategies (self, defaults, G_N_ELEMENTS (defaults));
}
