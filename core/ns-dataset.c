/* ns-dataset.c: columnar storage of a loaded dataset.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-dataset.h"

#include <math.h>
#include <string.h>

typedef struct {
  char *name;
  double *values; /* numeric: n_samples * spatial_size */
  char **labels;  /* label: n_samples strings */
  gsize missing;
  gsize infinite;
} NsColumn;

struct _NsDataset {
  NsDatasetKind kind;
  gsize n_samples;
  gsize spatial_size;
  GArray *columns;  /* NsColumn */
  GArray *features; /* guint: index of each numeric column */
  guint rank;
  gsize shape[NS_MAX_RANK];
  guint n_kept;
  guint kept_axes[NS_MAX_RANK];
  char *source_path;
  char *source_sha256;
};

static void
ns_column_clear (gpointer data)
{
  NsColumn *column = data;

  g_free (column->name);
  g_free (column->values);
  g_strfreev (column->labels);
}

static NsDataset *
ns_dataset_alloc (NsDatasetKind kind, gsize n_samples)
{
  NsDataset *self = g_new0 (NsDataset, 1);

  self->kind = kind;
  self->n_samples = n_samples;
  self->spatial_size = 1;
  self->columns = g_array_new (FALSE, TRUE, sizeof (NsColumn));
  g_array_set_clear_func (self->columns, ns_column_clear);
  self->features = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

NsDataset *
ns_dataset_new_table (gsize n_samples)
{
  NsDataset *self = ns_dataset_alloc (NS_DATASET_TABLE, n_samples);

  self->rank = 2;
  self->shape[0] = n_samples;
  self->n_kept = 1;
  self->kept_axes[0] = 1;
  return self;
}

static gboolean
ns_multiply_checked (gsize a, gsize b, gsize *result)
{
  if (b != 0 && a > G_MAXSIZE / b)
    return FALSE;
  *result = a * b;
  return TRUE;
}

char *
ns_dataset_tensor_column_name (gsize n_features, guint n_kept, gsize feature)
{
  if (n_features == 1 && n_kept == 0)
    return g_strdup ("all");
  return g_strdup_printf ("channel_%" G_GSIZE_FORMAT, feature);
}

static NsDataset *
ns_dataset_new_tensor_full (const gsize *shape, guint rank, const guint *kept_axes, guint n_kept,
                            gboolean with_values, GError **error)
{
  g_autoptr (NsDataset) self = NULL;
  gsize n_features = 1, spatial = 1, total;

  g_return_val_if_fail (rank >= 1 && rank <= NS_MAX_RANK, NULL);

  self = ns_dataset_alloc (NS_DATASET_TENSOR, shape[0]);
  self->rank = rank;
  memcpy (self->shape, shape, rank * sizeof (gsize));
  self->n_kept = n_kept;
  if (n_kept > 0)
    memcpy (self->kept_axes, kept_axes, n_kept * sizeof (guint));

  for (guint axis = 1; axis < rank; axis++)
    {
      gboolean kept = FALSE;

      for (guint k = 0; k < n_kept; k++)
        kept |= kept_axes[k] == axis;
      if (!ns_multiply_checked (kept ? n_features : spatial, shape[axis],
                                kept ? &n_features : &spatial))
        goto overflow;
    }
  if (!ns_multiply_checked (n_features, spatial, &total) ||
      !ns_multiply_checked (total, shape[0], &total) ||
      !ns_multiply_checked (total, sizeof (double), &total))
    goto overflow;

  self->spatial_size = spatial;
  for (gsize f = 0; f < n_features; f++)
    {
      g_autofree char *name = ns_dataset_tensor_column_name (n_features, n_kept, f);
      double *values = with_values ? g_try_new0 (double, shape[0] * spatial) : NULL;

      if (with_values && values == NULL && shape[0] * spatial > 0)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                       "not enough memory for a tensor of %" G_GSIZE_FORMAT " values",
                       total / sizeof (double));
          return NULL;
        }
      ns_dataset_add_numeric_column (self, name, values);
    }
  return g_steal_pointer (&self);

overflow:
  g_set_error_literal (error, NS_ERROR, NS_ERROR_UNSUPPORTED,
                       "the tensor's shape is too large: its byte size overflows");
  return NULL;
}

NsDataset *
ns_dataset_new_tensor (const gsize *shape, guint rank, const guint *kept_axes, guint n_kept,
                       GError **error)
{
  return ns_dataset_new_tensor_full (shape, rank, kept_axes, n_kept, TRUE, error);
}

