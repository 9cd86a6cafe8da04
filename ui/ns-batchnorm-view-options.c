/* ns-batchnorm-view-options.c: the batch-norm explorer's controls read as
 * NsBatchNormOptions and set from them (presets, eps text, the batch-size cap).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-batchnorm-view"
#include "config.h"
#include "ns-batchnorm-view-private.h"

#include <math.h>
#include "core/ns-format-double.h"

static const NsBatchNormPreset ns_presets[] = {
  NS_BATCHNORM_PYTORCH,
  NS_BATCHNORM_KERAS,
  NS_BATCHNORM_KERAS_FUSED,
  NS_BATCHNORM_FLAX,
};

NsBatchNormPreset
_ns_batchnorm_view_preset (NsBatchNormView *self)
{
  guint i = gtk_drop_down_get_selected (self->preset_dropdown);

  return ns_presets[MIN (i, G_N_ELEMENTS (ns_presets) - 1)];
}

guint
ns_batchnorm_view_get_feature (NsBatchNormView *self)
{
  guint f = gtk_drop_down_get_selected (self->feature_dropdown);

  return f == GTK_INVALID_LIST_POSITION ? 0 : f;
}

void
ns_batchnorm_view_get_options (NsBatchNormView *self, NsBatchNormOptions *o)
{
  ns_batchnorm_options_init (o, _ns_batchnorm_view_preset (self));
  o->batch_size = (gsize) gtk_spin_button_get_value_as_int (self->batch_spin);
  o->momentum = gtk_spin_button_get_value (self->momentum_spin);
  o->eps = self->eps;
  o->epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
  o->shuffle = gtk_check_button_get_active (self->shuffle_check);
  o->shuffle_seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  o->drop_last = gtk_check_button_get_active (self->drop_last_check);
  o->averages = NS_AVERAGE_EMA;
  if (gtk_check_button_get_active (self->debiased_check))
    o->averages |= NS_AVERAGE_EMA_DEBIASED;
  if (gtk_check_button_get_active (self->cumulative_check))
    o->averages |= NS_AVERAGE_CUMULATIVE;
  if (gtk_check_button_get_active (self->warmup_check))
    o->averages |= NS_AVERAGE_WARMUP;
  if (gtk_check_button_get_active (self->window_check))
    o->averages |= NS_AVERAGE_WINDOW;
  if (gtk_check_button_get_active (self->exact_check))
    o->averages |= NS_AVERAGE_EXACT;
  o->window = (guint) gtk_spin_button_get_value_as_int (self->window_spin);
  o->renorm = gtk_check_button_get_active (self->renorm_check);
  o->renorm_rmax = gtk_spin_button_get_value (self->rmax_spin);
  o->renorm_dmax = gtk_spin_button_get_value (self->dmax_spin);
  o->record_history = TRUE;
  o->only_feature = (int) ns_batchnorm_view_get_feature (self);
  o->skip_non_finite = TRUE; /* a messy file's feature: its finite rows, and a note */
}

void
_ns_batchnorm_view_update_convention (NsBatchNormView *self)
{
  NsBatchNormPreset preset = _ns_batchnorm_view_preset (self);
  double m = gtk_spin_button_get_value (self->momentum_spin);
  g_autofree char *other = ns_batchnorm_format_number (1 - m);
  g_autofree char *text = NULL;

  if (preset == NS_BATCHNORM_PYTORCH)
    {
      gtk_label_set_text (self->momentum_heading, "Momentum (PyTorch: weight of the new batch)");
      text = g_strdup_printf ("= Keras/Flax %s", other);
    }
  else
    {
      gtk_label_set_text (self->momentum_heading, "Momentum (Keras/Flax: weight of the old value)");
      text = g_strdup_printf ("= PyTorch %s", other);
    }
  gtk_label_set_text (self->momentum_other, text);
}

