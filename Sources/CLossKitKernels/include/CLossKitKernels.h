// LossKit's C kernels: elementary functions that reproduce the frameworks' own vector
// math (Eigen's packet functions as TensorFlow's CPU kernels run them), and the fused
// loss kernels, with run-time dispatch to AVX2 / AVX-512 where the CPU has them. The
// Swift library calls these; nothing here is public API of the package.
#ifndef CLOSSKITKERNELS_H
#define CLOSSKITKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - CPU features

/// Bit set of the vector extensions the kernels use on this CPU.
enum { LK_CPU_AVX2 = 1, LK_CPU_AVX512 = 2 };
int lk_cpu_features(void);
/// The CPU's features (capped by LOSSKIT_CPU), whatever lk_set_cpu_features chose.
int lk_cpu_features_detected(void);
/// Restricts the kernels to the given features (for tests and benchmarks); -1 restores.
void lk_set_cpu_features(int features);
/// 1 when the streaming loops issue software prefetches ahead of their reads, 0 when
/// they leave it to the hardware prefetcher: 1 on most CPUs, 0 on AMD Zen 4 (family 19h
/// with AVX-512), where that streams faster; LOSSKIT_PREFETCH=0 or =1 overrides the
/// choice. Never changes a result, only the time.
int lk_software_prefetch(void);
/// Sets it (for tests and benchmarks); -1 restores the CPU's (or LOSSKIT_PREFETCH's) choice.
void lk_set_software_prefetch(int enabled);

// MARK: - Eigen's packet functions (TensorFlow 2.21's CPU build: AVX, no FMA)
//
// Each function returns what Eigen's vectorised path computes for one lane: the
// algorithm of plog_float / pexp_float / generic_log1p / scalar_logistic_op<float> and
// their double counterparts, with every multiply and add rounded separately (the AVX
// build has no FMA). TensorFlow applies them to the first n - n % P elements of a
// contiguous evaluation (P = 8 floats, 4 doubles) and the C library to the rest.

float lk_eigen_logf(float x);
float lk_eigen_expf(float x);
float lk_eigen_log1pf(float x);
float lk_eigen_logisticf(float x);
double lk_eigen_log(double x);
double lk_eigen_exp(double x);
double lk_eigen_log1p(double x);

/// Applies a unary function to `n` elements the way TensorFlow's Eigen executor does:
/// the packet function to the first n - n % packet elements, the C library to the rest.
/// `op`: 0 log, 1 exp, 2 log1p, 3 logistic.
void lk_eigen_unary_f32(int op, const float *x, float *y, size_t n, size_t packet);
void lk_eigen_unary_f64(int op, const double *x, double *y, size_t n, size_t packet);

/// XLA's CPU functions as JAX 0.10.2 runs them (xla_scalar.c): FMA where XLA's code
/// has one, DAZ on inputs, FTZ on results.
float lk_xla_expf(float x);
float lk_xla_logf(float x);
float lk_xla_log1pf(float x);
float lk_xla_sigmoidf(float x);
float lk_xla_expm1f(float x);
float lk_xla_tanhf(float x);
double lk_xla_exp(double x);
double lk_xla_log(double x);
double lk_xla_log1p(double x);
double lk_xla_sigmoid(double x);
double lk_xla_expm1(double x);
double lk_xla_tanh(double x);
/// `op`: 0 log, 1 exp, 2 log1p, 3 logistic, 4 expm1, 5 tanh.
void lk_xla_unary_f32(int op, const float *x, float *y, size_t n);

/// YNNPACK's float32 sum of `k` contiguous values (one call of its `sum_float_k1`
/// kernel), as XLA's CPU backend sums reductions of 4096 elements or more; DAZ/FTZ.
float lk_ynn_sum_f32(const float *a, size_t k);
void lk_xla_unary_f64(int op, const double *x, double *y, size_t n);

/// Eigen's float preciprocal (approximate reciprocal + one Newton step) on the packet
/// path, `1 / x` on the scalar path.
float lk_eigen_reciprocalf(float x);
void lk_eigen_reciprocal_f32(const float *x, float *y, size_t n, size_t packet);
/// TensorFlow's SigmoidGrad: `g·(y·(1 − y))` on the packet path, `(g·y)·(1 − y)` on the
/// scalar path.
void lk_tf_sigmoid_grad_f32(const float *y, const float *g, float *out, size_t n, size_t packet);
void lk_tf_sigmoid_grad_f64(const double *y, const double *g, double *out, size_t n, size_t packet);

