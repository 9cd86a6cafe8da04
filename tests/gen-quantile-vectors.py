#!/usr/bin/python3
# gen-quantile-vectors.py: conformance vectors for the QuantileTransformer and Normalizer cores
# (tests/data/quantile/), computed by the real scikit-learn 1.2.1, NumPy 1.24 and SciPy 1.10.
# Run from anywhere with Debian's python3:
#   /usr/bin/python3 tests/gen-quantile-vectors.py
# test-quantile-transformer and test-normalizer read the files; the suite needs no Python.
#
# NumPy on this AVX-512 machine computes log/exp/power with its own SVML kernels (1-2 ulp from
# glibc). Nothing these vectors use goes through them (np.interp, np.nanpercentile, np.einsum,
# np.sqrt are exact IEEE arithmetic; ndtri/ndtr are SciPy's Cephes on glibc), but the script
# re-executes itself with NPY_DISABLE_CPU_FEATURES set, as the reference document asks of every
# generator, so that holds by construction: NumPy reads the variable only when it is imported.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sys

from glibc_numpy import use_glibc_math  # noqa: E402

use_glibc_math()

import json  # noqa: E402
import math  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.special  # noqa: E402
import scipy.stats  # noqa: E402
import sklearn  # noqa: E402
from sklearn.preprocessing import QuantileTransformer, normalize  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "quantile")
EPS = float(np.spacing(1))


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


def modular_column(rows, spec):
    """(i * multiplier + offset) % modulus * scale + shift for i in [0, rows): integers times a
    power of two, so the C test rebuilds the same doubles exactly."""
    i = np.arange(rows, dtype=np.int64)
    ints = (i * spec["multiplier"] + spec["offset"]) % spec["modulus"]
    return ints.astype(np.float64) * spec["scale"] + spec["shift"]


