#!/usr/bin/env python3
"""The diagnose suite: observed loss values and the recipe that produced them.

Each case holds inputs (y_true, y_pred, sample_weight, dtype), an observed value and
its truth: the framework loss and the catalogue mistakes (docs/explain.md) that
produced it. `losskit diagnose` must put the truth first (Tests/LossKitTests/
DiagnoseSuiteTests.swift measures the rate; it must be at least 90%).

Parts, one file each under Tests/Fixtures/diagnose/, each run in its own virtualenv:

    tensorflow  real Keras 3, tf-keras, tf.nn and scikit-learn values   (/work/venv-tf)
    torch       real torch.nn values                                     (/work/venv-torch)
    jax         real optax values                                        (/work/venv-jax)
    mistakes    the catalogue's mistakes, implemented here in numpy,
                independently of LossKit's Swift code                    (any numpy)

    python Tools/diagnose/make_suite.py --part tensorflow [--out Tests/Fixtures/diagnose]

A case's truth may name a loss LossKit does not have yet: `requires` lists those
`framework/loss`; while any is missing from the registry the test expects `fallback`
instead (the same convention as LossKit could name it then: a tf.nn op, or the
hand-written `numpy` formula with its mistake tags). `equivalents` are other recipes
that compute the same formula for every input of the case's kind (e.g. Keras
`BinaryCrossentropy(from_logits=True)`, `tf.nn.sigmoid_cross_entropy_with_logits`,
torch's `BCEWithLogitsLoss` and optax's `sigmoid_binary_cross_entropy`; see
`SAME_FORMULA`): the number cannot tell them apart. Conventions that only coincide on
the case's numbers (torch's −100 clamp and Keras's clip where neither acts) are not
equivalents.
Seeded and deterministic; the versions are pinned and recorded in each file.
"""

import argparse
import json
import math
import os
import sys

import numpy as np

FORMAT = "losskit-diagnose-suite/1"
SCRIPT = "Tools/diagnose/make_suite.py"
SEED = 20260610
PINS = {
    "tensorflow": {"numpy": "2.4.6", "tensorflow": "2.21.0", "keras": "3.15.1", "tf_keras": "2.21.0", "sklearn": "1.9.1"},
    "torch": {"numpy": "2.4.6", "torch": "2.15.0"},
    "jax": {"numpy": "2.4.6", "jax": "0.10.2", "optax": "0.2.8"},
    "mistakes": {"numpy": "2.4.6"},
}
F32 = np.float32


# ---------------------------------------------------------------------------
# Shared inputs (the same for every part, from one seed)
# ---------------------------------------------------------------------------

def inputs():
    rng = np.random.default_rng(SEED)
    d = {}
    y = rng.integers(0, 2, (4, 3)).astype(np.float64)
    y[0, 0], y[1, 2], y[2, 1], y[3, 0] = 1, 0, 1, 0
    p = rng.uniform(0.05, 0.95, (4, 3))
    # Saturated entries tell the epsilon conventions apart.
    p[0, 0], p[1, 2], p[2, 1], p[3, 0] = 0.0, 1.0, 1e-9, 0.9999999
    d["bin_y"], d["bin_p"] = y, p
    # Benign probabilities (nothing near 0 or 1): the epsilon conventions barely differ.
    d["benign_y"] = rng.integers(0, 2, (8,)).astype(np.float64)
    d["benign_p"] = np.round(rng.uniform(0.1, 0.9, (8,)), 4)
    d["bin_logits"] = np.round(rng.normal(0.0, 3.0, (4, 3)), 3)
    d["bin_logits"][0, 1] = 20.0
    d["bin_logits"][2, 2] = -18.0
    d["bin_w"] = np.array([1.0, 0.0, 2.0, 0.5])
    d["mask_w"] = rng.integers(0, 2, (4, 3)).astype(np.float64)
    d["mask_w"][0] = [1, 1, 0]
    d["mask_w"][1] = [1, 0, 0]
    d["mask_w"][2] = [1, 1, 1]
    d["mask_w"][3] = [0, 1, 0]
    labels = np.array([0, 3, 1, 2, 3])
    d["cat_labels"] = labels
    d["cat_y"] = np.eye(4)[labels]
    e = np.exp(rng.normal(0.0, 1.5, (5, 4)))
    probs = e / e.sum(axis=1, keepdims=True)
    probs[1] = [0.5, 0.3, 0.2, 0.0]  # the true class has probability 0
    d["cat_p"] = probs
    d["cat_logits"] = np.round(rng.normal(0.0, 2.0, (5, 4)), 3)
    soft = rng.uniform(0.0, 1.0, (5, 4))
    d["soft_y"] = soft / soft.sum(axis=1, keepdims=True)
    d["reg_y"] = np.round(rng.normal(0.0, 2.0, (4, 3)), 3)
    d["reg_p"] = np.round(d["reg_y"] + rng.normal(0.0, 1.2, (4, 3)), 3)
    d["sign_y"] = np.where(rng.integers(0, 2, (4, 3)) == 1, 1.0, -1.0)
    d["sign_y"][0, 0] = -1.0
    d["sign_p"] = np.round(rng.normal(0.0, 1.0, (4, 3)), 3)
    d["pois_y"] = rng.poisson(2.0, (4, 3)).astype(np.float64)
    d["pois_p"] = np.round(rng.uniform(0.2, 4.0, (4, 3)), 3)
    d["pois_y"][0, 0], d["pois_p"][0, 0] = 2.0, 0.0  # log(0): Keras's ε = 1e-7 inside the log shows
    ky = rng.uniform(0.0, 1.0, (4, 3))
    d["kl_y"] = ky / ky.sum(axis=1, keepdims=True)
    kp = rng.uniform(0.05, 1.0, (4, 3))
    d["kl_p"] = kp / kp.sum(axis=1, keepdims=True)
    d["kl_p"][1] = [1e-9, 0.5, 0.5 - 1e-9]  # below Keras's clip at 1e-7
    # Drawn after the others, so that adding them changed none of the above.
    d["seq_logits"] = np.round(rng.normal(0.0, 2.0, (2, 3, 4)), 3)  # (N, d1, C): classes last
    d["seq_labels"] = rng.integers(0, 4, (2, 3))
    d["log_rate"] = np.round(rng.normal(0.3, 0.8, (4, 3)), 3)
    d["v1_w"] = np.array([[1.0], [0.0], [2.0], [1.0]])  # one weight per sample, v1's rank
    return {k: np.asarray(v) for k, v in d.items()}


# ---------------------------------------------------------------------------
# Case records
# ---------------------------------------------------------------------------

def enc(a):
    a = np.asarray(a)
    if np.issubdtype(a.dtype, np.integer):
        return {"shape": list(a.shape), "data": [int(v) for v in a.ravel()]}
    return {"shape": list(a.shape), "data": [float(v) for v in a.ravel()]}


def text(value, dtype):
    """The number as it prints: a float32 result in its shortest float32 form, a float64
    result in full (the dtype of the computed value, not of the inputs)."""
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return str(F32(v)) if dtype == "float32" else repr(v)


def truth(framework, loss, mistakes=(), params=None):
    t = {"framework": framework, "loss": loss, "mistakes": list(mistakes)}
    if params:
        t["params"] = params
    return t


# Recipes that compute the same formula, for every input of the case's kind (not only on
# the case's numbers): each framework's version of a convention whose definition has no
# data-dependent step that tells them apart. A case whose truth is one of them lists the
# others (with the truth's mistakes) as equivalents: the observed number cannot tell them
# apart, and diagnose names whichever comes first. Conventions that differ only where the
# data does not reach (torch's −100 clamp and Keras's clip on probabilities in [0.1, 0.9])
# are not equivalent: those cases stay ambiguous on purpose.
def _formula(*recipes):
    return [truth(f, l, params=p) for f, l, p in recipes]


