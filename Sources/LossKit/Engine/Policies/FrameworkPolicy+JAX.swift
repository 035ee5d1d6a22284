extension FrameworkPolicy {
  /// JAX 0.10.2 (XLA) on the CPU: `max`/`min` split a tie in half (so `jnp.clip` halves
  /// the gradient on a bound), and XLA's CPU code runs with DAZ/FTZ set:
  /// `jnp.exp(jnp.float32(-90.))` is `0.0`.
  public static let jax = FrameworkPolicy(
    name: "jax",
    gradientRules: GradientRules(extremumTie: .split),
    summation: .sequential,
    elementaryFunctions: .cLibrary,
    flushesSubnormals: true)
}
