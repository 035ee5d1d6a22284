#!/usr/bin/env python3
"""Times one peer framework on the inputs `losskit bench --write-inputs` wrote.

Run by peers.py, one process per (framework, thread count), in the framework's own
virtualenv:

    /work/venv-torch/bin/python Tools/bench/peer_worker.py --framework torch \
        --threads 1 --inputs DIR --repetitions 5

The thread count is configured before the framework is imported (environment
variables read at import, then the framework's own calls), see `configure_threads`.
Prints one JSON document on stdout: the versions, how the threads were set, and per
(kind, implementation) the best time of --repetitions calls after a warm-up (ns per
element of the case: per logit for the softmax kinds), the loss value, and how many of
the process's threads were busy while it ran (read from /proc; the check that the
thread setting took effect).

Only the loss value is computed (no gradient), inputs are converted to the
framework's tensors before timing, and each timed call blocks until its result is
ready (`.item()`, `.numpy()`, `.block_until_ready()`).
"""

import argparse
import json
import os
import platform
import sys
import time

FRAMEWORKS = ("numpy", "torch", "tf", "jax")


def configure_threads(framework, threads, pin=False):
    """Sets the environment that must be in place before `framework` is imported, and
    returns a description of every setting applied. Call it before importing numpy
    (whose BLAS reads the OpenMP variables too)."""
    settings = []

    def env(name, value):
        os.environ[name] = str(value)
        settings.append(f"{name}={value}")

    if pin:
        allowed = sorted(os.sched_getaffinity(0))
        if len(allowed) < threads:
            raise SystemExit(f"--pin: {threads} threads requested but only CPUs {allowed} are allowed")
        os.sched_setaffinity(0, set(allowed[:threads]))
        settings.append(f"sched_setaffinity({allowed[:threads]})")
    # Every framework's BLAS / OpenMP runtime: the elementwise loss ops here do not use
    # BLAS, but a stray OpenMP pool would blur the thread count.
    omp = 1 if framework in ("numpy", "jax") else threads
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env(name, omp)
    if framework == "tf":
        env("TF_CPP_MIN_LOG_LEVEL", 2)
        env("KERAS_BACKEND", "tensorflow")
        env("TF_NUM_INTRAOP_THREADS", threads)
        env("TF_NUM_INTEROP_THREADS", 1)
    elif framework == "jax":
        env("JAX_PLATFORMS", "cpu")
        # XLA:CPU sizes its intra-op thread pool and its Eigen pool from NPROC when set
        # (tsl DefaultThreadPoolSize), else from the CPUs the process may run on.
        # --xla_cpu_multi_thread_eigen=false alone does not stop it from splitting a
        # fused elementwise loop over the pools (measured: 4 busy threads on 2 cores).
        env("NPROC", threads)
        if threads == 1:
            env("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")
    return settings


def thread_cpu_ticks():
    """CPU time (clock ticks) used so far by each thread of this process, by thread id;
    empty where /proc is not available."""
    ticks = {}
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return ticks
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks[tid] = int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
    return ticks


def busy_threads(before, after):
    """The threads that did a real share of the work between two snapshots: those with
    at least 20% of the busiest thread's CPU time (ticks are 10 ms, so a thread must
    have run at least a few ticks to count)."""
    used = sorted((after[t] - before.get(t, 0) for t in after), reverse=True)
    if not used or used[0] <= 0:
        return {"busy_threads": None, "thread_ticks": used[:8]}
    return {"busy_threads": sum(1 for u in used if u >= max(2, 0.2 * used[0])), "thread_ticks": used[:8]}


def measure(call, repetitions, min_seconds=0.3):
    """Best wall time of `repetitions` calls after two warm-up calls (the first
    compiles or traces), and the value of the last call. While timing it also records
    the smallest CPU time of one call, the process's CPU time per wall time and
    per-thread CPU use; when the timed calls
    take less than `min_seconds` in all, further untimed calls run until that much
    time has passed, so that the thread counts rest on enough clock ticks."""
    call()
    value = call()
    before = thread_cpu_ticks()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    best = best_cpu = float("inf")
    for _ in range(repetitions):
        c0, t0 = time.process_time(), time.perf_counter()
        value = call()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    while time.perf_counter() - wall0 < min_seconds:
        call()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    diagnostics = busy_threads(before, thread_cpu_ticks())
    diagnostics["cpu_per_wall"] = cpu / wall if wall > 0 else None
    diagnostics["cpu_seconds"] = best_cpu
    return best, float(value), diagnostics


