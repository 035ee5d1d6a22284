extension Keras {
  /// `keras.losses.Circle` (Sun et al., 2020) on integer labels `(B,)` and
  /// L2-normalised embeddings `(B, D)`.
  ///
  /// With `D = max(1 − p·pᵀ, 0)`, positives `y_i == y_j` (the diagonal removed when
  /// `removeDiagonal`) and negatives `y_i ≠ y_j`:
  /// `lp = logsumexp_j(−γ·max((m + D)·pos, 0)·(m − D))` over the positives,
  /// `ln = logsumexp_j(γ·max((1 + m − D)·neg, 0)·(1 − m − D))` over the negatives, and
  /// the per-sample loss is `softplus(lp + ln)`. Samples with a loss of 0 (no positive
  /// partner: `lp = −∞`) are masked, so `sum_over_batch_size` averages over the others.
  /// Labels arrive as floats (the loss dtype) and are truncated to integers.
  public struct Circle: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = Keras
    public var gamma: Double
    public var margin: Double
    public var removeDiagonal: Bool
    public var reduction: Reduction
    public var dtype: DType?

    public init() { self.init(gamma: 80) }
    public init(
      gamma: Double = 80, margin: Double = 0.4, removeDiagonal: Bool = true, reduction: Reduction = .sumOverBatchSize,
      dtype: DType? = nil
    ) {
      self.gamma = gamma
      self.margin = margin
      self.removeDiagonal = removeDiagonal
      self.reduction = reduction
      self.dtype = dtype
    }

    public static let declaration = LossDeclaration<Self>(
      .keras, "Circle", summary: "softplus(lp + ln) over the pairwise cosine distances; zero-loss samples masked",
      parameters: [
        LossParameter("gamma", \.gamma, "scale of the similarity scores"),
        LossParameter("margin", \.margin, "relaxation margin"),
        LossParameter("remove_diagonal", \.removeDiagonal, "drop each sample's pairing with itself from the positives"),
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
        LossParameter("dtype", \.dtype, "dtype the inputs are cast to and computed in (null: floatx, float32)"),
      ],
      takesClassIndices: true,
      notes: [ConventionNote("the mask", "sum_over_batch_size divides by the number of samples with a loss > 0, not by the batch size")], couplesSamples: true)

    public static var functionName: String { "circle" }
    public static var functionSummary: String { "Circle loss of integer labels and L2-normalised embeddings" }
    public static var functionTakesClassIndices: Bool { true }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
      [
        LossParameter("remove_diagonal", \.loss.removeDiagonal, "drop self-pairs from the positives"),
        LossParameter("gamma", \.loss.gamma, "scale of the similarity scores"),
        LossParameter("margin", \.loss.margin, "relaxation margin"),
      ]
    }
    public static var functionNotes: [ConventionNote] {
      [ConventionNote("ref_labels, ref_embeddings", "not supported: the references are y_true and y_pred")]
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      let embeddingShape = t.shape(yPred)
      guard embeddingShape.count == 2 else {
        throw LossError.shapeMismatch(argument: "y_pred", expected: "embeddings of shape (batch, dim)", got: Shape.describe(embeddingShape))
      }
      let batch = embeddingShape[0]
      let labels = try ClassLabels.truncating(t[yTrue], argument: "y_true")
      guard labels.count == batch else {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "\(batch) labels, one per embedding", got: Shape.describe(labels.shape))
      }
      let distances = try t.step("pairwise-distance", "D = max(1 − p·pᵀ, 0)") { t in
        let rows = t.reshape(yPred, to: [batch, 1, embeddingShape[1]])
        let columns = t.reshape(yPred, to: [1, batch, embeddingShape[1]])
        let gram = t.sum(try t.multiply(rows, columns), axis: 2)
        return t.maximum(t.subtract(1, gram), 0)
      }
      let l = labels.scalars
      var positive = [Bool](repeating: false, count: batch * batch)
      for i in 0..<batch { for j in 0..<batch { positive[i * batch + j] = l[i] == l[j] && !(removeDiagonal && i == j) } }
      var negative = [Bool](repeating: false, count: batch * batch)
      for i in 0..<batch { for j in 0..<batch { negative[i * batch + j] = l[i] != l[j] } }
      let positiveMask = Tensor(shape: [batch, batch], scalars: positive)
      let negativeMask = Tensor(shape: [batch, batch], scalars: negative)
      let (g, m) = (S(gamma), S(margin))
      let weightedPositive = try t.step("positive-term", "−γ·max((m + D)·pos, 0)·(m − D)", [.number("gamma", gamma), .number("margin", margin)]) { t in
        let weights = t.maximum(try t.multiply(t.add(distances, m), t.constant(positiveMask.map { $0 ? S(1) : 0 }, name: "positive mask")), 0)
        let dists = t.subtract(m, distances)
        return try t.multiply(t.multiply(weights, S(-1 * gamma)), dists)
      }
      let weightedNegative = try t.step("negative-term", "γ·max((1 + m − D)·neg, 0)·(1 − m − D)", [.number("gamma", gamma), .number("margin", margin)]) { t in
        let weights = t.maximum(try t.multiply(t.subtract(S(1 + margin), distances), t.constant(negativeMask.map { $0 ? S(1) : 0 }, name: "negative mask")), 0)
        let dists = t.subtract(S(1 - margin), distances)
        return try t.multiply(t.multiply(weights, g), dists)
      }
      let lp = try KerasFamily.logSumExp(&t, weightedPositive, where: positiveMask, axis: 1)
      let ln = try KerasFamily.logSumExp(&t, weightedNegative, where: negativeMask, axis: 1)
      let loss = try t.step(.elementwiseLoss, "softplus(lp + ln)") { t in t.unary(.softplus, try t.add(lp, ln)) }
      return PerSampleLoss(value: loss, mask: t[loss].map { $0 > 0 })
    }
  }
}

extension KerasFamily {
  /// `ops.logsumexp(where(mask, x, −inf), axis)`: TF's `reduce_logsumexp`, whose
  /// shift `max` (0 where not finite) is a constant (`stop_gradient`).
  static func logSumExp<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>, where mask: Tensor<Bool>, axis: Int) throws -> Value<S> {
    try t.step("logsumexp", "logsumexp over axis \(axis) of the masked entries", [.integer("axis", axis)]) { t in
      let masked = try t.select(mask, x, t.constant(-S.infinity))
      let rawMax = t.reduce(.max, masked, axes: [axis], keepDims: true)
      let shift = t.constant(t[rawMax].map { $0.isFinite ? $0 : 0 }, name: "stop_gradient(max)")
      let sum = t.sum(t.exp(try t.subtract(masked, shift)), axis: axis)
      return try t.add(t.log(sum), t.reshape(shift, to: t.shape(sum)))
    }
  }
}
