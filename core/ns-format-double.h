/* ns-format-double.h: the one number formatter: the shortest locale-independent text that reads
 * back as the same double.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_DOUBLE_BUF_SIZE 32

/* The fewest significant digits that read back bit-identical (C++17 std::to_chars, subnormals
 * included), laid out as printf's %g lays out that many digits (at least 15): fixed from 1e-4 up
 * to the digit count's power of ten, else d.ddde±XX. NaN -> "nan", inf -> "inf"/"-inf", -0 -> "-0".
 * buf must hold NS_DOUBLE_BUF_SIZE bytes; returns buf. */
char *ns_format_double (char *buf, double value);

G_END_DECLS