NsDataset *
ns_dataset_new_tensor_layout (const gsize *shape, guint rank, const guint *kept_axes, guint n_kept,
                              GError **error)
{
  return ns_dataset_new_tensor_full (shape, rank, kept_axes, n_kept, FALSE, error);
}

void
ns_dataset_free (NsDataset *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->columns);
  g_array_unref (self->features);
  g_free (self->source_path);
  g_free (self->source_sha256);
  g_free (self);
}

static void
ns_dataset_update_table_shape (NsDataset *self)
{
  if (self->kind == NS_DATASET_TABLE)
    self->shape[1] = self->columns->len;
}

void
ns_dataset_add_numeric_column (NsDataset *self, const char *name, double *values)
{
  NsColumn column = { g_strdup (name), values, NULL, 0, 0 };
  guint index = self->columns->len;

  g_array_append_val (self->columns, column);
  g_array_append_val (self->features, index);
  ns_dataset_update_table_shape (self);
}

void
ns_dataset_add_label_column (NsDataset *self, const char *name, char **labels)
{
  NsColumn column = { g_strdup (name), NULL, labels, 0, 0 };

  g_return_if_fail (self->kind == NS_DATASET_TABLE);
  g_array_append_val (self->columns, column);
  ns_dataset_update_table_shape (self);
}

static NsColumn *
ns_dataset_column (const NsDataset *self, guint column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return &g_array_index (self->columns, NsColumn, column);
}

double *
ns_dataset_get_column_data (NsDataset *self, guint column)
{
  return ns_dataset_column (self, column)->values;
}

void
ns_dataset_set_source (NsDataset *self, const char *path, const char *sha256)
{
  g_free (self->source_path);
  g_free (self->source_sha256);
  self->source_path = g_strdup (path);
  self->source_sha256 = g_strdup (sha256);
}

void
ns_dataset_count_missing (NsDataset *self)
{
  gsize n = self->n_samples * self->spatial_size;

  for (guint c = 0; c < self->columns->len; c++)
    {
      NsColumn *column = ns_dataset_column (self, c);
      gsize missing = 0, infinite = 0;

      if (column->values == NULL)
        continue;
      for (gsize i = 0; i < n; i++)
        {
          missing += isnan (column->values[i]) ? 1 : 0;
          infinite += isinf (column->values[i]) ? 1 : 0;
        }
      column->missing = missing;
      column->infinite = infinite;
    }
}

NsDatasetKind
ns_dataset_get_kind (const NsDataset *self)
{
  return self->kind;
}
gsize
ns_dataset_get_n_samples (const NsDataset *self)
{
  return self->n_samples;
}
gsize
ns_dataset_get_spatial_size (const NsDataset *self)
{
  return self->spatial_size;
}
guint
ns_dataset_get_n_columns (const NsDataset *self)
{
  return self->columns->len;
}
guint
ns_dataset_get_n_features (const NsDataset *self)
{
  return self->features->len;
}
guint
ns_dataset_get_rank (const NsDataset *self)
{
  return self->rank;
}
const gsize *
ns_dataset_get_shape (const NsDataset *self)
{
  return self->shape;
}
guint
ns_dataset_get_n_kept_axes (const NsDataset *self)
{
  return self->n_kept;
}
const guint *
ns_dataset_get_kept_axes (const NsDataset *self)
{
  return self->kept_axes;
}
const char *
ns_dataset_get_source_path (const NsDataset *self)
{
  return self->source_path;
}
const char *
ns_dataset_get_source_sha256 (const NsDataset *self)
{
  return self->source_sha256;
}

const char *
ns_dataset_get_column_name (const NsDataset *self, guint column)
{
  return ns_dataset_column (self, column)->name;
}

gboolean
ns_dataset_column_is_label (const NsDataset *self, guint column)
{
  return ns_dataset_column (self, column)->labels != NULL;
}

const double *
ns_dataset_get_values (const NsDataset *self, guint column)
{
  return ns_dataset_column (self, column)->values;
}

gsize
ns_dataset_get_missing (const NsDataset *self, guint column)
{
  return ns_dataset_column (self, column)->missing;
}

gsize
ns_dataset_get_infinite (const NsDataset *self, guint column)
{
  return ns_dataset_column (self, column)->infinite;
}

const char *
ns_dataset_get_label (const NsDataset *self, guint column, gsize sample)
{
  NsColumn *c = ns_dataset_column (self, column);

  g_return_val_if_fail (c->labels != NULL && sample < self->n_samples, NULL);
  return c->labels[sample];
}

