/* ns-partial-private.h: the partial statistics' state, shared by its JSON file and merge code.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-partial.h"

G_BEGIN_DECLS

struct _NsPartial {
  NsScalerOptions options; /* its sample_weight is the partial's own copy below */
  char *sample_weight;
  gboolean approx_quantiles;
  guint n_columns;
  char **names;
  char **labels;
  NsMoments *moments;
  NsSketch **sketches; /* NULL without approximate quantiles */
  char *file;
  gint64 range_start; /* -1: the whole input */
  gint64 range_end;
  gint64 size;
  char *sha256;
  guint64 rows;
  guint rank; /* 0: a table; otherwise the tensor the features were kept from */
  gsize shape[NS_MAX_RANK];
  guint kept[NS_MAX_RANK];
  guint n_kept;
};

G_END_DECLS
