/* ns-export-snippets.c: stats as runnable Python for Keras, PyTorch, scikit-learn and torchvision.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-snippets.h"
#include "ns-export-snippet-common.h"
#include "ns-export-sklearn-family.h"
#include "ns-export-escape.h"
#include "ns-format-double.h"

#include <math.h>
#include <string.h>

static gboolean
ns_snippet_param_bool (const NsStats *stats, const char *key, gboolean fallback)
{
  return ns_stats_get_param_double (stats, key, fallback ? 1.0 : 0.0) != 0.0;
}

static void
ns_snippet_quantity (GString *out, const NsStats *stats, const char *name,
                     NsExportQuantity quantity)
{
  g_autofree double *values = ns_export_quantity (stats, quantity);

  ns_snippet_list (out, stats, name, values);
}

/* Keras. */

static void
ns_snippet_keras_axis (GString *out, const NsStats *stats)
{
  int axis = ns_export_kept_axis (stats);

  if (ns_export_rank (stats) == 2 || axis < 0)
    g_string_append (out, "-1");
  else
    g_string_append_printf (out, "%d", axis);
}

static gboolean
ns_snippet_keras_batchnorm (GString *out, const NsStats *stats, GError **error)
{
  g_autofree double *gamma = ns_stats_get_param_per_column (stats, "gamma", 1.0, error);
  g_autofree double *beta =
    gamma != NULL ? ns_stats_get_param_per_column (stats, "beta", 0.0, error) : NULL;
  g_autofree double *running_mean = ns_export_bn_running (stats, "running_mean");
  g_autofree double *running_var = ns_export_bn_running (stats, "running_var");
  guint rank = ns_export_rank (stats);
  int axis = ns_export_kept_axis (stats);
  double momentum = ns_stats_get_param_double (stats, "momentum", NAN);
  gboolean weight_of_new =
    g_strcmp0 (json_object_get_string_member_with_default ((JsonObject *) ns_stats_peek_params (
                                                             stats),
                                                           "momentum_convention", "weight-of-new"),
               "weight-of-old") != 0;

  if (beta == NULL)
    return FALSE;
  ns_snippet_list (out, stats, "gamma", gamma);
  ns_snippet_list (out, stats, "beta", beta);
  ns_snippet_list (out, stats, "moving_mean", running_mean);
  ns_snippet_list (out, stats, "moving_variance", running_var);
  g_string_append (out, "\nlayer = keras.layers.BatchNormalization(\n    axis=");
  ns_snippet_keras_axis (out, stats);
  g_string_append (out, ",\n    epsilon=");
  ns_export_append_python_double (out, ns_export_bn_eps (stats));
  g_string_append (out, ",\n    momentum=");
  if (isnan (momentum))
    g_string_append (out, "0.99,  # PyTorch's cumulative average (momentum None) has no Keras "
                          "equivalent: Keras' default\n");
  else if (weight_of_new)
    {
      g_string_append (out, "1.0 - ");
      ns_export_append_python_double (out, momentum);
      g_string_append (out,
                       ",  # PyTorch's momentum (weight of the new batch) in Keras' convention "
                       "(weight of the old value)\n");
    }
  else
    {
      ns_export_append_python_double (out, momentum);
      g_string_append (out, ",\n");
    }
  g_string_append (out, ")\n# Only the size of the feature axis matters to build.\nlayer.build((");
  for (guint a = 0; a < MAX (rank, 2u); a++)
    {
      gboolean kept = axis < 0 ? a == MAX (rank, 2u) - 1 : a == (guint) axis;

      if (kept)
        g_string_append_printf (out, "%u", ns_stats_get_n_columns (stats));
      else
        g_string_append (out, "None");
      g_string_append (out, a + 1 < MAX (rank, 2u) ? ", " : "))\n");
    }
  g_string_append (out, "layer.set_weights([numpy.array(gamma), numpy.array(beta), "
                        "numpy.array(moving_mean), numpy.array(moving_variance)])\n");
  return TRUE;
}

