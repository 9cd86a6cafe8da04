/* ns-export-onnx.c: stats as an ONNX model (elementwise operators, opset 13) packed with
 * protobuf-c. SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ns-export-onnx.h"

#include <math.h>
#include <string.h>
#include "ns-format-double.h"
#include "ns-json.h"
#include "onnx.pb-c.h"

/* IR 8 and opset 13 load in onnx 1.12's checker (at most IR 8, opset 17) and every current runtime.
 */
#define NS_ONNX_IR_VERSION 8
#define NS_ONNX_OPSET 13

/* Every message of one model, freed together once it is packed. */
typedef struct {
  GPtrArray *kept;
  GPtrArray *nodes;
  GPtrArray *initializers;
  gboolean f64;
  guint rank;
  gint64 *shape; /* the constants' shape: 1, then each axis' size or 1 where it is pooled */
  gboolean *kept_axis;
  guint n_values;   /* one per feature */
  guint n_steps;    /* nodes of the whole graph, so the last one can be named "output" */
  const char *lost; /* f32: the first constant float32 cannot hold, its column and value */
  guint lost_column;
  double lost_value;
} NsOnnxBuilder;

static gpointer
ns_onnx_keep (NsOnnxBuilder *b, gpointer data)
{
  g_ptr_array_add (b->kept, data);
  return data;
}

#define NS_ONNX_NEW(b, Type, INIT) \
  ((Type *) ns_onnx_keep ((b), g_memdup2 (&(Type) INIT, sizeof (Type))))

static char *
ns_onnx_strdup (NsOnnxBuilder *b, const char *text)
{
  return ns_onnx_keep (b, g_strdup (text));
}

/* A constant tensor, little-endian raw data as the format requires; scalar: 0-d (Clip's bounds). */
static void
ns_onnx_add_constant (NsOnnxBuilder *b, const char *name, const double *values, guint n,
                      gboolean scalar)
{
  Onnx__TensorProto *t = NS_ONNX_NEW (b, Onnx__TensorProto, ONNX__TENSOR_PROTO__INIT);
  gsize width = b->f64 ? 8 : 4;
  guint8 *raw = ns_onnx_keep (b, g_malloc (MAX (n, 1) * width));

  for (guint i = 0; i < n; i++)
    {
      union {
        double d;
        guint64 u;
      } wide = { .d = values[i] };
      union {
        float f;
        guint32 u;
      } narrow = { .f = (float) values[i] };
      guint64 le64 = GUINT64_TO_LE (wide.u);
      guint32 le32 = GUINT32_TO_LE (narrow.u);

      memcpy (raw + i * width, b->f64 ? (void *) &le64 : (void *) &le32, width);
      if (!b->f64 && b->lost == NULL && !ns_export_float32_holds (values[i]))
        {
          b->lost = name;
          b->lost_column = scalar ? G_MAXUINT : i;
          b->lost_value = values[i];
        }
    }
  t->name = ns_onnx_strdup (b, name);
  t->has_data_type = TRUE;
  t->data_type =
    b->f64 ? ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE : ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
  t->n_dims = scalar ? 0 : b->rank;
  t->dims = scalar ? NULL : b->shape;
  t->has_raw_data = TRUE;
  t->raw_data.len = n * width;
  t->raw_data.data = raw;
  g_ptr_array_add (b->initializers, t);
}

/* One node; the output of the last step is the graph's "output", the others "step1", "step2"... */
static void
ns_onnx_add_node (NsOnnxBuilder *b, const char *op, const char *constant, const char *constant2)
{
  Onnx__NodeProto *node = NS_ONNX_NEW (b, Onnx__NodeProto, ONNX__NODE_PROTO__INIT);
  char **inputs = ns_onnx_keep (b, g_new0 (char *, 3));
  char **outputs = ns_onnx_keep (b, g_new0 (char *, 1));
  guint step = b->nodes->len;

  inputs[0] = step == 0 ? "input" : ((Onnx__NodeProto *) b->nodes->pdata[step - 1])->output[0];
  inputs[1] = (char *) constant;
  inputs[2] = (char *) constant2;
  outputs[0] =
    step + 1 == b->n_steps ? "output" : ns_onnx_keep (b, g_strdup_printf ("step%u", step + 1));
  node->n_input = constant2 != NULL ? 3 : 2;
  node->input = inputs;
  node->n_output = 1;
  node->output = outputs;
  node->name = ns_onnx_keep (b, g_strdup_printf ("%s%u", op, step + 1));
  node->op_type = (char *) op;
  g_ptr_array_add (b->nodes, node);
}

