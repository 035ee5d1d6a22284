// Run-time dispatch of the fused kernels to the widest variant the CPU supports.
#include "CLossKitKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#define LK_DECLARE(ret, name, params) \
  ret name##_generic params;          \
  ret name##_avx2 params;             \
  ret name##_avx512 params;

LK_DECLARE(void, lk_bce_prob,
           (const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c, float *loss,
            float *grad))
LK_DECLARE(void, lk_softmax_xent_rows,
           (const float *logits, const float *labels, size_t rows, size_t classes, size_t first_row, size_t total_rows,
            float seed, float *loss, float *backprop, float *scratch))
LK_DECLARE(void, lk_torch_pointwise,
           (const float *x, const float *y, size_t count, size_t scalar_from, const lk_torch_config *c, float *loss,
            float *grad, int *out_of_range))
LK_DECLARE(void, lk_torch_cross_entropy_rows,
           (const float *logits, const int64_t *labels, size_t rows, size_t classes, int64_t ignore_index, float scale,
            float *picked, float *grad, float *scratch))
LK_DECLARE(void, lk_cascade_block, (const float *x, size_t steps, float *out))
LK_DECLARE(void, lk_cascade_carry, (const float *sums, size_t blocks, int power, float *levels))
LK_DECLARE(void, lk_regression,
           (const float *p, const float *y, size_t count, const lk_regression_config *c, float *loss, float *grad))
LK_DECLARE(float, lk_regression_leaf_sum,
           (const float *p, const float *y, size_t count, const lk_regression_config *c, float *grad))
LK_DECLARE(float, lk_eigen_leaf_sum, (const float *x, size_t count))
LK_DECLARE(float, lk_bce_prob_leaf_sum,
           (const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c, float *grad))
LK_DECLARE(float, lk_sigmoid_xent_leaf_sum,
           (const float *x, const float *y, size_t count, size_t scalar_from, float seed, const lk_label_smoothing *s,
            float *grad))
LK_DECLARE(double, lk_stream_sum, (const float *a, const float *b, size_t count, int prefetch))
LK_DECLARE(void, lk_optax_sigmoid_bce, (const float *x, const float *y, size_t count, float *loss, float *grad))
LK_DECLARE(void, lk_optax_sparse_xent_rows,
           (const float *logits, const int64_t *labels, size_t rows, size_t classes, float *loss, float *grad,
            float *scratch))
LK_DECLARE(void, lk_optax_softmax_xent_rows,
           (const float *logits, const float *labels, size_t rows, size_t classes, float *loss, float *grad,
            float *scratch))
LK_DECLARE(void, lk_optax_regression,
           (int kind, const float *p, const float *t, size_t count, float delta, float *loss, float *grad))
LK_DECLARE(void, lk_xla_unary_f32, (int op, const float *x, float *y, size_t n))
LK_DECLARE(void, lk_xla_unary_f64, (int op, const double *x, double *y, size_t n))
LK_DECLARE(void, lk_dd_sum_f32, (const float *x, const float *w, size_t count, double *hi, double *lo))
LK_DECLARE(void, lk_regression_dd_sum,
           (const float *p, const float *y, size_t count, const lk_regression_config *c, double *hi, double *lo))
LK_DECLARE(void, lk_bce_prob_dd_sum,
           (const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c, double *hi,
            double *lo))
LK_DECLARE(void, lk_sigmoid_xent_dd_sum,
           (const float *x, const float *y, size_t count, size_t scalar_from, const lk_label_smoothing *s, double *hi,
            double *lo))
LK_DECLARE(void, lk_summarise_values, (const double *v, size_t count, lk_value_summary *out))
LK_DECLARE(void, lk_summarise_floats, (const float *v, size_t count, lk_value_summary *out))
LK_DECLARE(void, lk_torch_pointwise_dd_sum,
           (const float *x, const float *y, size_t count, size_t scalar_from, const lk_torch_config *c, int *out_of_range,
            double *hi, double *lo))
LK_DECLARE(void, lk_sigmoid_xent,
           (const float *x, const float *y, size_t count, size_t scalar_from, float seed, const lk_label_smoothing *s,
            float *loss, float *grad))
LK_DECLARE(size_t, lk_check_range_limited_functions, (uint32_t stride))
LK_DECLARE(size_t, lk_check_sleef_functions, (uint32_t stride))
LK_DECLARE(size_t, lk_check_glibc_logs, (uint32_t stride))
LK_DECLARE(size_t, lk_check_glibc_expf, (uint32_t stride))
LK_DECLARE(int, lk_glibc_logs_agree, (void))
LK_DECLARE(int, lk_glibc_expf_agrees, (void))
LK_DECLARE(void, lk_sparse_xent_rows,
           (const float *logits, const int64_t *labels, size_t rows, size_t classes, size_t first_row, size_t total_count,
            float seed, float *loss, float *backprop, float *scratch))

