/// `keras.losses.LogCosh` and its tf-keras twin: with `x = p − y`,
/// `mean(x + softplus(−2x) − log 2, axis=−1)`, the overflow-safe form of `log cosh x`.
///
/// `log 2` is computed in float32 and then cast (both frameworks), so a float64
/// computation subtracts float32's 0.6931472 — `log_cosh(0)` is 1.9e-8 there, not 0.
/// `softplus` is TensorFlow's kernel (`x` above 13.94, `eˣ` below −13.94 in float32).
public struct KerasLogCosh<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "LogCosh", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "log_cosh" }
  public static var functionAliases: [String] { Convention.framework == .tfKeras ? ["logcosh"] : [] }
  public static var functionSummary: String { "mean(x + softplus(−2x) − log 2) over the last axis, x = p − y" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    let log2 = S(Float.log(2))
    let elementwise = try t.step(.elementwiseLoss, "x + softplus(−2x) − log 2", [.number("log2", Double(log2))]) { t in
      let x = try t.subtract(yPred, yTrue, argument: "y_true")
      let softplus = t.unary(.softplus, t.multiply(x, -2))
      return try t.subtract(t.add(x, softplus), t.constant(log2, name: "log(2.0) (float32)"))
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, elementwise, axis: -1))
  }
}

extension Keras {
  public typealias LogCosh = KerasLogCosh<Keras>
}

extension TFKeras {
  public typealias LogCosh = KerasLogCosh<TFKeras>
}
