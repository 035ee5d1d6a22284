/// `keras.losses.MeanAbsoluteError` and its tf-keras twin: `mean(|y − p|, axis=−1)`.
///
/// The gradient at `p == y` is 0 (TF's `abs′(0) = sign(0) = 0`; JAX would give −1/n).
public struct KerasMeanAbsoluteError<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "MeanAbsoluteError", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "mean_absolute_error" }
  public static var functionAliases: [String] { Convention.framework == .tfKeras ? ["MAE", "mae"] : [] }
  public static var functionSummary: String { "mean(|y − p|) over the last axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    let absolute = try t.step(.elementwiseLoss, "|y − p|") { t in
      t.abs(try KerasFamily.difference(Convention.self, &t, yTrue, yPred))
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, absolute, axis: -1))
  }
}

extension Keras {
  public typealias MeanAbsoluteError = KerasMeanAbsoluteError<Keras>
}

extension TFKeras {
  public typealias MeanAbsoluteError = KerasMeanAbsoluteError<TFKeras>
}
