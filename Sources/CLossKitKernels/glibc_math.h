// The GNU C library's float `logf` and `log1pf`, as x86-64 glibc 2.27 and later runs them,
// on LK_WIDTH lanes: PyTorch's BCELoss CPU kernel calls the C library one element at a
// time, and these give its bits lane by lane, many times faster (issue 8).
//
//   - `logf` is Szabolcs Nagy's table method (glibc ≥ 2.27), in the variant glibc picks on
//     CPUs with FMA and AVX2 (`__logf_fma`: its multiply-adds fused). Only the FMA variants
//     use it, whose CPUs run that glibc variant.
//   - `log1pf` is fdlibm's (Sun's `s_log1pf.c`, glibc's only float log1p up to at least
//     2.36): plain float operations, none fused.
//   - `expf` (on [−87, 0], for the last classes mod 8 of a short softmax row, which
//     TensorFlow's scalar path passes to the C library) is the same author's table method
//     (glibc ≥ 2.27, `__expf_fma`).
//
// Another C library (or a later glibc with a rewritten function) would give other bits,
// so the kernels use these only after `glibc_logs_agree` or `glibc_expf_agrees` (below)
// has compared them with the C library the process runs, on a dense sample of floats.
// Included by kernels_impl.h after vector_math.h.
#pragma clang fp contract(off)
#include <math.h>

typedef double vd __attribute__((ext_vector_type(LK_WIDTH)));

LK_STATIC vi viselect(vi mask, vi a, vi b) { return (a & mask) | (b & ~mask); }

#if defined(LK_HAS_FMA)
#define LK_GLIBC_LOGF 1

/// 1/c and log(c) at the centres c of glibc logf's 16 subintervals of [0x3f330000, 2·that).
static const double lk_glibc_logf_invc[16] = {
    0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0,  0x1.3c995b0b80385p+0,
    0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0,  0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
    0x1.0953f419900a7p+0, 0x1p+0,               0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
    0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
};
static const double lk_glibc_logf_logc[16] = {
    -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
    -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3,   -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
    -0x1.252f438e10c1ep-5, 0x0p+0,                0x1.aa5aa5df25984p-5,  0x1.c5e53aa362eb4p-4,
    0x1.526e57720db08p-3,  0x1.bc2860d22477p-3,   0x1.1058bc8a07ee1p-2,  0x1.4043057b6ee09p-2,
};

/// The table entries of each lane's index (0…15).
LK_STATIC vd glibc_table(const double *table, vi index) {
#if defined(LK_AVX512)
  // Two-register permutes: the 16 entries live in registers, no memory gather.
  __m512d lo, hi;
  memcpy(&lo, table, sizeof lo);
  memcpy(&hi, table + 8, sizeof hi);
  vd out;
  for (int half = 0; half < LK_WIDTH / 8; half++) {
    __m256i i8;
    memcpy(&i8, (const int32_t *)&index + 8 * half, sizeof i8);
    const __m512d part = _mm512_permutex2var_pd(lo, _mm512_cvtepi32_epi64(i8), hi);
    memcpy((double *)&out + 8 * half, &part, sizeof part);
  }
  return out;
#else
  vd out;
  for (int l = 0; l < LK_WIDTH; l++) out[l] = table[index[l]];
  return out;
#endif
}

/// glibc's `logf(x)` for 0 ≤ x ≤ 1 (−∞ at 0; subnormals normalised as glibc does).
LK_STATIC vf v_glibc_logf_unit(vf x) {
  vu ix = (vu)vbits(x);
  const vi subnormal = (vi)(ix < 0x00800000u);  // and zero, replaced at the end
  ix = (vu)vselect(subnormal, vfrombits(vbits(x * 0x1p23f) - (23 << 23)), vfrombits((vi)ix));
  const vu tmp = ix - 0x3f330000u;
  const vi i = (vi)((tmp >> 19) & 15u);
  const vi k = (vi)tmp >> 23;  // arithmetic shift
  const vu iz = ix - (tmp & (0x1ffu << 23));
  const vd z = __builtin_convertvector(vfrombits((vi)iz), vd);
  const vd r = __builtin_elementwise_fma(z, glibc_table(lk_glibc_logf_invc, i), (vd)-1.0);
  const vd y0 = __builtin_elementwise_fma(__builtin_convertvector(k, vd), (vd)0x1.62e42fefa39efp-1,
                                          glibc_table(lk_glibc_logf_logc, i));
  const vd r2 = r * r;
  vd y = __builtin_elementwise_fma((vd)0x1.5575b0be00b6ap-2, r, (vd)-0x1.ffffef20a4123p-2);
  y = __builtin_elementwise_fma((vd)-0x1.00ea348b88334p-2, r2, y);
  y = __builtin_elementwise_fma(y, r2, y0 + r);
  return vselect(x == 0.0f, vsplat(-__builtin_inff()), __builtin_convertvector(y, vf));
}

