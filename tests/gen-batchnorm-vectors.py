#!/usr/bin/python3
# gen-batchnorm-vectors.py: conformance vectors for the batch-norm simulator (tests/data/batchnorm/).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run with Debian's /usr/bin/python3 (python3-torch 1.13, numpy 1.24):
#   /usr/bin/python3 tests/gen-batchnorm-vectors.py
# PyTorch vectors come from torch.nn.BatchNorm1d/2d in float64. Keras, keras-fused and Flax are not
# installed, so their vectors come from their update rules re-implemented in numpy, as cited below.
# The float32 cases ("cases_f32", --dtype f32) come from torch.nn.BatchNorm1d/2d in float32 on one
# thread (the (N, C) stats kernel splits the rows between threads) and from Flax's rule in numpy
# float32.
import json
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "batchnorm")
torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def fixtures():
    rng = np.random.RandomState(20240501)
    n = 60  # n % 2, n % 7, n % 32 are never 1: no batch of one without drop_last
    table = np.column_stack([rng.normal(5, 2, n), rng.uniform(0, 100, n), 1000 + rng.normal(0, 1, n)])
    tensor = rng.normal(3, 1.5, (12, 2, 3, 2))
    return table, tensor


def batches(n, batch_size, drop_last):
    out = []
    for start in range(0, n, batch_size):
        size = min(batch_size, n - start)
        if size < batch_size and drop_last:
            break
        out.append((start, size))
    return out


def columns_of(x):
    """Per channel, the values in the simulator's order (sample, then spatial position)."""
    if x.ndim == 2:
        return [x[:, c].tolist() for c in range(x.shape[1])]
    return [np.ascontiguousarray(x[:, c]).reshape(-1).tolist() for c in range(x.shape[1])]


def torch_case(name, x, batch_size, momentum, drop_last, epochs, gamma=1.0, beta=0.0, f32=False):
    """f32: the module and its input in float32, running statistics only (no outputs)."""
    dtype = torch.float32 if f32 else torch.float64
    module = (torch.nn.BatchNorm1d if x.ndim == 2 else torch.nn.BatchNorm2d)(x.shape[1], momentum=momentum,
                                                                            dtype=dtype)
    x = x.astype(np.float32) if f32 else x
    with torch.no_grad():
        module.weight.fill_(gamma)
        module.bias.fill_(beta)
    module.train()
    plan = batches(x.shape[0], batch_size, drop_last)
    steps, trains = [], []
    record = set() if f32 else {1, len(plan)}
    for _ in range(epochs):
        for start, size in plan:
            with torch.no_grad():
                y = module(torch.from_numpy(x[start:start + size]))
            steps.append({"running_mean": module.running_mean.tolist(),
                          "running_var": module.running_var.tolist()})
            if len(steps) in record:
                trains.append({"step": len(steps), "first": start, "rows": size,
                               "output": columns_of(y.numpy())})
    case = {"name": name, "data": "table" if x.ndim == 2 else "tensor", "preset": "pytorch",
            "batch_size": batch_size, "momentum": momentum, "drop_last": drop_last, "epochs": epochs,
            "gamma": gamma, "beta": beta, "steps": steps, "train": trains,
            "num_batches_tracked": int(module.num_batches_tracked)}
    if f32:
        case["dtype"] = "f32"
        return case
    module.eval()
    with torch.no_grad():
        case["eval"] = columns_of(module(torch.from_numpy(x)).numpy())
    return case


def readme_snippet():
    """The README's DataLoader-order snippet, so the order used here is the one it documents."""
    readme = open(os.path.join(os.path.dirname(OUT), "..", "..", "README.md")).read()
    block = readme.split("<!-- dataloader-order-snippet -->")[1].split("<!-- end-dataloader-order")[0]
    code = block.split("```python\n")[1].split("```")[0]
    namespace = {}
    exec(compile(code.replace('np.save("order.npy"', '_unused = ("order.npy"'), "README.md", "exec"),
         namespace)
    return namespace["dataloader_order"]


