#!/usr/bin/env python3
"""LossKit conformance-corpus generator for PyTorch (torch.nn losses).

Runs the real torch (2.15.0, CPU) on seeded random inputs and hand-picked edge
cases and writes one case file per loss under Tests/Fixtures/conformance/torch/.
Each case records the inputs exactly as fed (float32 values written as the exact
double of the float32), the loss as returned by `getattr(torch.nn, loss)(**ctor)(...)`
and the gradient of `output.sum()` with respect to y_pred -- or, when torch raises,
the exception and the LossKit error it maps to.

Mapping to the case format: y_pred is torch's `input` (`input1` for
MarginRankingLoss / CosineEmbeddingLoss, `anchor` for the triplet losses,
`log_probs` for CTCLoss); y_true is `target` (empty for the triplet losses).
Constructor arguments and the other forward tensors (`input2`, `var`, `positive`,
`negative`, `input_lengths`, `target_lengths`) are parameters under torch's names.

Usage (from the repository root):
    /work/venv-torch/bin/python Tools/conformance/generate_torch.py [--out DIR]
                                                                  [--allow-version-mismatch]
"""

import argparse
import os
import platform
import sys
import time
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import (  # noqa: E402
    balanced, bin_labels, case_id, check_versions, enc_params, enc_tensor, error, finish, int_labels, probs,
    record_outcome, seed_for, shape_tag as tag, simplex, spec, write_case_file)

SCRIPT = "Tools/conformance/generate_torch.py"
DEFAULT_OUT = "Tests/Fixtures/conformance"
FAMILY = "torch"
FW = "torch"
PINS = {"torch": "2.15.0", "numpy": "2.4.6"}  # must match requirements-torch.txt

REDUCTIONS = ["mean", "sum", "none"]
DTYPE_MIX = ["float32", "float32", "float64"]
F32 = np.float32

CTOR_TENSORS = {"weight", "pos_weight"}
# forward(...) arguments after y_pred, in order, per loss (y_true is "target").
FORWARD = {
    "MarginRankingLoss": ["input2", "target"],
    "CosineEmbeddingLoss": ["input2", "target"],
    "GaussianNLLLoss": ["target", "var"],
    "TripletMarginLoss": ["positive", "negative"],
    "TripletMarginWithDistanceLoss": ["positive", "negative"],
    "CTCLoss": ["target", "input_lengths", "target_lengths"],
}
INTEGER_EXTRAS = {"input_lengths", "target_lengths"}


def torch_dtype(dt):
    return torch.float32 if dt == "float32" else torch.float64


def np_dtype(dt):
    return np.float32 if dt == "float32" else np.float64


def cast(a, dt):
    a = np.asarray(a)
    if np.issubdtype(a.dtype, np.integer):
        return a.astype(np.int64)
    return a.astype(np_dtype(dt))


def run_case(loss, s, n):
    dt = s["dtype"]
    yp = cast(s["y_pred"], dt)
    yt = cast(s["y_true"], dt)
    params = {k: (cast(v, dt) if isinstance(v, np.ndarray) else v) for k, v in s["params"].items()}
    extras = {}
    for k, v in s["extra"].items():
        if isinstance(v, (float, int)) and not isinstance(v, bool) and k == "var":
            extras[k] = float(np_dtype(dt)(v))
        else:
            extras[k] = np.asarray(v).astype(np.int64) if k in INTEGER_EXTRAS else cast(v, dt)
    case = {
        "id": case_id(FW, loss, s["desc"], n),
        "framework": FW,
        "loss": loss,
        "params": enc_params({**params, **extras}),
        "y_true": enc_tensor(yt),
        "y_pred": enc_tensor(yp),
        "sample_weight": None,
        "dtype": dt,
    }

    def run():
        tdt = torch_dtype(dt)
        ctor = {k: (torch.tensor(v, dtype=tdt) if k in CTOR_TENSORS and v is not None else v) for k, v in params.items()}
        module = getattr(torch.nn, loss)(**ctor)
        x = torch.tensor(yp, dtype=tdt, requires_grad=True)
        target = torch.tensor(yt) if np.issubdtype(yt.dtype, np.integer) else torch.tensor(yt, dtype=tdt)
        args = [x]
        for name in FORWARD.get(loss, ["target"]):
            if name == "target":
                args.append(target)
            else:
                v = extras[name]
                args.append(v if isinstance(v, float) else torch.tensor(v))
        out = module(*args)
        out.sum().backward()
        grad = x.grad if x.grad is not None else torch.zeros_like(x)
        return out.detach().numpy(), grad.numpy()

    return record_outcome(case, s, run)


# ---------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------

def normal(rng, shape, scale=1.5):
    return rng.normal(0.0, scale, shape)


def signs(rng, shape):
    return np.where(rng.integers(0, 2, shape) == 1, 1.0, -1.0)


def log_simplex(rng, shape, axis=-1):
    return np.log(simplex(rng, shape, axis))


def legacy_variants():
    """(size_average, reduce) pairs and the reduction they stand for."""
    return [(None, False), (False, None), (True, False), (False, True), (True, True), (True, None)]


def with_legacy(params, sa, rd):
    """params plus the deprecated size_average / reduce arguments that are not None."""
    p = dict(params)
    if sa is not None:
        p["size_average"] = sa
    if rd is not None:
        p["reduce"] = rd
    return p


def sweep_plan(rng, n, reductions=REDUCTIONS):
    """n reductions and n dtypes, each balanced."""
    return balanced(rng, reductions, n), balanced(rng, DTYPE_MIX, n)


def reductions_sweep(rng, n, make, base_params=None, shapes=((4, 3),), legacy=True):
    """n random cases cycling the reductions, dtypes and shapes; `make(rng, shape)` ->
    (y_true, y_pred, extra, params)."""
    out = []
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = shapes[i % len(shapes)]
        yt, yp, extra, params = make(rng, shape)
        p = dict(base_params or {})
        p.update(params)
        p["reduction"] = reds[i]
        out.append(spec(f"sweep-{reds[i]}-{tag(shape)}", yt, yp, p, None, dts[i], extra=extra))
    if legacy:
        for sa, rd in legacy_variants():
            shape = shapes[0]
            yt, yp, extra, params = make(rng, shape)
            p = dict(base_params or {})
            p.update(params)
            p["reduction"] = "mean"
            out.append(spec(f"legacy-sa{sa}-reduce{rd}", yt, yp, with_legacy(p, sa, rd), None, "float32", extra=extra))
    return out


