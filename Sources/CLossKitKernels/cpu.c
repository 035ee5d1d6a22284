#include "CLossKitKernels.h"
#include <stdlib.h>
#include <string.h>

static _Atomic int forced = -1;  // set by tests and benchmarks, read by every dispatch
static _Atomic int detected = -1;  // the CPU's (capped by LOSSKIT_CPU), found once

static int detect_features(void);

int lk_cpu_features(void) {
  const int set = forced;
  if (set >= 0) return set;
  // Every dispatch asks: the environment is read once (getenv per call cost more than
  // kernels on short runs). Racing first calls compute the same value.
  int found = detected;
  if (found < 0) detected = found = detect_features();
  return found;
}

static int detect_features(void) {
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

#if defined(__linux__)
#include <sys/mman.h>
#endif

void lk_advise_huge_pages(void *start, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Only whole 2 MiB pages inside the buffer, and only for buffers of many of them.
  const uintptr_t huge = (uintptr_t)2 << 20;
  if (bytes < 4 * huge) return;
  uintptr_t first = ((uintptr_t)start + huge - 1) & ~(huge - 1);
  uintptr_t end = ((uintptr_t)start + bytes) & ~(huge - 1);
  if (end > first) (void)madvise((void *)first, end - first, MADV_HUGEPAGE);
#else
  (void)start;
  (void)bytes;
#endif
}