def dataloader_case(name, x, batch_size, seed, epochs, drop_last):
    """A real DataLoader(shuffle=True, generator=manual_seed(seed)) feeding BatchNorm1d in training
    mode; the order comes from the README's snippet and is checked against the batches trained on."""
    order = readme_snippet()(x.shape[0], batch_size, seed, epochs)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(x)),
                                         batch_size=batch_size, shuffle=True, drop_last=drop_last,
                                         generator=torch.Generator().manual_seed(seed))
    module = torch.nn.BatchNorm1d(x.shape[1], momentum=0.1)
    module.train()
    steps = []
    for epoch in range(epochs):
        at = 0
        for (b,) in loader:
            assert np.array_equal(b.numpy(), x[order[epoch, at:at + len(b)]])
            at += len(b)
            with torch.no_grad():
                module(b)
            steps.append({"running_mean": module.running_mean.tolist(),
                          "running_var": module.running_var.tolist()})
    return {"name": name, "batch_size": batch_size, "seed": seed, "epochs": epochs,
            "drop_last": drop_last, "order": order.tolist(), "steps": steps,
            "num_batches_tracked": int(module.num_batches_tracked)}


def decay_ema(state, value, decay):
    # keras/src/layers/normalization/batch_normalization.py (keras-team/keras 3422977a5e38), call():
    #   moving_mean * self.momentum + mean * (1.0 - self.momentum)
    # flax/linen/normalization.py (google/flax 18f8f311c275), BatchNorm.__call__:
    #   ra_mean.value = self.momentum * ra_mean.value + (1 - self.momentum) * mean
    return state * decay + value * (1.0 - decay)


def batch_moments(x, fast):
    mean = x.mean(axis=0)
    if fast:
        # flax/linen/normalization.py _compute_stats, use_fast_variance=True:
        #   mean2 = mean(_abs_sq(x)); var = maximum(0., mean2 - _abs_sq(mean))
        return mean, np.maximum(0.0, (x * x).mean(axis=0) - mean * mean)
    # tf.nn.moments / ops.moments: mean of squared deviations (biased)
    return mean, ((x - mean) ** 2).mean(axis=0)


def normalize(x, mean, var, eps, gamma, beta, flax):
    if flax:
        # flax _normalize: y = (x - mean) * (rsqrt(var + eps) * scale) + bias
        return (x - mean) * ((1.0 / np.sqrt(var + eps)) * gamma) + beta
    # keras ops.batch_normalization (numpy/jax backends): inv = rsqrt(var + eps) * gamma;
    # x * inv + (beta - mean * inv)
    inv = (1.0 / np.sqrt(var + eps)) * gamma
    return x * inv + (beta - mean * inv)


def decay_case(name, preset, x, batch_size, decay, drop_last, epochs, columns=None):
    x = x if columns is None else x[:, columns]
    eps = {"keras": 1e-3, "keras-fused": max(1e-3, 1.001e-5), "flax": 1e-5}[preset]
    # keras-fused: tensorflow/core/kernels/fused_batch_norm_op.cc returns batch_var * n / (n - 1)
    # and Keras 2 keeps it (_bessels_correction_test_only); nn_impl.py raises eps to >= 1.001e-5.
    unbiased, flax = preset == "keras-fused", preset == "flax"
    mm, mv = np.zeros(x.shape[1]), np.ones(x.shape[1])
    plan = batches(x.shape[0], batch_size, drop_last)
    steps, trains = [], []
    for _ in range(epochs):
        for start, size in plan:
            b = x[start:start + size]
            mean, var = batch_moments(b, flax)
            # fused_batch_norm_op.cc corrects by n / max(n - 1, 1): a one-row batch feeds 0.
            feed = var * size / max(size - 1, 1) if unbiased else var
            mm, mv = decay_ema(mm, mean, decay), decay_ema(mv, feed, decay)
            steps.append({"running_mean": mm.tolist(), "running_var": mv.tolist()})
            if len(steps) == len(plan):
                trains.append({"step": len(steps), "first": start, "rows": size,
                               "output": columns_of(normalize(b, mean, var, eps, 1.0, 0.0, flax))})
    return {"name": name, "data": "table", "columns": columns, "preset": preset,
            "batch_size": batch_size, "momentum": decay, "drop_last": drop_last, "epochs": epochs,
            "gamma": 1.0, "beta": 0.0, "steps": steps, "train": trains,
            "eval": columns_of(normalize(x, mm, mv, eps, 1.0, 0.0, flax)),
            "num_batches_tracked": len(steps)}


