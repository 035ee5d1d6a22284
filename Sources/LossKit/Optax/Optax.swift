/// Optax's `optax.losses`, with the semantics of optax 0.2.8 on jax 0.10.2 (CPU).
///
/// Optax's losses are functions that return unreduced values (per element or per
/// example) — except `ntxent`, `ranking_softmax_loss`, the dice losses and
/// `multiclass_generalized_dice_loss`, which reduce as optax does. `y_pred` is the
/// function's first positional argument (`logits`, `predictions`, `scores`,
/// `log_predictions`, `embeddings`, `anchors`), `y_true` its second (`labels`,
/// `targets`, `positives`); CTC's `y_true` is its `labels`. Every other tensor argument
/// (`where`, `weights`, `negatives`, `class_weights`, `logit_paddings`,
/// `label_paddings`) is a parameter under optax's name. Computation follows JAX's own
/// primitives under ``FrameworkPolicy/jax`` (ties split in half, `abs′(0) = 1`, XLA's
/// summation order, subnormals flushed), with JAX's custom derivative rules where JAX
/// has them (`logaddexp`, `softmax`, `relu`, optax's `weighted_logsoftmax` and simplex
/// projection).
public enum Optax {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(SigmoidBinaryCrossEntropy.self),
      LossDefinition(SoftmaxCrossEntropy.self),
      LossDefinition(SoftmaxCrossEntropyWithIntegerLabels.self),
      LossDefinition(SafeSoftmaxCrossEntropy.self),
      LossDefinition(PolyLossCrossEntropy.self),
      LossDefinition(SigmoidFocalLoss.self),
      LossDefinition(HingeLoss.self),
      LossDefinition(MulticlassHingeLoss.self),
      LossDefinition(PerceptronLoss.self),
      LossDefinition(MulticlassPerceptronLoss.self),
      LossDefinition(SparsemaxLoss.self),
      LossDefinition(MulticlassSparsemaxLoss.self),
      LossDefinition(L2Loss.self),
      LossDefinition(SquaredError.self),
      LossDefinition(HuberLoss.self),
      LossDefinition(LogCosh.self),
      LossDefinition(CosineSimilarity.self),
      LossDefinition(CosineDistance.self),
      LossDefinition(KLDivergence.self),
      LossDefinition(KLDivergenceWithLogTargets.self),
      LossDefinition(ConvexKLDivergence.self),
      LossDefinition(GeneralizedKLDivergence.self),
      LossDefinition(CTCLoss.self),
      LossDefinition(CTCLossWithForwardProbs.self),
      LossDefinition(NTXent.self),
      LossDefinition(TripletMarginLoss.self),
      LossDefinition(RankingSoftmaxLoss.self),
      LossDefinition(DiceLoss.self),
      LossDefinition(BinaryDiceLoss.self),
      LossDefinition(MulticlassGeneralizedDiceLoss.self),
      LossDefinition(FenchelYoungLoss.self),
    ]
  }

  /// Notes every optax loss shares, for `losskit list --notes`.
  static let commonNotes = [
    ConventionNote(
      "float64 without jax_enable_x64",
      "JAX computes float64 arrays in float32 unless x64 is enabled (jnp.asarray truncates them and warns): "
        + "LossKit's float64 is JAX with x64 enabled; for a default JAX session use --dtype float32"),
    ConventionNote(
      "XLA elementary functions",
      "XLA's CPU exp/log/log1p/logistic/tanh are its own polynomials (60% of float32 exp results equal glibc's); "
        + "LossKit runs them bit for bit, and YNNPACK's order for float32 sums of 4096+ elements over the last axis "
        + "or over everything; XLA also fuses a loss's multiply-adds into FMAs and YNNPACK uses its own exp inside "
        + "a fused reduction, which LossKit does not model: float32 values may differ by an ulp or two"),
  ]

  /// `y_pred` as `logits`, `y_true` as `labels`.
  static let logitsAndLabels = InputNames(yTrue: "labels", yPred: "logits")
  /// `y_pred` as `predictions`, `y_true` as `targets`.
  static let predictionsAndTargets = InputNames(yTrue: "targets", yPred: "predictions")
  /// `y_pred` as `scores`, `y_true` as `labels`.
  static let scoresAndLabels = InputNames(yTrue: "labels", yPred: "scores")

  /// Records the two inputs; optax losses take no sample weight.
  static func recordInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, _ names: InputNames
  ) throws -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    guard inputs.sampleWeight == nil else {
      throw LossError.invalidValue(
        argument: "sample_weight", expected: "none (optax losses take no sample weight; use `where` or weights)",
        got: "a tensor")
    }
    return t.recordInputs(inputs, yTrueName: names.yTrue, yPredName: names.yPred)
  }

  /// Throws unless `shape` broadcasts with `reference` (JAX's "Incompatible shapes for
  /// broadcasting").
  static func requireBroadcast(_ shape: [Int], _ name: String, with reference: [Int], _ referenceName: String) throws -> [Int] {
    guard let out = Shape.broadcast(reference, shape) else {
      throw LossError.shapeMismatch(
        argument: name, expected: "a shape that broadcasts with \(referenceName) \(Shape.describe(reference))",
        got: Shape.describe(shape))
    }
    return out
  }
}

extension Optax {
  /// Optax's `axis` arguments (``AxisArgument``).
  public typealias Axes = AxisArgument

  /// A `where` mask from its parameter value: nonzero is true.
  static func mask(_ tensor: Tensor<Double>?) -> Tensor<Bool>? {
    tensor.map { $0.map { $0 != 0 } }
  }
}
