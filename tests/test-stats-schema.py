#!/usr/bin/python3
# test-stats-schema.py: every stats and partial file normscope-cli writes, over many runs (every
# method and preset its --help lists, tensors, partial fits, merges, overflowing and missing
# values), validates against data/normscope-stats.schema.json (python3-jsonschema), and
# pandas.json_normalize gives numeric columns float64 even where values are NaN or infinite (also
# in stats --json).
# SPDX-License-Identifier: GPL-3.0-or-later
import gzip
import json
import math
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import jsonschema
import numpy as np
import pandas

CLI = os.environ["NS_CLI"]
SOURCE = pathlib.Path(os.environ["NS_SOURCE_ROOT"])
SCHEMA = json.loads((SOURCE / "data" / "normscope-stats.schema.json").read_text())
results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


def help_choices(command, option):
    """The names an option's --help line lists ("a (…), b, c or d"), so new ones get tested too."""
    text = subprocess.run([CLI, command, "--help"], capture_output=True, text=True).stdout
    line = re.search(rf"--{option}=\S+\s+(.*)", text).group(1).split(":")[0]
    line = re.sub(r"\([^)]*\)", "", line)
    return [w.strip().split()[0] for w in re.split(r",| or ", line) if w.strip()]


def write_inputs(folder):
    shutil.copy(SOURCE / "data" / "iris.csv", folder / "iris.csv")
    with open(SOURCE / "data" / "wine.csv", "rb") as f, gzip.open(folder / "wine.csv.gz", "wb") as g:
        g.write(f.read())
    rng = np.random.default_rng(20)
    np.save(folder / "nchw.npy", rng.gamma(2.0, 1.5, size=(12, 3, 4, 5)) + 0.5)
    np.save(folder / "nhwc.npy", rng.gamma(2.0, 1.5, size=(10, 4, 4, 2)).astype(np.float32) + 0.5)
    # Missing values in one column; a spread whose variance overflows to inf (and m3, m4 to NaN).
    (folder / "missing.csv").write_text("a,b\n1,\n2,NA\n3,5\n4,6.5\n5,\n6,7\n")
    (folder / "spread.csv").write_text("a,b\n1,1e200\n2,-1e200\n3,5\n4,7\n")


# Methods fitted in memory only: their --partial and --stream runs are refused (exit 2).
IN_MEMORY = {"robust", "yeo-johnson", "box-cox", "quantile", "normalizer"}


def runs(methods, presets):
    """(name, arguments, may the CLI refuse it (exit 2)); every run writes OUT."""
    table = ["iris.csv", "wine.csv.gz", "missing.csv"]
    out = []
    for m in methods:
        for data in table:  # keras refuses missing values, as Normalization.adapt cannot skip them
            # box-cox refuses values <= 0 (wine's cultivar column holds 0)
            out.append((f"fit {m} {data}", ["fit", data, "-m", m],
                        data == "missing.csv" or m == "box-cox"))
        for data, axis in (("nchw.npy", "1"), ("nhwc.npy", "-1"), ("nchw.npy", "1,2"),
                           ("nchw.npy", "none")):
            # the normalizer scales rows, which a tensor pooling other axes into features has not
            out.append((f"fit {m} {data} --axis {axis}", ["fit", data, "-m", m, "--axis", axis],
                        m == "normalizer"))
        out.append((f"fit {m} spread.csv", ["fit", "spread.csv", "-m", m], True))
        in_memory = m in IN_MEMORY
        out.append((f"fit {m} --partial iris", ["fit", "iris.csv", "-m", m, "--partial"], in_memory))
        out.append((f"fit {m} --partial spread", ["fit", "spread.csv", "-m", m, "--partial"], True))
        out.append((f"fit {m} --partial nchw --axis 1",
                    ["fit", "nchw.npy", "-m", m, "--axis", "1", "--partial"], in_memory))
        out.append((f"fit {m} --stream", ["fit", "iris.csv", "-m", m, "--stream", "-q"], in_memory))
    out += [
        ("fit standard --columns", ["fit", "iris.csv", "-m", "standard", "-c", "petal_width_cm,sepal_length_cm"], False),
        ("fit standard --no-center --no-scale", ["fit", "iris.csv", "-m", "standard", "--no-center", "--no-scale"], False),
        ("fit minmax --feature-range --clip", ["fit", "iris.csv", "-m", "minmax", "--feature-range=-1,1", "--clip"], False),
        ("fit robust --unit-variance --quantile-range", ["fit", "iris.csv", "-m", "robust", "--unit-variance", "--quantile-range", "10,90"], False),
        ("fit robust --stream --approx-quantiles", ["fit", "iris.csv", "-m", "robust", "--stream", "--approx-quantiles", "-q"], False),
        ("fit robust --partial --approx-quantiles", ["fit", "iris.csv", "-m", "robust", "--partial", "--approx-quantiles"], False),
    ]
    for p in presets:
        out.append((f"batchnorm {p}", ["batchnorm", "iris.csv", "-b", "16", "-p", p], False))
        out.append((f"batchnorm {p} nchw --axis 1",
                    ["batchnorm", "nchw.npy", "--axis", "1", "-b", "4", "-p", p], False))
        out.append((f"batchnorm {p} every average, renorm, shuffle",
                    ["batchnorm", "missing.csv", "-b", "2", "-p", p, "--renorm", "--shuffle", "3",
                     "--epochs", "2", "-a", "ema,ema-debiased,cumulative,warmup,window:3,exact"], True))
        out.append((f"batchnorm {p} spread", ["batchnorm", "spread.csv", "-b", "2", "-p", p], True))
    out.append(("report", ["report", "iris.csv"], False))
    out.append(("batchnorm pytorch f32 momentum none",
                ["batchnorm", "iris.csv", "-b", "32", "--dtype", "f32", "-m", "none", "--drop-last"], False))
    return out