// MARK: - Fused kernels (float32; dispatched to AVX-512, AVX2 or portable code)

/// Binary cross-entropy on probabilities, Keras 3's TF backend (`epsilon_in_log` 0) or
/// tf-keras's (`epsilon_in_log` ε): per element of `count`,
/// `−(t·log(c + e) + (1 − t)·log((1 − c) + e))` with `c = clip(p, lower, upper)` and
/// `t = y·keep + half` when `smooth`. Elements from `scalar_from` on take TensorFlow's
/// scalar path (C library `log`, exact reciprocal). With `grad`, also the gradient of
/// the loss times `seed` (the incoming gradient per element, e.g. −1/(B·T)), as TF's
/// autodiff computes it.
typedef struct {
  float lower, upper, epsilon_in_log, seed, keep, half;
  int smooth;
} lk_bce_prob_config;

void lk_bce_prob(const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *config,
                 float *loss, float *grad);

/// The sum of `lk_bce_prob`'s losses over `count` ≤ 8192 elements in the order of
/// `lk_eigen_leaf_sum`, computed on the fly (writing `grad` as it goes).
float lk_bce_prob_leaf_sum(const float *p, const float *y, size_t count, size_t scalar_from,
                           const lk_bce_prob_config *config, float *grad);

/// Keras's label smoothing of binary targets: `y·keep + half` when `smooth`.
typedef struct {
  float keep, half;
  int smooth;
} lk_label_smoothing;

/// `lk_bce_prob`'s and `lk_sigmoid_xent`'s losses summed as `lk_dd_sum_f32` sums (a
/// double-double), a block at a time as they are computed.
void lk_bce_prob_dd_sum(const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *config,
                        double *hi, double *lo);
void lk_sigmoid_xent_dd_sum(const float *x, const float *y, size_t count, size_t scalar_from,
                            const lk_label_smoothing *smoothing, double *hi, double *lo);

/// `tf.nn.sigmoid_cross_entropy_with_logits` per element (`where(x ≥ 0, x, 0) − x·z +
/// log1p(exp(where(x ≥ 0, −x, x)))`) and, with `grad`, its gradient times `seed` as TF's
/// autodiff forms it. Elements from `scalar_from` on take the scalar path.
void lk_sigmoid_xent(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                     const lk_label_smoothing *smoothing, float *loss, float *grad);

/// The sum of `lk_sigmoid_xent`'s losses over `count` ≤ 8192 elements in the order of
/// `lk_eigen_leaf_sum`, computed on the fly (writing `grad` as it goes).
float lk_sigmoid_xent_leaf_sum(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                               const lk_label_smoothing *smoothing, float *grad);

/// TensorFlow's SparseSoftmaxCrossEntropyWithLogits kernel over `rows` rows of `classes`
/// logits (labels already checked to be in range): loss `log Σ exp(x − m) − (x_label −
/// m)`, backprop `exp(x − m)/Σ − onehot`, scaled by `seed` (the incoming gradient per row). `first_row`
/// and `total_count` place the rows in the whole tensor (the packet/scalar split of the
/// backprop's exp is over the flattened tensor). `scratch` holds `classes` floats.
void lk_sparse_xent_rows(const float *logits, const int64_t *labels, size_t rows, size_t classes, size_t first_row,
                         size_t total_count, float seed, float *loss, float *backprop, float *scratch);

// MARK: - The allocator

/// Has glibc keep freed blocks of up to 32 MiB in the heap (mmap threshold 32 MiB, trim
/// threshold 256 MiB) instead of returning them to the system, so that buffers allocated
/// chunk after chunk are not faulted in page by page each time: by default glibc trims a
/// freed block at the top of the heap once about twice the last one is free, and
/// `--gradient-out` over a 4 GiB `.npy` pair took 1.07 million page faults and 8.5 s
/// (56,000 and 7.4 s with this; most of the rest is writing the 2 GiB file). Larger
/// arrays still get their own mapping. Process-wide: for an executable to call (the
/// `losskit` tool does), never the library. 1 when set, 0 where the C library is not glibc.
int lk_keep_freed_chunks(void);

// MARK: - Fast math (opt-in): LossKit's own `exp` and `log1p`, not the framework's bits