SAME_FORMULA = {
    "binary-crossentropy": [_formula(  # the sigmoid cross-entropy of logits
        ("keras", "BinaryCrossentropy", {"from_logits": True}), ("tf_keras", "BinaryCrossentropy", {"from_logits": True}),
        ("tf", "sigmoid_cross_entropy_with_logits", None), ("tf_v1", "sigmoid_cross_entropy", None),
        ("torch", "BCEWithLogitsLoss", None), ("optax", "sigmoid_binary_cross_entropy", None))],
    "categorical-crossentropy": [_formula(  # the softmax cross-entropy of logits against label rows
        ("keras", "CategoricalCrossentropy", {"from_logits": True}),
        ("tf_keras", "CategoricalCrossentropy", {"from_logits": True}), ("tf", "softmax_cross_entropy_with_logits", None),
        ("tf_v1", "softmax_cross_entropy", None), ("torch", "CrossEntropyLoss", None), ("optax", "softmax_cross_entropy", None))],
    "sparse-categorical-crossentropy": [_formula(  # the softmax cross-entropy of logits against class indices
        ("keras", "SparseCategoricalCrossentropy", {"from_logits": True}),
        ("tf_keras", "SparseCategoricalCrossentropy", {"from_logits": True}),
        ("tf", "sparse_softmax_cross_entropy_with_logits", None), ("tf_v1", "sparse_softmax_cross_entropy", None),
        ("torch", "CrossEntropyLoss", None), ("optax", "softmax_cross_entropy_with_integer_labels", None))],
    "mse": [_formula(("keras", "MeanSquaredError", None), ("tf_keras", "MeanSquaredError", None), ("torch", "MSELoss", None),
                     ("optax", "squared_error", None), ("sklearn", "mean_squared_error", None),
                     ("tf_v1", "mean_squared_error", None), ("numpy", "mse", None))],
    "mae": [_formula(("keras", "MeanAbsoluteError", None), ("tf_keras", "MeanAbsoluteError", None), ("torch", "L1Loss", None),
                     ("sklearn", "mean_absolute_error", None), ("tf_v1", "absolute_difference", None), ("numpy", "mae", None))],
    "huber": [_formula(  # δ = 1, the suite's (torch's SmoothL1Loss with β = 1 is Huber with δ = 1)
        ("keras", "Huber", None), ("tf_keras", "Huber", None), ("torch", "HuberLoss", None), ("torch", "SmoothL1Loss", None),
        ("optax", "huber_loss", None), ("tf_v1", "huber_loss", None), ("numpy", "huber", None))],
    "log-cosh": [_formula(("keras", "LogCosh", None), ("tf_keras", "LogCosh", None), ("optax", "log_cosh", None),
                          ("numpy", "log-cosh", None))],
    # Keras 3 and tf-keras share these two formulas, ε = 1e-7 included.
    "poisson": [_formula(("keras", "Poisson", None), ("tf_keras", "Poisson", None))],
    "kl-divergence": [_formula(("keras", "KLDivergence", None), ("tf_keras", "KLDivergence", None))],
}
# Hinge: which members compute max(0, 1 − y·p) depends on the labels' encoding.
HINGE_SIGNED = _formula(("keras", "Hinge", None), ("tf_keras", "Hinge", None), ("optax", "hinge_loss", None),
                        ("sklearn", "hinge_loss", None), ("numpy", "hinge", None))  # y in {−1, 1}, used as given
HINGE_01_CONVERTED = _formula(("keras", "Hinge", None), ("tf_keras", "Hinge", None), ("tf_v1", "hinge_loss", None),
                              ("sklearn", "hinge_loss", None), ("numpy", "hinge", None))  # y in {0, 1}, mapped to ±1


def same_formula(family, truth_, formulas=None):
    """The other recipes of truth_'s formula class, with truth_'s mistakes."""
    def member(r):
        return (r["framework"] == truth_["framework"] and r["loss"] == truth_["loss"]
                and all(truth_.get("params", {}).get(k) == v for k, v in r.get("params", {}).items()))
    for group in (formulas if formulas is not None else SAME_FORMULA.get(family, [])):
        if any(member(r) for r in group):
            others = [dict(r, mistakes=list(truth_["mistakes"])) for r in group if not member(r)]
            # tf.compat.v1 casts everything to float32: it has no float64 recipe.
            if "float64-instead-of-float32" in truth_["mistakes"]:
                others = [r for r in others if r["framework"] != "tf_v1"]
            return others
    return []


def case(cases, cid, family, y_true, y_pred, value, truth_, *, dtype="float32", sw=None, source="",
         equivalents=(), requires=(), fallback=(), formulas=None):
    arr = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64) if dtype == "float32" else np.asarray(a, np.float64)
    yt = np.asarray(y_true)
    y_true_enc = enc(yt) if np.issubdtype(yt.dtype, np.integer) else enc(arr(yt))
    # A framework recipe in the fallback computes the same formula as the truth (torch's
    # BCEWithLogitsLoss and tf.nn's sigmoid cross-entropy): once the truth's framework is
    # merged, both are right answers; so is every recipe of the truth's formula class.
    listed = list(equivalents) + [f for f in fallback if f["framework"] != "numpy"]
    for r in same_formula(family, truth_, formulas):
        if not any(r["framework"] == e["framework"] and r["loss"] == e["loss"] and sorted(r["mistakes"]) == sorted(e["mistakes"])
                   for e in listed):
            listed.append(r)
    cases.append({
        "id": cid, "family": family, "source": source,
        "y_true": y_true_enc, "y_pred": enc(arr(y_pred)), "sample_weight": None if sw is None else enc(arr(sw)),
        "dtype": dtype, "observed": float(value),
        "observed_text": text(value, "float32" if np.asarray(value).dtype == np.float32 else "float64"),
        "truth": truth_, "equivalents": listed, "requires": list(requires), "fallback": list(fallback),
    })


KERAS_SIGMOID = [truth("keras", "BinaryCrossentropy", params={"from_logits": True}),
                 truth("tf_keras", "BinaryCrossentropy", params={"from_logits": True}),
                 truth("tf", "sigmoid_cross_entropy_with_logits")]
KERAS_SOFTMAX = [truth("keras", "CategoricalCrossentropy", params={"from_logits": True}),
                 truth("tf_keras", "CategoricalCrossentropy", params={"from_logits": True}),
                 truth("tf", "softmax_cross_entropy_with_logits")]
KERAS_SPARSE_LOGITS = [truth("keras", "SparseCategoricalCrossentropy", params={"from_logits": True}),
                       truth("tf_keras", "SparseCategoricalCrossentropy", params={"from_logits": True}),
                       truth("tf", "sparse_softmax_cross_entropy_with_logits")]


def with_mistakes(recipes, mistakes):
    return [dict(r, mistakes=list(mistakes)) for r in recipes]


# ---------------------------------------------------------------------------
# Part: tensorflow (Keras 3, tf-keras, tf.nn, scikit-learn)
# ---------------------------------------------------------------------------

