#!/usr/bin/env python3
"""How far numpy, PyTorch, TensorFlow and JAX are from the exact mean, in float32 ulps.

    swift build -c release
    /work/venv-tf/bin/python Tools/bench/exact_ulps.py --losskit .build/release/losskit

Keras binary cross-entropy on probabilities over one seeded 10^8-element float32 input
(labels in {0, 1}, probabilities k / 2^24 for k in [1, 2^24), so both clip bounds are
hit; or, with --distribution ctr, a calibrated click-through model's predictions):

1. writes y_true.npy and y_pred.npy (400 MB each) to --dir (default: a temporary
   directory, deleted afterwards unless --keep), and the shared per-element losses
   losses.npy: the Keras 3 formula evaluated once in numpy float32,
   -(y log(clip(p, 1e-7, 1 - 1e-7)) + (1 - y) log(1 - clip(...))), stored as [N, 1];
2. computes the exact references from the files (integer arithmetic, below):
   (a) the exact mean of losses.npy, correctly rounded to float32;
   (c) the exact mean of the same formula evaluated in float64 on the float32 inputs
       (the loss as a real number, to about 1e-16), for scale;
3. runs each framework in its own virtualenv, one process per thread count (threads set
   as in peer_worker.py), on the inputs — its float32 loss — and on losses.npy — its
   float32 mean alone, which separates the reduction's error from the per-element one;
4. runs LossKit under /usr/bin/time -v: BinaryCrossentropy on the inputs with --exact
   and without (both stream: the files exceed 256 MiB), MeanAbsoluteError(0, losses)
   with --exact (the exact reduction of the shared array itself: |l − 0| = l), the
   per-element losses LossKit computes (reduction=none, in chunks, for the exact mean of
   LossKit's own per-element values), and default vs --exact vs --stream in memory on a
   2^25-element prefix (below the streaming threshold) for the issue's time ratio;
5. prints each result's signed distance from the references in ulps of float32 at the
   reference, and the wall time and peak resident memory of every LossKit run.

The exact sum. A float32 x is m·2^(e−150) with an integer m < 2^24 and its biased
exponent e (e = 1 for subnormals), so Σx = Σ_e 2^(e−150)·Σ_{x with exponent e} m. The
inner sums are taken per chunk of at most 2^24 values by np.bincount over the exponent
with the signed m as float64 weights: every partial sum is an integer below 2^48 in
magnitude, so each float64 addition is exact. The per-exponent totals are then added
as Python integers, the sum is an exact dyadic rational, the mean an exact
fractions.Fraction, and it is rounded to float32 with integer arithmetic (round half to
even). float64 values are split the same way, their 53-bit m into parts of 26 and 27
bits. No floating-point rounding enters the references.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

from peer_worker import EPSILON, FRAMEWORKS, configure_threads, load_modules
from peers import DEFAULT_PYTHON, log, print_table

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CHUNK = 1 << 24
PREFIX = 1 << 25  # the in-memory comparison: 128 MiB per file, below the 256 MiB threshold


# --- exact arithmetic on float arrays --------------------------------------------------

def exact_sum(array, np):
    """The exact sum of a float32 or float64 array as a Fraction (see the module doc)."""
    flat = array.reshape(-1)
    if flat.dtype == np.float32:
        uint, mantissa_bits, exponent_mask, bias, parts = np.uint32, 23, 0xFF, 150, ((0, 24),)
    elif flat.dtype == np.float64:
        uint, mantissa_bits, exponent_mask, bias, parts = np.uint64, 52, 0x7FF, 1075, ((0, 27), (27, 26))
    else:
        raise TypeError(f"exact_sum: float32 or float64 expected, got {flat.dtype}")
    totals = {}
    for start in range(0, flat.size, CHUNK):
        bits = np.ascontiguousarray(flat[start:start + CHUNK]).view(uint)
        biased = ((bits >> mantissa_bits) & exponent_mask).astype(np.int64)
        if np.any(biased == exponent_mask):
            raise ValueError("exact_sum: the array holds an infinity or NaN")
        mantissa = (bits & ((1 << mantissa_bits) - 1)).astype(np.int64)
        mantissa |= np.where(biased > 0, 1 << mantissa_bits, 0).astype(np.int64)
        negative = (bits >> (mantissa_bits + exponent_mask.bit_length())) != 0
        exponent = np.maximum(biased, 1)
        for shift, width in parts:
            piece = (mantissa >> shift) & ((1 << width) - 1)
            piece = np.where(negative, -piece, piece).astype(np.float64)
            # |partial sums| < 2^24 · 2^27 = 2^51 < 2^53: every addition is exact.
            binned = np.bincount(exponent, weights=piece, minlength=exponent_mask + 1)
            for e in np.nonzero(binned)[0]:
                totals[(int(e), shift)] = totals.get((int(e), shift), 0) + int(binned[e])
    # value = Σ total · 2^(e + shift − bias); scale everything to 2^(1 − bias).
    numerator = sum(t << (e + shift - 1) for (e, shift), t in totals.items())
    return Fraction(numerator, 1 << (bias - 1))


def float32_exponent(q):
    """E with 2^E <= |q| < 2^(E+1), floored at float32's smallest normal exponent."""
    a = abs(q)
    if a == 0:
        return -126
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1
    elif Fraction(2) ** (e + 1) <= a:
        e += 1
    return max(e, -126)


