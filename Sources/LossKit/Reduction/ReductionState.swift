/// How a loss's reduction combines per-sample values: what a streamed or sharded run
/// accumulates, and how the final value is formed from it.
public enum ReductionSemantics: String, Sendable, Codable, CaseIterable {
  /// `Σ w·ℓ`.
  case sum
  /// `Σ w·ℓ / n`, `n` the number of per-sample values (Keras `sum_over_batch_size`,
  /// torch `mean`, `tf.compat.v1` `weighted_sum_over_batch_size`).
  case mean
  /// `Σ w·ℓ / Σ w` (Keras `mean_with_sample_weight`, `tf.compat.v1` `weighted_mean`).
  case weightedMean = "weighted_mean"
  /// `Σ w·ℓ / #(w ≠ 0)` (`tf.compat.v1`'s default `weighted_sum_by_nonzero_weights`).
  case nonzeroWeightsMean = "nonzero_weights_mean"
  /// `Σ ℓ / #(targets ≠ ignore_index)` (torch's `mean` for `CrossEntropyLoss` and
  /// `NLLLoss` with class-index targets; NaN when every target is ignored): each
  /// position's weight is 1 for a counted target, 0 for an ignored one.
  case countedTargetsMean = "counted_targets_mean"
  /// `Σ ℓ · (n / v) / n`, `v` the per-sample values whose target is not `ignore_class`
  /// (Keras's `sum_over_batch_size` with `ignore_class`: `apply_mask` weights each kept
  /// value `total / valid`, computed in the loss's dtype; the ignored values are 0). With
  /// none kept: 0 in Keras 3 (`divide_no_nan`), NaN in tf-keras (`total / valid`).
  case maskWeightedMean = "mask_weighted_mean"
  /// The op has no reduction (`tf.nn`, Optax): a summary reports `Σ ℓ / n`.
  case unreduced
}

/// The mergeable state of a reduction over part of an input: exact sums and counts,
/// with the configuration they belong to. `losskit compute --partial` writes one per
/// shard; `losskit merge` adds them and forms the value one run over the whole input
/// gives.
public struct ReductionState: Sendable, Codable, Equatable {
  /// `losskit-partial/1`.
  public var format: String
  /// What was computed: framework, loss, parameters and dtypes. Shards merge only when
  /// these are identical.
  public var configuration: Configuration
  /// `Σ w·ℓ` over the per-sample values (the weights already applied by the loss).
  public var sum: ExactSum
  /// `Σ w` over the per-sample positions (each position's weight; 1 without weights).
  public var weightSum: ExactSum
  /// The number of values summed: per-sample values, or per-element losses for a loss
  /// that reduces exactly element by element (``groupSize`` > 1 then).
  public var count: Int
  /// How many consecutive summed values make one per-sample value (Keras's mean over
  /// the last axis of length T: T; otherwise 1).
  public var groupSize: Int
  /// The number of per-sample positions with a non-zero weight.
  public var nonzeroWeights: Int
  /// The number of input rows (along axis 0) seen.
  public var rows: Int
  /// Keras-family losses on a 1-D input: the per-sample value is the mean over the whole
  /// vector, so the group is the whole input and merging shards lengthens it.
  public var wholeVector: Bool

  public static let formatName = "losskit-partial/1"

  public struct Configuration: Sendable, Codable, Equatable {
    public var framework: String
    public var loss: String
    /// The parameters as given, canonically ordered by name.
    public var parameters: [String: ParameterValue]
    /// The dtype of the input arrays and the dtype the loss computes in.
    public var dtype: String
    public var computeDType: String
    public var semantics: ReductionSemantics

    public init(
      framework: String, loss: String, parameters: [String: ParameterValue], dtype: String, computeDType: String,
      semantics: ReductionSemantics
    ) {
      self.framework = framework
      self.loss = loss
      self.parameters = parameters
      self.dtype = dtype
      self.computeDType = computeDType
      self.semantics = semantics
    }

    enum CodingKeys: String, CodingKey {
      case framework, loss, parameters, dtype
      case computeDType = "compute_dtype"
      case semantics
    }
  }

  enum CodingKeys: String, CodingKey {
    case format, configuration, sum
    case weightSum = "weight_sum"
    case count
    case groupSize = "group_size"
    case nonzeroWeights = "nonzero_weights"
    case rows
    case wholeVector = "whole_vector"
  }

  public init(configuration: Configuration) {
    format = Self.formatName
    self.configuration = configuration
    sum = ExactSum()
    weightSum = ExactSum()
    count = 0
    groupSize = 1
    nonzeroWeights = 0
    rows = 0
    wholeVector = false
  }