void
_ns_batchnorm_view_set_eps_text (NsBatchNormView *self, double eps)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  self->eps = eps;
  gtk_editable_set_text (GTK_EDITABLE (self->eps_entry), ns_format_double (buf, eps));
}

/* Sets every control from options without a re-run per control. */
void
_ns_batchnorm_view_show_options (NsBatchNormView *self, const NsBatchNormOptions *o)
{
  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (ns_presets); i++)
    if (ns_presets[i] == o->preset)
      gtk_drop_down_set_selected (self->preset_dropdown, i);
  gtk_spin_button_set_value (self->batch_spin, (double) o->batch_size);
  gtk_adjustment_set_value (self->batch_log_adjustment, log2 ((double) o->batch_size));
  gtk_spin_button_set_value (self->momentum_spin, o->momentum);
  _ns_batchnorm_view_set_eps_text (self, o->eps);
  gtk_spin_button_set_value (self->epochs_spin, o->epochs);
  gtk_check_button_set_active (self->shuffle_check, o->shuffle);
  gtk_spin_button_set_value (self->seed_spin, (double) o->shuffle_seed);
  gtk_check_button_set_active (self->drop_last_check, o->drop_last);
  gtk_check_button_set_active (self->debiased_check, o->averages & NS_AVERAGE_EMA_DEBIASED);
  gtk_check_button_set_active (self->cumulative_check, o->averages & NS_AVERAGE_CUMULATIVE);
  gtk_check_button_set_active (self->warmup_check, o->averages & NS_AVERAGE_WARMUP);
  gtk_check_button_set_active (self->window_check, o->averages & NS_AVERAGE_WINDOW);
  gtk_check_button_set_active (self->exact_check, o->averages & NS_AVERAGE_EXACT);
  gtk_spin_button_set_value (self->window_spin, o->window);
  gtk_check_button_set_active (self->renorm_check, o->renorm);
  gtk_spin_button_set_value (self->rmax_spin, o->renorm_rmax);
  gtk_spin_button_set_value (self->dmax_spin, o->renorm_dmax);
  self->updating = FALSE;
}

/* A batch cannot hold more rows than the data has: the slider and the spin stop at the row
 * count. */
void
_ns_batchnorm_view_cap_batch_size (NsBatchNormView *self, const NsDataset *dataset)
{
  gsize rows = dataset ? ns_dataset_get_n_samples (dataset) : 4096;
  double cap = CLAMP ((double) rows, 2, 4096);
  g_autofree char *why = NULL;

  if (rows < 4096)
    why = g_strdup_printf ("At most %.0f: a batch cannot hold more rows than the data has.", cap);
  self->updating = TRUE;
  gtk_spin_button_set_range (self->batch_spin, 2, cap);
  gtk_adjustment_set_upper (self->batch_log_adjustment, log2 (cap));
  self->updating = FALSE;
  gtk_label_set_text (self->batch_limit_label, why ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->batch_limit_label), why != NULL);
}

void
ns_batchnorm_view_set_feature (NsBatchNormView *self, guint feature)
{
  gtk_drop_down_set_selected (self->feature_dropdown, feature);
}

void
ns_batchnorm_view_set_preset (NsBatchNormView *self, NsBatchNormPreset preset)
{
  for (guint i = 0; i < G_N_ELEMENTS (ns_presets); i++)
    if (ns_presets[i] == preset)
      gtk_drop_down_set_selected (self->preset_dropdown, i);
}

void
ns_batchnorm_view_set_batch_size (NsBatchNormView *self, gsize batch_size)
{
  gtk_spin_button_set_value (self->batch_spin, (double) batch_size);
}

void
ns_batchnorm_view_set_momentum (NsBatchNormView *self, double momentum)
{
  gtk_spin_button_set_value (self->momentum_spin, momentum);
}

void
ns_batchnorm_view_set_renorm (NsBatchNormView *self, gboolean renorm)
{
  gtk_check_button_set_active (self->renorm_check, renorm);
}
