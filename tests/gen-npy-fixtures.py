#!/usr/bin/python3
# gen-npy-fixtures.py: writes the .npy fixtures of test-npy with NumPy itself, and what NumPy says
# about them (values per axis spec, per-feature mean and variance) as tests/data/npy/expected.json.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from anywhere: /usr/bin/python3 tests/gen-npy-fixtures.py
import json
import math
import os
import struct

import numpy as np
from numpy.lib import format as npy_format

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "npy")


def path(name):
    return os.path.join(OUT, name)


def save(name, array, version=None):
    with open(path(name), "wb") as f:
        npy_format.write_array(f, array, version=version, allow_pickle=True)


def encode_value(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def columns(array, axis):
    """The dataset layout: features = C-order index over the kept axes, values per feature in
    (sample, other axes) C order."""
    a = np.asarray(array).astype(np.float64)
    rank = a.ndim
    if axis == "none":
        kept = []
    else:
        kept = sorted(int(x) % rank for x in axis.split(","))
    others = [i for i in range(1, rank) if i not in kept]
    t = a.transpose([0] + others + kept)
    n_features = int(np.prod([a.shape[i] for i in kept])) if kept else 1
    t = t.reshape(-1, n_features)
    return [[encode_value(v) for v in t[:, f]] for f in range(n_features)]


def reduced_axes(rank, axis):
    if axis == "none":
        return tuple(range(rank))
    kept = sorted(int(x) % rank for x in axis.split(","))
    return tuple(i for i in range(rank) if i not in kept)


def dtype_values(code):
    if code == "b1":
        return np.array([True, False, False, True, True, True, False, False, True, False, True,
                         False], dtype=bool)
    if code[0] == "f":
        info = np.finfo(code)
        return np.array([0.0, -0.0, 1.5, -2.25, float(info.tiny), float(info.max), np.nan, np.inf,
                         -np.inf, 0.1, 1 / 3, 7.0], dtype=code)
    info = np.iinfo(code)
    return np.array([info.min, info.max, 0, 1, info.max - 1, 2, 3, info.min + 1, 5, 100 % info.max,
                     info.max // 3, 7], dtype=code)


def wrap(header_text, version=(1, 0)):
    """A header with the given dict text, padded as NumPy pads it."""
    return npy_format._wrap_header(header_text, version)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".npy") or name == "expected.json":
            os.remove(path(name))
    rng = np.random.default_rng(20240602)
    expected = {"arrays": [], "stats": []}

    def record(name, array, axes):
        for axis in axes:
            expected["arrays"].append({"file": name, "axis": axis,
                                       "shape": list(np.shape(array)),
                                       "columns": columns(array, axis)})

    # Every dtype in both byte orders, (4, 3), C order.
    for code in ["f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]:
        values = dtype_values(code).reshape(4, 3)
        orders = ["|"] if code[1] == "1" else ["<", ">"]
        for order in orders:
            dtype = np.dtype(code).newbyteorder(order) if order != "|" else np.dtype(code)
            name = "dtype-%s-%s.npy" % (code, {"<": "le", ">": "be", "|": "na"}[order])
            save(name, values.astype(dtype))
            record(name, values, ["none"])

    # Fortran order, in two dtypes.
    a = rng.normal(size=(3, 4, 2))
    save("fortran-f8.npy", np.asfortranarray(a))
    record("fortran-f8.npy", a, ["none", "-1", "1", "1,2"])
    save("fortran-f8-as-c.npy", np.ascontiguousarray(a))
    b = np.arange(-7, 17, dtype=">i2").reshape(4, 6)
    save("fortran-i2-be.npy", np.asfortranarray(b))
    record("fortran-i2-be.npy", b, ["none", "-1"])

    # Ranks 1 to 4 (f8, C order), axis "none" on rank 1.
    shapes = {1: (5,), 2: (4, 3), 3: (2, 3, 4), 4: (2, 2, 3, 2)}
    for rank, shape in shapes.items():
        name = "rank%d-f8.npy" % rank
        a = np.round(rng.normal(size=shape), 3)
        save(name, a)
        axes = ["none"] if rank == 1 else ["none", "-1"]
        if rank >= 3:
            axes += ["1", "1,2"]
        if rank == 4:
            axes += ["2", "1,3", "-2,-1"]
        record(name, a, axes)

    # Versions 2.0 and 3.0.
    a = np.arange(12, dtype="<f8").reshape(4, 3) / 8
    save("version2-f8.npy", a, version=(2, 0))
    save("version3-f8.npy", a, version=(3, 0))
    record("version2-f8.npy", a, ["-1"])
    record("version3-f8.npy", a, ["-1"])

    # Image tensors: NHWC (Keras, float32) and NCHW (PyTorch, float64) with NumPy's statistics.
    nhwc = (rng.normal(size=(4, 3, 5, 3)) * [1.0, 2.0, 0.5] + [0.5, -1.0, 3.0]).astype("<f4")
    nchw = rng.normal(size=(3, 3, 4, 2)) * 10 + 100
    save("image-nhwc-f4.npy", nhwc)
    save("image-nchw-f8.npy", nchw)
    for name, array, axes in [("image-nhwc-f4.npy", nhwc, ["-1", "none", "1,2", "3"]),
                              ("image-nchw-f8.npy", nchw, ["1", "none", "1,2", "-1"])]:
        wide = array.astype(np.float64)
        for axis in axes:
            reduce = reduced_axes(array.ndim, axis)
            expected["stats"].append({
                "file": name, "axis": axis,
                "count": int(np.prod([array.shape[i] for i in reduce])),
                "mean": [float(v) for v in np.ravel(wide.mean(axis=reduce))],
                "var": [float(v) for v in np.ravel(wide.var(axis=reduce))]})

    # Header references for the writer and ns_npy_encode.
    save("encode-i8-1d.npy", np.array([3, -1, 2 ** 40, 0, 7], dtype="<i8"))
    save("encode-u3-1d.npy", np.array(["ab", "cde", "é"], dtype="<U3"))
    save("scalar-f8.npy", np.float64(2.5))
    save("empty-f8.npy", np.zeros((0, 3)))
    save("complex-c16.npy", np.ones((2, 2), dtype="<c16"))
    save("structured.npy", np.zeros(2, dtype=[("x", "<f8"), ("y", "<i4")]))

    # Bad files.
    good = np.arange(150, dtype="<f8").reshape(3, 50)
    with open(path("bad-lying.npy"), "wb") as f:  # promises 3x50 doubles, has 100
        npy_format.write_array_header_1_0(f, npy_format.header_data_from_array_1_0(good))
        f.write(good.tobytes()[:800])
    with open(path("bad-negative.npy"), "wb") as f:
        f.write(wrap("{'descr': '<f8', 'fortran_order': False, 'shape': (-3, 2), }"))
    with open(path("bad-overflow.npy"), "wb") as f:
        f.write(wrap("{'descr': '<f8', 'fortran_order': False, "
                     "'shape': (4294967296, 4294967296, 4294967296), }"))
    with open(path("bad-unknown-dtype.npy"), "wb") as f:
        f.write(wrap("{'descr': '<y4', 'fortran_order': False, 'shape': (2,), }") + bytes(8))
    with open(path("bad-dict.npy"), "wb") as f:
        f.write(wrap("{'descr': '<f8' 'fortran_order': False, 'shape': (2,), }") + bytes(16))
    save("bad-object.npy", np.array([{"a": 1}, None], dtype=object))
    with open(path("rank1-f8.npy"), "rb") as f:
        whole = f.read()
    with open(path("bad-truncated.npy"), "wb") as f:
        f.write(whole[:40])
    with open(path("bad-magic.npy"), "wb") as f:
        f.write(b"sepal_length,sepal_width\n5.1,3.5\n")

    with open(path("expected.json"), "w") as f:
        json.dump(expected, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