# ---------------------------------------------------------------------------
# Builders, one per loss
# ---------------------------------------------------------------------------

def build_l1(rng):
    make = lambda r, s: (normal(r, s), normal(r, s), {}, {})
    cs = reductions_sweep(rng, 14, make, shapes=[(4, 3), (2, 3, 4), (7,), (3, 20)])
    cs.append(spec("ties-zero-diff", [1.0, 2.0, -3.0, 0.5], [1.0, 2.5, -3.0, 0.0], {"reduction": "sum"}))
    cs.append(spec("broadcast-target-3x1", normal(rng, (3, 1)), normal(rng, (3, 4)), {"reduction": "mean"}))
    cs.append(spec("empty-mean-nan", np.zeros((0, 3)), np.zeros((0, 3)), {"reduction": "mean"}))
    cs.append(spec("nonfinite", [1.0, 0.0, 2.0], [np.nan, np.inf, -np.inf], {"reduction": "none"}))
    cs.append(spec("long-row-cascade", normal(rng, (300,)), normal(rng, (300,), 10), {"reduction": "mean"}))
    cs.append(spec("err-shape-mismatch", normal(rng, (3,)), normal(rng, (4,)), {},
                   error=error("shape_mismatch", "target")))
    return cs


def build_mse(rng):
    make = lambda r, s: (normal(r, s), normal(r, s), {}, {})
    cs = reductions_sweep(rng, 14, make, shapes=[(4, 3), (2, 3, 4), (7,), (3, 20)])
    cs.append(spec("broadcast-target-1x4", normal(rng, (1, 4)), normal(rng, (3, 4)), {"reduction": "sum"}))
    cs.append(spec("scalar", 0.5, 2.0, {}))
    cs.append(spec("empty-sum-zero", np.zeros((0,)), np.zeros((0,)), {"reduction": "sum"}))
    cs.append(spec("long-row-cascade", normal(rng, (1000,)), normal(rng, (1000,), 5), {"reduction": "mean"}))
    cs.append(spec("long-row-cascade-f64", normal(rng, (777,)), normal(rng, (777,), 5), {"reduction": "sum"}, None, "float64"))
    cs.append(spec("nonfinite", [1.0, 0.0], [np.nan, np.inf], {"reduction": "none"}))
    cs.append(spec("err-shape-mismatch", normal(rng, (2, 3)), normal(rng, (3, 2)), {},
                   error=error("shape_mismatch", "target")))
    return cs


def threshold_sweep(rng, n, name):
    """n random cases of HuberLoss / SmoothL1Loss cycling the reductions, dtypes, shapes
    and the threshold `name` (delta / beta)."""
    reds, dts = sweep_plan(rng, n)
    cs = []
    for i in range(n):
        shape = [(4, 3), (2, 3, 4), (9,)][i % 3]
        value = [1.0, 0.5, 2.0, 0.1][i % 4]
        cs.append(spec(f"sweep-{reds[i]}-{name}{value}-{tag(shape)}", normal(rng, shape), normal(rng, shape),
                       {"reduction": reds[i], name: value}, None, dts[i]))
    return cs


def build_huber(rng):
    cs = threshold_sweep(rng, 14, "delta")
    # |x - y| exactly delta: the kernel switches to the linear branch there.
    for dt in ("float32", "float64"):
        cs.append(spec("at-delta", [0.0, 0.0, 0.0, 0.0, 1.0], [1.0, -1.0, 0.5, 2.0, 1.0],
                       {"reduction": "none", "delta": 1.0}, None, dt))
        cs.append(spec("at-delta-sum", [0.0, 0.0, 0.0], [0.25, -0.25, 0.3], {"reduction": "sum", "delta": 0.25}, None, dt))
    cs.append(spec("broadcast", normal(rng, (4,)), normal(rng, (2, 4)), {}))
    cs.append(spec("err-delta-zero", [1.0], [2.0], {"delta": 0.0}, error=error("invalid_parameter", "delta")))
    cs.append(spec("err-delta-negative", [1.0], [2.0], {"delta": -1.0}, error=error("invalid_parameter", "delta")))
    return cs


def build_smooth_l1(rng):
    cs = threshold_sweep(rng, 12, "beta")
    for dt in ("float32", "float64"):
        cs.append(spec("at-beta", [0.0, 0.0, 0.0, 0.0, 1.0], [1.0, -1.0, 0.5, 2.0, 1.0],
                       {"reduction": "none", "beta": 1.0}, None, dt))
    cs.append(spec("beta-zero-is-l1", [0.0, 1.0, -1.0, 2.0], [0.0, 0.5, -1.0, -2.0], {"beta": 0.0, "reduction": "sum"}))
    cs.append(spec("beta-zero-mean", normal(rng, (3, 3)), normal(rng, (3, 3)), {"beta": 0.0}))
    for sa, rd in legacy_variants()[:3]:
        cs.append(spec(f"legacy-sa{sa}-reduce{rd}", normal(rng, (2, 3)), normal(rng, (2, 3)), with_legacy({"beta": 1.0}, sa, rd)))
    cs.append(spec("err-beta-negative", [1.0], [2.0], {"beta": -0.5}, error=error("invalid_parameter", "beta")))
    return cs


