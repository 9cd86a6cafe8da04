/* ns-batchnorm.c: batch-norm simulator presets, option parsing, validation and state.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-private.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_movstat.h>
#include "ns-error.h"
#include "ns-output.h"
#include "ns-parse-double.h"

static const char *const preset_names[] = { "pytorch", "keras", "keras-fused", "flax" };
static const char *const average_names[NS_N_AVERAGES] = {
  "ema", "ema-debiased", "cumulative", "warmup", "window", "exact",
};
static const char *const series_names[NS_N_SERIES] = {
  "batch_mean",     "batch_var",   "batch_var_unbiased", "running_mean",     "running_var",
  "ema_mean",       "ema_var",     "ema_debiased_mean",  "ema_debiased_var", "cumulative_mean",
  "cumulative_var", "warmup_mean", "warmup_var",         "window_mean",      "window_var",
  "exact_mean",     "exact_var",   "renorm_r",           "renorm_d",
};

void
ns_batchnorm_options_init (NsBatchNormOptions *options, NsBatchNormPreset preset)
{
  *options = (NsBatchNormOptions) {
    .preset = preset,
    .momentum = 0.99,
    .convention = NS_MOMENTUM_WEIGHT_OF_OLD,
    .eps = 1e-5,
    .batch_size = 32,
    .epochs = 1,
    .averages = NS_AVERAGE_EMA | NS_AVERAGE_EXACT,
    .window = 10,
    .renorm_rmin = NAN,
    .renorm_rmax = 3,
    .renorm_dmax = 5,
    .renorm_momentum = NAN,
    .gamma = 1,
    .beta = 0,
    .record_history = TRUE,
    .only_feature = -1,
  };
  switch (preset)
    {
    case NS_BATCHNORM_PYTORCH:
      options->momentum = 0.1;
      options->convention = NS_MOMENTUM_WEIGHT_OF_NEW;
      options->unbiased_running_var = TRUE;
      options->single_value_error = TRUE;
      break;
    case NS_BATCHNORM_KERAS:
      options->eps = 1e-3;
      break;
    case NS_BATCHNORM_KERAS_FUSED:
      options->eps = 1e-3;
      options->min_eps = 1.001e-5; /* tensorflow/python/ops/nn_impl.py fused_batch_norm */
      options->unbiased_running_var = TRUE;
      break;
    case NS_BATCHNORM_FLAX:
      options->fast_variance = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
ns_batchnorm_preset_from_string (const char *name, NsBatchNormPreset *preset, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (preset_names); i++)
    if (g_strcmp0 (name, preset_names[i]) == 0)
      {
        *preset = (NsBatchNormPreset) i;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown preset '%s' (expected pytorch, keras, keras-fused or flax)", name);
  return FALSE;
}

const char *
ns_batchnorm_preset_to_string (NsBatchNormPreset preset)
{
  g_return_val_if_fail ((guint) preset < G_N_ELEMENTS (preset_names), NULL);
  return preset_names[preset];
}

const char *
ns_momentum_convention_to_string (NsMomentumConvention convention)
{
  return convention == NS_MOMENTUM_WEIGHT_OF_NEW ? "weight-of-new" : "weight-of-old";
}

const char *
ns_average_to_string (NsAverage average)
{
  for (guint i = 0; i < NS_N_AVERAGES; i++)
    if (average == 1u << i)
      return average_names[i];
  g_return_val_if_reached (NULL);
}

const char *
ns_series_to_string (NsSeries series)
{
  g_return_val_if_fail ((guint) series < NS_N_SERIES, NULL);
  return series_names[series];
}

static gboolean
ns_window_parse (const char *text, guint *window, GError **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "window size must be a positive integer, got '%s'", text);
      return FALSE;
    }
  *window = (guint) value;
  return TRUE;
}

