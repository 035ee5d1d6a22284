extension TFV1 {
  /// `tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits, weights)`:
  /// `tf.nn.sparse_softmax_cross_entropy_with_logits`, weighted and reduced.
  ///
  /// `_remove_squeezable_dimensions` first drops a trailing 1 from labels of the
  /// logits' rank (`(B, 1)` labels for `(B, C)` logits), then from weights of one rank
  /// more than the labels. Labels must be integers in `[0, C)` (TF's CPU kernel raises).
  public struct SparseSoftmaxCrossEntropy: DeclaredLoss {
    public var reduction: Reduction

    public init() { self.init(reduction: .sumByNonzeroWeights) }
    public init(reduction: Reduction = .sumByNonzeroWeights) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "sparse_softmax_cross_entropy", summary: "sparse softmax cross-entropy against integer labels, weighted",
      parameters: [LossParameter("reduction", \.reduction, TFV1.reductionSummary)],
      inputNames: TFV1.labelsAndLogits, takesClassIndices: true, notes: TFV1.notes,
      ignoredParameters: ["scope", "loss_collection"])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      var (labels, logits) = t.recordInputs(inputs, yTrueName: "labels", yPredName: "logits")
      var weights = inputs.sampleWeight
      (labels, logits, weights) = try t.step(.alignRanks, "_remove_squeezable_dimensions(labels, logits, weights)") { t in
        let (labelShape, logitShape) = (t.shape(labels), t.shape(logits))
        if logitShape.count - labelShape.count == 2, logitShape.last == 1 {
          logits = t.reshape(logits, to: Array(logitShape.dropLast()))
        } else if logitShape.count == labelShape.count, labelShape.last == 1 {
          labels = t.reshape(labels, to: Array(labelShape.dropLast()))
        }
        if let w = weights, w.rank - t.shape(labels).count == 1 {
          guard w.shape.last == 1 else {
            throw LossError.shapeMismatch(
              argument: "weights", expected: "a last dimension of 1 to squeeze (labels \(Shape.describe(t.shape(labels))))",
              got: Shape.describe(w.shape))
          }
          weights = w.reshaped(to: Array(w.shape.dropLast()))
        }
        return (labels, logits, weights)
      }
      let classIndices = try ClassLabels.exact(t[labels], argument: "labels")
      let losses = try t.step(.fusedKernel, "sparse_softmax_cross_entropy_with_logits") { t in
        try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(&t, labels: classIndices, logits: logits)
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: weights, reduction: reduction, fromLogitsDType: true)
    }
  }
}
