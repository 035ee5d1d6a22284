#!/usr/bin/env python3
"""LossKit conformance-corpus generator.

Runs the real frameworks (Keras 3 on the TensorFlow backend, legacy tf_keras 2
and TensorFlow's tf.nn ops) on a seeded, hand-curated set of inputs and writes
one JSON case file per (framework, loss) under Tests/Fixtures/conformance/.
Every case records the inputs exactly as fed (float32 values written as the
exact double of the float32), the framework's output tensor and the gradient
of reduce_sum(output) with respect to y_pred -- or, when the framework raises,
the exception class and the first line of its message.

Usage (from the repository root):
    python Tools/conformance/generate.py [--out Tests/Fixtures/conformance]
                                         [--allow-version-mismatch]

The script installs nothing. See Tools/conformance/README.md.
"""

import os

# Must be set before keras / tensorflow are imported.
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

import argparse  # noqa: E402
import fnmatch  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import (  # noqa: E402
    balanced, bin_labels, case_id, check_versions, enc_params, enc_tensor, error, finish, int_labels, onehot, probs,
    record_outcome, seed_for, shape_tag, simplex, spec, write_case_file)
import keras  # noqa: E402
import tf_keras  # noqa: E402

SCRIPT = "Tools/conformance/generate.py"
DEFAULT_OUT = "Tests/Fixtures/conformance"
FAMILY = "tensorflow"

# Versions the corpus was generated with (must match requirements.txt).
PINS = {
    "numpy": "2.4.6",
    "tensorflow": "2.21.0",
    "keras": "3.15.1",
    "tf_keras": "2.21.0",
}

KERAS_REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]
TFK_REDUCTIONS = ["auto", "sum_over_batch_size", "sum", "none"]
# Roughly 2/3 float32, 1/3 float64.
DTYPE_MIX = ["float32", "float32", "float64"]
DTYPES = ["float32", "float64"]

F32 = np.float32


# ---------------------------------------------------------------------------
# Small numeric helpers
# ---------------------------------------------------------------------------

def reductions(fw):
    return KERAS_REDUCTIONS if fw == "keras" else TFK_REDUCTIONS


def default_reduction(fw):
    return "sum_over_batch_size" if fw == "keras" else "auto"


def clip_window_edges(dtype):
    """Probabilities on, just inside and just outside the clip window [eps, 1-eps].

    Keras and tf_keras clip with the Python double 1e-7 converted to the tensor
    dtype: in float32 that is 1.0000000116860974e-07 and 1 - 2**-23; in float64
    1e-7 and 0.9999999 exactly as doubles.  The float32 boundary values are also
    fed to float64 cases (there they lie strictly inside the window).
    """
    lo32, hi32 = float(F32(1e-7)), float(F32(1 - 1e-7))
    vals32 = [
        0.0, 1.0,                                   # exactly 0 / 1: clipped, zero gradient
        lo32, hi32,                                 # exactly on the bounds: TF passes the gradient (x1)
        float(np.nextafter(F32(lo32), F32(1))),     # just inside
        float(np.nextafter(F32(hi32), F32(0))),
        float(np.nextafter(F32(lo32), F32(0))),     # just outside -> clipped
        1e-12,                                      # tiny, far below eps
        0.5,
    ]
    if dtype == "float32":
        return vals32
    lo64, hi64 = 1e-7, 1.0 - 1e-7
    return vals32 + [
        lo64, hi64,
        float(np.nextafter(lo64, 1.0)), float(np.nextafter(hi64, 0.0)),
        float(np.nextafter(lo64, 0.0)), float(np.nextafter(hi64, 1.0)),
    ]


# Saturated logits: float32 sigmoid(17) == 1.0 exactly, sigmoid(16.6) < 1;
# +-90 overflows exp in float32; exactly 0 hits the abs/relu/where tie paths.
LOGIT_EDGES = [-90.0, -17.0, -16.6, -1.0, 0.0, 1.0, 16.6, 17.0, 90.0]


def logits(rng, shape, scale=3.0):
    return rng.normal(0.0, scale, shape)


def soft_labels(rng, shape):
    return rng.uniform(0.0, 1.0, shape)


def drop_axis(shape, axis):
    if len(shape) == 0:
        return ()
    axis = axis % len(shape)
    return tuple(d for i, d in enumerate(shape) if i != axis)


# ---------------------------------------------------------------------------
# Sample weights
# ---------------------------------------------------------------------------

# (shape kind, value kind); None = no sample weight.
SW_PLAN = [
    None,
    ("scalar", "pos"), ("B", "pos"), ("B1", "pos"), ("full", "pos"),
    ("full", "zeros"), ("B", "zeros"), ("full", "allzero"), ("full", "neg"),
    ("B1", "neg"), ("scalar", "neg"), ("B1", "allzero"),
]


def resolve_sw_shape(kind, loss_shape, fw):
    """Concrete weight shape for a kind, given the per-sample loss shape.

    Shapes that would merely raise a broadcasting error are mapped to the full
    loss shape here; those errors are covered by dedicated cases instead.
    """
    if kind == "scalar" or len(loss_shape) == 0:
        return ()
    b = loss_shape[0]
    if kind == "full":
        return tuple(loss_shape)
    if kind == "B":
        if len(loss_shape) == 1:
            return (b,)
        # tf_keras expands a (B,) weight to (B,1); Keras 3 broadcasts it against
        # the trailing axis (fine only when T == B -- the time-axis quirk).
        if len(loss_shape) == 2 and (fw == "tf_keras" or loss_shape[1] == b):
            return (b,)
        return tuple(loss_shape)
    if kind == "B1":
        return (b, 1) if len(loss_shape) <= 2 else tuple(loss_shape)
    raise ValueError(kind)


def weight_values(rng, shape, kind):
    n = int(np.prod(shape)) if len(shape) else 1
    if kind == "pos":
        v = rng.uniform(0.25, 2.0, n)
    elif kind == "zeros":                     # some zero weights mixed in
        v = rng.uniform(0.25, 2.0, n)
        v[rng.random(n) < 0.35] = 0.0
        v[0] = 0.0
    elif kind == "allzero":                   # divide_no_nan paths
        v = np.zeros(n)
    elif kind == "neg":                       # negative and > 1 weights
        v = rng.uniform(-1.5, 3.0, n)
        v[0] = -rng.uniform(0.5, 1.5)
        if n > 1:
            v[-1] = rng.uniform(1.5, 3.0)
    else:
        raise ValueError(kind)
    return v.reshape(shape)


def make_sw(rng, plan, loss_shape, fw):
    """Returns (weights or None, id tag)."""
    if plan is None:
        return None, "nosw"
    kind, values = plan
    shape = resolve_sw_shape(kind, loss_shape, fw)
    tag = "sw" + shape_tag(shape)
    if values != "pos":
        tag += values
    return weight_values(rng, shape, values), tag


# ---------------------------------------------------------------------------
# Case specifications
# ---------------------------------------------------------------------------

def cast_inputs(s):
    """Casts a spec's arrays to the exact values fed to the framework."""
    dt = np.dtype(s["dtype"])
    yt = s["y_true"]
    yt = yt.astype(np.int64) if np.issubdtype(yt.dtype, np.integer) else yt.astype(np.float64).astype(dt)
    yp = np.asarray(s["y_pred"], dtype=np.float64).astype(dt)
    sw = None if s["sw"] is None else s["sw"].astype(dt)
    params = {}
    for k, v in s["params"].items():
        params[k] = np.asarray(v, dtype=np.float64).astype(dt) if isinstance(v, np.ndarray) else v
    return yt, yp, sw, params


# ---------------------------------------------------------------------------
# Running one case per framework
# ---------------------------------------------------------------------------

def _grad_or_zeros(grad, yp):
    if grad is None:
        return np.zeros(yp.shape, dtype=yp.dtype)
    if isinstance(grad, tf.IndexedSlices):
        grad = tf.convert_to_tensor(grad)
    return grad.numpy()


def value_and_gradient(yp, yp_t, compute):
    """compute(yp_t) under a GradientTape: the output and the gradient of its sum with
    respect to yp_t (zeros where TensorFlow returns none)."""
    with tf.GradientTape() as tape:
        tape.watch(yp_t)
        out = compute(yp_t)
        total = tf.reduce_sum(out)
    return out.numpy(), _grad_or_zeros(tape.gradient(total, yp_t), yp)


def is_function(loss):
    """keras.losses.mean_squared_error & co. (lowercase) rather than a loss class."""
    return loss[0].islower() or loss in ("MSE", "MAE", "MAPE", "MSLE", "KLD")


def run_keras(loss, yt, yp, sw, params, dtype):
    # `dtype` is a constructor parameter like any other: the case records it (float64
    # cases pass dtype="float64"; cases without it run with Keras's default floatx).
    yp_t = tf.constant(yp)
    if is_function(loss):
        # The loss functions take no sample weight and return the per-sample loss.
        assert sw is None
        fn = getattr(keras.losses, loss)
        return value_and_gradient(yp, yp_t, lambda x: fn(yt, x, **params))
    obj = getattr(keras.losses, loss)(**params)
    return value_and_gradient(yp, yp_t, lambda x: obj(yt, x, sample_weight=sw))


def run_tf_keras(loss, yt, yp, sw, params, dtype):
    yt_t = tf.constant(yt)  # int64 stays int64 (sparse labels)
    sw_t = None if sw is None else tf.constant(sw)
    yp_t = tf.constant(yp)
    if is_function(loss):
        assert sw is None
        fn = getattr(tf_keras.losses, loss)
        return value_and_gradient(yp, yp_t, lambda x: fn(yt_t, x, **params))
    obj = getattr(tf_keras.losses, loss)(**params)
    return value_and_gradient(yp, yp_t, lambda x: obj(yt_t, x, sample_weight=sw_t))


def run_tf_v1(loss, yt, yp, sw, params, dtype):
    """tf.compat.v1.losses.<loss>(labels, predictions | logits, weights=sw, **params),
    eagerly (TF 2's default; mean_pairwise_squared_error differs inside tf.function)."""
    fn = getattr(tf.compat.v1.losses, loss)
    yt_t = tf.constant(yt)  # sparse labels stay int64
    yp_t = tf.constant(yp)
    kwargs = dict(params)
    if sw is not None:
        kwargs["weights"] = tf.constant(sw)
    return value_and_gradient(yp, yp_t, lambda x: fn(yt_t, x, **kwargs))


def run_tf(loss, yt, yp, sw, params, dtype):
    assert sw is None
    fn = getattr(tf.nn, loss)
    kwargs = {k: (tf.constant(v) if isinstance(v, np.ndarray) else v) for k, v in params.items()}
    yt_t = tf.constant(yt)
    yp_t = tf.constant(yp)
    if loss == "log_poisson_loss":
        return value_and_gradient(yp, yp_t, lambda x: fn(targets=yt_t, log_input=x, **kwargs))
    return value_and_gradient(yp, yp_t, lambda x: fn(labels=yt_t, logits=x, **kwargs))


RUNNERS = {"keras": run_keras, "tf_keras": run_tf_keras, "tf": run_tf, "tf_v1": run_tf_v1}


def run_case(fw, loss, s, n):
    file_loss = loss
    loss = s.get("call_as", loss)  # a tf-keras alias (MSE for mean_squared_error) runs under its own name
    if (fw == "keras" and not is_function(loss) and s["dtype"] == "float64" and "dtype" not in s["params"]
            and not s.get("default_dtype")):
        # Keras 3 computes in its `dtype` argument (floatx, float32, by default): a float64
        # case passes dtype="float64" unless it tests the default on float64 arrays.
        s = dict(s, params=dict(s["params"], dtype="float64"))
    if s["error"] is None:
        s = dict(s, error=expected_error(fw, loss, s["desc"]))
    yt, yp, sw, params = cast_inputs(s)
    case = {
        "id": case_id(fw, file_loss, s["desc"], n),
        "framework": fw,
        "loss": loss,
        "params": enc_params(params),
        "y_true": enc_tensor(yt),
        "y_pred": enc_tensor(yp),
        "sample_weight": None if sw is None else enc_tensor(sw),
        "dtype": s["dtype"],
    }
    return record_outcome(case, s, lambda: RUNNERS[fw](loss, yt, yp, sw, params, s["dtype"]))


# The LossKit error each deliberately invalid case maps to, by the tag its description
# starts with: (kind, argument). The argument is the framework's name for the input at
# fault. A framework error on a case that matches no rule stops the generator.
def expected_error(fw, loss, desc):
    y_true = {"tf": "targets" if loss == "log_poisson_loss" else "labels"}.get(fw, "y_true")
    if "sw-incompatible" in desc or (fw == "keras" and desc.startswith("rank3-swB-T-ne-B")):
        return error("shape_mismatch", "sample_weight")
    if "pwvec-incompatible" in desc:
        return error("shape_mismatch", "pos_weight")
    if desc.startswith("err-label-"):
        return error("label_out_of_range", y_true)
    if desc.startswith("err-q"):
        return error("invalid_parameter", "q")
    if desc.startswith("err-axis"):
        return error("invalid_parameter", "axis")
    if desc.startswith(("err-shape-mismatch", "err-rank-mismatch", "err-class-mismatch", "err-batch-mismatch",
                        "err-labels-Bx1")):
        return error("shape_mismatch", y_true)
    if fw == "tf_keras" and loss == "SparseCategoricalCrossentropy" and desc.startswith("classdim1-"):
        # y_pred (B, 1) is squeezed to (B,): one row of B classes against B labels.
        return error("shape_mismatch", y_true)
    return None


# ---------------------------------------------------------------------------
# Shared builders for the Keras-style (keras / tf_keras) losses
# ---------------------------------------------------------------------------

# Shapes for element-wise (binary) losses: rank 1..4, plus class dim 1 and T == B.
BIN_SHAPES = [(3,), (4, 3), (2, 3, 4), (2, 2, 3, 2), (5, 1), (3, 3, 2)]
# Shapes for categorical losses (class axis last; dim >= 2).
CAT_SHAPES = [(3,), (4, 3), (2, 3, 4), (2, 2, 3, 2), (5, 2), (3, 3, 2)]


def with_red(params, red):
    p = dict(params)
    p["reduction"] = red
    return p


def param_tag(params):
    parts = []
    for k, v in params.items():
        if k == "reduction":
            continue
        short = {"from_logits": "logits", "label_smoothing": "ls", "apply_class_balancing": "acb",
                 "ignore_class": "ign", "gamma": "g", "alpha": "a", "axis": "ax", "q": "q"}.get(k, k)
        if k == "from_logits":
            parts.append("logits" if v else "probs")
        elif isinstance(v, bool):
            parts.append(short + ("1" if v else "0"))
        else:
            parts.append(f"{short}{v}")
    return "-".join(parts)