def flax32_case(name, x, batch_size, decay, epochs):
    """Flax BatchNorm on float32 data, in numpy float32. flax/linen/normalization.py (google/flax
    18f8f311c275) _compute_stats, use_fast_variance=True: mean = mean(x); mean2 = mean(_abs_sq(x));
    var = maximum(0., mean2 - _abs_sq(mean)), in float32 for float32 input; the sums are taken in
    order (np.add.accumulate), as normscope's float32 simulation does. BatchNorm.__call__:
    ra_mean.value = self.momentum * ra_mean.value + (1 - self.momentum) * mean, in float32."""
    f = np.float32
    x = x.astype(f)
    mm, mv = np.zeros(x.shape[1], f), np.ones(x.shape[1], f)
    old, new = f(decay), f(1 - decay)
    steps = []
    for _ in range(epochs):
        for start, size in batches(x.shape[0], batch_size, False):
            b = x[start:start + size]
            mean = np.add.accumulate(b, axis=0, dtype=f)[-1] / f(size)
            mean2 = np.add.accumulate(b * b, axis=0, dtype=f)[-1] / f(size)
            var = np.maximum(f(0), mean2 - mean * mean)
            mm, mv = old * mm + new * mean, old * mv + new * var
            steps.append({"running_mean": mm.tolist(), "running_var": mv.tolist(),
                          "batch_var": var.tolist()})
    return {"name": name, "data": "values", "values": columns_of(x.astype(float)), "preset": "flax",
            "dtype": "f32", "batch_size": batch_size, "momentum": decay, "drop_last": False,
            "epochs": epochs, "gamma": 1.0, "beta": 0.0, "steps": steps, "train": [],
            "var_float64": x.astype(float).var(axis=0).tolist(), "num_batches_tracked": len(steps)}


def f32_cases(table, tensor):
    cases = [torch_case("torch1d-f32-b%d-m%s-e%d" % (b, m, e), table, b, m, False, e, f32=True)
             for b, m, e in ((2, 0.1, 3), (7, 0.01, 2), (32, None, 3), (60, 0.1, 2))]
    cases.append(torch_case("torch2d-f32-b7-m0.1-e2", tensor, 7, 0.1, False, 2, f32=True))
    cases.append(flax32_case("flax-f32-table", table[:, :2], 7, 0.99, 2))
    # 1e4 + N(0, 1): in float32 the ulp of x^2 is 8, and the fast variance of this batch is 8 where
    # the data's variance is 1.05 (seed chosen for the demo's round numbers).
    demo = (1e4 + np.random.RandomState(98).normal(0, 1, (64, 1))).astype(np.float32)
    cases.append(flax32_case("flax-f32-cancellation", demo, 64, 0.99, 2))
    assert cases[-1]["steps"][0]["batch_var"] == [8.0]
    assert abs(cases[-1]["var_float64"][0] - 1.054) < 1e-3
    return cases


def variants_case(x, batch_size, momentum, window):
    """The moving-average variants fed PyTorch's unbiased batch variance (pytorch preset)."""
    d = 1.0 - momentum
    plan = batches(x.shape[0], batch_size, False)
    init = lambda v: (np.full(x.shape[1], v[0]), np.full(x.shape[1], v[1]))
    hid_m, hid_v = init((0.0, 0.0))
    cum_m, cum_v = init((0.0, 1.0))
    wu_m, wu_v = init((0.0, 1.0))
    means, vars_, seen, out = [], [], [], []
    for t, (start, size) in enumerate(plan, start=1):
        b = x[start:start + size]
        mean, feed = b.mean(axis=0), b.var(axis=0, ddof=1)
        # tensorflow/python/training/moving_averages.py assign_moving_average(zero_debias=True):
        #   biased -= (biased - value) * (1 - decay); variable = biased / (1 - decay ** t)
        hid_m, hid_v = hid_m - (hid_m - mean) * (1 - d), hid_v - (hid_v - feed) * (1 - d)
        # torch batchnorm.py, momentum=None: exponential_average_factor = 1 / num_batches_tracked
        f = 1.0 / t
        cum_m, cum_v = cum_m * (1 - f) + mean * f, cum_v * (1 - f) + feed * f
        # tf.train.ExponentialMovingAverage(num_updates): decay = min(decay, (1 + n) / (10 + n)),
        # n = updates before this one
        dt = min(d, (1.0 + (t - 1)) / (10.0 + (t - 1)))
        wu_m, wu_v = wu_m - (wu_m - mean) * (1 - dt), wu_v - (wu_v - feed) * (1 - dt)
        means.append(mean)
        vars_.append(feed)
        seen.append(b)
        pooled = np.concatenate(seen)
        out.append({"ema_debiased_mean": (hid_m / (1 - d ** t)).tolist(),
                    "ema_debiased_var": (hid_v / (1 - d ** t)).tolist(),
                    "cumulative_mean": cum_m.tolist(), "cumulative_var": cum_v.tolist(),
                    "warmup_mean": wu_m.tolist(), "warmup_var": wu_v.tolist(),
                    "window_mean": np.mean(means[-window:], axis=0).tolist(),
                    "window_var": np.mean(vars_[-window:], axis=0).tolist(),
                    "exact_mean": pooled.mean(axis=0).tolist(),
                    "exact_var": pooled.var(axis=0, ddof=1).tolist()})
    return {"name": "variants", "batch_size": batch_size, "momentum": momentum, "window": window,
            "steps": out}


