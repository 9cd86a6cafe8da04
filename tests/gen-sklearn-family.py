#!/usr/bin/python3
# gen-sklearn-family.py: conformance vectors of `normscope-cli fit` + `transform` against the real
# scikit-learn 1.2.1 PowerTransformer, QuantileTransformer and Normalizer (Debian's
# python3-sklearn), end to end on CSV files. tests/test-cli-family.c replays each case.
#
# NumPy on an AVX-512 machine computes log, exp and power with its own vector code, 1-2 ulp from
# glibc's libm, which normscope uses; with those kernels disabled NumPy matches glibc bit for bit
# (../shared/reference/sklearn-power-quantile-pernorm-onnx.md, section 0). So the script re-runs
# itself with NPY_DISABLE_CPU_FEATURES set before NumPy is imported.
#
# Writes tests/data/sklearn-family/: train.csv, test.csv, cases.txt (NAME|FIT ARGS|TRANSFORM ARGS),
# and per case NAME.transform.csv (scikit-learn's transform of test.csv), NAME.inverse.csv (its
# inverse_transform of that) and NAME.fitted.json (lambdas_, quantiles_, references_, ...).
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys

from glibc_numpy import use_glibc_math  # noqa: E402

use_glibc_math()

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.preprocessing import (Normalizer, PowerTransformer, QuantileTransformer,  # noqa: E402
                                   StandardScaler)

assert sklearn.__version__ == "1.2.1", sklearn.__version__
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sklearn-family")
COLUMNS = ["income", "occupancy", "signed", "age"]


def make_table(rng, n, spread):
    income = rng.lognormal(1.0, 0.6, n)
    occupancy = rng.lognormal(1.0, 0.3, n)
    outliers = rng.rand(n) < 0.01
    occupancy[outliers] *= 300.0
    signed = rng.standard_t(3, n)
    age = rng.normal(40.0, 12.0, n)
    age[rng.rand(n) < 0.05] = np.nan
    table = np.column_stack([income, occupancy, signed, age])
    if spread:
        # Values beyond the training range (still positive where Box-Cox needs it).
        table[0] = [0.01, 0.02, -40.0, -30.0]
        table[1] = [900.0, 5000.0, 40.0, 150.0]
    return table


def text(value):
    return "nan" if np.isnan(value) else repr(float(value))


def write_csv(path, header, table, labels=None):
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(header + (["kind"] if labels is not None else [])) + "\n")
        for i, row in enumerate(table):
            fields = [text(v) for v in row] + ([labels[i]] if labels is not None else [])
            f.write(",".join(fields) + "\n")


def power(method, standardize):
    return lambda: PowerTransformer(method=method, standardize=standardize)


CASES = [
    # name, columns, fit args, estimator
    ("yeo-johnson", COLUMNS, "-m yeo-johnson", power("yeo-johnson", True)),
    # One feature: NumPy sums a one-column matrix as a 1-D array (pairwise), not row by row.
    ("yeo-johnson-one", ["income"], "-m yeo-johnson --columns income", power("yeo-johnson", True)),
    ("box-cox-one", ["occupancy"], "-m box-cox --columns occupancy", power("box-cox", True)),
    ("yeo-johnson-raw", COLUMNS, "-m yeo-johnson --no-standardize", power("yeo-johnson", False)),
    ("box-cox", ["income", "occupancy"], "-m box-cox --columns income,occupancy",
     power("box-cox", True)),
    ("quantile", COLUMNS, "-m quantile", lambda: QuantileTransformer()),
    ("quantile-normal", COLUMNS, "-m quantile --n-quantiles 37 --output-distribution normal",
     lambda: QuantileTransformer(n_quantiles=37, output_distribution="normal")),
    ("quantile-subsample", COLUMNS,
     "-m quantile --n-quantiles 100 --subsample 150 --random-state 42",
     lambda: QuantileTransformer(n_quantiles=100, subsample=150, random_state=42)),
    ("normalizer", ["income", "occupancy", "signed"],
     "-m normalizer --columns income,occupancy,signed", lambda: Normalizer()),
    ("normalizer-l1", ["income", "occupancy", "signed"],
     "-m normalizer --norm l1 --columns income,occupancy,signed", lambda: Normalizer(norm="l1")),
    ("normalizer-max", ["income", "occupancy", "signed"],
     "-m normalizer --norm max --columns income,occupancy,signed", lambda: Normalizer(norm="max")),
]


