/* ns-batchnorm-view-simulation.c: the batch-norm explorer's re-simulation off the main thread
 * (ns-batchnorm-simulation): changes coalesce into one run, and a newer run cancels the one under
 * way. SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

#include "core/ns-demo.h"

enum { SIGNAL_SETTINGS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
ns_batchnorm_data_clear (gpointer p)
{
  NsBatchNormData *d = p;

  ns_dataset_free (d->data);
  ns_dataset_free (d->test);
}

NsBatchNormData *
_ns_batchnorm_data_new (NsDataset *data, NsDataset *test)
{
  NsBatchNormData *d = g_atomic_rc_box_new0 (NsBatchNormData);

  d->data = data;
  d->test = test;
  return d;
}

void
_ns_batchnorm_data_unref (NsBatchNormData *d)
{
  g_atomic_rc_box_release_full (d, ns_batchnorm_data_clear);
}

G_STATIC_ASSERT (NS_DEMO_MAX_RUNS <= NS_BATCHNORM_SIMULATION_MAX_RUNS);

/* What a run's figures need besides the runs: the data (kept alive for the worker) and legends. */
typedef struct {
  NsBatchNormData *data;
  char *labels[NS_DEMO_MAX_RUNS];
  guint feature;
  char *feature_name;
  const NsDemo *demo;
} NsBatchNormFigureInputs;

static void
ns_batchnorm_figure_inputs_free (gpointer p)
{
  NsBatchNormFigureInputs *inputs = p;

  _ns_batchnorm_data_unref (inputs->data);
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_free (inputs->labels[i]);
  g_free (inputs->feature_name);
  g_free (inputs);
}

void
_ns_batchnorm_result_free (gpointer p)
{
  NsBatchNormResult *result = p;

  for (guint i = 0; i < NS_BATCHNORM_N_FIGURES; i++)
    ns_plot_series_free (result->figures[i]);
  g_free (result->numbers);
  g_free (result);
}

/* In the worker thread: the figures and the demo's numbers of the finished runs. */
static gpointer
ns_batchnorm_view_summarise (NsBatchNorm *const *bns, guint n_runs, gpointer data, GError **error)
{
  NsBatchNormFigureInputs *inputs = data;
  const NsDataset *test = inputs->data->test;
  NsBatchNormRun runs[NS_DEMO_MAX_RUNS];
  NsBatchNormFigureOptions fig = { inputs->feature_name, NULL, 0 };
  NsBatchNormResult *result = g_new0 (NsBatchNormResult, 1);

  for (guint r = 0; r < n_runs; r++)
    runs[r] = (NsBatchNormRun) { bns[r], inputs->feature, inputs->labels[r] };
  if (test != NULL)
    {
      fig.test_values = ns_dataset_get_values (test, ns_dataset_get_feature_column (test, 0));
      fig.n_test = ns_dataset_get_n_samples (test);
    }
  for (guint f = 0; f < NS_BATCHNORM_N_FIGURES; f++)
    result->figures[f] = ns_batchnorm_figure_new (f, runs, n_runs, &fig);
  result->n_steps = ns_batchnorm_get_n_steps (bns[0]);
  if (inputs->demo != NULL)
    result->numbers = ns_demo_numbers (inputs->demo, bns, n_runs, inputs->feature, test);
  return result;
}

static const NsBatchNormSummary ns_batchnorm_view_summary = {
  ns_batchnorm_view_summarise,
  _ns_batchnorm_result_free,
  ns_batchnorm_figure_inputs_free,
};

static void
ns_batchnorm_view_done (gpointer data)
{
  NsBatchNormView *self = data;
  g_autoptr (GError) error = NULL;
  NsBatchNormResult *result = ns_batchnorm_simulation_take_summary (self->simulation, &error);

  self->busy = FALSE;
  if (result == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->result, _ns_batchnorm_result_free);
  self->result = result;
  if (self->demo != NULL && result->numbers != NULL)
    gtk_label_set_text (self->demo_numbers, result->numbers);
  /* The gap figure's note says how many rows skip_non_finite left out. */
  gtk_label_set_text (self->status_label, "");
  _ns_batchnorm_view_update_grid (self);
  _ns_batchnorm_view_apply_cursor (self);
  _ns_batchnorm_view_queue_draws (self);
}

static NsBatchNormFigureInputs *
ns_batchnorm_view_figure_inputs (NsBatchNormView *self, guint feature)
{
  NsBatchNormFigureInputs *inputs = g_new0 (NsBatchNormFigureInputs, 1);
  const NsDataset *dataset = self->data->data;

  inputs->data = g_atomic_rc_box_acquire (self->data);
  inputs->demo = self->demo;
  inputs->feature = feature;
  inputs->feature_name = g_strdup (
    ns_dataset_get_column_name (dataset, ns_dataset_get_feature_column (dataset, feature)));
  for (guint r = 0; r < self->n_runs; r++)
    inputs->labels[r] = g_strdup (self->labels[r]);
  return inputs;
}

/* A new run cancels the one under way (whose result is dropped) and waits for its worker. */
static gboolean
ns_batchnorm_view_start (gpointer data)
{
  NsBatchNormView *self = data;
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  guint feature;

  self->idle_id = 0;
  if (self->plot_running == NULL)
    return G_SOURCE_REMOVE; /* the view is being disposed */
  if (self->simulation == NULL)
    self->simulation = ns_batchnorm_simulation_new (ns_batchnorm_view_done, self);
  if (self->data == NULL)
    {
      ns_batchnorm_simulation_stop (self->simulation);
      self->busy = FALSE;
      return G_SOURCE_REMOVE;
    }
  feature = ns_batchnorm_view_get_feature (self);
  ns_batchnorm_view_get_options (self, &options[0]);
  if (self->n_runs > 1)
    {
      options[1] = self->compare;
      options[1].only_feature = (int) feature;
      options[1].record_history = TRUE;
    }
  self->busy = TRUE;
  ns_batchnorm_simulation_run (self->simulation, self->data->data, options, self->n_runs,
                               &ns_batchnorm_view_summary,
                               ns_batchnorm_view_figure_inputs (self, feature));
  return G_SOURCE_REMOVE;
}

/* Changes coalesce: every change in one main-loop iteration starts one run. */
void
_ns_batchnorm_view_schedule (NsBatchNormView *self)
{
  if (self->updating)
    return;
  g_signal_emit (self, signals[SIGNAL_SETTINGS_CHANGED], 0);
  _ns_batchnorm_view_update_convention (self);
  self->busy = self->data != NULL;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, ns_batchnorm_view_start, self, NULL);
}

gboolean
ns_batchnorm_view_is_busy (NsBatchNormView *self)
{
  return self->busy || self->idle_id != 0;
}

void
ns_batchnorm_view_wait (NsBatchNormView *self)
{
  while (ns_batchnorm_view_is_busy (self))
    g_main_context_iteration (NULL, TRUE);
}

void
_ns_batchnorm_view_simulation_class_init (GObjectClass *object_class)
{
  /* settings-changed: a control (or a demo) changed the settings; the window shares them. */
  signals[SIGNAL_SETTINGS_CHANGED] =
    g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}
