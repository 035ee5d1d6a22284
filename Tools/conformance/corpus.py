"""Shared by every LossKit corpus generator: case specs, JSON encoding, the error
annotations and the corpus manifest. Imports nothing but numpy, so each framework
family's generator runs in its own virtualenv."""

import json
import math
import os
import re
import sys
import time
import zlib

import numpy as np

FORMAT = "losskit-cases/1"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "losskit-corpus-manifest/1"
BASE_SEED = 20260522  # per-file seed = BASE_SEED + crc32("<framework>/<loss>") % 1_000_000

# LossKit's LossError kinds (LossError.Kind raw values).
ERROR_KINDS = {"shape_mismatch", "invalid_parameter", "label_out_of_range", "invalid_value", "unsupported"}


def seed_for(fw, loss):
    return BASE_SEED + zlib.crc32(f"{fw}/{loss}".encode()) % 1_000_000


def check_versions(installed, pins, requirements, allow_mismatch=None, problems=()):
    """Stops unless every pinned package has its pinned version and `problems` (the
    caller's other findings) is empty. allow_mismatch: the script's
    --allow-version-mismatch flag (None: it has none); when set, only warns."""
    bad = [f"{k}: installed {installed[k]}, pinned {v}" for k, v in pins.items() if installed[k] != v] + list(problems)
    if not bad:
        return
    msg = f"Installed versions differ from the pins in Tools/conformance/{requirements}:\n  " + "\n  ".join(bad)
    if not allow_mismatch:
        override = "" if allow_mismatch is None else " or pass --allow-version-mismatch"
        sys.exit(f"{msg}\nCreate the venv from {requirements} (see Tools/conformance/README.md){override}.")
    print("WARNING: " + msg, file=sys.stderr)


