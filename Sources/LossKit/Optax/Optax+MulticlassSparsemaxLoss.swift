extension Optax {
  /// `optax.losses.multiclass_sparsemax_loss(scores, labels)`: per row (a `vmap` over
  /// `[B, C]` scores), with `p = projection_simplex(s)` and `z = s − s_y` (then
  /// `z_y = 0`): `⟨p, where(p, z, 0)⟩ + ½·(1 − ⟨p, p⟩)`.
  ///
  /// Label indexing follows JAX: a negative label counts from the end; reading `s[y]`
  /// clamps an out-of-range label to the last class and writing `z[y] = 0` drops it.
  public struct MulticlassSparsemaxLoss: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "multiclass_sparsemax_loss", summary: "sparsemax loss of [B, C] scores against integer labels",
      parameters: [], inputNames: Optax.scoresAndLabels, takesClassIndices: true, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("out-of-range labels", "no error: s[y] clamps the index, the .at[y].set(0) is dropped (JAX indexing)")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labelValues, scores) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let shape = t.shape(scores)
      guard shape.count == 2, shape[1] > 0 else {
        throw LossError.shapeMismatch(argument: "scores", expected: "rank 2 [batch, classes]", got: Shape.describe(shape))
      }
      let labels = try ClassLabels.exact(t[labelValues], argument: "labels")
      guard labels.shape == [shape[0]] else {
        throw LossError.shapeMismatch(argument: "labels", expected: "shape (\(shape[0]),)", got: Shape.describe(labels.shape))
      }
      let (rows, classes) = (shape[0], shape[1])
      let proba = t.step(.activation, "projection_simplex (sparsemax)") { t in JAXOps.projectionSimplexRows(&t, scores) }
      let shifted = try t.step(.elementwiseLoss, "z = s − s[y], z[y] = 0") { t in
        var read: [Int?] = []
        var written = [Bool](repeating: false, count: rows * classes)
        for (r, label) in labels.scalars.enumerated() {
          let wrapped = label < 0 ? label + classes : label
          read.append(r * classes + Swift.min(Swift.max(wrapped, 0), classes - 1))
          if (0..<classes).contains(wrapped) { written[r * classes + wrapped] = true }
        }
        let labelScores = t.gather(scores, indices: read, shape: [rows, 1])
        let z = try t.subtract(scores, labelScores)
        return try t.select(Tensor(shape: shape, scalars: written), t.constant(S(0)), z)
      }
      return try t.step(.elementwiseLoss, "⟨p, where(p, z, 0)⟩ + ½·(1 − ⟨p, p⟩)") { t in
        let masked = try t.select(t[proba].map { $0 != 0 }, shifted, t.constant(S(0)))
        let first = t.sum(try t.multiply(proba, masked), axis: 1)
        let squared = t.sum(try t.multiply(proba, proba), axis: 1)
        return try t.add(first, t.multiply(t.subtract(1, squared), S(0.5)))
      }
    }
  }
}
