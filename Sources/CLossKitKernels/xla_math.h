// XLA's CPU elementary functions, one value at a time, written once: compiled into
// xla_scalar.c (the lk_xla_* functions the traced engine calls) and into each ISA's
// fused kernels (kernels_impl.h), where loops over them vectorise. See xla_scalar.c.
#ifndef LK_XLA_MATH_H
#define LK_XLA_MATH_H
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "float_bits.h"

#pragma clang fp contract(off)

#define LK_XLA_INLINE static inline __attribute__((always_inline))

/* ---------------------------------------------------------------- helpers */

#define F(h) f_bits(h##u)
#define D(h) d_bits(h##ull)

/* subnormal -> signed zero (used both for DAZ on inputs and FTZ on results) */
LK_XLA_INLINE float ftzf(float v) {
  uint32_t u = bits_f(v);
  return ((u & 0x7f800000u) == 0) ? f_bits(u & 0x80000000u) : v;
}
LK_XLA_INLINE double ftzd(double v) {
  uint64_t u = bits_d(v);
  return ((u & 0x7ff0000000000000ull) == 0) ? d_bits(u & 0x8000000000000000ull) : v;
}
#define dazf ftzf
#define dazd ftzd

/* ================================================================ float32 */

/* exp, float32 — XLA's own polynomial (xla/codegen/intrinsic/exp.cc,
 * "exp_f32"; it is Cephes expf / old Eigen pexp with an extra clamp of m).
 *   x  = clamp(x, -87.8, 88.8)                 (NaN passes through)
 *   m  = floor(fma(x, log2(e), 0.5)), clamped to [-127, 127]
 *   r  = fma(-m, 0.693359375, x); r = fma(-m, -2.12194440e-4, r)
 *   p  = Horner in r with FMAs: 1.9875691500e-4, 1.3981999507e-3,
 *        8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 0.5
 *   y  = fma(p, r*r, r) + 1
 *   2^m built as ((int)m + 127) << 23  (m = -127 gives +0.0, so exp -> 0)
 *   result = FTZ(y * 2^m)                       (overflows to +inf)
 *   (FTZ with tininess before rounding, see xla_expf_scale)              */
/* xla_expf_core's y = 1 + r + r²·P(r), r = x − m·ln 2 (two FMAs), P by Horner with FMAs,
 * for a scalar or a clang vector T of float: one expression, written once for the scalar
 * function and the kernels' 16-lane form. */
#define LK_XLA_EXPF_POLYNOMIAL(T, x, m)                                                        \
  ({                                                                                          \
    T r_ = __builtin_elementwise_fma(-(m), (T)F(0x3f318000), (x)); /* 0.693359375 */          \
    r_ = __builtin_elementwise_fma(-(m), (T)F(0xb95e8083), r_);    /* -2.12194440e-4 */       \
    T p_ = __builtin_elementwise_fma(r_, (T)F(0x39506967), (T)F(0x3ab743ce));                 \
    p_ = __builtin_elementwise_fma(p_, r_, (T)F(0x3c088908));                                 \
    p_ = __builtin_elementwise_fma(p_, r_, (T)F(0x3d2aa9c1));                                 \
    p_ = __builtin_elementwise_fma(p_, r_, (T)F(0x3e2aaaaa));                                 \
    p_ = __builtin_elementwise_fma(p_, r_, (T)0.5f);                                          \
    __builtin_elementwise_fma(p_, r_ * r_, r_) + 1.0f;                                        \
  })

LK_XLA_INLINE float xla_expf_core(float x, float *scale) {
  x = (x < F(0xc2af999a)) ? F(0xc2af999a) : x;          /* -87.8 */
  x = (x > F(0x42b1999a)) ? F(0x42b1999a) : x;          /*  88.8 */
  float m = __builtin_floorf(__builtin_fmaf(x, F(0x3fb8aa3b), 0.5f));
  m = (m < -127.0f) ? -127.0f : m;
  m = (m > 127.0f) ? 127.0f : m;
  const float y = LK_XLA_EXPF_POLYNOMIAL(float, x, m);
  /* cvttps2dq(NaN) = INT_MIN, and (INT_MIN + 127) << 23 == 127 << 23, i.e. the
   * same as m = 0; the result is NaN either way. */
  int32_t mi = (m == m) ? (int32_t)m : 0;
  *scale = f_bits((uint32_t)(mi + 127) << 23);
  return y;
}

