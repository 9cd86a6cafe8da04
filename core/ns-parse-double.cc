/* ns-parse-double.cc: correctly rounded, locale-independent decimal parsing (fast_float,
 * Eisel–Lemire). SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-parse-double.h"

#include <cmath>
#include <fast_float/fast_float.h>

static bool
ascii_prefix_ci (const char *p, const char *end, const char *word)
{
  for (; *word != '\0'; p++, word++)
    if (p == end || g_ascii_tolower (*p) != *word)
      return false;
  return true;
}

/* inf, infinity, nan only: fast_float would also take "nan(...)", which strtod-in-C parses but no
 * CSV means as a number. */
static const char *
parse_special (const char *p, const char *end, double *value)
{
  if (ascii_prefix_ci (p, end, "infinity"))
    {
      *value = HUGE_VAL;
      return p + 8;
    }
  if (ascii_prefix_ci (p, end, "inf"))
    {
      *value = HUGE_VAL;
      return p + 3;
    }
  if (ascii_prefix_ci (p, end, "nan"))
    {
      *value = NAN;
      return p + 3;
    }
  return nullptr;
}

extern "C" const char *
ns_parse_double_prefix (const char *text, const char *end, double *value, gboolean *overflow)
{
  const char *p = text;
  bool negative = false;
  double magnitude;

  *overflow = FALSE;
  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  if (p == end)
    return nullptr;
  if ((unsigned char) (*p - '0') < 10 || *p == '.')
    {
      /* Digits only from here: fast_float never sees a sign, hex prefix or locale. */
      auto result = fast_float::from_chars (p, end, magnitude, fast_float::chars_format::general);
      if (result.ec != std::errc ())
        return nullptr;
      p = result.ptr;
      *overflow = std::isinf (magnitude);
    }
  else if ((p = parse_special (p, end, &magnitude)) == nullptr)
    return nullptr;
  *value = negative ? -magnitude : magnitude;
  return p;
}

/* Overflow ("1e999") is not a number here: it returns FALSE with *value set to ±inf, so callers can
 * say "out of range" rather than silently store an infinity the file did not write. */
extern "C" gboolean
ns_parse_double (const char *text, gsize len, double *value)
{
  gboolean overflow;
  double parsed;
  const char *after = ns_parse_double_prefix (text, text + len, &parsed, &overflow);

  if (after == nullptr || after != text + len)
    {
      *value = NAN;
      return FALSE;
    }
  *value = parsed;
  return !overflow;
}