int
ns_dataset_find_column (const NsDataset *self, const char *name)
{
  for (guint c = 0; c < self->columns->len; c++)
    if (g_strcmp0 (ns_dataset_column (self, c)->name, name) == 0)
      return (int) c;
  return -1;
}

char **
ns_dataset_missing_features (const NsDataset *self, const NsDataset *other)
{
  GPtrArray *missing = g_ptr_array_new ();

  for (guint f = 0; f < self->features->len; f++)
    {
      const char *name = ns_dataset_column (self, g_array_index (self->features, guint, f))->name;
      int c = ns_dataset_find_column (other, name);

      if (c < 0 || ns_dataset_column (other, c)->labels != NULL)
        g_ptr_array_add (missing, g_strdup (name));
    }
  g_ptr_array_add (missing, NULL);
  return (char **) g_ptr_array_free (missing, FALSE);
}

guint
ns_dataset_get_feature_column (const NsDataset *self, guint feature)
{
  g_return_val_if_fail (feature < self->features->len, 0);
  return g_array_index (self->features, guint, feature);
}

static gboolean
ns_dataset_values_vary (const double *values, gsize n)
{
  double first = NAN;

  for (gsize i = 0; i < n; i++)
    {
      if (isnan (values[i]))
        continue;
      if (isnan (first))
        first = values[i];
      else if (values[i] != first)
        return TRUE;
    }
  return FALSE;
}

int
ns_dataset_find_varying_feature (const NsDataset *self, guint from)
{
  gsize n = self->n_samples * self->spatial_size;

  for (guint f = from; f < self->features->len; f++)
    {
      const double *values = ns_dataset_get_values (self, ns_dataset_get_feature_column (self, f));

      /* A layout without values cannot tell; take it as varying. */
      if (values == NULL || ns_dataset_values_vary (values, n))
        return (int) f;
    }
  return -1;
}

static void
ns_dataset_rebuild_features (NsDataset *self)
{
  g_array_set_size (self->features, 0);
  for (guint c = 0; c < self->columns->len; c++)
    if (!ns_dataset_column_is_label (self, c))
      g_array_append_val (self->features, c);
  ns_dataset_update_table_shape (self);
}

gboolean
ns_dataset_select_columns (NsDataset *self, const char *const *names, GError **error)
{
  g_autoptr (GArray) keep = g_array_new (FALSE, TRUE, sizeof (NsColumn));

  g_array_set_clear_func (keep, ns_column_clear);
  if (self->kind != NS_DATASET_TABLE)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "%s: " NS_TENSOR_COLUMNS_REFUSED,
                   self->source_path ? self->source_path : "data");
      return FALSE;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      int c = ns_dataset_find_column (self, names[i]);

      if (c < 0 || ns_dataset_column (self, c)->labels != NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       c < 0 ? "%s: " NS_COLUMN_UNKNOWN : "%s: " NS_COLUMN_IS_LABEL,
                       self->source_path ? self->source_path : "data", names[i]);
          return FALSE;
        }
    }
  for (guint c = 0; c < self->columns->len; c++)
    {
      NsColumn *column = ns_dataset_column (self, c);

      if (column->labels != NULL || g_strv_contains (names, column->name))
        {
          g_array_append_val (keep, *column);
          memset (column, 0, sizeof *column);
        }
    }
  g_array_unref (self->columns);
  self->columns = g_steal_pointer (&keep);
  ns_dataset_rebuild_features (self);
  return TRUE;
}

/* A deep copy of the samples keep marks (all of them when keep is NULL), every column kept. */
static NsDataset *
ns_dataset_copy_samples (const NsDataset *self, const gboolean *keep, gsize n_kept_samples)
{
  NsDataset *copy = ns_dataset_alloc (self->kind, n_kept_samples);
  gsize span = self->spatial_size;

  copy->spatial_size = self->spatial_size;
  copy->rank = self->rank;
  memcpy (copy->shape, self->shape, sizeof self->shape);
  copy->shape[0] = n_kept_samples;
  copy->n_kept = self->n_kept;
  memcpy (copy->kept_axes, self->kept_axes, sizeof self->kept_axes);
  copy->source_path = g_strdup (self->source_path);
  copy->source_sha256 = g_strdup (self->source_sha256);
  for (guint c = 0; c < self->columns->len; c++)
    {
      NsColumn *column = ns_dataset_column (self, c);
      NsColumn clone = { g_strdup (column->name), NULL, NULL, column->missing, column->infinite };
      gsize k = 0;

      if (column->values != NULL)
        clone.values = g_new (double, MAX (n_kept_samples * span, 1));
      if (column->labels != NULL)
        clone.labels = g_new0 (char *, n_kept_samples + 1);
      for (gsize i = 0; i < self->n_samples; i++)
        {
          if (keep != NULL && !keep[i])
            continue;
          if (clone.values != NULL)
            memcpy (clone.values + k * span, column->values + i * span, span * sizeof (double));
          if (clone.labels != NULL)
            clone.labels[k] = g_strdup (column->labels[i]);
          k++;
        }
      g_array_append_val (copy->columns, clone);
    }
  ns_dataset_rebuild_features (copy);
  if (keep != NULL)
    ns_dataset_count_missing (copy);
  return copy;
}

