extension Optax {
  /// `optax.losses.kl_divergence(log_predictions, targets, axis=-1, where=None)`:
  /// `Σ t·(where(t = 0, 0, log t) − log_p)`.
  public struct KLDivergence: DeclaredLoss {
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "kl_divergence", summary: "Σ t·(log t − log_p) over axis, 0·log 0 = 0",
      parameters: [
        LossParameter("axis", \.axis, "axis or axes of the distributions (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include"),
      ],
      inputNames: InputNames(yTrue: "targets", yPred: "log_predictions"), acceptsSampleWeight: false,
      notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, logPredictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try Self.divergence(&t, logPredictions, targets, axis: axis, where: Optax.mask(self.where))
    }

    static func divergence<S: LossScalar>(
      _ t: inout LossTrace<S>, _ logPredictions: LossTrace<S>.Value, _ targets: LossTrace<S>.Value, axis: Axes,
      where mask: Tensor<Bool>?
    ) throws -> LossTrace<S>.Value {
      _ = try Optax.requireBroadcast(t.shape(targets), "targets", with: t.shape(logPredictions), "log_predictions")
      return try t.step(.elementwiseLoss, "Σ t·(where(t = 0, 0, log t) − log_p)") { t in
        let logTargets = try t.select(t[targets].map { $0 == 0 }, t.constant(S(0)), t.log(targets))
        let loss = try t.multiply(targets, t.subtract(logTargets, logPredictions, argument: "targets"))
        return try JAXOps.sum(&t, loss, axis: axis, where: mask)
      }
    }
  }

  /// `optax.losses.kl_divergence_with_log_targets(log_predictions, log_targets, axis=-1,
  /// where=None)`: `Σ exp(lt)·(lt − lp)`.
  public struct KLDivergenceWithLogTargets: DeclaredLoss {
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "kl_divergence_with_log_targets", summary: "Σ exp(lt)·(lt − lp) over axis",
      parameters: [
        LossParameter("axis", \.axis, "axis or axes of the distributions (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include"),
      ],
      inputNames: InputNames(yTrue: "log_targets", yPred: "log_predictions"), acceptsSampleWeight: false,
      notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (logTargets, logPredictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      _ = try Optax.requireBroadcast(t.shape(logTargets), "log_targets", with: t.shape(logPredictions), "log_predictions")
      let mask = Optax.mask(self.where)
      return try t.step(.elementwiseLoss, "Σ exp(lt)·(lt − lp)") { t in
        let loss = try t.multiply(t.exp(logTargets), t.subtract(logTargets, logPredictions))
        return try JAXOps.sum(&t, loss, axis: axis, where: mask)
      }
    }
  }

  /// `optax.losses.generalized_kl_divergence(log_predictions, targets, axis=-1,
  /// where=None)`: `kl_divergence + Σ (exp(lp) − t)`, the Bregman divergence of
  /// `x log x − x` for unnormalised measures.
  public struct GeneralizedKLDivergence: DeclaredLoss {
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "generalized_kl_divergence", summary: "kl_divergence + Σ(exp(lp) − t) over axis",
      parameters: [
        LossParameter("axis", \.axis, "axis or axes of the distributions (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include"),
      ],
      inputNames: InputNames(yTrue: "targets", yPred: "log_predictions"), acceptsSampleWeight: false,
      notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, logPredictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try Self.divergence(&t, logPredictions, targets, axis: axis, where: Optax.mask(self.where))
    }

    static func divergence<S: LossScalar>(
      _ t: inout LossTrace<S>, _ logPredictions: LossTrace<S>.Value, _ targets: LossTrace<S>.Value, axis: Axes,
      where mask: Tensor<Bool>?
    ) throws -> LossTrace<S>.Value {
      let kl = try KLDivergence.divergence(&t, logPredictions, targets, axis: axis, where: mask)
      let mass = try t.step(.elementwiseLoss, "Σ (exp(lp) − t)") { t in
        try JAXOps.sum(&t, try t.subtract(t.exp(logPredictions), targets), axis: axis, where: mask)
      }
      return try t.add(kl, mass)
    }
  }

  /// `optax.losses.convex_kl_divergence`: the deprecated alias of
  /// `generalized_kl_divergence` (optax 0.2.8 emits a `DeprecationWarning`).
  public struct ConvexKLDivergence: DeclaredLoss {
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "convex_kl_divergence", summary: "deprecated alias of generalized_kl_divergence",
      parameters: [
        LossParameter("axis", \.axis, "axis or axes of the distributions (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include"),
      ],
      inputNames: InputNames(yTrue: "targets", yPred: "log_predictions"), acceptsSampleWeight: false,
      notes: Optax.commonNotes + [ConventionNote("deprecation", "optax 0.2.8 warns: use generalized_kl_divergence")],
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, logPredictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try GeneralizedKLDivergence.divergence(&t, logPredictions, targets, axis: axis, where: Optax.mask(self.where))
    }
  }
}