/* One of the transform's per-column quantities as a constant, offsets[c] etc. */
static void
ns_onnx_add_column_constant (NsOnnxBuilder *b, const char *name, const NsColumnTransform *t,
                             gsize member)
{
  g_autofree double *values = g_new (double, MAX (b->n_values, 1));

  for (guint c = 0; c < b->n_values; c++)
    values[c] = *(const double *) ((const char *) &t[c] + member);
  ns_onnx_add_constant (b, name, values, b->n_values, FALSE);
}

/* MinMaxScaler(clip=True)'s clip, after the transform. */
static void
ns_onnx_add_clip (NsOnnxBuilder *b, const NsColumnTransform *t)
{
  if (!t[0].clip)
    return;
  ns_onnx_add_constant (b, "clip_low", &t[0].low, 1, TRUE);
  ns_onnx_add_constant (b, "clip_high", &t[0].high, 1, TRUE);
  ns_onnx_add_node (b, "Clip", "clip_low", "clip_high");
}

/* The operations of ns_stats_transform, in its order: (x - offset) / scale; min-max and batch norm
 * x * alpha + shift, or (x - offset) * alpha + beta (Flax); then the clip of
 * MinMaxScaler(clip=True). */
static void
ns_onnx_add_transform (NsOnnxBuilder *b, const NsColumnTransform *t)
{
  if (!t[0].affine)
    {
      b->n_steps = t[0].clip ? 3 : 2;
      ns_onnx_add_column_constant (b, "offset", t, G_STRUCT_OFFSET (NsColumnTransform, offset));
      ns_onnx_add_column_constant (b, "scale", t, G_STRUCT_OFFSET (NsColumnTransform, scale));
      ns_onnx_add_node (b, "Sub", "offset", NULL);
      ns_onnx_add_node (b, "Div", "scale", NULL);
      ns_onnx_add_clip (b, t);
      return;
    }
  b->n_steps = (t[0].subtract_first ? 3 : 2) + (t[0].clip ? 1 : 0);
  ns_onnx_add_column_constant (b, "alpha", t, G_STRUCT_OFFSET (NsColumnTransform, alpha));
  if (t[0].subtract_first)
    {
      ns_onnx_add_column_constant (b, "offset", t, G_STRUCT_OFFSET (NsColumnTransform, offset));
      ns_onnx_add_column_constant (b, "beta", t, G_STRUCT_OFFSET (NsColumnTransform, beta));
      ns_onnx_add_node (b, "Sub", "offset", NULL);
    }
  else
    ns_onnx_add_column_constant (b, "shift", t, G_STRUCT_OFFSET (NsColumnTransform, shift));
  ns_onnx_add_node (b, "Mul", "alpha", NULL);
  ns_onnx_add_node (b, "Add", t[0].subtract_first ? "beta" : "shift", NULL);
  ns_onnx_add_clip (b, t);
}

/* Element i of an array of numbers, when it is an integer in [low, high]. */
static gboolean
ns_onnx_array_integer (JsonNode *array, guint i, gint64 low, gint64 high, gint64 *integer)
{
  double value;

  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array) ||
      i >= json_array_get_length (json_node_get_array (array)) ||
      !ns_json_node_to_double (json_array_get_element (json_node_get_array (array), i), &value) ||
      !(value >= low && value <= high) || value != (gint64) value)
    return FALSE;
  *integer = (gint64) value;
  return TRUE;
}

