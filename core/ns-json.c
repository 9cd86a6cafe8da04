/* ns-json.c: internal helpers shared by the JSON file readers and writers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-json.h"
#include "ns-error.h"
#include "ns-output.h"
#include "ns-parse-double.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

static char *
ns_json_describe (JsonNode *node)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  if (node == NULL)
    return g_strdup ("nothing (the key is missing)");
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");
    case JSON_NODE_ARRAY:
      return g_strdup ("an array");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup_printf ("'%s'", json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return g_strdup (ns_format_double (buf, json_node_get_double (node)));
    }
}

gboolean
ns_json_fail (NsJsonReader *reader, const char *path, const char *expected, JsonNode *found)
{
  g_autofree char *what = ns_json_describe (found);

  g_set_error (reader->error, NS_ERROR, NS_ERROR_PARSE, "%s: %s: expected %s, found %s",
               reader->file, path, expected, what);
  return FALSE;
}

gboolean
ns_json_node_to_double (JsonNode *node, double *value)
{
  const char *text;

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *value = NAN;
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING: /* how version 1 wrote non-finite numbers before null and 1e999 */
      text = json_node_get_string (node);
      if (strcmp (text, "nan") == 0)
        *value = NAN;
      else if (strcmp (text, "inf") == 0)
        *value = INFINITY;
      else if (strcmp (text, "-inf") == 0)
        *value = -INFINITY;
      else
        return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
ns_json_read_double (NsJsonReader *reader, JsonObject *object, const char *prefix, const char *key,
                     double *value)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strconcat (prefix, key, NULL);

  if (!ns_json_node_to_double (node, value))
    return ns_json_fail (reader, path, "a number or null", node);
  return TRUE;
}

gboolean
ns_json_read_count (NsJsonReader *reader, JsonObject *object, const char *prefix, const char *key,
                    double *value)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strconcat (prefix, key, NULL);

  if (!ns_json_node_to_double (node, value) || !(*value >= 0) || isinf (*value))
    return ns_json_fail (reader, path, "a non-negative finite number", node);
  return TRUE;
}

const char *
ns_json_read_string (NsJsonReader *reader, JsonObject *object, const char *path, const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ns_json_fail (reader, path, "a string", node);
      return NULL;
    }
  return json_node_get_string (node);
}

const char *
ns_json_read_optional_string (NsJsonReader *reader, JsonObject *object, const char *prefix,
                              const char *key, gboolean *ok)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strconcat (prefix, key, NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    *ok = ns_json_fail (reader, path, "a string or null", node);
  return *ok ? json_node_get_string (node) : NULL;
}

void
ns_json_append_double (GString *out, double value)
{
  char buf[NS_DOUBLE_BUF_SIZE];

  /* JSON has no NaN/inf: null keeps a column numeric for pandas and every JSON reader, and
   * 1e999 is read as infinity by Python, JavaScript and json-glib. -0 needs a '.' or json-glib
   * reads it back as the integer 0. */
  if (isnan (value))
    g_string_append (out, "null");
  else if (isinf (value))
    g_string_append (out, value > 0 ? NS_JSON_INFINITY : "-" NS_JSON_INFINITY);
  else if (value == 0 && signbit (value))
    g_string_append (out, "-0.0");
  else
    g_string_append (out, ns_format_double (buf, value));
}

/* Line and column (1-based, in bytes) of position p in text. */
static void
ns_json_position (const char *text, const char *p, guint *line, guint *column)
{
  const char *line_start = text;

  *line = 1;
  for (const char *q = text; q < p; q++)
    if (*q == '\n')
      {
        (*line)++;
        line_start = q + 1;
      }
  *column = (guint) (p - line_start) + 1;
}

/* Sets "PATH:LINE:COL: MESSAGE" for the byte at p and returns FALSE. */
static gboolean G_GNUC_PRINTF (5, 6)
  ns_json_fail_at (const char *path, const char *text, const char *p, GError **error,
                   const char *format, ...)
{
  g_autofree char *message = NULL;
  guint line, column;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ns_json_position (text, p, &line, &column);
  g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s:%u:%u: %s", path, line, column, message);
  return FALSE;
}

/* The writer's spelling of an infinity, NS_JSON_INFINITY or its negative: any other token beyond
 * the range is more likely a typo than a deliberate infinity. */
static gboolean
ns_json_is_infinity_token (const char *start, const char *end)
{
  gsize length = strlen (NS_JSON_INFINITY);

  if (*start == '-')
    start++;
  return (gsize) (end - start) == length && memcmp (start, NS_JSON_INFINITY, length) == 0;
}

/* json-glib keeps integer tokens as gint64 and wraps those beyond it (1e20 written as digits reads
 * as -1); a finite double token beyond the range would read as inf. Either is refused here, but
 * for the writer's infinity. */
