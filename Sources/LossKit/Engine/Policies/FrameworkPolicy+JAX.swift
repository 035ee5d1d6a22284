extension FrameworkPolicy {
  /// JAX 0.10.2 (XLA) on the CPU, as measured (`Tools/conformance/generate_optax.py`):
  /// - `max`/`min` split a tie in half (`_balanced_eq`), so `jnp.maximum(0, 1 − y·f)` has
  ///   gradient −½·y at the margin and `jnp.clip` (a `maximum` then a `minimum`) halves
  ///   the gradient exactly on a bound;
  /// - `abs′(0) = 1`: the JVP is `select(x >= 0, g, −g)`;
  /// - `log′` divides, `g / x`;
  /// - derivatives in JAX's forms (``GradientRules/DerivativeFormulas/jax``);
  /// - XLA reduces in windows of 32 (`TreeReductionRewriter`), YNNPACK from 4096 elements
  ///   (its order for float32 sums over the last axis or over everything), and a mean
  ///   multiplies the sum by the rounded reciprocal of the count;
  /// - XLA's own `exp`/`log`/`log1p`/logistic/`expm1`/`tanh` (``ElementaryFunctions/xla``);
  /// - the CPU runs with DAZ/FTZ, in float32 and float64 alike: `jnp.exp(jnp.float32(-90.))`
  ///   is `0.0`, `jnp.log(jnp.float32(1e-39))` is `-inf`.
  public static let jax = FrameworkPolicy(
    name: "jax",
    gradientRules: GradientRules(extremumTie: .split, logDerivative: .divide, absAtZero: .positive, formulas: .jax),
    summation: .xla(window: 32, largeReduction: 4096),
    elementaryFunctions: .xla,
    flushesSubnormals: true)
}