static gboolean
ns_average_parse_one (const char *name, guint *averages, guint *window, GError **error)
{
  if (g_str_has_prefix (name, "window:"))
    {
      *averages |= NS_AVERAGE_WINDOW;
      return ns_window_parse (name + strlen ("window:"), window, error);
    }
  for (guint i = 0; i < NS_N_AVERAGES; i++)
    if (i != 4 && strcmp (name, average_names[i]) == 0)
      {
        *averages |= 1u << i;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown moving average '%s' (expected ema, ema-debiased, cumulative, warmup, "
               "window:W or exact)",
               name);
  return FALSE;
}

gboolean
ns_average_parse (const char *spec, guint *averages, guint *window, GError **error)
{
  g_auto (GStrv) names = g_strsplit (spec, ",", -1);
  guint bits = 0, size = *window;

  for (guint i = 0; names[i] != NULL; i++)
    if (!ns_average_parse_one (g_strstrip (names[i]), &bits, &size, error))
      return FALSE;
  *averages = bits;
  *window = size;
  return TRUE;
}

static gboolean
ns_renorm_clipping_parse_one (const char *item, double *bounds, guint *given, GError **error)
{
  static const char *const keys[] = { "rmin", "rmax", "dmax" };
  const char *equals = strchr (item, '=');
  gsize key_len = equals != NULL ? (gsize) (equals - item) : strlen (item);

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      if (key_len != strlen (keys[k]) || strncmp (item, keys[k], key_len) != 0)
        continue;
      if (*given & (1u << k))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "renorm clipping: %s is given twice", keys[k]);
          return FALSE;
        }
      *given |= 1u << k;
      if (equals == NULL || !ns_parse_double (equals + 1, strlen (equals + 1), &bounds[k]))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "renorm clipping %s: expected %s=NUMBER, found '%s'", keys[k], keys[k],
                       item);
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "renorm clipping: unknown key in '%s' (expected rmin, rmax or dmax)", item);
  return FALSE;
}

gboolean
ns_renorm_clipping_parse (const char *spec, double *rmin, double *rmax, double *dmax,
                          GError **error)
{
  g_auto (GStrv) items = g_strsplit (spec, ",", -1);
  double bounds[3] = { 0, INFINITY, INFINITY }; /* TF: missing rmin, rmax, dmax */
  guint given = 0;

  if (g_ascii_strcasecmp (g_strstrip (items[0] != NULL ? items[0] : (char *) ""), "none") != 0 ||
      items[0] == NULL || items[1] != NULL)
    for (guint i = 0; items[i] != NULL; i++)
      if (!ns_renorm_clipping_parse_one (g_strstrip (items[i]), bounds, &given, error))
        return FALSE;
  *rmin = bounds[0];
  *rmax = bounds[1];
  *dmax = bounds[2];
  return TRUE;
}

static gboolean
ns_batchnorm_check_number (const char *what, double value, double lo, double hi, GError **error)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (value >= lo && value <= hi)
    return TRUE;
  if (hi == INFINITY)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s must be >= %g, got %s", what, lo,
                 ns_format_double (buf, value));
  else
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s must be in [%g, %g], got %s", what,
                 lo, hi, ns_format_double (buf, value));
  return FALSE;
}

/* r_max >= 1 for the symmetric clip, else r_min <= r_max; the renorm rate a momentum. */
static gboolean
ns_batchnorm_check_renorm (const NsBatchNormOptions *o, GError **error)
{
  if (isnan (o->renorm_rmin)
        ? !ns_batchnorm_check_number ("renorm r_max", o->renorm_rmax, 1, INFINITY, error)
        : !(ns_batchnorm_check_number ("renorm r_min", o->renorm_rmin, 0, INFINITY, error) &&
            ns_batchnorm_check_number ("renorm r_max", o->renorm_rmax, o->renorm_rmin, INFINITY,
                                       error)))
    return FALSE;
  return ns_batchnorm_check_number ("renorm d_max", o->renorm_dmax, 0, INFINITY, error) &&
         (isnan (o->renorm_momentum) ||
          ns_batchnorm_check_number ("renorm momentum", o->renorm_momentum, 0, 1, error));
}

/* TensorFlow's float32 reductions are not reproduced, and renorm has no float32 reference. */
static gboolean
ns_batchnorm_check_float32 (const NsBatchNormOptions *o, GError **error)
{
  if (!o->float32 ||
      (!o->renorm && (o->preset == NS_BATCHNORM_PYTORCH || o->preset == NS_BATCHNORM_FLAX)))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "float32 is simulated for the pytorch and flax presets without renorm, not %s",
               o->renorm ? "with renorm" : ns_batchnorm_preset_to_string (o->preset));
  return FALSE;
}