def renorm_case(x, batch_size, momentum, eps, rmax, dmax):
    """Batch Renormalization (Ioffe 2017, arXiv:1702.03275, Algorithm 1) with the moving mu and
    sigma updated at the preset's rate (alpha = momentum, weight of the new batch), in the paper's
    form; tf.keras' rule (tf_renorm_case) with renorm_momentum = momentum and symmetric clipping is
    the same arithmetic up to rounding."""
    mu, sigma = np.zeros(x.shape[1]), np.ones(x.shape[1])
    steps = []
    for start, size in batches(x.shape[0], batch_size, False):
        b = x[start:start + size]
        mean, var = b.mean(axis=0), b.var(axis=0)
        sigma_b = np.sqrt(var + eps)
        r = np.clip(sigma_b / sigma, 1.0 / rmax, rmax)
        d = np.clip((mean - mu) / sigma, -dmax, dmax)
        y = ((b - mean) * (1.0 / sigma_b) * r + d)
        mu, sigma = mu * (1 - momentum) + mean * momentum, sigma * (1 - momentum) + sigma_b * momentum
        steps.append({"r": r.tolist(), "d": d.tolist(), "running_mean": mu.tolist(),
                      "running_var": np.maximum(0.0, sigma * sigma - eps).tolist(),
                      "first": start, "rows": size, "output": columns_of(y)})
    return {"name": "renorm", "batch_size": batch_size, "momentum": momentum, "eps": eps,
            "r_max": rmax, "d_max": dmax, "steps": steps,
            "eval": columns_of((x - mu) / sigma)}


