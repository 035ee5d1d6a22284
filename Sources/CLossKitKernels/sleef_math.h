// PyTorch's float32 vector functions on this kind of CPU, one value at a time, written
// once: compiled into sleef_scalar.c (the lk_sleef_* functions the traced engine calls)
// and into each ISA's fused kernels (kernels_impl.h), where loops over them vectorise.
//
// torch 2.15's AVX-512 CPU kernels call SLEEF's u10 routines (Sleef_expf16_u10,
// Sleef_logf16_u10, Sleef_log1pf16_u10) for `log_softmax`, `log_sigmoid`, `log1p`,
// `sigmoid` and `softplus` (not for torch.exp/torch.log, which are MKL's). These are
// SLEEF's algorithms (shibatch/sleef, src/libm/sleefsimdsp.c: xexpf, xlogf_u1, xlog1pf,
// as of 3.8, whose log1p of x > 1e38 is log(x)) in their AVX512F form: every `vmla` an
// FMA, `vrint` cvtps2dq (round to nearest even, INT_MIN for NaN), the getexp / getmant /
// fixupimm instructions written out below, the FMA variants of the double-float
// helpers. Checked against the Sleef_*f16_u10avx512f symbols inside libtorch_cpu.so on
// all 2^32 inputs: no difference, NaN payloads included (docs/elementary-functions.md).
//
// SLEEF is distributed under the Boost Software License 1.0: "Permission is hereby
// granted, free of charge, to any person or organization obtaining a copy of the
// software and accompanying documentation covered by this license (the "Software") to
// use, reproduce, display, distribute, execute, and transmit the Software, and to
// prepare derivative works of the Software ...". Copyright Naoki Shibata and
// contributors 2010 - 2024.
#ifndef LK_SLEEF_MATH_H
#define LK_SLEEF_MATH_H
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "float_bits.h"

#pragma clang fp contract(off)

#define LK_SLEEF_INLINE static inline __attribute__((always_inline))

/* cvtps2dq under the default rounding mode: nearest even; NaN and out-of-range values
 * give the "integer indefinite" INT_MIN. */
LK_SLEEF_INLINE int32_t sleef_rint(float x) {
  const float r = __builtin_rintf(x);
  return (r >= -2147483648.0f && r < 2147483648.0f) ? (int32_t)r : INT32_MIN;
}

/* VGETEXPPS: ⌊log2 |x|⌋ as a float (subnormals normalised); NaN quieted, ±inf → +inf,
 * ±0 → −inf. */
LK_SLEEF_INLINE float sleef_getexp(float x) {
  const uint32_t u = bits_f(x), a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return f_bits(u | 0x00400000u);
  if (a == 0x7f800000u) return f_bits(0x7f800000u);
  if (a == 0) return f_bits(0xff800000u);
  const int e = (int)(a >> 23);
  return e == 0 ? (float)((31 - __builtin_clz(a)) - 149) : (float)(e - 127);
}

/* VGETMANTPS, interval [0.75, 1.5), sign control "NaN if negative". */
LK_SLEEF_INLINE float sleef_getmant(float x) {
  const uint32_t u = bits_f(x), a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return f_bits(u | 0x00400000u);
  if (a == 0) return f_bits((u & 0x80000000u) | 0x3f800000u);
  if (u & 0x80000000u) return f_bits(0xffc00000u);
  if (a == 0x7f800000u) return 1.0f;
  const uint32_t m = (a >> 23) == 0 ? (a << (__builtin_clz(a) - 8)) & 0x007fffffu : a & 0x007fffffu;
  return f_bits(m | ((m & 0x00400000u) ? (126u << 23) : (127u << 23)));
}

/* VFIXUPIMMPS with xlogf_u1's table, by the class of `src`: ±0 → −inf, −inf → the
 * default NaN, +inf → +inf, other negatives → src quieted; NaN, 1 and other positives
 * keep `dst`. */
LK_SLEEF_INLINE float sleef_log_fixup(float dst, float src) {
  const uint32_t s = bits_f(src), a = s & 0x7fffffffu;
  if (a > 0x7f800000u) return dst;
  if (a == 0) return f_bits(0xff800000u);
  if (s == 0xff800000u) return f_bits(0xffc00000u);
  if (s == 0x7f800000u) return f_bits(0x7f800000u);
  if (s & 0x80000000u) return f_bits(s | 0x7fc00000u);
  return dst;
}

/* The double-float helpers of src/common/df.h (FMA variants). */
typedef struct { float x, y; } sleef_f2;

