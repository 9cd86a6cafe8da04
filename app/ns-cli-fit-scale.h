/* ns-cli-fit-scale.h: fit's options for data beyond memory: --stream, --partial, --byte-range,
 * --approx-quantiles, --quiet.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-cli.h"
#include "core/ns-scaler.h"
#include "core/ns-fit-file.h"
#include "core/ns-stream.h"

G_BEGIN_DECLS

typedef struct {
  gboolean stream;
  gboolean partial;
  char *byte_range;
  gboolean approx_quantiles;
  gboolean quiet;
} NsCliScaleArgs;

void ns_cli_scale_add_options (GOptionContext *context, NsCliScaleArgs *args);
void ns_cli_scale_args_clear (NsCliScaleArgs *args);
/* TRUE when a summary of path streams: asked for, or a large file (ns_fit_file_is_large). */
gboolean ns_cli_scale_requested (const NsCliScaleArgs *args, const char *path, NsMethod method);
/* A progress line on stderr (rows, bytes, rate, ETA) while streaming, when stderr is a terminal
 * and not quiet; _end finishes the line. */
typedef struct {
  gint64 started;
  gint64 last;
} NsCliScaleProgress;

void ns_cli_scale_progress_start (NsCliScaleProgress *progress, NsStreamOptions *stream,
                                  gboolean quiet);
void ns_cli_scale_progress_end (const NsCliScaleProgress *progress);
/* The core fit options of --stream, --partial, --byte-range and --approx-quantiles (fit->scaler
 * already set): FALSE after printing a usage error. */
gboolean ns_cli_scale_fit_options (const NsCliScaleArgs *args, const NsReadOptions *read_options,
                                   char **exports, NsFitFileOptions *fit);

G_END_DECLS