# --- the implementations -----------------------------------------------------------
# Each `make_<framework>(kind, y_true, y_pred, parameters)` returns [(name, call)]: `call`
# computes the loss value of the numpy inputs (already converted) and returns it as a
# Python float, blocking until it is ready. An empty list: the framework has no such
# loss here.

EPSILON = 1e-7  # keras.config.epsilon()


def huber_delta(parameters):
    for name in ("delta", "beta"):
        if name in parameters and parameters[name] is not None:
            return float(parameters[name])
    return 1.0


def make_numpy(np, kind, y_true, y_pred, parameters):
    eps = np.float32(EPSILON)
    one_minus_eps = np.float32(1.0 - EPSILON)
    if kind == "bce_probabilities":
        def bce(y, p):
            p = np.clip(p, eps, one_minus_eps)
            return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))
        return [("keras_formula", lambda: bce(y_true, y_pred))]
    if kind == "bce_logits":
        def bce_logits(z, x):
            return np.mean(np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))))
        return [("stable_formula", lambda: bce_logits(y_true, y_pred))]
    if kind in ("sparse_softmax_ce", "softmax_ce"):
        def log_sum_exp(x):
            m = np.max(x, axis=1, keepdims=True)
            return np.log(np.sum(np.exp(x - m), axis=1)) + m[:, 0]
        if kind == "sparse_softmax_ce":
            labels = y_true.astype(np.int64)
            rows = np.arange(y_pred.shape[0])
            return [("logsumexp", lambda: np.mean(log_sum_exp(y_pred) - y_pred[rows, labels]))]
        return [("log_softmax", lambda: np.mean(-np.sum(y_true * (y_pred - log_sum_exp(y_pred)[:, None]), axis=1)))]
    if kind == "mse":
        return [("formula", lambda: np.mean(np.square(y_pred - y_true)))]
    if kind == "mae":
        return [("formula", lambda: np.mean(np.abs(y_pred - y_true)))]
    if kind == "huber":
        delta = np.float32(huber_delta(parameters))
        def huber(y, p):
            error = p - y
            absolute = np.abs(error)
            return np.mean(np.where(absolute <= delta, np.float32(0.5) * error * error, delta * absolute - np.float32(0.5) * delta * delta))
        return [("keras_formula", lambda: huber(y_true, y_pred))]
    return []


def make_torch(torch, kind, y_true, y_pred, parameters):
    F = torch.nn.functional
    yt, yp = torch.from_numpy(y_true), torch.from_numpy(y_pred)

    def run(f, *args):
        def call():
            with torch.inference_mode():
                return f(*args).item()
        return call

    if kind == "bce_probabilities":
        def keras_formula(y, p):
            p = torch.clamp(p, EPSILON, 1.0 - EPSILON)
            return torch.mean(-(y * torch.log(p) + (1 - y) * torch.log(1 - p)))
        return [("F.binary_cross_entropy", run(F.binary_cross_entropy, yp, yt)), ("keras_formula", run(keras_formula, yt, yp))]
    if kind == "bce_logits":
        return [("F.binary_cross_entropy_with_logits", run(F.binary_cross_entropy_with_logits, yp, yt))]
    if kind == "sparse_softmax_ce":
        return [("F.cross_entropy", run(F.cross_entropy, yp, yt.to(torch.int64)))]
    if kind == "softmax_ce":
        return [("F.cross_entropy(probabilities)", run(F.cross_entropy, yp, yt))]
    if kind == "mse":
        return [("F.mse_loss", run(F.mse_loss, yp, yt))]
    if kind == "mae":
        return [("F.l1_loss", run(F.l1_loss, yp, yt))]
    if kind == "huber":
        delta = huber_delta(parameters)
        return [
            ("F.huber_loss", run(lambda p, y: F.huber_loss(p, y, delta=delta), yp, yt)),
            ("F.smooth_l1_loss", run(lambda p, y: F.smooth_l1_loss(p, y, beta=delta), yp, yt)),
        ]
    return []


