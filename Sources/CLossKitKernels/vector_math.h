// Eigen's float packet math on clang vectors of LK_WIDTH lanes, lane for lane the same
// operations as eigen_scalar.c (so results are bit-identical whatever the width).
// Included by each ISA's translation unit with LK_WIDTH and a target attribute set.
#pragma clang fp contract(off)
// The wide vectors below only ever pass between always-inline static functions, never
// across an ABI boundary.
#pragma clang diagnostic ignored "-Wpsabi"

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

typedef float vf __attribute__((ext_vector_type(LK_WIDTH)));
typedef int32_t vi __attribute__((ext_vector_type(LK_WIDTH)));
typedef uint32_t vu __attribute__((ext_vector_type(LK_WIDTH)));

#define LK_STATIC static inline __attribute__((always_inline))

LK_STATIC vf vsplat(float x) { return (vf)x; }
LK_STATIC vi vbits(vf x) { return (vi)x; }
LK_STATIC vf vfrombits(vi x) { return (vf)x; }
/// mask ? a : b, lane by lane (mask lanes are all ones or zero).
LK_STATIC vf vselect(vi mask, vf a, vf b) { return vfrombits((vbits(a) & mask) | (vbits(b) & ~mask)); }
LK_STATIC vf vabs(vf x) { return vfrombits(vbits(x) & 0x7fffffff); }
/// Eigen's pmin(a, b) = min_ps(b, a): `a` when either is NaN.
LK_STATIC vf vpmin(vf a, vf b) { return vselect(b < a, b, a); }
LK_STATIC vf vpmax(vf a, vf b) { return vselect(b > a, b, a); }

LK_STATIC vf v_frexp(vf a, vf *exponent) {
  vi is_denormal = vabs(a) < vsplat(1.17549435e-38f);
  vf normalized = vselect(is_denormal, a * 16777216.0f, a);
  vf offset = vselect(is_denormal, vsplat(-126.0f - 24.0f), vsplat(-126.0f));
  vf biased = __builtin_convertvector((vi)((vu)vbits(vabs(normalized)) >> 23), vf);
  vi zero_or_not_finite = (a == 0.0f) | (biased == 255.0f);
  vf m = vfrombits((vbits(normalized) & (vi)0x807fffff) | vbits(vsplat(0.5f)));
  *exponent = vselect(zero_or_not_finite, vsplat(0.0f), biased + offset);
  return vselect(zero_or_not_finite, a, m);
}

LK_STATIC vf v_ldexp(vf a, vf exponent) {
  vf clamped = vpmin(vpmax(exponent, vsplat(-278.0f)), vsplat(278.0f));
  vi e = __builtin_convertvector(clamped, vi);
  vi b = e >> 2;
  vf c = vfrombits((b + 127) << 23);
  vf out = ((a * c) * c) * c;
  c = vfrombits((e - 3 * b + 127) << 23);
  return out * c;
}

// pexp_float's and plog_float's polynomial cores, written once for the one-register
// (vf) and wide (vw) forms below: the same operations, lane for lane.

/// a·b + c where the product a·b is exact, so one rounding whether or not it is fused:
/// an FMA where the variant has one (one instruction instead of two).
#if defined(LK_HAS_FMA)
#define LK_EXACT_PRODUCT_PLUS(T, a, b, c) __builtin_elementwise_fma((a), (T)(b), (c))
#else
#define LK_EXACT_PRODUCT_PLUS(T, a, b, c) ((a) * (b) + (c))
#endif