/// glibc expf's table: tab[i] = bits(2^(i/32)) − (i << 47), as doubles (e_exp2f_data.c;
/// Tools/fixtures/glibc_exp2f_table.py rebuilds it from correctly rounded 2^(i/32)).
static const double lk_glibc_exp2f_tab[32] = {
    0x1.0000000000000p+0,  0x1.fd9b0d3158574p-1, 0x1.fb5586cf9890fp-1, 0x1.f9301d0125b51p-1,
    0x1.f72b83c7d517bp-1, 0x1.f54873168b9aap-1, 0x1.f387a6e756238p-1, 0x1.f1e9df51fdee1p-1,
    0x1.f06fe0a31b715p-1, 0x1.ef1a7373aa9cbp-1, 0x1.edea64c123422p-1, 0x1.ece086061892dp-1,
    0x1.ebfdad5362a27p-1, 0x1.eb42b569d4f82p-1, 0x1.eab07dd485429p-1, 0x1.ea47eb03a5585p-1,
    0x1.ea09e667f3bcdp-1, 0x1.e9f75e8ec5f74p-1, 0x1.ea11473eb0187p-1, 0x1.ea589994cce13p-1,
    0x1.eace5422aa0dbp-1, 0x1.eb737b0cdc5e5p-1, 0x1.ec49182a3f090p-1, 0x1.ed503b23e255dp-1,
    0x1.ee89f995ad3adp-1, 0x1.eff76f2fb5e47p-1, 0x1.f199bdd85529cp-1, 0x1.f3720dcef9069p-1,
    0x1.f5818dcfba487p-1, 0x1.f7c97337b9b5fp-1, 0x1.fa4afa2a490dap-1, 0x1.fd0765b6e4540p-1,
};

typedef uint64_t vu64 __attribute__((ext_vector_type(LK_WIDTH)));

/// glibc's `expf(x)` for −87 ≤ x ≤ 0 (`__expf_fma`, Szabolcs Nagy's table method, its
/// multiply-adds fused), where none of its special cases applies: x·32/ln 2 = k + r,
/// rounded to an integer by adding 1.5·2^52, then 2^(k/32) from the table times a cubic
/// in r, in double, rounded once to float.
LK_STATIC vf v_glibc_expf_moderate(vf x) {
  const vd z = (vd)(0x1.71547652b82fep+0 * 32) * __builtin_convertvector(x, vd);
  vd kd = z + 0x1.8p52;
  const vu64 ki = (vu64)kd;
  kd = kd - 0x1.8p52;
  const vd r = z - kd;
  vd t;  // 32 entries: more than glibc_table's two-register permute holds
  for (int l = 0; l < LK_WIDTH; l++) t[l] = lk_glibc_exp2f_tab[ki[l] & 31];
  const vd s = (vd)((vu64)t + (ki << 47));
  const vd c0 = (vd)(0x1.c6af84b912394p-5 / 32 / 32 / 32), c1 = (vd)(0x1.ebfce50fac4f3p-3 / 32 / 32),
           c2 = (vd)(0x1.62e42ff0c52d6p-1 / 32);
  const vd q = __builtin_elementwise_fma(c0, r, c1);
  const vd r2 = r * r;
  vd y = __builtin_elementwise_fma(c2, r, (vd)1.0);
  y = __builtin_elementwise_fma(q, r2, y);
  return __builtin_convertvector(y * s, vf);
}
#define LK_GLIBC_EXPF 1
#endif

/// expf on [−87, 0] for the kernels: the vector form where the variant has it, otherwise
/// the C library lane by lane.
LK_STATIC vf glibc_expf_moderate(vf x) {
#if defined(LK_GLIBC_EXPF)
  return v_glibc_expf_moderate(x);
#else
  vf out;
  for (int l = 0; l < LK_WIDTH; l++) out[l] = expf(x[l]);
  return out;
#endif
}


