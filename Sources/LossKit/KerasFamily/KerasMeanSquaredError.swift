/// `keras.losses.MeanSquaredError` and `tf_keras.losses.MeanSquaredError`:
/// `mean((y − p)², axis=−1)` per sample, then weighted and reduced.
///
/// Keras 3 squares `y_true − y_pred`; tf-keras takes `tf.math.squared_difference(y_pred,
/// y_true)` — the same numbers and the same gradient `2·(p − y)/n`.
public struct KerasMeanSquaredError<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "MeanSquaredError", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "mean_squared_error" }
  public static var functionAliases: [String] { Convention.framework == .tfKeras ? ["MSE", "mse"] : [] }
  public static var functionSummary: String { "mean((y − p)²) over the last axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    let squared = try t.step(.elementwiseLoss, "(y − p)²") { t in
      t.unary(.square, try KerasFamily.difference(Convention.self, &t, yTrue, yPred))
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, squared, axis: -1))
  }
}

extension Keras {
  public typealias MeanSquaredError = KerasMeanSquaredError<Keras>
}

extension TFKeras {
  public typealias MeanSquaredError = KerasMeanSquaredError<TFKeras>
}
