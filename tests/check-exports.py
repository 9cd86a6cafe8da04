#!/usr/bin/python3
# check-exports.py: the real tools load or run normscope's exports and must agree with its transform.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-exports.py CHECK DIR, where DIR/cases.json and the exported files were written by
# tests/test-export.c. CHECK is one of: syntax, numpy, torch-safetensors, torch-snippet,
# sklearn-snippet, keras-snippet; onnx, torchvision and torch-safetensors-layouts (which make their
# own fixtures in DIR with $NS_CLI), and instance-norm (normalize's running statistics, made with
# $NS_CLI too); or inert, on the files tests/test-export-hostile.c wrote (hostile
# strings stay data in every export). Exit 0: passed; 77: skipped (the reason on stdout); else failed.
import ast
import csv
import importlib
import json
import os
import py_compile
import re
import runpy
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings
import zipfile

SKIP = 77


def need(module, package):
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"{package} not installed")
        sys.exit(SKIP)


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load_cases(directory):
    with open(os.path.join(directory, "cases.json"), encoding="utf-8") as f:
        return json.load(f)


def gamma_beta(case):
    params = case["params"]
    return float(params.get("gamma", 1.0)), float(params.get("beta", 0.0))


def expected_output(case, np):
    """normscope's transform (for batch norm: inference mode, gamma and beta included)."""
    return np.array(case["expected"], dtype=np.float64)


def check_close(np, what, got, want, rtol, atol):
    got = np.asarray(got, dtype=np.float64)
    if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=atol):
        fail(f"{what}: got {got.tolist()}, expected {want.tolist()}")


def check_syntax(directory):
    for case in load_cases(directory):
        for key, path in case["files"].items():
            if path.endswith(".py"):
                py_compile.compile(path, doraise=True)
                print(f"ok {case['name']} {key}: compiles")


def check_numpy(directory):
    np = need("numpy", "python3-numpy")
    for case in load_cases(directory):
        with np.load(case["files"]["npz"]) as npz:  # allow_pickle stays False
            for key in ("mean", "variance", "offset", "scale") + (
                    ("running_mean", "running_var") if "running_mean" in case else ()):
                want = np.array(case[key], dtype=np.float64)
                got = npz[key]
                if got.dtype != np.float64 or got.view(np.int64).tolist() != want.view(np.int64).tolist():
                    fail(f"{case['name']} npz {key}: {got!r} != {want!r}")
            if npz["names"].tolist() != case["names"]:
                fail(f"{case['name']} npz names: {npz['names'].tolist()} != {case['names']}")
            if npz["count"].shape != (len(case["names"]),):
                fail(f"{case['name']} npz count shape {npz['count'].shape}")
            if case["method"] == "batchnorm":
                tracked = npz["num_batches_tracked"]
                if tracked.shape != () or tracked.dtype != np.int64 or int(tracked) != case["num_batches_tracked"]:
                    fail(f"{case['name']} npz num_batches_tracked {tracked!r}")
        print(f"ok {case['name']}: numpy.load reads every member exactly")


DTYPES = {"F32": ("<f4", 4), "F64": ("<f8", 8), "I64": ("<i8", 8)}


def read_safetensors(path, np, torch):
    """The format read independently of normscope (safetensors.torch when it is installed)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    buffer = data[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        descr, size = DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        array = np.frombuffer(buffer[begin:end], dtype=descr).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def load_into_snippet(torch, snippet, state, prefix=""):
    """The torch snippet's module with its buffers blanked, then loaded strictly from state."""
    module = runpy.run_path(snippet)["module"]
    with torch.no_grad():
        module.offset.zero_()
        module.scale.fill_(1.0)
    if not prefix:
        module.load_state_dict(state, strict=True)
        return module
    parent = torch.nn.Module()
    parent.add_module(prefix.rstrip("."), module)
    parent.load_state_dict(state, strict=True)
    return module


