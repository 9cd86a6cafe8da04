/* ns-format-double.cc: shortest round-trip formatting with C++17 std::to_chars (Ryu-like, exact).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-format-double.h"

#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstring>

/* The digits of "d.ddde±XX" (to_chars' scientific form) without the point, and the exponent. */
static int
split_scientific (const char *text, const char *end, char *digits, int *exponent)
{
  /* to_chars writes no terminating NUL and an exponent of two or three digits ("e-05", "e+308"):
   * the 'e' is found from the end, and everything is read within [text, end). */
  const char *e = end[-4] == 'e' ? end - 4 : end - 5;
  int n = 1;

  digits[0] = text[0];
  if (e - text > 2)
    {
      std::memcpy (digits + 1, text + 2, e - text - 2);
      n += static_cast<int> (e - text - 2);
    }
  bool negative = e[1] == '-';
  int value = 0;

  for (const char *p = e + 2; p < end; p++)
    value = 10 * value + (*p - '0');
  *exponent = negative ? -value : value;
  return n;
}

/* "ddd[.ddd]" or "0.000ddd" for -4 <= exponent < the digit count's precision. */
static char *
layout_fixed (char *out, const char *digits, int n, int exponent)
{
  if (exponent < 0)
    {
      *out++ = '0';
      *out++ = '.';
      std::memset (out, '0', -exponent - 1);
      out += -exponent - 1;
      std::memcpy (out, digits, n);
      return out + n;
    }
  if (n <= exponent + 1)
    {
      std::memcpy (out, digits, n);
      std::memset (out + n, '0', exponent + 1 - n);
      return out + exponent + 1;
    }
  std::memcpy (out, digits, exponent + 1);
  out += exponent + 1;
  *out++ = '.';
  std::memcpy (out, digits + exponent + 1, n - exponent - 1);
  return out + n - exponent - 1;
}

/* A constant's text and its length. */
static gsize
copy_text (char *buf, const char *text)
{
  gsize len = std::strlen (text);

  std::memcpy (buf, text, len + 1);
  return len;
}

extern "C" gsize
ns_format_double_len (char *buf, double value)
{
  char scientific[NS_DOUBLE_BUF_SIZE], digits[NS_DOUBLE_BUF_SIZE], *out = buf;
  int exponent, n;

  if (std::isnan (value))
    return copy_text (buf, "nan");
  if (std::isinf (value))
    return copy_text (buf, value > 0 ? "inf" : "-inf");
  auto result = std::to_chars (scientific, scientific + sizeof scientific, std::fabs (value),
                               std::chars_format::scientific);
  n = split_scientific (scientific, result.ptr, digits, &exponent);
  if (std::signbit (value))
    *out++ = '-';
  /* printf's %g with n digits (at least 15): */
  if (exponent >= -4 && exponent < (n > 15 ? n : 15))
    out = layout_fixed (out, digits, n, exponent);
  else
    {
      std::memcpy (out, scientific, result.ptr - scientific);
      out += result.ptr - scientific;
    }
  *out = '\0';
  return out - buf;
}

extern "C" char *
ns_format_double (char *buf, double value)
{
  ns_format_double_len (buf, value);
  return buf;
}

/* Below this a readable number is the rounding noise of a zero. */
#define NS_FORMAT_READABLE_ZERO 1e-12

extern "C" char *
ns_format_readable (char buf[NS_FORMAT_READABLE_SIZE], double value, int significant)
{
  char format[8], plain[NS_FORMAT_READABLE_SIZE];

  g_return_val_if_fail (significant >= 1 && significant <= 17, NULL);
  if (std::isnan (value))
    return std::strcpy (buf, "nan");
  if (std::isinf (value))
    return std::strcpy (buf, value > 0 ? "inf" : "-inf");
  if (std::fabs (value) < NS_FORMAT_READABLE_ZERO)
    return std::strcpy (buf, "0");
  std::snprintf (format, sizeof format, "%%.%dg", significant);
  g_ascii_formatd (buf, NS_FORMAT_READABLE_SIZE, format, value);
  const char *e = std::strchr (buf, 'e');

  if (e == NULL || e[1] != '+')
    return buf;
  /* The rounded value written out, where that is no longer: "160", not "1.6e+02". */
  g_ascii_formatd (plain, sizeof plain, "%.0f", g_ascii_strtod (buf, NULL));
  if (std::strlen (plain) <= std::strlen (buf))
    std::strcpy (buf, plain);
  return buf;
}
