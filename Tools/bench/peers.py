#!/usr/bin/env python3
"""LossKit against numpy, PyTorch, TensorFlow and JAX on the same inputs, in one run.

    swift build -c release
    python3 Tools/bench/peers.py --losskit .build/release/losskit

1. `losskit bench --n N --classes C --write-inputs DIR` writes the benchmark's inputs
   (.npy) and DIR/cases.json, each case tagged with its kind (bce_probabilities,
   bce_logits, sparse_softmax_ce, softmax_ce, mse, mae, huber).
2. For each thread count: `losskit bench --threads T --json`, then one worker process
   per peer (Tools/bench/peer_worker.py in the peer's own virtualenv, threads
   configured before the framework is imported) that times every implementation the
   peer has for each kind on the first case of that kind, loss value only.
3. Checks every value against a float64 computation from the same inputs and against
   LossKit's value, and prints the ns per element (per logit for the softmax kinds),
   the fastest peer, the ratio fastest-peer / LossKit and LossKit / memory floor.

With --fast-math, steps 1 and 2 pass `--fast-math` to `losskit bench`: only the kinds
with a fast-math kernel (BCE from logits, sparse softmax), LossKit's own exp and log1p.

Only standard-library Python here, so any interpreter runs it; the workers need their
frameworks. Exit status: 0, or 1 when a value disagrees (a peer timing a different
computation is useless), 2 when a worker failed.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from peer_worker import FRAMEWORKS as PEERS

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORKER = os.path.join(HERE, "peer_worker.py")
# Each peer's interpreter (its own virtualenv); exact_ulps.py uses the same.
DEFAULT_PYTHON = {
    "numpy": "/work/venv-tf/bin/python",
    "tf": "/work/venv-tf/bin/python",
    "torch": "/work/venv-torch/bin/python",
    "jax": "/work/venv-jax/bin/python",
}
KIND_ORDER = ("bce_probabilities", "bce_logits", "sparse_softmax_ce", "softmax_ce", "mse", "mae", "huber")
# A peer's thread count is trusted to be 1 when its process used at most this much CPU
# time per wall-clock second while timing (two busy cores would give about 2).
SERIAL_CPU_PER_WALL = 1.15
PARALLEL_CPU_PER_WALL = 1.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--losskit", default=os.path.join(REPO, ".build", "release", "losskit"), help="the losskit binary (a release build)")
    parser.add_argument("--n", type=int, default=1 << 25, help="elements per input array (default 2^25)")
    parser.add_argument("--classes", type=int, default=1000, help="classes per row of the softmax kinds (rows = n // 1024, as losskit bench)")
    parser.add_argument("--repetitions", type=int, default=5, help="timed calls per measurement; the fastest counts")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the whole measurement and keep each entry's fastest round (a shared machine's noise only ever slows a run down)")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of numpy,torch,tf,jax")
    parser.add_argument("--kinds", help="comma-separated kinds (default: every kind in cases.json)")
    parser.add_argument("--inputs", help="write the inputs to this directory and keep them (default: a temporary directory, deleted)")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="relative tolerance of the value checks (default 1e-4: peers sum in other orders and use other log/exp)")
    parser.add_argument("--pin", action="store_true", help="restrict LossKit and every worker to T CPUs (sched_setaffinity) for T threads")
    parser.add_argument("--fast-math", action="store_true", help="time LossKit's fast-math kernels (`losskit bench --fast-math`: its own exp and log1p, not the framework's bits) on the kinds that have one")
    parser.add_argument("--json", action="store_true", help="print the whole result as one JSON document instead of tables")
    parser.add_argument("--json-out", metavar="FILE", help="also write the whole result as JSON to FILE")
    for peer in PEERS:
        parser.add_argument(f"--python-{peer}", default=DEFAULT_PYTHON[peer], help=f"the interpreter with {peer} installed (default {DEFAULT_PYTHON[peer]})")
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",") if t]
    args.peers = [p for p in args.peers.split(",") if p]
    unknown = [p for p in args.peers if p not in PEERS]
    if unknown:
        parser.error(f"--peers: unknown {unknown}; expected a subset of {','.join(PEERS)}")
    if not args.threads or min(args.threads) < 1:
        parser.error("--threads: expected positive counts such as 1,2")
    return args


def log(message):
    print(message, file=sys.stderr, flush=True)


def affinity(threads, pin):
    """A preexec_fn restricting a child to `threads` CPUs, or None."""
    if not pin:
        return None
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < threads:
        raise SystemExit(f"--pin: {threads} threads requested but only CPUs {allowed} are allowed")
    return lambda: os.sched_setaffinity(0, set(allowed[:threads]))


def run(command, preexec=None):
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stderr[-4000:]}")
    return completed.stdout, time.perf_counter() - started


def losskit_bench(args, threads):
    command = [args.losskit, "bench", "--n", str(args.n), "--classes", str(args.classes), "--threads", str(threads),
               "--repetitions", str(args.repetitions), "--json"] + (["--fast-math"] if args.fast_math else [])
    out, seconds = run(command, affinity(threads, args.pin))
    log(f"losskit bench --threads {threads}: {seconds:.1f} s")
    return json.loads(out)["results"]


def peer_worker(args, peer, threads, kinds, reference=False, timing=True):
    python = getattr(args, f"python_{peer}")
    command = [python, WORKER, "--framework", peer, "--threads", str(threads), "--inputs", args.inputs,
               "--repetitions", str(args.repetitions), "--kinds", ",".join(kinds)]
    if args.pin:
        command.append("--pin")
    if reference:
        command.append("--reference")
    if not timing:
        command.append("--no-timing")
    out, seconds = run(command)
    log(f"{peer} worker --threads {threads}: {seconds:.1f} s")
    return json.loads(out.strip().splitlines()[-1])


def thread_check(threads, cpu_per_wall, busy):
    """Whether the worker's measurement ran on the threads asked for: a serial run
    cannot use more than one CPU second per second; a parallel one needs at least
    `threads` threads doing work, and overlaps them when the cores are free."""
    if cpu_per_wall is None:
        return "ok"
    if threads == 1:
        return "ok" if cpu_per_wall <= SERIAL_CPU_PER_WALL else f"used more than 1 thread (cpu/wall {cpu_per_wall:.2f})"
    if busy is not None and busy < threads:
        return f"only {busy} thread(s) worked: not parallel at this size, or the setting did not take"
    if cpu_per_wall < PARALLEL_CPU_PER_WALL:
        return f"{busy} threads worked but did not overlap (cpu/wall {cpu_per_wall:.2f}: a busy machine?)"
    return "ok"


def relative(a, b):
    """|a − b| / |b|; infinity when either is missing or not finite (never within a tolerance)."""
    if a is None or b is None or a != a or b != b:
        return float("inf")
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(b), 1e-30)


def fmt(x, digits=3):
    return "-" if x is None else f"{x:.{digits}f}"


def machine():
    info = {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()}
    try:
        info["allowed_cpus"] = len(os.sched_getaffinity(0))
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except (OSError, AttributeError):
        pass
    return info


def main():
    args = parse_args()
    if not os.access(args.losskit, os.X_OK):
        raise SystemExit(f"--losskit: {args.losskit} is not an executable; build it with `swift build -c release`")
    version = subprocess.run([args.losskit, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    temporary = args.inputs is None
    if temporary:
        args.inputs = tempfile.mkdtemp(prefix="losskit-bench-")
    try:
        return measure_all(args, version)
    finally:
        if temporary:
            shutil.rmtree(args.inputs, ignore_errors=True)


def measure_all(args, losskit_version):
    report = {"machine": machine(), "load_average_start": os.getloadavg(), "losskit_version": losskit_version,
              "n": args.n, "classes": args.classes, "repetitions": args.repetitions, "rounds": args.rounds,
              "tolerance": args.tolerance, "pinned": args.pin}
    started = time.perf_counter()
    run([args.losskit, "bench", "--n", str(args.n), "--classes", str(args.classes), "--write-inputs", args.inputs] + (["--fast-math"] if args.fast_math else []))
    with open(os.path.join(args.inputs, "cases.json")) as f:
        cases = json.load(f)["cases"]
    present = {c["kind"] for c in cases}
    wanted = set(args.kinds.split(",")) if args.kinds else present
    kinds = [k for k in KIND_ORDER if k in present & wanted] + sorted((present & wanted) - set(KIND_ORDER))
    if not kinds:
        raise SystemExit(f"--kinds: none of {sorted(wanted)} in cases.json (it has {sorted(present)})")
    unknown = [k for k in kinds if k not in KIND_ORDER]
    if unknown:
        log(f"warning: kinds {unknown} are new to peers.py; the workers have no implementation for them")
    report["cases"] = cases
    report["kinds"] = kinds

    # The float64 arbiter, from the same files (numpy worker's interpreter).
    reference_run = peer_worker(args, "numpy", 1, kinds, reference=True, timing="numpy" in args.peers)
    references = reference_run["references"]
    report["references"] = references

    losskit = {}   # (threads, kind, framework, loss) -> best row
    peers = {}     # (threads, peer, kind, implementation) -> best row
    workers = {}   # (threads, peer) -> settings/versions
    failures = []
    for round_index in range(args.rounds):
        for threads in args.threads:
            for row in losskit_bench(args, threads):
                if row.get("kind") is not None and row["kind"] not in kinds:
                    continue
                key = (threads, row.get("kind"), row["framework"], row["loss"])
                if key not in losskit or row["ns_per_element"] < losskit[key]["ns_per_element"]:
                    losskit[key] = row
            for peer in args.peers:
                # numpy's elementwise ufuncs and reductions run on one thread: measured once,
                # reported for every thread count.
                if peer == "numpy" and threads != min(args.threads):
                    continue
                try:
                    if peer == "numpy" and round_index == 0:
                        worker = reference_run
                    else:
                        worker = peer_worker(args, peer, threads, kinds)
                except RuntimeError as error:
                    failures.append({"peer": peer, "threads": threads, "error": str(error)})
                    log(f"error: {error}")
                    continue
                workers[(threads, peer)] = {k: worker[k] for k in ("thread_settings", "versions", "errors")}
                for row in worker["results"]:
                    key = (threads, peer, row["kind"], row["implementation"])
                    if key not in peers or row["ns_per_element"] < peers[key]["ns_per_element"]:
                        peers[key] = row
    report["load_average_end"] = os.getloadavg()
    report["seconds"] = time.perf_counter() - started

    # --- checks -------------------------------------------------------------------
    disagreements = []
    losskit_rows = []
    for (threads, kind, framework, loss), row in sorted(losskit.items(), key=lambda item: (kind_rank(item[0][1]), item[0][0], item[0][2:])):
        ref = references.get(kind)
        row = dict(row, kind=kind)
        if row.get("value") is None:
            row["value_check"] = "DISAGREES"
            disagreements.append(f"LossKit {framework}/{loss} (threads {threads}): no value reported")
        elif ref is not None:
            row["relative_error_mean"] = relative(row["value"], ref["mean"])
            if row["relative_error_mean"] <= args.tolerance:
                row["value_check"] = "ok"
            elif relative(row["value"], ref["first"]) <= args.tolerance:
                # Unreduced ops (tf.nn, optax) return per-element values; bench reports the first.
                row["value_check"] = "first element (unreduced op)"
            else:
                row["value_check"] = "DISAGREES"
                disagreements.append(f"LossKit {framework}/{loss} (threads {threads}): {row['value']!r} vs float64 mean {ref['mean']!r} (relative {row['relative_error_mean']:.2e})")
        losskit_rows.append(row)
    peer_rows = []
    for (threads, peer, kind, implementation), row in sorted(peers.items()):
        ref = references.get(kind)
        row = dict(row, peer=peer, threads=threads, measured_threads=1 if peer == "numpy" else threads)
        row["relative_error_mean"] = relative(row["value"], ref["mean"]) if ref else None
        same_kind = [r for r in losskit_rows if r["kind"] == kind and r["threads"] == threads and r.get("value_check") == "ok"]
        row["relative_to_losskit"] = max((relative(row["value"], r["value"]) for r in same_kind), default=None)
        bad = [x for x in (row["relative_error_mean"], row["relative_to_losskit"]) if x is not None and x > args.tolerance]
        row["value_check"] = "DISAGREES" if bad else "ok"
        if bad:
            disagreements.append(f"{peer} {implementation} on {kind} (threads {threads}): {row['value']!r} vs float64 mean {ref and ref['mean']!r}, LossKit relative {fmt(row['relative_to_losskit'], 2)}")
        row["thread_check"] = thread_check(row["measured_threads"], row.get("cpu_per_wall"), row.get("busy_threads"))
        peer_rows.append(row)
    # numpy: the 1-thread measurement stands for every count.
    for threads in args.threads:
        if threads != min(args.threads):
            for row in [r for r in peer_rows if r["peer"] == "numpy" and r["threads"] == min(args.threads)]:
                peer_rows.append(dict(row, threads=threads))

    summary = []
    for kind in kinds:
        for threads in args.threads:
            ours = [r for r in losskit_rows if r["kind"] == kind and r["threads"] == threads]
            if not ours:
                continue
            # The peers compute the mean: compare with a LossKit case whose value is the mean
            # (not an unreduced op, whose bench value is its first element) where one exists.
            reduced = [r for r in ours if r.get("value_check") == "ok"]
            best = min(reduced or ours, key=lambda r: r["ns_per_element"])
            entry = {"kind": kind, "threads": threads, "losskit": {k: best.get(k) for k in ("framework", "loss", "ns_per_element", "floor_ns_per_element", "fused", "value_check")},
                     "losskit_to_floor": best["ns_per_element"] / best["floor_ns_per_element"], "peers": {}}
            for peer in args.peers:
                theirs = [r for r in peer_rows if r["peer"] == peer and r["kind"] == kind and r["threads"] == threads]
                if theirs:
                    fastest = min(theirs, key=lambda r: r["ns_per_element"])
                    entry["peers"][peer] = {"implementation": fastest["implementation"], "ns_per_element": fastest["ns_per_element"],
                                            "measured_threads": fastest["measured_threads"], "value_check": fastest["value_check"]}
            if entry["peers"]:
                name, fastest = min(entry["peers"].items(), key=lambda item: item[1]["ns_per_element"])
                entry["fastest_peer"] = {"peer": name, **fastest}
                entry["fastest_peer_to_losskit"] = fastest["ns_per_element"] / best["ns_per_element"]
            summary.append(entry)

    versions = {}
    for (threads, peer), worker in sorted(workers.items()):
        versions.update(worker["versions"])
    report.update(versions=versions, thread_settings={f"{peer}/{threads}": w["thread_settings"] for (threads, peer), w in sorted(workers.items())},
                  worker_errors=[dict(e, peer=peer, threads=threads) for (threads, peer), w in sorted(workers.items()) for e in w["errors"]],
                  failures=failures, disagreements=disagreements, summary=summary, losskit=losskit_rows, peers=peer_rows)

    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print_report(report, args)
    if disagreements:
        return 1
    return 2 if failures or report["worker_errors"] else 0


def print_report(report, args):
    m = report["machine"]
    print(f"LossKit {report['losskit_version']} vs peers — n = {report['n']}, classes = {report['classes']} "
          f"({report['n'] // report['classes']} rows), best of {report['repetitions']} after warm-up, {report['rounds']} round(s)")
    print(f"machine: {m.get('cpu', '?')}, {m.get('allowed_cpus', m['cpus'])} CPUs; load average {report['load_average_start'][0]:.2f} at start, "
          f"{report['load_average_end'][0]:.2f} at end{'; pinned' if report['pinned'] else ''}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in sorted(report["versions"].items())))
    print()
    print("ns per element (per logit for softmax kinds); numpy runs on one thread for every count (1t)"
          + ("; LossKit with --fast-math (its own exp and log1p)" if args.fast_math else ""))
    header = ["kind", "T", "LossKit", "(framework/loss)", "floor", "LK/floor"] + list(args.peers) + ["fastest", "peer/LK"]
    rows = [header]
    for e in report["summary"]:
        lk = e["losskit"]
        mark = ("" if lk["fused"] else " (traced)") + ("" if lk["value_check"] in ("ok", None) else f" ({lk['value_check']})")
        row = [e["kind"], str(e["threads"]), fmt(lk["ns_per_element"]), f"{lk['framework']}/{lk['loss']}" + mark,
               fmt(lk["floor_ns_per_element"]), fmt(e["losskit_to_floor"], 2)]
        for peer in args.peers:
            p = e["peers"].get(peer)
            cell = "-" if p is None else fmt(p["ns_per_element"]) + (" (1t)" if p["measured_threads"] != e["threads"] else "") + ("" if p["value_check"] == "ok" else " !!")
            row.append(cell)
        fastest = e.get("fastest_peer")
        row += [fastest["peer"] if fastest else "-", fmt(e.get("fastest_peer_to_losskit"), 2)]
        rows.append(row)
    print_table(rows)
    print()
    print("every implementation (cpu ns: CPU time of the fastest call, summed over threads — on a shared machine the 1-thread figure")
    print("time-slicing does not inflate; cpu/wall: process CPU time per wall second while timing; busy: threads with real CPU time)")
    rows = [["kind", "T", "peer", "implementation", "ns/elem", "cpu ns", "cpu/wall", "busy", "value", "rel. vs f64", "rel. vs LossKit", "check"]]
    entries = []
    for r in report["peers"]:
        if r["peer"] == "numpy" and r["threads"] != r["measured_threads"]:
            continue
        check = [] if r["value_check"] == "ok" else ["VALUE DISAGREES"]
        if r["thread_check"] != "ok":
            check.append(r["thread_check"])
        entries.append((r, [r["kind"], str(r["threads"]), r["peer"], r["implementation"], fmt(r["ns_per_element"]), fmt(r.get("cpu_ns_per_element")), fmt(r.get("cpu_per_wall"), 2),
                            str(r.get("busy_threads")), fmt_value(r.get('value')), fmt_e(r["relative_error_mean"]), fmt_e(r["relative_to_losskit"]),
                            "; ".join(check) or "ok"]))
    for r in report["losskit"]:
        name = f"{r['framework']}/{r['loss']}" + ("" if r.get("fused", True) else " (traced)")
        entries.append((r, [r["kind"], str(r["threads"]), "LossKit", name, fmt(r["ns_per_element"]), "", "", "", fmt_value(r.get('value')),
                            fmt_e(r.get("relative_error_mean")), "", r.get("value_check", "-")]))
    entries.sort(key=lambda e: (kind_rank(e[0]["kind"]), e[0]["threads"], e[0]["ns_per_element"]))
    rows += [cells for _, cells in entries]
    print_table(rows)
    print()
    print("thread settings:")
    for key, settings in report["thread_settings"].items():
        print(f"  {key}: {'; '.join(settings)}")
    for e in report["worker_errors"]:
        print(f"worker error: {e['peer']} t={e['threads']} {e['kind']} {e['implementation']}: {e['error']}")
    for f in report["failures"]:
        print(f"FAILED: {f['peer']} t={f['threads']}: {f['error']}")
    if report["disagreements"]:
        print()
        print(f"!!! {len(report['disagreements'])} VALUE DISAGREEMENT(S) beyond {report['tolerance']:g} relative — these timings are of a different computation:")
        for d in report["disagreements"]:
            print(f"!!!   {d}")
    else:
        print(f"values: every peer within {report['tolerance']:g} relative of the float64 mean and of LossKit's value")
    print(f"total {report['seconds']:.0f} s")


def kind_rank(kind):
    return (KIND_ORDER.index(kind), "") if kind in KIND_ORDER else (len(KIND_ORDER), kind or "")


def fmt_value(x):
    return "-" if x is None else f"{x:.9g}"


def fmt_e(x):
    return "-" if x is None else f"{x:.1e}"


def print_table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())


if __name__ == "__main__":
    sys.exit(main())