/// 1 when the fast-math kernels run on this CPU's variant at full speed (AVX2 or AVX-512
/// with FMA; aarch64); the library uses them only then.
int lk_fast_math_supported(void);
/// `lk_sigmoid_xent`'s losses with LossKit's `exp` and `log1p` (vector_math.h) on the
/// blocks whose |x| ≤ 87, Eigen's elsewhere; no gradient, no scalar path.
void lk_sigmoid_xent_fast(const float *x, const float *y, size_t count, const lk_label_smoothing *smoothing, float *loss);
/// Their sum over `count` ≤ 8192 elements in the order of `lk_eigen_leaf_sum`.
float lk_sigmoid_xent_fast_leaf_sum(const float *x, const float *y, size_t count, const lk_label_smoothing *smoothing);
/// `lk_sparse_xent_rows`'s losses (no backprop) with LossKit's `exp` on the rows'
/// in-range blocks, summed in the same order.
void lk_sparse_xent_rows_fast(const float *logits, const int64_t *labels, size_t rows, size_t classes, size_t first_row,
                              float *loss);
/// LossKit's fast-math functions on n values: `op` 0 is `exp` for x in [−87.3, 0], 1 is
/// `log1p` for x in [0, 1] (other arguments give unspecified values). For the tests.
void lk_fast_math_f32(int op, const float *x, float *y, size_t n);

/// TensorFlow's SoftmaxCrossEntropyWithLogits kernel (`xent_op.h`) over `rows` rows of
/// `classes` logits and dense labels: loss `Σ y·(log S − s)` with `s = x − max` and
/// `S = Σ exp(s)`, backprop `exp(s)/S − y` scaled by `seed` (the incoming gradient per row). `first_row`
/// and `total_rows` place the rows in the whole tensor (the packet/scalar splits of the
/// log over row sums and of the backprop's exp over the flattened tensor). `scratch`
/// holds `classes` floats.
void lk_softmax_xent_rows(const float *logits, const float *labels, size_t rows, size_t classes, size_t first_row,
                          size_t total_rows, float seed, float *loss, float *backprop, float *scratch);

/// Elementwise regression losses as TensorFlow's ops compute them, with `d = p − y` (or
/// `y − p` when `reversed`, Keras 3's order): `d²`, `|d|`, or Huber's `|d| ≤ δ ? d²·0.5 :
/// |d|·δ + linear_offset` (`linear_offset = −(0.5·δ²)` rounded to float). With `grad`,
/// the gradient times `seed` as TF's autodiff forms it (Square: `g·(d·2)`, Abs:
/// `g·sign(d)`, Huber: both branches through the select, summed).
enum { LK_SQUARED_ERROR = 0, LK_ABSOLUTE_ERROR = 1, LK_HUBER = 2 };
typedef struct {
  int kind, reversed;
  float delta, linear_offset, seed;
} lk_regression_config;

void lk_regression(const float *p, const float *y, size_t count, const lk_regression_config *config, float *loss,
                   float *grad);
/// The sum of `lk_regression`'s losses over `count` ≤ 8192 elements in the order of
/// `lk_eigen_leaf_sum` (the values never leave the registers), writing `grad` as it goes.
float lk_regression_leaf_sum(const float *p, const float *y, size_t count, const lk_regression_config *config,
                             float *grad);
/// `lk_regression`'s losses summed as `lk_dd_sum_f32` sums (a double-double, about
/// 2^-100 relative), a block at a time as they are computed.
void lk_regression_dd_sum(const float *p, const float *y, size_t count, const lk_regression_config *config, double *hi,
                          double *lo);

/// PyTorch's pointwise loss kernels (ATen, CPU) on float32 `input` x and `target` y of
/// one shape: `mse_loss` `d²`, `l1_loss` `|d|`, `huber_loss`, `smooth_l1_loss`
/// (`threshold` is δ or β), `binary_cross_entropy` (logs clamped at −100) and
/// `binary_cross_entropy_with_logits`, `d = x − y`. With `grad`, their backward for an
/// incoming gradient of 1: `norm·d` (MSE: `norm = 2/numel` or 2), `norm·sgn(d)` (L1:
/// `norm = 1/numel` or 1), the Huber and smooth-L1 branches with `norm`; the BCE forms
/// divided by `divisor` (numel for `mean`, else 1). `epsilon` is ATen's 1e-12.
enum {
  LK_TORCH_MSE = 0, LK_TORCH_L1 = 1, LK_TORCH_HUBER = 2, LK_TORCH_SMOOTH_L1 = 3, LK_TORCH_BCE = 4,
  LK_TORCH_BCE_WITH_LOGITS = 5
};
typedef struct {
  int kind;
  float threshold, norm, divisor, epsilon;
} lk_torch_config;