static gboolean
ns_json_check_number (const char *path, const char *text, const char **p, const char *end,
                      GError **error)
{
  const char *start = *p, *q = start;
  gboolean integer = TRUE, overflow = FALSE;
  double value;

  while (q < end &&
         (g_ascii_isdigit (*q) || *q == '-' || *q == '+' || *q == '.' || *q == 'e' || *q == 'E'))
    {
      integer = integer && (g_ascii_isdigit (*q) || (q == start && *q == '-'));
      q++;
    }
  *p = q - 1;
  if (ns_parse_double_prefix (start, q, &value, &overflow) != q)
    return TRUE; /* not a number token: the parser reports it with its position */
  if (overflow && !ns_json_is_infinity_token (start, q))
    return ns_json_fail_at (path, text, start, error,
                            "expected a number within the range of doubles, found '%.*s'",
                            (int) MIN (q - start, 64), start);
  if (integer && (value >= 0x1p63 || value < -0x1p63))
    return ns_json_fail_at (path, text, start, error,
                            "expected an integer within ±9223372036854775807 (write larger "
                            "numbers with a decimal point or an exponent), found '%.*s'",
                            (int) MIN (q - start, 64), start);
  return TRUE;
}

/* Only white space may follow the object that starts the text. */
static gboolean
ns_json_check_end (const char *path, const char *text, gsize length, const char *object_end,
                   GError **error)
{
  const char *p = text, *end = text + length;

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p == end || *p != '{' || object_end == NULL)
    return TRUE; /* not an object, or unterminated: the parser reports it with its position */
  for (p = object_end; p < end && g_ascii_isspace (*p); p++)
    ;
  if (p == end)
    return TRUE;
  return ns_json_fail_at (path, text, p, error,
                          "expected the end of the file after the object, found '%c'",
                          g_ascii_isprint (*p) ? *p : '?');
}

/* ---- Keys given twice: json-glib keeps the last of two equal keys silently, so {"mean": 1,
 * "mean": 2} would read as 2. The parser's signals give every object's keys, unescaped. */

typedef struct {
  const char *path;
  GPtrArray *objects; /* per open object, innermost last: a set of its keys so far */
  GError *duplicate;  /* the first key given twice */
} NsJsonKeys;

static void
ns_json_keys_object_start (JsonParser *parser, gpointer data)
{
  NsJsonKeys *keys = data;

  (void) parser;
  g_ptr_array_add (keys->objects, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL));
}

static void
ns_json_keys_object_member (JsonParser *parser, JsonObject *object, const char *name, gpointer data)
{
  NsJsonKeys *keys = data;
  g_autoptr (GString) quoted = NULL;
  GHashTable *seen;

  (void) object;
  if (keys->objects->len == 0 || keys->duplicate != NULL)
    return;
  seen = g_ptr_array_index (keys->objects, keys->objects->len - 1);
  if (g_hash_table_add (seen, g_strdup (name)))
    return;
  quoted = g_string_new (NULL);
  ns_json_append_string (quoted, name);
  /* The parser stands at the end of the second member's value. */
  g_set_error (&keys->duplicate, NS_ERROR, NS_ERROR_PARSE,
               "%s:%u:%u: expected each key once in an object, found the key %s a second time "
               "(a reader would keep one of the two values)",
               keys->path, json_parser_get_current_line (parser),
               json_parser_get_current_pos (parser), quoted->str);
}

static void
ns_json_keys_object_end (JsonParser *parser, JsonObject *object, gpointer data)
{
  NsJsonKeys *keys = data;

  (void) parser;
  (void) object;
  if (keys->objects->len > 0)
    g_ptr_array_remove_index (keys->objects, keys->objects->len - 1);
}

gboolean
ns_json_parser_load (JsonParser *parser, const char *path, const char *text, gsize length,
                     GError **load_error, GError **error)
{
  NsJsonKeys keys = { path, g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref),
                      NULL };
  gulong handlers[] = {
    g_signal_connect (parser, "object-start", G_CALLBACK (ns_json_keys_object_start), &keys),
    g_signal_connect (parser, "object-member", G_CALLBACK (ns_json_keys_object_member), &keys),
    g_signal_connect (parser, "object-end", G_CALLBACK (ns_json_keys_object_end), &keys),
  };
  gboolean loaded = json_parser_load_from_data (parser, text, (gssize) length, load_error);

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_handler_disconnect (parser, handlers[i]);
  g_ptr_array_unref (keys.objects);
  if (keys.duplicate == NULL)
    return loaded;
  g_clear_error (load_error);
  g_propagate_error (error, keys.duplicate);
  return FALSE;
}

gboolean
ns_json_check_text (const char *path, const char *text, gsize length, GError **error)
{
  const char *p = text, *end = text + length, *object_end = NULL;
  gboolean in_string = FALSE;
  guint depth = 0;

  for (; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        {
          if (++depth > NS_JSON_MAX_DEPTH)
            return ns_json_fail_at (path, text, p, error,
                                    "expected at most %d nested objects and arrays, found more",
                                    NS_JSON_MAX_DEPTH);
        }
      else if (*p == '}' || *p == ']')
        {
          if (depth > 0 && --depth == 0 && object_end == NULL)
            object_end = p + 1;
        }
      else if ((*p == '-' || g_ascii_isdigit (*p)) &&
               !ns_json_check_number (path, text, &p, end, error))
        return FALSE;
    }
  return ns_json_check_end (path, text, length, object_end, error);
}