def balanced(rng, options, n):
    """n picks from options, each option used ~equally often, order shuffled."""
    reps = -(-n // len(options))
    picks = (list(options) * reps)[:n]
    return [picks[i] for i in rng.permutation(n)]


def error(kind, argument=None):
    """The LossKit error a case's framework error must map to."""
    assert kind in ERROR_KINDS, kind
    return {"kind": kind, "argument": argument}


def spec(desc, y_true, y_pred, params=None, sw=None, dtype="float32", error=None, extra=None):
    """A case before it is run. Integer-typed y_true stays int64 (labels).

    error: the LossKit error (see error()) when the framework is expected to raise;
    the generators refuse to write a case whose framework outcome disagrees with it.
    extra: tensors passed as parameters under the framework's own names (torch's
    `var`, optax's `where`, ...), kept as numpy arrays.
    """
    return {
        "desc": desc,
        "params": dict(params or {}),
        "y_true": y_true if isinstance(y_true, np.ndarray) and np.issubdtype(y_true.dtype, np.integer)
        else np.asarray(y_true, dtype=np.float64),
        "y_pred": np.asarray(y_pred, dtype=np.float64),
        "sw": None if sw is None else np.asarray(sw, dtype=np.float64),
        "dtype": dtype,
        "error": error,
        "extra": dict(extra or {}),
    }


def int_labels(x):
    return np.asarray(x, dtype=np.int64)


# Random inputs the generators share (each consumes the generator exactly as written).

def probs(rng, shape):
    return rng.uniform(0.02, 0.98, shape)


def bin_labels(rng, shape):
    return rng.integers(0, 2, shape).astype(np.float64)


def simplex(rng, shape, axis=-1, scale=1.5):
    """Rows of probabilities along `axis`: the softmax of normal(0, scale) draws."""
    e = np.exp(rng.normal(0.0, scale, shape))
    return e / e.sum(axis=axis, keepdims=True)


def onehot(rng, shape, axis=-1):
    moved = np.moveaxis(np.zeros(shape), axis, -1)
    idx = rng.integers(0, moved.shape[-1], moved.shape[:-1])
    out = np.eye(moved.shape[-1])[idx]
    return np.moveaxis(out, -1, axis)


def shape_tag(shape):
    """A shape as it appears in case descriptions: 4x3, scalar."""
    return "x".join(str(d) for d in shape) if len(shape) else "scalar"


def enc_num(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f  # json.dumps writes repr(float) -> round-trips exactly


def enc_tensor(a):
    a = np.asarray(a)
    if np.issubdtype(a.dtype, np.integer) or a.dtype == np.bool_:
        data = [int(v) for v in a.ravel()]
    else:
        data = [enc_num(v) for v in a.ravel()]
    return {"shape": [int(d) for d in a.shape], "data": data}


def enc_params(params):
    return {k: (enc_tensor(v) if isinstance(v, np.ndarray) else v) for k, v in params.items()}


def error_text(e):
    msg = str(e)
    first = msg.splitlines()[0] if msg else ""
    return f"{type(e).__name__}: {first}"


def case_id(fw, loss, desc, n):
    return f"{fw}/{loss}/{re.sub(r'[^A-Za-z0-9._-]+', '_', desc)}-{n}"


def record_outcome(case, spec_, run):
    """Runs `run()` -> (loss, grad) and stores the expected block, checking it against
    the spec's error annotation: a framework error must be annotated, an annotation
    must be matched by a framework error."""
    try:
        out, grad = run()
    except Exception as e:  # the framework's own error is the expected result
        if spec_["error"] is None:
            raise SystemExit(f"{case['id']}: the framework raised {error_text(e)!r} but the case "
                             "has no error annotation (spec(..., error=error(kind, argument)))")
        case["expected"] = {"error": error_text(e), "losskit_error": spec_["error"]}
        return case
    if spec_["error"] is not None:
        raise SystemExit(f"{case['id']}: annotated as an error {spec_['error']} but the framework computed a value")
    case["expected"] = {"loss": enc_tensor(out), "grad_y_pred": None if grad is None else enc_tensor(grad)}
    return case


def write_file(path, header, cases):
    ids = [c["id"] for c in cases]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"{path}: duplicate case ids")
    lines = ['{"format": ' + json.dumps(FORMAT) + ",",
             ' "generator": ' + json.dumps(header, allow_nan=False) + ",",
             ' "cases": [']
    body = [json.dumps(c, allow_nan=False) for c in cases]
    text = "\n".join(lines) + "\n" + ",\n".join(body) + "\n]}\n"
    json.loads(text)  # must be valid JSON
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_case_file(out_dir, fw, loss, header, cases, counts):
    """Writes <out_dir>/<fw>/<loss>.json, records its number of cases in `counts` (for
    update_manifest) and prints a summary line; returns the number of error cases."""
    write_file(os.path.join(out_dir, fw, f"{loss}.json"), header, cases)
    counts[f"{fw}/{loss}.json"] = len(cases)
    n_err = sum("error" in c["expected"] for c in cases)
    print(f"{fw + '/' + loss:55s} {len(cases):4d} cases {n_err:3d} errors", flush=True)
    return n_err


def finish(out_dir, counts, errors, family, versions, started):
    """Updates the manifest with this family's files and prints the totals."""
    corpus_total = update_manifest(out_dir, counts, family, versions)
    print(f"{'total':55s} {sum(counts.values()):4d} cases {errors:3d} errors  ({time.time() - started:.1f} s)")
    print(f"manifest: {corpus_total} cases in the whole corpus")


def update_manifest(out_dir, counts, family, versions):
    """Records, per file, the number of cases; the conformance suite asserts them.

    counts: {"<framework>/<loss>.json": n}. Entries of other generator families are
    kept, so each family's generator can run in its own virtualenv.
    """
    path = os.path.join(out_dir, MANIFEST)
    manifest = {"format": MANIFEST_FORMAT, "families": {}, "files": {}}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    manifest["families"][family] = {"versions": versions, "files": sorted(counts)}
    for name, n in counts.items():
        manifest["files"][name] = n
    # Drop entries of this family that it no longer writes.
    owned = {n for fam in manifest["families"].values() for n in fam["files"]}
    manifest["files"] = {k: v for k, v in sorted(manifest["files"].items()) if k in owned}
    manifest["total"] = sum(manifest["files"].values())
    manifest["families"] = dict(sorted(manifest["families"].items()))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=False)
        f.write("\n")
    return manifest["total"]
