#include "CLossKitKernels.h"
#include <stdlib.h>
#include <string.h>

static _Atomic int forced = -1;  // set by tests and benchmarks, read by every dispatch

int lk_cpu_features(void) {
  if (forced >= 0) return forced;
#if defined(__x86_64__) || defined(__i386__)
  // LOSSKIT_CPU=avx2 or =portable caps the kernels (benchmarks, bisecting); results are
  // the same bits on every variant.
  const char *cap = getenv("LOSSKIT_CPU");
  int limit = !cap ? LK_CPU_AVX2 | LK_CPU_AVX512 : strcmp(cap, "avx2") == 0 ? LK_CPU_AVX2 : strcmp(cap, "portable") == 0 ? 0 : LK_CPU_AVX2 | LK_CPU_AVX512;
  int features = 0;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) features |= LK_CPU_AVX2;
  if (__builtin_cpu_supports("avx512f")) features |= LK_CPU_AVX512;
  return features & limit;
#else
  return 0;
#endif
}

void lk_set_cpu_features(int features) { forced = features; }
