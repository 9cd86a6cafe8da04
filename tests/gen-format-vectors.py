#!/usr/bin/python3
# gen-format-vectors.py: doubles and Python's repr of each (the shortest text that reads back
# exactly), for test-output's check of ns_format_double: random bit patterns, subnormals, +-0,
# powers of two, the ends of the range. Writes tests/data/format/shortest.txt, one
# "BITS(hex) REPR" a line.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from anywhere: /usr/bin/python3 tests/gen-format-vectors.py
import math
import os
import random
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "format", "shortest.txt")


def from_bits(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def values():
    rng = random.Random(20261202)
    yield from (0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
                sys.float_info.max, -sys.float_info.max, 1e308, 1e-308, 1e-307, 0.1, 0.2, 0.3,
                1 / 3, 2 / 3, 1e15, 1e16, 1e17, 123456789012345678.0, 9007199254740993.0,
                0.0001, 0.00001, 1e-5, 123456.789e-9, 100000.0, 1e21, 1e22, 1e23)
    for e in range(-1074, 1024, 7):
        yield math.ldexp(1.0, e)
    for _ in range(3000):  # any exponent, subnormals included
        bits = rng.getrandbits(64)
        if (bits >> 52) & 0x7FF != 0x7FF:
            yield from_bits(bits)
    for _ in range(1000):  # subnormals
        yield from_bits(rng.getrandbits(52) | (rng.getrandbits(1) << 63))
    for _ in range(2000):  # the everyday range
        yield rng.uniform(-1, 1) * 10.0 ** rng.randint(-6, 18)


with open(OUT, "w") as f:
    for v in values():
        f.write("%016x %r\n" % (struct.unpack("<Q", struct.pack("<d", v))[0], v))