def part_tensorflow(d):
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    import tensorflow as tf
    import keras
    import tf_keras
    from sklearn.metrics import log_loss

    def k3(name, yt, yp, sw=None, arrays="float32", **params):
        np_dtype = np.float32 if arrays == "float32" else np.float64
        obj = getattr(keras.losses, name)(**params)
        out = obj(np.asarray(yt, np_dtype), np.asarray(yp, np_dtype),
                  sample_weight=None if sw is None else np.asarray(sw, np_dtype))
        return np.asarray(out)

    def k2(name, yt, yp, sw=None, **params):
        obj = getattr(tf_keras.losses, name)(**params)
        t = lambda a: tf.constant(np.asarray(a, np.float32))
        return obj(t(yt), t(yp), sample_weight=None if sw is None else t(sw)).numpy()

    c = []
    y, p, z = d["bin_y"], d["bin_p"], d["bin_logits"]
    BCE = "binary-crossentropy"
    case(c, "keras-bce", BCE, y, p, k3("BinaryCrossentropy", y, p), truth("keras", "BinaryCrossentropy"),
         source="keras.losses.BinaryCrossentropy()")
    case(c, "tf_keras-bce", BCE, y, p, k2("BinaryCrossentropy", y, p), truth("tf_keras", "BinaryCrossentropy"),
         source="tf_keras.losses.BinaryCrossentropy()")
    case(c, "keras-bce-logits", BCE, y, z, k3("BinaryCrossentropy", y, z, from_logits=True), KERAS_SIGMOID[0],
         equivalents=KERAS_SIGMOID[1:], source="keras.losses.BinaryCrossentropy(from_logits=True)")
    case(c, "keras-bce-on-logits", BCE, y, z, k3("BinaryCrossentropy", y, z),
         truth("keras", "BinaryCrossentropy", ["logits-as-probabilities"]),
         source="keras.losses.BinaryCrossentropy() given logits")
    case(c, "keras-bce-smoothing", BCE, y, p, k3("BinaryCrossentropy", y, p, label_smoothing=0.1),
         truth("keras", "BinaryCrossentropy", ["label-smoothing"], {"label_smoothing": 0.1}),
         source="keras.losses.BinaryCrossentropy(label_smoothing=0.1)")
    case(c, "keras-bce-sum", BCE, y, p, k3("BinaryCrossentropy", y, p, reduction="sum"),
         truth("keras", "BinaryCrossentropy", ["divide-by-last-axis"], {"reduction": "sum"}),
         source="keras.losses.BinaryCrossentropy(reduction='sum'): the per-sample means summed")
    w = d["bin_w"]
    case(c, "keras-bce-weights", BCE, y, p, k3("BinaryCrossentropy", y, p, sw=w), truth("keras", "BinaryCrossentropy"),
         sw=w, source="keras.losses.BinaryCrossentropy()(…, sample_weight)")
    case(c, "keras-bce-weight-sum", BCE, y, p, k3("BinaryCrossentropy", y, p, sw=w, reduction="mean_with_sample_weight"),
         truth("keras", "BinaryCrossentropy", ["divide-by-weight-sum"]), sw=w,
         source="keras.losses.BinaryCrossentropy(reduction='mean_with_sample_weight')")
    case(c, "tf_keras-bce-weights", BCE, y, p, k2("BinaryCrossentropy", y, p, sw=w), truth("tf_keras", "BinaryCrossentropy"),
         sw=w, source="tf_keras.losses.BinaryCrossentropy()(…, sample_weight)")
    # float32 values handed to Keras as float64 arrays with dtype="float64".
    case(c, "keras-bce-float64", BCE, y, p, k3("BinaryCrossentropy", F32(y), F32(p), arrays="float64", dtype="float64"),
         truth("keras", "BinaryCrossentropy", ["float64-instead-of-float32"], {"dtype": "float64"}),
         equivalents=[truth("numpy", BCE, ["clip-only", "epsilon-1e-7", "float64-instead-of-float32"])],
         source="keras.losses.BinaryCrossentropy(dtype='float64') on the float32 values")
    tfz = tf.constant(np.asarray(z, np.float32))
    tfy = tf.constant(np.asarray(y, np.float32))
    sig = tf.nn.sigmoid_cross_entropy_with_logits(labels=tfy, logits=tfz)
    case(c, "tf-sigmoid-mean", BCE, y, z, tf.reduce_mean(sig).numpy(), KERAS_SIGMOID[2], equivalents=KERAS_SIGMOID[:2],
         source="tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(…))")
    case(c, "tf-sigmoid-sum", BCE, y, z, tf.reduce_sum(sig).numpy(), dict(KERAS_SIGMOID[2], mistakes=["sum-instead-of-mean"]),
         equivalents=with_mistakes(KERAS_SIGMOID[:2], ["sum-instead-of-mean"]),
         source="tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(…))")
    sig_p = tf.nn.sigmoid_cross_entropy_with_logits(labels=tfy, logits=tf.constant(np.asarray(p, np.float32)))
    case(c, "tf-sigmoid-on-probabilities", BCE, y, p, tf.reduce_mean(sig_p).numpy(),
         dict(KERAS_SIGMOID[2], mistakes=["probabilities-as-logits"]),
         equivalents=with_mistakes(KERAS_SIGMOID[:2], ["probabilities-as-logits"]),
         source="tf.nn.sigmoid_cross_entropy_with_logits given probabilities (mean)")
    # sklearn log_loss: 1-D binary cross-entropy, clipped at the float64 machine epsilon.
    y1, p1 = y.ravel(), p.ravel()
    case(c, "sklearn-log_loss", BCE, y1, p1, log_loss(y1.astype(int), p1), truth("sklearn", "log_loss"), dtype="float64",
         requires=["sklearn/log_loss"], fallback=[truth("numpy", BCE, ["clip-only", "epsilon-machine"])],
         source="sklearn.metrics.log_loss(y, p) on float64")
    case(c, "sklearn-log_loss-sum", BCE, y1, p1, log_loss(y1.astype(int), p1, normalize=False),
         truth("sklearn", "log_loss", ["sum-instead-of-mean"], {"normalize": False}), dtype="float64",
         requires=["sklearn/log_loss"], fallback=[truth("numpy", BCE, ["clip-only", "epsilon-machine", "sum-instead-of-mean"])],
         source="sklearn.metrics.log_loss(y, p, normalize=False)")

    # Benign inputs: Keras 3 and tf-keras differ by ~1e-7 relative only.
    by, bp = d["benign_y"], d["benign_p"]
    case(c, "keras-bce-benign", BCE, by, bp, k3("BinaryCrossentropy", by, bp), truth("keras", "BinaryCrossentropy"),
         source="keras.losses.BinaryCrossentropy(), probabilities in [0.1, 0.9]")
    case(c, "tf_keras-bce-benign", BCE, by, bp, k2("BinaryCrossentropy", by, bp), truth("tf_keras", "BinaryCrossentropy"),
         source="tf_keras.losses.BinaryCrossentropy(), probabilities in [0.1, 0.9]")
    case(c, "keras-bce-benign-float64", BCE, by, bp, k3("BinaryCrossentropy", F32(by), F32(bp), arrays="float64", dtype="float64"),
         truth("keras", "BinaryCrossentropy", ["float64-instead-of-float32"], {"dtype": "float64"}),
         equivalents=[truth("numpy", BCE, ["clip-only", "epsilon-1e-7", "float64-instead-of-float32"])],
         source="keras.losses.BinaryCrossentropy(dtype='float64'), probabilities in [0.1, 0.9]")

    FOC = "focal"
    case(c, "keras-focal", FOC, y, p, k3("BinaryFocalCrossentropy", y, p), truth("keras", "BinaryFocalCrossentropy"),
         source="keras.losses.BinaryFocalCrossentropy()")
    case(c, "tf_keras-focal", FOC, y, p, k2("BinaryFocalCrossentropy", y, p), truth("tf_keras", "BinaryFocalCrossentropy"),
         source="tf_keras.losses.BinaryFocalCrossentropy()")

    CCE, SCCE = "categorical-crossentropy", "sparse-categorical-crossentropy"
    cy, cp, cz, labels = d["cat_y"], d["cat_p"], d["cat_logits"], d["cat_labels"]
    case(c, "keras-cce", CCE, cy, cp, k3("CategoricalCrossentropy", cy, cp), truth("keras", "CategoricalCrossentropy"),
         equivalents=[truth("tf_keras", "CategoricalCrossentropy")], source="keras.losses.CategoricalCrossentropy()")
    case(c, "keras-cce-logits", CCE, cy, cz, k3("CategoricalCrossentropy", cy, cz, from_logits=True), KERAS_SOFTMAX[0],
         equivalents=KERAS_SOFTMAX[1:], source="keras.losses.CategoricalCrossentropy(from_logits=True)")
    case(c, "keras-cce-smoothing", CCE, cy, cp, k3("CategoricalCrossentropy", cy, cp, label_smoothing=0.2),
         truth("keras", "CategoricalCrossentropy", ["label-smoothing"], {"label_smoothing": 0.2}),
         equivalents=[truth("tf_keras", "CategoricalCrossentropy", ["label-smoothing"], {"label_smoothing": 0.2})],
         source="keras.losses.CategoricalCrossentropy(label_smoothing=0.2)")
    sm = tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant(np.asarray(d["soft_y"], np.float32)),
                                                 logits=tf.constant(np.asarray(cz, np.float32)))
    case(c, "tf-softmax-soft-labels", CCE, d["soft_y"], cz, tf.reduce_mean(sm).numpy(), KERAS_SOFTMAX[2],
         equivalents=KERAS_SOFTMAX[:2], source="tf.nn.softmax_cross_entropy_with_logits, soft labels (mean)")
    case(c, "keras-scce", SCCE, labels, cp, k3("SparseCategoricalCrossentropy", labels, cp),
         truth("keras", "SparseCategoricalCrossentropy"), equivalents=[truth("tf_keras", "SparseCategoricalCrossentropy")],
         source="keras.losses.SparseCategoricalCrossentropy()")
    sp = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant(labels), logits=tf.constant(np.asarray(cz, np.float32)))
    case(c, "tf-sparse-softmax", SCCE, labels, cz, tf.reduce_mean(sp).numpy(), KERAS_SPARSE_LOGITS[2],
         equivalents=KERAS_SPARSE_LOGITS[:2], source="tf.nn.sparse_softmax_cross_entropy_with_logits (mean)")
    case(c, "keras-cfce", "categorical-focal", cy, cp, k3("CategoricalFocalCrossentropy", cy, cp),
         truth("keras", "CategoricalFocalCrossentropy"), equivalents=[truth("tf_keras", "CategoricalFocalCrossentropy")],
         source="keras.losses.CategoricalFocalCrossentropy()")

    # tf.compat.v1: ε = 1e-7 inside each log and no clip; weighted sums over the non-zero weights.
    v1 = tf.compat.v1.losses
    f32 = lambda a: tf.constant(np.asarray(a, np.float32))
    case(c, "tf_v1-log_loss", BCE, y, p, v1.log_loss(f32(y), f32(p)).numpy(), truth("tf_v1", "log_loss"),
         requires=["tf_v1/log_loss"], source="tf.compat.v1.losses.log_loss(labels, predictions)")
    mw = d["mask_w"]
    case(c, "tf_v1-log_loss-weights", BCE, y, p, v1.log_loss(f32(y), f32(p), weights=f32(mw)).numpy(),
         truth("tf_v1", "log_loss"), sw=mw, requires=["tf_v1/log_loss"],
         source="tf.compat.v1.losses.log_loss(…, weights) with zero weights: the sum over the non-zero weights")
    vw = d["v1_w"]
    case(c, "tf_v1-mse-weights", "mse", d["reg_y"], d["reg_p"],
         v1.mean_squared_error(f32(d["reg_y"]), f32(d["reg_p"]), weights=f32(vw)).numpy(), truth("tf_v1", "mean_squared_error"),
         sw=vw, requires=["tf_v1/mean_squared_error"],
         source="tf.compat.v1.losses.mean_squared_error(…, weights (4, 1)) with a zero weight")
    # scikit-learn's log_loss on class labels and probability rows (float64, the clip at 2⁻⁵²).
    case(c, "sklearn-log_loss-multiclass", SCCE, labels, cp, log_loss(labels, cp, labels=[0, 1, 2, 3]), truth("sklearn", "log_loss"),
         dtype="float64", requires=["sklearn/log_loss"], source="sklearn.metrics.log_loss(labels, probabilities, labels=[0, 1, 2, 3])")

    # Keras losses LossKit gets with issue 7: the hand-written formula names them until then.
    ry, rp = d["reg_y"], d["reg_p"]
    for name, fam in [("MeanSquaredError", "mse"), ("MeanAbsoluteError", "mae"), ("Huber", "huber"), ("LogCosh", "log-cosh")]:
        case(c, f"keras-{fam}", fam, ry, rp, k3(name, ry, rp), truth("keras", name), requires=[f"keras/{name}"],
             fallback=[truth("numpy", fam)], source=f"keras.losses.{name}()")
    case(c, "keras-mse-sum", "mse", ry, rp, k3("MeanSquaredError", ry, rp, reduction="sum"),
         truth("keras", "MeanSquaredError", ["divide-by-last-axis"], {"reduction": "sum"}), requires=["keras/MeanSquaredError"],
         fallback=[truth("numpy", "mse", ["divide-by-last-axis"])], source="keras.losses.MeanSquaredError(reduction='sum')")
    case(c, "keras-hinge-01", "hinge", y, d["sign_p"], k3("Hinge", y, d["sign_p"]), truth("keras", "Hinge"),
         requires=["keras/Hinge"], fallback=[truth("numpy", "hinge")], source="keras.losses.Hinge() with {0, 1} labels",
         formulas=[HINGE_01_CONVERTED])
    case(c, "keras-hinge-signed", "hinge", d["sign_y"], d["sign_p"], k3("Hinge", d["sign_y"], d["sign_p"]), truth("keras", "Hinge"),
         requires=["keras/Hinge"], fallback=[truth("numpy", "hinge")], source="keras.losses.Hinge() with {−1, 1} labels",
         formulas=[HINGE_SIGNED])
    case(c, "keras-poisson", "poisson", d["pois_y"], d["pois_p"], k3("Poisson", d["pois_y"], d["pois_p"]),
         truth("keras", "Poisson"), requires=["keras/Poisson"],
         fallback=[truth("numpy", "poisson", ["epsilon-inside-log-only", "epsilon-1e-7"])], source="keras.losses.Poisson()")
    case(c, "keras-kl", "kl-divergence", d["kl_y"], d["kl_p"], k3("KLDivergence", d["kl_y"], d["kl_p"]),
         truth("keras", "KLDivergence"), requires=["keras/KLDivergence"],
         fallback=[truth("numpy", "kl-divergence", ["clip-only", "epsilon-1e-7", "divide-by-batch-size"])],
         source="keras.losses.KLDivergence()")
    case(c, "keras-cosine", "cosine-similarity", ry, rp, k3("CosineSimilarity", ry, rp), truth("keras", "CosineSimilarity"),
         requires=["keras/CosineSimilarity"], fallback=[truth("numpy", "cosine-similarity")],
         source="keras.losses.CosineSimilarity()")
    return c


