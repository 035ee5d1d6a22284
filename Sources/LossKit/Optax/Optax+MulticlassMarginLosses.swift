extension Optax {
  /// Integer class labels against `[..., C]` scores as `jax.nn.one_hot` encodes them: a
  /// label outside `[0, C)` (negative ones included) is a row of zeros.
  static func oneHotLabels<S: LossScalar>(
    _ t: inout LossTrace<S>, _ labels: LossTrace<S>.Value, scores: LossTrace<S>.Value
  ) throws -> LossTrace<S>.Value {
    guard let classes = t.shape(scores).last else {
      throw LossError.shapeMismatch(argument: "scores", expected: "rank at least 1", got: "a scalar")
    }
    let indices = try ClassLabels.exact(t[labels], argument: "labels")
    return t.constant(JAXOps.oneHot(indices, classes: classes) as Tensor<S>, name: "one_hot(labels)")
  }

  /// `_dot_last_dim(scores, one_hot)`: `Σ_last scores·one_hot`.
  static func dotLastDim<S: LossScalar>(
    _ t: inout LossTrace<S>, _ a: LossTrace<S>.Value, _ b: LossTrace<S>.Value
  ) throws -> LossTrace<S>.Value {
    let product = try t.multiply(a, b, argument: "labels")
    return t.sum(product, axis: t.shape(product).count - 1)
  }

  /// `optax.losses.multiclass_hinge_loss(scores, labels)` (Crammer–Singer):
  /// `max_k(s_k + 1 − [k = y]) − s_y`. Ties of the maximum share the gradient equally.
  public struct MulticlassHingeLoss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "multiclass_hinge_loss", summary: "max_k(s_k + 1 − [k = y]) − s_y, integer labels",
      parameters: [], inputNames: Optax.scoresAndLabels, takesClassIndices: true, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("out-of-range labels", "no error: one_hot gives a zero row, so the loss is max_k s_k + 1")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, scores) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let oneHot = try Optax.oneHotLabels(&t, labels, scores: scores)
      return try t.step(.elementwiseLoss, "max(s + 1 − one_hot) − s·one_hot") { t in
        let shifted = try t.subtract(t.add(scores, 1), oneHot, argument: "labels")
        let top = t.reduce(.max, shifted, axes: [t.shape(shifted).count - 1])
        return try t.subtract(top, Optax.dotLastDim(&t, scores, oneHot), argument: "labels")
      }
    }
  }

  /// `optax.losses.multiclass_perceptron_loss(scores, labels)`: `max_k s_k − s_y`.
  public struct MulticlassPerceptronLoss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "multiclass_perceptron_loss", summary: "max_k s_k − s_y, integer labels",
      parameters: [], inputNames: Optax.scoresAndLabels, takesClassIndices: true, acceptsSampleWeight: false,
      notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, scores) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let oneHot = try Optax.oneHotLabels(&t, labels, scores: scores)
      return try t.step(.elementwiseLoss, "max(s) − s·one_hot") { t in
        let top = t.reduce(.max, scores, axes: [t.shape(scores).count - 1])
        return try t.subtract(top, Optax.dotLastDim(&t, scores, oneHot), argument: "labels")
      }
    }
  }
}
