extension Optax {
  /// `optax.losses.cosine_similarity(predictions, targets, *, epsilon=0.0, axis=-1,
  /// where=None)`: each vector is divided by `sqrt(clip(‖·‖², ε))` — the squared norm
  /// is clipped, with `jnp.clip`'s `maximum`, so a tie exactly at ε halves the
  /// gradient — then `Σ a_unit·b_unit`. With ε = 0 a zero vector gives `0/0 = NaN`.
  public struct CosineSimilarity: DeclaredLoss {
    public var epsilon: Double = 0
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(epsilon: Double = 0, axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.epsilon = epsilon
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "cosine_similarity", summary: "Σ a/‖a‖ · b/‖b‖ over axis, squared norms clipped at ε",
      parameters: [
        LossParameter("epsilon", \.epsilon, "lower bound of the squared norms"),
        LossParameter("axis", \.axis, "axis or axes of the vectors (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include"),
      ],
      inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("zero vectors", "with epsilon = 0 a zero vector gives NaN value and gradient; torch clamps each norm at 1e-8")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try Self.similarity(&t, predictions, targets, epsilon: S(epsilon), axis: axis, where: Optax.mask(self.where))
    }

    static func similarity<S: LossScalar>(
      _ t: inout LossTrace<S>, _ a: LossTrace<S>.Value, _ b: LossTrace<S>.Value, epsilon: S, axis: Axes,
      where mask: Tensor<Bool>?
    ) throws -> LossTrace<S>.Value {
      _ = try Optax.requireBroadcast(t.shape(b), "targets", with: t.shape(a), "predictions")
      func unit(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value) throws -> LossTrace<S>.Value {
        let squaredNorm = try JAXOps.sum(&t, t.unary(.square, x), axis: axis, where: mask, keepDims: true)
        let norm = t.unary(.sqrt, t.maximum(squaredNorm, epsilon))
        return try t.divide(x, norm)
      }
      let (aUnit, bUnit) = try t.step(.normalize, "x / sqrt(clip(‖x‖², ε))", [.number("epsilon", Double(epsilon))]) { t in
        (try unit(&t, a), try unit(&t, b))
      }
      return try t.step(.elementwiseLoss, "Σ a_unit·b_unit") { t in
        try JAXOps.sum(&t, try t.multiply(aUnit, bUnit, argument: "targets"), axis: axis, where: mask)
      }
    }
  }

  /// `optax.losses.cosine_distance(...)`: `1 − cosine_similarity(...)`.
  public struct CosineDistance: DeclaredLoss {
    public var epsilon: Double = 0
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(epsilon: Double = 0, axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.epsilon = epsilon
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "cosine_distance", summary: "1 − cosine_similarity over axis",
      parameters: [
        LossParameter("epsilon", \.epsilon, "lower bound of the squared norms"),
        LossParameter("axis", \.axis, "axis or axes of the vectors (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include"),
      ],
      inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false, notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let similarity = try CosineSimilarity.similarity(
        &t, predictions, targets, epsilon: S(epsilon), axis: axis, where: Optax.mask(self.where))
      return t.step(.elementwiseLoss, "1 − similarity") { t in t.subtract(1, similarity) }
    }
  }
}