/* FTZ of y * 2^m.  x86 decides "tiny" on the exact result (before rounding):
 * with 2^m = 2^-126 and 1 - 2^-24 <= y < 1 the product rounds up to FLT_MIN but
 * is still flushed.  y is in [0.7, 1.5] and 2^m >= 2^-126 (or == 0), so the exact
 * product is tiny iff 2^m == 2^-126 and y < 1. */
LK_XLA_INLINE float xla_expf_scale(float y, float s) {
  float r = y * s;
  return (s == F(0x00800000) && y < 1.0f) ? 0.0f : r;
}

LK_XLA_INLINE float xla_expf(float x) {
  float s;
  float y = xla_expf_core(dazf(x), &s);
  return xla_expf_scale(y, s);
}

/* log, float32 — Cephes logf / Eigen plog_float as emitted by XLA
 * (xla/codegen/intrinsic/log.cc).  Special cases are applied by bit masks:
 *   x == 0 (incl. subnormal, DAZ) -> -inf;  x == +inf -> +inf;
 *   x < 0, x == -inf, NaN -> NaN with bits 0xffffffff.                 */
LK_XLA_INLINE float xla_logf_body(float x) {
  /* x: DAZ'd input.  Returns the polynomial result without special cases. */
  float xm = (x > F(0x00800000)) ? x : F(0x00800000);   /* max(x, FLT_MIN); NaN -> FLT_MIN */
  uint32_t b = bits_f(xm);
  float e = (float)((int32_t)(b >> 23) - 127) + 1.0f;
  float mant = f_bits((b & 0x807fffffu) | 0x3f000000u); /* in [0.5, 1) */
  int lt = mant < F(0x3f3504f3);                        /* sqrt(1/2) */
  float tmp = lt ? mant : 0.0f;
  float xr = mant - 1.0f;
  e = e - (lt ? 1.0f : 0.0f);
  xr = xr + tmp;
  float x2 = xr * xr;
  float x3 = x2 * xr;
  float y  = __builtin_fmaf(xr, F(0x3d9021bb), F(0xbdebd1b8));
  float y1 = __builtin_fmaf(xr, F(0xbdfe5d4f), F(0x3e11e9bf));
  float y2 = __builtin_fmaf(xr, F(0x3e4cceac), F(0xbe7ffffc));
  y  = __builtin_fmaf(y,  xr, F(0x3def251a));
  y1 = __builtin_fmaf(y1, xr, F(0xbe2aae50));
  y2 = __builtin_fmaf(y2, xr, F(0x3eaaaaaa));
  y = __builtin_fmaf(y, x3, y1);
  y = __builtin_fmaf(y, x3, y2);
  y = __builtin_fmaf(y, x3, e * F(0xb95e8083));         /* e * -2.12194440e-4 */
  float t = __builtin_fmaf(-0.5f, x2, xr);              /* xr - 0.5*x2 (one rounding) */
  y = t + y;
  y = __builtin_fmaf(e, F(0x3f318000), y);              /* + e * 0.693359375 */
  return y;
}

LK_XLA_INLINE float xla_logf_special(float x, float y) {
  uint32_t invalid = (x > 0.0f) ? 0u : 0xffffffffu;     /* x <= 0 or NaN */
  int is0 = (x == 0.0f), isinf = (x == F(0x7f800000));
  uint32_t r = bits_f(y) | invalid;
  r = isinf ? 0x7f800000u : r;
  r = is0 ? 0xff800000u : r;
  return f_bits(r);
}