def ulp32(q):
    """The spacing of float32 numbers at q (as a Fraction)."""
    return Fraction(2) ** (float32_exponent(q) - 23)


def round_float32(q):
    """q correctly rounded to float32 (round half to even), as a Python float."""
    if q == 0:
        return 0.0
    step = ulp32(q)
    scaled = abs(q) / step
    whole, remainder = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * remainder
    if twice > scaled.denominator or (twice == scaled.denominator and whole % 2 == 1):
        whole += 1
    value = Fraction(whole) * step
    if value >= Fraction(2) ** 128 - Fraction(2) ** 103:  # past FLT_MAX's rounding boundary
        return float("inf") if q > 0 else float("-inf")
    return float(value) if q > 0 else -float(value)


def ulps(result, reference):
    """The signed distance result − reference in float32 ulps at the reference."""
    return float((Fraction(result) - reference) / ulp32(reference))


def self_test(np):
    """Checks exact_sum against Python's exact Fraction sum (normals, subnormals, zeros
    of both signs, huge and tiny magnitudes) and round_float32 against the float32
    neighbours and the ties-to-even rule."""
    rng = np.random.default_rng(3)
    for dtype in (np.float32, np.float64):
        info = np.finfo(dtype)
        for _ in range(4):
            a = (rng.standard_normal(4000) * np.exp(rng.uniform(-80, 80, 4000))).astype(dtype)
            a[:8] = np.array([info.tiny / 3, -info.tiny / 7, 0.0, -0.0, info.max / 1e3, 1.0, -1.0, info.smallest_subnormal], dtype=dtype)
            assert exact_sum(a, np) == sum(map(Fraction, a.astype(np.float64).tolist()), Fraction(0)), dtype
    for _ in range(5000):
        q = Fraction(int(rng.integers(1, 1 << 62)), int(rng.integers(1, 1 << 62))) * Fraction(2) ** int(rng.integers(-140, 120))
        r = round_float32(q)
        f = np.float32(r)
        assert float(f) == r
        for neighbour in (np.nextafter(f, np.float32(0)), np.nextafter(f, np.float32(np.inf))):
            assert abs(Fraction(r) - q) <= abs(Fraction(float(neighbour)) - q), q
        assert abs(ulps(r, q)) <= 0.5
    step = Fraction(2) ** -23
    assert round_float32(1 + step / 2) == 1.0 and round_float32(1 + 3 * step / 2) == float(1 + 2 * step)
    assert ulps(float(1 + step), Fraction(1)) == 1.0 and ulps(1.0, 1 - step / 4) == 0.5  # ulp below 1 is 2^-24
    print("exact_ulps self-test: ok")


# --- the inputs ---------------------------------------------------------------------

def generate(np, rng, count, distribution):
    """One chunk of labels and probabilities (float32)."""
    if distribution == "uniform":
        y = (rng.random(count) < 0.5).astype(np.float32)
        p = rng.integers(1, 1 << 24, count).astype(np.float32) / np.float32(1 << 24)  # exact: k < 2^24
    else:
        # A calibrated click-through model: logits ~ N(-3.5, 1.5^2), clicks ~ Bernoulli(p).
        p64 = 1 / (1 + np.exp(-rng.normal(-3.5, 1.5, count)))
        y = (rng.random(count) < p64).astype(np.float32)
        p = np.clip(p64.astype(np.float32), np.float32(2.0 ** -24), np.float32(1 - 2.0 ** -24))
    return y, p


