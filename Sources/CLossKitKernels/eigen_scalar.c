// One lane of Eigen's packet math, as TensorFlow 2.21's AVX (no FMA) build computes it.
// Every `a * b + c` below is rounded twice, as Eigen's pmadd is without FMA, so the
// compiler must not contract them.
#pragma clang fp contract(off)

#include "CLossKitKernels.h"
#include "float_bits.h"

#include <float.h>
#include <math.h>
#include <string.h>

// pfrexp_generic: mantissa in [0.5, 1) and exponent, denormals normalised first; zero,
// infinity and NaN come back unchanged with exponent 0.
static inline float frexp_eigen_f(float a, float *exponent) {
  int is_denormal = fabsf(a) < FLT_MIN;
  float normalized = is_denormal ? a * 16777216.0f : a;
  float offset = is_denormal ? -126.0f - 24.0f : -126.0f;
  float biased = (float)(int32_t)(bits_f(fabsf(normalized)) >> 23);
  int zero_or_not_finite = (a == 0.0f) || (biased == 255.0f);
  float m = f_bits((bits_f(normalized) & ~0x7f800000u) | bits_f(0.5f));
  *exponent = zero_or_not_finite ? 0.0f : biased + offset;
  return zero_or_not_finite ? a : m;
}

static inline double frexp_eigen_d(double a, double *exponent) {
  int is_denormal = fabs(a) < DBL_MIN;
  double normalized = is_denormal ? a * 9007199254740992.0 : a;  // 2^53
  double offset = is_denormal ? -1022.0 - 53.0 : -1022.0;
  double biased = (double)(int64_t)(bits_d(fabs(normalized)) >> 52);
  int zero_or_not_finite = (a == 0.0) || (biased == 2047.0);
  double m = d_bits((bits_d(normalized) & ~0x7ff0000000000000ull) | bits_d(0.5));
  *exponent = zero_or_not_finite ? 0.0 : biased + offset;
  return zero_or_not_finite ? a : m;
}

// pldexp_generic: a * 2^e in four exact steps (e clamped to ±278 / ±2099).
static inline float ldexp_eigen_f(float a, float exponent) {
  float clamped = exponent < -278.0f ? -278.0f : (exponent > 278.0f ? 278.0f : exponent);
  int32_t e = (int32_t)clamped;
  int32_t b = e >> 2;
  float c = f_bits((uint32_t)(b + 127) << 23);
  float out = ((a * c) * c) * c;
  c = f_bits((uint32_t)(e - 3 * b + 127) << 23);
  return out * c;
}

static inline double ldexp_eigen_d(double a, double exponent) {
  double clamped = exponent < -2099.0 ? -2099.0 : (exponent > 2099.0 ? 2099.0 : exponent);
  int64_t e = (int64_t)clamped;
  int64_t b = e >> 2;
  double c = d_bits((uint64_t)(b + 1023) << 52);
  double out = ((a * c) * c) * c;
  c = d_bits((uint64_t)(e - 3 * b + 1023) << 52);
  return out * c;
}

// Eigen's pmin(a, b) / pmax(a, b) on AVX: _mm256_min_ps(b, a), which returns a when
// either is NaN.
static inline float pmin_f(float a, float b) { return b < a ? b : a; }
static inline float pmax_f(float a, float b) { return b > a ? b : a; }
static inline double pmin_d(double a, double b) { return b < a ? b : a; }
static inline double pmax_d(double a, double b) { return b > a ? b : a; }

float lk_eigen_logf(float x0) {
  float e;
  float x = frexp_eigen_f(x0, &e);
  int below = x < 0.707106781186547524f;
  float tmp = below ? x : 0.0f;
  x = x - 1.0f;
  e = e - (below ? 1.0f : 0.0f);
  x = x + tmp;
  // r(x) = x·p(x)/q(x) approximates log(1 + x) on [sqrt(0.5) − 1, sqrt(2) − 1].
  float p = 0.18256296349849254f * x + 1.0000000190281063f;
  p = p * x + 1.0000000190281136f;
  p = x * p;
  float q = 0.049616247954120038f * x + 0.59923249590823520f;
  q = q * x + 1.4999999999999927f;
  q = q * x + 1.0f;
  x = p / q;
  x = e * 0.693147182f + x;
  if (x0 == 0.0f) return -INFINITY;
  if (!(x0 >= 0.0f)) return f_bits(0xffffffffu);  // por with an all-ones mask: NaN
  return x0 == INFINITY ? INFINITY : x;
}

