/* ns-normalize-import.c: instance norm's running statistics from a `normalize` stats file, as
 * stats.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-normalize-import.h"

#include <math.h>
#include <string.h>

#include "ns-batchnorm.h"
#include "ns-dataset.h"
#include "ns-json.h"
#include "ns-layer-norm-options.h"

typedef struct {
  NsLayerNormPreset preset;
  double eps, momentum;
  gint64 channel_axis, count, batch_size, batches;
  gsize shape[NS_MAX_RANK];
  gsize rank, n_samples, n_channels;
  double *mean, *variance, *running_mean, *running_var; /* (N, C), (N, C), C, C */
} NsNormalizeFile;

static void
normalize_file_clear (NsNormalizeFile *f)
{
  g_free (f->mean);
  g_free (f->variance);
  g_free (f->running_mean);
  g_free (f->running_var);
}

static gboolean
read_int (NsJsonReader *reader, JsonObject *root, const char *key, gint64 min, gint64 max,
          gint64 *value)
{
  JsonNode *node = json_object_get_member (root, key);
  g_autofree char *expected = NULL;

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= min && json_node_get_int (node) <= max)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  expected =
    g_strdup_printf ("an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, min, max);
  return ns_json_fail (reader, key, expected, node);
}

static gboolean
read_name (NsJsonReader *reader, JsonObject *root, const char *key, const char *expected_name)
{
  JsonNode *node = json_object_get_member (root, key);
  g_autofree char *expected = g_strdup_printf ("\"%s\"", expected_name);

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (node), expected_name) == 0)
    return TRUE;
  return ns_json_fail (reader, key, expected, node);
}

/* An array of exactly n numbers (or "nan", "inf", "-inf"). */
static double *
read_doubles (NsJsonReader *reader, JsonObject *root, const char *key, gsize n)
{
  JsonNode *node = json_object_get_member (root, key);
  g_autofree char *expected = g_strdup_printf ("an array of %" G_GSIZE_FORMAT " numbers", n);
  g_autofree double *values = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) != n)
    {
      ns_json_fail (reader, key, expected, node);
      return NULL;
    }
  values = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (!ns_json_node_to_double (json_array_get_element (array, i), &values[i]))
      {
        g_autofree char *path = g_strdup_printf ("%s[%u]", key, i);

        ns_json_fail (reader, path, "a number", json_array_get_element (array, i));
        return NULL;
      }
  return g_steal_pointer (&values);
}

static gboolean
read_sizes (NsJsonReader *reader, JsonObject *root, const char *key, gsize *sizes, gsize *n)
{
  JsonNode *node = json_object_get_member (root, key);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) > NS_MAX_RANK)
    return ns_json_fail (reader, key, "an array of sizes", node);
  *n = json_array_get_length (array);
  for (guint i = 0; i < *n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_INT64 || json_node_get_int (element) < 0 ||
          json_node_get_int (element) > G_MAXINT32)
        {
          g_autofree char *path = g_strdup_printf ("%s[%u]", key, i);

          return ns_json_fail (reader, path, "a size (an integer >= 0)", element);
        }
      sizes[i] = (gsize) json_node_get_int (element);
    }
  return TRUE;
}

/* Only instance norm with running statistics keeps anything that outlives one sample. */
static gboolean
check_layer (NsJsonReader *reader, JsonObject *root)
{
  const char *layer = ns_json_read_string (reader, root, "layer", "layer");
  NsLayerNormKind kind;

  if (layer == NULL)
    return FALSE;
  if (!ns_layer_norm_kind_from_string (layer, &kind, NULL))
    return ns_json_fail (reader, "layer", "batch, layer, instance, group or rms",
                         json_object_get_member (root, "layer"));
  if (kind == NS_LAYER_NORM_INSTANCE && json_object_has_member (root, "running_mean"))
    return TRUE;
  g_set_error (reader->error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "%s: this normalize run (layer '%s'%s) has no statistics a module keeps: only "
               "instance norm with running statistics (normalize --track-running-stats) has; %s",
               reader->file, ns_layer_norm_kind_to_string (kind),
               kind == NS_LAYER_NORM_INSTANCE ? " without --track-running-stats" : "",
               kind == NS_LAYER_NORM_BATCH
                 ? "export batch norm from the stats of normscope-cli batchnorm"
                 : "the others normalize each sample by its own statistics");
  return FALSE;
}