def check_torch_safetensors(directory):
    np = need("numpy", "python3-numpy")
    torch = need("torch", "python3-torch")
    for case in load_cases(directory):
        if case["method"] != "batchnorm":
            tensors = read_safetensors(case["files"]["safetensors64"], np, torch)
            for key in ("offset", "scale"):
                if tensors[key].tolist() != case[key]:
                    fail(f"{case['name']} safetensors {key}")
            print(f"ok {case['name']}: safetensors holds offset, scale exactly")
            for key, snippet, dtype, tol in (("safetensors", "torch", torch.float32, 1e-5),
                                             ("safetensors64", "torch64", torch.float64, 1e-12)):
                module = load_into_snippet(torch, case["files"][snippet],
                                           read_safetensors(case["files"][key], np, torch))
                rows = np.array(case["rows"], dtype=np.float64)
                with torch.no_grad():
                    out = module(torch.tensor(rows, dtype=dtype)).double().numpy()
                atol = tol * (1 + np.abs(rows).max() / np.abs(np.array(case["scale"])).min()) if dtype == torch.float32 else tol
                check_close(np, f"{case['name']} {key} in the torch snippet's module", out,
                            expected_output(case, np), tol, atol)
                print(f"ok {case['name']}: load_state_dict({key}, strict=True) into the snippet's module matches transform")
            load_into_snippet(torch, case["files"]["torch"],
                              read_safetensors(case["files"]["safetensors_prefixed"], np, torch), "bn.")
            print(f"ok {case['name']}: --prefix bn. loads into a module holding the snippet's as bn")
            continue
        features = len(case["names"])
        eps = float(case["params"]["eps"])
        rows = np.array(case["rows"], dtype=np.float64)
        want = expected_output(case, np)
        for key, dtype, tol in (("safetensors", torch.float32, 1e-5), ("safetensors64", torch.float64, 1e-12)):
            bn = torch.nn.BatchNorm1d(features, eps=eps, dtype=dtype)
            bn.load_state_dict(read_safetensors(case["files"][key], np, torch), strict=True)
            bn.eval()
            with torch.no_grad():
                out = bn(torch.tensor(rows, dtype=dtype)).double().numpy()
            check_close(np, f"{case['name']} {key} BatchNorm1d eval", out, want, tol, tol)
            print(f"ok {case['name']}: BatchNorm1d.load_state_dict({key}) eval matches transform")

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.bn = torch.nn.BatchNorm1d(features, eps=eps)

        net = Net()
        net.load_state_dict(read_safetensors(case["files"]["safetensors_prefixed"], np, torch), strict=True)
        if int(net.bn.num_batches_tracked) != case["num_batches_tracked"]:
            fail(f"{case['name']} prefixed num_batches_tracked")
        print(f"ok {case['name']}: --prefix bn. loads into a nested module")


def check_torch_safetensors_layouts(directory):
    """Every scaler on every layout: the safetensors export has the snippet module's keys and
    buffer shapes ((C, 1, 1) for (N, C, H, W)), so load_state_dict(strict=True) takes it."""
    np = need("numpy", "python3-numpy")
    torch = need("torch", "python3-torch")
    fits = [f for f in FITS if not f[0].startswith("bn-")]
    for name, stats, x, want in make_fixtures(directory, np, LAYOUTS, fits):
        for dtype, torch_dtype in (("f64", torch.float64), ("f32", torch.float32)):
            snippet = os.path.join(directory, f"{name}-{dtype}.py")
            tensors = os.path.join(directory, f"{name}-{dtype}.safetensors")
            cli("export", stats, "--format", "torch", "--dtype", dtype, "-o", snippet)
            cli("export", stats, "--format", "safetensors", "--dtype", dtype, "-o", tensors)
            module = load_into_snippet(torch, snippet, read_safetensors(tensors, np, torch))
            if dtype == "f64":
                with torch.no_grad():
                    got = module(torch.tensor(x, dtype=torch_dtype)).numpy()
                # min-max: transform multiplies as MinMaxScaler does, the module divides.
                same = (np.allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)
                        if "minmax" in name else np.array_equal(got, want, equal_nan=True))
                if not same:
                    fail(f"{name}: the loaded module gives {got.ravel()[:4]}, transform {want.ravel()[:4]}")
        print(f"ok {name}: safetensors (f32, f64) loads strictly into the torch snippet's module; f64 equals transform")


def check_torch_snippet(directory):
    np = need("numpy", "python3-numpy")
    torch = need("torch", "python3-torch")
    for case in load_cases(directory):
        rows = np.array(case["rows"], dtype=np.float64)
        want = expected_output(case, np)
        for key, dtype, tol in (("torch64", torch.float64, 1e-12), ("torch", torch.float32, 1e-5)):
            module = runpy.run_path(case["files"][key])["module"]
            with torch.no_grad():
                out = module(torch.tensor(rows, dtype=dtype)).double().numpy()
            # float32 cannot hold x - offset more precisely than the inputs' magnitude allows.
            atol = tol * (1 + np.abs(rows).max() / np.abs(np.array(case["scale"])).min()) if dtype == torch.float32 else tol
            check_close(np, f"{case['name']} {key} snippet", out, want, tol, atol)
            print(f"ok {case['name']}: {key} snippet matches transform")


