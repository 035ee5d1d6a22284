extension Optax {
  /// `optax.losses.squared_error(predictions, targets=None)`: `(p − t)²`; the shapes must
  /// be equal (optax checks instead of broadcasting). `targets=None` is the same as
  /// zeros, exactly.
  public struct SquaredError: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "squared_error", summary: "elementwise (p − t)², equal shapes",
      parameters: [], inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [ConventionNote("targets=None", "means zeros: pass y_true of zeros (identical values)")],
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try Self.squaredError(&t, predictions, targets)
    }

    static func squaredError<S: LossScalar>(
      _ t: inout LossTrace<S>, _ predictions: LossTrace<S>.Value, _ targets: LossTrace<S>.Value
    ) throws -> LossTrace<S>.Value {
      try Shape.requireSame(t.shape(targets), "targets", as: t.shape(predictions), "predictions")
      return try t.step(.elementwiseLoss, "(p − t)²") { t in t.unary(.square, try t.subtract(predictions, targets)) }
    }
  }

  /// `optax.losses.l2_loss(predictions, targets=None)`: `0.5·(p − t)²` (Bishop's ½).
  public struct L2Loss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "l2_loss", summary: "elementwise ½·(p − t)², equal shapes",
      parameters: [], inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [ConventionNote("targets=None", "means zeros: pass y_true of zeros (identical values)")],
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let squared = try SquaredError.squaredError(&t, predictions, targets)
      return t.step(.elementwiseLoss, "½·(p − t)²") { t in t.multiply(squared, S(0.5)) }
    }
  }

  /// `optax.losses.huber_loss(predictions, targets=None, *, delta=1.0)`:
  /// `q = min(|e|, δ)`, `½·q² + δ·(|e| − q)` — the form that avoids doubling the
  /// gradient at the kink. Targets broadcast. At `|e| = δ` the tie of `minimum` splits.
  public struct HuberLoss: DeclaredLoss {
    public var delta: Double = 1

    public init() {}
    public init(delta: Double = 1) { self.delta = delta }

    public static let declaration = LossDeclaration<Self>(
      .optax, "huber_loss", summary: "elementwise ½·min(|e|, δ)² + δ·(|e| − min(|e|, δ))",
      parameters: [LossParameter("delta", \.delta, "where the loss turns from quadratic to linear")],
      inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("kink", "at |e| = δ JAX splits the tie of minimum; at e = 0 abs′(0) = 1 (the gradient is 0 either way)")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try t.step(.elementwiseLoss, "½·q² + δ·(|e| − q), q = min(|e|, δ)", [.number("delta", delta)]) { t in
        let absolute = t.abs(try t.subtract(predictions, targets, argument: "targets"))
        let quadratic = t.minimum(absolute, S(delta))
        let linear = try t.subtract(absolute, quadratic)
        return try t.add(t.multiply(t.unary(.square, quadratic), S(0.5)), t.multiply(linear, S(delta)))
      }
    }
  }

  /// `optax.losses.log_cosh(predictions, targets=None)`: `logaddexp(e, −e) − log 2`.
  public struct LogCosh: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "log_cosh", summary: "elementwise logaddexp(e, −e) − log 2",
      parameters: [], inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false, notes: Optax.commonNotes,
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try t.step(.elementwiseLoss, "logaddexp(e, −e) − log 2") { t in
        let errors = try t.subtract(predictions, targets, argument: "targets")
        let both = try JAXOps.logaddexp(&t, errors, t.negate(errors))
        return try t.subtract(both, t.constant(S.log(2)))
      }
    }
  }
}