GBytes *
ns_export_keras_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  GString *out = g_string_new (NULL);

  ns_snippet_header (out, stats, "Keras layer");
  g_string_append (out, "import numpy\n\ntry:\n    import keras\nexcept ImportError:\n"
                        "    from tensorflow import keras\n\n");
  ns_snippet_names (out, stats);
  if (ns_export_is_batchnorm (stats))
    {
      if (!ns_snippet_keras_batchnorm (out, stats, error))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      return g_string_free_to_bytes (out);
    }
  if (g_strcmp0 (ns_stats_get_method (stats), "keras") == 0)
    {
      ns_snippet_quantity (out, stats, "mean", NS_EXPORT_MEAN);
      ns_snippet_quantity (out, stats, "variance", NS_EXPORT_VARIANCE);
      g_string_append (out, "\nlayer = keras.layers.Normalization(axis=");
      ns_snippet_keras_axis (out, stats);
      g_string_append (out, ", mean=mean, variance=variance)\n");
      return g_string_free_to_bytes (out);
    }
  ns_snippet_quantity (out, stats, "offset", NS_EXPORT_OFFSET);
  ns_snippet_quantity (out, stats, "scale", NS_EXPORT_SCALE);
  g_string_append (out,
                   "\n# Keras divides by max(sqrt(variance), 1e-7), so variance = scale**2 gives "
                   "(x - offset) / scale.\nlayer = keras.layers.Normalization(axis=");
  ns_snippet_keras_axis (out, stats);
  g_string_append (out, ", mean=offset, variance=numpy.square(numpy.array(scale)))\n");
  return g_string_free_to_bytes (out);
}

/* PyTorch. */

static const char *
ns_snippet_torch_dtype (const NsExportOptions *options)
{
  return ns_export_use_f64 (options, FALSE) ? "torch.float64" : "torch.float32";
}

static void
ns_snippet_torch_layout_note (GString *out, const NsStats *stats)
{
  guint rank = ns_export_rank (stats);
  int axis = ns_export_kept_axis (stats);

  if (rank > 2 && axis != 1)
    g_string_append_printf (out,
                            "# The stats were fitted with the features on axis %d of a rank-%u "
                            "tensor; PyTorch expects them on axis 1: permute the input first.\n",
                            axis, rank);
}

static gboolean
ns_snippet_torch_batchnorm (GString *out, const NsStats *stats, const NsExportOptions *options,
                            GError **error)
{
  g_autofree double *weight = ns_stats_get_param_per_column (stats, "gamma", 1.0, error);
  g_autofree double *bias =
    weight != NULL ? ns_stats_get_param_per_column (stats, "beta", 0.0, error) : NULL;
  g_autofree double *running_mean = ns_export_bn_running (stats, "running_mean");
  g_autofree double *running_var = ns_export_bn_running (stats, "running_var");
  guint rank = ns_export_rank (stats);
  double momentum = ns_stats_get_param_double (stats, "momentum", NAN);
  gboolean weight_of_old =
    g_strcmp0 (json_object_get_string_member_with_default ((JsonObject *) ns_stats_peek_params (
                                                             stats),
                                                           "momentum_convention", "weight-of-new"),
               "weight-of-old") == 0;

  if (bias == NULL)
    return FALSE;
  ns_snippet_list (out, stats, "weight", weight);
  ns_snippet_list (out, stats, "bias", bias);
  ns_snippet_list (out, stats, "running_mean", running_mean);
  ns_snippet_list (out, stats, "running_var", running_var);
  g_string_append_c (out, '\n');
  ns_snippet_torch_layout_note (out, stats);
  g_string_append_printf (out, "module = torch.nn.BatchNorm%ud(\n    %u,\n    eps=",
                          rank >= 5   ? 3u
                          : rank == 4 ? 2u
                                      : 1u,
                          ns_stats_get_n_columns (stats));
  ns_export_append_python_double (out, ns_export_bn_eps (stats));
  g_string_append (out, ",\n    momentum=");
  if (isnan (momentum))
    g_string_append (out, "None,  # cumulative average\n");
  else if (weight_of_old)
    {
      g_string_append (out, "1.0 - ");
      ns_export_append_python_double (out, momentum);
      g_string_append (out, ",  # Keras/Flax momentum (weight of the old value) in PyTorch's "
                            "convention (weight of the new batch)\n");
    }
  else
    {
      ns_export_append_python_double (out, momentum);
      g_string_append (out, ",\n");
    }
  g_string_append_printf (out, "    dtype=%s,\n)\n", ns_snippet_torch_dtype (options));
  g_string_append (
    out, "with torch.no_grad():\n"
         "    module.weight.copy_(torch.tensor(weight, dtype=torch.float64))\n"
         "    module.bias.copy_(torch.tensor(bias, dtype=torch.float64))\n"
         "    module.running_mean.copy_(torch.tensor(running_mean, dtype=torch.float64))\n"
         "    module.running_var.copy_(torch.tensor(running_var, dtype=torch.float64))\n");
  g_string_append_printf (out, "    module.num_batches_tracked.fill_(%" G_GINT64_FORMAT ")\n",
                          ns_export_num_batches_tracked (stats));
  g_string_append (out, "module.eval()  # inference mode: normalize with the running statistics\n");
  return TRUE;
}

