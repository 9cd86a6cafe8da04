/* ns-export-escape.c: text from input files as Python and C string literals and C identifiers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-export-escape.h"

/* The character at *p, moving past it; U+FFFD for a byte that starts no valid UTF-8 character. */
static gunichar
ns_escape_next_char (const char **p)
{
  gunichar ch = g_utf8_get_char_validated (*p, -1);

  if (ch >= 0x110000)
    {
      (*p)++;
      return 0xfffd;
    }
  *p = g_utf8_next_char (*p);
  return ch;
}

/* ASCII only: no control character, bidi override (Trojan Source) or invalid UTF-8 reaches the
 * code, and the literal is safe inside a '#' comment. */
void
ns_export_append_python_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0';)
    {
      gunichar ch = ns_escape_next_char (&p);

      if (ch == '"' || ch == '\\')
        g_string_append_printf (out, "\\%c", (char) ch);
      else if (ch >= 0x20 && ch < 0x7f)
        g_string_append_c (out, (char) ch);
      else if (ch < 0x100)
        g_string_append_printf (out, "\\x%02x", ch);
      else if (ch < 0x10000)
        g_string_append_printf (out, "\\u%04x", ch);
      else
        g_string_append_printf (out, "\\U%08x", ch);
    }
  g_string_append_c (out, '"');
}

/* Bytes, as C strings hold UTF-8; three-digit octal escapes, because a hex escape would swallow a
 * following hex digit. '?' is escaped so "??/" is no trigraph backslash under -trigraphs. */
void
ns_export_append_c_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == '?')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p >= 0x20 && *p < 0x7f && *p != '*')
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "\\%03o", *p);
    }
  g_string_append_c (out, '"');
}

/* No "__" and no leading '_': C reserves those names. */
char *
ns_export_c_identifier (const char *text)
{
  GString *id = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_isalnum (*p) ? *p : '_';

      if (c != '_' || (id->len > 0 && id->str[id->len - 1] != '_'))
        g_string_append_c (id, c);
    }
  if (id->len > 0 && id->str[id->len - 1] == '_')
    g_string_truncate (id, id->len - 1);
  if (id->len == 0)
    g_string_append (id, "ns");
  else if (g_ascii_isdigit (id->str[0]))
    g_string_prepend (id, "ns_");
  return g_string_free (id, FALSE);
}
