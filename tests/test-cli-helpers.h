/* test-cli-helpers.h: helpers the test-cli suites share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "config.h"

#include <errno.h>
#include <float.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ns-reader.h"
#include "core/ns-scaler.h"
#include "test-utils.h"

#define TOLERANCE 1e-12

typedef struct {
  char *dir; /* a fresh temporary folder, the child's working directory */
  char *out; /* the last run's stdout and stderr */
  char *err;
  int status; /* its exit code */
} Fixture;

char *data_path (const char *name);
char *iris_path (void);
void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);
void redirect_stdout (gpointer data);
void redirect_stdio (gpointer data);
int run_argv (Fixture *f, const char *stdout_path, const char *stdin_path, const char *const *args);
char *line_of (const char *text, guint index);
void assert_usage_error (Fixture *f, const char *subcommand, const char *message);
char *tmp_file (Fixture *f, const char *name);
void copy_into (Fixture *f, const char *source, const char *name);
JsonNode *load_json (const char *path);
JsonObject *expected_json (void);
NsDataset *load_dataset (const char *path);

#define run(f, ...) run_argv ((f), NULL, NULL, (const char *const[]) { __VA_ARGS__, NULL })
#define run_stdin(f, input, ...) \
  run_argv ((f), NULL, (input), (const char *const[]) { __VA_ARGS__, NULL })

#define assert_line(text, index, expected) \
  G_STMT_START \
  { \
    g_autofree char *line_ = line_of ((text), (index)); \
    g_assert_cmpstr (line_, ==, (expected)); \
  } \
  G_STMT_END