/// BCE with logits takes SLEEF's exp and log1p (log_sigmoid's vector kernel) on every
/// element, and for the gradient's sigmoid SLEEF's exp on elements before `scalar_from`,
/// the C library's from there (cpu_kernel_vec's scalar tail). `loss` must not overlap
/// `x` or `y` (BCE with logits keeps its exponentials there). BCELoss sets
/// `*out_of_range` to 1 (atomically; never back to 0) when an input or target is outside
/// [0, 1] or NaN, and its values are then meaningless; `out_of_range` may be NULL.
void lk_torch_pointwise(const float *x, const float *y, size_t count, size_t scalar_from, const lk_torch_config *config,
                        float *loss, float *grad, int *out_of_range);
/// `lk_torch_pointwise`'s losses summed as `lk_dd_sum_f32` sums, a block at a time as
/// they are computed (BCELoss's range check sets `out_of_range` as there).
void lk_torch_pointwise_dd_sum(const float *x, const float *y, size_t count, size_t scalar_from,
                               const lk_torch_config *config, int *out_of_range, double *hi, double *lo);

/// torch's `CrossEntropyLoss` on (N, C) logits and class indices, per row: `log_softmax`
/// (SLEEF's `exp` and `log`, torch's 16-lane row sum; the backward's multiply-subtract
/// fused), `picked[r]` the
/// log-probability at the label (0 where the label is `ignore_index`), and with `grad`
/// the backward of `nll_loss`'s gradient `scale` at the label through `log_softmax`.
/// `scratch` holds `classes` floats.
void lk_torch_cross_entropy_rows(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                 int64_t ignore_index, float scale, float *picked, float *grad, float *scratch);

/// One level-0 block of ATen's `multi_row_sum` over 32-lane steps: `out[l] = Σ_s x[32s + l]`
/// added in step order from zero.
void lk_cascade_block(const float *x, size_t steps, float *out);

/// `multi_row_sum`'s carries through levels 1–3: for each of `blocks` level-0 sums (32
/// lanes each, at `sums + 32·b`), level 0 takes it, then each level j ≥ 1 adds level j − 1
/// (which is cleared) until block (b + 1)·2^power has a bit set in level j's mask.
/// `levels` holds the four 32-lane levels, in and out.
void lk_cascade_carry(const float *sums, size_t blocks, int power, float *levels);

/// The sum of `count` float32 values (times `w[i]` when `w` is given, exact in double),
/// accumulated as a double-double (TwoSum per addition): `hi + lo` equals the exact
/// sum to about 2^-100 relative.
void lk_dd_sum_f32(const float *x, const float *w, size_t count, double *hi, double *lo);

/// One pass over `count` doubles for the input checks: how many are not NaN, −1, 0, 1,
/// non-negative integers (or +∞); the least and greatest (NaN skipped; ±∞ when none).
typedef struct {
  int64_t numbers, minus_ones, zeros, ones, integral;
  double min, max;
} lk_value_summary;
void lk_summarise_values(const double *v, size_t count, lk_value_summary *out);
/// The same summary of floats (each widened exactly).
void lk_summarise_floats(const float *v, size_t count, lk_value_summary *out);

/// Eigen's InnerMostDimReducer leaf sum of `count` ≤ 8192 contiguous floats: four 8-lane
/// accumulators, leftover packets, a scalar tail from zero, pairwise lane reduction.
float lk_eigen_leaf_sum(const float *x, size_t count);

/// The memory floor of a pass over two float arrays: their sum, read once, vectorised
/// (what streaming `a` and `b` from memory costs, without any arithmetic to speak of),
/// prefetching 4 KiB ahead as the element-wise kernels do (LK_STREAM_NEAR), 8 KiB ahead
/// as the softmax kernels' first reads do (LK_STREAM_FAR), or not at all
/// (LK_STREAM_HARDWARE), whatever lk_software_prefetch says for the kernels.
enum { LK_STREAM_NEAR = 0, LK_STREAM_FAR = 1, LK_STREAM_HARDWARE = 2 };
double lk_stream_sum(const float *a, const float *b, size_t count, int prefetch);

