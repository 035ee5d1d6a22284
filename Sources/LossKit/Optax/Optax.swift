/// Optax's `optax.losses`, with the semantics of optax 0.2.8 on jax 0.10.2 (CPU).
public enum Optax {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    []
  }
}