# ---------------------------------------------------------------------------
# Part: torch
# ---------------------------------------------------------------------------

def part_torch(d):
    import torch
    t = lambda a: torch.tensor(np.asarray(a, np.float32))
    c = []
    y, p, z = d["bin_y"], d["bin_p"], d["bin_logits"]
    BCE = "binary-crossentropy"
    bce = torch.nn.BCELoss()(t(p), t(y)).detach().numpy()
    case(c, "torch-bce", BCE, y, p, bce, truth("torch", "BCELoss"), requires=["torch/BCELoss"],
         fallback=[truth("numpy", BCE, ["log-clamp-minus-100"])], source="torch.nn.BCELoss()")
    case(c, "torch-bce-sum", BCE, y, p, torch.nn.BCELoss(reduction="sum")(t(p), t(y)).detach().numpy(),
         truth("torch", "BCELoss", ["sum-instead-of-mean"], {"reduction": "sum"}), requires=["torch/BCELoss"],
         fallback=[truth("numpy", BCE, ["log-clamp-minus-100", "sum-instead-of-mean"])], source="torch.nn.BCELoss(reduction='sum')")
    by, bp = d["benign_y"], d["benign_p"]
    case(c, "torch-bce-benign", BCE, by, bp, torch.nn.BCELoss()(t(bp), t(by)).detach().numpy(), truth("torch", "BCELoss"),
         requires=["torch/BCELoss"], fallback=[truth("numpy", BCE, ["log-clamp-minus-100"])],
         source="torch.nn.BCELoss(), probabilities in [0.1, 0.9] (the clamp never acts)")
    case(c, "torch-bce-logits", BCE, y, z, torch.nn.BCEWithLogitsLoss()(t(z), t(y)).detach().numpy(), truth("torch", "BCEWithLogitsLoss"),
         requires=["torch/BCEWithLogitsLoss"], fallback=KERAS_SIGMOID, source="torch.nn.BCEWithLogitsLoss()")
    case(c, "torch-bce-logits-on-sigmoid", BCE, y, z,
         torch.nn.BCEWithLogitsLoss()(torch.sigmoid(t(z)), t(y)).detach().numpy(),
         truth("torch", "BCEWithLogitsLoss", ["sigmoid-applied-twice"]), requires=["torch/BCEWithLogitsLoss"],
         fallback=with_mistakes(KERAS_SIGMOID, ["sigmoid-applied-twice"]),
         source="torch.nn.BCEWithLogitsLoss()(torch.sigmoid(z), y): a sigmoid applied twice")
    cz, labels, cy = d["cat_logits"], d["cat_labels"], d["cat_y"]
    ce = torch.nn.CrossEntropyLoss()(t(cz), torch.tensor(labels)).detach().numpy()
    case(c, "torch-ce", "sparse-categorical-crossentropy", labels, cz, ce, truth("torch", "CrossEntropyLoss"),
         requires=["torch/CrossEntropyLoss"], fallback=KERAS_SPARSE_LOGITS, source="torch.nn.CrossEntropyLoss(), class indices")
    ce_soft = torch.nn.CrossEntropyLoss()(t(cz), t(d["soft_y"])).detach().numpy()
    case(c, "torch-ce-soft", "categorical-crossentropy", d["soft_y"], cz, ce_soft, truth("torch", "CrossEntropyLoss"),
         requires=["torch/CrossEntropyLoss"], fallback=KERAS_SOFTMAX, source="torch.nn.CrossEntropyLoss(), probability targets")
    ce_twice = torch.nn.CrossEntropyLoss()(torch.softmax(t(cz), dim=1), torch.tensor(labels)).detach().numpy()
    case(c, "torch-ce-on-softmax", "sparse-categorical-crossentropy", labels, cz, ce_twice,
         truth("torch", "CrossEntropyLoss", ["softmax-applied-twice"]), requires=["torch/CrossEntropyLoss"],
         fallback=with_mistakes(KERAS_SPARSE_LOGITS, ["softmax-applied-twice"]),
         source="torch.nn.CrossEntropyLoss()(softmax(x), y): softmax applied twice")
    logp = torch.log_softmax(t(cz), dim=1)
    case(c, "torch-nll", "nll", labels, logp.numpy(), torch.nn.NLLLoss()(logp, torch.tensor(labels)).detach().numpy(),
         truth("torch", "NLLLoss"), requires=["torch/NLLLoss"], fallback=[truth("numpy", "nll")] + KERAS_SPARSE_LOGITS,
         # On log-probabilities every sparse softmax cross-entropy of logits is the NLL
         # (log_softmax leaves them as they are).
         formulas=[SAME_FORMULA["sparse-categorical-crossentropy"][0] + [truth("torch", "NLLLoss"), truth("numpy", "nll")]],
         source="torch.nn.NLLLoss()(log_softmax(x), y)")
    ry, rp = d["reg_y"], d["reg_p"]
    for name, fam in [("MSELoss", "mse"), ("L1Loss", "mae"), ("HuberLoss", "huber")]:
        case(c, f"torch-{fam}", fam, ry, rp, getattr(torch.nn, name)()(t(rp), t(ry)).detach().numpy(), truth("torch", name),
             requires=[f"torch/{name}"], fallback=[truth("numpy", fam)], source=f"torch.nn.{name}()")
    case(c, "torch-mse-sum", "mse", ry, rp, torch.nn.MSELoss(reduction="sum")(t(rp), t(ry)).detach().numpy(),
         truth("torch", "MSELoss", ["sum-instead-of-mean"], {"reduction": "sum"}), requires=["torch/MSELoss"],
         fallback=[truth("numpy", "mse", ["sum-instead-of-mean"])], source="torch.nn.MSELoss(reduction='sum')")
    # Classes along dim 1 of (N, C, d1): the case states them last, as Keras does.
    sz, sl = d["seq_logits"], d["seq_labels"]
    ce_nd = torch.nn.CrossEntropyLoss()(t(sz).permute(0, 2, 1), torch.tensor(sl)).detach().numpy()
    case(c, "torch-ce-dim1", "sparse-categorical-crossentropy", sl, sz, ce_nd, truth("torch", "CrossEntropyLoss"),
         requires=["torch/CrossEntropyLoss"], source="torch.nn.CrossEntropyLoss() on (N, C, d1) logits, class indices (N, d1)")
    ky, kp = d["kl_y"], d["kl_p"]
    logq = torch.log(t(kp))
    case(c, "torch-kl-batchmean", "kl-divergence", ky, logq.numpy(),
         torch.nn.KLDivLoss(reduction="batchmean")(logq, t(ky)).detach().numpy(),
         truth("torch", "KLDivLoss", params={"reduction": "batchmean"}), requires=["torch/KLDivLoss"],
         equivalents=[truth("optax", "kl_divergence")],  # jnp.mean of optax's row sums: the same formula
         source="torch.nn.KLDivLoss(reduction='batchmean')(log q, p): the KL")
    case(c, "torch-kl-mean", "kl-divergence", ky, logq.numpy(), torch.nn.KLDivLoss()(logq, t(ky)).detach().numpy(),
         truth("torch", "KLDivLoss"), requires=["torch/KLDivLoss"],
         source="torch.nn.KLDivLoss()(log q, p): reduction='mean' divides by the element count")
    lr = d["log_rate"]
    case(c, "torch-poisson", "poisson", d["pois_y"], lr, torch.nn.PoissonNLLLoss()(t(lr), t(d["pois_y"])).detach().numpy(),
         truth("torch", "PoissonNLLLoss"), requires=["torch/PoissonNLLLoss"],
         equivalents=[truth("tf", "log_poisson_loss")], source="torch.nn.PoissonNLLLoss() on log-rates: exp(x) − y·x")
    return c