/* Writing: numbers through ns_json_append_double, so every double reads back bit-identical. */

static void
ns_json_write_value (GString *out, JsonNode *node)
{
  g_autofree char *text = NULL;

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    ns_json_append_double (out, json_node_get_double (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    ns_json_append_string (out, json_node_get_string (node));
  else
    {
      text = json_to_string (node, FALSE);
      g_string_append (out, text);
    }
}

static gboolean
ns_json_array_is_flat (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNodeType type = JSON_NODE_TYPE (json_array_get_element (array, i));

      if (type == JSON_NODE_OBJECT || type == JSON_NODE_ARRAY)
        return FALSE;
    }
  return TRUE;
}

/* Before an element: ", " on one line, or a comma and a new indented line. */
static void
ns_json_separate (GString *out, gboolean first, gboolean one_line, guint indent)
{
  if (one_line)
    g_string_append (out, first ? "" : ", ");
  else
    g_string_append_printf (out, "%s\n%*s", first ? "" : ",", indent + 2, "");
}

static void ns_json_write_node (GString *out, JsonNode *node, guint indent, gboolean compact);

static void
ns_json_write_array (GString *out, JsonArray *array, guint indent, gboolean compact)
{
  guint n = json_array_get_length (array);
  gboolean one_line = compact || ns_json_array_is_flat (array);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      ns_json_separate (out, i == 0, one_line, indent);
      ns_json_write_node (out, json_array_get_element (array, i), indent + 2, compact);
    }
  if (!one_line && n > 0)
    g_string_append_printf (out, "\n%*s", indent, "");
  g_string_append_c (out, ']');
}

gboolean
ns_json_write_members (GString *out, JsonObject *object, guint indent, gboolean compact)
{
  g_autoptr (GList) keys = json_object_get_members (object);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      ns_json_separate (out, l == keys, compact, indent);
      ns_json_append_string (out, l->data);
      g_string_append (out, ": ");
      ns_json_write_node (out, json_object_get_member (object, l->data), indent + 2, compact);
    }
  return keys != NULL;
}

void
ns_json_write_object (GString *out, JsonObject *object, guint indent, gboolean compact)
{
  g_string_append_c (out, '{');
  if (ns_json_write_members (out, object, indent, compact) && !compact)
    g_string_append_printf (out, "\n%*s", indent, "");
  g_string_append_c (out, '}');
}

static void
ns_json_write_node (GString *out, JsonNode *node, guint indent, gboolean compact)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      ns_json_write_object (out, json_node_get_object (node), indent, compact);
      break;
    case JSON_NODE_ARRAY:
      ns_json_write_array (out, json_node_get_array (node), indent, compact);
      break;
    case JSON_NODE_VALUE:
      ns_json_write_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Short escapes where JSON has them, as json-glib writes them. */
static gboolean
ns_json_append_short_escape (GString *out, gunichar ch)
{
  static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
  const char *hit = ch != 0 && ch < 0x80 ? strchr (from, (int) ch) : NULL;

  if (hit == NULL)
    return FALSE;
  g_string_append_c (out, '\\');
  g_string_append_c (out, to[hit - from]);
  return TRUE;
}

/* One character of valid UTF-8 (the bytes p to next). Controls (C0, DEL, C1) and JavaScript's
 * line separators become \u escapes, so no reader or terminal sees them raw. */
static void
ns_json_append_char (GString *out, const char *p, const char *next, gunichar ch)
{
  if (ns_json_append_short_escape (out, ch))
    return;
  if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == 0x2028 || ch == 0x2029)
    g_string_append_printf (out, "\\u%04x", ch);
  else
    g_string_append_len (out, p, next - p);
}

void
ns_json_append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0';)
    {
      gunichar ch = g_utf8_get_char_validated (p, -1);

      /* A byte that starts no character: U+FFFD, never invalid UTF-8 in the output. */
      if (ch >= 0x110000)
        {
          g_string_append (out, "\\ufffd");
          p++;
          continue;
        }
      ns_json_append_char (out, p, g_utf8_next_char (p), ch);
      p = g_utf8_next_char (p);
    }
  g_string_append_c (out, '"');
}

gboolean
ns_json_check_string_is_text (NsJsonReader *reader, const char *path, const char *text)
{
  const char *bad;

  if (text == NULL || g_utf8_validate (text, -1, &bad))
    return TRUE;
  g_set_error (reader->error, NS_ERROR, NS_ERROR_PARSE,
               "%s: %s: expected UTF-8 text, found a byte that starts no character at byte %zu "
               "(a \\u escape of a lone UTF-16 surrogate, such as \\ud800?)",
               reader->file, path, (gsize) (bad - text));
  return FALSE;
}
