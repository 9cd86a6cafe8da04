/* ns-scaler.c: fit scikit-learn's and Keras' scalers; the result is an NsStats whose offset and
 * scale reproduce each library's transform.
 *
 * Decisions (see README "Stats file"):
 * - keras: Normalization.adapt lets NaN propagate into mean and variance, which makes every output
 *   NaN. Such a fit is useless, so it is refused with a message naming the column.
 * - keras: statistics stay float64; real Keras stores its weights as float32.
 * - Infinite values are refused for every method (scikit-learn refuses them too).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-scaler.h"
#include "ns-moments.h"
#include "ns-output.h"
#include "ns-quantile.h"
#include "ns-scaler-private.h"
#include "ns-threads.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

static const char *const ns_method_names[] = { "standard", "keras", "minmax", "maxabs", "robust" };

void
ns_scaler_options_init (NsScalerOptions *options, NsMethod method)
{
  *options = (NsScalerOptions) {
    .method = method,
    .with_mean = TRUE,
    .with_std = TRUE,
    .feature_range = { 0.0, 1.0 },
    .quantile_range = { 25.0, 75.0 },
    .with_centering = TRUE,
    .with_scaling = TRUE,
    .n_threads = 0,
  };
}

gboolean
ns_method_from_string (const char *name, NsMethod *method, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (ns_method_names); i++)
    if (g_strcmp0 (name, ns_method_names[i]) == 0)
      {
        *method = (NsMethod) i;
        return TRUE;
      }
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "unknown method '%s' (expected standard, keras, minmax, maxabs or robust)",
               name != NULL ? name : "");
  return FALSE;
}

const char *
ns_method_to_string (NsMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (ns_method_names), NULL);
  return ns_method_names[method];
}

/* scikit-learn's _handle_zeros_in_scale without a mask: anything below 10 eps becomes 1. */
static double
ns_handle_zeros_in_scale (double scale)
{
  return scale < 10 * DBL_EPSILON ? 1.0 : scale;
}

/* scikit-learn's _is_constant_feature, in its exact operation order. */
static gboolean
ns_is_constant_feature (double var, double mean, double n_samples)
{
  double upper_bound = n_samples * DBL_EPSILON * var
                       + (n_samples * mean * DBL_EPSILON) * (n_samples * mean * DBL_EPSILON);

  return var <= upper_bound;
}

typedef struct {
  NsMoments moments;
  double median;
  double quantiles[2]; /* robust: at quantile_range */
} NsFeatureFit;

static gboolean
ns_scaler_check_options (const NsScalerOptions *options, GError **error)
{
  const double *fr = options->feature_range, *qr = options->quantile_range;
  char a[NS_DOUBLE_BUF_SIZE], b[NS_DOUBLE_BUF_SIZE];

  if ((guint) options->method >= G_N_ELEMENTS (ns_method_names))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown method %d",
                   options->method);
      return FALSE;
    }
  if (options->method == NS_METHOD_MINMAX &&
      !(isfinite (fr[0]) && isfinite (fr[1]) && fr[0] < fr[1]))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "feature range (%s, %s): the minimum must be smaller than the maximum",
                   ns_format_double (a, fr[0]), ns_format_double (b, fr[1]));
      return FALSE;
    }
  if (options->method == NS_METHOD_ROBUST && !(0 <= qr[0] && qr[0] <= qr[1] && qr[1] <= 100))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "quantile range (%s, %s): expected 0 <= low <= high <= 100 (percent)",
                   ns_format_double (a, qr[0]), ns_format_double (b, qr[1]));
      return FALSE;
    }
  return TRUE;
}

static const char *
ns_data_name (const NsDataset *data)
{
  const char *path = ns_dataset_get_source_path (data);

  return path != NULL ? path : "data";
}

static void
ns_scaler_fit_feature (const NsDataset *data, guint column, const NsScalerOptions *options,
                       guint n_threads, NsFeatureFit *fit)
{
  const double *values = ns_dataset_get_values (data, column);
  gsize n = ns_dataset_get_n_samples (data) * ns_dataset_get_spatial_size (data);

  ns_moments_init (&fit->moments);
  ns_moments_add_parallel (&fit->moments, values, n, n_threads);
  fit->median = NAN;
  fit->quantiles[0] = fit->quantiles[1] = NAN;
  if (options->method == NS_METHOD_ROBUST && fit->moments.infinite == 0)
    {
      /* numpy divides percentiles by 100 before interpolating; so do we. */
      double probabilities[2] = { options->quantile_range[0] / 100,
                                  options->quantile_range[1] / 100 };

      ns_quantiles_and_median (values, n, 1, probabilities, 2, fit->quantiles, &fit->median);
    }
}

/* ---------------------------------------------------------------- moments to stats */