LK_XLA_INLINE float xla_logf(float x) {
  x = dazf(x);
  return xla_logf_special(x, xla_logf_body(x));
}

/* log1p, float32 — XLA elemental emitter (EmitLog1p):
 *   |x| <  0.41421357 (0x3ed413cd): x + fma(x^2, -0.5, (x*x^2) * P(x)/Q(x))
 *       with Cephes' log1p rational P (deg 6, leading 4.527e-5) and Q (monic,
 *       deg 6), evaluated by Horner with FMAs starting from x*0 + c.
 *   otherwise: the float32 log above applied to fl(x + 1).             */
LK_XLA_INLINE float xla_log1pf(float xin) {
  float x = dazf(xin);
  float xp1 = x + 1.0f;
  float big = xla_logf_special(xp1, xla_logf_body(xp1));
  float z = x * 0.0f;                                   /* kept by XLA (no fast-math) */
  float q = z + 1.0f;
  q = __builtin_fmaf(q, x, F(0x417101ad));
  q = __builtin_fmaf(q, x, F(0x42a6185b));
  q = __builtin_fmaf(q, x, F(0x435dc32d));
  q = __builtin_fmaf(q, x, F(0x439a8ca3));
  q = __builtin_fmaf(q, x, F(0x43586d8a));
  q = __builtin_fmaf(q, x, F(0x42707982));
  float p = z + F(0x383de04b);                          /* 4.527e-5 */
  p = __builtin_fmaf(p, x, F(0x3eff40c5));
  p = __builtin_fmaf(p, x, F(0x40d284fa));
  p = __builtin_fmaf(p, x, F(0x41ef4b9c));
  p = __builtin_fmaf(p, x, F(0x4273cc76));
  p = __builtin_fmaf(p, x, F(0x426473ad));
  p = __builtin_fmaf(p, x, F(0x41a05101));
  float rat = p / q;
  float x2 = x * x;
  float x3 = x * x2;
  float s = __builtin_fmaf(x2, -0.5f, x3 * rat);
  float small = x + s;
  return (__builtin_fabsf(x) < F(0x3ed413cd)) ? small : big;
}




/* logistic, float32: XLA's LogisticExpander gives 1 / (1 + exp(-x)); the
 * backend fuses exp's final multiply into the +1:  1 / fma(y, 2^m, 1).  */
LK_XLA_INLINE float xla_sigmoidf(float x) {
  float s;
  float y = xla_expf_core(-dazf(x), &s);
  return ftzf(1.0f / __builtin_fmaf(y, s, 1.0f));
}

/* tanh rational (Eigen ptanh_float, as emitted by XLA's EmitTanh), on a
 * DAZ'd argument already known to be finite or NaN. */
LK_XLA_INLINE float xla_tanhf_poly(float x) {
  float xc = (x < F(0xc0fff644)) ? F(0xc0fff644) : x;   /* clamp to +-7.99881172 */
  xc = (xc > F(0x40fff644)) ? F(0x40fff644) : xc;
  float x2 = xc * xc;
  float p = __builtin_fmaf(x2, F(0xa59f25c0), F(0x2a61337e));
  p = __builtin_fmaf(x2, p, F(0xaebd37ff));
  p = __builtin_fmaf(x2, p, F(0x335c0041));
  p = __builtin_fmaf(x2, p, F(0x3779434a));
  p = __builtin_fmaf(x2, p, F(0x3a270ded));
  p = __builtin_fmaf(x2, p, F(0x3ba059dc));
  p = xc * p;
  float q = __builtin_fmaf(x2, F(0x35a0d3d8), F(0x38f895d6));
  q = __builtin_fmaf(x2, q, F(0x3b14aa05));
  q = __builtin_fmaf(x2, q, F(0x3ba059dd));
  return p / q;
}

/* tanh, float32:  |x| < 4e-4 -> x (raw input);  |x| >= 20 -> copysign(1, x);
 * else the rational above. */
