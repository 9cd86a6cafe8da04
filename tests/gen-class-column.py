#!/usr/bin/python3
# gen-class-column.py: writes tests/data/class-column/expected.json, the columns of every bundled
# dataset that look like a class (ns_column_looks_like_class), decided by NumPy on the CSV as pandas
# reads it. Run with Debian's python3: /usr/bin/python3 tests/gen-class-column.py
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os

import numpy as np
import pandas as pd

# core/ns-class-column.h
MAX_DISTINCT = 10
MIN_SHARE = 0.01

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "class-column", "expected.json")


def looks_like_class(column):
    values = column.to_numpy(dtype=np.float64)
    values = values[~np.isnan(values)]
    if not np.all(np.isfinite(values)) or not np.all(values == np.floor(values)):
        return None
    distinct, counts = np.unique(values, return_counts=True)
    if not 2 <= len(distinct) <= MAX_DISTINCT or counts.min() < MIN_SHARE * len(values):
        return None
    return len(distinct)


def main():
    expected = {}
    for name in ("iris", "wine", "diabetes", "digits"):
        frame = pd.read_csv(os.path.join(ROOT, "data", name + ".csv"))
        numeric = [c for c in frame.columns if frame[c].dtype.kind in "if"]
        expected[name] = {
            "numeric": len(numeric),
            "classes": {c: n for c in numeric if (n := looks_like_class(frame[c])) is not None},
        }
    with open(OUT, "w") as out:
        json.dump({"generator": "tests/gen-class-column.py", "numpy": np.__version__,
                   "pandas": pd.__version__, "datasets": expected}, out, indent=1)
        out.write("\n")


main()
