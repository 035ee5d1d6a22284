extension Keras {
  /// `keras.losses.CategoricalGeneralizedCrossEntropy` (Zhang & Sabuncu 2018):
  /// `(1 − p_y^q) / q` with `p_y` the probability of the true class; `0 < q < 1`.
  ///
  /// `y_true` holds integer labels of shape `(B,)`. Keras one-hot encodes them and
  /// multiplies with `y_pred`, broadcasting: labels of shape `(B, 1)` against `(B, C)`
  /// give a `(B, B)` loss in Keras, and LossKit reproduces that. No clipping: `p_y = 0`
  /// gives loss `1/q` and an infinite gradient.
  ///
  /// Keras's `one_hot` silently encodes an out-of-range label as all zeros (loss `1/q`);
  /// LossKit reports it as an error instead.
  public struct CategoricalGeneralizedCrossEntropy: LossFunction {
    public var q: Double
    public var reduction: Reduction

    /// - Throws: ``LossError/invalidParameter(name:expected:got:)`` unless `0 < q < 1`
    ///   (Keras raises `ValueError`).
    public init(q: Double = 0.5, reduction: Reduction = .sumOverBatchSize) throws {
      guard q > 0 && q < 1 else {
        throw LossError.invalidParameter(name: "q", expected: "a value in the open interval (0, 1)", got: "\(q)")
      }
      self.q = q
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Keras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        guard let classes = t.shape(yPred).last else {
          throw LossError.shapeMismatch(argument: "y_pred", expected: "rank at least 1", got: "a scalar")
        }
        let labels = try ClassLabels.truncating(t[yTrue], argument: "y_true")
        try ClassLabels.requireInRange(labels, classes: classes, argument: "y_true")
        t.step = "one_hot(int(y_true), C = \(classes))"
        var oneHot = [S](repeating: 0, count: labels.count * classes)
        for (i, label) in labels.scalars.enumerated() { oneHot[i * classes + label] = 1 }
        let encoded = t.constant(Tensor(shape: labels.shape + [classes], scalars: oneHot), name: "one_hot(y_true)")
        t.step = "p_y = Σ y_pred·one_hot over the last axis"
        let product = try t.binary(.multiply, yPred, encoded, argument: "y_true")
        let py = t.sum(product, axis: t.shape(product).count - 1)
        t.step = "(1 − p_y^q) / q"
        let loss = try t.divide(t.subtract(1, t.pow(py, S(q))), t.constant(S(q)))
        return PerSampleLoss(value: loss)
      }
    }
  }
}