def check_sklearn_snippet(directory):
    np = need("numpy", "python3-numpy")
    need("sklearn", "python3-sklearn")
    for case in load_cases(directory):
        if "sklearn" not in case["files"]:
            continue  # batch norm with gamma and beta: refused, a StandardScaler has no affine part
        scaler = runpy.run_path(case["files"]["sklearn"])["scaler"]
        rows = np.array(case["rows"], dtype=np.float64)
        with warnings.catch_warnings():
            # feature_names_in_ is set, and the rows come without names.
            warnings.simplefilter("ignore", UserWarning)
            out = scaler.transform(rows)
        check_close(np, f"{case['name']} sklearn {type(scaler).__name__}", out,
                    np.array(case["expected"], dtype=np.float64), 1e-12, 1e-12)
        if scaler.n_features_in_ != len(case["names"]) or scaler.feature_names_in_.tolist() != case["names"]:
            fail(f"{case['name']} sklearn feature names")
        print(f"ok {case['name']}: fitted {type(scaler).__name__} transform matches to 1e-12")


def check_keras_snippet(directory):
    np = need("numpy", "python3-numpy")
    try:
        importlib.import_module("keras")
    except ImportError:
        try:
            importlib.import_module("tensorflow")
        except ImportError:
            print("keras not installed (Debian has no package): the Keras snippets are only "
                  "compiled, by /export/python/syntax")
            sys.exit(SKIP)
    for case in load_cases(directory):
        layer = runpy.run_path(case["files"]["keras"])["layer"]
        out = np.asarray(layer(np.array(case["rows"], dtype=np.float32), training=False))
        check_close(np, f"{case['name']} keras", out, expected_output(case, np), 1e-4, 1e-4)
        print(f"ok {case['name']}: keras layer matches transform")


# onnx and torchvision: fixtures made with normscope-cli (fit, batchnorm, transform, export) on
# .npy files of every layout, so the exported file meets the real tool as a user's would.

LAYOUTS = (  # name, shape, --axis
    ("table", (8, 3), "-1"),
    ("nchw", (5, 3, 2, 4), "1"),
    ("nhwc", (5, 2, 4, 3), "-1"),
    ("nchw-axes-1-2", (4, 3, 2, 5), "1,2"),
)
FITS = (  # name, arguments after the data file
    ("standard", ["fit", "--method", "standard"]),
    ("keras", ["fit", "--method", "keras"]),
    ("minmax", ["fit", "--method", "minmax"]),
    ("minmax-clip", ["fit", "--method", "minmax", "--clip"]),
    ("maxabs", ["fit", "--method", "maxabs"]),
    ("robust", ["fit", "--method", "robust"]),
    ("bn-pytorch", ["batchnorm", "--batch-size", "2", "--preset", "pytorch", "--gamma", "1.5", "--beta", "-0.25"]),
    ("bn-flax", ["batchnorm", "--batch-size", "2", "--preset", "flax", "--gamma", "0.75", "--beta", "0.5"]),
    ("bn-keras", ["batchnorm", "--batch-size", "2", "--preset", "keras"]),
)


def cli(*args):
    done = subprocess.run([os.environ["NS_CLI"], *args], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"normscope-cli {' '.join(args)}: {done.stderr}")
    return done


def per_channel_gamma_beta(path):
    """gamma and beta as one value per column, as a user may write them."""
    with open(path, encoding="utf-8") as f:
        stats = json.load(f)
    n = len(stats["columns"])
    stats["params"]["gamma"] = [0.5 + 0.25 * c for c in range(n)]
    stats["params"]["beta"] = [0.125 * c - 0.3 for c in range(n)]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(stats, f)


def make_fixtures(directory, np, layouts, fits):
    """Fits every method on every layout; yields (name, stats, test data, normscope's transform)."""
    rng = np.random.default_rng(20)
    for layout, shape, axis in layouts:
        train = os.path.join(directory, f"{layout}-train.npy")
        test = os.path.join(directory, f"{layout}-test.npy")
        x = rng.normal(2.0, 3.0, size=shape)
        np.save(train, x)
        y = x * 1.3 + 0.1  # beyond the fitted range, so the clip acts
        y.flat[1] = np.nan  # missing values pass through
        np.save(test, y)
        for fit, args in fits:
            name = f"{layout}-{fit}"
            stats = os.path.join(directory, f"{name}.json")
            cli(args[0], train, *args[1:], "--axis", axis, "-o", stats)
            if fit == "bn-flax" and layout == "nchw":
                per_channel_gamma_beta(stats)
            expected = os.path.join(directory, f"{name}-expected.npy")
            cli("transform", test, "--stats", stats, "--axis", axis, "-o", expected)
            yield name, stats, np.load(test), np.load(expected)


