#!/usr/bin/python3
# gen-pernorm-vectors.py: conformance vectors for `normalize` (tests/data/pernorm/).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run with Debian's /usr/bin/python3 (python3-torch 1.13, numpy 1.24):
#   /usr/bin/python3 tests/gen-pernorm-vectors.py
# Outputs come from the real torch.nn.functional in float64 (batch_norm in training mode,
# layer_norm, instance_norm, group_norm) and torch.nn.InstanceNorm2d(track_running_stats=True);
# RMS norm, which torch 1.13 lacks, from torch.nn.RMSNorm's formula x * rsqrt(mean(x^2) + eps);
# layer norm over non-trailing axes from torch.var_mean. Statistics: torch.var_mean (biased).
# Each case's input is <name>.npy; vectors.json holds the options, outputs and statistics.
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "pernorm")
torch.set_default_dtype(torch.float64)
DBL_EPSILON = float(np.finfo(np.float64).eps)


def inputs():
    rng = np.random.RandomState(20261202)
    return {
        "nc": rng.normal(2, 3, (6, 4)),
        "ncl": rng.normal(-1, 0.5, (4, 6, 5)),
        "nchw": rng.normal(3, 1.5, (3, 6, 4, 5)),
        "ncdhw": rng.normal(0, 2, (2, 4, 3, 2, 3)),
        "nhwc": rng.normal(1, 1, (3, 4, 5, 6)),
        "large-mean": 1000 + rng.normal(0, 1, (4, 4, 3, 3)),
    }


def pooled_stats(x, dims):
    var, mean = torch.var_mean(x, dim=dims, unbiased=False)
    return mean, var


def per_group(x, groups):
    """x viewed as (N, G, rest) as torch's group_norm computes it."""
    return x.reshape(x.shape[0], groups, -1)


def layer_case(x, axes, eps):
    dims = tuple(axes)
    trailing = dims == tuple(range(x.dim() - len(dims), x.dim()))
    if trailing:
        y = F.layer_norm(x, x.shape[x.dim() - len(dims):], eps=eps)
    else:
        m = x.mean(dim=dims, keepdim=True)
        v = x.var(dim=dims, unbiased=False, keepdim=True)
        y = (x - m) * torch.rsqrt(v + eps)
    mean, var = pooled_stats(x, dims)
    return y, {"mean": mean, "variance": var}


def rms_case(x, axes, eps):
    dims = tuple(axes)
    ms = x.pow(2).mean(dim=dims, keepdim=True)
    y = x * torch.rsqrt(ms + eps)
    return y, {"mean_square": x.pow(2).mean(dim=dims)}


def channels_first(x, channel_axis):
    return x if channel_axis == 1 else torch.movedim(x, channel_axis, 1)


def channels_back(y, channel_axis):
    return y if channel_axis == 1 else torch.movedim(y, 1, channel_axis)


def instance_case(x, channel_axis, eps):
    xc = channels_first(x, channel_axis)
    y = F.instance_norm(xc, eps=eps)
    mean, var = pooled_stats(xc, tuple(range(2, xc.dim())))
    return channels_back(y, channel_axis), {"mean": mean, "variance": var}


def group_case(x, channel_axis, groups, eps):
    xc = channels_first(x, channel_axis)
    y = F.group_norm(xc, groups, eps=eps)
    mean, var = pooled_stats(per_group(xc, groups), (2,))
    return channels_back(y, channel_axis), {"mean": mean, "variance": var}


def batch_case(x, channel_axis, eps, batch_size, momentum):
    xc = channels_first(x, channel_axis)
    c = xc.shape[1]
    running_mean, running_var = torch.zeros(c), torch.ones(c)
    outs, means, variances = [], [], []
    dims = (0,) + tuple(range(2, xc.dim()))
    for start in range(0, xc.shape[0], batch_size):
        batch = xc[start:start + batch_size]
        mean, var = pooled_stats(batch, dims)
        means.append(mean)
        variances.append(var)
        outs.append(F.batch_norm(batch, running_mean, running_var, training=True,
                                 momentum=momentum, eps=eps))
    y = channels_back(torch.cat(outs), channel_axis)
    return y, {"mean": torch.stack(means), "variance": torch.stack(variances),
               "running_mean": running_mean, "running_var": running_var}


