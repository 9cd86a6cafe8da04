/* ns-export-escape.h: text from input files as Python and C string literals and C identifiers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every string from an input file reaches generated code through exactly one
 * of these per language (JSON: ns_json_append_string; CSV: ns_csv_append_field), also in
 * comments. A Python string literal in printable ASCII. */
void ns_export_append_python_string (GString *out, const char *text);
/* A C string literal in printable ASCII with no '?' (trigraphs) or '*' (comment ends): it can sit
 * in a comment too. */
void ns_export_append_c_string (GString *out, const char *text);
/* Letters, digits and single '_', starting with a letter ("my-stats" -> "my_stats", "9" ->
 * "ns_9"). */
char *ns_export_c_identifier (const char *text);

G_END_DECLS
