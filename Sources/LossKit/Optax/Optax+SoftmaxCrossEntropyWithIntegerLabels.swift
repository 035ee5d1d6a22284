extension Optax {
  /// `optax.losses.softmax_cross_entropy_with_integer_labels(logits, labels, axis=-1,
  /// where=None)`: `logsumexp(logits, axis, where) − logits[label]`, gathering only the
  /// label's logit. A tuple `axis` moves those axes to the end and flattens them (the
  /// label is a flat index into them). Rows with nothing valid under `where` give 0.
  ///
  /// Labels are integers; a negative label counts from the end (`−1` is the last class),
  /// one outside `[−C, C)` gathers NaN (`take_along_axis`'s fill mode): the loss is NaN
  /// and the gradient only the softmax part, as in JAX.
  public struct SoftmaxCrossEntropyWithIntegerLabels: DeclaredLoss {
    public var axis: Axes = -1
    public var `where`: Tensor<Double>?

    public init() {}
    public init(axis: Axes = -1, where mask: Tensor<Double>? = nil) {
      self.axis = axis
      self.where = mask
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "softmax_cross_entropy_with_integer_labels", summary: "logsumexp(logits) − logits[label], unreduced",
      parameters: [
        LossParameter("axis", \.axis, "class axis, or a list of axes flattened into one"),
        LossParameter("where", \.where, "mask of the elements to include, logits' shape or one dimension fewer"),
      ],
      inputNames: Optax.logitsAndLabels, takesClassIndices: true, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("out-of-range labels", "no error: a label ≥ C gives NaN, a negative label counts from the end (measured, jax 0.10.2)"),
        ConventionNote("-inf logits", "finite wherever the label's logit is finite; a row of only −inf gives NaN"),
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labelValues, input) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let labels = try ClassLabels.exact(t[labelValues], argument: "labels")
      var logits = input
      let rank = t.shape(logits).count
      var mask = try Optax.mask(self.where).map { try Optax.expandWhere($0, toRank: rank, at: axis) }
      let classAxis: Int
      switch axis {
      case .all:
        throw LossError.invalidParameter(name: "axis", expected: "an integer or a list of integers", got: "null")
      case .axes(let list) where list.count == 1 && axis.parameterValue == .int(list[0]):
        classAxis = try Shape.resolve(axis: list[0], rank: rank)
      case .axes:
        // Batch axes first, then the class axes in the order given, flattened.
        let classAxes = try axis.resolvedInOrder(rank: rank)
        let batchAxes = (0..<rank).filter { !classAxes.contains($0) }
        let shape = t.shape(logits)
        let flat = batchAxes.map { shape[$0] } + [classAxes.reduce(1) { $0 * shape[$1] }]
        logits = t.step(.alignRanks, "move axes \(classAxes) to the end and flatten them") { t in
          t.reshape(t.transpose(logits, batchAxes + classAxes), to: flat)
        }
        if let m = mask {
          let full = try JAXOps.broadcastMask(m, to: shape)
          mask = full.transposed(batchAxes + classAxes).reshaped(to: flat)
        }
        classAxis = batchAxes.count
      }
      let shape = t.shape(logits)
      let batchShape = Shape.removing(classAxis, from: shape)
      guard labels.shape == batchShape else {
        throw LossError.shapeMismatch(
          argument: "labels", expected: "the logits' shape without the class axis \(Shape.describe(batchShape))",
          got: Shape.describe(labels.shape))
      }
      let classes = shape[classAxis]
      let strides = Shape.strides(shape)
      let labelLogits = t.step("take-along-axis", "take_along_axis: each label's logit") { t -> LossTrace<S>.Value in
        // Offsets of the batch positions in the logits, row-major over the batch shape.
        var indices: [Int?] = []
        indices.reserveCapacity(labels.count)
        var walk = StridedWalk(shape: batchShape, strides: [Shape.removing(classAxis, from: strides)])
        for label in labels.scalars {
          let wrapped = label < 0 ? label + classes : label
          indices.append((0..<classes).contains(wrapped) ? walk.offsets[0] + wrapped * strides[classAxis] : nil)
          walk.advance()
        }
        return t.gather(logits, indices: indices, shape: batchShape)
      }
      return try t.step(.elementwiseLoss, "logsumexp(logits) − logits[label]", [.flag("from_logits", true)]) { t in
        let normalizers = try JAXOps.logsumexp(&t, logits, axes: [classAxis], where: mask)
        let out = try t.subtract(normalizers, labelLogits)
        guard let mask else { return out }
        let valid = JAXOps.any(try JAXOps.broadcastMask(mask, to: shape), axes: [classAxis])
        return try t.select(valid, out, t.constant(S(0)))
      }
    }
  }
}
