/// `keras.losses.CosineSimilarity` and its tf-keras twin: the **negative** cosine
/// similarity, `−Σ normalize(y)·normalize(p)` over `axis` — −1 for identical
/// directions, 0 when either vector is zero.
///
/// Keras 3.15.1 normalises with `x · min(rsqrt(Σx²), 1e7)`, tf-keras with
/// `tf.linalg.l2_normalize` (`x · rsqrt(max(Σx², 1e-12))`); both give a finite gradient
/// at a zero `y_pred` (−1e7 and −1e6 times the normalised target), where JAX and torch
/// give NaN.
public struct KerasCosineSimilarity<Convention: KerasConvention>: KerasFamilyLoss, KerasFunctionalForm {
  public var axis: Int
  public var reduction: Convention.Reduction
  public var dtype: DType?

  public init() { self.init(axis: -1) }
  public init(axis: Int = -1, reduction: Convention.Reduction = Convention.defaultReduction, dtype: DType? = nil) {
    self.axis = axis
    self.reduction = reduction
    self.dtype = dtype
  }

  /// The arguments the class shares with its loss function, declared once for both
  /// (the class adds ``KerasFamilyLoss/callParameters``).
  static var sharedParameters: [LossParameter<Self>] {
    [LossParameter("axis", \.axis, "axis along which the similarity is computed")]
  }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Convention.framework, "CosineSimilarity", summary: functionSummary,
      parameters: sharedParameters + callParameters,
      notes: notes)
  }

  static var notes: [ConventionNote] {
    Convention.framework == .keras
      ? [
        ConventionNote("JAX and torch backends", "the gradient at an all-zero y_pred is NaN (0·∞ through rsqrt); TF's is finite"),
        ConventionNote("Keras 3.0.0–3.0.4", "normalised by rsqrt(max(Σx², ε)): vectors with ‖x‖ < 3.2e-4 are not normalised"),
      ]
      : [ConventionNote("dtypes", "tf-keras casts nothing: float64 y_true with float32 y_pred raises InvalidArgumentError")]
  }

  public static var functionName: String { "cosine_similarity" }
  public static var functionSummary: String { "−Σ normalize(y)·normalize(p) over axis (negative similarity)" }
  public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
    KerasFunction.parameters(sharedParameters)
  }
  public static var functionNotes: [ConventionNote] { notes }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try callClass(on: &t, inputs)
  }

  public func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S> {
    let (yTrue, yPred) = Convention.alignFunctionInputs(&t, yTrue, yPred)
    // Keras 3 normalises y_pred first, tf-keras y_true; the order changes no number.
    let normalizedPred = try Convention.l2Normalize(&t, yPred, axis: axis)
    let normalizedTrue = try Convention.l2Normalize(&t, yTrue, axis: axis)
    return try t.step(.elementwiseLoss, "−Σ y·p over axis \(axis)", [.integer("axis", axis)]) { t in
      let product = try t.multiply(normalizedTrue, normalizedPred, argument: "y_true")
      let resolved = try Shape.resolve(axis: axis, rank: t.shape(product).count)
      return PerSampleLoss(value: t.negate(t.sum(product, axis: resolved)))
    }
  }
}

extension Keras {
  public typealias CosineSimilarity = KerasCosineSimilarity<Keras>
}

extension TFKeras {
  public typealias CosineSimilarity = KerasCosineSimilarity<TFKeras>
}
