/* ns-safe-text.h: text from files made safe to print: control characters (C0, DEL, C1) and bytes
 * that are not UTF-8 shown as visible escapes, so no data can clear, retitle or script a terminal.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* For people: \t \n \r, other C0 and DEL as \x1b, C1 as \u009b, a byte that is not UTF-8 as
   * \xff; everything else, valid UTF-8 included, as is. */
  NS_SAFE_TEXT_TERMINAL,
  /* The inside of a JSON string: \" \\ \t \n \r, every other control as \u001b, \u007f, \u009b,
   * a byte that is not UTF-8 as \ufffd, so the output is valid JSON and inert on a terminal. */
  NS_SAFE_TEXT_JSON,
} NsSafeTextStyle;

/* Appends text (NUL-terminated) to out, escaped in style. */
void ns_safe_text_append (GString *out, const char *text, NsSafeTextStyle style);
/* text in the terminal style, newly allocated. */
char *ns_safe_text_for_terminal (const char *text);

G_END_DECLS
