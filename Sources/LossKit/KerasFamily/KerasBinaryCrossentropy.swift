/// `keras.losses.BinaryCrossentropy` (``Keras/BinaryCrossentropy``) and
/// `tf_keras.losses.BinaryCrossentropy` (``TFKeras/BinaryCrossentropy``): the mean over
/// `axis` of the elementwise binary cross-entropy, then weighted and reduced.
///
/// With probabilities, `y_pred` is clipped to `[ε, 1 − ε]` (float32: `[1e-7, 1 − 2⁻²³]`)
/// and clipped entries get a zero gradient. Keras 3 computes `−(y·log p + (1 − y)·log(1 − p))`;
/// tf-keras adds ε inside each log as well, so for `y_true = [1, 1, 1]`,
/// `y_pred = [1, 1, 0]` it gives 5.1416497 where Keras 3 gives 5.3726983. With
/// `fromLogits`, `tf.nn.sigmoid_cross_entropy_with_logits` (unbounded, stable). Label
/// smoothing moves the labels toward 0.5: `y·(1 − ls) + 0.5·ls`.
public struct KerasBinaryCrossentropy<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
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
      LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 0.5: y·(1 − ls) + 0.5·ls"),
      LossParameter("axis", \.axis, "axis the mean runs over"),
    ]
  }

  public static var declaration: LossDeclaration<Self> {
    let keras3 = Convention.framework == .keras
    return LossDeclaration(
      Convention.framework, "BinaryCrossentropy",
      summary: keras3
        ? "binary cross-entropy; probabilities clipped to [ε, 1−ε], mean over axis"
        : "binary cross-entropy; clips to [ε, 1−ε] and adds ε inside each log",
      parameters: sharedParameters + callParameters,
      notes: keras3
        ? [
          ConventionNote("JAX backend", "the mean may be 1 ulp off (division by a constant becomes a reciprocal multiply): 5.3726988 for the example"),
          ConventionNote("torch backend", "log(1 − p) is log1p(−p): for y = 0, p = 1e-5 the element is 1.0000050e-05, not 1.0013630e-05"),
          ConventionNote("numpy backend", "from_logits applies sigmoid and then clips, saturating at 16.118 per element"),
          ConventionNote("gradient at a clip bound", "p exactly ε or 1 − ε: TF passes the gradient, JAX halves it, torch ≥ 2.14 drops it"),
          ConventionNote("TF backend, outputs of a Keras sigmoid", "the logits behind the sigmoid are scored exactly (no clipping): a Dense(sigmoid) logit of 30 gives 30, not 15.94"),
        ]
        : [
          ConventionNote("graph mode (tf.function, fit)", "a raw tf.sigmoid output is recognised and its logits scored exactly: logits (20, 20, −20) give 6.6666665 instead of 5.1416497"),
          ConventionNote("NumPy inputs", "no squeezing: y_true (3,) against y_pred (3, 1) broadcasts silently to (3, 3) (0.87702936 instead of 0.2797764)"),
          ConventionNote("Keras 3", "no ε inside the logs: 5.3726983 instead of 5.1416497 for the example"),
        ])
  }

  public static var functionName: String { "binary_crossentropy" }
  public static var functionSummary: String { "binary cross-entropy, mean over axis" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
    KerasFunction.parameters(sharedParameters)
  }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let target = try KerasFamily.smoothBinaryLabels(Convention.self, &t, yTrue, labelSmoothing)
    let elementwise = try Convention.binaryCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits)
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, elementwise, axis: axis))
  }
}

extension Keras {
  public typealias BinaryCrossentropy = KerasBinaryCrossentropy<Keras>
}

extension TFKeras {
  public typealias BinaryCrossentropy = KerasBinaryCrossentropy<TFKeras>
}