  /// The state of per-element losses summed exactly by a fused kernel
  /// (``ExactlyReducible``), for inputs whose `y_pred` has rank `predictionRank`.
  public init(configuration: Configuration, elements: ExactElementSum, predictionRank: Int) {
    self.init(configuration: configuration)
    sum = elements.sum
    // Only a mean over the counted targets weighs the others 0 (as the traced path does).
    let counted = configuration.semantics == .countedTargetsMean ? elements.counted ?? elements.elements : elements.elements
    weightSum.add(Double(counted))
    count = elements.elements
    nonzeroWeights = counted
    groupSize = elements.groupSize
    rows = elements.rows
    wholeVector = predictionRank == 1 && elements.groupSize == elements.elements
    if wholeVector { rows = elements.elements }
  }

  /// Adds another shard's state.
  ///
  /// - Throws: ``LossError/unsupported(argument:message:)`` naming the first field of
  ///   the configuration that differs.
  public mutating func merge(_ other: ReductionState) throws {
    let a = configuration, b = other.configuration
    for (field, same) in [
      ("framework", a.framework == b.framework), ("loss", a.loss == b.loss), ("parameters", a.parameters == b.parameters),
      ("dtype", a.dtype == b.dtype), ("compute_dtype", a.computeDType == b.computeDType), ("reduction", a.semantics == b.semantics),
      ("row length", groupSize == other.groupSize || count == 0 || other.count == 0 || (wholeVector && other.wholeVector)),
    ] where !same {
      throw LossError.unsupported(
        argument: "partial", message: "the shards were computed with different \(field) (\(describe(a, field)) vs \(describe(b, field))); merge only shards of one configuration")
    }
    if count == 0 { groupSize = other.groupSize; wholeVector = other.wholeVector }
    else if wholeVector && other.wholeVector { groupSize += other.groupSize }
    sum.add(other.sum)
    weightSum.add(other.weightSum)
    count += other.count
    nonzeroWeights += other.nonzeroWeights
    rows += other.rows
  }

  private func describe(_ c: Configuration, _ field: String) -> String {
    switch field {
    case "framework": c.framework
    case "loss": c.loss
    case "parameters": c.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    case "dtype": c.dtype
    case "compute_dtype": c.computeDType
    case "row length": "\(groupSize)"
    default: c.semantics.rawValue
    }
  }

  /// The reduced value, correctly rounded to the compute dtype (as a Double holding it).
  public var value: Double {
    let total: ExactSum
    switch configuration.semantics {
    case .sum: total = groupSize == 1 ? sum : sum.divided(by: Double(groupSize))
    case .mean, .unreduced: total = count == 0 ? ExactSum(hi: .nan, lo: 0) : sum.divided(by: Double(count))
    case .weightedMean: total = weightSum.rounded == 0 ? ExactSum(hi: 0, lo: 0) : sum.divided(by: weightSum)
    case .nonzeroWeightsMean: total = nonzeroWeights == 0 ? ExactSum(hi: 0, lo: 0) : sum.divided(by: Double(nonzeroWeights))
    case .countedTargetsMean: total = weightSum.rounded == 0 ? ExactSum(hi: .nan, lo: 0) : sum.divided(by: weightSum)
    case .maskWeightedMean: total = sum.multiplied(by: maskWeight).divided(by: Double(count))
    }
    return reducesInFloat32 ? Double(total.roundedFloat) : total.rounded
  }

  /// The weight of each kept value under ``ReductionSemantics/maskWeightedMean``:
  /// `total / valid` in the dtype the loss computes in. With none kept: 0 in Keras 3
  /// (`divide_no_nan`), NaN in tf-keras (`0 · (total / 0)`) — for the value and the
  /// streamed gradient alike.
  public var maskWeight: Double {
    let valid = weightSum.rounded
    guard valid > 0 else { return configuration.framework == Framework.keras.rawValue ? 0 : .nan }
    return reducesInFloat32 ? Double(Float(count) / Float(valid)) : Double(count) / valid
  }

  /// Whether the framework's reduction gives a float32 value: the loss computes in
  /// float32, or it is `tf.compat.v1`'s, whose `compute_weighted_loss` casts the losses
  /// to float32 for any input dtype (and the result back).
  var reducesInFloat32: Bool {
    configuration.computeDType == DType.float32.rawValue || configuration.framework == Framework.tfV1.rawValue
  }
}