def build_bce(rng):
    cs = []
    # The motivating example: the -100 clamp gives 100/3 and a gradient of -1e12 at the 0.
    for red in REDUCTIONS:
        cs.append(spec(f"motivating-{red}", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {"reduction": red}))
    cs.append(spec("motivating-f64", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {}, None, "float64"))
    n = 12
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(4, 3), (2, 3, 4), (7,)][i % 3]
        p = {"reduction": reds[i]}
        if i % 2:
            w_shape = [shape, shape[-1:], (1,)][i % 3]
            p["weight"] = rng.uniform(0.2, 2.0, w_shape)
        yt = bin_labels(rng, shape) if i % 3 else rng.uniform(0, 1, shape)
        cs.append(spec(f"sweep-{reds[i]}-{tag(shape)}", yt, probs(rng, shape), p, None, dts[i]))
    edges = [0.0, 1.0, 1e-45, 1e-30, 1e-12, 0.5, 1 - 1e-7, float(np.nextafter(F32(1), F32(0)))]
    for dt in ("float32", "float64"):
        for y in (0.0, 1.0, 0.3):
            cs.append(spec(f"edges-y{y}", [y] * len(edges), edges, {"reduction": "none"}, None, dt))
    cs.append(spec("empty-mean-nan", np.zeros((0,)), np.zeros((0,)), {}))
    for sa, rd in legacy_variants()[:3]:
        cs.append(spec(f"legacy-sa{sa}-reduce{rd}", bin_labels(rng, (2, 3)), probs(rng, (2, 3)), with_legacy({}, sa, rd)))
    cs.append(spec("err-input-above-one", [1.0, 0.0], [1.5, 0.2], {}, error=error("invalid_value", "input")))
    cs.append(spec("err-input-negative", [1.0, 0.0], [-0.1, 0.2], {}, error=error("invalid_value", "input")))
    cs.append(spec("err-input-nan", [1.0, 0.0], [np.nan, 0.2], {}, error=error("invalid_value", "input")))
    cs.append(spec("err-target-above-one", [2.0, 0.0], [0.5, 0.2], {}, error=error("invalid_value", "target")))
    cs.append(spec("err-shape-mismatch", [1.0, 0.0, 1.0], [0.5, 0.2], {}, error=error("shape_mismatch", "target")))
    cs.append(spec("err-weight-shape", [1.0, 0.0, 1.0], [0.5, 0.2, 0.3], {"weight": np.ones(2)},
                   error=error("shape_mismatch", "weight")))
    return cs


def build_bce_logits(rng):
    cs = []
    cs.append(spec("motivating", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {}))
    # Docstring: 10 x 64 logits of 1.5, pos_weight ones: -log(sigmoid(1.5)) = 0.20...
    cs.append(spec("docstring-pos-weight", np.ones((10, 64)), np.full((10, 64), 1.5), {"pos_weight": np.ones(64)}))
    n = 15
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(4, 3), (2, 3, 4), (7,)][i % 3]
        p = {"reduction": reds[i]}
        if i % 3 == 1:
            p["pos_weight"] = rng.uniform(0.3, 4.0, shape[-1:])
        if i % 3 == 2:
            p["weight"] = rng.uniform(0.2, 2.0, shape[-1:])
        if i % 5 == 0:
            p["pos_weight"] = np.asarray([2.5])
            p["weight"] = rng.uniform(0.2, 2.0, shape)
        yt = bin_labels(rng, shape) if i % 2 else rng.uniform(0, 1, shape)
        cs.append(spec(f"sweep-{reds[i]}-{tag(shape)}", yt, normal(rng, shape, 3.0), p, None, dts[i]))
    logits = [-90.0, -17.0, -1.0, 0.0, 1.0, 17.0, 90.0, -np.inf, np.inf]
    for dt in ("float32", "float64"):
        cs.append(spec("saturated-y1", [1.0] * len(logits), logits, {"reduction": "none"}, None, dt))
        cs.append(spec("saturated-y0", [0.0] * len(logits), logits, {"reduction": "none", "pos_weight": np.asarray([3.0])}, None, dt))
    cs.append(spec("labels-outside-01", [2.0, -1.0, 0.5], [0.3, -0.2, 4.0], {"reduction": "sum"}))
    cs.append(spec("legacy-reduce-false", bin_labels(rng, (2, 3)), normal(rng, (2, 3)), {"reduce": False}))
    cs.append(spec("err-shape-mismatch", [1.0, 0.0, 1.0], [0.5, 0.2], {}, error=error("shape_mismatch", "target")))
    cs.append(spec("err-pos-weight-shape", np.ones((2, 3)), np.zeros((2, 3)), {"pos_weight": np.ones(4)},
                   error=error("shape_mismatch", "pos_weight")))
    return cs


def build_soft_margin(rng):
    make = lambda r, s: (signs(r, s), normal(r, s, 2.0), {}, {})
    cs = reductions_sweep(rng, 14, make, shapes=[(4, 3), (2, 3, 4), (7,)])
    for dt in ("float32", "float64"):
        cs.append(spec("overflow-large-margin", [1.0, -1.0, 1.0, -1.0, 1.0], [-90.0, 90.0, 0.0, -50.0, 30.0],
                       {"reduction": "none"}, None, dt))
    cs.append(spec("non-sign-targets", [0.5, 2.0, 0.0], [1.0, -1.0, 3.0], {"reduction": "sum"}))
    return cs


def build_multilabel_soft_margin(rng):
    cs = []
    n = 15
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(4, 3), (2, 5), (6,), (2, 3, 4)][i % 4]
        p = {"reduction": reds[i]}
        if i % 2:
            p["weight"] = rng.uniform(0.2, 2.0, shape[-1:])
        cs.append(spec(f"sweep-{reds[i]}-{tag(shape)}", bin_labels(rng, shape), normal(rng, shape, 3.0), p, None, dts[i]))
    for dt in ("float32", "float64"):
        cs.append(spec("saturated", [[1.0, 0.0, 1.0, 0.0]], [[-90.0, 90.0, 0.0, -17.0]], {"reduction": "none"}, None, dt))
    cs.append(spec("legacy-size-average-false", bin_labels(rng, (2, 3)), normal(rng, (2, 3)), {"size_average": False}))
    return cs