static gboolean
read_shape (NsJsonReader *reader, JsonObject *root, NsNormalizeFile *f)
{
  gsize stats_shape[NS_MAX_RANK], stats_rank, per_channel = 1;

  if (!read_sizes (reader, root, "shape", f->shape, &f->rank))
    return FALSE;
  if (f->rank < 3)
    return ns_json_fail (reader, "shape", "the shape of a tensor of rank >= 3 (N, C, ...)",
                         json_object_get_member (root, "shape"));
  if (!read_int (reader, root, "channel_axis", 1, (gint64) f->rank - 1, &f->channel_axis))
    return FALSE;
  f->n_samples = f->shape[0];
  f->n_channels = f->shape[f->channel_axis];
  for (gsize a = 1; a < f->rank; a++)
    per_channel *= a == (gsize) f->channel_axis ? 1 : f->shape[a];
  if (!read_int (reader, root, "count", 2, G_MAXINT64, &f->count))
    return FALSE;
  if ((gsize) f->count != per_channel)
    return ns_json_fail (reader, "count", "the values per sample and channel the shape gives",
                         json_object_get_member (root, "count"));
  if (!read_sizes (reader, root, "statistics_shape", stats_shape, &stats_rank))
    return FALSE;
  if (stats_rank != 2 || stats_shape[0] != f->n_samples || stats_shape[1] != f->n_channels)
    return ns_json_fail (reader, "statistics_shape", "[N, C] of the shape",
                         json_object_get_member (root, "statistics_shape"));
  return TRUE;
}

static gboolean
read_settings (NsJsonReader *reader, JsonObject *root, NsNormalizeFile *f)
{
  const char *preset = ns_json_read_string (reader, root, "preset", "preset");

  if (preset == NULL)
    return FALSE;
  if (!ns_layer_norm_preset_from_string (preset, &f->preset, NULL))
    return ns_json_fail (reader, "preset", "pytorch, keras or flax",
                         json_object_get_member (root, "preset"));
  if (!ns_json_read_double (reader, root, "", "eps", &f->eps))
    return FALSE;
  if (!(f->eps >= 0 && isfinite (f->eps)))
    return ns_json_fail (reader, "eps", "a finite number >= 0",
                         json_object_get_member (root, "eps"));
  if (!ns_json_read_double (reader, root, "", "momentum", &f->momentum))
    return FALSE;
  if (!(f->momentum >= 0 && f->momentum <= 1))
    return ns_json_fail (reader, "momentum", "a number from 0 to 1",
                         json_object_get_member (root, "momentum"));
  return read_name (reader, root, "momentum_convention", "weight-of-new") &&
         read_int (reader, root, "batch_size", 1, G_MAXINT64, &f->batch_size) &&
         read_int (reader, root, "batches", 0, G_MAXINT64, &f->batches);
}

static gboolean
read_file (NsJsonReader *reader, JsonObject *root, NsNormalizeFile *f)
{
  gint64 version, tracked;
  gsize n_stats;

  if (!read_int (reader, root, "version", NS_NORMALIZE_VERSION, NS_NORMALIZE_VERSION, &version) ||
      !check_layer (reader, root) || !read_shape (reader, root, f) ||
      !read_settings (reader, root, f) ||
      !read_int (reader, root, "num_batches_tracked", 0, 0, &tracked))
    return FALSE;
  n_stats = f->n_samples * f->n_channels;
  return (f->mean = read_doubles (reader, root, "mean", n_stats)) != NULL &&
         (f->variance = read_doubles (reader, root, "variance", n_stats)) != NULL &&
         (f->running_mean = read_doubles (reader, root, "running_mean", f->n_channels)) != NULL &&
         (f->running_var = read_doubles (reader, root, "running_var", f->n_channels)) != NULL;
}