def instance_running_case(x, eps, batch_size, momentum):
    layer = torch.nn.InstanceNorm2d(x.shape[1], eps=eps, momentum=momentum,
                                    track_running_stats=True).double().train()
    outs = [layer(x[start:start + batch_size]) for start in range(0, x.shape[0], batch_size)]
    mean, var = pooled_stats(x, (2, 3))
    return torch.cat(outs), {"mean": mean, "variance": var,
                             "running_mean": layer.running_mean.clone(),
                             "running_var": layer.running_var.clone(),
                             "num_batches_tracked": int(layer.num_batches_tracked)}


def cases():
    c = []
    for name in ("nc", "ncl", "nchw", "ncdhw"):
        rank = len(inputs()[name].shape)
        c.append(dict(name=name + "-batch", input=name, layer="batch", eps=1e-5))
        c.append(dict(name=name + "-layer", input=name, layer="layer", eps=1e-5,
                      normalized_axes=list(range(1, rank))))
        c.append(dict(name=name + "-rms", input=name, layer="rms", eps=DBL_EPSILON,
                      normalized_axes=list(range(1, rank))))
        c.append(dict(name=name + "-group", input=name, layer="group", eps=1e-5, groups=2))
        if rank > 2:
            c.append(dict(name=name + "-instance", input=name, layer="instance", eps=1e-5))
    c += [
        dict(name="nchw-batch-b2", input="nchw", layer="batch", eps=1e-5, batch_size=2),
        dict(name="nchw-group-1", input="nchw", layer="group", eps=1e-5, groups=1),
        dict(name="nchw-group-6", input="nchw", layer="group", eps=1e-5, groups=6),
        dict(name="nchw-group-3-eps", input="nchw", layer="group", eps=0.25, groups=3),
        dict(name="nchw-layer-last", input="nchw", layer="layer", eps=1e-3, normalized_axes=[3],
             preset="keras"),
        dict(name="nchw-layer-1-2", input="nchw", layer="layer", eps=1e-5, normalized_axes=[1, 2]),
        dict(name="nchw-instance-running", input="nchw", layer="instance", eps=1e-5,
             track_running_stats=True, momentum=0.1, batch_size=2),
        dict(name="nhwc-instance", input="nhwc", layer="instance", eps=1e-5, channel_axis=-1),
        dict(name="nhwc-batch", input="nhwc", layer="batch", eps=1e-5, channel_axis=-1),
        dict(name="nhwc-group", input="nhwc", layer="group", eps=1e-3, groups=3, channel_axis=-1,
             preset="keras"),
        dict(name="nhwc-layer-keras", input="nhwc", layer="layer", eps=1e-3, normalized_axes=[3],
             preset="keras"),
        dict(name="nhwc-rms-keras", input="nhwc", layer="rms", eps=1e-6, normalized_axes=[3],
             preset="keras"),
        dict(name="large-mean-layer", input="large-mean", layer="layer", eps=1e-5,
             normalized_axes=[1, 2, 3]),
        dict(name="large-mean-group", input="large-mean", layer="group", eps=1e-5, groups=2),
    ]
    return c


def compute(case, x):
    kind, eps = case["layer"], case["eps"]
    axis = case.get("channel_axis", 1)
    axis = axis if axis >= 0 else x.dim() + axis
    if case.get("track_running_stats"):
        return instance_running_case(x, eps, case["batch_size"], case["momentum"])
    if kind == "batch":
        return batch_case(x, axis, eps, case.get("batch_size", x.shape[0]), 0.1)
    if kind == "layer":
        return layer_case(x, case["normalized_axes"], eps)
    if kind == "rms":
        return rms_case(x, case["normalized_axes"], eps)
    if kind == "instance":
        return instance_case(x, axis, eps)
    return group_case(x, axis, case["groups"], eps)


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def main():
    os.makedirs(OUT, exist_ok=True)
    arrays = inputs()
    for name, array in arrays.items():
        np.save(os.path.join(OUT, name + ".npy"), array)
    out = []
    for case in cases():
        x = torch.from_numpy(arrays[case["input"]])
        y, stats = compute(case, x)
        entry = dict(case, shape=list(x.shape), output=flat(y))
        for key, value in stats.items():
            entry[key] = value if isinstance(value, int) else flat(value)
            if key in ("mean", "variance", "mean_square"):
                entry["statistics_shape"] = list(value.shape)
        out.append(entry)
    with open(os.path.join(OUT, "vectors.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": out}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
