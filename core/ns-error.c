/* ns-error.c: the normscope error domain.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-error.h"

G_DEFINE_QUARK (ns - error - quark, ns_error)