float lk_eigen_expf(float x0) {
  float x = pmin_f(x0, 88.723f);
  float m = floorf(x * 1.44269504088896341f + 0.5f);
  float r = m * -0.693359375f + x;
  r = m * 2.12194440e-4f + r;
  float r2 = r * r;
  float p_even = r2 * 1.37449637986719608306884765625e-3f + 4.166965186595916748046875e-2f;
  float p_odd = r2 * 8.36894474923610687255859375e-3f + 0.16666518151760101318359375f;
  p_even = r2 * p_even + 0.49999988079071044921875f;
  float p_low = r + 1.0f;
  float y = r * p_odd + p_even;
  y = r2 * y + p_low;
  if (fabsf(x) > 87.0f && x0 < -104.0f) return 0.0f;
  return pmax_f(ldexp_eigen_f(y, m), x0);
}

float lk_eigen_log1pf(float x) {
  float xp1 = x + 1.0f;
  float log1 = lk_eigen_logf(xp1);
  if (xp1 == 1.0f || xp1 == log1) return x;
  return x * (log1 / (xp1 - 1.0f));
}

float lk_eigen_logisticf(float x0) {
  int zero = x0 < -104.0f;
  float x = pmin_f(x0, 16.6355324f);
  x = x * 0.5f;
  float m = floorf(x * 1.44269504088896341f + 0.5f);
  float r = m * -0.693359375f + x;
  r = m * 2.12194440e-4f + r;
  float r2 = r * r;
  float p_even = r2 * 4.1898667812347412109375e-2f + 0.49999141693115234375f;
  float p_odd = r2 * 8.33471305668354034423828125e-3f + 0.16666877269744873046875f;
  float p_low = r + 1.0f;
  float p = r * p_odd + p_even;
  p = r2 * p + p_low;
  // pldexp_fast: the biased exponent clamped to [0, 255].
  float biased = m + 127.0f;
  biased = biased < 0.0f ? 0.0f : (biased > 255.0f ? 255.0f : biased);
  float e = p * f_bits((uint32_t)(int32_t)biased << 23);
  e = e * e;
  return zero ? 0.0f : e / (1.0f + e);
}

double lk_eigen_log(double x0) {
  double e;
  double x = frexp_eigen_d(x0, &e);
  int below = x < 0.70710678118654752440E0;
  double tmp = below ? x : 0.0;
  x = x - 1.0;
  e = e - (below ? 1.0 : 0.0);
  x = x + tmp;
  double x2 = x * x;
  double x3 = x2 * x;
  double y = 1.01875663804580931796E-4 * x + 4.97494994976747001425E-1;
  double y1 = 1.44989225341610930846E1 * x + 1.79368678507819816313E1;
  y = y * x + 4.70579119878881725854E0;
  y1 = y1 * x + 7.70838733755885391666E0;
  double y_ = y * x3 + y1;
  y = 1.0 * x + 1.12873587189167450590E1;
  y1 = 8.29875266912776603211E1 * x + 7.11544750618563894466E1;
  y = y * x + 4.52279145837532221105E1;
  y1 = y1 * x + 2.31251620126765340583E1;
  y = y * x3 + y1;
  y_ = y_ * x3;
  y = y_ / y;
  y = -0.5 * x2 + y;
  x = x + y;
  x = e * 0.69314718055994530942 + x;
  if (x0 == 0.0) return -INFINITY;
  if (!(x0 >= 0.0)) return d_bits(0xffffffffffffffffull);
  return x0 == INFINITY ? INFINITY : x;
}

double lk_eigen_exp(double x0) {
  double x = pmin_d(x0, 709.784);
  double fx = floor(1.4426950408889634073599 * x + 0.5);
  double tmp = fx * 0.693145751953125;
  double z = fx * 1.42860682030941723212e-6;
  x = x - tmp;
  x = x - z;
  double x2 = x * x;
  double px = 1.26177193074810590878e-4;
  px = px * x2 + 3.02994407707441961300e-2;
  px = px * x2 + 9.99999999999999999910e-1;
  px = px * x;
  double qx = 3.00198505138664455042e-6;
  qx = qx * x2 + 2.52448340349684104192e-3;
  qx = qx * x2 + 2.27265548208155028766e-1;
  qx = qx * x2 + 2.00000000000000000009e0;
  x = px / (qx - px);
  x = 2.0 * x + 1.0;
  if (fabs(x0) > 708.0 && x0 < -745.519) return 0.0;
  return pmax_d(ldexp_eigen_d(x, fx), x0);
}