/// m = ⌊x·log2(e) + ½⌋ and y ≈ exp(x − m·ln 2), declared as `T m, y`. m·0.693359375 is
/// exact (m is an integer of at most 8 bits, 0.693359375 = 355/512 has 9).
#define LK_PEXP_CORE(T, x, m, y)                                                            \
  T m = __builtin_elementwise_floor((x) * 1.44269504088896341f + 0.5f);                   \
  T y;                                                                                      \
  {                                                                                         \
    T r_ = LK_EXACT_PRODUCT_PLUS(T, m, -0.693359375f, (x));                                 \
    r_ = m * 2.12194440e-4f + r_;                                                           \
    T r2_ = r_ * r_;                                                                        \
    T even_ = r2_ * 1.37449637986719608306884765625e-3f + 4.166965186595916748046875e-2f; \
    T odd_ = r2_ * 8.36894474923610687255859375e-3f + 0.16666518151760101318359375f;      \
    even_ = r2_ * even_ + 0.49999988079071044921875f;                                       \
    T low_ = r_ + 1.0f;                                                                     \
    y = r_ * odd_ + even_;                                                                  \
    y = r2_ * y + low_;                                                                     \
  }

/// The rational approximation of log(1 + x) on the reduced mantissa x, in place.
#define LK_PLOG_RATIONAL(T, x)                                  \
  {                                                             \
    T p_ = (x) * 0.18256296349849254f + 1.0000000190281063f;    \
    p_ = p_ * (x) + 1.0000000190281136f;                        \
    p_ = (x) * p_;                                              \
    T q_ = (x) * 0.049616247954120038f + 0.59923249590823520f;  \
    q_ = q_ * (x) + 1.4999999999999927f;                        \
    q_ = q_ * (x) + 1.0f;                                       \
    x = p_ / q_;                                                \
  }

/// plog_float.
LK_STATIC vf v_log(vf x0) {
  vf e;
  vf x = v_frexp(x0, &e);
  vi below = x < 0.707106781186547524f;
  vf tmp = vselect(below, x, vsplat(0.0f));
  x = x - 1.0f;
  e = e - vselect(below, vsplat(1.0f), vsplat(0.0f));
  x = x + tmp;
  LK_PLOG_RATIONAL(vf, x)
  x = e * 0.693147182f + x;
  vi invalid = ~(x0 >= 0.0f);
  vf r = vselect(x0 == __builtin_inff(), vsplat(__builtin_inff()), x);
  r = vfrombits(vbits(r) | invalid);
  return vselect(x0 == 0.0f, vsplat(-__builtin_inff()), r);
}

/// pexp_float.
LK_STATIC vf v_exp(vf x0) {
  vf x = vpmin(x0, vsplat(88.723f));
  LK_PEXP_CORE(vf, x, m, y)
  // Eigen takes the fast ldexp (one multiply by 2^m) when no lane has |x| > 87; both
  // are exact there, so the choice only saves time.
  if (!__builtin_reduce_or(vabs(x) > 87.0f)) {
    vi biased = __builtin_convertvector(vpmin(vpmax(m + 127.0f, vsplat(0.0f)), vsplat(255.0f)), vi);
    return vpmax(y * vfrombits(biased << 23), x0);
  }
  vf result = vpmax(v_ldexp(y, m), x0);
  return vselect(x0 < -104.0f, vsplat(0.0f), result);
}

/// generic_log1p.
LK_STATIC vf v_log1p(vf x) {
  vf xp1 = x + 1.0f;
  vf log1 = v_log(xp1);
  vi keep = (xp1 == 1.0f) | (xp1 == log1);
  return vselect(keep, x, x * (log1 / (xp1 - 1.0f)));
}

// MARK: - The same functions where the input's range is known, on wide vectors

// LK_WIDE lanes (four AVX-512 registers, four AVX2 ones): the kernels run these on whole
// blocks so that four independent dependency chains interleave in the instruction
// stream, which a single vector's long chain (two divisions deep in log1p) does not.
#if defined(LK_AVX512)
#define LK_WIDE 64
#else
#define LK_WIDE 32
#endif
typedef float vw __attribute__((ext_vector_type(LK_WIDE)));
typedef int32_t vwi __attribute__((ext_vector_type(LK_WIDE)));

LK_STATIC vw wload(const float *p) { vw v; memcpy(&v, p, sizeof v); return v; }
LK_STATIC vw wselect(vwi mask, vw a, vw b) { return (vw)(((vwi)a & mask) | ((vwi)b & ~mask)); }
LK_STATIC vw wabs(vw x) { return (vw)((vwi)x & 0x7fffffff); }