# ---------------------------------------------------------------------------
# Part: jax (optax)
# ---------------------------------------------------------------------------

def part_jax(d):
    import jax.numpy as jnp
    import optax
    j = lambda a: jnp.asarray(np.asarray(a, np.float32))
    c = []
    y, z = d["bin_y"], d["bin_logits"]
    BCE = "binary-crossentropy"
    case(c, "optax-sigmoid-bce", BCE, y, z, np.asarray(jnp.mean(optax.losses.sigmoid_binary_cross_entropy(j(z), j(y)))),
         truth("optax", "sigmoid_binary_cross_entropy"), requires=["optax/sigmoid_binary_cross_entropy"],
         fallback=KERAS_SIGMOID, source="jnp.mean(optax.losses.sigmoid_binary_cross_entropy(z, y))")
    case(c, "optax-sigmoid-bce-sum", BCE, y, z, np.asarray(jnp.sum(optax.losses.sigmoid_binary_cross_entropy(j(z), j(y)))),
         truth("optax", "sigmoid_binary_cross_entropy", ["sum-instead-of-mean"]), requires=["optax/sigmoid_binary_cross_entropy"],
         fallback=with_mistakes(KERAS_SIGMOID, ["sum-instead-of-mean"]),
         source="jnp.sum(optax.losses.sigmoid_binary_cross_entropy(z, y))")
    cz, cy, labels = d["cat_logits"], d["cat_y"], d["cat_labels"]
    case(c, "optax-softmax", "categorical-crossentropy", cy, cz, np.asarray(jnp.mean(optax.losses.softmax_cross_entropy(j(cz), j(cy)))),
         truth("optax", "softmax_cross_entropy"), requires=["optax/softmax_cross_entropy"], fallback=KERAS_SOFTMAX,
         source="jnp.mean(optax.losses.softmax_cross_entropy(x, onehot))")
    case(c, "optax-softmax-int", "sparse-categorical-crossentropy", labels, cz,
         np.asarray(jnp.mean(optax.losses.softmax_cross_entropy_with_integer_labels(j(cz), jnp.asarray(labels)))),
         truth("optax", "softmax_cross_entropy_with_integer_labels"),
         requires=["optax/softmax_cross_entropy_with_integer_labels"], fallback=KERAS_SPARSE_LOGITS,
         source="jnp.mean(optax.losses.softmax_cross_entropy_with_integer_labels(x, y))")
    ry, rp = d["reg_y"], d["reg_p"]
    case(c, "optax-squared-error", "mse", ry, rp, np.asarray(jnp.mean(optax.losses.squared_error(j(rp), j(ry)))),
         truth("optax", "squared_error"), requires=["optax/squared_error"], fallback=[truth("numpy", "mse")],
         source="jnp.mean(optax.losses.squared_error(p, y))")
    case(c, "optax-huber", "huber", ry, rp, np.asarray(jnp.mean(optax.losses.huber_loss(j(rp), j(ry), delta=1.0))),
         truth("optax", "huber_loss"), requires=["optax/huber_loss"], fallback=[truth("numpy", "huber")],
         source="jnp.mean(optax.losses.huber_loss(p, y, delta=1.0))")
    case(c, "optax-log-cosh", "log-cosh", ry, rp, np.asarray(jnp.mean(optax.losses.log_cosh(j(rp), j(ry)))),
         truth("optax", "log_cosh"), requires=["optax/log_cosh"], fallback=[truth("numpy", "log-cosh")],
         source="jnp.mean(optax.losses.log_cosh(p, y))")
    sy, sp = d["sign_y"], d["sign_p"]
    case(c, "optax-hinge", "hinge", sy, sp, np.asarray(jnp.mean(optax.losses.hinge_loss(j(sp), j(sy)))),
         truth("optax", "hinge_loss"), requires=["optax/hinge_loss"], fallback=[truth("numpy", "hinge")],
         source="jnp.mean(optax.losses.hinge_loss(p, y)) with {−1, 1} labels", formulas=[HINGE_SIGNED])
    case(c, "optax-hinge-01", "hinge", y, sp, np.asarray(jnp.mean(optax.losses.hinge_loss(j(sp), j(y)))),
         truth("optax", "hinge_loss", ["hinge-labels-01-unconverted"]), requires=["optax/hinge_loss"],
         fallback=[truth("numpy", "hinge", ["hinge-labels-01-unconverted"])],
         equivalents=[truth("numpy", "hinge", ["hinge-labels-01-unconverted"])],
         source="jnp.mean(optax.losses.hinge_loss(p, y)) with {0, 1} labels")
    case(c, "optax-focal", "focal", y, z,
         np.asarray(jnp.mean(optax.losses.sigmoid_focal_loss(j(z), j(y), alpha=None, gamma=2.0))),
         truth("optax", "sigmoid_focal_loss"), requires=["optax/sigmoid_focal_loss"],
         fallback=[truth("keras", "BinaryFocalCrossentropy", params={"from_logits": True}),
                   truth("tf_keras", "BinaryFocalCrossentropy", params={"from_logits": True}),
                   truth("numpy", "focal")],
         source="jnp.mean(optax.losses.sigmoid_focal_loss(z, y, alpha=None, gamma=2))")
    ky, kp = d["kl_y"], d["kl_p"]
    logq = np.log(np.asarray(kp, np.float32))
    case(c, "optax-kl", "kl-divergence", ky, logq, np.asarray(jnp.mean(optax.losses.kl_divergence(j(logq), j(ky)))),
         truth("optax", "kl_divergence"), requires=["optax/kl_divergence"],
         equivalents=[truth("torch", "KLDivLoss", params={"reduction": "batchmean"})],
         source="jnp.mean(optax.losses.kl_divergence(log q, p)): the mean over rows of the row sums")
    ry, rp = d["reg_y"], d["reg_p"]
    case(c, "optax-cosine", "cosine-similarity", ry, rp, np.asarray(jnp.mean(optax.losses.cosine_similarity(j(rp), j(ry)))),
         truth("optax", "cosine_similarity"), requires=["optax/cosine_similarity"],
         source="jnp.mean(optax.losses.cosine_similarity(p, y)): +cos")
    return c


