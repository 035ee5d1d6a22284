/// Legacy Keras 2 (`tf.keras` up to TensorFlow 2.15, now the `tf_keras` package), with
/// the semantics of tf-keras 2.21 — the behaviour most answers on the web describe.
///
/// The losses mirror `tf_keras.losses`; inputs are taken to be tensors, as inside
/// `model.fit` (tf-keras squeezes a trailing 1 only when both inputs are tensors).
/// The notable differences from ``Keras``: the probability form of binary
/// cross-entropy adds ε inside each log after clipping, `1 − ε` is computed in the
/// input dtype, the default reduction is `auto`, and a `(B,)` sample weight on a
/// `(B, T)` loss is expanded to `(B, 1)`.
public enum TFKeras {
  /// `tf_keras.backend.epsilon()`, 1e-7.
  public static let epsilon = 1e-7

  /// `tf.keras.losses.Reduction` (`ReductionV2`).
  public enum Reduction: String, Sendable, CaseIterable, ParameterChoice {
    /// The default: `sumOverBatchSize` outside a distribution strategy.
    case auto
    /// Sum divided by the number of elements of the weighted loss (0 when empty).
    case sumOverBatchSize = "sum_over_batch_size"
    case sum
    case none
  }

  /// The registry entries of every tf-keras loss LossKit implements.
  static var definitions: [LossDefinition] {
    sharedClassDefinitions + [LossDefinition(SparseCategoricalCrossentropy.self)]
      // The loss functions (`tf_keras.losses.mean_squared_error` alias `MSE`, ...).
      + sharedFunctionDefinitions + [LossDefinition(KerasFunction<SparseCategoricalCrossentropy>.self)]
  }
}

extension TFKeras: KerasConvention {
  public static var framework: Framework { .tfKeras }
  public static var defaultReduction: Reduction { .auto }
  public static var takesDType: Bool { false }
  /// tf-keras computes in the dtype of `y_pred` (and casts `y_true` to it).
  public static func computeDType(requested: DType?, inputs: DType) -> DType { requested ?? inputs }

  /// `Loss.__call__` of `tf_keras/src/losses.py` for a `LossFunctionWrapper` called
  /// with tensors: squeeze, compute, then `apply_valid_mask` and
  /// `compute_weighted_loss`.
  public static func call<S: LossScalar>(
    on t: inout LossTrace<S>, _ inputs: LossInputs<S>, reduction: Reduction,
    _ perSample: (inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value) throws -> PerSampleLoss<S>
  ) throws -> LossTrace<S>.Value {
    var (yTrue, yPred) = t.recordInputs(inputs)
    (yPred, yTrue) = t.step(.alignRanks, "squeeze_or_expand_dimensions(y_pred, y_true)") { t in
      squeezeOrExpandDimensions(&t, yPred: yPred, yTrue: yTrue)
    }
    let loss = try perSample(&t, yTrue, yPred)
    let weight = try applyValidMask(&t, loss.value, sampleWeight: inputs.sampleWeight, mask: loss.mask, reduction: reduction)
    return try computeWeightedLoss(&t, loss.value, sampleWeight: weight, reduction: reduction)
  }

