#!/usr/bin/env python3
"""How closely LossKit agrees with the recorded framework values, beyond pass/fail.

Runs `losskit eval` on every corpus file and reports, per dtype (the dtype a value is
exact in: Keras 3 computes float64 arrays in float32 by default), how many loss and
gradient values are bit-identical to the framework's, the largest relative error, and
the entries that pass only through the absolute part of the tolerance.

Usage (from the repo root, after `swift build`; needs numpy):
    python Tools/conformance/agreement.py [--losskit .build/debug/losskit]
"""
import argparse
import collections
import glob
import json
import math
import subprocess

import numpy as np

RELATIVE = {("float32", "loss"): 1e-6, ("float32", "grad_y_pred"): 1e-5,
            ("float64", "loss"): 1e-12, ("float64", "grad_y_pred"): 1e-12}


def value(v):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[v] if isinstance(v, str) else float(v)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--losskit", default=".build/debug/losskit")
    parser.add_argument("--framework", default="*", help="only this framework's files (e.g. optax)")
    args = parser.parse_args()
    stats = collections.defaultdict(lambda: {"n": 0, "exact": 0, "max_rel": 0.0})
    beyond = []
    deviations = []
    for path in sorted(glob.glob(f"Tests/Fixtures/conformance/{args.framework}/*.json")):
        cases = json.load(open(path))["cases"]
        output = subprocess.run([args.losskit, "eval", path], capture_output=True, text=True, check=True).stdout
        results = {r["id"]: r for r in json.loads(output)["results"]}
        for case in cases:
            expected, result = case["expected"], results[case["id"]]
            if "error" in expected:
                continue
            if "error" in result:
                deviations.append(case["id"])
                continue
            for key in ("loss", "grad_y_pred"):
                # The dtype the value is exact in: the compute dtype for the loss, the
                # narrower of compute and array dtypes for the gradient (losskit reports both).
                dtype = result["dtype" if key == "loss" else "grad_dtype"]
                want = [value(v) for v in expected[key]["data"]]
                got = [value(v) for v in result[key]["data"]]
                if dtype == "float32":  # losskit prints float32's shortest form
                    want = [float(np.float32(v)) for v in want]
                    got = [float(np.float32(v)) for v in got]
                s = stats[(dtype, key)]
                for i, (a, b) in enumerate(zip(got, want)):
                    s["n"] += 1
                    if a == b or (math.isnan(a) and math.isnan(b)):
                        s["exact"] += 1
                        continue
                    if math.isinf(b) or math.isnan(b):
                        continue
                    if abs(b) > 1e-6:
                        s["max_rel"] = max(s["max_rel"], abs(a - b) / abs(b))
                    if abs(a - b) > RELATIVE[(dtype, key)] * abs(b):
                        beyond.append((dtype, key, abs(a - b), b, case["id"]))
    for (dtype, key), s in sorted(stats.items()):
        print(f"{dtype} {key}: {s['n']} values, {s['exact']} bit-identical ({100 * s['exact'] / s['n']:.1f}%), "
              f"largest relative error {s['max_rel']:.3g} (|expected| > 1e-6)")
    for key in sorted(RELATIVE):
        rows = [b for b in beyond if (b[0], b[1]) == key]
        if rows:
            worst = max(rows, key=lambda b: b[2])
            print(f"{key[0]} {key[1]}: {len(rows)} values in {len(set(r[4] for r in rows))} cases pass only through the "
                  f"absolute tolerance; largest absolute difference {worst[2]:.3g} (expected {worst[3]:.6g}, {worst[4]})")
    if deviations:
        print("deliberate deviations (LossKit reports an error):", " ".join(deviations))


if __name__ == "__main__":
    main()