LK_XLA_INLINE float xla_tanhf(float xin) {
  float x = dazf(xin);
  float ax = __builtin_fabsf(x);
  float r = xla_tanhf_poly(x);
  r = (ax < 4.0e-4f) ? xin : r;
  r = (ax >= 20.0f) ? __builtin_copysignf(1.0f, x) : r;
  return r;
}

/* expm1, float32 — XLA elemental emitter (EmitExpm1):
 *   E = exp(x) (as above);  h = x * 0.5
 *   |x| > 0.5 : E - 1
 *   else      : tanh(h) * (E + 1)     (tanh with the |h| < 4e-4 -> h rule)
 *   h == 0    : x (raw input) */
LK_XLA_INLINE float xla_expm1f(float xin) {
  float x = dazf(xin);
  float s;
  float y = xla_expf_core(x, &s);
  float E = xla_expf_scale(y, s);
  float em1 = E - 1.0f;
  /* FTZ of x*0.5 with tininess before rounding: flushed iff |x| < 2^-125
   * (x = 2^-125 - ulp gives exactly FLT_MIN after rounding but is flushed). */
  float h = (__builtin_fabsf(x) < F(0x01000000)) ? __builtin_copysignf(0.0f, x) : x * 0.5f;
  float ah = __builtin_fabsf(h);
  float t = xla_tanhf_poly(h);
  t = (ah < 4.0e-4f) ? h : t;
  t = (ah >= 20.0f) ? __builtin_copysignf(1.0f, h) : t;
  float v = t * (E + 1.0f);
  float r = (__builtin_fabsf(x) > 0.5f) ? em1 : v;
  return (h == 0.0f) ? xin : r;
}

/* ================================================================ float64 */

/* exp, float64 — XLA's own (xla/codegen/intrinsic/exp.cc, Cephes exp /
 * Eigen pexp_double with pldexp_fast):
 *   xc = min/max(x, [-708.3964185322641, 709.782712893384])  (NaN propagates)
 *   n  = floor(fma(xc, log2(e), 0.5))
 *   g  = fma(-n, 0.693145751953125, xc); g = fma(-n, 1.42860682030941723e-6, g)
 *   g2 = g*g
 *   P  = fma(fma(g2, 1.26177193074810590878e-4, 3.02994407707441961300e-2), g2, 1) * g
 *   Q  = fma(fma(fma(g2, 3.00198505138664455042e-6, 2.52448340349684104192e-3),
 *            g2, 2.27265548208155028766e-1), g2, 2)
 *   e  = fma(P / (Q - P), 2, 1)
 *   b  = (int)n >> 2;  s1 = 2^b;  s2 = 2^(n - 3b)
 *   result = FTZ(((e*s1)*s1)*s1 * s2);  x < lo -> 0;  x > hi -> +inf     */
LK_XLA_INLINE double xla_exp_core(double x, double *s1_out, double *s2_out) {
  double xc = (x > D(0x40862e42fefa39ef)) ? D(0x40862e42fefa39ef) : x;  /* llvm.minimum */
  xc = (xc < D(0xc086232bdd7abcd2)) ? D(0xc086232bdd7abcd2) : xc;     /* llvm.maximum */
  double n = __builtin_floor(__builtin_fma(xc, D(0x3ff71547652b82fe), 0.5));
  double g = __builtin_fma(-n, D(0x3fe62e4000000000), xc);
  g = __builtin_fma(-n, D(0x3eb7f7d1cf79abca), g);
  double g2 = g * g;
  double p = __builtin_fma(g2, D(0x3f2089cdd5e44be8), D(0x3f9f06d10cca2c7e));
  p = __builtin_fma(p, g2, 1.0);
  double pg = p * g;
  double q = __builtin_fma(g2, D(0x3ec92eb6bc365fa0), D(0x3f64ae39b508b6c0));
  q = __builtin_fma(q, g2, D(0x3fcd17099887e074));
  q = __builtin_fma(q, g2, 2.0);
  double e = __builtin_fma(pg / (q - pg), 2.0, 1.0);
  int32_t ni = (n == n) ? (int32_t)n : 0;               /* NaN: result is NaN anyway */
  ni = ni < -2099 ? -2099 : (ni > 2099 ? 2099 : ni);
  int64_t b = (int64_t)(ni >> 2);
  double s1 = d_bits(((uint64_t)b << 52) + 0x3ff0000000000000ull);
  double s2 = d_bits(((uint64_t)((int64_t)ni - 3 * b) << 52) + 0x3ff0000000000000ull);
  *s1_out = s1;
  *s2_out = s2;
  return ((e * s1) * s1) * s1;
}

