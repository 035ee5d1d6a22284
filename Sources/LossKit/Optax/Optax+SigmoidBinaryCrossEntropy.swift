extension Optax {
  /// `optax.losses.sigmoid_binary_cross_entropy(logits, labels)`: elementwise
  /// `−y·log_sigmoid(x) − (1 − y)·log_sigmoid(−x)`, with `log_sigmoid(x) = −softplus(−x)`
  /// and `softplus(x) = logaddexp(x, 0)` (a `custom_jvp`). Labels broadcast against the
  /// logits and may be soft. At `x = −inf` with label 0, `−0·(−inf)` is NaN.
  public struct SigmoidBinaryCrossEntropy: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "sigmoid_binary_cross_entropy", summary: "elementwise −y·log σ(x) − (1 − y)·log σ(−x), unreduced",
      parameters: [], inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("-inf logits", "a label of 0 at x = −inf gives −0·(−inf) = NaN (measured, optax 0.2.8)")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      _ = try Optax.requireBroadcast(t.shape(labels), "labels", with: t.shape(logits), "logits")
      return try t.step(.elementwiseLoss, "−y·log_sigmoid(x) − (1 − y)·log_sigmoid(−x)", [.flag("from_logits", true)]) { t in
        try Self.elementwise(&t, logits: logits, labels: labels)
      }
    }

    /// The elementwise loss (shared with `sigmoid_focal_loss`).
    static func elementwise<S: LossScalar>(
      _ t: inout LossTrace<S>, logits: LossTrace<S>.Value, labels: LossTrace<S>.Value
    ) throws -> LossTrace<S>.Value {
      let logP = try JAXOps.logSigmoid(&t, logits)
      let logNotP = try JAXOps.logSigmoid(&t, t.negate(logits))
      let positive = try t.multiply(t.negate(labels), logP, argument: "labels")
      let negative = try t.multiply(t.subtract(1, labels), logNotP, argument: "labels")
      return try t.subtract(positive, negative)
    }
  }
}