/* InstanceNorm1d/2d/3d with PyTorch's own buffers, loaded strictly (no key missing or unknown). */
static gboolean
ns_snippet_torch_instancenorm (GString *out, const NsStats *stats, const NsExportOptions *options,
                               GError **error)
{
  g_autofree double *running_mean = ns_export_field (stats, "running_mean");
  g_autofree double *running_var = ns_export_field (stats, "running_var");
  guint rank = ns_export_rank (stats);

  if (rank < 3 || rank > 5 || running_mean == NULL || running_var == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                   "torch: InstanceNorm1d, 2d and 3d take (N, C, L) to (N, C, D, H, W) input; "
                   "these statistics are of a rank-%u tensor",
                   rank);
      return FALSE;
    }
  ns_snippet_list (out, stats, "running_mean", running_mean);
  ns_snippet_list (out, stats, "running_var", running_var);
  g_string_append_c (out, '\n');
  ns_snippet_torch_layout_note (out, stats);
  g_string_append_printf (out, "module = torch.nn.InstanceNorm%ud(\n    %u,\n    eps=", rank - 2,
                          ns_stats_get_n_columns (stats));
  ns_export_append_python_double (out, ns_stats_get_param_double (stats, "eps", NAN));
  g_string_append (out, ",\n    momentum=");
  ns_export_append_python_double (out, ns_stats_get_param_double (stats, "momentum", NAN));
  g_string_append_printf (out,
                          ",\n    affine=False,\n    track_running_stats=True,\n"
                          "    dtype=%s,\n)\n",
                          ns_snippet_torch_dtype (options));
  g_string_append (out,
                   "module.load_state_dict({\n"
                   "    \"running_mean\": torch.tensor(running_mean, dtype=torch.float64),\n"
                   "    \"running_var\": torch.tensor(running_var, dtype=torch.float64),\n"
                   "    \"num_batches_tracked\": torch.tensor(0),  # F.instance_norm never counts\n"
                   "}, strict=True)\n"
                   "module.eval()  # inference mode: normalize with the running statistics\n");
  return TRUE;
}

/* The buffers' shape: (-1,) for a table, so the snippet needs no feature count. */
static void
ns_snippet_torch_shape (GString *out, const NsStats *stats)
{
  gint64 dims[NS_MAX_RANK];
  guint n_dims = ns_export_torch_buffer_shape (stats, dims);

  if (n_dims == 1)
    {
      g_string_append (out, "(-1,)");
      return;
    }
  g_string_append_c (out, '(');
  for (guint i = 0; i < n_dims; i++)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "%s", dims[i], i + 1 < n_dims ? ", " : ")");
}

/* The Normalize module: transform's operations, (x - offset) / scale, then
 * MinMaxScaler(clip=True)'s clip to the feature range (constants, so the state_dict stays offset
 * and scale). */
