/// `keras.losses.CategoricalFocalCrossentropy` and its tf-keras twin:
/// `Σ α·(1 − p)^γ·(−y·log p)` over `axis`.
///
/// Written in backend-independent ops, so every Keras 3 backend agrees: with
/// `fromLogits`, `softmax` first (no logits shortcut); then the probabilities are
/// divided by their sum over `axis` and clipped to `[ε, 1 − ε]`. `alpha` multiplies
/// every class alike. Label smoothing uses `C` = the last axis of `y_true` in both
/// frameworks. tf-keras checks that the shapes agree; Keras 3 broadcasts them.
public struct KerasCategoricalFocalCrossentropy<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var alpha: Double
  public var gamma: Double
  public var fromLogits: Bool
  public var labelSmoothing: Double
  public var axis: Int
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(alpha: 0.25) }

  public init(
    alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false, labelSmoothing: Double = 0,
    axis: Int = -1, reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil
  ) {
    self.alpha = alpha
    self.gamma = gamma
    self.fromLogits = fromLogits
    self.labelSmoothing = labelSmoothing
    self.axis = axis
    self.reduction = reduction
    self.dtype = dtype
  }

  /// The arguments the class shares with its loss function, declared once for both
  /// (the class adds ``KerasFamilyLoss/callParameters``).
  static var sharedParameters: [LossParameter<Self>] {
    [
      LossParameter("alpha", \.alpha, "multiplier of every class"),
      LossParameter("gamma", \.gamma, KerasFamily.gammaSummary),
      LossParameter("from_logits", \.fromLogits, KerasFamily.fromLogitsSummary),
      LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 1/C: y·(1 − ls) + ls/C"),
      LossParameter("axis", \.axis, "class axis"),
    ]
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Convention.framework, "CategoricalFocalCrossentropy", summary: "Σ α·(1 − p)^γ·(−y·log p) over axis",
      parameters: sharedParameters + callParameters)
  }

  public static var functionName: String { "categorical_focal_crossentropy" }
  public static var functionSummary: String { "Σ α·(1 − p)^γ·(−y·log p) over axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
    KerasFunction.parameters(sharedParameters)
  }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    // Both frameworks count the classes along the last axis here, whatever `axis` is.
    let target = try KerasFamily.smoothCategoricalLabels(Convention.self, &t, yTrue, labelSmoothing, axis: -1)
    if Convention.checksCategoricalFocalShapes {
      try Shape.requireSame(t.shape(target), "y_true", as: t.shape(yPred), "y_pred")
    }
    var probabilities = yPred
    if fromLogits {
      probabilities = try t.step(.activation, "softmax over axis \(axis)", [.text("function", "softmax"), .integer("axis", axis)]) { t in
        try TensorFlowOps.softmax(&t, yPred, axis: axis)
      }
    }
    let resolved = try Shape.resolve(axis: axis, rank: t.shape(probabilities).count)
    let clipped = try KerasFamily.normalizeAndClip(&t, probabilities, axis: axis, resolved: resolved)
    let focal = try t.step(.elementwiseLoss, "α·(1 − p)^γ·(−y·log p)", [.number("alpha", alpha), .number("gamma", gamma)]) { t in
      let crossEntropy = try t.multiply(t.negate(target), t.log(clipped), argument: "y_true")
      let modulating = t.pow(t.subtract(1, clipped), S(gamma))
      let weighting = t.multiply(modulating, S(alpha))
      return try t.multiply(weighting, crossEntropy, argument: "y_true")
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .sum, focal, axis: axis))
  }
}

extension Keras {
  public typealias CategoricalFocalCrossentropy = KerasCategoricalFocalCrossentropy<Keras>
}

extension TFKeras {
  public typealias CategoricalFocalCrossentropy = KerasCategoricalFocalCrossentropy<TFKeras>
}
