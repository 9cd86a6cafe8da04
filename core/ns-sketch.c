/* ns-sketch.c: KLL quantile sketch: levels of sorted-on-compaction values of weight 2^level.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-sketch.h"
#include "ns-error.h"
#include "ns-json.h"
#include "ns-output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NS_SKETCH_MIN_CAPACITY 8
#define NS_SKETCH_SEED G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)

struct _NsSketch {
  guint64 n;
  guint64 state; /* xorshift64 for the compaction coin */
  double min;
  double max;
  GPtrArray *levels; /* GArray of double, level h has weight 2^h */
};

NsSketch *
ns_sketch_new (void)
{
  NsSketch *self = g_new0 (NsSketch, 1);

  self->state = NS_SKETCH_SEED;
  self->min = INFINITY;
  self->max = -INFINITY;
  self->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_ptr_array_add (self->levels, g_array_new (FALSE, FALSE, sizeof (double)));
  return self;
}

void
ns_sketch_free (NsSketch *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->levels);
  g_free (self);
}

NsSketch *
ns_sketch_copy (const NsSketch *self)
{
  NsSketch *copy = ns_sketch_new ();

  copy->n = self->n;
  copy->state = self->state;
  copy->min = self->min;
  copy->max = self->max;
  g_ptr_array_set_size (copy->levels, 0);
  for (guint h = 0; h < self->levels->len; h++)
    {
      GArray *level = g_ptr_array_index (self->levels, h);
      GArray *dup = g_array_sized_new (FALSE, FALSE, sizeof (double), level->len);

      g_array_append_vals (dup, level->data, level->len);
      g_ptr_array_add (copy->levels, dup);
    }
  return copy;
}

guint64
ns_sketch_get_count (const NsSketch *self)
{
  return self->n;
}

static GArray *
ns_sketch_level (const NsSketch *self, guint h)
{
  return g_ptr_array_index (self->levels, h);
}

/* KLL's capacities: k at the top level, shrinking by 2/3 per level below it. */
static gsize
ns_sketch_capacity (const NsSketch *self, guint h)
{
  guint depth = self->levels->len - 1 - h;

  return MAX (NS_SKETCH_MIN_CAPACITY, (gsize) ceil (NS_SKETCH_K * pow (2.0 / 3.0, depth)));
}

static gboolean
ns_sketch_coin (NsSketch *self)
{
  self->state ^= self->state << 13;
  self->state ^= self->state >> 7;
  self->state ^= self->state << 17;
  return self->state & 1;
}

static int
ns_compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Halves the lowest full level into the next one: its sorted values, every other one kept. */
static gboolean
ns_sketch_compact_once (NsSketch *self)
{
  for (guint h = 0; h < self->levels->len; h++)
    {
      GArray *level = ns_sketch_level (self, h), *up;
      gsize n = level->len;
      gboolean odd;
      double *values;

      if (n < ns_sketch_capacity (self, h))
        continue;
      if (h + 1 == self->levels->len)
        g_ptr_array_add (self->levels, g_array_new (FALSE, FALSE, sizeof (double)));
      level = ns_sketch_level (self, h);
      up = ns_sketch_level (self, h + 1);
      values = (double *) level->data;
      qsort (values, n, sizeof (double), ns_compare_doubles);
      /* An odd count leaves its largest value behind, so the total weight stays exact. */
      odd = n % 2 == 1;
      for (gsize i = ns_sketch_coin (self); i + odd < n; i += 2)
        g_array_append_val (up, values[i]);
      if (odd)
        values[0] = values[n - 1];
      g_array_set_size (level, odd ? 1 : 0);
      return TRUE;
    }
  return FALSE;
}

static gsize
ns_sketch_size (const NsSketch *self, gsize *capacity)
{
  gsize size = 0;

  *capacity = 0;
  for (guint h = 0; h < self->levels->len; h++)
    {
      size += ns_sketch_level (self, h)->len;
      *capacity += ns_sketch_capacity (self, h);
    }
  return size;
}

static void
ns_sketch_compress (NsSketch *self)
{
  gsize capacity;

  while (ns_sketch_size (self, &capacity) >= capacity && ns_sketch_compact_once (self))
    ;
}

void
ns_sketch_add (NsSketch *self, const double *values, gsize n)
{
  GArray *level0 = ns_sketch_level (self, 0);

  for (gsize i = 0; i < n; i++)
    {
      double v = values[i];

      if (isnan (v))
        continue;
      self->n++;
      self->min = fmin (self->min, v);
      self->max = fmax (self->max, v);
      g_array_append_val (level0, v);
      if (level0->len >= ns_sketch_capacity (self, 0))
        {
          ns_sketch_compress (self);
          level0 = ns_sketch_level (self, 0);
        }
    }
}

void
ns_sketch_merge (NsSketch *self, const NsSketch *other)
{
  while (self->levels->len < other->levels->len)
    g_ptr_array_add (self->levels, g_array_new (FALSE, FALSE, sizeof (double)));
  for (guint h = 0; h < other->levels->len; h++)
    {
      GArray *from = ns_sketch_level (other, h);

      g_array_append_vals (ns_sketch_level (self, h), from->data, from->len);
    }
  self->n += other->n;
  self->min = fmin (self->min, other->min);
  self->max = fmax (self->max, other->max);
  self->state ^= other->state * 3 + 1;
  if (self->state == 0)
    self->state = NS_SKETCH_SEED;
  ns_sketch_compress (self);
}