def tf_renorm_case(name, x, batch_size, decay, renorm_decay, eps, clipping, epochs, gamma, beta,
                   preset="keras"):
    """tf.keras 2 BatchNormalization(renorm=True), rebuilt in numpy float64 from keras-team/keras
    v2.15.0 (601488fd4c14) keras/layers/normalization/batch_normalization.py, non-fused (renorm
    forbids fused, line 271):
      _renorm_correction_and_moments (lines 1052-1121): stddev = sqrt(variance + eps);
        renorm_stddev = maximum(self.renorm_stddev, sqrt(eps)); r = stddev / renorm_stddev;
        d = (mean - renorm_mean) / renorm_stddev; r = maximum(r, rmin); r = minimum(r, rmax);
        d = maximum(d, -dmax); d = minimum(d, dmax) (each only for a key present); then
        renorm_mean and renorm_stddev move at renorm_momentum;
      call() (lines 718-770): moving_mean moves at momentum, moving_stddev at momentum towards
        sqrt(new_variance + eps), moving_variance = relu(moving_stddev^2 - eps); the output is
        tf.nn.batch_normalization(x, mean, variance, offset=d*gamma + beta, scale=r*gamma, eps)
        (_compose_transforms, line 637): inv = rsqrt(var + eps) * scale; x * inv + (offset - mean * inv);
      _assign_moving_average (line 865): variable -= (variable - value) * (1 - momentum);
      moments: tf.nn.moments, the mean of squared deviations (biased).
    Initial values: moving_mean 0, moving_variance 1, moving_stddev = renorm_stddev = sqrt(1),
    renorm_mean 0 (build, lines 485-541)."""
    c = x.shape[1]
    mm, ms, mv = np.zeros(c), np.ones(c), np.ones(c)
    rmean, rstd = np.zeros(c), np.ones(c)
    steps, plan = [], batches(x.shape[0], batch_size, False)
    for _ in range(epochs):
        for start, size in plan:
            b = x[start:start + size]
            mean = b.mean(axis=0)
            var = ((b - mean) ** 2).mean(axis=0)
            stddev = np.sqrt(var + eps)
            ref = np.maximum(rstd, np.sqrt(eps))
            r, d = stddev / ref, (mean - rmean) / ref
            if "rmin" in clipping:
                r = np.maximum(r, clipping["rmin"])
            if "rmax" in clipping:
                r = np.minimum(r, clipping["rmax"])
            if "dmax" in clipping:
                d = np.minimum(np.maximum(d, -clipping["dmax"]), clipping["dmax"])
            rmean = rmean - (rmean - mean) * (1 - renorm_decay)
            rstd = rstd - (rstd - stddev) * (1 - renorm_decay)
            mm = mm - (mm - mean) * (1 - decay)
            ms = ms - (ms - stddev) * (1 - decay)
            mv = np.maximum(0.0, ms * ms - eps)
            inv = 1.0 / np.sqrt(var + eps) * (r * gamma)
            y = b * inv + ((d * gamma + beta) - mean * inv)
            steps.append({"r": r.tolist(), "d": d.tolist(), "running_mean": mm.tolist(),
                          "running_var": mv.tolist(), "renorm_moving_mean": rmean.tolist(),
                          "renorm_moving_std": rstd.tolist(), "moving_stddev": ms.tolist(),
                          "first": start, "rows": size, "output": columns_of(y)})
    inv = 1.0 / np.sqrt(mv + eps) * gamma
    return {"name": name, "preset": preset, "batch_size": batch_size, "momentum": decay,
            "renorm_momentum": renorm_decay, "eps": eps, "clipping": clipping, "epochs": epochs,
            "gamma": gamma, "beta": beta, "steps": steps,
            "eval": columns_of(x * inv + (beta - mm * inv))}


def tf_renorm_cases(table):
    """Each clipping key alone and together, a renorm momentum apart from the layer's, and the
    pytorch preset (its momentum 0.1 is TF's decay 0.9)."""
    return [tf_renorm_case("tf-renorm-rmax-dmax", table, 7, 0.99, 0.9, 1e-3,
                           {"rmax": 1.5, "dmax": 0.5}, 2, 1.5, -0.25),
            tf_renorm_case("tf-renorm-rmin", table, 16, 0.9, 0.99, 1e-3, {"rmin": 1.0}, 3, 1.0, 0.0),
            tf_renorm_case("tf-renorm-dmax", table, 5, 0.95, 0.5, 1e-3, {"dmax": 0.1}, 2, 1.0, 0.0),
            tf_renorm_case("tf-renorm-none", table, 7, 0.99, 0.99, 1e-3, {}, 2, 1.0, 0.0),
            tf_renorm_case("tf-renorm-all-pytorch", table, 7, 0.9, 0.7, 1e-5,
                           {"rmin": 0.8, "rmax": 1.25, "dmax": 0.3}, 2, 1.0, 0.0, preset="pytorch")]


def golden():
    """Section 12 of the normalization-semantics reference: batches of 3, 2, 4 rows."""
    b = [np.array([[1, 10], [2, 20], [4, 41]], float), np.array([[3, 30], [5, 52]], float),
         np.array([[7, 70], [0, 1], [6, 60], [2, 20]], float)]
    x = np.concatenate(b)
    result = {"rows": x.tolist(), "batch_sizes": [3, 2, 4]}
    for key, momentum in (("pytorch", 0.1), ("pytorch_cumulative", None)):
        bn = torch.nn.BatchNorm1d(2, momentum=momentum)
        bn.train()
        with torch.no_grad():
            for part in b:
                bn(torch.from_numpy(part))
        bn.eval()
        with torch.no_grad():
            y = bn(torch.from_numpy(x[:1])).numpy()[0]
        result[key] = {"running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist(),
                       "eval_first_row": y.tolist(), "num_batches_tracked": int(bn.num_batches_tracked)}
    mm, mv = np.zeros(2), np.ones(2)
    for part in b:
        mean, var = batch_moments(part, False)
        mm, mv = decay_ema(mm, mean, 0.99), decay_ema(mv, var, 0.99)
    result["keras"] = {"running_mean": mm.tolist(), "running_var": mv.tolist()}
    result["pooled"] = {"mean": x.mean(0).tolist(), "var": x.var(0).tolist(),
                        "var_unbiased": x.var(0, ddof=1).tolist()}
    # The reference's printed values (12 digits), as a check of this script.
    assert np.allclose(result["pytorch"]["running_var"], [2.189666666667, 149.477666666667], rtol=1e-11)
    assert np.allclose(result["pytorch"]["eval_first_row"], [0.051359832301, 0.050547572704], rtol=1e-10)
    assert np.allclose(result["pytorch_cumulative"]["running_var"], [5.083333333333, 519.75], rtol=1e-11)
    assert np.allclose(result["keras"]["running_var"], [1.07732, 11.805752], rtol=1e-6)
    return result


