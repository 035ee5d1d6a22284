/// `keras.losses.MeanSquaredLogarithmicError` and its tf-keras twin:
/// `mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))², axis=−1)`.
///
/// `log(v + 1)`, not `log1p`; inputs below ε (negative predictions included) are
/// raised to ε and get a zero gradient (at `p == ε` exactly TF's `maximum` passes it).
/// In float64 Keras 3's ε is float32's 1e-7 (a float32 tensor cast up), tf-keras's the
/// double 1e-7.
public struct KerasMeanSquaredLogarithmicError<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Convention.framework, "MeanSquaredLogarithmicError", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "mean_squared_logarithmic_error" }
  public static var functionAliases: [String] { Convention.framework == .tfKeras ? ["MSLE", "msle"] : [] }
  public static var functionSummary: String { "mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))²) over the last axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    let epsilon: S = Convention.msleEpsilon()
    let squared = try t.step(
      .elementwiseLoss, "(log(max(p, ε) + 1) − log(max(y, ε) + 1))²", [.number("epsilon", Double(epsilon))]
    ) { t in
      let first = t.log(t.add(t.maximum(yPred, epsilon), 1))
      let second = t.log(t.add(t.maximum(yTrue, epsilon), 1))
      return t.unary(.square, try t.subtract(first, second, argument: "y_true"))
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, squared, axis: -1))
  }
}

extension Keras {
  public typealias MeanSquaredLogarithmicError = KerasMeanSquaredLogarithmicError<Keras>
}

extension TFKeras {
  public typealias MeanSquaredLogarithmicError = KerasMeanSquaredLogarithmicError<TFKeras>
}