static gboolean
ns_batchnorm_check_options (const NsBatchNormOptions *o, const NsDataset *data, GError **error)
{
  if ((guint) o->preset >= G_N_ELEMENTS (preset_names))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown preset %d", o->preset);
      return FALSE;
    }
  if (!o->cumulative && !ns_batchnorm_check_number ("momentum", o->momentum, 0, 1, error))
    return FALSE;
  if (!ns_batchnorm_check_number ("eps", o->eps, 0, INFINITY, error))
    return FALSE;
  if (o->renorm && !ns_batchnorm_check_renorm (o, error))
    return FALSE;
  if (o->epochs == 0 || ((o->averages & NS_AVERAGE_WINDOW) && o->window == 0))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s must be at least 1, got 0",
                   o->epochs == 0 ? "epochs" : "window size");
      return FALSE;
    }
  if (!ns_batchnorm_check_float32 (o, error))
    return FALSE;
  if ((o->averages & ~(guint) NS_AVERAGE_ALL) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown moving average bits 0x%x",
                   o->averages);
      return FALSE;
    }
  if (ns_dataset_get_n_features (data) == 0 ||
      o->only_feature >= (int) ns_dataset_get_n_features (data))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: %s",
                   ns_dataset_get_source_path (data) ? ns_dataset_get_source_path (data) : "data",
                   o->only_feature < 0 ? "no numeric feature to normalize"
                                       : "the selected feature does not exist");
      return FALSE;
    }
  return TRUE;
}

static const char *
ns_batchnorm_source (const NsBatchNorm *self)
{
  const char *path = ns_dataset_get_source_path (self->data);

  return path != NULL ? path : "data";
}

/* Fills batch_sizes/batch_starts for one epoch. */
static gboolean
ns_batchnorm_plan_batches (NsBatchNorm *self, GError **error)
{
  const NsBatchNormOptions *o = &self->options;
  gsize n = self->n_samples, count, start = 0;

  if (o->n_batch_sizes > 0)
    count = o->n_batch_sizes;
  else if (o->batch_size == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "batch size must be at least 1, got 0");
      return FALSE;
    }
  else
    count = n / o->batch_size + (!o->drop_last && n % o->batch_size != 0);
  if (count == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: no batches: batch size %" G_GSIZE_FORMAT
                   " is larger than the %" G_GSIZE_FORMAT
                   " rows and drop_last discards the incomplete batch",
                   ns_batchnorm_source (self), o->batch_size, n);
      return FALSE;
    }
  self->batches_per_epoch = count;
  self->batch_sizes = g_new (gsize, count);
  self->batch_starts = g_new (gsize, count);
  for (gsize b = 0; b < count; b++)
    {
      gsize size = o->n_batch_sizes > 0 ? o->batch_sizes[b] : MIN (o->batch_size, n - start);

      if (size == 0 || size > n - start)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "%s: batch %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " rows does not fit: "
                       "%" G_GSIZE_FORMAT " of the %" G_GSIZE_FORMAT " rows are left",
                       ns_batchnorm_source (self), b + 1, size, n - start, n);
          return FALSE;
        }
      self->batch_starts[b] = start;
      self->batch_sizes[b] = size;
      start += size;
    }
  return TRUE;
}

static void
ns_batchnorm_init_channel (NsBatchNorm *self, NsBatchNormChannel *channel)
{
  for (guint s = 0; s < NS_N_SERIES; s++)
    channel->value[s] = NAN;
  for (guint s = NS_SERIES_RUNNING_MEAN; s <= NS_SERIES_WARMUP_VAR; s += 2)
    {
      channel->value[s] = 0;
      channel->value[s + 1] = 1;
    }
  channel->value[NS_SERIES_EMA_DEBIASED_MEAN] = NAN; /* 0 / (1 - d^0) */
  channel->value[NS_SERIES_EMA_DEBIASED_VAR] = NAN;
  channel->renorm_mean = 0;
  channel->renorm_std = 1;
  channel->moving_std = 1; /* tf.keras: sqrt of moving_variance's initial 1 */
  ns_moments_init (&channel->exact);
}