static gboolean
ns_snippet_torch_normalize_class (GString *out, const NsStats *stats,
                                  const NsExportOptions *options, GError **error)
{
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, error);
  gboolean clip = t != NULL && ns_stats_get_n_columns (stats) > 0 && t[0].clip;

  if (t == NULL)
    return FALSE;
  g_string_append_printf (
    out,
    "\n\nclass Normalize(torch.nn.Module):\n"
    "    \"\"\"(x - offset) / scale per feature%s, the operations of normscope's "
    "transform.\"\"\"\n\n"
    "    def __init__(self, offset, scale, shape, dtype=%s):\n"
    "        super().__init__()\n"
    "        self.register_buffer(\"offset\", torch.tensor(offset, dtype=dtype).reshape(shape))\n"
    "        self.register_buffer(\"scale\", torch.tensor(scale, dtype=dtype).reshape(shape))\n\n"
    "    def forward(self, x):\n",
    clip ? ", clipped to the feature range" : "", ns_snippet_torch_dtype (options));
  if (!clip)
    {
      g_string_append (out, "        return (x - self.offset) / self.scale\n\n\n");
      return TRUE;
    }
  g_string_append (out, "        return ((x - self.offset) / self.scale).clamp(");
  ns_export_append_python_double (out, t[0].low);
  g_string_append (out, ", ");
  ns_export_append_python_double (out, t[0].high);
  g_string_append (out, ")\n\n\n");
  return TRUE;
}

