#!/usr/bin/python3
# gen-conformance.py: writes tests/data/conformance/*.json, the expected values of every scaler,
# summary statistic and quantile, computed by scikit-learn, NumPy and SciPy themselves.
# Run from anywhere with Debian's python3 (scikit-learn 1.2, NumPy 1.24, SciPy 1.10):
#   /usr/bin/python3 tests/gen-conformance.py
# The C tests (test-scaler, test-summary, test-quantile) read the files; the suite needs no Python.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

# Transforms are recorded for the first rows only, to keep the committed files small.
TRANSFORM_ROWS = 40
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "conformance")

# Keras Normalization has no Python package here; its formulas are re-implemented from source:
# keras-team/keras keras/src/layers/preprocessing/normalization.py (HEAD 3422977a5e38):
#   adapt() with a NumPy array:  mean = np.mean(data, axis=reduction_axes)
#                                variance = np.var(data, axis=reduction_axes)
#   call():   (inputs - self.mean) / ops.maximum(ops.sqrt(self.variance), backend.epsilon())
#   invert:   self.mean + (inputs * ops.maximum(ops.sqrt(self.variance), backend.epsilon()))
# keras/src/backend/config.py: _EPSILON = 1e-7.
KERAS_EPSILON = 1e-7


def num(x):
    """A float for JSON: repr is the shortest exact form; NaN and inf become strings."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def nums(a):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return num(a)
    return [nums(v) for v in a]


def fixtures():
    rng = np.random.default_rng(20240601)
    out = {}

    # §12 of the normalization reference: three batches of two features, 9 rows in all.
    out["golden9"] = (["a", "b"], np.array(
        [[1, 10], [2, 20], [4, 41], [3, 30], [5, 52], [7, 70], [0, 1], [6, 60], [2, 20]],
        dtype=np.float64))

    n = 12
    mixed = np.column_stack([
        rng.normal(-3.0, 2.5, n),                      # negative values
        np.full(n, 3.5),                               # constant
        np.full(n, 1e9) + np.where(np.arange(n) == 4, 1e-6, 0.0),  # near-constant at 1e9
        1e9 + rng.normal(0.0, 1.0, n),                 # large mean, unit spread
        np.zeros(n),                                   # all zero (maxabs, minmax zero range)
        np.full(n, 0.25) + np.where(np.arange(n) == 0, 1e-16, 0.0),  # range below 10 eps
        rng.integers(-4, 5, n).astype(np.float64),     # ties
        rng.exponential(1.0, n) * 1e-3,                # small positive, skewed
    ])
    out["mixed"] = (["neg", "const", "near1e9", "big", "zero", "tiny_range", "ties", "skewed"], mixed)

    nan = np.column_stack([
        rng.normal(5.0, 1.0, 10),
        rng.normal(-1.0, 3.0, 10),
        rng.uniform(-2.0, 2.0, 10),
    ])
    nan[[2, 7], 0] = np.nan
    nan[5, 2] = np.nan
    out["nan"] = (["x", "y", "z"], nan)

    # The reference's near-constant case: 1000 values of 1e9, one of them + 1e-6.
    near = np.full((1000, 1), 1e9)
    near[500, 0] += 1e-6
    out["near_constant"] = (["c"], near)

    big = np.column_stack([
        rng.normal(0.0, 1.0, 301),
        np.round(rng.normal(0.0, 2.0, 301)),           # many ties
        rng.standard_t(3, 301) * 10 + 100,
    ])
    big[[3, 50, 200], 1] = np.nan
    out["sample301"] = (["normal", "rounded", "heavy"], big)
    return out


def standard_cases(X):
    cases = []
    for with_mean, with_std in [(True, True), (False, True), (True, False), (False, False)]:
        s = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
        nss = np.broadcast_to(np.asarray(s.n_samples_seen_, dtype=np.float64), (X.shape[1],))
        mean = s.mean_ if s.mean_ is not None else np.full(X.shape[1], np.nan)
        var = s.var_ if s.var_ is not None else np.full(X.shape[1], np.nan)
        scale = s.scale_ if s.scale_ is not None else np.ones(X.shape[1])
        cases.append({
            "method": "standard",
            "options": {"with_mean": with_mean, "with_std": with_std},
            "attributes": {"mean_": nums(mean), "var_": nums(var), "scale_": nums(scale),
                           "n_samples_seen_": nums(nss)},
            "offset": nums(mean if with_mean else np.zeros(X.shape[1])),
            "scale": nums(scale),
            "transform": nums(s.transform(X[:TRANSFORM_ROWS])),
            "inverse_transform": nums(s.inverse_transform(X[:TRANSFORM_ROWS])),
        })
    return cases


def minmax_cases(X):
    cases = []
    for fr in [(0.0, 1.0), (-1.0, 1.0), (-3.0, 7.5)]:
        s = MinMaxScaler(feature_range=fr).fit(X)
        cases.append({
            "method": "minmax",
            "options": {"feature_range": list(fr)},
            "attributes": {"data_min_": nums(s.data_min_), "data_max_": nums(s.data_max_),
                           "data_range_": nums(s.data_range_), "scale_": nums(s.scale_),
                           "min_": nums(s.min_)},
            "transform": nums(s.transform(X[:TRANSFORM_ROWS])),
            "inverse_transform": nums(s.inverse_transform(X[:TRANSFORM_ROWS])),
        })
    return cases


def clip_cases(X):
    """MinMaxScaler(clip=True), transforming rows beyond the fitted range (2x - 1 of the data)."""
    test = 2.0 * X[:TRANSFORM_ROWS] - 1.0
    s = MinMaxScaler(feature_range=(-1.0, 1.0), clip=True).fit(X)
    return [{
        "method": "minmax",
        "options": {"feature_range": [-1.0, 1.0], "clip": True},
        "attributes": {"data_min_": nums(s.data_min_), "data_max_": nums(s.data_max_),
                       "data_range_": nums(s.data_range_), "scale_": nums(s.scale_),
                       "min_": nums(s.min_)},
        "test_data": nums(test),
        "transform": nums(s.transform(test)),
        "inverse_transform": nums(s.inverse_transform(test)),
    }]


def maxabs_cases(X):
    s = MaxAbsScaler().fit(X)
    return [{
        "method": "maxabs",
        "options": {},
        "attributes": {"max_abs_": nums(s.max_abs_), "scale_": nums(s.scale_)},
        "offset": nums(np.zeros(X.shape[1])),
        "scale": nums(s.scale_),
        "transform": nums(s.transform(X[:TRANSFORM_ROWS])),
        "inverse_transform": nums(s.inverse_transform(X[:TRANSFORM_ROWS])),
    }]


def robust_cases(X):
    cases = []
    for qr_options in [((25.0, 75.0), True, True), ((10.0, 90.0), True, True),
                       ((25.0, 75.0), False, True), ((25.0, 75.0), True, False),
                       ((0.0, 100.0), True, True), ((50.0, 50.0), True, True),
                       ((25.0, 75.0), True, True, True), ((10.0, 90.0), False, True, True)]:
        qr, centering, scaling = qr_options[:3]
        unit_variance = len(qr_options) == 4
        s = RobustScaler(quantile_range=qr, with_centering=centering, with_scaling=scaling,
                         unit_variance=unit_variance).fit(X)
        q = np.nanpercentile(X, qr, axis=0)
        center = s.center_ if s.center_ is not None else np.zeros(X.shape[1])
        scale = s.scale_ if s.scale_ is not None else np.ones(X.shape[1])
        cases.append({
            "method": "robust",
            "options": {"quantile_range": list(qr), "with_centering": centering,
                        "with_scaling": scaling, "unit_variance": unit_variance},
            "attributes": {"center_": nums(center), "scale_": nums(scale),
                           "median": nums(np.nanmedian(X, axis=0)), "q_low": nums(q[0]),
                           "q_high": nums(q[1])},
            "offset": nums(center),
            "scale": nums(scale),
            "transform": nums(s.transform(X[:TRANSFORM_ROWS])),
            "inverse_transform": nums(s.inverse_transform(X[:TRANSFORM_ROWS])),
        })
    return cases


def keras_cases(X):
    if np.isnan(X).any():
        return []  # Keras propagates NaN; normscope refuses such a fit (tested in C).
    mean = np.mean(X, axis=0)
    variance = np.var(X, axis=0)
    std = np.maximum(np.sqrt(variance), KERAS_EPSILON)
    return [{
        "method": "keras",
        "options": {},
        "attributes": {"mean": nums(mean), "variance": nums(variance)},
        "offset": nums(mean),
        "scale": nums(std),
        "transform": nums((X[:TRANSFORM_ROWS] - mean) / std),
        "inverse_transform": nums(mean + X[:TRANSFORM_ROWS] * std),
    }]


def summary(X):
    cols = []
    for j in range(X.shape[1]):
        x = X[:, j]
        v = x[~np.isnan(x)]
        cols.append({
            "count": len(v),
            "missing": int(np.isnan(x).sum()),
            "mean": num(np.mean(v)),
            "variance_population": num(np.var(v, ddof=0)),
            "variance_sample": num(np.var(v, ddof=1)) if len(v) > 1 else "nan",
            "std": num(np.std(v, ddof=0)),
            "min": num(np.min(v)),
            "max": num(np.max(v)),
            "median": num(np.median(v)),
            "q1": num(np.percentile(v, 25)),
            "q3": num(np.percentile(v, 75)),
            "skewness": num(scipy.stats.skew(v, bias=True)),
            "kurtosis": num(scipy.stats.kurtosis(v, fisher=True, bias=True)),
        })
    return cols


def quantile_vectors():
    rng = np.random.default_rng(7)
    probabilities = [0.0, 0.01, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.75, 0.9, 0.99, 1.0]
    arrays = {
        "one": np.array([4.25]),
        "two": np.array([3.0, -1.0]),
        "three": np.array([2.0, 9.0, -7.5]),
        "normal10": rng.normal(0, 1, 10),
        "normal101": rng.normal(0, 1, 101),
        "normal1000": rng.normal(5, 3, 1000),
        "ties500": rng.integers(0, 6, 500).astype(np.float64),
        "sorted64": np.sort(rng.normal(0, 1, 64)),
        "reversed65": np.sort(rng.normal(0, 1, 65))[::-1].copy(),
        "equal33": np.full(33, 2.5),
        "with_nan": np.where(rng.uniform(size=40) < 0.2, np.nan, rng.normal(0, 1, 40)),
    }
    out = []
    for name, a in arrays.items():
        out.append({
            "name": name,
            "values": nums(a),
            "probabilities": probabilities,
            "quantiles": nums(np.nanpercentile(a, np.array(probabilities) * 100)),
            # The quantile function's own definition, q in [0, 1] (no division by 100).
            "quantiles_q": nums(np.nanquantile(a, probabilities)),
            "median": num(np.nanmedian(a)),
        })
    return out


def dump(doc, f):
    """Compact JSON, one top-level member per line (allow_nan=False: NaN must be a string)."""
    f.write("{\n")
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        f.write(" %s: %s%s\n" % (json.dumps(key), json.dumps(value, separators=(",", ":"),
                                                           allow_nan=False),
                                 "," if i + 1 < len(items) else ""))
    f.write("}\n")


def main():
    # SciPy warns about the near-constant columns; its NaN answer there is what the tests expect.
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    os.makedirs(OUT, exist_ok=True)
    versions = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    for name, (columns, X) in fixtures().items():
        doc = {
            "generator": "tests/gen-conformance.py",
            "versions": versions,
            "name": name,
            "columns": columns,
            "data": nums(X),
            "cases": (standard_cases(X) + keras_cases(X) + minmax_cases(X) + clip_cases(X)
                      + maxabs_cases(X) + robust_cases(X)),
            "summary": summary(X),
        }
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            dump(doc, f)
            f.write("\n")
    with open(os.path.join(OUT, "quantiles.json"), "w") as f:
        dump({"generator": "tests/gen-conformance.py", "versions": versions,
              "arrays": quantile_vectors()}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
