extension Optax {
  /// `optax.losses.hinge_loss(predictor_outputs, targets)`: `jnp.maximum(0, 1 − f·y)`,
  /// targets in {−1, 1}. At the margin (`f·y = 1`) JAX splits the tie: the gradient is
  /// `−y/2`.
  public struct HingeLoss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "hinge_loss", summary: "elementwise max(0, 1 − f·y), targets in {−1, 1}",
      parameters: [], inputNames: InputNames(yTrue: "targets", yPred: "predictor_outputs"), acceptsSampleWeight: false,
      notes: Optax.commonNotes + [ConventionNote("margin", "at f·y = 1 the gradient is −y/2 (JAX splits the tie of maximum)")],
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, outputs) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try t.step(.elementwiseLoss, "max(0, 1 − f·y)") { t in
        let margin = t.subtract(1, try t.multiply(outputs, targets, argument: "targets"))
        return t.maximum(margin, 0)
      }
    }
  }

  /// `optax.losses.perceptron_loss(predictor_outputs, targets)`: `jnp.maximum(0, −f·y)`;
  /// the shapes must be equal.
  public struct PerceptronLoss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "perceptron_loss", summary: "elementwise max(0, −f·y), targets in {−1, 1}, equal shapes",
      parameters: [], inputNames: InputNames(yTrue: "targets", yPred: "predictor_outputs"), acceptsSampleWeight: false,
      notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, outputs) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      try Shape.requireSame(t.shape(targets), "targets", as: t.shape(outputs), "predictor_outputs")
      return try t.step(.elementwiseLoss, "max(0, −f·y)") { t in
        t.maximum(try t.multiply(t.negate(outputs), targets), 0)
      }
    }
  }

  /// `optax.losses.sparsemax_loss(logits, labels)`: `sparse_plus(where(label, −x, x))`,
  /// `sparse_plus(z) = where(z ≤ −1, 0, where(z ≥ 1, z, (z + 1)²/4))`.
  public struct SparsemaxLoss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "sparsemax_loss", summary: "binary sparsemax: sparse_plus(where(label, −x, x))",
      parameters: [], inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false, notes: Optax.commonNotes,
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      _ = try Optax.requireBroadcast(t.shape(labels), "labels", with: t.shape(logits), "logits")
      let z = try t.step(.alignRanks, "where(labels, −x, x)") { t in
        try t.select(t[labels].map { $0 != 0 }, t.negate(logits), logits)
      }
      return try t.step(.elementwiseLoss, "sparse_plus") { t in
        let quadratic = try t.divide(t.unary(.square, t.add(z, 1)), t.constant(S(4)))
        let upper = try t.select(t[z].map { $0 >= 1 }, z, quadratic)
        return try t.select(t[z].map { $0 <= -1 }, t.constant(S(0)), upper)
      }
    }
  }
}