def write_inputs(np, directory, n, seed, distribution):
    """y_true, y_pred (1-D, float32) and the shared per-element losses ([n, 1]), chunk by
    chunk into memory-mapped .npy files."""
    rng = np.random.default_rng(seed)
    paths = {name: os.path.join(directory, f"{name}.npy") for name in ("y_true", "y_pred", "losses", "zeros")}
    y_true = np.lib.format.open_memmap(paths["y_true"], mode="w+", dtype=np.float32, shape=(n,))
    y_pred = np.lib.format.open_memmap(paths["y_pred"], mode="w+", dtype=np.float32, shape=(n,))
    losses = np.lib.format.open_memmap(paths["losses"], mode="w+", dtype=np.float32, shape=(n, 1))
    zeros = np.lib.format.open_memmap(paths["zeros"], mode="w+", dtype=np.float32, shape=(n, 1))
    for start in range(0, n, CHUNK):
        count = min(CHUNK, n - start)
        y, p = generate(np, rng, count, distribution)
        y_true[start:start + count] = y
        y_pred[start:start + count] = p
        losses[start:start + count, 0] = keras_bce_float32(np, y, p)
        zeros[start:start + count, 0] = 0
    for array in (y_true, y_pred, losses, zeros):
        array.flush()
    del y_true, y_pred, losses, zeros
    return paths


def keras_bce_float32(np, y, p):
    """keras.src.backend.tensorflow.nn.binary_crossentropy, in numpy float32."""
    p = np.clip(p, np.float32(EPSILON), np.float32(1.0 - EPSILON))
    bce = y * np.log(p)
    bce += (1 - y) * np.log(1 - p)
    return -bce


def float64_reference(np, paths):
    """The exact mean of the Keras formula evaluated in float64 on the float32 inputs."""
    y_true = np.load(paths["y_true"], mmap_mode="r")
    y_pred = np.load(paths["y_pred"], mmap_mode="r")
    total = Fraction(0)
    for start in range(0, y_true.size, CHUNK):
        y = y_true[start:start + CHUNK].astype(np.float64)
        p = np.clip(y_pred[start:start + CHUNK].astype(np.float64), float(np.float32(EPSILON)), float(np.float32(1.0 - EPSILON)))
        total += exact_sum(-(y * np.log(p) + (1 - y) * np.log(1 - p)), np)
    return total / y_true.size


# --- the frameworks (run with --worker in their virtualenvs) -----------------------------

