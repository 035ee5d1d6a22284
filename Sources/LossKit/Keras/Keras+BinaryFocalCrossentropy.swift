extension Keras {
  /// `keras.losses.BinaryFocalCrossentropy`: binary cross-entropy scaled by the focal
  /// factor `(1 − p_t)^γ`, optionally by the class balance `α_t`, then the mean over
  /// `axis`.
  ///
  /// `p_t = y·p + (1 − y)·(1 − p)` uses the unclipped probability. `alpha` is used only
  /// when `applyClassBalancing` is true.
  ///
  /// Backends: with `fromLogits`, Keras applies `sigmoid` first. On the TensorFlow
  /// backend that sigmoid carries its logits, so the cross-entropy term is computed
  /// from the logits (unclipped, non-zero gradient in saturation) — that is what this
  /// type reproduces. JAX, torch and numpy clip `sigmoid(x)` instead (e.g. y = 1,
  /// x = −30: TF 30 per element, the others 15.94 with a 1e-12 gradient).
  public struct BinaryFocalCrossentropy: LossFunction {
    public var applyClassBalancing: Bool
    public var alpha: Double
    public var gamma: Double
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(
      applyClassBalancing: Bool = false, alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false,
      labelSmoothing: Double = 0, axis: Int = -1, reduction: Reduction = .sumOverBatchSize
    ) {
      self.applyClassBalancing = applyClassBalancing
      self.alpha = alpha
      self.gamma = gamma
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Keras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        try KerasFamily.binaryFocalCrossentropy(
          Keras.self, &t, yTrue: yTrue, yPred: yPred, applyClassBalancing: applyClassBalancing, alpha: alpha,
          gamma: gamma, fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
      }
    }
  }
}
