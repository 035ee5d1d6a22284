extension TFV1 {
  /// `tf.compat.v1.losses.mean_squared_error(labels, predictions, weights)`:
  /// `(p − y)²` (`squared_difference`) in float32, weighted and reduced — by default a
  /// mean over the non-zero weights, not over the batch.
  public struct MeanSquaredError: DeclaredLoss {
    public var reduction: Reduction

    public init() { self.init(reduction: .sumByNonzeroWeights) }
    public init(reduction: Reduction = .sumByNonzeroWeights) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "mean_squared_error", summary: "(p − y)² in float32, weighted; mean over non-zero weights by default",
      parameters: [LossParameter("reduction", \.reduction, TFV1.reductionSummary)],
      inputNames: TFV1.labelsAndPredictions, notes: TFV1.notes, ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, predictions) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let losses = try t.step(.elementwiseLoss, "squared_difference(p, y)") { t in
        t.unary(.square, try t.subtract(predictions, labels))
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction)
    }
  }

  /// `tf.compat.v1.losses.absolute_difference(labels, predictions, weights)`: `|p − y|`
  /// in float32, weighted and reduced; the gradient at `p == y` is 0.
  public struct AbsoluteDifference: DeclaredLoss {
    public var reduction: Reduction

    public init() { self.init(reduction: .sumByNonzeroWeights) }
    public init(reduction: Reduction = .sumByNonzeroWeights) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "absolute_difference", summary: "|p − y| in float32, weighted; mean over non-zero weights by default",
      parameters: [LossParameter("reduction", \.reduction, TFV1.reductionSummary)],
      inputNames: TFV1.labelsAndPredictions, notes: TFV1.notes, ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, predictions) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let losses = try t.step(.elementwiseLoss, "|p − y|") { t in t.abs(try t.subtract(predictions, labels)) }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction)
    }
  }

  /// `tf.compat.v1.losses.hinge_loss(labels, logits, weights)`:
  /// `relu(1 − (2y − 1)·x)` in float32. The labels are *always* converted (`{−1, 1}`
  /// labels become `{−3, 1}`), and at the margin `relu′(0) = 0`, where Keras's `Hinge`
  /// passes the gradient.
  public struct HingeLoss: DeclaredLoss {
    public var reduction: Reduction

    public init() { self.init(reduction: .sumByNonzeroWeights) }
    public init(reduction: Reduction = .sumByNonzeroWeights) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "hinge_loss", summary: "relu(1 − (2y − 1)·x) in float32: labels always converted from {0,1}",
      parameters: [LossParameter("reduction", \.reduction, TFV1.reductionSummary)],
      inputNames: TFV1.labelsAndLogits,
      notes: TFV1.notes + [ConventionNote("Keras Hinge", "converts labels only when all are 0 or 1, and passes the gradient at the margin (relu′(0) = 0 here)")],
      ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let converted = t.step("label-conversion", "2y − 1 (always)", [.flag("converted", true)]) { t in
        t.add(t.multiply(labels, 2), -1)
      }
      let losses = try t.step(.elementwiseLoss, "relu(1 − y·x)") { t in
        t.relu(t.subtract(1, try t.multiply(converted, logits)))
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction)
    }
  }

  /// `tf.compat.v1.losses.huber_loss(labels, predictions, weights, delta=1.0)`: with
  /// `e = p − y`, `q = min(|e|, δ)`: `0.5·q² + δ·(|e| − q)` in float32 (the same values
  /// as Keras's `Huber`; the gradient is ±δ at `|e| = δ` and 0 at `e = 0`).
  public struct HuberLoss: DeclaredLoss {
    public var delta: Double
    public var reduction: Reduction

    public init() { self.init(delta: 1) }
    public init(delta: Double = 1, reduction: Reduction = .sumByNonzeroWeights) {
      self.delta = delta
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "huber_loss", summary: "0.5·min(|e|, δ)² + δ·(|e| − min(|e|, δ)) in float32, weighted",
      parameters: [
        LossParameter("delta", \.delta, "where the loss turns from quadratic to linear"),
        LossParameter("reduction", \.reduction, TFV1.reductionSummary),
      ],
      inputNames: TFV1.labelsAndPredictions, notes: TFV1.notes, ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, predictions) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let losses = try t.step(.elementwiseLoss, "0.5·q² + δ·(|e| − q), q = min(|e|, δ)", [.number("delta", delta)]) { t in
        let absError = t.abs(try t.subtract(predictions, labels))
        let quadratic = t.minimum(absError, S(delta))
        let linear = try t.subtract(absError, quadratic)
        return try t.add(t.multiply(try t.multiply(quadratic, quadratic), S(0.5)), t.multiply(linear, S(delta)))
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction)
    }
  }

  /// `tf.compat.v1.losses.cosine_distance(labels, predictions, axis, weights)`:
  /// `1 − Σ p·y` over `axis`, kept as a dimension of 1, in float32. The inputs are
  /// assumed unit-normalised and are not normalised (unlike Keras's
  /// `CosineSimilarity`); `axis` is required (its deprecated name `dim` is not taken).
  public struct CosineDistance: DeclaredLoss {
    public var axis: Int?
    public var reduction: Reduction

    public init() { self.init(axis: nil) }
    public init(axis: Int?, reduction: Reduction = .sumByNonzeroWeights) {
      self.axis = axis
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .tfV1, "cosine_distance", summary: "1 − Σ p·y over axis (keepdims; inputs assumed normalised), float32",
      parameters: [
        LossParameter(required: "axis", \.axis, "the axis of the vectors (required)"),
        LossParameter("reduction", \.reduction, TFV1.reductionSummary),
      ],
      inputNames: TFV1.labelsAndPredictions, notes: TFV1.notes, ignoredParameters: ["scope", "loss_collection"])

    public func computeDType(forInputs inputs: DType) -> DType { .float32 }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let axis = try self.axis.unwrapped(parameter: "axis")
      let (labels, predictions) = try TFV1.recordInputs(&t, inputs, Self.declaration.inputNames)
      let resolved = try Shape.resolve(axis: axis, rank: t.shape(predictions).count)
      let losses = try t.step(.elementwiseLoss, "1 − Σ p·y over axis \(axis) (keepdims)", [.integer("axis", axis)]) { t in
        t.subtract(1, t.sum(try t.multiply(predictions, labels), axis: resolved, keepDims: true))
      }
      return try TFV1.computeWeightedLoss(&t, losses, weights: inputs.sampleWeight, reduction: reduction)
    }
  }
}
