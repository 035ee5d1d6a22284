#!/usr/bin/env python3
"""LossKit conformance corpus for scikit-learn's loss metrics.

Runs scikit-learn 1.9.1 (numpy 2.4.6, scipy 1.17.1) itself on seeded random and
hand-picked edge inputs and writes one JSON case file per metric under
Tests/Fixtures/conformance/sklearn/, plus the manifest entries of the "sklearn"
family. scikit-learn computes no gradients: every case has "grad_y_pred": null.

How each case is called: `getattr(sklearn.metrics, loss)(y_true, y_pred, **params,
sample_weight=sw)`, positionally as the docs do. Every float array -- y_pred, y_true
of the regression metrics, sample_weight and the `multioutput` weights -- is a
numpy array of the case's dtype; class labels (y_true of log_loss, brier_score_loss
and hinge_loss, and `labels`) are int64 arrays. So NumPy computes in the case's dtype,
except binary hinge_loss (int64 labels times the decisions: float64).

Usage (from the repository root):
    /work/venv-tf/bin/python Tools/conformance/generate_sklearn.py [--out DIR]

The script refuses other versions than the pins of requirements-sklearn.txt.
"""

import argparse
import os
import platform
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import (  # noqa: E402
    balanced, case_id, check_versions, enc_params, enc_tensor, error, finish, int_labels, record_outcome, seed_for,
    shape_tag, simplex, spec, write_case_file)

import scipy  # noqa: E402
import sklearn  # noqa: E402
import sklearn.metrics  # noqa: E402

SCRIPT = "Tools/conformance/generate_sklearn.py"
DEFAULT_OUT = "Tests/Fixtures/conformance"
FAMILY = "sklearn"
FW = "sklearn"
PINS = {"numpy": "2.4.6", "scikit-learn": "1.9.1", "scipy": "1.17.1"}
DTYPES = ["float32", "float64"]

# Classification metrics: y_true holds class labels (int64).
CLASSIFICATION = {"log_loss", "brier_score_loss", "hinge_loss"}
MULTIOUTPUT = {"mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
               "mean_absolute_percentage_error", "mean_squared_log_error", "median_absolute_error",
               "mean_pinball_loss"}

F32_EPS = float(np.finfo(np.float32).eps)
F64_EPS = float(np.finfo(np.float64).eps)


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------

def weights(rng, n, kind):
    """Sample weights of one kind: pos, zeros (some zero), neg (mixed signs, sum > 0)."""
    if kind is None:
        return None
    w = rng.uniform(0.25, 2.0, n)
    if kind == "zeros":
        w[rng.random(n) < 0.35] = 0.0
        w[0] = 0.0
        if not w.any():
            w[-1] = 1.0
    elif kind == "neg":
        w = rng.uniform(-0.5, 2.0, n)
        w[0] = -0.4
        if w.sum() <= 0.5:
            w[-1] += 2.0
    return w


SW_KINDS = [None, "pos", "zeros", "neg"]


# ---------------------------------------------------------------------------
# Regression metrics
# ---------------------------------------------------------------------------

# Sample counts around NumPy's pairwise-sum thresholds (8 accumulators, blocks of 128).
REG_SAMPLES = [1, 3, 7, 8, 9, 17, 40, 129, 300]


def regression_values(rng, loss, shape):
    """(y_true, y_pred) in the metric's domain."""
    if loss == "mean_squared_log_error":
        yt = rng.uniform(-0.9, 6.0, shape)
        yp = rng.uniform(-0.9, 6.0, shape)
    elif loss == "mean_absolute_percentage_error":
        yt = rng.normal(0.0, 3.0, shape)
        yp = yt + rng.normal(0.0, 1.0, shape)
    elif loss == "median_absolute_error":
        # Repeated values: ties between absolute errors.
        yt = rng.integers(-4, 5, shape).astype(np.float64) / 2
        yp = rng.integers(-4, 5, shape).astype(np.float64) / 2 if rng.random() < 0.4 else rng.normal(0.0, 2.0, shape)
    else:
        yt = rng.normal(0.0, 3.0, shape)
        yp = rng.normal(0.0, 3.0, shape)
    return yt, yp


def regression_sweep(rng, loss, n_cases, extra_params=None):
    """Seeded sweep: sample counts, outputs, dtypes, weights and multioutput values."""
    out = []
    dts = balanced(rng, DTYPES, n_cases)
    ns = balanced(rng, REG_SAMPLES, n_cases)
    ks = balanced(rng, [0, 1, 2, 3], n_cases)  # 0: a 1-D array
    sws = balanced(rng, SW_KINDS if loss != "median_absolute_error" else [None, "pos", "zeros"], n_cases)
    mos = balanced(rng, ["uniform_average", "raw_values", "weights"], n_cases)
    cycle = extra_params or [{}]
    for i in range(n_cases):
        n, k = ns[i], ks[i]
        shape = (n,) if k == 0 else (n, k)
        yt, yp = regression_values(rng, loss, shape)
        params = dict(cycle[i % len(cycle)])
        mo = mos[i]
        outputs = 1 if k == 0 else k
        if mo == "weights":
            if outputs == 1:
                mo = "uniform_average"
            else:
                params["multioutput"] = rng.uniform(0.1, 1.0, outputs)
        if mo != "weights":
            params["multioutput"] = mo
        sw = weights(rng, n, sws[i])
        tag = "-".join(f"{k_}{v}" for k_, v in params.items() if not isinstance(v, np.ndarray))
        if isinstance(params.get("multioutput"), np.ndarray):
            tag += "-multioutput-weights"
        out.append(spec(f"sweep-{shape_tag(shape)}-{tag}-sw{sws[i]}", yt, yp, params, sw, dts[i]))
    return out


