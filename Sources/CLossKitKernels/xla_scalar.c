// XLA's CPU elementary functions (jaxlib 0.10.2 on x86-64 with AVX-512 and FMA, the
// MXCSR's FTZ and DAZ set, as JAX runs its kernels), one lane, bit for bit: exp, log,
// log1p, logistic, expm1 and tanh in float32 and float64. Read from the code XLA
// compiles (`XLA_FLAGS=--xla_dump_to=DIR`: the optimised LLVM IR and the object files)
// and checked against `jax.jit` results (Tools/fixtures/make_xla_tables.py writes the
// table ElementaryFunctionTests replays; docs/elementary-functions.md).
//
// - Every `__builtin_fma` is a vfmadd in XLA's machine code (its backend fuses each
//   multiply whose only user is an add); every other `*` and `+` rounds separately.
// - DAZ: a subnormal input acts as a zero of its sign. FTZ: a subnormal result becomes
//   a zero, judged before rounding as x86 does, wherever that can change a result.
// - Not reproduced: the C library's `expf`/`logf`, which XLA calls instead on 1-D
//   outputs of 3, 5, 6, 7 elements (and the last n − 8 of 11, 13, 14, 15), and the other
//   product fused in the scalarised 9th element of a 9-element float32 `log1p`.
// - float64 `log` is a call to the C library's `log` (jaxlib links glibc's
//   `log@GLIBC_2.2.5` wrapper, whose x ≤ 0 answers are reproduced).
#include "CLossKitKernels.h"
#include "xla_math.h"

float lk_xla_expf(float x) { return xla_expf(x); }
float lk_xla_logf(float x) { return xla_logf(x); }
float lk_xla_log1pf(float x) { return xla_log1pf(x); }
float lk_xla_sigmoidf(float x) { return xla_sigmoidf(x); }
float lk_xla_tanhf(float x) { return xla_tanhf(x); }
float lk_xla_expm1f(float x) { return xla_expm1f(x); }
double lk_xla_exp(double x) { return xla_exp(x); }
double lk_xla_log(double x) { return xla_log(x); }
double lk_xla_log1p(double x) { return xla_log1p(x); }
double lk_xla_sigmoid(double x) { return xla_sigmoid(x); }
double lk_xla_tanh(double x) { return xla_tanh(x); }
double lk_xla_expm1(double x) { return xla_expm1(x); }