double lk_eigen_log1p(double x) {
  double xp1 = x + 1.0;
  double log1 = lk_eigen_log(xp1);
  if (xp1 == 1.0 || xp1 == log1) return x;
  return x * (log1 / (xp1 - 1.0));
}

// The scalar path of TensorFlow's executor: Eigen's scalar functors call the C library
// (and, for the logistic function, e / (1 + e) with e = exp(min(x, 16.6355324))).
static inline float scalar_f32(int op, float x) {
  switch (op) {
  case 0: return logf(x);
  case 1: return expf(x);
  case 2: return log1pf(x);
  default: {
    float e = expf(x < 16.6355324f ? x : 16.6355324f);
    return e / (1.0f + e);
  }
  }
}

static inline float packet_f32(int op, float x) {
  switch (op) {
  case 0: return lk_eigen_logf(x);
  case 1: return lk_eigen_expf(x);
  case 2: return lk_eigen_log1pf(x);
  default: return lk_eigen_logisticf(x);
  }
}

void lk_eigen_unary_f32(int op, const float *x, float *y, size_t n, size_t packet) {
  size_t vectorized = packet ? n - n % packet : 0;
  for (size_t i = 0; i < vectorized; i++) y[i] = packet_f32(op, x[i]);
  for (size_t i = vectorized; i < n; i++) y[i] = scalar_f32(op, x[i]);
}

void lk_eigen_unary_f64(int op, const double *x, double *y, size_t n, size_t packet) {
  size_t vectorized = packet ? n - n % packet : 0;
  for (size_t i = 0; i < n; i++) {
    int vec = i < vectorized;
    switch (op) {
    case 0: y[i] = vec ? lk_eigen_log(x[i]) : log(x[i]); break;
    case 1: y[i] = vec ? lk_eigen_exp(x[i]) : exp(x[i]); break;
    case 2: y[i] = vec ? lk_eigen_log1p(x[i]) : log1p(x[i]); break;
    default: {
      // Eigen's generic logistic for double: e / (1 + e) with the packet exp, inf -> 1.
      double e = vec ? lk_eigen_exp(x[i]) : exp(x[i]);
      y[i] = isinf(e) ? 1.0 : e / (1.0 + e);
    }
    }
  }
}

// Eigen's preciprocal for float packets (EIGEN_FAST_MATH): the CPU's approximate
// reciprocal (`rcpps`, whose table differs between vendors) refined by one
// Newton-Raphson step without FMA: x1 = x0·(1 − a·x0) + x0. TensorFlow's Reciprocal
// op — and so the gradients of log and log1p — uses it on the packet path.
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
static inline float approximate_reciprocal(float a) { return _mm_cvtss_f32(_mm_rcp_ss(_mm_set_ss(a))); }
#else
static inline float approximate_reciprocal(float a) { return 1.0f / a; }
#endif

float lk_eigen_reciprocalf(float a) {
  float x = approximate_reciprocal(a);
  float tmp = 1.0f - a * x;
  return tmp == tmp ? x * tmp + x : x;
}

void lk_eigen_reciprocal_f32(const float *x, float *y, size_t n, size_t packet) {
  size_t vectorized = packet ? n - n % packet : 0;
  for (size_t i = 0; i < vectorized; i++) y[i] = lk_eigen_reciprocalf(x[i]);
  for (size_t i = vectorized; i < n; i++) y[i] = 1.0f / x[i];
}

void lk_tf_sigmoid_grad_f32(const float *y, const float *g, float *out, size_t n, size_t packet) {
  size_t vectorized = packet ? n - n % packet : 0;
  for (size_t i = 0; i < vectorized; i++) out[i] = g[i] * (y[i] * (1.0f - y[i]));
  for (size_t i = vectorized; i < n; i++) out[i] = (g[i] * y[i]) * (1.0f - y[i]);
}

void lk_tf_sigmoid_grad_f64(const double *y, const double *g, double *out, size_t n, size_t packet) {
  size_t vectorized = packet ? n - n % packet : 0;
  for (size_t i = 0; i < vectorized; i++) out[i] = g[i] * (y[i] * (1.0 - y[i]));
  for (size_t i = vectorized; i < n; i++) out[i] = (g[i] * y[i]) * (1.0 - y[i]);
}
