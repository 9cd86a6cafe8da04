/* ns-legacy-random.c: NumPy 1.24's legacy RandomState stream (MT19937 seeded by init_genrand,
 * numpy/random/src/mt19937/mt19937.c) and the bounded draw of its shuffle (random_interval,
 * numpy/random/src/distributions/distributions.c), so subsamples pick the rows NumPy picks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-legacy-random.h"

#include <string.h>

#define NS_MT_STATE 624
#define NS_MT_SHIFT 397
#define NS_MT_MATRIX_A 0x9908b0dfU
#define NS_MT_UPPER 0x80000000U
#define NS_MT_LOWER 0x7fffffffU

struct _NsLegacyRandom {
  guint32 key[NS_MT_STATE];
  guint position;
};

NsLegacyRandom *
ns_legacy_random_new (guint32 seed)
{
  NsLegacyRandom *self = g_new (NsLegacyRandom, 1);

  self->key[0] = seed;
  for (guint i = 1; i < NS_MT_STATE; i++)
    self->key[i] = 1812433253U * (self->key[i - 1] ^ (self->key[i - 1] >> 30)) + i;
  self->position = NS_MT_STATE;
  return self;
}

void
ns_legacy_random_free (NsLegacyRandom *self)
{
  g_free (self);
}

static guint32
ns_mt_twist (guint32 upper, guint32 lower, guint32 shifted)
{
  guint32 y = (upper & NS_MT_UPPER) | (lower & NS_MT_LOWER);

  return shifted ^ (y >> 1) ^ ((0U - (y & 1U)) & NS_MT_MATRIX_A);
}

/* mt19937_gen: the next 624 words of state. */
static void
ns_mt_generate (NsLegacyRandom *self)
{
  guint32 *key = self->key;
  guint i;

  for (i = 0; i < NS_MT_STATE - NS_MT_SHIFT; i++)
    key[i] = ns_mt_twist (key[i], key[i + 1], key[i + NS_MT_SHIFT]);
  for (; i < NS_MT_STATE - 1; i++)
    key[i] = ns_mt_twist (key[i], key[i + 1], key[i + NS_MT_SHIFT - NS_MT_STATE]);
  key[NS_MT_STATE - 1] = ns_mt_twist (key[NS_MT_STATE - 1], key[0], key[NS_MT_SHIFT - 1]);
}

/* mt19937_next32: one state word, tempered. The read position is the caller's local copy of
 * self->position, so a loop of draws keeps it in a register. */
static inline guint32
ns_mt_next32 (NsLegacyRandom *self, guint *position)
{
  guint32 y;

  if (G_UNLIKELY (*position == NS_MT_STATE))
    {
      ns_mt_generate (self);
      *position = 0;
    }
  y = self->key[(*position)++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

/* mt19937_next64: two words, the first one high. */
static guint64
ns_mt_next64 (NsLegacyRandom *self, guint *position)
{
  guint64 high = ns_mt_next32 (self, position);

  return (high << 32) | ns_mt_next32 (self, position);
}

/* random_interval: a uniform value in [0, max] by masking to the smallest covering power of two
 * and drawing again while above max (32-bit draws while max fits in 32 bits). */
static inline guint64
ns_random_interval (NsLegacyRandom *self, guint *position, guint64 max)
{
  guint64 mask, value;

  if (max == 0)
    return 0;
  mask = G_MAXUINT64 >> __builtin_clzll (max); /* max with every lower bit set */
  if (max <= G_MAXUINT32)
    while ((value = (ns_mt_next32 (self, position) & mask)) > max)
      ;
  else
    while ((value = (ns_mt_next64 (self, position) & mask)) > max)
      ;
  return value;
}

/* Steps of the shuffle whose draws are taken ahead: the draws do not depend on the array, so
 * the random swap targets can be prefetched (swaps dominate once the array leaves the cache). */
#define NS_SHUFFLE_AHEAD 32

/* RandomState.shuffle (_shuffle_raw) of permutation[0..n): Fisher-Yates from the last position
 * down to 1, swapping position i with random_interval (i). */
static void
ns_shuffle (NsLegacyRandom *self, gsize *permutation, gsize n)
{
  gsize targets[NS_SHUFFLE_AHEAD];
  guint position = self->position;

  for (gsize top = n; top > 1;)
    {
      gsize steps = MIN ((gsize) NS_SHUFFLE_AHEAD, top - 1);

      for (gsize s = 0; s < steps; s++)
        {
          targets[s] = (gsize) ns_random_interval (self, &position, top - 1 - s);
          __builtin_prefetch (&permutation[targets[s]], 1);
        }
      for (gsize s = 0; s < steps; s++)
        {
          gsize i = top - 1 - s, j = targets[s], held = permutation[j];

          permutation[j] = permutation[i];
          permutation[i] = held;
        }
      top -= steps;
    }
  self->position = position;
}

void
ns_legacy_random_choice (NsLegacyRandom *self, gsize n, gsize k, gsize *indices)
{
  g_autofree gsize *permutation = NULL;

  g_return_if_fail (self != NULL && k <= n);
  permutation = g_new (gsize, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    permutation[i] = i;
  ns_shuffle (self, permutation, n);
  memcpy (indices, permutation, k * sizeof (gsize));
}
