/* fuzz-cli-number.c: libFuzzer harness for number option values of normscope-cli
 * (ns_cli_parse_double). SPDX-License-Identifier: GPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>

#include "ns-fuzz-targets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return ns_fuzz_cli_number (data, size);
}
