extension Optax {
  /// `reduce_fn` of the ranking losses: `jnp.mean`, `jnp.sum` or `None`.
  public enum ReduceFunction: String, Sendable, ParameterChoice {
    case mean
    case sum
    case none
    public static var valueForNull: ReduceFunction? { ReduceFunction.none }
  }

  /// `optax.losses.ranking_softmax_loss(logits, labels, *, where=None, weights=None,
  /// reduce_fn=jnp.mean)`: per list (last axis) `−Σ labels·log_softmax(logits)`, masked
  /// items at `−inf` with label 0, labels times `weights`; then optax's `_safe_reduce`:
  /// a mean over lists with any valid item, 0 instead of NaN when none is valid.
  public struct RankingSoftmaxLoss: DeclaredLoss {
    public var `where`: Tensor<Double>?
    public var weights: Tensor<Double>?
    public var reduceFn: ReduceFunction = .mean

    public init() {}
    public init(where mask: Tensor<Double>? = nil, weights: Tensor<Double>? = nil, reduceFn: ReduceFunction = .mean) {
      self.where = mask
      self.weights = weights
      self.reduceFn = reduceFn
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "ranking_softmax_loss", summary: "listwise softmax cross-entropy, mean over lists by default",
      parameters: [
        LossParameter("where", \.where, "mask of the valid items"),
        LossParameter("weights", \.weights, "per-item weights multiplying the labels"),
        LossParameter("reduce_fn", \.reduceFn, "\"mean\" (jnp.mean), \"sum\" (jnp.sum) or null (no reduction)"),
      ],
      inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [ConventionNote("all lists masked", "the mean is 0, not NaN (unless a loss is NaN)")],
      ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      var (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let shape = t.shape(logits)
      guard !shape.isEmpty else { throw LossError.shapeMismatch(argument: "logits", expected: "rank at least 1", got: "a scalar") }
      let mask = try Optax.mask(self.where).map { try JAXOps.broadcastMask($0, to: shape) }
      if let mask {
        (labels, logits) = try t.step(.mask, "mask: labels 0, logits −inf") { t in
          (try t.select(mask, labels, t.constant(S(0))), try t.select(mask, logits, t.constant(-S.infinity)))
        }
      }
      if let weights {
        labels = try t.step(.classWeights, "labels × weights") { t in
          try t.multiply(labels, t.constant(weights.converted() as Tensor<S>, name: "weights"), argument: "weights")
        }
      }
      let last = shape.count - 1
      let loss = try t.step(.elementwiseLoss, "−Σ labels·log_softmax(logits)") { t in
        let logSoftmax = try JAXOps.logSoftmax(&t, logits, axes: [last])
        return t.negate(try JAXOps.sum(&t, try t.multiply(labels, logSoftmax, argument: "labels"), axes: [last], where: mask))
      }
      let valid = mask.map { JAXOps.any($0, axes: [last]) }
      return try t.step(.reduction, "_safe_reduce(\(reduceFn.rawValue))") { t in
        switch reduceFn {
        case .none:
          guard let valid else { return loss }
          return try t.select(valid, loss, t.constant(S(0)))
        case .sum:
          return try JAXOps.sum(&t, loss, axes: nil, where: valid)
        case .mean:
          let count = valid.map { $0.scalars.filter { $0 }.count } ?? t[loss].count
          let mean = try t.divide(try JAXOps.sum(&t, loss, axes: nil, where: valid), t.constant(S(count)))
          // NaN from an empty mean becomes 0, unless a loss itself is NaN.
          let inputIsValid = !t[loss].scalars.contains { $0.isNaN }
          guard inputIsValid, t[mean].scalars[0].isNaN else { return mean }
          return try t.select(Tensor(true), t.constant(S(0)), mean)
        }
      }
    }
  }
}