/// y·2^m for float vectors y and integral m (of type T, IT its int32 vector) whose 2^m is
/// a normal float: the product, correctly rounded, in one vscalefps per 16 lanes on
/// AVX-512; otherwise a multiply by 2^m built from its exponent bits.
#if defined(LK_AVX512)
#define LK_TIMES_POW2(T, IT, y, m)                                      \
  ({                                                                    \
    T y_ = (y), m_ = (m), out_;                                         \
    for (size_t k_ = 0; k_ < sizeof(T) / sizeof(__m512); k_++) {        \
      __m512 yk_, mk_;                                                  \
      memcpy(&yk_, (const char *)&y_ + k_ * sizeof yk_, sizeof yk_);    \
      memcpy(&mk_, (const char *)&m_ + k_ * sizeof mk_, sizeof mk_);    \
      yk_ = _mm512_scalef_ps(yk_, mk_);                                 \
      memcpy((char *)&out_ + k_ * sizeof yk_, &yk_, sizeof yk_);        \
    }                                                                   \
    out_;                                                               \
  })
#else
#define LK_TIMES_POW2(T, IT, y, m) ((y) * (T)((__builtin_convertvector((m), IT) + 127) << 23))
#endif

/// `v_exp(x)` for lanes with −87 ≤ x ≤ 0 (no NaN): pexp_float's fast branch without the
/// clamps that cannot bind there (x ≤ 0 < 88.723, 2^m normal for m in [−126, 0], and
/// y·2^m > 0 ≥ x), so the same bits in fewer operations. The caller checks the range.
LK_STATIC vf v_exp_nonpositive(vf x) {
  LK_PEXP_CORE(vf, x, m, y)
  return LK_TIMES_POW2(vf, vi, y, m);
}

/// `v_exp_nonpositive` on LK_WIDE lanes.
LK_STATIC vw w_exp_nonpositive(vw x) {
  LK_PEXP_CORE(vw, x, m, y)
  return LK_TIMES_POW2(vw, vwi, y, m);
}

/// `v_log1p(e)` for lanes with 0 ≤ e ≤ 1 (no NaN): 1 + e is in [1, 2], where frexp's
/// mantissa is (1 + e)/2 with exponent 1 (at 2, frexp's 0.5·2² reaches the same x and
/// e below), and none of plog's special cases (≤ 0, ∞) or log1p's `xp1 == log(xp1)`
/// can occur. Otherwise the same operations as `v_log1p`, so the same bits.
///
/// Shorter still, with exact rewrites: below √½, plog's (mantissa − 1) + mantissa is
/// 2·mantissa − 1 = xp1 − 1 exactly (Sterbenz), so x = select(below, xp1, mantissa) − 1;
/// and with e ∈ {0, 1}, e·ln 2 + x is x or x + ln 2.
LK_STATIC vw w_log1p_unit(vw x0) {
  vw xp1 = x0 + 1.0f;
  vw mantissa = xp1 * 0.5f;
  vwi below = mantissa < 0.707106781186547524f;
  vw x = wselect(below, xp1, mantissa) - 1.0f;
  LK_PLOG_RATIONAL(vw, x)
  vw log1 = wselect(below, x, x + 0.693147182f);
  return wselect(xp1 == 1.0f, x0, x0 * (log1 / (xp1 - 1.0f)));
}

// MARK: - LossKit's own functions (fast math, opt-in): not any framework's bits

// Short FMA polynomials for the value-only kernels of `EvaluationPath.fastMath`, on the
// two ranges those kernels meet. Written once for any lane count T, as the operations
// are exactly rounded (FMA, roundeven, y·2^n with 2^n normal), every variant gives the
// same bits; the portable one has no FMA instruction (its fmaf calls are slow), so the
// library uses them only on AVX2 and AVX-512 (`lk_fast_math_supported`). Error bounds
// (docs/elementary-functions.md) are tested against mpmath by ElementaryFunctionTests.

