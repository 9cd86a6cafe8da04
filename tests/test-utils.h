/* test-utils.h: helpers the test programs share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Runs tests/check-exports.py CHECK DIR with /usr/bin/python3: the test passes, is skipped (exit
 * 77 or no python3; the reason is the skip message) or fails with the script's output. */
void ns_test_run_export_check (const char *check, const char *dir);

/* The builder's finished value, pretty-printed, as the file path. */
void ns_test_write_json (JsonBuilder *builder, const char *path);
/* Runs normscope-cli ($NS_CLI) with the NULL-terminated args in dir (NULL: here), its standard
 * output and error into out and err (either may be NULL); returns its exit status. */
int  ns_test_run_cli (const char *const *args, const char *dir, char **out, char **err);
/* Deletes path and everything below it. */
void ns_test_remove_tree (const char *path);

G_END_DECLS
