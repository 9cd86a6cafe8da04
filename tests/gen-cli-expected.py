#!/usr/bin/python3
# gen-cli-expected.py: fixtures and expected values for tests/test-cli.c, from scikit-learn and numpy.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from anywhere with Debian 12's python3 (numpy 1.24, scikit-learn 1.2):
#   /usr/bin/python3 tests/gen-cli-expected.py
# Writes tests/data/cli/{iris-train.csv,iris-test.csv,iris-train.npy,iris-test.npy,expected.json}.
# The C suite compares with a tolerance of 1e-12 and needs no Python.

import csv
import json
import os

import numpy as np
import scipy.stats
import sklearn
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "cli")


def read_iris():
    with open(os.path.join(ROOT, "data", "iris.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    numeric = np.array([[float(v) for v in r[:4]] for r in body], dtype=np.float64)
    labels = [r[4] for r in body]
    return header, numeric, labels


def write_csv(path, header, numeric, labels):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row, label in zip(numeric, labels):
            w.writerow([repr(float(v)) for v in row] + [label])


def keras_normalization(train):
    # Keras Normalization.adapt on a NumPy array: np.mean / np.var (ddof 0) over the batch axis;
    # call: (x - mean) / maximum(sqrt(var), 1e-7) (keras/src/layers/preprocessing/normalization.py).
    mean = train.mean(axis=0)
    var = train.var(axis=0)
    scale = np.maximum(np.sqrt(var), 1e-7)
    return mean, var, scale


def case(name, args, scaler, train, test, fields):
    if scaler is None:
        mean, var, scale = keras_normalization(train)
        transformed = (test - mean) / scale
        attributes = {"mean": mean, "variance": var, "scale": scale, "offset": mean}
    else:
        scaler.fit(train)
        transformed = scaler.transform(test)
        attributes = {key: getattr(scaler, attr) for key, attr in fields.items()}
        attributes["mean"] = train.mean(axis=0)
        attributes["variance"] = train.var(axis=0)
    return {
        "name": name,
        "args": args,
        "fields": {k: [float(v) for v in vals] for k, vals in attributes.items()},
        "test_transformed": [[float(v) for v in row] for row in transformed],
    }


def main():
    header, numeric, labels = read_iris()
    index = np.arange(len(numeric))
    train_rows, test_rows = index[index % 3 != 0], index[index % 3 == 0]
    train, test = numeric[train_rows], numeric[test_rows]
    os.makedirs(OUT, exist_ok=True)
    write_csv(os.path.join(OUT, "iris-train.csv"), header, train, [labels[i] for i in train_rows])
    write_csv(os.path.join(OUT, "iris-test.csv"), header, test, [labels[i] for i in test_rows])
    # (N, 2, 2) tensors: axis -1 keeps 2 channels, each pooling 2 values per sample.
    np.save(os.path.join(OUT, "iris-train.npy"), train.reshape(-1, 2, 2))
    np.save(os.path.join(OUT, "iris-test.npy"), test.reshape(-1, 2, 2))
    channels_train = train.reshape(-1, 2)
    npy_mean, npy_var = channels_train.mean(axis=0), channels_train.var(axis=0)
    npy_scaler = StandardScaler().fit(channels_train)
    npy_test = npy_scaler.transform(test.reshape(-1, 2)).reshape(-1, 2, 2)

    whole = numeric
    summary = {
        "count": [float(len(whole))] * 4,
        "mean": whole.mean(axis=0),
        "variance_population": whole.var(axis=0),
        "variance_sample": whole.var(axis=0, ddof=1),
        "min": whole.min(axis=0),
        "q1": np.percentile(whole, 25, axis=0),
        "median": np.percentile(whole, 50, axis=0),
        "q3": np.percentile(whole, 75, axis=0),
        "max": whole.max(axis=0),
        "skewness": scipy.stats.skew(whole, axis=0, bias=True),
        "kurtosis": scipy.stats.kurtosis(whole, axis=0, bias=True),
    }

    cases = [
        case("standard", ["--method", "standard"], StandardScaler(), train, test,
             {"offset": "mean_", "scale": "scale_"}),
        case("standard-no-center", ["--method", "standard", "--no-center"],
             StandardScaler(with_mean=False), train, test, {"scale": "scale_"}),
        case("keras", ["--method", "keras"], None, train, test, {}),
        case("minmax", ["--method", "minmax"], MinMaxScaler(), train, test,
             {"min": "data_min_", "max": "data_max_"}),
        case("minmax-range", ["--method", "minmax", "--feature-range", "-1,1"],
             MinMaxScaler(feature_range=(-1, 1)), train, test,
             {"min": "data_min_", "max": "data_max_"}),
        case("maxabs", ["--method", "maxabs"], MaxAbsScaler(), train, test, {"scale": "scale_"}),
        case("robust", ["--method", "robust"], RobustScaler(), train, test,
             {"offset": "center_", "scale": "scale_"}),
        case("robust-range", ["--method", "robust", "--quantile-range", "10,90"],
             RobustScaler(quantile_range=(10, 90)), train, test,
             {"offset": "center_", "scale": "scale_"}),
    ]
    # A round trip (x - m) / s * s + m is not bit-exact, in scikit-learn either (0.2 with a mean of
    # 1.2 comes back 0.19999999999999996). The C suite holds normscope to the rounding bound
    # |back - x| <= 2 eps (|x| + |m|); check here that scikit-learn's own round trip meets it.
    standard = StandardScaler().fit(train)
    round_trip = standard.inverse_transform(standard.transform(test))
    eps = np.finfo(np.float64).eps
    assert np.all(np.abs(round_trip - test) <= 2 * eps * (np.abs(test) + np.abs(standard.mean_)))

    expected = {
        "generator": "tests/gen-cli-expected.py, numpy %s, scikit-learn %s"
                     % (np.__version__, sklearn.__version__),
        "features": header[:4],
        "labels": header[4:],
        "iris_summary": {k: [float(v) for v in vals] for k, vals in summary.items()},
        "cases": cases,
        "sklearn_round_trip_max_ulps": int(np.max(np.abs(
            round_trip.view(np.int64) - test.view(np.int64)))),
        "npy": {
            "mean": [float(v) for v in npy_mean],
            "variance": [float(v) for v in npy_var],
            "test_transformed": [float(v) for v in npy_test.ravel()],
        },
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
