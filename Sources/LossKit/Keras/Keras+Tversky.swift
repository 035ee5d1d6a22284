extension Keras {
  /// `keras.losses.Tversky`: `1 − TP / (TP + α·A + β·B + ε)` over `axis`, with
  /// `TP = Σ y·p`, and in Keras ≤ 3.15.1 `A = Σ (1 − p)·y` (the false negatives) and
  /// `B = Σ p·(1 − y)` (the false positives) — α weighs false negatives, contrary to
  /// the docstring (swapped after 3.15.1). `alpha = beta = 0.5` is ``Dice``.
  public struct Tversky: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = Keras
    public var alpha: Double
    public var beta: Double
    public var reduction: Reduction
    public var axis: AxisArgument
    public var dtype: DType?

    public init() { self.init(alpha: 0.5) }
    public init(
      alpha: Double = 0.5, beta: Double = 0.5, reduction: Reduction = .sumOverBatchSize, axis: AxisArgument = .all,
      dtype: DType? = nil
    ) {
      self.alpha = alpha
      self.beta = beta
      self.reduction = reduction
      self.axis = axis
      self.dtype = dtype
    }

    public static let declaration = LossDeclaration<Self>(
      .keras, "Tversky", summary: "1 − TP/(TP + α·FN + β·FP + ε) over axis (3.15.1's α/β order)",
      parameters: [
        LossParameter("alpha", \.alpha, "weight of Σ(1 − p)·y (the false negatives in 3.15.1)"),
        LossParameter("beta", \.beta, "weight of Σ p·(1 − y) (the false positives in 3.15.1)"),
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
        LossParameter("axis", \.axis, "axes the sums run over (null: every axis, the batch included)"),
        LossParameter("dtype", \.dtype, "dtype the inputs are cast to and computed in (null: floatx, float32)"),
      ],
      notes: [
        ConventionNote("Keras after 3.15.1", "alpha and beta are swapped (fa9afd5a26): α=0.2, β=0.8 on the Dice example gives 0.63730574 instead of 0.5930233")
      ])

    public static var functionName: String { "tversky" }
    public static var functionSummary: String { "1 − TP/(TP + α·FN + β·FP + ε) over axis" }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
      [
        LossParameter("alpha", \.loss.alpha, "weight of Σ(1 − p)·y"),
        LossParameter("beta", \.loss.beta, "weight of Σ p·(1 − y)"),
        LossParameter("axis", \.loss.axis, "axes the sums run over (null: every axis)"),
      ]
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      let product = try t.multiply(yTrue, yPred, argument: "y_true")
      let axes = try axis.reductionAxes(rank: t.shape(product).count)
      return try t.step(
        .elementwiseLoss, "1 − TP / (TP + α·Σ(1 − p)·y + β·Σ p·(1 − y) + ε) over axis \(axis.pythonDescription)",
        [.number("alpha", alpha), .number("beta", beta)]
      ) { t in
        let intersection = t.reduce(.sum, product, axes: axes)
        let fp = t.reduce(.sum, try t.multiply(t.subtract(1, yPred), yTrue, argument: "y_true"), axes: axes)
        let fn = t.reduce(.sum, try t.multiply(yPred, t.subtract(1, yTrue), argument: "y_true"), axes: axes)
        let denominator = try t.add(t.add(intersection, t.multiply(fp, S(alpha))), t.multiply(fn, S(beta)))
        let tversky = try t.divide(intersection, t.add(denominator, S(epsilon)))
        return PerSampleLoss(value: t.subtract(1, tversky))
      }
    }
  }
}