/* params.shape[axis] when it is a plausible size for n features, else 0. */
static gint64
ns_onnx_axis_size (const NsStats *stats, guint axis, guint n)
{
  JsonNode *shape = json_object_get_member ((JsonObject *) ns_stats_peek_params (stats), "shape");
  gint64 size = 0;

  return ns_onnx_array_integer (shape, axis, 1, n, &size) ? size : 0;
}

/* Marks the kept axes (params.axis: a number, a string or a list of them; tables keep axis 1). */
static gboolean
ns_onnx_mark_kept_axes (const NsStats *stats, gboolean *kept, guint rank)
{
  JsonNode *node = json_object_get_member ((JsonObject *) ns_stats_peek_params (stats), "axis");
  int single = ns_export_kept_axis (stats);

  if (single >= 1)
    {
      kept[single] = TRUE;
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      gint64 axis;

      if (!ns_onnx_array_integer (node, i, -(gint64) rank, rank - 1, &axis))
        return FALSE;
      axis += axis < 0 ? rank : 0;
      if (axis < 1)
        return FALSE;
      kept[axis] = TRUE;
    }
  return TRUE;
}

/* The constants' shape (1, then each kept axis' size, 1 where pooled) and a check that the kept
 * sizes multiply to the number of features. */
static gboolean
ns_onnx_layout (NsOnnxBuilder *b, const NsStats *stats, GError **error)
{
  guint n = ns_stats_get_n_columns (stats);
  guint n_kept = 0;
  gint64 product = 1;

  b->rank = ns_export_rank (stats);
  b->shape = ns_onnx_keep (b, g_new (gint64, b->rank));
  b->kept_axis = ns_onnx_keep (b, g_new0 (gboolean, b->rank));
  if (!ns_onnx_mark_kept_axes (stats, b->kept_axis, b->rank))
    goto unknown;
  b->shape[0] = 1;
  for (guint a = 1; a < b->rank; a++)
    n_kept += b->kept_axis[a] ? 1 : 0;
  for (guint a = 1; a < b->rank; a++)
    {
      gint64 size = ns_onnx_axis_size (stats, a, n);

      b->shape[a] = !b->kept_axis[a] ? 1 : n_kept == 1 ? n : size;
      product *= b->shape[a];
    }
  if (product == n)
    return TRUE;
unknown:
  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "onnx: the stats do not record the sizes of their kept axes (params axis, rank and "
               "shape), so the constants cannot be shaped to broadcast over the input");
  return FALSE;
}

/* input and output: the batch axis "N" and pooled axes symbolic ("d2"...), kept axes fixed. */
static Onnx__ValueInfoProto *
ns_onnx_value_info (NsOnnxBuilder *b, const char *name)
{
  Onnx__ValueInfoProto *info = NS_ONNX_NEW (b, Onnx__ValueInfoProto, ONNX__VALUE_INFO_PROTO__INIT);
  Onnx__TypeProto *type = NS_ONNX_NEW (b, Onnx__TypeProto, ONNX__TYPE_PROTO__INIT);
  Onnx__TypeProto__Tensor *tensor =
    NS_ONNX_NEW (b, Onnx__TypeProto__Tensor, ONNX__TYPE_PROTO__TENSOR__INIT);
  Onnx__TensorShapeProto *shape =
    NS_ONNX_NEW (b, Onnx__TensorShapeProto, ONNX__TENSOR_SHAPE_PROTO__INIT);

  shape->n_dim = b->rank;
  shape->dim = ns_onnx_keep (b, g_new0 (Onnx__TensorShapeProto__Dimension *, b->rank));
  for (guint a = 0; a < b->rank; a++)
    {
      Onnx__TensorShapeProto__Dimension *dim =
        NS_ONNX_NEW (b, Onnx__TensorShapeProto__Dimension,
                     ONNX__TENSOR_SHAPE_PROTO__DIMENSION__INIT);

      if (a > 0 && b->kept_axis[a])
        {
          dim->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
          dim->dim_value = b->shape[a];
        }
      else
        {
          dim->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
          dim->dim_param = a == 0 ? "N" : ns_onnx_keep (b, g_strdup_printf ("d%u", a));
        }
      shape->dim[a] = dim;
    }
  tensor->has_elem_type = TRUE;
  tensor->elem_type =
    b->f64 ? ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE : ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
  tensor->shape = shape;
  type->value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
  type->tensor_type = tensor;
  info->name = (char *) name;
  info->type = type;
  return info;
}

