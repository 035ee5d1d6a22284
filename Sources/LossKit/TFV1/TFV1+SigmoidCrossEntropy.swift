extension TFV1 {
  /// `tf.compat.v1.losses.sigmoid_cross_entropy(multi_class_labels, logits, weights,
  /// label_smoothing=0)`: labels smoothed toward 0.5 when `label_smoothing > 0`
  /// (`y·(1 − ls) + 0.5·ls`; a negative value is ignored), then
  /// `tf.nn.sigmoid_cross_entropy_with_logits`, weighted and reduced.
  ///
  /// Computed in the logits' dtype; the reduction runs in float32 (see
  /// ``TFV1/computeWeightedLoss(_:_:weights:reduction:fromLogitsDType:)``).
  public struct SigmoidCrossEntropy: DeclaredLoss {
    public var labelSmoothing: Double
    public var reduction: Reduction

    public init() { self.init(labelSmoothing: 0) }
    public init(labelSmoothing: Double = 0, reduction: Reduction = .sumByNonzeroWeights) {
      self.labelSmoothing = labelSmoothing
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "sigmoid_cross_entropy", summary: "sigmoid_cross_entropy_with_logits on labels smoothed toward 0.5, weighted",
      parameters: [
        LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 0.5 when > 0: y·(1 − ls) + 0.5·ls"),
        LossParameter("reduction", \.reduction, TFV1.reductionSummary),
      ],
      inputNames: InputNames(yTrue: "multi_class_labels", yPred: "logits"), notes: TFV1.notes,
      ignoredParameters: ["scope", "loss_collection"])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      var target = labels
      if labelSmoothing > 0 {
        target = KerasFamily.smoothBinaryLabels(&t, labels, labelSmoothing, keep: S(1 - labelSmoothing), half: S(0.5 * labelSmoothing))
      }
      let losses = try t.step(.elementwiseLoss, "sigmoid_cross_entropy_with_logits", [.flag("from_logits", true)]) { t in
        try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: target, logits: logits)
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction, fromLogitsDType: true)
    }
  }
}
