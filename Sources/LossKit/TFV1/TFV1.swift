/// TensorFlow 1-style `tf.compat.v1.losses`, with the semantics of TensorFlow 2.21,
/// executed eagerly (TF 2's default).
///
/// Each function takes `labels` (`y_true`), `predictions` or `logits` (`y_pred`) and
/// `weights` (the case format's `sample_weight`; a missing weight is the Python float
/// 1.0), computes the elementwise loss, and reduces it with `compute_weighted_loss`
/// under a ``Reduction`` — by default dividing by the number of non-zero weights.
///
/// Dtypes: the elementwise functions cast `labels` and `predictions` to float32, so
/// float64 arrays are computed in float32. The three cross-entropies compute the
/// per-sample loss in the logits' dtype, then `compute_weighted_loss` casts it and the
/// weights to float32, reduces in float32 and casts the result back (see
/// ``TFV1/computeWeightedLoss(_:_:weights:reduction:)``).
public enum TFV1 {
  /// `tf.compat.v1.losses.Reduction`, spelled by its string values; the member names
  /// (`SUM_BY_NONZERO_WEIGHTS`, `NONE`, ...) are accepted as aliases.
  public enum Reduction: String, Sendable, CaseIterable, ParameterChoice {
    /// `NONE`: the weighted losses, unreduced.
    case none
    /// `SUM`: the sum of the weighted losses.
    case sum = "weighted_sum"
    /// `MEAN`: the sum divided by the sum of the weights broadcast to the losses.
    case mean = "weighted_mean"
    /// `SUM_OVER_BATCH_SIZE`: the sum divided by the number of loss elements.
    case sumOverBatchSize = "weighted_sum_over_batch_size"
    /// `SUM_BY_NONZERO_WEIGHTS` (alias `SUM_OVER_NONZERO_WEIGHTS`), the default: the
    /// sum divided by the number of elements whose broadcast weight is not 0. Every
    /// division is a "safe mean": 0 when the divisor is 0.
    case sumByNonzeroWeights = "weighted_sum_by_nonzero_weights"

    public static var aliases: [String: Reduction] {
      [
        "NONE": .none, "SUM": .sum, "MEAN": .mean, "SUM_OVER_BATCH_SIZE": .sumOverBatchSize,
        "SUM_BY_NONZERO_WEIGHTS": .sumByNonzeroWeights, "SUM_OVER_NONZERO_WEIGHTS": .sumByNonzeroWeights,
      ]
    }
  }

