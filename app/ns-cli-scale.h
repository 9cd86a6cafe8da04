/* ns-cli-scale.h: fit's options for data beyond memory: --stream, --partial, --byte-range,
 * --approx-quantiles, --quiet (ns-cli-fit-scale.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-cli.h"
#include "core/ns-scaler.h"

G_BEGIN_DECLS

typedef struct {
  gboolean stream;
  gboolean partial;
  char    *byte_range;
  gboolean approx_quantiles;
  gboolean quiet;
} NsCliScaleArgs;

void          ns_cli_scale_add_options  (GOptionContext *context, NsCliScaleArgs *args);
void          ns_cli_scale_args_clear   (NsCliScaleArgs *args);
/* TRUE when the fit of path takes the streaming path: asked for, or a CSV file larger than
 * NS_STREAM_THRESHOLD (robust only with --approx-quantiles). */
gboolean      ns_cli_scale_requested    (const NsCliScaleArgs *args, const char *path,
                                         NsMethod method);
int           ns_cli_fit_scale          (const char *path, const NsReadOptions *read_options,
                                         const NsScalerOptions *options, const char *columns,
                                         const char *output, char **exports,
                                         const NsCliScaleArgs *args);

G_END_DECLS
