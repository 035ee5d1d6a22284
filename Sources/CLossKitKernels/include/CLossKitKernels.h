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
/// Restricts the kernels to the given features (for tests and benchmarks); -1 restores.
void lk_set_cpu_features(int features);

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

/// Eigen's float preciprocal (approximate reciprocal + one Newton step) on the packet
/// path, `1 / x` on the scalar path.
float lk_eigen_reciprocalf(float x);
void lk_eigen_reciprocal_f32(const float *x, float *y, size_t n, size_t packet);
/// TensorFlow's SigmoidGrad: `g·(y·(1 − y))` on the packet path, `(g·y)·(1 − y)` on the
/// scalar path.
void lk_tf_sigmoid_grad_f32(const float *y, const float *g, float *out, size_t n, size_t packet);
void lk_tf_sigmoid_grad_f64(const double *y, const double *g, double *out, size_t n, size_t packet);

#ifdef __cplusplus
}
#endif

#endif
