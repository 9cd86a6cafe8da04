/* ns-json.h: internal helpers shared by the JSON file readers and writers (stats, partial, sketch,
 * export): error messages naming the file and the member's path, numbers as the stats file writes
 * them (NaN as null, infinities as 1e999 and -1e999; version-1 files' strings "nan", "inf", "-inf"
 * still read), exact double text.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a reader is: the file named in every message, and where the first error goes. */
typedef struct {
  const char *file;
  GError **error;
} NsJsonReader;

/* Sets "FILE: PATH: expected EXPECTED, found <found described>" and returns FALSE. */
gboolean ns_json_fail (NsJsonReader *reader, const char *path, const char *expected,
                       JsonNode *found);
/* How an infinite double is written: a number token beyond the double range, read as infinity. */
#define NS_JSON_INFINITY "1e999"

/* A JSON number, null (NaN) or one of the strings "nan", "inf", "-inf". */
gboolean ns_json_node_to_double (JsonNode *node, double *value);
/* The member key of object, its path being prefix followed by key. */
gboolean ns_json_read_double (NsJsonReader *reader, JsonObject *object, const char *prefix,
                              const char *key, double *value);
gboolean ns_json_read_count (NsJsonReader *reader, JsonObject *object, const char *prefix,
                             const char *key, double *value);
/* NULL (after setting the error) unless the member key is a string; path names it. */
const char *ns_json_read_string (NsJsonReader *reader, JsonObject *object, const char *path,
                                 const char *key);
/* A string or null (NULL); anything else clears *ok and sets the error. */
const char *ns_json_read_optional_string (NsJsonReader *reader, JsonObject *object,
                                          const char *prefix, const char *key, gboolean *ok);
/* The shortest exact text; NaN as null, ±inf as ±1e999, -0 as "-0.0" so it reads back as a
 * double. */
void ns_json_append_double (GString *out, double value);
/* The deepest nesting of objects and arrays a file may have (the parser recurses per level). */
#define NS_JSON_MAX_DEPTH 64

/* What json-glib 1.6 gets wrong, refused with "PATH:LINE:COL: ..." before it parses: text after
 * the first top-level object (accepted and leaked), nesting deeper than NS_JSON_MAX_DEPTH (stack
 * overflow), integer tokens beyond gint64 (wrapped) and number tokens beyond the double range
 * (but for NS_JSON_INFINITY, the writer's infinity).
 * Anything else wrong is left to the parser, which reports it with its position. */
gboolean ns_json_check_text (const char *path, const char *text, gsize length, GError **error);
/* json_parser_load_from_data of text (after ns_json_check_text), with every object's keys checked
 * unique, as json-glib keeps the last of two equal keys silently. FALSE with *load_error set for
 * json-glib's own error, which the caller words; FALSE with *error set ("PATH:LINE:COL: ...") for
 * the first key given twice in one object, found before any later error. */
gboolean ns_json_parser_load (JsonParser *parser, const char *path, const char *text, gsize length,
                              GError **load_error, GError **error);

/* JSON text of object: one member a line, indented (arrays of plain values on one line), or
 * everything on one line when compact. Doubles as ns_json_append_double writes them. */
void ns_json_write_object (GString *out, JsonObject *object, guint indent, gboolean compact);
/* The members of object as ns_json_write_object writes them, without the braces (and without the
 * line break before the closing one); FALSE when it has none. */
gboolean ns_json_write_members (GString *out, JsonObject *object, guint indent, gboolean compact);
/* json-glib turns a lone surrogate ("\ud800") into bytes that are no UTF-8: names, labels and other
 * strings that reach exports and terminals must be text. TRUE for NULL; else sets the error. */
gboolean ns_json_check_string_is_text (NsJsonReader *reader, const char *path, const char *text);
/* text as a JSON string literal: the one JSON escaper (controls escaped; bytes that are no UTF-8
 * character become U+FFFD). */
void ns_json_append_string (GString *out, const char *text);

G_END_DECLS