def sweep(rng, fw, n, param_cycle, make_inputs, shapes, loss_shape_of):
    """Seeded random sweep.

    param_cycle: list of param dicts (cycled); reductions, dtypes, shapes and
    sample-weight kinds are balanced-shuffled so every value occurs.
    make_inputs(rng, shape, params) -> (y_true, y_pred).
    loss_shape_of(shape, params) -> per-sample loss shape (for weight shapes).
    """
    reds = balanced(rng, reductions(fw), n)
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, shapes, n)
    sws = balanced(rng, SW_PLAN, n)
    out = []
    for i in range(n):
        params = with_red(param_cycle[i % len(param_cycle)], reds[i])
        yt, yp = make_inputs(rng, shps[i], params)
        sw, swtag = make_sw(rng, sws[i], loss_shape_of(shps[i], params), fw)
        desc = f"sweep-{param_tag(params)}-{reds[i]}-{shape_tag(shps[i])}-{swtag}"
        out.append(spec(desc, yt, yp, params, sw, dts[i]))
    return out


def binary_inputs(rng, shape, params):
    yt = bin_labels(rng, shape) if rng.random() < 0.7 else soft_labels(rng, shape)
    yp = logits(rng, shape) if params.get("from_logits") else probs(rng, shape)
    return yt, yp


def binary_loss_shape(shape, params):
    return drop_axis(shape, params.get("axis", -1))


def binary_edge_cases(fw, extra_params, tag, dtypes=DTYPES, parts=("clip", "logit", "range")):
    """Per-element edge probabilities / logits (shape (K,1): per-sample == per element)."""
    out = []
    red = default_reduction(fw)
    for dt in dtypes:
        edges = clip_window_edges(dt)
        k = len(edges)
        for y in ((1.0, 0.0, 0.3) if "clip" in parts else ()):
            # probabilities exactly 0/1, on/inside/outside the clip bounds, 1e-12
            out.append(spec(f"{tag}clip-edges-y{y}", np.full((k, 1), y), np.array(edges).reshape(k, 1),
                            with_red(dict(extra_params, from_logits=False), "none"), None, dt))
        # mixed labels and the default reduction on the same edges
        if "clip" in parts:
            yt = np.array([1.0, 0.0] * k)[:k].reshape(k, 1)
            out.append(spec(f"{tag}clip-edges-mixed", yt, np.array(edges).reshape(k, 1),
                            with_red(dict(extra_params, from_logits=False), red), None, dt))
        # saturated logits +-90, +-17, 16.6 and exactly 0
        k2 = len(LOGIT_EDGES)
        for y in ((1.0, 0.0, 0.5) if "logit" in parts else ()):
            out.append(spec(f"{tag}logit-edges-y{y}", np.full((k2, 1), y), np.array(LOGIT_EDGES).reshape(k2, 1),
                            with_red(dict(extra_params, from_logits=True), "none"), None, dt))
        # probabilities outside [0,1] (e.g. raw logits passed with from_logits=False): clipped
        if "range" in parts:
            out.append(spec(f"{tag}out-of-range-probs", np.array([[1.0, 0.0, 1.0, 0.0]]),
                            np.array([[-0.5, 1.5, 2.0, -3.0]]),
                            with_red(dict(extra_params, from_logits=False), red), None, dt))
    return out


def nonfinite_cases(fw, params_list, shape=(2, 3)):
    """NaN and +-inf inside y_pred: record whatever the framework returns."""
    out = []
    vals = np.array([np.nan, 0.3, np.inf, -np.inf, 0.7, 0.5]).reshape(shape)
    for i, params in enumerate(params_list):
        dt = DTYPES[i % 2]
        yt = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0]).reshape(shape)
        out.append(spec(f"nonfinite-{param_tag(params)}", yt, vals, with_red(params, default_reduction(fw)), None, dt))
    return out


# ---------------------------------------------------------------------------
# keras / tf_keras: BinaryCrossentropy
# ---------------------------------------------------------------------------

def build_binary_crossentropy(rng, fw):
    red0 = default_reduction(fw)
    cs = []
    # 1. The motivating example: keras 5.3726983, tf_keras 5.1416497 (float32).
    for dt in DTYPES:
        cs.append(spec("motivating", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {"reduction": red0}, None, dt))
    # Docstring example: keras 0.81492448, tf_keras 0.81492424; with sample_weight [1, 0] the
    # mean divides by the element count (2), not the non-zero weights: 0.45814538.
    for sw in (None, [1.0, 0.0]):
        for red in reductions(fw):
            cs.append(spec(f"docstring-{red}", [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]],
                           {"reduction": red}, sw))
    # 2. Seeded sweep over from_logits x label_smoothing, all reductions / dtypes / shapes / weights.
    cycle = [{"from_logits": fl, "label_smoothing": ls} for fl in (False, True) for ls in (0.0, 0.1, 0.3)]
    cs += sweep(rng, fw, 40, cycle, binary_inputs, BIN_SHAPES, binary_loss_shape)
    # 3. Non-last axis (mean over axis 0 / 1 instead of -1).
    for i, (shape, axis) in enumerate([((4, 3), 0), ((2, 3, 4), 1), ((2, 3, 4), 0), ((3,), 0), ((4, 3), 1)]):
        for fl in (False, True):
            params = {"from_logits": fl, "label_smoothing": 0.1 if i % 2 else 0.0, "axis": axis}
            red = reductions(fw)[(2 * i + fl) % len(reductions(fw))]
            yt = bin_labels(rng, shape)
            yp = logits(rng, shape) if fl else probs(rng, shape)
            sw = weight_values(rng, drop_axis(shape, axis), "pos") if i == 1 else None
            cs.append(spec(f"nonlast-{param_tag(params)}-{red}", yt, yp, with_red(params, red), sw,
                           DTYPE_MIX[i % 3]))
    # 4. Clip-window / saturated-logit edges, with and without label smoothing.
    cs += binary_edge_cases(fw, {"label_smoothing": 0.0}, "")
    cs += binary_edge_cases(fw, {"label_smoothing": 0.1}, "ls-", dtypes=["float32"], parts=("clip",))
    # tf.keras issue #51675 example: y=[0,1,0], p=[1-1e-7, 1-1e-7, 1e-7], per element.
    for dt in DTYPES:
        cs.append(spec("issue51675", [[0.0], [1.0], [0.0]], [[0.9999999], [0.9999999], [1e-7]],
                       {"reduction": "none"}, None, dt))
    # 5. Rank mismatch y_true (3,) vs y_pred (3,1): Keras 3 expands y_true, tf_keras squeezes y_pred.
    for red in (red0, "none"):
        cs.append(spec(f"rank-mismatch-yt3-yp3x1-{red}", [1.0, 0.0, 1.0], [[0.9], [0.2], [0.6]],
                       {"reduction": red}))
        cs.append(spec(f"rank-mismatch-yt3x1-yp3-{red}", [[1.0], [0.0], [1.0]], [0.9, 0.2, 0.6],
                       {"reduction": red}, None, "float64"))
    # 6. Sample-weight shape semantics on rank-3 inputs: (B,) with T == B (Keras 3 weights the
    #    time axis, tf_keras per sample) and T != B (Keras 3: broadcasting error).
    yt, yp = bin_labels(rng, (3, 3, 2)), probs(rng, (3, 3, 2))
    cs.append(spec("rank3-swB-T-eq-B", yt, yp, {"reduction": "sum"}, [1.0, 0.0, 2.0]))
    yt, yp = bin_labels(rng, (2, 3, 4)), probs(rng, (2, 3, 4))
    cs.append(spec("rank3-swB-T-ne-B", yt, yp, {"reduction": red0}, [1.0, 0.5]))
    cs.append(spec("rank3-swBT", yt, yp, {"reduction": red0}, [[1.0, 0.0, 2.0], [0.5, -1.0, 3.0]]))
    # 7. NaN / inf in y_pred.
    cs += nonfinite_cases(fw, [{"from_logits": False}, {"from_logits": True}, {"from_logits": False},
                               {"from_logits": True, "label_smoothing": 0.1}])
    # 8. Errors: shape mismatch, incompatible sample weights.
    cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), probs(rng, (2, 4)), {"reduction": red0}))
    cs.append(spec("err-shape-mismatch-logits", bin_labels(rng, (4,)), logits(rng, (3,)),
                   {"from_logits": True, "reduction": red0}, None, "float64"))
    cs.append(spec("err-sw-incompatible-Bx3", bin_labels(rng, (2, 3)), probs(rng, (2, 3)), {"reduction": red0},
                   np.ones((2, 3))))
    cs.append(spec("err-sw-incompatible-5", bin_labels(rng, (4, 3)), probs(rng, (4, 3)), {"reduction": red0},
                   np.ones((5,))))
    # 9. Long reductions: the mean runs over more than 8*1024 float32 (4*1024 float64)
    #    contiguous terms, where TensorFlow's Eigen sum splits into its packet tree. A
    #    sequential float32 sum drifts from TF's by ~1e-6 relative here.
    for dt, n in (("float32", 9000), ("float64", 5000)):
        cs.append(spec(f"long-row-{n}", bin_labels(rng, (n,)), probs(rng, (n,)), {"reduction": red0}, None, dt))
    return cs


# ---------------------------------------------------------------------------
# keras / tf_keras: BinaryFocalCrossentropy
# ---------------------------------------------------------------------------

def build_binary_focal(rng, fw):
    red0 = default_reduction(fw)
    cs = []
    # Sweep gamma {0,1.5,2,3} x alpha {0.25,0.6} x apply_class_balancing x from_logits;
    # label smoothing cycles with a coprime period.
    lss = [0.0, 0.1, 0.3]
    cycle = []
    i = 0
    for g in (0.0, 1.5, 2.0, 3.0):
        for a in (0.25, 0.6):
            for acb in (False, True):
                for fl in (False, True):
                    cycle.append({"apply_class_balancing": acb, "alpha": a, "gamma": g,
                                  "from_logits": fl, "label_smoothing": lss[i % 3]})
                    i += 1
    cs += sweep(rng, fw, 48, cycle, binary_inputs, BIN_SHAPES, binary_loss_shape)
    # Non-last axis.
    for i, (shape, axis) in enumerate([((4, 3), 0), ((2, 3, 4), 1), ((3, 2, 2), 0)]):
        params = {"gamma": 2.0, "apply_class_balancing": bool(i % 2), "from_logits": bool(i == 2), "axis": axis}
        red = reductions(fw)[i]
        yp = logits(rng, shape) if params["from_logits"] else probs(rng, shape)
        cs.append(spec(f"nonlast-{param_tag(params)}-{red}", bin_labels(rng, shape), yp, with_red(params, red),
                       None, DTYPE_MIX[i]))
    # Edges: focal factor (1-p_t)^gamma at p_t = 1 (gamma 0 -> 0^0, gradient of pow at 0) and the
    # clip window; saturated logits (TF recovers the logits from ops.sigmoid, spec 3.2).
    for g in (0.0, 2.0):
        cs += binary_edge_cases(fw, {"gamma": g, "apply_class_balancing": g == 2.0}, f"g{g}-", dtypes=["float32"])
    cs += binary_edge_cases(fw, {"gamma": 1.5, "alpha": 0.6, "apply_class_balancing": True,
                                 "label_smoothing": 0.1}, "g1.5-", dtypes=["float64"])
    # Spec 3.2 example: y=[1,0,1], x=[20,-20,-30], from_logits, gamma 2 -> TF 10.0.
    for dt in DTYPES:
        cs.append(spec("spec-logits-20-20-30", [1.0, 0.0, 1.0], [20.0, -20.0, -30.0],
                       {"gamma": 2.0, "from_logits": True, "reduction": red0}, None, dt))
    # Docstring example (gamma 2): per sample [0.330, 0.206].
    cs.append(spec("docstring", [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]],
                   {"gamma": 2.0, "reduction": "none"}))
    cs += nonfinite_cases(fw, [{"from_logits": False}, {"from_logits": True},
                               {"from_logits": False, "apply_class_balancing": True, "gamma": 3.0}])
    cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), probs(rng, (2, 4)), {"reduction": red0}))
    cs.append(spec("err-shape-mismatch-rank3", bin_labels(rng, (2, 3, 2)), probs(rng, (2, 2, 3)),
                   {"from_logits": False, "reduction": red0}, None, "float64"))
    cs.append(spec("err-sw-incompatible", bin_labels(rng, (4, 3)), probs(rng, (4, 3)), {"reduction": red0},
                   np.ones((4, 3))))
    return cs


# ---------------------------------------------------------------------------
# keras / tf_keras: CategoricalCrossentropy and CategoricalFocalCrossentropy
# ---------------------------------------------------------------------------

def categorical_inputs(rng, shape, params):
    axis = params.get("axis", -1)
    yt = onehot(rng, shape, axis) if rng.random() < 0.7 else simplex(rng, shape, axis)
    if params.get("from_logits"):
        yp = logits(rng, shape)
    elif rng.random() < 0.75:
        yp = simplex(rng, shape, axis)
    else:
        yp = rng.uniform(0.05, 3.0, shape)   # unnormalised: rows do not sum to 1
    return yt, yp


def categorical_loss_shape(shape, params):
    return drop_axis(shape, params.get("axis", -1))


