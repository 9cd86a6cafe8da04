#!/usr/bin/python3
# gen-all-scalers-vectors.py: writes tests/data/all-scalers/housing-like.csv, a synthetic look-alike
# of the two California housing features plot_all_scaling.py compares (median income, average
# occupancy with a few huge outliers) and its target, and expected.json: for every row of the
# example normscope draws, what scikit-learn and NumPy compute for it -- the np.percentile (0, 99)
# cut-offs, the example's strict zoom mask, the points beyond each cut-off and the np.histogram
# marginals (200 bins full, 50 zoomed).
# Run with Debian's python3 (scikit-learn 1.2.1, NumPy 1.24.2):
#   /usr/bin/python3 tests/gen-all-scalers-vectors.py
# The C test test-plot-all-scalers reads both files; the suite needs no Python.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys

# NumPy's AVX-512 log/exp/power differ from glibc's by 1-2 ulp, which would move the power rows'
# values; with them disabled NumPy matches the libm normscope uses (see gen-sklearn-family.py).
from glibc_numpy import use_glibc_math  # noqa: E402

use_glibc_math()

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.preprocessing import (MaxAbsScaler, MinMaxScaler, Normalizer,  # noqa: E402
                                   PowerTransformer, QuantileTransformer, RobustScaler,
                                   StandardScaler)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "all-scalers")
ROWS = 1000

# The example's distributions, in its order (titles as it prints them).
TRANSFORMS = [
    ("Unscaled data", None),
    ("Data after standard scaling", StandardScaler()),
    ("Data after min-max scaling", MinMaxScaler()),
    ("Data after max-abs scaling", MaxAbsScaler()),
    ("Data after robust scaling", RobustScaler(quantile_range=(25, 75))),
    ("Data after power transformation (Yeo-Johnson)", PowerTransformer(method="yeo-johnson")),
    ("Data after power transformation (Box-Cox)", PowerTransformer(method="box-cox")),
    ("Data after quantile transformation (uniform pdf)",
     QuantileTransformer(output_distribution="uniform", random_state=42)),
    ("Data after quantile transformation (gaussian pdf)",
     QuantileTransformer(output_distribution="normal", random_state=42)),
    ("Data after sample-wise L2 normalizing", Normalizer()),
]


def make_data():
    rng = np.random.default_rng(18)
    income = np.clip(rng.lognormal(1.25, 0.45, ROWS), 0.4999, 15.0001)
    occupancy = rng.gamma(6.0, 0.5, ROWS) + 0.7
    outliers = rng.choice(ROWS, 6, replace=False)
    occupancy[outliers] = rng.uniform(30, 1243.3, outliers.size)
    target = np.clip(0.45 * income + rng.normal(0, 0.6, ROWS), 0.14999, 5.00001)
    region = np.where(income > 4, "coast", np.where(occupancy > 3.5, "valley", "inland"))
    return income, occupancy, target, region


def histogram(values, bins):
    counts, edges = np.histogram(values, bins=bins)
    return {"counts": [int(c) for c in counts], "lo": float(edges[0]), "hi": float(edges[-1])}


def row_vectors(title, X):
    cut0 = np.percentile(X[:, 0], (0, 99))
    cut1 = np.percentile(X[:, 1], (0, 99))
    mask = np.all(X > [cut0[0], cut1[0]], axis=1) & np.all(X < [cut0[1], cut1[1]], axis=1)
    zoom = X[mask]
    return {
        "title": title,
        "cutoffs": [float(cut0[0]), float(cut0[1]), float(cut1[0]), float(cut1[1])],
        "kept": int(mask.sum()),
        "beyond": [int((X[:, 0] <= cut0[0]).sum()), int((X[:, 0] >= cut0[1]).sum()),
                   int((X[:, 1] <= cut1[0]).sum()), int((X[:, 1] >= cut1[1]).sum())],
        "full": [histogram(X[:, 0], 200), histogram(X[:, 1], 200)],
        "zoom": [histogram(zoom[:, 0], 50), histogram(zoom[:, 1], 50)],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    income, occupancy, target, region = make_data()
    with open(os.path.join(OUT, "housing-like.csv"), "w") as f:
        f.write("MedInc,AveOccup,MedHouseVal,region\n")
        for row in zip(income, occupancy, target, region):
            f.write(f"{float(row[0])!r},{float(row[1])!r},{float(row[2])!r},{row[3]}\n")
    # The values as the CSV holds them, so both sides start from the same doubles.
    X = np.column_stack([income, occupancy]).astype(np.float64)
    rows = [row_vectors(title, X if scaler is None else scaler.fit_transform(X))
            for title, scaler in TRANSFORMS]
    expected = {"generator": "tests/gen-all-scalers-vectors.py", "sklearn": sklearn.__version__,
                "numpy": np.__version__, "x": "MedInc", "y": "AveOccup", "rows": rows}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