LK_XLA_INLINE double xla_exp(double xin) {
  double x = dazd(xin);
  double s1, s2;
  double t = xla_exp_core(x, &s1, &s2);
  double r = ftzd(t * s2);
  r = (x < D(0xc086232bdd7abcd2)) ? 0.0 : r;
  r = (x > D(0x40862e42fefa39ef)) ? D(0x7ff0000000000000) : r;
  return r;
}

/* log, float64: XLA emits a call to the libm symbol `log`, which XLA's JIT
 * resolves to the address of `log` as linked into jaxlib — and jaxlib links the
 * OLD versioned symbol log@GLIBC_2.2.5, i.e. glibc's SVID-compat wrapper
 * __log_compat:  if (x <= 0) return x == 0 ? -HUGE_VAL : NAN;  else __ieee754_log(x).
 * Under DAZ the wrapper's comparisons see a subnormal as 0, so
 *   x == +-0 or +-subnormal -> -inf,   x < 0 (incl. -inf) -> +qNaN 0x7ff8000000000000,
 *   NaN -> NaN (glibc quiets and keeps the payload), otherwise glibc log(x)
 * (the same core as the default log@@GLIBC_2.29, which we call here). */
LK_XLA_INLINE double xla_log_libm(double x) {   /* x already DAZ'd */
  double r = log(x);
  r = (x < 0.0) ? d_bits(0x7ff8000000000000ull) : r;
  r = (x == 0.0) ? d_bits(0xfff0000000000000ull) : r;
  return r;
}
LK_XLA_INLINE double xla_log(double x) { return xla_log_libm(dazd(x)); }

/* log1p, float64 — same structure as float32, Cephes log1p coefficients in
 * double; |x| >= 0.41421356237309503 -> libm log(fl(x + 1)). */
LK_XLA_INLINE double xla_log1p(double xin) {
  double x = dazd(xin);
  double big = xla_log_libm(x + 1.0);   /* x+1 is never subnormal */
  double z = x * 0.0;
  double q = z + 1.0;
  q = __builtin_fma(q, x, D(0x402e20359e903e37));
  q = __builtin_fma(q, x, D(0x4054c30b52213498));
  q = __builtin_fma(q, x, D(0x406bb86590fcfb56));
  q = __builtin_fma(q, x, D(0x407351945dc908a5));
  q = __builtin_fma(q, x, D(0x406b0db13e48e066));
  q = __builtin_fma(q, x, D(0x404e0f304466448e));
  double p = z + D(0x3f07bc0962b395ca);
  p = __builtin_fma(p, x, D(0x3fdfe818a0fe1a83));
  p = __builtin_fma(p, x, D(0x401a509f46f4fa53));
  p = __builtin_fma(p, x, D(0x403de9738b8cb9c9));
  p = __builtin_fma(p, x, D(0x404e798eb86c3351));
  p = __builtin_fma(p, x, D(0x404c8e7597479a10));
  p = __builtin_fma(p, x, D(0x40340a202d99830a));
  double rat = p / q;
  double x2 = x * x;
  double x3 = x * x2;
  double small = x + __builtin_fma(x2, -0.5, x3 * rat);
  return (__builtin_fabs(x) < D(0x3fda827999fcef32)) ? small : big;
}

/* logistic, float64: 1 / fma(((e*s1)*s1)*s1, s2, 1) computed on -x, with
 * x > 708.396... -> 1 and x < -709.78... -> 0. */