NsDataset *
ns_dataset_copy (const NsDataset *self)
{
  return ns_dataset_copy_samples (self, NULL, self->n_samples);
}

/* Are sample i's values of feature (-1: every feature) all finite? */
static gboolean
ns_dataset_sample_finite (const NsDataset *self, int feature, gsize i)
{
  guint first = feature < 0 ? 0 : (guint) feature;
  guint last = feature < 0 ? ns_dataset_get_n_features (self) : first + 1;

  for (guint f = first; f < last; f++)
    {
      const double *x = ns_dataset_get_values (self, ns_dataset_get_feature_column (self, f)) +
                        i * self->spatial_size;

      for (gsize j = 0; j < self->spatial_size; j++)
        if (!isfinite (x[j]))
          return FALSE;
    }
  return TRUE;
}

gsize
ns_dataset_count_non_finite_samples (const NsDataset *self, int feature)
{
  gsize n = 0;

  for (gsize i = 0; i < self->n_samples; i++)
    n += ns_dataset_sample_finite (self, feature, i) ? 0 : 1;
  return n;
}

const char *
ns_non_finite_describe (double value)
{
  return isnan (value) ? "NaN (a missing value)" : value > 0 ? "+infinity" : "-infinity";
}

NsDataset *
ns_dataset_copy_finite_samples (const NsDataset *self, int feature, gsize *n_dropped)
{
  g_autofree gboolean *keep = g_new (gboolean, MAX (self->n_samples, 1));
  gsize kept = 0;

  for (gsize i = 0; i < self->n_samples; i++)
    kept += (keep[i] = ns_dataset_sample_finite (self, feature, i)) ? 1 : 0;
  if (n_dropped != NULL)
    *n_dropped = self->n_samples - kept;
  return ns_dataset_copy_samples (self, keep, kept);
}

static gboolean
ns_axis_parse_one (const char *text, guint rank, guint *axis, GError **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, -(gint64) rank, (gint64) rank - 1, &value, NULL))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "axis '%s' is not an integer between %d and %u for data of rank %u", text,
                   -(int) rank, rank - 1, rank);
      return FALSE;
    }
  *axis = (guint) (value < 0 ? value + rank : value);
  if (*axis == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "axis '%s' is the sample axis; it is always reduced (use 'none' to pool all "
                   "values into one feature)",
                   text);
      return FALSE;
    }
  return TRUE;
}

static int
ns_compare_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

gboolean
ns_axis_spec_parse (const char *spec, guint rank, guint *kept_axes, guint *n_kept, GError **error)
{
  g_auto (GStrv) parts = NULL;
  guint n = 0;

  if (g_ascii_strcasecmp (spec, "none") == 0)
    {
      *n_kept = 0;
      return TRUE;
    }
  parts = g_strsplit (spec, ",", -1);
  /* g_strsplit gives no parts for "", which would silently mean "none". */
  if (parts[0] == NULL)
    {
      guint axis;

      return ns_axis_parse_one ("", rank, &axis, error);
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint axis;

      if (n == NS_MAX_RANK || !ns_axis_parse_one (g_strstrip (parts[i]), rank, &axis, error))
        {
          if (n == NS_MAX_RANK)
            g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "too many axes in '%s'", spec);
          return FALSE;
        }
      for (guint k = 0; k < n; k++)
        if (kept_axes[k] == axis)
          {
            g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                         "axis %u is named twice in '%s'", axis, spec);
            return FALSE;
          }
      kept_axes[n++] = axis;
    }
  qsort (kept_axes, n, sizeof (guint), ns_compare_guint);
  *n_kept = n;
  return TRUE;
}
