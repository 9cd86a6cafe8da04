#!/usr/bin/python3
# gen-power-vectors.py: conformance vectors for the PowerTransformer core (tests/data/power/).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run with Debian's /usr/bin/python3 (scikit-learn 1.2.1, SciPy 1.10.1, NumPy 1.24.2):
#   /usr/bin/python3 tests/gen-power-vectors.py
# Every number comes from the real sklearn.preprocessing.PowerTransformer: lambdas_, the internal
# _scaler's mean_/var_/scale_/n_samples_seen_, transform(data) and inverse_transform(transform).
# Each case is a matrix of two or more features, fitted as a whole: NumPy sums axis 0 of such a
# matrix row by row (a one-feature matrix would be summed pairwise), and the C core reproduces the
# several-feature order. Where scikit-learn raises, the file holds its message instead.
# transform and inverse are kept for the first 100 rows (200 for the large case).
# Doubles are written with repr (the shortest text that reads back exact), NaN as "nan".
# The large case's input is large.npy (40,000 values: enough for the threaded objective).
import json
import math
import os
import sys

# On an AVX-512 machine NumPy computes log, log1p, exp, expm1 and power with its own SIMD code,
# 1 to 2 ulp away from glibc's, and the lambdas then differ at the Brent tolerance (1e-8). With
# these features disabled NumPy calls glibc as the C core does. NumPy reads the variable when it is
# first imported, so the script re-executes itself with it set.
from glibc_numpy import DISABLED, use_glibc_math  # noqa: E402

use_glibc_math()

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.preprocessing import PowerTransformer  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "power")
METHODS = ("yeo-johnson", "box-cox")
OUTPUT_ROWS = 100  # transform and inverse of the first rows only: the fits use every row


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def nums(a):
    a = np.asarray(a, dtype=np.float64)
    return num(a) if a.ndim == 0 else [nums(v) for v in a]


def varied(rng, n):
    """Lognormal, normal, negative exponential, t(3) and mixed-sign columns."""
    return np.column_stack([rng.lognormal(0, 1, n), rng.normal(5, 2, n), -rng.exponential(2, n),
                            rng.standard_t(3, n), rng.normal(0, 1, n) * rng.lognormal(0, 1, n)])


def positive(rng, n):
    """Box-Cox needs x > 0: lognormal, exponential, shifted normal, chi-square(2) columns."""
    return np.column_stack([rng.lognormal(0, 1, n), rng.exponential(2, n) + 1e-3,
                            rng.normal(10, 1, n), rng.chisquare(2, n)])


def with_nans(rng, x, fraction):
    x = x.copy()
    x[rng.random(x.shape) < fraction] = np.nan
    return x


def cases():
    rng = np.random.RandomState(20261218)
    c = {"docstring": (np.array([[1, 2], [3, 2], [4, 5]], dtype=np.float64), METHODS),
         "golden-yj": (np.array([[0.5, 1], [1.5, 2], [2.5, 3], [10, 4], [-3, 5], [0, 6]]),
                       ("yeo-johnson",)),
         "varied-1000": (varied(rng, 1000), ("yeo-johnson",)),
         "positive-1000": (positive(rng, 1000), METHODS)}
    for n in range(2, 6):
        c[f"tiny-{n}"] = (np.column_stack([rng.normal(1, 2, n), rng.lognormal(0, 1, n)]),
                          ("yeo-johnson",))
        c[f"tiny-positive-{n}"] = (positive(rng, n), METHODS)
    c["nan-yj"] = (with_nans(rng, varied(rng, 60), 0.2), ("yeo-johnson",))
    c["nan-bc"] = (with_nans(rng, positive(rng, 60), 0.2), METHODS)
    c["one-row"] = (np.array([[3.5, -1.25, 2.0]]), ("yeo-johnson",))
    c["one-row-positive"] = (np.array([[3.5, 1.25]]), ("box-cox",))
    c["constant"] = (np.column_stack([np.full(20, 2.5), rng.normal(0, 1, 20) + 5]), METHODS)
    c["constant-negative"] = (np.column_stack([np.full(7, -0.3), np.arange(7.0)]), ("yeo-johnson",))
    all_nan = rng.lognormal(0, 1, (10, 2))
    all_nan[:, 0] = np.nan
    c["all-nan"] = (all_nan, METHODS)
    c["nonpositive"] = (np.column_stack([[1.0, 2.0, np.nan, 0.0, 3.0], [1.0, 2, 3, 4, 5]]),
                        ("box-cox",))
    c["overflow"] = (np.array([[1e154, 1.0], [3e154, 2], [2e154, 3], [5e154, 4]]), METHODS)
    c["large-offset"] = (np.column_stack([1e10 + np.array([0.0, 1, 3, 7]), [4.0, 3, 2, 1]]),
                         METHODS)
    c["huge"] = (np.column_stack([[2003.0, 1950, 1997, 2000, 2009], [1.0, 2, 3, 4, 5]]), METHODS)
    return c


