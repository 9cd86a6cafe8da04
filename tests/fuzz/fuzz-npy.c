/* fuzz-npy.c: libFuzzer harness for the NumPy .npy reader (ns_npy_read).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>

#include "ns-fuzz-targets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return ns_fuzz_npy (data, size);
}
