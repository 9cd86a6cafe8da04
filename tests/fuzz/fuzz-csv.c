/* fuzz-csv.c: libFuzzer harness for the CSV reader (ns_csv_read) on bytes in memory.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>

#include "ns-fuzz-targets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return ns_fuzz_csv (data, size);
}