def build_poisson(rng):
    cs = []
    n = 16
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(4, 3), (2, 3, 4), (7,)][i % 3]
        log_input, full = bool(i % 2), bool((i // 2) % 2)
        y = rng.poisson(2.0, shape).astype(np.float64)
        x = normal(rng, shape, 1.0) if log_input else rng.uniform(0.05, 5.0, shape)
        p = {"reduction": reds[i], "log_input": log_input, "full": full}
        if i % 5 == 4:
            p["eps"] = 1e-3
        cs.append(spec(f"sweep-{reds[i]}-log{int(log_input)}-full{int(full)}", y, x, p, None, dts[i]))
    targets = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 10.0]
    for dt in ("float32", "float64"):
        for full in (False, True):
            cs.append(spec(f"targets-full{int(full)}", targets, np.full(len(targets), 0.7),
                           {"reduction": "none", "full": full}, None, dt))
            cs.append(spec(f"rate-zero-full{int(full)}", targets, np.zeros(len(targets)),
                           {"reduction": "none", "full": full, "log_input": False}, None, dt))
        cs.append(spec("extreme-log-input", [0.0, 1.0, 3.0, 2.0], [-90.0, 0.0, 90.0, 17.0], {"reduction": "none"}, None, dt))
    cs.append(spec("legacy-reduce-false", targets, np.full(len(targets), 0.2), {"reduce": False}))
    return cs


def build_gaussian(rng):
    cs = []
    n = 14
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(4, 3), (2, 3, 4), (5,)][i % 3]
        kind = i % 4
        if kind == 0:
            var = rng.uniform(0.1, 3.0, shape)
        elif kind == 1:
            var = rng.uniform(0.1, 3.0, shape[:-1])  # one dim short: unsqueezed
        elif kind == 2:
            v_shape = list(shape)
            v_shape[-1] = 1
            var = rng.uniform(0.1, 3.0, tuple(v_shape))
        else:
            var = float(rng.uniform(0.2, 2.0))
        if len(shape) == 1 and kind == 1:
            var = rng.uniform(0.1, 3.0, shape)
        p = {"reduction": reds[i], "full": bool(i % 2)}
        cs.append(spec(f"sweep-{reds[i]}-var{kind}-{tag(shape)}", normal(rng, shape), normal(rng, shape), p, None, dts[i],
                       extra={"var": var}))
    for dt in ("float32", "float64"):
        cs.append(spec("var-below-eps-clamped", [0.0, 1.0, 2.0, 0.5], [0.1, 0.5, 2.0, -1.0], {"reduction": "none"}, None, dt,
                       extra={"var": np.asarray([0.0, 1e-8, 1e-6, 2.0])}))
        cs.append(spec("eps-custom", [0.0, 1.0], [0.1, 0.5], {"reduction": "sum", "eps": 0.5}, None, dt,
                       extra={"var": np.asarray([0.1, 1.0])}))
    cs.append(spec("var-middle-dim-1", normal(rng, (2, 3, 4)), normal(rng, (2, 3, 4)), {}, extra={"var": rng.uniform(0.5, 2, (2, 1, 4))}))
    cs.append(spec("err-var-negative", [0.0, 1.0], [0.1, 0.5], {}, extra={"var": np.asarray([-1.0, 1.0])},
                   error=error("invalid_value", "var")))
    cs.append(spec("err-var-size", normal(rng, (2, 3, 4)), normal(rng, (2, 3, 4)), {}, extra={"var": np.ones((2, 1, 1))},
                   error=error("shape_mismatch", "var")))
    return cs


def build_kldiv(rng):
    cs = []
    n = 16
    reds, dts = sweep_plan(rng, n, ["mean", "sum", "none", "batchmean"])
    for i in range(n):
        shape = [(3, 5), (2, 3, 4), (6,)][i % 3]
        log_target = bool(i % 2)
        target = log_simplex(rng, shape) if log_target else simplex(rng, shape, axis=-1)
        cs.append(spec(f"sweep-{reds[i]}-log{int(log_target)}-{tag(shape)}", target, log_simplex(rng, shape),
                       {"reduction": reds[i], "log_target": log_target}, None, dts[i]))
    for dt in ("float32", "float64"):
        cs.append(spec("target-zero-and-one", [[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], np.log([[0.2, 0.7, 0.1], [0.3, 0.3, 0.4]]),
                       {"reduction": "batchmean"}, None, dt))
        cs.append(spec("log-target-neg-inf", [[-np.inf, 0.0]], [[-1.0, -0.5]], {"reduction": "sum", "log_target": True}, None, dt))
    cs.append(spec("negative-target-nan", [-0.5, 0.5], [-1.0, -1.0], {"reduction": "none"}))
    cs.append(spec("batchmean-scalar", 0.3, -1.2, {"reduction": "batchmean"}))
    cs.append(spec("legacy-size-average-false", simplex(rng, (2, 3)), log_simplex(rng, (2, 3)), {"size_average": False}))
    cs.append(spec("legacy-reduce-false", simplex(rng, (2, 3)), log_simplex(rng, (2, 3)), {"reduce": False}))
    return cs


def build_margin_ranking(rng):
    cs = []
    n = 14
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(6,), (4,), (3,)][i % 3]
        margin = [0.0, 0.5, 1.0, -0.2][i % 4]
        cs.append(spec(f"sweep-{reds[i]}-m{margin}", signs(rng, shape), normal(rng, shape), {"reduction": reds[i], "margin": margin},
                       None, dts[i], extra={"input2": normal(rng, shape)}))
    # Exactly at the margin: clamp_min has zero gradient there.
    for dt in ("float32", "float64"):
        cs.append(spec("tie-at-margin", [1.0, -1.0, 1.0, -1.0], [0.5, 0.0, 2.0, 1.0], {"reduction": "sum", "margin": 0.5},
                       None, dt, extra={"input2": np.asarray([1.0, 0.5, 2.5, 0.5])}))
    cs.append(spec("2d-inputs", signs(rng, (2, 3)), normal(rng, (2, 3)), {}, extra={"input2": normal(rng, (2, 3))}))
    cs.append(spec("legacy-reduce-false", signs(rng, (3,)), normal(rng, (3,)), {"reduce": False}, extra={"input2": normal(rng, (3,))}))
    cs.append(spec("err-dims", signs(rng, (3,)), normal(rng, (3,)), {}, extra={"input2": normal(rng, (1, 3))},
                   error=error("shape_mismatch", "input2")))
    return cs


def build_hinge_embedding(rng):
    make = lambda r, s: (signs(r, s), normal(r, s), {}, {"margin": float(r.choice([1.0, 0.5, 2.0]))})
    cs = reductions_sweep(rng, 14, make, shapes=[(4, 3), (7,), (2, 3, 2)])
    for dt in ("float32", "float64"):
        cs.append(spec("at-margin", [-1.0, -1.0, 1.0, -1.0], [1.0, 0.5, 1.0, 1.5], {"reduction": "none", "margin": 1.0}, None, dt))
    cs.append(spec("targets-not-pm1", [0.0, 2.0, 1.0, -1.0], [0.3, -0.4, 0.2, 0.1], {"reduction": "none"}))
    cs.append(spec("broadcast-target", [[1.0, -1.0, 1.0]], normal(rng, (2, 3)), {"reduction": "sum"}))
    return cs


