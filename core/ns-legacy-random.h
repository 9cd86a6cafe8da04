/* ns-legacy-random.h: NumPy's legacy RandomState (MT19937, init_genrand seeding), as much of it as
 * scikit-learn's subsampling draws: choice(n, k, replace=False) = permutation(n)[:k].
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NsLegacyRandom NsLegacyRandom;

NsLegacyRandom *ns_legacy_random_new (guint32 seed); /* np.random.RandomState(seed) */
void ns_legacy_random_free (NsLegacyRandom *self);
/* The first k of RandomState.permutation(n), continuing the stream. indices holds k values. */
void ns_legacy_random_choice (NsLegacyRandom *self, gsize n, gsize k, gsize *indices);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsLegacyRandom, ns_legacy_random_free)

G_END_DECLS