def make_tf(modules, kind, y_true, y_pred, parameters):
    tf, keras, tf_keras = modules["tf"], modules["keras"], modules["tf_keras"]
    yt, yp = tf.constant(y_true), tf.constant(y_pred)

    def run(f, *args):
        compiled = tf.function(f, jit_compile=False)
        return lambda: compiled(*args).numpy()

    impls = []
    if kind == "bce_probabilities":
        for name, module in (("keras", keras), ("tf_keras", tf_keras)):
            impls.append((f"{name}.losses.binary_crossentropy", run(lambda y, p, m=module: tf.reduce_mean(m.losses.binary_crossentropy(y, p)), yt, yp)))
    elif kind == "bce_logits":
        impls.append(("tf.nn.sigmoid_cross_entropy_with_logits", run(lambda y, x: tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x)), yt, yp)))
        for name, module in (("keras", keras), ("tf_keras", tf_keras)):
            impls.append((f"{name}.losses.binary_crossentropy(from_logits)", run(lambda y, x, m=module: tf.reduce_mean(m.losses.binary_crossentropy(y, x, from_logits=True)), yt, yp)))
    elif kind == "sparse_softmax_ce":
        labels = tf.constant(y_true.astype("int64"))
        impls.append(("tf.nn.sparse_softmax_cross_entropy_with_logits", run(lambda y, x: tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)), labels, yp)))
        for name, module in (("keras", keras), ("tf_keras", tf_keras)):
            impls.append((f"{name}.losses.sparse_categorical_crossentropy(from_logits)", run(lambda y, x, m=module: tf.reduce_mean(m.losses.sparse_categorical_crossentropy(y, x, from_logits=True)), labels, yp)))
    elif kind == "softmax_ce":
        impls.append(("tf.nn.softmax_cross_entropy_with_logits", run(lambda y, x: tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)), yt, yp)))
        for name, module in (("keras", keras), ("tf_keras", tf_keras)):
            impls.append((f"{name}.losses.categorical_crossentropy(from_logits)", run(lambda y, x, m=module: tf.reduce_mean(m.losses.categorical_crossentropy(y, x, from_logits=True)), yt, yp)))
    elif kind in ("mse", "mae", "huber"):
        delta = huber_delta(parameters)
        for name, module in (("keras", keras), ("tf_keras", tf_keras)):
            if kind == "mse":
                impls.append((f"{name}.losses.mean_squared_error", run(lambda y, p, m=module: tf.reduce_mean(m.losses.mean_squared_error(y, p)), yt, yp)))
            elif kind == "mae":
                impls.append((f"{name}.losses.mean_absolute_error", run(lambda y, p, m=module: tf.reduce_mean(m.losses.mean_absolute_error(y, p)), yt, yp)))
            else:
                impls.append((f"{name}.losses.huber", run(lambda y, p, m=module: tf.reduce_mean(m.losses.huber(y, p, delta=delta)), yt, yp)))
    return impls