/// Asks the kernel to back the whole 2 MiB pages of a fresh buffer of `bytes` bytes with
/// transparent huge pages (Linux `madvise(MADV_HUGEPAGE)`; a hint, ignored elsewhere and
/// below 8 MiB). A first write to a large output otherwise takes a page fault every 4 KiB,
/// which costs more than computing most losses.
void lk_advise_huge_pages(void *start, size_t bytes);

/// PyTorch's float32 vector functions on AVX-512 (SLEEF's u10 exp, log and log1p, which
/// torch's log_softmax, log_sigmoid, log1p, sigmoid and softplus kernels call), one
/// value per call: sleef_math.h.
float lk_sleef_expf_u10(float x);
float lk_sleef_logf_u10(float x);
float lk_sleef_log1pf_u10(float x);

/// optax.losses.sigmoid_binary_cross_entropy's per-element values as the traced JAX
/// policy computes them (XLA's exp and log1p, every operand and result flushed), and,
/// when `grad` is not NULL, the gradient of their sum with respect to x.
void lk_optax_sigmoid_bce(const float *x, const float *y, size_t count, float *loss, float *grad);

/// optax.losses.softmax_cross_entropy_with_integer_labels for `rows` rows of `classes`
/// (at most 32,768) logits, as the traced JAX policy computes it for logits of 4,096
/// elements or more (XLA's exp and log, YNNPACK's row sums, every operand and result
/// flushed): one loss per row and, when `grad` is not NULL, the gradient of their sum
/// with respect to the logits. Labels in [0, classes); `scratch` holds `classes` floats.
void lk_optax_sparse_xent_rows(const float *logits, const int64_t *labels, size_t rows, size_t classes, float *loss,
                               float *grad, float *scratch);

/// optax.losses.softmax_cross_entropy for `rows` rows of `classes` (at most 32,768)
/// logits and labels of one shape, as the traced JAX policy computes it for logits of
/// 4,096 elements or more: one loss per row and, when `grad` is not NULL, the gradient
/// of their sum with respect to the logits. `scratch` holds `classes` floats.
void lk_optax_softmax_xent_rows(const float *logits, const float *labels, size_t rows, size_t classes, float *loss,
                                float *grad, float *scratch);

enum { LK_OPTAX_SQUARED_ERROR = 0, LK_OPTAX_L2 = 1, LK_OPTAX_HUBER = 2 };
/// optax.losses.squared_error, l2_loss and huber_loss(delta) per element as the traced
/// JAX policy computes them (every operand and result flushed) and, when `grad` is not
/// NULL, the gradient of their sum with respect to the predictions `p`.
void lk_optax_regression(int kind, const float *p, const float *t, size_t count, float delta, float *loss, float *grad);

/// Test hook: the number of float32 inputs (every `stride`-th in each range) where the
/// range-limited exp (on [−87, 0]) and log1p (on [0, 1]) the value-only kernels use
/// differ in any bit from the general Eigen functions. Zero is the invariant.
size_t lk_check_range_limited_functions(uint32_t stride);

/// Test hook: the number of float32 bit patterns (every `stride`-th) where the 16-lane
/// SLEEF functions of the active CPU variant differ from the one-lane ones.
size_t lk_check_sleef_functions(uint32_t stride);

/// Test hook: the number of floats x in [0, 1] (every `stride`-th bit pattern, 1.0 and −0)
/// where the active CPU variant's vector logf(x) or log1pf(−x) (glibc_math.h, BCELoss's
/// fast path) differs in any bit from the C library's. `lk_glibc_logs_agree` is whether
/// the check at stride 1,021 found none (cached per variant): the kernels use the vector
/// forms only then.
size_t lk_check_glibc_logs(uint32_t stride);
int lk_glibc_logs_agree(void);

/// Test hook: the number of floats x in [−87, 0] (every `stride`-th bit pattern from −0,
/// and −87) where the active CPU variant's vector expf(x) (glibc_math.h, the short
/// softmax rows' scalar tail) differs in any bit from the C library's.
/// `lk_glibc_expf_agrees` is whether the check at stride 1,021 found none (cached per
/// variant): the kernels use the vector form only then.
size_t lk_check_glibc_expf(uint32_t stride);
int lk_glibc_expf_agrees(void);

/// Sets the x86 DAZ and FTZ flags (TensorFlow's and XLA's threads run with them) and
/// returns the previous control word; `lk_restore_float_environment` puts it back.
unsigned lk_enter_flush_to_zero(void);
void lk_restore_float_environment(unsigned previous);

#ifdef __cplusplus
}
#endif

#endif
