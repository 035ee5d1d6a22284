extension Keras {
  /// `keras.losses.BinaryCrossentropy`: the mean over `axis` of the elementwise binary
  /// cross-entropy, then weighted and reduced.
  ///
  /// With probabilities, `y_pred` is clipped to `[ε, 1 − ε]` (float32: `[1e-7, 1 − 2⁻²³]`)
  /// and the loss is `−(y·log p + (1 − y)·log(1 − p))` — no ε inside the logs (compare
  /// ``TFKeras/BinaryCrossentropy``). Clipped entries get a zero gradient. With
  /// `fromLogits`, `tf.nn.sigmoid_cross_entropy_with_logits` (unbounded, stable).
  /// Label smoothing moves the labels toward 0.5: `y·(1 − ls) + 0.5·ls`.
  ///
  /// Backends: JAX and numpy compute the same forward values (JAX's mean may differ by
  /// one ulp); torch uses `log1p(−p)` for `log(1 − p)`. At a probability exactly on a clip
  /// bound TF passes the gradient, JAX halves it and torch ≥ 2.14 drops it.
  public struct BinaryCrossentropy: LossFunction {
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1, reduction: Reduction = .sumOverBatchSize) {
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Keras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        try KerasFamily.binaryCrossentropy(
          Keras.self, &t, yTrue: yTrue, yPred: yPred, fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
      }
    }
  }
}