LK_DECLARE(void, lk_sigmoid_xent_fast,
           (const float *x, const float *y, size_t count, const lk_label_smoothing *s, float *loss))
LK_DECLARE(float, lk_sigmoid_xent_fast_leaf_sum,
           (const float *x, const float *y, size_t count, const lk_label_smoothing *s))
LK_DECLARE(void, lk_sparse_xent_rows_fast,
           (const float *logits, const int64_t *labels, size_t rows, size_t classes, size_t first_row, float *loss))
LK_DECLARE(void, lk_fast_math_f32, (int op, const float *x, float *y, size_t n))

#if defined(__x86_64__)
#define LK_DISPATCH(name, args)                               \
  do {                                                        \
    int features = lk_cpu_features();                         \
    if (features & LK_CPU_AVX512) return name##_avx512 args;  \
    if (features & LK_CPU_AVX2) return name##_avx2 args;      \
    return name##_generic args;                               \
  } while (0)
#else
#define LK_DISPATCH(name, args) return name##_generic args
#endif

void lk_bce_prob(const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c,
                 float *loss, float *grad) {
  LK_DISPATCH(lk_bce_prob, (p, y, count, scalar_from, c, loss, grad));
}

void lk_softmax_xent_rows(const float *logits, const float *labels, size_t rows, size_t classes, size_t first_row,
                          size_t total_rows, float seed, float *loss, float *backprop, float *scratch) {
  LK_DISPATCH(lk_softmax_xent_rows, (logits, labels, rows, classes, first_row, total_rows, seed, loss, backprop, scratch));
}

void lk_torch_pointwise(const float *x, const float *y, size_t count, size_t scalar_from, const lk_torch_config *c,
                        float *loss, float *grad, int *out_of_range) {
  LK_DISPATCH(lk_torch_pointwise, (x, y, count, scalar_from, c, loss, grad, out_of_range));
}

void lk_torch_cross_entropy_rows(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                 int64_t ignore_index, float scale, float *picked, float *grad, float *scratch) {
  LK_DISPATCH(lk_torch_cross_entropy_rows, (logits, labels, rows, classes, ignore_index, scale, picked, grad, scratch));
}


void lk_cascade_block(const float *x, size_t steps, float *out) { LK_DISPATCH(lk_cascade_block, (x, steps, out)); }

void lk_cascade_carry(const float *sums, size_t blocks, int power, float *levels) {
  LK_DISPATCH(lk_cascade_carry, (sums, blocks, power, levels));
}

void lk_regression(const float *p, const float *y, size_t count, const lk_regression_config *c, float *loss,
                   float *grad) {
  LK_DISPATCH(lk_regression, (p, y, count, c, loss, grad));
}

float lk_regression_leaf_sum(const float *p, const float *y, size_t count, const lk_regression_config *c, float *grad) {
  LK_DISPATCH(lk_regression_leaf_sum, (p, y, count, c, grad));
}

float lk_bce_prob_leaf_sum(const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c,
                           float *grad) {
  LK_DISPATCH(lk_bce_prob_leaf_sum, (p, y, count, scalar_from, c, grad));
}

float lk_sigmoid_xent_leaf_sum(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                               const lk_label_smoothing *s, float *grad) {
  LK_DISPATCH(lk_sigmoid_xent_leaf_sum, (x, y, count, scalar_from, seed, s, grad));
}

float lk_eigen_leaf_sum(const float *x, size_t count) { LK_DISPATCH(lk_eigen_leaf_sum, (x, count)); }

double lk_stream_sum(const float *a, const float *b, size_t count, int prefetch) {
  LK_DISPATCH(lk_stream_sum, (a, b, count, prefetch));
}
void lk_optax_sigmoid_bce(const float *x, const float *y, size_t count, float *loss, float *grad) {
  LK_DISPATCH(lk_optax_sigmoid_bce, (x, y, count, loss, grad));
}

void lk_optax_sparse_xent_rows(const float *logits, const int64_t *labels, size_t rows, size_t classes, float *loss,
                               float *grad, float *scratch) {
  LK_DISPATCH(lk_optax_sparse_xent_rows, (logits, labels, rows, classes, loss, grad, scratch));
}

void lk_optax_softmax_xent_rows(const float *logits, const float *labels, size_t rows, size_t classes, float *loss,
                                float *grad, float *scratch) {
  LK_DISPATCH(lk_optax_softmax_xent_rows, (logits, labels, rows, classes, loss, grad, scratch));
}

void lk_optax_regression(int kind, const float *p, const float *t, size_t count, float delta, float *loss, float *grad) {
  LK_DISPATCH(lk_optax_regression, (kind, p, t, count, delta, loss, grad));
}

void lk_xla_unary_f32(int op, const float *x, float *y, size_t n) { LK_DISPATCH(lk_xla_unary_f32, (op, x, y, n)); }
void lk_xla_unary_f64(int op, const double *x, double *y, size_t n) { LK_DISPATCH(lk_xla_unary_f64, (op, x, y, n)); }

