/* ns-moments-private.h: which row kernels run (ns-moments.c's, the batch-norm gap's), and a
 * test's handle on it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE: the row kernels run their baseline build even where the CPU has AVX2;
 * FALSE (the default): the CPU's best. Both give the same bits; tests check it on either. */
void ns_moments_force_baseline_kernel (gboolean baseline);
/* TRUE where the row kernels run their AVX2 build. */
gboolean ns_moments_avx2_kernels (void);

G_END_DECLS
