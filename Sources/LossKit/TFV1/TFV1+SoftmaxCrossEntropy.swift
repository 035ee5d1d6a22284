extension TFV1 {
  /// `tf.compat.v1.losses.softmax_cross_entropy(onehot_labels, logits, weights,
  /// label_smoothing=0)`: labels smoothed toward `1/C` when `label_smoothing > 0`
  /// (`y·(1 − ls) + ls/C`, with `ls/C` computed in the logits' dtype), held constant
  /// (`stop_gradient`), then the fused `softmax_cross_entropy_with_logits` over the last
  /// axis (gradient `softmax − y`), weighted per row and reduced.
  ///
  /// Weights must be a scalar or of the per-row loss's rank: `(B,)` for `(B, C)`
  /// logits (`(B, 1)` raises).
  public struct SoftmaxCrossEntropy: DeclaredLoss {
    public var labelSmoothing: Double
    public var reduction: Reduction

    public init() { self.init(labelSmoothing: 0) }
    public init(labelSmoothing: Double = 0, reduction: Reduction = .sumByNonzeroWeights) {
      self.labelSmoothing = labelSmoothing
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "softmax_cross_entropy", summary: "fused softmax cross-entropy on labels smoothed toward 1/C, weighted per row",
      parameters: [
        LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 1/C when > 0: y·(1 − ls) + ls/C"),
        LossParameter("reduction", \.reduction, TFV1.reductionSummary),
      ],
      inputNames: InputNames(yTrue: "onehot_labels", yPred: "logits"), notes: TFV1.notes,
      ignoredParameters: ["scope", "loss_collection"])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      guard let classes = t.shape(logits).last else {
        throw LossError.shapeMismatch(argument: "logits", expected: "rank at least 1", got: "a scalar")
      }
      var target = labels
      if labelSmoothing > 0 {
        target = try KerasFamily.smoothCategoricalLabels(&t, labels, labelSmoothing, keep: S(1 - labelSmoothing), classes: classes)
      }
      let losses = try t.step(.fusedKernel, "softmax_cross_entropy_with_logits over the last axis", [.integer("axis", -1)]) { t in
        try TensorFlowOps.softmaxCrossEntropyWithLogits(&t, labels: target, logits: logits, axis: -1)
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction, fromLogitsDType: true)
    }
  }
}