void lk_sigmoid_xent(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                     const lk_label_smoothing *s, float *loss, float *grad) {
  LK_DISPATCH(lk_sigmoid_xent, (x, y, count, scalar_from, seed, s, loss, grad));
}

void lk_sparse_xent_rows(const float *logits, const int64_t *labels, size_t rows, size_t classes, size_t first_row,
                         size_t total_count, float seed, float *loss, float *backprop, float *scratch) {
  LK_DISPATCH(lk_sparse_xent_rows, (logits, labels, rows, classes, first_row, total_count, seed, loss, backprop, scratch));
}

void lk_dd_sum_f32(const float *x, const float *w, size_t count, double *hi, double *lo) {
  LK_DISPATCH(lk_dd_sum_f32, (x, w, count, hi, lo));
}

void lk_regression_dd_sum(const float *p, const float *y, size_t count, const lk_regression_config *c, double *hi,
                          double *lo) {
  LK_DISPATCH(lk_regression_dd_sum, (p, y, count, c, hi, lo));
}

void lk_bce_prob_dd_sum(const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c,
                        double *hi, double *lo) {
  LK_DISPATCH(lk_bce_prob_dd_sum, (p, y, count, scalar_from, c, hi, lo));
}

void lk_sigmoid_xent_dd_sum(const float *x, const float *y, size_t count, size_t scalar_from,
                            const lk_label_smoothing *s, double *hi, double *lo) {
  LK_DISPATCH(lk_sigmoid_xent_dd_sum, (x, y, count, scalar_from, s, hi, lo));
}

void lk_summarise_values(const double *v, size_t count, lk_value_summary *out) {
  LK_DISPATCH(lk_summarise_values, (v, count, out));
}

void lk_summarise_floats(const float *v, size_t count, lk_value_summary *out) {
  LK_DISPATCH(lk_summarise_floats, (v, count, out));
}

void lk_torch_pointwise_dd_sum(const float *x, const float *y, size_t count, size_t scalar_from, const lk_torch_config *c,
                               int *out_of_range, double *hi, double *lo) {
  LK_DISPATCH(lk_torch_pointwise_dd_sum, (x, y, count, scalar_from, c, out_of_range, hi, lo));
}

unsigned lk_enter_flush_to_zero(void) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned previous = _mm_getcsr();
  _mm_setcsr(previous | 0x8040);  // FTZ (bit 15) and DAZ (bit 6)
  return previous;
#else
  return 0;
#endif
}

void lk_restore_float_environment(unsigned previous) {
#if defined(__x86_64__) || defined(__i386__)
  _mm_setcsr(previous);
#else
  (void)previous;
#endif
}

size_t lk_check_range_limited_functions(uint32_t stride) { LK_DISPATCH(lk_check_range_limited_functions, (stride)); }
size_t lk_check_sleef_functions(uint32_t stride) { LK_DISPATCH(lk_check_sleef_functions, (stride)); }

size_t lk_check_glibc_logs(uint32_t stride) { LK_DISPATCH(lk_check_glibc_logs, (stride)); }

int lk_glibc_logs_agree(void) { LK_DISPATCH(lk_glibc_logs_agree, ()); }

size_t lk_check_glibc_expf(uint32_t stride) { LK_DISPATCH(lk_check_glibc_expf, (stride)); }
int lk_glibc_expf_agrees(void) { LK_DISPATCH(lk_glibc_expf_agrees, ()); }

int lk_fast_math_supported(void) {
#if defined(__x86_64__)
  // The CPU's features, not a test's lk_set_cpu_features: every variant gives the same
  // bits (the portable one through fmaf calls, slowly), so a test that switches the
  // variant for its own kernels does not change what this answers for other callers.
  return (lk_cpu_features_detected() & (LK_CPU_AVX2 | LK_CPU_AVX512)) != 0;
#elif defined(__aarch64__)
  return 1;  // FMA is part of the base instruction set
#else
  return 0;
#endif
}
void lk_sigmoid_xent_fast(const float *x, const float *y, size_t count, const lk_label_smoothing *s, float *loss) {
  LK_DISPATCH(lk_sigmoid_xent_fast, (x, y, count, s, loss));
}
float lk_sigmoid_xent_fast_leaf_sum(const float *x, const float *y, size_t count, const lk_label_smoothing *s) {
  LK_DISPATCH(lk_sigmoid_xent_fast_leaf_sum, (x, y, count, s));
}
void lk_sparse_xent_rows_fast(const float *logits, const int64_t *labels, size_t rows, size_t classes, size_t first_row,
                              float *loss) {
  LK_DISPATCH(lk_sparse_xent_rows_fast, (logits, labels, rows, classes, first_row, loss));
}
void lk_fast_math_f32(int op, const float *x, float *y, size_t n) { LK_DISPATCH(lk_fast_math_f32, (op, x, y, n)); }
