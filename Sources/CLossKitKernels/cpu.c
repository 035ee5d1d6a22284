#include "CLossKitKernels.h"

static int forced = -1;

int lk_cpu_features(void) {
  if (forced >= 0) return forced;
#if defined(__x86_64__) || defined(__i386__)
  int features = 0;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) features |= LK_CPU_AVX2;
  if (__builtin_cpu_supports("avx512f")) features |= LK_CPU_AVX512;
  return features;
#else
  return 0;
#endif
}

void lk_set_cpu_features(int features) { forced = features; }
