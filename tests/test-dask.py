#!/usr/bin/env python3
# test-dask.py: normscope-dask on a 2-worker LocalCluster equals the whole-file fit, also when a
# worker is killed mid-run; it runs from the build tree, and the README's example runs as written.
# Run by meson (suite 'dask') when python3-distributed imports.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

CLI = os.environ["NS_CLI"]
DASK = os.path.join(os.environ["NS_BUILD_ROOT"], "app", "normscope-dask")  # meson's copy
SOURCE_ROOT = os.environ["NS_SOURCE_ROOT"]


def write_data(path, rows):
    rng = random.Random(8)
    with open(path, "w") as f:
        f.write("x,y,z,label\n")
        for i in range(rows):
            y = "" if i % 13 == 4 else repr(rng.gauss(-3, 0.01))
            f.write(f"{1e9 + rng.random()!r},{y},{rng.expovariate(2)!r},l{i % 5}\n")


def load_columns(path):
    with open(path) as f:
        stats = json.load(f)
    return stats["source"]["rows"], stats["columns"]


def assert_equal_stats(got_path, want_path):
    got_rows, got = load_columns(got_path)
    want_rows, want = load_columns(want_path)
    assert got_rows == want_rows, (got_rows, want_rows)
    assert [c["name"] for c in got] == [c["name"] for c in want]
    for a, b in zip(got, want):
        for key in b:
            if key == "name":
                continue
            if key in ("count", "missing", "min", "max", "max_abs", "n_samples_seen"):
                assert a[key] == b[key], (key, a[key], b[key])
            else:
                assert abs(a[key] - b[key]) <= 1e-15 * abs(b[key]) * 4, (key, a[key], b[key])