def regression_common_cases(rng, loss):
    """Docstring examples, precision edges and the errors every regression metric shares."""
    out = []
    doc1 = ([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    doc2 = ([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]])
    if loss == "mean_squared_log_error":
        doc1 = ([3, 5, 2.5, 7], [2.5, 5, 4, 8])
        doc2 = ([[0.5, 1], [1, 2], [7, 6]], [[0.5, 2], [1, 2.5], [8, 8]])
    for dt in DTYPES:
        out.append(spec("docstring-1d", *doc1, {}, None, dt))
        for mo in ("uniform_average", "raw_values"):
            out.append(spec(f"docstring-2d-{mo}", *doc2, {"multioutput": mo}, None, dt))
        out.append(spec("docstring-2d-weights", *doc2, {"multioutput": np.array([0.3, 0.7])}, None, dt))
        # (n, 1) is one output, like (n,)
        out.append(spec("column-n1", np.array(doc1[0]).reshape(-1, 1), np.array(doc1[1]).reshape(-1, 1),
                        {"multioutput": "raw_values"}, None, dt))
        # Large values with small differences: the float32 rounding shows.
        base = rng.uniform(1000.0, 1001.0, 50)
        out.append(spec("large-close", base, base + rng.normal(0.0, 1e-3, 50), {}, None, dt))
        # Weights (n,) with k outputs, zeros among them, raw values.
        yt, yp = regression_values(rng, loss, (10, 3))
        out.append(spec("weights-3-outputs-raw", yt, yp, {"multioutput": "raw_values"},
                        weights(rng, 10, "zeros"), dt))
        # More than 128 samples in one output: the pairwise sum splits.
        yt, yp = regression_values(rng, loss, (1000,))
        out.append(spec("n1000", yt, yp, {}, weights(rng, 1000, "pos") if dt == "float64" else None, dt))
    # Errors shared by every regression metric (the LossKit error each maps to).
    yt, yp = regression_values(rng, loss, (4,))
    out.append(spec("err-length-mismatch", yt, yp[:3], {}, error=error("shape_mismatch", "y_true")))
    out.append(spec("err-outputs-mismatch", np.ones((3, 2)), np.ones((3, 3)) * 0.5, {},
                    error=error("shape_mismatch", "y_true")))
    out.append(spec("err-sw-length", yt, yp, {}, [1.0, 2.0, 3.0], error=error("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-2d", yt, yp, {}, np.ones((4, 1)), error=error("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-all-zero", yt, yp, {}, np.zeros(4), error=error("invalid_value", "sample_weight")))
    out.append(spec("err-sw-nan", yt, yp, {}, [1.0, np.nan, 1.0, 1.0], error=error("invalid_value", "sample_weight")))
    out.append(spec("err-nan-y_pred", yt, [np.nan, 1.0, 2.0, 3.0] if loss != "mean_squared_log_error" else [np.nan, 1, 2, 3],
                    {}, error=error("invalid_value", "y_pred")))
    out.append(spec("err-inf-y_true", [np.inf, 1.0, 2.0, 3.0], yp, {}, error=error("invalid_value", "y_true")))
    out.append(spec("err-3d", np.ones((2, 2, 2)), np.ones((2, 2, 2)), {}, error=error("shape_mismatch", "y_true")))
    out.append(spec("err-empty", np.zeros((0,)), np.zeros((0,)), {}, error=error("shape_mismatch", "y_true")))
    out.append(spec("err-multioutput-variance_weighted", yt, yp, {"multioutput": "variance_weighted"},
                    error=error("invalid_parameter", "multioutput")))
    yt2, yp2 = regression_values(rng, loss, (4, 2))
    if loss == "root_mean_squared_error":
        # No _check_reg_targets check of array weights: one weight for one output works,
        # a wrong count fails inside np.average.
        out.append(spec("multioutput-weights-one-output", yt, yp, {"multioutput": np.array([0.4])}))
        out.append(spec("err-multioutput-weights-count", yt2, yp2, {"multioutput": np.array([0.2, 0.3, 0.5])},
                        error=error("invalid_parameter", "multioutput")))
    else:
        out.append(spec("err-multioutput-weights-one-output", yt, yp, {"multioutput": np.array([0.4])},
                        error=error("invalid_parameter", "multioutput")))
        out.append(spec("err-multioutput-weights-count", yt2, yp2, {"multioutput": np.array([0.2, 0.3, 0.5])},
                        error=error("invalid_parameter", "multioutput")))
    # Multioutput weights that cancel: np.average raises ZeroDivisionError.
    out.append(spec("err-multioutput-weights-sum-zero", yt2, yp2, {"multioutput": np.array([1.0, -1.0])},
                    error=error("invalid_parameter", "multioutput")))
    if loss != "median_absolute_error":
        # Sample weights that cancel (not all zero): np.average raises ZeroDivisionError.
        out.append(spec("err-sw-sum-zero", yt, yp, {}, [1.0, -1.0, 0.5, -0.5], error=error("invalid_value", "sample_weight")))
    return out


def build_regression(loss):
    def build(rng):
        out = regression_common_cases(rng, loss)
        cycle = None
        if loss == "mean_pinball_loss":
            cycle = [{"alpha": a} for a in (0.5, 0.1, 0.9, 0.0, 1.0, 0.37)]
        out += regression_sweep(rng, loss, 40, cycle)
        out += extra_cases(rng, loss)
        return out
    return build


def extra_cases(rng, loss):
    out = []
    if loss == "mean_absolute_percentage_error":
        for dt in DTYPES:
            # Docstring: y_true = 0 divides by float64's eps (112589990684262.48).
            out.append(spec("docstring-zero-target", [1.0, 0.0, 2.4, 7.0], [1.2, 0.1, 2.4, 8.0], {}, None, dt))
            out.append(spec("zero-targets-raw", [[0.0, 1.0], [0.0, -2.0], [3.0, 0.0]], [[0.0, 1.5], [1e-3, -2.0], [3.0, -1e-20]],
                            {"multioutput": "raw_values"}, None, dt))
            out.append(spec("tiny-targets", [1e-17, -1e-16, 2.2e-16, 1e-30], [0.0, 1e-16, 0.0, 1.0], {}, None, dt))
            out.append(spec("zero-target-weighted", [0.0, 1.0, 2.0], [0.5, 1.0, 2.5], {}, [0.0, 1.0, 1.0], dt))
    if loss == "mean_squared_log_error":
        for dt in DTYPES:
            out.append(spec("near-minus-one", [-0.999, -0.5, 0.0, 3.0], [-0.9999, 0.0, -0.999999, 1e6], {}, None, dt))
            out.append(spec("negatives-above-minus-one", [-0.3, -0.7, 0.2], [-0.1, -0.2, -0.8], {}, None, dt))
        out.append(spec("err-y_true-minus-one", [-1.0, 0.5, 2.0], [0.5, 0.5, 2.0], {}, error=error("invalid_value", "y_true")))
        out.append(spec("err-y_true-below-minus-one", [-2.0, 0.5, 2.0], [0.5, 0.5, 2.0], {}, error=error("invalid_value", "y_true")))
        out.append(spec("err-y_pred-minus-one", [0.0, 0.5, 2.0], [0.5, -1.0, 2.0], {}, error=error("invalid_value", "y_pred")))
        out.append(spec("err-y_pred-below-minus-one-float64", [0.0, 0.5, 2.0], [0.5, -3.0, 2.0], {}, None, "float64",
                        error=error("invalid_value", "y_pred")))
    if loss == "mean_pinball_loss":
        for dt in DTYPES:
            for a in (0.1, 0.9):
                out.append(spec(f"docstring-alpha{a}", [1, 2, 3], [0, 2, 3], {"alpha": a}, None, dt))
                out.append(spec(f"docstring-alpha{a}-over", [1, 2, 3], [1, 2, 4], {"alpha": a}, None, dt))
                out.append(spec(f"docstring-alpha{a}-exact", [1, 2, 3], [1, 2, 3], {"alpha": a}, None, dt))
        out.append(spec("err-alpha-above-1", [1.0, 2.0], [1.5, 2.5], {"alpha": 1.5}, error=error("invalid_parameter", "alpha")))
        out.append(spec("err-alpha-negative", [1.0, 2.0], [1.5, 2.5], {"alpha": -0.1}, error=error("invalid_parameter", "alpha")))
    if loss == "median_absolute_error":
        for dt in DTYPES:
            # Weighted medians: exactly half the weight on one side, zero weights next to it.
            out.append(spec("weighted-half-exact", [0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0], {}, [1.0, 1.0, 1.0, 1.0], dt))
            out.append(spec("weighted-zero-next", [0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0], {},
                            [1.0, 1.0, 0.0, 1.0, 1.0], dt))
            out.append(spec("weighted-trailing-zeros", [0.0] * 4, [1.0, 2.0, 3.0, 4.0], {}, [1.0, 1.0, 0.0, 0.0], dt))
            out.append(spec("weighted-heavy", [0.0] * 5, [5.0, 1.0, 4.0, 2.0, 3.0], {}, [0.1, 0.1, 5.0, 0.1, 0.1], dt))
            out.append(spec("even-count", [0.0] * 6, [0.3, -0.1, 0.7, 0.2, -0.9, 0.5], {}, None, dt))
            out.append(spec("weighted-2d", np.zeros((5, 2)), [[1, 5], [2, 4], [3, 3], [4, 2], [5, 1]],
                            {"multioutput": "raw_values"}, [1.0, 2.0, 0.0, 1.0, 3.0], dt))
    return out


# ---------------------------------------------------------------------------
# Deviances
# ---------------------------------------------------------------------------

def deviance_domain(rng, power, n):
    if power < 0:
        return rng.normal(0.5, 2.0, n), rng.uniform(0.05, 4.0, n)
    if power == 0:
        return rng.normal(0.0, 2.0, n), rng.normal(0.0, 2.0, n)
    if power < 2:
        yt = rng.uniform(0.0, 5.0, n)
        yt[rng.random(n) < 0.25] = 0.0
        return yt, rng.uniform(0.05, 5.0, n)
    return rng.uniform(0.05, 5.0, n), rng.uniform(0.05, 5.0, n)


def build_deviance(loss):
    fixed = {"mean_poisson_deviance": 1, "mean_gamma_deviance": 2}.get(loss)

    def build(rng):
        out = []
        powers = [fixed] if fixed is not None else [-1.0, -0.5, 0, 1, 1.5, 2, 2.5, 3, 1.2, 4]
        n_cases = 40
        dts = balanced(rng, DTYPES, n_cases)
        ns = balanced(rng, REG_SAMPLES, n_cases)
        sws = balanced(rng, SW_KINDS, n_cases)
        for i in range(n_cases):
            p = powers[i % len(powers)]
            yt, yp = deviance_domain(rng, p, ns[i])
            params = {} if fixed is not None else {"power": p}
            column = i % 5 == 4
            if column:
                yt, yp = yt.reshape(-1, 1), yp.reshape(-1, 1)
            out.append(spec(f"sweep-p{p}-n{ns[i]}{'-col' if column else ''}-sw{sws[i]}", yt, yp, params,
                            weights(rng, ns[i], sws[i]), dts[i]))
        doc = ([2, 0, 1, 4], [0.5, 0.5, 2.0, 2.0]) if fixed != 2 else ([2, 0.5, 1, 4], [0.5, 0.5, 2.0, 2.0])
        for dt in DTYPES:
            out.append(spec("docstring", *doc, {} if fixed is not None else {"power": 1}, None, dt))
            out.append(spec("n1000", *deviance_domain(rng, powers[0], 1000), {} if fixed is not None else {"power": powers[0]},
                            None, dt))
        def p_params(p):
            return {} if fixed is not None else {"power": p}
        first = powers[0]
        if fixed is None:
            for dt in DTYPES:
                out.append(spec("power0-negative-values", [-1.0, 2.0, -3.0], [0.5, -2.0, -1.0], {"power": 0}, None, dt))
                out.append(spec("power-negative-y_true-negative", [-1.0, 2.0, -3.0], [0.5, 2.0, 1.0], {"power": -1.0}, None, dt))
            out.append(spec("err-power-0.5", [1.0, 2.0], [1.0, 2.0], {"power": 0.5}, error=error("invalid_parameter", "power")))
            out.append(spec("err-power-negative-y_pred-zero", [1.0, 2.0], [0.0, 2.0], {"power": -1.0},
                            error=error("invalid_value", "y_pred")))
            out.append(spec("err-power3-y_true-zero", [0.0, 2.0], [1.0, 2.0], {"power": 3},
                            error=error("invalid_value", "y_true")))
            out.append(spec("err-power1.5-y_true-negative", [-0.5, 2.0], [1.0, 2.0], {"power": 1.5},
                            error=error("invalid_value", "y_true")))
        if fixed in (None, 1):
            out.append(spec("err-negative-y_true", [-1.0, 2.0, 1.0], [1.0, 2.0, 1.0], p_params(1),
                            error=error("invalid_value", "y_true")))
            out.append(spec("err-negative-y_pred", [1.0, 2.0, 1.0], [1.0, -2.0, 1.0], p_params(1),
                            error=error("invalid_value", "y_pred")))
            out.append(spec("err-zero-y_pred", [1.0, 2.0, 1.0], [1.0, 0.0, 1.0], p_params(1),
                            error=error("invalid_value", "y_pred")))
            for dt in DTYPES:
                out.append(spec("zero-targets", [0.0, 0.0, 3.0, 0.0], [0.1, 2.0, 3.0, 1e-6], p_params(1), None, dt))
        if fixed in (None, 2):
            out.append(spec("err-zero-y_true", [0.0, 2.0, 1.0], [1.0, 2.0, 1.0], p_params(2),
                            error=error("invalid_value", "y_true")))
            out.append(spec("err-negative-y_pred-gamma", [1.0, 2.0, 1.0], [1.0, -2.0, 1.0], p_params(2),
                            error=error("invalid_value", "y_pred")))
        yt, yp = deviance_domain(rng, first, 4)
        out.append(spec("err-multioutput", np.abs(np.ones((3, 2))), np.ones((3, 2)), p_params(first),
                        error=error("unsupported", "y_true")))
        out.append(spec("err-length-mismatch", yt, yp[:3], p_params(first), error=error("shape_mismatch", "y_true")))
        out.append(spec("err-sw-length", yt, yp, p_params(first), [1.0, 2.0], error=error("shape_mismatch", "sample_weight")))
        out.append(spec("err-sw-all-zero", yt, yp, p_params(first), np.zeros(4), error=error("invalid_value", "sample_weight")))
        out.append(spec("err-sw-sum-zero", yt, yp, p_params(first), [1.0, -1.0, 2.0, -2.0],
                        error=error("invalid_value", "sample_weight")))
        out.append(spec("err-nan", yt, [np.nan, 1.0, 1.0, 1.0], p_params(first), error=error("invalid_value", "y_pred")))
        return out
    return build


# ---------------------------------------------------------------------------
# log_loss
# ---------------------------------------------------------------------------

def clip_edges(dt):
    vals = [0.0, 1.0, F32_EPS, 1.0 - F32_EPS, float(np.nextafter(np.float32(F32_EPS), np.float32(0))),
            float(np.nextafter(np.float32(1 - F32_EPS), np.float32(1))), 1e-12, 1e-20, 0.5, 1e-7, 1.0 - 1e-7]
    if dt == "float64":
        vals += [F64_EPS, 1.0 - F64_EPS, F64_EPS / 2, 1e-300, float(np.nextafter(1.0, 0.0))]
    return vals


def build_log_loss(rng):
    out = []
    L = int_labels
    # The motivating example: 12.014551129705717 in float64, 5.314128398895264 in float32.
    for dt in DTYPES:
        out.append(spec("motivating", L([1, 1, 1]), [1.0, 1.0, 0.0], {"labels": L([0, 1])}, None, dt))
    out.append(spec("err-motivating-without-labels", L([1, 1, 1]), [1.0, 1.0, 0.0], {},
                    error=error("invalid_value", "y_true")))
    # Docstring, with "ham" = 0 and "spam" = 1 (sorted as LabelBinarizer sorts): 0.21616.
    for dt in DTYPES:
        out.append(spec("docstring", L([1, 0, 0, 1]), [[.1, .9], [.9, .1], [.8, .2], [.35, .65]], {}, None, dt))
    # Clipping near 0 and 1, each dtype's eps: one sample per value, both labels, 1-D.
    for dt in DTYPES:
        edges = clip_edges(dt)
        k = len(edges)
        for y in (0, 1):
            out.append(spec(f"clip-edges-y{y}-1d", L([y] * k), edges, {"labels": L([0, 1])}, None, dt))
        out.append(spec("clip-edges-mixed-1d", L([i % 2 for i in range(k)]), edges, {"normalize": False}, None, dt))
        # The same edges as the true class's probability of a 2-D row.
        rows = np.array([[1.0 - e, e] for e in edges])
        out.append(spec("clip-edges-2d", L([1] * k), rows, {"labels": L([0, 1])}, None, dt))
        out.append(spec("clip-edges-2d-column", L([0, 1] * (k // 2) + [0] * (k % 2)), np.array(edges).reshape(-1, 1), {},
                        None, dt))
    # Seeded sweep: classes, samples, normalised or not, weights, normalize, labels.
    n_cases = 44
    dts = balanced(rng, DTYPES, n_cases)
    cs = balanced(rng, [2, 3, 5, 10], n_cases)
    ns = balanced(rng, [1, 4, 9, 17, 130], n_cases)
    sws = balanced(rng, SW_KINDS, n_cases)
    norms = balanced(rng, [True, True, False], n_cases)
    for i in range(n_cases):
        c, n = cs[i], ns[i]
        p = simplex(rng, (n, c))
        kind = i % 4
        if kind == 1:
            p = p * rng.uniform(0.7, 1.0, (n, 1))  # rows that do not sum to one (a warning only)
        yt = rng.integers(0, c, n)
        params = {}
        if not norms[i]:
            params["normalize"] = False
        labels = np.arange(c)
        if kind == 2 or len(np.unique(yt)) != c:
            params["labels"] = L(labels)
        if kind == 3 and c > 2:
            # Labels that are not 0..C-1.
            labels = np.array(sorted(rng.choice(np.arange(-3, 20), c, replace=False)))
            yt = labels[yt]
            params["labels"] = L(labels)
        if c == 2 and i % 3 == 0:
            p = p[:, 1]  # the positive class only
        sw = weights(rng, n, sws[i])
        out.append(spec(f"sweep-C{c}-n{n}-{'1d' if p.ndim == 1 else '2d'}-norm{int(norms[i])}-sw{sws[i]}",
                        L(yt), p, params, sw, dts[i]))
    for dt in DTYPES:
        # Labels that are not {0, 1}: the larger is the positive class.
        out.append(spec("labels-2-5-1d", L([2, 5, 5, 2]), [0.3, 0.8, 0.6, 0.1], {}, None, dt))
        out.append(spec("labels-minus1-1-1d", L([-1, 1, 1]), [0.2, 0.7, 0.9], {}, None, dt))
        # labels given unsorted: sorted anyway (a warning).
        out.append(spec("labels-unsorted", L([0, 1, 2]), simplex(rng, (3, 3)), {"labels": L([2, 0, 1])}, None, dt))
        # A class of labels absent from y_true.
        out.append(spec("labels-superset", L([0, 0, 2]), simplex(rng, (3, 3)), {"labels": L([0, 1, 2])}, None, dt))
        # Label-indicator y_true (multilabel): used as it is.
        out.append(spec("indicator-onehot", L([[0, 1], [1, 0], [1, 0]]), [[0.5, .5], [.3, .7], [0, 1]], {}, None, dt))
        out.append(spec("indicator-multilabel", L([[0, 1, 1], [1, 0, 0], [1, 0, 1]]),
                        [[0.5, .5, .2], [.3, .7, .1], [0, 1, .4]], {}, None, dt))
        out.append(spec("ytrue-column", L([[0], [1], [1]]), [0.5, 0.3, 1.0], {}, None, dt))
        out.append(spec("many-samples", L(rng.integers(0, 3, 1000)), simplex(rng, (1000, 3)), {}, None, dt))
        out.append(spec("unnormalised-rows", L([0, 1, 2]), [[0.2, 0.5, 0.1], [0.3, 0.3, 0.3], [0.1, 0.1, 0.1]], {}, None, dt))
        out.append(spec("all-zero-row", L([0, 1]), [[0.0, 0.0], [0.4, 0.6]], {}, None, dt))
        out.append(spec("normalize-false-weighted", L([0, 1, 1, 0]), [0.1, 0.8, 0.4, 0.3], {"normalize": False},
                        [1.0, 0.0, 2.0, 0.5], dt))
    # Errors.
    E = error
    out.append(spec("err-proba-above-1", L([0, 1, 1]), [0.5, 0.3, 1.5], {}, error=E("invalid_value", "y_proba")))
    out.append(spec("err-proba-below-0", L([0, 1, 1]), [0.5, 0.3, -0.1], {}, error=E("invalid_value", "y_proba")))
    out.append(spec("err-proba-nan", L([0, 1, 1]), [0.5, 0.3, np.nan], {}, error=E("invalid_value", "y_proba")))
    out.append(spec("err-proba-3d", L([0, 1]), np.full((2, 2, 2), 0.5), {}, error=E("shape_mismatch", "y_proba")))
    out.append(spec("err-length-mismatch", L([0, 1]), [0.5, 0.3, 0.4], {}, error=E("shape_mismatch", "y_true")))
    out.append(spec("err-sw-length", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, [1.0, 2.0], error=E("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-2d", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, np.ones((3, 1)), error=E("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-all-zero", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, np.zeros(3), error=E("invalid_value", "sample_weight")))
    out.append(spec("err-sw-nan", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, [0.0, np.nan, 1.0], error=E("invalid_value", "sample_weight")))
    out.append(spec("err-sw-sum-zero", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, [1.0, -1.0, 0.0], error=E("invalid_value", "sample_weight")))
    out.append(spec("err-ytrue-not-labels", np.array([0.5, 1.0, 1.0]), [0.5, 0.3, 0.4], {}, error=E("invalid_value", "y_true")))
    out.append(spec("err-ytrue-outside-labels", L([0, 1, 2]), [0.5, 0.3, 1.0], {"labels": L([0, 1])},
                    error=E("invalid_value", "y_true")))
    out.append(spec("err-labels-one-class", L([0, 0, 0]), [0.5, 0.3, 1.0], {"labels": L([0, 0])},
                    error=E("invalid_parameter", "labels")))
    out.append(spec("err-classes-vs-columns", L([0, 1, 1]), [[0.5, .5, 0], [.3, .6, .1], [0, 0, 1]], {},
                    error=E("shape_mismatch", "y_true")))
    out.append(spec("err-labels-vs-columns", L([0, 1, 1]), [[0.5, .5, 0], [.3, .6, .1], [0, 0, 1]], {"labels": L([0, 1, 2, 3])},
                    error=E("shape_mismatch", "labels")))
    out.append(spec("err-labels-vs-1d", L([0, 1, 1]), [0.5, 0.3, 0.4], {"labels": L([0, 1, 2])}, error=E("shape_mismatch", "labels")))
    out.append(spec("err-indicator-with-labels", L([[0, 1], [1, 0], [1, 0]]), [[0.5, .5], [.3, .7], [0, 1]], {"labels": L([0, 1])},
                    error=E("unsupported", "y_true")))
    out.append(spec("err-empty", L(np.zeros(0, dtype=np.int64)), np.zeros(0), {}, error=E("shape_mismatch", "y_proba")))
    return out


# ---------------------------------------------------------------------------
# brier_score_loss
# ---------------------------------------------------------------------------

def build_brier(rng):
    out = []
    L = int_labels
    E = error
    for dt in DTYPES:
        # Docstring examples: 0.0375, pos_label=0 gives 0.0375, scale_by_half=False 0.075, 3 classes 0.146.
        out.append(spec("docstring", L([0, 1, 1, 0]), [0.1, 0.9, 0.8, 0.3], {}, None, dt))
        out.append(spec("docstring-pos-label-0", L([0, 1, 1, 0]), [0.9, 0.1, 0.2, 0.7], {"pos_label": 0}, None, dt))
        out.append(spec("docstring-thresholded", L([0, 1, 1, 0]), [0.0, 1.0, 1.0, 0.0], {}, None, dt))
        out.append(spec("docstring-unscaled", L([0, 1, 1, 0]), [0.1, 0.9, 0.8, 0.3], {"scale_by_half": False}, None, dt))
        out.append(spec("docstring-3-classes", L([0, 1, 2]), [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.2, 0.2, 0.6]],
                        {"labels": L([0, 1, 2])}, None, dt))
        out.append(spec("labels-2-5", L([2, 5, 5]), [0.5, 0.3, 1.0], {}, None, dt))
        out.append(spec("labels-2-5-pos-2", L([2, 5, 5]), [0.5, 0.3, 1.0], {"pos_label": 2}, None, dt))
        out.append(spec("labels-minus1-1", L([-1, 1, 1, -1]), [0.2, 0.6, 0.9, 0.4], {}, None, dt))
        out.append(spec("single-class", L([1, 1, 1]), [0.5, 0.3, 1.0], {}, None, dt))
        out.append(spec("single-class-0", L([0, 0]), [0.5, 0.25], {}, None, dt))
        out.append(spec("pos-label-absent", L([2, 5, 5]), [0.5, 0.3, 1.0], {"pos_label": 7}, None, dt))
        out.append(spec("column", L([0, 1, 1]), [[0.5], [0.3], [1.0]], {}, None, dt))
        out.append(spec("2d-binary-auto", L([0, 1, 1]), [[0.5, .5], [.3, .7], [0, 1]], {}, None, dt))
        out.append(spec("2d-binary-unscaled", L([0, 1, 1]), [[0.5, .5], [.3, .7], [0, 1]], {"scale_by_half": False}, None, dt))
        out.append(spec("3-classes-scaled", L([0, 1, 2]), [[0.5, .5, 0], [.3, .6, .1], [0, 0, 1]], {"scale_by_half": True}, None, dt))
        out.append(spec("labels-superset", L([0, 0, 2]), simplex(rng, (3, 3)), {"labels": L([0, 1, 2])}, None, dt))
        out.append(spec("indicator", L([[0, 1, 1], [1, 0, 0]]), [[0.5, .5, .2], [.3, .7, .1]], {}, None, dt))
    n_cases = 40
    dts = balanced(rng, DTYPES, n_cases)
    cs = balanced(rng, [1, 2, 3, 4, 7], n_cases)  # 1: a 1-D y_proba
    ns = balanced(rng, [1, 5, 9, 130], n_cases)
    sws = balanced(rng, SW_KINDS, n_cases)
    scales = balanced(rng, ["auto", "auto", True, False], n_cases)
    for i in range(n_cases):
        c, n = cs[i], ns[i]
        params = {} if scales[i] == "auto" else {"scale_by_half": scales[i]}
        if c == 1:
            yt = rng.integers(0, 2, n)
            p = rng.uniform(0.0, 1.0, n)
        else:
            yt = rng.integers(0, c, n)
            p = simplex(rng, (n, c))
            if len(np.unique(yt)) != c or i % 3 == 0:
                params["labels"] = L(np.arange(c))
        out.append(spec(f"sweep-C{c}-n{n}-scale{scales[i]}-sw{sws[i]}", L(yt), p, params, weights(rng, n, sws[i]), dts[i]))
    out.append(spec("err-multiclass-1d", L([0, 1, 2]), [0.5, 0.3, 1.0], {}, error=E("invalid_value", "y_true")))
    out.append(spec("err-proba-above-1", L([0, 1, 1]), [0.5, 0.3, 1.5], {}, error=E("invalid_value", "y_proba")))
    out.append(spec("err-proba-below-0-2d", L([0, 1]), [[1.1, -0.1], [0.3, 0.7]], {}, error=E("invalid_value", "y_proba")))
    out.append(spec("err-proba-nan", L([0, 1, 1]), [0.5, np.nan, 1.0], {}, error=E("invalid_value", "y_proba")))
    out.append(spec("err-length-mismatch", L([0, 1]), [0.5, 0.3, 0.4], {}, error=E("shape_mismatch", "y_true")))
    out.append(spec("err-ytrue-2d-with-1d-proba", L([[0, 1], [1, 0]]), [0.5, 0.3], {}, error=E("shape_mismatch", "y_true")))
    out.append(spec("err-sw-length", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, [1.0, 2.0], error=E("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-all-zero", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, np.zeros(3), error=E("invalid_value", "sample_weight")))
    out.append(spec("err-sw-sum-zero", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, [2.0, -2.0, 0.0], error=E("invalid_value", "sample_weight")))
    out.append(spec("err-classes-vs-columns", L([0, 1, 1]), [[0.5, .5, 0], [.3, .6, .1], [0, 0, 1]], {},
                    error=E("shape_mismatch", "y_true")))
    out.append(spec("err-ytrue-outside-labels", L([0, 1, 3]), [[0.5, .5, 0], [.3, .6, .1], [0, 0, 1]], {"labels": L([0, 1, 2])},
                    error=E("invalid_value", "y_true")))
    out.append(spec("err-single-class-2d", L([1, 1]), [[0.5, .5], [.3, .7]], {}, error=E("invalid_value", "y_true")))
    out.append(spec("err-ytrue-not-labels", np.array([0.5, 1.0, 0.0]), [0.5, 0.3, 0.4], {}, error=E("invalid_value", "y_true")))
    return out


# ---------------------------------------------------------------------------
# hinge_loss
# ---------------------------------------------------------------------------

def build_hinge(rng):
    out = []
    L = int_labels
    E = error
    for dt in DTYPES:
        # Docstring: LinearSVC decisions as printed ([-2.18, 2.36, 0.09] -> 0.30) and the
        # multiclass example's inputs (printed result 0.56) are re-created in the doc test;
        # here the binary and multiclass conventions themselves.
        out.append(spec("docstring-binary", L([-1, 1, 1]), [-2.18, 2.36, 0.09], {}, None, dt))
        out.append(spec("binary-0-1", L([0, 1, 1, 0]), [-0.5, 0.3, 2.0, 1.5], {}, None, dt))
        out.append(spec("binary-2-5", L([2, 5, 5]), [0.5, -0.3, 2.0], {}, None, dt))
        out.append(spec("binary-single-class", L([1, 1, 1]), [0.5, -0.3, 2.0], {}, None, dt))
        out.append(spec("binary-single-class-with-labels", L([1, 1, 1]), [0.5, -0.3, 2.0], {"labels": L([0, 1])}, None, dt))
        out.append(spec("binary-labels-2-y_true-3", L([0, 1, 2]), [0.5, -0.3, 2.0], {"labels": L([0, 1])}, None, dt))
        out.append(spec("binary-column", L([0, 1]), [[0.5], [-0.2]], {}, None, dt))
        out.append(spec("binary-margin-exactly-1", L([-1, 1]), [-1.0, 1.0], {}, None, dt))
        out.append(spec("multiclass-3", L([0, 1, 2]), [[0.5, -0.3, 2], [1, 2, 3], [0, 0, 0]], {}, None, dt))
        out.append(spec("multiclass-labels-superset", L([0, 2, 3]), [[1.27, 0.03, -0.68, -1.4], [-1.45, -0.58, -0.38, -0.17],
                                                                    [-2.36, -0.79, -0.27, 0.24]], {"labels": L([0, 1, 2, 3])}, None, dt))
        out.append(spec("multiclass-ties", L([0, 1, 2, 1]), [[1, 1, 1], [2, 2, 0], [0.5, 3, 3], [0, 0, 0]], {}, None, dt))
        out.append(spec("multiclass-weighted", L([0, 1, 2]), [[0.5, -0.3, 2], [1, 2, 3], [0, 0, 0]], {}, [1.0, 0.0, 2.0], dt))
        out.append(spec("multiclass-odd-labels", L([-3, 7, 4, 7]), rng.normal(0, 2, (4, 3)), {}, None, dt))
        out.append(spec("binary-nan-weight", L([0, 1, 1]), [0.5, 0.2, -1.0], {}, [1.0, np.nan, 1.0], dt))
    n_cases = 40
    dts = balanced(rng, DTYPES, n_cases)
    cs = balanced(rng, [2, 2, 3, 4, 10], n_cases)
    ns = balanced(rng, [1, 4, 9, 130], n_cases)
    sws = balanced(rng, SW_KINDS, n_cases)
    for i in range(n_cases):
        c, n = cs[i], ns[i]
        params = {}
        if c == 2:
            yt = rng.choice([-1, 1] if i % 2 else [0, 1], n)
            pred = rng.normal(0.0, 2.0, n)
        else:
            yt = rng.integers(0, c, n)
            pred = rng.normal(0.0, 2.0, (n, c))
            if len(np.unique(yt)) != c:
                params["labels"] = L(np.arange(c))
        sw = weights(rng, n, sws[i])
        if sw is not None and sw.sum() == 0:
            sw[0] = 1.0
        out.append(spec(f"sweep-C{c}-n{n}-sw{sws[i]}", L(yt), pred, params, sw, dts[i]))
    out.append(spec("err-multiclass-1d", L([0, 1, 2]), [0.5, 0.3, 1.0], {}, error=E("shape_mismatch", "pred_decision")))
    out.append(spec("err-missing-class", L([0, 1, 1]), [[0.5, -0.3, 2], [1, 2, 3], [0, 0, 0]], {"labels": L([0, 1, 2, 3])},
                    error=E("shape_mismatch", "pred_decision")))
    out.append(spec("err-classes-vs-columns", L([0, 1, 2]), [[0.5, -0.3, 2, 1], [1, 2, 3, 1], [0, 0, 0, 1]], {},
                    error=E("shape_mismatch", "y_true")))
    out.append(spec("err-unseen-label", L([0, 1, 3]), [[0.5, -0.3, 2], [1, 2, 3], [0, 0, 0]], {"labels": L([0, 1, 2])},
                    error=E("invalid_value", "y_true")))
    out.append(spec("err-binary-2d", L([0, 1]), [[0.5, -0.3], [1, 2]], {}, error=E("shape_mismatch", "pred_decision")))
    out.append(spec("err-nan-decision", L([0, 1]), [0.5, np.nan], {}, error=E("invalid_value", "pred_decision")))
    out.append(spec("err-length-mismatch", L([0, 1]), [0.5, 0.3, 0.4], {}, error=E("shape_mismatch", "y_true")))
    out.append(spec("err-sw-length", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, [1.0, 2.0], error=E("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-2d", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, np.ones((3, 1)), error=E("shape_mismatch", "sample_weight")))
    out.append(spec("err-sw-all-zero", L([0, 1, 1]), [0.5, 0.3, 0.4], {}, np.zeros(3), error=E("invalid_value", "sample_weight")))
    out.append(spec("err-sw-sum-zero-multiclass", L([0, 1, 2]), [[0.5, -0.3, 2], [1, 2, 3], [0, 0, 0]], {}, [1.0, -1.0, 0.0],
                    error=E("invalid_value", "sample_weight")))
    return out


# ---------------------------------------------------------------------------
# Registry, running, checks
# ---------------------------------------------------------------------------

REGISTRY = [
    ("log_loss", build_log_loss),
    ("brier_score_loss", build_brier),
    ("hinge_loss", build_hinge),
] + [(name, build_regression(name)) for name in [
    "mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_log_error", "median_absolute_error", "mean_pinball_loss"]] + [
    (name, build_deviance(name)) for name in ["mean_poisson_deviance", "mean_gamma_deviance", "mean_tweedie_deviance"]]


def cast_inputs(loss, s):
    """The arrays exactly as handed to scikit-learn."""
    dt = np.dtype(s["dtype"])
    yt = s["y_true"]
    if loss in CLASSIFICATION and np.issubdtype(yt.dtype, np.integer):
        yt = yt.astype(np.int64)
    else:
        yt = np.asarray(yt, dtype=np.float64).astype(dt)
    yp = np.asarray(s["y_pred"], dtype=np.float64).astype(dt)
    sw = None if s["sw"] is None else np.asarray(s["sw"], dtype=np.float64).astype(dt)
    params = {}
    for k, v in s["params"].items():
        if isinstance(v, np.ndarray):
            v = v.astype(np.int64) if k == "labels" else np.asarray(v, dtype=np.float64).astype(dt)
        params[k] = v
    return yt, yp, sw, params


def run(loss, yt, yp, sw, params):
    fn = getattr(sklearn.metrics, loss)
    kwargs = dict(params)
    if sw is not None:
        kwargs["sample_weight"] = sw
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rows not summing to one, unsorted labels, ...
        out = fn(yt, yp, **kwargs)
    return np.asarray(out), None


def run_case(loss, s, n):
    yt, yp, sw, params = cast_inputs(loss, s)
    case = {
        "id": case_id(FW, loss, s["desc"], n),
        "framework": FW,
        "loss": loss,
        "params": enc_params(params),
        "y_true": enc_tensor(yt),
        "y_pred": enc_tensor(yp),
        "sample_weight": None if sw is None else enc_tensor(sw),
        "dtype": s["dtype"],
    }
    return record_outcome(case, s, lambda: run(loss, yt, yp, sw, params))


MOTIVATING = {"float64": 12.014551129705717, "float32": 5.314128398895264}


def check_cases(loss, cases):
    if len(cases) < 40:
        sys.exit(f"{loss}: only {len(cases)} cases (< 40)")
    if {c["dtype"] for c in cases} != set(DTYPES):
        sys.exit(f"{loss}: both dtypes must occur")
    if loss in MULTIOUTPUT:
        used = {c["params"]["multioutput"] if isinstance(c["params"].get("multioutput"), str) else "weights"
                for c in cases if "multioutput" in c["params"] and "loss" in c["expected"]}
        missing = {"uniform_average", "raw_values", "weights"} - used
        if missing:
            sys.exit(f"{loss}: multioutput values never computed: {sorted(missing)}")
    if loss == "log_loss":
        for dt, value in MOTIVATING.items():
            c = next(c for c in cases if "/motivating-" in c["id"] and c["dtype"] == dt)
            if c["expected"]["loss"]["data"][0] != value:
                sys.exit(f"{c['id']}: expected {value}, got {c['expected']['loss']['data'][0]}")


def installed_versions():
    return {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__,
            "scipy": scipy.__version__}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = ap.parse_args(argv)
    versions = installed_versions()
    check_versions(versions, PINS, "requirements-sklearn.txt")
    np.seterr(all="ignore")
    start = time.time()
    counts = {}
    errors = 0
    for loss, builder in REGISTRY:
        seed = seed_for(FW, loss)
        rng = np.random.default_rng(seed)
        specs = builder(rng)
        cases = [run_case(loss, s, n) for n, s in enumerate(specs, start=1)]
        check_cases(loss, cases)
        header = {"script": SCRIPT, "seed": seed, "versions": versions}
        errors += write_case_file(args.out, FW, loss, header, cases, counts)
    finish(args.out, counts, errors, FAMILY, versions, start)
    return 0


if __name__ == "__main__":
    # scikit-learn prints some allowed values as a Python set (the `multioutput` error),
    # whose order follows the string hash seed: fix it so that a rerun writes the same bytes.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})
    sys.exit(main())