static gboolean
ns_scaler_check_moments (const NsFeatureInput *in, const NsScalerOptions *options, GError **error)
{
  const NsMoments *m = in->moments;

  if (m->infinite > 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': %.0f infinite values; a fit would be NaN "
                 "(remove them or mark them missing)", in->data_name, in->name, m->infinite);
  else if (m->count == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': no values to fit (all %.0f are missing)", in->data_name,
                 in->name, m->missing);
  else if (options->method == NS_METHOD_KERAS && m->missing > 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': %.0f missing values; Keras Normalization.adapt does not skip "
                 "NaN (its mean and variance would be NaN): fill or drop them, or use method "
                 "standard, which ignores them", in->data_name, in->name, m->missing);
  else
    return TRUE;
  return FALSE;
}

static void
ns_scaler_set_standard (NsStats *stats, guint c, const NsScalerOptions *options,
                        const NsMoments *m, double var)
{
  double std = sqrt (var);
  double scale = ns_is_constant_feature (var, m->mean, m->count) ? 1.0 : std;

  ns_stats_set_offset_scale (stats, c, options->with_mean ? m->mean : 0.0,
                             options->with_std ? scale : 1.0);
  ns_stats_set_field (stats, c, "std", std);
  ns_stats_set_field (stats, c, "n_samples_seen", m->count);
}

static void
ns_scaler_set_keras (NsStats *stats, guint c, const NsMoments *m, double var)
{
  double std = sqrt (var);

  /* maximum (sqrt (variance), epsilon), keeping a NaN as Keras' maximum does (fmax would not). */
  ns_stats_set_offset_scale (stats, c, m->mean, std < NS_KERAS_EPSILON ? NS_KERAS_EPSILON : std);
  ns_stats_set_field (stats, c, "std", std);
}

/* sklearn computes X * scale_ + min_ with scale_ = (hi - lo) / range and min_ = lo - data_min *
 * scale_; as (x - offset) / scale that is scale = range / (hi - lo) and
 * offset = data_min - lo * scale. */
static void
ns_scaler_set_minmax (NsStats *stats, guint c, const NsScalerOptions *options, const NsMoments *m)
{
  double lo = options->feature_range[0], hi = options->feature_range[1];
  double data_range = m->max - m->min;
  double scale = ns_handle_zeros_in_scale (data_range) / (hi - lo);

  ns_stats_set_offset_scale (stats, c, m->min - lo * scale, scale);
  ns_stats_set_field (stats, c, "min", m->min);
  ns_stats_set_field (stats, c, "max", m->max);
  ns_stats_set_field (stats, c, "data_range", data_range);
}

static void
ns_scaler_set_maxabs (NsStats *stats, guint c, const NsMoments *m)
{
  ns_stats_set_offset_scale (stats, c, 0.0, ns_handle_zeros_in_scale (m->max_abs));
  ns_stats_set_field (stats, c, "max_abs", m->max_abs);
}

/* RobustScaler(unit_variance=True) divides the scale by the N(0,1) quantile range
 * (norm.ppf(q_max / 100) - norm.ppf(q_min / 100)). GSL's inverse normal CDF is not SciPy's ndtri:
 * they agree to a few ulp. */
static double
ns_scaler_unit_variance_adjust (const NsScalerOptions *options)
{
  return gsl_cdf_ugaussian_Pinv (options->quantile_range[1] / 100.0) -
         gsl_cdf_ugaussian_Pinv (options->quantile_range[0] / 100.0);
}

static void
ns_scaler_set_robust (NsStats *stats, guint c, const NsScalerOptions *options,
                      const NsFeatureInput *in)
{
  double iqr = in->q3 - in->q1;
  double scale = ns_handle_zeros_in_scale (iqr);

  if (options->unit_variance)
    scale = scale / ns_scaler_unit_variance_adjust (options);
  ns_stats_set_offset_scale (stats, c, options->with_centering ? in->median : 0.0,
                             options->with_scaling ? scale : 1.0);
  ns_stats_set_field (stats, c, "median", in->median);
  ns_stats_set_field (stats, c, "q1", in->q1);
  ns_stats_set_field (stats, c, "q3", in->q3);
  ns_stats_set_field (stats, c, "iqr", iqr);
}

/* Values near the double range overflow the variance (or the range) to inf: such a fit could not
 * transform anything and its stats file would not load, so it is refused. */
static gboolean
ns_scaler_check_result (const NsStats *stats, guint c, const NsFeatureInput *in, GError **error)
{
  double offset = ns_stats_get_offset (stats, c), scale = ns_stats_get_scale (stats, c);
  char offset_text[NS_DOUBLE_BUF_SIZE], scale_text[NS_DOUBLE_BUF_SIZE];

  if (isfinite (offset) && isfinite (scale) && scale > 0)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
               "%s: column '%s': the fit gives offset %s and scale %s, which cannot scale values "
               "(they are too large or too spread for double precision: rescale them first)",
               in->data_name, in->name, ns_format_double (offset_text, offset),
               ns_format_double (scale_text, scale));
  return FALSE;
}