def worker(args):
    settings = configure_threads(args.worker, args.threads)
    modules, versions, in_process = load_modules(args.worker)
    np = modules["np"]
    d = args.dir
    y_true = np.load(os.path.join(d, "y_true.npy"))
    y_pred = np.load(os.path.join(d, "y_pred.npy"))
    losses = np.load(os.path.join(d, "losses.npy")).reshape(-1)
    results = []

    def record(name, computes, value):
        results.append({"name": name, "computes": computes, "value": float(np.float32(value))})
        print(f"  {args.worker} t={args.threads} {name}: {float(np.float32(value))!r}", file=sys.stderr)

    eps, one_minus = np.float32(EPSILON), np.float32(1.0 - EPSILON)
    if args.worker == "numpy":
        record("np.mean(Keras formula)", "loss", np.mean(keras_bce_float32(np, y_true, y_pred)))
        record("np.mean(losses)", "mean", np.mean(losses))
        record("np.mean(losses, dtype=float64)", "mean", np.float32(np.mean(losses, dtype=np.float64)))
        # What a plain float32 loop gives: np.add.accumulate adds in order, not pairwise.
        record("np.add.accumulate(losses)[-1] / n (sequential loop)", "mean", np.add.accumulate(losses)[-1] / np.float32(losses.size))
    elif args.worker == "torch":
        torch = modules["torch"]
        F = torch.nn.functional
        y, p, l = torch.from_numpy(y_true), torch.from_numpy(y_pred), torch.from_numpy(losses)
        with torch.inference_mode():
            record("F.binary_cross_entropy", "loss (torch's own formula: log clamped at -100, no epsilon clip)", F.binary_cross_entropy(p, y).item())
            q = torch.clamp(p, float(eps), float(one_minus))
            record("torch.mean(Keras formula)", "loss", torch.mean(-(y * torch.log(q) + (1 - y) * torch.log(1 - q))).item())
            del q
            record("torch.mean(losses)", "mean", torch.mean(l).item())
    elif args.worker == "tf":
        tf, keras, tf_keras = modules["tf"], modules["keras"], modules["tf_keras"]
        y, p = tf.constant(y_true), tf.constant(y_pred)
        record("keras.losses.binary_crossentropy", "loss", keras.losses.binary_crossentropy(y, p).numpy())
        record("keras.losses.BinaryCrossentropy()", "loss", keras.losses.BinaryCrossentropy()(y, p).numpy())
        record("tf_keras.losses.binary_crossentropy", "loss (tf.keras's formula: + epsilon inside each log)", tf_keras.losses.binary_crossentropy(y, p).numpy())
        del y, p
        l = tf.constant(losses)
        record("tf.reduce_mean(losses)", "mean", tf.reduce_mean(l).numpy())
    elif args.worker == "jax":
        jax, jnp = modules["jax"], modules["jnp"]
        y, p = jnp.asarray(y_true), jnp.asarray(y_pred)

        @jax.jit
        def bce(y, p):
            q = jnp.clip(p, EPSILON, 1.0 - EPSILON)
            return jnp.mean(-(y * jnp.log(q) + (1 - y) * jnp.log(1 - q)))
        record("jit(jnp.mean(Keras formula))", "loss", bce(y, p).block_until_ready())
        del y, p
        record("jit(jnp.mean)(losses)", "mean", jax.jit(jnp.mean)(jnp.asarray(losses)).block_until_ready())
    json.dump({"framework": args.worker, "threads": args.threads, "thread_settings": settings + in_process,
               "versions": versions, "results": results}, sys.stdout)
    print()


# --- LossKit ------------------------------------------------------------------------

def timed(command, runs):
    """Runs `command` under /usr/bin/time -v `runs` times: its JSON output, the fastest
    wall time and the largest peak RSS."""
    best, peak, output, cpu = float("inf"), 0, None, None
    for _ in range(runs):
        completed = subprocess.run(["/usr/bin/time", "-v"] + command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if completed.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", completed.stderr)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", completed.stderr)
        percent = re.search(r"Percent of CPU this job got: (\d+)%", completed.stderr)
        seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
        if seconds < best:
            cpu = int(percent.group(1)) if percent else None
        best, peak = min(best, seconds), max(peak, int(rss.group(1)) * 1024)
        output = completed.stdout
    return json.loads(output), best, peak, cpu


def losskit_value(result, np):
    """The float32 LossKit printed (its shortest decimal form, read as float32)."""
    loss = result["loss"]
    return float(np.float32(loss["data"][0] if isinstance(loss, dict) else loss))


