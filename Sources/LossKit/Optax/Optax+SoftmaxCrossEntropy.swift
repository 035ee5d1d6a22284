extension Optax {
  /// `optax.losses.softmax_cross_entropy(logits, labels, axis=-1, where=None)`:
  /// `−Σ_axis,where labels·log_softmax(logits, axis, where)`. A `where` of one dimension
  /// fewer than the logits is expanded at `axis`. Zero labels at `−inf` logits give
  /// `0·(−inf) = NaN` (use `safe_softmax_cross_entropy`).
  public struct SoftmaxCrossEntropy: DeclaredLoss {
    public var axis: Axes = -1
    /// The `where` mask (nonzero is true), or nil.
    public var `where`: Tensor<Double>?

    public init() {}
    public init(axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "softmax_cross_entropy", summary: "−Σ labels·log_softmax(logits) over axis (where), unreduced",
      parameters: [
        LossParameter("axis", \.axis, "class axis or axes (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include, logits' shape or one dimension fewer"),
      ],
      inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("-inf logits", "a zero label at a −inf logit gives 0·(−inf) = NaN; safe_softmax_cross_entropy gives a finite value"),
        ConventionNote("gradient", "the true gradient (Σ labels)·softmax − labels, from log_softmax's primitives (no fused kernel)"),
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try Self.crossEntropy(&t, logits: logits, labels: labels, axis: axis, where: Optax.mask(self.where))
    }

    /// The loss, shared with `poly_loss_cross_entropy`.
    static func crossEntropy<S: LossScalar>(
      _ t: inout LossTrace<S>, logits: LossTrace<S>.Value, labels: LossTrace<S>.Value, axis: Axes, where mask: Tensor<Bool>?
    ) throws -> LossTrace<S>.Value {
      let rank = t.shape(logits).count
      let axes = try axis.resolved(rank: rank)
      let mask = try mask.map { try Optax.expandWhere($0, toRank: rank, at: axis) }
      let logProbabilities = try t.step(.activation, "log_softmax over axes \(axes)", [.text("function", "log_softmax")]) { t in
        try JAXOps.logSoftmax(&t, logits, axes: axes, where: mask)
      }
      return try t.step(.elementwiseLoss, "−Σ labels·log p") { t in
        let product = try t.multiply(labels, logProbabilities, argument: "labels")
        return t.negate(try JAXOps.sum(&t, product, axis: axis, where: mask))
      }
    }
  }

  /// `jnp.expand_dims(where, axis)` when `where` has another rank than the logits, as
  /// the softmax cross-entropies do.
  static func expandWhere(_ mask: Tensor<Bool>, toRank rank: Int, at axis: Axes) throws -> Tensor<Bool> {
    guard mask.rank != rank else { return mask }
    guard case .axes(let list) = axis else {
      throw LossError.shapeMismatch(argument: "where", expected: "the logits' rank \(rank) with axis=None", got: "rank \(mask.rank)")
    }
    let newRank = mask.rank + list.count
    var shape = mask.shape
    let positions = try list.map { try Shape.resolve(axis: $0, rank: newRank, parameter: "axis") }.sorted()
    for p in positions { shape.insert(1, at: Swift.min(p, shape.count)) }
    return mask.reshaped(to: shape)
  }
}