def float32_replay(np, model, x):
    """The model's own operations in float32 arithmetic (NumPy), for a bit-exact f32 comparison."""
    from onnx import numpy_helper
    constants = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values = {"input": x}
    ops = {"Sub": np.subtract, "Div": np.divide, "Mul": np.multiply, "Add": np.add}
    for node in model.graph.node:
        a, *rest = [values.get(i, constants.get(i)) for i in node.input]
        if node.op_type == "Clip":
            values[node.output[0]] = np.where(np.isnan(a), a, np.minimum(np.maximum(a, rest[0]), rest[1]))
        else:
            values[node.output[0]] = ops[node.op_type](a, rest[0])
    return values["output"]


def check_onnx_model(onnx, path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    if [i.name for i in graph.input] != ["input"] or [o.name for o in graph.output] != ["output"]:
        fail(f"{path}: inputs {graph.input}, outputs {graph.output}")
    if graph.input[0].type.tensor_type.shape.dim[0].dim_param != "N":
        fail(f"{path}: the batch axis is not symbolic")
    for node in graph.node:
        if any(a.type == onnx.AttributeProto.FLOAT for a in node.attribute):
            fail(f"{path}: a float attribute (32-bit) would round a constant")
    return model


def ort_jobs(directory):
    node = shutil.which("node")
    here = os.path.dirname(os.path.abspath(__file__))
    if node is None or not os.path.isdir(os.path.join(here, "node_modules", "onnxruntime-node")):
        print("node or tests/node_modules/onnxruntime-node missing (./dev installs them)")
        sys.exit(SKIP)
    return node, os.path.join(here, "run-onnx.js")


def compare_onnx(np, name, dtype, got, want, replay):
    if dtype == "float64":
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True):
            fail(f"{name} onnx f64: got {got.tolist()}, expected {want.tolist()}")
        return
    # float32: exactly the float32 arithmetic of the graph, and so within float32 rounding of the
    # double transform (an error of a few units of the inputs' magnitude over the scale).
    if not np.array_equal(got, replay, equal_nan=True):
        fail(f"{name} onnx f32: {got.tolist()} != float32 replay {replay.tolist()}")
    bound = 4 * np.finfo(np.float32).eps * (1 + np.abs(want) + np.nanmax(np.abs(want)))
    if not np.all(np.isnan(want) == np.isnan(got)) or np.nanmax(np.abs(got - want) / bound) > 1:
        fail(f"{name} onnx f32: {got.tolist()} not within float32 rounding of {want.tolist()}")


def add_job(jobs, path, x, dtype):
    """Runs model path on x in ONNX Runtime; returns the file its output goes to."""
    x.astype(dtype).tofile(path + ".in")
    jobs.append({"model": path, "dtype": dtype, "dims": list(x.shape), "input": path + ".in",
                 "output": path + ".out"})
    return path + ".out"


def run_jobs(directory, jobs):
    node, script = ort_jobs(directory)
    with open(os.path.join(directory, "jobs.json"), "w", encoding="utf-8") as f:
        json.dump(jobs, f)
    done = subprocess.run([node, script, os.path.join(directory, "jobs.json")], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"run-onnx.js: {done.stdout}{done.stderr}")
    print(done.stdout.strip())


def batchnorm_node_model(onnx, np, path, stats):
    """What the export avoids: a BatchNormalization-15 node, whose epsilon attribute is 32-bit."""
    from onnx import TensorProto, helper, numpy_helper
    columns, params = stats["columns"], stats["params"]
    n = len(columns)
    constants = {"scale": [params["gamma"]] * n, "B": [params["beta"]] * n,
                 "mean": [c["running_mean"] for c in columns], "var": [c["running_var"] for c in columns]}
    node = helper.make_node("BatchNormalization", ["input", *constants], ["output"], epsilon=params["eps"])
    graph = helper.make_graph(
        [node], "batchnorm-node",
        [helper.make_tensor_value_info("input", TensorProto.DOUBLE, ["N", n])],
        [helper.make_tensor_value_info("output", TensorProto.DOUBLE, ["N", n])],
        [numpy_helper.from_array(np.array(v, dtype=np.float64), k) for k, v in constants.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], ir_version=8)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    return node.attribute[0].f


