/* fuzz-npz.c: libFuzzer harness for stats imported from a NumPy .npz archive (ns_npz_import).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>

#include "ns-fuzz-targets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return ns_fuzz_npz (data, size);
}