def categorical_edge_cases(fw, extra, tag, dtypes=DTYPES, zero_row=True):
    """Hand-picked rows: probabilities 0 / 1 / on the clip bounds / 1e-12, unnormalised rows,
    saturated logits. One row per sample, reduction "none" to see each row's loss."""
    lo32, hi32 = float(F32(1e-7)), float(F32(1 - 1e-7))
    prob_rows = [
        ([1, 0, 0], [0.0, 0.5, 0.5]),          # true class has probability exactly 0
        ([0, 1, 0], [0.0, 1.0, 0.0]),          # exactly the one-hot target
        ([1, 0, 0], [1.0, 0.0, 0.0]),
        ([0, 0, 1], [0.0, 1.0, 0.0]),          # confident and wrong
        ([1, 0, 0], [lo32, hi32, 0.0]),        # on the float32 clip bounds
        ([0, 1, 0], [lo32, hi32, 0.0]),
        ([1, 0, 0], [1e-12, 1.0 - 1e-6, 1e-6]),
        ([1, 0, 0], [3.0, 1.0, 0.0]),          # unnormalised (sums to 4)
        ([0, 1, 0], [0.2, 0.2, 0.2]),          # unnormalised (sums to 0.6)
        ([0.2, 0.3, 0.5], [0.1, 0.6, 0.3]),    # soft labels
        ([1, 1, 0], [0.3, 0.3, 0.4]),          # labels not summing to 1
        ([0, 0, 0], [0.3, 0.3, 0.4]),          # all-zero label row
    ]
    logit_rows = [
        ([1, 0, 0], [90.0, -90.0, 0.0]),
        ([0, 1, 0], [90.0, -90.0, 0.0]),
        ([0, 0, 1], [17.0, -17.0, 0.0]),
        ([1, 0, 0], [0.0, 0.0, 0.0]),
        ([0.5, 0.5, 0], [-17.0, 17.0, 0.0]),
        ([1, 1, 0], [1.0, 2.0, 3.0]),          # labels not summing to 1
    ]
    out = []
    for dt in dtypes:
        yt = np.array([r[0] for r in prob_rows], dtype=np.float64)
        yp = np.array([r[1] for r in prob_rows])
        out.append(spec(f"{tag}prob-edges", yt, yp, with_red(dict(extra, from_logits=False), "none"), None, dt))
        yt = np.array([r[0] for r in logit_rows], dtype=np.float64)
        yp = np.array([r[1] for r in logit_rows])
        out.append(spec(f"{tag}logit-edges", yt, yp, with_red(dict(extra, from_logits=True), "none"), None, dt))
    # An all-zero probability row (0/0 in the normalisation).
    if zero_row:
        out.append(spec(f"{tag}zero-row", [[1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [0.4, 0.6]],
                        with_red(dict(extra, from_logits=False), default_reduction(fw))))
    return out


def categorical_common(rng, fw, cycle, n_sweep):
    red0 = default_reduction(fw)
    cs = sweep(rng, fw, n_sweep, cycle, categorical_inputs, CAT_SHAPES, categorical_loss_shape)
    # Non-last class axis (label smoothing uses shape(y_true)[-1] as the class count in <= 3.15.1).
    for i, (shape, axis) in enumerate([((3, 4), 0), ((2, 3, 4), 1), ((3, 2, 2), 0), ((2, 4, 3), 1)]):
        for fl in (False, True):
            params = {"from_logits": fl, "label_smoothing": [0.0, 0.1, 0.3, 0.1][i], "axis": axis}
            red = reductions(fw)[(2 * i + fl) % len(reductions(fw))]
            yt = onehot(rng, shape, axis)
            yp = logits(rng, shape) if fl else simplex(rng, shape, axis)
            cs.append(spec(f"nonlast-{param_tag(params)}-{red}", yt, yp, with_red(params, red), None,
                           DTYPE_MIX[(i + fl) % 3]))
    # Class dimension 1 (Keras warns; normalised p == 1 -> clipped to 1-eps; softmax == 1).
    for fl in (False, True):
        yp = logits(rng, (4, 1)) if fl else probs(rng, (4, 1))
        cs.append(spec(f"classdim1-{param_tag({'from_logits': fl})}", np.ones((4, 1)), yp,
                       {"from_logits": fl, "reduction": red0}))
    cs.append(spec("classdim1-ls0.1", np.ones((3, 1)), probs(rng, (3, 1)),
                   {"label_smoothing": 0.1, "reduction": "none"}, None, "float64"))
    # Label-smoothing edges and errors.
    cs.append(spec("err-shape-mismatch", onehot(rng, (2, 3)), simplex(rng, (2, 4)), {"reduction": red0}))
    cs.append(spec("err-shape-mismatch-logits", onehot(rng, (4, 3)), logits(rng, (3, 3)),
                   {"from_logits": True, "reduction": red0}, None, "float64"))
    cs.append(spec("err-sw-incompatible", onehot(rng, (4, 3)), simplex(rng, (4, 3)), {"reduction": red0},
                   np.ones((4, 3))))
    # Rank-3 sample-weight semantics: (B,) with T == B, and (B,T).
    yt, yp = onehot(rng, (3, 3, 2)), simplex(rng, (3, 3, 2))
    cs.append(spec("rank3-swB-T-eq-B", yt, yp, {"reduction": "sum"}, [1.0, 0.0, 2.0]))
    cs.append(spec("rank3-swB1", yt, yp, {"reduction": red0}, [[1.0], [0.0], [2.0]], "float64"))
    return cs


def build_categorical_crossentropy(rng, fw):
    cycle = [{"from_logits": fl, "label_smoothing": ls} for fl in (False, True) for ls in (0.0, 0.1, 0.3)]
    cs = categorical_common(rng, fw, cycle, 42)
    cs += categorical_edge_cases(fw, {}, "")
    cs += categorical_edge_cases(fw, {"label_smoothing": 0.1}, "ls0.1-", dtypes=["float32"], zero_row=False)
    # Docstring example: 1.1769392; unnormalised [[3,1],[.2,.2]] -> 1.0397208.
    cs.append(spec("docstring", [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]],
                   {"reduction": default_reduction(fw)}))
    cs.append(spec("spec-unnormalised", [[0.0, 1.0], [0.0, 1.0]], [[3.0, 1.0], [0.2, 0.2]],
                   {"reduction": default_reduction(fw)}))
    cs += nonfinite_cases(fw, [{"from_logits": False}, {"from_logits": True},
                               {"from_logits": True, "label_smoothing": 0.1}])
    return cs


def build_categorical_focal(rng, fw):
    cycle = []
    i = 0
    for g in (0.0, 1.5, 2.0, 3.0):
        for a in (0.25, 0.6):
            for fl in (False, True):
                cycle.append({"alpha": a, "gamma": g, "from_logits": fl, "label_smoothing": [0.0, 0.1, 0.3][i % 3]})
                i += 1
    cs = categorical_common(rng, fw, cycle, 44)
    for g in (0.0, 2.0):
        cs += categorical_edge_cases(fw, {"gamma": g}, f"g{g}-", zero_row=False)
    cs += categorical_edge_cases(fw, {"gamma": 3.0, "alpha": 0.6, "label_smoothing": 0.3}, "g3-",
                                 dtypes=["float32"], zero_row=False)
    # Docstring example (alpha 0.25, gamma 2).
    cs.append(spec("docstring", [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]],
                   {"reduction": default_reduction(fw)}))
    cs += nonfinite_cases(fw, [{"from_logits": False}, {"from_logits": True, "gamma": 1.5}])
    return cs


# ---------------------------------------------------------------------------
# keras / tf_keras: SparseCategoricalCrossentropy
# ---------------------------------------------------------------------------

# (y_pred shape, label shape): (B,), (B,1), (B,T) with (B,T,C), rank 4.
SPARSE_SHAPES = [
    ((4, 3), (4,)), ((4, 3), (4, 1)), ((2, 3, 4), (2, 3)), ((2, 2, 3, 2), (2, 2, 3)),
    ((5, 2), (5,)), ((3, 5), (3, 1)), ((3, 3, 4), (3, 3)),
]


def sparse_labels_with_ignore(rng, label_shape, c, ignore):
    y = rng.integers(0, c, label_shape)
    if ignore is not None:
        y = np.where(rng.random(label_shape) < 0.3, ignore, y)
        y.flat[0] = ignore          # at least one ignored entry
        if y.size > 1 and c > 1:
            y.flat[-1] = (ignore + 1) % c if 0 <= ignore < c else 1
    return int_labels(y)


def sparse_sweep(rng, fw, n, ignores):
    reds = balanced(rng, reductions(fw), n)
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, SPARSE_SHAPES, n)
    sws = balanced(rng, SW_PLAN, n)
    cs = []
    for i in range(n):
        pshape, lshape = shps[i]
        fl = bool(i % 2)
        ign = ignores[(i // 2) % len(ignores)]
        params = {"from_logits": fl, "ignore_class": ign, "reduction": reds[i]}
        c = pshape[-1]
        yt = sparse_labels_with_ignore(rng, lshape, c, ign)
        if fl:
            yp = logits(rng, pshape)
        else:
            yp = simplex(rng, pshape) if rng.random() < 0.8 else rng.uniform(0.05, 3.0, pshape)
        sw, swtag = make_sw(rng, sws[i], pshape[:-1], fw)
        desc = f"sweep-{param_tag(params)}-{reds[i]}-{shape_tag(pshape)}-lab{shape_tag(lshape)}-{swtag}"
        cs.append(spec(desc, yt, yp, params, sw, dts[i]))
    return cs


def build_sparse_categorical(rng, fw):
    red0 = default_reduction(fw)
    cs = sparse_sweep(rng, fw, 44, [None, 0, -1, 2])
    lo32, hi32 = float(F32(1e-7)), float(F32(1 - 1e-7))
    for dt in DTYPES:
        # Spec 3.4: TF clips then normalises; gradients around clipped entries.
        cs.append(spec("spec-clip-then-normalise", int_labels([0, 2]), [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0]],
                       {"reduction": red0}, None, dt))
        cs.append(spec("spec-zero-nontarget", int_labels([1, 0]), [[0.05, 0.95, 0.0], [0.7, 0.2, 0.1]],
                       {"reduction": red0}, None, dt))
        # Unnormalised row [3,1], label 1: TF 0.6931472 (clip -> equal), JAX 1.386.
        cs.append(spec("unnormalised-3-1", int_labels([1, 0]), [[3.0, 1.0], [0.2, 0.2]],
                       {"reduction": "none"}, None, dt))
        # Probabilities 0 / 1 / clip bounds / 1e-12, per row.
        cs.append(spec("prob-edges", int_labels([0, 1, 0, 0, 1, 2]),
                       [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0], [lo32, hi32, 0.0], [hi32, lo32, 0.0],
                        [1e-12, 1.0 - 1e-6, 1e-6], [0.2, 0.2, 0.2]],
                       {"reduction": "none"}, None, dt))
        cs.append(spec("logit-edges", int_labels([0, 1, 2, 0, 1]),
                       [[90.0, -90.0, 0.0], [90.0, -90.0, 0.0], [17.0, -17.0, 0.0], [0.0, 0.0, 0.0],
                        [-17.0, 17.0, 16.6]],
                       {"from_logits": True, "reduction": "none"}, None, dt))
    # ignore_class: every label ignored (Keras 3: 0; tf_keras: NaN per the spec), each reduction.
    for i, red in enumerate(reductions(fw)):
        cs.append(spec(f"all-ignored-{red}", int_labels([1, 1, 1]), simplex(rng, (3, 3)),
                       {"ignore_class": 1, "reduction": red}, None, DTYPE_MIX[i % 3]))
    cs.append(spec("all-ignored-logits-rank3", int_labels([[-1, -1], [-1, -1]]), logits(rng, (2, 2, 3)),
                   {"from_logits": True, "ignore_class": -1, "reduction": red0}, None, "float64"))
    # ignore_class equal to a class index outside [0, C) (masked, so valid).
    cs.append(spec("ignore-out-of-range-id", int_labels([0, 2, 1, 2]), simplex(rng, (4, 2)),
                   {"ignore_class": 2, "reduction": red0}))
    cs.append(spec("ignore-255-logits", int_labels([[0, 255], [2, 1]]), logits(rng, (2, 2, 3)),
                   {"from_logits": True, "ignore_class": 255, "reduction": "none"}))
    # ignore_class with sample weights.
    cs.append(spec("ignore-with-sw", int_labels([0, -1, 2, 1]), simplex(rng, (4, 3)),
                   {"ignore_class": -1, "reduction": "sum"}, [0.5, 2.0, 1.0, 0.0]))
    # Class dim 1.
    cs.append(spec("classdim1-logits", int_labels([0, 0, 0]), logits(rng, (3, 1)),
                   {"from_logits": True, "reduction": red0}))
    cs.append(spec("classdim1-probs", int_labels([0, 0, 0]), probs(rng, (3, 1)),
                   {"reduction": red0}, None, "float64"))
    # Rank-3 sample weight semantics.
    cs.append(spec("rank3-swB-T-eq-B", int_labels(rng.integers(0, 3, (3, 3))), simplex(rng, (3, 3, 3)),
                   {"reduction": "sum"}, [1.0, 0.0, 2.0]))
    cs.append(spec("rank3-swB1", int_labels(rng.integers(0, 3, (3, 3))), simplex(rng, (3, 3, 3)),
                   {"reduction": red0}, [[1.0], [0.0], [2.0]]))
    cs += [
        spec("nonfinite-probs", int_labels([0, 1]), [[np.nan, 0.5, 0.5], [0.2, np.inf, 0.3]],
             {"reduction": red0}),
        spec("nonfinite-logits", int_labels([0, 2]), [[np.nan, 0.5, 0.5], [-np.inf, np.inf, 0.3]],
             {"from_logits": True, "reduction": "none"}, None, "float64"),
        spec("nonfinite-logits-ninf", int_labels([1, 2]), [[-np.inf, 0.5, 0.5], [0.1, 0.2, -np.inf]],
             {"from_logits": True, "reduction": "none"}),
    ]
    # Out-of-range labels without ignore_class -> errors on TF CPU.
    cs.append(spec("err-label-eq-C", int_labels([0, 3, 1]), simplex(rng, (3, 3)), {"reduction": red0}))
    cs.append(spec("err-label-neg1", int_labels([0, -1, 1]), logits(rng, (3, 3)),
                   {"from_logits": True, "reduction": red0}, None, "float64"))
    cs.append(spec("err-label-neg1-ignore0", int_labels([0, -1, 1]), simplex(rng, (3, 3)),
                   {"ignore_class": 0, "reduction": red0}))
    cs.append(spec("err-batch-mismatch", int_labels([0, 1, 2, 0]), simplex(rng, (3, 3)), {"reduction": red0}))
    cs.append(spec("err-sw-incompatible", int_labels([0, 1, 2, 0]), simplex(rng, (4, 3)), {"reduction": red0},
                   np.ones((4, 3))))
    if fw == "keras":
        # Labels arrive as floats in Keras 3 and are truncated to int (0.7 -> 0, 1.9 -> 1).
        for dt in DTYPES:
            cs.append(spec("fractional-labels", np.array([0.7, 1.9, 2.2, 0.0]), simplex(rng, (4, 3)),
                           {"reduction": "none"}, None, dt))
        cs.append(spec("fractional-labels-logits", np.array([[0.7], [1.9], [2.99]]), logits(rng, (3, 3)),
                       {"from_logits": True, "reduction": "sum"}))
        # Non-last axis: rejected by the TF backend.
        cs.append(spec("err-axis1", int_labels([[0, 1], [2, 0]]), simplex(rng, (2, 3, 2), axis=1),
                       {"axis": 1, "reduction": red0}))
        cs.append(spec("err-axis0-logits", int_labels([0, 1, 1]), logits(rng, (2, 3)),
                       {"axis": 0, "from_logits": True, "reduction": red0}))
        # Explicit axis=-1 is accepted.
        cs.append(spec("axis-1", int_labels([0, 2, 1]), simplex(rng, (3, 3)),
                       {"axis": -1, "reduction": "sum"}, None, "float64"))
    return cs


