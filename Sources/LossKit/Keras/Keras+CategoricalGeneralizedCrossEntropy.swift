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
  public struct CategoricalGeneralizedCrossEntropy: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = Keras
    /// In the open interval (0, 1) (Keras raises `ValueError` otherwise; LossKit throws
    /// ``LossError/invalidParameter(name:expected:got:)`` when the loss is evaluated).
    public var q: Double
    public var reduction: Reduction
    /// The dtype inputs are cast to (nil: float32).
    public var dtype: DType?

    public init() { self.init(q: 0.5) }

    public init(q: Double = 0.5, reduction: Reduction = .sumOverBatchSize, dtype: DType? = nil) {
      self.q = q
      self.reduction = reduction
      self.dtype = dtype
    }

    public static let declaration = LossDeclaration<Self>(
      .keras, "CategoricalGeneralizedCrossEntropy", summary: "(1 − p_y^q)/q for integer labels (noise-robust)",
      parameters: [
        LossParameter("q", \.q, "noise parameter: toward 0 cross-entropy, toward 1 MAE", .openInterval(0, 1)),
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
        LossParameter("dtype", \.dtype, "dtype the inputs are cast to and computed in (null: floatx, float32)"),
      ],
      takesClassIndices: true,
      notes: [
        ConventionNote("out-of-range labels", "Keras one-hot encodes them as zeros and returns 1/q with a NaN gradient; LossKit reports an error"),
        ConventionNote("labels of shape (B, 1)", "broadcast against (B, C) into a (B, B) loss in Keras; LossKit reproduces it"),
      ])

    public static var functionName: String { "categorical_generalized_cross_entropy" }
    public static var functionSummary: String { "(1 − p_y^q)/q for integer labels" }
    public static var functionTakesClassIndices: Bool { true }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
      [LossParameter("q", \.loss.q, "noise parameter (Python requires it; LossKit defaults to the class's 0.5)", .openInterval(0, 1))]
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      guard let classes = t.shape(yPred).last else {
        throw LossError.shapeMismatch(argument: "y_pred", expected: "rank at least 1", got: "a scalar")
      }
      let labels = try ClassLabels.truncating(t[yTrue], argument: "y_true")
      try ClassLabels.requireInRange(labels, classes: classes, argument: "y_true")
      let py = try t.step(.elementwiseLoss, "p_y = Σ y_pred·one_hot(y_true, C = \(classes)) over the last axis", [.integer("classes", classes)]) { t in
        var oneHot = [S](repeating: 0, count: labels.count * classes)
        for (i, label) in labels.scalars.enumerated() { oneHot[i * classes + label] = 1 }
        let encoded = t.constant(Tensor(shape: labels.shape + [classes], scalars: oneHot), name: "one_hot(y_true)")
        let product = try t.multiply(yPred, encoded, argument: "y_true")
        return t.sum(product, axis: t.shape(product).count - 1)
      }
      return try t.step(.elementwiseLoss, "(1 − p_y^q) / q", [.number("q", q)]) { t in
        PerSampleLoss(value: try t.divide(t.subtract(1, t.pow(py, S(q))), t.constant(S(q))))
      }
    }
  }
}