def build_multilabel_margin(rng):
    cs = []
    # Docstring: x = [[0.1, 0.2, 0.4, 0.8]], y = [[3, 0, -1, 1]] -> 0.85
    cs.append(spec("docstring", int_labels([[3, 0, -1, 1]]), [[0.1, 0.2, 0.4, 0.8]], {}))
    n = 14
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        N, C = [(4, 5), (3, 4), (1, 6), (5, 3)][i % 4]
        t = np.full((N, C), -1, dtype=np.int64)
        for r in range(N):
            k = int(rng.integers(1, C))
            t[r, :k] = rng.permutation(C)[:k]
        cs.append(spec(f"sweep-{reds[i]}-{N}x{C}", t, normal(rng, (N, C)), {"reduction": reds[i]}, None, dts[i]))
    cs.append(spec("unbatched", int_labels([1, 2, -1, 0]), [0.3, 0.9, -0.2, 0.4], {"reduction": "none"}))
    cs.append(spec("no-targets", int_labels([[-1, 0, 1]]), [[0.1, 0.2, 0.3]], {"reduction": "sum"}))
    for dt in ("float32", "float64"):
        cs.append(spec("tie-at-margin", int_labels([[0, -1, 0]]), [[1.0, 0.0, 0.5]], {"reduction": "sum"}, None, dt))
    cs.append(spec("legacy-reduce-false", int_labels([[0, -1, 2]]), [[0.1, 0.5, 0.2]], {"reduce": False}))
    cs.append(spec("err-shape", int_labels([[0, 1]]), [[0.1, 0.2, 0.3]], {}, error=error("shape_mismatch", "target")))
    return cs


def build_multi_margin(rng):
    cs = []
    # Docstring: x = [[0.1, 0.2, 0.4, 0.8]], y = [3] -> 0.32...
    cs.append(spec("docstring", int_labels([3]), [[0.1, 0.2, 0.4, 0.8]], {}))
    n = 16
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        N, C = [(4, 5), (3, 4), (6, 3)][i % 3]
        p = {"reduction": reds[i], "p": [1, 2][i % 2], "margin": [1.0, 0.5, 2.0][i % 3]}
        if i % 4 >= 2:
            p["weight"] = rng.uniform(0.2, 2.0, C)
        cs.append(spec(f"sweep-{reds[i]}-p{p['p']}", rng.integers(0, C, N).astype(np.int64), normal(rng, (N, C)), p, None, dts[i]))
    for dt in ("float32", "float64"):
        cs.append(spec("tie-at-margin", int_labels([0, 1]), [[1.0, 0.0, 0.5], [0.0, 1.0, 0.0]], {"reduction": "sum"}, None, dt))
        cs.append(spec("tie-at-margin-p2", int_labels([0]), [[1.0, 0.0, 0.5]], {"reduction": "sum", "p": 2}, None, dt))
    cs.append(spec("unbatched", int_labels(2), [0.3, 0.9, -0.2, 0.4], {"reduction": "none"}))
    cs.append(spec("legacy-size-average-false", int_labels([0, 2]), normal(rng, (2, 3)), {"size_average": False}))
    cs.append(spec("err-p3", int_labels([0]), [[0.1, 0.2]], {"p": 3}, error=error("invalid_parameter", "p")))
    cs.append(spec("err-target-out-of-range", int_labels([0, 3]), normal(rng, (2, 3)), {}, error=error("label_out_of_range", "target")))
    cs.append(spec("err-weight-size", int_labels([0, 1]), normal(rng, (2, 3)), {"weight": np.ones(4)},
                   error=error("shape_mismatch", "weight")))
    return cs


def build_cosine_embedding(rng):
    cs = []
    n = 14
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        N, D = [(4, 3), (3, 8), (5, 2)][i % 3]
        margin = [0.0, 0.5, -0.3][i % 3]
        cs.append(spec(f"sweep-{reds[i]}-m{margin}", signs(rng, (N,)), normal(rng, (N, D)), {"reduction": reds[i], "margin": margin},
                       None, dts[i], extra={"input2": normal(rng, (N, D))}))
    for dt in ("float32", "float64"):
        # Zero vectors: the 1e-12 in each squared norm keeps the cosine finite (0).
        cs.append(spec("zero-vectors", [1.0, -1.0, 1.0], [[0.0, 0.0], [0.0, 0.0], [1.0, 2.0]], {"reduction": "none"}, None, dt,
                       extra={"input2": np.asarray([[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]])}))
        # cos exactly equal to the margin for y = -1 (parallel vectors: cos = 1).
        cs.append(spec("tie-at-margin", [-1.0, -1.0], [[1.0, 0.0], [2.0, 0.0]], {"reduction": "sum", "margin": 0.0}, None, dt,
                       extra={"input2": np.asarray([[0.0, 1.0], [0.0, 3.0]])}))
    cs.append(spec("unbatched", 1.0, [0.3, -0.2, 0.5], {}, extra={"input2": np.asarray([0.1, 0.4, -0.3])}))
    cs.append(spec("target-zero", [0.0, 1.0], normal(rng, (2, 3)), {"reduction": "none"}, extra={"input2": normal(rng, (2, 3))}))
    cs.append(spec("err-target-2d", np.ones((2, 1)), normal(rng, (2, 3)), {}, extra={"input2": normal(rng, (2, 3))},
                   error=error("shape_mismatch", "target")))
    return cs