def epsilon_case(directory, np, onnx, jobs):
    """Variances at and below eps, where a 32-bit epsilon shows: batch-norm stats exported, and the
    same stats as a BatchNormalization node. Returns the check to run once the models ran."""
    train, stats_path = os.path.join(directory, "eps-train.npy"), os.path.join(directory, "eps.json")
    x = np.random.default_rng(5).normal(size=(6, 3))
    np.save(train, x)
    cli("batchnorm", train, "--batch-size", "2", "--gamma", "1.5", "--beta", "-0.25", "-o", stats_path)
    with open(stats_path, encoding="utf-8") as f:
        stats = json.load(f)
    for column, var in zip(stats["columns"], (0.0, 1e-6, 1e-5)):
        column["running_var"], column["scale"] = var, float(np.sqrt(var + stats["params"]["eps"]))
    with open(stats_path, "w", encoding="utf-8") as f:
        json.dump(stats, f)
    expected = os.path.join(directory, "eps-expected.npy")
    cli("transform", train, "--stats", stats_path, "-o", expected)
    ours = os.path.join(directory, "eps-export.onnx")
    cli("export", stats_path, "--format", "onnx", "--dtype", "f64", "-o", ours)
    node_path = os.path.join(directory, "eps-node.onnx")
    stored = batchnorm_node_model(onnx, np, node_path, stats)
    outputs = add_job(jobs, ours, x, "float64"), add_job(jobs, node_path, x, "float64")
    return lambda: check_epsilon(np, stats, x, np.load(expected), stored, outputs)


def check_epsilon(np, stats, x, want, stored, outputs):
    eps = stats["params"]["eps"]
    ours, node = (np.fromfile(out).reshape(want.shape) for out in outputs)
    if stored == eps or stored != float(np.float32(eps)):
        fail(f"epsilon {eps!r} stored as {stored!r}")
    mean = np.array([c["running_mean"] for c in stats["columns"]])
    var = np.array([c["running_var"] for c in stats["columns"]])
    predicted = (x - mean) / np.sqrt(var + stored) * 1.5 - 0.25
    shift = np.abs(node - want) / np.abs(want)
    if not np.allclose(ours, want, rtol=1e-12, atol=1e-12):
        fail(f"exported batch norm near eps: {ours.tolist()} != {want.tolist()}")
    if not np.allclose(node, predicted, rtol=1e-12, atol=1e-12) or shift.max(axis=0).min() < 1e-10:
        fail(f"BatchNormalization node: {node.tolist()}, expected the float32 eps' {predicted.tolist()}")
    print(f"ok epsilon {eps!r} is {stored!r} in a BatchNormalization node, which moves outputs by "
          f"up to {shift.max():.2g} relative at var <= eps; the export matches transform")


def check_onnx(directory):
    np = need("numpy", "python3-numpy")
    onnx = need("onnx", "python3-onnx")
    ort_jobs(directory)
    jobs, checks = [], []
    epsilon_check = epsilon_case(directory, np, onnx, jobs)
    for name, stats, x, want in make_fixtures(directory, np, LAYOUTS, FITS):
        for dtype, flag in (("float32", "f32"), ("float64", "f64")):
            path = os.path.join(directory, f"{name}-{flag}.onnx")
            cli("export", stats, "--format", "onnx", "--dtype", flag, "-o", path)
            model = check_onnx_model(onnx, path)
            out = add_job(jobs, path, x, dtype)
            checks.append((f"{name} ({flag})", out, dtype, want, float32_replay(np, model, x.astype(dtype))))
    run_jobs(directory, jobs)
    epsilon_check()
    for name, out, dtype, want, replay in checks:
        got = np.fromfile(out, dtype=dtype).reshape(want.shape)
        compare_onnx(np, name, dtype, got.astype(np.float64), want, replay.astype(np.float64))
        print(f"ok {name}: onnx.checker passes, ONNX Runtime reproduces transform")


def check_torchvision(directory):
    np = need("numpy", "python3-numpy")
    torch = need("torch", "python3-torch")
    need("torchvision", "python3-torchvision")
    fits = [f for f in FITS if f[0] in ("standard", "keras", "minmax", "maxabs", "robust", "bn-keras")]
    for name, stats, x, want in make_fixtures(directory, np, LAYOUTS[1:2], fits):
        path = os.path.join(directory, f"{name}-torchvision.py")
        cli("export", stats, "--format", "torchvision", "-o", path)
        transform = runpy.run_path(path)["transform"]
        got = transform(torch.tensor(x, dtype=torch.float64)).numpy()
        # batch norm and min-max (as MinMaxScaler) compute x * alpha + shift, Normalize
        # (x - mean) / std: equal to rounding.
        close = np.allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)
        multiplies = name.endswith("bn-keras") or "minmax" in name
        if not (close if multiplies else np.array_equal(got, want, equal_nan=True)):
            fail(f"{name} torchvision: {got.tolist()} != {want.tolist()}")
        print(f"ok {name}: transforms.Normalize reproduces transform")


# instance-norm: normalize's instance norm with running statistics, exported, loads into torch's
# InstanceNorm1d/2d/3d strictly and reproduces normscope's running statistics and transform.

