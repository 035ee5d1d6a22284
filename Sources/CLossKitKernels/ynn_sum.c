// YNNPACK's float32 sum kernel (`sum_float_k1` in XNNPACK's ynnpack/kernels/reduce/sum.h,
// 16 lanes on every ISA), which XLA's CPU backend in jaxlib 0.10.2 calls for reductions
// of 4096 elements or more (an `__ynn_fusion`). Reproduced from its definition and
// checked against jax.jit(jnp.sum) bit for bit (docs/elementary-functions.md). The CPU
// runs JAX's kernels with FTZ and DAZ set: every result is flushed here (ftzf), as x86
// does; the inputs are flushed by the caller.
#include "CLossKitKernels.h"
#include "xla_math.h"

#define LK_YNN_LANES 16

/// Adds one block of 64 values (zero-padded past `n`) into `acc0`: lane i first sums
/// a[i], a[16 + i], a[32 + i], a[48 + i] from zero.
static void ynn_block(const float *a, size_t n, float *acc0) {
  float local[LK_YNN_LANES] = {0};
  for (size_t j = 0; j < 4; j++)
    for (size_t i = 0; i < LK_YNN_LANES; i++) {
      size_t index = j * LK_YNN_LANES + i;
      local[i] = ftzf(local[i] + (index < n ? a[index] : 0.0f));
    }
  for (size_t i = 0; i < LK_YNN_LANES; i++) acc0[i] = ftzf(acc0[i] + local[i]);
}

/// Every 16 clock ticks acc0 moves into acc1; every 256, acc1 is added into acc2 with a
/// Kahan correction (a non-finite correction is dropped).
static void ynn_accumulate(size_t clock, float *acc0, float *acc1, float *acc2, float *err) {
  if (clock % 16 != 0) return;
  for (size_t i = 0; i < LK_YNN_LANES; i++) {
    acc1[i] = ftzf(acc1[i] + acc0[i]);
    acc0[i] = 0.0f;
  }
  if (clock % 256 != 0) return;
  for (size_t i = 0; i < LK_YNN_LANES; i++) {
    const float y = ftzf(acc1[i] - err[i]);
    const float t = ftzf(acc2[i] + y);
    const float e = ftzf(ftzf(t - acc2[i]) - y);
    err[i] = __builtin_isfinite(e) ? e : 0.0f;
    acc2[i] = t;
    acc1[i] = 0.0f;
  }
}

float lk_ynn_sum_f32(const float *a, size_t k) {
  float acc0[LK_YNN_LANES] = {0}, acc1[LK_YNN_LANES] = {0}, acc2[LK_YNN_LANES] = {0}, err[LK_YNN_LANES] = {0};
  size_t clock = 0;
  while (k >= 256) {
    for (size_t j = 0; j < 4; j++, a += 64) ynn_block(a, 64, acc0);
    k -= 256;
    clock += 64;
    ynn_accumulate(clock, acc0, acc1, acc2, err);
  }
  while (k >= 64) {
    ynn_block(a, 64, acc0);
    a += 64;
    k -= 64;
    clock += 16;
    ynn_accumulate(clock, acc0, acc1, acc2, err);
  }
  if (k > 0) ynn_block(a, k, acc0);
  ynn_accumulate(0, acc0, acc1, acc2, err);
  // The lanes halved: v[i] + v[i + 8], then + 4, + 2, + 1; the output starts from 0.
  for (size_t width = LK_YNN_LANES / 2; width >= 1; width /= 2)
    for (size_t i = 0; i < width; i++) acc2[i] = ftzf(acc2[i] + acc2[i + width]);
  return ftzf(0.0f + acc2[0]);
}