def write_csv(path, names, x):
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    table, tensor = fixtures()
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for batch_size in (2, 7, 32):
        for i, momentum in enumerate((0.1, 0.01, None)):
            drop_last = (batch_size + i) % 2 == 1
            epochs = 3 if i != 1 else 1
            cases.append(torch_case("torch1d-b%d-m%s-%s-e%d" % (batch_size, momentum,
                                    "drop" if drop_last else "keep", epochs),
                                    table, batch_size, momentum, drop_last, epochs))
    cases.append(torch_case("torch1d-affine", table, 7, 0.1, False, 1, gamma=1.5, beta=-0.25))
    cases.append(torch_case("torch2d-b2-m0.1", tensor, 2, 0.1, False, 1))
    cases.append(torch_case("torch2d-b7-mNone-e3", tensor, 7, None, False, 3))
    cases.append(torch_case("torch2d-b7-m0.01-drop-e2", tensor, 7, 0.01, True, 2))
    cases.append(decay_case("keras-b7", "keras", table, 7, 0.99, False, 2))
    cases.append(decay_case("keras-b32-m0.9-drop", "keras", table, 32, 0.9, True, 3))
    cases.append(decay_case("keras-fused-b7", "keras-fused", table, 7, 0.99, False, 2))
    cases.append(decay_case("flax-b7", "flax", table, 7, 0.99, False, 2, columns=[0, 1]))
    # A final batch of one row: Keras, TF's fused kernel and Flax train on it (variance 0).
    # (Flax's fast variance on column c, 1000 + N(0,1), cancels to ~1e-10: columns a and b only.)
    for preset in ("keras", "keras-fused", "flax"):
        cases.append(decay_case(preset + "-b59-last-row", preset, table, 59, 0.9, False, 2,
                                columns=[0, 1] if preset == "flax" else None))
    large = 1e8 + np.arange(8, dtype=float) / 4
    vectors = {
        "table": {"names": ["a", "b", "c"], "columns": columns_of(table)},
        "tensor": {"shape": list(tensor.shape), "values": tensor.reshape(-1).tolist()},
        "cases": cases,
        "cases_f32": f32_cases(table, tensor),
        "variants": variants_case(table, 7, 0.1, 4),
        "renorm": renorm_case(table, 7, 0.1, 1e-5, 1.5, 0.5),
        "tf_renorm": tf_renorm_cases(table),
        "dataloader": [dataloader_case("dataloader-b7-e3", table, 7, 20240611, 3, False),
                       dataloader_case("dataloader-b8-drop-e2", table, 8, 7, 2, True)],
        "golden": golden(),
        "large_mean": {"values": large.tolist(), "var": float(large.var())},
    }
    with open(os.path.join(OUT, "vectors.json"), "w") as f:
        json.dump(vectors, f, separators=(",", ":"))
    write_csv(os.path.join(OUT, "table.csv"), ["a", "b", "c"], table)
    np.save(os.path.join(OUT, "tensor-nchw.npy"), tensor)
    # The first DataLoader case's order as the CLI reads it: an int64 .npy and a text file.
    order = np.array(vectors["dataloader"][0]["order"], dtype=np.int64)
    np.save(os.path.join(OUT, "order-b7-e3.npy"), order)
    with open(os.path.join(OUT, "order-b7-e3.txt"), "w") as f:
        f.write("\n\n".join("\n".join(str(i) for i in epoch) for epoch in order) + "\n")


if __name__ == "__main__":
    main()
