extension Keras {
  /// `keras.losses.CategoricalFocalCrossentropy`: `Σ α·(1 − p)^γ·(−y·log p)` over `axis`.
  ///
  /// Written in backend-independent ops, so every backend agrees: with `fromLogits`,
  /// `softmax` first (no logits shortcut); then the probabilities are divided by their
  /// sum over `axis` and clipped to `[ε, 1 − ε]`. `alpha` multiplies every class alike.
  /// Label smoothing uses `C` = the last axis of `y_true`.
  public struct CategoricalFocalCrossentropy: LossFunction {
    public var alpha: Double
    public var gamma: Double
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(
      alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false, labelSmoothing: Double = 0,
      axis: Int = -1, reduction: Reduction = .sumOverBatchSize
    ) {
      self.alpha = alpha
      self.gamma = gamma
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Keras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        try KerasFamily.categoricalFocalCrossentropy(
          Keras.self, &t, yTrue: yTrue, yPred: yPred, alpha: alpha, gamma: gamma, fromLogits: fromLogits,
          labelSmoothing: labelSmoothing, axis: axis)
      }
    }
  }
}
