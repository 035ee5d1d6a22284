// AVX2 variant (8 lanes), compiled with a target attribute and chosen at run time.
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define LK_WIDTH 8
#define LK_HAS_FMA 1  // the dispatch picks this variant only on CPUs with FMA
#define LK_NAME(f) f##_avx2
#include "kernels_impl.h"
#pragma clang attribute pop
#endif
