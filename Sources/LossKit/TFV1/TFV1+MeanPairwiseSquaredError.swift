extension TFV1 {
  /// `tf.compat.v1.losses.mean_pairwise_squared_error(labels, predictions, weights)`:
  /// per example `b`, with `d = p − y` over all non-batch dimensions and `n_b` the
  /// number of present (non-zero-weight) elements,
  /// `t_b = 2·Σd²/max(n_b − 1, 0) − 2·(Σd)²/max(n_b(n_b − 1), 0)` (safe divisions), and
  /// the result is the weighted **sum** `Σ_b t_b·w` (no `reduction` argument), or 0 when
  /// nothing is present.
  ///
  /// Eager quirk, reproduced here: with a non-zero scalar weight (the default 1.0)
  /// `n_b` is the size of the whole tensor, not of the example
  /// (`y = [[0,1,3],[2,2,2]]`, `p = [[1,1,1],[0,1,5]]` gives 7.5333333 eagerly, 18.666666
  /// inside `tf.function` or with weights `[[1],[1]]`). Weights need the labels' rank.
  public struct MeanPairwiseSquaredError: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "mean_pairwise_squared_error", summary: "Σ_b w·(2Σd²/(n−1) − 2(Σd)²/(n(n−1))), pairs within each example; float32",
      parameters: [], inputNames: TFV1.labelsAndPredictions,
      notes: [
        ConventionNote("tf.function / graph mode", "a scalar weight counts n per example, not over the whole tensor: 18.666666 instead of 7.5333333 for the docstring-style example")
      ],
      ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, predictions) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let shape = t.shape(labels)
      if let w = inputs.sampleWeight { try TFV1.requireBroadcastable(w.shape, to: shape) }
      guard !shape.isEmpty else {
        throw LossError.shapeMismatch(argument: "labels", expected: "rank at least 1 (a batch)", got: "a scalar")
      }
      let axes = Array(1..<shape.count)
      // n per example (keepdims), or eagerly with a non-zero scalar weight the size of the whole tensor.
      let present: Tensor<S>
      if let w = inputs.sampleWeight, !TFV1.isNonZeroScalar(w) {
        let indicators = Kernels.broadcast(w.map { $0 == 0 ? S(0) : S(1) }, to: shape)
        present = Kernels.reduce(.sum, indicators, axes: axes, keepDims: true, t.environment)
      } else {
        present = Tensor(S(Shape.count(shape)))
      }
      let anyPresent = present.scalars.reduce(0, +) > 0
      return try t.step(
        .elementwiseLoss, "2·Σd²/(n − 1) − 2·(Σd)²/(n(n − 1)) per example, d = p − y",
        [.flag("per_example_n", present.rank > 0)]
      ) { t in
        let diffs = try t.subtract(predictions, labels)
        let sumSquares = t.reduce(.sum, t.unary(.square, diffs), axes: axes, keepDims: true)
        let nMinusOne = present.map { Swift.max($0 - 1, 0) }
        let nTimesNMinusOne = present.map { Swift.max($0 * ($0 - 1), 0) }
        let term1 = t.multiply(try t.binary(.divideNoNaN, sumSquares, t.constant(nMinusOne, name: "max(n − 1, 0)")), 2)
        let sumDiff = t.reduce(.sum, diffs, axes: axes, keepDims: true)
        let term2 = t.multiply(
          try t.binary(.divideNoNaN, t.unary(.square, sumDiff), t.constant(nTimesNMinusOne, name: "max(n(n − 1), 0)")), 2)
        var perExample = try t.subtract(term1, term2)
        if let w = inputs.sampleWeight {
          perExample = try t.multiply(perExample, t.constant(w, name: "weights"), argument: "weights")
        }
        let loss = t.sum(perExample)
        guard anyPresent else { return try t.select(Tensor(false), loss, t.constant(S(0))) }
        return loss
      }
    }
  }
}
