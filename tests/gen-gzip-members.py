#!/usr/bin/python3
# gen-gzip-members.py: writes the multi-member gzip fixtures of tests/data/csv/ (test-csv, test-stream,
# test-cli): one table, as plain CSV and as gzip files of several members, the way `cat a.gz b.gz`,
# `gzip >>`, bgzip and pigz -i make them. Run: /usr/bin/python3 tests/gen-gzip-members.py
# SPDX-License-Identifier: GPL-3.0-or-later
import gzip
import pathlib
import struct
import zlib

DATA = pathlib.Path(__file__).resolve().parent / "data" / "csv"


def table():
    rows = ["a;b;c;name"]
    for i in range(200):
        rows.append("%d;%s;%d.%03d;n%d" % (i, "" if i % 17 == 0 else str(i * 7 % 13 - 6),
                                         i % 5, i * 37 % 1000, i % 3))
    return ("\n".join(rows) + "\n").encode()


def bgzf_member(text):
    """A BGZF block: a gzip member whose header carries the BC extra field (block size - 1)."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflate.compress(text) + deflate.flush()
    size = 18 + len(body) + 8
    header = b"\x1f\x8b\x08\x04" + b"\0\0\0\0" + b"\x00\xff" + struct.pack("<HBBHH", 6, 66, 67, 2, size - 1)
    return header + body + struct.pack("<II", zlib.crc32(text), len(text))


def main():
    text = table()
    (DATA / "members.csv").write_bytes(text)
    # The first line spans three members, the second an empty one; a line breaks across members.
    pieces = [text[:1], b"", text[1:9], text[9:40], text[40:]]
    (DATA / "members.csv.gz").write_bytes(b"".join(gzip.compress(p, mtime=0) for p in pieces))
    # bgzip: blocks of a few bytes each (real ones hold up to 64 KiB), then the empty EOF block.
    blocks = [text[i:i + 37] for i in range(0, len(text), 37)] + [b""]
    (DATA / "members-bgzf.csv.gz").write_bytes(b"".join(bgzf_member(b) for b in blocks))


main()
