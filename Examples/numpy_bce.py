#!/usr/bin/env python3
"""The seed's hand-written binary cross-entropy, as found in many course notebooks, run
over a losskit-cases/1 file (from `losskit cases export`), printing {"results": [...]}
for `losskit cases score`.

    losskit cases export --framework keras --loss BinaryCrossentropy --defaults > inputs.json
    python3 Examples/numpy_bce.py inputs.json > theirs.json
    losskit cases score inputs.json theirs.json

The implementation keeps the examples as column vectors, shape (n, 1), and divides by
m = y_true.shape[1] — which is 1 for column vectors, so the "mean" is a sum.
"""
import json
import sys

import numpy as np


def binary_cross_entropy(y_true, y_pred):
    m = y_true.shape[1]
    y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
    cost = -(np.dot(y_true.T, np.log(y_pred)) + np.dot((1 - y_true).T, np.log(1 - y_pred))) / m
    return float(np.squeeze(cost))


def array(tensor, dtype):
    return np.asarray(tensor["data"], dtype=dtype).reshape(-1, 1)


def main(path):
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    results = []
    for case in cases:
        dtype = np.float32 if case.get("dtype", "float32") == "float32" else np.float64
        loss = binary_cross_entropy(array(case["y_true"], dtype), array(case["y_pred"], dtype))
        results.append({"id": case["id"], "loss": loss})
    json.dump({"results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