  /// `losses_utils.squeeze_or_expand_dimensions(y_pred, y_true)`: unless `y_pred` has
  /// exactly one more dimension with a size other than 1 (sparse labels), drop a
  /// trailing 1 from whichever input has one rank more.
  static func squeezeOrExpandDimensions<S: LossScalar>(
    _ t: inout LossTrace<S>, yPred: LossTrace<S>.Value, yTrue: LossTrace<S>.Value
  ) -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    let (p, y) = (t.shape(yPred), t.shape(yTrue))
    guard p.count - y.count != 1 || p.last == 1 else { return (yPred, yTrue) }
    let rankDifference = p.count - y.count
    if rankDifference == 1, p.last == 1 {
      return (t.reshape(yPred, to: Array(p.dropLast())), yTrue)
    }
    if rankDifference == -1, y.last == 1 {
      return (yPred, t.reshape(yTrue, to: Array(y.dropLast())))
    }
    return (yPred, yTrue)
  }

  /// The sample-weight half of `squeeze_or_expand_dimensions`: a weight of one rank
  /// more loses its last axis (which must be 1), one of one rank less gains one.
  static func alignWeight<S: LossScalar>(
    _ t: inout LossTrace<S>, _ weight: LossTrace<S>.Value, to reference: [Int]
  ) throws -> LossTrace<S>.Value {
    let w = t.shape(weight)
    if w.isEmpty { return weight }
    if w.count - reference.count == 1 {
      guard w.last == 1 else {
        throw LossError.shapeMismatch(
          argument: "sample_weight", expected: "a last dimension of 1 to squeeze (loss shape \(Shape.describe(reference)))",
          got: Shape.describe(w))
      }
      return t.reshape(weight, to: Array(w.dropLast()))
    }
    if reference.count - w.count == 1 { return t.reshape(weight, to: w + [1]) }
    return weight
  }

  /// `losses_utils.apply_valid_mask`: with `auto`/`sum_over_batch_size` the mask is
  /// scaled by total/valid (no divide-no-NaN: an all-masked batch gives NaN), then
  /// multiplied into the sample weight.
  static func applyValidMask<S: LossScalar>(
    _ t: inout LossTrace<S>, _ losses: LossTrace<S>.Value, sampleWeight: Tensor<S>?, mask: Tensor<Bool>?,
    reduction: Reduction
  ) throws -> LossTrace<S>.Value? {
    let weight = sampleWeight.map { w in t.step(.sampleWeight, "sample_weight") { t in t.constant(w, name: "sample_weight") } }
    guard let mask else { return weight }
    return try t.step(.mask, "mask → weights (apply_valid_mask)", [.integer("valid", mask.scalars.lazy.filter { $0 }.count)]) { t in
    var maskValue = t.constant(mask.map { $0 ? S(1) : 0 }, name: "mask")
    if reduction == .auto || reduction == .sumOverBatchSize {
      let total = S(mask.count)
      let valid = S(mask.scalars.lazy.filter { $0 }.count)
      maskValue = try t.multiply(maskValue, t.constant(total / valid, name: "total / valid"))
    }
    if let given = weight {
      let aligned = try alignWeight(&t, given, to: t.shape(maskValue))
      return try t.binary(.multiply, aligned, maskValue, argument: "sample_weight")
    }
    return maskValue
    }
  }

  /// `losses_utils.compute_weighted_loss`.
  static func computeWeightedLoss<S: LossScalar>(
    _ t: inout LossTrace<S>, _ losses: LossTrace<S>.Value, sampleWeight: LossTrace<S>.Value?, reduction: Reduction
  ) throws -> LossTrace<S>.Value {
    var weighted = losses
    if let sampleWeight {
      weighted = try t.step(.sampleWeight, "weight the per-sample losses") { t in
        let aligned = try alignWeight(&t, sampleWeight, to: t.shape(losses))
        return try t.binary(.multiply, losses, aligned, argument: "sample_weight")
      }
    }
    // A missing weight is the scalar 1.0: multiplying by it changes nothing, so it is
    // not recorded.
    let elements = t[weighted].count
    switch reduction {
    case .none:
      return weighted
    case .sum:
      return t.step(.reduction, "reduction=sum", [.text("reduction", "sum"), .text("divisor", "none"), .integer("elements", elements)]) { t in
        t.sum(weighted)
      }
    case .auto, .sumOverBatchSize:
      return try t.step(
        .reduction, "reduction=\(reduction.rawValue) (sum / element count)",
        [.text("reduction", reduction.rawValue), .text("divisor", "element count"), .integer("elements", elements)]
      ) { t in
        let total = t.sum(weighted)
        return try t.binary(.divideNoNaN, total, t.constant(S(elements), name: "element count"))
      }
    }
  }
}