typedef struct {
  double value;
  guint64 weight;
} NsWeighted;

static int
ns_compare_weighted (gconstpointer a, gconstpointer b)
{
  return ns_compare_doubles (&((const NsWeighted *) a)->value, &((const NsWeighted *) b)->value);
}

/* The value at 0-based rank r of the weighted, sorted values. */
static double
ns_weighted_at (const NsWeighted *items, gsize n_items, guint64 rank)
{
  guint64 cumulative = 0;

  for (gsize i = 0; i < n_items; i++)
    {
      cumulative += items[i].weight;
      if (rank < cumulative)
        return items[i].value;
    }
  return items[n_items - 1].value;
}

double
ns_sketch_quantile (const NsSketch *self, double q)
{
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (NsWeighted));
  double position, below, above, fraction;

  if (self->n == 0)
    return NAN;
  if (q <= 0)
    return self->min;
  if (q >= 1)
    return self->max;
  for (guint h = 0; h < self->levels->len; h++)
    {
      GArray *level = ns_sketch_level (self, h);

      for (guint i = 0; i < level->len; i++)
        {
          NsWeighted item = { g_array_index (level, double, i), G_GUINT64_CONSTANT (1) << h };

          g_array_append_val (items, item);
        }
    }
  g_array_sort (items, ns_compare_weighted);
  position = q * (double) (self->n - 1);
  fraction = position - floor (position);
  below = ns_weighted_at ((NsWeighted *) items->data, items->len, (guint64) floor (position));
  above = ns_weighted_at ((NsWeighted *) items->data, items->len, (guint64) ceil (position));
  return below + (above - below) * fraction;
}

void
ns_sketch_append_json (const NsSketch *self, GString *out)
{
  g_string_append_printf (out,
                          "{\"k\": %d, \"n\": %" G_GUINT64_FORMAT
                          ", \"state\": \"%016" G_GINT64_MODIFIER "x\", \"min\": ",
                          NS_SKETCH_K, self->n, self->state);
  ns_json_append_double (out, self->min);
  g_string_append (out, ", \"max\": ");
  ns_json_append_double (out, self->max);
  g_string_append (out, ", \"levels\": [");
  for (guint h = 0; h < self->levels->len; h++)
    {
      GArray *level = ns_sketch_level (self, h);

      g_string_append (out, h > 0 ? ", [" : "[");
      for (guint i = 0; i < level->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          ns_json_append_double (out, g_array_index (level, double, i));
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "]}");
}

static gboolean
ns_sketch_fail (const char *where, const char *what, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s: expected %s", where, what);
  return FALSE;
}

static gboolean
ns_sketch_read_levels (NsSketch *self, JsonArray *levels, const char *where, GError **error)
{
  guint64 weight = 0;

  g_ptr_array_set_size (self->levels, 0);
  for (guint h = 0; h < json_array_get_length (levels) && h < 64; h++)
    {
      JsonNode *node = json_array_get_element (levels, h);
      GArray *level = g_array_new (FALSE, FALSE, sizeof (double));

      g_ptr_array_add (self->levels, level);
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return ns_sketch_fail (where, "\"levels\" to hold arrays of numbers", error);
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          double v;

          if (!ns_json_node_to_double (json_array_get_element (json_node_get_array (node), i), &v))
            return ns_sketch_fail (where, "\"levels\" to hold arrays of numbers", error);
          g_array_append_val (level, v);
          weight += G_GUINT64_CONSTANT (1) << h;
        }
    }
  if (self->levels->len == 0 || json_array_get_length (levels) > 64)
    return ns_sketch_fail (where, "\"levels\" to hold 1 to 64 arrays", error);
  if (weight != self->n)
    return ns_sketch_fail (where, "\"levels\" whose weights add up to \"n\"", error);
  return TRUE;
}

NsSketch *
ns_sketch_from_json (JsonNode *node, const char *where, GError **error)
{
  g_autoptr (NsSketch) self = ns_sketch_new ();
  JsonObject *object;
  JsonNode *levels;
  const char *state;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return ns_sketch_fail (where, "a sketch object", error), NULL;
  object = json_node_get_object (node);
  if (json_object_get_int_member_with_default (object, "k", 0) != NS_SKETCH_K)
    return ns_sketch_fail (where, "a sketch with \"k\": 1024", error), NULL;
  self->n = (guint64) json_object_get_int_member_with_default (object, "n", -1);
  state = json_object_get_string_member_with_default (object, "state", "");
  self->state = g_ascii_strtoull (state, NULL, 16);
  levels = json_object_get_member (object, "levels");
  if (self->state == 0 ||
      !ns_json_node_to_double (json_object_get_member (object, "min"), &self->min) ||
      !ns_json_node_to_double (json_object_get_member (object, "max"), &self->max) ||
      levels == NULL || !JSON_NODE_HOLDS_ARRAY (levels))
    return ns_sketch_fail (where, "a sketch with \"n\", \"state\", \"min\", \"max\" and \"levels\"",
                           error),
           NULL;
  if (!ns_sketch_read_levels (self, json_node_get_array (levels), where, error))
    return NULL;
  return g_steal_pointer (&self);
}
