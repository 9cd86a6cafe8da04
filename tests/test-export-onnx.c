/* test-export-onnx.c: the ONNX model and the torchvision snippet: their structure read back with
 * protobuf-c, their refusals, and (tests/check-exports.py) the real tools running them; and the
 * safetensors of every scaler and layout loading strictly into the torch snippet's module.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-export.h"
#include "onnx.pb-c.h"
#include "test-utils.h"

static NsStats *
make_stats (const char *method, guint rank)
{
  NsStats *stats = ns_stats_new (method, 3);
  JsonObject *params = ns_stats_get_params (stats);
  JsonArray *axis = json_array_new ();

  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *name = g_strdup_printf ("channel_%u", c);

      /* 0.1 and 1/3 have no exact float: the f32 model must hold their float32 rounding. */
      ns_stats_set_column (stats, c, name, 9, 0, 0.1 * c, 1, 0.1 * (c + 1), 1.0 / (c + 3));
    }
  json_array_add_int_element (axis, 1);
  json_object_set_array_member (params, "axis", axis);
  json_object_set_int_member (params, "rank", rank);
  return stats;
}

static Onnx__ModelProto *
export_model (const NsStats *stats, NsExportDtype dtype)
{
  g_autoptr (GError) error = NULL;
  NsExportOptions options;
  g_autoptr (GBytes) bytes = NULL;
  gsize len;
  const guint8 *data;

  ns_export_options_init (&options);
  options.dtype = dtype;
  bytes = ns_export_to_bytes (stats, NS_EXPORT_ONNX, &options, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  return onnx__model_proto__unpack (NULL, len, data);
}

static const Onnx__TensorProto *
find_initializer (const Onnx__GraphProto *graph, const char *name)
{
  for (size_t i = 0; i < graph->n_initializer; i++)
    if (g_strcmp0 (graph->initializer[i]->name, name) == 0)
      return graph->initializer[i];
  g_error ("no initializer %s", name);
}

static double
initializer_value (const Onnx__TensorProto *t, guint i)
{
  if (t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE)
    {
      guint64 le;
      union {
        guint64 u;
        double d;
      } v;

      memcpy (&le, t->raw_data.data + 8 * i, 8);
      v.u = GUINT64_FROM_LE (le);
      return v.d;
    }
  else
    {
      guint32 le;
      union {
        guint32 u;
        float f;
      } v;

      memcpy (&le, t->raw_data.data + 4 * i, 4);
      v.u = GUINT32_FROM_LE (le);
      return v.f;
    }
}

static char *
op_types (const Onnx__GraphProto *graph)
{
  GString *ops = g_string_new (NULL);

  for (size_t i = 0; i < graph->n_node; i++)
    g_string_append_printf (ops, "%s%s", i > 0 ? " " : "", graph->node[i]->op_type);
  return g_string_free (ops, FALSE);
}

/* IR 8, opset 13, input/output names and a symbolic batch axis; constants exact in their dtype. */
static void
test_onnx_standard (void)
{
  g_autoptr (NsStats) stats = make_stats ("standard", 4);

  for (guint k = 0; k < 2; k++)
    {
      Onnx__ModelProto *model =
        export_model (stats, k == 0 ? NS_EXPORT_DTYPE_F64 : NS_EXPORT_DTYPE_DEFAULT);
      const Onnx__GraphProto *graph = model->graph;
      const Onnx__TypeProto__Tensor *input = graph->input[0]->type->tensor_type;
      const Onnx__TensorProto *offset = find_initializer (graph, "offset");
      const Onnx__TensorProto *scale = find_initializer (graph, "scale");
      g_autofree char *ops = op_types (graph);

      g_assert_cmpint (model->ir_version, ==, 8);
      g_assert_cmpint (model->opset_import[0]->version, ==, 13);
      g_assert_cmpstr (graph->input[0]->name, ==, "input");
      g_assert_cmpstr (graph->output[0]->name, ==, "output");
      g_assert_cmpint (input->elem_type, ==, k == 0 ? 11 : 1);
      g_assert_cmpuint (input->shape->n_dim, ==, 4);
      g_assert_cmpstr (input->shape->dim[0]->dim_param, ==, "N");
      g_assert_cmpint (input->shape->dim[1]->dim_value, ==, 3);
      g_assert_cmpstr (input->shape->dim[2]->dim_param, ==, "d2");
      g_assert_cmpstr (ops, ==, "Sub Div");
      g_assert_cmpuint (offset->n_dims, ==, 4);
      g_assert_cmpint (offset->dims[1], ==, 3);
      g_assert_cmpint (offset->dims[2], ==, 1);
      for (guint c = 0; c < 3; c++)
        {
          double want_offset = ns_stats_get_offset (stats, c),
                 want_scale = ns_stats_get_scale (stats, c);

          g_assert_cmpfloat (initializer_value (offset, c), ==,
                             k == 0 ? want_offset : (float) want_offset);
          g_assert_cmpfloat (initializer_value (scale, c), ==,
                             k == 0 ? want_scale : (float) want_scale);
        }
      onnx__model_proto__free_unpacked (model, NULL);
    }
}

/* Batch norm as transform computes it (PyTorch's x * alpha + shift, Flax's (x - mean) * alpha +
 * beta), eps folded into the double scale: no 32-bit epsilon attribute. MinMaxScaler clip: Clip. */
static void
test_onnx_graphs (void)
{
  static const struct {
    const char *method, *preset;
    gboolean clip;
    const char *ops;
  } cases[] = {
    { "batchnorm", "pytorch", FALSE, "Mul Add" },
    { "batchnorm", "flax", FALSE, "Sub Mul Add" },
    { "minmax", NULL, TRUE, "Sub Div Clip" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (NsStats) stats = make_stats (cases[i].method, 2);
      JsonObject *params = ns_stats_get_params (stats);
      g_autofree NsColumnTransform *t = NULL;
      Onnx__ModelProto *model;
      g_autofree char *ops = NULL;
      JsonArray *range = json_array_new ();

      if (cases[i].preset != NULL)
        json_object_set_string_member (params, "preset", cases[i].preset);
      json_object_set_double_member (params, "gamma", 1.5);
      json_object_set_double_member (params, "eps", 1e-5);
      json_array_add_double_element (range, -1);
      json_array_add_double_element (range, 2);
      json_object_set_array_member (params, "feature_range", range);
      json_object_set_boolean_member (params, "clip", cases[i].clip);
      t = ns_stats_get_transforms (stats, NULL);
      model = export_model (stats, NS_EXPORT_DTYPE_F64);
      ops = op_types (model->graph);
      g_assert_cmpstr (ops, ==, cases[i].ops);
      for (size_t n = 0; n < model->graph->n_node; n++)
        g_assert_cmpuint (model->graph->node[n]->n_attribute, ==, 0);
      if (t[0].affine)
        g_assert_cmpfloat (initializer_value (find_initializer (model->graph, "alpha"), 2), ==,
                           t[2].alpha);
      else
        g_assert_cmpfloat (initializer_value (find_initializer (model->graph, "clip_high"), 0), ==,
                           2);
      onnx__model_proto__free_unpacked (model, NULL);
    }
}

static void
assert_refused (const NsStats *stats, NsExportFormat format, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = ns_export_to_bytes (stats, format, NULL, &error);

  g_assert_null (bytes);
  g_assert_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_onnx_refusals (void)
{
  g_autoptr (NsStats) empty = ns_stats_new ("standard", 0);
  g_autoptr (NsStats) two_axes = make_stats ("standard", 4);
  JsonArray *axis = json_array_new ();

  assert_refused (
    empty, NS_EXPORT_ONNX,
    "onnx: the stats have no features, so the model would have no input axis to scale");
  json_array_add_int_element (axis, 1);
  json_array_add_int_element (axis, 2);
  json_object_set_array_member (ns_stats_get_params (two_axes), "axis", axis);
  assert_refused (
    two_axes, NS_EXPORT_ONNX,
    "onnx: the stats do not record the sizes of their kept axes (params axis, rank and "
    "shape), so the constants cannot be shaped to broadcast over the input");
}

/* float32 constants: 1e39 would be inf, 1e-50 zero; f64 holds both. */
static void
test_onnx_float32_range (void)
{
  g_autoptr (NsStats) stats = make_stats ("standard", 2);
  Onnx__ModelProto *model;

  ns_stats_set_offset_scale (stats, 2, 1e39, 1);
  assert_refused (stats, NS_EXPORT_ONNX,
                  "onnx: column 'channel_2': offset 1e+39 is beyond float32's range, so a float32 "
                  "model would not compute the transform (export with --dtype f64)");
  ns_stats_set_offset_scale (stats, 2, 0, 1e-50);
  assert_refused (stats, NS_EXPORT_ONNX,
                  "onnx: column 'channel_2': scale 1e-50 is beyond float32's range, so a float32 "
                  "model would not compute the transform (export with --dtype f64)");
  model = export_model (stats, NS_EXPORT_DTYPE_F64);
  g_assert_cmpfloat (initializer_value (find_initializer (model->graph, "scale"), 2), ==, 1e-50);
  onnx__model_proto__free_unpacked (model, NULL);
}

static void
test_torchvision_text (void)
{
  g_autoptr (NsStats) stats = make_stats ("keras", 4);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = ns_export_to_bytes (stats, NS_EXPORT_TORCHVISION, NULL, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (text, "from torchvision import transforms\n"));
  g_assert_nonnull (strstr (text, "mean = [\n    0.1,  # 0 \"channel_0\"\n"));
  g_assert_nonnull (strstr (text, "std = [\n    0.3333333333333333,  # 0 \"channel_0\"\n"));
  g_assert_true (g_str_has_suffix (text, "transform = transforms.Normalize(mean=mean, std=std)\n"));
}

static void
test_torchvision_refusals (void)
{
  g_autoptr (NsStats) table = make_stats ("standard", 2);
  g_autoptr (NsStats) affine = make_stats ("batchnorm", 4);
  g_autoptr (NsStats) clip = make_stats ("minmax", 4);
  JsonArray *range = json_array_new ();

  assert_refused (table, NS_EXPORT_TORCHVISION,
                  "torchvision: Normalize scales the channels on axis -3 of (..., C, H, W) images: "
                  "fit with --axis 1 on (N, C, H, W) data");
  json_object_set_double_member (ns_stats_get_params (affine), "beta", 0.5);
  assert_refused (affine, NS_EXPORT_TORCHVISION,
                  "torchvision: Normalize has no gamma and beta: export torch or onnx for batch "
                  "norm's affine part");
  json_array_add_double_element (range, 0);
  json_array_add_double_element (range, 1);
  json_object_set_array_member (ns_stats_get_params (clip), "feature_range", range);
  json_object_set_boolean_member (ns_stats_get_params (clip), "clip", TRUE);
  assert_refused (clip, NS_EXPORT_TORCHVISION,
                  "torchvision: Normalize does not clip: export onnx or torch for "
                  "MinMaxScaler(clip=True)");
}

/* onnx.checker and ONNX Runtime, torchvision.transforms.Normalize, on fixtures of every layout. */
static void
run_tool_check (gconstpointer check)
{
  g_autoptr (NsTestTempDir) dir = ns_test_temp_dir_new ();
  ns_test_run_export_check (check, dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export-onnx/standard", test_onnx_standard);
  g_test_add_func ("/export-onnx/graphs", test_onnx_graphs);
  g_test_add_func ("/export-onnx/refusals", test_onnx_refusals);
  g_test_add_func ("/export-onnx/float32-range", test_onnx_float32_range);
  g_test_add_func ("/export-onnx/torchvision/text", test_torchvision_text);
  g_test_add_func ("/export-onnx/torchvision/refusals", test_torchvision_refusals);
  g_test_add_data_func ("/export-onnx/onnxruntime", "onnx", run_tool_check);
  g_test_add_data_func ("/export-onnx/torchvision/normalize", "torchvision", run_tool_check);
  g_test_add_data_func ("/export-onnx/safetensors/strict-load", "torch-safetensors-layouts",
                        run_tool_check);
  return g_test_run ();
}
