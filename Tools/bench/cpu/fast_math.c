// What non-faithful elementary functions would buy the two kernels that miss issue 8's
// one-thread bars (binary cross-entropy from logits, sparse softmax cross-entropy): a
// prototype, not LossKit's code. It times, in one process and alternating round by
// round, the faithful AVX-512 kernels (TensorFlow's Eigen `exp`/`log1p`, bit for bit),
// the same losses with short FMA polynomials of LossKit's own, and the memory floor
// (the inputs streamed through a plain sum); and it measures the prototype functions'
// worst error in float32 ulps over every float32 of their ranges, against double.
//
//   Tools/bench/cpu/fast_math.sh [ROWS [ROUNDS]]     (ROWS of 1,000 logits; 33554 ≈ 2^25)
//
// The prototype's losses are summed in plain order (four vector accumulators), not in
// Eigen's tree: the cost of the order is a few additions per 64 values either way.
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#define LK_WIDTH 16
#define LK_AVX512 1
#define LK_HAS_FMA 1
#define LK_NAME(f) f##_faithful
#include "kernels_impl.h"
#pragma clang attribute pop

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "seconds.h"

// kernels.c's first-use check for torch's BCELoss, which nothing here calls.
int lk_glibc_logs_agree(void) { return 0; }

#define TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
#define INLINE static inline __attribute__((always_inline)) TARGET
typedef float f16 __attribute__((ext_vector_type(16)));

INLINE __m512 m512(f16 v) { __m512 r; memcpy(&r, &v, sizeof r); return r; }
INLINE f16 f16of(__m512 v) { f16 r; memcpy(&r, &v, sizeof r); return r; }
INLINE f16 fma16(f16 a, f16 b, f16 c) { return __builtin_elementwise_fma(a, b, c); }

INLINE f16 load16(const float *p) { f16 v; memcpy(&v, p, sizeof v); return v; }
INLINE float add_lanes(f16 v) { return _mm512_reduce_add_ps(m512(v)); }
#define FMA(T, a, b, c) __builtin_elementwise_fma((a), (T)(b), (T)(c))

/// e^x for x in [−87.3, 0]: n = rint(x·log2 e), r = x − n·ln 2 in two FMAs (Cody–Waite),
/// e^r = 1 + r·q(r) with q of degree 5 fitted on Chebyshev nodes of |r| ≤ ln2/2 (relative
/// error of q 1.1e-8), Horner with FMAs, times 2^n by vscalefps: nine FMA-pipe and two
/// other instructions per 16 lanes. Written for any lane count T (the loops below run
/// 64 lanes, four independent chains).
#define FAST_EXP_NONPOSITIVE(T, IT, x)                                   \
  ({                                                                     \
    T x_ = (x);                                                          \
    T n_ = __builtin_elementwise_roundeven(x_ * 1.44269504088896341f);   \
    T r_ = FMA(T, n_, -0.693359375f, x_);                                \
    r_ = FMA(T, n_, 2.12194440e-4f, r_);                                 \
    T q_ = (T)0.0013881425838917494f;                                    \
    q_ = FMA(T, q_, r_, 0.00836904626339674f);                           \
    q_ = FMA(T, q_, r_, 0.04166724905371666f);                           \
    q_ = FMA(T, q_, r_, 0.16666506230831146f);                           \
    q_ = FMA(T, q_, r_, 0.4999999701976776f);                            \
    q_ = FMA(T, q_, r_, 1.0f);                                           \
    q_ = FMA(T, q_, r_, 1.0f);                                           \
    LK_TIMES_POW2(T, IT, q_, n_);                                        \
  })

/// log(1 + e) for e in [0, 1]: 2·atanh(u) with u = e / (2 + e) in [0, 1/3], as
/// 2u + 2u·s·g(s), s = u², g of degree 3 fitted on Chebyshev nodes of [0, 1/9] (relative
/// error of g 4.1e-7, of the result below 2e-8). One division.
#define FAST_LOG1P_UNIT(T, e)                          \
  ({                                                   \
    T e_ = (e);                                        \
    T u_ = e_ / (e_ + 2.0f);                           \
    T s_ = u_ * u_;                                    \
    T g_ = (T)0.13422489166259766f;                    \
    g_ = FMA(T, g_, s_, 0.14118850231170654f);         \
    g_ = FMA(T, g_, s_, 0.20003758370876312f);         \
    g_ = FMA(T, g_, s_, 0.33333319425582886f);         \
    T u2_ = u_ + u_;                                   \
    FMA(T, g_ * s_, u2_, u2_);                         \
  })

