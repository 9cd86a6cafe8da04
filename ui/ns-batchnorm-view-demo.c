/* ns-batchnorm-view-demo.c: what the batch-norm explorer shows: the user's
 * dataset or a guided demo (its data, settings and banner), and the way back from a demo.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

#include "core/ns-demo.h"

/* Shows bn (owned; NULL: nothing) with its features in the feature list. */
static void
ns_batchnorm_view_set_bn_data (NsBatchNormView *self, NsBatchNormData *bn)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const NsDataset *data = bn ? bn->data : NULL;

  ns_batchnorm_view_play (self, FALSE);
  _ns_batchnorm_view_cap_batch_size (self, data);
  g_clear_pointer (&self->data, _ns_batchnorm_data_unref);
  g_clear_pointer (&self->result, _ns_batchnorm_result_free);
  self->cursor = 0;
  self->data = bn;
  for (guint f = 0; data != NULL && f < ns_dataset_get_n_features (data); f++)
    gtk_string_list_append (names,
                            ns_dataset_get_column_name (data,
                                                        ns_dataset_get_feature_column (data, f)));
  self->updating = TRUE;
  gtk_drop_down_set_model (self->feature_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->feature_dropdown, 0);
  self->updating = FALSE;
  gtk_label_set_text (self->status_label, self->data ? "" : "No numeric feature to simulate");
  _ns_batchnorm_view_update_step_label (self);
  _ns_batchnorm_view_queue_draws (self);
}

static void
ns_batchnorm_view_set_data (NsBatchNormView *self, NsDataset *data, NsDataset *test)
{
  if (data != NULL && ns_dataset_get_n_features (data) > 0)
    ns_batchnorm_view_set_bn_data (self, _ns_batchnorm_data_new (data, test));
  else
    {
      ns_dataset_free (data);
      ns_dataset_free (test);
      ns_batchnorm_view_set_bn_data (self, NULL);
    }
}

static void
ns_batchnorm_view_leave_demo (NsBatchNormView *self)
{
  self->demo = NULL;
  self->n_runs = 1;
  for (guint i = 0; i < NS_DEMO_MAX_RUNS; i++)
    g_clear_pointer (&self->labels[i], g_free);
  gtk_revealer_set_reveal_child (self->demo_revealer, FALSE);
}

void
ns_batchnorm_view_close_demo (NsBatchNormView *self)
{
  ns_batchnorm_view_leave_demo (self);
  ns_batchnorm_view_set_bn_data (self, g_steal_pointer (&self->user_data));
  _ns_batchnorm_view_schedule (self);
}

void
ns_batchnorm_view_set_dataset (NsBatchNormView *self, const NsDataset *dataset)
{
  ns_batchnorm_view_leave_demo (self);
  g_clear_pointer (&self->user_data, _ns_batchnorm_data_unref);
  ns_batchnorm_view_set_data (self, dataset ? ns_dataset_copy (dataset) : NULL, NULL);
  _ns_batchnorm_view_schedule (self);
}

gboolean
ns_batchnorm_view_load_demo (NsBatchNormView *self, const char *id, GError **error)
{
  const NsDemo *demo = ns_demo_find (id);
  NsBatchNormOptions options[NS_DEMO_MAX_RUNS];
  const char *labels[NS_DEMO_MAX_RUNS] = { NULL };
  g_autofree char *sample = NULL;
  NsDataset *data, *test = NULL;
  g_autofree char *recipe = NULL;

  if (demo == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "no demo named '%s'", id);
      return FALSE;
    }
  if (ns_demo_get_sample (demo) != NULL)
    sample = ns_demo_find_sample_file (ns_demo_get_sample (demo));
  data = ns_demo_make_dataset (demo, sample, &test, error);
  if (data == NULL)
    return FALSE;
  /* Kept while demos follow one another, for ns_batchnorm_view_close_demo. */
  if (self->demo == NULL && self->user_data == NULL && self->data != NULL)
    self->user_data = g_atomic_rc_box_acquire (self->data);
  ns_batchnorm_view_leave_demo (self);
  ns_batchnorm_view_set_data (self, data, test);
  if (ns_demo_get_column (demo) != NULL && self->data != NULL)
    for (guint f = 0; f < ns_dataset_get_n_features (data); f++)
      if (g_strcmp0 (ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
                     ns_demo_get_column (demo)) == 0)
        {
          self->updating = TRUE;
          gtk_drop_down_set_selected (self->feature_dropdown, f);
          self->updating = FALSE;
        }
  self->demo = demo;
  self->n_runs = ns_demo_get_settings (demo, options, labels);
  _ns_batchnorm_view_show_options (self, &options[0]);
  if (self->n_runs > 1)
    self->compare = options[1];
  for (guint i = 0; i < self->n_runs; i++)
    self->labels[i] = g_strdup (labels[i]);
  recipe = g_strdup_printf ("Data: %s", ns_demo_get_recipe (demo));
  gtk_label_set_text (self->demo_title, ns_demo_get_title (demo));
  gtk_label_set_text (self->demo_text, ns_demo_get_explanation (demo));
  gtk_label_set_text (self->demo_numbers, "Simulating…");
  gtk_label_set_text (self->demo_recipe, recipe);
  gtk_revealer_set_reveal_child (self->demo_revealer, TRUE);
  gtk_drop_down_set_selected (self->export_dropdown, ns_demo_get_figure (demo));
  _ns_batchnorm_view_schedule (self);
  return TRUE;
}

const NsDataset *
ns_batchnorm_view_get_dataset (NsBatchNormView *self)
{
  return self->data ? self->data->data : NULL;
}

const char *
ns_batchnorm_view_get_demo (NsBatchNormView *self)
{
  return self->demo ? ns_demo_get_id (self->demo) : NULL;
}

const char *
ns_batchnorm_view_get_demo_numbers (NsBatchNormView *self)
{
  return self->demo && self->result && self->result->numbers ? self->result->numbers : "";
}

void
ns_batchnorm_view_fill_demo_menu (GMenu *menu)
{
  for (guint i = 0; i < ns_demo_get_n (); i++)
    {
      const NsDemo *demo = ns_demo_get (i);
      g_autoptr (GMenuItem) item = g_menu_item_new (ns_demo_get_title (demo), NULL);

      g_menu_item_set_action_and_target (item, "app.demo", "s", ns_demo_get_id (demo));
      g_menu_append_item (menu, item);
    }
}