# ---------------------------------------------------------------------------
# Part: mistakes, in numpy (independent of LossKit)
# ---------------------------------------------------------------------------

def keras_bce_elements(y, p, dt=np.float32, eps_in_log=0.0):
    """Keras 3's binary cross-entropy per element (tf-keras's with eps_in_log=1e-7)."""
    p = np.clip(np.asarray(p, dt), dt(1e-7), dt(1 - 1e-7))
    y = np.asarray(y, dt)
    e = dt(eps_in_log)
    return -(y * np.log(p + e) + (1 - y) * np.log(1 - p + e))


def np_bce(y, p, dt, stability, eps):
    y, p = np.asarray(y, dt), np.asarray(p, dt)
    eps = dt(eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        if stability == "clip":
            q = np.clip(p, eps, dt(1) - eps)
            return -(y * np.log(q) + (1 - y) * np.log(1 - q))
        if stability == "log":
            return -(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        if stability == "both":
            q = np.clip(p, eps, dt(1) - eps)
            return -(y * np.log(q + eps) + (1 - y) * np.log(1 - q + eps))
        if stability == "clamp":
            return -(y * np.maximum(np.log(p), dt(-100)) + (1 - y) * np.maximum(np.log(1 - p), dt(-100)))
    raise ValueError(stability)


def keras_cce_rows(y, p, dt=np.float32):
    p = np.asarray(p, dt)
    p = p / p.sum(axis=-1, keepdims=True)
    p = np.clip(p, dt(1e-7), dt(1 - 1e-7))
    return -(np.asarray(y, dt) * np.log(p)).sum(axis=-1)


def logsumexp(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def sigmoid_xent(y, x, dt=np.float32):
    x, y = np.asarray(x, dt), np.asarray(y, dt)
    return np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))


def part_mistakes(d):
    c = []
    BCE, CCE, SCCE = "binary-crossentropy", "categorical-crossentropy", "sparse-categorical-crossentropy"
    y, p, z, w = d["bin_y"], d["bin_p"], d["bin_logits"], d["bin_w"]
    f = keras_bce_elements(y, p)
    K = lambda m=(), params=None: truth("keras", "BinaryCrossentropy", m, params)

    # The seed's numpy implementation: column vectors, m = y_true.shape[1] = 1, so no mean.
    sy = np.array([[1.0], [1.0], [1.0]], np.float32)
    sp = np.clip(np.array([[1.0], [1.0], [0.0]], np.float32), 1e-7, 1 - 1e-7)
    seed = -(np.dot(sy.T, np.log(sp)) + np.dot((1 - sy).T, np.log(1 - sp))) / sy.shape[1]
    case(c, "seed-numpy-dot", BCE, [1, 1, 1], [1, 1, 0], np.squeeze(seed), K(["sum-instead-of-mean"]),
         equivalents=[truth("numpy", BCE, ["clip-only", "epsilon-1e-7", "sum-instead-of-mean"])],
         source="Examples/numpy_bce.py on the seed: np.dot with m = y_true.shape[1] = 1")

    # Denominators (user-pain §1), on Keras's elementwise formula.
    case(c, "bce-sum", BCE, y, p, f.sum(), K(["sum-instead-of-mean"]), source="Keras BCE per element, summed")
    case(c, "bce-divide-by-batch", BCE, y, p, f.sum() / 4, K(["divide-by-batch-size"]), source="sum / batch size")
    case(c, "bce-divide-by-last-axis", BCE, y, p, f.sum() / 3, K(["divide-by-last-axis"], {"reduction": "sum"}),
         source="sum / last-axis length")
    wf = f * np.asarray(w, np.float32)[:, None]
    case(c, "bce-nonzero-weights", BCE, y, p, wf.sum() / np.count_nonzero(np.broadcast_to(w[:, None], f.shape)),
         K(["divide-by-nonzero-weights"]), sw=w, source="weighted sum / number of non-zero weights (tf.compat.v1 style)")
    case(c, "bce-weight-sum", BCE, y, p, wf.sum() / np.broadcast_to(w[:, None], f.shape).sum(), K(["divide-by-weight-sum"]),
         sw=w, source="weighted sum / sum of the weights")
    rc = keras_cce_rows(d["cat_y"], d["cat_p"])
    case(c, "cce-divide-by-elements", CCE, d["cat_y"], d["cat_p"], rc.sum() / rc.size / 4,
         truth("keras", "CategoricalCrossentropy", ["divide-by-element-count"]),
         equivalents=[truth("tf_keras", "CategoricalCrossentropy", ["divide-by-element-count"])],
         source="Keras CCE per row, sum / number of elements of y_pred (like torch KLDivLoss 'mean')")
    mw = d["mask_w"]
    npf = np_bce(y, p, np.float64, "clip", 1e-7)
    per_row = [(npf[r] * mw[r]).sum() / mw[r].sum() for r in range(4)]
    case(c, "bce-mean-of-means", BCE, y, p, np.mean(per_row),
         truth("numpy", BCE, ["clip-only", "epsilon-1e-7", "mean-of-per-sample-means"]), dtype="float64", sw=mw,
         source="np.mean over rows of the masked per-row means, instead of np.average over all elements")

    # Epsilon value and placement (§2): hand-written float64 numpy.
    for stability, eps, tags in [
        ("clip", 1e-7, ["clip-only", "epsilon-1e-7"]), ("clip", 1e-8, ["clip-only", "epsilon-1e-8"]),
        ("clip", 1e-12, ["clip-only", "epsilon-1e-12"]), ("clip", 1e-15, ["clip-only", "epsilon-1e-15"]),
        ("clip", np.finfo(np.float64).eps, ["clip-only", "epsilon-machine"]),
        ("log", 1e-7, ["epsilon-inside-log-only", "epsilon-1e-7"]), ("log", 1e-8, ["epsilon-inside-log-only", "epsilon-1e-8"]),
        ("log", 1e-15, ["epsilon-inside-log-only", "epsilon-1e-15"]),
        ("both", 1e-7, ["clip-and-epsilon-inside-log", "epsilon-1e-7"]),
        ("both", 1e-8, ["clip-and-epsilon-inside-log", "epsilon-1e-8"]),
        ("clamp", 0, ["log-clamp-minus-100"]),
    ]:
        value = np_bce(y, p, np.float64, stability, eps).mean()
        eq = []
        if stability == "clip" and eps == 1e-7:
            eq = [K(["float64-instead-of-float32"], {"dtype": "float64"})]
        if stability == "both" and eps == 1e-7:
            eq = [truth("tf_keras", "BinaryCrossentropy")]  # tf-keras computes float64 arrays in float64
        if stability == "clip" and eps == np.finfo(np.float64).eps:
            eq = [truth("sklearn", "log_loss")]  # log_loss's clip at the dtype's machine epsilon
        if stability == "clamp":
            eq = [truth("torch", "BCELoss")]  # torch's convention (log1p(−p) for log(1 − p))
        case(c, f"numpy-bce-{stability}-{eps:g}", BCE, y, p, value, truth("numpy", BCE, tags), dtype="float64",
             equivalents=eq, source=f"hand-written float64 BCE, {stability} with eps={eps:g}")
    case(c, "numpy-bce-clip-float32", BCE, y, p, np_bce(y, p, np.float32, "clip", np.finfo(np.float32).eps).mean(),
         truth("numpy", BCE, ["clip-only", "epsilon-machine"]), equivalents=[truth("sklearn", "log_loss")],
         source="hand-written float32 BCE clipped at float32 eps")
    case(c, "torch-clamp-numpy", BCE, y, p, np_bce(y, p, np.float32, "clamp", 0).mean(),
         truth("numpy", BCE, ["log-clamp-minus-100"]),
         equivalents=[truth("torch", "BCELoss")], source="torch's −100 log clamp, in numpy float32")

    # Log base (§12).
    case(c, "bce-log2", BCE, y, p, np.float32(f.mean() / np.log(2)), K(["log2-instead-of-ln"]), source="Keras BCE with log2")
    case(c, "bce-log10", BCE, y, p, np.float32(f.mean() / np.log(10)), K(["log10-instead-of-ln"]), source="Keras BCE with log10")

    # Logits vs probabilities (§3).
    case(c, "bce-logits-as-probabilities", BCE, y, z, keras_bce_elements(y, z).mean(), K(["logits-as-probabilities"]),
         source="logits given to Keras's probability formula")
    sx = sigmoid_xent(y, p)
    case(c, "bce-probabilities-as-logits", BCE, y, p, sx.mean(), dict(KERAS_SIGMOID[2], mistakes=["probabilities-as-logits"]),
         equivalents=with_mistakes(KERAS_SIGMOID[:2], ["probabilities-as-logits"]),
         source="probabilities given to the sigmoid cross-entropy (a second sigmoid)")
    s = (1 / (1 + np.exp(-z.astype(np.float64)))).astype(np.float32)
    case(c, "bce-sigmoid-twice", BCE, y, z, sigmoid_xent(y, s).mean(), dict(KERAS_SIGMOID[2], mistakes=["sigmoid-applied-twice"]),
         equivalents=with_mistakes(KERAS_SIGMOID[:2], ["sigmoid-applied-twice"]),
         source="sigmoid(z) given to a loss that applies the sigmoid")
    cz, cy = d["cat_logits"].astype(np.float64), d["cat_y"]
    soft = np.exp(cz - cz.max(1, keepdims=True))
    soft = (soft / soft.sum(1, keepdims=True)).astype(np.float32)
    twice = (logsumexp(soft.astype(np.float64)) - (cy * soft).sum(1)).mean()
    case(c, "cce-softmax-twice", CCE, cy, cz, np.float32(twice), dict(KERAS_SOFTMAX[2], mistakes=["softmax-applied-twice"]),
         equivalents=with_mistakes(KERAS_SOFTMAX[:2], ["softmax-applied-twice"]),
         source="softmax(x) given to the softmax cross-entropy")

    # Label smoothing toward the other family's target (§7).
    ls = 0.1
    case(c, "bce-smoothing-toward-uniform", BCE, y, p, keras_bce_elements(y * (1 - ls) + ls / 3, p).mean(),
         K(["label-smoothing-toward-1/C"]), source="BCE labels smoothed toward 1/C (C = 3) instead of 0.5")
    case(c, "cce-smoothing-toward-half", CCE, cy, d["cat_p"], keras_cce_rows(cy * (1 - ls) + ls / 2, d["cat_p"]).mean(),
         truth("keras", "CategoricalCrossentropy", ["label-smoothing-toward-0.5"]),
         equivalents=[truth("tf_keras", "CategoricalCrossentropy", ["label-smoothing-toward-0.5"])],
         source="CCE labels smoothed toward 0.5 instead of 1/C")

    # Precision (§9).
    case(c, "bce-float64", BCE, y, p, keras_bce_elements(y, np.asarray(p, np.float32), dt=np.float64).mean(),
         K(["float64-instead-of-float32"], {"dtype": "float64"}),
         equivalents=[truth("numpy", BCE, ["clip-only", "epsilon-1e-7", "float64-instead-of-float32"])],
         source="Keras's formula evaluated in float64 on float32 inputs")
    y1, p1 = y.ravel(), p.ravel()
    case(c, "sklearn-float32", BCE, y1, p1, np_bce(y1, p1, np.float32, "clip", np.finfo(np.float32).eps).mean(),
         truth("numpy", BCE, ["clip-only", "epsilon-machine", "float32-instead-of-float64"]), dtype="float64",
         equivalents=[truth("sklearn", "log_loss", ["float32-instead-of-float64"])],
         source="log_loss's clip at machine epsilon, evaluated in float32 on float64 arrays")

    # Hinge labels (§7).
    sp_ = d["sign_p"]
    # optax's hinge_loss uses the labels as given: the same formula.
    case(c, "hinge-01-unconverted", "hinge", y, sp_, np.maximum(0, 1 - np.asarray(y, np.float32) * np.asarray(sp_, np.float32)).mean(),
         truth("numpy", "hinge", ["hinge-labels-01-unconverted"]),
         equivalents=[truth("optax", "hinge_loss", ["hinge-labels-01-unconverted"])], source="max(0, 1 − y·p) with y in {0, 1}")
    sy2 = d["sign_y"]
    case(c, "hinge-converted-twice", "hinge", sy2, sp_,
         np.maximum(0, 1 - (2 * np.asarray(sy2, np.float32) - 1) * np.asarray(sp_, np.float32)).mean(),
         truth("numpy", "hinge", ["hinge-labels-converted-twice"]),
         # {−3, 1} labels: Keras does not convert them, optax uses them as given, and
         # tf.compat.v1 converts every label with 2y − 1 itself (scikit-learn maps the two
         # labels to ±1 again: not this formula).
         equivalents=with_mistakes(_formula(("keras", "Hinge", None), ("tf_keras", "Hinge", None), ("optax", "hinge_loss", None),
                                            ("tf_v1", "hinge_loss", None)), ["hinge-labels-converted-twice"]),
         source="{−1, 1} labels converted again with 2y − 1")

    # Transposed class axis.
    case(c, "cce-transposed", CCE, cy[:4], d["cat_p"][:4], keras_cce_rows(cy[:4].T, d["cat_p"][:4].T).mean(),
         truth("keras", "CategoricalCrossentropy", ["transposed-class-axis"]),
         equivalents=[truth("tf_keras", "CategoricalCrossentropy", ["transposed-class-axis"])],
         source="Keras CCE over axis 0 (the class axis transposed)")

    # Sparse and regression denominators.
    labels, cp = d["cat_labels"], d["cat_p"]
    pc = np.clip(np.asarray(cp, np.float32), F32(1e-7), F32(1 - 1e-7))
    logq = np.log(pc)
    sparse = logsumexp(logq.astype(np.float32)) - logq[np.arange(5), labels]
    case(c, "scce-sum", SCCE, labels, cp, sparse.sum(), truth("keras", "SparseCategoricalCrossentropy", ["sum-instead-of-mean"]),
         equivalents=[truth("tf_keras", "SparseCategoricalCrossentropy", ["sum-instead-of-mean"], {"reduction": "sum"})],
         source="Keras SCCE per row, summed")
    ry, rp = np.asarray(d["reg_y"], np.float32), np.asarray(d["reg_p"], np.float32)
    case(c, "mse-sum", "mse", ry, rp, ((ry - rp) ** 2).sum(), truth("numpy", "mse", ["sum-instead-of-mean"]),
         source="squared error summed")
    case(c, "mae-divide-by-batch", "mae", ry, rp, np.abs(ry - rp).sum() / 4, truth("numpy", "mae", ["divide-by-batch-size"]),
         source="absolute error summed over the batch's elements, divided by the batch size")
    case(c, "mse-float64", "mse", ry, rp, ((ry.astype(np.float64) - rp.astype(np.float64)) ** 2).mean(),
         truth("numpy", "mse", ["float64-instead-of-float32"]), source="squared error in float64")
    return c


# ---------------------------------------------------------------------------

def check_versions(part, allow):
    import importlib
    bad = []
    for module, pin in PINS[part].items():
        version = importlib.import_module(module).__version__.split("+")[0]
        if version != pin:
            bad.append(f"{module} {version} (pinned {pin})")
    if bad and not allow:
        raise SystemExit("version mismatch: " + ", ".join(bad) + " (--allow-version-mismatch to override)")
    return {m: importlib.import_module(m).__version__ for m in PINS[part]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", required=True, choices=sorted(PINS))
    ap.add_argument("--out", default="Tests/Fixtures/diagnose")
    ap.add_argument("--allow-version-mismatch", action="store_true")
    args = ap.parse_args()
    d = inputs()
    cases = {"tensorflow": part_tensorflow, "torch": part_torch, "jax": part_jax, "mistakes": part_mistakes}[args.part](d)
    versions = check_versions(args.part, args.allow_version_mismatch)
    for x in cases:
        x["id"] = f"{args.part}/{x['id']}"
    ids = [x["id"] for x in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    header = {"script": SCRIPT, "part": args.part, "seed": SEED, "versions": versions, "python": sys.version.split()[0]}
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"{args.part}.json")
    lines = ['{"format": ' + json.dumps(FORMAT) + ",", ' "generator": ' + json.dumps(header) + ",", ' "cases": [']
    body = ",\n".join(json.dumps(x, allow_nan=False) for x in cases)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n" + body + "\n]}\n")
    print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
