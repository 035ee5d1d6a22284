// What non-faithful elementary functions buy the two kernels that missed issue 8's
// one-thread bars (binary cross-entropy from logits, sparse softmax cross-entropy): the
// prototype of `EvaluationPath.fastMath`. It times, in one process and alternating round
// by round, the faithful AVX-512 kernels (TensorFlow's Eigen `exp`/`log1p`, bit for bit),
// plain loops over the same losses with LossKit's fast-math functions (vector_math.h),
// and the memory floor (the inputs streamed through a plain sum); and it measures those
// functions' worst error in float32 ulps over every float32 of their ranges, against
// double (the committed test is ElementaryFunctionTests.fastMathFunctionsStayWithinTheirBounds).
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

// The library's fast-math functions (vector_math.h), which began here.
#define FAST_EXP_NONPOSITIVE LK_FAST_EXP_NONPOSITIVE
#define FAST_LOG1P_UNIT LK_FAST_LOG1P_UNIT

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
    printf("fast-math exp on [-87.3, 0]: worst %.3f ulp (at %.9g)\n", w, at);
    w = worst_ulps(0x1p-123f, 1.0f, 1, &at);
    printf("fast-math log1p on [2^-123, 1]: worst %.3f ulp (at %.9g)\n", w, at);
  }
  return 0;
}
