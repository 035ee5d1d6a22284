#!/usr/bin/env bash
# Builds and runs fast_math.c (see its header): faithful against the fast-math
# elementary functions for BCE from logits and sparse softmax, and the memory floor.
#
#   Tools/bench/cpu/fast_math.sh [ROWS [ROUNDS [errors]]]
# ROWS (default 64, in cache) rows of 1,000 logits; 33554 is the benchmarks' 2^25. A
# third argument also measures the prototype functions' worst ulp error (a few seconds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); src="$here/../../../Sources/CLossKitKernels"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
clang -O2 -I"$src" -I"$src/include" "$here/fast_math.c" "$src/eigen_scalar.c" "$src/sleef_scalar.c" "$src/xla_scalar.c" \
  "$src/ynn_sum.c" "$src/cpu.c" -lm -o "$work/fast_math"
"$work/fast_math" "$@"