gboolean
ns_scaler_store_moments (NsStats *stats, guint c, const NsScalerOptions *options,
                         const NsFeatureInput *in, GError **error)
{
  const NsMoments *m = in->moments;
  double var = ns_moments_variance (m, 0);

  if (!ns_scaler_check_moments (in, options, error))
    return FALSE;
  ns_stats_set_column (stats, c, in->name, m->count, m->missing, m->mean, var, 0.0, 1.0);
  switch (options->method)
    {
    case NS_METHOD_STANDARD:
      ns_scaler_set_standard (stats, c, options, m, var);
      break;
    case NS_METHOD_KERAS:
      ns_scaler_set_keras (stats, c, m, var);
      break;
    case NS_METHOD_MINMAX:
      ns_scaler_set_minmax (stats, c, options, m);
      break;
    case NS_METHOD_MAXABS:
      ns_scaler_set_maxabs (stats, c, m);
      break;
    case NS_METHOD_ROBUST:
      ns_scaler_set_robust (stats, c, options, in);
      break;
    default:
      g_assert_not_reached ();
    }
  return ns_scaler_check_result (stats, c, in, error);
}

static JsonArray *
ns_json_pair (double a, double b)
{
  JsonArray *array = json_array_new ();

  json_array_add_double_element (array, a);
  json_array_add_double_element (array, b);
  return array;
}

void
ns_scaler_set_method_params (JsonObject *params, const NsScalerOptions *options)
{
  switch (options->method)
    {
    case NS_METHOD_STANDARD:
      json_object_set_boolean_member (params, "with_mean", options->with_mean);
      json_object_set_boolean_member (params, "with_std", options->with_std);
      break;
    case NS_METHOD_KERAS:
      json_object_set_double_member (params, "epsilon", NS_KERAS_EPSILON);
      break;
    case NS_METHOD_MINMAX:
      json_object_set_array_member (params, "feature_range",
                                    ns_json_pair (options->feature_range[0],
                                                  options->feature_range[1]));
      json_object_set_boolean_member (params, "clip", options->clip);
      break;
    case NS_METHOD_MAXABS:
      break;
    case NS_METHOD_ROBUST:
      json_object_set_array_member (params, "quantile_range",
                                    ns_json_pair (options->quantile_range[0],
                                                  options->quantile_range[1]));
      json_object_set_boolean_member (params, "with_centering", options->with_centering);
      json_object_set_boolean_member (params, "with_scaling", options->with_scaling);
      json_object_set_boolean_member (params, "unit_variance", options->unit_variance);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ns_scaler_set_tensor_params (JsonObject *params, const gsize *shape, guint rank,
                             const guint *kept, guint n_kept)
{
  JsonArray *axis = json_array_new (), *dims = json_array_new ();

  for (guint i = 0; i < n_kept; i++)
    json_array_add_int_element (axis, kept[i]);
  for (guint i = 0; i < rank; i++)
    json_array_add_int_element (dims, (gint64) shape[i]);
  json_object_set_array_member (params, "axis", axis);
  json_object_set_int_member (params, "rank", rank);
  json_object_set_array_member (params, "shape", dims);
}

static void
ns_scaler_set_params (NsStats *stats, const NsDataset *data, const NsScalerOptions *options)
{
  JsonObject *params = ns_stats_get_params (stats);

  ns_scaler_set_method_params (params, options);
  if (ns_dataset_get_kind (data) == NS_DATASET_TENSOR)
    ns_scaler_set_tensor_params (params, ns_dataset_get_shape (data), ns_dataset_get_rank (data),
                                 ns_dataset_get_kept_axes (data),
                                 ns_dataset_get_n_kept_axes (data));
}

void
ns_stats_set_labels_of (NsStats *stats, const NsDataset *data)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint c = 0; c < ns_dataset_get_n_columns (data); c++)
    if (ns_dataset_column_is_label (data, c))
      g_ptr_array_add (names, (gpointer) ns_dataset_get_column_name (data, c));
  g_ptr_array_add (names, NULL);
  ns_stats_set_label_names (stats, (const char * const *) names->pdata);
}

/* Columns are fitted by a few workers that take the next column in turn; with fewer columns
 * than threads, each column's moments are split over the spare threads instead. */
typedef struct {
  const NsDataset *data;
  const NsScalerOptions *options;
  GCancellable *cancellable;
  NsFeatureFit *fits;
  guint n_features;
  guint inner_threads;
  gint next;
} NsFitJob;

