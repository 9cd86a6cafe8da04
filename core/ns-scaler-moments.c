/* ns-scaler-moments.c: the one step from a feature's moments to its stats column, for every
 * method, and the params a stats file keeps of the fit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-scaler-private.h"
#include "ns-format-double.h"
#include "ns-sklearn-rules.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

gboolean
ns_scaler_check_moments (const NsFeatureInput *in, const NsScalerOptions *options, GError **error)
{
  const NsMoments *m = in->moments;

  if (m->infinite > 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': %.0f infinite values; a fit would be NaN "
                 "(remove them or mark them missing)",
                 in->data_name, in->name, m->infinite);
  else if (m->count == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': no values to fit (all %.0f are missing; scikit-learn would "
                 "give NaN statistics): leave it out with --columns",
                 in->data_name, in->name, m->missing);
  else if (options->method == NS_METHOD_NORMALIZER && m->missing > 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': %.0f missing values; the normalizer divides each row by its "
                 "norm over every column, so a row with a missing value has none (scikit-learn's "
                 "Normalizer refuses NaN too): fill or drop them",
                 in->data_name, in->name, m->missing);
  else if (options->method == NS_METHOD_KERAS && m->missing > 0)
    g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                 "%s: column '%s': %.0f missing values; Keras Normalization.adapt does not skip "
                 "NaN (its mean and variance would be NaN): fill or drop them, or use method "
                 "standard, which ignores them",
                 in->data_name, in->name, m->missing);
  else
    return TRUE;
  return FALSE;
}

static void
ns_scaler_set_standard (NsStats *stats, guint c, const NsScalerOptions *options, const NsMoments *m,
                        double var)
{
  double std = sqrt (var);
  double scale = ns_sklearn_is_constant_feature (var, m->mean, m->count) ? 1.0 : std;

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

static void
ns_scaler_set_minmax (NsStats *stats, guint c, const NsScalerOptions *options, const NsMoments *m)
{
  double data_range = m->max - m->min;
  NsSklearnMinMax map;

  ns_sklearn_minmax (m->min, data_range, options->feature_range[0], options->feature_range[1],
                     &map);
  ns_stats_set_offset_scale (stats, c, map.offset, map.scale);
  ns_stats_set_field (stats, c, "min", m->min);
  ns_stats_set_field (stats, c, "max", m->max);
  ns_stats_set_field (stats, c, "data_range", data_range);
}

static void
ns_scaler_set_maxabs (NsStats *stats, guint c, const NsMoments *m)
{
  ns_stats_set_offset_scale (stats, c, 0.0, ns_sklearn_handle_zeros_in_scale (m->max_abs));
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
  double scale = ns_sklearn_handle_zeros_in_scale (iqr);

  if (options->unit_variance)
    scale = scale / ns_scaler_unit_variance_adjust (options);
  ns_stats_set_offset_scale (stats, c, options->with_centering ? in->median : 0.0,
                             options->with_scaling ? scale : 1.0);
  ns_stats_set_field (stats, c, "median", in->median);
  ns_stats_set_field (stats, c, "q1", in->q1);
  ns_stats_set_field (stats, c, "q3", in->q3);
  ns_stats_set_field (stats, c, "iqr", iqr);
}

/* Streamed and merged fits keep moments, not the values a lambda search or quantiles need. */
static gboolean
ns_scaler_check_in_memory (const NsFeatureInput *in, gboolean present,
                           const NsScalerOptions *options, GError **error)
{
  if (present)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: column '%s': method %s needs every value in memory; streamed, partial and "
               "merged fits keep only moments",
               in->data_name, in->name, ns_method_to_string (options->method));
  return FALSE;
}

/* PowerTransformer: offset and scale are the internal StandardScaler's mean_ and scale_ on the
 * power-transformed column (0 and 1 without standardize). */
static gboolean
ns_scaler_set_power (NsStats *stats, guint c, const NsScalerOptions *options,
                     const NsFeatureInput *in, GError **error)
{
  const NsPowerColumn *p = in->power;

  if (!ns_scaler_check_in_memory (in, p != NULL, options, error))
    return FALSE;
  ns_stats_set_offset_scale (stats, c, options->standardize ? p->mean : 0.0,
                             options->standardize ? p->scale : 1.0);
  ns_stats_set_field (stats, c, "lambda", p->lambda);
  if (options->standardize)
    ns_stats_set_field (stats, c, "scaler_variance", p->variance);
  return TRUE;
}

static gboolean
ns_scaler_set_quantile (NsStats *stats, guint c, const NsScalerOptions *options,
                        const NsFeatureInput *in, GError **error)
{
  if (!ns_scaler_check_in_memory (in, in->quantiles != NULL, options, error))
    return FALSE;
  ns_stats_set_array (stats, c, "quantiles", in->quantiles, in->n_quantiles);
  return TRUE;
}

/* Values near the double range overflow the variance (or the range) to inf: such a fit could not
 * transform anything and its stats file would not load, so it is refused. A standard fit is
 * refused on an overflowed variance too: scikit-learn's constant-feature rule would then make its
 * scale 1, and the mean merged from overflowed deviations is no longer the data's. */
static gboolean
ns_scaler_check_result (const NsStats *stats, guint c, const NsScalerOptions *options,
                        const NsFeatureInput *in, GError **error)
{
  double offset = ns_stats_get_offset (stats, c), scale = ns_stats_get_scale (stats, c);
  char offset_text[NS_DOUBLE_BUF_SIZE], scale_text[NS_DOUBLE_BUF_SIZE];

  if (options->method == NS_METHOD_STANDARD && !isfinite (ns_stats_get_variance (stats, c)))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s: column '%s': its variance overflows the double range (values too large "
                   "or too spread for double precision): rescale them first",
                   in->data_name, in->name);
      return FALSE;
    }
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
    case NS_METHOD_YEO_JOHNSON:
    case NS_METHOD_BOX_COX:
      if (!ns_scaler_set_power (stats, c, options, in, error))
        return FALSE;
      break;
    case NS_METHOD_QUANTILE:
      if (!ns_scaler_set_quantile (stats, c, options, in, error))
        return FALSE;
      break;
    case NS_METHOD_NORMALIZER:
      break;
    default:
      g_assert_not_reached ();
    }
  return ns_scaler_check_result (stats, c, options, in, error);
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
      if (options->sample_weight != NULL)
        json_object_set_string_member (params, "sample_weight", options->sample_weight);
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
    case NS_METHOD_YEO_JOHNSON:
    case NS_METHOD_BOX_COX:
      json_object_set_boolean_member (params, "standardize", options->standardize);
      break;
    case NS_METHOD_QUANTILE:
      json_object_set_int_member (params, "n_quantiles", options->n_quantiles);
      json_object_set_string_member (params, "output_distribution",
                                     ns_quantile_output_to_string (options->output_distribution));
      json_object_set_int_member (params, "subsample", (gint64) options->subsample);
      json_object_set_int_member (params, "random_state", options->random_state);
      break;
    case NS_METHOD_NORMALIZER:
      json_object_set_string_member (params, "norm", ns_norm_kind_to_string (options->norm));
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ns_scaler_set_tensor_params (JsonObject *params, const gsize *shape, guint rank, const guint *kept,
                             guint n_kept)
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