INSTANCE_LAYOUTS = (("ncl", (7, 3, 5), 1), ("nchw", (10, 3, 4, 5), 2), ("ncdhw", (5, 2, 3, 2, 4), 3))


def instance_fixture(directory, np, layout, shape):
    rng = np.random.default_rng(19)
    x = rng.normal(size=shape) * rng.uniform(0.5, 3, size=shape[1])[:, None].reshape(
        (1, shape[1]) + (1,) * (len(shape) - 2)) + 4
    base = os.path.join(directory, f"in-{layout}")
    np.save(base + ".npy", x)
    cli("normalize", base + ".npy", "--layer", "instance", "--track-running-stats", "--momentum", "0.2",
        "--batch-size", "3", "-o", base + "-train.npy", "--stats", base + ".json")
    cli("transform", base + ".npy", "--stats", base + ".json", "-o", base + "-eval.npy")
    for dtype in ("f64", "f32"):
        cli("export", base + ".json", "--format", "torch", "--dtype", dtype, "-o", f"{base}-{dtype}.py")
    cli("export", base + ".json", "--format", "safetensors", "--dtype", "f64", "-o", base + ".safetensors")
    with open(base + ".json", encoding="utf-8") as f:
        return base, x, json.load(f)


def torch_running_stats(torch, x, dims, stats):
    """A fresh torch InstanceNorm trained over normalize's batches: its buffers and outputs."""
    layer = getattr(torch.nn, f"InstanceNorm{dims}d")(x.shape[1], eps=stats["eps"], momentum=stats["momentum"],
                                                      track_running_stats=True, dtype=torch.float64)
    b = stats["batch_size"]
    with torch.no_grad():
        out = torch.cat([layer(torch.tensor(x[i:i + b])) for i in range(0, len(x), b)]).numpy()
    return layer, out


def check_instance_norm(directory):
    np = need("numpy", "python3-numpy")
    torch = need("torch", "python3-torch")
    for layout, shape, dims in INSTANCE_LAYOUTS:
        base, x, stats = instance_fixture(directory, np, layout, shape)
        trained, train_out = torch_running_stats(torch, x, dims, stats)
        for key in ("running_mean", "running_var"):
            check_close(np, f"{layout} {key} vs torch's training", getattr(trained, key).numpy(),
                        np.array(stats[key]), 1e-12, 1e-15)
        check_close(np, f"{layout} normalize output vs torch's training", np.load(base + "-train.npy"),
                    train_out, 1e-12, 1e-12)
        want = np.load(base + "-eval.npy")
        for dtype, tol in (("f64", 1e-12), ("f32", 1e-5)):
            module = runpy.run_path(f"{base}-{dtype}.py")["module"]
            if type(module).__name__ != f"InstanceNorm{dims}d" or not module.track_running_stats or module.training:
                fail(f"{layout} {dtype}: {module!r} is not an InstanceNorm{dims}d in eval mode with running stats")
            if sorted(module.state_dict()) != ["num_batches_tracked", "running_mean", "running_var"]:
                fail(f"{layout} {dtype}: state dict {sorted(module.state_dict())}")
            if dtype == "f64" and (module.running_mean.tolist() != stats["running_mean"]
                                   or module.running_var.tolist() != stats["running_var"]):
                fail(f"{layout} f64: the buffers are not the stats file's doubles")
            with torch.no_grad():
                got = module(torch.tensor(x, dtype=module.running_mean.dtype)).double().numpy()
            check_close(np, f"{layout} {dtype} InstanceNorm{dims}d eval vs transform", got, want, tol, tol * 10)
            print(f"ok {layout} {dtype}: InstanceNorm{dims}d loads strictly, eval reproduces transform")
        strict = getattr(torch.nn, f"InstanceNorm{dims}d")(shape[1], track_running_stats=True, dtype=torch.float64)
        strict.load_state_dict(read_safetensors(base + ".safetensors", np, torch), strict=True)
        if strict.running_var.tolist() != stats["running_var"] or int(strict.num_batches_tracked) != 0:
            fail(f"{layout} safetensors: buffers differ from the stats file")
        print(f"ok {layout}: running statistics equal torch's training; safetensors loads strictly")


# inert: hostile strings in a stats file stay data in every export.

def input_strings(path):
    """The names, labels, source and params strings of the stats file tests/test-export-hostile.c wrote."""
    with open(path, encoding="utf-8") as f:
        stats = json.load(f)
    return {
        "method": stats["method"],
        "names": [c["name"] for c in stats["columns"]],
        "labels": stats["labels"],
        "source": stats["source"]["file"],
        "params": {k: v for k, v in stats["params"].items() if isinstance(v, str)},
        "fields": sorted({k for c in stats["columns"] for k in c} - {"name"}),
    }


