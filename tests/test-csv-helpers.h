/* test-csv-helpers.h: helpers the test-csv suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ns-reader.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "test-utils.h"

/* tests/data/csv/NAME; g_free the result. */
char *fixture (const char *name);
NsDataset *load_fixture (const char *name, GError **error);
NsDataset *read_text (const char *text, const NsReadOptions *options, GError **error);
void assert_load_error (const char *name, const char *expected_after_path);
void assert_read_error (const char *text, const NsReadOptions *options, const char *expected);
void assert_column (const NsDataset *data, guint column, const char *name, const double *expected,
                    gsize n);
void assert_labels (const NsDataset *data, guint column, const char *name,
                    const char *const *expected);
/* The same bits, NaN payloads too. */
gboolean same_bits (double a, double b);