static GBytes *
ns_onnx_pack (NsOnnxBuilder *b, const NsStats *stats)
{
  Onnx__ModelProto model = ONNX__MODEL_PROTO__INIT;
  Onnx__GraphProto graph = ONNX__GRAPH_PROTO__INIT;
  Onnx__OperatorSetIdProto opset = ONNX__OPERATOR_SET_ID_PROTO__INIT;
  Onnx__OperatorSetIdProto *opsets[] = { &opset };
  Onnx__ValueInfoProto *inputs[] = { ns_onnx_value_info (b, "input") };
  Onnx__ValueInfoProto *outputs[] = { ns_onnx_value_info (b, "output") };
  g_autofree char *doc = g_strdup_printf ("normscope transform of %u features, the operations of "
                                          "normscope-cli transform in its order",
                                          ns_stats_get_n_columns (stats));
  gsize size;
  guint8 *data;

  opset.has_version = TRUE;
  opset.version = NS_ONNX_OPSET;
  graph.name = "normscope";
  graph.doc_string = doc;
  graph.n_node = b->nodes->len;
  graph.node = (Onnx__NodeProto **) b->nodes->pdata;
  graph.n_initializer = b->initializers->len;
  graph.initializer = (Onnx__TensorProto **) b->initializers->pdata;
  graph.n_input = graph.n_output = 1;
  graph.input = inputs;
  graph.output = outputs;
  model.has_ir_version = TRUE;
  model.ir_version = NS_ONNX_IR_VERSION;
  model.n_opset_import = 1;
  model.opset_import = opsets;
  model.producer_name = "normscope";
  model.producer_version = PACKAGE_VERSION;
  model.graph = &graph;
  size = onnx__model_proto__get_packed_size (&model);
  data = g_malloc (size);
  onnx__model_proto__pack (&model, data);
  return g_bytes_new_take (data, size);
}

static void
ns_onnx_set_lost_error (const NsOnnxBuilder *b, const NsStats *stats, GError **error)
{
  char value[NS_DOUBLE_BUF_SIZE];

  g_autofree char *where =
    b->lost_column == G_MAXUINT
      ? g_strdup ("")
      : g_strdup_printf ("column '%s': ", ns_stats_get_name (stats, b->lost_column));

  g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
               "onnx: %s%s %s is beyond float32's range, so a float32 model would not compute the "
               "transform (export with --dtype f64)",
               where, b->lost, ns_format_double (value, b->lost_value));
}

GBytes *
ns_export_onnx_bytes (const NsStats *stats, const NsExportOptions *options, GError **error)
{
  g_autofree NsColumnTransform *t = NULL;
  NsOnnxBuilder b = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new (),
                      g_ptr_array_new (), ns_export_use_f64 (options, FALSE) };
  GBytes *bytes = NULL;

  b.n_values = ns_stats_get_n_columns (stats);
  if (b.n_values == 0)
    g_set_error (
      error, NS_ERROR, NS_ERROR_UNSUPPORTED,
      "onnx: the stats have no features, so the model would have no input axis to scale");
  else if ((t = ns_stats_get_transforms (stats, error)) != NULL &&
           ns_onnx_layout (&b, stats, error))
    {
      ns_onnx_add_transform (&b, t);
      if (b.lost == NULL)
        bytes = ns_onnx_pack (&b, stats);
      else
        ns_onnx_set_lost_error (&b, stats, error);
    }
  g_ptr_array_unref (b.nodes);
  g_ptr_array_unref (b.initializers);
  g_ptr_array_unref (b.kept);
  return bytes;
}
