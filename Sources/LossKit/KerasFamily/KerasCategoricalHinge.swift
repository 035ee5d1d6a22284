/// `keras.losses.CategoricalHinge` and its tf-keras twin:
/// `max(max((1 − y)·p) − Σ y·p + 1, 0)` over the last axis.
///
/// The true class contributes `0·p = 0` to the inner max, so for one-hot labels the
/// negative term is never below 0 (p = [−2, 0.5], y = [0, 1] costs 0.5, not 0). Ties in
/// the max share the gradient equally (TF's `reduce_max` gradient), the true class's
/// zero included; at a loss of exactly 0 the outer `maximum` passes the gradient.
public struct KerasCategoricalHinge<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "CategoricalHinge", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "categorical_hinge" }
  public static var functionSummary: String { "max(max((1 − y)·p) − Σ y·p + 1, 0) over the last axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let product = try t.multiply(yTrue, yPred, argument: "y_true")
    let last = try Shape.resolve(axis: -1, rank: t.shape(product).count)
    return try t.step(.elementwiseLoss, "max(neg − pos + 1, 0), pos = Σ y·p, neg = max((1 − y)·p)") { t in
      let pos = t.sum(product, axis: last)
      let negatives = try t.multiply(t.subtract(1, yTrue), yPred, argument: "y_true")
      let neg = t.reduce(.max, negatives, axes: [last])
      return PerSampleLoss(value: t.maximum(t.add(try t.subtract(neg, pos), 1), 0))
    }
  }
}

extension Keras {
  public typealias CategoricalHinge = KerasCategoricalHinge<Keras>
}

extension TFKeras {
  public typealias CategoricalHinge = KerasCategoricalHinge<TFKeras>
}
