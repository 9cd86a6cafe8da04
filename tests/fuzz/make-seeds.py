#!/usr/bin/python3
# make-seeds.py: writes the fuzz seed corpora tests/fuzz/corpus/<harness>/ (hand-made inputs plus the
# small fixtures of tests/data/). Run from anywhere: /usr/bin/python3 tests/fuzz/make-seeds.py
# Each file is named by the sha1 of its bytes, as libFuzzer names corpus entries.
# SPDX-License-Identifier: GPL-3.0-or-later
import gzip
import hashlib
import io
import zipfile
import json
import os
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data"
MAX_FIXTURE = 4096  # bytes: larger fixtures slow fuzzing without adding paths


def put(harness, data):
    folder = HERE / "corpus" / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def npy_bytes(array):
    out = io.BytesIO()
    np.save(out, array, allow_pickle=True)
    return out.getvalue()


def npz_bytes(compressed=False, **arrays):
    out = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(out, **arrays)
    return out.getvalue()


# The first byte of a csv/csv-gz/npy input selects options (see ns-fuzz-targets.h): 0 is the default.
CSV = [
    b"a,b,species\n1,2,x\n3,4,y\n5.5,-6e3,x\n",
    b'name,"v,1"\n"a""b",1.5\n"x\ny",2\n',
    b"a;b\n1,5;2\n3;4\n",
    b"a\tb\n1\t2\n",
    b"a  b   c\n1  2   3\n 4 5 6\n",
    b"\xef\xbb\xbfa,b\r\n1,2\r\n3,4\r\n",
    b"a,b\nNA,1\n?,nan\nnull,\nN/A,NaN\n",
    b"x\ninf\n-inf\n1e308\n-Infinity\n",
    b"1,2\n3,4\n",
    b"x\n0.1\n-0\n1e-320\n.5\n+3\n4.9406564584124654e-324\n",
    b"a,b\n1\n2,3,4\n",
    b'a\n"abc\n',
    b"",
    b"a,b,c\n",
    b"x,y\n1e999,0x1p3\n",
    b"h\xff\xfe,b\n1,2\n",
    b"a,b\n1,\x002\n",
    b"c0,c1,c2,c3,c4,c5,c6,c7\n" + b"1,2,3,4,5,6,7,8\n" * 4,
]
SELECTORS = [0x00, 0x01, 0x02, 0x08, 0x10, 0x20, 0x41, 0x93]

for i, text in enumerate(CSV):
    put("csv", bytes([SELECTORS[i % len(SELECTORS)]]) + text)
    put("csv-gz", bytes([0x01]) + text)
    put("csv-gz", bytes([0x00]) + gzip.compress(text, mtime=0))
put("csv-gz", bytes([0x82]) + CSV[0])
put("csv-gz", bytes([0x00]) + gzip.compress(CSV[0], mtime=0) + gzip.compress(CSV[8], mtime=0))
put("csv-gz", bytes([0x00]) + CSV[0])
# Multi-member gzip: mode 3 cuts the text into two members (here mid-way), and trailing data.
put("csv-gz", bytes([0x83]) + CSV[8])
put("csv-gz", bytes([0x00]) + gzip.compress(CSV[8], mtime=0) + gzip.compress(b"", mtime=0) + b"tail")