def triplet_cases(rng, loss):
    cs = []
    n = 14
    reds, dts = sweep_plan(rng, n)
    empty = np.zeros((0,))
    for i in range(n):
        N, D = [(4, 3), (3, 10), (5, 2)][i % 3]
        p = {"reduction": reds[i], "margin": [1.0, 0.5, 2.0][i % 3], "swap": bool(i % 2)}
        if loss == "TripletMarginLoss":
            p["p"] = [2.0, 1.0, 3.0, 2.0][i % 4]
            if i % 5 == 4:
                p["eps"] = 1e-3
        a = normal(rng, (N, D))
        cs.append(spec(f"sweep-{reds[i]}", empty, a, p, None, dts[i],
                       extra={"positive": a + normal(rng, (N, D), 0.5), "negative": normal(rng, (N, D))}))
    for dt in ("float32", "float64"):
        a = np.asarray([[0.0, 0.0], [1.0, 1.0]])
        cs.append(spec("identical-points", empty, a, {"reduction": "none"}, None, dt,
                       extra={"positive": a.copy(), "negative": a.copy()}))
    # swap with a tie: d(a, n) == d(p, n) (minimum splits the gradient).
    cs.append(spec("swap-tie", empty, [[0.0, 0.0]], {"swap": True, "reduction": "sum"},
                   extra={"positive": np.asarray([[2.0, 0.0]]), "negative": np.asarray([[1.0, 5.0]])}))
    cs.append(spec("unbatched", empty, [0.3, -0.2, 0.5], {}, extra={"positive": np.asarray([0.1, 0.4, -0.3]),
                                                                       "negative": np.asarray([1.0, 0.0, 0.0])}))
    cs.append(spec("err-margin-zero", empty, [[0.3]], {"margin": 0.0},
                   extra={"positive": np.asarray([[0.1]]), "negative": np.asarray([[1.0]])},
                   error=error("invalid_parameter", "margin")))
    cs.append(spec("err-dims", empty, [[0.3, 0.1]], {}, extra={"positive": np.asarray([0.1, 0.2]), "negative": np.asarray([[1.0, 0.0]])},
                   error=error("shape_mismatch", "positive")))
    if loss == "TripletMarginLoss":
        cs.append(spec("legacy-reduce-false", empty, normal(rng, (2, 3)), {"reduce": False},
                       extra={"positive": normal(rng, (2, 3)), "negative": normal(rng, (2, 3))}))
    # A NaN in positive or negative, with and without swap: swap's minimum(d(a, n), d(p, n))
    # meets the NaN (torch's minimum backward, then clamp_min's at NaN).
    for swap in (True, False):
        for where in ("positive", "negative"):
            pos = np.asarray([[0.3, 0.2], [0.9, -0.4]])
            neg = np.asarray([[1.0, 0.0], [0.0, 1.0]])
            (pos if where == "positive" else neg)[0, 0] = np.nan
            cs.append(spec(f"nan-{where}-swap-{str(swap).lower()}", empty, [[0.3, 0.1], [1.0, -0.5]],
                           {"swap": swap, "reduction": "sum"}, extra={"positive": pos, "negative": neg}))
    return cs


def build_triplet(rng):
    return triplet_cases(rng, "TripletMarginLoss")


def build_triplet_distance(rng):
    return triplet_cases(rng, "TripletMarginWithDistanceLoss")


def class_index_cases(rng, loss):
    """NLLLoss (log-probability input) and CrossEntropyLoss (logits)."""
    ce = loss == "CrossEntropyLoss"
    x_of = (lambda shape: normal(rng, shape, 2.5)) if ce else (lambda shape: log_simplex(rng, shape, axis=0 if len(shape) == 1 else 1))
    cs = []
    n = 20
    reds, dts = sweep_plan(rng, n)
    shapes = [(4, 5), (3, 4, 2), (2, 3, 2, 2), (5,), (2, 3, 2, 1, 2), (6, 20)]
    for i in range(n):
        shape = shapes[i % len(shapes)]
        C = shape[0] if len(shape) == 1 else shape[1]
        t_shape = () if len(shape) == 1 else (shape[0],) + shape[2:]
        target = rng.integers(0, C, t_shape).astype(np.int64)
        p = {"reduction": reds[i]}
        if i % 3 == 1:
            p["weight"] = rng.uniform(0.2, 2.0, C)
        if i % 4 == 2 and len(shape) > 1:
            p["ignore_index"] = int(target.ravel()[0])
        if ce and i % 5 >= 3:
            p["label_smoothing"] = [0.1, 0.3][i % 2]
        cs.append(spec(f"sweep-{reds[i]}-{tag(shape)}", target, x_of(shape), p, None, dts[i]))
    for red in REDUCTIONS:
        # Every target ignored: mean is 0/0 = NaN, the gradient exactly 0.
        p = {"reduction": red, "ignore_index": 1}
        cs.append(spec(f"all-ignored-{red}", int_labels([1, 1, 1]), x_of((3, 4)), p))
        if ce:
            cs.append(spec(f"all-ignored-smoothing-{red}", int_labels([1, 1]), x_of((2, 3)), dict(p, label_smoothing=0.2)))
        # Empty batch.
        cs.append(spec(f"empty-batch-{red}", np.zeros((0,), dtype=np.int64), np.zeros((0, 3)), {"reduction": red}))
    cs.append(spec("default-ignore-index", int_labels([0, -100, 2]), x_of((3, 3)), {}))
    cs.append(spec("weighted-ignore", int_labels([0, 1, 2, 1]), x_of((4, 3)), {"weight": np.asarray([0.2, 1.0, 3.0]), "ignore_index": 1}))
    cs.append(spec("legacy-sa-false", int_labels([0, 2]), x_of((2, 3)), {"size_average": False}))
    cs.append(spec("legacy-reduce-false", int_labels([0, 2]), x_of((2, 3)), {"reduce": False}))
    cs.append(spec("long-batch", rng.integers(0, 3, 300).astype(np.int64), x_of((300, 3)), {"weight": np.asarray([0.5, 1.0, 2.0])}))
    cs.append(spec("err-target-out-of-range", int_labels([0, 3]), x_of((2, 3)), {}, error=error("label_out_of_range", "target")))
    cs.append(spec("err-negative-target", int_labels([0, -1]), x_of((2, 3)), {}, error=error("label_out_of_range", "target")))
    cs.append(spec("err-batch-mismatch", int_labels([0, 1, 2]), x_of((2, 3)), {}, error=error("shape_mismatch", "target")))
    cs.append(spec("err-weight-size", int_labels([0, 1]), x_of((2, 3)), {"weight": np.ones(4)}, error=error("shape_mismatch", "weight")))
    cs.append(spec("err-spatial-mismatch", np.zeros((2, 3), dtype=np.int64), x_of((2, 4, 2)), {},
                   error=error("shape_mismatch", "target")))
    return cs


def build_nll(rng):
    cs = class_index_cases(rng, "NLLLoss")
    for dt in ("float32", "float64"):
        cs.append(spec("neg-inf-logprob", int_labels([0, 1]), [[-np.inf, 0.0], [-np.inf, 0.0]], {"reduction": "none"}, None, dt))
    return cs