LK_SLEEF_INLINE sleef_f2 sleef_dfmul_f(sleef_f2 a, float b) {
  const float s = a.x * b;
  const sleef_f2 r = {s, __builtin_fmaf(a.y, b, __builtin_fmaf(a.x, b, -s))};
  return r;
}
LK_SLEEF_INLINE sleef_f2 sleef_dfdiv(sleef_f2 n, sleef_f2 d) {
  const float t = 1.0f / d.x, s = n.x * t;
  const float u = __builtin_fmaf(t, n.x, -s);
  const float v = __builtin_fmaf(-d.y, t, __builtin_fmaf(-d.x, t, 1.0f));
  const sleef_f2 r = {s, __builtin_fmaf(s, v, __builtin_fmaf(n.y, t, u))};
  return r;
}
LK_SLEEF_INLINE sleef_f2 sleef_dfadd2_ff(float a, float b) {
  const float s = a + b, v = s - a;
  const sleef_f2 r = {s, (a - (s - v)) + (b - v)};
  return r;
}
LK_SLEEF_INLINE sleef_f2 sleef_dfadd_ff(float a, float b) {
  const float s = a + b;
  const sleef_f2 r = {s, (a - s) + b};
  return r;
}
LK_SLEEF_INLINE sleef_f2 sleef_dfadd_f2f2(sleef_f2 a, sleef_f2 b) {
  const float s = a.x + b.x;
  const sleef_f2 r = {s, (((a.x - s) + b.x) + a.y) + b.y};
  return r;
}
LK_SLEEF_INLINE sleef_f2 sleef_dfadd_f2f(sleef_f2 a, float b) {
  const float s = a.x + b;
  const sleef_f2 r = {s, ((a.x - s) + b) + a.y};
  return r;
}

/* 2^q as a float for q in [−127, 128] (q = −127 gives +0, 128 +inf). */
LK_SLEEF_INLINE float sleef_pow2i(int32_t q) { return f_bits(((uint32_t)q + 0x7fu) << 23); }

/* xexpf: q = rint(d/ln 2), s = d − q·ln 2 in two FMAs, a degree-6 polynomial, then
 * d·2^q as two multiplies (vldexp2); 0 below −104, +inf above 100. */
LK_SLEEF_INLINE float lk_sleef_expf_u10_inline(float d) {
  const int32_t q = sleef_rint(d * 1.442695040888963407359924681001892137426645954152985934135449406931f);
  const float qf = (float)q;
  float s = __builtin_fmaf(qf, -0.693145751953125f, d);
  s = __builtin_fmaf(qf, -1.428606765330187045e-06f, s);
  float u = 0.000198527617612853646278381f;
  u = __builtin_fmaf(u, s, 0.00139304355252534151077271f);
  u = __builtin_fmaf(u, s, 0.00833336077630519866943359f);
  u = __builtin_fmaf(u, s, 0.0416664853692054748535156f);
  u = __builtin_fmaf(u, s, 0.166666671633720397949219f);
  u = __builtin_fmaf(u, s, 0.5f);
  u = 1.0f + __builtin_fmaf(s * s, u, s);
  const int32_t h = q >> 1;
  u = (u * sleef_pow2i(h)) * sleef_pow2i((int32_t)((uint32_t)q - (uint32_t)h));
  u = d < -104.0f ? 0.0f : u;
  return 100.0f < d ? f_bits(0x7f800000u) : u;
}

/* The shared tail of xlogf_u1 and xlog1pf: e·ln 2 + 2·atanh-series(x) in double-float. */
LK_SLEEF_INLINE float sleef_log_core(float e, sleef_f2 x) {
  const sleef_f2 c = {0.69314718246459960938f, -1.904654323148236017e-09f};
  sleef_f2 s = sleef_dfmul_f(c, e);
  const float x2 = x.x * x.x;
  float t = 0.3027294874e+0f;
  t = __builtin_fmaf(t, x2, 0.3996108174e+0f);
  t = __builtin_fmaf(t, x2, 0.6666694880e+0f);
  const sleef_f2 twice = {x.x * 2.0f, x.y * 2.0f};
  s = sleef_dfadd_f2f2(s, twice);
  s = sleef_dfadd_f2f(s, (x2 * x.x) * t);
  return s.x + s.y;
}

/* xlogf_u1: d = m·2^e with m in [0.75, 1.5), x = (m − 1)/(m + 1) in double-float. */
LK_SLEEF_INLINE float lk_sleef_logf_u10_inline(float d) {
  float e = sleef_getexp(d * (1.0f / 0.75f));
  e = e == __builtin_inff() ? 128.0f : e;
  const float m = sleef_getmant(d);
  const sleef_f2 x = sleef_dfdiv(sleef_dfadd2_ff(-1.0f, m), sleef_dfadd2_ff(1.0f, m));
  return sleef_log_fixup(sleef_log_core(e, x), d);
}

/* xlog1pf (SLEEF ≥ 3.8): the same series on m = (1 + d)·2^−e − 1 formed with one FMA;
 * log(d) above 1e38 (where 1 + d overflows the scaling), the default NaN below −1,
 * −inf at −1, −0 at −0. */
LK_SLEEF_INLINE float lk_sleef_log1pf_u10_inline(float d) {
  const float dp1 = d + 1.0f;
  float e = sleef_getexp(dp1 * (1.0f / 0.75f));
  e = e == __builtin_inff() ? 128.0f : e;
  const float t = f_bits(0x3f800000u + ((0u - (uint32_t)sleef_rint(e)) << 23));
  const float m = __builtin_fmaf(d, t, t - 1.0f);
  const sleef_f2 mm = {m, 0.0f};
  const sleef_f2 x = sleef_dfdiv(mm, sleef_dfadd_ff(2.0f, m));
  float r = sleef_log_core(e, x);
  if (!(d <= 0x1.2ced32p+126f)) r = lk_sleef_logf_u10_inline(d);  /* also NaN */
  if (-1.0f > d) r = f_bits(0xffffffffu);
  if (d == -1.0f) r = -__builtin_inff();
  if (bits_f(d) == 0x80000000u) r = -0.0f;
  return r;
}

#endif
