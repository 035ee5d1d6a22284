extension Keras {
  /// `keras.losses.Dice`: `1 − 2·Σ y·p / (Σ y + Σ p + ε)` over `axis`.
  ///
  /// With `axis=None` (the default) the sums run over every element, the batch
  /// included, so the "per-sample" loss is one scalar, which every reduction returns
  /// as is — unless a sample weight turns it into a `(B,)` tensor first (`loss·mean(w)`
  /// with `sum_over_batch_size`). All-zero `y` and `p` give 1 with a zero gradient.
  public struct Dice: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = Keras
    public var reduction: Reduction
    public var axis: AxisArgument
    public var dtype: DType?

    public init() { self.init(axis: .all) }
    public init(reduction: Reduction = .sumOverBatchSize, axis: AxisArgument = .all, dtype: DType? = nil) {
      self.reduction = reduction
      self.axis = axis
      self.dtype = dtype
    }

    public static let declaration = LossDeclaration<Self>(
      .keras, "Dice", summary: "1 − 2Σy·p/(Σy + Σp + ε) over axis (None: everything, one scalar)",
      parameters: [
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
        LossParameter("axis", \.axis, "axes the sums run over (null: every axis, the batch included)"),
        LossParameter("dtype", \.dtype, "dtype the inputs are cast to and computed in (null: floatx, float32)"),
      ],
      notes: [ConventionNote("Keras 3.2–3.3", "no axis argument: the sums always run over everything")])

    public static var functionName: String { "dice" }
    public static var functionSummary: String { "1 − 2Σy·p/(Σy + Σp + ε) over axis" }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
      [LossParameter("axis", \.loss.axis, "axes the sums run over (null: every axis)")]
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      let product = try t.multiply(yTrue, yPred, argument: "y_true")
      let axes = try axis.reductionAxes(rank: t.shape(product).count)
      return try t.step(.elementwiseLoss, "1 − 2·Σ y·p / (Σ y + Σ p + ε) over axis \(axis.pythonDescription)") { t in
        let intersection = t.reduce(.sum, product, axes: axes)
        let denominator = try t.add(t.reduce(.sum, yTrue, axes: axes), t.reduce(.sum, yPred, axes: axes))
        let dice = try t.divide(t.multiply(intersection, 2), t.add(denominator, S(epsilon)))
        return PerSampleLoss(value: t.subtract(1, dice))
      }
    }
  }
}