def run_dask(args, env=None):
    command = [DASK, "fit"] + args
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def test_local_cluster(tmp, data, whole, size):
    out = os.path.join(tmp, "dask.json")
    run_dask([data, "--method", "standard", "--workers", "2", "--split-size", str(size // 8 + 1),
              "-o", out])
    assert_equal_stats(out, whole)
    print("ok 1 - 2-worker LocalCluster over 8 splits equals the whole-file fit")


def test_worker_killed(tmp, data, whole, size):
    from distributed import Client, LocalCluster

    os.environ["NORMSCOPE_DASK_TEST_DELAY"] = "0.5"  # workers inherit it: tasks last long enough
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    out = os.path.join(tmp, "killed.json")
    try:
        pids = list(client.run(os.getpid).values())
        runner = threading.Thread(target=lambda: run_dask(
            [data, "--method", "standard", "--scheduler", cluster.scheduler_address,
             "--split-size", str(size // 8 + 1), "-o", out]))
        runner.start()
        time.sleep(1.5)  # the first tasks are running
        os.kill(pids[0], signal.SIGKILL)
        runner.join(timeout=600)
    finally:
        client.close()
        cluster.close()
    assert os.path.exists(out), "normscope-dask did not finish after the worker was killed"
    assert_equal_stats(out, whole)
    print("ok 2 - a worker killed during the run: the same result")


def test_decimal_comma(tmp, data, whole, size):
    """The same table with ';' and decimal commas: each range task decides the decimal mark on the
    file's head alike, sniffed or given."""
    german = os.path.join(tmp, "data-de.csv")
    with open(data) as f, open(german, "w") as out:
        out.write(f.read().replace(",", ";").replace(".", ","))
    for extra in ([], ["--decimal", ","]):
        out = os.path.join(tmp, "dask-de.json")
        run_dask([german, "--method", "standard", "--workers", "2",
                  "--split-size", str(size // 8 + 1), "-o", out] + extra)
        assert_equal_stats(out, whole)
    print("ok 3 - a decimal-comma copy over 8 splits equals the whole-file fit")


def test_shards_and_build_tree(tmp, data, whole):
    """A glob of one table's shards equals the whole fit; _build/app/normscope-dask finds the
    normscope-cli beside it with no NORMSCOPE_CLI and none on PATH."""
    shards = os.path.join(tmp, "shards")
    os.mkdir(shards)
    with open(data) as f:
        header, *rows = f.readlines()
    for i, part in enumerate((rows[:15000], rows[15000:])):
        with open(os.path.join(shards, f"part-{i}.csv"), "w") as out:
            out.writelines([header] + part)
    env = {k: v for k, v in os.environ.items() if k != "NORMSCOPE_CLI"}
    env["PATH"] = "/usr/bin:/bin"
    out = os.path.join(tmp, "shards.json")
    run_dask([os.path.join(shards, "*.csv"), "--method", "standard", "--workers", "2",
              "--split-size", "256K", "-o", out], env=env)
    assert_equal_stats(out, whole)
    print("ok 4 - from the build tree, a glob of two shards equals the whole-file fit")


def readme_example():
    """The normscope-dask command line of the README's Dask example, as written."""
    with open(os.path.join(SOURCE_ROOT, "README.md"), encoding="utf-8") as f:
        lines = [line for line in f if re.match(r"normscope-dask fit ", line)]
    assert len(lines) == 1, lines
    return shlex.split(lines[0].split("#")[0])


def test_readme_example(tmp):
    """Run in a folder whose data/ is the bundled data, normscope-dask and normscope-cli on PATH."""
    here = os.path.join(tmp, "readme")
    os.mkdir(here)
    os.symlink(os.path.join(SOURCE_ROOT, "data"), os.path.join(here, "data"))
    command = readme_example()
    env = {k: v for k, v in os.environ.items() if k != "NORMSCOPE_CLI"}
    env["PATH"] = os.path.dirname(DASK) + os.pathsep + env["PATH"]
    result = subprocess.run(command, cwd=here, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = os.path.join(here, command[command.index("-o") + 1])
    want = os.path.join(here, "whole.json")
    data = [a for a in command[2:] if a.startswith("data/")]
    subprocess.run([CLI, "fit", *data, "--method", "standard", "-o", want, "--quiet"], cwd=here,
                   check=True)
    assert_equal_stats(out, want)
    print("ok 5 - the README's example runs as written and equals the whole-file fit")


def test_sample_weight(tmp, data, size):
    """Weighted ranges merge to the whole weighted fit: the weights' sums and the means to a few
    ulp (they associate differently), the variances to 1e-14."""
    whole = os.path.join(tmp, "whole-weighted.json")
    out = os.path.join(tmp, "dask-weighted.json")
    subprocess.run([CLI, "fit", data, "-m", "standard", "--sample-weight", "z", "-o", whole],
                   check=True)
    run_dask([data, "--method", "standard", "--sample-weight", "z", "--workers", "2",
              "--split-size", str(size // 8 + 1), "-o", out])
    got_rows, got = load_columns(out)
    want_rows, want = load_columns(whole)
    assert got_rows == want_rows and [c["name"] for c in got] == ["x", "y"], (got_rows, got)
    for a, b in zip(got, want):
        for key, tolerance in (("count", 1e-14), ("mean", 4e-15), ("variance", 1e-14)):
            assert abs(a[key] - b[key]) <= tolerance * abs(b[key]), (key, a[key], b[key])
    print("ok 7 - --sample-weight over 8 splits equals the whole weighted fit")


def test_bad_input(tmp):
    """Each bad input: exit status 2 and a message naming it."""
    cases = [(["no-such.csv"], "no-such.csv: no such file"), ([tmp], f"{tmp}: not a file"),
             ([os.path.join(tmp, "zz*.csv")], "zz*.csv: no file matches")]
    for data, message in cases:
        result = subprocess.run([DASK, "fit", *data, "-m", "standard", "-o", "x.json"], cwd=tmp,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and message in result.stderr, (data, result.stderr)
    print("ok 6 - a missing file, a folder, a glob matching nothing: exit status 2")


def main():
    print("1..7")
    with tempfile.TemporaryDirectory(prefix="test-dask-") as tmp:
        data = os.path.join(tmp, "data.csv")
        whole = os.path.join(tmp, "whole.json")
        write_data(data, 40000)
        subprocess.run([CLI, "fit", data, "--method", "standard", "-o", whole], check=True)
        os.environ["NORMSCOPE_CLI"] = CLI
        size = os.path.getsize(data)
        test_local_cluster(tmp, data, whole, size)
        test_worker_killed(tmp, data, whole, size)
        test_decimal_comma(tmp, data, whole, size)
        test_shards_and_build_tree(tmp, data, whole)
        test_readme_example(tmp)
        test_bad_input(tmp)
        test_sample_weight(tmp, data, size)


if __name__ == "__main__":
    main()
