/* test-utils.h: helpers the test programs share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "core/ns-batchnorm.h"
#include "core/ns-fit-file.h"
#include "core/ns-partial.h"
#include "core/ns-reader.h"

G_BEGIN_DECLS

/* Runs tests/check-exports.py CHECK DIR with /usr/bin/python3: the test passes, is skipped (exit
 * 77 or no python3; the reason is the skip message) or fails with the script's output. */
void ns_test_run_export_check (const char *check, const char *dir);

/* The builder's finished value, pretty-printed, as the file path. */
void ns_test_write_json (JsonBuilder *builder, const char *path);
/* Runs normscope-cli ($NS_CLI) with the NULL-terminated args in dir (NULL: here), its standard
 * output and error into out and err (NULL: to /dev/null); returns its exit status. */
int ns_test_run_cli (const char *const *args, const char *dir, char **out, char **err);
/* Deletes path and everything below it. */
void ns_test_remove_tree (const char *path);
/* The same for `normscope-cli COMMAND ARGS...` in the current directory, standard output ignored.
 */
int ns_test_run_cli_command (const char *command, const char *const *args, char **err);

/* A new empty directory under the system's temporary one, named after the test program; freeing
 * it (g_autoptr at the end of its scope) deletes it and everything below it. */
typedef char NsTestTempDir;
NsTestTempDir *ns_test_temp_dir_new (void);
void ns_test_temp_dir_free (NsTestTempDir *dir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsTestTempDir, ns_test_temp_dir_free)

/* $NAME, which meson test sets (NS_CLI, NS_TEST_DATA, NS_SOURCE_ROOT, ...); fails without it. */
const char *ns_test_getenv (const char *name);
/* tests/data/SUBDIR/NAME (under $NS_TEST_DATA; SUBDIR may be NULL); g_free the result. */
char *ns_test_data_path (const char *subdir, const char *name);

/* Fails unless actual == expected, both are NaN, or |actual - expected| <= MAX (rel_tol *
 * |expected|, abs_tol), naming the value with the printf-style arguments that follow. */
#define ns_test_assert_close(actual, expected, rel_tol, abs_tol, ...) \
  ns_test_assert_close_at (__FILE__, __LINE__, G_STRFUNC, actual, expected, rel_tol, abs_tol, \
                           __VA_ARGS__)
void ns_test_assert_close_at (const char *file, int line, const char *func, double actual,
                              double expected, double rel_tol, double abs_tol, const char *format,
                              ...) G_GNUC_PRINTF (8, 9);

/* The root of tests/data/SUBDIR/NAME (under $NS_TEST_DATA), parsed; free with json_node_unref. */
JsonNode *ns_test_load_data_json (const char *subdir, const char *name);
/* path read with the readers' defaults but axis (NULL: theirs); fails on an error. */
NsDataset *ns_test_load_dataset (const char *path, const char *axis);
/* A number as the generator scripts write it: a JSON number, or "nan", "inf", "-inf". */
double ns_test_json_double (JsonNode *node);
/* Every element of array so (g_free the result); *n gets the length when not NULL. */
double *ns_test_json_doubles (JsonArray *array, guint *n);
/* Fails unless path is a PNG file of width x height pixels. */
void ns_test_assert_png_size (const char *path, int width, int height);
/* The 7 parts merged in three orders (as given, reversed, shuffled); fails unless every order
 * gives the same stats file to the bit, and returns the stats of the first. */
NsStats *ns_test_merge_in_any_order (NsPartial *const *parts);
/* Fails unless merging a (as "a.json") with b (as "b.json") is refused with NS_ERROR_MISMATCH and
 * the message expected. */
void ns_test_assert_merge_fails (NsPartial *a, NsPartial *b, const char *expected);
/* Identical bits, any NaN matching any NaN. */
gboolean ns_test_same_bits (double a, double b);
/* The entries of a folder (a failed run must leave no temporary file). */
guint ns_test_count_entries (const char *dir);
/* The stats of method fitted on the file at path with the defaults; fails on an error. */
NsStats *ns_test_fit_file (const char *path, NsMethod method);
/* Fails unless the files at a and b hold the same bytes. */
void ns_test_assert_same_file (const char *a, const char *b);
/* PyTorch's preset on feature 0 with the given batch size and renorm, its history recorded, run to
 * the end; fails on an error. */
NsBatchNorm *ns_test_simulate_batchnorm (const NsDataset *data, gsize batch_size, gboolean renorm);
/* sRGB in [0, 1] to CIELAB (D65), and the distance of two CIELAB colours (ΔE 1976), for colour
 * differences as people see them. */
void ns_test_rgb_to_lab (const double rgb[3], double lab[3]);
double ns_test_lab_distance (const double a[3], const double b[3]);

G_END_DECLS

/* Drops the caller's reference to OBJECT and runs the main loop (up to 10 s) until it is
 * finalized: a worker may hold the object until its result reaches the main loop. */
void ns_test_assert_finalize_soon (gpointer object);