def fit(method, standardize, x, rows=OUTPUT_ROWS):
    """fit's state, or "error" where fit raises; "transform_error" where only transform or
    inverse_transform raises (the inverse refuses the infinities an overflowing fit writes)."""
    pt = PowerTransformer(method=method, standardize=standardize)
    warnings.simplefilter("ignore")
    try:
        pt.fit(x)
    except ValueError as e:
        return {"method": method, "standardize": standardize, "error": str(e)}
    r = {"method": method, "standardize": standardize, "lambdas": nums(pt.lambdas_)}
    if standardize:
        s = pt._scaler
        r.update(mean=nums(s.mean_), var=nums(s.var_), scale=nums(s.scale_),
                 n_samples_seen=np.broadcast_to(s.n_samples_seen_, x.shape[1]).tolist())
    try:
        out = pt.transform(x)
        r.update(transform=nums(out[:rows]), inverse=nums(pt.inverse_transform(out)[:rows]))
    except ValueError as e:
        r["transform_error"] = str(e)
    return r


def large_case():
    """40,000 values (as column 0 of [x, x]): lambda and standardizer state, the first outputs."""
    x = np.random.RandomState(7).lognormal(0, 0.75, 40000) - 0.5
    np.save(os.path.join(OUT, "large.npy"), x.reshape(-1, 1))
    fits = []
    for standardize in (True, False):
        r = fit("yeo-johnson", standardize, np.column_stack([x, x]), rows=200)
        r = {k: (v[0] if k in ("lambdas", "mean", "var", "scale", "n_samples_seen") else v)
             for k, v in r.items()}
        r["transform"] = [row[0] for row in r["transform"]]
        r["inverse"] = [row[0] for row in r["inverse"]]
        fits.append(r)
    return {"name": "large", "input": "large.npy", "fits": fits}


def dump(doc, path):
    with open(path, "w") as f:
        f.write("{\n")
        items = list(doc.items())
        for i, (key, value) in enumerate(items):
            f.write(" %s: %s%s\n" % (json.dumps(key), json.dumps(value, separators=(",", ":"),
                                                               allow_nan=False),
                                     "," if i + 1 < len(items) else ""))
        f.write("}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"sklearn": sklearn.__version__, "numpy": np.__version__,
                "scipy": scipy.__version__, "NPY_DISABLE_CPU_FEATURES": DISABLED}
    for name, (x, methods) in cases().items():
        fits = [fit(m, s, x) for m in methods for s in (True, False)]
        dump({"generator": "tests/gen-power-vectors.py", "versions": versions, "name": name,
              "data": nums(x), "fits": fits}, os.path.join(OUT, name + ".json"))
    dump({"generator": "tests/gen-power-vectors.py", "versions": versions, **large_case()},
         os.path.join(OUT, "large.json"))


if __name__ == "__main__":
    main()
