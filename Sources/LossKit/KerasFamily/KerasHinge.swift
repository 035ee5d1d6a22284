/// `keras.losses.Hinge` and `SquaredHinge` (and their tf-keras twins):
/// `mean(max(1 − y·p, 0), axis=−1)` and `mean(max(1 − y·p, 0)², axis=−1)`.
///
/// Labels are converted from {0, 1} to {−1, 1} only when *every* label of the batch is
/// 0 or 1 (one 0.5 anywhere and nothing is converted). At the margin `y·p = 1` TF's
/// `maximum` passes the gradient: `−y/n`, as inside the active region
/// (`tf.compat.v1.losses.hinge_loss`, a `relu`, gives 0 there).
public struct KerasHinge<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "Hinge", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "hinge" }
  public static var functionSummary: String { "mean(max(1 − y·p, 0)) over the last axis; {0,1} labels become {−1,1}" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let margin = try KerasFamily.hingeMargin(&t, yTrue, yPred)
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, margin, axis: -1))
  }
}

/// `SquaredHinge`: `mean(max(1 − y·p, 0)², axis=−1)`; see ``KerasHinge``.
public struct KerasSquaredHinge<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(reduction: Convention.defaultReduction) }
  public init(reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.reduction = reduction
    self.dtype = dtype
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(Convention.framework, "SquaredHinge", summary: functionSummary, parameters: callParameters)
  }

  public static var functionName: String { "squared_hinge" }
  public static var functionSummary: String { "mean(max(1 − y·p, 0)²) over the last axis; {0,1} labels become {−1,1}" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let margin = try KerasFamily.hingeMargin(&t, yTrue, yPred)
    let squared = t.step(.elementwiseLoss, "square") { t in t.unary(.square, margin) }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, squared, axis: -1))
  }
}

extension KerasFamily {
  /// `max(1 − y±·p, 0)` with the labels converted as `convert_binary_labels_to_hinge`.
  static func hingeMargin<S: LossScalar>(_ t: inout LossTrace<S>, _ yTrue: Value<S>, _ yPred: Value<S>) throws -> Value<S> {
    let labels = hingeLabels(&t, yTrue)
    return try t.step(.elementwiseLoss, "max(1 − y·p, 0)") { t in
      t.maximum(t.subtract(1, try t.multiply(labels, yPred, argument: "y_true")), 0)
    }
  }
}

extension Keras {
  public typealias Hinge = KerasHinge<Keras>
  public typealias SquaredHinge = KerasSquaredHinge<Keras>
}

extension TFKeras {
  public typealias Hinge = KerasHinge<TFKeras>
  public typealias SquaredHinge = KerasSquaredHinge<TFKeras>
}