def run_cli(folder, args):
    """A method that cannot stream exact quantiles says so: then it streams a sketch."""
    result = subprocess.run([CLI, *args], cwd=folder, capture_output=True, text=True)
    if result.returncode == 2 and "add --approx-quantiles" in result.stderr:
        result = subprocess.run([CLI, *args, "--approx-quantiles"], cwd=folder,
                                capture_output=True, text=True)
    return result


def run_all(folder, methods, presets):
    written = []
    for i, (name, args, may_refuse) in enumerate(runs(methods, presets)):
        out = f"out-{i}.json"
        result = run_cli(folder, [*args, "-o", out])
        ok = result.returncode == 0 or (may_refuse and result.returncode == 2 and result.stderr)
        check(f"{name}: exit 0" + (" (or 2 with a message)" if may_refuse else ""), ok,
              result.stderr.strip())
        if result.returncode == 0:
            written.append((name, folder / out))
    return written


def merges(folder, methods):
    """Partial fits of byte ranges of iris.csv merged, to a stats file and to a partial file."""
    size = (folder / "iris.csv").stat().st_size
    written = []
    for m in methods:
        if m in IN_MEMORY:
            continue  # refused (see runs)
        parts = []
        for k, (start, end) in enumerate(((0, size // 3), (size // 3, size))):
            parts.append(f"part-{m}-{k}.json")
            result = run_cli(folder, ["fit", "iris.csv", "-m", m, "--partial", "--byte-range",
                                      f"{start}:{end}", "-o", parts[-1]])
            check(f"fit {m} --partial --byte-range: exit 0", result.returncode == 0, result.stderr)
            written.append((f"fit {m} --partial --byte-range {start}:{end}", folder / parts[-1]))
        for extra, out in (([], f"merged-{m}.json"), (["--partial"], f"merged-part-{m}.json")):
            result = subprocess.run([CLI, "merge", *parts, *extra, "-o", out], cwd=folder,
                                    capture_output=True, text=True)
            check(f"merge {m} {' '.join(extra)}: exit 0", result.returncode == 0, result.stderr)
            if result.returncode == 0:
                written.append((f"merge {m} {' '.join(extra)}", folder / out))
    return written


def non_finite_members(columns):
    """Members holding NaN (null, None in Python) or an infinity (1e999, inf in Python)."""
    return {(i, k) for i, c in enumerate(columns) for k, v in c.items()
            if v is None or (isinstance(v, float) and not math.isfinite(v))}


def check_file(validator, name, path):
    text = path.read_text()
    document = json.loads(text)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    check(f"{name}: validates", not errors,
          "; ".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:3]))
    check(f"{name}: no number written as a string", not re.search(r'"-?(nan|inf)"', text))
    frame = pandas.json_normalize(document["columns"])
    arrays = {k for c in document["columns"] for k, v in c.items() if isinstance(v, list)}
    numeric = [k for k in frame.columns
               if k != "name" and not k.startswith("sketch.") and k not in arrays]
    wrong = {k: str(frame[k].dtype) for k in numeric if frame[k].dtype.kind not in "fi"}
    check(f"{name}: json_normalize gives numeric columns", not wrong, str(wrong))
    for i, key in non_finite_members(document["columns"]):
        check(f"{name}: columns[{i}].{key} is float64 in pandas", frame[key].dtype == np.float64)
    return non_finite_members(document["columns"])


def check_summaries(folder):
    """stats --json writes numbers as the stats file does: numeric columns stay numeric in pandas."""
    (folder / "infinite.csv").write_text("a,b\n1,inf\n2,3\n3,-inf\n")
    for args in (["spread.csv"], ["missing.csv"], ["infinite.csv"], ["iris.csv"],
                 ["iris.csv", "--stream", "-q"]):
        result = subprocess.run([CLI, "stats", *args, "--json"], cwd=folder, capture_output=True,
                                text=True)
        name = "stats " + " ".join(args) + " --json"
        check(f"{name}: exit 0", result.returncode == 0, result.stderr)
        if result.returncode != 0:
            continue
        frame = pandas.json_normalize(json.loads(result.stdout)["columns"])
        wrong = {k: str(frame[k].dtype) for k in frame.columns
                 if k not in ("name", "kind") and frame[k].dtype.kind not in "fi"}
        check(f"{name}: json_normalize gives numeric columns", not wrong, str(wrong))
        check(f"{name}: no number written as a string",
              not re.search(r'"-?(nan|inf)"', result.stdout))


def check_rejections(validator, good):
    """The schema checks something: each change below makes a file it must refuse."""
    changes = {
        "format": lambda d: d.update(format="normscope-other"),
        "version 2": lambda d: d.update(version=2),
        "unknown method": lambda d: d.update(method="zscore"),
        "no columns": lambda d: d.update(columns=[]),
        "a column without scale": lambda d: d["columns"][0].pop("scale"),
        "scale 0": lambda d: d["columns"][0].update(scale=0),
        "infinite offset": lambda d: d["columns"][0].update(offset=math.inf),
        "count as text": lambda d: d["columns"][0].update(count="150"),
        "negative count": lambda d: d["columns"][0].update(count=-1),
        "a field as text": lambda d: d["columns"][0].update(std="wide"),
        "a field as an object": lambda d: d["columns"][0].update(std={"v": 1}),
        "sha256 not hex": lambda d: d["source"].update(sha256="xyz"),
        "unknown preset": lambda d: d["params"].update(preset="torch"),
        "source without rows": lambda d: d["source"].pop("rows"),
    }
    for what, change in changes.items():
        document = json.loads(json.dumps(good))
        change(document)
        check(f"the schema refuses {what}", not validator.is_valid(document))
    accepted = json.loads(json.dumps(good))
    accepted["references"] = [0.0, 0.5, 1.0]
    accepted["a_new_member"] = {"anything": [1, "x"]}
    accepted["columns"][0]["lambda"] = -0.25
    accepted["columns"][0]["quantiles"] = [0.0, None, 1e999]
    accepted["columns"][0]["mean"] = "nan"  # version 1 files written before null
    check("the schema takes per-column numbers and arrays, top-level members, version-1 strings",
          validator.is_valid(accepted), str(list(validator.iter_errors(accepted))[:1]))


def main():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    methods, presets = help_choices("fit", "method"), help_choices("batchnorm", "preset")
    check("fit --help lists the five scalers", {"standard", "keras", "minmax", "maxabs", "robust"} <= set(methods), str(methods))
    check("batchnorm --help lists the four presets", set(presets) >= {"pytorch", "keras", "keras-fused", "flax"}, str(presets))
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        write_inputs(folder)
        written = run_all(folder, methods, presets) + merges(folder, methods)
        non_finite = set()
        for name, path in written:
            non_finite |= {(name, key) for _, key in check_file(validator, name, path)}
        check(f"{len(written)} files written and checked", len(written) >= 80, str(len(written)))
        check("some files hold NaN and infinities (as null and 1e999)",
              any(k == "variance" for _, k in non_finite) and any(k == "m3" for _, k in non_finite),
              str(sorted(non_finite)[:5]))
        check_rejections(validator, json.loads((folder / "out-0.json").read_text()))
        check_summaries(folder)
    print(f"1..{len(results)}")
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok and detail:
            print("# " + detail.replace("\n", "\n# "))


if __name__ == "__main__":
    main()