rng = np.random.default_rng(7)
NPY = [
    (0x00, rng.normal(size=(5, 3))),
    (0x00, rng.normal(size=(4, 2)).astype("<f4")),
    (0x00, rng.normal(size=(4, 2)).astype(">f8")),
    (0x00, np.arange(-6, 6, dtype="i1").reshape(4, 3)),
    (0x00, np.arange(12, dtype="<u8").reshape(6, 2)),
    (0x00, np.arange(12, dtype=">i4").reshape(6, 2)),
    (0x00, np.array([[True, False], [False, False]])),
    (0x00, np.asfortranarray(rng.normal(size=(3, 4)))),
    (0x01, rng.normal(size=(2, 3, 4, 3))),
    (0x02, rng.normal(size=(2, 3, 2, 2))),
    (0x03, rng.normal(size=(2, 3, 2, 2))),
    (0x04, rng.normal(size=(3, 2, 2))),
    (0x00, np.float64(3.5)),
    (0x00, np.arange(5, dtype="<f8")),
    (0x00, np.zeros((0, 3))),
    (0x00, np.array([[np.nan, np.inf], [1.0, -np.inf]])),
    (0x00, np.array(["abc", "de"])),
    (0x00, np.array([1, "x", None], dtype=object)),
    (0x00, np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")])),
]
for selector, array in NPY:
    put("npy", bytes([selector]) + npy_bytes(array))
big = npy_bytes(rng.normal(size=(2, 2)))
put("npy", b"\x00" + big.replace(b"(2, 2)", b"(9, 2)"))
put("npy", b"\x00" + big.replace(b"(2, 2)", b"(-1, 2)"))
put("npy", b"\x00" + big.replace(b"'<f8'", b"'<f9'"))
put("npy", b"\x00" + big[:-5])
for version in [(2, 0), (3, 0)]:
    out = io.BytesIO()
    np.lib.format.write_array(out, rng.normal(size=(3, 2)), version=version)
    put("npy", b"\x00" + out.getvalue())

STATS = {
    "format": "normscope-stats",
    "version": 1,
    "method": "standard",
    "params": {"with_mean": True, "with_std": True, "axis": [1], "rank": 2},
    "source": {"file": "train.csv", "rows": 3, "sha256": "00" * 32},
    "columns": [
        {"name": "a", "count": 3, "missing": 0, "mean": 2.0, "variance": 0.6666666666666666,
         "offset": 2.0, "scale": 0.816496580927726},
        {"name": "b", "count": 2, "missing": 1, "mean": 1e-300, "variance": 0.0,
         "offset": 1e-300, "scale": 1.0, "min": -1, "max": "inf"},
    ],
}
put("stats-json", json.dumps(STATS, indent=2).encode())
put("stats-json", json.dumps(dict(STATS, method="robust", columns=[
    dict(STATS["columns"][0], median=2, iqr=1.5)])).encode())
put("stats-json", json.dumps(dict(STATS, columns=[dict(STATS["columns"][0], scale="nan")])).encode())
put("stats-json", json.dumps(dict(STATS, columns=[dict(STATS["columns"][0], scale=0)])).encode())
put("stats-json", json.dumps({k: v for k, v in STATS.items() if k != "columns"}).encode())
put("stats-json", json.dumps(dict(STATS, version="1", columns={"a": 1})).encode())
put("stats-json", json.dumps(dict(STATS, method="batchnorm", num_batches_tracked=4)).encode())
put("stats-json", b"[]")
# Deep nesting (libFuzzer's default max_len never grows an input this far on its own).
put("stats-json", b'{"format": "normscope-stats", "params": ' + b"[" * 100000)
put("stats-json", b"[" * 5000 + b"]" * 5000)
put("stats-json", json.dumps(dict(STATS, version=10**20)).encode())
put("stats-json", b"{\"format\": \"normscope-stats\", \"version\": 1")

mean = np.array([1.0, 2.5])
variance = np.array([0.25, 4.0])
put("npz", npz_bytes(mean=mean, variance=variance))
put("npz", npz_bytes(offset=mean, scale=np.sqrt(variance), names=np.array(["a", "b"])))
put("npz", npz_bytes(compressed=True, mean=mean, variance=variance, count=np.array([3.0, 3.0])))
put("npz", npz_bytes(mean=mean, variance=variance[:1]))
put("npz", npz_bytes(mean=mean.astype("<f4"), variance=np.array([[1.0, 2.0]])))
put("npz", npz_bytes(mean=np.array(["x"]), variance=variance))
put("npz", npz_bytes(running_mean=mean, running_var=variance, num_batches_tracked=np.int64(3)))
put("npz", npz_bytes(mean=mean, variance=variance)[:200])
deep = io.BytesIO()
with zipfile.ZipFile(deep, "w") as z:
    z.writestr("mean.npy", npy_bytes(mean).replace(b"(2,)", b"(" * 20000 + b"2," + b")" * 20000))
    z.writestr("variance.npy", npy_bytes(variance))
put("npz", deep.getvalue())

for text in ["1.5", " 2 ", "-0", "1e999", "-1e999", "0x1p3", "1,5", "inf", "-Infinity", "nan",
             "1e-400", "4.9406564584124654e-324", "", "abc", "  ", "+.5e+3", "1.", ".", "1e",
             "0.1000000000000000055511151231257827021181583404541015625", "9" * 400]:
    put("cli-number", text.encode())

# The suite's own fixtures, small ones only; CSV-like and .npy ones get the default option byte.
if DATA.is_dir():
    for path in sorted(p for p in DATA.rglob("*") if p.is_file() and p.stat().st_size <= MAX_FIXTURE):
        data = path.read_bytes()
        name = path.name
        if name.endswith(".npy"):
            put("npy", b"\x00" + data)
        elif name.endswith(".csv.gz") or name.endswith(".gz"):
            put("csv-gz", b"\x00" + data)
        elif name.endswith(".csv") or name.endswith(".tsv") or name.endswith(".txt"):
            put("csv", b"\x00" + data)
            put("csv-gz", b"\x01" + data)
        elif name.endswith(".json"):
            put("stats-json", data)
        elif name.endswith(".npz"):
            put("npz", data)
