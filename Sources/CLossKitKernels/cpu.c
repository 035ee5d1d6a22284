#include "CLossKitKernels.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static _Atomic int forced = -1;  // set by tests and benchmarks, read by every dispatch
static _Atomic int detected = -1;  // the CPU's (capped by LOSSKIT_CPU), found once

/// 1 when the streaming loops prefetch (read by the kernels, relaxed): 1 until the first
/// dispatch, then the CPU's choice or what lk_set_software_prefetch set.
int lk_prefetch_enabled = 1;

static int detect_features(void);
static int detect_prefetch(void);

int lk_cpu_features_detected(void) {
  lk_cpu_features();  // detects once
  return detected;
}

int lk_cpu_features(void) {
  // Every dispatch asks: the environment is read once (getenv per call cost more than
  // kernels on short runs). Racing first calls compute the same values. The prefetch
  // choice is stored before `detected`, so a caller that finds `detected` set sees it.
  int found = detected;
  if (found < 0) {
    __atomic_store_n(&lk_prefetch_enabled, detect_prefetch(), __ATOMIC_RELAXED);
    detected = found = detect_features();
  }
  const int set = forced;
  return set >= 0 ? set : found;
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

static int detect_prefetch(void) {
  const char *choice = getenv("LOSSKIT_PREFETCH");
  if (choice && (strcmp(choice, "0") == 0 || strcmp(choice, "1") == 0)) return choice[0] == '1';
#if defined(__x86_64__) || defined(__i386__)
  // AMD family 19h with AVX-512 is Zen 4 (Zen 3, the same family, has no AVX-512). There
  // the hardware prefetcher alone streams faster (Tools/bench/cpu/prefetch_ab.c, both
  // settings alternating in one process, 2^25 elements): without software prefetches
  // Keras MSE, MAE and Huber took 0.71–0.90 of the time on one or two threads, BCE from
  // logits, sparse and dense softmax 0.87–0.97, BCE on probabilities 0.99–1.06. On Zen 5
  // they pay (BCE from logits 0.66 → 0.48 ns/element with them).
  // (Not __builtin_cpu_is("znver4"): with GCC 12's libgcc it reports a Zen 4 as znver3.)
  unsigned eax, ebx, ecx, edx;
  if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) && ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163 &&
      __get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
    const unsigned family = ((eax >> 8) & 0xf) + ((eax >> 20) & 0xff);  // AuthenticAMD, base + extended
    __builtin_cpu_init();
    if (family == 0x19 && __builtin_cpu_supports("avx512f")) return 0;
  }
#endif
  return 1;
}

int lk_software_prefetch(void) {
  (void)lk_cpu_features();  // decides, once
  return __atomic_load_n(&lk_prefetch_enabled, __ATOMIC_RELAXED);
}

void lk_set_software_prefetch(int enabled) {
  (void)lk_cpu_features();  // detects first, so that no later first dispatch stores over this
  __atomic_store_n(&lk_prefetch_enabled, enabled >= 0 ? enabled != 0 : detect_prefetch(), __ATOMIC_RELAXED);
}

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