static guint
ns_batchnorm_series_mask (const NsBatchNormOptions *o)
{
  guint mask = (1u << NS_SERIES_BATCH_MEAN) | (1u << NS_SERIES_BATCH_VAR) |
               (1u << NS_SERIES_BATCH_VAR_UNBIASED) | (1u << NS_SERIES_RUNNING_MEAN) |
               (1u << NS_SERIES_RUNNING_VAR);

  for (guint i = 0; i < NS_N_AVERAGES; i++)
    if (o->averages & (1u << i))
      mask |= 3u << (NS_SERIES_EMA_MEAN + 2 * i);
  if (o->renorm)
    mask |= (1u << NS_SERIES_RENORM_R) | (1u << NS_SERIES_RENORM_D);
  return mask;
}

static gboolean
ns_batchnorm_alloc_history (NsBatchNorm *self, GError **error)
{
  for (guint s = 0; s < NS_N_SERIES; s++)
    {
      gboolean needed = (self->series_mask & (1u << s)) &&
                        (self->options.record_history || s >= NS_SERIES_RENORM_R);

      if (!needed)
        continue;
      if (self->n_steps > G_MAXSIZE / sizeof (double) / self->n_active ||
          (self->history[s] = g_try_new (double, self->n_steps * self->n_active)) == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "not enough memory for the history of %" G_GSIZE_FORMAT " steps",
                       self->n_steps);
          return FALSE;
        }
    }
  return TRUE;
}

static void
ns_batchnorm_setup_channels (NsBatchNorm *self, const double *rows)
{
  int only = self->options.only_feature;

  self->n_active = only >= 0 ? 1 : self->n_features;
  self->active = g_new (guint, self->n_active);
  self->channel_of = g_new (int, self->n_features);
  self->columns = g_new (const double *, self->n_active);
  self->channels = g_new0 (NsBatchNormChannel, self->n_active);
  for (guint f = 0; f < self->n_features; f++)
    self->channel_of[f] = -1;
  for (guint c = 0; c < self->n_active; c++)
    {
      guint feature = only >= 0 ? (guint) only : c;

      self->active[c] = feature;
      self->channel_of[feature] = (int) c;
      self->columns[c] =
        rows != NULL
          ? rows + feature
          : ns_dataset_get_values (self->data, ns_dataset_get_feature_column (self->data, feature));
      ns_batchnorm_init_channel (self, &self->channels[c]);
    }
}

/* A training order replaces the shuffle and fixes the rows and epochs of the run. */
static gboolean
ns_batchnorm_check_order (const NsBatchNorm *self, GError **error)
{
  const NsBatchNormOrder *order = self->options.order;

  if (order == NULL)
    return TRUE;
  if (self->options.shuffle)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: a training order and a shuffle seed exclude each other",
                 ns_batchnorm_order_get_path (order));
  else if (ns_batchnorm_order_get_n_rows (order) != self->n_samples)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: an order of %" G_GSIZE_FORMAT " rows, expected the %" G_GSIZE_FORMAT
                 " rows of %s",
                 ns_batchnorm_order_get_path (order), ns_batchnorm_order_get_n_rows (order),
                 self->n_samples, ns_batchnorm_source (self));
  else if (ns_batchnorm_order_get_n_epochs (order) != self->options.epochs)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: %u epochs of row indices, expected the run's %u epochs",
                 ns_batchnorm_order_get_path (order), ns_batchnorm_order_get_n_epochs (order),
                 self->options.epochs);
  else
    return TRUE;
  return FALSE;
}

/* Runs that would never end, and windows longer than the run, make no sense: refused. */
static gboolean
ns_batchnorm_check_steps (const NsBatchNorm *self, GError **error)
{
  const NsBatchNormOptions *o = &self->options;
  guint64 steps;

  if (self->batches_per_epoch > NS_BATCHNORM_MAX_STEPS / o->epochs)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%u epochs x %" G_GSIZE_FORMAT
                   " batches per epoch: more steps than the %" G_GUINT64_FORMAT " a run may have",
                   o->epochs, self->batches_per_epoch, NS_BATCHNORM_MAX_STEPS);
      return FALSE;
    }
  steps = (guint64) self->batches_per_epoch * o->epochs;
  if ((o->averages & NS_AVERAGE_WINDOW) && o->window > steps)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "window size %u: the run has %" G_GUINT64_FORMAT " steps (epochs x batches per "
                   "epoch), expected a window of at most %" G_GUINT64_FORMAT,
                   o->window, steps, steps);
      return FALSE;
    }
  return TRUE;
}

