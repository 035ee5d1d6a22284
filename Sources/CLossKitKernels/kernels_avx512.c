// AVX-512 variant (16 lanes), compiled with a target attribute and chosen at run time.
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx2"))), apply_to = function)
#define LK_WIDTH 16
#define LK_AVX512 1
#define LK_HAS_FMA 1  // AVX-512F has FMA
#define LK_NAME(f) f##_avx512
#include "kernels_impl.h"
#pragma clang attribute pop
#endif
