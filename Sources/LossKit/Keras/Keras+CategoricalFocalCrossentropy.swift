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
        var target = yTrue
        if labelSmoothing != 0 {
          guard let classes = t.shape(yTrue).last else {
            throw LossError.shapeMismatch(argument: "y_true", expected: "rank at least 1", got: "a scalar")
          }
          target = try Backend.smoothCategoricalLabels(&t, yTrue, labelSmoothing, classes: classes)
        }
        var probabilities = yPred
        if fromLogits {
          t.step = "softmax over axis \(axis)"
          probabilities = try TensorFlowOps.softmax(&t, yPred, axis: axis)
        }
        return PerSampleLoss(
          value: try CategoricalFocal.perSample(
            &t, target: target, probabilities: probabilities, axis: axis, alpha: alpha, gamma: gamma,
            upperBound: S(1.0 - epsilon)))
      }
    }
  }
}

/// The categorical focal cross-entropy body shared by Keras 3 and tf-keras (they differ
/// only in how `1 − ε` is rounded).
enum CategoricalFocal {
  static func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, probabilities: LossTrace<S>.Value, axis: Int,
    alpha: Double, gamma: Double, upperBound: S
  ) throws -> LossTrace<S>.Value {
    t.step = "normalize to sum to 1 over axis \(axis)"
    let resolved = try Keras.Backend.normalize(axis: axis, rank: t.shape(probabilities).count)
    let total = t.sum(probabilities, axis: resolved, keepDims: true)
    let normalized = try t.divide(probabilities, total)
    t.step = "clip to [ε, 1 − ε]"
    let clipped = t.clipByValue(normalized, S(Keras.epsilon), upperBound)
    t.step = "α·(1 − p)^γ·(−y·log p)"
    let crossEntropy = try t.binary(.multiply, t.negate(target), t.log(clipped), argument: "y_true")
    let modulating = t.pow(t.subtract(1, clipped), S(gamma))
    let weighting = t.multiply(modulating, S(alpha))
    let focal = try t.binary(.multiply, weighting, crossEntropy, argument: "y_true")
    t.step = "sum over axis \(axis)"
    return try Keras.Backend.reduce(&t, .sum, focal, axis: axis)
  }
}