# ---------------------------------------------------------------------------
# keras: CategoricalGeneralizedCrossEntropy
# ---------------------------------------------------------------------------

GCE_SHAPES = [((4, 3), (4,)), ((4, 3), (4, 1)), ((5, 2), (5,)), ((3, 5), (3,)), ((2, 3, 4), (2, 3))]


def build_gce(rng, fw):
    n = 42
    reds = balanced(rng, reductions(fw), n)
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, GCE_SHAPES, n)
    sws = balanced(rng, SW_PLAN, n)
    qs = [0.2, 0.5, 0.9]
    cs = []
    for i in range(n):
        pshape, lshape = shps[i]
        params = {"q": qs[i % 3], "reduction": reds[i]}
        yt = int_labels(rng.integers(0, pshape[-1], lshape))
        yp = simplex(rng, pshape) if rng.random() < 0.8 else rng.uniform(0.0, 1.5, pshape)
        sw, swtag = make_sw(rng, sws[i], pshape[:-1], fw)
        cs.append(spec(f"sweep-q{qs[i % 3]}-{reds[i]}-{shape_tag(pshape)}-lab{shape_tag(lshape)}-{swtag}",
                       yt, yp, params, sw, dts[i]))
    for dt in DTYPES:
        for q in qs:
            # True-class probability exactly 0 (p^q at 0: infinite slope), exactly 1, tiny, unnormalised.
            cs.append(spec(f"edges-q{q}", int_labels([0, 1, 2, 0, 1]),
                           [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0], [0.3, 0.3, 1e-12], [3.0, 1.0, 0.0], [0.2, 0.2, 0.2]],
                           {"q": q, "reduction": "none"}, None, dt))
        # (B,1) labels: one_hot gives (B,1,C) and broadcasts against (B,C).
        cs.append(spec("labels-Bx1-none", int_labels([[0], [2], [1]]), simplex(rng, (3, 3)),
                       {"q": 0.5, "reduction": "none"}, None, dt))
    # Float labels are truncated to int by the cast inside the loss.
    cs.append(spec("fractional-labels", np.array([0.7, 1.9, 2.2]), simplex(rng, (3, 3)),
                   {"q": 0.5, "reduction": "none"}))
    # Out-of-range label: one_hot is all zero -> p = 0 -> loss 1/q (no error).
    cs.append(spec("label-out-of-range", int_labels([0, 3, -1]), simplex(rng, (3, 3)),
                   {"q": 0.5, "reduction": "none"}))
    cs += [
        spec("nonfinite", int_labels([0, 1]), [[np.nan, 0.5, 0.5], [0.2, np.inf, -np.inf]],
             {"q": 0.5, "reduction": "none"}),
        spec("nonfinite-f64", int_labels([1, 2]), [[np.nan, 0.5, 0.5], [0.2, np.inf, -np.inf]],
             {"q": 0.2, "reduction": "sum"}, None, "float64"),
    ]
    # q outside (0, 1): the constructor raises.
    for q in (0.0, 1.0, 1.5):
        cs.append(spec(f"err-q{q}", int_labels([0, 1]), simplex(rng, (2, 3)), {"q": q, "reduction": "sum"}))
    cs.append(spec("err-batch-mismatch", int_labels([0, 1, 2, 0]), simplex(rng, (3, 3)),
                   {"q": 0.5, "reduction": "sum_over_batch_size"}))
    return cs


# ---------------------------------------------------------------------------
# tf.nn ops
# ---------------------------------------------------------------------------

TF_SHAPES = [(3,), (4, 3), (2, 3, 4), (2, 2, 3, 2), (5, 1)]


def tf_sweep_plan(rng, n):
    """Dtypes and shapes for n sweep cases of an elementwise tf.nn op, balanced over both."""
    return balanced(rng, DTYPE_MIX, n), balanced(rng, TF_SHAPES, n)


def build_sigmoid_xent(rng, fw):
    cs = []
    n = 40
    dts, shps = tf_sweep_plan(rng, n)
    for i in range(n):
        yt = bin_labels(rng, shps[i]) if i % 3 else soft_labels(rng, shps[i])
        cs.append(spec(f"sweep-{shape_tag(shps[i])}", yt, logits(rng, shps[i]), {}, None, dts[i]))
    cs.append(spec("scalar", 1.0, 0.3, {}))
    k = len(LOGIT_EDGES)
    for dt in DTYPES:
        for y in (0.0, 1.0, 0.5, 0.25):
            # Logits +-90, +-17, 16.6 and exactly 0 (where-based: gradient 0.5 - z).
            cs.append(spec(f"logit-edges-y{y}", np.full((k,), y), LOGIT_EDGES, {}, None, dt))
        # Labels outside [0,1] are accepted.
        cs.append(spec("labels-outside-01", [-0.5, 2.0, 1.5, -1.0], [0.0, 1.0, -2.0, 3.0], {}, None, dt))
        cs.append(spec("nonfinite", [1.0, 0.0, 1.0, 0.0, 0.5, 1.0], [np.nan, np.inf, -np.inf, np.inf, -np.inf, 0.0],
                       {}, None, dt))
    cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), logits(rng, (2, 4)), {}))
    cs.append(spec("err-rank-mismatch", bin_labels(rng, (3,)), logits(rng, (3, 1)), {}, None, "float64"))
    return cs


def build_weighted_xent(rng, fw):
    cs = []
    n = 40
    dts, shps = tf_sweep_plan(rng, n)
    for i in range(n):
        shape = shps[i]
        if i % 4 == 3:
            # Tensor pos_weight broadcasting over the last axis.
            pw = rng.uniform(0.25, 4.0, shape[-1:])
        else:
            pw = [1.0, 3.0, 0.5][i % 4]
        yt = bin_labels(rng, shape) if i % 3 else soft_labels(rng, shape)
        tag = f"pwvec{shape[-1]}" if isinstance(pw, np.ndarray) else f"pw{pw}"
        cs.append(spec(f"sweep-{tag}-{shape_tag(shape)}", yt, logits(rng, shape), {"pos_weight": pw}, None, dts[i]))
    k = len(LOGIT_EDGES)
    for dt in DTYPES:
        for q in (1.0, 3.0, 0.5):
            for y in (0.0, 1.0, 0.5):
                # Logits exactly 0: TF's gradient is 1 - z (abs'(0) = relu'(0) = 0), not 1 - z - l/2.
                cs.append(spec(f"logit-edges-pw{q}-y{y}", np.full((k,), y), LOGIT_EDGES, {"pos_weight": q}, None, dt))
    cs.append(spec("zero-logits-pwvec", [[0.0, 0.5, 1.0], [1.0, 1.0, 0.0]], np.zeros((2, 3)),
                   {"pos_weight": np.array([1.0, 3.0, 0.5])}))
    cs.append(spec("zero-logits-pwvec-f64", [[0.0, 0.5, 1.0], [1.0, 1.0, 0.0]], np.zeros((2, 3)),
                   {"pos_weight": np.array([1.0, 3.0, 0.5])}, None, "float64"))
    cs.append(spec("pw0", [1.0, 0.0, 0.5], [1.0, -1.0, 0.0], {"pos_weight": 0.0}))
    cs.append(spec("nonfinite", [1.0, 0.0, 1.0, 0.0, 0.5], [np.nan, np.inf, -np.inf, np.inf, -np.inf],
                   {"pos_weight": 3.0}))
    cs.append(spec("nonfinite-f64", [1.0, 0.0, 1.0, 0.0, 0.5], [np.nan, np.inf, -np.inf, np.inf, -np.inf],
                   {"pos_weight": 0.5}, None, "float64"))
    cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), logits(rng, (2, 4)), {"pos_weight": 2.0}))
    cs.append(spec("err-pwvec-incompatible", bin_labels(rng, (2, 3)), logits(rng, (2, 3)),
                   {"pos_weight": np.array([1.0, 2.0, 3.0, 4.0])}))
    return cs


def build_softmax_xent(rng, fw):
    cs = []
    n = 40
    dts = balanced(rng, DTYPE_MIX, n)
    shapes = [((3,), -1), ((4, 3), -1), ((2, 3, 4), -1), ((2, 2, 3, 2), -1), ((5, 2), -1),
              ((3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), 0)]
    shps = balanced(rng, shapes, n)
    for i in range(n):
        shape, axis = shps[i]
        kind = i % 3
        if kind == 0:
            yt = onehot(rng, shape, axis)
        elif kind == 1:
            yt = simplex(rng, shape, axis)
        else:
            yt = rng.uniform(0.0, 1.0, shape)   # label rows not summing to 1: gradient is softmax - y
        cs.append(spec(f"sweep-{['onehot', 'soft', 'unnormlabels'][kind]}-{shape_tag(shape)}-axis{axis}",
                       yt, logits(rng, shape), {"axis": axis}, None, dts[i]))
    rows = [
        ([1, 1, 0], [1.0, 2.0, 3.0]),           # spec 5.3 example: TF grad [-0.90997, -0.75527, 0.66524]
        ([0, 0, 0], [1.0, 2.0, 3.0]),           # all-zero labels
        ([0.5, 0.2, 0.1], [0.3, -0.2, 0.1]),    # sums to 0.8
        ([-1, 2, 0], [0.3, -0.2, 0.1]),         # negative label
        ([1, 0, 0], [90.0, -90.0, 0.0]),
        ([0, 1, 0], [90.0, -90.0, 0.0]),        # saturated, wrong class
        ([0, 0, 1], [17.0, -17.0, 0.0]),
        ([1, 0, 0], [0.0, 0.0, 0.0]),
        ([0.5, 0.5, 0], [-17.0, 17.0, 16.6]),
    ]
    for dt in DTYPES:
        cs.append(spec("edges", [r[0] for r in rows], [r[1] for r in rows], {"axis": -1}, None, dt))
        cs.append(spec("edges-axis0", np.array([r[0] for r in rows], dtype=np.float64).T,
                       np.array([r[1] for r in rows]).T, {"axis": 0}, None, dt))
    cs.append(spec("classdim1", np.ones((4, 1)), logits(rng, (4, 1)), {"axis": -1}))
    cs.append(spec("classdim1-label0.5", np.full((3, 1), 0.5), logits(rng, (3, 1)), {"axis": -1}, None, "float64"))
    cs.append(spec("nonfinite", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
                   [[np.nan, 0.0, 1.0], [np.inf, 0.0, 1.0], [-np.inf, 0.0, 1.0]], {"axis": -1}))
    cs.append(spec("nonfinite-f64", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[np.inf, np.inf, 1.0], [-np.inf, 0.0, 1.0]],
                   {"axis": -1}, None, "float64"))
    cs.append(spec("err-shape-mismatch", onehot(rng, (2, 3)), logits(rng, (2, 4)), {"axis": -1}))
    # Rank-1 labels against (B,C) logits broadcast (no error).
    cs.append(spec("labels-broadcast-rank1", onehot(rng, (3,)), logits(rng, (2, 3)), {"axis": -1}, None, "float64"))
    cs.append(spec("err-class-mismatch-T", onehot(rng, (2, 2)), logits(rng, (2, 3)), {"axis": -1}, None, "float64"))
    cs.append(spec("err-axis-out-of-range", onehot(rng, (2, 3)), logits(rng, (2, 3)), {"axis": 2}))
    return cs


def build_sparse_softmax_xent(rng, fw):
    cs = []
    n = 40
    dts = balanced(rng, DTYPE_MIX, n)
    shapes = [((4, 3), (4,)), ((2, 3, 4), (2, 3)), ((2, 2, 3, 2), (2, 2, 3)), ((5, 2), (5,)), ((3,), ())]
    shps = balanced(rng, shapes, n)
    for i in range(n):
        pshape, lshape = shps[i]
        yt = int_labels(rng.integers(0, pshape[-1], lshape))
        cs.append(spec(f"sweep-{shape_tag(pshape)}", yt, logits(rng, pshape), {}, None, dts[i]))
    for dt in DTYPES:
        cs.append(spec("logit-edges", int_labels([0, 1, 2, 0, 1, 2]),
                       [[90.0, -90.0, 0.0], [90.0, -90.0, 0.0], [17.0, -17.0, 0.0], [0.0, 0.0, 0.0],
                        [-17.0, 17.0, 16.6], [-90.0, -90.0, -90.0]], {}, None, dt))
        cs.append(spec("nonfinite", int_labels([0, 1, 2]),
                       [[np.nan, 0.0, 1.0], [np.inf, 0.0, 1.0], [-np.inf, 0.0, 1.0]], {}, None, dt))
        cs.append(spec("classdim1", int_labels([0, 0, 0]), logits(rng, (3, 1)), {}, None, dt))
    cs.append(spec("err-label-eq-C", int_labels([0, 3, 1]), logits(rng, (3, 3)), {}))
    cs.append(spec("err-label-neg1", int_labels([0, -1, 1]), logits(rng, (3, 3)), {}, None, "float64"))
    cs.append(spec("err-labels-Bx1", int_labels([[0], [2], [1]]), logits(rng, (3, 3)), {}))
    cs.append(spec("err-batch-mismatch", int_labels([0, 1]), logits(rng, (3, 3)), {}))
    return cs


def build_log_poisson(rng, fw):
    cs = []
    n = 40
    dts, shps = tf_sweep_plan(rng, n)
    for i in range(n):
        shape = shps[i]
        full = bool(i % 2)
        z = rng.choice([0.0, 0.5, 1.0, 2.0, 3.0, 10.0], shape) if i % 3 else rng.uniform(0.0, 6.0, shape)
        cs.append(spec(f"sweep-full{int(full)}-{shape_tag(shape)}", z, logits(rng, shape, 1.5),
                       {"compute_full_loss": full}, None, dts[i]))
    targets = [0.0, 0.5, 1.0, 2.0, 3.0, 10.0, -1.0]   # Stirling term only where not 0 <= z <= 1; -1: log of a negative
    for dt in DTYPES:
        for full in (False, True):
            # Spec 5.5 example: c = 0.1 for every target.
            cs.append(spec(f"targets-c0.1-full{int(full)}", targets, np.full(len(targets), 0.1),
                           {"compute_full_loss": full}, None, dt))
            cs.append(spec(f"targets-random-c-full{int(full)}", targets, logits(rng, len(targets), 1.5),
                           {"compute_full_loss": full}, None, dt))
            # Extreme log_input: exp overflows in float32 at 90, underflows at -90.
            cs.append(spec(f"extreme-c-full{int(full)}", [0.0, 1.0, 3.0, 10.0, 2.0, 0.5],
                           [-90.0, -17.0, 0.0, 17.0, 90.0, 0.0], {"compute_full_loss": full}, None, dt))
        cs.append(spec("nonfinite", [1.0, 2.0, 0.0, 3.0], [np.nan, np.inf, -np.inf, -np.inf],
                       {"compute_full_loss": True}, None, dt))
    cs.append(spec("default-flag", [0.0, 2.0, 5.0], [0.3, -0.4, 1.2], {}))
    cs.append(spec("err-shape-mismatch", [1.0, 2.0, 3.0], [0.1, 0.2], {"compute_full_loss": False}))
    cs.append(spec("err-shape-mismatch-full", np.ones((2, 3)), np.zeros((3, 2)), {"compute_full_loss": True},
                   None, "float64"))
    return cs


