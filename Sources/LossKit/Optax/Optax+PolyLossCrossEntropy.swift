extension Optax {
  /// `optax.losses.poly_loss_cross_entropy(logits, labels, *, epsilon=2.0, axis=-1,
  /// where=None)`: Poly-1, `softmax_cross_entropy + ε·Σ labels·(1 − softmax(logits))`.
  public struct PolyLossCrossEntropy: DeclaredLoss {
    public var epsilon: Double = 2
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(epsilon: Double = 2, axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.epsilon = epsilon
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "poly_loss_cross_entropy", summary: "softmax cross-entropy + ε·Σ labels·(1 − softmax), unreduced",
      parameters: [
        LossParameter("epsilon", \.epsilon, "coefficient of the first polynomial term"),
        LossParameter("axis", \.axis, "class axis or axes (null: all)"),
        LossParameter("where", \.where, "mask of the elements to include (the logits' shape)"),
      ],
      inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false, notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let mask = Optax.mask(self.where)
      let axes = try axis.resolved(rank: t.shape(logits).count)
      let oneMinusPt = try t.step("poly-term", "Σ labels·(1 − softmax)") { t in
        let p = try JAXOps.softmax(&t, logits, axes: axes, where: mask)
        let product = try t.multiply(labels, t.subtract(1, p), argument: "labels")
        return try JAXOps.sum(&t, product, axis: axis, where: mask)
      }
      let crossEntropy = try SoftmaxCrossEntropy.crossEntropy(&t, logits: logits, labels: labels, axis: axis, where: mask)
      return try t.step(.elementwiseLoss, "cross-entropy + ε·(1 − p_t)", [.number("epsilon", epsilon)]) { t in
        try t.add(crossEntropy, t.multiply(oneMinusPt, S(epsilon)))
      }
    }
  }
}
