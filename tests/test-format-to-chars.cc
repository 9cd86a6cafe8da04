/* test-format-to-chars.cc: ns_format_double_len's digits against C++17 std::to_chars' shortest
 * form (libstdc++'s Ryu), which it replaced: the same digits and exponent for random bit patterns,
 * subnormals, powers of two and the ends of the range, and the text reads back bit for bit; its
 * layout against glibc's printf with that many digits, as the header promises.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>

#include <glib.h>

extern "C" {
#include "core/ns-format-double.h"
#include "core/ns-parse-double.h"
void ns_test_format_matches_to_chars (void);
}

/* The significant digits and the decimal exponent of the first, of a number's text. */
static std::string
digits_of (const char *text, int *exponent)
{
  std::string digits;
  int point = -1, written_exponent = 0, seen = 0;
  const char *p = text;

  if (*p == '-')
    p++;
  for (; *p != '\0' && *p != 'e'; p++)
    if (*p == '.')
      point = seen;
    else
      {
        digits += *p;
        seen++;
      }
  if (*p == 'e')
    written_exponent = std::atoi (p + 1);
  if (point < 0)
    point = seen;
  std::size_t first = digits.find_first_not_of ('0');
  std::size_t last = digits.find_last_not_of ('0');
  if (first == std::string::npos)
    {
      *exponent = 0;
      return "0";
    }
  *exponent = written_exponent + point - 1 - static_cast<int> (first);
  return digits.substr (first, last - first + 1);
}

static void
check (double value)
{
  char ours[NS_DOUBLE_BUF_SIZE], theirs[64];
  int our_exponent, their_exponent;
  double back;

  ns_format_double_len (ours, value);
  auto end =
    std::to_chars (theirs, theirs + sizeof theirs - 1, value, std::chars_format::scientific);
  *end.ptr = '\0';
  std::string a = digits_of (ours, &our_exponent), b = digits_of (theirs, &their_exponent);
  if (a != b || our_exponent != their_exponent)
    g_error ("%a: formatted as '%s', to_chars says '%s'", value, ours, theirs);
  /* The layout, from to_chars' digits: %g's with max(n, 15) digits, fixed from 1e-4 up to that
   * many digits, else scientific. */
  int n = static_cast<int> (b.size ()), e = their_exponent;
  bool fixed = value == 0 || (e >= -4 && e < std::max (n, 15));
  std::string laid = std::signbit (value) ? "-" : "";
  if (fixed && e < 0)
    laid += "0." + std::string (-e - 1, '0') + b;
  else if (fixed && n <= e + 1)
    laid += b + std::string (e + 1 - n, '0');
  else if (fixed)
    laid += b.substr (0, e + 1) + "." + b.substr (e + 1);
  else
    {
      char exponent_text[16];
      std::snprintf (exponent_text, sizeof exponent_text, "e%c%02d", e < 0 ? '-' : '+',
                     std::abs (e));
      laid += b.substr (0, 1) + (n > 1 ? "." + b.substr (1) : "") + exponent_text;
    }
  if (laid != ours)
    g_error ("%a: formatted as '%s', laid out from to_chars' digits '%s'", value, ours,
             laid.c_str ());
  /* And glibc's printf, where its correct rounding to n digits is the shortest (not always at a
   * power of two, whose gap below is half the gap above): %f or %e with those digits. */
  char printed[64];
  if (fixed)
    std::snprintf (printed, sizeof printed, "%.*f", std::max (0, n - 1 - e), value);
  else
    std::snprintf (printed, sizeof printed, "%.*e", n - 1, value);
  int printed_exponent;
  if (digits_of (printed, &printed_exponent) == b && std::strcmp (ours, printed) != 0)
    g_error ("%a: formatted as '%s', printf with its digits says '%s'", value, ours, printed);
  g_assert_true (ns_parse_double (ours, std::strlen (ours), &back));
  if (std::memcmp (&back, &value, sizeof value) != 0)
    g_error ("%a: '%s' reads back as %a", value, ours, back);
}

void
ns_test_format_matches_to_chars (void)
{
  std::uint64_t state = 0x9e3779b97f4a7c15u;

  for (int i = 0; i < 2000000; i++)
    {
      double value;

      /* splitmix64: every bit pattern equally likely, so every exponent is reached. */
      std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      z ^= z >> 31;
      std::memcpy (&value, &z, sizeof value);
      if (std::isfinite (value))
        check (value);
      /* Subnormals and short decimals too: the low bits alone, and a few-digit number. */
      std::uint64_t low = z & 0x000fffffffffffffu;
      std::memcpy (&value, &low, sizeof value);
      check (value);
      check (static_cast<double> (z % 100000) / 1000.0);
      /* Full-length digits where the layout is fixed or turns scientific: [1, 2) x 10^-6..10^18,
       * every digit count of the integer part and every place of the point. */
      static const double scales[] = { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1,  1e2,
                                       1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18 };
      check (std::ldexp (static_cast<double> (z >> 11), -52) * scales[(z >> 3) % 25]);
      check (static_cast<double> (z >> (z & 63)));
    }
  for (int e = -1074; e <= 1023; e++)
    check (std::ldexp (1.0, e));
  const double ends[] = { 0.0,
                          -0.0,
                          5e-324,
                          2.2250738585072014e-308,
                          1.7976931348623157e308,
                          1e-308,
                          1e308,
                          1e15,
                          1e16,
                          1e17,
                          1e-4,
                          1e-5,
                          0.1,
                          1.0 / 3 };
  for (double v : ends)
    {
      check (v);
      check (-v);
    }
}