def build_cross_entropy(rng):
    cs = class_index_cases(rng, "CrossEntropyLoss")
    # The docstring's seeded example (torch.manual_seed(283)): it prints
    # 4.6379876136779785 for the unnormalised target and 2.55349063873291 after softmax.
    torch.manual_seed(283)
    inp = torch.randn(3, 5)
    target = torch.randn(3, 5)
    cs.append(spec("docstring-seed283-raw-target", target.numpy().astype(np.float64), inp.numpy().astype(np.float64), {}))
    cs.append(spec("docstring-seed283-softmax-target", target.softmax(dim=1).numpy().astype(np.float64),
                   inp.numpy().astype(np.float64), {}))
    # Probability targets.
    n = 12
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        shape = [(4, 5), (3, 4, 2), (5,), (2, 3, 2, 2)][i % 4]
        C = shape[0] if len(shape) == 1 else shape[1]
        p = {"reduction": reds[i]}
        if i % 2:
            p["weight"] = rng.uniform(0.2, 2.0, C)
        if i % 3 == 2:
            p["label_smoothing"] = 0.25
        cs.append(spec(f"probs-{reds[i]}-{tag(shape)}", simplex(rng, shape, axis=0 if len(shape) == 1 else 1),
                       normal(rng, shape, 2.5), p, None, dts[i]))
    for dt in ("float32", "float64"):
        # -inf and +-90 logits; a zero label at -inf is finite, a one label at -inf is inf.
        cs.append(spec("neg-inf-logit-zero-label", [[0.0, 1.0, 0.0]], [[-np.inf, 2.0, 0.5]], {"reduction": "none"}, None, dt))
        cs.append(spec("neg-inf-logit-index", int_labels([1, 0]), [[-np.inf, 2.0, 0.5], [-np.inf, 2.0, 0.5]],
                       {"reduction": "none"}, None, dt))
        cs.append(spec("pm90-logits", int_labels([0, 1]), [[90.0, -90.0, 0.0], [90.0, -90.0, 0.0]], {"reduction": "none"}, None, dt))
        cs.append(spec("all-neg-inf-row", int_labels([0]), [[-np.inf, -np.inf]], {"reduction": "sum"}, None, dt))
    cs.append(spec("smoothing-with-weights", int_labels([0, 1, 2, 1]), normal(rng, (4, 3), 2.0),
                   {"weight": np.asarray([0.2, 1.0, 3.0]), "label_smoothing": 0.3}))
    cs.append(spec("smoothing-weights-ignore-sum", int_labels([0, 1, 2, 1]), normal(rng, (4, 3), 2.0),
                   {"weight": np.asarray([0.2, 1.0, 3.0]), "label_smoothing": 0.3, "ignore_index": 2, "reduction": "sum"}))
    cs.append(spec("smoothing-one", int_labels([0, 1]), normal(rng, (2, 3)), {"label_smoothing": 1.0}))
    cs.append(spec("smoothing-negative-is-none", int_labels([0, 1]), normal(rng, (2, 3)), {"label_smoothing": -0.5}))
    cs.append(spec("probs-negative-ignore-index", simplex(rng, (2, 3)), normal(rng, (2, 3)), {"ignore_index": -1}))
    cs.append(spec("probs-empty-mean-nan", np.zeros((0, 3)), np.zeros((0, 3)), {}))
    cs.append(spec("probs-unnormalised", [[2.0, -1.0, 0.5]], [[0.3, 0.2, -0.4]], {"reduction": "sum"}))
    cs.append(spec("err-smoothing-above-one", int_labels([0, 1]), normal(rng, (2, 3)), {"label_smoothing": 1.5},
                   error=error("invalid_parameter", "label_smoothing")))
    cs.append(spec("err-probs-ignore-index", simplex(rng, (2, 3)), normal(rng, (2, 3)), {"ignore_index": 0},
                   error=error("unsupported", "ignore_index")))
    return cs


def build_ctc(rng):
    cs = []

    def batch(T, N, C, S, padded=True, min_len=1):
        logits = normal(rng, (T, N, C))
        lp = logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))
        tl = rng.integers(min_len, S + 1, N)
        il = rng.integers(max(1, S), T + 1, N)
        if padded:
            targets = rng.integers(1, C, (N, S)).astype(np.int64)
        else:
            targets = rng.integers(1, C, int(tl.sum())).astype(np.int64)
        return targets, lp, {"input_lengths": il.astype(np.int64), "target_lengths": tl.astype(np.int64)}

    n = 15
    reds, dts = sweep_plan(rng, n)
    for i in range(n):
        T, N, C, S = [(6, 2, 4, 2), (8, 3, 5, 3), (5, 1, 3, 2), (10, 2, 6, 4)][i % 4]
        targets, lp, extra = batch(T, N, C, S, padded=bool(i % 2))
        p = {"reduction": reds[i]}
        if i % 5 == 3:
            p["blank"] = C - 1
            targets = np.where(targets == C - 1, 0, targets)
        cs.append(spec(f"sweep-{reds[i]}-T{T}N{N}C{C}", targets, lp, p, None, dts[i], extra=extra))
    # Repeated labels need a blank between them; too short an input has infinite loss.
    for zi in (False, True):
        for red in ("none", "mean"):
            lp = np.log(simplex(rng, (3, 2, 3), axis=2))
            cs.append(spec(f"infeasible-zero_infinity{zi}-{red}", int_labels([[1, 1, 1], [1, 2, 0]]), lp,
                           {"reduction": red, "zero_infinity": zi}, extra={"input_lengths": int_labels([3, 3]),
                                                                           "target_lengths": int_labels([3, 2])}))
    cs.append(spec("empty-target", int_labels([[1, 2]]), np.log(simplex(rng, (4, 1, 3), axis=2)), {"reduction": "none"},
                   extra={"input_lengths": int_labels([4]), "target_lengths": int_labels([0])}))
    cs.append(spec("unbatched", int_labels([1, 2]), np.log(simplex(rng, (5, 3), axis=1)), {},
                   extra={"input_lengths": int_labels(5), "target_lengths": int_labels(2)}))
    cs.append(spec("short-input-lengths", int_labels([[1, 2], [2, 2]]), np.log(simplex(rng, (6, 2, 3), axis=2)),
                   {"reduction": "sum"}, None, "float64", extra={"input_lengths": int_labels([4, 6]), "target_lengths": int_labels([2, 2])}))
    cs.append(spec("unnormalised-leaf-log-probs", int_labels([[1]]), normal(rng, (3, 1, 3)), {"reduction": "sum"},
                   extra={"input_lengths": int_labels([3]), "target_lengths": int_labels([1])}))
    cs.append(spec("err-input-length-too-long", int_labels([[1]]), np.log(simplex(rng, (3, 1, 3), axis=2)), {},
                   extra={"input_lengths": int_labels([4]), "target_lengths": int_labels([1])},
                   error=error("invalid_value", "input_lengths")))
    return cs


