/* test-batchnorm-helpers.h: helpers the test-batchnorm suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <json-glib/json-glib.h>
#include "core/ns-batchnorm.h"
#include "core/ns-error.h"
#include "core/ns-moments.h"
#include "test-utils.h"

extern JsonParser *vectors_parser;
extern JsonObject *vectors;
extern double f32_worst;
extern guint f32_values, f32_differ;
void load_vectors (void);
double number (JsonNode *node);
double array_double (JsonArray *array, guint i);
double *copy_column (JsonArray *column);
NsDataset *table_dataset (JsonArray *selected);
NsDataset *tensor_dataset (void);
void options_from_case (JsonObject *test_case, NsBatchNormOptions *options);
void check_series (NsBatchNorm *bn, JsonObject *expected, const char *name, NsSeries series,
                   guint n_features, gsize step, double rtol);
void check_running (NsBatchNorm *bn, JsonObject *expected, guint n_features, gsize step,
                    gboolean f32);
void check_train_output (NsBatchNorm *bn, JsonObject *train, guint n_features, gsize spatial);
void check_eval_output (NsBatchNorm *bn, JsonArray *eval, guint n_features, gsize spatial);
NsDataset *values_dataset (JsonArray *columns);
NsDataset *case_dataset (JsonObject *test_case);
void run_framework_case (JsonObject *test_case);
guint run_cases (const char *array, const char *prefix);
