/// `keras.losses.Poisson` and its tf-keras twin: `mean(p − y·log(p + ε), axis=−1)`
/// with ε = 1e-7 and no clipping — a prediction below −ε gives NaN.
public struct KerasPoisson<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "Poisson", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "poisson" }
  public static var functionSummary: String { "mean(p − y·log(p + ε)) over the last axis (no clipping)" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let elementwise = try t.step(.elementwiseLoss, "p − y·log(p + ε)", [.number("epsilon_in_log", Keras.epsilon)]) { t in
      let logTerm = try t.multiply(yTrue, t.log(t.add(yPred, S(Keras.epsilon))), argument: "y_true")
      return try t.subtract(yPred, logTerm, argument: "y_true")
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, elementwise, axis: -1))
  }
}

extension Keras {
  public typealias Poisson = KerasPoisson<Keras>
}

extension TFKeras {
  public typealias Poisson = KerasPoisson<TFKeras>
}