def make_jax(modules, kind, y_true, y_pred, parameters):
    jax, jnp, optax = modules["jax"], modules["jnp"], modules["optax"]
    yt, yp = jnp.asarray(y_true), jnp.asarray(y_pred)

    def run(f, *args):
        compiled = jax.jit(f)
        return lambda: compiled(*args).block_until_ready()

    if kind == "bce_probabilities":
        def bce(y, p):
            p = jnp.clip(p, EPSILON, 1.0 - EPSILON)
            return jnp.mean(-(y * jnp.log(p) + (1 - y) * jnp.log(1 - p)))
        return [("jit(keras_formula)", run(bce, yt, yp))]
    if kind == "bce_logits":
        def bce_logits(z, x):
            return jnp.mean(jnp.maximum(x, 0) - x * z + jnp.log1p(jnp.exp(-jnp.abs(x))))
        return [
            ("jit(stable_formula)", run(bce_logits, yt, yp)),
            ("jit(optax.losses.sigmoid_binary_cross_entropy)", run(lambda z, x: jnp.mean(optax.losses.sigmoid_binary_cross_entropy(x, z)), yt, yp)),
        ]
    if kind == "sparse_softmax_ce":
        labels = jnp.asarray(y_true.astype("int32"))
        def sparse(labels, x):
            picked = jnp.take_along_axis(x, labels[:, None], axis=-1)[:, 0]
            return jnp.mean(jax.nn.logsumexp(x, axis=-1) - picked)
        return [
            ("jit(logsumexp)", run(sparse, labels, yp)),
            ("jit(optax.losses.softmax_cross_entropy_with_integer_labels)", run(lambda l, x: jnp.mean(optax.losses.softmax_cross_entropy_with_integer_labels(x, l)), labels, yp)),
        ]
    if kind == "softmax_ce":
        return [
            ("jit(log_softmax)", run(lambda y, x: jnp.mean(-jnp.sum(y * jax.nn.log_softmax(x, axis=-1), axis=-1)), yt, yp)),
            ("jit(optax.losses.softmax_cross_entropy)", run(lambda y, x: jnp.mean(optax.losses.softmax_cross_entropy(x, y)), yt, yp)),
        ]
    if kind == "mse":
        return [
            ("jit(formula)", run(lambda y, p: jnp.mean(jnp.square(p - y)), yt, yp)),
            ("jit(optax.losses.squared_error)", run(lambda y, p: jnp.mean(optax.losses.squared_error(p, y)), yt, yp)),
        ]
    if kind == "mae":
        return [("jit(formula)", run(lambda y, p: jnp.mean(jnp.abs(p - y)), yt, yp))]
    if kind == "huber":
        delta = huber_delta(parameters)
        def huber(y, p):
            error = p - y
            absolute = jnp.abs(error)
            return jnp.mean(jnp.where(absolute <= delta, 0.5 * error * error, delta * absolute - 0.5 * delta * delta))
        return [
            ("jit(keras_formula)", run(huber, yt, yp)),
            ("jit(optax.losses.huber_loss)", run(lambda y, p: jnp.mean(optax.losses.huber_loss(p, y, delta=delta)), yt, yp)),
        ]
    return []


def reference_values(np, kind, y_true, y_pred, parameters):
    """The loss computed in float64 from the float32 inputs (not timed): the arbiter
    peers.py checks LossKit's and every peer's value against. `first` is the first
    per-sample value, which is what an unreduced op (tf.nn, optax) returns first."""
    y, p = y_true.astype(np.float64), y_pred.astype(np.float64)
    if kind == "bce_probabilities":
        q = np.clip(p, np.float64(np.float32(EPSILON)), np.float64(np.float32(1.0 - EPSILON)))
        per = -(y * np.log(q) + (1 - y) * np.log(1 - q))
    elif kind == "bce_logits":
        per = np.maximum(p, 0) - p * y + np.log1p(np.exp(-np.abs(p)))
    elif kind in ("sparse_softmax_ce", "softmax_ce"):
        m = np.max(p, axis=1, keepdims=True)
        lse = np.log(np.sum(np.exp(p - m), axis=1)) + m[:, 0]
        if kind == "sparse_softmax_ce":
            per = lse - p[np.arange(p.shape[0]), y.astype(np.int64)]
        else:
            per = -np.sum(y * (p - lse[:, None]), axis=1)
    elif kind == "mse":
        per = np.square(p - y)
    elif kind == "mae":
        per = np.abs(p - y)
    elif kind == "huber":
        delta = huber_delta(parameters)
        a = np.abs(p - y)
        per = np.where(a <= delta, 0.5 * a * a, delta * a - 0.5 * delta * delta)
    else:
        return None
    return {"mean": float(np.mean(per)), "first": float(per.reshape(-1)[0])}