INLINE f16 fast_exp_nonpositive(f16 x) { return FAST_EXP_NONPOSITIVE(f16, vi, x); }
INLINE f16 fast_log1p_unit(f16 x) { return FAST_LOG1P_UNIT(f16, x); }

/// Σ max(x, 0) − x·z + log1p(e^−|x|) (the Keras/tf.nn formula) with the prototype functions.
TARGET static float fast_bce_logits_sum(const float *x, const float *z, size_t n) {
  vw acc = 0;
  for (size_t i = 0; i + LK_WIDE <= n; i += LK_WIDE) {
    const vw xv = wload(x + i), zv = wload(z + i);
    const vw e = FAST_EXP_NONPOSITIVE(vw, vwi, -wabs(xv));
    const vw relu = __builtin_elementwise_max(xv, (vw)0.0f);
    acc += (relu - xv * zv) + FAST_LOG1P_UNIT(vw, e);
  }
  f16 lanes[4];
  memcpy(lanes, &acc, sizeof acc);
  return add_lanes((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
}

/// Σ over rows of log Σ e^(x − max) − (x[label] − max), with the prototype `exp`; each
/// row's exponential pass folds the maximum of the row two ahead (as the faithful kernel).
TARGET static float fast_sparse_xent_sum(const float *logits, const int64_t *labels, size_t rows, size_t classes) {
  float total = 0.0f;
  float m_next = -INFINITY, m = -INFINITY;
  for (int ahead = 0; ahead < 2 && ahead < (int)rows; ahead++) {
    float mm = -INFINITY;
    for (size_t j = 0; j < classes; j++) mm = fmaxf(mm, logits[ahead * classes + j]);
    if (ahead == 0) m = mm; else m_next = mm;
  }
  for (size_t r = 0; r < rows; r++) {
    const float *row = logits + r * classes, *far = r + 2 < rows ? row + 2 * classes : row;
    vw acc = 0, mx = -INFINITY;
    size_t j = 0;
    for (; j + LK_WIDE <= classes; j += LK_WIDE) {
      acc += FAST_EXP_NONPOSITIVE(vw, vwi, wload(row + j) - m);
      mx = __builtin_elementwise_max(mx, wload(far + j));
      for (int k = 0; k < LK_WIDE; k += 16) __builtin_prefetch(far + j + k + LK_PREFETCH_FAR);
    }
    f16 lanes[4], most[4];
    memcpy(lanes, &acc, sizeof acc);
    memcpy(most, &mx, sizeof mx);
    float sum = add_lanes((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
    float far_m = _mm512_reduce_max_ps(m512(__builtin_elementwise_max(__builtin_elementwise_max(most[0], most[1]), __builtin_elementwise_max(most[2], most[3]))));
    // The rest on 16-lane vectors, the last padded with m − 87 (e^−87 ≈ 1.6e-38 adds nothing).
    f16 rest = 0, rest_max = -INFINITY;
    for (; j < classes; j += 16) {
      float a[16], b[16];
      for (int k = 0; k < 16; k++) {
        a[k] = j + k < classes ? row[j + k] : m - 87.0f;
        b[k] = j + k < classes ? far[j + k] : -INFINITY;
      }
      rest += fast_exp_nonpositive(load16(a) - m);
      rest_max = __builtin_elementwise_max(rest_max, load16(b));
    }
    sum += add_lanes(rest);
    far_m = fmaxf(far_m, _mm512_reduce_max_ps(m512(rest_max)));
    total += logf(sum) - (row[labels[r]] - m);
    m = m_next;
    m_next = far_m;
  }
  return total;
}

/// Worst |f − reference| in float32 ulps of the reference, over every float32 from `lo` to `hi`.
TARGET static double worst_ulps(float lo, float hi, int which, float *at) {
  double worst = 0;
  uint32_t a, b;
  memcpy(&a, &lo, 4);
  memcpy(&b, &hi, 4);
  float buf[16];
  // Walk the bit patterns from lo toward hi (both of one sign).
  const int down = a > b;
  for (uint32_t bits = a;; bits = down ? bits - 16 : bits + 16) {
    for (int k = 0; k < 16; k++) {
      uint32_t v = down ? bits - k : bits + k;
      memcpy(&buf[k], &v, 4);
    }
    f16 in = load16(buf);
    f16 out = which == 0 ? fast_exp_nonpositive(in) : fast_log1p_unit(in);
    for (int k = 0; k < 16; k++) {
      const double ref = which == 0 ? exp((double)buf[k]) : log1p((double)buf[k]);
      if (ref == 0 || !isfinite(ref)) continue;
      const double ulp = ldexp(1.0, ilogb((float)ref) - 23);
      const double err = fabs((double)out[k] - ref) / ulp;
      if (err > worst) { worst = err; *at = buf[k]; }
    }
    if ((down && bits <= b + 16) || (!down && bits + 16 >= b)) break;
  }
  return worst;
}

static double best_of(double *best, double t) { return *best = t < *best ? t : *best; }

int main(int argc, char **argv) {
  const size_t classes = 1000, rows = argc > 1 ? strtoul(argv[1], 0, 10) : 64;
  const int rounds = argc > 2 ? atoi(argv[2]) : 2000;
  const size_t n = rows * classes;
  float *x = aligned_alloc(64, (n * 4 + 63) / 64 * 64), *z = aligned_alloc(64, (n * 4 + 63) / 64 * 64);
  int64_t *labels = malloc(rows * sizeof *labels);
  float *loss = malloc(rows * sizeof(float));
  if (!x || !z || !labels || !loss) return fprintf(stderr, "out of memory\n"), 2;
  srand(1);
  for (size_t i = 0; i < n; i++) {
    x[i] = 8.0f * (float)rand() / (float)RAND_MAX - 4.0f;
    z[i] = (float)(rand() & 1);
  }
  for (size_t r = 0; r < rows; r++) labels[r] = (int64_t)(r * 7919 % classes);

  double t_bce[2] = {1e9, 1e9}, t_sparse[2] = {1e9, 1e9}, t_floor2 = 1e9, t_floor1 = 1e9;
  float bce[2] = {0, 0}, sparse[2] = {0, 0};
  volatile double sink = 0;
  for (int round = 0; round < rounds; round++) {
    double s = seconds();
    bce[0] = lk_sigmoid_xent_leaf_sum_faithful(x, z, n, n, 1.0f, 0, 0);
    best_of(&t_bce[0], seconds() - s);
    s = seconds();
    bce[1] = fast_bce_logits_sum(x, z, n);
    best_of(&t_bce[1], seconds() - s);
    s = seconds();
    lk_sparse_xent_rows_faithful(x, labels, rows, classes, 0, n, 1.0f, loss, 0, 0);
    best_of(&t_sparse[0], seconds() - s);
    float total = 0;
    for (size_t r = 0; r < rows; r++) total += loss[r];
    sparse[0] = total;
    s = seconds();
    sparse[1] = fast_sparse_xent_sum(x, labels, rows, classes);
    best_of(&t_sparse[1], seconds() - s);
    s = seconds();
    sink += lk_stream_sum_faithful(x, z, n, 1);
    best_of(&t_floor2, seconds() - s);
    s = seconds();
    sink += lk_stream_sum_faithful(x, x + n / 2, n / 2, 1);  // n floats, as the logits
    best_of(&t_floor1, seconds() - s);
  }
  printf("%zu rows x %zu classes (%zu elements), %d rounds, fastest call, ns per element\n", rows, classes, n, rounds);
  printf("%-34s %9s %9s %9s %12s %12s\n", "loss", "faithful", "fast", "floor", "faith/floor", "fast/floor");
  const double f2 = t_floor2 * 1e9 / n, f1 = t_floor1 * 1e9 / n;
  printf("%-34s %9.4f %9.4f %9.4f %12.2f %12.2f\n", "BCE from logits (Keras, tf.nn)", t_bce[0] * 1e9 / n, t_bce[1] * 1e9 / n, f2,
         t_bce[0] * 1e9 / n / f2, t_bce[1] * 1e9 / n / f2);
  printf("%-34s %9.4f %9.4f %9.4f %12.2f %12.2f\n", "sparse softmax xent (per logit)", t_sparse[0] * 1e9 / n,
         t_sparse[1] * 1e9 / n, f1, t_sparse[0] * 1e9 / n / f1, t_sparse[1] * 1e9 / n / f1);
  printf("sums: BCE faithful %.9g fast %.9g (rel %.2e); sparse faithful %.9g fast %.9g (rel %.2e)\n", bce[0], bce[1],
         fabs(bce[1] - bce[0]) / fabs(bce[0]), sparse[0], sparse[1], fabs(sparse[1] - sparse[0]) / fabs(sparse[0]));
  if (argc > 3) {
    float at = 0;
    double w = worst_ulps(-0.0f, -87.3f, 0, &at);
    printf("prototype exp on [-87.3, 0]: worst %.3f ulp (at %.9g)\n", w, at);
    w = worst_ulps(0.0f, 1.0f, 1, &at);
    printf("prototype log1p on [0, 1]: worst %.3f ulp (at %.9g)\n", w, at);
  }
  return 0;
}
