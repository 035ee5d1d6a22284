#!/usr/bin/env bash
# A/B the AVX-512 fused kernels of two source trees in one process (kernel_ab.c).
#
#   Tools/bench/cpu/kernel_ab.sh A_DIR B_DIR [ROWS [ROUNDS]]
#
# A_DIR and B_DIR are CLossKitKernels source directories, e.g. a checkout of the
# previous commit and the working tree:
#   git worktree add /tmp/lk-base HEAD
#   Tools/bench/cpu/kernel_ab.sh /tmp/lk-base/Sources/CLossKitKernels Sources/CLossKitKernels
# or the same tree twice with CFLAGS_A / CFLAGS_B (-D flags for a kernel's macros).
# ROWS (default 64, in cache) rows of 1,000 logits; 33554 is the benchmarks' 2^25.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,12p "$0"; exit 2; }
a=$(cd "$1" && pwd); b=$(cd "$2" && pwd); here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for v in a b; do
  cat > "$work/variant_$v.c" <<C
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx2"))), apply_to = function)
#define LK_WIDTH 16
#define LK_AVX512 1
#define LK_HAS_FMA 1
#define LK_NAME(f) f##_$v
#include "kernels_impl.h"
#pragma clang attribute pop
C
done
clang -O2 ${CFLAGS_A:-} -I"$a" -I"$a/include" -c "$work/variant_a.c" -o "$work/a.o"
clang -O2 ${CFLAGS_B:-} -I"$b" -I"$b/include" -c "$work/variant_b.c" -o "$work/b.o"
# The scalar helpers (Eigen's, SLEEF's, XLA's scalar functions, the YNNPACK sum) from B.
clang -O2 -I"$b/include" "$here/kernel_ab.c" "$work/a.o" "$work/b.o" "$b/eigen_scalar.c" "$b/sleef_scalar.c" \
  "$b/xla_scalar.c" "$b/ynn_sum.c" "$b/cpu.c" -lm -o "$work/kernel_ab"
"$work/kernel_ab" "${3:-64}" "${4:-2000}"