# ---------------------------------------------------------------------------
# keras: the `dtype` constructor argument
# ---------------------------------------------------------------------------

def keras_dtype_cases(rng, loss):
    """Keras 3 casts the inputs to the loss's `dtype` (floatx, float32, when None):
    float64 arrays with the default compute in float32; dtype="float64" keeps them."""
    if loss in ("SparseCategoricalCrossentropy", "CategoricalGeneralizedCrossEntropy"):
        yt, yp = int_labels([0, 2, 1]), simplex(rng, (3, 3))
    elif loss.startswith("Categorical"):
        yt, yp = onehot(rng, (3, 4)), simplex(rng, (3, 4))
    else:
        yt, yp = bin_labels(rng, (2, 3)), probs(rng, (2, 3))
    out = []
    if loss == "BinaryCrossentropy":
        # The issue's example: 1.1920928955078125e-07 by default, 1.0000000494736474e-07 in float64.
        ex_t, ex_p = [[1.0, 0.0, 1.0]], [[1.0, 0.0, 0.99999999]]
        out.append(dict(spec("float64-arrays-default-dtype-example", ex_t, ex_p, {}, None, "float64"), default_dtype=True))
        out.append(spec("float64-arrays-dtype-float64-example", ex_t, ex_p, {"dtype": "float64"}, None, "float64"))
    out.append(dict(spec("float64-arrays-default-dtype", yt, yp, {}, None, "float64"), default_dtype=True))
    out.append(spec("float64-arrays-dtype-float32", yt, yp, {"dtype": "float32"}, None, "float64"))
    out.append(spec("float32-arrays-dtype-float64", yt, yp, {"dtype": "float64"}, None, "float32"))
    return out


# ---------------------------------------------------------------------------
# keras / tf_keras: the regression, hinge, KL, Poisson and cosine losses, and the
# loss functions (issue 7)
# ---------------------------------------------------------------------------

REG_SHAPES = [(3,), (4, 3), (2, 3, 4), (2, 2, 3, 2), (5, 1), (3, 3, 2)]

# The class each loss function belongs to: its inputs and edge cases are the class's.
FUNCTION_OF = {
    "mean_squared_error": "MeanSquaredError", "mean_absolute_error": "MeanAbsoluteError",
    "mean_absolute_percentage_error": "MeanAbsolutePercentageError",
    "mean_squared_logarithmic_error": "MeanSquaredLogarithmicError", "cosine_similarity": "CosineSimilarity",
    "huber": "Huber", "log_cosh": "LogCosh", "hinge": "Hinge", "squared_hinge": "SquaredHinge",
    "categorical_hinge": "CategoricalHinge", "poisson": "Poisson", "kl_divergence": "KLDivergence",
    "binary_crossentropy": "BinaryCrossentropy", "binary_focal_crossentropy": "BinaryFocalCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "categorical_focal_crossentropy": "CategoricalFocalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "categorical_generalized_cross_entropy": "CategoricalGeneralizedCrossEntropy",
    "dice": "Dice", "tversky": "Tversky", "circle": "Circle", "ctc": "CTC",
}
# tf-keras's other names for its functions (each gets a few cases under that name).
TFK_ALIASES = {
    "mean_squared_error": ["MSE", "mse"], "mean_absolute_error": ["MAE", "mae"],
    "mean_absolute_percentage_error": ["MAPE", "mape"], "mean_squared_logarithmic_error": ["MSLE", "msle"],
    "kl_divergence": ["KLD", "kld", "kullback_leibler_divergence"], "log_cosh": ["logcosh"],
}


def reg_inputs(loss):
    """make_inputs(rng, shape, params) -> (y_true, y_pred) for a regression-style class."""
    def make(rng, shape, params):
        if loss in ("MeanSquaredError", "MeanAbsoluteError", "LogCosh", "Huber", "CosineSimilarity"):
            return rng.normal(0.0, 1.0, shape), rng.normal(0.0, 1.5, shape)
        if loss == "MeanAbsolutePercentageError":
            y = rng.uniform(0.2, 3.0, shape) * rng.choice([-1.0, 1.0], shape)
            return y, y + rng.normal(0.0, 0.8, shape)
        if loss == "MeanSquaredLogarithmicError":
            return rng.uniform(0.0, 3.0, shape), rng.uniform(-0.5, 3.0, shape)
        if loss == "Poisson":
            return rng.integers(0, 5, shape).astype(np.float64), rng.uniform(0.05, 4.0, shape)
        if loss == "KLDivergence":
            y = onehot(rng, shape) if rng.random() < 0.4 else simplex(rng, shape)
            return y, simplex(rng, shape)
        if loss in ("Hinge", "SquaredHinge"):
            kind = rng.integers(0, 3)
            if kind == 0:
                y = bin_labels(rng, shape)                       # {0, 1}: converted to {-1, 1}
            elif kind == 1:
                y = 2.0 * bin_labels(rng, shape) - 1.0           # already {-1, 1}
            else:
                y = rng.uniform(-1.0, 1.0, shape)                # not binary: used as is
            return y, rng.normal(0.0, 1.5, shape)
        if loss == "CategoricalHinge":
            return onehot(rng, shape), rng.normal(0.0, 1.5, shape)
        raise ValueError(loss)
    return make


def reg_param_cycle(loss):
    if loss == "Huber":
        return [{"delta": d} for d in (1.0, 0.5, 2.0)]
    if loss == "CosineSimilarity":
        return [{"axis": a} for a in (-1, 0)]
    return [{}]


def reg_loss_shape(loss):
    def shape_of(shape, params):
        return drop_axis(shape, params.get("axis", -1))
    return shape_of


def reg_edge_cases(loss, fw):
    """Hand-picked inputs per loss: (desc, y_true, y_pred, params, dtype) with the
    reduction left to the caller (classes use "none" to show each sample)."""
    e = []
    f32eps = float(F32(1e-7))
    for dt in DTYPES:
        if loss in ("MeanSquaredError", "MeanAbsoluteError", "LogCosh"):
            e.append(("equal", [[0.5, -1.0, 2.0], [0.0, 3.0, -0.25]], [[0.5, -1.0, 2.0], [0.0, 3.0, -0.25]], {}, dt))
            e.append(("large-errors", [[0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 0.0, 0.0]],
                      [[6.97, -6.97, 7.0, 20.0], [101.0, -101.0, 1e-4, -1e-4]], {}, dt))
        if loss == "MeanAbsolutePercentageError":
            # y = 0 divides by eps: 1e9 per unit of error; |y| below eps likewise.
            e.append(("ytrue-zero", [[0.0, 1.0], [0.0, 0.0], [1e-9, -1e-9]], [[1.0, 1.0], [0.0, -2.0], [0.5, 0.5]], {}, dt))
            e.append(("equal-and-sign", [[2.0, -2.0, 0.5], [-3.0, 1e-7, 3.0]], [[2.0, 2.0, -0.5], [-3.0, 0.0, 6.0]], {}, dt))
        if loss == "MeanSquaredLogarithmicError":
            # negative and zero inputs are raised to eps; p == float32 eps exactly ties the maximum.
            e.append(("negative-and-eps", [[0.0, -1.0, 2.0, 1.0], [3.0, 0.5, -0.5, 1e-7]],
                      [[-0.5, 2.0, -3.0, f32eps], [1e-7, 0.0, -1.0, 2.0]], {}, dt))
            e.append(("minus-one", [[-1.0, 0.0], [1.0, 2.0]], [[-1.0, -0.99], [0.99, 1e3]], {}, dt))
        if loss == "Huber":
            for d in (1.0, 0.5, 2.5, 0.0):
                # |e| == delta exactly (both branches), e = 0, inside and outside.
                e.append((f"boundary-d{d}", [[0.0, 0.0, 0.0, 0.0, 1.0]], [[d, -d, 0.0, 2 * d + 1, 1.0 - d / 2]],
                          {"delta": d}, dt))
        if loss == "LogCosh":
            # softplus switches formula at |2x| = 13.94 (float32) / 34.04 (float64).
            e.append(("softplus-thresholds", [[0.0] * 6], [[6.97, -6.97, 6.98, -6.98, 17.03, -17.03]], {}, dt))
        if loss in ("Hinge", "SquaredHinge"):
            e.append(("labels01-margin", [[0.0, 1.0, 1.0, 0.0]], [[-1.0, 1.0, 0.5, 2.0]], {}, dt))   # y·p == 1 at the first two
            e.append(("labels-pm1", [[-1.0, 1.0, 1.0, -1.0]], [[-1.0, 1.0, 0.5, 2.0]], {}, dt))
            e.append(("labels-mixed-not-converted", [[0.0, 1.0], [0.0, 0.5]], [[0.3, -0.2], [1.5, 0.4]], {}, dt))
            e.append(("labels-all-zero", [[0.0, 0.0], [0.0, 0.0]], [[0.3, -1.0], [-2.0, 0.4]], {}, dt))
        if loss == "CategoricalHinge":
            e.append(("ties-and-margins", [[0, 0, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0]],
                      [[0.3, 0.3, 0.1], [0.0, 0.5, 0.0], [0.5, 1.5, 0.2], [-2.0, 0.5, -1.0], [2.0, 2.0, 2.0]], {}, dt))
            e.append(("labels-pm1", [[-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]], [[0.2, 0.7, -0.1], [0.5, 0.5, 0.0]], {}, dt))
        if loss == "Poisson":
            # y = 0, p = 0 (log eps), p = -eps (log 0), p < -eps (NaN), p negative with y = 0.
            e.append(("edges", [[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 2.0, 5.0]],
                      [[0.0, 0.0, -1e-7, -0.5], [1e-8, -2.0, 2.0, 1e3]], {}, dt))
        if loss == "KLDivergence":
            e.append(("clip-edges", [[0.0, 0.0, 1.0], [0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [1.5, -0.5, 0.0]],
                      [[0.4, 0.6, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 2.0]], {}, dt))
            e.append(("on-the-bounds", [[1.0, 0.0], [0.5, 0.5]], [[1.0, f32eps], [f32eps, 1.0]], {}, dt))
        if loss == "CosineSimilarity":
            # zero vectors (loss 0; Keras caps rsqrt at 1e7, tf-keras clamps at 1e-12), tiny vectors.
            e.append(("zero-vectors", [[1.0, 2.0], [0.0, 0.0], [0.0, 0.0], [1e-5, 0.0]],
                      [[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1e-5, 1e-5]], {"axis": -1}, dt))
            e.append(("docstring", [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0], [-1.0, -1.0]],
                      {"axis": -1}, dt))
    return e


def build_regression(loss):
    def build(rng, fw):
        red0 = default_reduction(fw)
        cs = sweep(rng, fw, 40, reg_param_cycle(loss), reg_inputs(loss), REG_SHAPES, reg_loss_shape(loss))
        for desc, yt, yp, params, dt in reg_edge_cases(loss, fw):
            cs.append(spec(desc, yt, yp, with_red(params, "none"), None, dt))
        # The same edges under the other reductions, with weights (zeros included).
        edges = [c for c in reg_edge_cases(loss, fw) if c[4] == "float32"]
        for i, red in enumerate(reductions(fw)):
            desc, yt, yp, params, dt = edges[i % len(edges)]
            yt, yp = np.asarray(yt, dtype=np.float64), np.asarray(yp, dtype=np.float64)
            w = weight_values(rng, drop_axis(yp.shape, params.get("axis", -1)), ["pos", "zeros"][i % 2])
            cs.append(spec(f"{desc}-{red}-sw", yt, yp, with_red(params, red), w, DTYPE_MIX[i % 3]))
        # Rank alignment: y (3,) against p (3, 1) (Keras 3 expands y, tf-keras squeezes p).
        base = reg_param_cycle(loss)[0]
        yt, yp = reg_inputs(loss)(rng, (3, 1), base)
        cs.append(spec("rank-mismatch-yt3-yp3x1", yt.reshape(3), yp, with_red(base, "none")))
        cs.append(spec("rank-mismatch-yt3x1-yp3", yt, yp.reshape(3), with_red(base, red0), None, "float64"))
        # Rank-3 inputs with a (B,) weight: Keras 3 weights the time axis when T == B.
        yt, yp = reg_inputs(loss)(rng, (3, 3, 2), base)
        cs.append(spec("rank3-swB-T-eq-B", yt, yp, with_red(base, "sum"), [1.0, 0.0, 2.0]))
        cs.append(spec("rank3-swB1", yt, yp, with_red(base, red0), [[1.0], [0.0], [2.0]], "float64"))
        if loss == "CosineSimilarity":
            for shape, axis in (((3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -2), ((4,), 0)):
                yt, yp = reg_inputs(loss)(rng, shape, {})
                cs.append(spec(f"axis{axis}-{shape_tag(shape)}", yt, yp, {"axis": axis, "reduction": red0}))
            cs.append(spec("err-axis-out-of-range", rng.normal(0, 1, (2, 3)), rng.normal(0, 1, (2, 3)),
                           {"axis": 2, "reduction": red0}, error=error("invalid_parameter", "axis")))
        if fw == "keras":
            yt, yp = reg_inputs(loss)(rng, (2, 3), base)
            cs.append(dict(spec("float64-arrays-default-dtype", yt, yp, with_red(base, red0), None, "float64"),
                           default_dtype=True))
            cs.append(spec("float32-arrays-dtype-float64", yt, yp, dict(with_red(base, red0), dtype="float64")))
        # NaN and infinities.
        vals = np.array([[np.nan, 0.3, np.inf], [-np.inf, 0.7, 0.5]])
        yt = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
        cs.append(spec("nonfinite", yt, vals, with_red(base, "none")))
        cs.append(spec("nonfinite-f64", yt, vals, with_red(base, red0), None, "float64"))
        # Errors.
        yt, yp = reg_inputs(loss)(rng, (2, 4), base)
        cs.append(spec("err-shape-mismatch", yt[:, :3], yp, with_red(base, red0), error=error("shape_mismatch", "y_true")))
        yt, yp = reg_inputs(loss)(rng, (4, 3), base)
        cs.append(spec("err-sw-incompatible-5", yt, yp, with_red(base, red0), np.ones(5)))
        return cs
    return build


def function_sweep(rng, fw, fn, n, param_cycle, make_inputs, shapes):
    """Seeded cases for a loss function: no reduction, no sample weight."""
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, shapes, n)
    out = []
    for i in range(n):
        params = dict(param_cycle[i % len(param_cycle)])
        yt, yp = make_inputs(rng, shps[i], params)
        out.append(spec(f"sweep-{param_tag(params) or 'default'}-{shape_tag(shps[i])}", yt, yp, params, None, dts[i]))
    return out


