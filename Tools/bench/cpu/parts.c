// Cycles per 16 lanes of the Eigen packet functions the TensorFlow/Keras kernels run,
// alone and together, in cache (issue 8: where binary cross-entropy from logits spends
// its time). Uses the kernels' own vector_math.h (AVX-512 forms).
//
//   clang -O2 -I Sources/CLossKitKernels Tools/bench/cpu/parts.c -o /tmp/parts && /tmp/parts [GHz]
//
// GHz is the core clock used to turn ns into cycles (default 3.4, what a dependent
// scalar add chain measured on the Zen 4 machine this was written on).
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx2"))), apply_to = function)
#define LK_WIDTH 16
#define LK_AVX512 1
#define LK_HAS_FMA 1
#include "vector_math.h"
#pragma clang attribute pop
#include <stdio.h>
#include <stdlib.h>
#include "seconds.h"

#define N 65536
// Not static: the stores to `out` must stay.
float exponents[N], units[N], out[N];

#define KERNEL __attribute__((target("avx512f,avx512dq,avx512vl,avx2"), noinline)) static void
KERNEL run_exp(void) {
  for (int i = 0; i < N; i += LK_WIDE) { vw v = w_exp_nonpositive(wload(exponents + i)); memcpy(out + i, &v, sizeof v); }
}
KERNEL run_log1p(void) {
  for (int i = 0; i < N; i += LK_WIDE) { vw v = w_log1p_unit(wload(units + i)); memcpy(out + i, &v, sizeof v); }
}
KERNEL run_both(void) {
  for (int i = 0; i < N; i += LK_WIDE) { vw v = w_log1p_unit(w_exp_nonpositive(wload(exponents + i))); memcpy(out + i, &v, sizeof v); }
}
KERNEL run_two_divisions(void) {
  for (int i = 0; i < N; i += LK_WIDE) {
    vw a = wload(exponents + i), b = wload(units + i) + 1.0f;
    vw v = (a / b) / (b + 2.0f);
    memcpy(out + i, &v, sizeof v);
  }
}

int main(int argc, char **argv) {
  const double ghz = argc > 1 ? atof(argv[1]) : 3.4;
  srand(1);
  for (int i = 0; i < N; i++) {
    exponents[i] = -20.0f * (float)rand() / (float)RAND_MAX;  // in [-20, 0]: exp's fast form
    units[i] = (float)rand() / (float)RAND_MAX;                // in [0, 1]: log1p's unit form
  }
  void (*runs[])(void) = {run_exp, run_log1p, run_both, run_two_divisions};
  const char *names[] = {"exp", "log1p", "log1p(exp)", "two divisions"};
  printf("%-14s %8s %20s\n", "function", "ns/lane", "cycles per 16 lanes");
  for (int k = 0; k < 4; k++) {
    double best = 1e9;
    for (int r = 0; r < 2000; r++) {
      const double start = seconds();
      runs[k]();
      const double t = seconds() - start;
      if (t < best) best = t;
    }
    printf("%-14s %8.4f %20.2f\n", names[k], best * 1e9 / N, best * 1e9 / N * ghz * 16);
  }
  return 0;
}