/* Without a history, the training pass reads the batch statistics of the epoch from here instead
 * of summarising each batch again; kept when that is at most an eighth of the data. */
static void
ns_batchnorm_alloc_epoch_moments (NsBatchNorm *self)
{
  gsize values = self->n_samples * self->spatial;

  if (self->options.record_history || 2 * self->batches_per_epoch > values / 8)
    return;
  self->epoch_moments = g_try_new (double, 2 * self->batches_per_epoch * self->n_active);
}

/* The window ring: two values per step of the window and channel. */
static gboolean
ns_batchnorm_alloc_window (NsBatchNorm *self, GError **error)
{
  gsize n = 2 * (gsize) self->options.window * self->n_active;

  if (!(self->options.averages & NS_AVERAGE_WINDOW))
    return TRUE;
  if ((self->window_ring = g_try_new0 (double, n)) == NULL)
    {
      g_autofree char *size = g_format_size ((guint64) n * sizeof (double));

      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "window size %u: cannot allocate its %s of running values", self->options.window,
                   size);
      return FALSE;
    }
  return TRUE;
}

/* rows: NULL (the dataset's columns), or the dataset's values as rows of n_features. */
static NsBatchNorm *
ns_batchnorm_create (const NsDataset *data, const double *rows, const NsBatchNormOptions *options,
                     GError **error)
{
  g_autoptr (NsBatchNorm) self = NULL;
  gsize largest = 0;

  if (!ns_batchnorm_check_options (options, data, error))
    return NULL;
  self = g_new0 (NsBatchNorm, 1);
  if (options->skip_non_finite && rows == NULL &&
      ns_dataset_count_non_finite_samples (data, options->only_feature) > 0)
    data = self->finite_data =
      ns_dataset_copy_finite_samples (data, options->only_feature, &self->n_skipped);
  self->data = data;
  self->options = *options;
  self->options.eps = MAX (options->eps, options->min_eps);
  if (isnan (options->renorm_rmin))
    self->options.renorm_rmin = 1.0 / options->renorm_rmax;
  self->n_samples = ns_dataset_get_n_samples (data);
  self->spatial = ns_dataset_get_spatial_size (data);
  self->n_features = ns_dataset_get_n_features (data);
  self->rows = rows;
  self->column_stride = rows != NULL ? self->n_features : 1;
  if (!ns_batchnorm_check_order (self, error) || !ns_batchnorm_plan_batches (self, error))
    return NULL;
  if (!ns_batchnorm_check_steps (self, error))
    return NULL;
  self->n_steps = self->batches_per_epoch * options->epochs;
  self->series_mask = ns_batchnorm_series_mask (&self->options);
  ns_batchnorm_setup_channels (self, rows);
  if (!ns_batchnorm_alloc_history (self, error) || !ns_batchnorm_alloc_window (self, error))
    return NULL;
  ns_batchnorm_alloc_epoch_moments (self);
  for (gsize b = 0; b < self->batches_per_epoch; b++)
    largest = MAX (largest, self->batch_sizes[b]);
  if (options->shuffle || options->order != NULL)
    self->permutation = g_new (gsize, self->n_samples);
  if (self->permutation != NULL || rows != NULL)
    self->gather = g_new (double, MAX (largest * self->spatial, 1));
  if (options->shuffle)
    self->rng = gsl_rng_alloc (gsl_rng_mt19937);
  return g_steal_pointer (&self);
}

NsBatchNorm *
ns_batchnorm_new (const NsDataset *data, const NsBatchNormOptions *options, GError **error)
{
  g_return_val_if_fail (data != NULL && options != NULL, NULL);
  return ns_batchnorm_create (data, NULL, options, error);
}

