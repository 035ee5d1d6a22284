// The portable variant: 4-lane vectors (SSE2 on x86-64, NEON elsewhere).
#define LK_WIDTH 4
#define LK_NAME(f) f##_generic
#include "kernels_impl.h"
