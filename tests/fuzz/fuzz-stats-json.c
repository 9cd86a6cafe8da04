/* fuzz-stats-json.c: libFuzzer harness for stats JSON files (ns_stats_from_json, ns_stats_load).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>

#include "ns-fuzz-targets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return ns_fuzz_stats_json (data, size);
}
