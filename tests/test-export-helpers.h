/* test-export-helpers.h: helpers the test-export suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <zip.h>

#include "ns-dataset.h"
#include "ns-export.h"
#include "ns-npz-import.h"
#include "ns-npy-format.h"
#include "ns-output.h"
#include "ns-scaler.h"
#include "ns-stats.h"
#include "test-utils.h"

#define N_ROWS 6

/* Fixtures: inputs chosen to exercise exact printing (0.1, 1/3, a subnormal, huge
 * magnitudes) and awkward names (comma, quote, non-ASCII, comment terminator). */

void set_rank2_params (NsStats *stats);
void set_nchw_params (NsStats *stats);
NsStats *make_standard (void);
NsStats *make_minmax (void);
NsStats *make_maxabs (void);
NsStats *make_robust (void);
NsStats *make_keras (void);
NsStats *make_batchnorm (double gamma, double beta, gboolean weight_of_old);
NsStats *make_flax_batchnorm (void);
char *list_dir (const char *path);
void assert_same_double (double expected, double actual);
double load_le_double (const guint8 *p);
float load_le_float (const guint8 *p);
gint64 load_le_int64 (const guint8 *p);
GBytes *export_bytes (const NsStats *stats, NsExportFormat format, const NsExportOptions *options);