GBytes *
ns_export_torch_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  GString *out = g_string_new (NULL);

  ns_snippet_header (out, stats, "PyTorch module");
  g_string_append (out, "import torch\n\n");
  ns_snippet_names (out, stats);
  if (ns_export_is_batchnorm (stats) || ns_export_is_instancenorm (stats))
    {
      if (!(ns_export_is_batchnorm (stats)
              ? ns_snippet_torch_batchnorm
              : ns_snippet_torch_instancenorm) (out, stats, options, error))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      return g_string_free_to_bytes (out);
    }
  if (!ns_export_use_f64 (options, FALSE) &&
      !ns_export_check_float32_scaling (stats, "torch", error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  ns_snippet_quantity (out, stats, "offset", NS_EXPORT_OFFSET);
  ns_snippet_quantity (out, stats, "scale", NS_EXPORT_SCALE);
  if (!ns_snippet_torch_normalize_class (out, stats, options, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  ns_snippet_torch_layout_note (out, stats);
  g_string_append (out, "module = Normalize(offset, scale, ");
  ns_snippet_torch_shape (out, stats);
  g_string_append (out, ")\n");
  return g_string_free_to_bytes (out);
}

/* scikit-learn. */

static void
ns_snippet_sklearn_common (GString *out, const NsStats *stats)
{
  ns_snippet_sklearn_samples_seen (out, stats, "scaler");
  ns_snippet_sklearn_feature_names (out, stats, "scaler");
}

static void
ns_snippet_sklearn_standard (GString *out, const NsStats *stats)
{
  const char *method = ns_stats_get_method (stats);
  gboolean with_mean = ns_snippet_param_bool (stats, "with_mean", TRUE);
  gboolean with_std = ns_snippet_param_bool (stats, "with_std", TRUE);
  gboolean standard = g_strcmp0 (method, "standard") == 0;

  ns_snippet_quantity (out, stats, "offset", NS_EXPORT_OFFSET);
  ns_snippet_quantity (out, stats, "scale", NS_EXPORT_SCALE);
  if (standard)
    {
      ns_snippet_quantity (out, stats, "mean", NS_EXPORT_MEAN);
      ns_snippet_quantity (out, stats, "variance", NS_EXPORT_VARIANCE);
    }
  else
    {
      g_string_append (out, "\n# Method ");
      ns_export_append_python_string (out, method);
      g_string_append (out, " has no scikit-learn class: a StandardScaler that computes the same "
                            "(x - offset) / scale.\n");
    }
  g_string_append_printf (out, "\nscaler = StandardScaler(with_mean=%s, with_std=%s)\n",
                          with_mean ? "True" : "False", with_std ? "True" : "False");
  /* sklearn keeps mean_ even when it does not subtract it. */
  g_string_append_printf (out, "scaler.mean_ = numpy.array(%s)\n",
                          standard && !with_mean ? "mean" : "offset");
  if (with_std)
    g_string_append_printf (out, "scaler.var_ = %s\nscaler.scale_ = numpy.array(scale)\n",
                            standard ? "numpy.array(variance)"
                                     : "numpy.square(numpy.array(scale))");
  else
    g_string_append (out, "scaler.var_ = None\nscaler.scale_ = None\n");
}

/* A two-number param such as "feature_range"; pair keeps its defaults when the key is absent. */
static void
ns_snippet_param_pair (const NsStats *stats, const char *key, double pair[2])
{
  JsonNode *node = json_object_get_member ((JsonObject *) ns_stats_peek_params (stats), key);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) == 2)
    for (guint i = 0; i < 2; i++)
      pair[i] = json_array_get_double_element (json_node_get_array (node), i);
}

/* "low, high" as exact Python floats. */
static void
ns_snippet_append_pair (GString *out, const double pair[2])
{
  ns_export_append_python_double (out, pair[0]);
  g_string_append (out, ", ");
  ns_export_append_python_double (out, pair[1]);
}

static void
ns_snippet_sklearn_minmax (GString *out, const NsStats *stats, const double *minimum,
                           const double *maximum)
{
  double range[2] = { 0, 1 };

  ns_snippet_param_pair (stats, "feature_range", range);
  ns_snippet_list (out, stats, "data_min", minimum);
  ns_snippet_list (out, stats, "data_max", maximum);
  g_string_append (out, "\nscaler = MinMaxScaler(feature_range=(");
  ns_snippet_append_pair (out, range);
  g_string_append_printf (out, "), clip=%s)\n",
                          ns_snippet_param_bool (stats, "clip", FALSE) ? "True" : "False");
  g_string_append (
    out, "scaler.data_min_ = numpy.array(data_min)\n"
         "scaler.data_max_ = numpy.array(data_max)\n"
         "scaler.data_range_ = scaler.data_max_ - scaler.data_min_\n"
         "# scikit-learn's own formulas (a range below 10 eps counts as 1).\n"
         "_range = numpy.where(scaler.data_range_ < 10 * numpy.finfo(numpy.float64).eps, 1.0, "
         "scaler.data_range_)\n"
         "scaler.scale_ = (scaler.feature_range[1] - scaler.feature_range[0]) / _range\n"
         "scaler.min_ = scaler.feature_range[0] - scaler.data_min_ * scaler.scale_\n");
}

static void
ns_snippet_sklearn_maxabs (GString *out, const NsStats *stats)
{
  g_autofree double *max_abs = ns_export_field (stats, "max_abs");

  ns_snippet_quantity (out, stats, "scale", NS_EXPORT_SCALE);
  if (max_abs != NULL)
    ns_snippet_list (out, stats, "max_abs", max_abs);
  g_string_append_printf (out,
                          "\nscaler = MaxAbsScaler()\nscaler.max_abs_ = numpy.array(%s)\n"
                          "scaler.scale_ = numpy.array(scale)\n",
                          max_abs != NULL ? "max_abs" : "scale");
}

static void
ns_snippet_sklearn_robust (GString *out, const NsStats *stats)
{
  gboolean centering = ns_snippet_param_bool (stats, "with_centering", TRUE);
  gboolean scaling = ns_snippet_param_bool (stats, "with_scaling", TRUE);
  double range[2] = { 25, 75 };

  ns_snippet_param_pair (stats, "quantile_range", range);
  ns_snippet_quantity (out, stats, "center", NS_EXPORT_OFFSET);
  ns_snippet_quantity (out, stats, "scale", NS_EXPORT_SCALE);
  g_string_append_printf (out,
                          "\nscaler = RobustScaler(with_centering=%s, with_scaling=%s, "
                          "unit_variance=%s, quantile_range=(",
                          centering ? "True" : "False", scaling ? "True" : "False",
                          ns_snippet_param_bool (stats, "unit_variance", FALSE) ? "True" : "False");
  ns_snippet_append_pair (out, range);
  g_string_append_printf (out, "))\nscaler.center_ = %s\nscaler.scale_ = %s\n",
                          centering ? "numpy.array(center)" : "None",
                          scaling ? "numpy.array(scale)" : "None");
}

/* scikit-learn's scalers have no affine part: batch-norm stats with gamma or beta are refused. */
static gboolean
ns_snippet_sklearn_check_affine (const NsStats *stats, GError **error)
{
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, error);
  char gamma[NS_DOUBLE_BUF_SIZE], beta[NS_DOUBLE_BUF_SIZE];

  if (t == NULL)
    return FALSE;
  for (guint c = 0; c < ns_stats_get_n_columns (stats); c++)
    if (t[c].affine && (t[c].gamma != 1 || t[c].beta != 0))
      {
        g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                     "sklearn: a StandardScaler cannot apply batch norm's gamma %s and beta %s "
                     "(column '%s'): export torch, keras, safetensors or c-header instead",
                     ns_format_double (gamma, t[c].gamma), ns_format_double (beta, t[c].beta),
                     ns_stats_get_name (stats, c));
        return FALSE;
      }
  return TRUE;
}