def probes(train_col, quantiles):
    """Values to transform: training values, the training range's ends and just past them (inside
    and outside the 1e-7 bound threshold), exact quantiles (ties), far values and NaN."""
    finite = train_col[~np.isnan(train_col)]
    base = list(train_col[:60])
    if finite.size:
        lo, hi = finite.min(), finite.max()
        base += [lo, hi, lo - 1, hi + 1, lo - 5e-8, hi + 5e-8, lo - 2e-7, hi + 2e-7,
                 np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf), lo - 1e6, hi + 1e6,
                 0.5 * (lo + hi)]
        base += list(quantiles[:: max(1, len(quantiles) // 7)])
    base += [np.nan, 0.0, -3.0, 7.25]
    return np.array(base, dtype=np.float64)


def inverse_probes(distribution):
    if distribution == "uniform":
        return np.array([0.0, 1.0, 0.5, 1e-9, 1 - 1e-9, 0.25, 0.123456789, 0.999, 5e-8, 1 - 5e-8,
                         np.nan, 0.3333333333333333, 0.75])
    return np.array([0.0, -1.0, 1.0, 2.5, -2.5, 5.199337582605575, -5.199337582605575, 6.0, -6.0,
                     5.3, -5.3, 0.1, np.nan, 1e-3, 3.0])


def quantile_case(name, train, columns_spec, n_quantiles, subsample=10_000, random_state=None,
                  zero_sign_free=False):
    """zero_sign_free: -0.0 and 0.0 in one column, whose order after np.partition (introselect)
    decides the sign of some zero quantiles; the C test compares those zeros by value."""
    entry = {"name": name, "n_quantiles": n_quantiles, "subsample": subsample,
             "random_state": random_state, "n_samples": int(train.shape[0]),
             "zero_sign_free": zero_sign_free}
    if columns_spec is None:
        entry["train"] = [nums(train[:, j]) for j in range(train.shape[1])]
    else:
        entry["modular"] = columns_spec
    outputs = {}
    for distribution in ("uniform", "normal"):
        qt = QuantileTransformer(n_quantiles=n_quantiles, output_distribution=distribution,
                                 subsample=subsample, random_state=random_state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            qt.fit(train)
        entry["n_quantiles_fitted"] = int(qt.n_quantiles_)
        entry["references"] = nums(qt.references_)
        entry["quantiles"] = [nums(qt.quantiles_[:, j]) for j in range(train.shape[1])]
        cols = [probes(train[:, j], qt.quantiles_[:, j]) for j in range(train.shape[1])]
        width = max(len(c) for c in cols)
        x = np.full((width, train.shape[1]), np.nan)
        for j, c in enumerate(cols):
            x[: len(c), j] = c
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forward = qt.transform(x)
            back = qt.inverse_transform(forward)
            yp = inverse_probes(distribution)
            inverse = qt.inverse_transform(np.tile(yp[:, None], (1, train.shape[1])))
        entry["probes"] = nums(x.T)
        outputs[distribution] = {"forward": nums(forward.T), "inverse_of_forward": nums(back.T),
                                 "inverse_probes": nums(yp), "inverse": nums(inverse.T)}
    entry["outputs"] = outputs
    return entry


def small_data():
    rng = np.random.RandomState(20261202)
    n = 250
    skewed = np.column_stack([
        rng.normal(5, 2, n),
        np.round(rng.lognormal(0, 1, n), 1),  # rounding makes ties
        -rng.exponential(3, n),
    ])
    nan_constant = np.column_stack([np.full(40, 3.5), rng.normal(0, 1, 40), np.full(40, np.nan)])
    nan_constant[[2, 5, 11, 17, 23, 29, 31, 37], 1] = np.nan
    ties = np.column_stack([rng.randint(0, 5, 300).astype(np.float64),
                            np.where(rng.rand(300) < 0.7, 0.0, rng.normal(0, 1, 300))])
    golden = np.array([[0, 2, 2.6], [25, 4, 4.1], [50, 6, 2.3], [75, 8, 9.5], [100, 10, .1]])
    one_row = np.array([[1.5, -2.0, 0.0]])
    # Neighbours -1e308 and 1.7e308: their lerp overflows (inf * 0 = NaN, b - inf = -inf), so
    # the quantiles turn NaN part way and np.interp searches an array holding NaN.
    huge = np.array([[-1e308, 1.0], [-1e308, 2.0], [-1e308, 3.0], [1.7e308, 4.0],
                     [1.7e308, 5.0], [1.7e308, 6.0], [1.7e308, 7.0], [-1e308, 8.0],
                     [1.7e308, 9.0]])
    # -0.0 and 0.0 compare equal: which one a quantile or output keeps is a matter of bits.
    signed_zeros = np.column_stack([
        np.where(rng.rand(40) < 0.5, -0.0, 0.0),
        np.where(rng.rand(40) < 0.6, np.where(rng.rand(40) < 0.5, -0.0, 0.0), rng.normal(0, 1, 40)),
        -np.abs(np.where(rng.rand(40) < 0.5, 0.0, rng.normal(0, 1, 40)))])
    return skewed, nan_constant, ties, golden, one_row, huge, signed_zeros


def modular_specs():
    return [
        {"multiplier": 7919, "offset": 11, "modulus": 30011, "scale": 0.0625, "shift": -100.0},
        {"multiplier": 104729, "offset": 3, "modulus": 997, "scale": 1.0, "shift": 0.0},  # ties
        {"multiplier": 15485863, "offset": 0, "modulus": 1 << 20, "scale": 2.0 ** -10,
         "shift": 3.0},
    ]


def quantile_cases():
    skewed, nan_constant, ties, golden, one_row, huge, signed_zeros = small_data()
    cases = [
        quantile_case("skewed-n1000", skewed, None, 1000),
        quantile_case("skewed-n37", skewed, None, 37),
        quantile_case("constant-nan-allnan", nan_constant, None, 1000),
        quantile_case("constant-nan-allnan-n1", nan_constant, None, 1),
        quantile_case("ties", ties, None, 1000),
        quantile_case("ties-n10", ties, None, 10),
        quantile_case("golden-n5", golden, None, 5),
        quantile_case("one-row", one_row, None, 1000),
        quantile_case("huge-gap-n13", huge[:7], None, 13),  # infinite spans, finite quantiles
        quantile_case("huge-gap-n9", huge, None, 9),  # 9 points: lerp at t = 0 across the gap
        quantile_case("huge-gap-n3", huge[[0, 3, 1]], None, 7),
        quantile_case("signed-zeros", signed_zeros, None, 1000, zero_sign_free=True),
        quantile_case("signed-zeros-n7", signed_zeros, None, 7, zero_sign_free=True),
    ]
    rows, specs = 30000, modular_specs()
    train = np.column_stack([modular_column(rows, s) for s in specs])
    cases.append(quantile_case("subsample-seed0", train, specs, 1000, subsample=10_000,
                               random_state=0))
    cases.append(quantile_case("subsample-seed42-n250", train, specs, 250, subsample=10_000,
                               random_state=42))
    cases.append(quantile_case("subsample-seed7-n100", train, specs, 100, subsample=5000,
                               random_state=7))
    cases.append(quantile_case("no-subsample-30000", train, specs, 100, subsample=30000,
                               random_state=3))
    return cases


def choice_vectors():
    out = []
    for seed, n, k in ((0, 20, 7), (42, 1000, 100), (12345, 30000, 10000), (7, 1, 1), (3, 5, 5)):
        rs = np.random.RandomState(seed)
        first = rs.choice(n, k, replace=False)
        second = rs.choice(n, k, replace=False)  # the stream continues
        out.append({"seed": seed, "n": n, "k": k, "first_head": first[:100].tolist(),
                    "first_tail": first[-100:].tolist(), "first_sum": int(first.sum()),
                    "second_head": second[:100].tolist(), "second_sum": int(second.sum())})
    return out


def ndtr_vectors():
    rng = np.random.RandomState(5)
    e2 = math.exp(-2)
    p = [0.0, 1.0, 0.5, 5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-100, 1e-20,
         1.2664165549e-14, np.nextafter(1.2664165549e-14, 0), np.nextafter(1.2664165549e-14, 1),
         e2, np.nextafter(e2, 0), np.nextafter(e2, 1), 1 - e2, np.nextafter(1 - e2, 0),
         np.nextafter(1 - e2, 1), 1 - 1e-16, 1 - 2.0 ** -53, 1 - 2.0 ** -52, 1e-7 - EPS,
         1 - (1e-7 - EPS), 1e-7, 0.125, 0.875, 0.375, 0.625, -0.1, 1.1, np.nan, -0.0]
    p += list(np.linspace(0, 1, 101)[1:-1])
    p += list(rng.rand(100))
    p += list(10.0 ** rng.uniform(-300, -1, 60))
    p += list(1 - 10.0 ** rng.uniform(-16, -1, 30))
    x = [0.0, -0.0, 1.0, -1.0, math.sqrt(0.5), -math.sqrt(0.5), np.nextafter(1.0, 0),
         np.nextafter(1.0, 2), 8 * math.sqrt(2), -8 * math.sqrt(2), 11.3, -11.3, 26.6, -26.6,
         37.5, -37.5, 38.5, -38.5, 40.0, -40.0, 1e300, -1e300, np.inf, -np.inf, np.nan,
         5.199337582605575, -5.199337582605575, 1e-300, -1e-20]
    x += list(np.linspace(-10, 10, 81))
    x += list(rng.standard_normal(80) * 4)
    p, x = np.array(p), np.array(x)
    with np.errstate(all="ignore"):
        return {"p": nums(p), "ndtri": nums(scipy.special.ndtri(p)),
                "x": nums(x), "ndtr": nums(scipy.special.ndtr(x)),
                "clip": nums([scipy.stats.norm.ppf(1e-7 - EPS),
                              scipy.stats.norm.ppf(1 - (1e-7 - EPS))])}


def normalizer_matrix(rng, rows, width):
    """Rows spanning decades (1e-6 .. 1e6 scales, both signs), one zero row, one 1e-16 row, and
    rows whose norm sits just around 10 eps."""
    scales = 10.0 ** rng.uniform(-6, 6, (rows, 1))
    x = rng.lognormal(0, 1.5, (rows, width)) * rng.choice([-1.0, 1.0], (rows, width)) * scales
    x[1] = 0.0
    x[2] = 1e-16
    x[3] = 2e-15 / width
    x[4] = 3e-15 / math.sqrt(width)
    x[5, :] = 0.0
    x[5, width // 2] = -2.3e-15
    return x


def normalizer_cases():
    rng = np.random.RandomState(99)
    out = []
    for width in (1, 2, 3, 7, 8, 9, 15, 16, 17, 37, 130, 300):
        x = normalizer_matrix(rng, 10, width)
        entry = {"width": width, "rows": nums(x)}
        for norm in ("l2", "l1", "max"):
            y, norms = normalize(x, norm=norm, return_norm=True)
            entry[norm] = {"norms": nums(norms)}
            if width <= 37:  # the division itself, on the narrower matrices (keeps the file small)
                entry[norm]["output"] = nums(y)
        out.append(entry)
    return out


def write(name, payload):
    payload = dict(payload, sklearn=sklearn.__version__, numpy=np.__version__,
                   scipy=scipy.__version__)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    write("quantile-transformer.json", {"cases": quantile_cases()})
    write("random-state.json", {"choices": choice_vectors()})
    write("ndtr.json", ndtr_vectors())
    write("normalizer.json", {"cases": normalizer_cases()})


if __name__ == "__main__":
    main()
