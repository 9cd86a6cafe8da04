/* ns-safe-text.c: control characters and stray bytes escaped for terminals and JSON.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-safe-text.h"

#include <string.h>

/* C0, DEL and C1: what terminals act on (ESC sequences, OSC 52 clipboard writes, CSI as U+009B). */
static gboolean
ns_is_control (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

static void
ns_append_control (GString *out, gunichar c, NsSafeTextStyle style)
{
  if (c == '\n')
    g_string_append (out, "\\n");
  else if (c == '\t')
    g_string_append (out, "\\t");
  else if (c == '\r')
    g_string_append (out, "\\r");
  else if (style == NS_SAFE_TEXT_TERMINAL && c < 0x80)
    g_string_append_printf (out, "\\x%02x", c);
  else
    g_string_append_printf (out, "\\u%04x", c);
}

void
ns_safe_text_append (GString *out, const char *text, NsSafeTextStyle style)
{
  const char *end = text + strlen (text);

  for (const char *p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gboolean valid = c != (gunichar) -1 && c != (gunichar) -2;
      const char *next = valid ? g_utf8_next_char (p) : p + 1;

      if (!valid)
        {
          if (style == NS_SAFE_TEXT_JSON)
            g_string_append (out, "\\ufffd");
          else
            g_string_append_printf (out, "\\x%02x", (guchar) *p);
        }
      else if (ns_is_control (c))
        ns_append_control (out, c, style);
      else
        {
          if (style == NS_SAFE_TEXT_JSON && (c == '"' || c == '\\'))
            g_string_append_c (out, '\\');
          g_string_append_len (out, p, next - p);
        }
      p = next;
    }
}

char *
ns_safe_text_for_terminal (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  ns_safe_text_append (out, text, NS_SAFE_TEXT_TERMINAL);
  return g_string_free (out, FALSE);
}