def expect_equal(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, expected {want!r}")


def blank_constants(tree):
    """The AST's shape: every constant blanked, so only code the payload introduced can differ."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.value = None
    return ast.dump(tree)


def call_names(tree):
    return sorted(ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call))


def python_names(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "names":
            return ast.literal_eval(node.value)
    fail("no names = [...] list")


def check_python_inert(path, clean_path, strings):
    data = open(path, "rb").read()
    if not data.isascii():
        fail(f"{path}: not ASCII (a bidi control or raw byte from the input reached the code)")
    for line in data.split(b"\n")[:2]:
        if re.search(rb"coding[:=]", line):
            fail(f"{path}: a PEP 263 coding declaration on line 1 or 2: {line!r}")
    # From bytes, so Python honours any coding comment as it would when it runs the file.
    tree = ast.parse(data, path)
    clean = ast.parse(open(clean_path, "rb").read(), clean_path)
    expect_equal(f"{path}: names", python_names(tree), strings["names"])
    expect_equal(f"{path}: calls", call_names(tree), call_names(clean))
    if blank_constants(tree) != blank_constants(clean):
        fail(f"{path}: the code differs from the clean file's beyond its constants")


def c_compiler():
    return shutil.which(os.environ.get("CC") or "cc") or shutil.which("cc")


def check_c_header_inert(path, strings):
    text = open(path, "rb").read()
    if not text.isascii():
        fail(f"{path}: not ASCII")
    declared = re.findall(rb"\b(?:double|float|char \*const|void) (\w+)", text)
    declared += re.findall(rb"#define (\w+)", text)
    for name in declared:
        if not re.fullmatch(rb"[A-Za-z][A-Za-z0-9_]*", name) or b"__" in name:
            fail(f"{path}: identifier {name!r} is not a plain C identifier")
    names = re.search(rb"static const char \*const (\w+)\[", text).group(1).decode()
    cc = c_compiler()
    if cc is None:
        print(f"no C compiler: {path} not compiled")
        return
    with tempfile.TemporaryDirectory() as work:
        main = os.path.join(work, "main.c")
        with open(main, "w") as f:
            f.write(f'#include <stdio.h>\n#include "{os.path.abspath(path)}"\n'
                    f"int main (void) {{ for (int i = 0; i < (int) (sizeof {names} / sizeof *{names}); i++) "
                    f'{{ for (const char *p = {names}[i]; *p; p++) printf ("%02x", (unsigned char) *p); '
                    'printf ("\\n"); } return 0; }\n')
        flags = ["-std=c99", "-trigraphs", "-Wall", "-Wextra", "-Werror", "-pedantic"]
        subprocess.run([cc, *flags, "-fsyntax-only", "-x", "c", path], check=True)
        subprocess.run([cc, *flags, "-o", os.path.join(work, "names"), main, "-lm"], check=True)
        out = subprocess.run([os.path.join(work, "names")], check=True, capture_output=True, text=True)
    got = [bytes.fromhex(line).decode("utf-8") for line in out.stdout.splitlines()]
    expect_equal(f"{path}: names", got, strings["names"])


def check_safetensors_inert(path, strings):
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    metadata = json.loads(data[8:8 + length].decode("utf-8"))["__metadata__"]
    expect_equal(f"{path}: method", metadata["method"], strings["method"])
    expect_equal(f"{path}: names", json.loads(metadata["names"]), strings["names"])
    expect_equal(f"{path}: source", json.loads(metadata["source"])["file"], strings["source"])
    params = {k: v for k, v in json.loads(metadata["params"]).items() if isinstance(v, str)}
    expect_equal(f"{path}: params", params, strings["params"])


def check_csv_inert(path, strings):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        fail(f"{path}: rows of different lengths")
    expect_equal(f"{path}: names", [row[0] for row in rows[1:]], strings["names"])
    expect_equal(f"{path}: method", {row[8] for row in rows[1:]}, {strings["method"]})
    expect_equal(f"{path}: header", sorted(rows[0][1:]), sorted(set(strings["fields"]) | {"std", "method"}))


def check_npz_inert(path, strings, np):
    for member in zipfile.ZipFile(path).namelist():
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*\.npy", member):
            fail(f"{path}: member name {member!r} is not a plain file name")
    with np.load(path) as npz:
        expect_equal(f"{path}: names", npz["names"].tolist(), strings["names"])


def check_stats_inert(path, strings):
    expect_equal(f"{path}: strings read back", input_strings(path), strings)


def check_onnx_inert(path, clean_path):
    """No string of the stats file reaches the model: it is the clean twin's, byte for byte."""
    with open(path, "rb") as f, open(clean_path, "rb") as g:
        expect_equal(f"{path}: ONNX model", f.read(), g.read())


def check_inert(directory):
    np = need("numpy", "python3-numpy")
    for case in load_cases(directory):
        hostile, clean = case["hostile"], case["clean"]
        strings = input_strings(hostile["input"])
        for fmt in ("keras", "torch", "sklearn", "torchvision"):
            check_python_inert(hostile[fmt], clean[fmt], strings)
        check_onnx_inert(hostile["onnx"], clean["onnx"])
        check_c_header_inert(hostile["c-header"], strings)
        check_safetensors_inert(hostile["safetensors"], strings)
        check_csv_inert(hostile["csv"], strings)
        check_npz_inert(hostile["npz"], strings, np)
        check_stats_inert(hostile["stats"], strings)
        print(f"ok {case['method']}: hostile strings stay data in every export")


def read_numbers_csv(np, path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    keep = [i for i, name in enumerate(header) if name != "kind"]
    values = [[float(row[i]) if row[i] not in ("", "nan") else float("nan") for i in keep]
              for row in rows[1:]]
    return [header[i] for i in keep], np.array(values, dtype=np.float64)


def check_sklearn_family(directory):
    """Each case of tests/data/sklearn-family: the exported fitted object, loaded by the real
    scikit-learn, transforms and inverts test.csv as scikit-learn's own fit does, bit for bit
    (NumPy's AVX-512 kernels off, as tests/gen-sklearn-family.py runs), and the npz holds the
    fitted arrays under scikit-learn's names."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from glibc_numpy import use_glibc_math
    use_glibc_math()
    np = need("numpy", "python3-numpy")
    need("sklearn", "python3-sklearn")
    data = os.path.join(os.environ["NS_TEST_DATA"], "sklearn-family")
    _, test = read_numbers_csv(np, os.path.join(data, "test.csv"))
    with open(os.path.join(data, "cases.txt"), encoding="utf-8") as f:
        cases = [line.rstrip("\n").split("|") for line in f if line.strip()]
    for name, fit_args, _ in cases:
        stats, snippet, npz = (os.path.join(directory, f"{name}{ext}") for ext in (".json", ".py", ".npz"))
        cli("fit", os.path.join(data, "train.csv"), *fit_args.split(), "-o", stats,
            "--export", f"sklearn:{snippet}", "--export", f"npz:{npz}")
        scaler = runpy.run_path(snippet)["scaler"]
        names, want = read_numbers_csv(np, os.path.join(data, f"{name}.transform.csv"))
        columns = ["income", "occupancy", "signed", "age"]
        x = np.ascontiguousarray(test[:, [columns.index(n) for n in names]])  # C order, as the vectors
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # feature_names_in_ set, rows without names
            out = scaler.transform(x)
            if hasattr(scaler, "inverse_transform"):
                back = scaler.inverse_transform(out)
        if not np.array_equal(out, want, equal_nan=True):
            fail(f"{name}: the exported {type(scaler).__name__} transforms differently")
        inverse = os.path.join(data, f"{name}.inverse.csv")
        if os.path.exists(inverse) and not np.array_equal(back, read_numbers_csv(np, inverse)[1],
                                                          equal_nan=True):
            fail(f"{name}: the exported {type(scaler).__name__} inverts differently")
        with open(os.path.join(data, f"{name}.fitted.json"), encoding="utf-8") as f:
            fitted = json.load(f)
        arrays = np.load(npz)
        for key, value in fitted.items():
            member = key if key in arrays.files else None
            if member is None or not np.array_equal(arrays[member], np.array(value)):
                fail(f"{name}: npz member {key} differs from scikit-learn's fitted {key}")
        print(f"ok {name}: fitted {type(scaler).__name__} and npz arrays match scikit-learn")


CHECKS = {
    "sklearn-family": check_sklearn_family,
    "syntax": check_syntax,
    "numpy": check_numpy,
    "torch-safetensors": check_torch_safetensors,
    "torch-snippet": check_torch_snippet,
    "sklearn-snippet": check_sklearn_snippet,
    "keras-snippet": check_keras_snippet,
    "inert": check_inert,
    "onnx": check_onnx,
    "torch-safetensors-layouts": check_torch_safetensors_layouts,
    "torchvision": check_torchvision,
    "instance-norm": check_instance_norm,
}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in CHECKS:
        print(f"usage: {sys.argv[0]} {{{','.join(CHECKS)}}} DIR", file=sys.stderr)
        sys.exit(2)
    CHECKS[sys.argv[1]](sys.argv[2])
