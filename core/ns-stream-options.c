/* ns-stream-options.c: the defaults of reading in blocks or in place.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stream-options.h"

void
ns_stream_options_init (NsStreamOptions *options)
{
  *options = (NsStreamOptions) { .range_start = -1, .range_end = -1 };
}
