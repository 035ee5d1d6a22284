extension Optax {
  /// `optax.losses.sigmoid_focal_loss(logits, labels, *, alpha=None, gamma=2.0)`:
  /// `ce·exp(γ·log(1 − p_t))` with `ce` the sigmoid cross-entropy and
  /// `log(1 − p_t) = logsumexp([log σ(x), log σ(−x)], b=[1 − y, y])` (optax 0.2.8's form),
  /// times `α·y + (1 − α)·(1 − y)` when `alpha` is given (`1 − α` in Python's double).
  public struct SigmoidFocalLoss: DeclaredLoss {
    public var alpha: Double?
    public var gamma: Double = 2

    public init() {}
    public init(alpha: Double? = nil, gamma: Double = 2) {
      self.alpha = alpha
      self.gamma = gamma
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "sigmoid_focal_loss", summary: "sigmoid cross-entropy × (1 − p_t)^γ (log space), optional α balance",
      parameters: [
        LossParameter("alpha", \.alpha, "weight of the positive class (null: no weighting)"),
        LossParameter("gamma", \.gamma, "exponent of the modulating factor (1 − p_t)"),
      ],
      inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("optax 0.2.9", "computes log(1 − p_t) with log_sigmoid and log1p instead of logsumexp: equal to rounding")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      try Shape.requireSame(t.shape(labels), "labels", as: t.shape(logits), "logits")
      let ce = try t.step(.elementwiseLoss, "sigmoid_binary_cross_entropy", [.flag("from_logits", true)]) { t in
        try SigmoidBinaryCrossEntropy.elementwise(&t, logits: logits, labels: labels)
      }
      let weight = try t.step(.focalFactor, "exp(γ·logsumexp([log σ(x), log σ(−x)], b=[1 − y, y]))", [.number("gamma", gamma)]) { t in
        let logP = try JAXOps.logSigmoid(&t, logits)
        let logQ = try JAXOps.logSigmoid(&t, t.negate(logits))
        let a = try t.stackLast([logP, logQ])
        let b = try t.stackLast([t.subtract(1, labels), labels])
        let rank = t.shape(a).count
        let logOneMinusPt = try JAXOps.logsumexp(&t, a, axes: [rank - 1], b: b)
        return t.exp(t.multiply(logOneMinusPt, S(gamma)))
      }
      let loss = try t.multiply(ce, weight)
      guard let alpha else { return loss }
      return try t.step(.classWeights, "× (α·y + (1 − α)·(1 − y))", [.number("alpha", alpha)]) { t in
        let balance = try t.add(t.multiply(labels, S(alpha)), t.multiply(t.subtract(1, labels), S(1 - alpha)))
        return try t.multiply(balance, loss)
      }
    }
  }
}
