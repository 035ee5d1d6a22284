// The traced engine's PyTorch vector functions (sleef_math.h), one value per call.
#include "CLossKitKernels.h"
#include "sleef_math.h"

float lk_sleef_expf_u10(float x) { return lk_sleef_expf_u10_inline(x); }
float lk_sleef_logf_u10(float x) { return lk_sleef_logf_u10_inline(x); }
float lk_sleef_log1pf_u10(float x) { return lk_sleef_log1pf_u10_inline(x); }