def load_modules(framework):
    """Imports the framework (after `configure_threads`), applies its in-process thread
    settings, and returns (modules, versions, settings)."""
    import numpy as np
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    settings = []
    modules = {"np": np}
    if framework == "torch":
        import torch
        threads = int(os.environ["OMP_NUM_THREADS"])
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
        settings += [f"torch.set_num_threads({threads})", "torch.set_num_interop_threads(1)"]
        versions["torch"] = torch.__version__
        modules["torch"] = torch
    elif framework == "tf":
        import tensorflow as tf
        threads = int(os.environ["TF_NUM_INTRAOP_THREADS"])
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        settings += [f"tf.config.threading.set_intra_op_parallelism_threads({threads})", "set_inter_op_parallelism_threads(1)"]
        import keras
        import tf_keras
        versions.update(tensorflow=tf.__version__, keras=keras.__version__, tf_keras=tf_keras.__version__)
        modules.update(tf=tf, keras=keras, tf_keras=tf_keras)
    elif framework == "jax":
        import jax
        import jax.numpy as jnp
        import jaxlib
        import optax
        versions.update(jax=jax.__version__, jaxlib=jaxlib.__version__, optax=optax.__version__)
        modules.update(jax=jax, jnp=jnp, optax=optax)
        devices = jax.devices()
        settings.append(f"devices: {[str(d) for d in devices]}")
    return modules, versions, settings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", required=True, choices=FRAMEWORKS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--inputs", required=True, help="directory with cases.json (losskit bench --write-inputs)")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--kinds", help="comma-separated kinds (default: every kind in cases.json)")
    parser.add_argument("--pin", action="store_true", help="restrict the process to --threads CPUs (sched_setaffinity)")
    parser.add_argument("--reference", action="store_true", help="also compute float64 reference values (numpy only)")
    parser.add_argument("--no-timing", action="store_true", help="only the --reference values")
    args = parser.parse_args()

    settings = configure_threads(args.framework, args.threads, pin=args.pin)
    modules, versions, in_process = load_modules(args.framework)
    settings += in_process
    np = modules["np"]

    with open(os.path.join(args.inputs, "cases.json")) as f:
        cases = json.load(f)["cases"]
    wanted = set(args.kinds.split(",")) if args.kinds else None
    first_case = {}
    for case in cases:
        if wanted is None or case["kind"] in wanted:
            first_case.setdefault(case["kind"], case)

    make = {"numpy": lambda *a: make_numpy(np, *a), "torch": lambda *a: make_torch(modules["torch"], *a),
            "tf": lambda *a: make_tf(modules, *a), "jax": lambda *a: make_jax(modules, *a)}[args.framework]
    results, errors, references = [], [], {}
    for kind, case in first_case.items():
        y_true = np.load(os.path.join(args.inputs, case["y_true"]))
        y_pred = np.load(os.path.join(args.inputs, case["y_pred"]))
        parameters = case.get("parameters", {})
        if args.reference:
            references[kind] = reference_values(np, kind, y_true, y_pred, parameters)
        try:
            implementations = [] if args.no_timing else make(kind, y_true, y_pred, parameters)
        except Exception as error:  # an API missing in this version: report, go on
            errors.append({"kind": kind, "implementation": None, "error": f"{type(error).__name__}: {error}"})
            implementations = []
        for name, call in implementations:
            try:
                seconds, value, diagnostics = measure(call, args.repetitions)
            except Exception as error:
                errors.append({"kind": kind, "implementation": name, "error": f"{type(error).__name__}: {error}"})
                continue
            results.append({
                "kind": kind, "implementation": name, "inputs": case["y_pred"], "elements": case["elements"],
                "ns_per_element": seconds * 1e9 / case["elements"], "value": value,
                # The fastest call's process CPU time, summed over threads: on a shared
                # machine a 1-thread figure that time-slicing does not inflate.
                "cpu_ns_per_element": diagnostics.pop("cpu_seconds") * 1e9 / case["elements"], **diagnostics,
            })
            print(f"  {args.framework} t={args.threads} {kind} {name}: {seconds * 1e9 / case['elements']:.3f} ns", file=sys.stderr)
        del implementations, y_true, y_pred
    json.dump({
        "framework": args.framework, "threads": args.threads, "thread_settings": settings, "versions": versions,
        "results": results, "errors": errors, "references": references,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
