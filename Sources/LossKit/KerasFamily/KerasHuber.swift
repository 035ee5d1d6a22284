/// `keras.losses.Huber` and `tf_keras.losses.Huber`: with `e = p − y`,
/// `mean(|e| ≤ δ ? 0.5·e² : δ·|e| − 0.5·δ², axis=−1)`.
///
/// The test is `≤` (quadratic on the boundary). Gradients: `e/n` inside, `±δ/n` at and
/// beyond `|e| = δ`, 0 at `e = 0`. tf-keras casts everything, `delta` included, to
/// `floatx()` (float32): float64 arrays are computed in float32 there.
public struct KerasHuber<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var delta: Double
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(delta: 1) }
  public init(delta: Double = 1, reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.delta = delta
    self.reduction = reduction
    self.dtype = dtype
  }

  /// The arguments the class shares with its loss function, declared once for both
  /// (the class adds ``KerasFamilyLoss/callParameters``).
  static var sharedParameters: [LossParameter<Self>] {
    [LossParameter("delta", \.delta, "where the loss turns from quadratic to linear")]
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Convention.framework, "Huber", summary: functionSummary,
      parameters: sharedParameters + callParameters,
      notes: functionNotes)
  }

  public func computeDType(forInputs inputs: DType) -> DType {
    Convention.huberComputesInFloatx ? .float32 : Convention.computeDType(requested: dtype, inputs: inputs)
  }

  public static var functionName: String { "huber" }
  public static var functionSummary: String { "mean(|e| ≤ δ ? e²/2 : δ|e| − δ²/2) over the last axis, e = p − y" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
    KerasFunction.parameters(sharedParameters)
  }
  public static var functionNotes: [ConventionNote] {
    Convention.huberComputesInFloatx
      ? [ConventionNote("float64 inputs", "huber casts to floatx(): the result is float32 whatever the inputs' dtype")] : []
  }
  public static func functionComputeDType(forInputs inputs: DType) -> DType {
    Convention.huberComputesInFloatx ? .float32 : inputs
  }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    let d = S(delta)
    let elementwise = try t.step(.elementwiseLoss, "|e| ≤ δ ? 0.5·e² : δ·|e| − 0.5·δ²", [.number("delta", delta)]) { t in
      let error = try t.subtract(yPred, yTrue, argument: "y_true")
      let absError = t.abs(error)
      let quadratic = t.multiply(t.unary(.square, error), S(0.5))
      let linear = t.add(t.multiply(absError, d), -(S(0.5) * (d * d)))
      return try t.select(t[absError].map { $0 <= d }, quadratic, linear)
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, elementwise, axis: -1))
  }
}

extension Keras {
  public typealias Huber = KerasHuber<Keras>
}

extension TFKeras {
  public typealias Huber = KerasHuber<TFKeras>
}