def docstring_cases(loss):
    """The examples of torch.nn's class docstrings that only show code (random inputs):
    run as written under torch.manual_seed(0), so the numbers they would print are
    recorded (the docstring replay test checks LossKit against them). The triplet and CTC
    examples (100 x 128 embeddings, 50 x 16 x 20 log-probabilities) are left out for size."""
    F = torch.nn.functional
    torch.manual_seed(0)
    a = lambda t: t.detach().numpy().astype(np.float64)
    out = []
    if loss in ("L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss"):
        x, y = torch.randn(3, 5), torch.randn(3, 5)
        out.append(spec("docstring-seed0", a(y), a(x), {}))
    elif loss == "NLLLoss":
        x = F.log_softmax(torch.randn(3, 5), dim=1)
        out.append(spec("docstring-seed0", int_labels([1, 0, 4]), a(x), {}))
    elif loss == "CrossEntropyLoss":
        x = torch.randn(3, 5)
        t = torch.empty(3, dtype=torch.long).random_(5)
        out.append(spec("docstring-seed0-indices", t.numpy(), a(x), {}))
        x = torch.randn(3, 5)
        t = torch.randn(3, 5).softmax(dim=1)
        out.append(spec("docstring-seed0-probabilities", a(t), a(x), {}))
    elif loss == "PoissonNLLLoss":
        x, t = torch.randn(5, 2), torch.randn(5, 2)
        out.append(spec("docstring-seed0", a(t), a(x), {}))
    elif loss == "GaussianNLLLoss":
        x, t = torch.randn(5, 2), torch.randn(5, 2)
        out.append(spec("docstring-seed0-heteroscedastic", a(t), a(x), {}, extra={"var": np.ones((5, 2))}))
        x, t = torch.randn(5, 2), torch.randn(5, 2)
        out.append(spec("docstring-seed0-homoscedastic", a(t), a(x), {}, extra={"var": np.ones((5, 1))}))
    elif loss == "KLDivLoss":
        x = F.log_softmax(torch.randn(3, 5), dim=1)
        t = F.softmax(torch.rand(3, 5), dim=1)
        out.append(spec("docstring-seed0", a(t), a(x), {"reduction": "batchmean"}))
        lt = F.log_softmax(torch.rand(3, 5), dim=1)
        out.append(spec("docstring-seed0-log-target", a(lt), a(x), {"reduction": "batchmean", "log_target": True}))
    elif loss == "BCELoss":
        x, t = torch.randn(3, 2), torch.rand(3, 2)
        out.append(spec("docstring-seed0", a(t), a(torch.sigmoid(x)), {}))
    elif loss == "BCEWithLogitsLoss":
        x = torch.randn(3)
        t = torch.empty(3).random_(2)
        out.append(spec("docstring-seed0", a(t), a(x), {}))
    elif loss in ("HingeEmbeddingLoss", "SoftMarginLoss"):
        x = torch.randn(3, 5)
        t = torch.randn(3, 5).sign()
        out.append(spec("docstring-seed0", a(t), a(x), {}))
    elif loss == "MultiLabelSoftMarginLoss":
        x = torch.randn(3, 5)
        t = torch.empty(3, 5).random_(2)
        out.append(spec("docstring-seed0", a(t), a(x), {}))
    elif loss == "CosineEmbeddingLoss":
        x1, x2 = torch.randn(3, 5), torch.randn(3, 5)
        out.append(spec("docstring-seed0", np.ones(3), a(x1), {}, extra={"input2": a(x2)}))
    elif loss == "MarginRankingLoss":
        x1, x2 = torch.randn(3), torch.randn(3)
        t = torch.randn(3).sign()
        out.append(spec("docstring-seed0", a(t), a(x1), {}, extra={"input2": a(x2)}))
    return out


REGISTRY = [
    ("L1Loss", build_l1),
    ("MSELoss", build_mse),
    ("CrossEntropyLoss", build_cross_entropy),
    ("NLLLoss", build_nll),
    ("PoissonNLLLoss", build_poisson),
    ("GaussianNLLLoss", build_gaussian),
    ("KLDivLoss", build_kldiv),
    ("BCELoss", build_bce),
    ("BCEWithLogitsLoss", build_bce_logits),
    ("MarginRankingLoss", build_margin_ranking),
    ("HingeEmbeddingLoss", build_hinge_embedding),
    ("MultiLabelMarginLoss", build_multilabel_margin),
    ("HuberLoss", build_huber),
    ("SmoothL1Loss", build_smooth_l1),
    ("SoftMarginLoss", build_soft_margin),
    ("MultiLabelSoftMarginLoss", build_multilabel_soft_margin),
    ("CosineEmbeddingLoss", build_cosine_embedding),
    ("MultiMarginLoss", build_multi_margin),
    ("TripletMarginLoss", build_triplet),
    ("TripletMarginWithDistanceLoss", build_triplet_distance),
    ("CTCLoss", build_ctc),
]


def installed_versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "threads": torch.get_num_threads(),
    }


def check_file(loss, cases):
    if len(cases) < 12:
        sys.exit(f"torch/{loss}: only {len(cases)} cases")
    if loss == "BCELoss":
        got = next(c for c in cases if c["id"].startswith("torch/BCELoss/motivating-mean"))["expected"]["loss"]["data"][0]
        if F32(got) != F32("33.333332"):
            sys.exit(f"BCELoss motivating example: expected 33.333332, got {F32(got)!r}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--allow-version-mismatch", action="store_true")
    args = ap.parse_args(argv)
    versions = installed_versions()
    installed = dict(versions, torch=versions["torch"].split("+")[0])  # 2.15.0+cpu is 2.15.0
    check_versions(installed, PINS, "requirements-torch.txt", args.allow_version_mismatch)
    warnings.filterwarnings("ignore")
    start = time.time()
    counts = {}
    errors = 0
    for loss, builder in REGISTRY:
        seed = seed_for(FW, loss)
        rng = np.random.default_rng(seed)
        specs = builder(rng) + docstring_cases(loss)
        cases = [run_case(loss, s, n) for n, s in enumerate(specs, start=1)]
        check_file(loss, cases)
        header = {"script": SCRIPT, "seed": seed, "versions": versions}
        errors += write_case_file(args.out, FW, loss, header, cases, counts)
    finish(args.out, counts, errors, FAMILY, {k: versions[k] for k in ("python", "numpy", "torch")}, start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
