/* ns-cli-scale.h: fit's options for data beyond memory: --stream, --partial, --byte-range,
 * --approx-quantiles, --quiet (ns-cli-fit-scale.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-cli.h"
#include "core/ns-scaler.h"
#include "core/ns-stream.h"

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
/* A progress line on stderr (rows, bytes, rate, ETA) while streaming, when stderr is a terminal
 * and not quiet; _end finishes the line. */
typedef struct {
  gint64 started;
  gint64 last;
} NsCliScaleProgress;

void          ns_cli_scale_progress_start (NsCliScaleProgress *progress, NsStreamOptions *stream,
                                           gboolean quiet);
void          ns_cli_scale_progress_end (const NsCliScaleProgress *progress);
/* The fits below write output and exports unchecked: the caller has checked them with
 * ns_cli_output_guard_new. */
int           ns_cli_fit_scale          (const char *path, const NsReadOptions *read_options,
                                         const NsScalerOptions *options, const char *columns,
                                         const char *output, char **exports, gboolean verbose,
                                         const NsCliScaleArgs *args);
/* A plain fit that needs only moments, of a file read in place (ns_stream_read_in_place): the
 * exit status, or -1 when the file must be read into memory instead. */
int           ns_cli_fit_in_place       (const char *path, const NsReadOptions *read_options,
                                         const NsScalerOptions *options, const char *columns,
                                         const char *output, char **exports, gboolean verbose);

G_END_DECLS
