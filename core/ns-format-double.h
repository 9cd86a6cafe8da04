/* ns-format-double.h: the one number formatter: the shortest locale-independent text that reads
 * back as the same double.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_DOUBLE_BUF_SIZE 48

/* The fewest significant digits that read back bit-identical (C++17 std::to_chars, subnormals
 * included), laid out as printf's %g lays out that many digits (at least 15): fixed from 1e-4 up
 * to the digit count's power of ten, else d.ddde±XX. NaN -> "nan", inf -> "inf"/"-inf", -0 -> "-0".
 * buf must hold NS_DOUBLE_BUF_SIZE bytes; returns buf. */
char *ns_format_double (char *buf, double value);
/* The same, returning the text's length (without its NUL): for writers of many numbers. */
gsize ns_format_double_len (char *buf, double value);

#define NS_FORMAT_READABLE_SIZE G_ASCII_DTOSTR_BUF_SIZE

/* A number for people to read, not to read back: printf's %.<significant>g in the C locale, with
 * the plain form ("160") where it is no longer than %g's exponent form ("1.6e+02"). -0 and the
 * rounding noise of a zero (|value| < 1e-12) print "0"; NaN -> "nan", inf -> "inf"/"-inf".
 * significant is 1 to 17; returns buf. */
char *ns_format_readable (char buf[NS_FORMAT_READABLE_SIZE], double value, int significant);

G_END_DECLS