def function_cases_from_class(rng, fw, fn):
    """Inputs and edges of the class behind a loss function, as the function takes them."""
    cls = FUNCTION_OF[fn]
    cs = []
    if cls in ("MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
               "CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge", "Poisson",
               "KLDivergence"):
        cs += function_sweep(rng, fw, fn, 16, reg_param_cycle(cls), reg_inputs(cls), REG_SHAPES)
        for desc, yt, yp, params, dt in reg_edge_cases(cls, fw):
            cs.append(spec(desc, yt, yp, params, None, dt))
        base = reg_param_cycle(cls)[0]
        yt, yp = reg_inputs(cls)(rng, (3, 1), base)
        # Keras 3's mean_squared_error & co. align ranks themselves; hinge, poisson, KL and
        # every tf-keras function do not, so (3,) against (3, 1) broadcasts to (3, 3).
        cs.append(spec("rank-mismatch-yt3-yp3x1", yt.reshape(3), yp, base))
        cs.append(spec("rank-mismatch-yt3x1-yp3", yt, yp.reshape(3), base, None, "float64"))
        yt, yp = reg_inputs(cls)(rng, (2, 4), base)
        cs.append(spec("err-shape-mismatch", yt[:, :3], yp, base, error=error("shape_mismatch", "y_true")))
        return cs
    if cls in ("BinaryCrossentropy", "BinaryFocalCrossentropy"):
        cycle = ([{"from_logits": fl, "label_smoothing": ls} for fl in (False, True) for ls in (0.0, 0.1)]
                 if cls == "BinaryCrossentropy" else
                 [{"gamma": g, "from_logits": fl, "apply_class_balancing": acb, "alpha": 0.3}
                  for g in (2.0, 0.5) for fl in (False, True) for acb in (False, True)])
        cs += function_sweep(rng, fw, fn, 16, cycle, binary_inputs, BIN_SHAPES)
        for dt in DTYPES:
            cs.append(spec("motivating", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {}, None, dt))
            cs.append(spec("docstring", [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]],
                           {"gamma": 2.0} if cls == "BinaryFocalCrossentropy" else {}, None, dt))
            edges = clip_window_edges(dt)
            cs.append(spec("clip-edges", np.array([1.0, 0.0] * len(edges))[:len(edges)].reshape(-1, 1),
                           np.array(edges).reshape(-1, 1), {}, None, dt))
            cs.append(spec("logit-edges", np.full((len(LOGIT_EDGES), 1), 1.0), np.array(LOGIT_EDGES).reshape(-1, 1),
                           {"from_logits": True}, None, dt))
        cs.append(spec("axis0", bin_labels(rng, (4, 3)), probs(rng, (4, 3)), {"axis": 0}))
        cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), logits(rng, (2, 4)), {"from_logits": True},
                       error=error("shape_mismatch", "y_true")))
        return cs
    if cls in ("CategoricalCrossentropy", "CategoricalFocalCrossentropy"):
        cycle = [{"from_logits": fl, "label_smoothing": ls} for fl in (False, True) for ls in (0.0, 0.2)]
        if cls == "CategoricalFocalCrossentropy":
            cycle = [dict(c, alpha=a, gamma=g) for c in cycle for a, g in ((0.25, 2.0), (0.6, 1.5))]
        cs += function_sweep(rng, fw, fn, 16, cycle, categorical_inputs, CAT_SHAPES)
        for dt in DTYPES:
            cs.append(spec("docstring", [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]],
                           {}, None, dt))
            cs.append(spec("logit-edges", [[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[90.0, -90.0, 0.0], [17.0, -17.0, 0.0],
                                                                             [1.0, 2.0, 3.0]],
                           {"from_logits": True}, None, dt))
        cs.append(spec("axis0-ls", onehot(rng, (3, 4), 0), simplex(rng, (3, 4), 0), {"axis": 0, "label_smoothing": 0.1}))
        cs.append(spec("err-shape-mismatch", onehot(rng, (2, 3)), simplex(rng, (2, 4)), {},
                       error=error("shape_mismatch", "y_true")))
        return cs
    if cls == "SparseCategoricalCrossentropy":
        for i in range(16):
            pshape, lshape = SPARSE_SHAPES[i % len(SPARSE_SHAPES)]
            fl = bool(i % 2)
            ign = [None, 0, -1, 2][(i // 2) % 4]
            yt = sparse_labels_with_ignore(rng, lshape, pshape[-1], ign)
            yp = logits(rng, pshape) if fl else simplex(rng, pshape)
            params = {"from_logits": fl, "ignore_class": ign}
            cs.append(spec(f"sweep-{param_tag(params)}-{shape_tag(pshape)}-lab{shape_tag(lshape)}", yt, yp, params,
                           None, DTYPE_MIX[i % 3]))
        for dt in DTYPES:
            cs.append(spec("docstring", int_labels([1, 2]), [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]], {}, None, dt))
            cs.append(spec("unnormalised-3-1", int_labels([1, 0]), [[3.0, 1.0], [0.2, 0.2]], {}, None, dt))
        if fw == "tf_keras":
            # The tf-keras docstring's ignore_class example, and the function's axis argument.
            cs.append(spec("docstring-ignore-class", int_labels([[[0, 2], [-1, -1]], [[0, 2], [-1, -1]]]),
                           [[[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [[0.2, 0.5, 0.3], [0.0, 1.0, 0.0]]],
                            [[[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], [[0.2, 0.5, 0.3], [0.0, 1.0, 0.0]]]],
                           {"ignore_class": -1}))
            cs.append(spec("axis1", int_labels([[0, 1], [2, 0]]), simplex(rng, (2, 3, 2), axis=1), {"axis": 1}))
        cs.append(spec("err-label-eq-C", int_labels([0, 3, 1]), simplex(rng, (3, 3)), {}))
        cs.append(spec("err-batch-mismatch", int_labels([0, 1, 2, 0]), simplex(rng, (3, 3)), {}))
        return cs
    if cls == "CategoricalGeneralizedCrossEntropy":
        for i in range(16):
            pshape, lshape = GCE_SHAPES[i % len(GCE_SHAPES)]
            yt = int_labels(rng.integers(0, pshape[-1], lshape))
            cs.append(spec(f"sweep-q{[0.2, 0.5, 0.9][i % 3]}-{shape_tag(pshape)}-lab{shape_tag(lshape)}", yt,
                           simplex(rng, pshape), {"q": [0.2, 0.5, 0.9][i % 3]}, None, DTYPE_MIX[i % 3]))
        for dt in DTYPES:
            cs.append(spec("edges", int_labels([0, 1, 2, 0]), [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0], [0.3, 0.3, 1e-12],
                                                               [3.0, 1.0, 0.0]], {"q": 0.5}, None, dt))
            cs.append(spec("labels-Bx1", int_labels([[0], [2], [1]]), simplex(rng, (3, 3)), {"q": 0.3}, None, dt))
        cs.append(spec("err-batch-mismatch", int_labels([0, 1, 2, 0]), simplex(rng, (3, 3)), {"q": 0.5}))
        return cs
    raise ValueError(fn)


def build_function(fn):
    def build(rng, fw):
        cls = FUNCTION_OF[fn]
        if cls in ("Dice", "Tversky"):
            cs = segmentation_function_cases(rng, fw, fn)
        elif cls == "Circle":
            cs = circle_cases(rng, fw, function=True)
        elif cls == "CTC":
            cs = ctc_cases(rng, fw, function=True)
        else:
            cs = function_cases_from_class(rng, fw, fn)
        if fw == "tf_keras":
            # The aliases, on a few of the same inputs.
            for alias in TFK_ALIASES.get(fn, []):
                for c in cs[:3]:
                    cs.append(dict(c, desc=f"alias-{alias}-{c['desc']}", call_as=alias))
        return cs
    return build


# ---------------------------------------------------------------------------
# keras: Dice and Tversky
# ---------------------------------------------------------------------------

DICE_EXAMPLE = ([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]],
                [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]])
# (input shape, axis): None reduces everything (a scalar per-sample loss).
SEG_SHAPES = [((2, 2, 2, 1), None), ((2, 2, 2, 1), (1, 2, 3)), ((3, 4), -1), ((3, 4), None), ((2, 3, 4), (1, 2)),
              ((2, 3, 4), 1), ((4,), None), ((2, 3, 4), (2,))]


def seg_inputs(rng, shape):
    y = bin_labels(rng, shape) if rng.random() < 0.7 else soft_labels(rng, shape)
    return y, rng.uniform(0.0, 1.0, shape)


def seg_loss_shape(shape, axis):
    if axis is None:
        return ()
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def build_segmentation(loss):
    def build(rng, fw):
        red0 = default_reduction(fw)
        n = 40
        reds = balanced(rng, reductions(fw), n)
        dts = balanced(rng, DTYPE_MIX, n)
        shps = balanced(rng, SEG_SHAPES, n)
        sws = balanced(rng, SW_PLAN, n)
        ab = [(0.5, 0.5), (0.2, 0.8), (0.7, 0.3), (1.0, 0.0)]
        cs = []
        for i in range(n):
            shape, axis = shps[i]
            params = {"axis": axis, "reduction": reds[i]}
            if loss == "Tversky":
                params = {"alpha": ab[i % 4][0], "beta": ab[i % 4][1], **params}
            yt, yp = seg_inputs(rng, shape)
            sw, swtag = make_sw(rng, sws[i], seg_loss_shape(shape, axis), fw)
            desc = f"sweep-ax{axis}-{reds[i]}-{shape_tag(shape)}-{swtag}".replace(" ", "")
            cs.append(spec(desc, yt, yp, params, sw, dts[i]))
        yt, yp = DICE_EXAMPLE
        extra = {} if loss == "Dice" else {"alpha": 0.2, "beta": 0.8}
        for dt in DTYPES:
            cs.append(spec("docstring-axis123-none", yt, yp, dict(extra, axis=(1, 2, 3), reduction="none"), None, dt))
            cs.append(spec("docstring-default", yt, yp, dict(extra, reduction=red0), None, dt))
        # A (B,) weight turns the scalar (axis=None) loss into loss·w, which is then reduced.
        for red in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
            cs.append(spec(f"scalar-loss-swB-{red}", yt, yp, dict(extra, reduction=red), [1.0, 0.0]))
        # All zeros: 1 − 0/ε = 1 with zero gradient; all ones; probabilities 0 and 1.
        for dt in DTYPES:
            cs.append(spec("all-zero", np.zeros((2, 3)), np.zeros((2, 3)), dict(extra, axis=-1, reduction="none"), None, dt))
            cs.append(spec("zeros-ones", [[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]],
                           dict(extra, axis=-1, reduction="none"), None, dt))
        cs.append(spec("axis-int-0", bin_labels(rng, (3, 4)), probs(rng, (3, 4)), dict(extra, axis=0, reduction="none")))
        cs.append(spec("axis-list", bin_labels(rng, (2, 3, 2)), probs(rng, (2, 3, 2)),
                       dict(extra, axis=(-2, -1), reduction=red0), None, "float64"))
        cs.append(dict(spec("float64-arrays-default-dtype", yt, yp, dict(extra, reduction=red0), None, "float64"),
                       default_dtype=True))
        vals = np.array([[np.nan, 0.3, np.inf], [-np.inf, 0.7, 0.5]])
        cs.append(spec("nonfinite", [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], vals, dict(extra, axis=-1, reduction="none")))
        cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), probs(rng, (2, 4)), dict(extra, reduction=red0),
                       error=error("shape_mismatch", "y_true")))
        cs.append(spec("err-axis-out-of-range", bin_labels(rng, (2, 3)), probs(rng, (2, 3)),
                       dict(extra, axis=2, reduction=red0), error=error("invalid_parameter", "axis")))
        cs.append(spec("err-sw-incompatible", bin_labels(rng, (4, 3)), probs(rng, (4, 3)),
                       dict(extra, axis=-1, reduction=red0), np.ones(5)))
        return cs
    return build


def segmentation_function_cases(rng, fw, fn):
    cs = []
    for i in range(16):
        shape, axis = SEG_SHAPES[i % len(SEG_SHAPES)]
        params = {"axis": axis}
        if fn == "tversky":
            params = {"alpha": [0.5, 0.2, 0.7][i % 3], "beta": [0.5, 0.8, 0.3][i % 3], **params}
        yt, yp = seg_inputs(rng, shape)
        cs.append(spec(f"sweep-ax{axis}-{shape_tag(shape)}".replace(" ", ""), yt, yp, params, None, DTYPE_MIX[i % 3]))
    yt, yp = DICE_EXAMPLE
    for dt in DTYPES:
        cs.append(spec("docstring-axis123", yt, yp, {"axis": (1, 2, 3)}, None, dt))
        cs.append(spec("docstring-default", yt, yp, {}, None, dt))
        cs.append(spec("all-zero", np.zeros((2, 3)), np.zeros((2, 3)), {"axis": -1}, None, dt))
    cs.append(spec("err-shape-mismatch", bin_labels(rng, (2, 3)), probs(rng, (2, 4)), {},
                   error=error("shape_mismatch", "y_true")))
    return cs


# ---------------------------------------------------------------------------
# keras: Circle and CTC
# ---------------------------------------------------------------------------