/// e^x for x in [−87.3, 0]: n = rint(x·log2 e), r = x − n·ln 2 in two FMAs (Cody–Waite:
/// n·0.693359375 is exact), e^r = 1 + r·q(r) with q of degree 5 fitted on Chebyshev nodes
/// of |r| ≤ ln2/2 (Tools/fixtures/fit_fast_math.py; relative error of q 1.1e-8), Horner
/// with FMAs, times 2^n. Nine FMA-pipe and two other instructions per vector, against
/// Eigen's eighteen. The caller checks the range.
#define LK_FAST_EXP_NONPOSITIVE(T, IT, x)                                      \
  ({                                                                           \
    T ex_x_ = (x);                                                             \
    T ex_n_ = __builtin_elementwise_roundeven(ex_x_ * 1.44269504088896341f);   \
    T ex_r_ = __builtin_elementwise_fma(ex_n_, (T)-0.693359375f, ex_x_);       \
    ex_r_ = __builtin_elementwise_fma(ex_n_, (T)2.12194440e-4f, ex_r_);        \
    T ex_q_ = (T)1.3881425838917494e-3f;                                       \
    ex_q_ = __builtin_elementwise_fma(ex_q_, ex_r_, (T)8.36904626339674e-3f);  \
    ex_q_ = __builtin_elementwise_fma(ex_q_, ex_r_, (T)4.166724905371666e-2f); \
    ex_q_ = __builtin_elementwise_fma(ex_q_, ex_r_, (T)0.16666506230831146f);  \
    ex_q_ = __builtin_elementwise_fma(ex_q_, ex_r_, (T)0.4999999701976776f);   \
    ex_q_ = __builtin_elementwise_fma(ex_q_, ex_r_, (T)1.0f);                  \
    ex_q_ = __builtin_elementwise_fma(ex_q_, ex_r_, (T)1.0f);                  \
    LK_TIMES_POW2(T, IT, ex_q_, ex_n_);                                        \
  })

/// log(1 + e) for e in [0, 1]: 2·atanh(u) with u = e / (2 + e) in [0, 1/3], as
/// 2u + 2u·s·g(s), s = u², g of degree 3 fitted on Chebyshev nodes of [0, 1/9] (relative
/// error of g 4.1e-7, which the factor s·(2u) ≤ 0.08·result shrinks below 0.3 ulp). One
/// division, against Eigen's two. The caller checks the range.
#define LK_FAST_LOG1P_UNIT(T, e)                                              \
  ({                                                                          \
    T lp_e_ = (e);                                                            \
    T lp_u_ = lp_e_ / (lp_e_ + 2.0f);                                         \
    T lp_s_ = lp_u_ * lp_u_;                                                  \
    T lp_g_ = (T)0.13422489166259766f;                                        \
    lp_g_ = __builtin_elementwise_fma(lp_g_, lp_s_, (T)0.14118850231170654f); \
    lp_g_ = __builtin_elementwise_fma(lp_g_, lp_s_, (T)0.20003758370876312f); \
    lp_g_ = __builtin_elementwise_fma(lp_g_, lp_s_, (T)0.33333319425582886f); \
    T lp_twice_ = lp_u_ + lp_u_;                                              \
    __builtin_elementwise_fma(lp_g_ * lp_s_, lp_twice_, lp_twice_);           \
  })

LK_STATIC vf v_fast_exp_nonpositive(vf x) { return LK_FAST_EXP_NONPOSITIVE(vf, vi, x); }
LK_STATIC vw w_fast_exp_nonpositive(vw x) { return LK_FAST_EXP_NONPOSITIVE(vw, vwi, x); }
LK_STATIC vf v_fast_log1p_unit(vf e) { return LK_FAST_LOG1P_UNIT(vf, e); }
LK_STATIC vw w_fast_log1p_unit(vw e) { return LK_FAST_LOG1P_UNIT(vw, e); }

/// preciprocal for floats is approximate (rcpps) + a Newton step: computed lane by lane
/// with the scalar helper, since the approximation is the CPU's.
