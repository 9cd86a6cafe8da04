/* ns-stats-private.h: the stats model's structures, shared by its accessors and transforms.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-stats.h"

G_BEGIN_DECLS

typedef struct {
  char *name;
  double count, missing, mean, variance, offset, scale;
  GPtrArray *field_keys; /* char *, insertion order */
  GArray *field_values;  /* double, parallel to field_keys */
  GPtrArray *array_keys; /* char *, insertion order */
  GPtrArray *arrays;     /* GArray of double, parallel to array_keys */
} NsStatsColumn;

struct _NsStats {
  char *method;
  guint n_columns;
  NsStatsColumn *columns;
  JsonObject *params;
  JsonObject *extra;
  char *source_file;
  gsize source_rows;
  char *source_sha256;
  char **label_names;
  double *references;
  gsize n_references;
};

gboolean _ns_stats_method_is (const NsStats *self, const char *name);

G_END_DECLS
