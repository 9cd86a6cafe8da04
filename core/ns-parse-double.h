/* ns-parse-double.h: exact, locale-independent parsing of a number at the start of a buffer.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses the longest number at text[0..end): [+-] (digits [. digits] | . digits) [(e|E) [+-]
 * digits] or [+-] (inf | infinity | nan), case-insensitive. Returns the first byte after it, or
 * NULL if text does not start with a number. A finite literal beyond the double range sets
 * *overflow and stores ±inf; underflow rounds to a subnormal or ±0 as strtod does. */
const char *ns_parse_double_prefix (const char *text, const char *end, double *value,
                                    gboolean *overflow);

/* Parse one number exactly (correctly rounded, locale-independent): decimal, exponent,
 * inf/-inf/infinity. Returns FALSE if text[0..len) is not entirely a number. */
gboolean ns_parse_double (const char *text, gsize len, double *value);

G_END_DECLS
