/// `keras.losses.MeanAbsolutePercentageError` and its tf-keras twin:
/// `100 · mean(|(y − p) / max(|y|, ε)|, axis=−1)` with ε = 1e-7.
///
/// A percentage, not a fraction (scikit-learn returns the fraction), and a target of 0
/// divides by ε: `y = 0, p = 1` costs 1e9 per element.
public struct KerasMeanAbsolutePercentageError<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Convention.framework, "MeanAbsolutePercentageError", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "mean_absolute_percentage_error" }
  public static var functionAliases: [String] { Convention.framework == .tfKeras ? ["MAPE", "mape"] : [] }
  public static var functionSummary: String { "100·mean(|(y − p)/max(|y|, ε)|) over the last axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    let ratio = try t.step(.elementwiseLoss, "|(y − p) / max(|y|, ε)|", [.number("epsilon", Keras.epsilon)]) { t in
      let denominator = t.maximum(t.abs(yTrue), S(Keras.epsilon))
      return t.abs(try t.divide(t.subtract(yTrue, yPred, argument: "y_true"), denominator))
    }
    let mean = try KerasFamily.axisReduction(&t, .mean, ratio, axis: -1)
    return PerSampleLoss(value: t.multiply(mean, S(100)))
  }
}

extension Keras {
  public typealias MeanAbsolutePercentageError = KerasMeanAbsolutePercentageError<Keras>
}

extension TFKeras {
  public typealias MeanAbsolutePercentageError = KerasMeanAbsolutePercentageError<TFKeras>
}
