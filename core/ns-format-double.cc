/* ns-format-double.cc: shortest round-trip formatting (fmt's Dragonbox digits, exact).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-format-double.h"

#include <cstdint>
#include <cstdio>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

/* The digits of m > 0: log10 from the bit length (1233 / 4096 ~ log10 2), then one comparison. */
static int
decimal_length (std::uint64_t m)
{
  static const std::uint64_t powers[20] = { 1u,
                                            10u,
                                            100u,
                                            1000u,
                                            10000u,
                                            100000u,
                                            1000000u,
                                            10000000u,
                                            100000000u,
                                            1000000000u,
                                            10000000000u,
                                            100000000000u,
                                            1000000000000u,
                                            10000000000000u,
                                            100000000000000u,
                                            1000000000000000u,
                                            10000000000000000u,
                                            100000000000000000u,
                                            1000000000000000000u,
                                            10000000000000000000u };
  int t = ((64 - __builtin_clzll (m)) * 1233) >> 12;

  return t + 1 - (m < powers[t]);
}

static const char digit_pairs[] =
  "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546"
  "4748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293"
  "949596979899";

/* x < 10^8 as eight digits: a shallow tree of divisions rather than a chain of eight, and one
 * 8-byte store, which a later 8-byte load of the same bytes is forwarded from. */
static void
write_eight_digits (char *p, std::uint32_t x)
{
  std::uint32_t high = x / 10000, low = x % 10000;
  std::uint16_t pairs[4];
  std::uint64_t word;

  std::memcpy (&pairs[0], digit_pairs + 2 * (high / 100), 2);
  std::memcpy (&pairs[1], digit_pairs + 2 * (high % 100), 2);
  std::memcpy (&pairs[2], digit_pairs + 2 * (low / 100), 2);
  std::memcpy (&pairs[3], digit_pairs + 2 * (low % 100), 2);
  word = static_cast<std::uint64_t> (pairs[0]) | static_cast<std::uint64_t> (pairs[1]) << 16 |
         static_cast<std::uint64_t> (pairs[2]) << 32 | static_cast<std::uint64_t> (pairs[3]) << 48;
  if (G_BYTE_ORDER == G_BIG_ENDIAN)
    word = GUINT64_SWAP_LE_BE (word);
  std::memcpy (p, &word, 8);
}

/* The shortest digits that read back as value (finite, > 0), in all (24 bytes), and the decimal
 * exponent of the first, as d.ddd x 10^exponent: fmt's Dragonbox, the digits std::to_chars'
 * shortest form has too (tests/test-format-to-chars.cc compares them) at about half its CPU
 * (measured in `transform`: libstdc++'s to_chars was 38 % of the samples). Returns the first. */
static const char *
shortest_digits (double value, char *all, int *n, int *exponent)
{
  auto decimal = fmt::detail::dragonbox::to_decimal (value);
  std::uint64_t m = decimal.significand;

  *n = decimal_length (m);
  write_eight_digits (all + 16, static_cast<std::uint32_t> (m % 100000000));
  m /= 100000000;
  write_eight_digits (all + 8, static_cast<std::uint32_t> (m % 100000000));
  write_eight_digits (all, static_cast<std::uint32_t> (m / 100000000));
  *exponent = decimal.exponent + *n - 1;
  return all + 24 - *n;
}

/* "d[.ddd]e±XX", as to_chars' scientific form writes it. */
static char *
layout_scientific (char *out, const char *digits, int n, int exponent)
{
  *out++ = digits[0];
  if (n > 1)
    {
      *out++ = '.';
      std::memcpy (out, digits + 1, n - 1);
      out += n - 1;
    }
  *out++ = 'e';
  *out++ = exponent < 0 ? '-' : '+';
  exponent = exponent < 0 ? -exponent : exponent;
  if (exponent >= 100)
    *out++ = static_cast<char> ('0' + exponent / 100);
  *out++ = static_cast<char> ('0' + exponent / 10 % 10);
  *out++ = static_cast<char> ('0' + exponent % 10);
  return out;
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
  char all[24], *out = buf;
  const char *digits = "0";
  int exponent = 0, n = 1;

  if (std::isnan (value))
    return copy_text (buf, "nan");
  if (std::isinf (value))
    return copy_text (buf, value > 0 ? "inf" : "-inf");
  if (value != 0)
    digits = shortest_digits (std::fabs (value), all, &n, &exponent);
  if (std::signbit (value))
    *out++ = '-';
  /* printf's %g with n digits (at least 15): */
  if (exponent >= -4 && exponent < (n > 15 ? n : 15))
    out = layout_fixed (out, digits, n, exponent);
  else
    out = layout_scientific (out, digits, n, exponent);
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