GBytes *
ns_export_sklearn_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  GString *out = g_string_new (NULL);
  const char *method = ns_stats_get_method (stats);
  g_autofree double *minimum = ns_export_field (stats, "min");
  g_autofree double *maximum = ns_export_field (stats, "max");
  const char *class_name = "StandardScaler";

  if (!ns_stats_has_affine_transform (stats))
    {
      g_string_free (out, TRUE);
      return ns_export_sklearn_family_bytes (stats, error);
    }
  if (!ns_snippet_sklearn_check_affine (stats, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  if (g_strcmp0 (method, "minmax") == 0 && minimum != NULL && maximum != NULL)
    class_name = "MinMaxScaler";
  else if (g_strcmp0 (method, "maxabs") == 0)
    class_name = "MaxAbsScaler";
  else if (g_strcmp0 (method, "robust") == 0)
    class_name = "RobustScaler";
  ns_snippet_header (out, stats, "A fitted scikit-learn scaler");
  g_string_append_printf (out, "import numpy\nfrom sklearn.preprocessing import %s\n\n",
                          class_name);
  ns_snippet_names (out, stats);
  if (strcmp (class_name, "MinMaxScaler") == 0)
    ns_snippet_sklearn_minmax (out, stats, minimum, maximum);
  else if (strcmp (class_name, "MaxAbsScaler") == 0)
    ns_snippet_sklearn_maxabs (out, stats);
  else if (strcmp (class_name, "RobustScaler") == 0)
    ns_snippet_sklearn_robust (out, stats);
  else
    ns_snippet_sklearn_standard (out, stats);
  ns_snippet_sklearn_common (out, stats);
  return g_string_free_to_bytes (out);
}

/* torchvision. */

/* Normalize computes (x - mean) / std on axis -3 of (..., C, H, W): one kept axis there, and no
 * gamma, beta or clip that it could not apply. */
static gboolean
ns_snippet_torchvision_check (const NsStats *stats, const NsColumnTransform *t, GError **error)
{
  guint rank = ns_export_rank (stats);
  int axis = ns_export_kept_axis (stats);
  const char *reason = NULL;

  for (guint c = 0; c < ns_stats_get_n_columns (stats) && reason == NULL; c++)
    if (t[c].affine && (t[c].gamma != 1 || t[c].beta != 0))
      reason = "Normalize has no gamma and beta: export torch or onnx for batch norm's affine part";
    else if (t[c].clip)
      reason = "Normalize does not clip: export onnx or torch for MinMaxScaler(clip=True)";
  if (reason == NULL && (rank < 4 || axis != (int) rank - 3))
    reason = "Normalize scales the channels on axis -3 of (..., C, H, W) images: fit with --axis 1 "
             "on (N, C, H, W) data";
  if (reason == NULL && ns_stats_get_n_columns (stats) == 0)
    reason = "the stats have no channels";
  if (reason == NULL)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED, "torchvision: %s", reason);
  return FALSE;
}

GBytes *
ns_export_torchvision_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  g_autofree NsColumnTransform *t = ns_stats_get_transforms (stats, error);
  GString *out;

  if (t == NULL || !ns_snippet_torchvision_check (stats, t, error))
    return NULL;
  out = g_string_new (NULL);
  ns_snippet_header (out, stats, "A torchvision transform");
  g_string_append (out, "from torchvision import transforms\n\n");
  ns_snippet_names (out, stats);
  ns_snippet_quantity (out, stats, "mean", NS_EXPORT_OFFSET);
  ns_snippet_quantity (out, stats, "std", NS_EXPORT_SCALE);
  g_string_append (
    out, "\n# (x - mean) / std per channel of a (..., C, H, W) tensor: normscope's "
         "transform (batch norm: to rounding).\ntransform = transforms.Normalize(mean=mean, "
         "std=std)\n");
  return g_string_free_to_bytes (out);
}
