/* ns-moments-private.h: the four-lane vector of the kernels on rows read in place (ns-moments.c's,
 * the batch-norm batches' and gap's), which build of them runs, and a test's handle on it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Four values of a row: one AVX2 register, two SSE2 ones. */
typedef double NsQuad __attribute__ ((vector_size (32)));
/* NsQuad's bits, and its comparisons' lanes (all ones where true). */
typedef gint64 NsQuadBits __attribute__ ((vector_size (32)));

/* A row's values [0, width) into q (width <= 4; the other lanes 0). */
static inline __attribute__ ((always_inline)) void
ns_quad_load (NsQuad *q, const double *row, guint width)
{
  *q = (NsQuad) { 0 };
  memcpy (q, row, width * sizeof (double));
}

/* Lane by lane *a < *b ? *a : *b, and *a > *b ? *a : *b: NaN against anything gives *b, as the
 * scalar comparisons of the column path. (Through pointers: a vector passed by value without AVX
 * would change the ABI.) */
static inline __attribute__ ((always_inline)) void
ns_quad_min (NsQuad *r, const NsQuad *a, const NsQuad *b)
{
  NsQuadBits less = *a < *b;

  *r = (NsQuad) ((less & (NsQuadBits) *a) | (~less & (NsQuadBits) *b));
}

static inline __attribute__ ((always_inline)) void
ns_quad_max (NsQuad *r, const NsQuad *a, const NsQuad *b)
{
  NsQuadBits greater = *a > *b;

  *r = (NsQuad) ((greater & (NsQuadBits) *a) | (~greater & (NsQuadBits) *b));
}

/* TRUE: the row kernels run their baseline build even where the CPU has AVX2;
 * FALSE (the default): the CPU's best. Both give the same bits; tests check it on either. */
void ns_moments_force_baseline_kernel (gboolean baseline);
/* TRUE where the row kernels run their AVX2 build. */
gboolean ns_moments_avx2_kernels (void);

G_END_DECLS