NsBatchNorm *
ns_batchnorm_new_on_rows (const NsDataset *data, const double *rows,
                          const NsBatchNormOptions *options, GError **error)
{
  g_return_val_if_fail (data != NULL && rows != NULL && options != NULL, NULL);
  g_return_val_if_fail (ns_dataset_get_spatial_size (data) == 1, NULL);
  return ns_batchnorm_create (data, rows, options, error);
}

void
ns_batchnorm_free (NsBatchNorm *self)
{
  if (self == NULL)
    return;
  for (guint s = 0; s < NS_N_SERIES; s++)
    g_free (self->history[s]);
  g_free (self->batch_sizes);
  g_free (self->batch_starts);
  g_free (self->active);
  g_free (self->channel_of);
  g_free (self->columns);
  g_free (self->channels);
  g_free (self->window_ring);
  g_clear_pointer (&self->finite_data, ns_dataset_free);
  g_free (self->permutation);
  g_free (self->gather);
  g_free (self->epoch_moments);
  g_free (self->batch_moments);
  if (self->rng != NULL)
    gsl_rng_free (self->rng);
  g_free (self);
}

const NsBatchNormOptions *
ns_batchnorm_get_options (const NsBatchNorm *self)
{
  return &self->options;
}

const NsDataset *
ns_batchnorm_get_dataset (const NsBatchNorm *self)
{
  return self->data;
}

gsize
ns_batchnorm_get_n_skipped (const NsBatchNorm *self)
{
  return self->n_skipped;
}

gsize
ns_batchnorm_get_n_steps (const NsBatchNorm *self)
{
  return self->n_steps;
}
gsize
ns_batchnorm_get_step (const NsBatchNorm *self)
{
  return self->step;
}
gboolean
ns_batchnorm_is_finished (const NsBatchNorm *self)
{
  return self->step == self->n_steps;
}
gsize
ns_batchnorm_get_batches_per_epoch (const NsBatchNorm *self)
{
  return self->batches_per_epoch;
}
const gsize *
ns_batchnorm_get_permutation (const NsBatchNorm *self)
{
  return self->permutation;
}

guint
ns_batchnorm_get_step_epoch (const NsBatchNorm *self, gsize step)
{
  g_return_val_if_fail (step >= 1 && step <= self->n_steps, 0);
  return (guint) ((step - 1) / self->batches_per_epoch + 1);
}

void
ns_batchnorm_get_step_rows (const NsBatchNorm *self, gsize step, gsize *first, gsize *n_rows)
{
  gsize batch;

  g_return_if_fail (step >= 1 && step <= self->n_steps);
  batch = (step - 1) % self->batches_per_epoch;
  *first = self->batch_starts[batch];
  *n_rows = self->batch_sizes[batch];
}

gboolean
ns_batchnorm_has_series (const NsBatchNorm *self, NsSeries series)
{
  return (guint) series < NS_N_SERIES && (self->series_mask & (1u << series)) != 0;
}

double
ns_batchnorm_get_value (const NsBatchNorm *self, NsSeries series, guint feature)
{
  if (!ns_batchnorm_has_series (self, series) || feature >= self->n_features ||
      self->channel_of[feature] < 0)
    return NAN;
  return self->channels[self->channel_of[feature]].value[series];
}

const double *
ns_batchnorm_get_series (const NsBatchNorm *self, NsSeries series, guint feature, gsize *n_steps)
{
  if ((guint) series >= NS_N_SERIES || self->history[series] == NULL ||
      feature >= self->n_features || self->channel_of[feature] < 0)
    return NULL;
  if (n_steps != NULL)
    *n_steps = self->step;
  return self->history[series] + (gsize) self->channel_of[feature] * self->n_steps;
}

void
ns_moving_window_mean (const double *x, gsize n, guint window, double *y)
{
  gsl_movstat_workspace *workspace;

  g_return_if_fail (window >= 1);
  if (n == 0)
    return;
  /* H = W - 1 samples behind, J = 0 ahead: a causal window, shortened at the start. */
  workspace = gsl_movstat_alloc2 (window - 1, 0);
  gsl_vector_const_view in = gsl_vector_const_view_array (x, n);
  gsl_vector_view out = gsl_vector_view_array (y, n);

  gsl_movstat_mean (GSL_MOVSTAT_END_TRUNCATE, &in.vector, &out.vector, workspace);
  gsl_movstat_free (workspace);
}