def fitted_state(estimator):
    state = {}
    for key in ("lambdas_", "quantiles_", "references_", "n_quantiles_"):
        if hasattr(estimator, key):
            value = getattr(estimator, key)
            state[key] = value.tolist() if hasattr(value, "tolist") else int(value)
    scaler = getattr(estimator, "_scaler", None)
    if scaler is not None:
        state["scaler_mean_"] = scaler.mean_.tolist()
        state["scaler_var_"] = scaler.var_.tolist()
        state["scaler_scale_"] = scaler.scale_.tolist()
    return state


def main():
    rng = np.random.RandomState(7)
    train, test = make_table(rng, 400, False), make_table(rng, 60, True)
    labels = ["a" if i % 3 else "b" for i in range(len(train))]
    os.makedirs(OUT, exist_ok=True)
    write_csv(os.path.join(OUT, "train.csv"), COLUMNS, train, labels)
    write_csv(os.path.join(OUT, "test.csv"), COLUMNS, test)
    with open(os.path.join(OUT, "cases.txt"), "w", encoding="utf-8") as cases:
        for name, columns, fit_args, make in CASES:
            index = [COLUMNS.index(c) for c in columns]
            # C order, as NumPy builds and loads arrays: scikit-learn's column sums (the power
            # methods' StandardScaler) run down the rows of a C-ordered matrix but pairwise over an
            # F-ordered one (what train[:, index] and pandas' .values give), which can differ in
            # the last bit.
            x_train = np.ascontiguousarray(train[:, index])
            x_test = np.ascontiguousarray(test[:, index])
            estimator = make().fit(x_train)
            out = estimator.transform(x_test)
            transform_args = "" if len(columns) == len(COLUMNS) else "--pass-through"
            cases.write(f"{name}|{fit_args}|{transform_args}\n")
            write_csv(os.path.join(OUT, f"{name}.transform.csv"), columns, out)
            if not name.startswith("normalizer"):
                write_csv(os.path.join(OUT, f"{name}.inverse.csv"), columns,
                          estimator.inverse_transform(out))
            with open(os.path.join(OUT, f"{name}.fitted.json"), "w", encoding="utf-8") as f:
                json.dump(fitted_state(estimator), f, indent=1)
                f.write("\n")


def weighted(rng):
    """StandardScaler().fit(X, sample_weight=w): weighted.csv (columns a, b and the weights w, with
    NaN and zero weights) and weighted.fitted.json. scikit-learn sums the weights through BLAS
    (np.matmul), whose order is its own, so the test allows 1e-12 here."""
    n = 500
    a = rng.normal(1e3, 5.0, n)
    b = rng.lognormal(0.0, 1.0, n)
    a[rng.rand(n) < 0.05] = np.nan
    w = rng.uniform(0.0, 3.0, n)
    w[rng.rand(n) < 0.1] = 0.0
    x = np.ascontiguousarray(np.column_stack([a, b]))
    write_csv(os.path.join(OUT, "weighted.csv"), ["a", "b", "w"], np.column_stack([a, b, w]))
    scaler = StandardScaler().fit(x, sample_weight=w)
    with open(os.path.join(OUT, "weighted.fitted.json"), "w", encoding="utf-8") as f:
        json.dump({"mean_": scaler.mean_.tolist(), "var_": scaler.var_.tolist(),
                   "scale_": scaler.scale_.tolist(),
                   "n_samples_seen_": np.asarray(scaler.n_samples_seen_).tolist()}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
    weighted(np.random.RandomState(11))