/* ---- The stats: each channel's mean and variance over the whole input from the per-sample ones
 * (every sample has count values: the mean of the means, and the law of total variance). */

static void
channel_moments (const NsNormalizeFile *f, gsize c, double *mean, double *variance)
{
  double m = 0, v = 0;

  for (gsize n = 0; n < f->n_samples; n++)
    m += f->mean[n * f->n_channels + c];
  m /= MAX (f->n_samples, 1);
  for (gsize n = 0; n < f->n_samples; n++)
    {
      double d = f->mean[n * f->n_channels + c] - m;

      v += f->variance[n * f->n_channels + c] + d * d;
    }
  *mean = m;
  *variance = v / MAX (f->n_samples, 1);
}

static void
set_params (NsStats *stats, const NsNormalizeFile *f)
{
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *axis = json_array_new (), *shape = json_array_new ();

  json_object_set_string_member (params, "layer", "instance");
  json_object_set_string_member (params, "preset", ns_layer_norm_preset_to_string (f->preset));
  json_object_set_double_member (params, "eps", f->eps);
  json_object_set_double_member (params, "momentum", f->momentum);
  json_object_set_string_member (params, "momentum_convention", "weight-of-new");
  json_object_set_int_member (params, "batch_size", f->batch_size);
  json_array_add_int_element (axis, f->channel_axis);
  json_object_set_array_member (params, "axis", axis);
  json_object_set_int_member (params, "rank", (gint64) f->rank);
  for (gsize a = 0; a < f->rank; a++)
    json_array_add_int_element (shape, (gint64) f->shape[a]);
  json_object_set_array_member (params, "shape", shape);
  json_object_set_int_member (ns_stats_get_extra (stats), "num_batches_tracked", 0);
}

static NsStats *
stats_from_file (const NsNormalizeFile *f, JsonObject *root, const char *path, GError **error)
{
  g_autoptr (NsStats) stats = ns_stats_new (NS_INSTANCENORM_METHOD, (guint) f->n_channels);
  NsJsonReader reader = { path, error };
  gboolean ok = TRUE;
  const char *source = ns_json_read_optional_string (&reader, root, "", "source_file", &ok);
  const char *sha256 =
    ok ? ns_json_read_optional_string (&reader, root, "", "source_sha256", &ok) : NULL;

  if (!ok || !ns_json_check_string_is_text (&reader, "source_file", source) ||
      !ns_json_check_string_is_text (&reader, "source_sha256", sha256))
    return NULL;
  ns_stats_set_source (stats, source, f->n_samples, sha256);
  set_params (stats, f);
  for (gsize c = 0; c < f->n_channels; c++)
    {
      g_autofree char *name = ns_dataset_tensor_column_name (f->n_channels, 1, c);
      double mean, variance;

      channel_moments (f, c, &mean, &variance);
      ns_stats_set_column (stats, (guint) c, name, (double) (f->n_samples * f->count), 0, mean,
                           variance, f->running_mean[c],
                           ns_batchnorm_inference_scale (f->running_var[c], f->eps));
      ns_stats_set_field (stats, (guint) c, "running_mean", f->running_mean[c]);
      ns_stats_set_field (stats, (guint) c, "running_var", f->running_var[c]);
    }
  if (!ns_stats_check_transform (stats, path, error))
    return NULL;
  return g_steal_pointer (&stats);
}

NsStats *
ns_normalize_import (JsonObject *root, const char *path, GError **error)
{
  NsJsonReader reader = { path != NULL ? path : "stats", error };
  NsNormalizeFile file = { 0 };
  NsStats *stats = NULL;

  if (read_file (&reader, root, &file))
    stats = stats_from_file (&file, root, reader.file, error);
  normalize_file_clear (&file);
  return stats;
}
