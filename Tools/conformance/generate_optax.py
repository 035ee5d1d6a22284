#!/usr/bin/env python3
"""LossKit conformance-corpus generator for Optax (optax 0.2.8 on jax 0.10.2, CPU).

Runs every public function of `optax.losses` on seeded random inputs and hand-picked
edge cases and writes one case file per function under
Tests/Fixtures/conformance/optax/, plus the worked examples of optax's docstrings and the
two outputs the case format has no place for (`smooth_labels`, the CTC forward
probabilities) under Tests/Fixtures/optax/.

float32 cases run as users get them by default (x64 off); float64 cases run with
`jax_enable_x64` on. Each dtype runs in its own worker process (JAX_ENABLE_X64 is read
at import), and each worker checks that its results really have the dtype it claims.

The gradient is `jax.grad(lambda x: jnp.sum(f(x, ...)))` with respect to y_pred (the
function's first argument). Case-format mapping: y_pred = the first positional argument,
y_true = the second (CTC: `labels`); every other tensor argument (`where`, `weights`,
`negatives`, `class_weights`, `logit_paddings`, `label_paddings`) is a parameter under
optax's name.

Usage (from the repository root):
    /work/venv-jax/bin/python Tools/conformance/generate_optax.py [--out DIR]
                                                                  [--allow-version-mismatch]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import (  # noqa: E402
    case_id, check_versions, enc_params, enc_tensor, error, error_text, finish, int_labels, onehot, record_outcome,
    seed_for, simplex as corpus_simplex, spec, write_case_file)

SCRIPT = "Tools/conformance/generate_optax.py"
DEFAULT_OUT = "Tests/Fixtures/conformance"
EXTRA_OUT = "Tests/Fixtures/optax"
FAMILY = "optax"
FW = "optax"
PINS = {"numpy": "2.4.6", "jax": "0.10.2", "jaxlib": "0.10.2", "optax": "0.2.8"}

# Tensor parameters: masks are booleans, everything else has the case dtype.
BOOL_PARAMS = {"where"}


def f32(v):
    return float(np.float32(v))


# ---------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------

def logits(rng, shape, scale=2.0):
    return rng.normal(0.0, scale, shape)


def simplex(rng, shape):
    return corpus_simplex(rng, shape, scale=1.0)


def labels_for(rng, shape):
    return int_labels(rng.integers(0, shape[-1], shape[:-1]))


def mask(rng, shape, p=0.75):
    m = rng.random(shape) < p
    return m


def dtypes_cycle(n):
    return ["float64" if i % 3 == 2 else "float32" for i in range(n)]


# ---------------------------------------------------------------------------
# Builders: one list of specs per function
# ---------------------------------------------------------------------------

EDGE_LOGITS = [-np.inf, -90.0, -17.0, -1.0, 0.0, 1.0, 17.0, 90.0, np.inf]


def b_sigmoid_binary_cross_entropy(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (5,), (2, 3, 2)][i % 3]
        lab = rng.integers(0, 2, shape).astype(float) if i % 2 == 0 else rng.uniform(0, 1, shape)
        out.append(spec(f"random-{dt}", lab, logits(rng, shape, 3), dtype=dt))
    for dt in ["float32", "float64"]:
        for y in [0.0, 1.0, 0.5]:
            out.append(spec(f"edge-logits-label{y}-{dt}", np.full(len(EDGE_LOGITS), y), EDGE_LOGITS, dtype=dt))
    out.append(spec("labels-broadcast", rng.integers(0, 2, (3,)).astype(float), logits(rng, (4, 3))))
    out.append(spec("nan-logit", [1.0, 0.0], [np.nan, 0.5]))
    out.append(spec("err-labels-shape", [1.0, 0.0], logits(rng, (4, 3)), error=error("shape_mismatch", "labels")))
    return out


def b_softmax_cross_entropy(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        lab = onehot(rng, shape) if i % 2 == 0 else simplex(rng, shape)
        out.append(spec(f"random-{dt}", lab, logits(rng, shape), dtype=dt))
    x = logits(rng, (3, 4))
    out.append(spec("axis0", simplex(rng, (4, 3)).T, x, {"axis": 0}))
    x3 = logits(rng, (2, 3, 4))
    lab3 = rng.uniform(0, 1, (2, 3, 4))
    out.append(spec("axis-tuple-1-2", lab3 / lab3.sum(axis=(1, 2), keepdims=True), x3, {"axis": [1, 2]}))
    out.append(spec("axis-None", lab3 / lab3.sum(), x3, {"axis": None}, dtype="float64"))
    x = logits(rng, (4, 5))
    lab = onehot(rng, (4, 5))
    w = mask(rng, (4, 5))
    w[2] = False
    w[np.arange(4), lab.argmax(-1)] = True
    w[2] = False  # one row with nothing valid
    out.append(spec("where-full-with-all-false-row", lab, x, extra={"where": w}))
    out.append(spec("where-full-float64", lab, x, extra={"where": mask(rng, (4, 5))}, dtype="float64"))
    out.append(spec("where-rank-minus-1", lab, x, extra={"where": np.array([True, False, True, True])}))
    out.append(spec("where-all-false", lab, x, extra={"where": np.zeros((4, 5), bool)}))
    edge = np.array([[-np.inf, 0.0, 1.0], [-np.inf, -np.inf, -np.inf], [90.0, -90.0, 0.0]])
    out.append(spec("minus-inf-zero-labels-nan", [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], edge))
    out.append(spec("saturated-90", [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[90.0, -90.0, 0.0], [-90.0, 90.0, 90.0]]))
    out.append(spec("unnormalised-labels", [[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]], logits(rng, (2, 3))))
    out.append(spec("labels-broadcast-row", [0.2, 0.3, 0.5], logits(rng, (4, 3))))
    out.append(spec("err-where-shape", onehot(rng, (4, 5)), logits(rng, (4, 5)), extra={"where": np.ones((3, 5), bool)},
                    error=error("shape_mismatch", "where")))
    out.append(spec("err-axis-out-of-range", onehot(rng, (4, 5)), logits(rng, (4, 5)), {"axis": 2},
                    error=error("invalid_parameter", "axis")))
    # Long class axes: XLA's windows of 32 (and YNNPACK from 4096 elements).
    out.append(spec("wide-100", simplex(rng, (3, 100)), logits(rng, (3, 100))))
    out.append(spec("wide-1000", simplex(rng, (2, 1000)), logits(rng, (2, 1000))))
    out.append(spec("wide-axis-None-8x50", simplex(rng, (8, 50)) / 8, logits(rng, (8, 50)), {"axis": None}))
    out.append(spec("wide-5000-ynnpack", simplex(rng, (1, 5000)), logits(rng, (1, 5000))))
    return out


def b_softmax_cross_entropy_with_integer_labels(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        out.append(spec(f"random-{dt}", labels_for(rng, shape), logits(rng, shape), dtype=dt))
    out.append(spec("docstring-1", int_labels([0, 1]), [[1.2, -0.8, -0.5], [0.9, -1.2, 1.1]]))
    shape = (1, 2, 3, 4)
    lab = np.ravel_multi_index((np.array([[1, 2]]), np.array([[1, 3]])), shape[2:])
    out.append(spec("docstring-axis-2-3", int_labels(lab), np.arange(24.0).reshape(shape), {"axis": [2, 3]}))
    out.append(spec("axis-tuple-3-2-order", int_labels([[5, 11]]), logits(rng, shape), {"axis": [3, 2]}))
    out.append(spec("axis0", int_labels([0, 3, 1]), logits(rng, (4, 3)), {"axis": 0}))
    x = logits(rng, (4, 5))
    w = mask(rng, (4, 5))
    w[1] = False
    lab = labels_for(rng, (4, 5))
    out.append(spec("where-full-all-false-row", lab, x, extra={"where": w}))
    out.append(spec("where-rank-minus-1", lab, x, extra={"where": np.array([True, True, False, True])}, dtype="float64"))
    out.append(spec("label-minus-1-wraps", int_labels([-1, -3]), logits(rng, (2, 3))))
    out.append(spec("label-out-of-range-nan", int_labels([3, 0, 7]), logits(rng, (3, 3))))
    out.append(spec("minus-inf-logits", int_labels([1, 0, 2, 0]),
                    [[-np.inf, 0.5, -1.0], [-np.inf, 0.5, -1.0], [-np.inf, -np.inf, -np.inf], [90.0, -90.0, -np.inf]]))
    out.append(spec("minus-inf-logits-float64", int_labels([1, 0]), [[-np.inf, 0.5, -1.0], [-np.inf, 0.5, -1.0]],
                    dtype="float64"))
    out.append(spec("err-fractional-labels", np.array([0.5, 1.0]), logits(rng, (2, 3)),
                    error=error("invalid_value", "labels")))
    out.append(spec("err-labels-shape", int_labels([0, 1, 2]), logits(rng, (2, 3)), error=error("shape_mismatch", "labels")))
    out.append(spec("err-axis-out-of-range", int_labels([0, 1]), logits(rng, (2, 3)), {"axis": 2},
                    error=error("invalid_parameter", "axis")))
    out.append(spec("wide-100", labels_for(rng, (4, 100)), logits(rng, (4, 100))))
    out.append(spec("wide-300-float64", labels_for(rng, (2, 300)), logits(rng, (2, 300)), dtype="float64"))
    out.append(spec("wide-5000-ynnpack", labels_for(rng, (1, 5000)), logits(rng, (1, 5000))))
    return out


def b_safe_softmax_cross_entropy(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        lab = onehot(rng, shape) if i % 2 == 0 else simplex(rng, shape)
        out.append(spec(f"random-{dt}", lab, logits(rng, shape), dtype=dt))
    edge = [[-np.inf, 0.0, 1.0], [-np.inf, -np.inf, 2.0], [-np.inf, -np.inf, -np.inf], [90.0, -90.0, 0.0]]
    lab = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.5, 0.5]]
    out.append(spec("minus-inf-zero-labels-finite", lab, edge))
    out.append(spec("minus-inf-zero-labels-finite-float64", lab, edge, dtype="float64"))
    out.append(spec("label-at-minus-inf", [[1.0, 0.0, 0.0]], [[-np.inf, 0.0, 1.0]]))
    out.append(spec("labels-broadcast-row", [0.0, 0.3, 0.7], logits(rng, (4, 3))))
    out.append(spec("unnormalised-labels", [[2.0, 1.0, 0.0]], logits(rng, (1, 3))))
    out.append(spec("wide-200", simplex(rng, (3, 200)), logits(rng, (3, 200))))
    return out


def b_poly_loss_cross_entropy(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        eps = [2.0, -1.0, 0.5][i % 3]
        lab = onehot(rng, shape) if i % 2 == 0 else simplex(rng, shape)
        out.append(spec(f"random-eps{eps}-{dt}", lab, logits(rng, shape), {"epsilon": eps}, dtype=dt))
    out.append(spec("default-epsilon", onehot(rng, (3, 4)), logits(rng, (3, 4))))
    out.append(spec("axis0", simplex(rng, (4, 3)).T, logits(rng, (3, 4)), {"axis": 0, "epsilon": 1.0}))
    w = mask(rng, (4, 5))
    w[:, 0] = True
    out.append(spec("where", onehot(rng, (4, 5)), logits(rng, (4, 5)), extra={"where": w}))
    out.append(spec("where-float64", onehot(rng, (4, 5)), logits(rng, (4, 5)), extra={"where": w}, dtype="float64"))
    out.append(spec("saturated", [[0.0, 1.0, 0.0]], [[90.0, -90.0, 0.0]]))
    out.append(spec("wide-64", simplex(rng, (2, 64)), logits(rng, (2, 64))))
    return out


def b_sigmoid_focal_loss(rng):
    out = []
    plan = [(None, 2.0), (0.25, 2.0), (0.3, 1.5), (None, 0.0), (0.75, 3.0), (None, 1.0), (0.5, 2.5), (0.25, 0.5)]
    for i, (alpha, gamma) in enumerate(plan):
        dt = "float64" if i % 3 == 2 else "float32"
        shape = [(4, 3), (6,), (2, 2, 3)][i % 3]
        lab = rng.integers(0, 2, shape).astype(float) if i % 2 == 0 else rng.uniform(0, 1, shape)
        params = {"gamma": gamma} if alpha is None else {"alpha": alpha, "gamma": gamma}
        out.append(spec(f"random-a{alpha}-g{gamma}-{dt}", lab, logits(rng, shape, 3), params, dtype=dt))
    edges = [-90.0, -17.0, -1.0, 0.0, 1.0, 17.0, 90.0]
    for dt in ["float32", "float64"]:
        for y in [0.0, 1.0]:
            out.append(spec(f"edge-logits-label{y}-{dt}", np.full(len(edges), y), edges, {"alpha": 0.25}, dtype=dt))
    out.append(spec("defaults", [1.0, 0.0, 1.0], [0.3, -0.2, 2.0]))
    out.append(spec("err-labels-shape", [1.0, 0.0], logits(rng, (4, 3)), error=error("shape_mismatch", "labels")))
    return out


def b_hinge_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (6,), (2, 3)][i % 3]
        out.append(spec(f"random-{dt}", rng.choice([-1.0, 1.0], shape), logits(rng, shape), dtype=dt))
    out.append(spec("ties-at-margin", [1.0, -1.0, 2.0, 1.0, -1.0], [1.0, -1.0, 0.5, 0.99999994, -1.0000001]))
    out.append(spec("ties-at-margin-float64", [1.0, -1.0, 2.0], [1.0, -1.0, 0.5], dtype="float64"))
    out.append(spec("targets-broadcast", [1.0, -1.0, 1.0], logits(rng, (4, 3))))
    out.append(spec("zero-targets", [0.0, 0.0], [3.0, -2.0]))
    return out


def b_perceptron_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (6,), (2, 3)][i % 3]
        out.append(spec(f"random-{dt}", rng.choice([-1.0, 1.0], shape), logits(rng, shape), dtype=dt))
    out.append(spec("ties-at-zero", [1.0, -1.0, 1.0], [0.0, 0.0, -0.0]))
    out.append(spec("ties-at-zero-float64", [1.0, -1.0], [0.0, -0.0], dtype="float64"))
    out.append(spec("err-shape", [1.0, -1.0, 1.0], logits(rng, (4, 3)), error=error("shape_mismatch", "targets")))
    return out


def b_sparsemax_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (8,), (2, 3)][i % 3]
        out.append(spec(f"random-{dt}", rng.integers(0, 2, shape).astype(float), logits(rng, shape, 1.5), dtype=dt))
    edges = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
    for dt in ["float32", "float64"]:
        for y in [0.0, 1.0]:
            out.append(spec(f"edges-label{y}-{dt}", np.full(len(edges), y), edges, dtype=dt))
    return out


def b_multiclass_hinge_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        out.append(spec(f"random-{dt}", labels_for(rng, shape), logits(rng, shape), dtype=dt))
    out.append(spec("ties", int_labels([0, 1, 2]), [[1.0, 1.0, 1.0], [2.0, 1.0, 2.0], [0.0, 0.0, 1.0]]))
    out.append(spec("ties-float64", int_labels([0, 1]), [[1.0, 1.0, 1.0], [2.0, 1.0, 2.0]], dtype="float64"))
    out.append(spec("label-out-of-range-zero-row", int_labels([3, -1, 7]), logits(rng, (3, 3))))
    return out


def b_multiclass_perceptron_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        out.append(spec(f"random-{dt}", labels_for(rng, shape), logits(rng, shape), dtype=dt))
    out.append(spec("ties", int_labels([0, 1, 2]), [[1.0, 1.0, 1.0], [2.0, 1.0, 2.0], [0.0, 0.0, 1.0]]))
    out.append(spec("ties-float64", int_labels([0, 2]), [[1.0, 1.0, 1.0], [2.0, 1.0, 2.0]], dtype="float64"))
    out.append(spec("label-out-of-range-zero-row", int_labels([3, -1]), logits(rng, (2, 3))))
    return out


def b_multiclass_sparsemax_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(9)):
        shape = [(4, 5), (3, 2), (5, 7)][i % 3]
        scale = [0.3, 1.0, 3.0][(i // 3) % 3]
        out.append(spec(f"random-scale{scale}-{dt}", labels_for(rng, shape), logits(rng, shape, scale), dtype=dt))
    out.append(spec("ties", int_labels([0, 1, 2]), [[1.0, 1.0, 1.0], [2.0, 1.0, 2.0], [0.0, 0.0, 1.0]]))
    out.append(spec("ties-float64", int_labels([0, 2]), [[1.0, 1.0, 1.0], [2.0, 1.0, 2.0]], dtype="float64"))
    out.append(spec("label-out-of-range", int_labels([3, -1, 5, -2]),
                    [[0.2, 0.5, 0.4], [0.1, 0.3, 0.2], [0.5, 0.4, 0.1], [0.3, 0.1, 0.35]]))
    out.append(spec("err-rank-3", int_labels([[0, 1]]), logits(rng, (1, 2, 3)), error=error("shape_mismatch", "scores")))
    return out


def b_squared_error(rng, half=False):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (6,), (2, 3, 2)][i % 3]
        out.append(spec(f"random-{dt}", rng.normal(0, 1, shape), rng.normal(0, 2, shape), dtype=dt))
    out.append(spec("zeros-targets", np.zeros(4), [1.5, -2.0, 0.0, 1e-3]))
    out.append(spec("large", [0.0, 1e20], [1e20, -1e20]))
    out.append(spec("err-shape", rng.normal(0, 1, (3,)), rng.normal(0, 1, (4, 3)), error=error("shape_mismatch", "targets")))
    return out


def b_huber_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (6,), (2, 3, 2)][i % 3]
        delta = [1.0, 0.5, 2.0][i % 3]
        out.append(spec(f"random-d{delta}-{dt}", rng.normal(0, 1, shape), rng.normal(0, 2, shape), {"delta": delta}, dtype=dt))
    kinks = [-1.0, 1.0, 0.0, 0.5, -0.5, 2.0]
    out.append(spec("at-delta-and-zero", np.zeros(len(kinks)), kinks))
    out.append(spec("at-delta-half", np.zeros(len(kinks)), kinks, {"delta": 0.5}))
    out.append(spec("at-delta-float64", np.zeros(len(kinks)), kinks, {"delta": 2.0}, dtype="float64"))
    out.append(spec("targets-broadcast", rng.normal(0, 1, (3,)), rng.normal(0, 2, (4, 3))))
    return out


def b_log_cosh(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (6,), (2, 3, 2)][i % 3]
        out.append(spec(f"random-{dt}", rng.normal(0, 1, shape), rng.normal(0, 2, shape), dtype=dt))
    big = [0.0, 1e-4, 1.0, 20.0, 50.0, -50.0, 100.0, -100.0]
    out.append(spec("large-and-zero", np.zeros(len(big)), big))
    out.append(spec("large-and-zero-float64", np.zeros(len(big) + 1), big + [800.0], dtype="float64"))
    out.append(spec("targets-broadcast", rng.normal(0, 1, (3,)), rng.normal(0, 2, (4, 3))))
    return out


def b_cosine_similarity(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (5,), (2, 3, 4)][i % 3]
        out.append(spec(f"random-{dt}", rng.normal(0, 1, shape), rng.normal(0, 1, shape), dtype=dt))
    out.append(spec("zero-vectors-nan", [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]], [[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]]))
    out.append(spec("zero-vectors-epsilon", [[0.0, 0.0], [1.0, 2.0]], [[1.0, 2.0], [0.0, 0.0]], {"epsilon": 1e-8}))
    out.append(spec("epsilon-clips", [[0.1, 0.1], [3.0, 4.0]], [[0.2, -0.1], [1.0, 0.0]], {"epsilon": 0.5}))
    out.append(spec("epsilon-tie", [[0.5, 0.5], [0.6, 0.8]], [[1.0, 0.0], [0.0, 1.0]], {"epsilon": 0.5}))
    out.append(spec("epsilon-tie-float64", [[0.5, 0.5], [0.6, 0.8]], [[1.0, 0.0], [0.0, 1.0]], {"epsilon": 0.5}, dtype="float64"))
    out.append(spec("axis0", rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (3, 4)), {"axis": 0}))
    out.append(spec("axis-None", rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (3, 4)), {"axis": None}, dtype="float64"))
    out.append(spec("where", rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (3, 4)),
                    extra={"where": np.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 1, 1, 1]], bool)}))
    out.append(spec("wide-128", rng.normal(0, 1, (3, 128)), rng.normal(0, 1, (3, 128))))
    out.append(spec("wide-axis-None-40x40", rng.normal(0, 1, (40, 40)), rng.normal(0, 1, (40, 40)), {"axis": None}))
    return out


def b_cosine_distance(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 3), (5,), (2, 3, 4)][i % 3]
        out.append(spec(f"random-{dt}", rng.normal(0, 1, shape), rng.normal(0, 1, shape), dtype=dt))
    out.append(spec("zero-vector-nan", [[0.0, 0.0], [1.0, 2.0]], [[1.0, 2.0], [1.0, 2.0]]))
    out.append(spec("epsilon", [[0.1, 0.1], [3.0, 4.0]], [[0.2, -0.1], [1.0, 0.0]], {"epsilon": 0.5}))
    out.append(spec("identical", [[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]]))
    out.append(spec("where-axis0", rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (3, 4)), {"axis": 0},
                    extra={"where": np.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]], bool)}))
    return out


def b_kl(rng, log_targets=False, generalized=False):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        p = simplex(rng, shape)
        t = simplex(rng, shape)
        if generalized:
            t = t * rng.uniform(0.5, 2.0, shape)
        yt = np.log(t) if log_targets else t
        out.append(spec(f"random-{dt}", yt, np.log(p), dtype=dt))
    t = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    lp = np.log(np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]]))
    out.append(spec("zero-targets", np.log(t) if log_targets else t, lp))
    out.append(spec("axis-None", np.log(simplex(rng, (2, 3))) if log_targets else simplex(rng, (2, 3)), logits(rng, (2, 3)),
                    {"axis": None}, dtype="float64"))
    out.append(spec("axis0", np.log(simplex(rng, (3, 4)).T) if log_targets else simplex(rng, (3, 4)).T, logits(rng, (4, 3)),
                    {"axis": 0}))
    yt = np.log(simplex(rng, (3, 4))) if log_targets else simplex(rng, (3, 4))
    out.append(spec("where", yt, logits(rng, (3, 4)), extra={"where": np.array([[1, 1, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]], bool)}))
    out.append(spec("minus-inf-log-prediction", yt[:1], [[-np.inf, -1.0, -2.0, -0.5]]))
    out.append(spec("wide-300", np.log(simplex(rng, (2, 300))) if log_targets else simplex(rng, (2, 300)),
                    np.log(simplex(rng, (2, 300)))))
    return out


def ctc_inputs(rng, b, t, k, n, lengths_t, lengths_n, repeat=False, blank=0):
    x = logits(rng, (b, t, k), 1.5)
    lp = np.array([[0.0] * lt + [1.0] * (t - lt) for lt in lengths_t])
    lab = rng.integers(0, k, (b, n))
    for r in range(b):
        for j in range(n):
            while lab[r, j] == blank:
                lab[r, j] = rng.integers(0, k)
    if repeat and n >= 2:
        lab[0, 1] = lab[0, 0]
    lap = np.array([[0.0] * ln + [1.0] * (n - ln) for ln in lengths_n])
    return x, lp, int_labels(lab), lap


def b_ctc(rng, with_probs=False):
    out = []
    plans = [
        (2, 6, 4, 3, [6, 5], [3, 2], False, 0, {}),
        (2, 5, 3, 2, [5, 5], [2, 2], True, 0, {}),
        (3, 7, 5, 4, [7, 6, 4], [4, 2, 0], False, 0, {}),
        (1, 4, 4, 2, [4], [2], False, 1, {"blank_id": 1}),
        (2, 6, 4, 3, [6, 4], [3, 3], True, 0, {"log_epsilon": -1e4}),
        (2, 3, 4, 3, [3, 2], [3, 3], False, 0, {}),   # infeasible: too few frames
    ]
    for i, (b, t, k, n, lt, ln, rep, blank, params) in enumerate(plans):
        for dt in (["float32", "float64"] if i < 3 or not with_probs else ["float32"]):
            x, lp, lab, lap = ctc_inputs(rng, b, t, k, n, lt, ln, rep, blank)
            out.append(spec(f"plan{i}-{dt}", lab, x, params, dtype=dt, extra={"logit_paddings": lp, "label_paddings": lap}))
    x, lp, lab, lap = ctc_inputs(rng, 2, 4, 3, 2, [4, 4], [2, 2])
    out.append(spec("err-label-paddings-shape", lab, x, extra={"logit_paddings": lp, "label_paddings": lap[:, :1]},
                    error=error("shape_mismatch", "label_paddings")))
    out.append(spec("err-logits-rank", lab, x[0], extra={"logit_paddings": lp, "label_paddings": lap},
                    error=error("shape_mismatch", "logits")))
    return out


def b_ntxent(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        b, d = [(4, 2), (6, 3), (5, 4)][i % 3]
        lab = int_labels([0, 0, 1, 1, 2, 2][:b]) if b != 5 else int_labels([0, 1, 0, 1, 1])
        temp = [0.07, 0.5, 1.0][i % 3]
        out.append(spec(f"random-t{temp}-{dt}", lab, rng.normal(0, 1, (b, d)), {"temperature": temp}, dtype=dt))
    out.append(spec("docstring-like-1d", int_labels([0, 0, 1, 1]), [[0.08969027], [1.6291292], [0.8622629], [0.13612625]]))
    out.append(spec("default-temperature", int_labels([0, 1, 0, 1]), rng.normal(0, 1, (4, 3))))
    out.append(spec("no-positive-pairs-nan", int_labels([0, 1, 2]), rng.normal(0, 1, (3, 2))))
    out.append(spec("all-one-class", int_labels([0, 0, 0]), rng.normal(0, 1, (3, 2))))
    out.append(spec("err-labels-length", int_labels([0, 0, 1]), rng.normal(0, 1, (4, 2)), error=error("shape_mismatch", "labels")))
    lab = int_labels(np.repeat(np.arange(20), 2))
    out.append(spec("wide-40x8", lab, rng.normal(0, 1, (40, 8)), {"temperature": 0.5}))
    return out


def b_triplet_margin_loss(rng):
    out = []
    out.append(spec("docstring", [[0.1, 0.1], [1.1, 1.1]], [[0.0, 0.0], [1.0, 1.0]], {"margin": 1.0},
                    extra={"negatives": np.array([[1.0, 0.0], [0.0, 1.0]])}))
    plan = [(2, {}), (2, {"margin": 0.5}), (1, {"norm_degree": 1}), (3, {"norm_degree": 3}),
            (2, {"norm_degree": 1.5}), (2, {"eps": 1e-3}), (2, {"norm_degree": 2.0}), (2, {"axis": 0})]
    for i, (_, params) in enumerate(plan):
        dt = "float64" if i % 3 == 2 else "float32"
        shape = (4, 3)
        a, p, n = rng.normal(0, 1, shape), rng.normal(0, 1, shape), rng.normal(0, 1, shape)
        tag = "-".join(f"{k}{v}" for k, v in params.items()) or "default"
        out.append(spec(f"random-{tag}-{dt}", p, a, params, dtype=dt, extra={"negatives": n}))
    # A tie exactly at the margin: d_pos = d_neg + ... with eps = 0 and margin 1.
    out.append(spec("tie-at-margin", [[1.0, 0.0]], [[0.0, 0.0]], {"eps": 0.0, "margin": 1.0},
                    extra={"negatives": np.array([[2.0, 0.0]])}))
    out.append(spec("tie-at-margin-float64", [[1.0, 0.0]], [[0.0, 0.0]], {"eps": 0.0, "margin": 1.0}, dtype="float64",
                    extra={"negatives": np.array([[2.0, 0.0]])}))
    out.append(spec("negatives-broadcast", rng.normal(0, 1, (4, 3)), rng.normal(0, 1, (4, 3)),
                    extra={"negatives": rng.normal(0, 1, (3,))}))
    return out


def b_ranking_softmax_loss(rng):
    out = []
    out.append(spec("docstring-1", [1.0, 0.0, 0.0], [2.0, 1.0, 3.0]))
    out.append(spec("docstring-where", [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [[2.0, 1.0, 0.0], [1.0, 0.5, 1.5]],
                    extra={"where": np.array([[True, True, False], [True, True, True]])}))
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3, 2), (2, 3, 4)][i % 3]
        reduce = ["mean", "sum", None][i % 3]
        lab = rng.integers(0, 3, shape).astype(float)
        out.append(spec(f"random-{reduce}-{dt}", lab, logits(rng, shape), {"reduce_fn": reduce}, dtype=dt))
    x = logits(rng, (3, 4))
    lab = rng.integers(0, 3, (3, 4)).astype(float)
    w = np.array([[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 1, 1]], bool)
    for reduce in ["mean", "sum", None]:
        out.append(spec(f"where-empty-list-{reduce}", lab, x, {"reduce_fn": reduce}, extra={"where": w}))
    out.append(spec("all-masked-mean-zero", lab, x, extra={"where": np.zeros((3, 4), bool)}))
    out.append(spec("weights", lab, x, extra={"weights": rng.uniform(0, 2, (3, 4))}))
    out.append(spec("weights-where-float64", lab, x, extra={"weights": rng.uniform(0, 2, (3, 4)), "where": w}, dtype="float64"))
    out.append(spec("wide-lists-50", rng.integers(0, 3, (3, 50)).astype(float), logits(rng, (3, 50))))
    out.append(spec("mean-over-100-lists", rng.integers(0, 3, (100, 4)).astype(float), logits(rng, (100, 4))))
    return out


def seg_inputs(rng, shape):
    x = logits(rng, shape, 1.5)
    if shape[-1] == 1:
        t = rng.integers(0, 2, shape).astype(float)
    else:
        t = onehot(rng, shape)
    return x, t


def b_dice_loss(rng):
    out = []
    plan = [
        ((2, 4, 4, 3), {}), ((2, 4, 4, 3), {"alpha": 0.3, "beta": 0.7}), ((2, 5, 3), {"reduction": "sum"}),
        ((2, 5, 3), {"reduction": "none"}), ((2, 4, 4, 3), {"ignore_background": True}), ((2, 4, 1), {}),
        ((2, 3, 3, 2), {"smooth": 0.0}), ((3, 4), {}), ((2, 4, 4, 3), {"axis": [1, 2]}), ((2, 6, 3), {"axis": 1}),
    ]
    for i, (shape, params) in enumerate(plan):
        dt = "float64" if i % 3 == 2 else "float32"
        x, t = seg_inputs(rng, shape)
        tag = "-".join(f"{k}{v}" for k, v in params.items()) or "default"
        out.append(spec(f"{'x'.join(map(str, shape))}-{tag}-{dt}", t, x, params, dtype=dt))
    x, t = seg_inputs(rng, (2, 5, 3))
    out.append(spec("class-weights", t, x, extra={"class_weights": np.array([0.2, 1.0, 2.0])}))
    out.append(spec("class-weights-float64", t, x, extra={"class_weights": np.array([0.2, 1.0, 2.0])}, dtype="float64"))
    p = simplex(rng, (2, 5, 3))
    out.append(spec("probabilities", t, p, {"apply_softmax": False}, dtype="float64"))
    out.append(spec("binary-rank-minus-1-predictions", rng.integers(0, 2, (2, 6, 1)).astype(float), logits(rng, (2, 6))))
    out.append(spec("err-not-probabilities", t, p * 1.5, {"apply_softmax": False}, error=error("invalid_value", "predictions")))
    out.append(spec("err-shape", t[:, :4], x, error=error("shape_mismatch", "targets")))
    out.append(spec("err-class-weights-rank", t, x, extra={"class_weights": np.ones((1, 3))},
                    error=error("shape_mismatch", "class_weights")))
    x, t = seg_inputs(rng, (2, 40, 3))
    out.append(spec("wide-spatial-40", t, x))
    return out


def b_binary_dice_loss(rng):
    out = []
    plan = [((2, 4, 4), {}), ((2, 4, 4), {"smooth": 0.5}), ((3, 6), {}), ((2, 5, 1), {}), ((2, 3, 3), {"smooth": 2.0}),
            ((4, 7), {})]
    for i, (shape, params) in enumerate(plan):
        dt = "float64" if i % 3 == 2 else "float32"
        x = logits(rng, shape, 2.0)
        t = rng.integers(0, 2, shape).astype(float)
        tag = "-".join(f"{k}{v}" for k, v in params.items()) or "default"
        out.append(spec(f"{'x'.join(map(str, shape))}-{tag}-{dt}", t, x, params, dtype=dt))
    out.append(spec("saturated", [[1.0, 0.0, 1.0]], [[90.0, -90.0, -90.0]]))
    out.append(spec("no-sigmoid-ones", [[1.0, 0.0]], [[1.0, 1.0]], {"apply_sigmoid": False}))
    out.append(spec("err-no-sigmoid-probabilities", [[1.0, 0.0]], [[0.7, 0.2]], {"apply_sigmoid": False},
                    error=error("invalid_value", "predictions")))
    return out


def b_multiclass_generalized_dice_loss(rng):
    out = []
    plan = [((2, 4, 4, 3), {}), ((2, 5, 3), {"ignore_background": True}), ((2, 4, 4, 3), {"smooth": 0.5}),
            ((3, 6, 4), {}), ((4, 3), {}), ((2, 3, 3, 2), {"smooth": 2.0})]
    for i, (shape, params) in enumerate(plan):
        dt = "float64" if i % 3 == 2 else "float32"
        x, t = seg_inputs(rng, shape)
        tag = "-".join(f"{k}{v}" for k, v in params.items()) or "default"
        out.append(spec(f"{'x'.join(map(str, shape))}-{tag}-{dt}", t, x, params, dtype=dt))
    t = np.zeros((2, 4, 3))
    t[..., 0] = 1.0  # classes 1 and 2 absent: weight 1/1e-7
    out.append(spec("absent-classes", t, logits(rng, (2, 4, 3))))
    out.append(spec("probabilities", onehot(rng, (2, 4, 3)), simplex(rng, (2, 4, 3)), {"apply_softmax": False}))
    out.append(spec("err-shape", onehot(rng, (2, 4, 3)), logits(rng, (2, 4, 2)), error=error("shape_mismatch", "targets")))
    x, t = seg_inputs(rng, (2, 40, 3))
    out.append(spec("wide-spatial-40", t, x))
    return out


def b_make_fenchel_young_loss(rng):
    out = []
    for i, dt in enumerate(dtypes_cycle(6)):
        shape = [(4, 5), (3,), (2, 3, 4)][i % 3]
        t = onehot(rng, shape) if i % 2 == 0 else simplex(rng, shape)
        out.append(spec(f"random-{dt}", t, logits(rng, shape), {"max_fun": "logsumexp"}, dtype=dt))
    out.append(spec("saturated", [[0.0, 1.0, 0.0]], [[90.0, -90.0, 0.0]], {"max_fun": "logsumexp"}))
    out.append(spec("targets-broadcast-row", [0.2, 0.3, 0.5], logits(rng, (4, 3)), {"max_fun": "logsumexp"}))
    out.append(spec("wide-64", simplex(rng, (2, 64)), logits(rng, (2, 64)), {"max_fun": "logsumexp"}))
    return out


REGISTRY = [
    ("sigmoid_binary_cross_entropy", b_sigmoid_binary_cross_entropy),
    ("softmax_cross_entropy", b_softmax_cross_entropy),
    ("softmax_cross_entropy_with_integer_labels", b_softmax_cross_entropy_with_integer_labels),
    ("safe_softmax_cross_entropy", b_safe_softmax_cross_entropy),
    ("poly_loss_cross_entropy", b_poly_loss_cross_entropy),
    ("sigmoid_focal_loss", b_sigmoid_focal_loss),
    ("hinge_loss", b_hinge_loss),
    ("multiclass_hinge_loss", b_multiclass_hinge_loss),
    ("perceptron_loss", b_perceptron_loss),
    ("multiclass_perceptron_loss", b_multiclass_perceptron_loss),
    ("sparsemax_loss", b_sparsemax_loss),
    ("multiclass_sparsemax_loss", b_multiclass_sparsemax_loss),
    ("l2_loss", b_squared_error),
    ("squared_error", b_squared_error),
    ("huber_loss", b_huber_loss),
    ("log_cosh", b_log_cosh),
    ("cosine_similarity", b_cosine_similarity),
    ("cosine_distance", b_cosine_distance),
    ("kl_divergence", lambda rng: b_kl(rng)),
    ("kl_divergence_with_log_targets", lambda rng: b_kl(rng, log_targets=True)),
    ("convex_kl_divergence", lambda rng: b_kl(rng, generalized=True)),
    ("generalized_kl_divergence", lambda rng: b_kl(rng, generalized=True)),
    ("ctc_loss", b_ctc),
    ("ctc_loss_with_forward_probs", lambda rng: b_ctc(rng, with_probs=True)),
    ("ntxent", b_ntxent),
    ("triplet_margin_loss", b_triplet_margin_loss),
    ("ranking_softmax_loss", b_ranking_softmax_loss),
    ("dice_loss", b_dice_loss),
    ("binary_dice_loss", b_binary_dice_loss),
    ("multiclass_generalized_dice_loss", b_multiclass_generalized_dice_loss),
    ("make_fenchel_young_loss", b_make_fenchel_young_loss),
]


def all_specs():
    """Every (loss, spec) in order; deterministic (each loss has its own seed)."""
    out = []
    for loss, builder in REGISTRY:
        rng = np.random.default_rng(seed_for(FW, loss))
        out.append((loss, builder(rng)))
    return out


# ---------------------------------------------------------------------------
# The inputs exactly as handed to optax
# ---------------------------------------------------------------------------

def cast(s):
    """(y_true, y_pred, params for JSON, extra arrays) at the case dtype."""
    dt = np.dtype(s["dtype"])
    yt = s["y_true"]
    yt = yt.astype(np.int64) if np.issubdtype(yt.dtype, np.integer) else yt.astype(np.float64).astype(dt)
    yp = np.asarray(s["y_pred"], dtype=np.float64).astype(dt)
    extra = {}
    for k, v in s["extra"].items():
        extra[k] = np.asarray(v, dtype=bool) if k in BOOL_PARAMS else np.asarray(v, dtype=np.float64).astype(dt)
    return yt, yp, extra


# ---------------------------------------------------------------------------
# Worker: runs one dtype's cases in a process with the matching x64 setting
# ---------------------------------------------------------------------------

def worker(dtype, results_path):
    import jax
    import jax.numpy as jnp
    import optax
    from jax.scipy.special import logsumexp

    x64 = jax.config.jax_enable_x64
    if x64 != (dtype == "float64"):
        sys.exit(f"worker {dtype}: jax_enable_x64 is {x64}")
    if jnp.asarray(np.zeros(1, np.float64)).dtype != np.dtype(dtype):
        sys.exit(f"worker {dtype}: float64 arrays become {jnp.asarray(np.zeros(1, np.float64)).dtype}")
    warnings.simplefilter("ignore")
    L = optax.losses

    def fn_for(loss, params, extra):
        kw = dict(params)
        kw.update({k: jnp.asarray(v) for k, v in extra.items()})
        for k in ("axis",):
            if isinstance(kw.get(k), list):
                kw[k] = tuple(kw[k])
        if loss in ("ctc_loss", "ctc_loss_with_forward_probs"):
            lp, lap = kw.pop("logit_paddings"), kw.pop("label_paddings")
            f = getattr(L, loss)
            if loss == "ctc_loss":
                return lambda x, y: f(x, lp, y, lap, **kw)
            return lambda x, y: f(x, lp, y, lap, **kw)[0]
        if loss == "triplet_margin_loss":
            neg = kw.pop("negatives")
            return lambda x, y: L.triplet_margin_loss(x, y, neg, **kw)
        if loss == "ranking_softmax_loss":
            kw["reduce_fn"] = {"mean": jnp.mean, "sum": jnp.sum, None: None}[kw.get("reduce_fn", "mean")]
            return lambda x, y: L.ranking_softmax_loss(x, y, **kw)
        if loss == "make_fenchel_young_loss":
            fy = L.make_fenchel_young_loss(max_fun={"logsumexp": logsumexp}[kw.pop("max_fun")])
            return lambda x, y: fy(x, y, **kw)
        f = getattr(L, loss)
        return lambda x, y: f(x, y, **kw)

    results = {}
    for loss, specs in all_specs():
        for n, s in enumerate(specs, start=1):
            if s["dtype"] != dtype:
                continue
            yt, yp, extra = cast(s)
            key = f"{loss}/{n}"
            try:
                f = fn_for(loss, s["params"], extra)
                y = jnp.asarray(yt)
                x = jnp.asarray(yp)
                out = f(x, y)
                grad = jax.grad(lambda v: jnp.sum(f(v, y)))(x)
                out, grad = np.asarray(out), np.asarray(grad)
                if out.dtype != np.dtype(dtype) or grad.dtype != np.dtype(dtype):
                    sys.exit(f"{key}: computed in {out.dtype}/{grad.dtype}, expected {dtype}")
                results[key] = {"loss": enc_tensor(out), "grad": enc_tensor(grad)}
            except Exception as e:  # recorded; the parent checks the annotation
                results[key] = {"error": error_text(e)}
    results["__extra__"] = extra_fixtures(dtype, jax, jnp, optax)
    with open(results_path, "w") as fh:
        json.dump(results, fh)


def extra_fixtures(dtype, jax, jnp, optax):
    """smooth_labels cases, CTC forward probabilities, jnp.mean of unreduced values, large jnp.sums."""
    rng = np.random.default_rng(seed_for(FW, "extras") + (1 if dtype == "float64" else 0))
    dt = np.dtype(dtype)
    smooth = []
    plans = [((4, 5), 0.1, -1, None), ((3, 4), 0.2, 0, None), ((2, 3, 4), 0.3, [1, 2], None),
             ((3, 4), 0.1, -1, np.array([[1, 1, 0, 1], [1, 1, 1, 1], [0, 1, 1, 0]], bool)), ((2, 3), 0.25, None, None)]
    for shape, alpha, axis, where in plans:
        labels = np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])].astype(dt)
        kw = {"axis": tuple(axis) if isinstance(axis, list) else axis}
        if where is not None:
            kw["where"] = jnp.asarray(where)
        got = np.asarray(optax.smooth_labels(jnp.asarray(labels), alpha, **kw))
        smooth.append({"labels": enc_tensor(labels), "alpha": alpha, "axis": axis,
                       "where": None if where is None else enc_tensor(where), "dtype": dtype, "expected": enc_tensor(got)})
    forward = []
    for b, t, k, n, lt, ln, rep in [(2, 5, 4, 3, [5, 4], [3, 2], True), (1, 4, 3, 2, [4], [2], False)]:
        x, lp, lab, lap = ctc_inputs(rng, b, t, k, n, lt, ln, rep)
        x = x.astype(dt)
        loss, blank, emit = optax.losses.ctc_loss_with_forward_probs(
            jnp.asarray(x), jnp.asarray(lp.astype(dt)), jnp.asarray(lab), jnp.asarray(lap.astype(dt)))
        forward.append({"logits": enc_tensor(x), "logit_paddings": enc_tensor(lp.astype(dt)), "labels": enc_tensor(lab),
                        "label_paddings": enc_tensor(lap.astype(dt)), "dtype": dtype,
                        "expected": {"loss": enc_tensor(np.asarray(loss)), "logalpha_blank": enc_tensor(np.asarray(blank)),
                                     "logalpha_emit": enc_tensor(np.asarray(emit))}})
    # jnp.mean of unreduced values, as a user reduces an optax loss (XLA multiplies the
    # sum by the rounded reciprocal of the count): the motivating input's
    # sigmoid_binary_cross_entropy, then random values of sizes below YNNPACK's 4096.
    means = []
    motivating = optax.losses.sigmoid_binary_cross_entropy(jnp.asarray([1.0, 1.0, 0.0], dt), jnp.asarray([1.0, 1.0, 1.0], dt))
    inputs = [("motivating-sigmoid_binary_cross_entropy", np.asarray(motivating))]
    for shape in [(7,), (10,), (33,), (100,), (1000,), (4, 5), (3, 40)]:
        inputs.append((f"uniform-{'x'.join(map(str, shape))}", rng.uniform(0, 3, shape).astype(dt)))
    for name, values in inputs:
        means.append({"id": f"{name}-{dtype}", "values": enc_tensor(values), "dtype": dtype,
                      "mean": enc_tensor(np.asarray(jnp.mean(jnp.asarray(values))))})
    # jnp.sum of float32 reductions of 4096 elements or more (XLA hands them to YNNPACK):
    # inputs from a formula the tests recompute, so only the sums are stored.
    sums = []
    if dtype == "float32":
        def formula(n):
            i = np.arange(n, dtype=np.uint64)
            u = (i * np.uint64(2654435761) + np.uint64(12345)) % np.uint64(4294967296)
            return (u.astype(np.float64) / 4294967296.0 * 40.0 - 20.0).astype(np.float32)
        for shape, axis in [((4, 5000), -1), ((1, 8192), -1), ((2, 40000), -1), ((4096, 1), -1), ((16, 300), -1),
                            ((5000,), None), ((100000,), None), ((10, 5000), None), ((3, 40000), None), ((300, 300), None),
                            ((100, 1000), None)]:
            values = formula(int(np.prod(shape))).reshape(shape)
            sums.append({"shape": list(shape), "axis": axis, "dtype": dtype,
                         "sum": enc_tensor(np.asarray(jnp.sum(jnp.asarray(values), axis=axis)))})
    return {"smooth_labels": smooth, "ctc_forward_probs": forward, "means": means, "sums": sums}


# ---------------------------------------------------------------------------
# Parent: versions, workers, files
# ---------------------------------------------------------------------------

def installed_versions():
    from importlib.metadata import version
    return {"python": platform.python_version(), "numpy": np.__version__, "jax": version("jax"),
            "jaxlib": version("jaxlib"), "optax": version("optax")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--extra-out", default=EXTRA_OUT)
    ap.add_argument("--allow-version-mismatch", action="store_true")
    ap.add_argument("--worker", choices=["float32", "float64"], help=argparse.SUPPRESS)
    ap.add_argument("--results", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.results)
        return 0

    versions = installed_versions()
    check_versions(versions, PINS, "requirements-optax.txt", args.allow_version_mismatch)
    start = time.time()
    results = {}
    extras = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dtype in ["float32", "float64"]:
            path = os.path.join(tmp, f"{dtype}.json")
            env = dict(os.environ, JAX_ENABLE_X64="1" if dtype == "float64" else "0", JAX_PLATFORMS="cpu")
            subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", dtype, "--results", path],
                           env=env, check=True)
            with open(path) as fh:
                part = json.load(fh)
            extras[dtype] = part.pop("__extra__")
            results.update(part)

    counts = {}
    total_errors = 0
    for loss, specs in all_specs():
        cases = []
        for n, s in enumerate(specs, start=1):
            yt, yp, extra = cast(s)
            params = dict(s["params"])
            params.update(extra)
            case = {"id": case_id(FW, loss, s["desc"], n), "framework": FW, "loss": loss, "params": enc_params(params),
                    "y_true": enc_tensor(yt), "y_pred": enc_tensor(yp), "sample_weight": None, "dtype": s["dtype"]}
            r = results[f"{loss}/{n}"]

            def replay(r=r):
                if "error" in r:
                    name, _, message = r["error"].partition(": ")
                    raise type(name, (Exception,), {})(message)
                return decode(r["loss"]), decode(r["grad"])
            cases.append(record_outcome(case, s, replay))
        header = {"script": SCRIPT, "seed": seed_for(FW, loss), "versions": versions,
                  "x64": {"float32": False, "float64": True}}
        total_errors += write_case_file(args.out, FW, loss, header, cases, counts)
    total = sum(counts.values())
    if total < 250:
        sys.exit(f"only {total} optax cases (< 250)")
    os.makedirs(args.extra_out, exist_ok=True)
    for name in ["smooth_labels", "ctc_forward_probs", "means", "sums"]:
        doc = {"format": "losskit-optax-extra/1", "generator": {"script": SCRIPT, "versions": versions},
               "cases": extras["float32"][name] + extras["float64"][name]}
        with open(os.path.join(args.extra_out, f"{name}.json"), "w") as fh:
            json.dump(doc, fh, allow_nan=False)
            fh.write("\n")
    finish(args.out, counts, total_errors, FAMILY, versions, start)
    return 0


def decode(t):
    """The inverse of enc_tensor for a worker's float results."""
    special = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}
    data = [special[v] if isinstance(v, str) else float(v) for v in t["data"]]
    return np.array(data, dtype=np.float64).reshape(t["shape"])


if __name__ == "__main__":
    sys.exit(main())