def losskit_elements(np, args, paths, n):
    """LossKit's own per-element losses: reduction=none on [rows, 1] chunks below the
    streaming threshold, parsed from --json. Returns their exact sum and how they
    compare with the shared numpy array, element by element."""
    y_true = np.load(paths["y_true"], mmap_mode="r")
    y_pred = np.load(paths["y_pred"], mmap_mode="r")
    shared = np.load(paths["losses"], mmap_mode="r").reshape(-1)
    total, identical, worst, signed = Fraction(0), 0, 0, 0
    chunk = args.element_chunk
    scratch = tempfile.mkdtemp(prefix="chunk-", dir=args.dir)
    started = time.perf_counter()
    try:
        for start in range(0, n, chunk):
            count = min(chunk, n - start)
            yp, tp = os.path.join(scratch, "y_true.npy"), os.path.join(scratch, "y_pred.npy")
            np.save(yp, np.ascontiguousarray(y_true[start:start + count]).reshape(-1, 1))
            np.save(tp, np.ascontiguousarray(y_pred[start:start + count]).reshape(-1, 1))
            lp = os.path.join(scratch, "loss.npy")
            # --loss-out: an unreduced loss of more than 1,000 values is not printed.
            out = subprocess.run([args.losskit, "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", yp, "--y-pred", tp,
                                  "--param", "reduction=none", "--loss-out", lp], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if out.returncode != 0:
                raise RuntimeError(f"losskit compute reduction=none failed:\n{out.stderr[-2000:]}")
            values = np.load(lp).reshape(-1)
            if values.dtype != np.float32:
                raise RuntimeError(f"losskit wrote {values.dtype} per-element values, expected float32")
            if values.size != count:
                raise RuntimeError(f"losskit returned {values.size} per-element values for {count} elements")
            total += exact_sum(values, np)
            theirs = np.ascontiguousarray(shared[start:start + count])
            difference = values.view(np.int32).astype(np.int64) - theirs.view(np.int32).astype(np.int64)
            identical += int(np.count_nonzero(difference == 0))
            worst = max(worst, int(np.max(np.abs(difference))))
            signed += int(np.sum(difference))
            print(f"\r  LossKit per-element losses: {start + count}/{n}", end="", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(file=sys.stderr)
    return {"exact_mean": total / n, "identical_fraction": identical / n, "max_ulps": worst, "mean_signed_ulps": signed / n,
            "seconds": time.perf_counter() - started}


# --- the run ------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--losskit", default=os.path.join(REPO, ".build", "release", "losskit"))
    parser.add_argument("--n", type=int, default=10 ** 8, help="elements (default 10^8)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--distribution", choices=("uniform", "ctr"), default="uniform",
                        help="uniform: labels Bernoulli(1/2), p = k/2^24 uniform in (0, 1) (default); ctr: a calibrated click-through model, p = sigmoid(N(-3.5, 1.5^2)), labels Bernoulli(p)")
    parser.add_argument("--dir", help="where the .npy files go (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the files")
    parser.add_argument("--threads", default="1,2", help="thread counts the frameworks run with (their reductions may split by thread)")
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--runs", type=int, default=3, help="runs of each timed LossKit command (fastest wall time, largest RSS)")
    parser.add_argument("--element-chunk", type=int, default=1 << 22, help="elements per reduction=none call for LossKit's per-element losses")
    parser.add_argument("--no-losskit-elements", action="store_true", help="skip dumping LossKit's per-element losses (about 1.5 µs per element)")
    parser.add_argument("--json-out", metavar="FILE", help="also write the results as JSON")
    for name in FRAMEWORKS:
        parser.add_argument(f"--python-{name}", default=DEFAULT_PYTHON[name])
    parser.add_argument("--self-test", action="store_true", help="check the exact arithmetic (exact_sum, round_float32, ulps) and exit")
    parser.add_argument("--worker", choices=FRAMEWORKS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.thread_counts = [int(t) for t in str(args.threads).split(",") if t]
    return args


def main():
    args = parse_args()
    if args.worker:
        args.threads = args.thread_counts[0]
        return worker(args)
    import numpy as np
    self_test(np)
    if args.self_test:
        return 0
    if not os.access(args.losskit, os.X_OK):
        raise SystemExit(f"--losskit: {args.losskit} is not an executable; build it with `swift build -c release`")
    if not os.access("/usr/bin/time", os.X_OK):
        raise SystemExit("/usr/bin/time is missing (apt-get install time): it measures LossKit's peak memory")
    temporary = args.dir is None
    args.dir = args.dir or tempfile.mkdtemp(prefix="losskit-ulps-")
    os.makedirs(args.dir, exist_ok=True)
    try:
        run(np, args)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(args.dir, ignore_errors=True)
        elif not args.keep:
            for name in ("y_true", "y_pred", "losses", "zeros", "prefix_y_true", "prefix_y_pred"):
                path = os.path.join(args.dir, f"{name}.npy")
                if os.path.exists(path):
                    os.remove(path)


def run(np, args):
    started = time.perf_counter()
    n = args.n
    report = {"n": n, "seed": args.seed, "distribution": args.distribution, "load_average_start": os.getloadavg(), "platform": platform.platform()}
    log(f"writing the inputs ({n} elements) to {args.dir}")
    paths = write_inputs(np, args.dir, n, args.seed, args.distribution)
    log("exact references")
    shared = np.load(paths["losses"], mmap_mode="r")
    exact_shared = exact_sum(shared, np) / n
    exact_float64 = float64_reference(np, paths)
    references = {
        "a": ("exact mean of the shared float32 per-element losses (numpy float32 Keras formula)", exact_shared),
        "c": ("exact mean of the Keras formula in float64 on the float32 inputs", exact_float64),
    }

    framework_runs = []
    for name in [f for f in args.frameworks.split(",") if f]:
        for threads in (args.thread_counts[:1] if name == "numpy" else args.thread_counts):
            command = [getattr(args, f"python_{name}"), os.path.abspath(__file__), "--worker", name, "--threads", str(threads), "--dir", args.dir]
            t0 = time.perf_counter()
            completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if completed.returncode != 0:
                log(f"error: {name} --threads {threads} failed:\n{completed.stderr[-3000:]}")
                framework_runs.append({"framework": name, "threads": threads, "error": completed.stderr[-3000:]})
                continue
            framework_runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
            log(f"{name} --threads {threads}: {time.perf_counter() - t0:.0f} s")

    log("LossKit")
    lk = args.losskit
    bce = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", paths["y_true"], "--y-pred", paths["y_pred"], "--json"]
    losskit_runs = []

    def losskit(name, arguments, runs=args.runs):
        result, seconds, rss, cpu = timed([lk] + arguments, runs)
        entry = {"name": name, "command": "losskit " + " ".join(arguments), "value": losskit_value(result, np), "seconds": seconds,
                 "peak_rss_bytes": rss, "cpu_percent": cpu, "streamed": bool(result.get("streamed")), "reduction": result.get("reduction", "framework")}
        losskit_runs.append(entry)
        log(f"  {name}: {entry['value']!r}, {seconds:.2f} s, {rss / 2**20:.0f} MiB")
        return entry

    exact = losskit("BCE --exact", bce + ["--exact"])
    losskit("BCE (default flags)", bce)
    mae = losskit("MAE(0, losses) --exact", ["compute", "MeanAbsoluteError", "--framework", "keras", "--y-true", paths["zeros"],
                                              "--y-pred", paths["losses"], "--exact", "--json"], runs=1)
    # Default vs exact in memory, below the streaming threshold.
    prefix = min(n, PREFIX)
    y_true = np.load(paths["y_true"], mmap_mode="r")
    y_pred = np.load(paths["y_pred"], mmap_mode="r")
    prefix_paths = {k: os.path.join(args.dir, f"prefix_{k}.npy") for k in ("y_true", "y_pred")}
    np.save(prefix_paths["y_true"], np.ascontiguousarray(y_true[:prefix]))
    np.save(prefix_paths["y_pred"], np.ascontiguousarray(y_pred[:prefix]))
    del y_true, y_pred
    small = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", prefix_paths["y_true"], "--y-pred", prefix_paths["y_pred"], "--json"]
    prefix_default = losskit(f"BCE first {prefix}, in memory, default", small)
    prefix_exact = losskit(f"BCE first {prefix}, in memory, --exact", small + ["--exact"])
    losskit(f"BCE first {prefix}, --stream", small + ["--stream"])
    shared_prefix = exact_sum(np.load(paths["losses"], mmap_mode="r")[:prefix], np) / prefix
    elements = None if args.no_losskit_elements else losskit_elements(np, args, paths, n)
    if elements:
        references["b"] = ("exact mean of LossKit's own per-element losses (reduction=none)", elements["exact_mean"])

    # --- report ---
    rows = []
    for fr in framework_runs:
        for r in fr.get("results", []):
            rows.append({"framework": fr["framework"], "threads": fr["threads"], **r})
    for entry in losskit_runs:
        if entry["name"].startswith("BCE first"):
            continue
        rows.append({"framework": "losskit", "threads": None, "name": entry["name"],
                     "computes": "mean" if entry["name"].startswith("MAE") else "loss", "value": entry["value"]})
    for r in rows:
        r["ulps"] = {key: ulps(r["value"], q) for key, (_, q) in references.items()}
    report.update(
        references={k: {"description": d, "exact": str(q), "float32": round_float32(q), "as_float": float(q)} for k, (d, q) in references.items()},
        frameworks=framework_runs, results=rows, losskit=losskit_runs, losskit_elements=elements and {k: (str(v) if isinstance(v, Fraction) else v) for k, v in elements.items()},
        prefix={"elements": prefix, "default": prefix_default["value"], "exact": prefix_exact["value"],
                "exact_reference": round_float32(shared_prefix), "exact_ulps_vs_shared": ulps(prefix_exact["value"], shared_prefix),
                "default_ulps_vs_shared": ulps(prefix_default["value"], shared_prefix),
                "exact_over_default_time": prefix_exact["seconds"] / prefix_default["seconds"]},
        load_average_end=os.getloadavg(), seconds=time.perf_counter() - started)
    checks = [("LossKit MAE(0, losses) --exact vs (a): the exact reduction of one float32 array", abs(ulps(mae["value"], exact_shared)) <= 0.5)]
    if elements:
        checks.append(("LossKit BCE --exact vs (b): its own per-element losses", abs(ulps(exact["value"], elements["exact_mean"])) <= 0.5))
    report["checks"] = [{"check": c, "within_half_ulp": ok} for c, ok in checks]
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    print_report(report, references)
    return 0 if all(ok for _, ok in checks) else 1


def print_report(report, references):
    print(f"Keras binary cross-entropy on probabilities, n = {report['n']} float32 elements, {report['distribution']} inputs, seed {report['seed']}")
    print(f"load average {report['load_average_start'][0]:.2f} at start, {report['load_average_end'][0]:.2f} at end; {report['platform']}")
    versions = {}
    for fr in report["frameworks"]:
        versions.update(fr.get("versions", {}))
    print("versions: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    print()
    print("references (exact rationals, shown correctly rounded to float32 and as a double):")
    keys = list(references)
    for k in keys:
        r = report["references"][k]
        print(f"  ({k}) {r['description']}: {r['float32']!r} (≈ {r['as_float']!r})")
    print()
    print("signed distance in float32 ulps at each reference ('mean' rows reduce the shared array (a) alone; 'loss' rows compute the loss):")
    header = ["framework", "T", "result", "computes", "float32 value"] + [f"ulps vs ({k})" for k in keys]
    rows = [header]
    for r in report["results"]:
        rows.append([r["framework"], "-" if r["threads"] is None else str(r["threads"]), r["name"], r["computes"].split(" (")[0],
                     repr(r["value"])] + [f"{r['ulps'][k]:+.2f}" for k in keys])
    print_table(rows)
    notes = sorted({r["computes"] for r in report["results"] if " (" in r["computes"]})
    for note in notes:
        print(f"  note: {note}")
    print()
    e = report.get("losskit_elements")
    if e:
        print(f"LossKit's per-element losses vs numpy's float32 ones: {100 * e['identical_fraction']:.2f}% bit-identical, "
              f"at most {e['max_ulps']} ulps apart, mean signed difference {e['mean_signed_ulps']:+.4f} ulps ({e['seconds']:.0f} s to dump)")
    p = report["prefix"]
    print(f"first {p['elements']} elements in memory: default {p['default']!r} ({p['default_ulps_vs_shared']:+.2f} ulps from the exact mean of the shared "
          f"losses there), --exact {p['exact']!r} ({p['exact_ulps_vs_shared']:+.2f}); --exact / default time {p['exact_over_default_time']:.2f}")
    print()
    print("LossKit runs (/usr/bin/time -v; fastest wall time of the runs and its CPU share, largest peak RSS):")
    rows = [["run", "value", "wall s", "CPU %", "peak RSS MiB", "GiB/s (inputs)", "mode", "command"]]
    for entry in report["losskit"]:
        n = p["elements"] if entry["name"].startswith("BCE first") else report["n"]
        rate = 8 * n / entry["seconds"] / 2 ** 30
        mode = ("streamed, " if entry["streamed"] else "in memory, ") + entry["reduction"]
        rows.append([entry["name"], repr(entry["value"]), f"{entry['seconds']:.2f}", str(entry.get("cpu_percent")), f"{entry['peak_rss_bytes'] / 2**20:.0f}", f"{rate:.2f}", mode, entry["command"]])
    print_table(rows)
    print()
    for c in report["checks"]:
        print(f"{'ok  ' if c['within_half_ulp'] else 'FAIL'} within 0.5 ulp: {c['check']}")
    print(f"total {report['seconds']:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
