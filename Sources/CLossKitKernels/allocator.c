#include "CLossKitKernels.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int lk_keep_freed_chunks(void) {
#if defined(__GLIBC__)
  // Fixed thresholds (setting either turns off glibc's dynamic adjustment of both).
  return mallopt(M_MMAP_THRESHOLD, 32 << 20) && mallopt(M_TRIM_THRESHOLD, 256 << 20);
#else
  return 0;
#endif
}