  /// The registry entries of every `tf.compat.v1.losses` function LossKit implements.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(LogLoss.self),
      LossDefinition(SigmoidCrossEntropy.self),
      LossDefinition(SoftmaxCrossEntropy.self),
      LossDefinition(SparseSoftmaxCrossEntropy.self),
      LossDefinition(MeanSquaredError.self),
      LossDefinition(AbsoluteDifference.self),
      LossDefinition(HingeLoss.self),
      LossDefinition(HuberLoss.self),
      LossDefinition(CosineDistance.self),
      LossDefinition(MeanPairwiseSquaredError.self),
    ]
  }

  static let reductionSummary = "how the weighted losses are reduced (the member names SUM, MEAN, ... work too)"
  static let labelsAndPredictions = InputNames(yTrue: "labels", yPred: "predictions")
  static let labelsAndLogits = InputNames(yTrue: "labels", yPred: "logits")

  /// The notes every function shares.
  static let notes: [ConventionNote] = [
    ConventionNote("reduction names", "TF accepts only the string values (\"weighted_sum\", ...); LossKit also takes the Reduction member names (SUM, SUM_BY_NONZERO_WEIGHTS, ...)"),
    ConventionNote("tf.keras / Keras", "the default divides by the number of non-zero weights, not by the batch size: weights [1, 0] on losses [a, b] give a, where Keras gives a/2"),
  ]

  /// `math_ops.cast(x, float32)` followed by the shape check
  /// `predictions.get_shape().assert_is_compatible_with(labels.get_shape())`.
  static func recordInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, _ names: InputNames
  ) throws -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    let (labels, predictions) = t.recordInputs(inputs, yTrueName: names.yTrue, yPredName: names.yPred)
    try Shape.requireSame(t.shape(labels), names.yTrue, as: t.shape(predictions), names.yPred)
    return (labels, predictions)
  }

  /// `weights_broadcast_ops.assert_broadcastable`: a scalar, or the losses' rank with
  /// every dimension 1 or equal (a `(B,)` weight on `(B, K)` losses is an error).
  static func requireBroadcastable(_ weights: [Int], to losses: [Int]) throws {
    guard !weights.isEmpty else { return }
    let fits = weights.count == losses.count && zip(weights, losses).allSatisfy { $0 == 1 || $0 == $1 }
    guard fits else {
      throw LossError.shapeMismatch(
        argument: "weights",
        expected: "a scalar or shape of rank \(losses.count) with each dimension 1 or equal to the losses' \(Shape.describe(losses))",
        got: Shape.describe(weights))
    }
  }

  /// `compute_weighted_loss(losses, weights, reduction)`.
  ///
  /// The losses and weights are cast to float32 and everything after runs in float32:
  /// in a float64 computation (the cross-entropies on float64 logits) each step is
  /// rounded to float32 and the sums run in float32's order, so the result is
  /// float32's, returned as float64, and the gradient flowing back is float32's until
  /// it reaches the float64 cross-entropy.
  ///
  /// `fromLogitsDType`: the losses come in the logits' dtype (the cross-entropies), so a
  /// float64 trace rounds them; the other functions already computed in float32.
  static func computeWeightedLoss<S: LossScalar>(
    _ t: inout LossTrace<S>, _ losses: LossTrace<S>.Value, weights: Tensor<S>?, reduction: Reduction,
    fromLogitsDType: Bool = false
  ) throws -> LossTrace<S>.Value {
    let lossShape = t.shape(losses)
    if let weights { try requireBroadcastable(weights.shape, to: lossShape) }
    let inFloat64 = fromLogitsDType && S.self == Double.self
    func float32(_ t: inout LossTrace<S>, _ v: LossTrace<S>.Value) -> LossTrace<S>.Value {
      inFloat64 ? t.unary(.roundToFloat32, v) : v
    }
    // Sums run in float32 (Eigen's float packets) whatever S is.
    func sum32(_ t: inout LossTrace<S>, _ v: LossTrace<S>.Value) -> LossTrace<S>.Value {
      guard inFloat64 else { return t.sum(v) }
      let shape = t.shape(v)
      let total = Kernels.reduce(.sum, t[v].converted(to: Float.self), axes: nil, keepDims: false, t.environment)
      return t.kernel("reduce_sum (float32)", v, value: total.converted()) { g in
        Tensor(repeating: g.scalars[0], shape: shape)
      }
    }
    let weights32 = weights?.map { S(Float($0)) }
    var weighted = t.step(.sampleWeight, "cast to float32 and multiply by the weights") { t in
      float32(&t, losses)
    }
    if let weights32 {
      weighted = try t.step(.sampleWeight, "losses · weights") { t in
        float32(&t, try t.multiply(weighted, t.constant(weights32, name: "weights"), argument: "weights"))
      }
    }
    if reduction == .none { return weighted }

    let elements = Shape.count(lossShape)
    let divisor: String
    let denominator: Float?
    switch reduction {
    case .none, .sum:
      divisor = "none"
      denominator = nil
    case .mean:
      divisor = "sum of weights"
      let broadcast = Kernels.broadcast(weights32?.converted(to: Float.self) ?? Tensor(Float(1)), to: lossShape)
      denominator = Kernels.reduce(.sum, broadcast, axes: nil, keepDims: false, t.environment).scalars[0]
    case .sumOverBatchSize:
      divisor = "element count"
      denominator = Float(elements)
    case .sumByNonzeroWeights:
      divisor = "non-zero weights"
      denominator = Float(numberPresent(weights32, lossShape: lossShape))
    }
    return try t.step(
      .reduction, "reduction=\(reduction.rawValue)",
      [.text("reduction", reduction.rawValue), .text("divisor", divisor), .integer("elements", elements)]
    ) { t in
      let total = sum32(&t, weighted)
      guard let denominator else { return total }
      let count = t.constant(S(denominator), name: divisor)
      return float32(&t, try t.binary(.divideNoNaN, total, count))
    }
  }

  /// `_num_present`: every element when the weight is absent or a non-zero scalar
  /// (eagerly), otherwise the number of elements whose broadcast weight is not 0.
  static func numberPresent<S: LossScalar>(_ weights: Tensor<S>?, lossShape: [Int]) -> Int {
    guard let weights, !isNonZeroScalar(weights) else { return Shape.count(lossShape) }
    return Kernels.broadcast(weights, to: lossShape).scalars.lazy.filter { $0 != 0 }.count
  }

  /// `_num_present`'s eager shortcut: a non-zero scalar weight makes every element of
  /// the whole tensor present, whatever the reduction axes.
  static func isNonZeroScalar<S: LossScalar>(_ weights: Tensor<S>) -> Bool {
    weights.shape.isEmpty && weights.scalars[0] != 0
  }
}