LK_XLA_INLINE double xla_sigmoid(double xin) {
  double x = dazd(xin);
  double s1, s2;
  double t = xla_exp_core(-x, &s1, &s2);
  double r = ftzd(1.0 / __builtin_fma(t, s2, 1.0));
  r = (x > D(0x4086232bdd7abcd2)) ? 1.0 : r;
  r = (x < D(0xc0862e42fefa39ef)) ? 0.0 : r;
  return r;
}

/* tanh rational, float64 (XLA EmitTanh for f64): clamp to +-17.714196154005176,
 * odd numerator of degree 19 / even denominator of degree 18, Horner in x^2
 * with FMAs; no small-|x| shortcut. */
LK_XLA_INLINE double xla_tanh_poly(double x) {
  double xc = (x < D(0xc031b6d58f246197)) ? D(0xc031b6d58f246197) : x;
  xc = (xc > D(0x4031b6d58f246197)) ? D(0x4031b6d58f246197) : xc;
  double x2 = xc * xc;
  double p = __builtin_fma(x2, D(0x3b3f9f82e5d782df), D(0x3c2c3c836c04b4c8));
  p = __builtin_fma(x2, p, D(0x3cec3379f905e662));
  p = __builtin_fma(x2, p, D(0x3d929aff6c8edd96));
  p = __builtin_fma(x2, p, D(0x3e2525a389dce7c2));
  p = __builtin_fma(x2, p, D(0x3ea708819be51cd9));
  p = __builtin_fma(x2, p, D(0x3f18996f4026a7fa));
  p = __builtin_fma(x2, p, D(0x3f787f80b957ed00));
  p = __builtin_fma(x2, p, D(0x3fc36fba9b450e5a));
  p = __builtin_fma(x2, p, 1.0);
  p = xc * p;
  double q = __builtin_fma(x2, D(0x3bbe8630cf903250), D(0x3c90aabca9a5fea0));
  q = __builtin_fma(x2, q, D(0x3d4232981aa2bba8));
  q = __builtin_fma(x2, q, D(0x3ddee2f015ea8065));
  q = __builtin_fma(x2, q, D(0x3e681f1947c52304));
  q = __builtin_fma(x2, q, D(0x3ee26c82ab46d140));
  q = __builtin_fma(x2, q, D(0x3f4b2e7c4d488c04));
  q = __builtin_fma(x2, q, D(0x3fa1998830265b50));
  q = __builtin_fma(x2, q, D(0x3fdf0d32a2f7dc79));
  q = __builtin_fma(x2, q, 1.0);
  return p / q;
}

LK_XLA_INLINE double xla_tanh(double xin) {
  double x = dazd(xin);
  double r = xla_tanh_poly(x);
  return (__builtin_fabs(x) >= 20.0) ? __builtin_copysign(1.0, x) : r;
}

/* expm1, float64: as float32 but with the float64 exp and tanh. */
LK_XLA_INLINE double xla_expm1(double xin) {
  double x = dazd(xin);
  double s1, s2;
  double t0 = xla_exp_core(x, &s1, &s2);
  double E = ftzd(t0 * s2);
  E = (x < D(0xc086232bdd7abcd2)) ? 0.0 : E;
  E = (x > D(0x40862e42fefa39ef)) ? D(0x7ff0000000000000) : E;
  double em1 = E - 1.0;
  double h = (__builtin_fabs(x) < D(0x0020000000000000)) ? __builtin_copysign(0.0, x) : x * 0.5;  /* |x| < 2^-1021 */
  double t = xla_tanh_poly(h);
  t = (__builtin_fabs(h) >= 20.0) ? __builtin_copysign(1.0, h) : t;
  double v = t * (E + 1.0);
  double r = (__builtin_fabs(x) > 0.5) ? em1 : v;
  return (h == 0.0) ? xin : r;
}

/* ====================================== float32 odd-width fallback (glibc) */

#endif