def unit_rows(rng, shape):
    x = rng.normal(0.0, 1.0, shape)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def circle_cases(rng, fw, function=False):
    red0 = default_reduction(fw)
    cs = []
    n = 40 if not function else 16
    reds = balanced(rng, reductions(fw), n)
    dts = balanced(rng, DTYPE_MIX, n)
    settings = [{"gamma": 80.0, "margin": 0.4, "remove_diagonal": True}, {"gamma": 10.0, "margin": 0.25, "remove_diagonal": True},
                {"gamma": 80.0, "margin": 0.4, "remove_diagonal": False}, {"gamma": 2.0, "margin": 0.1, "remove_diagonal": True}]
    for i in range(n):
        b, d = [(4, 3), (6, 4), (5, 2), (8, 5)][i % 4]
        params = dict(settings[(i // 4) % 4])
        yt = int_labels(rng.integers(0, 3, (b,)))
        yp = unit_rows(rng, (b, d))
        sw = None
        if not function:
            params["reduction"] = reds[i]
            if i % 3 == 1:
                sw = rng.uniform(0.25, 2.0, (b,))
                sw[0] = 0.0
        tag = f"g{params['gamma']}-m{params['margin']}-rd{int(params['remove_diagonal'])}"
        cs.append(spec(f"sweep-{tag}-{reds[i] if not function else 'fn'}-B{b}D{d}", yt, yp, params, sw,
                       dts[i] if not function else DTYPE_MIX[i % 3]))
    rd = {} if function else {"reduction": "none"}
    for dt in DTYPES:
        # Samples without a positive partner get loss 0 and are masked out of the mean.
        cs.append(spec("lonely-samples", int_labels([0, 0, 1, 2, 2]), unit_rows(rng, (5, 3)), rd, None, dt))
        cs.append(spec("lonely-samples-mean", int_labels([0, 0, 1, 2, 2]), unit_rows(rng, (5, 3)),
                       {} if function else {"reduction": red0}, None, dt))
        # Identical embeddings (distance 0) and opposite ones (distance 2, clamped weights).
        e = np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
        cs.append(spec("identical-and-opposite", int_labels([0, 0, 0, 1]), e, rd, None, dt))
    cs.append(spec("float-labels-truncated", np.array([0.7, 0.2, 1.7, 1.2]), unit_rows(rng, (4, 3)), rd))
    if not function:
        cs.append(spec("all-masked-swB", int_labels([0, 1, 2]), unit_rows(rng, (3, 3)), {"reduction": red0},
                       [1.0, 2.0, 0.5]))
        cs.append(spec("sw-mean-with-sample-weight", int_labels([0, 0, 1, 1]), unit_rows(rng, (4, 3)),
                       {"reduction": "mean_with_sample_weight"}, [1.0, 0.5, 2.0, 0.0]))
        cs.append(dict(spec("float64-arrays-default-dtype", int_labels([0, 0, 1, 1]), unit_rows(rng, (4, 3)),
                            {"reduction": red0}, None, "float64"), default_dtype=True))
    cs.append(spec("err-batch-mismatch", int_labels([0, 1, 0]), unit_rows(rng, (4, 3)), rd,
                   error=error("shape_mismatch", "y_true")))
    return cs


def ctc_labels(rng, b, length, classes, lengths):
    y = np.zeros((b, length), dtype=np.int64)
    for i in range(b):
        y[i, :lengths[i]] = rng.integers(1, classes, lengths[i])
    return y


def ctc_cases(rng, fw, function=False):
    red0 = default_reduction(fw)
    cs = []
    n = 32 if not function else 14
    reds = balanced(rng, reductions(fw), n)
    dts = balanced(rng, DTYPE_MIX, n)
    for i in range(n):
        # Short sequences: over T ≳ 8 frames the float32 recursion drifts from TF (Eigen's exp/log
        # polynomials vs the C library) by ~2e-7 absolute in small gradient entries.
        b, t, c, length = [(2, 5, 4, 3), (3, 6, 5, 3), (1, 5, 3, 2), (4, 6, 6, 3)][i % 4]
        lengths = rng.integers(1, length + 1, b)
        if i % 5 == 0:
            lengths[0] = 0           # an empty label: only blanks
        yt = ctc_labels(rng, b, length, c, lengths)
        if i % 4 == 1:
            yt[0, 1] = yt[0, 0]      # a repeated label needs a blank between
        yp = logits(rng, (b, t, c), 2.0)
        params = {} if function else {"reduction": reds[i]}
        sw = None if function or i % 3 else rng.uniform(0.25, 2.0, (b,))
        cs.append(spec(f"sweep-{reds[i] if not function else 'fn'}-B{b}T{t}C{c}L{length}", yt, yp, params, sw,
                       dts[i] if not function else DTYPE_MIX[i % 3]))
    rd = {} if function else {"reduction": "none"}
    for dt in DTYPES:
        # An infeasible alignment (3 labels with a repeat need 4 frames, there are 3): TF's log(1e-307) surrogate.
        cs.append(spec("infeasible", int_labels([[1, 1, 2], [1, 2, 0]]), logits(rng, (2, 3, 3)), rd, None, dt))
        # A 0 inside a label row shortens the label length: [1, 0, 2] scores [1, 0].
        cs.append(spec("zero-inside-label", int_labels([[1, 0, 2], [2, 1, 0]]), logits(rng, (2, 5, 3)), rd, None, dt))
        cs.append(spec("saturated-logits", int_labels([[1, 2], [2, 2]]),
                       np.array([[[30.0, -30.0, 0.0]] * 4, [[-30.0, 0.0, 30.0]] * 4]), rd, None, dt))
    cs.append(spec("float-labels", np.array([[1.0, 2.0], [2.0, 0.0]]), logits(rng, (2, 4, 3)), rd))
    if not function:
        cs.append(dict(spec("float64-arrays-default-dtype", int_labels([[1, 2], [2, 0]]), logits(rng, (2, 4, 3)),
                            {"reduction": red0}, None, "float64"), default_dtype=True))
        cs.append(spec("sw-mean-with-sample-weight", int_labels([[1, 2], [2, 0]]), logits(rng, (2, 4, 3)),
                       {"reduction": "mean_with_sample_weight"}, [1.0, 3.0]))
    cs.append(spec("err-rank-y-true", int_labels([1, 2]), logits(rng, (2, 4, 3)), rd,
                   error=error("shape_mismatch", "y_true")))
    cs.append(spec("err-rank-y-pred", int_labels([[1, 2], [2, 1]]), logits(rng, (2, 4)), rd,
                   error=error("shape_mismatch", "y_pred")))
    return cs


def build_circle(rng, fw):
    return circle_cases(rng, fw)


def build_ctc(rng, fw):
    return ctc_cases(rng, fw)


# ---------------------------------------------------------------------------
# tf.compat.v1.losses
# ---------------------------------------------------------------------------

V1_REDUCTIONS = ["none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
                 "weighted_sum_by_nonzero_weights"]
# The argument names of each function's first two parameters.
V1_NAMES = {
    "log_loss": ("labels", "predictions"), "mean_squared_error": ("labels", "predictions"),
    "absolute_difference": ("labels", "predictions"), "huber_loss": ("labels", "predictions"),
    "cosine_distance": ("labels", "predictions"), "mean_pairwise_squared_error": ("labels", "predictions"),
    "hinge_loss": ("labels", "logits"), "sigmoid_cross_entropy": ("multi_class_labels", "logits"),
    "softmax_cross_entropy": ("onehot_labels", "logits"), "sparse_softmax_cross_entropy": ("labels", "logits"),
}
V1_SHAPES = [(3,), (4, 3), (2, 3, 4), (5, 1), (2, 2, 3)]


def v1_inputs(fn, rng, shape):
    if fn == "log_loss":
        return bin_labels(rng, shape) if rng.random() < 0.7 else soft_labels(rng, shape), probs(rng, shape)
    if fn in ("mean_squared_error", "absolute_difference", "huber_loss", "mean_pairwise_squared_error"):
        return rng.normal(0.0, 1.0, shape), rng.normal(0.0, 1.5, shape)
    if fn == "hinge_loss":
        return bin_labels(rng, shape), rng.normal(0.0, 1.5, shape)
    if fn == "sigmoid_cross_entropy":
        return bin_labels(rng, shape) if rng.random() < 0.7 else soft_labels(rng, shape), logits(rng, shape)
    if fn == "cosine_distance":
        return unit_rows(rng, shape), unit_rows(rng, shape)
    raise ValueError(fn)


def v1_weight(rng, kind, loss_shape):
    """Weights of each accepted shape: scalar, same rank with 1s, full; zeros mixed in."""
    if kind is None:
        return None, "now"
    shape_kind, values = kind
    rank = len(loss_shape)
    if shape_kind == "scalar" or rank == 0:
        shape = ()
    elif shape_kind == "full":
        shape = tuple(loss_shape)
    elif shape_kind == "B1":            # (B, 1, ..., 1)
        shape = (loss_shape[0],) + (1,) * (rank - 1)
    else:                               # "1K": (1, ..., 1, K)
        shape = (1,) * (rank - 1) + (loss_shape[-1],)
    tag = "w" + shape_tag(shape) + ("" if values == "pos" else values)
    return weight_values(rng, shape, values), tag


V1_WEIGHT_PLAN = [None, ("scalar", "pos"), ("B1", "pos"), ("full", "pos"), ("1K", "pos"), ("full", "zeros"),
                  ("B1", "zeros"), ("full", "allzero"), ("scalar", "allzero"), ("full", "neg")]


def v1_loss_shape(fn, shape, params):
    if fn == "cosine_distance":
        s = list(shape)
        s[params["axis"] % len(s)] = 1
        return tuple(s)
    return tuple(shape)


def build_v1_elementwise(fn):
    def build(rng, fw):
        cs = []
        n = 40
        reds = balanced(rng, V1_REDUCTIONS + [None], n)    # None: the default (omitted)
        dts = balanced(rng, DTYPE_MIX, n)
        shps = balanced(rng, V1_SHAPES, n)
        ws = balanced(rng, V1_WEIGHT_PLAN, n)
        for i in range(n):
            shape = shps[i]
            params = {}
            if reds[i] is not None:
                params["reduction"] = reds[i]
            if fn == "huber_loss":
                params["delta"] = [1.0, 0.5, 2.0][i % 3]
            if fn == "log_loss" and i % 4 == 3:
                params["epsilon"] = [1e-7, 1e-3, 0.0][(i // 4) % 3]
            if fn == "sigmoid_cross_entropy" and i % 3:
                params["label_smoothing"] = [0.0, 0.1, 0.3][i % 3]
            if fn == "cosine_distance":
                params["axis"] = [-1, 0][i % 2]
            yt, yp = v1_inputs(fn, rng, shape)
            w, wtag = v1_weight(rng, ws[i], v1_loss_shape(fn, shape, params))
            tag = "-".join(f"{k}{v}" for k, v in params.items() if k != "reduction")
            cs.append(spec(f"sweep-{reds[i] or 'default'}-{tag}-{shape_tag(shape)}-{wtag}", yt, yp, params, w, dts[i]))
        cs += v1_edge_cases(rng, fn)
        # Zero weights under the nonzero-weights reduction, and every reduction on one input.
        yt, yp = v1_inputs(fn, rng, (3, 2))
        base = {"axis": -1} if fn == "cosine_distance" else {}
        lshape = v1_loss_shape(fn, (3, 2), base)
        for red in V1_REDUCTIONS:
            w = weight_values(rng, lshape, "zeros")
            cs.append(spec(f"zero-weights-{red}", yt, yp, dict(base, reduction=red), w))
            cs.append(spec(f"all-zero-weights-{red}", yt, yp, dict(base, reduction=red), np.zeros(lshape), "float64"))
        cs.append(spec("scalar-zero-weight-default", yt, yp, base, 0.0))
        cs.append(spec("float64", yt, yp, base, None, "float64"))
        # Errors: shapes that differ, weights that do not broadcast ((B,) against (B, K)).
        yt, yp = v1_inputs(fn, rng, (2, 3))
        cs.append(spec("err-shape-mismatch", yt[:, :2], yp, base, error=error("shape_mismatch", V1_NAMES[fn][0])))
        cs.append(spec("err-weights-rank", yt, yp, base, np.ones(2 if fn != "cosine_distance" else 3),
                       error=error("shape_mismatch", "weights")))
        cs.append(spec("err-weights-dim", yt, yp, base, np.ones((2, 4) if fn != "cosine_distance" else (3, 3)),
                       error=error("shape_mismatch", "weights")))
        cs.append(spec("err-reduction-sum", yt, yp, dict(base, reduction="sum"), error=error("invalid_parameter", "reduction")))
        if fn == "huber_loss":
            # (2, 1) weights broadcast over the columns, one row weighted 0: the default divides by
            # the 2 present elements, weighted_sum_over_batch_size by all 4 (TFV1Tests cites them).
            yt, yp = [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]
            for red in (None, "weighted_sum_over_batch_size"):
                cs.append(spec(f"row-weights-{red or 'default'}", yt, yp, {} if red is None else {"reduction": red},
                               [[1.0], [0.0]]))
        return cs
    return build


def v1_edge_cases(rng, fn):
    cs = []
    for dt in DTYPES:
        if fn == "log_loss":
            # The seed example (5.3726983), probabilities 0 and 1 (-log(1 + eps) < 0), p outside [0, 1] (NaN).
            cs.append(spec("motivating", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {}, None, dt))
            cs.append(spec("motivating-none", [1.0, 1.0, 1.0], [1.0, 1.0, 0.0], {"reduction": "none"}, None, dt))
            cs.append(spec("edges", [[1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0]], [[0.0, 1.0, 1e-7, 1.0 - 1e-7, 0.5, 1.5, -0.5]],
                           {"reduction": "none"}, None, dt))
            cs.append(spec("epsilon-0", [1.0, 0.0, 1.0], [0.0, 1.0, 0.5], {"epsilon": 0.0, "reduction": "none"}, None, dt))
        if fn in ("mean_squared_error", "absolute_difference"):
            cs.append(spec("equal", [[0.5, -1.0], [2.0, 0.0]], [[0.5, -1.0], [2.0, 1.0]], {"reduction": "none"}, None, dt))
        if fn == "huber_loss":
            for d in (1.0, 0.5, 0.0):
                cs.append(spec(f"boundary-d{d}", [[0.0, 0.0, 0.0, 0.0, 1.0]], [[d, -d, 0.0, 2 * d + 1, 1.0 - d / 2]],
                               {"delta": d, "reduction": "none"}, None, dt))
        if fn == "hinge_loss":
            # The labels are always converted 2y − 1: {−1, 1} labels become {−3, 1}. Margin ties: relu'(0) = 0.
            cs.append(spec("margin-ties", [[0.0, 1.0, 1.0, 0.0]], [[-1.0, 1.0, 0.5, 2.0]], {"reduction": "none"}, None, dt))
            cs.append(spec("labels-pm1-converted-anyway", [[-1.0, 1.0]], [[0.5, 0.5]], {"reduction": "none"}, None, dt))
        if fn == "sigmoid_cross_entropy":
            cs.append(spec("logit-edges", np.full((len(LOGIT_EDGES),), 1.0), LOGIT_EDGES, {"reduction": "none"}, None, dt))
            cs.append(spec("label-smoothing-negative-ignored", [1.0, 0.0], [0.3, -0.2], {"label_smoothing": -0.1}, None, dt))
        if fn == "cosine_distance":
            cs.append(spec("not-normalised", [[3.0, 4.0], [0.0, 0.0]], [[1.0, 2.0], [1.0, 1.0]], {"axis": 1, "reduction": "none"},
                           None, dt))
    if fn == "cosine_distance":
        cs.append(spec("err-no-axis", [[1.0, 0.0]], [[0.0, 1.0]], {}, error=error("invalid_parameter", "axis")))
    return cs


def build_v1_softmax(rng, fw):
    cs = []
    n = 40
    reds = balanced(rng, V1_REDUCTIONS + [None], n)
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, [(4, 3), (2, 5), (3, 2), (6, 4)], n)
    wplan = balanced(rng, [None, "scalar", "B", "Bzeros", "B1", "allzero"], n)
    for i in range(n):
        shape = shps[i]
        params = {} if reds[i] is None else {"reduction": reds[i]}
        if i % 3:
            params["label_smoothing"] = [0.0, 0.1, 0.25][i % 3]
        yt = onehot(rng, shape) if i % 4 else simplex(rng, shape)
        b = shape[0]
        w = {None: None, "scalar": rng.uniform(0.5, 2.0), "B": rng.uniform(0.25, 2.0, (b,)),
             "Bzeros": np.where(rng.random(b) < 0.5, 0.0, 1.5), "B1": None, "allzero": np.zeros(b)}[wplan[i]]
        cs.append(spec(f"sweep-{reds[i] or 'default'}-ls{params.get('label_smoothing', 0)}-{shape_tag(shape)}-w{wplan[i]}",
                       yt, logits(rng, shape), params, w, dts[i]))
    rows = [([1, 0, 0], [90.0, -90.0, 0.0]), ([0, 1, 0], [90.0, -90.0, 0.0]), ([0, 0, 1], [17.0, -17.0, 0.0]),
            ([1, 1, 0], [1.0, 2.0, 3.0]), ([0, 0, 0], [1.0, 2.0, 3.0])]
    for dt in DTYPES:
        cs.append(spec("edges", [r[0] for r in rows], [r[1] for r in rows], {"reduction": "none"}, None, dt))
        cs.append(spec("edges-ls", [r[0] for r in rows], [r[1] for r in rows], {"reduction": "none", "label_smoothing": 0.2},
                       None, dt))
    for red in V1_REDUCTIONS:
        cs.append(spec(f"zero-weights-{red}", onehot(rng, (4, 3)), logits(rng, (4, 3)), {"reduction": red},
                       [0.0, 1.0, 0.0, 2.0]))
    cs.append(spec("float64-logit-0.3", [[1.0, 0.0]], [[0.3, 0.0]], {}, None, "float64"))
    cs.append(spec("err-shape-mismatch", onehot(rng, (2, 3)), logits(rng, (2, 4)), {},
                   error=error("shape_mismatch", "onehot_labels")))
    cs.append(spec("err-weights-B1", onehot(rng, (2, 3)), logits(rng, (2, 3)), {}, np.ones((2, 1)),
                   error=error("shape_mismatch", "weights")))
    return cs


def build_v1_sparse(rng, fw):
    cs = []
    n = 40
    reds = balanced(rng, V1_REDUCTIONS + [None], n)
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, [((4, 3), (4,)), ((4, 3), (4, 1)), ((2, 3, 4), (2, 3)), ((5, 2), (5,))], n)
    wplan = balanced(rng, [None, "scalar", "full", "fullzeros", "squeeze", "allzero"], n)
    for i in range(n):
        pshape, lshape = shps[i]
        params = {} if reds[i] is None else {"reduction": reds[i]}
        yt = int_labels(rng.integers(0, pshape[-1], lshape))
        loss_shape = pshape[:-1]
        w = {None: None, "scalar": rng.uniform(0.5, 2.0), "full": rng.uniform(0.25, 2.0, loss_shape),
             "fullzeros": np.where(rng.random(loss_shape) < 0.5, 0.0, 1.5),
             "squeeze": rng.uniform(0.25, 2.0, loss_shape + (1,)), "allzero": np.zeros(loss_shape)}[wplan[i]]
        cs.append(spec(f"sweep-{reds[i] or 'default'}-{shape_tag(pshape)}-lab{shape_tag(lshape)}-w{wplan[i]}",
                       yt, logits(rng, pshape), params, w, dts[i]))
    for dt in DTYPES:
        cs.append(spec("logit-edges", int_labels([0, 1, 2, 0]),
                       [[90.0, -90.0, 0.0], [90.0, -90.0, 0.0], [17.0, -17.0, 0.0], [0.0, 0.0, 0.0]],
                       {"reduction": "none"}, None, dt))
    for red in V1_REDUCTIONS:
        cs.append(spec(f"zero-weights-{red}", int_labels([0, 2, 1]), logits(rng, (3, 3)), {"reduction": red}, [0.0, 1.0, 2.0]))
    cs.append(spec("err-label-eq-C", int_labels([0, 3]), logits(rng, (2, 3)), {}, error=error("label_out_of_range", "labels")))
    cs.append(spec("err-label-neg1", int_labels([0, -1]), logits(rng, (2, 3)), {}, None, "float64",
                   error=error("label_out_of_range", "labels")))
    cs.append(spec("err-batch-mismatch", int_labels([0, 1, 2]), logits(rng, (2, 3)), {},
                   error=error("shape_mismatch", "labels")))
    cs.append(spec("err-weights-B", int_labels([[0, 1], [2, 0]]), logits(rng, (2, 2, 3)), {}, np.ones(2),
                   error=error("shape_mismatch", "weights")))
    return cs


def build_v1_pairwise(rng, fw):
    cs = []
    n = 40
    dts = balanced(rng, DTYPE_MIX, n)
    shps = balanced(rng, [(3, 4), (2, 3), (4, 2, 3), (2, 5), (5, 1)], n)
    wplan = balanced(rng, [None, "scalar", "B1", "full", "fullzeros", "allzero"], n)
    for i in range(n):
        shape = shps[i]
        yt, yp = rng.normal(0.0, 1.0, shape), rng.normal(0.0, 1.5, shape)
        b = shape[0]
        rest = shape[1:]
        w = {None: None, "scalar": rng.uniform(0.5, 2.0), "B1": rng.uniform(0.25, 2.0, (b,) + (1,) * len(rest)),
             "full": rng.uniform(0.25, 2.0, shape), "fullzeros": np.where(rng.random(shape) < 0.4, 0.0, 1.0),
             "allzero": np.zeros(shape)}[wplan[i]]
        cs.append(spec(f"sweep-{shape_tag(shape)}-w{wplan[i]}", yt, yp, {}, w, dts[i]))
    # The spec's eager example: n_b is the whole tensor's size with a scalar weight.
    for dt in DTYPES:
        cs.append(spec("spec-example", [[0.0, 1.0, 3.0], [2.0, 2.0, 2.0]], [[1.0, 1.0, 1.0], [0.0, 1.0, 5.0]], {}, None, dt))
        cs.append(spec("spec-example-wB1", [[0.0, 1.0, 3.0], [2.0, 2.0, 2.0]], [[1.0, 1.0, 1.0], [0.0, 1.0, 5.0]], {},
                       [[1.0], [1.0]], dt))
    cs.append(spec("one-present-per-row", [[0.0, 1.0], [2.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]], {}, [[1.0, 0.0], [0.0, 3.0]]))
    cs.append(spec("scalar-zero-weight", [[0.0, 1.0], [2.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]], {}, 0.0))
    cs.append(spec("err-shape-mismatch", rng.normal(0, 1, (2, 2)), rng.normal(0, 1, (2, 3)), {},
                   error=error("shape_mismatch", "labels")))
    cs.append(spec("err-weights-B", rng.normal(0, 1, (2, 3)), rng.normal(0, 1, (2, 3)), {}, np.ones(2),
                   error=error("shape_mismatch", "weights")))
    return cs


NEW_REGISTRY = []
for _fw in ("keras", "tf_keras"):
    for _loss in ("MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
                  "CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge", "Poisson",
                  "KLDivergence"):
        NEW_REGISTRY.append((_fw, _loss, build_regression(_loss)))
NEW_REGISTRY += [("keras", "Dice", build_segmentation("Dice")), ("keras", "Tversky", build_segmentation("Tversky")),
                 ("keras", "Circle", build_circle), ("keras", "CTC", build_ctc)]
KERAS_FUNCTIONS = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
                   "mean_squared_logarithmic_error", "cosine_similarity", "huber", "log_cosh", "hinge", "squared_hinge",
                   "categorical_hinge", "poisson", "kl_divergence", "binary_crossentropy", "binary_focal_crossentropy",
                   "categorical_crossentropy", "categorical_focal_crossentropy", "sparse_categorical_crossentropy",
                   "categorical_generalized_cross_entropy", "dice", "tversky", "circle", "ctc"]
TFK_FUNCTIONS = KERAS_FUNCTIONS[:17]
NEW_REGISTRY += [("keras", fn, build_function(fn)) for fn in KERAS_FUNCTIONS]
NEW_REGISTRY += [("tf_keras", fn, build_function(fn)) for fn in TFK_FUNCTIONS]
NEW_REGISTRY += [("tf_v1", fn, build_v1_elementwise(fn)) for fn in
                 ("log_loss", "sigmoid_cross_entropy", "mean_squared_error", "absolute_difference", "hinge_loss",
                  "huber_loss", "cosine_distance")]
NEW_REGISTRY += [("tf_v1", "softmax_cross_entropy", build_v1_softmax),
                 ("tf_v1", "sparse_softmax_cross_entropy", build_v1_sparse),
                 ("tf_v1", "mean_pairwise_squared_error", build_v1_pairwise)]


# ---------------------------------------------------------------------------
# Registry: (framework, loss name, builder)
# ---------------------------------------------------------------------------

REGISTRY = [
    ("keras", "BinaryCrossentropy", build_binary_crossentropy),
    ("keras", "BinaryFocalCrossentropy", build_binary_focal),
    ("keras", "CategoricalCrossentropy", build_categorical_crossentropy),
    ("keras", "CategoricalFocalCrossentropy", build_categorical_focal),
    ("keras", "SparseCategoricalCrossentropy", build_sparse_categorical),
    ("keras", "CategoricalGeneralizedCrossEntropy", build_gce),
    ("tf_keras", "BinaryCrossentropy", build_binary_crossentropy),
    ("tf_keras", "BinaryFocalCrossentropy", build_binary_focal),
    ("tf_keras", "CategoricalCrossentropy", build_categorical_crossentropy),
    ("tf_keras", "CategoricalFocalCrossentropy", build_categorical_focal),
    ("tf_keras", "SparseCategoricalCrossentropy", build_sparse_categorical),
    ("tf", "sigmoid_cross_entropy_with_logits", build_sigmoid_xent),
    ("tf", "weighted_cross_entropy_with_logits", build_weighted_xent),
    ("tf", "softmax_cross_entropy_with_logits", build_softmax_xent),
    ("tf", "sparse_softmax_cross_entropy_with_logits", build_sparse_softmax_xent),
    ("tf", "log_poisson_loss", build_log_poisson),
]
# The losses of issue 7: the rest of Keras 3 and tf-keras (classes and functions) and
# tf.compat.v1.losses. Their files come after the original ones; each file's own seed
# keeps the original files byte-identical.
ORIGINAL_KERAS = {loss for fw, loss, _ in REGISTRY if fw == "keras"}
REGISTRY += NEW_REGISTRY

# Known reference values (float32) that must come out of the frameworks.
MOTIVATING = {"keras": "5.3726983", "tf_keras": "5.1416497"}


# ---------------------------------------------------------------------------
# Checks and output
# ---------------------------------------------------------------------------

def installed_versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "tf_keras": tf_keras.__version__,
    }


def check_motivating(fw, loss, cases):
    """The brief's example must reproduce the known float32 values exactly."""
    if loss != "BinaryCrossentropy":
        return
    for c in cases:
        if c["id"].startswith(f"{fw}/{loss}/motivating-") and c["dtype"] == "float32":
            got = c["expected"]["loss"]["data"][0]
            if F32(got) != F32(MOTIVATING[fw]):
                sys.exit(f"{c['id']}: expected {MOTIVATING[fw]}, got {F32(got)!r}")
            return
    sys.exit(f"{fw}/{loss}: motivating case missing")


def check_coverage(fw, loss, cases):
    # Loss functions share their body with a class that has its own file.
    minimum = 20 if is_function(loss) else 40
    if len(cases) < minimum:
        sys.exit(f"{fw}/{loss}: only {len(cases)} cases (< {minimum})")
    if fw in ("keras", "tf_keras") and not is_function(loss) or fw == "tf_v1" and loss != "mean_pairwise_squared_error":
        used = {c["params"].get("reduction") for c in cases}
        missing = set(V1_REDUCTIONS if fw == "tf_v1" else reductions(fw)) - used
        if missing:
            sys.exit(f"{fw}/{loss}: reductions never exercised: {sorted(missing)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB",
                    help="only the files matching <framework>/<loss> (fnmatch); the manifest is not updated")
    ap.add_argument("--allow-version-mismatch", action="store_true",
                    help="generate even if installed versions differ from the pins")
    args = ap.parse_args(argv)

    versions = installed_versions()
    backend = keras.backend.backend()
    check_versions(versions, PINS, "requirements.txt", args.allow_version_mismatch,
                   [] if backend == "tensorflow" else [f"keras backend is {backend!r}, expected 'tensorflow'"])
    warnings.filterwarnings("ignore")  # e.g. Keras' SyntaxWarning for a class dimension of 1
    tf.get_logger().setLevel("ERROR")

    start = time.time()
    counts = {}
    errors = 0
    for fw, loss, builder in REGISTRY:
        if args.only and not any(fnmatch.fnmatchcase(f"{fw}/{loss}", pattern) for pattern in args.only):
            continue
        seed = seed_for(fw, loss)
        rng = np.random.default_rng(seed)
        specs = builder(rng, fw) + (keras_dtype_cases(rng, loss) if fw == "keras" and loss in ORIGINAL_KERAS else [])
        cases = [run_case(fw, loss, s, n) for n, s in enumerate(specs, start=1)]
        check_motivating(fw, loss, cases)
        check_coverage(fw, loss, cases)
        header = {"script": SCRIPT, "seed": seed, "versions": versions, "keras_backend": "tensorflow"}
        errors += write_case_file(args.out, fw, loss, header, cases, counts)
    if args.only:
        print("--only: the manifest is not updated")
        return 0
    finish(args.out, counts, errors, FAMILY, versions, start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
