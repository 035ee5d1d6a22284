#!/usr/bin/env python3
"""Runs `losskit diagnose --json` on every case of the diagnose suite and reports how
often the truth or one of its equivalents (or, while a required framework is missing,
the fallback) comes first: overall, per family and per mistake, and the hits that a
rival of the same tier and cost nearly took. `--strict` counts the truth alone (which
framework, among those computing the same formula). The Swift test DiagnoseSuiteTests
computes the same rate in-process and fails below 90%.

    python3 Tools/diagnose/rate.py [--losskit .build/debug/losskit] [--suite Tests/Fixtures/diagnose] [--strict] [-v]
"""
import argparse
import glob
import json
import os
import subprocess
from collections import defaultdict


def registered(losskit):
    out = subprocess.run([losskit, "list", "--json"], capture_output=True, text=True, check=True).stdout
    return {f"{e['framework']}/{e['loss']}" for e in json.loads(out)["losses"]}


def same(candidate, expected):
    if candidate["framework"] != expected["framework"] or candidate["loss"] != expected["loss"]:
        return False
    if sorted(candidate["mistakes"]) != sorted(expected["mistakes"]):
        return False
    return all(candidate["params"].get(k) == v for k, v in expected.get("params", {}).items())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--losskit", default=".build/debug/losskit")
    ap.add_argument("--suite", default="Tests/Fixtures/diagnose")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--strict", action="store_true", help="count only the truth itself, not its equivalents")
    args = ap.parse_args()
    known = registered(args.losskit)
    total = hits = pending = 0
    close_calls = []
    by_family, by_mistake = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for path in sorted(glob.glob(os.path.join(args.suite, "*.json"))):
        for case in json.load(open(path))["cases"]:
            reachable = all(r in known for r in case["requires"])
            expected = ([case["truth"]] + ([] if args.strict else case["equivalents"])) if reachable else case["fallback"]
            if not expected:
                pending += 1
                continue
            cmd = [args.losskit, "diagnose", "--y-true", json.dumps(case["y_true"]), "--y-pred", json.dumps(case["y_pred"]),
                   "--observed", case["observed_text"], "--dtype", case["dtype"], "--json"]
            if case["sample_weight"]:
                cmd += ["--sample-weight", json.dumps(case["sample_weight"])]
            result = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
            top = result["candidates"][0] if result["candidates"] else None
            ok = top is not None and any(same(top, e) for e in expected)
            # A hit that only closeness or the table order decides: the best candidate that is
            # no right answer has the same tier and cost.
            rivals = [c for c in result["candidates"][1:] if not any(same(c, e) for e in expected)]
            if ok and rivals and (rivals[0]["tier"], rivals[0]["cost"]) == (top["tier"], top["cost"]):
                close_calls.append(f"{case['id']}: {top['framework']}/{top['loss']} {top['value']} over "
                                   f"{rivals[0]['framework']}/{rivals[0]['loss']} {rivals[0]['mistakes']} {rivals[0]['value']}")
            total += 1
            hits += ok
            by_family[case["family"]][0] += ok
            by_family[case["family"]][1] += 1
            for m in (expected[0]["mistakes"] or ["(none)"]):
                by_mistake[m][0] += ok
                by_mistake[m][1] += 1
            if args.verbose and not ok:
                got = f"{top['framework']}/{top['loss']} {top['mistakes']} {top['value']}" if top else "no match"
                print(f"MISS {case['id']}: expected {expected[0]['framework']}/{expected[0]['loss']} {expected[0]['mistakes']}, got {got}")
    print(f"true recipe first: {hits}/{total} = {100 * hits / max(total, 1):.1f}% ({pending} cases pending a framework)")
    if close_calls:
        print(f"{len(close_calls)} hits with a rival of the same tier and cost (decided by closeness or table order):")
        for line in close_calls:
            print(f"  {line}")
    print("per family:")
    for k, (a, b) in sorted(by_family.items()):
        print(f"  {k:34s} {a}/{b}")
    print("per mistake:")
    for k, (a, b) in sorted(by_mistake.items()):
        print(f"  {k:34s} {a}/{b}")


if __name__ == "__main__":
    main()
