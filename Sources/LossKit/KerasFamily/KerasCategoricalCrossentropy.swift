/// `keras.losses.CategoricalCrossentropy` and `tf_keras.losses.CategoricalCrossentropy`:
/// `−Σ y·log p` over `axis` for one-hot (or soft) labels.
///
/// Probabilities are first divided by their sum over `axis`, then clipped to
/// `[ε, 1 − ε]`; with `fromLogits` the fused `softmax_cross_entropy_with_logits` op is
/// used, whose gradient is `softmax − y` even when the labels do not sum to one. Label
/// smoothing moves labels toward `1/C`; Keras 3.15.1 takes `C` from the *last* axis of
/// `y_true` whatever `axis` is, tf-keras from `axis`.
public struct KerasCategoricalCrossentropy<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var fromLogits: Bool
  public var labelSmoothing: Double
  public var axis: Int
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(fromLogits: false) }

  public init(
    fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1,
    reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil
  ) {
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
      LossParameter("from_logits", \.fromLogits, KerasFamily.fromLogitsSummary),
      LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 1/C: y·(1 − ls) + ls/C"),
      LossParameter("axis", \.axis, "class axis"),
    ]
  }

  public static var declaration: LossDeclaration<Self> {
    let keras3 = Convention.framework == .keras
    return LossDeclaration(
      Convention.framework, "CategoricalCrossentropy",
      summary: keras3
        ? "−Σ y·log p over axis; probabilities normalised then clipped"
        : "−Σ y·log p over axis; label smoothing counts classes along axis",
      parameters: sharedParameters + callParameters,
      notes: keras3
        ? [
          ConventionNote("JAX, torch and numpy backends", "with from_logits the gradient is the true (Σy)·softmax − y, not the fused kernel's softmax − y, when label rows do not sum to 1"),
          ConventionNote("Keras after 3.15.1", "label smoothing counts classes along axis (3.15.1 uses the last axis)"),
        ] : [])
  }

  public static var functionName: String { "categorical_crossentropy" }
  public static var functionSummary: String { "−Σ y·log p over axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
    KerasFunction.parameters(sharedParameters)
  }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let target = try KerasFamily.smoothCategoricalLabels(Convention.self, &t, yTrue, labelSmoothing, axis: axis)
    return PerSampleLoss(
      value: try Keras.Backend.categoricalCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits, axis: axis))
  }
}

extension Keras {
  public typealias CategoricalCrossentropy = KerasCategoricalCrossentropy<Keras>
}

extension TFKeras {
  public typealias CategoricalCrossentropy = KerasCategoricalCrossentropy<TFKeras>
}