/// fdlibm's `log1pf(a)` for −1 ≤ a ≤ 0 (−∞ at −1): every branch of s_log1pf.c that this
/// range reaches computed on every lane, the lane's own chosen at the end.
LK_STATIC vf v_glibc_log1pf_nonpositive(vf a) {
  const vi hx = vbits(a), ax = hx & 0x7fffffff;
  // −0.2929 < a ≤ 0 (past the tiny cases): k = 0, f = a.
  const vi small = ax <= 0x3e95f61f;
  // Otherwise 1 + a = 2^k·u with u in [√½, √2), and c corrects the rounding of 1 + a.
  const vf u = 1.0f + a;
  const vi hu_bits = vbits(u);
  vi k = (hu_bits >> 23) - 127;  // ≤ −1: 1 + a < 1
  const vf c = (a - (u - 1.0f)) / u;
  vi hu = hu_bits & 0x007fffff;
  const vi low = hu < 0x3504f7;
  const vf normal = vselect(low, vfrombits(hu | 0x3f800000), vfrombits(hu | 0x3f000000));
  k = viselect(low, k, k + 1);
  hu = viselect(small, (vi)1, viselect(low, hu, (0x00800000 - hu) >> 2));
  const vf f = vselect(small, a, normal - 1.0f);
  const vf kf = __builtin_convertvector(k, vf);
  const vf hfsq = (0.5f * f) * f;
  // |f| < 2^-20 (only when k ≠ 0): the short forms.
  const vf r_short = hfsq * (1.0f - (float)0.66666666666666666 * f);
  const vf short_k = kf * 6.9313812256e-01f - ((r_short - (kf * 9.0580006145e-06f + c)) - f);
  const vf exact_k = kf * 6.9313812256e-01f + (c + kf * 9.0580006145e-06f);
  // The general form.
  const vf s = f / (2.0f + f);
  const vf z = s * s;
  const vf poly =
      z * (6.6666668653e-01f +
           z * (4.0000000596e-01f +
                z * (2.8571429849e-01f +
                     z * (2.2222198546e-01f + z * (1.8183572590e-01f + z * (1.5313838422e-01f + z * 1.4798198640e-01f))))));
  const vf general_0 = f - (hfsq - s * (hfsq + poly));
  const vf general_k = kf * 6.9313812256e-01f - ((hfsq - (s * (hfsq + poly) + (kf * 9.0580006145e-06f + c))) - f);
  vf out = vselect(small, general_0, general_k);
  out = vselect((~small) & (hu == 0), vselect(f == 0.0f, exact_k, short_k), out);
  out = vselect(ax < 0x31000000, a - (a * a) * 0.5f, out);
  out = vselect(ax < 0x24800000, a, out);
  return vselect(ax >= 0x3f800000, vsplat(-__builtin_inff()), out);
}

/// logf on [0, 1] for the kernels: the vector form where the variant has it, otherwise
/// the C library lane by lane.
LK_STATIC vf glibc_logf_unit(vf x) {
#if defined(LK_GLIBC_LOGF)
  return v_glibc_logf_unit(x);
#else
  vf out;
  for (int l = 0; l < LK_WIDTH; l++) out[l] = logf(x[l]);
  return out;
#endif
}

// Whether this variant's functions above give the C library's bits: the checks
// (kernels_impl.h) run once per process and variant, this file being compiled once per
// variant, and the kernels then read the verdict with one load.
size_t LK_NAME(lk_check_glibc_logs)(uint32_t stride);
size_t LK_NAME(lk_check_glibc_expf)(uint32_t stride);
static int lk_glibc_logs_verdict = -1, lk_glibc_expf_verdict = -1;  // −1 until checked

/// Whether `check(1021)` finds no difference (every 1,021st float of the function's
/// range, about a million values, a few milliseconds), asked on first use and kept in
/// `*verdict` (racing first calls compute the same answer).
LK_STATIC int glibc_verdict(int *verdict, size_t (*check)(uint32_t)) {
  int known = __atomic_load_n(verdict, __ATOMIC_RELAXED);
  if (known < 0) {
    known = check(1021) == 0;
    __atomic_store_n(verdict, known, __ATOMIC_RELAXED);
  }
  return known;
}

/// BCELoss's vector logs are used only where they give the C library's bits: a C library
/// other than x86-64 glibc's (or a glibc whose logf or log1pf was rewritten) fails and
/// keeps the scalar calls.
LK_STATIC int glibc_logs_agree(void) { return glibc_verdict(&lk_glibc_logs_verdict, LK_NAME(lk_check_glibc_logs)); }

/// The short softmax rows' vector `expf`, likewise (checked on [−87, 0]).
LK_STATIC int glibc_expf_agrees(void) { return glibc_verdict(&lk_glibc_expf_verdict, LK_NAME(lk_check_glibc_expf)); }
