extension Keras {
  /// `keras.losses.CategoricalCrossentropy`: `−Σ y·log p` over `axis` for one-hot (or
  /// soft) labels.
  ///
  /// Probabilities are first divided by their sum over `axis`, then clipped to
  /// `[ε, 1 − ε]`; with `fromLogits` the fused `softmax_cross_entropy_with_logits` op is
  /// used, whose gradient is `softmax − y` even when the labels do not sum to one.
  /// Label smoothing moves labels toward `1/C` where, in Keras 3.15.1, `C` is the size
  /// of the *last* axis of `y_true` whatever `axis` is.
  public struct CategoricalCrossentropy: LossFunction {
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
        try KerasFamily.categoricalCrossentropy(
          Keras.self, &t, yTrue: yTrue, yPred: yPred, fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
      }
    }
  }
}
