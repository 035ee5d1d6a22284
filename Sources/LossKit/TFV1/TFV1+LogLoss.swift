extension TFV1 {
  /// `tf.compat.v1.losses.log_loss(labels, predictions, weights, epsilon=1e-7)`:
  /// `−y·log(p + ε) − (1 − y)·log(1 − p + ε)`, no clipping, in float32.
  ///
  /// ε only inside the logs: a prediction of exactly 1 for a positive costs
  /// `−log(1 + ε)` = −1.19e-7 (a negative loss), a 0 costs −log ε = 16.118, and a
  /// prediction outside `[−ε, 1 + ε]` gives NaN whatever the label. The seed example
  /// `[1, 1, 1]` vs `[1, 1, 0]` gives 5.3726983 — Keras 3's value, by another route.
  public struct LogLoss: DeclaredLoss {
    public var epsilon: Double
    public var reduction: Reduction

    public init() { self.init(epsilon: 1e-7) }
    public init(epsilon: Double = 1e-7, reduction: Reduction = .sumByNonzeroWeights) {
      self.epsilon = epsilon
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "log_loss", summary: "−y·log(p + ε) − (1 − y)·log(1 − p + ε), no clipping; float32",
      parameters: [
        LossParameter("epsilon", \.epsilon, "added inside both logs"),
        LossParameter("reduction", \.reduction, TFV1.reductionSummary),
      ],
      inputNames: TFV1.labelsAndPredictions, notes: TFV1.notes, ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, predictions) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let eps = S(epsilon)
      let losses = try t.step(.elementwiseLoss, "−y·log(p + ε) − (1 − y)·log(1 − p + ε)", [.number("epsilon_in_log", epsilon)]) { t in
        let positive = t.negate(try t.multiply(labels, t.log(t.add(predictions, eps))))
        let negative = try t.multiply(t.subtract(1, labels), t.log(t.add(t.subtract(1, predictions), eps)))
        return try t.subtract(positive, negative)
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction)
    }
  }
}
