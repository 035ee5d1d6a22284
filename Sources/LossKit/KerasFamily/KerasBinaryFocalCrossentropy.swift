/// `keras.losses.BinaryFocalCrossentropy` and `tf_keras.losses.BinaryFocalCrossentropy`:
/// binary cross-entropy scaled by the focal factor `(1 − p_t)^γ`, optionally by the
/// class balance `α_t`, then the mean over `axis`.
///
/// `p_t = y·p + (1 − y)·(1 − p)` uses the unclipped probability; `alpha` is used only
/// when `applyClassBalancing` is true. With `fromLogits` the cross-entropy term is the
/// stable logits op in both frameworks — tf-keras calls it directly, Keras 3's
/// TensorFlow backend recovers the logits its own `sigmoid` attached to its output —
/// while `p_t` uses `sigmoid(x)`. The probability form uses each framework's binary
/// cross-entropy (tf-keras's with ε inside the logs).
public struct KerasBinaryFocalCrossentropy<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var applyClassBalancing: Bool
  public var alpha: Double
  public var gamma: Double
  public var fromLogits: Bool
  public var labelSmoothing: Double
  public var axis: Int
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(applyClassBalancing: false) }

  public init(
    applyClassBalancing: Bool = false, alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false,
    labelSmoothing: Double = 0, axis: Int = -1, reduction: Convention.Reduction = Convention.defaultReduction,
    dtype: DType? = nil
  ) {
    self.applyClassBalancing = applyClassBalancing
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
      LossParameter("apply_class_balancing", \.applyClassBalancing, "weight by α for 1s, 1 − α for 0s"),
      LossParameter("alpha", \.alpha, "class-balancing weight of the positive class"),
      LossParameter("gamma", \.gamma, KerasFamily.gammaSummary),
      LossParameter("from_logits", \.fromLogits, KerasFamily.fromLogitsSummary),
      LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 0.5: y·(1 − ls) + 0.5·ls"),
      LossParameter("axis", \.axis, "axis the mean runs over"),
    ]
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Convention.framework, "BinaryFocalCrossentropy",
      summary: "binary cross-entropy × (1 − p_t)^γ (× α_t with class balancing), mean over axis",
      parameters: sharedParameters + callParameters,
      notes: Convention.framework == .keras
        ? [
          ConventionNote("JAX, torch and numpy backends", "with from_logits the cross-entropy term clips sigmoid(x) instead of using the logits: y = 1, x = −30 gives 15.94 per element instead of 30, with a 1e-12 gradient")
        ] : [])
  }

  public static var functionName: String { "binary_focal_crossentropy" }
  public static var functionSummary: String { "binary cross-entropy × (1 − p_t)^γ (× α_t with class balancing), mean over axis" }
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
    var probabilities = yPred
    if fromLogits {
      probabilities = t.step(.activation, "sigmoid(y_pred)", [.text("function", "sigmoid")]) { t in t.sigmoid(yPred) }
    }
    let bce = try Convention.binaryCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits)
    var focal = try t.step(
      .focalFactor, "focal factor (1 − p_t)^γ, p_t = y·p + (1 − y)·(1 − p)", [.number("gamma", gamma)]
    ) { t in
      let pt = try t.add(
        t.multiply(target, probabilities, argument: "y_true"),
        t.multiply(t.subtract(1, target), t.subtract(1, probabilities), argument: "y_true"))
      let focalFactor = t.pow(t.subtract(1, pt), S(gamma))
      return try t.multiply(focalFactor, bce)
    }
    if applyClassBalancing {
      focal = try t.step(.classWeights, "class balancing y·α + (1 − y)·(1 − α)", [.number("alpha", alpha)]) { t in
        let weight = try t.add(t.multiply(target, S(alpha)), t.multiply(t.subtract(1, target), S(1 - alpha)))
        return try t.multiply(weight, focal)
      }
    }
    return PerSampleLoss(value: try KerasFamily.axisReduction(&t, .mean, focal, axis: axis))
  }
}

extension Keras {
  public typealias BinaryFocalCrossentropy = KerasBinaryFocalCrossentropy<Keras>
}

extension TFKeras {
  public typealias BinaryFocalCrossentropy = KerasBinaryFocalCrossentropy<TFKeras>
}