static void
ns_scaler_fit_worker (guint index, gpointer user_data)
{
  NsFitJob *job = user_data;

  for (;;)
    {
      guint f = (guint) g_atomic_int_add (&job->next, 1);

      if (f >= job->n_features || g_cancellable_is_cancelled (job->cancellable))
        return;
      ns_scaler_fit_feature (job->data, ns_dataset_get_feature_column (job->data, f), job->options,
                             job->inner_threads, &job->fits[f]);
    }
}

static void
ns_scaler_fit_features (NsFitJob *job, guint n_threads)
{
  guint outer = MAX (1, MIN (n_threads, job->n_features));

  job->inner_threads = MAX (1, n_threads / outer);
  ns_threads_run (outer, ns_scaler_fit_worker, job);
}

/* The stats of options from features fitted once (moments, and the quantiles at the robust
 * options' range when one asked for them). */
static NsStats *
ns_scaler_stats_from_fits (const NsDataset *data, const NsScalerOptions *options,
                           const NsFeatureFit *fits, GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);
  g_autoptr (NsStats) stats = ns_stats_new (ns_method_to_string (options->method), n_features);

  for (guint f = 0; f < n_features; f++)
    {
      NsFeatureInput in = {
        ns_data_name (data), ns_dataset_get_column_name (data, ns_dataset_get_feature_column (data, f)),
        &fits[f].moments, fits[f].median, fits[f].quantiles[0], fits[f].quantiles[1],
      };

      if (!ns_scaler_store_moments (stats, f, options, &in, error))
        return NULL;
    }
  ns_scaler_set_params (stats, data, options);
  ns_stats_set_labels_of (stats, data);
  ns_stats_set_source (stats, ns_dataset_get_source_path (data), ns_dataset_get_n_samples (data),
                       ns_dataset_get_source_sha256 (data));
  return g_steal_pointer (&stats);
}

/* Every feature's moments (and quantiles, for robust options) on the options' threads; NULL and
 * error for bad options, no feature, or a cancel. */
static NsFeatureFit *
ns_scaler_fit_all_features (const NsDataset *data, const NsScalerOptions *options,
                            GCancellable *cancellable, GError **error)
{
  guint n_features = ns_dataset_get_n_features (data);
  g_autofree NsFeatureFit *fits = NULL;
  NsFitJob job = { data, options, cancellable, NULL, n_features, 1, 0 };

  if (!ns_scaler_check_options (options, error))
    return NULL;
  if (n_features == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: no numeric column to fit",
                   ns_data_name (data));
      return NULL;
    }
  job.fits = fits = g_new0 (NsFeatureFit, n_features);
  ns_scaler_fit_features (&job, ns_threads_resolve (options->n_threads));
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "the fit was cancelled");
      return NULL;
    }
  return g_steal_pointer (&fits);
}

NsStats *
ns_scaler_fit (const NsDataset *data, const NsScalerOptions *options, GCancellable *cancellable,
               GError **error)
{
  g_autofree NsFeatureFit *fits = ns_scaler_fit_all_features (data, options, cancellable, error);

  return fits != NULL ? ns_scaler_stats_from_fits (data, options, fits, error) : NULL;
}

/* Robust options whose quantiles the shared fits hold: the first robust entry's range. */
static const NsScalerOptions *
ns_scaler_first_robust (const NsScalerOptions *options, guint n)
{
  for (guint i = 0; i < n; i++)
    if (options[i].method == NS_METHOD_ROBUST)
      return &options[i];
  return NULL;
}

gboolean
ns_scaler_fit_each (const NsDataset *data, const NsScalerOptions *options, guint n,
                    GCancellable *cancellable, NsStats **stats, GError **errors)
{
  const NsScalerOptions *robust = ns_scaler_first_robust (options, n);
  g_autofree NsFeatureFit *fits = NULL;
  GError *error = NULL;

  g_return_val_if_fail (n > 0, FALSE);
  fits = ns_scaler_fit_all_features (data, robust != NULL ? robust : &options[0], cancellable,
                                     &error);
  if (g_error_matches (error, NS_ERROR, NS_ERROR_CANCELLED))
    {
      g_error_free (error);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      gboolean shared = robust == NULL || options[i].method != NS_METHOD_ROBUST ||
                        memcmp (options[i].quantile_range, robust->quantile_range,
                                sizeof robust->quantile_range) == 0;

      errors[i] = NULL;
      stats[i] = NULL;
      if (fits == NULL)
        errors[i] = g_error_copy (error);
      else if (ns_scaler_check_options (&options[i], &errors[i]))
        stats[i] = shared ? ns_scaler_stats_from_fits (data, &options[i], fits, &errors[i])
                          : ns_scaler_fit (data, &options[i], cancellable, &errors[i]);
    }
  g_clear_error (&error);
  return !g_cancellable_is_cancelled (cancellable);
}
