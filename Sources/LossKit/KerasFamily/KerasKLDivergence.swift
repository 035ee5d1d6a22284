/// `keras.losses.KLDivergence` and its tf-keras twin:
/// `Σ y′·log(y′ / p′)` over the last axis with `y′ = clip(y, ε, 1)`, `p′ = clip(p, ε, 1)`.
///
/// Both sides are clipped, so values above 1 count as 1 and an all-zero label row gives
/// a small negative loss (`Σ ε·log(ε/p′)`). Clipped predictions get a zero gradient,
/// except exactly on a bound, where TF's `clip_by_value` passes it.
public struct KerasKLDivergence<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "KLDivergence", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "kl_divergence" }
  public static var functionAliases: [String] {
    Convention.framework == .tfKeras ? ["KLD", "kld", "kullback_leibler_divergence"] : []
  }
  public static var functionSummary: String { "Σ y·log(y/p) over the last axis, both clipped to [ε, 1]" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (lower, upper) = (S(Keras.epsilon), S(1))
    let (clippedTrue, clippedPred) = t.step(
      .clip, "clip y_true and y_pred to [ε, 1]", [.number("lower", Double(lower)), .number("upper", 1)]
    ) { t in
      (TensorFlowOps.clipByValue(&t, yTrue, lower, upper), TensorFlowOps.clipByValue(&t, yPred, lower, upper))
    }
    let elementwise = try t.step(.elementwiseLoss, "y·log(y/p)") { t in
      try t.multiply(clippedTrue, t.log(t.divide(clippedTrue, clippedPred, argument: "y_true")))
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .sum, elementwise, axis: -1))
  }
}

extension Keras {
  public typealias KLDivergence = KerasKLDivergence<Keras>
}

extension TFKeras {
  public typealias KLDivergence = KerasKLDivergence<TFKeras>
}
