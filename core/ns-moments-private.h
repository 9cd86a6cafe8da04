/* ns-moments-private.h: a test's handle on which row kernel ns-moments.c runs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE: ns_moments_summarise_row_blocks runs its baseline kernel even where the CPU has AVX2;
 * FALSE (the default): the CPU's best. Both give the same bits; tests check it on either. */
void ns_moments_force_baseline_kernel (gboolean baseline);

G_END_DECLS
